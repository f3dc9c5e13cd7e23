// Widget tests of the Prediction panel (run with QT_QPA_PLATFORM=offscreen): overlay opacity,
// error mode, class hiding, predicting an opened folder (and cancelling), and the side-by-side and
// swipe comparison of two runs. Two tiny checkpoints are trained once; every expected image is
// computed independently with msup::Predictor and the core/io overlay functions.
#include "core/data/dataset.h"
#include "core/data/image_io.h"
#include "core/data/synth.h"
#include "core/io/overlay.h"
#include "core/train/predictor.h"
#include "core/train/training_session.h"
#include "tests/support/files.h"
#include "tests/support/fixtures.h"
#include "ui/image_view.h"
#include "ui/prediction_panel.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QMouseEvent>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QToolButton>
#include <QUrl>
#include <QWheelEvent>
#include <QtTest>

using msup::ui::ImageView;
using msup::ui::PredictionPanel;
using DisplayMode = PredictionPanel::DisplayMode;
using ComparisonMode = PredictionPanel::ComparisonMode;

namespace {

QColor blend(const QColor& image, const QColor& label, double a)
{
    auto mix = [a](int s, int c) { return int((1 - a) * s + a * c + 0.5); };
    return QColor(
        mix(image.red(), label.red()), mix(image.green(), label.green()), mix(image.blue(), label.blue()));
}

// The class (or error code) most frequent in a label map.
int mostFrequent(const cv::Mat& labels)
{
    QVector<qint64> counts(256, 0);
    for (int y = 0; y < labels.rows; ++y)
        for (int x = 0; x < labels.cols; ++x)
            ++counts[labels.at<uchar>(y, x)];
    return int(std::max_element(counts.begin(), counts.end()) - counts.begin());
}

} // namespace

class TestPredictionUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void opacityChangesOverlayPixels_data();
    void opacityChangesOverlayPixels();
    void errorModeShowsTruePositivesFalsePositivesAndNegatives();
    void errorModeFromADatasetSample();
    void hiddenClassIsLeftUncoloured();
    void openedFolderIsPredictedAndSteppedThrough();
    void cancelStopsPredictingTheFolder();
    void droppedFolderAndCheckpointAreOpened();
    void sideBySideAndSwipeShowRunALeftAndRunBRight();
    void uncertaintyModeAndTiledInference();

private:
    // A panel showing `image` predicted with run A (and B when given).
    void predictWith(PredictionPanel& panel, const QString& image, const QString& compare = {});
    cv::Mat predictLabels(const QString& checkpoint, const cv::Mat& rgb) const;

    QTemporaryDir m_tmp;
    QString m_scenes; // dataset: NNNNNN.png + NNNNNN_mask.png
    QString m_folder; // 6 scene images, no labels
    QString m_bigFolder; // 24 scene images
    QString m_image; // one scene image
    QString m_runA; // 6-class scenes model
    QString m_runB; // binary glands model
};

