// The options of 'masksup train' and the TrainConfig they give.
#include "train_flags.h"

#include "core/base/error.h"
#include "core/data/formats/format_registry.h"
#include "core/train/run_folder.h"
#include "core/train/training_session.h"

#include <QFileInfo>

#include <cmath>

namespace msup::cli {

namespace {

    bool given(const CommandLine& c, const char* name)
    {
        return c.isSet(QLatin1String(name));
    }

    // Where the settings come from and where the run goes.
    void addRunOptions(CommandLine& c)
    {
        c.option(QStringLiteral("preset"),
            QStringLiteral("Start from a preset: %1 (masksup presets lists them).")
                .arg(trainPresetNames().join(QStringLiteral(", "))),
            QStringLiteral("NAME"));
        c.option(QStringLiteral("config"),
            QStringLiteral(
                "Start from a JSON config file (e.g. 'masksup presets quick-cpu > my.json', edited). Its "
                "keys are checked like the flags (types, ranges, caps such as threads 0..%1 and alpha >= "
                "0): a bad key stops with the file and key named (exit 1), a bad flag with the flag (exit "
                "2).")
                .arg(TrainLimits::threadsMax),
            QStringLiteral("FILE"));
        c.option(QStringLiteral("resume"),
            QStringLiteral(
                "Continue the run in RUN_DIR from its checkpoints/last.pt (weights, optimizer, schedule, "
                "batch position and random states); --epochs sets the new total. %1 keeps every "
                "complete line: a last line cut short is dropped (and said), a damaged earlier line stops "
                "the resume with its line number, the file unchanged.")
                .arg(RunFolder::fileName(RunFile::Metrics)),
            QStringLiteral("RUN_DIR"));
        c.option(QStringLiteral("dataset"), QStringLiteral("Dataset folder (or NYUDv2 .mat file)."),
            QStringLiteral("DIR"));
        c.option(QStringLiteral("format"),
            QStringLiteral("Dataset format: auto (detect), %1.").arg(datasetFormatNamesText()),
            QStringLiteral("name"), QStringLiteral("auto"));
        c.option(QStringLiteral("out"),
            QStringLiteral("Run folder (%1, %2, %3/).")
                .arg(RunFolder::fileName(RunFile::Config), RunFolder::fileName(RunFile::Metrics),
                    RunFolder::fileName(RunFile::Checkpoints)),
            QStringLiteral("RUN_DIR"));
    }

    // The network, the batches and where they are computed.
    void addModelOptions(CommandLine& c, const TrainConfig& d)
    {
        c.option(QStringLiteral("model"),
            QStringLiteral(
                "Architecture: unet, unetpp (U-Net++ without deep supervision, the paper's NYUDv2 model), "
                "levit128s, levit192 or levit384 (LeViT-UNet, the paper's GLaS and polyp model; 224²)."),
            QStringLiteral("name"), d.model);
        c.option(QStringLiteral("width"),
            QStringLiteral("Base channel width of unet/unetpp (widths are W·[1,2,4,8,16])."),
            QStringLiteral("W"), QString::number(d.width));
        c.option(QStringLiteral("mode"),
            QStringLiteral("baseline (L_seg), context (+ masked branch) or masksup (+ task similarity)."),
            QStringLiteral("mode"), d.mode);
        c.option(QStringLiteral("branches"),
            QStringLiteral(
                "separate: clean and masked branches as two forward passes (the reference code; each has "
                "its own BatchNorm batch statistics); concat: one pass over the concatenated batch (shared "
                "statistics; faster on GPUs)."),
            QStringLiteral("how"), d.branches);
        c.option(QStringLiteral("epochs"), QStringLiteral("Number of epochs (with --resume: the new total)."),
            QStringLiteral("E"), QString::number(d.epochs));
        c.option(QStringLiteral("batch-size"), QStringLiteral("Images per batch."), QStringLiteral("B"),
            QString::number(d.batchSize));
        c.option(QStringLiteral("image-size"), QStringLiteral("Training side in pixels (multiple of 16)."),
            QStringLiteral("S"), QString::number(d.imageSize));
        c.option(QStringLiteral("device"),
            QStringLiteral("auto (CUDA when present, else all CPU cores), cpu, cuda or cuda:N."),
            QStringLiteral("D"), d.device);
        c.option(QStringLiteral("amp"),
            QStringLiteral(
                "Mixed precision: auto = bf16 autocast on GPUs that support it (no gradient scaler), fp16 "
                "autocast + gradient scaler on other CUDA GPUs, off (float32) on the CPU; bf16 or fp16 "
                "force one (CUDA only); off = float32 everywhere. 'on', written by older versions, is read "
                "as auto. %1 records the precision used under \"precision\".")
                .arg(RunFolder::fileName(RunFile::Config)),
            QStringLiteral("auto|bf16|fp16|off"), d.amp);
        c.option(QStringLiteral("channels-last"),
            QStringLiteral("Run the network in channels-last (NHWC) memory layout, often faster on CUDA "
                           "GPUs with tensor cores (off by default; may be changed when resuming)."));
        c.option(QStringLiteral("no-channels-last"),
            QStringLiteral("The default NCHW layout (to switch channels-last off when resuming)."));
        c.option(QStringLiteral("seed"), QStringLiteral("Seed of weights, split, shuffling and masks."),
            QStringLiteral("S"), QString::number(d.seed));
    }

