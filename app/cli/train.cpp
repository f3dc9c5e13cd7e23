// masksup train: one training run in the terminal (the flags are read in train_flags.cpp).
#include "command.h"
#include "common.h"

#include "cli_progress.h"
#include "train_flags.h"

#include "core/train/model_store.h"
#include "core/train/run_folder.h"
#include "core/train/training_session.h"

#include <QDir>

#include <atomic>

namespace msup::cli {

namespace {

    // The session Ctrl+C stops (TerminalProgress calls stopSession from its signal handler).
    std::atomic<TrainingSession*> g_session { nullptr };

    void stopSession()
    {
        if (TrainingSession* s = g_session.load())
            s->requestStop();
    }

    // The bar during the epochs, a line per epoch on stdout, skipped pairs named on stderr.
    TrainingSession::Callbacks terminalCallbacks(
        TerminalProgress& bar, const TrainConfig& cfg, int& skippedPairs)
    {
        TrainingSession::Callbacks cb;
        cb.status = [&bar](const QString& s) {
            if (!bar.interactive() && !s.startsWith(QLatin1String("Loading images")))
                err(s);
        };
        cb.skipped = [&bar, &skippedPairs](const SkippedPair& p) {
            bar.clear();
            err(QStringLiteral("skipped %1: %2").arg(p.file, p.reason));
            ++skippedPairs;
        };
        cb.batch = [&bar, &skippedPairs](const BatchProgress& p) {
            bar.update((p.epoch - 1) * p.batchesPerEpoch + p.batch, p.epochs * p.batchesPerEpoch,
                QStringLiteral("epoch %1/%2 loss %3 (seg %4 ctx %5 sim %6) %7 img/s%8")
                    .arg(p.epoch)
                    .arg(p.epochs)
                    .arg(p.loss, 0, 'f', 4)
                    .arg(p.lossSeg, 0, 'f', 4)
                    .arg(p.lossContext, 0, 'f', 4)
                    .arg(p.lossTasksim, 0, 'f', 4)
                    .arg(p.imagesPerSecond, 0, 'f', 1)
                    .arg(skippedPairs > 0 ? QStringLiteral(", %1 pair(s) skipped").arg(skippedPairs)
                                          : QString()),
                p.etaSeconds);
        };
        cb.epoch = [&bar, epochs = cfg.epochs](const EpochMetrics& m) {
            bar.clear();
            out() << QStringLiteral(
                "epoch %1/%2  loss %3  seg %4  context %5  tasksim %6  val mIoU %7  %8 img/s  %9 s\n")
                         .arg(m.epoch)
                         .arg(epochs)
                         .arg(m.loss, 0, 'f', 4)
                         .arg(m.lossSeg, 0, 'f', 4)
                         .arg(m.lossContext, 0, 'f', 4)
                         .arg(m.lossTasksim, 0, 'f', 4)
                         .arg(m.valMiou, 0, 'f', 4)
                         .arg(m.imagesPerSecond, 0, 'f', 2)
                         .arg(m.seconds, 0, 'f', 1);
            out().flush();
        };
        return cb;
    }

    // "training ..." or "resuming ...": what runs where.
    void printStart(const TrainSetup& setup)
    {
        const TrainConfig& cfg = setup.config;
        const QString device = TrainingSession::resolveDevice(cfg.device);
        if (!setup.resumeCheckpoint.isEmpty()) {
            const CheckpointInfo saved = readCheckpointInfo(setup.resumeCheckpoint);
            out() << QStringLiteral("resuming %1 after epoch %2, batch %3, to %4 epochs, device %5\n")
                         .arg(QDir(cfg.outDir).absolutePath())
                         .arg(saved.epoch)
                         .arg(saved.trainingState.value(QStringLiteral("batch")).toInt())
                         .arg(cfg.epochs)
                         .arg(device);
        } else {
            out() << QStringLiteral("training %1 (width %2, %3 mode, %4) on %5, device %6, run folder %7\n")
                         .arg(cfg.model)
                         .arg(cfg.width)
                         .arg(cfg.mode, cfg.preset.isEmpty() ? QStringLiteral("no preset") : cfg.preset,
                             cfg.datasetPath, device, QDir(cfg.outDir).absolutePath());
        }
        out().flush();
    }

