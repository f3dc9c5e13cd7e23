#include "core/train/train_settings.h"

#include "core/base/error.h"
#include "core/data/augment.h"
#include "core/data/formats/format_registry.h"
#include "core/masks/hole_generator.h"
#include "core/nn/unet.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>

// Labels and helps are marked for lupdate (context msup::TrainSetting) and translated by the GUI.
#define MSUP_TR(text) QT_TRANSLATE_NOOP("msup::TrainSetting", text)

namespace msup {

namespace {

    std::string number(double v)
    {
        return QString::number(v, 'g', 12).toStdString();
    }

    // Builds one row: TableRow("width", "width", SettingType::Int, &TrainConfig::width).range(1, 256)...
    struct TableRow {
        TrainSetting s;
        TableRow(const char* key, const char* flag, SettingType type, SettingField field)
        {
            s.key = QLatin1String(key);
            s.flag = QLatin1String(flag);
            s.type = type;
            s.field = field;
        }
        TableRow& text(const char* label, const char* help)
        {
            s.label = label;
            s.help = help;
            return *this;
        }
        TableRow& value(const char* name)
        {
            s.valueName = QLatin1String(name);
            return *this;
        }
        TableRow& range(double lo, double hi, const char* note = "")
        {
            s.min = lo;
            s.max = hi;
            s.rangeNote = QString::fromUtf8(note);
            return *this;
        }
        TableRow& choices(const QStringList& values, const char* note = "")
        {
            s.choices = values;
            s.choiceNote = QString::fromUtf8(note);
            if (s.valueName.isEmpty() && s.type == SettingType::Choice)
                s.valueName = values.join(QLatin1Char('|'));
            return *this;
        }
        // Display labels for the choices, in their order (the values stay what files and flags take).
        TableRow& choiceLabels(std::vector<const char*> labels)
        {
            s.choiceLabels = std::move(labels);
            return *this;
        }
        TableRow& basic()
        {
            s.group = SettingGroup::Basic;
            return *this;
        }
        TableRow& dataset()
        {
            s.group = SettingGroup::Dataset;
            return *this;
        }
        TableRow& resumable()
        {
            s.resumable = true;
            return *this;
        }
        TableRow& check(std::function<void(const TrainConfig&)> f)
        {
            s.check = std::move(f);
            return *this;
        }
        operator TrainSetting() const { return s; }
    };

    QStringList modelChoices()
    {
        QStringList names;
        for (const std::string& m : nn::modelNames())
            names << QString::fromStdString(m);
        return names;
    }

    using T = SettingType;
    using C = TrainConfig;
    using L = TrainLimits;

