// core/train through its Torch-free API: a real (tiny) run, its files, stop, prediction, evaluation.
#include "core/base/error.h"
#include "core/data/image_io.h"
#include "core/data/synth.h"
#include "core/masks/mask_set.h"
#include "core/train/evaluator.h"
#include "core/train/model_store.h"
#include "core/train/predictor.h"
#include "core/train/robustness.h"
#include "core/train/training_session.h"
#include "core/train/training_worker.h"
#include "tests/support/files.h"
#include "tests/support/fixtures.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <opencv2/imgcodecs.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

using namespace msup;

class TestTraining : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void runWritesConfigMetricsAndCheckpoints();
    void metricsLineReadsBack();
    void sameSeedSameLosses();
    void cacheSettingsKeepLossesIdentical();
    void stopAnswersWithinOneBatch();
    void stopBeforeTrainingSavesNothing();
    void predictorKeepsOriginalSize();
    void evaluateMatchesTrainingValidation();
    void controllerRunsOnAnotherThread();
    void badConfigAndDataAreClearErrors();
    void robustnessFallsWithHoleRatio();
    void robustnessRatiosAreChecked();
    void maskFolderAndHoleFillInTraining();
    void batchPreviewShowsWhatTheNetworkSees();
    void unetPlusPlusTrainsAndPredicts();
    void exactResumeMatchesUninterruptedRun();
    void pauseResumeIsExact();
    void divergingLossKeepsLastGoodCheckpoint();
    void periodicCheckpointsWithinAnEpoch();
    void sgdStepScheduleAndCsv();
    void concatenatedBranchesTrain();
    void presetsAndConfigFiles();
    void levitUNetTrainsAndPredicts();
    void configFileValuesAreValidated_data();
    void configFileValuesAreValidated();
    void validateCapsThreadsAlphaAndSeeds();
    void ampAndChannelsLastSettings();
    void voidBatchesTrainAndAllVoidMasksNameTheFiles();

private:
    TrainConfig tinyConfig(const QString& out) const;
    QTemporaryDir m_dir;
    QString m_dataset;
    QString m_scenes;
    QString m_bestCheckpoint;
};

void TestTraining::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_dataset = msup::test::writeTinyDataset(m_dir.filePath(QStringLiteral("glands")));
    m_scenes = msup::test::writeTinyDataset(m_dir.filePath(QStringLiteral("scenes")), SynthKind::Scenes);
}

TrainConfig TestTraining::tinyConfig(const QString& out) const
{
    return msup::test::twoEpochConfig(m_dataset, out);
}

namespace {
// Runs a training and returns the loss of every batch (and, if asked, the samples each epoch decoded).
QVector<double> batchLosses(const TrainConfig& config, QVector<int>* decodedPerEpoch = nullptr)
{
    QVector<double> losses;
    TrainingSession s(config);
    TrainingSession::Callbacks cb;
    cb.batch = [&](const BatchProgress& p) { losses << p.loss; };
    cb.epoch = [&](const EpochMetrics& m) {
        if (decodedPerEpoch)
            *decodedPerEpoch << m.decodedSamples;
    };
    s.run(cb);
    return losses;
}
} // namespace

void TestTraining::runWritesConfigMetricsAndCheckpoints()
{
    const QString run = m_dir.filePath(QStringLiteral("run1"));
    TrainingSession session(tinyConfig(run));
    int batches = 0, epochs = 0;
    TrainingSession::Callbacks cb;
    cb.batch = [&](const BatchProgress& p) {
        ++batches;
        QVERIFY(p.batch >= 1 && p.batch <= p.batchesPerEpoch);
    };
    cb.epoch = [&](const EpochMetrics&) { ++epochs; };
    const TrainResult r = session.run(cb);
    QVERIFY(!r.stopped);
    QCOMPARE(r.epochsCompleted, 2);
    QCOMPARE(epochs, 2);
    QCOMPARE(batches, 2 * 2); // 8 training pairs / batch 4
    QVERIFY(QFile::exists(run + QStringLiteral("/config.json")));
    QVERIFY(QFile::exists(run + QStringLiteral("/split.json")));
    QVERIFY(QFile::exists(run + QStringLiteral("/checkpoints/last.pt")));
    QVERIFY(QFile::exists(run + QStringLiteral("/checkpoints/best.pt")));
    QFile metrics(run + QStringLiteral("/metrics.jsonl"));
    QVERIFY(metrics.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = metrics.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    for (const QByteArray& line : lines) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        for (const char* key : { "epoch", "loss", "loss_seg", "loss_context", "loss_tasksim", "val_miou",
                 "per_class_iou", "lr", "seconds", "images_per_second", "data_wait_seconds",
                 "compute_seconds", "ref_micro_jaccard", "ref_binary_iou" })
            QVERIFY2(o.contains(QLatin1String(key)), key);
        QCOMPARE(o.value(QStringLiteral("per_class_iou")).toArray().size(), 2);
        QVERIFY(o.value(QStringLiteral("loss_tasksim")).toDouble() > 0);
        const double refIou = o.value(QStringLiteral("ref_binary_iou")).toDouble(-1);
        QVERIFY(refIou >= 0 && refIou <= 1); // binary task: the per-image figure is written
        // The warm-up pass decoded everything into the memory cache: no epoch decodes a file.
        QCOMPARE(o.value(QStringLiteral("decoded_samples")).toInt(-1), 0);
    }
    m_bestCheckpoint = r.bestCheckpoint;
    const CheckpointInfo info = readCheckpointInfo(r.bestCheckpoint);
    QCOMPARE(info.config.width, 4);
    QCOMPARE(info.classNames.size(), 2);
    QCOMPARE(info.outputChannels, 1);
}

void TestTraining::cacheSettingsKeepLossesIdentical()
{
    // No memory cache (every batch decodes again) and a disk cache give the very same training as
    // the default memory cache: the cache changes speed, never data.
    auto run = [&](const QString& name, int memoryMb, const QString& diskDir, QVector<int>* decoded) {
        TrainConfig c = tinyConfig(m_dir.filePath(name));
        c.epochs = 2;
        c.cacheMemoryMb = memoryMb;
        c.cacheDir = diskDir;
        return batchLosses(c, decoded);
    };
    QVector<int> decodedMemory, decodedNone, decodedDisk, decodedDiskAgain;
    const QString disk = m_dir.filePath(QStringLiteral("sample-cache"));
    const auto memory = run(QStringLiteral("cacheMem"), 2048, {}, &decodedMemory);
    const auto none = run(QStringLiteral("cacheNone"), 0, {}, &decodedNone);
    const auto onDisk = run(QStringLiteral("cacheDisk"), 0, disk, &decodedDisk);
    const auto onDiskAgain = run(QStringLiteral("cacheDisk2"), 0, disk, &decodedDiskAgain);
    QCOMPARE(none, memory);
    QCOMPARE(onDisk, memory);
    QCOMPARE(onDiskAgain, memory);
    QCOMPARE(decodedMemory, QVector<int>({ 0, 0 }));
    QCOMPARE(decodedNone, QVector<int>({ 10, 10 })); // 8 training + 2 validation pairs per epoch
    QCOMPARE(decodedDisk, QVector<int>({ 0, 0 })); // served from the files the warm-up wrote
    QCOMPARE(decodedDiskAgain, QVector<int>({ 0, 0 }));
    QCOMPARE(QDir(disk).entryList({ QStringLiteral("*.bin") }, QDir::Files).size(), 10);
}

