// masksup corrections: the images whose masks were edited by hand.
#include "command.h"
#include "common.h"

#include "core/annot/mask_store.h"
#include "core/data/dataset.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace msup::cli {

namespace {

    int run(CommandLine& c)
    {
        c.positional(QStringLiteral("list"), QStringLiteral("The action (only 'list')."));
        c.positional(QStringLiteral("DATASET"), QStringLiteral("The dataset folder."));
        c.option(QStringLiteral("corrections"),
            QStringLiteral("The corrections folder (default: <dataset folder>.corrections)."),
            QStringLiteral("DIR"));
        c.option(QStringLiteral("format"),
            QStringLiteral("Skip detection: a dataset format name (see inspect)."), QStringLiteral("name"));
        c.option(QStringLiteral("json"),
            QStringLiteral("Print JSON: every edited image with what makes it edited."));
        if (!c.parse())
            return kExitOk;
        const QStringList p = c.positionals();
        if (p.size() != 2 || p.first() != QLatin1String("list"))
            throw UsageError { QStringLiteral(
                "corrections: use 'masksup corrections list DATASET [--corrections DIR]'") };
        const Dataset ds = openDataset(p.at(1), c.value(QStringLiteral("format")));
        const MaskStore store(ds, c.value(QStringLiteral("corrections")));
        if (!c.isSet(QStringLiteral("json"))) {
            for (const QString& id : store.editedIds())
                out() << id << QLatin1Char('\n');
            return kExitOk;
        }
        QJsonArray images;
        for (const Sample& s : ds.samples) {
            if (!store.isEdited(s))
                continue;
            QJsonObject o { { QStringLiteral("id"), s.id }, { QStringLiteral("mask"), s.maskPath } };
            if (store.hasCorrection(s))
                o.insert(QStringLiteral("correction"), store.correction(s).file);
            o.insert(QStringLiteral("unsaved_strokes"), store.hasJournal(s));
            o.insert(QStringLiteral("saved_in_dataset"), store.hasDatasetBackup(s));
            images.append(o);
        }
        const QJsonObject root { { QStringLiteral("dataset"), ds.root },
            { QStringLiteral("corrections"), store.correctionsDir() },
            { QStringLiteral("edited"), images.size() }, { QStringLiteral("images"), images } };
        out() << QJsonDocument(root).toJson(QJsonDocument::Indented);
        return kExitOk;
    }

} // namespace

extern const Command correctionsCommand { "corrections",
    "List the images whose masks were edited by hand (corrections folder, unsaved\n"
    "strokes, or masks saved into the dataset with a .orig backup).",
    "masksup corrections list DATASET [--corrections DIR] [--format F] [--json]",
    "'list DATASET': print the ids of the images whose masks were edited by hand, one per "
    "line: a correction saved in the corrections folder, strokes not saved yet (crash "
    "journal), or a mask saved into the dataset itself (its original kept as .orig).",
    &run };

} // namespace msup::cli
