#include "core/train/model_store.h"

#include "core/base/error.h"
#include "core/io/atomic_file.h"
#include "core/train/checkpoint_io.h"
#include "core/train/torch_archive.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize.h>

#include <mutex>

namespace msup {

namespace {
    const char* kMetaKey = "masksup_meta";
} // namespace

QJsonObject checkpointInfoToJson(const CheckpointInfo& info)
{
    QJsonArray names, colors;
    for (const QString& n : info.classNames)
        names.append(n);
    for (const QColor& c : info.classColors)
        colors.append(c.name());
    return QJsonObject { { QStringLiteral("format"), QStringLiteral("masksup-checkpoint-1") },
        { QStringLiteral("config"), info.config.toJson() }, { QStringLiteral("class_names"), names },
        { QStringLiteral("class_colors"), colors }, { QStringLiteral("ignore_index"), info.ignoreIndex },
        { QStringLiteral("output_channels"), info.outputChannels }, { QStringLiteral("epoch"), info.epoch },
        { QStringLiteral("val_miou"), info.valMiou }, { QStringLiteral("metrics"), info.metrics },
        { QStringLiteral("training_state"), info.trainingState } };
}

CheckpointInfo checkpointInfoFromJson(const QJsonObject& o)
{
    CheckpointInfo info;
    info.config = TrainConfig::fromJson(o.value(QStringLiteral("config")).toObject());
    for (const auto& v : o.value(QStringLiteral("class_names")).toArray())
        info.classNames << v.toString();
    for (const auto& v : o.value(QStringLiteral("class_colors")).toArray())
        info.classColors << QColor(v.toString());
    info.ignoreIndex = o.value(QStringLiteral("ignore_index")).toInt(255);
    info.outputChannels = o.value(QStringLiteral("output_channels")).toInt(1);
    info.epoch = o.value(QStringLiteral("epoch")).toInt();
    info.valMiou = o.value(QStringLiteral("val_miou")).toDouble();
    info.metrics = o.value(QStringLiteral("metrics")).toObject();
    info.trainingState = o.value(QStringLiteral("training_state")).toObject();
    return info;
}

nn::ModelSpec modelSpecFor(const CheckpointInfo& info)
{
    nn::ModelSpec spec;
    spec.name = info.config.model.toStdString();
    spec.inChannels = 3;
    spec.outChannels = info.outputChannels;
    spec.width = info.config.width;
    spec.reluLogits = info.config.reluLogits;
    spec.imageSize = info.config.imageSize;
    return spec;
}

void saveCheckpoint(const QString& path, nn::SegmentationModelImpl& model, torch::optim::Optimizer* optimizer,
    const CheckpointInfo& info)
{
    // Serialised to memory first: LibTorch's file writer throws from its destructor when a write
    // fails (a full disk terminated the program). The bytes are then written by writeFileAtomic,
    // which checks every step and renames into place only a complete, synced file.
    QByteArray bytes;
    try {
        // Room for the weights (and the optimizer's state, about twice as much again) up front,
        // rather than growing the buffer through copies of itself.
        qint64 estimate = 1 << 20;
        for (const auto& t : model.parameters())
            estimate += qint64(t.nbytes());
        for (const auto& t : model.buffers())
            estimate += qint64(t.nbytes());
        bytes.reserve(qsizetype(optimizer ? estimate * 3 : estimate));
        torch::serialize::OutputArchive archive;
        model.save(archive);
        const QByteArray meta = QJsonDocument(checkpointInfoToJson(info)).toJson(QJsonDocument::Compact);
        archive.write(kMetaKey, c10::IValue(meta.toStdString()));
        if (optimizer) {
            torch::serialize::OutputArchive optimArchive;
            optimizer->save(optimArchive);
            archive.write("optimizer", optimArchive);
            // The CPU generator, so that a resumed run draws what the uninterrupted one would.
            auto gen = at::detail::getDefaultCPUGenerator();
            std::lock_guard<std::mutex> lock(gen.mutex());
            archive.write("rng_cpu", gen.get_state(), /*is_buffer=*/true);
        }
        archive.save_to([&bytes](const void* data, size_t size) -> size_t {
            bytes.append(static_cast<const char*>(data), qsizetype(size));
            return size;
        });
    } catch (const c10::Error& e) {
        throw Error(std::string("checkpoint could not be serialised: ") + e.what_without_backtrace(),
            path.toStdString(), "The previous checkpoint is unchanged.");
    } catch (const std::bad_alloc&) {
        throw Error("checkpoint could not be serialised: out of memory", path.toStdString(),
            "The previous checkpoint is unchanged; close other programs and resume the run.");
    }
    writeFileAtomic(path, bytes);
}

namespace {
    CheckpointInfo readInfo(torch::serialize::InputArchive& archive, const QString& path)
    {
        c10::IValue meta;
        if (!archive.try_read(kMetaKey, meta) || !meta.isString())
            throw Error("is not a MaskSup Studio checkpoint (no metadata)", path.toStdString(),
                "Choose a .pt file written by 'masksup train' (RUN_DIR/checkpoints/best.pt).");
        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(meta.toStringRef()));
        return checkpointInfoFromJson(doc.object());
    }

