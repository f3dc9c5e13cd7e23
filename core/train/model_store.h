#pragma once

#include "core/train/train_config.h"

#include <QColor>
#include <QString>
#include <QStringList>
#include <QVector>

namespace msup {

// What a checkpoint says about itself (stored inside the .pt file next to the weights).
struct CheckpointInfo {
    TrainConfig config;
    QStringList classNames;
    QVector<QColor> classColors;
    int ignoreIndex = 255;
    int outputChannels = 1;
    int epoch = 0;
    double valMiou = 0;
};

// Reads only the metadata of a checkpoint. Throws msup::Error naming the file when it is not a
// MaskSup Studio checkpoint.
CheckpointInfo readCheckpointInfo(const QString& path);

// The layers of a model as `masksup info` lists them: every named submodule that holds parameters
// of its own (convolutions, batch norms), with its parameter count and weight shape.
struct ModelLayer {
    QString name; // e.g. "conv0_4.conv1"
    QString kind; // "Conv2d", "BatchNorm2d"
    QVector<qint64> weightShape;
    qint64 parameters = 0;
};
struct ModelSummary {
    QString model;
    int width = 0, inChannels = 3, outChannels = 1;
    qint64 parameters = 0;
    QVector<ModelLayer> layers;
};

// Builds the model (unet, unetpp) and summarises it. Throws msup::Error for an unknown model or
// bad sizes, listing the accepted ones.
ModelSummary summarizeModel(const QString& model, int outChannels, int width, int inChannels = 3);

} // namespace msup