// A metrics line (EpochMetrics::toJson) reads back as the same values (fromJson), nulls as NaN.
void TestTraining::metricsLineReadsBack()
{
    EpochMetrics m;
    m.epoch = 3;
    m.loss = 0.5;
    m.lossSeg = 0.25;
    m.lossContext = 0.125;
    m.lossTasksim = 0.0625;
    m.valMiou = 0.75;
    m.valDice = 0.8;
    m.valPixelAccuracy = 0.9;
    m.perClassIou = { 0.7, std::numeric_limits<double>::quiet_NaN() };
    m.confusion = { 5, 1, 2, 7 };
    m.refMicroJaccard = 0.6;
    m.refBinaryIou = std::numeric_limits<double>::quiet_NaN();
    m.learningRate = 1e-4;
    m.seconds = 12.5;
    m.imagesPerSecond = 40;
    m.dataWaitSeconds = 1.5;
    m.computeSeconds = 10;
    m.decodedSamples = 17;
    const EpochMetrics r = EpochMetrics::fromJson(m.toJson());
    QCOMPARE(r.epoch, 3);
    QCOMPARE(r.loss, 0.5);
    QCOMPARE(r.lossSeg, 0.25);
    QCOMPARE(r.lossContext, 0.125);
    QCOMPARE(r.lossTasksim, 0.0625);
    QCOMPARE(r.valMiou, 0.75);
    QCOMPARE(r.valDice, 0.8);
    QCOMPARE(r.valPixelAccuracy, 0.9);
    QCOMPARE(r.perClassIou.size(), 2);
    QCOMPARE(r.perClassIou[0], 0.7);
    QVERIFY(std::isnan(r.perClassIou[1]));
    QCOMPARE(r.confusion, m.confusion);
    QCOMPARE(r.refMicroJaccard, 0.6);
    QVERIFY(std::isnan(r.refBinaryIou));
    QCOMPARE(r.learningRate, 1e-4);
    QCOMPARE(r.seconds, 12.5);
    QCOMPARE(r.imagesPerSecond, 40.0);
    QCOMPARE(r.dataWaitSeconds, 1.5);
    QCOMPARE(r.computeSeconds, 10.0);
    QCOMPARE(r.decodedSamples, 17);
    QVERIFY(r.classNames.isEmpty()); // not in the line: the run's config has them
}

void TestTraining::sameSeedSameLosses()
{
    auto losses = [&](const QString& run, const QString& augment = QStringLiteral("none")) {
        TrainConfig c = tinyConfig(run);
        c.augment = augment;
        c.epochs = 1;
        return batchLosses(c);
    };
    const auto a = losses(m_dir.filePath(QStringLiteral("seedA")));
    const auto b = losses(m_dir.filePath(QStringLiteral("seedB")));
    QCOMPARE(a.size(), 2);
    QCOMPARE(a, b); // bit-identical on CPU with one thread
    // With augmentation: still reproducible, and the batches really differ.
    const auto c = losses(m_dir.filePath(QStringLiteral("augA")), QStringLiteral("all"));
    const auto d = losses(m_dir.filePath(QStringLiteral("augB")), QStringLiteral("all"));
    QCOMPARE(c, d);
    QVERIFY(c != a);
}

void TestTraining::stopAnswersWithinOneBatch()
{
    const QString run = m_dir.filePath(QStringLiteral("stopped"));
    TrainConfig c = tinyConfig(run);
    c.epochs = 50;
    c.batchSize = 2;
    TrainingSession session(c);
    int batches = 0;
    TrainingSession::Callbacks cb;
    cb.batch = [&](const BatchProgress&) {
        if (++batches == 3)
            session.requestStop();
    };
    const TrainResult r = session.run(cb);
    QVERIFY(r.stopped);
    QCOMPARE(batches, 3); // no further batch after the request
    QVERIFY(QFile::exists(r.lastCheckpoint));
}

void TestTraining::stopBeforeTrainingSavesNothing()
{
    const QString run = m_dir.filePath(QStringLiteral("stopped-early"));
    TrainingSession session(tinyConfig(run));
    session.requestStop();
    int batches = 0;
    TrainingSession::Callbacks cb;
    cb.batch = [&](const BatchProgress&) { ++batches; };
    const TrainResult r = session.run(cb);
    QVERIFY(r.stopped);
    QCOMPARE(batches, 0);
    QVERIFY(r.lastCheckpoint.isEmpty());
    QVERIFY(!QFile::exists(run + QStringLiteral("/checkpoints/last.pt")));
}

void TestTraining::predictorKeepsOriginalSize()
{
    QVERIFY(!m_bestCheckpoint.isEmpty());
    Predictor p(m_bestCheckpoint);
    const cv::Mat rgb(77, 131, CV_8UC3, cv::Scalar(200, 150, 180));
    const cv::Mat labels = p.predict(rgb);
    QCOMPARE(labels.cols, 131);
    QCOMPARE(labels.rows, 77);
    double mx = 0;
    cv::minMaxLoc(labels, nullptr, &mx);
    QVERIFY(mx <= 1);
    QVERIFY_THROWS_EXCEPTION(Error, Predictor(m_dir.filePath(QStringLiteral("none.pt"))));
}

void TestTraining::evaluateMatchesTrainingValidation()
{
    const EvaluationResult r = evaluateCheckpoint(m_bestCheckpoint, m_dataset, QStringLiteral("val"));
    QCOMPARE(r.images, 2); // the run's saved split: 20 % of 10
    QCOMPARE(r.confusion.classes(), 2);
    QVERIFY(r.confusion.meanIoU() >= 0 && r.confusion.meanIoU() <= 1);
    const EvaluationResult all = evaluateCheckpoint(m_bestCheckpoint, m_dataset, QStringLiteral("all"));
    QCOMPARE(all.images, 10);
    // A 6-class dataset cannot be evaluated with a binary checkpoint.
    QVERIFY_THROWS_EXCEPTION(Error, evaluateCheckpoint(m_bestCheckpoint, m_scenes, QStringLiteral("all")));
}

