// Error analysis of the latest validation: per-image confusion counts written by training, the
// ranking of the worst images, and the view a confusion-matrix click opens (QT_QPA_PLATFORM=offscreen).
#include "core/base/error.h"
#include "core/base/rng.h"
#include "core/data/dataset.h"
#include "core/data/sample_cache.h"
#include "core/data/split.h"
#include "core/data/synth.h"
#include "core/io/overlay.h"
#include "core/masks/hole_generator.h"
#include "core/train/error_analysis.h"
#include "core/train/model_store.h"
#include "core/train/predictor.h"
#include "core/train/run_folder.h"
#include "core/train/training_session.h"
#include "tests/support/fixtures.h"
#include "ui/error_analysis_view.h"
#include "ui/qcustomplot_include.h"
#include "ui/training_charts.h"
#include "ui/training_panel.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using msup::ImageConfusion;
using msup::RankedImage;
using msup::ValidationErrors;
using msup::ui::ErrorAnalysisView;
using msup::ui::TrainingPanel;

namespace {

ImageConfusion image(const QString& id, QVector<ImageConfusion::Cell> cells)
{
    ImageConfusion c;
    c.id = id;
    c.cells = std::move(cells);
    return c;
}

// Three classes, four images; cells (truth, prediction, pixels).
ValidationErrors threeClassErrors()
{
    ValidationErrors e;
    e.epoch = 7;
    e.classNames = { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c") };
    e.imageSize = 16;
    e.images = {
        image(QStringLiteral("i0"), { { 0, 0, 100 }, { 1, 2, 5 }, { 2, 1, 9 } }),
        image(QStringLiteral("i1"), { { 1, 1, 40 }, { 1, 2, 30 } }),
        image(QStringLiteral("i2"), { { 0, 1, 12 }, { 1, 0, 3 }, { 1, 2, 5 } }),
        image(QStringLiteral("i3"), { { 2, 2, 50 } }),
    };
    return e;
}

QStringList idsOf(const QVector<RankedImage>& ranked)
{
    QStringList ids;
    for (const RankedImage& r : ranked)
        ids << r.id + QLatin1Char(':') + QString::number(r.pixels);
    return ids;
}

// Pixels of `truth` predicted as `prediction` (prediction < 0 or == truth: every error of `truth`),
// counted directly from two label maps.
qint64 countError(const cv::Mat& truth, const cv::Mat& pred, int t, int p, int ignoreIndex)
{
    qint64 n = 0;
    for (int y = 0; y < truth.rows; ++y)
        for (int x = 0; x < truth.cols; ++x) {
            const int a = truth.at<uchar>(y, x), b = pred.at<uchar>(y, x);
            if (a == ignoreIndex)
                continue;
            if (p < 0 || p == t)
                n += (a == t) != (b == t) ? 1 : 0;
            else
                n += a == t && b == p ? 1 : 0;
        }
    return n;
}

} // namespace

class TestErrorAnalysis : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void imageConfusionCounts();
    void ranking_data();
    void ranking();
    void rankingRejectsBadCells();
    void fileRoundTrip();
    void missingFileIsExplained();
    void confusionClickOpensWorstImages();
    void classLabelClickRanksEveryErrorOfTheClass();
    void viewExplainsARunWithoutValidation();
    void cancelStopsTheAnalysis();
    void validationMasksFollowTheRunsHoleFill();

private:
    // Clicks the centre of confusion cell (truth, prediction); prediction -1 clicks the class label
    // left of the matrix.
    void clickCell(int truth, int prediction);
    // The validation images of the run ranked independently: each predicted again with the
    // checkpoint, and the error counted pixel by pixel.
    QVector<QPair<QString, qint64>> expectedRanking(int truth, int prediction);

    QTemporaryDir m_tmp;
    QString m_dataset, m_runDir;
    std::unique_ptr<TrainingPanel> m_panel;
};

void TestErrorAnalysis::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    // 6 classes
    m_dataset = msup::test::writeTinyDataset(
        m_tmp.filePath(QStringLiteral("scenes")), msup::SynthKind::Scenes, 24, 48, 3);
}

