#pragma once
// Test support: the smallest training run that exercises the whole session on 2 CPU cores.

#include "core/train/train_config.h"

#include <QString>

namespace msup::test {

// One epoch of a U-Net of the given width at 32×32 on the CPU with one thread: seconds per run.
inline TrainConfig tinyConfig(const QString& dataset, const QString& outDir, int width = 4, int batchSize = 3)
{
    TrainConfig c;
    c.datasetPath = dataset;
    c.outDir = outDir;
    c.width = width;
    c.imageSize = 32;
    c.batchSize = batchSize;
    c.epochs = 1;
    c.device = QStringLiteral("cpu");
    c.threads = 1;
    return c;
}

} // namespace msup::test