void TestPredictionUi::initTestCase()
{
    msup::test::isolateSettings(QStringLiteral("tst_prediction_ui"));
    QVERIFY(m_tmp.isValid());

    m_scenes = msup::test::writeTinyDataset(
        m_tmp.filePath(QStringLiteral("scenes")), msup::SynthKind::Scenes, 8, 64, 7);
    m_image = m_scenes + QStringLiteral("/000002.png");

    const QString glands = msup::test::writeTinyDataset(
        m_tmp.filePath(QStringLiteral("glands")), msup::SynthKind::Glands, 8, 64, 7);
    const QString many = msup::test::writeTinyDataset(
        m_tmp.filePath(QStringLiteral("many")), msup::SynthKind::Scenes, 24, 64, 9);
    m_folder = m_tmp.filePath(QStringLiteral("folder"));
    m_bigFolder = m_tmp.filePath(QStringLiteral("big-folder"));
    QVERIFY(QDir().mkpath(m_folder));
    QVERIFY(QDir().mkpath(m_bigFolder));
    for (int i = 1; i <= 24; ++i) {
        const QString name = QStringLiteral("%1.png").arg(i, 6, 10, QLatin1Char('0'));
        QVERIFY(QFile::copy(many + QLatin1Char('/') + name, m_bigFolder + QLatin1Char('/') + name));
        if (i <= 6)
            QVERIFY(QFile::copy(many + QLatin1Char('/') + name, m_folder + QLatin1Char('/') + name));
    }

    auto train = [this](const QString& dataset, const QString& run) {
        msup::TrainConfig c = msup::test::tinyConfig(dataset, m_tmp.filePath(run), 2, 4);
        c.seed = 3;
        return msup::TrainingSession(c).run({}).bestCheckpoint;
    };
    m_runA = train(m_scenes, QStringLiteral("run-scenes"));
    m_runB = train(glands, QStringLiteral("run-glands"));
    QVERIFY(QFile::exists(m_runA));
    QVERIFY(QFile::exists(m_runB));
}

void TestPredictionUi::predictWith(PredictionPanel& panel, const QString& image, const QString& compare)
{
    QSignalSpy predicted(&panel, &PredictionPanel::predictionReady);
    panel.setCheckpoint(m_runA);
    if (!compare.isEmpty())
        panel.setCompareCheckpoint(compare);
    panel.setImagePath(image);
    // Earlier requests are dropped: wait for the prediction of this image with every checkpoint.
    QTRY_VERIFY_WITH_TIMEOUT(panel.hasPrediction() && !panel.isBusy()
            && (compare.isEmpty() || panel.hasComparePrediction()) && !predicted.isEmpty(),
        60000);
    QCOMPARE(predicted.last().first().toString(), image);
}

cv::Mat TestPredictionUi::predictLabels(const QString& checkpoint, const cv::Mat& rgb) const
{
    msup::Predictor predictor(checkpoint, QStringLiteral("cpu"));
    return predictor.predict(rgb);
}

void TestPredictionUi::opacityChangesOverlayPixels_data()
{
    QTest::addColumn<double>("opacity");
    QTest::newRow("image only") << 0.0;
    QTest::newRow("30 %") << 0.3;
    QTest::newRow("half") << 0.5;
    QTest::newRow("labels only") << 1.0;
}

void TestPredictionUi::opacityChangesOverlayPixels()
{
    QFETCH(double, opacity);
    PredictionPanel panel;
    predictWith(panel, m_image);
    QCOMPARE(panel.displayMode(), DisplayMode::Fill);
    const cv::Mat rgb = msup::loadImageRgb(m_image);
    const cv::Mat labels = predictLabels(m_runA, rgb);
    const msup::CheckpointInfo& info = panel.checkpointInfo();
    QCOMPARE(info.classNames.size(), 6); // multi-class: every class is painted, class 0 included

    auto* slider = panel.findChild<QSlider*>(QStringLiteral("predictionOpacitySlider"));
    QVERIFY(slider);
    slider->setValue(qRound(opacity * 100));
    QCOMPARE(panel.overlayOpacity(), opacity);
    const QImage overlay = panel.overlayImage();
    QCOMPARE(overlay.size(), QSize(64, 64));
    const QImage source = msup::rgbToQImage(rgb);
    for (const QPoint p : { QPoint(0, 0), QPoint(17, 40), QPoint(63, 63), QPoint(31, 5) }) {
        const QColor label = info.classColors[labels.at<uchar>(p.y(), p.x())];
        QCOMPARE(overlay.pixelColor(p), blend(source.pixelColor(p), label, opacity));
    }
    QCOMPARE(overlay.convertToFormat(QImage::Format_RGB888),
        msup::colorOverlay(
            rgb, labels, info.classColors, msup::overlayOptionsFor(6, info.ignoreIndex, opacity)));
    if (opacity == 0.0)
        QCOMPARE(
            overlay.convertToFormat(QImage::Format_RGB888), source.convertToFormat(QImage::Format_RGB888));
    // What the view shows is that overlay.
    QCOMPARE(panel.shownImage(), overlay);
}

