// Widget tests of the Masks view (MaskPanel) and the Robustness panel (run with
// QT_QPA_PLATFORM=offscreen).
#include "core/data/image_io.h"
#include "core/data/synth.h"
#include "core/masks/hole_generator.h"
#include "core/masks/mask_set.h"
#include "core/train/training_session.h"
#include "tests/support/files.h"
#include "tests/support/fixtures.h"
#include "ui/mask_panel.h"
#include "ui/robustness_panel.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using msup::ui::MaskPanel;
using msup::ui::RobustnessPanel;

namespace {

// A 100 × 100 mask whose first `holes` pixels (row by row) are white.
QImage maskWithHoles(int holes)
{
    QImage mask(100, 100, QImage::Format_Grayscale8);
    mask.fill(0);
    for (int i = 0; i < holes; ++i)
        mask.setPixel(i % 100, i / 100, qRgb(255, 255, 255));
    return mask;
}

QImage testImage(int size)
{
    QImage image(size, size, QImage::Format_RGB888);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x)
            image.setPixel(x, y, qRgb(40 + x % 200, 90, 200 - y % 150));
    return image;
}

int thumbnailsShown(const MaskPanel& panel)
{
    int shown = 0;
    for (int i = 0; i < MaskPanel::kStripCount; ++i) {
        const auto* thumb = panel.findChild<QLabel*>(QStringLiteral("maskThumb%1").arg(i));
        if (thumb && !thumb->pixmap().isNull())
            ++shown;
    }
    return shown;
}

} // namespace

class TestMasksUi : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // MaskPanel
    void lowPresetGivesALowHoleRatio();
    void intervalSpinBoxesFollowTheRatio();
    void stripHoldsSixteenMasks();
    void histogramLiesInTheInterval_data();
    void histogramLiesInTheInterval();
    void maskFolderReportsKeptAndSkipped();
    void maskFolderPreviewIsTheMaskSetMask();
    void emptyMaskFolderShowsError();
    void missingMaskFolderShowsError();

    // RobustnessPanel
    void robustnessCurveOfACheckpoint();
    void checkpointFillsTheDatasetFromItsRun();
    void badRatiosDoNotStart();
    void missingCheckpointIsNamed();
    void brokenCheckpointIsNamed();
    void datasetWithOtherClassesIsReported();
    void robustnessCanBeCancelled();
    void robustnessNamesSkippedPairs();
    void shortcutRunsTheEvaluation();

private:
    QTemporaryDir m_tmp;
    QString m_glandsDir;
    QString m_scenesDir;
    QString m_maskDir;
    QString m_checkpoint;
    QString m_runDir;
};

void TestMasksUi::initTestCase()
{
    msup::test::isolateSettings(QStringLiteral("tst_masks_ui"));
    QVERIFY(m_tmp.isValid());

    m_glandsDir = msup::test::writeTinyDataset(
        m_tmp.filePath(QStringLiteral("glands")), msup::SynthKind::Glands, 6, 32, 4);
    m_scenesDir = msup::test::writeTinyDataset(
        m_tmp.filePath(QStringLiteral("scenes")), msup::SynthKind::Scenes, 4, 32, 4);

    // Masks with known hole ratios, an undecodable file and a file that is not an image.
    m_maskDir = m_tmp.filePath(QStringLiteral("masks"));
    QVERIFY(QDir().mkpath(m_maskDir));
    const int holes[] = { 500, 2500, 5500, 5800 }; // 0.05, 0.25, 0.55, 0.58
    for (int i = 0; i < 4; ++i)
        QVERIFY(maskWithHoles(holes[i]).save(QDir(m_maskDir).filePath(QStringLiteral("mask_%1.png").arg(i))));
    QVERIFY(msup::test::writeAll(
        QDir(m_maskDir).filePath(QStringLiteral("broken.png")), "this is not a PNG file"));
    QVERIFY(msup::test::writeAll(QDir(m_maskDir).filePath(QStringLiteral("notes.txt")), "ignored"));

    // A tiny checkpoint to evaluate.
    msup::TrainingSession session(
        msup::test::tinyConfig(m_glandsDir, m_tmp.filePath(QStringLiteral("runs"))));
    const msup::TrainResult result = session.run({});
    m_checkpoint = result.bestCheckpoint;
    m_runDir = result.runDir;
    QVERIFY2(QFileInfo(m_checkpoint).isFile(), qPrintable(m_checkpoint));
}