    void addOptimiserOptions(CommandLine& c, const TrainConfig& d)
    {
        c.option(QStringLiteral("optimizer"), QStringLiteral("adam (AMSGrad) or sgd (with --momentum)."),
            QStringLiteral("name"), d.optimizer);
        c.option(QStringLiteral("lr"), QStringLiteral("Learning rate."), QStringLiteral("LR"),
            QString::number(d.learningRate));
        c.option(QStringLiteral("weight-decay"), QStringLiteral("Weight decay."), QStringLiteral("WD"),
            QString::number(d.weightDecay));
        c.option(QStringLiteral("momentum"), QStringLiteral("SGD momentum."), QStringLiteral("M"),
            QString::number(d.momentum));
        c.option(QStringLiteral("lr-step"),
            QStringLiteral("Step schedule: multiply the learning rate by G every N epochs (e.g. 60,0.1)."),
            QStringLiteral("N,G"));
        c.option(QStringLiteral("alpha"),
            QStringLiteral(
                "Loss weights a1,a2,a3 of seg, context and task similarity (each from 0 to %1; 0 turns a "
                "term off).")
                .arg(TrainLimits::alphaMax),
            QStringLiteral("A1,A2,A3"), QStringLiteral("1,1,1"));
    }

    // The masks, the samples and the machine's resources.
    void addSampleOptions(CommandLine& c, const TrainConfig& d)
    {
        c.option(QStringLiteral("hole-ratio"), QStringLiteral("Hole ratio of the masks: high, low or A-B."),
            QStringLiteral("R"), d.holeRatio);
        c.option(QStringLiteral("mask-folder"),
            QStringLiteral(
                "Sample the context branch's masks from this folder of mask images (white = hole, e.g. the "
                "NVIDIA irregular masks), keeping those whose hole ratio is in --hole-ratio, instead of "
                "generating them."),
            QStringLiteral("DIR"));
        c.option(QStringLiteral("hole-fill"),
            QStringLiteral(
                "What hidden pixels become: zero (mid-grey after normalisation, as in the paper), black or "
                "noise (seeded)."),
            QStringLiteral("FILL"), d.holeFill);
        c.option(QStringLiteral("val-fraction"), QStringLiteral("Share of pairs held out for validation."),
            QStringLiteral("F"), QString::number(d.valFraction));
        c.option(QStringLiteral("augment"),
            QStringLiteral(
                "Training augmentations: none, all, or a list of flip, rot90, scale, color (seeded)."),
            QStringLiteral("LIST"), d.augment);
        c.option(QStringLiteral("threads"),
            QStringLiteral("CPU threads, 0 to %1 (0 = all cores).").arg(TrainLimits::threadsMax),
            QStringLiteral("N"), QStringLiteral("0"));
        c.option(QStringLiteral("cache-memory"),
            QStringLiteral(
                "Memory for decoded, resized samples in MiB (0 = none); beyond it samples are decoded "
                "again each epoch unless --cache-dir is set."),
            QStringLiteral("MB"), QString::number(d.cacheMemoryMb));
        c.option(QStringLiteral("cache-dir"),
            QStringLiteral(
                "Also keep decoded samples in this folder (reused by later runs at the same size)."),
            QStringLiteral("DIR"));
        c.option(QStringLiteral("checkpoint-minutes"),
            QStringLiteral("Also write last.pt every M minutes within an epoch (0 = at epoch ends only)."),
            QStringLiteral("M"), QString::number(d.checkpointMinutes));
        c.option(QStringLiteral("corrections"),
            QStringLiteral(
                "Train on the hand-corrected masks saved in this corrections folder (by default the editor "
                "saves them in <dataset folder>.corrections): they replace the original masks of the "
                "edited images, in training and validation."),
            QStringLiteral("DIR"));
    }