void TestTraining::controllerRunsOnAnotherThread()
{
    TrainingController controller;
    QSignalSpy progress(&controller, &TrainingController::progress);
    QSignalSpy epoch(&controller, &TrainingController::epochFinished);
    QSignalSpy finished(&controller, &TrainingController::finished);
    QSignalSpy failed(&controller, &TrainingController::failed);
    TrainConfig c = tinyConfig(m_dir.filePath(QStringLiteral("threaded")));
    c.datasetPath = m_scenes; // multi-class path too
    QVERIFY(controller.start(c));
    QVERIFY(!controller.start(c)); // one run at a time
    QVERIFY(finished.wait(120000));
    QCOMPARE(failed.count(), 0);
    QCOMPARE(epoch.count(), 2);
    QVERIFY(progress.count() >= 2);
    const auto m = epoch.last().first().value<EpochMetrics>();
    QCOMPARE(m.perClassIou.size(), 6);
}

void TestTraining::badConfigAndDataAreClearErrors()
{
    TrainConfig c = tinyConfig(m_dir.filePath(QStringLiteral("bad")));
    c.mode = QStringLiteral("nonsense");
    QVERIFY_THROWS_EXCEPTION(Error, TrainingSession(c).run({}));
    c = tinyConfig(m_dir.filePath(QStringLiteral("bad")));
    c.datasetPath = m_dir.filePath(QStringLiteral("no-such-folder"));
    try {
        TrainingSession(c).run({});
        QFAIL("no error");
    } catch (const Error& e) {
        QVERIFY(QString::fromStdString(e.what()).contains(c.datasetPath));
    }
    // An explicit format that does not match the folder, and an unknown format name.
    c = tinyConfig(m_dir.filePath(QStringLiteral("bad")));
    c.datasetFormat = QStringLiteral("glas");
    try {
        TrainingSession(c).run({});
        QFAIL("no error");
    } catch (const Error& e) {
        QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("is not a glas folder")), e.what());
    }
    c.datasetFormat = QStringLiteral("pascal-voc");
    QVERIFY_THROWS_EXCEPTION(Error, c.validate());
    c.datasetFormat = QStringLiteral("kvasir-seg");
    c.validate();
    // An output folder below a regular file cannot be created.
    QFile blocker(m_dir.filePath(QStringLiteral("file")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    c = tinyConfig(m_dir.filePath(QStringLiteral("file/run")));
    QVERIFY_THROWS_EXCEPTION(Error, TrainingSession(c).run({}));
}

void TestTraining::robustnessFallsWithHoleRatio()
{
    // A dataset whose foreground is every other column (bright), and a "model" constructed to
    // predict from the unmasked pixels only: a pixel is foreground when it is bright and not hidden.
    // Hiding more pixels can then only lose foreground: mIoU must fall from level to level.
    QTemporaryDir tmp;
    QDir().mkpath(tmp.filePath(QStringLiteral("images")));
    QDir().mkpath(tmp.filePath(QStringLiteral("masks")));
    for (int i = 0; i < 12; ++i) {
        cv::Mat rgb(32, 32, CV_8UC3, cv::Scalar(30, 30, 30)), mask(32, 32, CV_8UC1, cv::Scalar(0));
        for (int x = i % 2; x < 32; x += 2) {
            rgb.col(x).setTo(cv::Scalar(220, 220, 220));
            mask.col(x).setTo(255);
        }
        QVERIFY(cv::imwrite(tmp.filePath(QStringLiteral("images/%1.png").arg(i)).toStdString(), rgb));
        QVERIFY(cv::imwrite(tmp.filePath(QStringLiteral("masks/%1.png").arg(i)).toStdString(), mask));
    }
    const Dataset ds = openDataset(tmp.path());
    QVector<int> all;
    for (int i = 0; i < ds.samples.size(); ++i)
        all << i;
    int calls = 0;
    const MaskedPredictor model = [&](const cv::Mat& rgb, const cv::Mat& holes) {
        ++calls;
        cv::Mat pred(rgb.size(), CV_8UC1);
        for (int y = 0; y < rgb.rows; ++y)
            for (int x = 0; x < rgb.cols; ++x)
                pred.at<uchar>(y, x)
                    = rgb.at<cv::Vec3b>(y, x)[0] > 128 && (holes.empty() || !holes.at<uchar>(y, x));
        return pred;
    };
    const auto levels = parseRobustnessRatios(QStringLiteral("0,0.1,0.2,0.3,0.4,0.5,0.6"));
    QCOMPARE(levels.size(), 7);
    const RobustnessResult r = robustnessCurve(ds, all, 32, levels, 3, model);
    QCOMPARE(calls, 12 * 7);
    QCOMPARE(r.levels.size(), 7);
    QCOMPARE(r.levels[0].confusion.meanIoU(), 1.0); // unmasked: perfect
    for (int k = 1; k < r.levels.size(); ++k) {
        QVERIFY2(r.levels[k].confusion.meanIoU() < r.levels[k - 1].confusion.meanIoU(),
            qPrintable(QString::number(k)));
        QVERIFY(r.levels[k].meanHoleRatio > r.levels[k].lo && r.levels[k].meanHoleRatio <= r.levels[k].hi);
    }
    // Seeded: the same masks, so the same figures; another seed gives other masks.
    const RobustnessResult again = robustnessCurve(ds, all, 32, levels, 3, model);
    QCOMPARE(again.toCsv(), r.toCsv());
    QVERIFY(robustnessCurve(ds, all, 32, levels, 4, model).toCsv() != r.toCsv());
    QCOMPARE(r.toCsv().count(QLatin1Char('\n')), 8); // header + 7 levels
    QCOMPARE(r.toJson().value(QStringLiteral("levels")).toArray().size(), 7);
}

void TestTraining::robustnessRatiosAreChecked()
{
    const auto l = parseRobustnessRatios(QStringLiteral("0.2,0.4"));
    QCOMPARE(l.size(), 2);
    QCOMPARE(l[0], std::make_pair(0.0, 0.2));
    QCOMPARE(l[1], std::make_pair(0.2, 0.4));
    for (const char* bad : { "", "0,0.5,0.3", "0,1.5", "-0.1,0.2", "0,abc", "0,0.1,0.1" }) {
        bool threw = false;
        try {
            parseRobustnessRatios(QString::fromLatin1(bad));
        } catch (const Error&) {
            threw = true;
        }
        QVERIFY2(threw, bad);
    }
}

void TestTraining::maskFolderAndHoleFillInTraining()
{
    QTemporaryDir masks;
    for (int i = 0; i < 3; ++i) {
        cv::Mat m(40, 40, CV_8UC1, cv::Scalar(0));
        m.rowRange(0, 21 + i).setTo(255); // ratios 0.525, 0.55, 0.575
        QVERIFY(cv::imwrite(masks.filePath(QStringLiteral("m%1.png").arg(i)).toStdString(), m));
    }
    auto losses = [&](const QString& name, const QString& folder, const QString& fill) {
        TrainConfig c = tinyConfig(m_dir.filePath(name));
        c.epochs = 1;
        c.maskFolder = folder;
        c.holeFill = fill;
        return batchLosses(c);
    };
    const auto generated = losses(QStringLiteral("fillZero"), {}, QStringLiteral("zero"));
    const auto folder = losses(QStringLiteral("maskFolder"), masks.path(), QStringLiteral("zero"));
    const auto folderAgain = losses(QStringLiteral("maskFolder2"), masks.path(), QStringLiteral("zero"));
    const auto noise = losses(QStringLiteral("fillNoise"), {}, QStringLiteral("noise"));
    const auto noiseAgain = losses(QStringLiteral("fillNoise2"), {}, QStringLiteral("noise"));
    const auto black = losses(QStringLiteral("fillBlack"), {}, QStringLiteral("black"));
    QCOMPARE(folder, folderAgain); // seeded
    QCOMPARE(noise, noiseAgain);
    QVERIFY(folder != generated);
    QVERIFY(noise != generated);
    QVERIFY(black != generated && black != noise);
    // The run records where its masks came from.
    QFile config(m_dir.filePath(QStringLiteral("maskFolder/config.json")));
    QVERIFY(config.open(QIODevice::ReadOnly));
    const QJsonObject o = QJsonDocument::fromJson(config.readAll()).object();
    QVERIFY(o.value(QStringLiteral("mask_source")).toString().contains(QStringLiteral("3 of 3 masks")));
    QCOMPARE(o.value(QStringLiteral("mask_folder")).toString(), masks.path());
    QCOMPARE(o.value(QStringLiteral("hole_fill")).toString(), QStringLiteral("zero"));
    // A bad fill, and a folder without masks in the ratio interval, are clear errors.
    TrainConfig c = tinyConfig(m_dir.filePath(QStringLiteral("badFill")));
    c.holeFill = QStringLiteral("purple");
    QVERIFY_THROWS_EXCEPTION(Error, c.validate());
    c = tinyConfig(m_dir.filePath(QStringLiteral("badFolder")));
    c.maskFolder = masks.path();
    c.holeRatio = QStringLiteral("low");
    try {
        TrainingSession(c).run({});
        QFAIL("no error");
    } catch (const Error& e) {
        QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("hole ratio in")), e.what());
    }
}

