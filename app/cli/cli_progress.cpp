#include "cli_progress.h"
#include "common.h"

#include "core/base/terminal_text.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <exception>
#include <unistd.h>
#include <utility>

namespace msup::cli {

namespace {

    // Set by the signal handler; one TerminalProgress is alive at a time (one command runs).
    std::atomic_bool g_interrupted { false };
    std::atomic<TerminalProgress::InterruptHook> g_hook { nullptr };
    struct sigaction g_previousInt { };
    struct sigaction g_previousTerm { };

    extern "C" void handleInterruptSignal(int)
    {
        g_interrupted.store(true);
        if (const TerminalProgress::InterruptHook hook = g_hook.load())
            hook();
    }

} // namespace

TerminalProgress::TerminalProgress(QString unit, InterruptHook onInterrupt)
    : m_unit(std::move(unit))
    , m_tty(isatty(fileno(stderr)) != 0)
{
    g_interrupted.store(false);
    g_hook.store(onInterrupt);
    struct sigaction action { };
    action.sa_handler = handleInterruptSignal;
    action.sa_flags = SA_RESTART; // as std::signal: interrupted reads and writes go on
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &g_previousInt);
    sigaction(SIGTERM, &action, &g_previousTerm);
}

TerminalProgress::~TerminalProgress()
{
    sigaction(SIGINT, &g_previousInt, nullptr);
    sigaction(SIGTERM, &g_previousTerm, nullptr);
    g_hook.store(nullptr);
    clear();
}

bool TerminalProgress::isCancelled() const
{
    return g_interrupted.load();
}

void TerminalProgress::report(int done, int total, const std::string& text)
{
    update(done, total, m_unit.isEmpty() ? QString::fromStdString(text) : m_unit);
}

QString formatDuration(double seconds)
{
    if (!(seconds >= 0) || std::isinf(seconds))
        return QStringLiteral("--:--");
    const long s = std::lround(seconds);
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
}

// From the pace since the first report; negative (not shown) until one item has been done after it.
double TerminalProgress::estimateEta(int done, int total)
{
    const auto now = std::chrono::steady_clock::now();
    if (m_startDone < 0 || done < m_startDone) {
        m_start = now;
        m_startDone = done;
    }
    if (total <= 0 || done <= m_startDone)
        return -1;
    const double elapsed = std::chrono::duration<double>(now - m_start).count();
    return elapsed / (done - m_startDone) * (total - done);
}

void TerminalProgress::update(int done, int total, const QString& text, double etaSeconds)
{
    if (!m_tty)
        return;
    const double eta = etaSeconds >= 0 ? etaSeconds : estimateEta(done, total);
    const auto now = std::chrono::steady_clock::now();
    if (done < total && m_drawn && now - m_last < std::chrono::milliseconds(100))
        return;
    m_last = now;
    const int width = 28;
    const int filled = total > 0 ? std::min(done, total) * width / total : 0;
    QString bar(width, QLatin1Char('.'));
    for (int i = 0; i < filled; ++i)
        bar[i] = QLatin1Char('#');
    // The text may name files: its control characters are escaped (msup::terminalSafe), only the
    // bar's own \r and erase-line sequence reach the terminal.
    const QString safeText = QString::fromStdString(terminalSafe(text.toUtf8().toStdString(), false));
    QString line = QStringLiteral("\r[%1] %2/%3 %4").arg(bar).arg(done).arg(total).arg(safeText);
    if (eta >= 0)
        line += QStringLiteral(" ETA %1").arg(formatDuration(eta));
    std::fprintf(stderr, "%s\033[K", line.toLocal8Bit().constData());
    std::fflush(stderr);
    m_drawn = true;
}

void TerminalProgress::clear()
{
    if (m_tty && m_drawn) {
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
        m_drawn = false;
    }
}

bool runInterruptible(TerminalProgress& bar, const QString& message, const std::function<void()>& work)
{
    try {
        work();
    } catch (const std::exception&) {
        if (!bar.isCancelled())
            throw;
        bar.clear();
        err(message);
        return false;
    }
    return true;
}

} // namespace msup::cli