    // A resumed run keeps everything that defines it; only where and how fast it runs may change.
    void rejectFixedFlagsOnResume(const CommandLine& c)
    {
        static const char* fixed[] = { "preset", "config", "dataset", "format", "out", "model", "width",
            "mode", "branches", "batch-size", "image-size", "seed", "optimizer", "lr", "weight-decay",
            "momentum", "lr-step", "alpha", "hole-ratio", "mask-folder", "hole-fill", "val-fraction",
            "augment", "corrections" };
        for (const char* f : fixed)
            if (given(c, f))
                throw UsageError { QStringLiteral(
                    "train: --%1 cannot be changed when resuming (the run keeps its settings); only "
                    "--epochs, --device, --amp, --channels-last, --threads, --cache-memory, --cache-dir "
                    "and --checkpoint-minutes can")
                                       .arg(QLatin1String(f)) };
    }

    void applyModelFlags(const CommandLine& c, TrainConfig& cfg)
    {
        if (given(c, "model"))
            cfg.model = c.value(QStringLiteral("model"));
        if (given(c, "width"))
            cfg.width = c.integer(QStringLiteral("width"), TrainLimits::widthMin, TrainLimits::widthMax);
        if (given(c, "mode"))
            cfg.mode = c.value(QStringLiteral("mode"));
        if (given(c, "branches"))
            cfg.branches = c.value(QStringLiteral("branches"));
        if (given(c, "batch-size"))
            cfg.batchSize = c.integer(
                QStringLiteral("batch-size"), TrainLimits::batchSizeMin, TrainLimits::batchSizeMax);
        if (given(c, "image-size"))
            cfg.imageSize = c.integer(
                QStringLiteral("image-size"), TrainLimits::imageSizeMin, TrainLimits::imageSizeMax);
        if (given(c, "seed"))
            cfg.seed = c.seed();
    }

    void applyOptimiserFlags(const CommandLine& c, TrainConfig& cfg)
    {
        if (given(c, "optimizer"))
            cfg.optimizer = c.value(QStringLiteral("optimizer"));
        if (given(c, "lr"))
            cfg.learningRate
                = c.real(QStringLiteral("lr"), TrainLimits::learningRateMin, TrainLimits::learningRateMax);
        if (given(c, "weight-decay"))
            cfg.weightDecay = c.real(
                QStringLiteral("weight-decay"), TrainLimits::weightDecayMin, TrainLimits::weightDecayMax);
        if (given(c, "momentum"))
            cfg.momentum
                = c.real(QStringLiteral("momentum"), TrainLimits::momentumMin, TrainLimits::momentumMax);
        if (given(c, "lr-step")) {
            const QStringList step = c.value(QStringLiteral("lr-step")).split(QLatin1Char(','));
            bool okN = false, okG = false;
            if (step.size() == 2) {
                cfg.lrStepEpochs = step[0].toInt(&okN);
                cfg.lrGamma = step[1].toDouble(&okG);
            }
            if (!(okN && okG))
                throw UsageError { QStringLiteral("train: --lr-step expects N,G like 60,0.1") };
            cfg.lrSchedule = QStringLiteral("step");
        }
    }

    void applySampleFlags(const CommandLine& c, TrainConfig& cfg)
    {
        if (given(c, "hole-ratio"))
            cfg.holeRatio = c.value(QStringLiteral("hole-ratio"));
        if (given(c, "mask-folder"))
            cfg.maskFolder = c.value(QStringLiteral("mask-folder"));
        if (given(c, "hole-fill"))
            cfg.holeFill = c.value(QStringLiteral("hole-fill"));
        if (given(c, "val-fraction"))
            cfg.valFraction = c.real(
                QStringLiteral("val-fraction"), TrainLimits::valFractionMin, TrainLimits::valFractionMax);
        if (given(c, "augment"))
            cfg.augment = c.value(QStringLiteral("augment"));
    }

    void applyLossWeightFlag(const CommandLine& c, TrainConfig& cfg)
    {
        if (given(c, "alpha")) {
            const QStringList alpha = c.value(QStringLiteral("alpha")).split(QLatin1Char(','));
            bool ok1 = false, ok2 = false, ok3 = false;
            if (alpha.size() == 3) {
                cfg.alphaSeg = alpha[0].toDouble(&ok1);
                cfg.alphaContext = alpha[1].toDouble(&ok2);
                cfg.alphaTasksim = alpha[2].toDouble(&ok3);
            }
            const auto inRange = [](double a) {
                return std::isfinite(a) && a >= TrainLimits::alphaMin && a <= TrainLimits::alphaMax;
            };
            if (!(ok1 && ok2 && ok3) || !inRange(cfg.alphaSeg) || !inRange(cfg.alphaContext)
                || !inRange(cfg.alphaTasksim))
                throw UsageError { QStringLiteral(
                    "train: --alpha expects three numbers from %1 to %2 like 1,1,1, got '%3'")
                                       .arg(TrainLimits::alphaMin)
                                       .arg(TrainLimits::alphaMax)
                                       .arg(c.value(QStringLiteral("alpha"))) };
        }
    }