void TestTraining::batchPreviewShowsWhatTheNetworkSees()
{
    TrainConfig c = tinyConfig(m_dir.filePath(QStringLiteral("preview")));
    const BatchPreview a = previewTrainingBatch(c, 1, 2);
    const BatchPreview b = previewTrainingBatch(c, 1, 2);
    QCOMPARE(a.ids.size(), 4);
    QCOMPARE(a.ids, b.ids);
    QVERIFY(previewTrainingBatch(c, 2, 2).ids != a.ids
        || previewTrainingBatch(c, 2, 1).ids != previewTrainingBatch(c, 1, 1).ids);
    QVERIFY(!QFileInfo::exists(c.outDir)); // a preview writes nothing
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(a.clean[i].size(), cv::Size(32, 32));
        QCOMPARE(cv::norm(a.masked[i], b.masked[i], cv::NORM_INF), 0.0); // seeded
        const double r = holeRatio(a.holes[i]);
        QVERIFY2(r > 0.5 && r <= 0.6, qPrintable(QString::number(r)));
        // Kept pixels are the clean input; hidden ones are 0 after normalisation, i.e. mid-grey.
        for (int y = 0; y < 32; ++y)
            for (int x = 0; x < 32; ++x) {
                const cv::Vec3b m = a.masked[i].at<cv::Vec3b>(y, x);
                if (a.holes[i].at<uchar>(y, x))
                    QCOMPARE(m, cv::Vec3b(128, 128, 128));
                else
                    QCOMPARE(m, a.clean[i].at<cv::Vec3b>(y, x));
            }
    }
    // Black fill, and the batch of a run folder follows its saved split.
    c.holeFill = QStringLiteral("black");
    const BatchPreview black = previewTrainingBatch(c, 1, 1);
    const cv::Mat hidden = black.holes[0] != 0;
    QCOMPARE(cv::countNonZero(hidden), cv::countNonZero(black.holes[0]));
    for (int y = 0; y < 32; ++y)
        for (int x = 0; x < 32; ++x)
            if (black.holes[0].at<uchar>(y, x))
                QCOMPARE(black.masked[0].at<cv::Vec3b>(y, x), cv::Vec3b(0, 0, 0));
    QVERIFY_THROWS_EXCEPTION(Error, previewTrainingBatch(c, 1, 3)); // 8 pairs / 4 = 2 batches
}

void TestTraining::unetPlusPlusTrainsAndPredicts()
{
    TrainConfig c = tinyConfig(m_dir.filePath(QStringLiteral("unetpp")));
    c.model = QStringLiteral("unetpp");
    c.datasetPath = m_scenes; // multi-class
    c.epochs = 1;
    const TrainResult r = TrainingSession(c).run({});
    QCOMPARE(r.epochsCompleted, 1);
    QFile metrics(c.outDir + QStringLiteral("/metrics.jsonl"));
    QVERIFY(metrics.open(QIODevice::ReadOnly));
    const QJsonObject line = QJsonDocument::fromJson(metrics.readLine()).object();
    QVERIFY(line.value(QStringLiteral("ref_binary_iou")).isNull()); // multi-class: not a binary figure
    QVERIFY(line.value(QStringLiteral("ref_micro_jaccard")).toDouble(-1) >= 0);
    Predictor p(r.bestCheckpoint);
    QCOMPARE(p.info().config.model, QStringLiteral("unetpp"));
    const cv::Mat pred = p.predict(cv::Mat(50, 70, CV_8UC3, cv::Scalar(90, 120, 30)));
    QCOMPARE(pred.size(), cv::Size(70, 50));
    double mx = 0;
    cv::minMaxLoc(pred, nullptr, &mx);
    QVERIFY(mx < p.info().classNames.size());
    QCOMPARE(summarizeModel(QStringLiteral("unetpp"), 40, 32).parameters, qint64(9164616));
    QVERIFY_THROWS_EXCEPTION(Error, summarizeModel(QStringLiteral("nope"), 2, 8));
}

using msup::test::jsonLines;