// --- MaskPanel ---------------------------------------------------------------------------------

void TestMasksUi::lowPresetGivesALowHoleRatio()
{
    MaskPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setImage(testImage(96));
    QTRY_VERIFY_WITH_TIMEOUT(panel.measuredHoleRatio() >= 0, 30000);
    QVERIFY2(panel.measuredHoleRatio() > 0.5 && panel.measuredHoleRatio() <= 0.6,
        qPrintable(QString::number(panel.measuredHoleRatio()))); // "high" by default

    QSignalSpy updated(&panel, &MaskPanel::previewUpdated);
    panel.setRatioText(QStringLiteral("low"));
    QVERIFY(panel.ratioError().isEmpty());
    QCOMPARE(panel.ratioLow(), 0.01);
    QCOMPARE(panel.ratioHigh(), 0.1);
    QVERIFY(updated.wait(30000));
    QVERIFY2(panel.measuredHoleRatio() > 0.01 && panel.measuredHoleRatio() <= 0.1,
        qPrintable(QString::number(panel.measuredHoleRatio())));
    // The mask shown has that ratio.
    const QImage mask = panel.maskImage();
    QCOMPARE(mask.size(), QSize(96, 96));
    int holes = 0;
    for (int y = 0; y < mask.height(); ++y)
        for (int x = 0; x < mask.width(); ++x)
            holes += qGray(mask.pixel(x, y)) != 0 ? 1 : 0;
    QCOMPARE(holes / double(96 * 96), panel.measuredHoleRatio());
}

void TestMasksUi::intervalSpinBoxesFollowTheRatio()
{
    MaskPanel panel;
    auto* lo = panel.findChild<QDoubleSpinBox*>(QStringLiteral("maskRatioLowSpin"));
    auto* hi = panel.findChild<QDoubleSpinBox*>(QStringLiteral("maskRatioHighSpin"));
    QVERIFY(lo && hi);
    QCOMPARE(lo->value(), 0.5);
    QCOMPARE(hi->value(), 0.6);
    panel.setRatioText(QStringLiteral("low"));
    QCOMPARE(lo->value(), 0.01);
    QCOMPARE(hi->value(), 0.1);

    // Editing the spin boxes edits the interval.
    hi->setValue(0.35);
    lo->setValue(0.25);
    QCOMPARE(panel.ratioText(), QStringLiteral("0.25-0.35"));
    QCOMPARE(panel.ratioLow(), 0.25);
    QCOMPARE(panel.ratioHigh(), 0.35);
    QVERIFY(panel.ratioError().isEmpty());

    // An empty interval is an error shown in the panel; the last valid interval stays.
    lo->setValue(0.5);
    QVERIFY(!panel.ratioError().isEmpty());
    QCOMPARE(panel.ratioLow(), 0.25);
    panel.setRatioText(QStringLiteral("high"));
    QVERIFY(panel.ratioError().isEmpty());
    QCOMPARE(lo->value(), 0.5);
    QCOMPARE(hi->value(), 0.6);

    // The interval sliders (percent) follow, and dragging them edits the interval.
    auto* loSlider = panel.findChild<QSlider*>(QStringLiteral("maskRatioLowSlider"));
    auto* hiSlider = panel.findChild<QSlider*>(QStringLiteral("maskRatioHighSlider"));
    QVERIFY(loSlider && hiSlider);
    QCOMPARE(loSlider->value(), 50);
    QCOMPARE(hiSlider->value(), 60);
    hiSlider->setValue(40);
    loSlider->setValue(30);
    QCOMPARE(panel.ratioText(), QStringLiteral("0.3-0.4"));
    QCOMPARE(panel.ratioHigh(), 0.4);
}

