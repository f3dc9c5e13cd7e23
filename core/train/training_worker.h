#pragma once

#include "core/train/training_session.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

namespace msup {

// Runs a TrainingSession on its own QThread and reports through queued signals, so the GUI thread
// never waits for training. Destroying the controller stops the run (within one batch) and joins.
class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;

    bool isRunning() const;
    // Starts a run (continuing from `resumeCheckpoint`, a last.pt, when given); returns false (and
    // does nothing) when one is already running.
    bool start(const TrainConfig& config, const QString& resumeCheckpoint = {});
    // Holds the run between two batches / lets it go on exactly where it was (pausedChanged()
    // follows once the worker has actually stopped or restarted).
    void pause();
    void resume();
    bool isPaused() const;
    // Asks the running session to stop after the current batch; finished() follows.
    void stop();
    // Blocks until the worker thread has ended (used on shutdown).
    void wait();

Q_SIGNALS:
    void started(const QString& runDir);
    void status(const QString& message);
    // A pair left out of the run because it cannot be decoded (see TrainingSession::Callbacks).
    void pairSkipped(const QString& file, const QString& reason);
    void progress(const msup::BatchProgress& progress);
    void epochFinished(const msup::EpochMetrics& metrics);
    void failed(const QString& message);
    void pausedChanged(bool paused);
    void finished(const msup::TrainResult& result);

private:
    QThread* m_thread = nullptr;
    std::shared_ptr<TrainingSession> m_session;
};

} // namespace msup