void TestTraining::exactResumeMatchesUninterruptedRun()
{
    // 8 training pairs in batches of 2: 4 batches an epoch.
    TrainConfig c = tinyConfig(m_dir.filePath(QStringLiteral("straight")));
    c.batchSize = 2;
    c.epochs = 4;
    c.augment = QStringLiteral("all"); // augmentation draws must resume exactly too
    QVector<double> straightLosses;
    {
        TrainingSession s(c);
        TrainingSession::Callbacks cb;
        cb.batch = [&](const BatchProgress& p) { straightLosses << p.loss; };
        QCOMPARE(s.run(cb).epochsCompleted, 4);
    }
    // The same run: 2 epochs, then (in new sessions, from last.pt alone) resumed to 4, stopped in the
    // middle of epoch 3 and resumed again.
    const QString split = m_dir.filePath(QStringLiteral("split-run"));
    TrainConfig first = c;
    first.outDir = split;
    first.epochs = 2;
    QVector<double> losses;
    {
        TrainingSession s(first);
        TrainingSession::Callbacks cb;
        cb.batch = [&](const BatchProgress& p) { losses << p.loss; };
        QCOMPARE(s.run(cb).epochsCompleted, 2);
    }
    TrainConfig again = TrainingSession::configForResume(split);
    QCOMPARE(again.epochs, 2);
    QCOMPARE(again.seed, c.seed);
    again.epochs = 4;
    {
        TrainingSession s(again);
        s.resumeFrom(TrainingSession::lastCheckpointOf(split));
        TrainingSession::Callbacks cb;
        cb.batch = [&](const BatchProgress& p) {
            losses << p.loss;
            if (p.epoch == 3 && p.batch == 2)
                s.requestStop();
        };
        const TrainResult r = s.run(cb);
        QVERIFY(r.stopped);
        QCOMPARE(r.epochsCompleted, 2);
    }
    const CheckpointInfo mid = readCheckpointInfo(TrainingSession::lastCheckpointOf(split));
    QCOMPARE(mid.epoch, 2);
    QCOMPARE(mid.trainingState.value(QStringLiteral("batch")).toInt(), 2);
    {
        TrainingSession s(TrainingSession::configForResume(split));
        QCOMPARE(s.config().epochs, 4); // the resumed run's target is kept
        s.resumeFrom(TrainingSession::lastCheckpointOf(split));
        TrainingSession::Callbacks cb;
        cb.batch = [&](const BatchProgress& p) { losses << p.loss; };
        const TrainResult r = s.run(cb);
        QVERIFY(!r.stopped);
        QCOMPARE(r.epochsCompleted, 4);
    }
    QCOMPARE(losses, straightLosses);
    QCOMPARE(checkpointWeightsDigest(TrainingSession::lastCheckpointOf(split)),
        checkpointWeightsDigest(TrainingSession::lastCheckpointOf(c.outDir)));
    // metrics.jsonl tells the same story: one line per epoch, the same losses and mIoU.
    const QVector<QJsonObject> a = jsonLines(c.outDir + QStringLiteral("/metrics.jsonl")),
                               b = jsonLines(split + QStringLiteral("/metrics.jsonl"));
    QCOMPARE(b.size(), 4);
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(b[i].value(QStringLiteral("epoch")).toInt(), i + 1);
        for (const char* key : { "loss", "loss_seg", "loss_context", "loss_tasksim", "val_miou" })
            QCOMPARE(b[i].value(QLatin1String(key)).toDouble(), a[i].value(QLatin1String(key)).toDouble());
    }
    // Resuming a finished run does nothing and says so.
    {
        TrainingSession s(TrainingSession::configForResume(split));
        s.resumeFrom(TrainingSession::lastCheckpointOf(split));
        int batches = 0;
        TrainingSession::Callbacks cb;
        cb.batch = [&](const BatchProgress&) { ++batches; };
        QCOMPARE(s.run(cb).epochsCompleted, 4);
        QCOMPARE(batches, 0);
    }
    // A folder without a checkpoint is a clear error.
    try {
        TrainingSession::configForResume(m_dir.path());
        QFAIL("expected an error");
    } catch (const Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("last.pt")), e.what());
    }
}

void TestTraining::pauseResumeIsExact()
{
    TrainConfig c = tinyConfig(m_dir.filePath(QStringLiteral("unpaused")));
    c.batchSize = 2;
    const QVector<double> expected = batchLosses(c);
    c.outDir = m_dir.filePath(QStringLiteral("paused"));
    TrainingSession s(c);
    QVector<double> losses;
    QVector<bool> pausedEvents;
    std::thread resumer;
    TrainingSession::Callbacks cb;
    cb.batch = [&](const BatchProgress& p) {
        losses << p.loss;
        if (p.epoch == 1 && p.batch == 2) {
            s.pause();
            QVERIFY(s.isPaused());
            // Resumed from another thread, as the GUI does, after the loop has been held a while.
            resumer = std::thread([&] {
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
                s.resume();
            });
        }
    };
    cb.paused = [&](bool paused) { pausedEvents << paused; };
    const TrainResult r = s.run(cb);
    resumer.join();
    QVERIFY(!r.stopped);
    QCOMPARE(pausedEvents, (QVector<bool> { true, false }));
    QCOMPARE(losses, expected);
    QCOMPARE(checkpointWeightsDigest(r.lastCheckpoint),
        checkpointWeightsDigest(
            TrainingSession::lastCheckpointOf(m_dir.filePath(QStringLiteral("unpaused")))));
    // Stop while paused: the run ends without another batch.
    c.outDir = m_dir.filePath(QStringLiteral("paused-stopped"));
    TrainingSession s2(c);
    int batches = 0;
    std::thread stopper;
    TrainingSession::Callbacks cb2;
    cb2.batch = [&](const BatchProgress&) {
        if (++batches == 1) {
            s2.pause();
            stopper = std::thread([&] {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                s2.requestStop();
            });
        }
    };
    const TrainResult r2 = s2.run(cb2);
    stopper.join();
    QVERIFY(r2.stopped);
    QCOMPARE(batches, 1);
    QCOMPARE(readCheckpointInfo(r2.lastCheckpoint).trainingState.value(QStringLiteral("batch")).toInt(), 1);
}

void TestTraining::divergingLossKeepsLastGoodCheckpoint()
{
    // Epoch 1 trains normally; from epoch 2 the step schedule multiplies the learning rate by 1e30,
    // so the weights overflow and the loss stops being finite.
    TrainConfig c = tinyConfig(m_dir.filePath(QStringLiteral("diverging")));
    c.optimizer = QStringLiteral("sgd");
    c.learningRate = 0.01;
    c.lrSchedule = QStringLiteral("step");
    c.lrStepEpochs = 1;
    c.lrGamma = 1e30;
    c.epochs = 4;
    TrainingSession s(c);
    QString message;
    try {
        s.run({});
        QFAIL("the run should have failed");
    } catch (const Error& e) {
        message = QString::fromUtf8(e.what());
    }
    QVERIFY2(message.contains(QStringLiteral("at epoch 2, batch")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("last good checkpoint")), qPrintable(message));
    const QString last = TrainingSession::lastCheckpointOf(c.outDir);
    QVERIFY2(message.contains(last), qPrintable(message));
    const CheckpointInfo info = readCheckpointInfo(last);
    QCOMPARE(info.epoch, 1);
    // The kept weights are the finite ones of epoch 1: they load and predict.
    Predictor p(last);
    const cv::Mat labels = p.predict(cv::Mat(40, 40, CV_8UC3, cv::Scalar(90, 60, 120)));
    QCOMPARE(labels.rows, 40);
    QCOMPARE(jsonLines(c.outDir + QStringLiteral("/metrics.jsonl")).size(), 1);
}

