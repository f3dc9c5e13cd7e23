// Inference beyond resizing: tiles at native resolution, flip TTA, per-pixel uncertainty, the
// "annotate these next" ranking, and the CLI flags that reach them.
#include "core/base/error.h"
#include "core/data/dataset.h"
#include "core/data/image_io.h"
#include "core/data/sample_cache.h"
#include "core/io/overlay.h"
#include "core/train/batch_export.h"
#include "core/train/evaluator.h"
#include "core/train/predictor.h"
#include "core/train/suggestions.h"
#include "core/train/training_session.h"
#include "tests/support/files.h"
#include "tests/support/fixtures.h"
#include "tests/support/process.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <opencv2/core.hpp>

#include <atomic>
#include <cmath>

using namespace msup;

namespace {

// A trained tiny checkpoint (two epochs at 32×32) of the dataset `kind`.
QString trainTiny(const QString& dir, SynthKind kind, QString* dataset)
{
    *dataset = test::writeTinyDataset(dir + QStringLiteral("/data"), kind, 10, 64);
    TrainingSession session(test::twoEpochConfig(*dataset, dir + QStringLiteral("/run")));
    session.run({});
    return dir + QStringLiteral("/run/checkpoints/best.pt");
}

// One probability plane (C×H×W floats) as an H×W matrix.
cv::Mat plane(const std::vector<float>& p, int c, int rows, int cols)
{
    return cv::Mat(rows, cols, CV_32FC1, const_cast<float*>(p.data()) + size_t(c) * rows * cols).clone();
}

double maxDiff(const cv::Mat& a, const cv::Mat& b)
{
    return cv::norm(a, b, cv::NORM_INF);
}

// Normalised entropy of the probabilities (C planes; one sigmoid plane: K = 2), computed here by hand.
cv::Mat entropyByHand(const std::vector<float>& p, int channels, int rows, int cols)
{
    cv::Mat h(rows, cols, CV_32FC1, cv::Scalar(0));
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < cols; ++x) {
            double e = 0;
            auto at = [&](int c) { return double(p[(size_t(c) * rows + y) * cols + x]); };
            if (channels == 1) {
                const double q = std::clamp(at(0), 1e-7, 1 - 1e-7);
                e = -(q * std::log(q) + (1 - q) * std::log(1 - q)) / std::log(2.0);
            } else {
                for (int c = 0; c < channels; ++c) {
                    const double q = std::max(at(c), 1e-12);
                    e -= q * std::log(q);
                }
                e /= std::log(double(channels));
            }
            h.at<float>(y, x) = float(e);
        }
    return h;
}

// The probabilities of `rgb` flipped by `code` (cv::flip: 1 horizontal, 0 vertical, -1 both),
// flipped back.
std::vector<cv::Mat> flippedPass(Predictor& p, const cv::Mat& rgb, int code, int channels)
{
    cv::Mat f;
    cv::flip(rgb, f, code);
    std::vector<float> probs;
    p.predict(f, cv::Mat(), &probs);
    std::vector<cv::Mat> planes;
    for (int c = 0; c < channels; ++c) {
        cv::Mat back;
        cv::flip(plane(probs, c, rgb.rows, rgb.cols), back, code);
        planes.push_back(back);
    }
    return planes;
}

} // namespace

class TestInference : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void resizeModeIsThePredictorOfBefore();
    void oneTileEqualsTheResizedPrediction();
    void abuttingTilesEqualTheirOwnPredictions();
    void tilesKeepAnySizeAndScale();
    void flipTtaAveragesTheFourFlips();
    void uncertaintyIsTheNormalisedEntropy();
    void ttaUncertaintyIsTheDisagreement();
    void optionsOutOfRangeAreRefused();
    void heatmapScaleIsAbsolute();
    void exportWritesUncertaintyAndTiledProbabilities();
    void suggestionsRankByMeanUncertainty();
    void cliFlags();

private:
    QTemporaryDir m_dir;
    QString m_glands, m_glandsCkpt; // one sigmoid channel
    QString m_scenes, m_scenesCkpt; // softmax over 6 classes
    cv::Mat m_image; // a 32×32 image (the training size) of the glands dataset
};