    // The last line: where the weights are, or how to go on after Ctrl+C. Returns the exit code.
    int printResult(const TrainResult& r, int skippedPairs)
    {
        if (r.stopped && r.lastCheckpoint.isEmpty()) {
            out() << QStringLiteral("stopped before training started; nothing was saved\n");
            return kExitInterrupted;
        }
        if (r.stopped) {
            out() << QStringLiteral("stopped after %1 complete epoch(s); weights saved to %2; continue with: "
                                    "masksup train --resume %3\n")
                         .arg(r.epochsCompleted)
                         .arg(r.lastCheckpoint, r.runDir);
            return kExitInterrupted;
        }
        out() << QStringLiteral("done: best val mIoU %1 at epoch %2; checkpoints %3 and %4\n")
                     .arg(r.bestMiou, 0, 'f', 4)
                     .arg(r.bestEpoch)
                     .arg(r.bestCheckpoint, r.lastCheckpoint);
        if (skippedPairs > 0)
            out() << QStringLiteral("%1 pair(s) were skipped (named above and in %2)\n")
                         .arg(skippedPairs)
                         .arg(RunFolder(r.runDir).path(RunFile::Config));
        return kExitOk;
    }

    // A rank > 0 of a distributed run: no progress, nothing on stdout; its errors on stderr name it.
    int runQuietRank(TrainingSession& session)
    {
        TerminalProgress stopper(QString(), &stopSession); // Ctrl+C / SIGTERM: stop with the others
        g_session.store(&session);
        try {
            const TrainResult r = session.run({});
            g_session.store(nullptr);
            return r.stopped ? kExitInterrupted : kExitOk;
        } catch (const std::exception& e) {
            g_session.store(nullptr);
            throw Error("rank " + std::to_string(session.rank()) + ": " + e.what());
        }
    }

    // Started by 'masksup train --nproc N' (or the GUI) as rank 1..N-1: the config comes from rank 0.
    int runLaunchedRank()
    {
        std::unique_ptr<TrainingSession> session;
        try {
            session = TrainingSession::forLaunchedRank();
        } catch (const std::exception& e) {
            throw Error(qEnvironmentVariable("RANK").isEmpty()
                    ? std::string(e.what())
                    : "rank " + qEnvironmentVariable("RANK").toStdString() + ": " + e.what());
        }
        return runQuietRank(*session);
    }

    // --dist: whether this process joins a group described by its environment.
    bool joinsGroup(const CommandLine& c, const TrainConfig& cfg)
    {
        const QString mode
            = c.isSet(QStringLiteral("dist")) ? c.value(QStringLiteral("dist")) : QStringLiteral("auto");
        if (mode != QLatin1String("auto") && mode != QLatin1String("env") && mode != QLatin1String("off"))
            throw UsageError {
                QStringLiteral("train: --dist must be auto, env or off (got '%1')").arg(mode)
            };
        if (mode == QLatin1String("off"))
            return false;
        const bool present = TrainingSession::groupEnvironmentPresent();
        if (mode == QLatin1String("env") && !present)
            throw UsageError { QStringLiteral("train: --dist env needs WORLD_SIZE (> 1), RANK, MASTER_ADDR "
                                              "and MASTER_PORT in the environment "
                                              "(torchrun and srun set them; README, 'Several processes')") };
        if (present && cfg.processes > 1)
            throw UsageError { QStringLiteral(
                "train: --nproc starts processes on this machine, but this process is already one of a "
                "distributed run (WORLD_SIZE is set): drop --nproc, or use --dist off") };
        return present;
    }