void TestTraining::periodicCheckpointsWithinAnEpoch()
{
    // A tiny interval (0.6 ms): last.pt is rewritten after every batch, with its position.
    TrainConfig c = tinyConfig(m_dir.filePath(QStringLiteral("periodic")));
    c.batchSize = 2;
    c.epochs = 1;
    c.checkpointMinutes = 1e-5;
    TrainingSession s(c);
    QVector<int> positions;
    TrainingSession::Callbacks cb;
    cb.batch = [&](const BatchProgress& p) {
        if (p.batch < p.batchesPerEpoch) {
            const CheckpointInfo info = readCheckpointInfo(TrainingSession::lastCheckpointOf(c.outDir));
            positions << info.trainingState.value(QStringLiteral("batch")).toInt();
            QCOMPARE(info.epoch, 0);
        }
    };
    s.run(cb);
    QCOMPARE(positions, (QVector<int> { 1, 2, 3 }));
    QCOMPARE(readCheckpointInfo(TrainingSession::lastCheckpointOf(c.outDir)).epoch, 1);
}

void TestTraining::sgdStepScheduleAndCsv()
{
    TrainConfig c = tinyConfig(m_dir.filePath(QStringLiteral("sgd")));
    c.optimizer = QStringLiteral("sgd");
    c.learningRate = 0.05;
    c.lrSchedule = QStringLiteral("step");
    c.lrStepEpochs = 2;
    c.lrGamma = 0.1;
    c.epochs = 3;
    TrainingSession s(c);
    s.run({});
    const QVector<QJsonObject> lines = jsonLines(c.outDir + QStringLiteral("/metrics.jsonl"));
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0].value(QStringLiteral("lr")).toDouble(), 0.05);
    QCOMPARE(lines[1].value(QStringLiteral("lr")).toDouble(), 0.05);
    QVERIFY(qFuzzyCompare(lines[2].value(QStringLiteral("lr")).toDouble(), 0.005));
    QFile csv(c.outDir + QStringLiteral("/metrics.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = csv.readAll().trimmed().split('\n');
    QCOMPARE(rows.size(), 4);
    const QList<QByteArray> header = rows[0].split(',');
    QCOMPARE(header.first(), QByteArray("epoch"));
    QVERIFY(header.contains("val_miou"));
    QVERIFY(header.contains("ref_binary_iou"));
    QCOMPARE(header.last(), QByteArray("iou_gland"));
    for (int i = 1; i <= 3; ++i) {
        const QList<QByteArray> cells = rows[i].split(',');
        QCOMPARE(cells.size(), header.size());
        QCOMPARE(cells[0].toInt(), i);
        QCOMPARE(cells[header.indexOf("val_miou")].toDouble(),
            lines[i - 1].value(QStringLiteral("val_miou")).toDouble());
    }
    QCOMPARE(readCheckpointInfo(TrainingSession::lastCheckpointOf(c.outDir)).config.optimizer,
        QStringLiteral("sgd"));
    QCOMPARE(readCheckpointInfo(TrainingSession::lastCheckpointOf(c.outDir))
                 .metrics.value(QStringLiteral("epoch"))
                 .toInt(),
        3);
}

void TestTraining::concatenatedBranchesTrain()
{
    TrainConfig c = tinyConfig(m_dir.filePath(QStringLiteral("separate")));
    c.epochs = 1;
    const QVector<double> separate = batchLosses(c);
    c.outDir = m_dir.filePath(QStringLiteral("concat"));
    c.branches = QStringLiteral("concat");
    const QVector<double> concat = batchLosses(c);
    QCOMPARE(concat.size(), separate.size());
    for (double l : concat)
        QVERIFY(std::isfinite(l) && l > 0);
    // BatchNorm normalises clean and masked images together: the first loss already differs.
    QVERIFY(concat.first() != separate.first());
    QCOMPARE(batchLosses(c), concat); // and it is as deterministic
    // Mixed precision named explicitly is CUDA only: a clear error on the CPU, before anything is
    // written in the run folder.
    for (const QString& amp : { QStringLiteral("on"), QStringLiteral("bf16"), QStringLiteral("fp16") }) {
        c.amp = amp;
        c.outDir = m_dir.filePath(QStringLiteral("amp-cpu-") + amp);
        try {
            TrainingSession(c).run({});
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("CUDA")), e.what());
        }
        QVERIFY(!QFile::exists(c.outDir + QStringLiteral("/config.json")));
    }
    // auto resolves to float32 on the CPU and config.json says so; channels-last (NHWC weights and
    // inputs) computes the same convolutions in another memory order: finite, deterministic, and
    // close to the NCHW losses.
    c.amp = QStringLiteral("auto");
    c.branches = QStringLiteral("separate");
    c.channelsLast = true;
    c.outDir = m_dir.filePath(QStringLiteral("channels-last"));
    const QVector<double> nhwc = batchLosses(c);
    QCOMPARE(nhwc.size(), separate.size());
    for (int i = 0; i < nhwc.size(); ++i)
        QVERIFY2(std::abs(nhwc[i] - separate[i]) <= 1e-3 * std::abs(separate[i]),
            qPrintable(QStringLiteral("batch %1: %2 vs %3").arg(i).arg(nhwc[i]).arg(separate[i])));
    QFile config(c.outDir + QStringLiteral("/config.json"));
    QVERIFY(config.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(config.readAll()).object();
    QCOMPARE(json.value(QStringLiteral("precision")).toString(), QStringLiteral("float32"));
    QCOMPARE(json.value(QStringLiteral("channels_last")).toBool(), true);
}