// A known ground truth: the prediction itself on even pixels (x + y), the next class on odd ones.
void TestPredictionUi::errorModeShowsTruePositivesFalsePositivesAndNegatives()
{
    PredictionPanel panel;
    predictWith(panel, m_image);
    auto* errorsButton = panel.findChild<QToolButton*>(QStringLiteral("errorModeButton"));
    QVERIFY(errorsButton);
    // An opened file has no ground truth: error mode is refused, and the button says why.
    QVERIFY(!panel.hasGroundTruth());
    QVERIFY(!errorsButton->isEnabled());
    QVERIFY2(errorsButton->toolTip().contains(QStringLiteral("ground truth")),
        qPrintable(errorsButton->toolTip()));
    QVERIFY(!panel.setDisplayMode(DisplayMode::Errors));
    QCOMPARE(panel.displayMode(), DisplayMode::Fill);

    const cv::Mat rgb = msup::loadImageRgb(m_image);
    const cv::Mat pred = predictLabels(m_runA, rgb);
    const int classes = 6;
    cv::Mat truth = pred.clone();
    for (int y = 0; y < truth.rows; ++y)
        for (int x = 0; x < truth.cols; ++x)
            if ((x + y) % 2)
                truth.at<uchar>(y, x) = uchar((pred.at<uchar>(y, x) + 1) % classes);
    panel.setGroundTruth(truth);
    QVERIFY(panel.hasGroundTruth());
    QVERIFY(errorsButton->isEnabled());
    panel.setOverlayOpacity(1.0); // pixels take the error colours exactly
    QSignalSpy modeChanged(&panel, &PredictionPanel::displayModeChanged);
    errorsButton->click();
    QCOMPARE(panel.displayMode(), DisplayMode::Errors);
    QCOMPARE(modeChanged.size(), 1);
    const QVector<QColor> colors = msup::errorColors();

    // All classes of a multi-class task: agreeing pixels are true positives, the others wrong class.
    QCOMPARE(panel.focusClass(), -1);
    QImage overlay = panel.overlayImage();
    QCOMPARE(overlay.pixelColor(0, 0), colors[msup::ErrorTruePositive]);
    QCOMPARE(overlay.pixelColor(1, 0), colors[msup::ErrorWrongClass]);
    QCOMPARE(panel.errorCounts().truePositive, 64 * 32);
    QCOMPARE(panel.errorCounts().wrongClass, 64 * 32);
    QCOMPARE(panel.legendEntries().size(), 2); // right class, wrong class

    // Focus on the class predicted at (0, 0): (0, 0) is a true positive; the odd pixels the model
    // gave that class are false positives.
    const int focus = pred.at<uchar>(0, 0);
    panel.setFocusClass(focus);
    QCOMPARE(panel.legendEntries().size(), 3); // TP, FP, FN
    overlay = panel.overlayImage();
    const QImage source = msup::rgbToQImage(rgb);
    msup::ErrorCounts expectedCounts;
    const cv::Mat codes = msup::errorCodes(truth, pred, classes, focus, 255, &expectedCounts);
    QCOMPARE(panel.errorCounts().truePositive, expectedCounts.truePositive);
    QCOMPARE(panel.errorCounts().falsePositive, expectedCounts.falsePositive);
    QCOMPARE(panel.errorCounts().falseNegative, expectedCounts.falseNegative);
    QVERIFY(expectedCounts.truePositive > 0);
    QVERIFY(expectedCounts.falsePositive > 0);
    int seen[5] = { 0, 0, 0, 0, 0 };
    for (int y = 0; y < codes.rows; ++y)
        for (int x = 0; x < codes.cols; ++x) {
            const int code = codes.at<uchar>(y, x);
            const QColor expected = code == msup::ErrorNone ? source.pixelColor(x, y) : colors[code];
            if (overlay.pixelColor(x, y) != expected)
                QFAIL(qPrintable(QStringLiteral("pixel (%1, %2), code %3").arg(x).arg(y).arg(code)));
            ++seen[code];
        }
    QVERIFY(seen[msup::ErrorTruePositive] > 0 && seen[msup::ErrorFalsePositive] > 0);

    // Focus on the next class: the odd pixels where the model predicted `focus` are false negatives.
    const int next = (focus + 1) % classes;
    panel.setFocusClass(next);
    overlay = panel.overlayImage();
    QVERIFY(panel.errorCounts().falseNegative > 0);
    for (int y = 0, checked = 0; y < pred.rows && !checked; ++y)
        for (int x = 0; x < pred.cols && !checked; ++x)
            if ((x + y) % 2 && pred.at<uchar>(y, x) == focus) {
                QCOMPARE(overlay.pixelColor(x, y), colors[msup::ErrorFalseNegative]);
                checked = 1;
            }
    QCOMPARE(overlay.convertToFormat(QImage::Format_RGB888),
        msup::errorOverlay(rgb, msup::errorCodes(truth, pred, classes, next), 1.0));

    // Hiding an error kind in the legend leaves its pixels unpainted.
    panel.setErrorHidden(msup::ErrorFalseNegative, true);
    overlay = panel.overlayImage();
    const cv::Mat nextCodes = msup::errorCodes(truth, pred, classes, next);
    for (int y = 0; y < nextCodes.rows; ++y)
        for (int x = 0; x < nextCodes.cols; ++x)
            if (nextCodes.at<uchar>(y, x) == msup::ErrorFalseNegative)
                QCOMPARE(overlay.pixelColor(x, y), source.pixelColor(x, y));

    // Another opened image: the ground truth is forgotten and the panel falls back to fill.
    panel.setImagePath(m_scenes + QStringLiteral("/000003.png"));
    QVERIFY(!panel.hasGroundTruth());
    QCOMPARE(panel.displayMode(), DisplayMode::Fill);
    QVERIFY(!errorsButton->isEnabled());
}

