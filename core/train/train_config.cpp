#include "core/train/train_config.h"

#include "core/base/error.h"
#include "core/data/augment.h"
#include "core/data/dataset.h"
#include "core/data/formats/format_registry.h"
#include "core/io/bounded_read.h"
#include "core/masks/hole_generator.h"
#include "core/nn/unet.h"

#include <algorithm>

#include <QFile>
#include <QJsonDocument>
#include <QJsonValue>

#include <cmath>
#include <limits>

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
        { QStringLiteral("preset"), preset },
        { QStringLiteral("optimizer"), optimizer },
        { QStringLiteral("lr"), learningRate },
        { QStringLiteral("weight_decay"), weightDecay },
        { QStringLiteral("amsgrad"), amsgrad },
        { QStringLiteral("momentum"), momentum },
        { QStringLiteral("lr_schedule"), lrSchedule },
        { QStringLiteral("lr_step_epochs"), lrStepEpochs },
        { QStringLiteral("lr_gamma"), lrGamma },
        { QStringLiteral("branches"), branches },
        { QStringLiteral("amp"), amp },
        { QStringLiteral("channels_last"), channelsLast },
        { QStringLiteral("checkpoint_minutes"), checkpointMinutes },
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
        { QStringLiteral("corrections"), corrections },
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
        } else if constexpr (std::is_same_v<T, bool>) {
            if (!v.isBool())
                throw Error(std::string("config key '") + key + "' must be true or false");
            *out = v.toBool();
        } else if constexpr (std::is_same_v<T, int>) {
            if (!v.isDouble())
                throw Error(std::string("config key '") + key + "' must be a number");
            // QJsonValue::toInt() turns 1.5 or 1e10 into 0 silently: a whole number in int's range only.
            const double d = v.toDouble();
            if (!(d == std::floor(d) && d >= std::numeric_limits<int>::min()
                    && d <= std::numeric_limits<int>::max()))
                throw Error(std::string("config key '") + key + "' must be a whole number (got "
                    + QString::number(d, 'g', 17).toStdString() + ")");
            *out = static_cast<int>(d);
        } else {
            if (!v.isDouble())
                throw Error(std::string("config key '") + key + "' must be a number");
            *out = v.toDouble();
        }
    }
} // namespace

TrainConfig TrainConfig::fromJson(const QJsonObject& o, const TrainConfig& base)
{
    TrainConfig c = base;
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
    if (seed.isString()) {
        // Digits only: toULongLong would also take "+5", " 5" or "0x5".
        const QString text = seed.toString();
        bool ok = !text.isEmpty() && std::all_of(text.begin(), text.end(), [](QChar ch) {
            return ch >= QLatin1Char('0') && ch <= QLatin1Char('9');
        });
        const std::uint64_t value = ok ? text.toULongLong(&ok) : 0;
        if (!ok)
            throw Error("config key 'seed' must be a whole number from 0 to 18446744073709551615 (got \""
                + text.left(40).toStdString() + "\")");
        c.seed = value;
    } else if (seed.isDouble()) {
        const double d = seed.toDouble();
        if (!(d >= 0 && d == std::floor(d) && d <= TrainLimits::seedJsonNumberMax))
            throw Error("config key 'seed' must be a whole number from 0 to 2^53, or a string of digits (got "
                + QString::number(d, 'g', 17).toStdString() + ")");
        c.seed = static_cast<std::uint64_t>(d);
    } else if (!seed.isUndefined() && !seed.isNull()) {
        throw Error("config key 'seed' must be a whole number (or a string of digits)");
    }
    read(o, "preset", &c.preset);
    read(o, "optimizer", &c.optimizer);
    read(o, "lr", &c.learningRate);
    read(o, "weight_decay", &c.weightDecay);
    read(o, "amsgrad", &c.amsgrad);
    read(o, "momentum", &c.momentum);
    read(o, "lr_schedule", &c.lrSchedule);
    read(o, "lr_step_epochs", &c.lrStepEpochs);
    read(o, "lr_gamma", &c.lrGamma);
    read(o, "branches", &c.branches);
    read(o, "amp", &c.amp);
    read(o, "channels_last", &c.channelsLast);
    read(o, "checkpoint_minutes", &c.checkpointMinutes);
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
    read(o, "corrections", &c.corrections);
    read(o, "relu_logits", &c.reluLogits);
    return c;
}

