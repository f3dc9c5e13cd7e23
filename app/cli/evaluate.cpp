// masksup evaluate: mIoU, per-class IoU, Dice and pixel accuracy of a checkpoint; for binary
// datasets also per-image Dice, HD95 and the GlaS object metrics, as masksup score reports them.
#include "command.h"
#include "common.h"

#include "cli_progress.h"

#include "core/train/evaluator.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace msup::cli {

namespace {

    int run(CommandLine& c)
    {
        addCheckpointOptions(c);
        c.deviceOption();
        c.option(QStringLiteral("json"), QStringLiteral("Print a JSON report."));
        addInferenceOptions(c);
        if (!c.parse())
            return kExitOk;
        const InferenceOptions inference = inferenceOptions(c);
        const QString ckpt = c.required(QStringLiteral("checkpoint"));
        const QString dataset = c.required(QStringLiteral("dataset"));
        const QString split = c.value(QStringLiteral("split"));
        TerminalProgress bar(QStringLiteral("images"));
        EvaluationResult r;
        if (!runInterruptible(bar, QStringLiteral("evaluate: interrupted"), [&] {
                r = evaluateCheckpoint(
                    ckpt, dataset, split, c.value(QStringLiteral("device")), bar, inference);
            }))
            return kExitInterrupted;
        bar.clear();
        for (const SkippedPair& p : r.skipped)
            err(QStringLiteral("skipped %1: %2").arg(p.file, p.reason));
        const auto iou = r.confusion.iou();
        if (c.isSet(QStringLiteral("json"))) {
            QJsonObject o = r.confusion.toJson();
            o.insert(QStringLiteral("skipped"), skippedPairsToJson(r.skipped));
            if (r.classNames.size() == 2)
                o.insert(QStringLiteral("ref_binary_iou"), r.perImage.mean());
            o.insert(QStringLiteral("split"), split);
            o.insert(QStringLiteral("images"), r.images);
            o.insert(QStringLiteral("inference"), inference.toJson());
            o.insert(QStringLiteral("classes"), QJsonArray::fromStringList(r.classNames));
            o.insert(QStringLiteral("checkpoint"), QFileInfo(ckpt).absoluteFilePath());
            if (r.binary)
                r.objects.addToJson(o);
            out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
            return kExitOk;
        }
        out()
            << QStringLiteral(
                   "%1 images (%2 split)%8\ninference       %9\nmIoU            %3\nDice (mean)     %4\n"
                   "pixel accuracy  %5\n"
                   "reference code's figures: micro Jaccard %6%7\n")
                   .arg(r.images)
                   .arg(split)
                   .arg(r.confusion.meanIoU(), 0, 'f', 4)
                   .arg(r.confusion.meanDice(), 0, 'f', 4)
                   .arg(r.confusion.pixelAccuracy(), 0, 'f', 4)
                   .arg(r.confusion.referenceMicroJaccard(), 0, 'f', 4)
                   .arg(r.classNames.size() == 2
                           ? QStringLiteral(", per-image foreground IoU %1").arg(r.perImage.mean(), 0, 'f', 4)
                           : QString())
                   .arg(r.skipped.isEmpty() ? QString()
                                            : QStringLiteral(", %1 pair(s) skipped").arg(r.skipped.size()))
                   .arg(inference.describe());
        for (int i = 0; i < iou.size(); ++i)
            out() << QStringLiteral("  IoU %1 %2\n")
                         .arg(r.classNames.value(i), -16)
                         .arg(std::isnan(iou[i]) ? QStringLiteral("n/a (absent)")
                                                 : QString::number(iou[i], 'f', 4));
        if (r.binary)
            printBinaryScores(r.objects);
        return kExitOk;
    }

} // namespace

extern const Command evaluateCommand { "evaluate",
    "Evaluate a checkpoint: mIoU, per-class IoU, Dice, pixel accuracy (binary datasets: also\n"
    "per-image Dice, HD95 and the GlaS object F1, Dice and Hausdorff).",
    "masksup evaluate --checkpoint CKPT --dataset DIR [--split val|train|all] [--json]\n"
    "  [--inference resize|tiles [--scale 1] [--overlap 0.5]] [--tta none|flip]",
    "Evaluate a checkpoint on a dataset split (metrics from one confusion matrix "
    "accumulated over all pixels, at each label's original size). Images are resized to the "
    "training size by default; --inference tiles predicts them at their own resolution in "
    "overlapping tiles, --tta flip averages four flipped passes. For a binary dataset (2 classes) it "
    "also reports, as 'masksup score' does, per-image Dice (mean, median, min, max), HD95 in pixels and "
    "the GlaS challenge's object F1 (TP, FP, FN pooled over the split), object Dice and object Hausdorff "
    "(means over images): ground-truth objects are the labels' instance ids where the dataset holds them "
    "(GLaS annotations), else 8-connected components; predicted objects are the 8-connected components "
    "of the predicted foreground. JSON keys: object_f1, object_dice, object_hausdorff, tp, fp, fn, "
    "dice_per_image, hd95_mean, per_image. Multi-class datasets have no object metrics.",
    &run };

} // namespace msup::cli
