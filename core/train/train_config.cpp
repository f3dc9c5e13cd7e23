#include "core/train/train_config.h"

#include "core/base/error.h"
#include "core/data/augment.h"
#include "core/data/dataset.h"
#include "core/masks/hole_generator.h"
#include "core/nn/unet.h"

#include <algorithm>

#include <QJsonValue>

namespace msup {

QJsonObject TrainConfig::toJson() const
{
    return QJsonObject {
        { QStringLiteral("dataset"), datasetPath },
        { QStringLiteral("dataset_format"), datasetFormat },
        { QStringLiteral("out"), outDir },
        { QStringLiteral("model"), model },
        { QStringLiteral("width"), width },
        { QStringLiteral("mode"), mode },
        { QStringLiteral("epochs"), epochs },
        { QStringLiteral("batch_size"), batchSize },
        { QStringLiteral("image_size"), imageSize },
        { QStringLiteral("device"), device },
        { QStringLiteral("seed"), QString::number(seed) },
        { QStringLiteral("optimizer"), QStringLiteral("adam") },
        { QStringLiteral("lr"), learningRate },
        { QStringLiteral("weight_decay"), weightDecay },
        { QStringLiteral("alpha_seg"), alphaSeg },
        { QStringLiteral("alpha_context"), alphaContext },
        { QStringLiteral("alpha_tasksim"), alphaTasksim },
        { QStringLiteral("hole_ratio"), holeRatio },
        { QStringLiteral("mask_folder"), maskFolder },
        { QStringLiteral("hole_fill"), holeFill },
        { QStringLiteral("val_fraction"), valFraction },
        { QStringLiteral("augment"), augment },
        { QStringLiteral("threads"), threads },
        { QStringLiteral("cache_memory_mb"), cacheMemoryMb },
        { QStringLiteral("cache_dir"), cacheDir },
        { QStringLiteral("relu_logits"), reluLogits },
    };
}

namespace {
    template <typename T> void read(const QJsonObject& o, const char* key, T* out)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return;
        if constexpr (std::is_same_v<T, QString>) {
            if (!v.isString())
                throw Error(std::string("config key '") + key + "' must be a string");
            *out = v.toString();
        } else if constexpr (std::is_same_v<T, int>) {
            if (!v.isDouble())
                throw Error(std::string("config key '") + key + "' must be a number");
            *out = v.toInt();
        } else {
            if (!v.isDouble())
                throw Error(std::string("config key '") + key + "' must be a number");
            *out = v.toDouble();
        }
    }
} // namespace

TrainConfig TrainConfig::fromJson(const QJsonObject& o)
{
    TrainConfig c;
    read(o, "dataset", &c.datasetPath);
    read(o, "dataset_format", &c.datasetFormat);
    read(o, "out", &c.outDir);
    read(o, "model", &c.model);
    read(o, "width", &c.width);
    read(o, "mode", &c.mode);
    read(o, "epochs", &c.epochs);
    read(o, "batch_size", &c.batchSize);
    read(o, "image_size", &c.imageSize);
    read(o, "device", &c.device);
    const QJsonValue seed = o.value(QStringLiteral("seed"));
    if (seed.isString())
        c.seed = seed.toString().toULongLong();
    else if (seed.isDouble())
        c.seed = static_cast<std::uint64_t>(seed.toDouble());
    read(o, "lr", &c.learningRate);
    read(o, "weight_decay", &c.weightDecay);
    read(o, "alpha_seg", &c.alphaSeg);
    read(o, "alpha_context", &c.alphaContext);
    read(o, "alpha_tasksim", &c.alphaTasksim);
    read(o, "hole_ratio", &c.holeRatio);
    read(o, "mask_folder", &c.maskFolder);
    read(o, "hole_fill", &c.holeFill);
    read(o, "val_fraction", &c.valFraction);
    read(o, "augment", &c.augment);
    read(o, "threads", &c.threads);
    read(o, "cache_memory_mb", &c.cacheMemoryMb);
    read(o, "cache_dir", &c.cacheDir);
    const QJsonValue relu = o.value(QStringLiteral("relu_logits"));
    if (!relu.isUndefined() && !relu.isNull() && !relu.isBool())
        throw Error("config key 'relu_logits' must be true or false");
    c.reluLogits = relu.toBool(false);
    return c;
}

void TrainConfig::validate() const
{
    const std::vector<std::string>& models = nn::modelNames();
    if (std::find(models.begin(), models.end(), model.toStdString()) == models.end()) {
        std::string list;
        for (const std::string& m : models)
            list += (list.empty() ? "" : ", ") + m;
        throw Error("unknown model '" + model.toStdString() + "': available: " + list);
    }
    if (mode != QLatin1String("baseline") && mode != QLatin1String("context")
        && mode != QLatin1String("masksup"))
        throw Error("unknown mode '" + mode.toStdString() + "': use baseline, context or masksup");
    if (width < 1 || width > 256)
        throw Error("width must be between 1 and 256 (got " + std::to_string(width) + ")");
    if (epochs < 1 || epochs > 100000)
        throw Error("epochs must be between 1 and 100000 (got " + std::to_string(epochs) + ")");
    if (batchSize < 1 || batchSize > 4096)
        throw Error("batch size must be between 1 and 4096 (got " + std::to_string(batchSize) + ")");
    if (imageSize < 16 || imageSize > 4096 || imageSize % 16 != 0)
        throw Error("image size must be a multiple of 16 between 16 and 4096 (got "
            + std::to_string(imageSize) + "): the U-Net halves it four times");
    if (holeFill != QLatin1String("zero") && holeFill != QLatin1String("black")
        && holeFill != QLatin1String("noise"))
        throw Error(
            "unknown hole fill '" + holeFill.toStdString() + "': use zero (mid-grey), black or noise");
    if (cacheMemoryMb < 0)
        throw Error("cache memory must be 0 (no memory cache) or more MiB (got "
            + std::to_string(cacheMemoryMb) + ")");
    if (!(learningRate > 0))
        throw Error("learning rate must be positive");
    if (!(valFraction > 0 && valFraction < 1))
        throw Error("validation fraction must be in (0, 1)");
    if (datasetPath.isEmpty())
        throw Error("no dataset given", "", "Pass --dataset DIR.");
    if (outDir.isEmpty())
        throw Error("no run folder given", "", "Pass --out RUN_DIR.");
    HoleRatioRange::parse(holeRatio.toStdString());
    AugmentOptions::parse(augment.toStdString());
    DatasetFormat format;
    if (!datasetFormat.isEmpty() && datasetFormat != QLatin1String("auto")
        && !parseDatasetFormat(datasetFormat, &format))
        throw Error("unknown dataset format '" + datasetFormat.toStdString()
            + "': use auto, kvasir-seg, cvc-clinicdb, pranet, glas, scene-labels, generic, nyudv2-mat, "
              "nyudv2-mat-13, nyudv2-labels or nyudv2-labels-13");
}

} // namespace msup
