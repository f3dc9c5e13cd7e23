#pragma once

#include <atomic>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

namespace msup {

// The one way a long core function reports how far it got and learns that it should stop (the
// ITK-SNAP pattern: the core never knows who listens). The GUI's JobRunner (ui/job_runner.h), the
// CLI's terminal bar (app/cli_progress.h) and tests implement it; core functions take a
// `Progress&` and call report() between items and isCancelled() where stopping is safe.
// Text is UTF-8 (core/base is Qt-free): QString::fromStdString reads it back.
class Progress {
public:
    virtual ~Progress() = default;
    // `done` of `total` items (total <= 0: unknown yet); `text` names the current item, may be empty.
    virtual void report(int done, int total, const std::string& text = {}) = 0;
    // True once someone asked the work to stop; the function then returns what it has (or throws
    // msup::Cancelled where a partial result means nothing).
    virtual bool isCancelled() const = 0;
};

// Thrown by a core function that stops on request and has no partial result to return.
class Cancelled : public std::runtime_error {
public:
    Cancelled()
        : std::runtime_error("cancelled")
    {
    }
};

// Reports nowhere, never cancelled: the default for callers that do not listen.
class NullProgress final : public Progress {
public:
    void report(int, int, const std::string&) override { }
    bool isCancelled() const override { return false; }
};

// The NullProgress a function without a listener gets by default (stateless: any thread may share it).
inline Progress& noProgress()
{
    static NullProgress none;
    return none;
}

// Adapts a lambda (and an optional cancel flag) to Progress: for tests and small call sites.
//   msup::FunctionProgress progress([](int done, int total, const std::string&) { ... });
class FunctionProgress final : public Progress {
public:
    using Report = std::function<void(int, int, const std::string&)>;
    explicit FunctionProgress(Report report = {}, const std::atomic_bool* cancel = nullptr)
        : m_report(std::move(report))
        , m_cancel(cancel)
    {
    }
    void report(int done, int total, const std::string& text) override
    {
        if (m_report)
            m_report(done, total, text);
    }
    bool isCancelled() const override { return m_cancelled.load() || (m_cancel && m_cancel->load()); }
    // Lets the report callback (or another thread) stop the work.
    void cancel() { m_cancelled.store(true); }

private:
    Report m_report;
    const std::atomic_bool* m_cancel;
    std::atomic_bool m_cancelled { false };
};

} // namespace msup
