#include "core/train/training_session.h"

#include "core/annot/mask_store.h"
#include "core/base/crc32.h"
#include "core/base/error.h"
#include "core/base/rng.h"
#include "core/data/augment.h"
#include "core/data/dataset.h"
#include "core/data/image_io.h"
#include "core/data/split.h"
#include "core/dist/data_parallel.h"
#include "core/dist/process_group.h"
#include "core/engine/augment_tensor.h"
#include "core/engine/batch.h"
#include "core/engine/confusion.h"
#include "core/engine/precision.h"
#include "core/io/atomic_file.h"
#include "core/masks/hole_generator.h"
#include "core/masks/mask_set.h"
#include "core/nn/masksup_loss.h"
#include "core/train/checkpoint_io.h"
#include "core/train/confusion_matrix.h"
#include "core/train/host_pipeline.h"
#include "core/train/run_folder.h"
#include "core/train/tensor_utils.h"
#include "core/train/validation_errors.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QtConcurrent/QtConcurrentMap>

#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <future>
#include <limits>
#include <mutex>
#include <numeric>
#include <thread>

namespace msup {

QJsonObject EpochMetrics::toJson() const
{
    QJsonArray perClass;
    for (double v : perClassIou)
        perClass.append(std::isnan(v) ? QJsonValue() : QJsonValue(v));
    QJsonArray confusionJson;
    for (qint64 v : confusion)
        confusionJson.append(double(v));
    return QJsonObject { { QStringLiteral("epoch"), epoch }, { QStringLiteral("loss"), loss },
        { QStringLiteral("loss_seg"), lossSeg }, { QStringLiteral("loss_context"), lossContext },
        { QStringLiteral("loss_tasksim"), lossTasksim }, { QStringLiteral("val_miou"), valMiou },
        { QStringLiteral("val_dice"), valDice }, { QStringLiteral("val_pixel_accuracy"), valPixelAccuracy },
        { QStringLiteral("per_class_iou"), perClass }, { QStringLiteral("lr"), learningRate },
        { QStringLiteral("seconds"), seconds }, { QStringLiteral("images_per_second"), imagesPerSecond },
        { QStringLiteral("data_wait_seconds"), dataWaitSeconds },
        { QStringLiteral("compute_seconds"), computeSeconds },
        { QStringLiteral("communication_seconds"), communicationSeconds },
        { QStringLiteral("ref_micro_jaccard"), refMicroJaccard },
        { QStringLiteral("ref_binary_iou"),
            std::isnan(refBinaryIou) ? QJsonValue() : QJsonValue(refBinaryIou) },
        { QStringLiteral("decoded_samples"), decodedSamples },
        { QStringLiteral("confusion"), confusionJson } };
}

EpochMetrics EpochMetrics::fromJson(const QJsonObject& o)
{
    const auto number = [&o](const char* key) { return o.value(QLatin1String(key)).toDouble(); };
    const auto orNaN = [](const QJsonValue& v) {
        return v.isDouble() ? v.toDouble() : std::numeric_limits<double>::quiet_NaN();
    };
    EpochMetrics m;
    m.epoch = o.value(QStringLiteral("epoch")).toInt();
    m.loss = number("loss");
    m.lossSeg = number("loss_seg");
    m.lossContext = number("loss_context");
    m.lossTasksim = number("loss_tasksim");
    m.valMiou = number("val_miou");
    m.valDice = number("val_dice");
    m.valPixelAccuracy = number("val_pixel_accuracy");
    for (const QJsonValue& iou : o.value(QStringLiteral("per_class_iou")).toArray())
        m.perClassIou << orNaN(iou); // null: a class absent from validation, no IoU
    for (const QJsonValue& cell : o.value(QStringLiteral("confusion")).toArray())
        m.confusion << qint64(cell.toDouble());
    m.refMicroJaccard = number("ref_micro_jaccard");
    m.refBinaryIou = orNaN(o.value(QStringLiteral("ref_binary_iou")));
    m.learningRate = number("lr");
    m.seconds = number("seconds");
    m.imagesPerSecond = number("images_per_second");
    m.dataWaitSeconds = number("data_wait_seconds");
    m.computeSeconds = number("compute_seconds");
    m.communicationSeconds = number("communication_seconds");
    m.decodedSamples = o.value(QStringLiteral("decoded_samples")).toInt();
    return m;
}

struct TrainingSession::Impl {
    TrainConfig config;
    QString resumeCheckpoint;
    std::atomic<bool> stop { false };
    std::atomic<bool> paused { false };
    std::mutex pauseMutex;
    std::condition_variable pauseChanged;
    std::shared_ptr<dist::Rendezvous> rendezvous; // joinGroup()
    QString workerProgram;

    bool isPausedNow() const { return paused.load() && !stop.load(); }
    void waitWhilePaused()
    {
        std::unique_lock<std::mutex> lock(pauseMutex);
        pauseChanged.wait(lock, [this] { return !paused.load() || stop.load(); });
    }
    // Waits while paused, at most `ms` (a distributed pause asks the others again after it).
    void waitWhilePausedFor(int ms)
    {
        std::unique_lock<std::mutex> lock(pauseMutex);
        pauseChanged.wait_for(
            lock, std::chrono::milliseconds(ms), [this] { return !paused.load() || stop.load(); });
    }
    void setPaused(bool p)
    {
        {
            std::lock_guard<std::mutex> lock(pauseMutex);
            paused.store(p);
        }
        pauseChanged.notify_all();
    }
};

TrainingSession::TrainingSession(TrainConfig config)
    : d(std::make_unique<Impl>())
{
    d->config = std::move(config);
}

TrainingSession::~TrainingSession() = default;

void TrainingSession::requestStop()
{
    {
        std::lock_guard<std::mutex> lock(d->pauseMutex);
        d->stop.store(true);
    }
    d->pauseChanged.notify_all();
}
void TrainingSession::pause()
{
    d->setPaused(true);
}
void TrainingSession::resume()
{
    d->setPaused(false);
}
bool TrainingSession::isPaused() const
{
    return d->paused.load();
}
void TrainingSession::resumeFrom(const QString& checkpoint)
{
    d->resumeCheckpoint = checkpoint;
}

void TrainingSession::joinGroup(std::shared_ptr<dist::Rendezvous> rendezvous)
{
    d->rendezvous = std::move(rendezvous);
}

void TrainingSession::setWorkerProgram(const QString& program)
{
    d->workerProgram = program;
}

namespace {
    // What rank 0 of a local launch publishes for the others: the config and the checkpoint.
    const char* const kLaunchKey = "launch";

    QString resolveWorkerProgram(const QString& set)
    {
        const QString fromEnv = qEnvironmentVariable("MASKSUP_WORKER_PROGRAM");
        if (!fromEnv.isEmpty())
            return fromEnv;
        if (!set.isEmpty())
            return set;
        const QFileInfo self(QFile::symLinkTarget(QStringLiteral("/proc/self/exe")));
        if (self.fileName() == QLatin1String("masksup"))
            return self.absoluteFilePath();
        return self.dir().filePath(QStringLiteral("masksup"));
    }
}

bool TrainingSession::isLaunchedRank()
{
    return qEnvironmentVariable("MASKSUP_DIST_LAUNCHED") == QLatin1String("1");
}

bool TrainingSession::groupEnvironmentPresent()
{
    bool present = false;
    const dist::Environment env = dist::Environment::fromProcess(&present);
    return present && env.worldSize > 1;
}

void TrainingSession::joinFromEnvironment()
{
    if (!dist::available())
        throw Error(dist::unavailableReason());
    const dist::Environment env = dist::Environment::fromProcess();
    joinGroup(dist::Rendezvous::connect(env, std::chrono::seconds(d->config.distTimeout)));
}

int TrainingSession::rank() const
{
    return d->rendezvous ? d->rendezvous->environment().rank : 0;
}

QString TrainingSession::workerProgram() const
{
    return resolveWorkerProgram(d->workerProgram);
}

std::unique_ptr<TrainingSession> TrainingSession::forLaunchedRank()
{
    if (!dist::available())
        throw Error(dist::unavailableReason());
    const dist::Environment env = dist::Environment::fromProcess();
    // The launcher published everything before it started this process: a minute is plenty.
    auto rendezvous = dist::Rendezvous::connect(env, std::chrono::seconds(60));
    const QJsonObject launch
        = QJsonDocument::fromJson(QByteArray::fromStdString(rendezvous->get(kLaunchKey))).object();
    auto session = std::make_unique<TrainingSession>(
        TrainConfig::fromJson(launch.value(QStringLiteral("config")).toObject()));
    session->resumeFrom(launch.value(QStringLiteral("resume")).toString());
    rendezvous->setTimeout(std::chrono::seconds(session->config().distTimeout));
    session->joinGroup(std::move(rendezvous));
    return session;
}

QString TrainingSession::lastCheckpointOf(const QString& runDir)
{
    return RunFolder(runDir).path(RunFile::LastCheckpoint);
}

TrainConfig TrainingSession::configForResume(const QString& runDir)
{
    if (!QFileInfo(runDir).isDir())
        throw Error(
            "is not a run folder", runDir.toStdString(), "Give the RUN_DIR a 'masksup train --out' wrote.");
    const QString last = lastCheckpointOf(runDir);
    if (!QFileInfo::exists(last))
        throw Error(
            "has no " + RunFolder::fileName(RunFile::LastCheckpoint).toStdString() + " to resume from",
            runDir.toStdString(), "Start the run again: it stopped before its first checkpoint.");
    const CheckpointInfo info = readCheckpointInfo(last);
    if (info.trainingState.isEmpty())
        throw Error("holds no training state (written by an older version or imported)", last.toStdString(),
            "Start a new run, or fine-tune from it.");
    TrainConfig cfg = info.config;
    cfg.outDir = runDir;
    try {
        cfg.validateSettings(); // the settings a checkpoint carries are checked like a config file's
    } catch (const Error& e) {
        throw Error(e.what(), last.toStdString(), "Start a new run: this checkpoint's settings are invalid.");
    }
    return cfg;
}
bool TrainingSession::stopRequested() const
{
    return d->stop.load();
}
const TrainConfig& TrainingSession::config() const
{
    return d->config;
}

bool TrainingSession::cudaAvailable()
{
    return torch::cuda::is_available();
}

QString TrainingSession::resolveDevice(const QString& spec)
{
    if (spec == QLatin1String("auto"))
        return cudaAvailable() ? QStringLiteral("cuda:0") : QStringLiteral("cpu");
    if (spec == QLatin1String("cpu"))
        return spec;
    if (spec == QLatin1String("cuda") || spec.startsWith(QLatin1String("cuda:"))) {
        if (!cudaAvailable())
            throw Error("device '" + spec.toStdString()
                + "' requested but this build of LibTorch has no CUDA or no GPU is visible: use "
                  "--device cpu or auto, or build against the CUDA LibTorch (see README)");
        bool ok = true;
        const int index = spec == QLatin1String("cuda") ? 0 : spec.mid(5).toInt(&ok);
        if (!ok || index < 0 || index >= static_cast<int>(torch::cuda::device_count()))
            throw Error("device '" + spec.toStdString() + "' does not exist: this machine has "
                + std::to_string(torch::cuda::device_count()) + " GPU(s)");
        return QStringLiteral("cuda:%1").arg(index);
    }
    throw Error("unknown device '" + spec.toStdString() + "': use auto, cpu, cuda or cuda:N");
}

namespace {

