// masksup predict: overlays and label masks for images, folders or datasets.
#include "command.h"
#include "common.h"

#include "cli_progress.h"

#include "core/base/error.h"
#include "core/train/batch_export.h"

#include <QDir>
#include <QFileInfo>

namespace msup::cli {

namespace {

    int run(CommandLine& c)
    {
        c.option(QStringLiteral("checkpoint"), QStringLiteral("Checkpoint (.pt) written by masksup train."),
            QStringLiteral("CKPT"));
        c.option(QStringLiteral("input"),
            QStringLiteral("An image file, a folder of images, or a dataset folder (its images only)."),
            QStringLiteral("FILE|DIR"));
        c.option(QStringLiteral("out"),
            QStringLiteral("Output folder, outside any dataset (e.g. <dataset>-predictions beside it)."),
            QStringLiteral("DIR"));
        c.option(QStringLiteral("opacity"), QStringLiteral("Overlay opacity from 0 to 1."),
            QStringLiteral("A"), QStringLiteral("0.5"));
        c.deviceOption();
        c.option(QStringLiteral("save-probabilities"),
            QStringLiteral(
                "Also write <name>_prob.npy: NumPy float32 C×H×W after sigmoid (one channel) or softmax: "
                "S×S, the model's input size, with --inference resize; the scaled image's size with tiles."));
        c.option(QStringLiteral("save-uncertainty"),
            QStringLiteral(
                "Also write <name>_uncertainty.npy (float32 H×W in [0, 1] at the image's size: the "
                "normalised entropy, or with --tta flip the disagreement between the passes) and "
                "<name>_uncertainty.png (the same as a heat map, 0 black to 1 pale yellow)."));
        addInferenceOptions(c);
        c.option(QStringLiteral("image-size"),
            QStringLiteral(
                "Model input size, overriding the checkpoint's (a multiple of 16; 0 = the checkpoint's)."),
            QStringLiteral("S"), QStringLiteral("0"));
        if (!c.parse())
            return kExitOk;
        const QString ckpt = c.required(QStringLiteral("checkpoint"));
        const QString input = c.required(QStringLiteral("input"));
        const int imageSize = c.integer(QStringLiteral("image-size"), 0, 4096);
        if (imageSize != 0 && (imageSize < 16 || imageSize % 16 != 0))
            throw UsageError {
                QStringLiteral("predict: --image-size must be a multiple of 16 (or 0), got %1").arg(imageSize)
            };
        const bool saveProbabilities = c.isSet(QStringLiteral("save-probabilities"));
        const InferenceOptions inference = inferenceOptions(c);
        const QString outDir = c.required(QStringLiteral("out"));
        const double opacity = c.real(QStringLiteral("opacity"), 0.0, 1.0);
        if (!QFileInfo::exists(input))
            throw Error("input not found", input.toStdString(), "Give an image file or a folder of images.");
        ExportOptions o;
        o.checkpoint = ckpt;
        o.inputs = QStringList { input };
        o.outDir = outDir;
        o.probabilities = saveProbabilities;
        o.opacity = opacity;
        o.device = c.value(QStringLiteral("device"));
        o.imageSize = imageSize;
        o.inference = inference;
        o.uncertainty = c.isSet(QStringLiteral("save-uncertainty"));
        TerminalProgress bar(QStringLiteral("images"));
        const ExportSummary s = exportPredictions(o, bar);
        bar.clear();
        if (s.cancelled) {
            err(QStringLiteral("predict: interrupted after %1 of %2 image(s) (in %3)")
                    .arg(s.imagesExported)
                    .arg(s.imagesTotal)
                    .arg(QDir::toNativeSeparators(s.outDir)));
            return kExitInterrupted;
        }
        out() << QStringLiteral("wrote %1 overlay(s) and label mask(s) to %2\n")
                     .arg(s.imagesExported)
                     .arg(QDir::toNativeSeparators(s.outDir));
        if (s.overwritten > 0)
            out() << QStringLiteral("replaced %1 file(s) that masksup had written there before\n")
                         .arg(s.overwritten);
        for (const ExportSkip& f : s.skipped)
            err(QStringLiteral("skipped %1: %2")
                    .arg(f.file, f.reason)); // one bad file does not stop a folder
        return s.skipped.isEmpty() ? kExitOk : kExitError;
    }

} // namespace

extern const Command predictCommand { "predict",
    "Write coloured overlays and label masks for an image, a folder or a dataset's images.",
    "masksup predict --checkpoint CKPT --input FILE|DIR --out DIR [--opacity 0.5]\n"
    "  [--inference resize|tiles [--scale 1] [--overlap 0.5]] [--tta none|flip] [--save-uncertainty]\n"
    "(never into a dataset; replaces only files masksup wrote: DIR/.masksup-outputs.json)",
    "Predict label maps; write <name>_overlay.png (coloured, original size) and "
    "<name>_mask.png (palette PNG, index = class). A dataset folder as --input (Kvasir-SEG, "
    "GLaS, scene labels, ...) is predicted image by image, its masks left out. Outputs never "
    "replace inputs: --out may not be a dataset's folder or lie inside one, and an existing "
    "file there is replaced only when masksup wrote it (listed in DIR/.masksup-outputs.json); "
    "otherwise nothing is written and the files are named (exit 1). By default each image is "
    "resized to the training size; --inference tiles segments it at its own resolution (times "
    "--scale) in overlapping tiles of the training size blended with a smooth weight, and --tta "
    "flip averages four flipped passes.",
    &run };

} // namespace msup::cli
