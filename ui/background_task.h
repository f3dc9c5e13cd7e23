#pragma once

#include "ui/job_runner.h"

#include <QObject>
#include <QString>

#include <functional>
#include <utility>

namespace msup {
namespace ui {

    // Keeps at most one job running and at most one waiting: a new request replaces the waiting one,
    // and the result of a job that was overtaken by a newer request is dropped (the "restart on the
    // newest request" pattern for live previews). Jobs run in a JobRunner; an exception they throw
    // (msup::Error, cv::Exception, std::bad_alloc, ...) becomes Result::error. Results are delivered
    // on the owner's thread. Result must be default-constructible, copyable, and have a
    // `QString error` member.
    template <typename Result> class LatestTaskRunner {
    public:
        using Job = std::function<Result()>;

        LatestTaskRunner(QObject* owner, std::function<void(const Result&)> onResult)
            : m_runner(new JobRunner(owner))
            , m_onResult(std::move(onResult))
        {
            QObject::connect(m_runner, &JobRunner::failed, owner, [this](const QString& message) {
                Result result;
                result.error = message;
                done(result);
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
            m_runner->start<Result>([job = std::move(job)](Progress&) { return job(); },
                [this](const Result& result) { done(result); });
        }

        void done(const Result& result)
        {
            if (m_pending) {
                Job next = std::move(m_pending);
                m_pending = nullptr;
                launch(std::move(next));
                return;
            }
            m_busy = false;
            m_onResult(result);
        }

        JobRunner* m_runner; // a child of the owner: joined when the owner is destroyed
        std::function<void(const Result&)> m_onResult;
        Job m_pending;
        bool m_busy = false;
    };

} // namespace ui
} // namespace msup
