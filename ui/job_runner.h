#pragma once

#include "core/base/progress.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

class QThread;
class QProgressBar;
class QAbstractButton;

namespace msup {
namespace ui {

    // The one way ui/ runs a long job off the GUI thread (the shape of qBittorrent's TorrentCreator):
    // Params in (captured by the job function), Result out (handed to the result callback on the
    // runner's thread), signals started / progress / failed / cancelled / finished, exceptions caught
    // in exactly one place (here), cancel through the core's Progress interface, and every thread
    // joined on destruction.
    //
    //   m_runner = new JobRunner(this);
    //   connect(m_runner, &JobRunner::failed, this, &Dialog::showError);
    //   m_runner->start<Summary>([options](msup::Progress& p) { return msup::exportAll(options, p); },
    //       [this](Summary s) { showSummary(s); });
    //
    // A new start() while a job runs cancels that job and forgets its result (it still finishes in
    // the background and is joined later). Live previews use LatestTaskRunner (background_task.h,
    // newest request wins, built on this), training its controller (core/train/training_worker.h).
    class JobRunner : public QObject {
        Q_OBJECT
    public:
        // How a job that was cancelled ends. DropResult: cancelled() however it ended (returned, or
        // threw: the core's way of stopping). DeliverResult: its (partial) result is handed over as
        // usual, for jobs whose result says itself that it stopped early (an export summary, a report
        // over the pairs seen), and an exception stays a failure. msup::Cancelled thrown by a job
        // always means cancelled().
        enum class OnCancel { DropResult, DeliverResult };

        explicit JobRunner(QObject* parent = nullptr);
        ~JobRunner() override; // cancels and joins every thread it started

        template <typename Result>
        void start(std::function<Result(Progress&)> job, std::function<void(Result)> onResult,
            OnCancel onCancel = OnCancel::DropResult)
        {
            launch(
                [job = std::move(job)](Progress& progress) -> std::shared_ptr<void> {
                    return std::make_shared<Result>(job(progress));
                },
                [onResult = std::move(onResult)](const std::shared_ptr<void>& result) {
                    if (onResult)
                        onResult(std::move(*std::static_pointer_cast<Result>(result)));
                },
                onCancel);
        }

        void cancel(); // the running job sees Progress::isCancelled(); a no-op when idle
        bool isRunning() const { return m_running; }
        bool isCancelRequested() const;
        // Blocks until every started thread has ended (results not yet delivered stay queued);
        // for shutdown and tests. Returns false on timeout.
        bool waitForThreads(int msecs = -1);

        // A parallel map for jobs whose items are independent: calls fn(i) for i in [0, count) on
        // up to `threads` threads (0 = ideal thread count), stops early when progress is cancelled,
        // and reports progress as items complete. Runs inside a job function (it blocks), so its
        // threads also end before the job does. The first exception is rethrown.
        static void parallelFor(
            int count, const std::function<void(int)>& fn, Progress& progress, int threads = 0);

    Q_SIGNALS:
        void started();
        void progress(int done, int total, const QString& text);
        void failed(const QString& message);
        void cancelled();
        void finished(); // the job returned; its result callback runs right after

    private:
        struct Job;
        using Work = std::function<std::shared_ptr<void>(Progress&)>;
        using Deliver = std::function<void(const std::shared_ptr<void>&)>;
        void launch(Work work, Deliver deliver, OnCancel onCancel);
        void complete(const std::shared_ptr<Job>& job, const std::shared_ptr<void>& result,
            const QString& error, bool threwCancelled);
        void reap(QThread* thread);

        std::shared_ptr<Job> m_current;
        std::vector<QThread*> m_threads;
        bool m_running = false;
    };

    // A progress bar (and optionally its Cancel button) that follows a runner: shown while a job
    // runs, busy until the first report, hidden when it ends; the button cancels. Any panel reuses it.
    void bindProgress(JobRunner* runner, QProgressBar* bar, QAbstractButton* cancelButton = nullptr);

} // namespace ui
} // namespace msup