void TestMasksUi::stripHoldsSixteenMasks()
{
    MaskPanel panel;
    panel.setRatioText(QStringLiteral("0.2-0.3"));
    // Nothing is computed while hidden.
    QTest::qWait(50);
    QVERIFY(panel.stripMasks().isEmpty());
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QTRY_COMPARE_WITH_TIMEOUT(panel.stripMasks().size(), MaskPanel::kStripCount, 30000);
    QCOMPARE(thumbnailsShown(panel), MaskPanel::kStripCount);
    QVector<QImage> first = panel.stripMasks();
    for (const QImage& mask : first) {
        QCOMPARE(mask.size(), QSize(MaskPanel::kSampleSize, MaskPanel::kSampleSize));
        const cv::Mat m = msup::qImageToGray8(mask);
        const double r = msup::holeRatio(m);
        QVERIFY2(r > 0.2 && r <= 0.3, qPrintable(QString::number(r)));
    }
    // Sixteen different masks.
    for (int i = 1; i < first.size(); ++i)
        QVERIFY(first[i] != first[0]);

    // The seed field drives them: reroll gives a new strip, the old seed the old one again.
    const int seed = panel.seed();
    panel.reroll();
    QTRY_COMPARE_WITH_TIMEOUT(panel.stripMasks().size(), MaskPanel::kStripCount, 30000);
    QVERIFY(panel.stripMasks()[0] != first[0]);
    panel.setSeed(seed);
    QTRY_COMPARE_WITH_TIMEOUT(panel.stripMasks().size(), MaskPanel::kStripCount, 30000);
    QVERIFY(panel.stripMasks() == first);
}

void TestMasksUi::histogramLiesInTheInterval_data()
{
    QTest::addColumn<QString>("ratio");
    QTest::newRow("low") << QStringLiteral("low");
    QTest::newRow("0.3-0.45") << QStringLiteral("0.3-0.45");
    QTest::newRow("high") << QStringLiteral("high");
}

void TestMasksUi::histogramLiesInTheInterval()
{
    QFETCH(QString, ratio);
    MaskPanel panel;
    panel.setSeed(1);
    panel.setRatioText(ratio);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const double lo = panel.ratioLow(), hi = panel.ratioHigh();
    QTRY_COMPARE_WITH_TIMEOUT(panel.histogramRatios().size(), MaskPanel::kHistogramSamples, 60000);
    const QVector<double> ratios = panel.histogramRatios();
    for (double r : ratios)
        QVERIFY2(r > lo && r <= hi,
            qPrintable(QStringLiteral("%1 outside (%2, %3]").arg(r, 0, 'f', 6).arg(lo).arg(hi)));
    // They spread over the interval (targets are drawn uniformly in it).
    const auto [minIt, maxIt] = std::minmax_element(ratios.begin(), ratios.end());
    QVERIFY(*minIt < lo + 0.25 * (hi - lo));
    QVERIFY(*maxIt > hi - 0.25 * (hi - lo));
    // The bars cover the interval and count every mask.
    const QVector<int> counts = panel.histogramCounts();
    QCOMPARE(counts.size(), 20);
    int total = 0;
    for (int c : counts)
        total += c;
    QCOMPARE(total, MaskPanel::kHistogramSamples);
}