void TestInference::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_glandsCkpt = trainTiny(m_dir.filePath(QStringLiteral("g")), SynthKind::Glands, &m_glands);
    m_scenesCkpt = trainTiny(m_dir.filePath(QStringLiteral("s")), SynthKind::Scenes, &m_scenes);
    QVERIFY(QFileInfo::exists(m_glandsCkpt));
    QVERIFY(QFileInfo::exists(m_scenesCkpt));
    const Dataset ds = openDataset(m_glands);
    m_image = resizeImage(loadSampleImage(ds, ds.samples[0]), 32);
}

void TestInference::resizeModeIsThePredictorOfBefore()
{
    Predictor p(m_glandsCkpt);
    const Dataset ds = openDataset(m_glands);
    for (int i = 0; i < 3; ++i) {
        const cv::Mat rgb = loadSampleImage(ds, ds.samples[i]); // 64×64: resized to 32 and back
        const PredictionMaps maps = p.run(rgb, InferenceOptions(), kProbabilities);
        std::vector<float> probs;
        const cv::Mat labels = p.predict(rgb, cv::Mat(), &probs);
        QCOMPARE(cv::countNonZero(maps.labels != labels), 0);
        QCOMPARE(maps.probabilities, probs);
        QCOMPARE(maps.probabilityRows, 32);
        QCOMPARE(maps.probabilityCols, 32);
    }
}

void TestInference::oneTileEqualsTheResizedPrediction()
{
    // An image of the training size at scale 1 is one tile: the blending weight cancels out.
    for (const QString& ckpt : { m_glandsCkpt, m_scenesCkpt }) {
        Predictor p(ckpt);
        const int channels = p.info().outputChannels;
        std::vector<float> probs;
        const cv::Mat labels = p.predict(m_image, cv::Mat(), &probs);
        InferenceOptions tiles;
        tiles.mode = InferenceOptions::Mode::Tiles;
        const PredictionMaps maps = p.run(m_image, tiles, kProbabilities);
        QCOMPARE(int(maps.probabilities.size()), int(probs.size()));
        for (int c = 0; c < channels; ++c)
            QVERIFY(maxDiff(plane(maps.probabilities, c, 32, 32), plane(probs, c, 32, 32)) < 1e-5);
        QCOMPARE(cv::countNonZero(maps.labels != labels), 0);
    }
}

void TestInference::abuttingTilesEqualTheirOwnPredictions()
{
    // Two different 32×32 images side by side, no overlap: two tiles, each pixel seen by one.
    Predictor p(m_scenesCkpt);
    const Dataset ds = openDataset(m_scenes);
    const cv::Mat a = resizeImage(loadSampleImage(ds, ds.samples[1]), 32);
    const cv::Mat b = resizeImage(loadSampleImage(ds, ds.samples[2]), 32);
    cv::Mat both;
    cv::hconcat(a, b, both);
    InferenceOptions tiles;
    tiles.mode = InferenceOptions::Mode::Tiles;
    tiles.overlap = 0;
    const PredictionMaps maps = p.run(both, tiles, kProbabilities);
    QCOMPARE(maps.probabilityRows, 32);
    QCOMPARE(maps.probabilityCols, 64);
    std::vector<float> pa, pb;
    const cv::Mat la = p.predict(a, cv::Mat(), &pa), lb = p.predict(b, cv::Mat(), &pb);
    for (int c = 0; c < p.info().outputChannels; ++c) {
        const cv::Mat m = plane(maps.probabilities, c, 32, 64);
        QVERIFY(maxDiff(m.colRange(0, 32), plane(pa, c, 32, 32)) < 1e-5);
        QVERIFY(maxDiff(m.colRange(32, 64), plane(pb, c, 32, 32)) < 1e-5);
    }
    QCOMPARE(cv::countNonZero(maps.labels.colRange(0, 32) != la), 0);
    QCOMPARE(cv::countNonZero(maps.labels.colRange(32, 64) != lb), 0);
    // With overlap the seam is blended: the sums of the probabilities stay 1 everywhere.
    tiles.overlap = 0.5;
    const PredictionMaps blended = p.run(both, tiles, kProbabilities);
    cv::Mat sum(32, 64, CV_32FC1, cv::Scalar(0));
    for (int c = 0; c < p.info().outputChannels; ++c)
        sum += plane(blended.probabilities, c, 32, 64);
    QVERIFY(maxDiff(sum, cv::Mat(32, 64, CV_32FC1, cv::Scalar(1))) < 1e-4);
}

