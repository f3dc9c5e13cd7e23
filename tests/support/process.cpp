#include "tests/support/process.h"

#include <QProcess>
#include <QProcessEnvironment>

namespace msup::test {

Run runProgram(const QString& program, const QStringList& args, const RunOptions& options)
{
    QProcess p;
    if (!options.env.isEmpty()) {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        for (auto it = options.env.begin(); it != options.env.end(); ++it)
            e.insert(it.key(), it.value());
        p.setProcessEnvironment(e);
    }
    if (options.inChild)
        p.setChildProcessModifier(options.inChild);
    p.start(program, args);
    if (!p.waitForFinished(options.timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
    }
    Run r;
    r.crashed = p.exitStatus() != QProcess::NormalExit;
    r.code = r.crashed ? -1 : p.exitCode();
    r.out = QString::fromLocal8Bit(p.readAllStandardOutput());
    r.err = QString::fromLocal8Bit(p.readAllStandardError());
    return r;
}

QString cliPath()
{
    return qEnvironmentVariable("MASKSUP_TEST_CLI", QStringLiteral(MASKSUP_CLI));
}

Run masksup(const QStringList& args, int timeoutMs)
{
    RunOptions options;
    options.timeoutMs = timeoutMs;
    return runProgram(cliPath(), args, options);
}

} // namespace msup::test
