#pragma once

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <functional>
#include <utility>

namespace msup {
namespace ui {

    // Runs `job` on Qt's global thread pool and turns any exception it throws (msup::Error,
    // cv::Exception, std::bad_alloc, ...) into Result::error, so nothing escapes a worker thread.
    // Result must be default-constructible, copyable, and have a `QString error` member.
    template <typename Result, typename Job> QFuture<Result> runGuarded(Job job)
    {
        return QtConcurrent::run([job = std::move(job)]() -> Result {
            try {
                return job();
            } catch (const std::exception& e) {
                Result result;
                result.error = QString::fromLocal8Bit(e.what());
                return result;
            } catch (...) {
                Result result;
                result.error = QCoreApplication::translate(
                    "msup::ui::BackgroundTask", "Unexpected error in a background task.");
                return result;
            }
        });
    }

    // Keeps at most one job running and at most one waiting: a new request replaces the waiting one,
    // and the result of a job that was overtaken by a newer request is dropped (the "restart on the
    // newest request" pattern for live previews). Results are delivered on the owner's thread.
    template <typename Result> class LatestTaskRunner {
    public:
        using Job = std::function<Result()>;

        LatestTaskRunner(QObject* owner, std::function<void(const Result&)> onResult)
            : m_watcher(new QFutureWatcher<Result>(owner))
            , m_onResult(std::move(onResult))
        {
            QObject::connect(m_watcher, &QFutureWatcher<Result>::finished, owner, [this] {
                const QFuture<Result> future = m_watcher->future();
                const bool hasResult = future.isValid() && future.resultCount() > 0;
                if (m_pending) {
                    Job next = std::move(m_pending);
                    m_pending = nullptr;
                    launch(std::move(next));
                    return;
                }
                m_busy = false;
                if (hasResult)
                    m_onResult(future.result());
            });
        }

        void request(Job job)
        {
            if (m_busy) {
                m_pending = std::move(job);
                return;
            }
            launch(std::move(job));
        }

        // Forgets a waiting job; the running one finishes in the background and its result is
        // delivered unless another request follows.
        void dropPending() { m_pending = nullptr; }
        bool isBusy() const { return m_busy; }

    private:
        void launch(Job job)
        {
            m_busy = true;
            m_watcher->setFuture(runGuarded<Result>(std::move(job)));
        }

        QFutureWatcher<Result>* m_watcher;
        std::function<void(const Result&)> m_onResult;
        Job m_pending;
        bool m_busy = false;
    };

} // namespace ui
} // namespace msup
