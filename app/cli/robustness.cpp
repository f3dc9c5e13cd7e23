// masksup robustness: mIoU of a checkpoint at increasing hole ratios.
#include "command.h"
#include "common.h"

#include "cli_progress.h"

#include "core/base/error.h"
#include "core/train/robustness.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace msup::cli {

namespace {

    int run(CommandLine& c)
    {
        addCheckpointOptions(c);
        c.option(QStringLiteral("ratios"),
            QStringLiteral(
                "Increasing hole ratios from 0 to 1: 0 is the unmasked level, each later value r closes "
                "the interval (previous, r]."),
            QStringLiteral("LIST"), QStringLiteral("0,0.1,0.2,0.3,0.4,0.5,0.6"));
        c.seedOption(QStringLiteral("Mask seed."));
        c.option(QStringLiteral("mask-folder"),
            QStringLiteral(
                "Draw each level's masks from this folder (white = hole) instead of generating them."),
            QStringLiteral("DIR"));
        c.deviceOption();
        c.option(QStringLiteral("json"), QStringLiteral("Print a JSON report."));
        c.option(QStringLiteral("csv"), QStringLiteral("Also write the figures as CSV to FILE."),
            QStringLiteral("FILE"));
        if (!c.parse())
            return kExitOk;
        const QString ckpt = c.required(QStringLiteral("checkpoint"));
        const QString dataset = c.required(QStringLiteral("dataset"));
        QVector<std::pair<double, double>> levels;
        try {
            levels = parseRobustnessRatios(c.value(QStringLiteral("ratios")));
        } catch (const Error& e) {
            throw UsageError { QStringLiteral("robustness: --ratios: ") + QString::fromStdString(e.what()) };
        }
        const std::uint64_t seed = c.seed();
        TerminalProgress bar(QStringLiteral("predictions"));
        RobustnessResult r;
        if (!runInterruptible(bar, QStringLiteral("robustness: interrupted, nothing written"), [&] {
                r = robustnessOfCheckpoint(ckpt, dataset, c.value(QStringLiteral("split")), levels, seed,
                    c.value(QStringLiteral("device")), c.value(QStringLiteral("mask-folder")), bar);
            }))
            return kExitInterrupted;
        bar.clear();
        for (const SkippedPair& p : r.skipped)
            err(QStringLiteral("skipped %1: %2").arg(p.file, p.reason));
        if (c.isSet(QStringLiteral("csv")))
            writeResultFile(c.value(QStringLiteral("csv")), QStringLiteral("robustness"), r.toCsv().toUtf8());
        if (c.isSet(QStringLiteral("json"))) {
            QJsonObject o = r.toJson();
            o.insert(QStringLiteral("checkpoint"), QFileInfo(ckpt).absoluteFilePath());
            out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
            return kExitOk;
        }
        out() << QStringLiteral("%1 images (%2 split), mask seed %3\n").arg(r.images).arg(r.split).arg(seed);
        out() << QStringLiteral("hole ratio      mean hole   mIoU\n");
        for (const RobustnessLevel& l : r.levels)
            out() << QStringLiteral("%1  %2  %3\n")
                         .arg(l.hi <= 0 ? QStringLiteral("none (clean)")
                                        : QStringLiteral("(%1, %2]").arg(l.lo).arg(l.hi),
                             -12)
                         .arg(l.meanHoleRatio, 10, 'f', 3)
                         .arg(l.confusion.meanIoU(), 6, 'f', 4);
        return kExitOk;
    }

} // namespace

extern const Command robustnessCommand { "robustness",
    "mIoU of a checkpoint on images masked at increasing hole ratios.",
    "masksup robustness --checkpoint CKPT --dataset DIR [--split val]\n"
    "                   [--ratios 0,0.1,0.2,0.3,0.4,0.5,0.6] [--seed S] [--json] [--csv FILE]",
    "Evaluate a checkpoint on images whose pixels are hidden by masks of increasing hole ratio "
    "(the paper's Fig. 6 analysis): one mIoU per ratio interval. Masks are seeded, so two "
    "checkpoints (e.g. baseline and MaskSup) are compared on identical masks.",
    &run };

} // namespace msup::cli
