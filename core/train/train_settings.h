#pragma once
// The training settings table: one row per TrainConfig setting, the only place that names its JSON
// key (which is also its QSettings key), its command-line flag, its help, type, range or choices,
// default, GUI group and whether a resumed run may change it. The CLI options and their help
// (app/cli/train_flags.cpp), TrainConfig's JSON reading, writing and validation, the GUI's form
// (ui/settings_form.h) and the project file's training keys all iterate this table.
//
// Adding a setting = a TrainConfig member + one row in trainSettings() (train_settings.cpp).

#include "core/train/train_config.h"

#include <QJsonValue>
#include <QStringList>
#include <QVariant>

#include <cstdint>
#include <functional>
#include <variant>
#include <vector>

namespace msup {

enum class SettingType {
    Int, // whole number in [min, max]
    Real, // finite number in [min, max]
    Bool, // a switch: --flag and --no-flag
    Text, // free text checked by the row's check (suggestions in choices)
    Path, // a file or folder (empty = none)
    Choice, // one of choices (legacyChoices are also read, never offered)
    Seed, // unsigned 64-bit whole number (JSON: a number up to 2^53 or a string of digits)
};

enum class SettingGroup {
    Dataset, // follows the open dataset (the GUI's Dataset panel), not the training form
    Basic, // always visible in the GUI's training form
    Advanced, // under the form's collapsible "Advanced" section
};

// Typed access into TrainConfig: a pointer to the member the row reads and writes.
using SettingField = std::variant<int TrainConfig::*, double TrainConfig::*, bool TrainConfig::*,
    QString TrainConfig::*, std::uint64_t TrainConfig::*>;

struct TrainSetting {
    QString key; // JSON key of config files (a run's too) and project files; QSettings "training/<key>"
    QString flag; // command-line flag without "--" (Bool rows also take "--no-<flag>")
    QString valueName; // the flag's value in --help ("N"); empty for Bool
    // English label and help; translated in the GUI with QCoreApplication::translate(kTrContext, ...).
    const char* label = "";
    const char* help = "";
    QString helpArg; // replaces %1 in the help (a list known at run time: the dataset formats)
    SettingType type = SettingType::Text;
    SettingGroup group = SettingGroup::Advanced;
    bool resumable = false; // may change when a run is resumed (--resume with this flag)
    SettingField field;
    double min = 0, max = 0; // Int and Real
    QStringList choices; // Choice: the accepted values; Text: suggestions the GUI offers
    // How the GUI shows each of `choices` (English, translated like `label`); empty: the value itself.
    std::vector<const char*> choiceLabels;
    QStringList legacyChoices; // Choice: accepted when read (written by older versions)
    QString rangeNote; // appended to a range message: " (0 = all cores)"
    QString choiceNote; // appended to a choice message after ": "
    // Checks beyond type, range and choices (syntax of a hole ratio, a multiple of 16); throws Error.
    std::function<void(const TrainConfig&)> check;
    bool absolutePath = false; // Path: the CLI stores the flag's value as an absolute path

    static constexpr const char* kTrContext = "msup::TrainSetting";

    // "'threads' (--threads)": how messages name the setting.
    std::string name() const;
    QVariant value(const TrainConfig& c) const; // int, double, bool, QString or qulonglong
    void setValue(TrainConfig& c, const QVariant& v) const; // converts, does not validate
    QVariant defaultValue() const { return value(TrainConfig()); }
    QJsonValue toJson(const TrainConfig& c) const;
    // Reads the key's value if present (null or missing keeps c). Wrong types throw Error
    // "config key '<key>' must be ...".
    void readJson(const QJsonValue& v, TrainConfig& c) const;
    // Range, choices and check; throws Error naming the key and flag with the accepted values.
    void validate(const TrainConfig& c) const;
    QString labelText() const { return QString::fromUtf8(label); }
    QString helpText() const
    {
        return helpArg.isEmpty() ? QString::fromUtf8(help) : QString::fromUtf8(help).arg(helpArg);
    }
    // The values accepted in messages and help: "auto, bf16, fp16 or off".
    QString choicesText() const;
};

// Every training setting, in the order of 'masksup train --help' and of the GUI form.
const std::vector<TrainSetting>& trainSettings();
// The row of `key`, or null.
const TrainSetting* findTrainSetting(const QString& key);
// The JSON keys of every row, in table order.
QStringList trainSettingKeys();

} // namespace msup