// A dataset sample brings its own ground truth (read in the background), and error mode comes back.
void TestPredictionUi::errorModeFromADatasetSample()
{
    const msup::Dataset dataset = msup::openDataset(m_scenes);
    QCOMPARE(dataset.samples.size(), 8);
    PredictionPanel panel; // error mode is remembered from the previous test
    QSignalSpy predicted(&panel, &PredictionPanel::predictionReady);
    panel.setCheckpoint(m_runA);
    panel.setDatasetSample(dataset, 4);
    QTRY_VERIFY_WITH_TIMEOUT(panel.hasGroundTruth() && panel.hasPrediction() && !panel.isBusy(), 60000);
    QCOMPARE(panel.imagePath(), dataset.samples[4].imagePath);
    QCOMPARE(panel.displayMode(), DisplayMode::Errors);
    panel.setFocusClass(-1);
    const msup::Sample& sample = dataset.samples[4];
    const cv::Mat rgb = msup::loadSampleImage(dataset, sample);
    const cv::Mat truth = msup::loadLabels(dataset, sample);
    const cv::Mat pred = predictLabels(m_runA, rgb);
    QCOMPARE(panel.overlayImage().convertToFormat(QImage::Format_RGB888),
        msup::errorOverlay(
            rgb, msup::errorCodes(truth, pred, 6, -1, dataset.ignoreIndex), panel.overlayOpacity()));
    QVERIFY(panel.setDisplayMode(DisplayMode::Fill));
}