void TestErrorAnalysis::imageConfusionCounts()
{
    const std::uint8_t truth[] = { 0, 0, 1, 1, 2, 255, 2, 1 };
    const std::uint8_t pred[] = { 0, 1, 1, 0, 2, 2, 1, 1 };
    const ImageConfusion c = msup::imageConfusion(QStringLiteral("x"), truth, pred, 8, 3);
    QCOMPARE(c.id, QStringLiteral("x"));
    QCOMPARE(c.cells.size(), 6); // (0,0) (0,1) (1,0) (1,1) (2,1) (2,2); the void pixel left out
    QCOMPARE(c.count(1, 1), qint64(2));
    QCOMPARE(c.count(0, 1), qint64(1));
    QCOMPARE(c.count(2, 0), qint64(0));
    QCOMPARE(c.falseNegatives(1), qint64(1));
    QCOMPARE(c.falsePositives(1), qint64(2));
    const std::uint8_t bad[] = { 3 };
    QVERIFY_THROWS_EXCEPTION(msup::Error, msup::imageConfusion(QString(), bad, bad, 1, 3));
}

void TestErrorAnalysis::ranking_data()
{
    QTest::addColumn<int>("truth");
    QTest::addColumn<int>("prediction");
    QTest::addColumn<int>("count");
    QTest::addColumn<QStringList>("expected"); // id:pixels, worst first

    QTest::newRow("cell b->c") << 1 << 2 << 8
                               << QStringList { "i1:30", "i0:5", "i2:5" }; // tie: validation order
    QTest::newRow("cell b->c, 2 worst") << 1 << 2 << 2 << QStringList { "i1:30", "i0:5" };
    QTest::newRow("cell a->b") << 0 << 1 << 8 << QStringList { "i2:12" };
    QTest::newRow("cell absent") << 2 << 0 << 8 << QStringList {};
    // Class b: false negatives (b predicted else) + false positives (else predicted b).
    QTest::newRow("class b") << 1 << -1 << 8 << QStringList { "i1:30", "i2:20", "i0:14" };
    QTest::newRow("diagonal b = class b") << 1 << 1 << 8 << QStringList { "i1:30", "i2:20", "i0:14" };
    QTest::newRow("class c") << 2 << -1 << 0 << QStringList { "i1:30", "i0:14", "i2:5" };
}

void TestErrorAnalysis::ranking()
{
    QFETCH(int, truth);
    QFETCH(int, prediction);
    QFETCH(int, count);
    QFETCH(QStringList, expected);
    const QVector<RankedImage> ranked = msup::worstImages(threeClassErrors(), truth, prediction, count);
    QCOMPARE(idsOf(ranked), expected);
    for (const RankedImage& r : ranked)
        QCOMPARE(threeClassErrors().images[r.valIndex].id, r.id);
}

void TestErrorAnalysis::rankingRejectsBadCells()
{
    QVERIFY_THROWS_EXCEPTION(msup::Error, msup::worstImages(threeClassErrors(), 3, 0, 8));
    QVERIFY_THROWS_EXCEPTION(msup::Error, msup::worstImages(threeClassErrors(), 0, 3, 8));
    QVERIFY_THROWS_EXCEPTION(msup::Error, msup::worstImages(threeClassErrors(), -1, 0, 8));
}

void TestErrorAnalysis::fileRoundTrip()
{
    const QString dir = m_tmp.filePath(QStringLiteral("roundtrip"));
    QVERIFY(QDir().mkpath(dir));
    const ValidationErrors e = threeClassErrors();
    msup::RunFolder(dir).writeValidationErrors(e);
    const ValidationErrors r = msup::RunFolder(dir).readValidationErrors();
    QCOMPARE(r.epoch, 7);
    QCOMPARE(r.classNames, e.classNames);
    QCOMPARE(r.imageSize, 16);
    QCOMPARE(r.images.size(), 4);
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(r.images[i].id, e.images[i].id);
        QCOMPARE(r.images[i].cells.size(), e.images[i].cells.size());
        for (int c = 0; c < e.images[i].cells.size(); ++c) {
            QCOMPARE(r.images[i].cells[c].truth, e.images[i].cells[c].truth);
            QCOMPARE(r.images[i].cells[c].prediction, e.images[i].cells[c].prediction);
            QCOMPARE(r.images[i].cells[c].pixels, e.images[i].cells[c].pixels);
        }
    }
    const QVector<qint64> total = r.total();
    QCOMPARE(total, (QVector<qint64> { 100, 12, 0, 3, 40, 40, 0, 9, 50 }));
}

