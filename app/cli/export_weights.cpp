// masksup export-weights: a checkpoint back to PyTorch, as a torch.save state_dict.
#include "command.h"
#include "common.h"

#include "core/train/weight_export.h"

#include <QDir>
#include <QLocale>

namespace msup::cli {

namespace {

    int run(CommandLine& c)
    {
        c.option(QStringLiteral("checkpoint"),
            QStringLiteral("Checkpoint (.pt) written by masksup train or import-weights."),
            QStringLiteral("CKPT"));
        c.option(QStringLiteral("out"),
            QStringLiteral("The PyTorch weights file to write (.pth); an existing file is replaced only when "
                           "masksup wrote it."),
            QStringLiteral("MODEL.pth"));
        if (!c.parse())
            return kExitOk;
        WeightExportOptions o;
        o.checkpointPath = c.required(QStringLiteral("checkpoint"));
        o.outputPath = c.required(QStringLiteral("out"));
        const WeightExportReport r = exportPyTorchWeights(o);
        const QLocale loc = QLocale::c();
        out() << QStringLiteral("wrote %1 (%2 bytes)\n")
                     .arg(QDir::toNativeSeparators(r.outputPath), loc.toString(r.bytes));
        if (r.replaced)
            out() << QStringLiteral("replaced the weights masksup had written there before\n");
        out() << QStringLiteral("  model: %1, 3 -> %2 channel%3%4\n")
                     .arg(r.model)
                     .arg(r.outputChannels)
                     .arg(r.outputChannels == 1 ? QString() : QStringLiteral("s"))
                     .arg(r.model.startsWith(QLatin1String("levit"))
                             ? QStringLiteral(", %1x%1 inputs").arg(r.imageSize)
                             : QStringLiteral(", width %1").arg(r.width));
        out() << QStringLiteral("  state_dict: %1 tensors (%2 values)%3\n")
                     .arg(r.tensors)
                     .arg(loc.toString(r.values))
                     .arg(r.aliases ? QStringLiteral(", %1 of them the reference's second names blocks.*")
                                          .arg(r.aliases)
                                    : QString());
        out() << QStringLiteral("  in Python: model = %1\n").arg(r.pythonClass);
        if (!r.pythonNote.isEmpty())
            out() << QStringLiteral("             (%1)\n").arg(r.pythonNote);
        out() << QStringLiteral("             model.load_state_dict(torch.load(path, map_location=\"cpu\"), "
                                "strict=True); model.eval()\n");
        return kExitOk;
    }

} // namespace

extern const Command exportWeightsCommand { "export-weights",
    "Write a checkpoint's weights as a PyTorch state_dict (.pth) for the reference\n"
    "UNet, NestedUNet or LeViT-UNet code.",
    "masksup export-weights --checkpoint CKPT --out MODEL.pth",
    "Write the network of a checkpoint as Python's torch.save(model.state_dict(), path) does (zip "
    "format, an OrderedDict of tensors; torch.load reads it, also with weights_only=True), under "
    "the parameter and buffer names of the reference code's UNet, NestedUNet (pytorch-nested-unet) "
    "and LeViT_UNet_128s/192/384 (LeViT-UNet), so that model.load_state_dict(state_dict, strict=True) takes "
    "it: "
    "BatchNorm running statistics and counters and LeViT's attention-bias indices included. The "
    "command prints how to build the network in Python. Call model.eval() after loading (the "
    "reference LeViT caches its attention biases there) and feed images as masksup does: RGB, "
    "x/127.5 - 1, at the model's input size. The file never replaces the checkpoint, a file masksup "
    "did not write (DIR/.masksup-outputs.json lists those it did) or anything in a dataset's "
    "folders; it is written to a temporary file and renamed.",
    &run };

} // namespace msup::cli