    // The run's dataset: indexed, and with the hand corrections of cfg.corrections (a corrections
    // folder written by the annotation editor) replacing the original masks of the edited images.
    Dataset openRunDataset(const TrainConfig& cfg, int* corrected = nullptr)
    {
        Dataset ds = openDataset(cfg.datasetPath, cfg.datasetFormat);
        const int n = cfg.corrections.isEmpty() ? 0 : applyCorrections(ds, cfg.corrections);
        if (corrected)
            *corrected = n;
        return ds;
    }

    // The run's split without the pairs its training left out (its config's `skipped` list), so
    // that previews show the batches the run really trained on.
    Split withoutSkippedPairs(Split split, const Dataset& ds, const QString& runDir)
    {
        if (runDir.isEmpty())
            return split;
        QSet<QString> files;
        for (const QJsonValue& v : RunFolder(runDir).readConfig().value(QStringLiteral("skipped")).toArray())
            files.insert(v.toObject().value(QStringLiteral("file")).toString());
        if (files.isEmpty())
            return split;
        auto drop = [&](QVector<int>& indices) {
            indices.erase(std::remove_if(indices.begin(), indices.end(),
                              [&](int i) {
                                  const Sample& s = ds.samples[i];
                                  return files.contains(s.imagePath) || files.contains(s.maskPath)
                                      || (!s.correctionPath.isEmpty() && files.contains(s.correctionPath));
                              }),
                indices.end());
        };
        drop(split.train);
        drop(split.val);
        return split;
    }

    void setLearningRate(torch::optim::Optimizer& optimizer, double lr)
    {
        for (auto& group : optimizer.param_groups()) {
            if (auto* adam = dynamic_cast<torch::optim::AdamOptions*>(&group.options()))
                adam->lr(lr);
            else if (auto* sgd = dynamic_cast<torch::optim::SGDOptions*>(&group.options()))
                sgd->lr(lr);
        }
    }

    // The training samples of an epoch in the order they are used: a pure function of the seed.
    QVector<int> epochOrder(QVector<int> order, std::uint64_t seed, int epoch)
    {
        Rng rng(Rng::derive(seed, 0xe90c, static_cast<std::uint64_t>(epoch)));
        for (int i = order.size() - 1; i > 0; --i)
            std::swap(order[i], order[rng.uniformInt(0, i)]);
        return order;
    }

    // The run folder's split when it has one, else the seeded split of the dataset.
    Split runSplit(const Dataset& ds, const TrainConfig& cfg, const QStringList& ids, bool* existed)
    {
        const RunFolder run(cfg.outDir);
        *existed = !cfg.outDir.isEmpty() && run.has(RunFile::Split);
        return *existed ? run.readSplit(ids) : defaultSplit(ds, cfg.valFraction, cfg.seed);
    }

    // The split of a run folder for previews: its own, else the seeded split.
    Split runSplit(const Dataset& ds, const TrainConfig& cfg)
    {
        QStringList ids;
        for (const Sample& s : ds.samples)
            ids << s.id;
        bool existed = false;
        return runSplit(ds, cfg, ids, &existed);
    }

    // The masks of the context branch: the generator, or a folder of mask images filtered by ratio.
    // Loading a mask folder stops (msup::Error) once `stop` is cancelled.
    std::unique_ptr<MaskSource> makeMaskSource(const TrainConfig& cfg, Progress& stop)
    {
        const HoleRatioRange range = HoleRatioRange::parse(cfg.holeRatio.toStdString());
        if (cfg.maskFolder.isEmpty())
            return std::make_unique<HoleGenerator>(range);
        return std::make_unique<MaskSet>(MaskSet::load(cfg.maskFolder, range, stop));
    }

    cv::Mat tensorToRgb(const torch::Tensor& chw)
    {
        // Back from x/127.5 - 1 to 8-bit, HWC.
        const torch::Tensor u8 = ((chw.to(torch::kCPU) + 1.0) * 127.5)
                                     .round()
                                     .clamp(0, 255)
                                     .to(torch::kUInt8)
                                     .permute({ 1, 2, 0 })
                                     .contiguous();
        return cv::Mat(int(u8.size(0)), int(u8.size(1)), CV_8UC3, u8.data_ptr<uint8_t>()).clone();
    }

    nn::MaskSupMode parseMode(const QString& m)
    {
        if (m == QLatin1String("baseline"))
            return nn::MaskSupMode::Baseline;
        if (m == QLatin1String("context"))
            return nn::MaskSupMode::Context;
        return nn::MaskSupMode::MaskSup;
    }

    // Validation on the device: predictions and the confusion matrix stay there (DeviceConfusion
    // keeps every image's K×K counts), and one copy to the host after the last batch gives every
    // image's counts, M×K×K int64 (fewer images when stopped).
    torch::Tensor validationCounts(nn::SegmentationModelImpl& model, const SampleCache& cache,
        const QVector<int>& val, int classes, int ignoreIndex, int batchSize, const torch::Device& device,
        const std::atomic<bool>& stop, bool channelsLast)
    {
        torch::NoGradGuard noGrad; // grad mode is per thread: set here, in the worker
        model.eval();
        if (val.isEmpty()) // a process whose share of the validation split is empty
            return torch::zeros({ 0, classes, classes }, torch::kInt64);
        engine::DeviceConfusion confusion(classes, ignoreIndex, device);
        for (int from = 0; from < val.size() && !stop.load(); from += batchSize) {
            const int count = std::min(batchSize, int(val.size()) - from);
            const engine::HostBatch host = buildHostBatch(cache, val, from, count, nullptr, nullptr,
                ignoreIndex, 0, 0, engine::HoleFill::Zero, device.is_cuda());
            const engine::DeviceBatch b = engine::upload(host, device, engine::HoleFill::Zero, channelsLast);
            const torch::Tensor logits = model.forward(b.images);
            confusion.add(logits.size(1) == 1 ? logits.squeeze(1).gt(0) : logits.argmax(1), b.target);
        }
        try {
            return confusion.perImage(); // M×K×K int64 on the host
        } catch (const std::out_of_range& e) {
            throw Error(std::string("validation: ") + e.what(), "",
                "Check the dataset's masks and class count ('masksup inspect').");
        }
    }

