#pragma once
// What every masksup command shares: exit codes, stdout/stderr through msup::terminalSafe, the
// command-line parser with its range-checked readers, and the option sets several commands take.

#include "core/train/inference_options.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <cstdint>

namespace msup {
struct BinaryScores;
}

namespace msup::cli {

constexpr int kExitOk = 0;
constexpr int kExitError = 1; // the command ran and failed (bad data, unwritable folder, ...)
constexpr int kExitUsage = 2; // the command line is wrong
constexpr int kExitInterrupted = 130;

// stdout, with control characters escaped (see TerminalSafeStdout in common.cpp).
QTextStream& out();
// "masksup: <message>" on stderr, control characters escaped as on stdout.
void err(const QString& message);

// A bad command line: main() prints the message and exits with kExitUsage.
struct UsageError {
    QString message;
};

// The options of one command: declared, parsed, then read with range checks that throw UsageError
// naming the command and the option.
class CommandLine {
public:
    CommandLine(const QString& name, const QString& description, const QStringList& args);
    void option(const QString& name, const QString& help, const QString& valueName = {},
        const QString& defaultValue = {});
    void positional(const QString& name, const QString& help) { m_parser.addPositionalArgument(name, help); }
    QString description() const { return m_parser.applicationDescription(); }
    void setDescription(const QString& text) { m_parser.setApplicationDescription(text); }
    // Returns false when --help was printed.
    bool parse();
    QString value(const QString& name) const { return m_parser.value(name); }
    bool isSet(const QString& name) const { return m_parser.isSet(name); }
    QStringList positionals() const { return m_parser.positionalArguments(); }
    QString required(const QString& name) const;
    int integer(const QString& name, int lo, int hi) const;
    double real(const QString& name, double lo, double hi) const;
    // --device D: auto, cpu (the default), cuda or cuda:N; `use` says what for, if not the whole
    // command. Read back with value("device").
    void deviceOption(const QString& use = {});
    // --seed S (a non-negative whole number, `defaultValue` when not given), read back with seed().
    void seedOption(const QString& help, int defaultValue = 0);
    std::uint64_t seed(const QString& name = QStringLiteral("seed")) const;

private:
    QString m_name;
    QCommandLineParser m_parser;
    QStringList m_args;
};

// Writes a command's results file (CSV, ...) at `path`: never over a dataset's file or a file
// masksup did not write (core/train/output_guard.h), atomically. Throws msup::Error naming the file.
void writeResultFile(const QString& path, const QString& command, const QByteArray& bytes);

// A metric to 4 decimals, "n/a" for NaN.
QString fixedOrNa(double v);

// The binary scores of a split as `score` and `evaluate` print them: per-image Dice (mean, median,
// min, max), HD95, object F1 (TP, FP, FN), object Dice and object Hausdorff.
void printBinaryScores(const BinaryScores& scores);

// --checkpoint, --dataset and --split, as evaluate and robustness take them.
void addCheckpointOptions(CommandLine& c);

// --inference, --scale, --overlap and --tta, as predict, evaluate and suggest take them, and the
// InferenceOptions they give (UsageError for a value out of range).
void addInferenceOptions(CommandLine& c);
InferenceOptions inferenceOptions(const CommandLine& c);

} // namespace msup::cli
