// masksup info: a model's parameter count and layers.
#include "command.h"
#include "common.h"

#include "core/train/model_store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace msup::cli {

namespace {

    int run(CommandLine& c)
    {
        c.option(QStringLiteral("model"), availableModels().join(QStringLiteral(", ")) + QLatin1Char('.'),
            QStringLiteral("name"), QStringLiteral("unet"));
        c.option(QStringLiteral("classes"),
            QStringLiteral("Output channels: 1 for a binary task (sigmoid), K for K classes."),
            QStringLiteral("C"), QStringLiteral("1"));
        c.option(QStringLiteral("width"),
            QStringLiteral("Base width w of unet/unetpp (channels w·[1,2,4,8,16])."), QStringLiteral("W"),
            QStringLiteral("32"));
        c.option(QStringLiteral("image-size"),
            QStringLiteral("Input size (LeViT-UNet's attention biases depend on it)."), QStringLiteral("S"),
            QStringLiteral("224"));
        c.option(QStringLiteral("json"), QStringLiteral("Print JSON."));
        if (!c.parse())
            return kExitOk;
        const QString model = c.value(QStringLiteral("model"));
        if (!availableModels().contains(model))
            throw UsageError { QStringLiteral("info: --model must be one of %1, got '%2'")
                                   .arg(availableModels().join(QStringLiteral(", ")), model) };
        const ModelSummary m = summarizeModel(model, c.integer(QStringLiteral("classes"), 1, 1000),
            c.integer(QStringLiteral("width"), 1, 256), 3, c.integer(QStringLiteral("image-size"), 16, 4096));
        if (c.isSet(QStringLiteral("json"))) {
            QJsonArray layers;
            for (const ModelLayer& l : m.layers) {
                QJsonArray shape;
                for (qint64 d : l.weightShape)
                    shape.append(double(d));
                layers.append(QJsonObject { { QStringLiteral("name"), l.name },
                    { QStringLiteral("kind"), l.kind }, { QStringLiteral("weight_shape"), shape },
                    { QStringLiteral("parameters"), double(l.parameters) } });
            }
            const QJsonObject o { { QStringLiteral("model"), m.model }, { QStringLiteral("width"), m.width },
                { QStringLiteral("in_channels"), m.inChannels },
                { QStringLiteral("out_channels"), m.outChannels },
                { QStringLiteral("parameters"), double(m.parameters) },
                { QStringLiteral("layers"), layers } };
            out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
            return kExitOk;
        }
        out() << QStringLiteral("%1, %2, %3 -> %4 channels: %5 parameters\n")
                     .arg(m.model)
                     .arg(m.model.startsWith(QLatin1String("levit"))
                             ? QStringLiteral("LeViT-UNet widths")
                             : QStringLiteral("width %1").arg(m.width))
                     .arg(m.inChannels)
                     .arg(m.outChannels)
                     .arg(QLocale::c().toString(m.parameters));
        for (const ModelLayer& l : m.layers) {
            QStringList shape;
            for (qint64 d : l.weightShape)
                shape << QString::number(d);
            out() << QStringLiteral("  %1 %2 %3 %4\n")
                         .arg(l.name, -18)
                         .arg(l.kind, -12)
                         .arg(shape.join(QLatin1Char('x')), -16)
                         .arg(l.parameters);
        }
        return kExitOk;
    }

} // namespace

extern const Command infoCommand { "info", "A model's parameter count and layers.",
    "masksup info --model unet|unetpp|levit128s|levit192|levit384 --classes C [--width W] [--json]",
    "Print a model's parameter count and its layers (name, kind, weight shape, parameters).", &run };

} // namespace msup::cli
