#pragma once

#include "core/base/progress.h"
#include "core/data/validation.h"
#include "core/train/train_config.h"

#include <QByteArray>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>
#include <opencv2/core.hpp>

#include <functional>
#include <memory>
#include <vector>

namespace msup {

namespace dist {
    class Rendezvous;
}

// Progress after one optimisation step (plain values, safe to send across threads).
struct BatchProgress {
    int epoch = 0; // 1-based
    int epochs = 0;
    int batch = 0; // 1-based within the epoch
    int batchesPerEpoch = 0;
    double loss = 0, lossSeg = 0, lossContext = 0, lossTasksim = 0;
    double imagesPerSecond = 0;
    double etaSeconds = 0; // for the whole run
};

// Summary of one epoch; one line of the run's metrics (RunFolder::writeMetrics).
struct EpochMetrics {
    int epoch = 0;
    double loss = 0, lossSeg = 0, lossContext = 0, lossTasksim = 0; // means over the epoch
    double valMiou = 0, valDice = 0, valPixelAccuracy = 0;
    QVector<double> perClassIou;
    QStringList classNames; // perClassIou's classes (not in the metrics line: the run's config has them)
    // The validation confusion matrix, K×K row-major: confusion[truth·K + prediction] pixels (void
    // left out). Written to the metrics line as "confusion".
    QVector<qint64> confusion;
    // The reference code's figures, for comparison with the paper's table (see ConfusionMatrix and
    // ReferenceBinaryIou): micro-averaged Jaccard, and for binary tasks the per-image foreground IoU
    // averaged over images (NaN, written as null, for multi-class tasks).
    double refMicroJaccard = 0;
    double refBinaryIou = 0;
    double learningRate = 0;
    double seconds = 0;
    double imagesPerSecond = 0;
    double dataWaitSeconds = 0; // time the step loop waited for the next batch to be ready
    double computeSeconds = 0; // time spent in optimisation steps
    // Time in collectives with the other processes (sums of losses, gradients, validation counts;
    // waiting for the slowest process included); 0 with one process.
    double communicationSeconds = 0;
    // Samples of this epoch (training and validation) decoded from their files rather than served
    // by the sample cache; 0 after the first epoch when the cache holds the whole dataset.
    int decodedSamples = 0;
    QJsonObject toJson() const;
    // A metrics line back (the inverse of toJson; classNames stay empty: the run's config has
    // them). A missing key reads as 0, a null IoU as NaN.
    static EpochMetrics fromJson(const QJsonObject& o);
};

struct TrainResult {
    bool stopped = false; // true when stopped by request before the last epoch
    int epochsCompleted = 0;
    double bestMiou = 0;
    int bestEpoch = 0;
    QString runDir;
    QString lastCheckpoint; // empty when stopped before the first step (nothing to save)
    QString bestCheckpoint;
};

// One training batch as the network receives it: the clean inputs, the hole masks and the masked
// inputs of the context branch (all at the model size; images CV_8UC3 RGB, holes CV_8UC1 255 =
// hole), after augmentation and the hole fill, turned back from the normalised tensors to 8-bit.
struct BatchPreview {
    QStringList ids; // the samples of the batch, in order
    std::vector<cv::Mat> clean, holes, masked;
    std::vector<cv::Mat> labels; // ground truth at the model size (previewValidationImages only)
};

// Rebuilds batch `batch` of epoch `epoch` (both 1-based) of a run with this config: the same split
// (the run folder's own when it has one), shuffling, augmentation, masks and hole fill as
// run() uses, so the GUI shows exactly what the network sees. With several processes a batch is a
// whole step (the run config's global_batch, else batch size × processes images; each process took
// its contiguous part). Writes nothing. Throws msup::Error.
BatchPreview previewTrainingBatch(const TrainConfig& config, int epoch, int batch);

// Validation samples `ids` of a run (the run folder's split) as validation sees them: at the
// model size, never augmented (`clean`, `labels`), with the input the context branch would have
// seen for each at `epoch` (`holes`, `masked`). Validation itself is never masked; the mask shown is
// drawn by the run's own mask source (generator or mask folder, hole ratio, hole fill) from the
// stream Rng::derive(seed, 0x401e, epoch, position), the noise fill from
// Rng::derive(seed, 0x6015e, epoch, position), exactly as training draws its masks, where
// position = (number of training samples) + (the sample's index in the validation split): the
// position the image would have in the epoch's order if the validation images followed the training
// images. So the mask is reproducible, the image's own, and new at every epoch. Progress is
// reported after each image; once cancelled, the images done so far are returned. Writes
// nothing. Throws msup::Error for an id that is not in the validation split.
BatchPreview previewValidationImages(
    const TrainConfig& config, int epoch, const QStringList& ids, Progress& progress = noProgress());

// One training run: loads the dataset, makes (or reuses) the seeded split, trains with the MaskSup
// loss and writes the run folder's files (RunFolder: config, split, metrics, validation errors and
// the last and best checkpoints). run() blocks; requestStop() may be called from any thread and is honoured
// within one batch: last.pt then holds the weights, optimizer state and batch position after the
// last completed batch, so nothing computed is lost and resumeFrom() continues exactly there.
//
// Exactness: the split, the order of every epoch, augmentations, masks and hole fills are pure
// functions of (seed, epoch, position); last.pt stores weights, optimizer, CPU generator, gradient
// scaler, batch position and the epoch's partial loss sums. So on CPU, training 4 epochs and
// training 2, stopping and resuming for 2 give bit-identical weights, and pause() changes nothing.
class TrainingSession {
public:
    struct Callbacks {
        std::function<void(const QString&)> status; // e.g. "Loading 24 images"
        std::function<void(const BatchProgress&)> batch; // after each step
        std::function<void(const EpochMetrics&)> epoch; // after each validation
        std::function<void(bool)> paused; // the loop has stopped (true) or restarted (false)
        // A pair left out of the run (it cannot be decoded: the file and why), as it is found while
        // loading; the run's config lists them all under `skipped`.
        std::function<void(const SkippedPair&)> skipped;
    };