    // The epoch's matrix from every image's counts (their sum), each image's cells (the run's
    // validation errors) and the reference binary IoU.
    ConfusionMatrix summariseValidation(const torch::Tensor& counts, int classes,
        ReferenceBinaryIou* perImage, QVector<ImageConfusion>* perImageCells)
    {
        ConfusionMatrix cm(classes);
        const auto c = counts.accessor<int64_t, 3>();
        for (int i = 0; i < int(counts.size(0)); ++i) {
            // Each image's own confusion cells (the run's validation errors, for the error analysis), in the
            // order imageConfusion gives them: the epoch's matrix is their sum.
            ImageConfusion image;
            for (int t = 0; t < classes; ++t)
                for (int p = 0; p < classes; ++p)
                    if (c[i][t][p] > 0) {
                        image.cells.append({ t, p, c[i][t][p] });
                        cm.addCount(t, p, c[i][t][p]);
                    }
            // The reference figure's foreground (class 1): intersection = (1,1); union = the pixels
            // whose truth or prediction is 1 = row 1 + column 1 - (1,1).
            std::int64_t inter = 0, uni = 0;
            if (classes > 1) {
                inter = c[i][1][1];
                for (int k = 0; k < classes; ++k)
                    uni += c[i][1][k] + c[i][k][1];
                uni -= inter;
            }
            perImage->addImageCounts(inter, uni);
            perImageCells->append(std::move(image));
        }
        return cm;
    }

} // namespace

// One call of run(): the state its phases share, and the phases. In order: prepare (device,
// dataset, run folder, split, config), loadSamples (every pair decoded once, the broken ones
// left out), buildModel (network, optimizer, training set resident on the device), restore (a
// resumed checkpoint), then train: for every epoch trainEpoch, validateEpoch and writeEpoch.
struct TrainingSession::Run {
    // One epoch: where its steps start, what they add up, how long they take.
    struct Epoch {
        int number = 0; // 1-based
        QElapsedTimer clock;
        double pausedAtStart = 0; // Run::pausedTotal when the epoch started
        int decodesBefore = 0; // the cache's decodes when the epoch started
        QVector<int> order; // the training samples in this epoch's order
        double lr = 0;
        int firstBatch = 0; // 0, or the batch a resumed checkpoint left off at
        double sum[4] = { 0, 0, 0, 0 }; // loss × samples: total, seg, context, tasksim
        int seen = 0; // the samples in `sum`
        int batchesDone = 0, seenThisSession = 0;
        bool checkLabels = false; // the run's first full epoch, no labelled pixel seen yet
        double dataWait = 0, compute = 0; // seconds waiting for batches, seconds in steps
        double trainSeconds = 0; // seconds of the steps, time paused left out
        double communicationAtStart = 0; // DataParallel::seconds() when the epoch started
        // The next batch, prepared on another thread while the model computes the current one.
        // Declared last: it is waited for before the rest of the epoch goes.
        std::future<engine::HostBatch> pending;
    };

    Run(Impl& impl, const Callbacks& callbacks)
        : d(impl)
        , cb(callbacks)
        , cfg(impl.config)
    {
    }

    // ---- the phases ----
    void prepare();
    bool loadSamples(); // false when stopped
    void buildModel();
    bool restore(); // false when the resumed run has no epoch left
    TrainResult train();

    // ---- prepare ----
    void prepareDevice();
    void joinProcesses();
    void openData();
    void prepareRunFolder();
    void writeConfig();
    // ---- buildModel ----
    void makeTrainingSetResident();
    // ---- train ----
    void startTraining();
    void beginEpoch(Epoch& e, int epoch);
    bool trainEpoch(Epoch& e); // false when stopped within the epoch
    engine::HostBatch prepareBatch(const Epoch& e, int b) const;
    void residentBatch(const Epoch& e, engine::HostBatch& h, int b) const;
    void pauseIfRequested(const Epoch& e, int b);
    nn::StepResult step(const Epoch& e, engine::HostBatch& host, int b);
    Error diverged(const Epoch& e, const nn::StepResult& r, int b, int count) const;
    void addStep(Epoch& e, const nn::StepResult& r, int count);
    void reportBatch(const Epoch& e, const nn::StepResult& r, int b) const;
    void checkLabelsSeen(const Epoch& e) const;
    bool validateEpoch(Epoch& e, EpochMetrics* m, ValidationErrors* valErrors); // false when stopped
    void writeEpoch(const Epoch& e, const EpochMetrics& m, ValidationErrors& valErrors);
    // ---- several processes ----
    bool agreeOnData(bool loaded); // false when some process was stopped while loading
    Shard shard(const Epoch& e, int b) const; // this process's images of batch b
    int unionCount(const Epoch& e, int b) const; // the images of batch b over all processes
    bool stopRequested() const;
    void checkWeightsAgree(int epoch);
    Error peerLost(const dist::PeerLost& lost, Epoch& e);
    TrainResult execute();
    bool writes() const { return rank == 0; } // only rank 0 writes in the run folder
    void saveConfig() const
    {
        if (writes())
            folder().writeConfig(configJson);
    }
    // The images of a step in the run's config (previews rebuild the steps from it).
    void recordGlobalBatch()
    {
        configJson.insert(QStringLiteral("global_batch"), globalBatch);
        saveConfig();
    }
    // ---- helpers ----
    void status(const QString& s) const
    {
        if (cb.status)
            cb.status(s);
    }
    RunFolder folder() const { return RunFolder(cfg.outDir); }
    Error outOfMemory(const char* where) const;
    void written(const std::function<void()>& write) const;
    void saveLast(int completedEpochs, int batch, const double* sums, int seen);
    void writeMetricsFiles() const;

    Impl& d;
    const Callbacks& cb;
    const TrainConfig& cfg;
    // prepare
    torch::Device device { torch::kCPU };
    nn::Precision precision = nn::Precision::Float32; // of the forward passes (--amp)
    int threads = 1;
    // several processes (declared in this order: the group goes before its rendezvous, whose
    // destructor waits for the launched processes)
    std::shared_ptr<dist::Rendezvous> rendezvous;
    std::unique_ptr<dist::Group> group;
    std::unique_ptr<DataParallel> dataParallel;
    int rank = 0, world = 1;
    int globalBatch = 0; // images per step over all processes
    Dataset ds;
    int corrected = 0;
    QStringList ids;
    QDir runDir;
    QString ckptDir;
    Split split;
    std::unique_ptr<MaskSource> holes;
    engine::HoleFill holeFill = engine::HoleFill::Zero;
    QJsonObject configJson;
    // loadSamples
    std::unique_ptr<const SampleCache> cache;
    // buildModel
    std::shared_ptr<nn::SegmentationModelImpl> model;
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    nn::MaskSupMode mode = nn::MaskSupMode::MaskSup;
    nn::LossWeights weights;
    AugmentOptions augment;
    nn::GradScaler scaler;
    nn::StepOptions stepOptions;
    torch::Tensor residentImages, residentLabels;
    QHash<int, int> residentRow; // where each training sample sits in the resident tensors
    // restore
    CheckpointInfo info;
    TrainResult result;
    int batchesPerEpoch = 0;
    int startEpoch = 1, startBatch = 0; // where training starts
    double startSums[4] = { 0, 0, 0, 0 };
    int startSeen = 0;
    QVector<QJsonObject> history; // metrics of the completed epochs (RunFolder::writeMetrics)
    // train
    int totalSteps = 0, stepsAtStart = 0, stepsDone = 0;
    QElapsedTimer runClock;
    double pausedTotal = 0; // seconds spent paused, left out of speeds and the ETA
    QElapsedTimer checkpointClock;
    QString lastGood; // the checkpoint the run can continue from, for messages
    int currentEpoch = 1;
};

void TrainingSession::Run::prepare()
{
    prepareDevice();
    joinProcesses();
    openData();
    prepareRunFolder();
    writeConfig();
}

void TrainingSession::Run::prepareDevice()
{
    d.config.validate();
    // Absolute paths in the run's config and the checkpoints, so that a run can be resumed, evaluated or
    // opened from any working directory.
    d.config.datasetPath = QFileInfo(d.config.datasetPath).absoluteFilePath();
    d.config.outDir = QFileInfo(d.config.outDir).absoluteFilePath();
    if (!d.config.maskFolder.isEmpty())
        d.config.maskFolder = QFileInfo(d.config.maskFolder).absoluteFilePath();
    device = torch::Device(resolveDevice(cfg.device).toStdString());
    // Several processes on one machine: one GPU each (local rank r on cuda:r), the CPU cores shared.
    const dist::Environment* env = d.rendezvous ? &d.rendezvous->environment() : nullptr;
    const int localWorld = env ? env->localWorldSize : cfg.processes;
    if (device.is_cuda() && localWorld > 1) {
        const int gpus = int(torch::cuda::device_count());
        if (localWorld > gpus)
            throw Error(std::to_string(localWorld)
                + " processes on this machine need one GPU each, but it has " + std::to_string(gpus)
                + ": use --nproc " + std::to_string(gpus)
                + " or fewer (one GPU cannot host two NCCL ranks), or --device cpu");
        device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(env ? env->localRank : 0));
    }
    // The precision of the forward passes (--amp), checked before anything is written.
    try {
        precision = engine::resolvePrecision(cfg.amp.toStdString(), device);
    } catch (const std::invalid_argument& e) {
        throw Error(e.what());
    }
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    if (env) // a rank of a group: a launcher gives each its share; torchrun/srun: cores / local processes
        threads = cfg.threads > 0 ? cfg.threads : std::max(1, cores / std::max(1, localWorld));
    else // a local launch shares the threads asked for (or the cores) between its processes
        threads = std::max(1, (cfg.threads > 0 ? cfg.threads : cores) / std::max(1, cfg.processes));
    torch::set_num_threads(threads);
    torch::manual_seed(cfg.seed);
    // cuDNN picks the fastest convolution algorithms for the run's shapes (they never change).
    if (device.is_cuda())
        at::globalContext().setBenchmarkCuDNN(true);
}