void TestTraining::presetsAndConfigFiles()
{
    QCOMPARE(trainPresetNames(),
        (QStringList { QStringLiteral("glas-levit384"), QStringLiteral("polyp-levit384"),
            QStringLiteral("nyu-unetpp"), QStringLiteral("quick-cpu") }));
    const TrainConfig nyu = applyTrainPreset(QStringLiteral("nyu-unetpp"));
    QCOMPARE(nyu.model, QStringLiteral("unetpp"));
    QCOMPARE(nyu.width, 32);
    QCOMPARE(nyu.optimizer, QStringLiteral("sgd"));
    QCOMPARE(nyu.learningRate, 0.01);
    QCOMPARE(nyu.momentum, 0.9);
    QCOMPARE(nyu.weightDecay, 5e-4);
    QCOMPARE(nyu.learningRateAt(60), 0.01);
    QVERIFY(qFuzzyCompare(nyu.learningRateAt(61), 0.001));
    QVERIFY(qFuzzyCompare(nyu.learningRateAt(121), 0.0001));
    const TrainConfig glas = applyTrainPreset(QStringLiteral("glas-levit384"));
    QCOMPARE(glas.model, QStringLiteral("levit384"));
    QCOMPARE(glas.optimizer, QStringLiteral("adam"));
    QVERIFY(glas.amsgrad);
    QCOMPARE(glas.learningRate, 1e-4);
    QCOMPARE(glas.weightDecay, 1e-5);
    QCOMPARE(glas.batchSize, 8);
    QCOMPARE(glas.imageSize, 224);
    QCOMPARE(glas.epochs, 200);
    QCOMPARE(applyTrainPreset(QStringLiteral("polyp-levit384")).model, QStringLiteral("levit384"));
    for (const QString& name : trainPresetNames()) {
        TrainConfig p = applyTrainPreset(name);
        p.datasetPath = m_dataset;
        p.outDir = m_dir.path();
        p.validate(); // every preset is a valid config
        QVERIFY(!trainPresetDescription(name).isEmpty());
        QCOMPARE(TrainConfig::fromJson(p.toJson()).toJson(), p.toJson()); // round trip
    }
    // A saved preset, edited: its keys override the preset named in it.
    const QString file = m_dir.filePath(QStringLiteral("my-config.json"));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"preset": "quick-cpu", "width": 6, "epochs": 3})");
    }
    const TrainConfig mine = TrainConfig::fromFile(file);
    QCOMPARE(mine.preset, QStringLiteral("quick-cpu"));
    QCOMPARE(mine.width, 6);
    QCOMPARE(mine.epochs, 3);
    QCOMPARE(mine.imageSize, 128); // from the preset
    // Mistakes name the file and what is wrong.
    auto expectError = [&](const QByteArray& text, const QString& expected) {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
        f.close();
        try {
            TrainConfig::fromFile(file);
            QFAIL("expected an error");
        } catch (const Error& e) {
            const QString m = QString::fromUtf8(e.what());
            QVERIFY2(m.contains(file) && m.contains(expected), qPrintable(m));
        }
    };
    expectError(R"({"widht": 6})", QStringLiteral("unknown keys: widht"));
    expectError("{\n \"width\": 6,\n \"epochs\" 3\n}", QStringLiteral("line 3"));
    expectError(R"({"width": "six"})", QStringLiteral("'width' must be a number"));
    expectError(R"({"preset": "nope"})", QStringLiteral("unknown preset 'nope'"));
}

void TestTraining::levitUNetTrainsAndPredicts()
{
    // LeViT-UNet-128s through the whole engine, at 64² to stay light (the paper uses 224²).
    TrainConfig c = tinyConfig(m_dir.filePath(QStringLiteral("levit")));
    c.model = QStringLiteral("levit128s");
    c.imageSize = 64;
    c.epochs = 1;
    c.batchSize = 4;
    const TrainResult r = TrainingSession(c).run({});
    QCOMPARE(r.epochsCompleted, 1);
    QCOMPARE(readCheckpointInfo(r.lastCheckpoint).config.model, QStringLiteral("levit128s"));
    Predictor p(r.lastCheckpoint);
    const cv::Mat labels = p.predict(cv::Mat(50, 70, CV_8UC3, cv::Scalar(120, 40, 90)));
    QCOMPARE(labels.cols, 70);
    QCOMPARE(labels.rows, 50);
    // Attention biases are sized for the training input: another size is refused clearly.
    try {
        Predictor other(r.lastCheckpoint, QStringLiteral("cpu"), 128);
        QFAIL("expected an error");
    } catch (const Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("only takes the size")), e.what());
    }
}

void TestTraining::ampAndChannelsLastSettings()
{
    const TrainConfig defaults;
    QCOMPARE(defaults.amp, QStringLiteral("auto"));
    QCOMPARE(defaults.channelsLast, false);
    QCOMPARE(TrainConfig::ampValues(),
        (QStringList {
            QStringLiteral("auto"), QStringLiteral("bf16"), QStringLiteral("fp16"), QStringLiteral("off") }));
    // Every value round-trips through config.json's keys and is valid.
    for (const QString& amp : TrainConfig::ampValues() + QStringList { QStringLiteral("on") }) {
        for (bool channelsLast : { false, true }) {
            TrainConfig c;
            c.amp = amp;
            c.channelsLast = channelsLast;
            const QJsonObject json = c.toJson();
            QCOMPARE(json.value(QStringLiteral("amp")).toString(), amp);
            QCOMPARE(json.value(QStringLiteral("channels_last")).toBool(), channelsLast);
            const TrainConfig back = TrainConfig::fromJson(json);
            QCOMPARE(back.amp, amp);
            QCOMPARE(back.channelsLast, channelsLast);
            QCOMPARE(back.toJson(), json);
            back.validateSettings();
        }
    }
    // A config file of an older version ("amp": "on") still loads; a run's config.json with the
    // precision it resolved to is accepted back as a config file.
    const QString file = m_dir.filePath(QStringLiteral("amp-config.json"));
    auto write = [&](const QByteArray& text) {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    };
    write(R"({"amp": "on", "epochs": 2})");
    QCOMPARE(TrainConfig::fromFile(file).amp, QStringLiteral("on"));
    write(R"({"amp": "fp16", "channels_last": true, "precision": "fp16"})");
    const TrainConfig fp16 = TrainConfig::fromFile(file);
    QCOMPARE(fp16.amp, QStringLiteral("fp16"));
    QVERIFY(fp16.channelsLast);
    QVERIFY(TrainConfig::unknownKeys(QJsonObject { { QStringLiteral("precision"), QStringLiteral("bf16") } })
                .isEmpty());
    // A bad value names the file, the key and the accepted values.
    write(R"({"amp": "bf32"})");
    try {
        TrainConfig::fromFile(file);
        QFAIL("expected an error");
    } catch (const Error& e) {
        const QString m = QString::fromUtf8(e.what());
        QVERIFY2(m.contains(file)
                && m.contains(QStringLiteral("'amp' (--amp) must be auto, bf16, fp16 or off"))
                && m.contains(QStringLiteral("bf32")),
            qPrintable(m));
    }
}