    // Where the run's data comes from and where it goes; the network and how it is run.
    void addRunAndModelRows(std::vector<TrainSetting>& t)
    {
        t.push_back(
            TableRow("preset", "preset", T::Text, &C::preset)
                .value("NAME")
                .choices(trainPresetNames())
                .basic()
                .text(MSUP_TR("Preset"),
                    MSUP_TR("Start from a preset of the paper's settings ('masksup presets' lists them); "
                            "the other settings override its values.")));
        t.push_back(TableRow("dataset", "dataset", T::Path, &C::datasetPath)
                        .value("DIR")
                        .dataset()
                        .text(MSUP_TR("Dataset"), MSUP_TR("Dataset folder (or NYUDv2 .mat file).")));
        QStringList formats { QStringLiteral("auto") };
        formats << datasetFormatNames();
        t.push_back(TableRow("dataset_format", "format", T::Text, &C::datasetFormat)
                        .value("name")
                        .choices(formats)
                        .dataset()
                        .check([](const C& c) {
                            if (!c.datasetFormat.isEmpty() && c.datasetFormat != QLatin1String("auto")
                                && !findDatasetFormat(c.datasetFormat))
                                throw Error("unknown dataset format '" + c.datasetFormat.toStdString()
                                    + "': use auto, " + datasetFormatNamesText().toStdString());
                        })
                        .text(MSUP_TR("Dataset format"), MSUP_TR("Dataset format: auto (detect), %1.")));
        t.back().helpArg = datasetFormatNamesText();
        t.push_back(TableRow("out", "out", T::Path, &C::outDir)
                        .value("RUN_DIR")
                        .basic()
                        .text(MSUP_TR("Run folder"),
                            MSUP_TR("Run folder (the run's settings, metrics and checkpoints/).")));
        t.push_back(
            TableRow("model", "model", T::Choice, &C::model)
                .value("name")
                .choices(modelChoices())
                .basic()
                .text(MSUP_TR("Model"),
                    MSUP_TR("Architecture: unet, unetpp (U-Net++ without deep supervision, the paper's "
                            "NYUDv2 model), levit128s, levit192 or levit384 (LeViT-UNet, the paper's "
                            "GLaS and polyp model; 224²).")));
        t.push_back(TableRow("width", "width", T::Int, &C::width)
                        .value("W")
                        .range(L::widthMin, L::widthMax)
                        .basic()
                        .text(MSUP_TR("Width"),
                            MSUP_TR("Base channel width of unet/unetpp (widths are W·[1,2,4,8,16]).")));
        t.push_back(TableRow("relu_logits", "relu-logits", T::Bool, &C::reluLogits)
                        .text(MSUP_TR("ReLU on the logits"),
                            MSUP_TR("The reference NestedUNet's ReLU on the logits (unetpp only; set for "
                                    "weights imported from the reference code).")));
        t.push_back(
            TableRow("mode", "mode", T::Choice, &C::mode)
                .choices({ QStringLiteral("baseline"), QStringLiteral("context"), QStringLiteral("masksup") })
                .basic()
                .text(MSUP_TR("Mode"),
                    MSUP_TR("baseline (L_seg), context (+ masked branch) or masksup (+ task "
                            "similarity).")));
        t.push_back(
            TableRow("branches", "branches", T::Choice, &C::branches)
                .choices({ QStringLiteral("separate"), QStringLiteral("concat") })
                .text(MSUP_TR("Branches"),
                    MSUP_TR("separate: clean and masked branches as two forward passes (the reference "
                            "code; each has its own BatchNorm batch statistics); concat: one pass over "
                            "the concatenated batch (shared statistics; faster on GPUs).")));
        t.push_back(
            TableRow("batch_norm", "batch-norm", T::Choice, &C::batchNorm)
                .choices({ QStringLiteral("batch"), QStringLiteral("frozen") })
                .text(MSUP_TR("BatchNorm"),
                    MSUP_TR("batch: normalise with each batch's statistics and update the running ones "
                            "(with several processes each uses its own batch, as PyTorch's DDP; the running "
                            "statistics are averaged after each step); frozen: use the running statistics "
                            "and keep them (fine-tuning with small batches; images do not influence each "
                            "other).")));
        t.push_back(
            TableRow("epochs", "epochs", T::Int, &C::epochs)
                .value("E")
                .range(L::epochsMin, L::epochsMax)
                .basic()
                .resumable()
                .text(MSUP_TR("Epochs"), MSUP_TR("Number of epochs (when resuming: the new total).")));
        t.push_back(TableRow("batch_size", "batch-size", T::Int, &C::batchSize)
                        .value("B")
                        .range(L::batchSizeMin, L::batchSizeMax)
                        .basic()
                        .text(MSUP_TR("Batch size"),
                            MSUP_TR("Images per batch and process (a step takes batch size × processes "
                                    "images).")));
        t.push_back(TableRow("image_size", "image-size", T::Int, &C::imageSize)
                        .value("S")
                        .range(L::imageSizeMin, L::imageSizeMax)
                        .basic()
                        .check([](const C& c) {
                            if (c.imageSize % 16 != 0)
                                throw Error("image size must be a multiple of 16 between 16 and 4096 (got "
                                    + std::to_string(c.imageSize) + "): the networks halve it four times");
                        })
                        .text(MSUP_TR("Image size"), MSUP_TR("Training side in pixels (multiple of 16).")));
    }