void TestErrorAnalysis::missingFileIsExplained()
{
    try {
        msup::RunFolder(m_tmp.filePath(QStringLiteral("nowhere"))).readValidationErrors();
        QFAIL("no exception");
    } catch (const msup::Error& e) {
        QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("val_errors.json")), e.what());
        QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("no validation")), e.what());
    }
}

void TestErrorAnalysis::clickCell(int truth, int prediction)
{
    msup::ui::TrainingCharts* charts = m_panel->charts();
    charts->showChart(msup::ui::TrainingCharts::Chart::Confusion);
    QCustomPlot* plot = charts->chart(msup::ui::TrainingCharts::Chart::Confusion);
    QCoreApplication::processEvents(); // the tab's layout gives the plot its size
    plot->replot(); // lays the axes out at the widget's size
    const int x = int(plot->xAxis->coordToPixel(prediction < 0 ? -1.0 : double(prediction)));
    const int y = int(plot->yAxis->coordToPixel(truth));
    QTest::mouseClick(plot, Qt::LeftButton, Qt::NoModifier, QPoint(x, y));
}

QVector<QPair<QString, qint64>> TestErrorAnalysis::expectedRanking(int truth, int prediction)
{
    msup::Predictor predictor(msup::TrainingSession::lastCheckpointOf(m_runDir), QStringLiteral("cpu"));
    const msup::Dataset ds = msup::openDataset(m_dataset);
    QStringList ids;
    for (const msup::Sample& s : ds.samples)
        ids << s.id;
    const msup::Split split = msup::loadSplit(QDir(m_runDir).filePath(QStringLiteral("split.json")), ids);
    const msup::SampleCache cache(ds, predictor.imageSize(), 0);
    QVector<QPair<QString, qint64>> ranking;
    for (int i : split.val) {
        const msup::CachedSample s = cache.get(i);
        const qint64 n = countError(s.labels, predictor.predict(s.image), truth, prediction, ds.ignoreIndex);
        if (n > 0)
            ranking.append({ ds.samples[i].id, n });
    }
    std::stable_sort(
        ranking.begin(), ranking.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return ranking;
}

void TestErrorAnalysis::confusionClickOpensWorstImages()
{
    m_panel = std::make_unique<TrainingPanel>();
    m_panel->resize(1200, 900);
    m_panel->setDataset(m_dataset, QStringLiteral("scenes"));
    msup::TrainConfig config = m_panel->config();
    config.width = 4;
    config.imageSize = 32;
    config.batchSize = 4;
    config.epochs = 2;
    config.device = QStringLiteral("cpu");
    config.mode = QStringLiteral("masksup");
    config.seed = 11;
    config.holeRatio = QStringLiteral("high");
    config.outDir = m_tmp.filePath(QStringLiteral("run"));
    m_panel->setConfig(config);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));

    QSignalSpy finished(m_panel.get(), &TrainingPanel::trainingFinished);
    QSignalSpy failed(m_panel.get(), &TrainingPanel::trainingFailed);
    QVERIFY(m_panel->startTraining());
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || !failed.isEmpty(), 300000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    m_runDir = m_panel->lastResult().runDir;

    // The per-image counts of the last validation add up to the epoch's confusion matrix.
    const ValidationErrors errors = msup::RunFolder(m_runDir).readValidationErrors();
    QCOMPARE(errors.epoch, 2);
    QCOMPARE(errors.classes(), 6);
    QCOMPARE(errors.imageSize, 32);
    QFile metrics(QDir(m_runDir).filePath(QStringLiteral("metrics.jsonl")));
    QVERIFY(metrics.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = metrics.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QVector<qint64> confusion;
    for (const QJsonValue& v : QJsonDocument::fromJson(lines.last()).object().value("confusion").toArray())
        confusion << qint64(v.toDouble());
    QCOMPARE(errors.total(), confusion);
    const QJsonArray valIds = QJsonDocument::fromJson([&] {
        QFile f(QDir(m_runDir).filePath(QStringLiteral("split.json")));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }())
                                  .object()
                                  .value("val")
                                  .toArray();
    QCOMPARE(errors.images.size(), valIds.size());
    qint64 pixels = 0;
    for (const ImageConfusion& image : errors.images)
        for (const ImageConfusion::Cell& c : image.cells)
            pixels += c.pixels;
    QVERIFY(pixels > 0 && pixels <= qint64(valIds.size()) * 32 * 32); // void pixels left out

    // The most frequent confusion of the matrix (off the diagonal).
    const int k = errors.classes();
    int truth = -1, prediction = -1;
    qint64 most = 0;
    for (int t = 0; t < k; ++t)
        for (int p = 0; p < k; ++p)
            if (t != p && confusion[t * k + p] > most) {
                most = confusion[t * k + p];
                truth = t;
                prediction = p;
            }
    QVERIFY2(most > 0, "a two-epoch width-4 network classifies every pixel right?");

    QVERIFY(!m_panel->errorAnalysisView());
    clickCell(truth, prediction);
    ErrorAnalysisView* view = m_panel->errorAnalysisView();
    QVERIFY(view);
    QVERIFY(view->isVisible());
    QVERIFY(view->isBusy());
    // Named from the run's config.json at once, before the images are analysed.
    QVERIFY2(view->title().contains(errors.classNames[truth]), qPrintable(view->title()));
    QSignalSpy done(view, &ErrorAnalysisView::analysisFinished);
    QVERIFY(done.wait(120000));
    QVERIFY(!view->isBusy());
    QVERIFY2(view->title().contains(errors.classNames[truth]), qPrintable(view->title()));
    QVERIFY2(view->title().contains(errors.classNames[prediction]), qPrintable(view->title()));

    const QVector<QPair<QString, qint64>> expected = expectedRanking(truth, prediction);
    QVERIFY(!expected.isEmpty());
    qInfo("cell (%d, %d): %lld pixels in %d of %d validation images, worst %lld", truth, prediction, most,
        int(expected.size()), int(errors.images.size()), expected.first().second);
    QCOMPARE(view->rowCount(), int(std::min<qsizetype>(expected.size(), view->imageCount())));
    QCOMPARE(view->table()->rowCount(), view->rowCount());
    for (int r = 0; r < view->rowCount(); ++r) {
        QCOMPARE(view->rowId(r), expected[r].first);
        QCOMPARE(view->rowPixels(r), expected[r].second);
        QCOMPARE(view->rowRecomputedPixels(r), expected[r].second);
    }
    QVERIFY2(view->message().contains(QString::number(expected.size())), qPrintable(view->message()));

    // The worst image: error overlay in the error colours, and the masked input of epoch 2.
    msup::Predictor predictor(msup::TrainingSession::lastCheckpointOf(m_runDir), QStringLiteral("cpu"));
    const msup::Dataset ds = msup::openDataset(m_dataset);
    int sample = -1;
    for (int i = 0; i < ds.samples.size(); ++i)
        if (ds.samples[i].id == view->rowId(0))
            sample = i;
    QVERIFY(sample >= 0);
    const msup::CachedSample s = msup::SampleCache(ds, 32, 0).get(sample);
    const cv::Mat pred = predictor.predict(s.image);
    const QVector<QColor> colors = msup::errorColors();
    const QImage overlay = view->rowErrorImage(0).convertToFormat(QImage::Format_RGB888);
    const QImage clean = view->rowImage(0).convertToFormat(QImage::Format_RGB888);
    QCOMPARE(overlay.size(), QSize(32, 32));
    int falseNegatives = 0;
    for (int y = 0; y < 32; ++y)
        for (int x = 0; x < 32; ++x) {
            const int a = s.labels.at<uchar>(y, x), b = pred.at<uchar>(y, x);
            const cv::Vec3b rgb = s.image.at<cv::Vec3b>(y, x);
            QCOMPARE(clean.pixelColor(x, y), QColor(rgb[0], rgb[1], rgb[2]));
            // Focused on the true class: TP where both are it, FN where only the truth is, FP where
            // only the prediction is; other pixels keep the image.
            const int code = a == ds.ignoreIndex ? msup::ErrorNone // void: never painted
                : a == truth && b == truth       ? msup::ErrorTruePositive
                : a == truth                     ? msup::ErrorFalseNegative
                : b == truth                     ? msup::ErrorFalsePositive
                                                 : msup::ErrorNone;
            falseNegatives += code == msup::ErrorFalseNegative;
            QColor want(rgb[0], rgb[1], rgb[2]);
            if (code != msup::ErrorNone) {
                const QColor c = colors[code];
                auto mix = [](int image, int colour) { return int(0.4 * image + 0.6 * colour + 0.5); };
                want = QColor(mix(rgb[0], c.red()), mix(rgb[1], c.green()), mix(rgb[2], c.blue()));
            }
            QCOMPARE(overlay.pixelColor(x, y), want);
        }
    QVERIFY(falseNegatives >= expected[0].second); // the clicked cell's pixels are false negatives

    // The masked input: the run's generator ("high" holes) drawn from the derivation of
    // previewValidationImages (position = training samples + index in the validation split);
    // hole pixels become 0 after normalisation, i.e. 128 grey, the others keep the image.
    const QImage masked = view->rowMaskedImage(0).convertToFormat(QImage::Format_RGB888);
    QCOMPARE(masked.size(), QSize(32, 32));
    QVERIFY(masked != clean);
    const msup::Split split = [&] {
        QStringList ids;
        for (const msup::Sample& x : ds.samples)
            ids << x.id;
        return msup::loadSplit(QDir(m_runDir).filePath(QStringLiteral("split.json")), ids);
    }();
    const int position = int(split.train.size() + split.val.indexOf(sample));
    const cv::Mat holes = msup::HoleGenerator(msup::HoleRatioRange::parse("high"))
                              .generate(32, 32, msup::Rng::derive(11, 0x401e, 2, position));
    int hidden = 0;
    for (int y = 0; y < 32; ++y)
        for (int x = 0; x < 32; ++x) {
            const bool hole = holes.at<uchar>(y, x) != 0;
            hidden += hole;
            QCOMPARE(masked.pixelColor(x, y), hole ? QColor(128, 128, 128) : clean.pixelColor(x, y));
        }
    QVERIFY(hidden > 32 * 32 / 3); // "high": about half the pixels
}