void TestTraining::configFileValuesAreValidated_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("key");
    // "threads": 1000000 once hung in the thread pool's start-up (~1,400 threads, SIGTERM ignored):
    // the --threads flag was capped, the config key was not.
    QTest::newRow("threads 1000000") << QByteArray(R"({"threads": 1000000})") << QStringLiteral("threads");
    QTest::newRow("threads -4") << QByteArray(R"({"threads": -4})") << QStringLiteral("threads");
    QTest::newRow("threads 1.5") << QByteArray(R"({"threads": 1.5})") << QStringLiteral("threads");
    QTest::newRow("threads 1e10") << QByteArray(R"({"threads": 1e10})") << QStringLiteral("threads");
    QTest::newRow("threads string") << QByteArray(R"({"threads": "8"})") << QStringLiteral("threads");
    QTest::newRow("alpha_seg -1") << QByteArray(R"({"alpha_seg": -1})") << QStringLiteral("alpha_seg");
    QTest::newRow("alpha_context -0.5")
        << QByteArray(R"({"alpha_context": -0.5})") << QStringLiteral("alpha_context");
    QTest::newRow("alpha_tasksim string")
        << QByteArray(R"({"alpha_tasksim": "one"})") << QStringLiteral("alpha_tasksim");
    QTest::newRow("seed -1") << QByteArray(R"({"seed": -1})") << QStringLiteral("seed");
    QTest::newRow("seed abc") << QByteArray(R"({"seed": "abc"})") << QStringLiteral("seed");
    QTest::newRow("seed 2.5") << QByteArray(R"({"seed": 2.5})") << QStringLiteral("seed");
    QTest::newRow("seed true") << QByteArray(R"({"seed": true})") << QStringLiteral("seed");
    QTest::newRow("epochs 0") << QByteArray(R"({"epochs": 0})") << QStringLiteral("epochs");
    QTest::newRow("batch_size huge") << QByteArray(R"({"batch_size": 100000})")
                                     << QStringLiteral("batch_size");
    QTest::newRow("lr 100") << QByteArray(R"({"lr": 100})") << QStringLiteral("lr");
    QTest::newRow("val_fraction 1") << QByteArray(R"({"val_fraction": 1})") << QStringLiteral("val_fraction");
    QTest::newRow("cache_memory_mb -1")
        << QByteArray(R"({"cache_memory_mb": -1})") << QStringLiteral("cache_memory_mb");
    QTest::newRow("amp half") << QByteArray(R"({"amp": "half"})") << QStringLiteral("amp");
    QTest::newRow("amp true") << QByteArray(R"({"amp": true})") << QStringLiteral("amp");
    QTest::newRow("channels_last 1") << QByteArray(R"({"channels_last": 1})")
                                     << QStringLiteral("channels_last");
}

void TestTraining::configFileValuesAreValidated()
{
    // One validation for every source: a --config file's keys get the ranges, caps and types of the
    // flags, and the error names the file and the key.
    QFETCH(QByteArray, json);
    QFETCH(QString, key);
    const QString file = m_dir.filePath(
        QStringLiteral("checked-%1.json")
            .arg(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_'))));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(json);
    }
    try {
        const TrainConfig c = TrainConfig::fromFile(file);
        QFAIL(qPrintable(QStringLiteral("accepted: threads %1, alpha %2/%3/%4, seed %5")
                             .arg(c.threads)
                             .arg(c.alphaSeg)
                             .arg(c.alphaContext)
                             .arg(c.alphaTasksim)
                             .arg(c.seed)));
    } catch (const Error& e) {
        const QString message = QString::fromStdString(e.what());
        QVERIFY2(message.contains(file), qPrintable(message));
        QVERIFY2(message.contains(QLatin1Char('\'') + key + QLatin1Char('\'')), qPrintable(message));
    }
}

void TestTraining::validateCapsThreadsAlphaAndSeeds()
{
    // The same limits when a config is built in code (GUI, project files) and validated.
    auto refused = [](const TrainConfig& c, const char* key) {
        try {
            c.validate();
        } catch (const Error& e) {
            return QString::fromStdString(e.what()).contains(QLatin1String(key));
        }
        return false;
    };
    TrainConfig c = tinyConfig(m_dir.filePath(QStringLiteral("limits")));
    c.validate();
    c.threads = TrainLimits::threadsMax;
    c.validate();
    c.threads = 1000000;
    QVERIFY(refused(c, "threads"));
    c.threads = -1;
    QVERIFY(refused(c, "threads"));
    c = tinyConfig(m_dir.filePath(QStringLiteral("limits")));
    c.alphaTasksim = -0.1;
    QVERIFY(refused(c, "alpha_tasksim"));
    c.alphaTasksim = std::nan("");
    QVERIFY(refused(c, "alpha_tasksim"));
    c.alphaTasksim = 0; // a term switched off is fine
    c.validate();
    // A seed written as a string of digits (config.json) reads back whole, up to 2^64 - 1.
    QCOMPARE(TrainConfig::fromJson(
                 QJsonObject { { QStringLiteral("seed"), QStringLiteral("18446744073709551615") } })
                 .seed,
        std::uint64_t(18446744073709551615ULL));
    QCOMPARE(TrainConfig::fromJson(QJsonObject { { QStringLiteral("seed"), 42 } }).seed, std::uint64_t(42));
    QVERIFY_THROWS_EXCEPTION(
        Error, TrainConfig::fromJson(QJsonObject { { QStringLiteral("seed"), QStringLiteral("-1") } }));
}

void TestTraining::voidBatchesTrainAndAllVoidMasksNameTheFiles()
{
    // A copy of the scenes sample whose masks are partly, then entirely, void (255).
    auto copyWithVoidMasks = [&](const QString& name, bool all) {
        const QString dir = m_dir.filePath(name);
        QDir().mkpath(dir);
        int n = 0;
        for (const QFileInfo& fi : QDir(m_scenes).entryInfoList(QDir::Files, QDir::Name)) {
            const QString to = QDir(dir).filePath(fi.fileName());
            if (fi.fileName().endsWith(QLatin1String("_mask.png")) && (all || n++ % 2 == 0)) {
                const cv::Mat voidMask(64, 64, CV_8UC1, cv::Scalar(255));
                if (!cv::imwrite(to.toStdString(), voidMask))
                    return QString();
            } else if (!QFile::copy(fi.absoluteFilePath(), to)) {
                return QString();
            }
        }
        return dir;
    };
    // Half the masks void, one image a batch: the void batches add no segmentation or context loss
    // (they once made it NaN and stopped the run with advice to lower the learning rate).
    TrainConfig c = tinyConfig(m_dir.filePath(QStringLiteral("someVoidRun")));
    c.datasetPath = copyWithVoidMasks(QStringLiteral("someVoid"), false);
    QVERIFY(!c.datasetPath.isEmpty());
    c.batchSize = 1;
    c.epochs = 1;
    QVector<double> losses;
    TrainingSession::Callbacks cb;
    cb.batch = [&](const BatchProgress& p) { losses << p.loss; };
    const TrainResult r = TrainingSession(c).run(cb);
    QCOMPARE(r.epochsCompleted, 1);
    QVERIFY(!losses.isEmpty());
    for (double l : losses)
        QVERIFY(std::isfinite(l));
    // Every mask void: nothing to learn, said with the files (not a NaN and learning-rate advice).
    c = tinyConfig(m_dir.filePath(QStringLiteral("allVoidRun")));
    c.datasetPath = copyWithVoidMasks(QStringLiteral("allVoid"), true);
    c.batchSize = 4;
    try {
        TrainingSession(c).run({});
        QFAIL("an all-void training set trained");
    } catch (const Error& e) {
        const QString message = QString::fromStdString(e.what());
        QVERIFY2(message.contains(QStringLiteral("void")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("_mask.png")), qPrintable(message));
        QVERIFY2(message.contains(c.datasetPath), qPrintable(message));
        QVERIFY2(!message.contains(QStringLiteral("NaN")), qPrintable(message));
    }
}

QTEST_GUILESS_MAIN(TestTraining)
#include "tst_training.moc"
