#include "ui/job_runner.h"

#include <QAbstractButton>
#include <QCoreApplication>
#include <QMetaObject>
#include <QMutex>
#include <QMutexLocker>
#include <QProgressBar>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <exception>

namespace msup {
namespace ui {

    // One started job: its cancel flag and its latest progress, shared by the worker thread and the
    // runner. Reports are coalesced: at most one progress event is queued at a time, and it reads the
    // latest values when it arrives, so a fast loop never floods the event queue and the last report
    // always arrives before the job's end (both are queued in that order).
    struct JobRunner::Job final : Progress, std::enable_shared_from_this<JobRunner::Job> {
        JobRunner* runner = nullptr;
        std::atomic_bool cancelFlag { false };
        std::atomic_bool queued { false };
        OnCancel onCancel = OnCancel::DropResult;
        Deliver deliver;
        QMutex mutex;
        int done = 0, total = 0;
        std::string text;

        void report(int d, int t, const std::string& s) override
        {
            {
                const QMutexLocker lock(&mutex);
                done = d;
                total = t;
                text = s;
            }
            if (queued.exchange(true))
                return;
            // Only the runner's current job reports (a job overtaken by a newer start() is quiet).
            QMetaObject::invokeMethod(
                runner, [self = shared_from_this()] { self->deliverProgress(); }, Qt::QueuedConnection);
        }
        bool isCancelled() const override { return cancelFlag.load(); }

        void deliverProgress() // on the runner's thread
        {
            queued.store(false);
            if (runner->m_current.get() != this)
                return;
            int d, t;
            QString s;
            {
                const QMutexLocker lock(&mutex);
                d = done;
                t = total;
                s = QString::fromStdString(text);
            }
            Q_EMIT runner->progress(d, t, s);
        }
    };

    JobRunner::JobRunner(QObject* parent)
        : QObject(parent)
    {
    }

    JobRunner::~JobRunner()
    {
        cancel();
        for (QThread* thread : m_threads) {
            thread->wait();
            delete thread;
        }
    }

    void JobRunner::cancel()
    {
        if (m_current)
            m_current->cancelFlag.store(true);
    }

    bool JobRunner::isCancelRequested() const
    {
        return m_current && m_current->cancelFlag.load();
    }

    bool JobRunner::waitForThreads(int msecs)
    {
        for (QThread* thread : m_threads)
            if (!(msecs < 0 ? thread->wait() : thread->wait(QDeadlineTimer(msecs))))
                return false;
        return true;
    }

    void JobRunner::launch(Work work, Deliver deliver, OnCancel onCancel)
    {
        if (m_current)
            m_current->cancelFlag.store(true); // overtaken: finishes in the background, result dropped
        auto job = std::make_shared<Job>();
        job->runner = this;
        job->onCancel = onCancel;
        job->deliver = std::move(deliver);
        m_current = job;
        m_running = true;

        QThread* thread = QThread::create([this, job, work = std::move(work)] {
            std::shared_ptr<void> result;
            QString error;
            bool threwCancelled = false;
            // The one place where a job's exceptions are caught.
            try {
                result = work(*job);
            } catch (const msup::Cancelled&) {
                threwCancelled = true;
            } catch (const std::exception& e) {
                error = QString::fromLocal8Bit(e.what());
                if (error.isEmpty())
                    error = QCoreApplication::translate(
                        "msup::ui::BackgroundTask", "Unexpected error in a background task.");
            } catch (...) {
                error = QCoreApplication::translate(
                    "msup::ui::BackgroundTask", "Unexpected error in a background task.");
            }
            QMetaObject::invokeMethod(
                this,
                [this, job, result, error, threwCancelled] { complete(job, result, error, threwCancelled); },
                Qt::QueuedConnection);
        });
        thread->setObjectName(QStringLiteral("JobRunner"));
        m_threads.push_back(thread);
        connect(thread, &QThread::finished, this, [this, thread] { reap(thread); });
        Q_EMIT started();
        thread->start();
    }

    void JobRunner::complete(const std::shared_ptr<Job>& job, const std::shared_ptr<void>& result,
        const QString& error, bool threwCancelled)
    {
        if (m_current != job)
            return; // overtaken by a newer start()
        m_current.reset();
        m_running = false;
        // A cancelled DropResult job ends in cancelled() however it ended (an exception is then
        // usually the core's way of stopping); a DeliverResult job's exception stays a failure.
        const bool cancelled = job->cancelFlag.load();
        if (threwCancelled || (cancelled && job->onCancel == OnCancel::DropResult)) {
            Q_EMIT this->cancelled();
            return;
        }
        if (!error.isEmpty()) {
            Q_EMIT failed(error);
            return;
        }
        Q_EMIT finished();
        job->deliver(result);
    }

    void JobRunner::reap(QThread* thread)
    {
        const auto it = std::find(m_threads.begin(), m_threads.end(), thread);
        if (it == m_threads.end())
            return;
        m_threads.erase(it);
        thread->wait();
        delete thread;
    }

    void JobRunner::parallelFor(
        int count, const std::function<void(int)>& fn, Progress& progress, int threads)
    {
        if (count <= 0)
            return;
        if (threads <= 0)
            threads = std::max(1, QThread::idealThreadCount());
        threads = std::min(threads, count);
        std::atomic_int next { 0 };
        std::atomic_int done { 0 };
        std::atomic_bool stop { false };
        std::exception_ptr firstError;
        QMutex errorMutex;
        QMutex reportMutex; // reports one at a time and in order, whatever thread finished the item
        auto body = [&] {
            for (;;) {
                if (stop.load() || progress.isCancelled())
                    return;
                const int i = next.fetch_add(1);
                if (i >= count)
                    return;
                try {
                    fn(i);
                } catch (...) {
                    const QMutexLocker lock(&errorMutex);
                    if (!firstError)
                        firstError = std::current_exception();
                    stop.store(true);
                    return;
                }
                const QMutexLocker lock(&reportMutex);
                progress.report(++done, count);
            }
        };
        std::vector<QThread*> workers;
        for (int t = 1; t < threads; ++t) {
            workers.push_back(QThread::create(body));
            workers.back()->start();
        }
        body();
        for (QThread* w : workers) {
            w->wait();
            delete w;
        }
        if (firstError)
            std::rethrow_exception(firstError);
    }

    void bindProgress(JobRunner* runner, QProgressBar* bar, QAbstractButton* cancelButton)
    {
        QObject::connect(runner, &JobRunner::started, bar, [bar, cancelButton] {
            bar->setRange(0, 0); // busy until the first report
            bar->setValue(0);
            bar->setVisible(true);
            if (cancelButton) {
                cancelButton->setVisible(true);
                cancelButton->setEnabled(true);
            }
        });
        QObject::connect(runner, &JobRunner::progress, bar, [bar](int done, int total) {
            if (total > 0) {
                bar->setRange(0, total);
                bar->setValue(done);
            }
        });
        auto hide = [bar, cancelButton] {
            bar->setVisible(false);
            if (cancelButton)
                cancelButton->setVisible(false);
        };
        QObject::connect(runner, &JobRunner::finished, bar, hide);
        QObject::connect(runner, &JobRunner::failed, bar, hide);
        QObject::connect(runner, &JobRunner::cancelled, bar, hide);
        if (cancelButton)
            QObject::connect(cancelButton, &QAbstractButton::clicked, runner, [runner, cancelButton] {
                cancelButton->setEnabled(false);
                runner->cancel();
            });
    }

} // namespace ui
} // namespace msup