void TestErrorAnalysis::classLabelClickRanksEveryErrorOfTheClass()
{
    if (!m_panel || m_runDir.isEmpty())
        QSKIP("needs the run of confusionClickOpensWorstImages");
    const ValidationErrors errors = msup::RunFolder(m_runDir).readValidationErrors();
    // The class with the most errors.
    int truth = 0;
    qint64 most = -1;
    for (int c = 0; c < errors.classes(); ++c) {
        qint64 n = 0;
        for (const ImageConfusion& image : errors.images)
            n += image.falseNegatives(c) + image.falsePositives(c);
        if (n > most) {
            most = n;
            truth = c;
        }
    }
    ErrorAnalysisView* view = m_panel->errorAnalysisView();
    QVERIFY(view);
    view->setImageCount(2);
    QSignalSpy done(view, &ErrorAnalysisView::analysisFinished);
    clickCell(truth, -1);
    QVERIFY(view->isBusy());
    QVERIFY(done.wait(120000));
    QVERIFY2(view->title().contains(errors.classNames[truth]), qPrintable(view->title()));
    const QVector<QPair<QString, qint64>> expected = expectedRanking(truth, -1);
    QCOMPARE(view->rowCount(), int(std::min<qsizetype>(expected.size(), 2)));
    for (int r = 0; r < view->rowCount(); ++r) {
        QCOMPARE(view->rowId(r), expected[r].first);
        QCOMPARE(view->rowPixels(r), expected[r].second);
    }
    view->setImageCount(8);
}

