// masksup: the command-line twin of MaskSup Studio. Every command uses the same engine as the GUI;
// the commands are listed in app/cli/command.cpp and each lives in its own file under app/cli/.
#include "cli/command.h"
#include "cli/common.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <exception>
#include <memory>

using namespace msup::cli;

int main(int argc, char** argv)
{
    // A command that draws text (charts, PDF) needs a QGuiApplication: offscreen unless told otherwise.
    const Command* command = argc > 1 ? findCommand(QString::fromLocal8Bit(argv[1])) : nullptr;
    const bool gui = command && command->needsGui;
    if (gui && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    const std::unique_ptr<QCoreApplication> application = gui
        ? std::make_unique<QGuiApplication>(argc, argv)
        : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("masksup"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MASKSUP_VERSION));
    QStringList args = application->arguments().mid(1);
    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h")
        || args.first() == QLatin1String("help")) {
        out() << helpText();
        return args.isEmpty() ? kExitUsage : kExitOk;
    }
    if (args.first() == QLatin1String("--version")) {
        out() << QStringLiteral("masksup %1\n").arg(QStringLiteral(MASKSUP_VERSION));
        return kExitOk;
    }
    const QString name = args.takeFirst();
    if (!command) {
        err(unknownCommandMessage(name));
        return kExitUsage;
    }
    try {
        CommandLine c(name, QString::fromUtf8(command->description), args);
        return command->run(c);
    } catch (const UsageError& e) {
        err(e.message);
        return kExitUsage;
    } catch (const std::exception& e) {
        err(QString::fromStdString(e.what()));
        return kExitError;
    }
}