void TestInference::tilesKeepAnySizeAndScale()
{
    Predictor p(m_glandsCkpt);
    InferenceOptions tiles;
    tiles.mode = InferenceOptions::Mode::Tiles;
    // Smaller than a tile (padded), odd sizes, and scaled.
    for (const cv::Size size : { cv::Size(20, 13), cv::Size(75, 41), cv::Size(131, 77) })
        for (const double scale : { 1.0, 0.5, 1.5 }) {
            tiles.scale = scale;
            const cv::Mat rgb(size, CV_8UC3, cv::Scalar(200, 150, 180));
            const PredictionMaps maps = p.run(rgb, tiles, kProbabilities | kUncertainty);
            QCOMPARE(maps.labels.size(), size);
            QCOMPARE(maps.uncertainty.size(), size);
            QCOMPARE(maps.probabilityCols, int(std::lround(size.width * scale)));
            QCOMPARE(maps.probabilityRows, int(std::lround(size.height * scale)));
            double mx = 0;
            cv::minMaxLoc(maps.labels, nullptr, &mx);
            QVERIFY(mx <= 1);
        }
}

void TestInference::flipTtaAveragesTheFourFlips()
{
    for (const QString& ckpt : { m_glandsCkpt, m_scenesCkpt }) {
        Predictor p(ckpt);
        const int channels = p.info().outputChannels;
        InferenceOptions tta;
        tta.flipTta = true;
        const PredictionMaps maps = p.run(m_image, tta, kProbabilities);
        std::vector<cv::Mat> mean(size_t(channels), cv::Mat(32, 32, CV_32FC1, cv::Scalar(0)));
        for (int c = 0; c < channels; ++c)
            mean[size_t(c)] = mean[size_t(c)].clone();
        std::vector<float> identity;
        p.predict(m_image, cv::Mat(), &identity);
        for (int c = 0; c < channels; ++c)
            mean[size_t(c)] += plane(identity, c, 32, 32);
        for (const int code : { 1, 0, -1 }) {
            const std::vector<cv::Mat> pass = flippedPass(p, m_image, code, channels);
            for (int c = 0; c < channels; ++c)
                mean[size_t(c)] += pass[size_t(c)];
        }
        for (int c = 0; c < channels; ++c)
            QVERIFY(maxDiff(plane(maps.probabilities, c, 32, 32), mean[size_t(c)] / 4) < 1e-5);
    }
}

void TestInference::uncertaintyIsTheNormalisedEntropy()
{
    for (const QString& ckpt : { m_glandsCkpt, m_scenesCkpt }) {
        Predictor p(ckpt);
        const PredictionMaps maps = p.run(m_image, InferenceOptions(), kProbabilities | kUncertainty);
        const cv::Mat expected = entropyByHand(maps.probabilities, p.info().outputChannels, 32, 32);
        QCOMPARE(maps.uncertainty.type(), CV_32FC1);
        QVERIFY(maxDiff(maps.uncertainty, expected) < 1e-4);
        double lo = 0, hi = 0;
        cv::minMaxLoc(maps.uncertainty, &lo, &hi);
        QVERIFY(lo >= 0 && hi <= 1.0001);
    }
}

void TestInference::ttaUncertaintyIsTheDisagreement()
{
    // Mutual information: entropy of the mean minus the mean of the four passes' entropies.
    Predictor p(m_scenesCkpt);
    const int channels = p.info().outputChannels;
    InferenceOptions tta;
    tta.flipTta = true;
    const PredictionMaps maps = p.run(m_image, tta, kProbabilities | kUncertainty);
    cv::Mat meanEntropy(32, 32, CV_32FC1, cv::Scalar(0));
    std::vector<float> identity;
    p.predict(m_image, cv::Mat(), &identity);
    meanEntropy += entropyByHand(identity, channels, 32, 32);
    for (const int code : { 1, 0, -1 }) {
        const std::vector<cv::Mat> pass = flippedPass(p, m_image, code, channels);
        std::vector<float> flat;
        for (const cv::Mat& m : pass)
            flat.insert(flat.end(), m.ptr<float>(), m.ptr<float>() + m.total());
        meanEntropy += entropyByHand(flat, channels, 32, 32);
    }
    cv::Mat expected = entropyByHand(maps.probabilities, channels, 32, 32) - meanEntropy / 4;
    expected = cv::max(expected, 0);
    QVERIFY(maxDiff(maps.uncertainty, expected) < 1e-4);
    // Identical passes disagree nowhere: a uniform image is its own flips.
    const cv::Mat flat(32, 32, CV_8UC3, cv::Scalar(90, 90, 90));
    const PredictionMaps same = p.run(flat, tta, kUncertainty);
    double hi = 0;
    cv::minMaxLoc(same.uncertainty, nullptr, &hi);
    QVERIFY(hi < 1e-4);
}