    int run(CommandLine& c)
    {
        if (TrainingSession::isLaunchedRank())
            return runLaunchedRank();
        c.setDescription(
            c.description().arg(RunFolder::fileName(RunFile::Metrics), RunFolder::fileName(RunFile::Config)));
        addTrainOptions(c);
        if (!c.parse())
            return kExitOk;
        const TrainSetup setup = trainSetupFromFlags(c);

        TrainingSession session(setup.config);
        if (!setup.resumeCheckpoint.isEmpty())
            session.resumeFrom(setup.resumeCheckpoint);
        if (joinsGroup(c, setup.config)) {
            session.joinFromEnvironment();
            if (session.rank() != 0)
                return runQuietRank(session);
        }
        // Ctrl+C (or SIGTERM) stops after the current batch, last.pt saved.
        TerminalProgress bar(QString(), &stopSession);
        g_session.store(&session);
        if (bar.isCancelled()) // before the session could be reached
            session.requestStop();
        int skippedPairs = 0;
        const TrainingSession::Callbacks cb = terminalCallbacks(bar, setup.config, skippedPairs);
        printStart(setup);
        TrainResult r;
        try {
            r = session.run(cb);
        } catch (...) {
            g_session.store(nullptr);
            bar.clear();
            throw;
        }
        g_session.store(nullptr);
        bar.clear();
        return printResult(r, skippedPairs);
    }

} // namespace

extern const Command trainCommand { "train", "Train a segmentation network with the MaskSup loss.",
    "masksup train --dataset DIR --out RUN_DIR [--preset NAME] [--config FILE]\n"
    "              [--model unet|unetpp|levit128s|levit192|levit384] [--width W]\n"
    "              [--mode baseline|context|masksup] [--branches separate|concat]\n"
    "              [--epochs E] [--batch-size B] [--image-size S] [--optimizer adam|sgd]\n"
    "              [--lr LR] [--lr-step N,G] [--device auto|cpu|cuda|cuda:N]\n"
    "              [--amp auto|bf16|fp16|off] [--channels-last] [--seed S]\n"
    "              [--checkpoint-minutes M] [--corrections DIR]\n"
    "              [--nproc N] [--batch-norm batch|frozen] [--dist auto|env|off]\n"
    "masksup train --resume RUN_DIR [--epochs TOTAL] [--device D] [--amp A] [--nproc N]\n"
    "--nproc N: data-parallel training on N local processes (c10d: Gloo on the CPU, NCCL\n"
    "on CUDA, one GPU each); a step takes batch size x N images. Under torchrun or srun\n"
    "(WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT set) each process joins that group.\n"
    "--amp: auto = bf16 on GPUs that support it (no gradient scaler), fp16 + gradient\n"
    "scaler on other CUDA GPUs, off (float32) on the CPU; bf16 and fp16 are CUDA only.\n"
    "\"on\" (older configs) = mixed precision as auto picks it, CUDA only.",
    "Train a segmentation network with the MaskSup loss. The settings come from the defaults, "
    "then --preset, then --config FILE, then the flags given (each overrides the one before). "
    "Ctrl+C stops after the current batch and saves RUN_DIR/checkpoints/last.pt; --resume "
    "RUN_DIR continues exactly from there. Every file of the run folder is written to a "
    "temporary file, synced and renamed into place: when the disk is full or a write fails, "
    "training stops (exit 1) naming the file and the free space, the previous checkpoints, "
    "%1 and %2 intact; free some space, then --resume. A pair that cannot "
    "be decoded (what 'masksup inspect' reports as an error: unreadable, truncated or damaged "
    "image or mask, mask of the wrong size) is skipped: named on stderr, counted in the "
    "progress line and listed in RUN_DIR/%2 under \"skipped\"; with no usable pair "
    "left, train fails (exit 1).",
    &run };

} // namespace msup::cli
