// masksup report: a run's report as one HTML file or an A4 PDF.
#include "command.h"
#include "common.h"

#include "cli_progress.h"

#include "core/train/output_guard.h"
#include "core/train/run_folder.h"
#include "core/train/run_report.h"

#include <QDir>
#include <QFileInfo>

namespace msup::cli {

namespace {

    int run(CommandLine& c)
    {
        c.positional(QStringLiteral("RUN_DIR"), QStringLiteral("The run folder (masksup train --out)."));
        c.option(QStringLiteral("out"), QStringLiteral("The report file: ending in .html or .pdf."),
            QStringLiteral("FILE"));
        c.option(QStringLiteral("examples"),
            QStringLiteral("Validation images shown with their predictions (0 = none, no dataset needed)."),
            QStringLiteral("N"), QStringLiteral("4"));
        c.option(QStringLiteral("dataset"),
            QStringLiteral("The dataset folder, when it is no longer where the run's %1 says.")
                .arg(RunFolder::fileName(RunFile::Config)),
            QStringLiteral("DIR"));
        c.deviceOption(QStringLiteral("for the examples"));
        if (!c.parse())
            return kExitOk;
        const QStringList positionals = c.positionals();
        if (positionals.size() != 1)
            throw UsageError { QStringLiteral(
                "report: give exactly one RUN_DIR (see 'masksup report --help')") };
        const QString outPath = c.required(QStringLiteral("out"));
        const QString suffix = QFileInfo(outPath).suffix().toLower();
        if (suffix != QLatin1String("html") && suffix != QLatin1String("htm")
            && suffix != QLatin1String("pdf"))
            throw UsageError {
                QStringLiteral("report: --out must end in .html or .pdf, got '%1'").arg(outPath)
            };
        ReportOptions o;
        o.examples = c.integer(QStringLiteral("examples"), 0, 100);
        o.datasetRoot = c.value(QStringLiteral("dataset"));
        o.device = c.value(QStringLiteral("device"));
        TerminalProgress bar; // the bar names each step; Ctrl+C cancels
        // Never over a dataset's file or a file masksup did not write (see output_guard.h); checked
        // before the report is drawn.
        const QFileInfo target(outPath);
        OutputFolder guard(target.absolutePath(), QStringLiteral("report"), QStringLiteral("reports"));
        const bool replacing = guard.claim({ target.absoluteFilePath() }) > 0;
        guard.commit();
        const ReportResult r = writeRunReport(positionals.first(), outPath, o, bar);
        if (replacing && !r.cancelled)
            out() << QStringLiteral("replaced the report masksup had written there before\n");
        bar.clear();
        if (r.cancelled) {
            err(QStringLiteral("report: interrupted, nothing written"));
            return kExitInterrupted;
        }
        out() << QStringLiteral("wrote %1 (%2 KB): %3 chart(s), %4 example(s)\n")
                     .arg(QDir::toNativeSeparators(r.outputPath))
                     .arg((r.bytes + 1023) / 1024)
                     .arg(r.charts)
                     .arg(r.examples);
        for (const QString& note : r.notes)
            out() << QStringLiteral("  note: ") << note << QLatin1Char('\n');
        return kExitOk;
    }

} // namespace

extern const Command reportCommand { "report",
    "Write a run's report: charts, final and best metrics, per-class IoU, confusion\n"
    "matrix, example overlays and, for binary runs, the GlaS object metrics (one\n"
    "self-contained HTML file, or an A4 PDF).",
    "masksup report RUN_DIR --out report.html|report.pdf [--examples N] [--dataset DIR]",
    "Write a report of a training run: title facts, charts (loss terms, validation metrics, "
    "per-class IoU and learning rate per epoch), the final and best epochs' metrics, the "
    "per-class IoU, the confusion matrix and example validation images predicted with "
    "RUN_DIR/checkpoints/best.pt (image | ground truth | prediction | error mode); for a binary "
    "dataset also the object F1 (TP, FP, FN), object Dice, object Hausdorff, per-image Dice and HD95 of "
    "best.pt on the validation split, as 'masksup evaluate' computes them (stored in RUN_DIR and "
    "reused while best.pt is unchanged). .html gives one self-contained file, .pdf an A4 document.",
    &run,
    /*needsGui=*/true };

} // namespace msup::cli
