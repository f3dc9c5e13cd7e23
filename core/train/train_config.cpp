#include "core/train/train_config.h"

#include "core/train/train_settings.h"

#include "core/base/error.h"
#include "core/io/bounded_read.h"

#include <algorithm>

#include <QJsonDocument>

#include <cmath>

namespace msup {

QJsonObject TrainConfig::toJson() const
{
    QJsonObject o;
    for (const TrainSetting& s : trainSettings())
        o.insert(s.key, s.toJson(*this));
    return o;
}

TrainConfig TrainConfig::fromJson(const QJsonObject& o, const TrainConfig& base)
{
    TrainConfig c = base;
    for (const TrainSetting& s : trainSettings())
        s.readJson(o.value(s.key), c);
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
    const QStringList known = trainSettingKeys();
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
    // A config is a few hundred bytes. Never read more than 1 MiB (a wrong path, /dev/zero).
    const std::string hint
        = "Give a JSON config file, e.g. one written by 'masksup presets NAME > file.json'.";
    const QByteArray bytes = readFileCapped(path, qint64(1) << 20, "a config file", hint, hint);
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
    // polyp sets (one recipe), U-Net++ with SGD and a step schedule for NYUDv2.
    const char* const kLevit384Paper
        = R"({"model":"levit384","mode":"masksup","optimizer":"adam","lr":1e-4,"weight_decay":1e-5,
             "amsgrad":true,"lr_schedule":"constant","batch_size":8,"image_size":224,"epochs":200,
             "hole_ratio":"high","alpha_seg":1,"alpha_context":1,"alpha_tasksim":1})";
    const Preset kPresets[] = {
        { "glas-levit384",
            "GLaS glands: LeViT-UNet-384, Adam 1e-4 (AMSGrad, wd 1e-5), batch 8, 224², 200 epochs",
            kLevit384Paper },
        { "polyp-levit384",
            "Kvasir-SEG / CVC-ClinicDB polyps: LeViT-UNet-384, Adam 1e-4 (AMSGrad, wd 1e-5), batch 8, 224², "
            "200 epochs",
            kLevit384Paper },
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

void TrainConfig::validateSettings() const
{
    // Every refused setting, in table order, so that one message lists all that a file got wrong.
    std::string problems;
    for (const TrainSetting& s : trainSettings()) {
        try {
            s.validate(*this);
        } catch (const Error& e) {
            problems += (problems.empty() ? "" : "; ") + std::string(e.what());
        }
    }
    if (!problems.empty())
        throw Error(problems);
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