// Several processes: rank 0 of a local launch starts the others; every rank then joins the group.
void TrainingSession::Run::joinProcesses()
{
    const std::chrono::milliseconds timeout(std::int64_t(cfg.distTimeout) * 1000);
    if (d.rendezvous) {
        rendezvous = d.rendezvous;
    } else if (cfg.processes > 1) {
        if (!dist::available())
            throw Error(dist::unavailableReason() + "; or train with --nproc 1");
        rendezvous = dist::Rendezvous::host(cfg.processes, timeout);
        TrainConfig forRanks = cfg;
        forRanks.threads = threads;
        const QJsonObject launch { { QStringLiteral("config"), forRanks.toJson() },
            { QStringLiteral("resume"), d.resumeCheckpoint } };
        rendezvous->publish(kLaunchKey, QJsonDocument(launch).toJson(QJsonDocument::Compact).toStdString());
        const QString program = resolveWorkerProgram(d.workerProgram);
        QStringList pids;
        for (long pid : rendezvous->startWorkers({ program.toStdString(), { "train" } }, threads))
            pids << QString::number(pid);
        status(QStringLiteral("Started ranks 1 to %1 (processes %2, %3 thread(s) each) on 127.0.0.1:%4")
                   .arg(cfg.processes - 1)
                   .arg(pids.join(QStringLiteral(", ")))
                   .arg(threads)
                   .arg(rendezvous->port()));
    } else {
        return;
    }
    rank = rendezvous->environment().rank;
    world = rendezvous->environment().worldSize;
    group = std::make_unique<dist::Group>(rendezvous, device);
    status(QStringLiteral("Rank %1 of %2 joined the group (%3, %4)")
               .arg(rank)
               .arg(world)
               .arg(QString::fromStdString(group->backendName()), QString::fromStdString(device.str())));
}

void TrainingSession::Run::openData()
{
    status(QStringLiteral("Indexing %1").arg(cfg.datasetPath));
    ds = openRunDataset(cfg, &corrected);
    if (!cfg.corrections.isEmpty())
        status(QStringLiteral("%1 corrected mask(s) from %2").arg(corrected).arg(cfg.corrections));
    for (const Sample& s : ds.samples)
        ids << s.id;
}

void TrainingSession::Run::prepareRunFolder()
{
    runDir = QDir(cfg.outDir);
    ckptDir = folder().path(RunFile::Checkpoints);
    if (writes()) {
        ensureWritableDir(cfg.outDir);
        ensureWritableDir(ckptDir);
        // A process killed while writing a checkpoint leaves its temporary file: the previous
        // checkpoint is intact, the partial one is removed here.
        for (const QString& part : QDir(ckptDir).entryList({ QStringLiteral("*.part") }, QDir::Files))
            QFile::remove(QDir(ckptDir).filePath(part));
    }
    // The other ranks read the split rank 0 may be writing (atomically) or compute the same one.
    bool splitExisted = false;
    split = runSplit(ds, cfg, ids, &splitExisted);
    if (!splitExisted && writes())
        folder().writeSplit(split, ids);
    if (split.train.isEmpty())
        throw Error("the dataset has too few pairs to train on (" + std::to_string(ds.samples.size()) + ")",
            ds.root.toStdString(), "Add image/mask pairs: at least two are needed.");
}

void TrainingSession::Run::writeConfig()
{
    // The masks of the context branch: the generator, or a folder of mask images filtered by ratio.
    if (!cfg.maskFolder.isEmpty())
        status(QStringLiteral("Reading masks in %1").arg(cfg.maskFolder));
    FunctionProgress maskLoading({}, &d.stop); // requestStop() also stops reading the mask folder
    holes = makeMaskSource(cfg, maskLoading);
    holeFill = holeFillOf(cfg.holeFill);
    configJson = cfg.toJson();
    // Which masks the context branch sees; with the seed this reproduces every mask of the run.
    configJson.insert(QStringLiteral("mask_source"), QString::fromStdString(holes->describe()));
    configJson.insert(QStringLiteral("dataset_format"), ds.formatSpec);
    configJson.insert(QStringLiteral("classes"), QJsonArray::fromStringList(ds.classNames));
    configJson.insert(QStringLiteral("device_resolved"), QString::fromStdString(device.str()));
    configJson.insert(QStringLiteral("precision"), QString::fromLatin1(engine::precisionName(precision)));
    configJson.insert(QStringLiteral("threads"), threads);
    configJson.insert(QStringLiteral("train_count"), split.train.size());
    configJson.insert(QStringLiteral("val_count"), split.val.size());
    if (!cfg.corrections.isEmpty())
        configJson.insert(QStringLiteral("corrected_count"), corrected);
    if (group) {
        configJson.insert(QStringLiteral("world_size"), world);
        configJson.insert(QStringLiteral("backend"), QString::fromStdString(group->backendName()));
    }
    saveConfig();
}

// Every pair is decoded and resized once before training (with progress, cancellable): it fills
// the memory cache up to its budget (and the disk cache when one is set). This pass is also the
// run's one verdict per pair: a pair that cannot be decoded (the errors 'masksup inspect'
// reports, see validation.h) is left out of the split, named through callbacks.skipped and in
// the config's `skipped` list; the run stops only when no usable pair is left.
bool TrainingSession::Run::loadSamples()
{
    cache = std::make_unique<const SampleCache>(
        ds, cfg.imageSize, qint64(cfg.cacheMemoryMb) * 1024 * 1024, cfg.cacheDir);
    // Decoding runs on all cores, in chunks so that progress and stop are seen between them.
    const QVector<int> needed = split.train + split.val;
    QVector<SkippedPair> skipped;
    QSet<int> unusable;
    const int chunk = 32;
    for (int from = 0; from < needed.size() && !d.stop.load(); from += chunk) {
        status(QStringLiteral("Loading images %1/%2%3")
                   .arg(from + 1)
                   .arg(needed.size())
                   .arg(skipped.isEmpty() ? QString() : QStringLiteral(" (%1 skipped)").arg(skipped.size())));
        const QVector<int> part = needed.mid(from, chunk);
        const QList<SkippedPair> verdicts = QtConcurrent::blockingMapped(part, [&](int i) -> SkippedPair {
            try {
                cache->get(i);
                return {};
            } catch (const std::exception& e) {
                return skippedPairFrom(ds.samples[i], e);
            }
        });
        for (int k = 0; k < verdicts.size(); ++k) {
            if (verdicts[k].file.isEmpty())
                continue;
            skipped << verdicts[k];
            unusable.insert(part[k]);
            if (cb.skipped)
                cb.skipped(verdicts[k]);
        }
    }
    if (!d.stop.load()) {
        auto usable = [&](QVector<int>& indices) {
            indices.erase(
                std::remove_if(indices.begin(), indices.end(), [&](int i) { return unusable.contains(i); }),
                indices.end());
        };
        usable(split.train);
        usable(split.val);
        if (split.train.isEmpty())
            throw noUsablePairsError(skipped, ds.root, QStringLiteral("training"));
        if (split.val.isEmpty())
            throw Error("no usable pair left in the validation split: "
                    + describeSkippedPairs(skipped, 3)
                          .replace(QLatin1Char('\n'), QStringLiteral("; "))
                          .toStdString(),
                ds.root.toStdString(), "Fix or re-download these files, or raise the validation fraction.");
        if (!skipped.isEmpty())
            status(QStringLiteral("Loaded %1 pair(s); %2 skipped")
                       .arg(needed.size() - skipped.size())
                       .arg(skipped.size()));
        // The config again, now with the pairs left out (always present, empty when none).
        configJson.insert(QStringLiteral("train_count"), split.train.size());
        configJson.insert(QStringLiteral("val_count"), split.val.size());
        configJson.insert(QStringLiteral("skipped"), skippedPairsToJson(skipped));
        saveConfig();
    }
    return !d.stop.load();
}

void TrainingSession::Run::buildModel()
{
    try {
        nn::ModelSpec spec;
        spec.name = cfg.model.toStdString();
        spec.outChannels = ds.modelOutputChannels();
        spec.width = cfg.width;
        spec.reluLogits = cfg.reluLogits;
        spec.imageSize = cfg.imageSize;
        model = nn::createModel(spec);
    } catch (const std::invalid_argument& e) {
        throw Error(e.what());
    }
    model->to(device);
    if (cfg.channelsLast) {
        // NHWC weights (and inputs, engine::upload): the layout tensor cores read best on CUDA.
        torch::NoGradGuard noGrad;
        for (torch::Tensor& p : model->parameters())
            if (p.dim() == 4)
                p.set_data(p.data().contiguous(at::MemoryFormat::ChannelsLast));
    }
    if (cfg.optimizer == QLatin1String("sgd"))
        optimizer = std::make_unique<torch::optim::SGD>(model->parameters(),
            torch::optim::SGDOptions(cfg.learningRate).momentum(cfg.momentum).weight_decay(cfg.weightDecay));
    else
        optimizer = std::make_unique<torch::optim::Adam>(model->parameters(),
            torch::optim::AdamOptions(cfg.learningRate).weight_decay(cfg.weightDecay).amsgrad(cfg.amsgrad));
    mode = parseMode(cfg.mode);
    weights = nn::LossWeights { cfg.alphaSeg, cfg.alphaContext, cfg.alphaTasksim };
    augment = AugmentOptions::parse(cfg.augment.toStdString());
    stepOptions.concatenate = cfg.branches == QLatin1String("concat");
    stepOptions.precision = precision;
    stepOptions.scaler = precision == nn::Precision::Float16 ? &scaler : nullptr;
    stepOptions.batchNorm
        = cfg.batchNorm == QLatin1String("frozen") ? nn::BatchNormMode::Frozen : nn::BatchNormMode::Batch;
    if (group) {
        dataParallel = std::make_unique<DataParallel>(
            *group, *model, device, weights, stepOptions.batchNorm == nn::BatchNormMode::Batch);
        stepOptions.sync = dataParallel.get();
    }
    makeTrainingSetResident();
}