    void openArchive(
        torch::serialize::InputArchive& archive, const QString& path, const torch::Device& device)
    {
        if (!QFileInfo::exists(path))
            throw Error("checkpoint not found", path.toStdString(),
                "Train a model first or choose RUN_DIR/checkpoints/best.pt of an existing run.");
        // LibTorch's reader checks no CRC and trusts the sizes data.pkl declares: a flipped byte or
        // a shortened tensor record would be loaded as garbage. Every record is verified first.
        const std::string hint = "The file is damaged: use another checkpoint of the run "
                                 "(RUN_DIR/checkpoints/best.pt or last.pt) or train again.";
        const char* zipMagic = "PK\x03\x04";
        QFile probe(path);
        if (probe.open(QIODevice::ReadOnly) && probe.read(4) == QByteArray(zipMagic, 4)) {
            probe.close();
            verifyTorchArchive(indexTorchArchive(path, hint, /*libtorchArchive=*/true));
        }
        try {
            archive.load_from(path.toStdString(), device);
        } catch (const c10::Error& e) {
            throw Error("cannot be read as a checkpoint (truncated or not a LibTorch archive)",
                path.toStdString(),
                "Choose a .pt file written by 'masksup train'; if it is one, it is damaged: use another "
                "checkpoint of the run (RUN_DIR/checkpoints/best.pt or last.pt).");
        }
    }
} // namespace

CheckpointInfo readCheckpointInfo(const QString& path)
{
    torch::serialize::InputArchive archive;
    openArchive(archive, path, torch::kCPU);
    return readInfo(archive, path);
}

std::shared_ptr<nn::SegmentationModelImpl> loadCheckpoint(
    const QString& path, CheckpointInfo* info, const torch::Device& device)
{
    torch::serialize::InputArchive archive;
    openArchive(archive, path, device);
    *info = readInfo(archive, path);
    std::shared_ptr<nn::SegmentationModelImpl> model;
    try {
        model = nn::createModel(modelSpecFor(*info));
        model->load(archive);
    } catch (const std::exception& e) {
        throw Error(std::string("weights do not match the model it describes: ") + e.what(),
            path.toStdString(), "The file may be damaged; use another checkpoint of the run.");
    }
    model->to(device);
    model->eval();
    return model;
}

QString checkpointWeightsDigest(const QString& path)
{
    CheckpointInfo info;
    const auto model = loadCheckpoint(path, &info, torch::kCPU);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    auto add = [&](const std::string& name, const torch::Tensor& t) {
        hash.addData(QByteArray::fromStdString(name));
        for (int64_t s : t.sizes())
            hash.addData(QByteArray::number(qint64(s)));
        const torch::Tensor c = t.contiguous();
        hash.addData(QByteArrayView(static_cast<const char*>(c.data_ptr()), qsizetype(c.nbytes())));
    };
    for (const auto& p : model->named_parameters())
        add(p.key(), p.value());
    for (const auto& b : model->named_buffers())
        add(b.key(), b.value());
    return QString::fromLatin1(hash.result().toHex());
}

void loadTrainingState(const QString& path, nn::SegmentationModelImpl& model,
    torch::optim::Optimizer& optimizer, CheckpointInfo* info, const torch::Device& device)
{
    torch::serialize::InputArchive archive;
    openArchive(archive, path, device);
    *info = readInfo(archive, path);
    try {
        model.load(archive);
        torch::serialize::InputArchive optimArchive;
        if (!archive.try_read("optimizer", optimArchive))
            throw Error("holds no optimizer state, so training cannot continue from it", path.toStdString(),
                "Resume from RUN_DIR/checkpoints/last.pt (best.pt keeps weights only).");
        optimizer.load(optimArchive);
        torch::Tensor rng;
        if (archive.try_read("rng_cpu", rng, /*is_buffer=*/true)) {
            auto gen = at::detail::getDefaultCPUGenerator();
            std::lock_guard<std::mutex> lock(gen.mutex());
            gen.set_state(rng.to(torch::kCPU));
        }
    } catch (const c10::Error& e) {
        throw Error(
            std::string("does not match this run's model and optimizer: ") + e.what_without_backtrace(),
            path.toStdString(), "Resume with the same model, width and optimizer the run was started with.");
    }
    model.to(device);
}

QStringList availableModels()
{
    QStringList names;
    for (const std::string& n : nn::modelNames())
        names << QString::fromStdString(n);
    return names;
}

ModelSummary summarizeModel(const QString& model, int outChannels, int width, int inChannels, int imageSize)
{
    std::shared_ptr<nn::SegmentationModelImpl> net;
    try {
        nn::ModelSpec spec;
        spec.name = model.toStdString();
        spec.inChannels = inChannels;
        spec.outChannels = outChannels;
        spec.width = width;
        spec.imageSize = imageSize;
        net = nn::createModel(spec);
    } catch (const std::exception& e) {
        throw Error(e.what());
    }
    ModelSummary s { model, width, inChannels, outChannels, nn::parameterCount(*net), {} };
    for (const auto& item : net->named_modules(/*name_prefix=*/"", /*include_self=*/false)) {
        const auto own = item.value()->named_parameters(/*recurse=*/false);
        if (own.is_empty())
            continue;
        ModelLayer layer;
        layer.name = QString::fromStdString(item.key());
        // "torch::nn::Conv2dImpl" -> "Conv2d"
        QString kind = QString::fromStdString(item.value()->name()).section(QStringLiteral("::"), -1);
        if (kind.endsWith(QLatin1String("Impl")))
            kind.chop(4);
        layer.kind = kind;
        for (const auto& p : own) {
            layer.parameters += p.value().numel();
            if (p.key() == "weight")
                for (int64_t d : p.value().sizes())
                    layer.weightShape << d;
        }
        s.layers << layer;
    }
    return s;
}

} // namespace msup
