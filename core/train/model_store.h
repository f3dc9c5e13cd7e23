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

} // namespace msup