// CUDA running out of memory, anywhere in a step or in validation, becomes this message.
Error TrainingSession::Run::outOfMemory(const char* where) const
{
    // The activations grow linearly with the batch: half the batch size roughly halves them.
    const int smaller = std::max(1, cfg.batchSize / 2);
    return Error(std::string("the device ran out of memory during ") + where + " (" + device.str()
            + ", model " + cfg.model.toStdString() + " width " + std::to_string(cfg.width) + ", batch size "
            + std::to_string(cfg.batchSize) + ", image size " + std::to_string(cfg.imageSize) + "×"
            + std::to_string(cfg.imageSize) + ", " + engine::precisionName(precision) + ")",
        "",
        cfg.batchSize > 1 ? "Try --batch-size " + std::to_string(smaller)
                + " (half: activation memory grows with the batch; halve again if it still does not fit)"
                + (precision == nn::Precision::Float32 && device.is_cuda() ? ", or --amp auto" : "")
                + ", or a smaller --image-size or model."
                          : "Use a smaller --image-size or model, or a GPU with more memory.");
}

// On a CUDA device, a training set that fits stays on the GPU for the whole run as 8-bit
// images and labels, and is augmented there (engine::augmentBatch): the host only makes hole
// masks. It fits when its bytes (4 per pixel: RGB + label) are at most a quarter of the
// device's free memory at this point, and at most 4 GiB: the rest is for the model, its
// activations and the allocator's slack. Otherwise (and always on the CPU) the host builds
// every batch (OpenCV on 8-bit data) and copies it from pinned memory.
void TrainingSession::Run::makeTrainingSetResident()
{
    if (device.is_cuda()) {
        const std::int64_t bytes = 4LL * cfg.imageSize * cfg.imageSize * split.train.size();
        std::int64_t freeBytes = 0, totalBytes = 0;
        if (engine::deviceMemory(device, &freeBytes, &totalBytes) && bytes <= freeBytes / 4
            && bytes <= (std::int64_t(4) << 30)) {
            status(QStringLiteral("Copying the %1 training pair(s) to %2 (%3 MB)")
                       .arg(split.train.size())
                       .arg(QString::fromStdString(device.str()))
                       .arg(bytes / 1e6, 0, 'f', 1));
            const engine::HostBatch all = buildHostBatch(*cache, split.train, 0, int(split.train.size()),
                nullptr, nullptr, ds.ignoreIndex, 0, 0, engine::HoleFill::Zero, false);
            try {
                residentImages = all.images.to(device);
                residentLabels = all.labels.to(device);
            } catch (const std::exception& e) {
                if (!engine::isOutOfMemory(e))
                    throw;
                residentImages = residentLabels = torch::Tensor(); // the host path then
            }
        }
    }
    for (int i = 0; residentImages.defined() && i < split.train.size(); ++i)
        residentRow.insert(split.train[i], i);
}

bool TrainingSession::Run::restore()
{
    info.config = cfg;
    info.classNames = ds.classNames;
    info.classColors = ds.classColors;
    info.ignoreIndex = ds.ignoreIndex;
    info.outputChannels = ds.modelOutputChannels();

    result.runDir = runDir.absolutePath();
    result.lastCheckpoint = folder().path(RunFile::LastCheckpoint);
    result.bestCheckpoint = folder().path(RunFile::BestCheckpoint);
    result.bestMiou = -1;

    globalBatch = cfg.batchSize * world;
    batchesPerEpoch = (int(split.train.size()) + globalBatch - 1) / globalBatch;
    if (d.resumeCheckpoint.isEmpty()) {
        recordGlobalBatch();
        return true;
    }
    status(QStringLiteral("Resuming from %1").arg(d.resumeCheckpoint));
    CheckpointInfo saved;
    loadTrainingState(d.resumeCheckpoint, *model, *optimizer, &saved, device);
    const QJsonObject st = saved.trainingState;
    if (st.isEmpty())
        throw Error("holds no training state to resume from", d.resumeCheckpoint.toStdString(),
            "Resume from RUN_DIR/checkpoints/last.pt.");
    // A step keeps its number of images whatever the number of processes now (checkpoints from
    // before distributed training: one process, the batch size).
    const int savedWorld = st.value(QStringLiteral("world_size")).toInt(1);
    globalBatch = st.value(QStringLiteral("global_batch")).toInt(cfg.batchSize);
    batchesPerEpoch = (int(split.train.size()) + globalBatch - 1) / globalBatch;
    recordGlobalBatch();
    if (savedWorld != world)
        status(QStringLiteral("The run was trained on %1 process(es), it goes on with %2: each step still "
                              "takes %3 images (%4 per process)")
                   .arg(savedWorld)
                   .arg(world)
                   .arg(globalBatch)
                   .arg(shardOf(0, globalBatch, 0, world).count));
    if (st.value(QStringLiteral("batches_per_epoch")).toInt() != batchesPerEpoch)
        throw Error("was written with "
                + std::to_string(st.value(QStringLiteral("batches_per_epoch")).toInt())
                + " batches per epoch, this run has " + std::to_string(batchesPerEpoch),
            d.resumeCheckpoint.toStdString(),
            "Resume with the same dataset, split and batch size as the run was started with.");
    startEpoch = saved.epoch + 1;
    startBatch = st.value(QStringLiteral("batch")).toInt();
    const QJsonArray sums = st.value(QStringLiteral("loss_sums")).toArray();
    for (int i = 0; i < 4 && i < sums.size(); ++i)
        startSums[i] = sums[i].toDouble();
    startSeen = st.value(QStringLiteral("seen")).toInt();
    result.bestMiou = st.value(QStringLiteral("best_miou")).toDouble(-1);
    result.bestEpoch = st.value(QStringLiteral("best_epoch")).toInt();
    scaler.scale = st.value(QStringLiteral("amp_scale")).toDouble(scaler.scale);
    scaler.growthTracker = st.value(QStringLiteral("amp_growth_tracker")).toInt();
    result.epochsCompleted = saved.epoch;
    // The epochs already done, as far as the checkpoint goes (a later line would be from an
    // epoch whose checkpoint was never written: it is recomputed). A cut last line is dropped
    // (and said); a damaged line before it stops here, before anything is rewritten.
    QString metricsNote;
    history = folder().readMetricsForResume(saved.epoch, &metricsNote);
    if (!metricsNote.isEmpty())
        status(metricsNote);
    // The checkpoint carries its epoch's metrics: a line lost with a cut write comes back.
    const bool haveSavedEpoch = std::any_of(history.begin(), history.end(),
        [&](const QJsonObject& o) { return o.value(QStringLiteral("epoch")).toInt() == saved.epoch; });
    if (!haveSavedEpoch && saved.epoch > 0
        && saved.metrics.value(QStringLiteral("epoch")).toInt() == saved.epoch) {
        history << saved.metrics;
        status(QStringLiteral("%1: the line of epoch %2 was restored from %3")
                   .arg(RunFolder::fileName(RunFile::Metrics))
                   .arg(saved.epoch)
                   .arg(QDir::toNativeSeparators(d.resumeCheckpoint)));
    }
    // Carried on into this session's checkpoints, so that the next resume can do the same.
    info.metrics = saved.metrics;
    info.valMiou = saved.valMiou;
    if (startEpoch > cfg.epochs) {
        status(
            QStringLiteral("The run has already completed %1 of %2 epochs").arg(saved.epoch).arg(cfg.epochs));
        result.bestMiou = std::max(0.0, result.bestMiou);
        return false;
    }
    return true;
}

void TrainingSession::Run::writeMetricsFiles() const
{
    if (!writes())
        return;
    folder().writeMetrics(history, ds.classNames);
}

// last.pt with everything needed to continue after `completedEpochs` epochs and `batch`
// batches of the next one.
void TrainingSession::Run::saveLast(int completedEpochs, int batch, const double* sums, int seen)
{
    if (!writes())
        return;
    info.epoch = completedEpochs;
    info.trainingState = QJsonObject { { QStringLiteral("batch"), batch },
        { QStringLiteral("batches_per_epoch"), batchesPerEpoch },
        { QStringLiteral("loss_sums"), QJsonArray { sums[0], sums[1], sums[2], sums[3] } },
        { QStringLiteral("seen"), seen }, { QStringLiteral("best_miou"), result.bestMiou },
        { QStringLiteral("best_epoch"), result.bestEpoch }, { QStringLiteral("amp_scale"), scaler.scale },
        { QStringLiteral("amp_growth_tracker"), scaler.growthTracker },
        { QStringLiteral("global_batch"), globalBatch }, { QStringLiteral("world_size"), world } };
    saveCheckpoint(result.lastCheckpoint, *model, optimizer.get(), info);
}