void TestInference::optionsOutOfRangeAreRefused()
{
    Predictor p(m_glandsCkpt);
    InferenceOptions o;
    o.mode = InferenceOptions::Mode::Tiles;
    o.scale = 0;
    QVERIFY_THROWS_EXCEPTION(Error, p.run(m_image, o));
    o.scale = 1;
    o.overlap = 0.95;
    QVERIFY_THROWS_EXCEPTION(Error, p.run(m_image, o));
    QVERIFY_THROWS_EXCEPTION(Error, p.run(cv::Mat(8, 8, CV_8UC1), InferenceOptions()));
    QCOMPARE(o.describe(), QStringLiteral("tiles at 1× (overlap 0.95)"));
}

void TestInference::heatmapScaleIsAbsolute()
{
    cv::Mat u(1, 3, CV_32FC1);
    u.at<float>(0, 0) = 0;
    u.at<float>(0, 1) = 0.5f;
    u.at<float>(0, 2) = 1;
    const QImage heat = uncertaintyHeatmap(u);
    QCOMPARE(heat.size(), QSize(3, 1));
    const QColor zero = heat.pixelColor(0, 0), one = heat.pixelColor(2, 0);
    QVERIFY(zero.lightness() < 20); // black
    QVERIFY(one.red() > 220 && one.green() > 220 && one.blue() < 200); // pale yellow
    // Over an image: certain pixels keep the image.
    const cv::Mat rgb(1, 3, CV_8UC3, cv::Scalar(10, 200, 30));
    const QImage over = uncertaintyOverlay(rgb, u, 0.7);
    QCOMPARE(over.pixelColor(0, 0), QColor(10, 200, 30));
    QVERIFY(over.pixelColor(2, 0) != QColor(10, 200, 30));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, uncertaintyHeatmap(cv::Mat(2, 2, CV_8UC1)));
}

void TestInference::exportWritesUncertaintyAndTiledProbabilities()
{
    const QString in = m_dir.filePath(QStringLiteral("in"));
    QDir().mkpath(in);
    QImage image(70, 45, QImage::Format_RGB888);
    image.fill(QColor(180, 120, 160));
    QVERIFY(image.save(in + QStringLiteral("/a.png")));
    ExportOptions o;
    o.checkpoint = m_scenesCkpt;
    o.inputs = { in };
    o.outDir = m_dir.filePath(QStringLiteral("out"));
    o.overlay = false;
    o.probabilities = true;
    o.uncertainty = true;
    o.device = QStringLiteral("cpu");
    o.inference.mode = InferenceOptions::Mode::Tiles;
    o.inference.scale = 2;
    const ExportSummary s = exportPredictions(o);
    QCOMPARE(s.imagesExported, 1);
    const QDir out(o.outDir);
    // .npy headers hold the shapes: C×(2·45)×(2·70) probabilities, 45×70 uncertainty.
    QVERIFY(test::readAll(out.filePath(QStringLiteral("a_prob.npy"))).contains("'shape': (6, 90, 140)"));
    QVERIFY(test::readAll(out.filePath(QStringLiteral("a_uncertainty.npy"))).contains("'shape': (45, 70)"));
    const QImage heat(out.filePath(QStringLiteral("a_uncertainty.png")));
    QCOMPARE(heat.size(), QSize(70, 45));
    QVERIFY(QFileInfo::exists(out.filePath(QStringLiteral("a_mask.png"))));
}