TrainConfig TrainConfig::fromJson(const QJsonObject& json)
{
    return fromJson(json, TrainConfig());
}

TrainConfig TrainConfig::fromFile(const QString& path)
{
    return fromFile(path, TrainConfig());
}

QStringList TrainConfig::unknownKeys(const QJsonObject& json)
{
    const QJsonObject known = TrainConfig().toJson();
    // Written into its config by a run, next to the config proper; accepted when read back.
    static const QStringList runKeys = { QStringLiteral("mask_source"), QStringLiteral("classes"),
        QStringLiteral("device_resolved"), QStringLiteral("train_count"), QStringLiteral("val_count"),
        QStringLiteral("corrected_count"), QStringLiteral("precision") };
    QStringList unknown;
    for (auto it = json.begin(); it != json.end(); ++it)
        if (!known.contains(it.key()) && !runKeys.contains(it.key()))
            unknown << it.key();
    unknown.sort();
    return unknown;
}

TrainConfig TrainConfig::fromFile(const QString& path, const TrainConfig& base)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw Error("cannot be read: " + f.errorString().toStdString(), path.toStdString(),
            "Give a JSON config file, e.g. one written by 'masksup presets NAME > file.json'.");
    // A config is a few hundred bytes. Never read more than 1 MiB (a wrong path, /dev/zero).
    const qint64 cap = qint64(1) << 20;
    QByteArray bytes;
    if (!readAllCapped(f, cap, &bytes))
        throw Error("is larger than a config file can be (at most 1 MiB)", path.toStdString(),
            "Give a JSON config file, e.g. one written by 'masksup presets NAME > file.json'.");
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &pe);
    if (pe.error != QJsonParseError::NoError) {
        const int line = int(bytes.left(pe.offset).count('\n')) + 1;
        throw Error(
            "is not valid JSON: " + pe.errorString().toStdString() + " at line " + std::to_string(line),
            path.toStdString(), "Fix the file (a JSON object of config keys).");
    }
    if (!doc.isObject())
        throw Error("is not a JSON object of config keys", path.toStdString(),
            "See 'masksup presets quick-cpu' for the form.");
    const QJsonObject o = doc.object();
    const QStringList unknown = unknownKeys(o);
    if (!unknown.isEmpty())
        throw Error("has unknown keys: " + unknown.join(QStringLiteral(", ")).toStdString(),
            path.toStdString(), "Check their spelling; 'masksup presets quick-cpu' prints every key.");
    try {
        TrainConfig c = base;
        const QString preset = o.value(QStringLiteral("preset")).toString();
        if (!preset.isEmpty())
            c = applyTrainPreset(preset, c);
        c = fromJson(o, c);
        c.validateSettings(); // ranges and caps, e.g. "threads": 1000000, named with the file
        return c;
    } catch (const Error& e) {
        throw Error(e.what(), path.toStdString(), "Fix the key named in the message.");
    }
}

QStringList TrainConfig::ampValues()
{
    return { QStringLiteral("auto"), QStringLiteral("bf16"), QStringLiteral("fp16"), QStringLiteral("off") };
}

double TrainConfig::learningRateAt(int epoch) const
{
    if (lrSchedule != QLatin1String("step") || lrStepEpochs < 1)
        return learningRate;
    return learningRate * std::pow(lrGamma, (std::max(epoch, 1) - 1) / lrStepEpochs);
}