void TestPredictionUi::hiddenClassIsLeftUncoloured()
{
    PredictionPanel panel;
    predictWith(panel, m_image);
    QVERIFY(panel.setDisplayMode(DisplayMode::Fill));
    panel.setOverlayOpacity(0.6);
    const cv::Mat rgb = msup::loadImageRgb(m_image);
    const cv::Mat labels = predictLabels(m_runA, rgb);
    const QImage source = msup::rgbToQImage(rgb);
    const msup::CheckpointInfo& info = panel.checkpointInfo();
    const int hidden = mostFrequent(labels);

    // Untick the class in the legend (one row per class, in class order).
    auto* legend = panel.findChild<QListWidget*>(QStringLiteral("predictionLegend"));
    QVERIFY(legend);
    QCOMPARE(legend->count(), 6);
    QVERIFY(legend->item(hidden)->text().startsWith(info.classNames[hidden]));
    QCOMPARE(legend->item(hidden)->checkState(), Qt::Checked);
    legend->item(hidden)->setCheckState(Qt::Unchecked);
    QVERIFY(panel.isClassHidden(hidden));

    const QImage overlay = panel.overlayImage();
    int uncoloured = 0, coloured = 0;
    for (int y = 0; y < labels.rows; ++y)
        for (int x = 0; x < labels.cols; ++x) {
            const int c = labels.at<uchar>(y, x);
            if (c == hidden) {
                QCOMPARE(overlay.pixelColor(x, y), source.pixelColor(x, y));
                ++uncoloured;
            } else {
                QCOMPARE(overlay.pixelColor(x, y), blend(source.pixelColor(x, y), info.classColors[c], 0.6));
                ++coloured;
            }
        }
    QVERIFY(uncoloured > 0);
    QCOMPARE(uncoloured + coloured, 64 * 64);

    // Shown again: painted like the others.
    panel.setClassHidden(hidden, false);
    QCOMPARE(panel.overlayImage().convertToFormat(QImage::Format_RGB888),
        msup::colorOverlay(rgb, labels, info.classColors, msup::overlayOptionsFor(6, info.ignoreIndex, 0.6)));
}

void TestPredictionUi::openedFolderIsPredictedAndSteppedThrough()
{
    PredictionPanel panel;
    panel.setCheckpoint(m_runA);
    QSignalSpy progress(&panel, &PredictionPanel::batchProgress);
    QSignalSpy finished(&panel, &PredictionPanel::batchFinished);
    QSignalSpy predicted(&panel, &PredictionPanel::predictionReady);
    panel.openImages({ m_folder });
    QCOMPARE(panel.openedImages().size(), 6);
    QVERIFY(panel.isPredictingAll());
    QCOMPARE(panel.currentImageIndex(), 0);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(0).toInt(), 6);
    QCOMPARE(finished.first().at(1).toInt(), 6);
    QCOMPARE(finished.first().at(2).toBool(), false);
    QVERIFY(!panel.isPredictingAll());
    QCOMPARE(progress.last().at(0).toInt(), 6);
    QCOMPARE(progress.last().at(1).toInt(), 6);
    for (const QString& image : panel.openedImages())
        QVERIFY2(panel.hasPredictionFor(image), qPrintable(image));

    // Stepping through the list (PgDn) shows each image's prediction.
    QTRY_VERIFY_WITH_TIMEOUT(!predicted.isEmpty() && !panel.isBusy(), 60000);
    panel.show();
    panel.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&panel));
    auto* list = panel.findChild<QListWidget*>(QStringLiteral("predictionImageList"));
    QVERIFY(list);
    list->setFocus();
    predicted.clear();
    QTest::keyClick(list, Qt::Key_PageDown);
    QCOMPARE(panel.currentImageIndex(), 1);
    QVERIFY(predicted.wait(60000));
    QCOMPARE(predicted.last().first().toString(), panel.openedImages().at(1));
    const cv::Mat rgb = msup::loadImageRgb(panel.openedImages().at(1));
    const msup::CheckpointInfo& info = panel.checkpointInfo();
    QCOMPARE(panel.overlayImage().convertToFormat(QImage::Format_RGB888),
        msup::colorOverlay(rgb, predictLabels(m_runA, rgb), info.classColors,
            msup::overlayOptionsFor(6, info.ignoreIndex, panel.overlayOpacity())));

    // O draws the class boundaries only, F fills again (keys of the focused panel).
    QTest::keyClick(list, Qt::Key_O);
    QCOMPARE(panel.displayMode(), DisplayMode::Outline);
    msup::OverlayOptions outline = msup::overlayOptionsFor(6, info.ignoreIndex, panel.overlayOpacity());
    outline.outlineThickness = 2;
    QCOMPARE(panel.overlayImage().convertToFormat(QImage::Format_RGB888),
        msup::colorOverlay(rgb, predictLabels(m_runA, rgb), info.classColors, outline));
    QTest::keyClick(list, Qt::Key_F);
    QCOMPARE(panel.displayMode(), DisplayMode::Fill);
    QCOMPARE(QSettings().value(QStringLiteral("prediction/displayMode")).toString(), QStringLiteral("fill"));

    panel.previousImage();
    QCOMPARE(panel.currentImageIndex(), 0);
    QCOMPARE(panel.imagePath(), panel.openedImages().at(0));
}