// A file that cannot be written (disk full, I/O error) stops the run with its message, the
// previous files intact, and says what the run can continue from.
void TrainingSession::Run::written(const std::function<void()>& write) const
{
    if (!writes()) // only rank 0 writes in the run folder
        return;
    try {
        write();
    } catch (const WriteError& e) {
        throw WriteError(std::string(e.what()) + " Training stopped in epoch " + std::to_string(currentEpoch)
            + (lastGood.isEmpty() ? std::string("; no checkpoint had been written yet.")
                                  : "; the run can continue from " + lastGood.toStdString()
                        + " once there is room (masksup train --resume "
                        + QDir::toNativeSeparators(runDir.absolutePath()).toStdString()
                        + ", or Resume in the Training panel)."));
    }
}

void TrainingSession::Run::startTraining()
{
    writeMetricsFiles();
    totalSteps = batchesPerEpoch * cfg.epochs;
    stepsAtStart = (startEpoch - 1) * batchesPerEpoch + startBatch;
    stepsDone = stepsAtStart;
    runClock.start();
    checkpointClock.start();
    lastGood = QFileInfo::exists(result.lastCheckpoint)
        ? QStringLiteral("%1 (epoch %2)").arg(result.lastCheckpoint).arg(result.epochsCompleted)
        : QString();
    currentEpoch = startEpoch;
}

TrainResult TrainingSession::Run::train()
{
    startTraining();
    // With several processes only their agreement stops them (at the same batch).
    for (int epoch = startEpoch; epoch <= cfg.epochs && !stopRequested(); ++epoch) {
        Epoch e;
        EpochMetrics m;
        try {
            beginEpoch(e, epoch);
            if (!trainEpoch(e)) {
                result.stopped = true;
                break;
            }
            checkLabelsSeen(e);
            ValidationErrors valErrors;
            if (!validateEpoch(e, &m, &valErrors)) {
                result.stopped = true;
                break;
            }
            writeEpoch(e, m, valErrors);
        } catch (const dist::PeerLost& lost) {
            throw peerLost(lost, e);
        }
        if (cb.epoch)
            cb.epoch(m);
    }
    if (stopRequested() && result.epochsCompleted < cfg.epochs)
        result.stopped = true;
    if (result.bestMiou < 0)
        result.bestMiou = 0;
    return result;
}

void TrainingSession::Run::beginEpoch(Epoch& e, int epoch)
{
    currentEpoch = epoch;
    status(QStringLiteral("Epoch %1/%2").arg(epoch).arg(cfg.epochs));
    e.number = epoch;
    e.clock.start();
    e.pausedAtStart = pausedTotal;
    e.decodesBefore = cache->stats().decodes;
    e.communicationAtStart = dataParallel ? dataParallel->seconds() : 0.0;
    e.order = epochOrder(split.train, cfg.seed, epoch);
    e.lr = cfg.learningRateAt(epoch);
    setLearningRate(*optimizer, e.lr);
    e.firstBatch = epoch == startEpoch ? startBatch : 0;
    if (epoch == startEpoch) {
        std::copy(startSums, startSums + 4, e.sum);
        e.seen = startSeen;
    }
    e.batchesDone = e.firstBatch;
    e.checkLabels = epoch == startEpoch && e.firstBatch == 0;
}

// The next batch (8-bit tensors and hole masks, in pinned memory for a CUDA device) is prepared
// on another thread while the model computes the current one; dataWait is the time the step loop
// still had to wait for it. With the training set resident on the device, the host prepares only
// the hole masks.
engine::HostBatch TrainingSession::Run::prepareBatch(const Epoch& e, int b) const
{
    const MaskSource* batchHoles = mode == nn::MaskSupMode::Baseline ? nullptr : holes.get();
    const auto [from, count] = shard(e, b);
    if (!residentImages.defined())
        return buildHostBatch(*cache, e.order, from, count, batchHoles, &augment, ds.ignoreIndex, cfg.seed,
            e.number, holeFill, device.is_cuda());
    engine::HostBatch h;
    if (batchHoles) {
        const auto pinned = torch::TensorOptions().dtype(torch::kUInt8).pinned_memory(true);
        const int size = cfg.imageSize;
        h.holes = torch::empty({ count, 1, size, size }, pinned);
        if (holeFill == engine::HoleFill::Noise)
            h.noise = torch::empty({ count, 3, size, size }, pinned);
        fillHoleMasks(h, *batchHoles, cfg.seed, e.number, from, holeFill);
    }
    return h;
}

// The images and labels of a batch of resident data: gathered and augmented on the device.
void TrainingSession::Run::residentBatch(const Epoch& e, engine::HostBatch& h, int b) const
{
    const auto [from, count] = shard(e, b);
    auto rows = torch::empty({ count }, torch::kInt64);
    std::vector<AugmentDraw> draws;
    for (int i = 0; i < count; ++i) {
        rows[i] = residentRow.value(e.order[from + i]);
        draws.push_back(augmentDrawAt(cfg.seed, e.number, from + i));
    }
    rows = rows.pin_memory().to(device, /*non_blocking=*/true); // no wait for queued kernels
    h.images = residentImages.index_select(0, rows);
    h.labels = residentLabels.index_select(0, rows);
    engine::augmentBatch(h.images, h.labels, augment, draws, ds.ignoreIndex);
}

bool TrainingSession::Run::trainEpoch(Epoch& e)
{
    auto prepareAsync = [this, &e](int b) {
        return std::async(std::launch::async, [this, &e, b] { return prepareBatch(e, b); });
    };
    if (e.firstBatch < batchesPerEpoch)
        e.pending = prepareAsync(e.firstBatch);
    for (int b = e.firstBatch; b < batchesPerEpoch; ++b) {
        pauseIfRequested(e, b);
        if (stopRequested())
            break;
        if (dataParallel) // this process's requests travel with the step
            dataParallel->beginStep(unionCount(e, b), d.stop.load(), d.isPausedNow());
        const int count = unionCount(e, b);
        QElapsedTimer clock;
        clock.start();
        engine::HostBatch host = e.pending.get();
        e.dataWait += clock.nsecsElapsed() * 1e-9;
        if (b + 1 < batchesPerEpoch)
            e.pending = prepareAsync(b + 1);
        clock.restart();
        const nn::StepResult r = step(e, host, b);
        e.compute += clock.nsecsElapsed() * 1e-9;
        if (!r.finite)
            throw diverged(e, r, b, count);
        // A training set whose masks are all void has nothing to learn from: found in the first
        // full epoch (each batch's labelled pixels are counted; a void batch alone trains only
        // the task-similarity term).
        // (The host's labels; with resident data the device's, until one labelled batch is seen.)
        if (e.checkLabels
            && (r.labelled >= 0 ? r.labelled > 0 : host.labels.ne(ds.ignoreIndex).any().item<bool>()))
            e.checkLabels = false;
        addStep(e, r, count);
        reportBatch(e, r, b);
    }
    e.trainSeconds = e.clock.nsecsElapsed() * 1e-9 - (pausedTotal - e.pausedAtStart);
    if (e.batchesDone < batchesPerEpoch) {
        // Stopped within the epoch: keep the weights, optimizer and position of the last
        // completed batch, so nothing computed is lost and a resume continues from there.
        if (writes() && (stepsDone > stepsAtStart || !QFileInfo::exists(result.lastCheckpoint)))
            written([&] { saveLast(e.number - 1, e.batchesDone, e.sum, e.seen); });
        return false;
    }
    return true;
}

// With several processes, what any of them asked for with the last step (so all pause and stop at
// the same batch); while paused they ask each other again every 250 ms, until none is paused.
void TrainingSession::Run::pauseIfRequested(const Epoch& e, int b)
{
    if (!(dataParallel ? dataParallel->pauseRequested() : d.isPausedNow()))
        return;
    QElapsedTimer pausedClock;
    pausedClock.start();
    status(QStringLiteral("Paused at epoch %1, batch %2").arg(e.number).arg(b + 1));
    if (cb.paused)
        cb.paused(true);
    if (dataParallel) {
        while (dataParallel->pauseRequested() && !dataParallel->stopRequested()) {
            d.waitWhilePausedFor(250);
            dataParallel->exchangeFlags(d.stop.load(), d.isPausedNow());
        }
    } else {
        d.waitWhilePaused();
    }
    pausedTotal += pausedClock.nsecsElapsed() * 1e-9;
    if (cb.paused)
        cb.paused(false);
    if (!stopRequested())
        status(QStringLiteral("Epoch %1/%2").arg(e.number).arg(cfg.epochs));
}

// A stop asked for: by any process (as of the last collective) with several, else by this one.
bool TrainingSession::Run::stopRequested() const
{
    return dataParallel ? dataParallel->stopRequested() : d.stop.load();
}

nn::StepResult TrainingSession::Run::step(const Epoch& e, engine::HostBatch& host, int b)
{
    try {
        if (residentImages.defined())
            residentBatch(e, host, b);
        const engine::DeviceBatch batch = engine::upload(host, device, holeFill, cfg.channelsLast);
        return nn::maskSupStep(*model, *optimizer, batch.images, batch.holes, batch.target, ds.ignoreIndex,
            mode, weights, batch.fill, stepOptions);
    } catch (const std::exception& ex) {
        if (!engine::isOutOfMemory(ex))
            throw;
        throw outOfMemory("a training step");
    }
}