namespace {
    struct Preset {
        const char* name;
        const char* description;
        const char* json;
    };
    // The paper's settings (MaskSup, Zunair & Ben Hamza): LeViT-UNet-384 with Adam for GLaS and the
    // polyp sets, U-Net++ with SGD and a step schedule for NYUDv2.
    const Preset kPresets[] = {
        { "glas-levit384",
            "GLaS glands: LeViT-UNet-384, Adam 1e-4 (AMSGrad, wd 1e-5), batch 8, 224², 200 epochs",
            R"({"model":"levit384","mode":"masksup","optimizer":"adam","lr":1e-4,"weight_decay":1e-5,
                "amsgrad":true,"lr_schedule":"constant","batch_size":8,"image_size":224,"epochs":200,
                "hole_ratio":"high","alpha_seg":1,"alpha_context":1,"alpha_tasksim":1})" },
        { "polyp-levit384",
            "Kvasir-SEG / CVC-ClinicDB polyps: LeViT-UNet-384, Adam 1e-4 (AMSGrad, wd 1e-5), batch 8, 224², "
            "200 epochs",
            R"({"model":"levit384","mode":"masksup","optimizer":"adam","lr":1e-4,"weight_decay":1e-5,
                "amsgrad":true,"lr_schedule":"constant","batch_size":8,"image_size":224,"epochs":200,
                "hole_ratio":"high","alpha_seg":1,"alpha_context":1,"alpha_tasksim":1})" },
        { "nyu-unetpp",
            "NYUDv2 40 classes: U-Net++ w32, SGD 0.01 (momentum 0.9, wd 5e-4), StepLR 60 × 0.1, batch 8, "
            "224², 200 epochs, cross-entropy",
            R"({"model":"unetpp","width":32,"mode":"masksup","optimizer":"sgd","lr":0.01,"momentum":0.9,
                "weight_decay":5e-4,"lr_schedule":"step","lr_step_epochs":60,"lr_gamma":0.1,
                "batch_size":8,"image_size":224,"epochs":200,"hole_ratio":"high",
                "alpha_seg":1,"alpha_context":1,"alpha_tasksim":1})" },
        { "quick-cpu", "A laptop check: U-Net w8 at 128², batch 4, Adam 1e-3, 5 epochs",
            R"({"model":"unet","width":8,"mode":"masksup","optimizer":"adam","lr":1e-3,"weight_decay":1e-5,
                "amsgrad":true,"lr_schedule":"constant","batch_size":4,"image_size":128,"epochs":5,
                "hole_ratio":"high","alpha_seg":1,"alpha_context":1,"alpha_tasksim":1})" },
    };
} // namespace

QStringList trainPresetNames()
{
    QStringList names;
    for (const Preset& p : kPresets)
        names << QString::fromLatin1(p.name);
    return names;
}

QString trainPresetDescription(const QString& name)
{
    for (const Preset& p : kPresets)
        if (name == QLatin1String(p.name))
            return QString::fromUtf8(p.description);
    return {};
}

QJsonObject trainPreset(const QString& name)
{
    for (const Preset& p : kPresets)
        if (name == QLatin1String(p.name)) {
            QJsonObject o = QJsonDocument::fromJson(QByteArray(p.json)).object();
            o.insert(QStringLiteral("preset"), name);
            return o;
        }
    throw Error("unknown preset '" + name.toStdString()
        + "': available: " + trainPresetNames().join(QStringLiteral(", ")).toStdString());
}

TrainConfig applyTrainPreset(const QString& name, const TrainConfig& base)
{
    return TrainConfig::fromJson(trainPreset(name), base);
}

namespace {
    // "'threads' (--threads)": the JSON key of config files and project files, and the CLI flag.
    std::string settingName(const char* key, const char* flag)
    {
        return std::string("'") + key + "' (--" + flag + ")";
    }
    void checkInt(int v, int lo, int hi, const char* key, const char* flag, const char* what = "")
    {
        if (v < lo || v > hi)
            throw Error(settingName(key, flag) + " must be a whole number from " + std::to_string(lo) + " to "
                + std::to_string(hi) + what + " (got " + std::to_string(v) + ")");
    }
    std::string number(double v)
    {
        return QString::number(v, 'g', 12).toStdString();
    }
    void checkReal(double v, double lo, double hi, const char* key, const char* flag, const char* what = "")
    {
        if (!(std::isfinite(v) && v >= lo && v <= hi))
            throw Error(settingName(key, flag) + " must be a number from " + number(lo) + " to " + number(hi)
                + what + " (got " + number(v) + ")");
    }
} // namespace

