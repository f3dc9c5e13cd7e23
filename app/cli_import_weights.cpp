#include "cli_import_weights.h"

#include "core/base/error.h"
#include "core/train/weight_import.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QLocale>
#include <QTextStream>

#include <cstdio>

using namespace msup;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

const char* kImportUsage
    = R"(Usage: masksup import-weights --model unet|unetpp --classes N [--width W] [--image-size S]
                              [--no-relu-logits] [--allow-partial] --from MODEL.pth --out CKPT.pt
Run 'masksup import-weights --help' for the options.
)";

void err(const QString& message)
{
    std::fprintf(stderr, "masksup: %s\n", message.toLocal8Bit().constData());
}

struct UsageError {
    QString message;
};

int integer(const QCommandLineParser& p, const QString& name, int lo, int hi)
{
    bool ok = false;
    const int v = p.value(name).toInt(&ok);
    if (!ok || v < lo || v > hi)
        throw UsageError { QStringLiteral(
            "import-weights: --%1 expects a whole number from %2 to %3, got '%4'")
                               .arg(name)
                               .arg(lo)
                               .arg(hi)
                               .arg(p.value(name)) };
    return v;
}

QString required(const QCommandLineParser& p, const QString& name)
{
    const QString v = p.value(name);
    if (v.isEmpty())
        throw UsageError { QStringLiteral("import-weights: --%1 is required").arg(name) };
    return v;
}

void printList(QTextStream& out, const QString& title, const QStringList& items)
{
    out << QStringLiteral("  %1: %2\n")
               .arg(title)
               .arg(items.isEmpty() ? QStringLiteral("none") : QString::number(items.size()));
    for (const QString& item : items)
        out << QStringLiteral("    %1\n").arg(item);
}

} // namespace

int cmdImportWeights(const QStringList& args)
{
    QTextStream out(stdout);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Convert weights trained with the reference PyTorch code (pytorch-nested-unet's UNet or NestedUNet, "
        "saved with torch.save(model.state_dict(), path)) into a MaskSup Studio checkpoint for predict, "
        "evaluate and robustness. A state_dict wrapped in a dict under \"state_dict\" or \"model\" and "
        "nn.DataParallel's \"module.\" prefix are handled; every shape is checked."));
    p.addHelpOption();
    p.addOption({ QStringLiteral("model"), QStringLiteral("unet (UNet) or unetpp (NestedUNet)."),
        QStringLiteral("name") });
    p.addOption({ QStringLiteral("classes"),
        QStringLiteral(
            "Output channels of the network's head: 1 for a binary task (sigmoid), K for K classes."),
        QStringLiteral("N") });
    p.addOption({ QStringLiteral("width"),
        QStringLiteral("Base width w (channels w·[1,2,4,8,16]); the reference code uses 32."),
        QStringLiteral("W"), QStringLiteral("32") });
    p.addOption({ QStringLiteral("image-size"),
        QStringLiteral("Input size stored with the checkpoint (a multiple of 16)."), QStringLiteral("S"),
        QStringLiteral("224") });
    p.addOption({ QStringLiteral("no-relu-logits"),
        QStringLiteral("unetpp: leave out the ReLU the reference NestedUNet applies to its logits.") });
    p.addOption({ QStringLiteral("allow-partial"),
        QStringLiteral("Write the checkpoint even when tensors are missing or have other shapes (they keep "
                       "their initial values).") });
    p.addOption({ QStringLiteral("from"), QStringLiteral("The PyTorch weights (.pth) to read."),
        QStringLiteral("MODEL.pth") });
    p.addOption(
        { QStringLiteral("out"), QStringLiteral("The checkpoint to write."), QStringLiteral("CKPT.pt") });

    try {
        if (!p.parse(QStringList { QStringLiteral("masksup import-weights") } + args))
            throw UsageError { QStringLiteral("import-weights: ") + p.errorText() };
        if (p.isSet(QStringLiteral("help"))) {
            out << p.helpText();
            return kExitOk;
        }
        if (!p.positionalArguments().isEmpty())
            throw UsageError { QStringLiteral("import-weights: unexpected argument '%1'")
                                   .arg(p.positionalArguments().first()) };
        WeightImportOptions o;
        o.model = required(p, QStringLiteral("model"));
        if (o.model != QLatin1String("unet") && o.model != QLatin1String("unetpp"))
            throw UsageError {
                QStringLiteral("import-weights: --model must be unet or unetpp, got '%1'").arg(o.model)
            };
        required(p, QStringLiteral("classes"));
        o.classes = integer(p, QStringLiteral("classes"), 1, 1000);
        o.width = integer(p, QStringLiteral("width"), 1, 256);
        o.imageSize = integer(p, QStringLiteral("image-size"), 16, 4096);
        if (o.imageSize % 16 != 0)
            throw UsageError { QStringLiteral("import-weights: --image-size must be a multiple of 16, got %1")
                                   .arg(o.imageSize) };
        o.reluLogits = !p.isSet(QStringLiteral("no-relu-logits"));
        o.allowPartial = p.isSet(QStringLiteral("allow-partial"));
        o.inputPath = required(p, QStringLiteral("from"));
        o.outputPath = required(p, QStringLiteral("out"));

        const WeightImportReport r = importPyTorchWeights(o);
        const QLocale c = QLocale::c();
        out << QStringLiteral("Imported %1\n     into %2\n")
                   .arg(
                       QFileInfo(o.inputPath).absoluteFilePath(), QFileInfo(r.outputPath).absoluteFilePath());
        out << QStringLiteral("  model: %1, width %2, 3 -> %3 channels%4\n")
                   .arg(r.model)
                   .arg(r.width)
                   .arg(r.outputChannels)
                   .arg(r.reluLogits ? QStringLiteral(", ReLU on the logits (as the reference NestedUNet)")
                                     : QString());
        out << QStringLiteral("  state_dict: %1 tensors%2%3\n")
                   .arg(r.fileTensors)
                   .arg(r.container.isEmpty() ? QString() : QStringLiteral(", under \"%1\"").arg(r.container))
                   .arg(r.strippedPrefixes ? QStringLiteral(", \"module.\" prefix removed from %1 keys")
                                                 .arg(r.strippedPrefixes)
                                           : QString());
        out << QStringLiteral("  loaded tensors: %1 of the model's %2 (%3 values)\n")
                   .arg(r.loadedTensors)
                   .arg(r.modelTensors)
                   .arg(c.toString(r.loadedValues));
        out << QStringLiteral("  parameters: %1\n").arg(c.toString(r.parameters));
        printList(out, QStringLiteral("missing (initial values kept)"), r.missingKeys);
        printList(out, QStringLiteral("shape mismatches (initial values kept)"), r.shapeMismatches);
        printList(out, QStringLiteral("unexpected (ignored)"), r.unexpectedKeys);
        for (const QString& w : r.warnings)
            out << QStringLiteral("  warning: %1\n").arg(w);
        if (!r.complete())
            out << QStringLiteral("  The checkpoint is partial (--allow-partial): check its predictions.\n");
        return kExitOk;
    } catch (const UsageError& e) {
        out.flush();
        err(e.message);
        std::fputs(kImportUsage, stderr);
        return kExitUsage;
    } catch (const std::exception& e) {
        out.flush();
        err(QString::fromStdString(e.what()));
        return kExitError;
    }
}
