#pragma once
// The command table of masksup: one entry per command, each defined in its own file under app/cli/
// and listed once in command.cpp. `masksup --help`, the unknown-command message and the dispatch in
// app/main.cpp are generated from it.
//
// Adding a command: app/cli/<name>.cpp defining
//     int run(CommandLine& c) { c.option(...); if (!c.parse()) return kExitOk; ... }
//     extern const Command fooCommand { "foo", "One line for --help.", "masksup foo --bar X",
//         "What 'masksup foo --help' says first.", &run };
// one line in the table in command.cpp, and the file in app/CMakeLists.txt.

#include <QString>
#include <QStringList>

#include <vector>

namespace msup::cli {

class CommandLine;

struct Command {
    const char* name; // what the user types: masksup <name> ...
    // What it does, for `masksup --help`: one line or more ('\n' between lines; printed indented).
    const char* summary;
    // The synopsis (one line or more, continuation lines indented under the first), then any note
    // about the flags; printed under the summary, indented the same way.
    const char* usage;
    // The text `masksup <name> --help` starts with (UTF-8).
    const char* description;
    // Runs the command: `c` holds the arguments after its name, with the name and description set;
    // the command adds its options and parses. Returns the exit code; throws UsageError (exit 2) for
    // a bad command line, any other std::exception (exit 1) when it fails.
    int (*run)(CommandLine& c);
    // The command draws text (charts, PDF) and needs a QGuiApplication.
    bool needsGui = false;
};

// Every command, in the order `masksup --help` lists them.
const std::vector<const Command*>& commands();
// The command called `name`, or nullptr.
const Command* findCommand(const QString& name);
// `masksup --help`: the commands' summaries and usages, then the notes common to all commands.
QString helpText();
// What `masksup NAME` says for a NAME that is not in the table (it lists every command).
QString unknownCommandMessage(const QString& name);

} // namespace msup::cli