void TestPredictionUi::cancelStopsPredictingTheFolder()
{
    PredictionPanel panel;
    panel.setCheckpoint(m_runB);
    QSignalSpy finished(&panel, &PredictionPanel::batchFinished);
    panel.openImages({ m_bigFolder });
    QCOMPARE(panel.openedImages().size(), 24);
    QVERIFY(panel.isPredictingAll());
    panel.cancelPredictAll();
    QVERIFY(finished.wait(60000));
    const int done = finished.first().at(0).toInt();
    QCOMPARE(finished.first().at(1).toInt(), 24);
    QCOMPARE(finished.first().at(2).toBool(), true);
    QVERIFY2(done < 24, qPrintable(QString::number(done)));
    QVERIFY(!panel.isPredictingAll());
    QVERIFY(!panel.hasPredictionFor(panel.openedImages().last()));
}

// Dropping a folder and a checkpoint on the panel: the checkpoint becomes run A and the folder's
// images are opened and predicted with it.
void TestPredictionUi::droppedFolderAndCheckpointAreOpened()
{
    PredictionPanel panel;
    QSignalSpy finished(&panel, &PredictionPanel::batchFinished);
    QMimeData data;
    data.setUrls({ QUrl::fromLocalFile(m_folder), QUrl::fromLocalFile(m_runB) });
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&panel, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&panel, &drop);
    QCOMPARE(panel.checkpointPath(), m_runB);
    QCOMPARE(panel.openedImages().size(), 6);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(0).toInt(), 6);
    QVERIFY(panel.hasPredictionFor(panel.openedImages().at(5)));
}