void TestInference::suggestionsRankByMeanUncertainty()
{
    SuggestOptions o;
    o.checkpoint = m_scenesCkpt;
    o.dataset = m_scenes;
    const SuggestResult r = suggestImagesToAnnotate(o);
    QCOMPARE(r.candidates, 10);
    QCOMPARE(r.ranked.size(), 10);
    // Each value is the mean of the image's uncertainty map, and the list is in descending order.
    Predictor p(m_scenesCkpt);
    const Dataset ds = openDataset(m_scenes);
    for (int i = 0; i < r.ranked.size(); ++i) {
        const AnnotationSuggestion& s = r.ranked[i];
        const PredictionMaps maps
            = p.run(loadSampleImage(ds, ds.samples[s.sample]), InferenceOptions(), kUncertainty);
        QVERIFY(std::abs(cv::mean(maps.uncertainty)[0] - s.meanUncertainty) < 1e-9);
        QCOMPARE(s.id, ds.samples[s.sample].id);
        QVERIFY(s.labelled);
        if (i > 0)
            QVERIFY(r.ranked[i - 1].meanUncertainty >= s.meanUncertainty);
    }
    // Excluded (reviewed) images are left out; cancelling keeps what was ranked.
    o.exclude = { r.ranked[0].id, r.ranked[1].id };
    int reports = 0;
    std::atomic_bool stop { false };
    FunctionProgress stopAfterThree([&](int, int, const std::string&) { stop = ++reports >= 3; }, &stop);
    const SuggestResult part = suggestImagesToAnnotate(o, stopAfterThree);
    QVERIFY(part.cancelled);
    QCOMPARE(part.candidates, 8);
    QCOMPARE(part.ranked.size(), 3);
    for (const AnnotationSuggestion& s : part.ranked)
        QVERIFY(!o.exclude.contains(s.id));
    o.unlabelledOnly = true; // every synthetic image has a mask
    QVERIFY_THROWS_EXCEPTION(Error, suggestImagesToAnnotate(o));
}

void TestInference::cliFlags()
{
    const QString out = m_dir.filePath(QStringLiteral("cli"));
    test::Run r = test::masksup(
        { QStringLiteral("predict"), QStringLiteral("--checkpoint"), m_glandsCkpt, QStringLiteral("--input"),
            m_glands + QStringLiteral("/images"), QStringLiteral("--out"), out, QStringLiteral("--inference"),
            QStringLiteral("tiles"), QStringLiteral("--scale"), QStringLiteral("0.75"),
            QStringLiteral("--tta"), QStringLiteral("flip"), QStringLiteral("--save-uncertainty") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(test::filesIn(out).filter(QRegularExpression(QStringLiteral("_uncertainty\\.png$"))).size(), 10);
    r = test::masksup(
        { QStringLiteral("predict"), QStringLiteral("--checkpoint"), m_glandsCkpt, QStringLiteral("--input"),
            m_glands, QStringLiteral("--out"), out, QStringLiteral("--scale"), QStringLiteral("0.5") });
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("--inference tiles only")), qPrintable(r.err));
    r = test::masksup({ QStringLiteral("evaluate"), QStringLiteral("--checkpoint"), m_glandsCkpt,
        QStringLiteral("--dataset"), m_glands, QStringLiteral("--tta"), QStringLiteral("rotate") });
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("--tta expects none or flip")), qPrintable(r.err));
    r = test::masksup({ QStringLiteral("evaluate"), QStringLiteral("--checkpoint"), m_glandsCkpt,
        QStringLiteral("--dataset"), m_glands, QStringLiteral("--split"), QStringLiteral("all"),
        QStringLiteral("--inference"), QStringLiteral("tiles"), QStringLiteral("--json") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("inference")).toObject().value(QStringLiteral("mode")).toString(),
        QStringLiteral("tiles"));
    // The same evaluation through the core gives the same mIoU.
    InferenceOptions tiles;
    tiles.mode = InferenceOptions::Mode::Tiles;
    const EvaluationResult e = evaluateCheckpoint(
        m_glandsCkpt, m_glands, QStringLiteral("all"), QStringLiteral("cpu"), noProgress(), tiles);
    QVERIFY(std::abs(o.value(QStringLiteral("miou")).toDouble() - e.confusion.meanIoU()) < 1e-9);
    // suggest: the ranking as JSON, --count, and a project's reviewed images left out.
    r = test::masksup({ QStringLiteral("suggest"), QStringLiteral("--checkpoint"), m_glandsCkpt,
        QStringLiteral("--dataset"), m_glands, QStringLiteral("--count"), QStringLiteral("4"),
        QStringLiteral("--json") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject s = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(s.value(QStringLiteral("ranked")).toArray().size(), 4);
    QCOMPARE(s.value(QStringLiteral("candidates")).toInt(), 10);
}

QTEST_GUILESS_MAIN(TestInference)
#include "tst_inference.moc"
