#include "core/train/training_session.h"

#include "core/annot/mask_store.h"
#include "core/base/error.h"
#include "core/base/rng.h"
#include "core/data/augment.h"
#include "core/data/dataset.h"
#include "core/data/image_io.h"
#include "core/data/split.h"
#include "core/engine/augment_tensor.h"
#include "core/engine/batch.h"
#include "core/engine/confusion.h"
#include "core/engine/precision.h"
#include "core/io/atomic_file.h"
#include "core/io/csv.h"
#include "core/masks/hole_generator.h"
#include "core/masks/mask_set.h"
#include "core/nn/masksup_loss.h"
#include "core/train/checkpoint_io.h"
#include "core/train/confusion_matrix.h"
#include "core/train/error_analysis.h"
#include "core/train/host_pipeline.h"
#include "core/train/tensor_utils.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSet>
#include <QtConcurrent/QtConcurrentMap>

#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <future>
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
        { QStringLiteral("ref_micro_jaccard"), refMicroJaccard },
        { QStringLiteral("ref_binary_iou"),
            std::isnan(refBinaryIou) ? QJsonValue() : QJsonValue(refBinaryIou) },
        { QStringLiteral("decoded_samples"), decodedSamples },
        { QStringLiteral("confusion"), confusionJson } };
}

QByteArray metricsCsv(const QVector<QJsonObject>& epochs, const QStringList& classNames)
{
    static const char* columns[] = { "epoch", "loss", "loss_seg", "loss_context", "loss_tasksim", "val_miou",
        "val_dice", "val_pixel_accuracy", "ref_micro_jaccard", "ref_binary_iou", "lr", "seconds",
        "images_per_second", "data_wait_seconds", "compute_seconds", "decoded_samples" };
    auto number = [](const QJsonValue& v) {
        return v.isDouble() ? QString::number(v.toDouble(), 'g', QLocale::FloatingPointShortest)
                            : QString(); // null (NaN) = empty
    };
    QStringList header;
    for (const char* c : columns)
        header << QString::fromLatin1(c);
    for (const QString& name : classNames)
        header << csvField(QStringLiteral("iou_") + name);
    QByteArray out = header.join(QLatin1Char(',')).toUtf8() + '\n';
    for (const QJsonObject& o : epochs) {
        QStringList row;
        for (const char* c : columns)
            row << number(o.value(QLatin1String(c)));
        const QJsonArray perClass = o.value(QStringLiteral("per_class_iou")).toArray();
        for (int i = 0; i < classNames.size(); ++i)
            row << (i < perClass.size() ? number(perClass[i]) : QString());
        out += row.join(QLatin1Char(',')).toUtf8() + '\n';
    }
    return out;
}

QVector<QJsonObject> readMetricsForResume(const QString& path, int upToEpoch, QString* note)
{
    QVector<QJsonObject> kept;
    QFile file(path);
    if (!file.exists())
        return kept;
    if (!file.open(QIODevice::ReadOnly))
        throw Error("cannot be read to resume the run: " + file.errorString().toStdString(),
            path.toStdString(), "Check its permissions; the file was not changed.");
    const QList<QByteArray> lines = file.readAll().split('\n');
    int last = int(lines.size()) - 1; // the last line with something on it
    int complete = 0; // complete lines read so far
    while (last >= 0 && lines[last].trimmed().isEmpty())
        --last;
    for (int i = 0; i <= last; ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        QJsonParseError error {};
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        const bool isComplete = error.error == QJsonParseError::NoError && doc.isObject()
            && doc.object().value(QStringLiteral("epoch")).isDouble();
        if (!isComplete && i == last) {
            // A write cut short: the line is lost, the complete ones before it are kept.
            if (note)
                *note = QStringLiteral("%1: its last line (line %2, %3 bytes) is incomplete and was dropped; "
                                       "the %4 complete line(s) before it are kept")
                            .arg(QDir::toNativeSeparators(path))
                            .arg(i + 1)
                            .arg(lines[i].size())
                            .arg(complete);
            break;
        }
        if (!isComplete)
            throw Error("line " + std::to_string(i + 1) + " is not an epoch's metrics ("
                    + (error.error != QJsonParseError::NoError ? error.errorString().toStdString()
                                                               : std::string("no \"epoch\" number"))
                    + "), so the run cannot be resumed without losing the epochs around it",
                path.toStdString(),
                "Repair or remove that line (the file was not changed), then resume again.");
        ++complete;
        const QJsonObject o = doc.object();
        if (o.value(QStringLiteral("epoch")).toInt() <= upToEpoch)
            kept << o;
    }
    return kept;
}

struct TrainingSession::Impl {
    TrainConfig config;
    QString resumeCheckpoint;
    std::atomic<bool> stop { false };
    std::atomic<bool> paused { false };
    std::mutex pauseMutex;
    std::condition_variable pauseChanged;

