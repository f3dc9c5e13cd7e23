#include "cli_progress.h"

#include "core/base/terminal_text.h"

#include <cmath>
#include <cstdio>
#include <unistd.h>
#include <utility>

TerminalProgress::TerminalProgress(QString unit, const std::atomic_bool* cancel)
    : m_unit(std::move(unit))
    , m_cancel(cancel)
    , m_start(std::chrono::steady_clock::now())
    , m_tty(isatty(fileno(stderr)) != 0)
{
}

void TerminalProgress::report(int done, int total, const std::string& text)
{
    double eta = -1;
    if (done > 0 && total > done) {
        const double elapsed
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
        eta = elapsed / done * (total - done);
    }
    update(done, total, m_unit.isEmpty() ? QString::fromStdString(text) : m_unit, eta);
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

void TerminalProgress::update(int done, int total, const QString& text, double etaSeconds)
{
    if (!m_tty)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (done < total && m_drawn && now - m_last < std::chrono::milliseconds(100))
        return;
    m_last = now;
    const int width = 28;
    const int filled = total > 0 ? done * width / total : 0;
    QString bar(width, QLatin1Char('.'));
    for (int i = 0; i < filled; ++i)
        bar[i] = QLatin1Char('#');
    // The text may name files: its control characters are escaped (msup::terminalSafe), only the
    // bar's own \r and erase-line sequence reach the terminal.
    const QString safeText = QString::fromStdString(msup::terminalSafe(text.toUtf8().toStdString(), false));
    QString line = QStringLiteral("\r[%1] %2/%3 %4").arg(bar).arg(done).arg(total).arg(safeText);
    if (etaSeconds >= 0)
        line += QStringLiteral(" ETA %1").arg(formatDuration(etaSeconds));
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
