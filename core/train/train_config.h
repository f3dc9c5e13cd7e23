#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace msup {

// The accepted range of every numeric training setting: TrainConfig::validate, the CLI flags and the
// GUI's widgets all take their limits from here, so that a value refused from one source is refused
// from every source (command line, --config file, project file, GUI).
struct TrainLimits {
    static constexpr int widthMin = 1, widthMax = 256;
    static constexpr int epochsMin = 1, epochsMax = 100000;
    static constexpr int batchSizeMin = 1, batchSizeMax = 4096;
    static constexpr int imageSizeMin = 16, imageSizeMax = 4096; // and a multiple of 16
    // CPU threads: 0 = all cores; at most threadsMax (more threads than this only wait on each other,
    // and a huge count makes the thread pool's start-up hang for minutes).
    static constexpr int threadsMin = 0, threadsMax = 256;
    // Data-parallel training: processes of a local launch (--nproc), and how long a process waits for
    // the others in a collective before it names the one that does not answer (seconds).
    static constexpr int processesMin = 1, processesMax = 64;
    static constexpr int distTimeoutMin = 10, distTimeoutMax = 86400;
    static constexpr double learningRateMin = 1e-12, learningRateMax = 10;
    static constexpr double weightDecayMin = 0, weightDecayMax = 1;
    static constexpr double momentumMin = 0, momentumMax = 0.999999;
    static constexpr int lrStepEpochsMin = 1, lrStepEpochsMax = 100000;
    static constexpr double lrGammaMin = 1e-12, lrGammaMax = 1e30; // the step schedule's factor
    // The loss weights α1, α2, α3: 0 switches a term off; negative weights would reward errors.
    static constexpr double alphaMin = 0, alphaMax = 1000;
    static constexpr double valFractionMin = 0.01, valFractionMax = 0.99;
    static constexpr int cacheMemoryMbMin = 0, cacheMemoryMbMax = 1 << 24;
    static constexpr double checkpointMinutesMin = 0, checkpointMinutesMax = 1e6;
    // Seeds are unsigned 64-bit integers; in JSON a number must be a whole number up to 2^53 (larger
    // seeds are written as strings of digits, as a run's config does).
    static constexpr double seedJsonNumberMax = 9007199254740992.0;
};

// Everything that defines a training run. Saved as the run folder's config (RunFolder::writeConfig)
// and inside checkpoints.
struct TrainConfig {
    QString datasetPath;
    QString datasetFormat; // empty or "auto" = detect; else a format name (glas, cvc-clinicdb, ...)
    QString outDir;
    QString model = QStringLiteral("unet"); // unet | unetpp (U-Net++, the paper's NYUDv2 model)
    int width = 16;
    // The reference NestedUNet's ReLU on the logits (unetpp only; set for imported reference weights).
    bool reluLogits = false;
    QString mode = QStringLiteral("masksup"); // baseline | context | masksup
    int epochs = 10;
    int batchSize = 8;
    int imageSize = 224;
    QString device = QStringLiteral("auto"); // auto | cpu | cuda | cuda:N
    std::uint64_t seed = 0;
    QString preset; // the preset this config started from (informational; empty = none)
    QString optimizer = QStringLiteral("adam"); // adam | sgd
    double learningRate = 1e-4;
    double weightDecay = 1e-5;
    bool amsgrad = true; // adam only
    double momentum = 0.9; // sgd only
    // Learning-rate schedule, applied per epoch: constant, or step (× lrGamma every lrStepEpochs).
    QString lrSchedule = QStringLiteral("constant");
    int lrStepEpochs = 60;
    double lrGamma = 0.1;
    // How the clean and masked branches run: separate (two forward passes, as the reference code:
    // each branch normalises with its own BatchNorm batch statistics) or concat (one pass over the
    // 2B-image batch [I; I_m]: BatchNorm sees both, and the running statistics mix clean and masked
    // images; faster on GPUs).
    QString branches = QStringLiteral("separate");
    // Mixed precision: auto = bf16 autocast on CUDA GPUs that support it (no gradient scaler), fp16
    // autocast + gradient scaler on other CUDA GPUs, float32 on the CPU; bf16 or fp16 (CUDA only);
    // off = float32. "on", written by older versions, is mixed precision as auto picks it (and, as before,
    // CUDA only). Resolved at run time by engine::resolvePrecision; the run's config also records the
    // precision used ("precision").
    QString amp = QStringLiteral("auto");
    // Convolutions in channels-last (NHWC) memory layout (CUDA; may be changed when resuming).
    bool channelsLast = false;
    // last.pt is also written every this many minutes within an epoch (0 = only at epoch ends).
    double checkpointMinutes = 10;
    double alphaSeg = 1.0, alphaContext = 1.0, alphaTasksim = 1.0;
    QString holeRatio = QStringLiteral("high");
    QString maskFolder; // empty = the generator; else a folder of mask images (white = hole)
    QString holeFill = QStringLiteral("zero"); // zero (mid-grey, the paper) | black | noise
    double valFraction = 0.2;
    QString augment = QStringLiteral("none"); // none | all | flip,rot90,scale,color
    int threads = 0; // CPU threads; 0 = all cores (split between the processes of a local launch)
    // Data-parallel training (README, "Several processes"): the processes of a local launch (each
    // takes batchSize images of a step: a step takes batchSize × processes), and the seconds a
    // process waits for the others before it stops naming the one that does not answer.
    int processes = 1;
    int distTimeout = 300;
    // BatchNorm in training: "batch" (each process's batch statistics, as PyTorch's DDP) or "frozen"
    // (the running statistics, not updated: samples and processes do not influence each other).
    QString batchNorm = QStringLiteral("batch");
    // Decoded, resized samples kept in memory (MiB; 0 = none) and optionally on disk (empty = off),
    // so that epochs after the first do not decode the files again.
    int cacheMemoryMb = 2048;
    QString cacheDir;
    // A corrections folder written by the annotation editor (default <dataset>.corrections): the
    // corrected masks replace the originals of the edited images in training and validation.
    // Empty = the dataset's own masks only.
    QString corrections;

