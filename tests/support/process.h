#pragma once
// Test support: running the command-line program (or any other) and collecting what it printed.

#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>

namespace msup::test {

struct Run {
    int code = -1; // the exit code; -1 when it crashed, was killed or timed out
    bool crashed = false; // ended by a signal (or killed after the timeout)
    QString out, err;
};

struct RunOptions {
    int timeoutMs = 240000; // then it is killed
    QHash<QString, QString> env; // added to this process's environment
    std::function<void()> inChild; // runs in the child between fork and exec (e.g. setrlimit)
};

Run runProgram(const QString& program, const QStringList& args, const RunOptions& options = {});
// The masksup under test: MASKSUP_TEST_CLI when set (to run a suite against another build), else
// the one this build made.
QString cliPath();
Run masksup(const QStringList& args, int timeoutMs = 240000);

} // namespace msup::test
