// masksup suggest: the images to annotate next, most uncertain first.
#include "command.h"
#include "common.h"

#include "cli_progress.h"

#include "core/io/csv.h"
#include "core/io/project_file.h"
#include "core/train/suggestions.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace msup::cli {

namespace {

    QJsonObject toJson(const SuggestResult& r, int shown)
    {
        QJsonArray ranked;
        for (int i = 0; i < shown; ++i) {
            const AnnotationSuggestion& s = r.ranked[i];
            ranked.append(QJsonObject { { QStringLiteral("rank"), i + 1 }, { QStringLiteral("id"), s.id },
                { QStringLiteral("image"), s.imagePath },
                { QStringLiteral("uncertainty"), s.meanUncertainty },
                { QStringLiteral("labelled"), s.labelled } });
        }
        return QJsonObject { { QStringLiteral("ranked"), ranked },
            { QStringLiteral("candidates"), r.candidates },
            { QStringLiteral("skipped"), skippedPairsToJson(r.skipped) },
            { QStringLiteral("seconds"), r.seconds } };
    }

    int run(CommandLine& c)
    {
        c.option(QStringLiteral("checkpoint"),
            QStringLiteral("Checkpoint (.pt), e.g. RUN_DIR/checkpoints/best.pt."), QStringLiteral("CKPT"));
        c.option(QStringLiteral("dataset"), QStringLiteral("Dataset folder (or NYUDv2 .mat file)."),
            QStringLiteral("DIR"));
        c.option(QStringLiteral("count"), QStringLiteral("How many images to list (0 = all)."),
            QStringLiteral("N"), QStringLiteral("20"));
        c.option(QStringLiteral("project"),
            QStringLiteral(
                "A MaskSup Studio project (.masksup) of this dataset: its images marked reviewed are "
                "left out."),
            QStringLiteral("FILE"));
        c.option(QStringLiteral("unlabelled-only"),
            QStringLiteral("Rank only images without a mask or correction."));
        c.deviceOption();
        addInferenceOptions(c);
        c.option(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
        c.option(QStringLiteral("csv"),
            QStringLiteral(
                "Also write the ranking to FILE (not over a dataset's file or a file masksup did not "
                "write)."),
            QStringLiteral("FILE"));
        if (!c.parse())
            return kExitOk;
        SuggestOptions o;
        o.checkpoint = c.required(QStringLiteral("checkpoint"));
        o.dataset = c.required(QStringLiteral("dataset"));
        o.device = c.value(QStringLiteral("device"));
        o.inference = inferenceOptions(c);
        o.unlabelledOnly = c.isSet(QStringLiteral("unlabelled-only"));
        const int count = c.integer(QStringLiteral("count"), 0, 1000000);
        if (c.isSet(QStringLiteral("project"))) {
            const Project project = loadProject(c.value(QStringLiteral("project")));
            for (auto it = project.images.cbegin(); it != project.images.cend(); ++it)
                if (it->reviewed)
                    o.exclude.insert(it.key());
        }
        TerminalProgress bar(QStringLiteral("images"));
        SuggestResult r;
        if (!runInterruptible(bar, QStringLiteral("suggest: interrupted, nothing written"),
                [&] { r = suggestImagesToAnnotate(o, bar); }))
            return kExitInterrupted;
        bar.clear();
        for (const SkippedPair& p : r.skipped)
            err(QStringLiteral("skipped %1: %2").arg(p.file, p.reason));
        const int shown = count == 0 ? int(r.ranked.size()) : std::min(count, int(r.ranked.size()));
        if (c.isSet(QStringLiteral("csv"))) {
            QString csv = QStringLiteral("rank,id,image,uncertainty,labelled\n");
            for (int i = 0; i < shown; ++i) {
                const AnnotationSuggestion& s = r.ranked[i];
                csv += QStringLiteral("%1,%2,%3,%4,%5\n")
                           .arg(i + 1)
                           .arg(csvField(s.id), csvField(s.imagePath))
                           .arg(s.meanUncertainty, 0, 'f', 6)
                           .arg(s.labelled ? 1 : 0);
            }
            writeResultFile(c.value(QStringLiteral("csv")), QStringLiteral("suggest"), csv.toUtf8());
        }
        if (c.isSet(QStringLiteral("json"))) {
            out() << QJsonDocument(toJson(r, shown)).toJson(QJsonDocument::Indented);
            return kExitOk;
        }
        out() << QStringLiteral("%1 of %2 image(s) ranked by mean uncertainty (%3), most uncertain first:\n")
                     .arg(shown)
                     .arg(r.candidates)
                     .arg(o.inference.flipTta ? QStringLiteral("disagreement of the flipped passes")
                                              : QStringLiteral("normalised entropy"));
        for (int i = 0; i < shown; ++i) {
            const AnnotationSuggestion& s = r.ranked[i];
            out() << QStringLiteral("%1  %2  %3%4\n")
                         .arg(i + 1, 4)
                         .arg(s.meanUncertainty, 0, 'f', 4)
                         .arg(s.id)
                         .arg(s.labelled ? QString() : QStringLiteral("  (unlabelled)"));
        }
        return kExitOk;
    }

} // namespace

extern const Command suggestCommand { "suggest",
    "Rank a dataset's images by a checkpoint's uncertainty: the ones to annotate next.",
    "masksup suggest --checkpoint CKPT --dataset DIR [--count N] [--project FILE] [--unlabelled-only]\n"
    "                [--inference resize|tiles] [--tta none|flip] [--json] [--csv FILE]",
    "Predict every image of the dataset (leaving out those a project marks reviewed, with --project) "
    "and list them by mean per-pixel uncertainty, most uncertain first: the normalised entropy of the "
    "probabilities (0 = certain, 1 = uniform), or with --tta flip the disagreement between the four "
    "flipped passes (mutual information). Nothing is written except the --csv file.",
    &run };

} // namespace msup::cli
