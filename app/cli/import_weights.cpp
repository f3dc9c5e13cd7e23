// masksup import-weights: PyTorch weights of the reference UNet/NestedUNet/LeViT-UNet into a checkpoint.
#include "command.h"
#include "common.h"

#include "core/train/weight_import.h"

#include <QFileInfo>
#include <QLocale>

namespace msup::cli {

namespace {

    void printKeyList(const QString& title, const QStringList& items)
    {
        out() << QStringLiteral("  %1: %2\n")
                     .arg(title)
                     .arg(items.isEmpty() ? QStringLiteral("none") : QString::number(items.size()));
        for (const QString& item : items)
            out() << QStringLiteral("    %1\n").arg(item);
    }

    int run(CommandLine& c)
    {
        c.option(QStringLiteral("model"),
            QStringLiteral(
                "unet (UNet), unetpp (NestedUNet), levit128s, levit192 or levit384 (LeViT_UNet_*)."),
            QStringLiteral("name"));
        c.option(QStringLiteral("classes"),
            QStringLiteral(
                "Output channels of the network's head: 1 for a binary task (sigmoid), K for K classes."),
            QStringLiteral("N"));
        c.option(QStringLiteral("width"),
            QStringLiteral("unet, unetpp: base width w (channels w·[1,2,4,8,16]); the reference uses 32."),
            QStringLiteral("W"), QStringLiteral("32"));
        c.option(QStringLiteral("image-size"),
            QStringLiteral(
                "Input size stored with the checkpoint (a multiple of 16); for LeViT-UNet the size "
                "it was built for (img_size)."),
            QStringLiteral("S"), QStringLiteral("224"));
        c.option(QStringLiteral("no-relu-logits"),
            QStringLiteral("unetpp: leave out the ReLU the reference NestedUNet applies to its logits."));
        c.option(QStringLiteral("allow-partial"),
            QStringLiteral(
                "Write the checkpoint even when tensors are missing or have other shapes (they keep their "
                "initial values)."));
        c.option(QStringLiteral("from"), QStringLiteral("The PyTorch weights (.pth) to read."),
            QStringLiteral("MODEL.pth"));
        c.option(
            QStringLiteral("out"), QStringLiteral("The checkpoint to write."), QStringLiteral("CKPT.pt"));
        if (!c.parse())
            return kExitOk;
        WeightImportOptions o;
        o.model = c.required(QStringLiteral("model"));
        if (!importableModels().contains(o.model))
            throw UsageError { QStringLiteral("import-weights: --model must be %1, got '%2'")
                                   .arg(importableModels().join(QStringLiteral(", ")), o.model) };
        c.required(QStringLiteral("classes"));
        o.classes = c.integer(QStringLiteral("classes"), 1, 1000);
        o.width = c.integer(QStringLiteral("width"), 1, 256);
        o.imageSize = c.integer(QStringLiteral("image-size"), 16, 4096);
        if (o.imageSize % 16 != 0)
            throw UsageError { QStringLiteral("import-weights: --image-size must be a multiple of 16, got %1")
                                   .arg(o.imageSize) };
        o.reluLogits = !c.isSet(QStringLiteral("no-relu-logits"));
        o.allowPartial = c.isSet(QStringLiteral("allow-partial"));
        o.inputPath = c.required(QStringLiteral("from"));
        o.outputPath = c.required(QStringLiteral("out"));

        const WeightImportReport r = importPyTorchWeights(o);
        const QLocale loc = QLocale::c();
        out() << QStringLiteral("Imported %1\n     into %2\n")
                     .arg(QFileInfo(o.inputPath).absoluteFilePath(),
                         QFileInfo(r.outputPath).absoluteFilePath());
        out() << QStringLiteral("  model: %1, %2, 3 -> %3 channels%4\n")
                     .arg(r.model)
                     .arg(r.model.startsWith(QLatin1String("levit"))
                             ? QStringLiteral("%1x%1 inputs").arg(o.imageSize)
                             : QStringLiteral("width %1").arg(r.width))
                     .arg(r.outputChannels)
                     .arg(r.reluLogits ? QStringLiteral(", ReLU on the logits (as the reference NestedUNet)")
                                       : QString());
        out() << QStringLiteral("  state_dict: %1 tensors%2%3%4\n")
                     .arg(r.fileTensors)
                     .arg(r.container.isEmpty() ? QString()
                                                : QStringLiteral(", under \"%1\"").arg(r.container))
                     .arg(r.strippedPrefixes ? QStringLiteral(", \"module.\" prefix removed from %1 keys")
                                                   .arg(r.strippedPrefixes)
                                             : QString())
                     .arg(r.aliasKeys ? QStringLiteral(", %1 blocks.* keys read as the block_K.* they repeat")
                                            .arg(r.aliasKeys)
                                      : QString());
        out() << QStringLiteral("  loaded tensors: %1 of the model's %2 (%3 values)\n")
                     .arg(r.loadedTensors)
                     .arg(r.modelTensors)
                     .arg(loc.toString(r.loadedValues));
        out() << QStringLiteral("  parameters: %1\n").arg(loc.toString(r.parameters));
        printKeyList(QStringLiteral("missing (initial values kept)"), r.missingKeys);
        printKeyList(QStringLiteral("shape mismatches (initial values kept)"), r.shapeMismatches);
        printKeyList(QStringLiteral("unexpected (ignored)"), r.unexpectedKeys);
        for (const QString& w : r.warnings)
            out() << QStringLiteral("  warning: %1\n").arg(w);
        if (!r.complete())
            out() << QStringLiteral(
                "  The checkpoint is partial (--allow-partial): check its predictions.\n");
        return kExitOk;
    }

} // namespace

extern const Command importWeightsCommand { "import-weights",
    "Convert PyTorch weights (torch.save(model.state_dict()) of the reference UNet,\n"
    "NestedUNet or LeViT-UNet) into a checkpoint that evaluate, predict and robustness take.",
    "masksup import-weights --model unet|unetpp|levit128s|levit192|levit384 --classes N\n"
    "                       [--width W] [--image-size S]\n"
    "                       [--no-relu-logits] [--allow-partial] --from MODEL.pth --out CKPT.pt",
    "Convert weights trained with the reference PyTorch code (pytorch-nested-unet's UNet or "
    "NestedUNet, LeViT-UNet's LeViT_UNet_128s, _192 or _384, saved with "
    "torch.save(model.state_dict(), path)) into a MaskSup Studio checkpoint for predict, evaluate "
    "and robustness; 'masksup export-weights' goes the other way. LeViT-UNet weights are for one "
    "input size (--image-size, 224 in the reference); LeViT_UNet_192's repeated blocks.* keys are "
    "read as the block_K.* they repeat. A state_dict wrapped in a dict under "
    "\"state_dict\" or \"model\" and nn.DataParallel's \"module.\" prefix are handled; every "
    "shape is checked. The file is treated as untrusted: compressed or damaged records "
    "(CRC-32), tensors reaching outside their storage and pickles nested deeper than 1000 "
    "levels are refused, and pickled code is never run.",
    &run };

} // namespace msup::cli