// Void-only batches give a zero loss (segmentationLoss), so a NaN here comes from the weights
// diverging (or non-finite activations under mixed precision).
Error TrainingSession::Run::diverged(const Epoch& e, const nn::StepResult& r, int b, int count) const
{
    // The samples of this batch, for messages: image (and mask) files.
    QStringList files;
    for (int i = b * globalBatch; i < b * globalBatch + count; ++i) {
        const Sample& smp = ds.samples[e.order[i]];
        files << (smp.frame >= 0 ? QStringLiteral("%1 frame %2").arg(smp.imagePath).arg(smp.frame)
                                 : smp.imagePath);
    }
    return Error("the loss became " + std::string(std::isnan(r.total) ? "NaN" : "infinite") + " at epoch "
        + std::to_string(e.number) + ", batch " + std::to_string(b + 1) + " of "
        + std::to_string(batchesPerEpoch) + " (samples: " + files.join(QStringLiteral(", ")).toStdString()
        + "; learning rate " + QString::number(e.lr).toStdString() + "); training stopped. "
        + (lastGood.isEmpty() ? std::string("No checkpoint had been written yet.")
                              : "The last good checkpoint is kept: " + lastGood.toStdString() + ".")
        + " The weights diverged: lower the learning rate (e.g. to "
        + QString::number(e.lr / 10).toStdString() + ")"
        + (precision != nn::Precision::Float32 ? " or turn mixed precision off (--amp off)" : "")
        + (cfg.optimizer == QLatin1String("sgd") ? " or lower the momentum" : "") + ".");
}

// A step's losses added to the epoch's sums, and last.pt every cfg.checkpointMinutes within the epoch.
void TrainingSession::Run::addStep(Epoch& e, const nn::StepResult& r, int count)
{
    e.sum[0] += r.total * count;
    e.sum[1] += r.seg * count;
    e.sum[2] += r.context * count;
    e.sum[3] += r.tasksim * count;
    e.seen += count;
    e.seenThisSession += count;
    ++e.batchesDone;
    ++stepsDone;
    if (cfg.checkpointMinutes > 0 && e.batchesDone < batchesPerEpoch
        && checkpointClock.elapsed() >= cfg.checkpointMinutes * 60000.0) {
        written([&] { saveLast(e.number - 1, e.batchesDone, e.sum, e.seen); });
        lastGood = QStringLiteral("%1 (epoch %2, batch %3)")
                       .arg(result.lastCheckpoint)
                       .arg(e.number)
                       .arg(e.batchesDone);
        checkpointClock.restart();
    }
}

void TrainingSession::Run::reportBatch(const Epoch& e, const nn::StepResult& r, int b) const
{
    if (!cb.batch)
        return;
    BatchProgress p;
    p.epoch = e.number;
    p.epochs = cfg.epochs;
    p.batch = b + 1;
    p.batchesPerEpoch = batchesPerEpoch;
    p.loss = r.total;
    p.lossSeg = r.seg;
    p.lossContext = r.context;
    p.lossTasksim = r.tasksim;
    const double elapsed = e.clock.nsecsElapsed() * 1e-9 - (pausedTotal - e.pausedAtStart);
    p.imagesPerSecond = elapsed > 0 ? e.seenThisSession / elapsed : 0;
    const double perStep
        = (runClock.nsecsElapsed() * 1e-9 - pausedTotal) / std::max(1, stepsDone - stepsAtStart);
    p.etaSeconds = perStep * (totalSteps - stepsDone);
    cb.batch(p);
}

void TrainingSession::Run::checkLabelsSeen(const Epoch& e) const
{
    if (!e.checkLabels)
        return;
    QStringList masks;
    for (int i = 0; i < split.train.size() && i < 5; ++i) {
        const Sample& smp = ds.samples[split.train[i]];
        masks << (smp.correctionPath.isEmpty() ? smp.maskPath : smp.correctionPath);
    }
    throw Error("every mask of the " + std::to_string(split.train.size())
            + " training pair(s) is void (no pixel has a class label; void = "
            + std::to_string(ds.ignoreIndex) + "): there is nothing to learn. First masks: "
            + masks.join(QStringLiteral(", ")).toStdString() + (split.train.size() > 5 ? ", ..." : ""),
        ds.root.toStdString(),
        "Check the masks ('masksup inspect' shows their class pixel counts) and the dataset format.");
}

bool TrainingSession::Run::validateEpoch(Epoch& e, EpochMetrics* m, ValidationErrors* valErrors)
{
    // Several processes: each validates its share of the split; the per-image counts are summed
    // (each process fills its own rows), so every figure equals one process's exactly. A stop asked
    // for during validation is honoured after it, by every process at once.
    const int valCount = int(split.val.size());
    const Shard mine = shardOf(0, valCount, rank, world);
    static const std::atomic<bool> notStopped { false };
    torch::Tensor counts;
    try {
        counts = validationCounts(*model, *cache, split.val.mid(mine.from, mine.count), ds.numClasses(),
            ds.ignoreIndex, cfg.batchSize, device, dataParallel ? notStopped : d.stop, cfg.channelsLast);
    } catch (const std::exception& ex) {
        if (!engine::isOutOfMemory(ex))
            throw;
        throw outOfMemory("validation");
    }
    if (dataParallel) {
        counts = dataParallel->gatherRows(counts, mine.from, valCount);
        dataParallel->exchangeFlags(d.stop.load(), d.isPausedNow());
    }
    if (stopRequested()) {
        // Stopped during validation: the epoch's steps are all done; validate again on resume.
        written([&] { saveLast(e.number - 1, e.batchesDone, e.sum, e.seen); });
        return false;
    }
    ReferenceBinaryIou perImage;
    const ConfusionMatrix cm = summariseValidation(counts, ds.numClasses(), &perImage, &valErrors->images);
    m->epoch = e.number;
    m->loss = e.sum[0] / e.seen;
    m->lossSeg = e.sum[1] / e.seen;
    m->lossContext = e.sum[2] / e.seen;
    m->lossTasksim = e.sum[3] / e.seen;
    m->valMiou = cm.meanIoU();
    m->valDice = cm.meanDice();
    m->valPixelAccuracy = cm.pixelAccuracy();
    m->perClassIou = cm.iou();
    m->classNames = ds.classNames;
    for (int t = 0; t < cm.classes(); ++t)
        for (int p = 0; p < cm.classes(); ++p)
            m->confusion << cm.at(t, p);
    m->refMicroJaccard = cm.referenceMicroJaccard();
    m->refBinaryIou = ds.isBinary() ? perImage.mean() : std::nan("");
    m->learningRate = e.lr;
    m->seconds = e.clock.nsecsElapsed() * 1e-9 - (pausedTotal - e.pausedAtStart);
    m->imagesPerSecond = e.trainSeconds > 0 ? e.seenThisSession / e.trainSeconds : 0;
    m->dataWaitSeconds = e.dataWait;
    m->computeSeconds = e.compute;
    m->communicationSeconds = dataParallel ? dataParallel->seconds() - e.communicationAtStart : 0.0;
    m->decodedSamples = cache->stats().decodes - e.decodesBefore;
    return true;
}

// Order matters for a crash at any point: metrics first, then best.pt, then last.pt. A crash
// before last.pt is renamed leaves the previous one; resuming from it drops the metrics lines past
// its epoch and recomputes that epoch identically.
void TrainingSession::Run::writeEpoch(const Epoch& e, const EpochMetrics& m, ValidationErrors& valErrors)
{
    if (dataParallel)
        checkWeightsAgree(e.number);
    history << m.toJson();
    written([&] { writeMetricsFiles(); });
    // The latest validation's per-image confusion cells (replaced every epoch; see validation_errors.h).
    valErrors.epoch = e.number;
    valErrors.classNames = ds.classNames;
    valErrors.imageSize = cfg.imageSize;
    valErrors.ignoreIndex = ds.ignoreIndex;
    for (int i = 0; i < valErrors.images.size(); ++i)
        valErrors.images[i].id = ds.samples[split.val[i]].id;
    written([&] { RunFolder(runDir.absolutePath()).writeValidationErrors(valErrors); });
    info.valMiou = m.valMiou;
    info.metrics = m.toJson();
    if (m.valMiou > result.bestMiou) {
        result.bestMiou = m.valMiou;
        result.bestEpoch = e.number;
        info.epoch = e.number;
        info.trainingState = {};
        written([&] { saveCheckpoint(result.bestCheckpoint, *model, nullptr, info); });
    }
    const double zeros[4] = { 0, 0, 0, 0 };
    written([&] { saveLast(e.number, 0, zeros, 0); });
    lastGood = QStringLiteral("%1 (epoch %2)").arg(result.lastCheckpoint).arg(e.number);
    checkpointClock.restart();
    result.epochsCompleted = e.number;
}

// ---- several processes ----

Shard TrainingSession::Run::shard(const Epoch& e, int b) const
{
    return shardOf(b * globalBatch, unionCount(e, b), rank, world);
}

int TrainingSession::Run::unionCount(const Epoch& e, int b) const
{
    return std::min(globalBatch, int(e.order.size()) - b * globalBatch);
}