void TrainConfig::validateSettings() const
{
    using L = TrainLimits;
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
    checkInt(width, L::widthMin, L::widthMax, "width", "width");
    checkInt(epochs, L::epochsMin, L::epochsMax, "epochs", "epochs");
    checkInt(batchSize, L::batchSizeMin, L::batchSizeMax, "batch_size", "batch-size");
    checkInt(imageSize, L::imageSizeMin, L::imageSizeMax, "image_size", "image-size");
    if (imageSize % 16 != 0)
        throw Error("image size must be a multiple of 16 between 16 and 4096 (got "
            + std::to_string(imageSize) + "): the networks halve it four times");
    checkInt(threads, L::threadsMin, L::threadsMax, "threads", "threads", " (0 = all cores)");
    if (optimizer != QLatin1String("adam") && optimizer != QLatin1String("sgd"))
        throw Error("unknown optimizer '" + optimizer.toStdString() + "': use adam or sgd");
    if (lrSchedule != QLatin1String("constant") && lrSchedule != QLatin1String("step"))
        throw Error(
            "unknown learning-rate schedule '" + lrSchedule.toStdString() + "': use constant or step");
    checkReal(learningRate, L::learningRateMin, L::learningRateMax, "lr", "lr");
    checkReal(weightDecay, L::weightDecayMin, L::weightDecayMax, "weight_decay", "weight-decay");
    checkReal(momentum, L::momentumMin, L::momentumMax, "momentum", "momentum");
    checkInt(lrStepEpochs, L::lrStepEpochsMin, L::lrStepEpochsMax, "lr_step_epochs", "lr-step N,G");
    checkReal(lrGamma, L::lrGammaMin, L::lrGammaMax, "lr_gamma", "lr-step N,G");
    checkReal(alphaSeg, L::alphaMin, L::alphaMax, "alpha_seg", "alpha A1,A2,A3");
    checkReal(alphaContext, L::alphaMin, L::alphaMax, "alpha_context", "alpha A1,A2,A3");
    checkReal(alphaTasksim, L::alphaMin, L::alphaMax, "alpha_tasksim", "alpha A1,A2,A3");
    if (branches != QLatin1String("separate") && branches != QLatin1String("concat"))
        throw Error("unknown branches '" + branches.toStdString()
            + "': use separate (two forward passes) or concat (one concatenated batch)");
    if (!ampValues().contains(amp)
        && amp != QLatin1String("on")) // "on": older configs (auto's choice, CUDA only)
        throw Error(settingName("amp", "amp") + " must be auto, bf16, fp16 or off (got '" + amp.toStdString()
            + "'): auto = bf16 on GPUs that support it, fp16 + gradient scaler on other CUDA GPUs, off "
              "on the CPU; bf16 and fp16 need a CUDA device");
    checkReal(checkpointMinutes, L::checkpointMinutesMin, L::checkpointMinutesMax, "checkpoint_minutes",
        "checkpoint-minutes", " (0 = at epoch ends only)");
    if (holeFill != QLatin1String("zero") && holeFill != QLatin1String("black")
        && holeFill != QLatin1String("noise"))
        throw Error(
            "unknown hole fill '" + holeFill.toStdString() + "': use zero (mid-grey), black or noise");
    checkInt(cacheMemoryMb, L::cacheMemoryMbMin, L::cacheMemoryMbMax, "cache_memory_mb", "cache-memory",
        " MiB (0 = no memory cache)");
    checkReal(valFraction, L::valFractionMin, L::valFractionMax, "val_fraction", "val-fraction");
    HoleRatioRange::parse(holeRatio.toStdString());
    AugmentOptions::parse(augment.toStdString());
    if (!datasetFormat.isEmpty() && datasetFormat != QLatin1String("auto")
        && !findDatasetFormat(datasetFormat))
        throw Error("unknown dataset format '" + datasetFormat.toStdString() + "': use auto, "
            + datasetFormatNamesText().toStdString());
}

void TrainConfig::validate() const
{
    validateSettings();
    if (datasetPath.isEmpty())
        throw Error("no dataset given", "", "Pass --dataset DIR.");
    if (outDir.isEmpty())
        throw Error("no run folder given", "", "Pass --out RUN_DIR.");
}

} // namespace msup
