#pragma once

#include "core/base/progress.h"

#include <QString>

#include <atomic>
#include <chrono>

// A one-line progress bar on stderr when it is a terminal ("\r" redraws, at most 10 per second);
// otherwise silent, so logs and pipes get only the per-epoch lines the caller prints.
// As the CLI's msup::Progress it draws the bar with an ETA and the `unit` (or, without one, the text
// the core reports), and is cancelled once `cancel` is set (the command's Ctrl+C handler sets it).
class TerminalProgress final : public msup::Progress {
public:
    explicit TerminalProgress(QString unit = {}, const std::atomic_bool* cancel = nullptr);
    bool interactive() const { return m_tty; }
    void report(int done, int total, const std::string& text = {}) override;
    bool isCancelled() const override { return m_cancel && m_cancel->load(); }
    void update(int done, int total, const QString& text, double etaSeconds = -1);
    // Clears the bar so that a normal line can be printed.
    void clear();

private:
    QString m_unit;
    const std::atomic_bool* m_cancel = nullptr;
    std::chrono::steady_clock::time_point m_start;
    bool m_tty = false;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_last {};
};

QString formatDuration(double seconds);