// Every process checks, after loading, that it trains on what rank 0 trains on (a digest of the
// split's ids, classes and settings), and whether one of them was stopped while loading.
bool TrainingSession::Run::agreeOnData(bool loaded)
{
    if (!group)
        return loaded;
    QByteArray what;
    for (const QVector<int>* part : { &split.train, &split.val }) {
        for (int i : *part)
            what += ds.samples[i].id.toUtf8() + '\n';
        what += "|";
    }
    what += ds.classNames.join(QLatin1Char(',')).toUtf8() + '|' + QByteArray::number(ds.ignoreIndex) + '|'
        + QByteArray::number(cfg.imageSize) + '|' + QByteArray::number(qulonglong(cfg.seed)) + '|'
        + cfg.model.toUtf8() + '|' + QByteArray::number(cfg.width) + '|' + cfg.mode.toUtf8();
    const std::int64_t mine = loaded ? std::int64_t(crc32(what.constData(), std::size_t(what.size()))) : -1;
    const std::vector<std::int64_t> all = gatherFromRanks(*group, mine, device);
    if (std::find(all.begin(), all.end(), -1) != all.end())
        return false;
    for (int r = 1; r < world; ++r)
        if (all[r] != all[0])
            throw Error("rank " + std::to_string(r)
                    + " would train on other data than rank 0 (the dataset, its "
                      "split, the pairs left out or the settings differ; "
                    + std::to_string(split.train.size()) + " training and " + std::to_string(split.val.size())
                    + " validation pairs here, on rank " + std::to_string(rank) + ")",
                cfg.datasetPath.toStdString(),
                "Give every process the same dataset folder (on several machines: a shared file system, the "
                "same path) and the same settings.");
    return true;
}

// After each epoch every process's weights must be the same bits (same start, same summed
// gradients, same optimizer arithmetic); a difference would mean the processes train different
// networks, so the run stops rather than go on silently.
void TrainingSession::Run::checkWeightsAgree(int epoch)
{
    const std::vector<std::uint32_t> digests = dataParallel->weightDigests();
    QStringList hex;
    for (std::uint32_t v : digests)
        hex << QStringLiteral("%1").arg(v, 8, 16, QLatin1Char('0'));
    for (int r = 1; r < int(digests.size()); ++r)
        if (digests[r] != digests[0])
            throw Error("after epoch " + std::to_string(epoch) + " the weights of rank " + std::to_string(r)
                + " differ from rank 0's (CRC-32 per rank: " + hex.join(QStringLiteral(", ")).toStdString()
                + "): the processes no longer train the same network. Please report this with the run's "
                  "config.json.");
    status(QStringLiteral("Epoch %1: the weights are identical on the %2 processes (CRC-32 per rank: %3)")
               .arg(epoch)
               .arg(world)
               .arg(hex.join(QStringLiteral(", "))));
}

// Another process is gone: rank 0 keeps what was computed (last.pt at the last completed step,
// as a stop does) and says how to go on; every process stops with the message naming the rank.
Error TrainingSession::Run::peerLost(const dist::PeerLost& lost, Epoch& e)
{
    std::string after;
    if (writes() && e.number > 0 && stepsDone > stepsAtStart) {
        try {
            saveLast(e.number - 1, e.batchesDone, e.sum, e.seen);
            after = " The weights after batch " + std::to_string(e.batchesDone) + " of epoch "
                + std::to_string(e.number) + " are saved in " + result.lastCheckpoint.toStdString() + ".";
        } catch (const std::exception& w) {
            after = std::string(" Saving the last checkpoint failed as well: ") + w.what();
        }
    } else if (writes() && !lastGood.isEmpty()) {
        after = " The last checkpoint is " + lastGood.toStdString() + ".";
    }
    if (writes() && (QFileInfo::exists(result.lastCheckpoint)))
        after += " Continue with: masksup train --resume "
            + QDir::toNativeSeparators(runDir.absolutePath()).toStdString()
            + " (with any number of processes, --nproc N).";
    return dist::PeerLost(std::string(lost.what()) + " Training stopped in epoch "
            + std::to_string(currentEpoch) + " on rank " + std::to_string(rank) + "." + after,
        lost.rank());
}

TrainResult TrainingSession::Run::execute()
{
    prepare();
    if (!agreeOnData(loadSamples())) {
        // Stopped while loading: nothing was trained, so there is nothing to save.
        TrainResult r;
        r.stopped = true;
        r.runDir = runDir.absolutePath();
        return r;
    }
    buildModel();
    if (!restore())
        return result;
    if (dataParallel)
        dataParallel->broadcastModel(); // one start for every process, whatever each initialised
    TrainResult r = train();
    if (rendezvous && writes())
        for (const auto& bad : rendezvous->reapWorkers(15000))
            status(QString::fromStdString(bad.second));
    return r;
}

TrainResult TrainingSession::run(const Callbacks& cb)
{
    Run run(*d, cb);
    try {
        return run.execute();
    } catch (const dist::PeerLost&) {
        throw; // another process is gone: nothing to tell it
    } catch (const std::exception& e) {
        // The others stop too, at their next collective: they name this rank with its message.
        if (run.rendezvous)
            run.rendezvous->reportFailure(run.rank, e.what());
        throw;
    }
}

BatchPreview previewTrainingBatch(const TrainConfig& cfg, int epoch, int batch)
{
    cfg.validate();
    const Dataset ds = openRunDataset(cfg);
    const Split split = withoutSkippedPairs(runSplit(ds, cfg), ds, cfg.outDir);
    // A step takes the images of every process: the run's record, else batch size × processes.
    const int stepImages = cfg.outDir.isEmpty() ? cfg.batchSize * cfg.processes
                                                : RunFolder(cfg.outDir)
                                                      .readConfig()
                                                      .value(QStringLiteral("global_batch"))
                                                      .toInt(cfg.batchSize * cfg.processes);
    const int batches = (int(split.train.size()) + stepImages - 1) / stepImages;
    if (epoch < 1 || batch < 1 || batch > batches)
        throw Error("there is no batch " + std::to_string(batch) + " of epoch " + std::to_string(epoch)
            + " (an epoch has " + std::to_string(batches) + " batches)");
    const QVector<int> order = epochOrder(split.train, cfg.seed, epoch);
    const SampleCache cache(ds, cfg.imageSize, 0);
    const std::unique_ptr<MaskSource> holes = makeMaskSource(cfg, noProgress());
    const AugmentOptions augment = AugmentOptions::parse(cfg.augment.toStdString());
    const int from = (batch - 1) * stepImages;
    const int count = std::min(stepImages, int(order.size()) - from);
    const engine::HoleFill fill = holeFillOf(cfg.holeFill);
    // The batch as training builds it on the host, finished on the CPU.
    const engine::HostBatch host = buildHostBatch(
        cache, order, from, count, holes.get(), &augment, ds.ignoreIndex, cfg.seed, epoch, fill, false);
    const engine::DeviceBatch b = engine::upload(host, torch::Device(torch::kCPU), fill);
    const torch::Tensor masked = nn::applyHoles(b.images, b.holes, b.fill);
    BatchPreview p;
    for (int i = 0; i < count; ++i) {
        p.ids << ds.samples[order[from + i]].id;
        p.clean.push_back(tensorToRgb(b.images[i]));
        p.masked.push_back(tensorToRgb(masked[i]));
        const torch::Tensor h = (host.holes[i][0] * 255).contiguous();
        p.holes.push_back(cv::Mat(cfg.imageSize, cfg.imageSize, CV_8UC1, h.data_ptr<uint8_t>()).clone());
    }
    return p;
}

BatchPreview previewValidationImages(
    const TrainConfig& cfg, int epoch, const QStringList& wanted, Progress& progress)
{
    cfg.validate();
    const Dataset ds = openRunDataset(cfg);
    const Split split = withoutSkippedPairs(runSplit(ds, cfg), ds, cfg.outDir);
    // The epoch's order with the validation images after the training images (see the header).
    const QVector<int> order = split.train + split.val;
    // Memory for the wanted samples only: the batch and the clean copy below share one decode.
    const SampleCache cache(ds, cfg.imageSize, qint64(wanted.size() + 1) * cfg.imageSize * cfg.imageSize * 4);
    const std::unique_ptr<MaskSource> holes = makeMaskSource(cfg, noProgress());
    const engine::HoleFill fill = holeFillOf(cfg.holeFill);
    const int s = cfg.imageSize;
    BatchPreview p;
    for (const QString& id : wanted) {
        int sample = -1;
        for (int i = 0; i < ds.samples.size() && sample < 0; ++i)
            if (ds.samples[i].id == id)
                sample = i;
        const int position = sample < 0 ? -1 : int(order.indexOf(sample, split.train.size()));
        if (position < 0)
            throw Error("sample '" + id.toStdString() + "' is not in the validation split of this run",
                cfg.outDir.toStdString());
        const engine::HostBatch host = buildHostBatch(
            cache, order, position, 1, holes.get(), nullptr, ds.ignoreIndex, cfg.seed, epoch, fill, false);
        const engine::DeviceBatch b = engine::upload(host, torch::Device(torch::kCPU), fill);
        const CachedSample c = cache.get(sample); // the bytes validation normalises
        p.ids << id;
        p.clean.push_back(c.image.clone());
        p.labels.push_back(c.labels.clone());
        p.masked.push_back(tensorToRgb(nn::applyHoles(b.images, b.holes, b.fill)[0]));
        const torch::Tensor h = (host.holes[0][0] * 255).contiguous();
        p.holes.push_back(cv::Mat(s, s, CV_8UC1, h.data_ptr<uint8_t>()).clone());
        progress.report(int(p.ids.size()), int(wanted.size()));
        if (progress.isCancelled())
            break;
    }
    return p;
}

} // namespace msup
