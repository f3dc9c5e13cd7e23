// masksup presets: the training presets, or one as an editable JSON config.
#include "command.h"
#include "common.h"

#include "core/base/error.h"
#include "core/train/train_config.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace msup::cli {

namespace {

    int run(CommandLine& c)
    {
        c.positional(QStringLiteral("NAME"), QStringLiteral("A preset to print."));
        if (!c.parse())
            return kExitOk;
        const QStringList names = c.positionals();
        if (names.isEmpty()) {
            for (const QString& n : trainPresetNames())
                out() << QStringLiteral("%1  %2\n").arg(n, -16).arg(trainPresetDescription(n));
            return kExitOk;
        }
        QJsonObject preset;
        try {
            preset = trainPreset(names.first());
        } catch (const Error& e) {
            throw UsageError { QStringLiteral("presets: ") + QString::fromStdString(e.what()) };
        }
        // Every key, with the preset's values over the defaults, so that the file documents itself.
        QJsonObject full = TrainConfig::fromJson(preset).toJson();
        full.remove(QStringLiteral("dataset"));
        full.remove(QStringLiteral("out"));
        out() << QJsonDocument(full).toJson(QJsonDocument::Indented);
        return kExitOk;
    }

} // namespace

extern const Command presetsCommand { "presets",
    "List the training presets, or print one as an editable JSON config.", "masksup presets [NAME]",
    "Without NAME: list the training presets. With NAME: print the preset as a JSON config "
    "file to edit and pass to 'masksup train --config FILE'.",
    &run };

} // namespace msup::cli
