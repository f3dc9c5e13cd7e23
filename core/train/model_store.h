#pragma once

#include "core/train/train_config.h"

#include <QColor>
#include <QJsonObject>
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
    int epoch = 0; // completed epochs
    double valMiou = 0;
    // The validation metrics of epoch `epoch` (EpochMetrics::toJson; empty before the first).
    QJsonObject metrics;
    // What `masksup train --resume` needs beyond weights and optimizer (last.pt only): the batch
    // position within epoch `epoch` + 1, the partial loss sums of that epoch, the best mIoU so far,
    // the gradient scaler. Empty in best.pt and in imported weights.
    QJsonObject trainingState;
};

// Reads only the metadata of a checkpoint. Throws msup::Error naming the file when it is not a
// MaskSup Studio checkpoint.
CheckpointInfo readCheckpointInfo(const QString& path);

// SHA-256 (hex) of a checkpoint's weights and buffers (names, shapes and bytes, in model order):
// equal digests mean bit-identical networks, whatever the metadata says. Throws msup::Error.
QString checkpointWeightsDigest(const QString& path);

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

// The model names training, info and the GUI accept (unet, unetpp, levit128s, levit192, levit384).
QStringList availableModels();

// Builds the model (unet, unetpp, levit*) and summarises it. Throws msup::Error for an unknown model or
// bad sizes, listing the accepted ones.
ModelSummary summarizeModel(
    const QString& model, int outChannels, int width, int inChannels = 3, int imageSize = 224);

} // namespace msup