void TestMasksUi::maskFolderReportsKeptAndSkipped()
{
    MaskPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setRatioText(QStringLiteral("high"));
    QSignalSpy loaded(&panel, &MaskPanel::maskFolderLoaded);
    panel.setMaskFolder(m_maskDir);
    QCOMPARE(panel.source(), MaskPanel::Source::Folder);
    QVERIFY(loaded.wait(30000));
    QVERIFY2(panel.maskSourceError().isEmpty(), qPrintable(panel.maskSourceError()));
    QCOMPARE(panel.maskFolderScanned(), 5); // 4 masks and broken.png; notes.txt is no image
    QCOMPARE(panel.maskFolderKept(), 2); // 0.55 and 0.58
    QCOMPARE(panel.maskFolderSkipped().size(), 1);
    QVERIFY(panel.maskFolderSkipped().first().contains(QStringLiteral("broken.png")));
    auto* status = panel.findChild<QLabel*>(QStringLiteral("maskSourceStatusLabel"));
    QVERIFY(status);
    QVERIFY2(status->text().contains(QStringLiteral("2 of 5 masks")), qPrintable(status->text()));
    QVERIFY2(status->text().contains(QStringLiteral("skipped")), qPrintable(status->text()));

    // The histogram of a folder: the ratios of the files in the interval.
    QTRY_COMPARE_WITH_TIMEOUT(panel.histogramRatios().size(), MaskPanel::kHistogramSamples, 30000);
    for (double r : panel.histogramRatios())
        QVERIFY2(qFuzzyCompare(r, 0.55) || qFuzzyCompare(r, 0.58), qPrintable(QString::number(r)));
    QTRY_COMPARE_WITH_TIMEOUT(panel.stripMasks().size(), MaskPanel::kStripCount, 30000);

    // Another interval: filtered again without reading the folder again.
    panel.setRatioText(QStringLiteral("low"));
    QCOMPARE(panel.maskFolderKept(), 1);
    QVERIFY2(status->text().contains(QStringLiteral("1 of 5 masks")), qPrintable(status->text()));

    // An interval without masks: an error naming the folder, no masks.
    panel.setRatioText(QStringLiteral("0.8-0.9"));
    QCOMPARE(panel.maskFolderKept(), 0);
    QVERIFY(
        panel.maskSourceError().contains(QDir::toNativeSeparators(QFileInfo(m_maskDir).absoluteFilePath())));
    QVERIFY(panel.stripMasks().isEmpty());
    QCOMPARE(thumbnailsShown(panel), 0);

    // Back to the generator.
    panel.useGenerator();
    QCOMPARE(panel.source(), MaskPanel::Source::Generator);
    QVERIFY(panel.maskSourceError().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(panel.stripMasks().size(), MaskPanel::kStripCount, 30000);
}

void TestMasksUi::maskFolderPreviewIsTheMaskSetMask()
{
    MaskPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setImage(testImage(64));
    panel.setRatioText(QStringLiteral("0.2-0.6"));
    QSignalSpy loaded(&panel, &MaskPanel::maskFolderLoaded);
    panel.setMaskFolder(m_maskDir);
    QVERIFY(loaded.wait(30000));
    QCOMPARE(panel.maskFolderKept(), 3);
    const msup::MaskSet set = msup::MaskSet::load(m_maskDir, msup::HoleRatioRange { 0.2, 0.6 });
    QCOMPARE(int(set.entries().size()), 3);
    for (int seed : { 3, 4, 5, 6 }) {
        panel.setSeed(seed);
        const QImage expected = msup::gray8ToQImage(set.generate(64, 64, std::uint64_t(seed)));
        QTRY_VERIFY_WITH_TIMEOUT(panel.maskImage() == expected, 30000);
        QCOMPARE(panel.measuredHoleRatio(), msup::holeRatio(set.generate(64, 64, std::uint64_t(seed))));
    }
}

void TestMasksUi::emptyMaskFolderShowsError()
{
    const QString empty = m_tmp.filePath(QStringLiteral("no masks here"));
    QVERIFY(QDir().mkpath(empty));
    MaskPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy failed(&panel, &MaskPanel::maskFolderFailed);
    panel.setMaskFolder(empty);
    QVERIFY(failed.wait(30000));
    const QString shown = QDir::toNativeSeparators(QFileInfo(empty).absoluteFilePath());
    QVERIFY2(panel.maskSourceError().contains(shown), qPrintable(panel.maskSourceError()));
    auto* errorLabel = panel.findChild<QLabel*>(QStringLiteral("maskSourceErrorLabel"));
    QVERIFY(errorLabel);
    QVERIFY(errorLabel->isVisible());
    QVERIFY(errorLabel->text().contains(shown));
    // The panel falls back to the generator and keeps working.
    QCOMPARE(panel.source(), MaskPanel::Source::Generator);
    QTRY_COMPARE_WITH_TIMEOUT(panel.stripMasks().size(), MaskPanel::kStripCount, 30000);
}

void TestMasksUi::missingMaskFolderShowsError()
{
    const QString missing = m_tmp.filePath(QStringLiteral("does-not-exist"));
    MaskPanel panel;
    QSignalSpy failed(&panel, &MaskPanel::maskFolderFailed);
    panel.setMaskFolder(missing);
    QVERIFY(failed.wait(30000));
    QVERIFY2(panel.maskSourceError().contains(QStringLiteral("does-not-exist")),
        qPrintable(panel.maskSourceError()));
    QVERIFY(!panel.isLoadingMaskFolder());
}

// --- RobustnessPanel ---------------------------------------------------------------------------

void TestMasksUi::robustnessNamesSkippedPairs()
{
    // A copy of the dataset with one image that cannot be decoded: the curve uses the others and the
    // panel names the file left out.
    const QString copy = m_tmp.filePath(QStringLiteral("glands-one-broken"));
    QVERIFY(
        QDir().mkpath(copy + QStringLiteral("/images")) && QDir().mkpath(copy + QStringLiteral("/masks")));
    for (const QString& sub : { QStringLiteral("images"), QStringLiteral("masks") })
        for (const QString& name : QDir(m_glandsDir + QLatin1Char('/') + sub).entryList(QDir::Files))
            QVERIFY(QFile::copy(m_glandsDir + QLatin1Char('/') + sub + QLatin1Char('/') + name,
                copy + QLatin1Char('/') + sub + QLatin1Char('/') + name));
    const QStringList images = QDir(copy + QStringLiteral("/images")).entryList(QDir::Files, QDir::Name);
    QVERIFY(!images.isEmpty());
    const QString broken = copy + QStringLiteral("/images/") + images.first();
    QVERIFY(QFile::remove(broken));
    QVERIFY(msup::test::writeAll(broken, "not an image"));

    RobustnessPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setCheckpoints({ m_checkpoint });
    panel.setDatasetPath(copy);
    panel.setSplit(QStringLiteral("all"));
    panel.setRatiosText(QStringLiteral("0,0.3"));
    QSignalSpy finished(&panel, &RobustnessPanel::finished);
    panel.run();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
    QCOMPARE(panel.resultCount(), 1);
    QCOMPARE(panel.runResult(0).result.images, int(images.size()) - 1);
    bool named = false;
    for (const QLabel* label : panel.findChildren<QLabel*>())
        named = named
            || (label->text().contains(QLatin1String("could not be decoded and were left out"))
                && label->text().contains(images.first()));
    QVERIFY2(named, "the status line names the pair left out");
}

void TestMasksUi::robustnessCurveOfACheckpoint()
{
    RobustnessPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setCheckpoints({ m_checkpoint });
    panel.setDatasetPath(m_glandsDir);
    panel.setRatiosText(QStringLiteral("0,0.3,0.6"));
    QVERIFY(panel.ratiosError().isEmpty());
    QSignalSpy finished(&panel, &RobustnessPanel::finished);
    panel.run();
    QVERIFY(panel.isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
    QVERIFY(!panel.isRunning());
    QVERIFY2(panel.lastError().isEmpty(), qPrintable(panel.lastError()));
    QCOMPARE(panel.resultCount(), 1);
    const QVector<double> curve = panel.miouCurve(0);
    QCOMPARE(curve.size(), 3);
    for (double v : curve)
        QVERIFY2(v >= 0 && v <= 1, qPrintable(QString::number(v)));
    QCOMPARE(panel.ratioAxis(0), (QVector<double> { 0.0, 0.3, 0.6 }));
    const msup::ui::RobustnessRun& run = panel.runResult(0);
    QCOMPARE(run.label, QFileInfo(m_runDir).fileName());
    QCOMPARE(run.result.levels.size(), 3);
    QVERIFY(run.result.levels[1].meanHoleRatio > 0 && run.result.levels[1].meanHoleRatio <= 0.3);
    QVERIFY(run.result.levels[2].meanHoleRatio > 0.3 && run.result.levels[2].meanHoleRatio <= 0.6);

    // Example predictions, one per level.
    QVERIFY2(run.exampleError.isEmpty(), qPrintable(run.exampleError));
    QCOMPARE(run.examples.size(), 3);
    for (const msup::ui::RobustnessExample& e : run.examples) {
        QVERIFY(!e.masked.isNull());
        QVERIFY(!e.prediction.isNull());
    }
    QVERIFY(panel.findChild<QLabel*>(QStringLiteral("examplePrediction2")));

    // Table: one row per level.
    auto* table = panel.findChild<QTableWidget*>(QStringLiteral("robustnessTable"));
    QVERIFY(table);
    QCOMPARE(table->rowCount(), 3);

    // CSV with a checkpoint column, and the chart as PNG.
    const QString csvPath = m_tmp.filePath(QStringLiteral("robustness.csv"));
    QVERIFY(panel.exportCsv(csvPath));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4);
    QVERIFY2(lines[0].startsWith(QStringLiteral("checkpoint,ratio_low,ratio_high")), qPrintable(lines[0]));
    for (int i = 1; i < 4; ++i)
        QVERIFY2(lines[i].startsWith(QFileInfo(m_checkpoint).absoluteFilePath() + QLatin1Char(',')),
            qPrintable(lines[i]));
    const QString pngPath = m_tmp.filePath(QStringLiteral("robustness.png"));
    QVERIFY(panel.exportPlot(pngPath));
    const QImage png(pngPath);
    QVERIFY(!png.isNull());
    QCOMPARE(png.size(), QSize(960, 600));

    // Unwritable destination: an error naming the file.
    const QString bad = m_tmp.filePath(QStringLiteral("no-such-folder/sub/robustness.csv"));
    QFile blocker(m_tmp.filePath(QStringLiteral("no-such-folder")));
    QVERIFY(blocker.open(QIODevice::WriteOnly)); // a file where the folder should be
    blocker.close();
    QVERIFY(!panel.exportCsv(bad));
    QVERIFY2(panel.lastError().contains(QStringLiteral("no-such-folder")), qPrintable(panel.lastError()));
}

void TestMasksUi::checkpointFillsTheDatasetFromItsRun()
{
    RobustnessPanel panel;
    QVERIFY(panel.datasetPath().isEmpty());
    panel.addCheckpoint(m_checkpoint);
    panel.addCheckpoint(m_checkpoint); // no duplicate
    QCOMPARE(panel.checkpoints(), QStringList { QFileInfo(m_checkpoint).absoluteFilePath() });
    QCOMPARE(QFileInfo(panel.datasetPath()).canonicalFilePath(), QFileInfo(m_glandsDir).canonicalFilePath());
    // An explicit dataset is kept.
    panel.setDatasetPath(m_scenesDir);
    panel.setCheckpoints({ m_checkpoint });
    QCOMPARE(panel.datasetPath(), m_scenesDir);
}

void TestMasksUi::badRatiosDoNotStart()
{
    RobustnessPanel panel;
    panel.setCheckpoints({ m_checkpoint });
    panel.setDatasetPath(m_glandsDir);
    QSignalSpy started(&panel, &RobustnessPanel::started);
    panel.setRatiosText(QStringLiteral("0,0.5,0.2"));
    QVERIFY(!panel.ratiosError().isEmpty());
    auto* inline_ = panel.findChild<QLabel*>(QStringLiteral("robustnessRatiosError"));
    QVERIFY(inline_);
    QVERIFY(!inline_->isHidden());
    QVERIFY(inline_->text().contains(QStringLiteral("increase")));
    panel.run();
    QVERIFY(!panel.isRunning());
    QCOMPARE(started.count(), 0);
    QVERIFY2(panel.lastError().contains(QStringLiteral("increase")), qPrintable(panel.lastError()));
    auto* errorLabel = panel.findChild<QLabel*>(QStringLiteral("robustnessErrorLabel"));
    QVERIFY(errorLabel && !errorLabel->isHidden());

    panel.setRatiosText(QStringLiteral("0,1.5"));
    QVERIFY(!panel.ratiosError().isEmpty());
    panel.setRatiosText(QStringLiteral("0,0.2"));
    QVERIFY(panel.ratiosError().isEmpty());
    QVERIFY(inline_->isHidden());
}

void TestMasksUi::missingCheckpointIsNamed()
{
    RobustnessPanel panel;
    const QString missing = m_tmp.filePath(QStringLiteral("gone/checkpoints/best.pt"));
    panel.setCheckpoints({ m_checkpoint, missing });
    panel.setDatasetPath(m_glandsDir);
    QSignalSpy started(&panel, &RobustnessPanel::started);
    panel.run();
    QVERIFY(!panel.isRunning());
    QCOMPARE(started.count(), 0);
    QVERIFY2(panel.lastError().contains(QDir::toNativeSeparators(missing)), qPrintable(panel.lastError()));
}

void TestMasksUi::brokenCheckpointIsNamed()
{
    const QString dir = m_tmp.filePath(QStringLiteral("broken-run/checkpoints"));
    QVERIFY(QDir().mkpath(dir));
    const QString broken = QDir(dir).filePath(QStringLiteral("best.pt"));
    QFile file(broken);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a checkpoint at all");
    file.close();

    RobustnessPanel panel;
    panel.setCheckpoints({ broken, m_checkpoint });
    panel.setDatasetPath(m_glandsDir);
    panel.setRatiosText(QStringLiteral("0,0.5"));
    panel.setExamplesEnabled(false);
    QSignalSpy finished(&panel, &RobustnessPanel::finished);
    panel.run();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
    QVERIFY2(panel.lastError().contains(QStringLiteral("broken-run")), qPrintable(panel.lastError()));
    // The other checkpoint is still evaluated.
    QCOMPARE(panel.resultCount(), 1);
    QCOMPARE(panel.runResult(0).checkpoint, QFileInfo(m_checkpoint).absoluteFilePath());
    QVERIFY(panel.runResult(0).examples.isEmpty());
}

void TestMasksUi::datasetWithOtherClassesIsReported()
{
    RobustnessPanel panel;
    panel.setCheckpoints({ m_checkpoint });
    panel.setDatasetPath(m_scenesDir); // 6 classes; the checkpoint has 2
    panel.setRatiosText(QStringLiteral("0,0.5"));
    QSignalSpy finished(&panel, &RobustnessPanel::finished);
    panel.run();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
    QCOMPARE(panel.resultCount(), 0);
    QVERIFY(!panel.lastError().isEmpty());
    QVERIFY2(panel.lastError().contains(QFileInfo(m_checkpoint).fileName())
            || panel.lastError().contains(QFileInfo(m_scenesDir).fileName()),
        qPrintable(panel.lastError()));
}

void TestMasksUi::robustnessCanBeCancelled()
{
    RobustnessPanel panel;
    panel.setCheckpoints({ m_checkpoint });
    panel.setDatasetPath(m_glandsDir);
    QSignalSpy finished(&panel, &RobustnessPanel::finished);
    panel.run();
    QVERIFY(panel.isRunning());
    panel.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
    QVERIFY(!panel.isRunning());
    QCOMPARE(panel.resultCount(), 0);
    QVERIFY2(panel.lastError().contains(QStringLiteral("cancelled")), qPrintable(panel.lastError()));
}

void TestMasksUi::shortcutRunsTheEvaluation()
{
    RobustnessPanel panel;
    panel.setCheckpoints({ m_checkpoint });
    panel.setDatasetPath(m_glandsDir);
    panel.setRatiosText(QStringLiteral("0,0.6"));
    panel.setExamplesEnabled(false);
    panel.show();
    panel.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&panel));
    auto* ratios = panel.findChild<QLineEdit*>(QStringLiteral("robustnessRatiosEdit"));
    QVERIFY(ratios);
    ratios->setFocus();
    QSignalSpy started(&panel, &RobustnessPanel::started);
    QSignalSpy finished(&panel, &RobustnessPanel::finished);
    QTest::keyClick(ratios, Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(started.count(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
    QVERIFY2(panel.lastError().isEmpty(), qPrintable(panel.lastError()));
    QCOMPARE(panel.miouCurve(0).size(), 2);
}

QTEST_MAIN(TestMasksUi)
#include "tst_masks_ui.moc"
