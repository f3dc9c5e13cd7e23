#include "command.h"

#include "core/train/run_folder.h"

namespace msup::cli {

// Defined each in its own file (app/cli/<name>.cpp).
extern const Command synthCommand;
extern const Command masksCommand;
extern const Command inspectCommand;
extern const Command trainCommand;
extern const Command presetsCommand;
extern const Command devicesCommand;
extern const Command importWeightsCommand;
extern const Command exportWeightsCommand;
extern const Command correctionsCommand;
extern const Command evaluateCommand;
extern const Command scoreCommand;
extern const Command suggestCommand;
extern const Command predictCommand;
extern const Command infoCommand;
extern const Command robustnessCommand;
extern const Command reportCommand;

const std::vector<const Command*>& commands()
{
    static const std::vector<const Command*> table { &synthCommand, &masksCommand, &inspectCommand,
        &trainCommand, &presetsCommand, &devicesCommand, &importWeightsCommand, &exportWeightsCommand,
        &correctionsCommand, &evaluateCommand, &scoreCommand, &suggestCommand, &predictCommand, &infoCommand,
        &robustnessCommand, &reportCommand };
    return table;
}

const Command* findCommand(const QString& name)
{
    for (const Command* c : commands())
        if (name == QLatin1String(c->name))
            return c;
    return nullptr;
}

namespace {

    const char* kIntro
        = "Usage: masksup <command> [options]\n"
          "\n"
          "MaskSup Studio command line: masked supervised learning for semantic segmentation.\n"
          "\n"
          "Commands:\n";

    const char* kNotes = R"(
Pairs that 'masksup inspect' reports as errors (unreadable, truncated or damaged files, masks of
the wrong size) are skipped by train, evaluate, robustness and report, each named on stderr
(train also lists them in RUN_DIR/%1 under "skipped"); with no usable pair left the
command fails (exit 1). Outputs (predict, report, robustness --csv, export-weights) never replace a dataset's
files or files masksup did not write.

Run 'masksup <command> --help' for the options of one command.
Exit codes: 0 success, 1 error (the message says which file and what to do), 2 bad command line,
130 interrupted (training saves a checkpoint first).
Names and text read from files are printed with control characters escaped as \u00XX.
Checkpoints and .pth files are verified before use (every record's CRC-32 and size, the sizes
data.pkl declares; pickled code is never run): a damaged one is refused with exit 1 naming it.
)";

    // The column where summaries and usages start; a longer name stands on a line of its own.
    constexpr int kIndent = 13;

} // namespace

QString helpText()
{
    const QString indent(kIndent, QLatin1Char(' '));
    QString text = QString::fromUtf8(kIntro);
    for (const Command* c : commands()) {
        const QString name = QStringLiteral("  ") + QLatin1String(c->name);
        const QStringList lines = QString::fromUtf8(c->summary).split(QLatin1Char('\n'))
            + QString::fromUtf8(c->usage).split(QLatin1Char('\n'));
        if (name.size() < kIndent)
            text += name.leftJustified(kIndent) + lines.first() + QLatin1Char('\n');
        else
            text += name + QLatin1Char('\n') + indent + lines.first() + QLatin1Char('\n');
        for (qsizetype i = 1; i < lines.size(); ++i)
            text += indent + lines[i] + QLatin1Char('\n');
    }
    return text + QString::fromUtf8(kNotes).arg(RunFolder::fileName(RunFile::Config));
}

QString unknownCommandMessage(const QString& name)
{
    QStringList names;
    for (const Command* c : commands())
        names << QLatin1String(c->name);
    return QStringLiteral("unknown command '%1'. Commands: %2 (masksup --help)")
        .arg(name, names.join(QStringLiteral(", ")));
}

} // namespace msup::cli