void TestPredictionUi::sideBySideAndSwipeShowRunALeftAndRunBRight()
{
    PredictionPanel panel;
    panel.resize(1000, 700);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    predictWith(panel, m_image, m_runB);
    QVERIFY(panel.setDisplayMode(DisplayMode::Fill));
    panel.setOverlayOpacity(0.5);
    QCOMPARE(panel.compareCheckpointInfo().classNames.size(), 2);

    const cv::Mat rgb = msup::loadImageRgb(m_image);
    const msup::CheckpointInfo& infoA = panel.checkpointInfo();
    const msup::CheckpointInfo& infoB = panel.compareCheckpointInfo();
    const QImage a = msup::colorOverlay(rgb, predictLabels(m_runA, rgb), infoA.classColors,
        msup::overlayOptionsFor(6, infoA.ignoreIndex, 0.5));
    const QImage b = msup::colorOverlay(rgb, predictLabels(m_runB, rgb), infoB.classColors,
        msup::overlayOptionsFor(2, infoB.ignoreIndex, 0.5));
    // The runs differ in both halves (else the checks below would prove nothing).
    QVERIFY(a.copy(0, 0, 32, 64) != b.copy(0, 0, 32, 64));
    QVERIFY(a.copy(32, 0, 32, 64) != b.copy(32, 0, 32, 64));
    QCOMPARE(panel.overlayImage().convertToFormat(QImage::Format_RGB888), a);
    QCOMPARE(panel.compareOverlayImage().convertToFormat(QImage::Format_RGB888), b);

    auto* viewA = panel.findChild<ImageView*>(QStringLiteral("predictionView"));
    auto* viewB = panel.findChild<ImageView*>(QStringLiteral("predictionCompareView"));
    QVERIFY(viewA && viewB);

    // Side by side: A in the left view, B in the right one, each labelled with its run.
    panel.setComparisonMode(ComparisonMode::SideBySide);
    QVERIFY(viewB->isVisible());
    QCOMPARE(viewA->image().convertToFormat(QImage::Format_RGB888), a);
    QCOMPARE(viewB->image().convertToFormat(QImage::Format_RGB888), b);
    QVERIFY(viewA->leftCaption().contains(QStringLiteral("run-scenes")));
    QVERIFY(viewB->leftCaption().contains(QStringLiteral("run-glands")));
    const QImage both = panel.shownImage().convertToFormat(QImage::Format_RGB888);
    QCOMPARE(both.size(), QSize(128, 64));
    QCOMPARE(both.copy(0, 0, 64, 64), a);
    QCOMPARE(both.copy(64, 0, 64, 64), b);
    // Zooming one view zooms the other at the same place.
    const QPointF at = viewA->imageRect().center() + QPointF(20, 10);
    QWheelEvent wheel(at, viewA->mapToGlobal(at), QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
        Qt::NoScrollPhase, false);
    QApplication::sendEvent(viewA, &wheel);
    QVERIFY(viewA->zoom() > 1.0);
    QCOMPARE(viewB->zoom(), viewA->zoom());
    QCOMPARE(viewB->center(), viewA->center());

    // Swipe: one view, A left of the divider, B right of it.
    panel.setComparisonMode(ComparisonMode::Swipe);
    QVERIFY(!viewB->isVisible());
    QVERIFY(viewA->isSwiping());
    QVERIFY(viewA->leftCaption().contains(QStringLiteral("run-scenes")));
    QVERIFY(viewA->rightCaption().contains(QStringLiteral("run-glands")));
    panel.setSwipePosition(0.5);
    QImage swipe = panel.shownImage().convertToFormat(QImage::Format_RGB888);
    QCOMPARE(swipe.size(), QSize(64, 64));
    QCOMPARE(swipe.copy(0, 0, 32, 64), a.copy(0, 0, 32, 64));
    QCOMPARE(swipe.copy(32, 0, 32, 64), b.copy(32, 0, 32, 64));
    // Dragging the divider to a quarter of the image: 16 columns of A, then B.
    QTest::mouseDClick(viewA, Qt::LeftButton); // fit again (the wheel zoomed in)
    QCOMPARE(viewA->zoom(), 1.0);
    panel.setSwipePosition(0.5);
    const QRectF area = viewA->imageRect();
    const QPoint grip(qRound(area.left() + area.width() / 2), qRound(area.center().y()));
    const QPoint quarter(qRound(area.left() + area.width() / 4), grip.y());
    QTest::mousePress(viewA, Qt::LeftButton, Qt::NoModifier, grip);
    QMouseEvent move(QEvent::MouseMove, QPointF(quarter), viewA->mapToGlobal(QPointF(quarter)), Qt::NoButton,
        Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(viewA, &move);
    QTest::mouseRelease(viewA, Qt::LeftButton, Qt::NoModifier, quarter);
    QVERIFY2(
        std::abs(panel.swipePosition() - 0.25) < 0.02, qPrintable(QString::number(panel.swipePosition())));
    swipe = panel.shownImage().convertToFormat(QImage::Format_RGB888);
    const int column = viewA->swipeColumn();
    QCOMPARE(swipe.copy(0, 0, column, 64), a.copy(0, 0, column, 64));
    QCOMPARE(swipe.copy(column, 0, 64 - column, 64), b.copy(column, 0, 64 - column, 64));

    // Single: run A only.
    panel.setComparisonMode(ComparisonMode::Single);
    QVERIFY(!viewA->isSwiping());
    QCOMPARE(panel.shownImage().convertToFormat(QImage::Format_RGB888), a);
}

void TestPredictionUi::uncertaintyModeAndTiledInference()
{
    QSettings().remove(QStringLiteral("prediction"));
    PredictionPanel panel;
    predictWith(panel, m_image);
    const cv::Mat rgb = msup::loadImageRgb(m_image);
    msup::Predictor predictor(m_runA, QStringLiteral("cpu"));
    // The heat map of the uncertainty (kept as 8-bit levels) blended over the image.
    auto expectedOverlay = [&](const msup::InferenceOptions& inference) {
        const msup::PredictionMaps maps = predictor.run(rgb, inference, msup::kUncertainty);
        cv::Mat level, unit;
        maps.uncertainty.convertTo(level, CV_8UC1, 255.0);
        level.convertTo(unit, CV_32FC1, 1.0 / 255);
        return msup::uncertaintyOverlay(rgb, unit, panel.overlayOpacity())
            .convertToFormat(QImage::Format_RGB888);
    };
    auto* button = panel.findChild<QToolButton*>(QStringLiteral("uncertaintyModeButton"));
    QVERIFY(button && button->isEnabled());
    button->click();
    QCOMPARE(panel.displayMode(), DisplayMode::Uncertainty);
    QCOMPARE(panel.overlayImage().convertToFormat(QImage::Format_RGB888), expectedOverlay({}));
    bool meanShown = false;
    for (const QLabel* label : panel.findChildren<QLabel*>())
        meanShown = meanShown || label->text().startsWith(QLatin1String("Uncertainty of run"));
    QVERIFY(meanShown);

    // Tiles at native resolution with flip TTA: chosen in the panel, the image is predicted again.
    auto* mode = panel.findChild<QComboBox*>(QStringLiteral("inferenceModeCombo"));
    auto* tta = panel.findChild<QCheckBox*>(QStringLiteral("inferenceTtaCheck"));
    auto* scale = panel.findChild<QDoubleSpinBox*>(QStringLiteral("inferenceScaleSpin"));
    QVERIFY(mode && tta && scale);
    QVERIFY(!scale->isEnabled()); // resize: no scale
    QSignalSpy predicted(&panel, &PredictionPanel::predictionReady);
    mode->setCurrentIndex(mode->findData(int(msup::InferenceOptions::Mode::Tiles)));
    QVERIFY(scale->isEnabled());
    tta->setChecked(true);
    msup::InferenceOptions tiles;
    tiles.mode = msup::InferenceOptions::Mode::Tiles;
    tiles.flipTta = true;
    const cv::Mat tiledLabels = predictor.run(rgb, tiles).labels;
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy() && !predicted.isEmpty()
            && cv::countNonZero(panel.predictedLabels() != tiledLabels) == 0,
        60000);
    QCOMPARE(panel.overlayImage().convertToFormat(QImage::Format_RGB888), expectedOverlay(tiles));
    // Remembered: a new panel starts with tiles and TTA.
    PredictionPanel again;
    QCOMPARE(again.findChild<QComboBox*>(QStringLiteral("inferenceModeCombo"))->currentData().toInt(),
        int(msup::InferenceOptions::Mode::Tiles));
    QVERIFY(again.findChild<QCheckBox*>(QStringLiteral("inferenceTtaCheck"))->isChecked());
    QSettings().remove(QStringLiteral("prediction"));
}

QTEST_MAIN(TestPredictionUi)
#include "tst_prediction_ui.moc"
