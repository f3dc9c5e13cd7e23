#pragma once
// Test support: tiny datasets and tiny training configurations, the same in every suite.

#include "core/data/synth.h"
#include "core/train/train_config.h"

#include <QString>
#include <QStringList>

namespace msup::test {

// Writes `count` synthetic samples of `size`² (glands: binary, Kvasir-SEG layout; scenes: several
// classes) into `dir` and returns `dir`. Throws when fewer were written (Qt Test
// reports it as the test's failure).
QString writeTinyDataset(
    const QString& dir, SynthKind kind = SynthKind::Glands, int count = 10, int size = 64, int seed = 5);

// A GLaS (Warwick QU) folder in `dir`: for each name (testA_1, train_3, ...) a 60×40 24-bit BMP
// image and an 8-bit palettised instance-id annotation <name>_anno.bmp holding `glands` 8×8
// instances in a row (ids 1..glands, the first at x = 12), and Grade.csv. Throws when a file
// cannot be written.
void writeGlasFolder(const QString& dir, const QStringList& names, int glands = 2);

// The configs are inline so that suites without LibTorch (e.g. tst_data) can use the datasets
// without linking the training libraries.

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

// Two epochs of a width-4 U-Net at 32×32, batch 4, seed 11, learning rate 3e-3, CPU, one thread:
// the smallest run whose curves, checkpoints and reports have something to show.
inline TrainConfig twoEpochConfig(const QString& dataset, const QString& outDir)
{
    TrainConfig c = tinyConfig(dataset, outDir, 4, 4);
    c.epochs = 2;
    c.seed = 11;
    c.learningRate = 3e-3;
    return c;
}

} // namespace msup::test
