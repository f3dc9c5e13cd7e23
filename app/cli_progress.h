#pragma once

#include <QString>

#include <chrono>

// A one-line progress bar on stderr when it is a terminal ("\r" redraws, at most 10 per second);
// otherwise silent, so logs and pipes get only the per-epoch lines the caller prints.
class TerminalProgress {
public:
    TerminalProgress();
    bool interactive() const { return m_tty; }
    void update(int done, int total, const QString& text, double etaSeconds = -1);
    // Clears the bar so that a normal line can be printed.
    void clear();

private:
    bool m_tty = false;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_last {};
};

QString formatDuration(double seconds);
