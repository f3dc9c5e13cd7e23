#pragma once
// The terminal implementation of msup::Progress: a one-line bar with an ETA on stderr, and Ctrl+C
// (SIGINT) or SIGTERM as the cancel request.

#include "core/base/progress.h"

#include <QString>

#include <chrono>
#include <functional>

namespace msup::cli {

// The bar is drawn only when stderr is a terminal ("\r" redraws, at most 10 per second); otherwise
// it stays silent, so logs and pipes get only the lines the command prints.
//
// While a TerminalProgress is alive, SIGINT and SIGTERM do not kill masksup: they set the flag that
// isCancelled() returns, then call `onInterrupt` (when given; it runs inside the signal handler, so
// it may only do what a handler may, e.g. store an atomic). The command then stops where the work
// allows and exits with kExitInterrupted. The previous handlers come back on destruction.
class TerminalProgress final : public Progress {
public:
    using InterruptHook = void (*)();
    // `unit` names what is counted ("pairs", "images"): the bar shows it instead of the text that
    // report() gives (file names, steps); without a unit the bar shows that text.
    explicit TerminalProgress(QString unit = {}, InterruptHook onInterrupt = nullptr);
    ~TerminalProgress() override;
    TerminalProgress(const TerminalProgress&) = delete;
    TerminalProgress& operator=(const TerminalProgress&) = delete;

    // msup::Progress: the ETA is estimated from the time since the first report.
    void report(int done, int total, const std::string& text = {}) override;
    bool isCancelled() const override;

    // The same with a QString, and the caller's own ETA in seconds (training knows better, e.g.
    // across a resume); a negative ETA is estimated as above.
    void update(int done, int total, const QString& text, double etaSeconds = -1);
    bool interactive() const { return m_tty; }
    // Clears the bar so that a normal line can be printed.
    void clear();

private:
    double estimateEta(int done, int total);

    QString m_unit;
    bool m_tty = false;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_last {};
    std::chrono::steady_clock::time_point m_start {};
    int m_startDone = -1;
};

// Runs `work`, which reports to `bar`. When it throws because Ctrl+C cancelled the bar: clears the
// bar, prints `message` on stderr and returns false (the caller exits with kExitInterrupted); any
// other failure propagates. True when the work completed.
bool runInterruptible(TerminalProgress& bar, const QString& message, const std::function<void()>& work);

// "mm:ss", or "h:mm:ss" from an hour on; "--:--" when unknown.
QString formatDuration(double seconds);

} // namespace msup::cli