    QJsonObject toJson() const;
    // Keys present in `json` replace the values of `base`; missing keys keep them. Wrong types
    // (a string where a number is expected, 1.5 for a whole number, a seed that is not a
    // non-negative whole number) throw msup::Error naming the key. Ranges are checked by validate().
    static TrainConfig fromJson(const QJsonObject& json, const TrainConfig& base);
    static TrainConfig fromJson(const QJsonObject& json);
    // Keys of `json` that no config field reads (typos in a config file), sorted.
    static QStringList unknownKeys(const QJsonObject& json);
    // Reads a config file (JSON object, e.g. saved from a preset): a "preset" key loads that preset
    // first, then the file's keys override it, and both override `base`. Throws msup::Error naming
    // the file, with the line of a syntax error, the unknown keys, or the key of a wrong type or a
    // value out of range (validateSettings).
    static TrainConfig fromFile(const QString& path, const TrainConfig& base);
    static TrainConfig fromFile(const QString& path);
    // The values of "amp" (--amp): auto, bf16, fp16, off. "on" (older configs) is also accepted and
    // means auto.
    static QStringList ampValues();
    // The learning rate of 1-based `epoch` under the schedule.
    double learningRateAt(int epoch) const;
    // Throws msup::Error naming the offending setting (its JSON key and CLI flag) with the accepted
    // values: the settings proper (validateSettings), then a dataset and a run folder must be given.
    void validate() const;
    // Ranges, caps and names of every setting (TrainLimits, the settings table of train_settings.h),
    // without requiring a dataset or a run folder (a config file or a project's training settings
    // do not have to name them). The message lists every refused setting, separated by "; ".
    void validateSettings() const;
};

// Presets matching the paper's settings, as configs without dataset and run folder:
// glas-levit384 and polyp-levit384 (LeViT-UNet-384, Adam 1e-4, weight decay 1e-5, AMSGrad,
// batch 8, 224², 200 epochs, BCE), nyu-unetpp (U-Net++ w32, SGD 0.01, momentum 0.9, weight decay
// 5e-4, StepLR 60 × 0.1, cross-entropy over the 40 classes) and quick-cpu (a small U-Net at 128² for
// a few epochs on a laptop).
QStringList trainPresetNames();
// One line describing a preset.
QString trainPresetDescription(const QString& name);
// The preset's keys (a partial config JSON with "preset" set). Throws msup::Error for an unknown
// name, listing the known ones.
QJsonObject trainPreset(const QString& name);
// `base` with the preset's keys applied.
TrainConfig applyTrainPreset(const QString& name, const TrainConfig& base = TrainConfig());

} // namespace msup
