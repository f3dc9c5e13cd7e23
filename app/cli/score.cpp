// masksup score: another tool's (or masksup's) predicted label images against a dataset's ground truth.
#include "command.h"
#include "common.h"

#include "cli_progress.h"

#include "core/train/scoring.h"

#include <QJsonDocument>

#include <cmath>

namespace msup::cli {

namespace {

    void printText(const ScoreResult& r)
    {
        out() << QStringLiteral(
            "%1 images (%2 split)\nmIoU            %3\nDice (mean)     %4\npixel accuracy  %5\n")
                     .arg(r.scores.images.size())
                     .arg(r.split)
                     .arg(fixedOrNa(r.confusion.meanIoU()), fixedOrNa(r.confusion.meanDice()),
                         fixedOrNa(r.confusion.pixelAccuracy()));
        const auto iou = r.confusion.iou();
        for (int i = 0; i < iou.size(); ++i)
            out() << QStringLiteral("  IoU %1 %2\n")
                         .arg(r.classNames.value(i), -16)
                         .arg(std::isnan(iou[i]) ? QStringLiteral("n/a (absent)") : fixedOrNa(iou[i]));
        if (r.binary)
            printBinaryScores(r.scores);
    }

    int run(CommandLine& c)
    {
        c.option(QStringLiteral("pred"),
            QStringLiteral("Folder of predicted label images, named <id>.png or <id>_mask.png (also _pred, "
                           "_anno; .bmp, .tif)."),
            QStringLiteral("DIR"));
        c.option(QStringLiteral("dataset"), QStringLiteral("The dataset with the ground truth."),
            QStringLiteral("DIR"));
        c.option(QStringLiteral("split"),
            QStringLiteral("all, or an official split of the format (GLaS testA, testB)."),
            QStringLiteral("S"), QStringLiteral("all"));
        c.option(QStringLiteral("objects"),
            QStringLiteral(
                "How objects are found: auto (instance ids where the image holds them, else 8-connected "
                "components), ids or components."),
            QStringLiteral("MODE"), QStringLiteral("auto"));
        c.option(
            QStringLiteral("json"), QStringLiteral("Print one JSON object (per-image values included)."));
        c.option(QStringLiteral("csv"),
            QStringLiteral("Also write the per-image scores to FILE (not over a dataset's file or a file "
                           "masksup did not write)."),
            QStringLiteral("FILE"));
        if (!c.parse())
            return kExitOk;
        ScoreOptions o;
        o.predictions = c.required(QStringLiteral("pred"));
        o.dataset = c.required(QStringLiteral("dataset"));
        o.split = c.value(QStringLiteral("split"));
        if (!parseObjectSource(c.value(QStringLiteral("objects")), &o.objects))
            throw UsageError { QStringLiteral("score: --objects must be auto, ids or components, got '%1'")
                                   .arg(c.value(QStringLiteral("objects"))) };
        TerminalProgress bar(QStringLiteral("images"));
        ScoreResult r;
        if (!runInterruptible(bar, QStringLiteral("score: interrupted, nothing written"),
                [&] { r = scorePredictions(o, bar); }))
            return kExitInterrupted;
        bar.clear();
        if (c.isSet(QStringLiteral("csv")))
            writeResultFile(c.value(QStringLiteral("csv")), QStringLiteral("score"), r.toCsv().toUtf8());
        if (c.isSet(QStringLiteral("json")))
            out() << QJsonDocument(r.toJson()).toJson(QJsonDocument::Indented);
        else
            printText(r);
        return kExitOk;
    }

} // namespace

extern const Command scoreCommand { "score",
    "Score predicted label images from any tool against a dataset: pixel metrics, and for\n"
    "binary datasets per-image Dice, HD95 and the GlaS object F1, Dice and Hausdorff.",
    "masksup score --pred DIR --dataset DIR [--split S] [--objects auto|ids|components]\n"
    "              [--json] [--csv FILE]",
    "Score the label images in --pred (PNG label maps: binary 0/255 or 0/1, class indices, or instance "
    "ids) against the dataset's ground truth, matched by sample id. Reports mIoU, per-class IoU, Dice "
    "and pixel accuracy over all pixels; for binary datasets also per-image Dice (mean, median, min, "
    "max), HD95 in pixels (95th percentile of boundary distances, both directions) and the GlaS "
    "challenge's object metrics (Sirinukunwattana et al. 2017): objects are instance ids where the "
    "image holds them (GLaS annotations, predictions with more than two values), else 8-connected "
    "components. Object F1: a segmented object is a true positive when it covers at least half of the "
    "ground-truth object it overlaps most; TP, FP, FN pooled over the split. Object Dice and object "
    "Hausdorff: per image, the area-weighted sum over both sides of each object's Dice / Hausdorff "
    "distance to its most-overlapping partner (Dice 0 without one; for Hausdorff the closest object, "
    "or the image diagonal when the other side has none), halved; the split's value is the mean over "
    "images. A missing prediction or one of the wrong size is an error naming the file (exit 1).",
    &run };

} // namespace msup::cli