    // A new run: the defaults, then --preset, then --config FILE, then the flags given.
    TrainConfig newRunConfig(const CommandLine& c)
    {
        TrainConfig cfg;
        if (given(c, "preset")) {
            try {
                cfg = applyTrainPreset(c.value(QStringLiteral("preset")), cfg);
            } catch (const Error& e) {
                throw UsageError { QStringLiteral("train: ") + QString::fromStdString(e.what()) };
            }
        }
        if (given(c, "config"))
            cfg = TrainConfig::fromFile(c.value(QStringLiteral("config")), cfg);
        if (given(c, "dataset"))
            cfg.datasetPath = c.value(QStringLiteral("dataset"));
        if (given(c, "out"))
            cfg.outDir = c.value(QStringLiteral("out"));
        if (cfg.datasetPath.isEmpty())
            cfg.datasetPath = c.required(QStringLiteral("dataset"));
        if (cfg.outDir.isEmpty())
            cfg.outDir = c.required(QStringLiteral("out"));
        if (given(c, "format"))
            cfg.datasetFormat = c.value(QStringLiteral("format"));
        applyModelFlags(c, cfg);
        applyOptimiserFlags(c, cfg);
        applySampleFlags(c, cfg);
        applyLossWeightFlag(c, cfg);
        return cfg;
    }

    // What may change between a run and its resumption: the length, the device and the resources.
    void applyRuntimeFlags(const CommandLine& c, TrainConfig& cfg)
    {
        if (given(c, "epochs"))
            cfg.epochs = c.integer(QStringLiteral("epochs"), TrainLimits::epochsMin, TrainLimits::epochsMax);
        if (given(c, "device"))
            cfg.device = c.value(QStringLiteral("device"));
        if (given(c, "amp")) {
            cfg.amp = c.value(QStringLiteral("amp"));
            if (!TrainConfig::ampValues().contains(cfg.amp) && cfg.amp != QLatin1String("on"))
                throw UsageError { QStringLiteral(
                    "train: --amp must be auto, bf16, fp16 or off, got '%1' (auto = bf16 on GPUs that "
                    "support it, fp16 + gradient scaler on other CUDA GPUs, off on the CPU)")
                                       .arg(cfg.amp) };
        }
        if (given(c, "channels-last") && given(c, "no-channels-last"))
            throw UsageError { QStringLiteral(
                "train: give --channels-last or --no-channels-last, not both") };
        if (given(c, "channels-last"))
            cfg.channelsLast = true;
        if (given(c, "no-channels-last"))
            cfg.channelsLast = false;
        if (given(c, "threads"))
            cfg.threads
                = c.integer(QStringLiteral("threads"), TrainLimits::threadsMin, TrainLimits::threadsMax);
        if (given(c, "cache-memory"))
            cfg.cacheMemoryMb = c.integer(
                QStringLiteral("cache-memory"), TrainLimits::cacheMemoryMbMin, TrainLimits::cacheMemoryMbMax);
        if (given(c, "cache-dir"))
            cfg.cacheDir = c.value(QStringLiteral("cache-dir"));
        if (given(c, "corrections"))
            cfg.corrections = QFileInfo(c.value(QStringLiteral("corrections"))).absoluteFilePath();
        if (given(c, "checkpoint-minutes"))
            cfg.checkpointMinutes = c.real(QStringLiteral("checkpoint-minutes"),
                TrainLimits::checkpointMinutesMin, TrainLimits::checkpointMinutesMax);
    }

} // namespace

void addTrainOptions(CommandLine& c)
{
    const TrainConfig d;
    addRunOptions(c);
    addModelOptions(c, d);
    addOptimiserOptions(c, d);
    addSampleOptions(c, d);
}

TrainSetup trainSetupFromFlags(const CommandLine& c)
{
    TrainSetup setup;
    if (given(c, "resume")) {
        rejectFixedFlagsOnResume(c);
        const QString runDir = c.value(QStringLiteral("resume"));
        setup.config = TrainingSession::configForResume(runDir);
        setup.resumeCheckpoint = TrainingSession::lastCheckpointOf(runDir);
    } else {
        setup.config = newRunConfig(c);
    }
    applyRuntimeFlags(c, setup.config);
    try {
        setup.config.validate();
    } catch (const Error& e) {
        throw UsageError { QStringLiteral("train: ") + QString::fromStdString(e.what()) };
    }
    return setup;
}

} // namespace msup::cli