void TestErrorAnalysis::viewExplainsARunWithoutValidation()
{
    ErrorAnalysisView view;
    QSignalSpy done(&view, &ErrorAnalysisView::analysisFinished);
    const QString empty = m_tmp.filePath(QStringLiteral("empty-run"));
    QVERIFY(QDir().mkpath(empty));
    view.analyse(empty, 1, 0);
    QCOMPARE(done.size(), 1); // answered at once, nothing to compute
    QVERIFY(!view.isBusy());
    QCOMPARE(view.rowCount(), 0);
    QVERIFY2(view.message().contains(QStringLiteral("first epoch")), qPrintable(view.message()));

    // Counts but no checkpoint.
    msup::RunFolder(empty).writeValidationErrors(threeClassErrors());
    view.analyse(empty, 1, 2);
    QCOMPARE(done.size(), 2);
    QVERIFY2(view.message().contains(QStringLiteral("checkpoint")), qPrintable(view.message()));
}

void TestErrorAnalysis::cancelStopsTheAnalysis()
{
    if (m_runDir.isEmpty())
        QSKIP("needs the run of confusionClickOpensWorstImages");
    const ValidationErrors errors = msup::RunFolder(m_runDir).readValidationErrors();
    ErrorAnalysisView view;
    QSignalSpy done(&view, &ErrorAnalysisView::analysisFinished);
    view.setImageCount(64);
    view.analyse(m_runDir, 0, -1);
    QVERIFY(view.isBusy());
    view.cancel();
    QVERIFY(done.wait(120000));
    QCOMPARE(done.size(), 1);
    QVERIFY(!view.isBusy());
    const qsizetype all = msup::worstImages(errors, 0, -1, 0).size();
    QVERIFY(all > 0);
    // Cancelled within one image, unless the job had already finished them all.
    if (view.message().contains(QStringLiteral("Cancelled")))
        QVERIFY(view.rowCount() < all);
    else
        QCOMPARE(view.rowCount(), int(all));
    // A new request after a cancel runs to the end.
    view.analyse(m_runDir, 0, -1);
    QVERIFY(done.wait(120000));
    QCOMPARE(view.rowCount(), int(all));
}