    explicit TrainingSession(TrainConfig config);
    ~TrainingSession();
    TrainingSession(const TrainingSession&) = delete;
    TrainingSession& operator=(const TrainingSession&) = delete;

    // Throws msup::Error (bad config, bad data, unwritable folder, NaN loss with epoch and batch).
    TrainResult run(const Callbacks& callbacks);
    void requestStop();
    bool stopRequested() const;
    // Holds the run between two batches until resume() (or requestStop()). Everything stays in
    // memory; the time paused counts in neither images/s nor the ETA.
    void pause();
    void resume();
    bool isPaused() const;
    // Continue training from a last.pt (call before run()): weights, optimizer, generator states and
    // batch position are restored and run() goes on to config().epochs. See configForResume().
    void resumeFrom(const QString& checkpoint);

    // Data-parallel training (README, "Several processes"). With config().processes > 1, run()
    // launches the other processes: it hosts the rendezvous on 127.0.0.1, starts `masksup train`
    // (workerProgram(); README) as ranks 1..N-1 and is rank 0 itself (callbacks, writes). joinGroup()
    // makes this session a rank of a group started elsewhere (torchrun/Slurm variables, or a
    // launcher: dist::Environment). Only rank 0 writes in the run folder and reports progress.
    void joinGroup(std::shared_ptr<dist::Rendezvous> rendezvous);
    // The executable started as ranks 1..N-1: MASKSUP_WORKER_PROGRAM when set, else the program set
    // here, else this process's executable when it is the masksup tool, else the masksup beside it.
    void setWorkerProgram(const QString& program);
    QString workerProgram() const;
    // Starts a session of a launched rank (MASKSUP_DIST_LAUNCHED=1): connects to the launcher's
    // rendezvous, reads the config and the checkpoint to resume from. Throws msup::Error.
    static std::unique_ptr<TrainingSession> forLaunchedRank();
    static bool isLaunchedRank(); // MASKSUP_DIST_LAUNCHED=1
    // Whether this process's environment describes a group of more than one process (torchrun's
    // WORLD_SIZE > 1, or Slurm's SLURM_NTASKS > 1 with MASTER_ADDR). Throws msup::Error for a
    // malformed variable.
    static bool groupEnvironmentPresent();
    // Joins the group the environment describes (rank 0 hosts the rendezvous on MASTER_PORT),
    // waiting up to config().distTimeout seconds. Throws msup::Error naming what is wrong.
    void joinFromEnvironment();
    int rank() const; // this process's rank once it joined a group, else 0

    // The config to continue a run folder with: that of RUN_DIR/checkpoints/last.pt, with the run
    // folder set to `runDir`. Throws msup::Error when the folder holds no resumable checkpoint.
    static TrainConfig configForResume(const QString& runDir);
    static QString lastCheckpointOf(const QString& runDir);

    const TrainConfig& config() const;

    // The device `spec` resolves to on this build ("cpu", "cuda:0"), or throws msup::Error.
    static QString resolveDevice(const QString& spec);
    static bool cudaAvailable();

private:
    struct Impl;
    struct Run; // one call of run(): its state and its phases
    std::unique_ptr<Impl> d;
};

} // namespace msup

Q_DECLARE_METATYPE(msup::BatchProgress)
Q_DECLARE_METATYPE(msup::EpochMetrics)
Q_DECLARE_METATYPE(msup::TrainResult)