    void addDeviceRows(std::vector<TrainSetting>& t)
    {
        t.push_back(
            TableRow("device", "device", T::Text, &C::device)
                .value("D")
                .choices({ QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda") })
                .basic()
                .resumable()
                .check([](const C& c) {
                    static const QRegularExpression form(QStringLiteral("^(auto|cpu|cuda|cuda:[0-9]+)$"));
                    if (!form.match(c.device).hasMatch())
                        throw Error(
                            "unknown device '" + c.device.toStdString() + "': use auto, cpu, cuda or cuda:N");
                })
                .text(MSUP_TR("Device"),
                    MSUP_TR("auto (CUDA when present, else all CPU cores), cpu, cuda or cuda:N.")));
        t.push_back(
            TableRow("amp", "amp", T::Choice, &C::amp)
                .choices(TrainConfig::ampValues(),
                    "auto = bf16 on GPUs that support it, fp16 + gradient scaler on other CUDA GPUs, off on "
                    "the CPU; bf16 and fp16 need a CUDA device")
                .basic()
                .resumable()
                .text(MSUP_TR("Mixed precision"),
                    MSUP_TR(
                        "Mixed precision: auto = bf16 autocast on GPUs that support it (no gradient "
                        "scaler), fp16 autocast + gradient scaler on other CUDA GPUs, off (float32) on the "
                        "CPU; bf16 or fp16 force one (CUDA only); off = float32 everywhere. 'on', written "
                        "by older versions, is read as auto. The run's config records the precision used "
                        "under "
                        "\"precision\".")));
        t.back().legacyChoices = QStringList { QStringLiteral("on") };
        t.push_back(TableRow("channels_last", "channels-last", T::Bool, &C::channelsLast)
                        .basic()
                        .resumable()
                        .text(MSUP_TR("Channels-last memory layout (CUDA)"),
                            MSUP_TR("Run the network in channels-last (NHWC) memory layout, often faster on "
                                    "CUDA GPUs with tensor cores (off by default; may be changed when "
                                    "resuming).")));
        t.push_back(TableRow("seed", "seed", T::Seed, &C::seed)
                        .value("S")
                        .basic()
                        .text(MSUP_TR("Seed"), MSUP_TR("Seed of weights, split, shuffling and masks.")));
    }

    void addOptimiserRows(std::vector<TrainSetting>& t)
    {
        t.push_back(
            TableRow("optimizer", "optimizer", T::Choice, &C::optimizer)
                .choices({ QStringLiteral("adam"), QStringLiteral("sgd") })
                .text(MSUP_TR("Optimizer"), MSUP_TR("adam (with AMSGrad when set) or sgd (with momentum).")));
        t.push_back(TableRow("lr", "lr", T::Real, &C::learningRate)
                        .value("LR")
                        .range(L::learningRateMin, L::learningRateMax)
                        .basic()
                        .text(MSUP_TR("Learning rate"), MSUP_TR("Learning rate.")));
        t.push_back(TableRow("weight_decay", "weight-decay", T::Real, &C::weightDecay)
                        .value("WD")
                        .range(L::weightDecayMin, L::weightDecayMax)
                        .text(MSUP_TR("Weight decay"), MSUP_TR("Weight decay.")));
        t.push_back(TableRow("amsgrad", "amsgrad", T::Bool, &C::amsgrad)
                        .text(MSUP_TR("AMSGrad"), MSUP_TR("The AMSGrad variant of Adam (adam only).")));
        t.push_back(TableRow("momentum", "momentum", T::Real, &C::momentum)
                        .value("M")
                        .range(L::momentumMin, L::momentumMax)
                        .text(MSUP_TR("Momentum"), MSUP_TR("SGD momentum (sgd only).")));
        t.push_back(TableRow("lr_schedule", "lr-schedule", T::Choice, &C::lrSchedule)
                        .choices({ QStringLiteral("constant"), QStringLiteral("step") })
                        .text(MSUP_TR("Learning-rate schedule"),
                            MSUP_TR("constant, or step: multiply the learning rate by the step factor every "
                                    "step epochs.")));
        t.push_back(TableRow("lr_step_epochs", "lr-step-epochs", T::Int, &C::lrStepEpochs)
                        .value("N")
                        .range(L::lrStepEpochsMin, L::lrStepEpochsMax)
                        .text(MSUP_TR("Step every (epochs)"),
                            MSUP_TR("Epochs between two steps of the step schedule.")));
        t.push_back(TableRow("lr_gamma", "lr-gamma", T::Real, &C::lrGamma)
                        .value("G")
                        .range(L::lrGammaMin, L::lrGammaMax)
                        .text(MSUP_TR("Step factor"), MSUP_TR("The step schedule's factor (e.g. 0.1).")));
        t.push_back(TableRow("alpha_seg", "alpha-seg", T::Real, &C::alphaSeg)
                        .value("A1")
                        .range(L::alphaMin, L::alphaMax)
                        .text(MSUP_TR("Weight α1 (segmentation)"),
                            MSUP_TR("Loss weight of the segmentation term (0 turns it off).")));
        t.push_back(TableRow("alpha_context", "alpha-context", T::Real, &C::alphaContext)
                        .value("A2")
                        .range(L::alphaMin, L::alphaMax)
                        .text(MSUP_TR("Weight α2 (context)"),
                            MSUP_TR("Loss weight of the masked (context) branch (0 turns it off).")));
        t.push_back(TableRow("alpha_tasksim", "alpha-tasksim", T::Real, &C::alphaTasksim)
                        .value("A3")
                        .range(L::alphaMin, L::alphaMax)
                        .text(MSUP_TR("Weight α3 (task similarity)"),
                            MSUP_TR("Loss weight of the task similarity term (0 turns it off).")));
    }

    // The masks, the samples and the machine's resources.
    void addSampleRows(std::vector<TrainSetting>& t)
    {
        t.push_back(TableRow("hole_ratio", "hole-ratio", T::Text, &C::holeRatio)
                        .value("R")
                        .choices({ QStringLiteral("high"), QStringLiteral("low") })
                        .choiceLabels({ MSUP_TR("high"), MSUP_TR("low") })
                        .basic()
                        .check([](const C& c) { HoleRatioRange::parse(c.holeRatio.toStdString()); })
                        .text(MSUP_TR("Hole ratio"),
                            MSUP_TR("Share of pixels the masks remove: high (50–60 %), low (1–10 %) or A-B, "
                                    "e.g. 0.2-0.3.")));
        t.push_back(
            TableRow("mask_folder", "mask-folder", T::Path, &C::maskFolder)
                .value("DIR")
                .text(MSUP_TR("Mask folder"),
                    MSUP_TR("Sample the context branch's masks from this folder of mask images "
                            "(white = hole, e.g. the NVIDIA irregular masks), keeping those whose hole "
                            "ratio is in the hole ratio interval, instead of generating them.")));
        t.push_back(
            TableRow("hole_fill", "hole-fill", T::Choice, &C::holeFill)
                .choices({ QStringLiteral("zero"), QStringLiteral("black"), QStringLiteral("noise") })
                .text(MSUP_TR("Hole fill"),
                    MSUP_TR("What hidden pixels become: zero (mid-grey after normalisation, as in the "
                            "paper), black or noise (seeded).")));
        t.push_back(
            TableRow("val_fraction", "val-fraction", T::Real, &C::valFraction)
                .value("F")
                .range(L::valFractionMin, L::valFractionMax)
                .text(MSUP_TR("Validation fraction"), MSUP_TR("Share of pairs held out for validation.")));
        t.push_back(
            TableRow("augment", "augment", T::Text, &C::augment)
                .value("LIST")
                .choices({ QStringLiteral("none"), QStringLiteral("all"), QStringLiteral("flip,rot90"),
                    QStringLiteral("flip,rot90,scale,color") })
                .check([](const C& c) { AugmentOptions::parse(c.augment.toStdString()); })
                .text(MSUP_TR("Augmentation"),
                    MSUP_TR("Training augmentations: none, all, or a list of flip, rot90, scale, color "
                            "(seeded).")));
        t.push_back(
            TableRow("threads", "threads", T::Int, &C::threads)
                .value("N")
                .range(L::threadsMin, L::threadsMax, " (0 = all cores)")
                .resumable()
                .text(MSUP_TR("CPU threads"),
                    MSUP_TR("CPU threads (0 = all cores), shared by the processes of a local launch.")));
        t.push_back(TableRow("processes", "nproc", T::Int, &C::processes)
                        .value("N")
                        .range(L::processesMin, L::processesMax)
                        .resumable()
                        .text(MSUP_TR("Processes (GPUs with CUDA)"),
                            MSUP_TR("Data-parallel training on N local processes (c10d: Gloo on the CPU, "
                                    "NCCL with one GPU each on CUDA); 1 = one process. May change when "
                                    "resuming: a step keeps its number of images.")));
        t.push_back(TableRow("dist_timeout", "dist-timeout", T::Int, &C::distTimeout)
                        .value("S")
                        .range(L::distTimeoutMin, L::distTimeoutMax, " s")
                        .resumable()
                        .text(MSUP_TR("Process timeout (s)"),
                            MSUP_TR("Seconds a process of a distributed run waits for the others before it "
                                    "stops, naming the one that does not answer.")));
        t.push_back(
            TableRow("cache_memory_mb", "cache-memory", T::Int, &C::cacheMemoryMb)
                .value("MB")
                .range(L::cacheMemoryMbMin, L::cacheMemoryMbMax, " MiB (0 = no memory cache)")
                .resumable()
                .text(MSUP_TR("Memory cache (MiB)"),
                    MSUP_TR("Memory for decoded, resized samples in MiB (0 = none); beyond it samples "
                            "are decoded again each epoch unless a cache folder is set.")));
        t.push_back(TableRow("cache_dir", "cache-dir", T::Path, &C::cacheDir)
                        .value("DIR")
                        .resumable()
                        .text(MSUP_TR("Cache folder"),
                            MSUP_TR("Also keep decoded samples in this folder (reused by later runs at the "
                                    "same size).")));
        t.push_back(TableRow("checkpoint_minutes", "checkpoint-minutes", T::Real, &C::checkpointMinutes)
                        .value("M")
                        .range(L::checkpointMinutesMin, L::checkpointMinutesMax, " (0 = at epoch ends only)")
                        .resumable()
                        .text(MSUP_TR("Checkpoint every (minutes)"),
                            MSUP_TR("Also write last.pt every M minutes within an epoch (0 = at epoch ends "
                                    "only).")));
        TableRow corrections("corrections", "corrections", T::Path, &C::corrections);
        corrections.s.absolutePath = true;
        t.push_back(corrections.value("DIR").basic().text(MSUP_TR("Corrections"),
            MSUP_TR("Train on the hand-corrected masks saved in this corrections folder (by default the "
                    "editor saves them in <dataset folder>.corrections): they replace the original masks of "
                    "the edited images, in training and validation.")));
    }

    std::vector<TrainSetting> buildTable()
    {
        std::vector<TrainSetting> t;
        addRunAndModelRows(t);
        addDeviceRows(t);
        addOptimiserRows(t);
        addSampleRows(t);
        return t;
    }

    std::string seedRangeError(const std::string& got, bool asString)
    {
        return asString
            ? "config key 'seed' must be a whole number from 0 to 18446744073709551615 (got \"" + got + "\")"
            : "config key 'seed' must be a whole number from 0 to 2^53, or a string of digits (got " + got
                + ")";
    }

    std::uint64_t readSeed(const QJsonValue& v)
    {
        if (v.isString()) {
            // Digits only: toULongLong would also take "+5", " 5" or "0x5".
            const QString text = v.toString();
            bool ok = !text.isEmpty() && std::all_of(text.begin(), text.end(), [](QChar ch) {
                return ch >= QLatin1Char('0') && ch <= QLatin1Char('9');
            });
            const std::uint64_t value = ok ? text.toULongLong(&ok) : 0;
            if (!ok)
                throw Error(seedRangeError(text.left(40).toStdString(), true));
            return value;
        }
        if (v.isDouble()) {
            const double d = v.toDouble();
            if (!(d >= 0 && d == std::floor(d) && d <= TrainLimits::seedJsonNumberMax))
                throw Error(seedRangeError(number(d), false));
            return static_cast<std::uint64_t>(d);
        }
        throw Error("config key 'seed' must be a whole number (or a string of digits)");
    }

} // namespace

std::string TrainSetting::name() const
{
    return "'" + key.toStdString() + "' (--" + flag.toStdString() + ")";
}

QVariant TrainSetting::value(const TrainConfig& c) const
{
    return std::visit(
        [&c](auto member) -> QVariant {
            using V = std::decay_t<decltype(c.*member)>;
            if constexpr (std::is_same_v<V, std::uint64_t>)
                return QVariant(qulonglong(c.*member));
            else
                return QVariant(c.*member);
        },
        field);
}

void TrainSetting::setValue(TrainConfig& c, const QVariant& v) const
{
    std::visit(
        [&c, &v](auto member) {
            using V = std::decay_t<decltype(c.*member)>;
            if constexpr (std::is_same_v<V, int>)
                c.*member = v.toInt();
            else if constexpr (std::is_same_v<V, double>)
                c.*member = v.toDouble();
            else if constexpr (std::is_same_v<V, bool>)
                c.*member = v.toBool();
            else if constexpr (std::is_same_v<V, QString>)
                c.*member = v.toString();
            else
                c.*member = std::uint64_t(v.toULongLong());
        },
        field);
}

QJsonValue TrainSetting::toJson(const TrainConfig& c) const
{
    const QVariant v = value(c);
    switch (type) {
    case SettingType::Int:
        return v.toInt();
    case SettingType::Real:
        return v.toDouble();
    case SettingType::Bool:
        return v.toBool();
    case SettingType::Seed:
        return QString::number(v.toULongLong()); // a string: JSON numbers lose digits above 2^53
    default:
        return v.toString();
    }
}

void TrainSetting::readJson(const QJsonValue& v, TrainConfig& c) const
{
    if (v.isUndefined() || v.isNull())
        return;
    const std::string k = "config key '" + key.toStdString() + "'";
    switch (type) {
    case SettingType::Seed:
        setValue(c, qulonglong(readSeed(v)));
        return;
    case SettingType::Bool:
        if (!v.isBool())
            throw Error(k + " must be true or false");
        setValue(c, v.toBool());
        return;
    case SettingType::Int: {
        if (!v.isDouble())
            throw Error(k + " must be a number");
        // QJsonValue::toInt() turns 1.5 or 1e10 into 0 silently: a whole number in int's range only.
        const double d = v.toDouble();
        if (!(d == std::floor(d) && d >= std::numeric_limits<int>::min()
                && d <= std::numeric_limits<int>::max()))
            throw Error(
                k + " must be a whole number (got " + QString::number(d, 'g', 17).toStdString() + ")");
        setValue(c, int(d));
        return;
    }
    case SettingType::Real:
        if (!v.isDouble())
            throw Error(k + " must be a number");
        setValue(c, v.toDouble());
        return;
    default:
        if (!v.isString())
            throw Error(k + " must be a string");
        setValue(c, v.toString());
        return;
    }
}

QString TrainSetting::choicesText() const
{
    if (choices.size() < 2)
        return choices.join(QString());
    return choices.mid(0, choices.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" or ")
        + choices.last();
}

void TrainSetting::validate(const TrainConfig& c) const
{
    const QVariant v = value(c);
    if (type == SettingType::Int) {
        const int i = v.toInt();
        if (i < min || i > max)
            throw Error(name() + " must be a whole number from " + std::to_string(qlonglong(min)) + " to "
                + std::to_string(qlonglong(max)) + rangeNote.toStdString() + " (got " + std::to_string(i)
                + ")");
    } else if (type == SettingType::Real) {
        const double d = v.toDouble();
        if (!(std::isfinite(d) && d >= min && d <= max))
            throw Error(name() + " must be a number from " + number(min) + " to " + number(max)
                + rangeNote.toStdString() + " (got " + number(d) + ")");
    } else if (type == SettingType::Choice) {
        const QString s = v.toString();
        if (!choices.contains(s) && !legacyChoices.contains(s))
            throw Error(name() + " must be " + choicesText().toStdString() + " (got '" + s.toStdString()
                + "')" + (choiceNote.isEmpty() ? std::string() : ": " + choiceNote.toStdString()));
    }
    if (check)
        check(c);
}

const std::vector<TrainSetting>& trainSettings()
{
    static const std::vector<TrainSetting> table = buildTable();
    return table;
}

const TrainSetting* findTrainSetting(const QString& key)
{
    for (const TrainSetting& s : trainSettings())
        if (s.key == key)
            return &s;
    return nullptr;
}

QStringList trainSettingKeys()
{
    QStringList keys;
    for (const TrainSetting& s : trainSettings())
        keys << s.key;
    return keys;
}

} // namespace msup