    bool isPausedNow() const { return paused.load() && !stop.load(); }
    void waitWhilePaused()
    {
        std::unique_lock<std::mutex> lock(pauseMutex);
        pauseChanged.wait(lock, [this] { return !paused.load() || stop.load(); });
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

QString TrainingSession::lastCheckpointOf(const QString& runDir)
{
    return QDir(runDir).filePath(QStringLiteral("checkpoints/last.pt"));
}

TrainConfig TrainingSession::configForResume(const QString& runDir)
{
    if (!QFileInfo(runDir).isDir())
        throw Error(
            "is not a run folder", runDir.toStdString(), "Give the RUN_DIR a 'masksup train --out' wrote.");
    const QString last = lastCheckpointOf(runDir);
    if (!QFileInfo::exists(last))
        throw Error("has no checkpoints/last.pt to resume from", runDir.toStdString(),
            "Start the run again: it stopped before its first checkpoint.");
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

    // The run's split without the pairs its training left out (config.json's `skipped` list), so
    // that previews show the batches the run really trained on.
    Split withoutSkippedPairs(Split split, const Dataset& ds, const QString& runDir)
    {
        QFile f(QDir(runDir).filePath(QStringLiteral("config.json")));
        if (runDir.isEmpty() || !f.open(QIODevice::ReadOnly))
            return split;
        QSet<QString> files;
        for (const QJsonValue& v :
            QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("skipped")).toArray())
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
        const QString splitFile = QDir(cfg.outDir).filePath(QStringLiteral("split.json"));
        *existed = !cfg.outDir.isEmpty() && QFileInfo::exists(splitFile);
        return *existed ? loadSplit(splitFile, ids) : defaultSplit(ds, cfg.valFraction, cfg.seed);
    }

    // The split of a run folder for previews: its split.json, else the seeded split.
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
    // keeps every image's K×K counts), and one copy to the host after the last batch gives the
    // epoch's matrix, each image's cells (val_errors.json) and the reference binary IoU.
    ConfusionMatrix validate(nn::SegmentationModelImpl& model, const SampleCache& cache,
        const QVector<int>& val, int classes, int ignoreIndex, int batchSize, const torch::Device& device,
        const std::atomic<bool>& stop, ReferenceBinaryIou* perImage, QVector<ImageConfusion>* perImageCells,
        bool channelsLast)
    {
        torch::NoGradGuard noGrad; // grad mode is per thread: set here, in the worker
        model.eval();
        engine::DeviceConfusion confusion(classes, ignoreIndex, device);
        for (int from = 0; from < val.size() && !stop.load(); from += batchSize) {
            const int count = std::min(batchSize, int(val.size()) - from);
            const engine::HostBatch host = buildHostBatch(cache, val, from, count, nullptr, nullptr,
                ignoreIndex, 0, 0, engine::HoleFill::Zero, device.is_cuda());
            const engine::DeviceBatch b = engine::upload(host, device, engine::HoleFill::Zero, channelsLast);
            const torch::Tensor logits = model.forward(b.images);
            confusion.add(logits.size(1) == 1 ? logits.squeeze(1).gt(0) : logits.argmax(1), b.target);
        }
        ConfusionMatrix cm(classes);
        torch::Tensor counts;
        try {
            counts = confusion.perImage(); // M×K×K int64 on the host
        } catch (const std::out_of_range& e) {
            throw Error(std::string("validation: ") + e.what(), "",
                "Check the dataset's masks and class count ('masksup inspect').");
        }
        const auto c = counts.accessor<int64_t, 3>();
        for (int i = 0; i < int(counts.size(0)); ++i) {
            // Each image's own confusion cells (val_errors.json, for the error analysis), in the
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

TrainResult TrainingSession::run(const Callbacks& cb)
{
    d->config.validate();
    // Absolute paths in config.json and the checkpoints, so that a run can be resumed, evaluated or
    // opened from any working directory.
    d->config.datasetPath = QFileInfo(d->config.datasetPath).absoluteFilePath();
    d->config.outDir = QFileInfo(d->config.outDir).absoluteFilePath();
    if (!d->config.maskFolder.isEmpty())
        d->config.maskFolder = QFileInfo(d->config.maskFolder).absoluteFilePath();
    const TrainConfig& cfg = d->config;
    auto status = [&](const QString& s) {
        if (cb.status)
            cb.status(s);
    };
    const torch::Device device(resolveDevice(cfg.device).toStdString());
    // The precision of the forward passes (--amp), checked before anything is written.
    nn::Precision precision = nn::Precision::Float32;
    try {
        precision = engine::resolvePrecision(cfg.amp.toStdString(), device);
    } catch (const std::invalid_argument& e) {
        throw Error(e.what());
    }
    const int threads
        = cfg.threads > 0 ? cfg.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    torch::set_num_threads(threads);
    torch::manual_seed(cfg.seed);
    // cuDNN picks the fastest convolution algorithms for the run's shapes (they never change).
    if (device.is_cuda())
        at::globalContext().setBenchmarkCuDNN(true);

    status(QStringLiteral("Indexing %1").arg(cfg.datasetPath));
    int corrected = 0;
    const Dataset ds = openRunDataset(cfg, &corrected);
    if (!cfg.corrections.isEmpty())
        status(QStringLiteral("%1 corrected mask(s) from %2").arg(corrected).arg(cfg.corrections));
    QStringList ids;
    for (const Sample& s : ds.samples)
        ids << s.id;

    ensureWritableDir(cfg.outDir);
    const QDir runDir(cfg.outDir);
    const QString ckptDir = runDir.filePath(QStringLiteral("checkpoints"));
    ensureWritableDir(ckptDir);
    // A process killed while writing a checkpoint leaves its temporary file: the previous
    // checkpoint is intact, the partial one is removed here.
    for (const QString& part : QDir(ckptDir).entryList({ QStringLiteral("*.part") }, QDir::Files))
        QFile::remove(QDir(ckptDir).filePath(part));
    bool splitExisted = false;
    Split split = runSplit(ds, cfg, ids, &splitExisted);
    if (!splitExisted)
        saveSplit(runDir.filePath(QStringLiteral("split.json")), split, ids);
    if (split.train.isEmpty())
        throw Error("the dataset has too few pairs to train on (" + std::to_string(ds.samples.size()) + ")",
            ds.root.toStdString(), "Add image/mask pairs: at least two are needed.");

    // The masks of the context branch: the generator, or a folder of mask images filtered by ratio.
    if (!cfg.maskFolder.isEmpty())
        status(QStringLiteral("Reading masks in %1").arg(cfg.maskFolder));
    FunctionProgress maskLoading({}, &d->stop); // requestStop() also stops reading the mask folder
    const std::unique_ptr<MaskSource> holes = makeMaskSource(cfg, maskLoading);
    const engine::HoleFill holeFill = holeFillOf(cfg.holeFill);
    QJsonObject configJson = cfg.toJson();
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
    writeFileAtomic(runDir.filePath(QStringLiteral("config.json")), QJsonDocument(configJson).toJson());

    // Every pair is decoded and resized once before training (with progress, cancellable): it fills
    // the memory cache up to its budget (and the disk cache when one is set). This pass is also the
    // run's one verdict per pair: a pair that cannot be decoded (the errors 'masksup inspect'
    // reports, see validation.h) is left out of the split, named through callbacks.skipped and in
    // config.json's `skipped` list; the run stops only when no usable pair is left.
    const SampleCache cache(ds, cfg.imageSize, qint64(cfg.cacheMemoryMb) * 1024 * 1024, cfg.cacheDir);
    // Decoding runs on all cores, in chunks so that progress and stop are seen between them.
    const QVector<int> needed = split.train + split.val;
    QVector<SkippedPair> skipped;
    QSet<int> unusable;
    const int chunk = 32;
    for (int from = 0; from < needed.size() && !d->stop.load(); from += chunk) {
        status(QStringLiteral("Loading images %1/%2%3")
                   .arg(from + 1)
                   .arg(needed.size())
                   .arg(skipped.isEmpty() ? QString() : QStringLiteral(" (%1 skipped)").arg(skipped.size())));
        const QVector<int> part = needed.mid(from, chunk);
        const QList<SkippedPair> verdicts = QtConcurrent::blockingMapped(part, [&](int i) -> SkippedPair {
            try {
                cache.get(i);
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
    if (!d->stop.load()) {
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
        // config.json again, now with the pairs left out (always present, empty when none).
        configJson.insert(QStringLiteral("train_count"), split.train.size());
        configJson.insert(QStringLiteral("val_count"), split.val.size());
        configJson.insert(QStringLiteral("skipped"), skippedPairsToJson(skipped));
        writeFileAtomic(runDir.filePath(QStringLiteral("config.json")), QJsonDocument(configJson).toJson());
    }

    if (d->stop.load()) {
        // Stopped while loading: nothing was trained, so there is nothing to save.
        TrainResult r;
        r.stopped = true;
        r.runDir = runDir.absolutePath();
        return r;
    }

    std::shared_ptr<nn::SegmentationModelImpl> model;
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
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    if (cfg.optimizer == QLatin1String("sgd"))
        optimizer = std::make_unique<torch::optim::SGD>(model->parameters(),
            torch::optim::SGDOptions(cfg.learningRate).momentum(cfg.momentum).weight_decay(cfg.weightDecay));
    else
        optimizer = std::make_unique<torch::optim::Adam>(model->parameters(),
            torch::optim::AdamOptions(cfg.learningRate).weight_decay(cfg.weightDecay).amsgrad(cfg.amsgrad));
    const nn::MaskSupMode mode = parseMode(cfg.mode);
    const nn::LossWeights weights { cfg.alphaSeg, cfg.alphaContext, cfg.alphaTasksim };
    const AugmentOptions augment = AugmentOptions::parse(cfg.augment.toStdString());
    nn::GradScaler scaler;
    nn::StepOptions stepOptions;
    stepOptions.concatenate = cfg.branches == QLatin1String("concat");
    stepOptions.precision = precision;
    stepOptions.scaler = precision == nn::Precision::Float16 ? &scaler : nullptr;
    // CUDA running out of memory, anywhere in a step or in validation, becomes this message.
    auto outOfMemory = [&](const char* where) {
        // The activations grow linearly with the batch: half the batch size roughly halves them.
        const int smaller = std::max(1, cfg.batchSize / 2);
        return Error(std::string("the device ran out of memory during ") + where + " (" + device.str()
                + ", model " + cfg.model.toStdString() + " width " + std::to_string(cfg.width)
                + ", batch size " + std::to_string(cfg.batchSize) + ", image size "
                + std::to_string(cfg.imageSize) + "×" + std::to_string(cfg.imageSize) + ", "
                + engine::precisionName(precision) + ")",
            "",
            cfg.batchSize > 1 ? "Try --batch-size " + std::to_string(smaller)
                    + " (half: activation memory grows with the batch; halve again if it still does not fit)"
                    + (precision == nn::Precision::Float32 && device.is_cuda() ? ", or --amp auto" : "")
                    + ", or a smaller --image-size or model."
                              : "Use a smaller --image-size or model, or a GPU with more memory.");
    };

    // On a CUDA device, a training set that fits stays on the GPU for the whole run as 8-bit
    // images and labels, and is augmented there (engine::augmentBatch): the host only makes hole
    // masks. It fits when its bytes (4 per pixel: RGB + label) are at most a quarter of the
    // device's free memory at this point, and at most 4 GiB: the rest is for the model, its
    // activations and the allocator's slack. Otherwise (and always on the CPU) the host builds
    // every batch (OpenCV on 8-bit data) and copies it from pinned memory.
    torch::Tensor residentImages, residentLabels;
    if (device.is_cuda()) {
        const std::int64_t bytes = 4LL * cfg.imageSize * cfg.imageSize * split.train.size();
        std::int64_t freeBytes = 0, totalBytes = 0;
        if (engine::deviceMemory(device, &freeBytes, &totalBytes) && bytes <= freeBytes / 4
            && bytes <= (std::int64_t(4) << 30)) {
            status(QStringLiteral("Copying the %1 training pair(s) to %2 (%3 MB)")
                       .arg(split.train.size())
                       .arg(QString::fromStdString(device.str()))
                       .arg(bytes / 1e6, 0, 'f', 1));
            const engine::HostBatch all = buildHostBatch(cache, split.train, 0, int(split.train.size()),
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
    // Where each training sample sits in the resident tensors.
    QHash<int, int> residentRow;
    for (int i = 0; residentImages.defined() && i < split.train.size(); ++i)
        residentRow.insert(split.train[i], i);

    CheckpointInfo info;
    info.config = cfg;
    info.classNames = ds.classNames;
    info.classColors = ds.classColors;
    info.ignoreIndex = ds.ignoreIndex;
    info.outputChannels = ds.modelOutputChannels();

    TrainResult result;
    result.runDir = runDir.absolutePath();
    result.lastCheckpoint = QDir(ckptDir).filePath(QStringLiteral("last.pt"));
    result.bestCheckpoint = QDir(ckptDir).filePath(QStringLiteral("best.pt"));
    result.bestMiou = -1;

    const int batchesPerEpoch = (int(split.train.size()) + cfg.batchSize - 1) / cfg.batchSize;
    // Where training starts: epoch 1, batch 0, or where the resumed checkpoint left off.
    int startEpoch = 1, startBatch = 0;
    double startSums[4] = { 0, 0, 0, 0 };
    int startSeen = 0;
    QVector<QJsonObject> history; // metrics of the completed epochs (metrics.jsonl / metrics.csv)
    if (!d->resumeCheckpoint.isEmpty()) {
        status(QStringLiteral("Resuming from %1").arg(d->resumeCheckpoint));
        CheckpointInfo saved;
        loadTrainingState(d->resumeCheckpoint, *model, *optimizer, &saved, device);
        const QJsonObject st = saved.trainingState;
        if (st.isEmpty())
            throw Error("holds no training state to resume from", d->resumeCheckpoint.toStdString(),
                "Resume from RUN_DIR/checkpoints/last.pt.");
        if (st.value(QStringLiteral("batches_per_epoch")).toInt() != batchesPerEpoch)
            throw Error("was written with "
                    + std::to_string(st.value(QStringLiteral("batches_per_epoch")).toInt())
                    + " batches per epoch, this run has " + std::to_string(batchesPerEpoch),
                d->resumeCheckpoint.toStdString(),
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
        history = readMetricsForResume(
            runDir.filePath(QStringLiteral("metrics.jsonl")), saved.epoch, &metricsNote);
        if (!metricsNote.isEmpty())
            status(metricsNote);
        // The checkpoint carries its epoch's metrics: a line lost with a cut write comes back.
        const bool haveSavedEpoch = std::any_of(history.begin(), history.end(),
            [&](const QJsonObject& o) { return o.value(QStringLiteral("epoch")).toInt() == saved.epoch; });
        if (!haveSavedEpoch && saved.epoch > 0
            && saved.metrics.value(QStringLiteral("epoch")).toInt() == saved.epoch) {
            history << saved.metrics;
            status(QStringLiteral("metrics.jsonl: the line of epoch %1 was restored from %2")
                       .arg(saved.epoch)
                       .arg(QDir::toNativeSeparators(d->resumeCheckpoint)));
        }
        // Carried on into this session's checkpoints, so that the next resume can do the same.
        info.metrics = saved.metrics;
        info.valMiou = saved.valMiou;
        if (startEpoch > cfg.epochs) {
            status(QStringLiteral("The run has already completed %1 of %2 epochs")
                       .arg(saved.epoch)
                       .arg(cfg.epochs));
            result.bestMiou = std::max(0.0, result.bestMiou);
            return result;
        }
    }

    auto writeMetricsFiles = [&] {
        QByteArray jsonl;
        for (const QJsonObject& o : history)
            jsonl += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
        writeFileAtomic(runDir.filePath(QStringLiteral("metrics.jsonl")), jsonl);
        writeFileAtomic(runDir.filePath(QStringLiteral("metrics.csv")), metricsCsv(history, ds.classNames));
    };
    writeMetricsFiles();

    // last.pt with everything needed to continue after `completedEpochs` epochs and `batch`
    // batches of the next one.
    auto saveLast = [&](int completedEpochs, int batch, const double* sums, int seen) {
        info.epoch = completedEpochs;
        info.trainingState = QJsonObject { { QStringLiteral("batch"), batch },
            { QStringLiteral("batches_per_epoch"), batchesPerEpoch },
            { QStringLiteral("loss_sums"), QJsonArray { sums[0], sums[1], sums[2], sums[3] } },
            { QStringLiteral("seen"), seen }, { QStringLiteral("best_miou"), result.bestMiou },
            { QStringLiteral("best_epoch"), result.bestEpoch }, { QStringLiteral("amp_scale"), scaler.scale },
            { QStringLiteral("amp_growth_tracker"), scaler.growthTracker } };
        saveCheckpoint(result.lastCheckpoint, *model, optimizer.get(), info);
    };

    const int totalSteps = batchesPerEpoch * cfg.epochs;
    const int stepsAtStart = (startEpoch - 1) * batchesPerEpoch + startBatch;
    int stepsDone = stepsAtStart;
    QElapsedTimer runClock;
    runClock.start();
    double pausedTotal = 0; // seconds spent paused, left out of speeds and the ETA
    QElapsedTimer checkpointClock;
    checkpointClock.start();
    QString lastGood = QFileInfo::exists(result.lastCheckpoint)
        ? QStringLiteral("%1 (epoch %2)").arg(result.lastCheckpoint).arg(result.epochsCompleted)
        : QString();

    // A file that cannot be written (disk full, I/O error) stops the run with its message, the
    // previous files intact, and says what the run can continue from.
    int currentEpoch = startEpoch;
    auto written = [&](const std::function<void()>& write) {
        try {
            write();
        } catch (const WriteError& e) {
            throw WriteError(std::string(e.what()) + " Training stopped in epoch "
                + std::to_string(currentEpoch)
                + (lastGood.isEmpty() ? std::string("; no checkpoint had been written yet.")
                                      : "; the run can continue from " + lastGood.toStdString()
                            + " once there is room (masksup train --resume "
                            + QDir::toNativeSeparators(runDir.absolutePath()).toStdString()
                            + ", or Resume in the Training panel)."));
        }
    };

    for (int epoch = startEpoch; epoch <= cfg.epochs && !d->stop.load(); ++epoch) {
        currentEpoch = epoch;
        status(QStringLiteral("Epoch %1/%2").arg(epoch).arg(cfg.epochs));
        QElapsedTimer epochClock;
        epochClock.start();
        const double pausedAtEpochStart = pausedTotal;
        const int decodesBefore = cache.stats().decodes;
        const QVector<int> order = epochOrder(split.train, cfg.seed, epoch);
        const double lr = cfg.learningRateAt(epoch);
        setLearningRate(*optimizer, lr);

        const int firstBatch = epoch == startEpoch ? startBatch : 0;
        double sum[4] = { 0, 0, 0, 0 };
        int seen = 0;
        if (epoch == startEpoch) {
            std::copy(startSums, startSums + 4, sum);
            seen = startSeen;
        }
        int batchesDone = firstBatch, seenThisSession = 0;
        // The next batch (8-bit tensors and hole masks, in pinned memory for a CUDA device) is
        // prepared on another thread while the model computes the current one; dataWait is the
        // time the step loop still had to wait for it. With the training set resident on the
        // device, the host prepares only the hole masks.
        const MaskSource* batchHoles = mode == nn::MaskSupMode::Baseline ? nullptr : holes.get();
        auto prepare = [&, epoch](int b) {
            const int from = b * cfg.batchSize;
            const int count = std::min(cfg.batchSize, int(order.size()) - from);
            if (!residentImages.defined())
                return buildHostBatch(cache, order, from, count, batchHoles, &augment, ds.ignoreIndex,
                    cfg.seed, epoch, holeFill, device.is_cuda());
            engine::HostBatch h;
            if (batchHoles) {
                const auto pinned = torch::TensorOptions().dtype(torch::kUInt8).pinned_memory(true);
                const int size = cfg.imageSize;
                h.holes = torch::empty({ count, 1, size, size }, pinned);
                if (holeFill == engine::HoleFill::Noise)
                    h.noise = torch::empty({ count, 3, size, size }, pinned);
                fillHoleMasks(h, *batchHoles, cfg.seed, epoch, from, holeFill);
            }
            return h;
        };
        // The images and labels of a batch of resident data: gathered and augmented on the device.
        auto residentBatch = [&, epoch](engine::HostBatch& h, int b) {
            const int from = b * cfg.batchSize;
            const int count = std::min(cfg.batchSize, int(order.size()) - from);
            auto rows = torch::empty({ count }, torch::kInt64);
            std::vector<AugmentDraw> draws;
            for (int i = 0; i < count; ++i) {
                rows[i] = residentRow.value(order[from + i]);
                draws.push_back(augmentDrawAt(cfg.seed, epoch, from + i));
            }
            rows = rows.pin_memory().to(device, /*non_blocking=*/true); // no wait for queued kernels
            h.images = residentImages.index_select(0, rows);
            h.labels = residentLabels.index_select(0, rows);
            engine::augmentBatch(h.images, h.labels, augment, draws, ds.ignoreIndex);
        };
        bool checkLabels = epoch == startEpoch && firstBatch == 0;
        std::future<engine::HostBatch> pending;
        if (firstBatch < batchesPerEpoch)
            pending = std::async(std::launch::async, prepare, firstBatch);
        double dataWait = 0, compute = 0;
        for (int b = firstBatch; b < batchesPerEpoch; ++b) {
            if (d->isPausedNow()) {
                QElapsedTimer pausedClock;
                pausedClock.start();
                status(QStringLiteral("Paused at epoch %1, batch %2").arg(epoch).arg(b + 1));
                if (cb.paused)
                    cb.paused(true);
                d->waitWhilePaused();
                pausedTotal += pausedClock.nsecsElapsed() * 1e-9;
                if (cb.paused)
                    cb.paused(false);
                if (!d->stop.load())
                    status(QStringLiteral("Epoch %1/%2").arg(epoch).arg(cfg.epochs));
            }
            if (d->stop.load())
                break;
            const int count = std::min(cfg.batchSize, int(order.size()) - b * cfg.batchSize);
            QElapsedTimer clock;
            clock.start();
            engine::HostBatch host = pending.get();
            dataWait += clock.nsecsElapsed() * 1e-9;
            if (b + 1 < batchesPerEpoch)
                pending = std::async(std::launch::async, prepare, b + 1);
            clock.restart();
            nn::StepResult r;
            try {
                if (residentImages.defined())
                    residentBatch(host, b);
                const engine::DeviceBatch batch = engine::upload(host, device, holeFill, cfg.channelsLast);
                r = nn::maskSupStep(*model, *optimizer, batch.images, batch.holes, batch.target,
                    ds.ignoreIndex, mode, weights, batch.fill, stepOptions);
            } catch (const std::exception& e) {
                if (!engine::isOutOfMemory(e))
                    throw;
                throw outOfMemory("a training step");
            }
            compute += clock.nsecsElapsed() * 1e-9;
            // The samples of this batch, for messages: image (and mask) files.
            auto batchFiles = [&] {
                QStringList files;
                for (int i = b * cfg.batchSize; i < b * cfg.batchSize + count; ++i) {
                    const Sample& smp = ds.samples[order[i]];
                    files << (smp.frame >= 0 ? QStringLiteral("%1 frame %2").arg(smp.imagePath).arg(smp.frame)
                                             : smp.imagePath);
                }
                return files.join(QStringLiteral(", ")).toStdString();
            };
            if (!r.finite)
                // Void-only batches give a zero loss (segmentationLoss), so a NaN here comes from the
                // weights diverging (or non-finite activations under mixed precision).
                throw Error("the loss became " + std::string(std::isnan(r.total) ? "NaN" : "infinite")
                    + " at epoch " + std::to_string(epoch) + ", batch " + std::to_string(b + 1) + " of "
                    + std::to_string(batchesPerEpoch) + " (samples: " + batchFiles() + "; learning rate "
                    + QString::number(lr).toStdString() + "); training stopped. "
                    + (lastGood.isEmpty()
                            ? std::string("No checkpoint had been written yet.")
                            : "The last good checkpoint is kept: " + lastGood.toStdString() + ".")
                    + " The weights diverged: lower the learning rate (e.g. to "
                    + QString::number(lr / 10).toStdString() + ")"
                    + (precision != nn::Precision::Float32 ? " or turn mixed precision off (--amp off)" : "")
                    + (cfg.optimizer == QLatin1String("sgd") ? " or lower the momentum" : "") + ".");
            // A training set whose masks are all void has nothing to learn from: found in the first
            // full epoch (each batch's labelled pixels are counted; a void batch alone trains only
            // the task-similarity term).
            // (The host's labels; with resident data the device's, until one labelled batch is seen.)
            if (checkLabels && host.labels.ne(ds.ignoreIndex).any().item<bool>())
                checkLabels = false;
            sum[0] += r.total * count;
            sum[1] += r.seg * count;
            sum[2] += r.context * count;
            sum[3] += r.tasksim * count;
            seen += count;
            seenThisSession += count;
            ++batchesDone;
            ++stepsDone;
            if (cfg.checkpointMinutes > 0 && batchesDone < batchesPerEpoch
                && checkpointClock.elapsed() >= cfg.checkpointMinutes * 60000.0) {
                written([&] { saveLast(epoch - 1, batchesDone, sum, seen); });
                lastGood = QStringLiteral("%1 (epoch %2, batch %3)")
                               .arg(result.lastCheckpoint)
                               .arg(epoch)
                               .arg(batchesDone);
                checkpointClock.restart();
            }
            if (cb.batch) {
                BatchProgress p;
                p.epoch = epoch;
                p.epochs = cfg.epochs;
                p.batch = b + 1;
                p.batchesPerEpoch = batchesPerEpoch;
                p.loss = r.total;
                p.lossSeg = r.seg;
                p.lossContext = r.context;
                p.lossTasksim = r.tasksim;
                const double elapsed = epochClock.nsecsElapsed() * 1e-9 - (pausedTotal - pausedAtEpochStart);
                p.imagesPerSecond = elapsed > 0 ? seenThisSession / elapsed : 0;
                const double perStep
                    = (runClock.nsecsElapsed() * 1e-9 - pausedTotal) / std::max(1, stepsDone - stepsAtStart);
                p.etaSeconds = perStep * (totalSteps - stepsDone);
                cb.batch(p);
            }
        }
        const double epochTrainSeconds
            = epochClock.nsecsElapsed() * 1e-9 - (pausedTotal - pausedAtEpochStart);
        if (batchesDone < batchesPerEpoch) {
            // Stopped within the epoch: keep the weights, optimizer and position of the last
            // completed batch, so nothing computed is lost and a resume continues from there.
            if (stepsDone > stepsAtStart || !QFileInfo::exists(result.lastCheckpoint))
                written([&] { saveLast(epoch - 1, batchesDone, sum, seen); });
            result.stopped = true;
            break;
        }
        if (checkLabels) {
            QStringList masks;
            for (int i = 0; i < split.train.size() && i < 5; ++i) {
                const Sample& smp = ds.samples[split.train[i]];
                masks << (smp.correctionPath.isEmpty() ? smp.maskPath : smp.correctionPath);
            }
            throw Error("every mask of the " + std::to_string(split.train.size())
                    + " training pair(s) is void (no pixel has a class label; void = "
                    + std::to_string(ds.ignoreIndex) + "): there is nothing to learn. First masks: "
                    + masks.join(QStringLiteral(", ")).toStdString()
                    + (split.train.size() > 5 ? ", ..." : ""),
                ds.root.toStdString(),
                "Check the masks ('masksup inspect' shows their class pixel counts) and the dataset format.");
        }

        ReferenceBinaryIou perImage;
        ValidationErrors valErrors;
        ConfusionMatrix cm;
        try {
            cm = validate(*model, cache, split.val, ds.numClasses(), ds.ignoreIndex, cfg.batchSize, device,
                d->stop, &perImage, &valErrors.images, cfg.channelsLast);
        } catch (const std::exception& e) {
            if (!engine::isOutOfMemory(e))
                throw;
            throw outOfMemory("validation");
        }
        if (d->stop.load()) {
            // Stopped during validation: the epoch's steps are all done; validate again on resume.
            written([&] { saveLast(epoch - 1, batchesDone, sum, seen); });
            result.stopped = true;
            break;
        }
        EpochMetrics m;
        m.epoch = epoch;
        m.loss = sum[0] / seen;
        m.lossSeg = sum[1] / seen;
        m.lossContext = sum[2] / seen;
        m.lossTasksim = sum[3] / seen;
        m.valMiou = cm.meanIoU();
        m.valDice = cm.meanDice();
        m.valPixelAccuracy = cm.pixelAccuracy();
        m.perClassIou = cm.iou();
        m.classNames = ds.classNames;
        for (int t = 0; t < cm.classes(); ++t)
            for (int p = 0; p < cm.classes(); ++p)
                m.confusion << cm.at(t, p);
        m.refMicroJaccard = cm.referenceMicroJaccard();
        m.refBinaryIou = ds.isBinary() ? perImage.mean() : std::nan("");
        m.learningRate = lr;
        m.seconds = epochClock.nsecsElapsed() * 1e-9 - (pausedTotal - pausedAtEpochStart);
        m.imagesPerSecond = epochTrainSeconds > 0 ? seenThisSession / epochTrainSeconds : 0;
        m.dataWaitSeconds = dataWait;
        m.computeSeconds = compute;
        m.decodedSamples = cache.stats().decodes - decodesBefore;

        // Order matters for a crash at any point: metrics first, then best.pt, then last.pt. A
        // crash before last.pt is renamed leaves the previous one; resuming from it drops the
        // metrics lines past its epoch and recomputes that epoch identically.
        history << m.toJson();
        written(writeMetricsFiles);
        // The latest validation's per-image confusion cells (replaced every epoch; see error_analysis.h).
        valErrors.epoch = epoch;
        valErrors.classNames = ds.classNames;
        valErrors.imageSize = cfg.imageSize;
        valErrors.ignoreIndex = ds.ignoreIndex;
        for (int i = 0; i < valErrors.images.size(); ++i)
            valErrors.images[i].id = ds.samples[split.val[i]].id;
        written([&] { writeValidationErrors(runDir.absolutePath(), valErrors); });
        info.valMiou = m.valMiou;
        info.metrics = m.toJson();
        if (m.valMiou > result.bestMiou) {
            result.bestMiou = m.valMiou;
            result.bestEpoch = epoch;
            info.epoch = epoch;
            info.trainingState = {};
            written([&] { saveCheckpoint(result.bestCheckpoint, *model, nullptr, info); });
        }
        const double zeros[4] = { 0, 0, 0, 0 };
        written([&] { saveLast(epoch, 0, zeros, 0); });
        lastGood = QStringLiteral("%1 (epoch %2)").arg(result.lastCheckpoint).arg(epoch);
        checkpointClock.restart();
        result.epochsCompleted = epoch;
        if (cb.epoch)
            cb.epoch(m);
    }
    if (d->stop.load() && result.epochsCompleted < cfg.epochs)
        result.stopped = true;
    if (result.bestMiou < 0)
        result.bestMiou = 0;
    return result;
}

BatchPreview previewTrainingBatch(const TrainConfig& cfg, int epoch, int batch)
{
    cfg.validate();
    const Dataset ds = openRunDataset(cfg);
    const Split split = withoutSkippedPairs(runSplit(ds, cfg), ds, cfg.outDir);
    const int batches = (int(split.train.size()) + cfg.batchSize - 1) / cfg.batchSize;
    if (epoch < 1 || batch < 1 || batch > batches)
        throw Error("there is no batch " + std::to_string(batch) + " of epoch " + std::to_string(epoch)
            + " (an epoch has " + std::to_string(batches) + " batches)");
    const QVector<int> order = epochOrder(split.train, cfg.seed, epoch);
    const SampleCache cache(ds, cfg.imageSize, 0);
    const std::unique_ptr<MaskSource> holes = makeMaskSource(cfg, noProgress());
    const AugmentOptions augment = AugmentOptions::parse(cfg.augment.toStdString());
    const int from = (batch - 1) * cfg.batchSize;
    const int count = std::min(cfg.batchSize, int(order.size()) - from);
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