void TestErrorAnalysis::validationMasksFollowTheRunsHoleFill()
{
    if (m_runDir.isEmpty())
        QSKIP("needs the run of confusionClickOpensWorstImages");
    const ValidationErrors errors = msup::RunFolder(m_runDir).readValidationErrors();
    msup::TrainConfig config
        = msup::readCheckpointInfo(msup::TrainingSession::lastCheckpointOf(m_runDir)).config;
    const QStringList ids { errors.images[1].id, errors.images[0].id };
    const msup::BatchPreview zero = msup::previewValidationImages(config, 2, ids);
    QCOMPARE(zero.ids, ids);
    // The same masks again (a pure function of seed, epoch and position), another one next epoch.
    const msup::BatchPreview again = msup::previewValidationImages(config, 2, ids);
    const msup::BatchPreview next = msup::previewValidationImages(config, 3, ids);
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(cv::countNonZero(zero.holes[i] != again.holes[i]), 0);
        QVERIFY(cv::countNonZero(zero.holes[i] != next.holes[i]) > 0);
        QCOMPARE(cv::norm(zero.clean[i], next.clean[i], cv::NORM_INF), 0.0); // never augmented
    }
    QVERIFY(cv::countNonZero(zero.holes[0] != zero.holes[1]) > 0); // each image its own mask

    // Black fill: hole pixels are black, the others keep the image.
    config.holeFill = QStringLiteral("black");
    const msup::BatchPreview black = msup::previewValidationImages(config, 2, ids);
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(cv::countNonZero(black.holes[i] != zero.holes[i]), 0);
        for (int y = 0; y < 32; ++y)
            for (int x = 0; x < 32; ++x) {
                const cv::Vec3b want = black.holes[i].at<uchar>(y, x) ? cv::Vec3b(0, 0, 0)
                                                                      : black.clean[i].at<cv::Vec3b>(y, x);
                QCOMPARE(black.masked[i].at<cv::Vec3b>(y, x), want);
            }
    }

    // Only validation samples have a validation mask.
    const msup::Dataset ds = msup::openDataset(m_dataset);
    QStringList all;
    for (const msup::Sample& x : ds.samples)
        all << x.id;
    const msup::Split split = msup::loadSplit(QDir(m_runDir).filePath(QStringLiteral("split.json")), all);
    QVERIFY_THROWS_EXCEPTION(
        msup::Error, msup::previewValidationImages(config, 2, { all[split.train.first()] }));
}

QTEST_MAIN(TestErrorAnalysis)
#include "tst_error_analysis.moc"
