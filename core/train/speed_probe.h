#pragma once
// How long one training step of a config takes on its device, measured on random inputs of the
// config's batch and image size, so that the GUI can warn before Start when a run will obviously not
// fit the machine (LeViT-UNet-384 at batch 64 on a laptop CPU) instead of failing or crawling later.

#include "core/base/progress.h"
#include "core/train/train_config.h"

#include <QString>

namespace msup {

struct SpeedEstimate {
    double secondsPerBatch = 0; // one MaskSup step: both branches, backward and optimizer step
    int batchesPerEpoch = 0;
    double secondsPerEpoch = 0; // training batches only (validation adds a forward pass per image)
    QString device; // the device it ran on ("cpu", "cuda:0")
};

// Builds the config's model (binary output) on its device and times one step after a warm-up step
// on random images and masks. `trainImages` is the number of training images of an epoch. Throws
// msup::Error for a bad config, and for a device that runs out of memory (naming it), which is the
// answer to "will it fit". Reports 0/2, 1/2, 2/2 and stops after the warm-up when cancelled.
SpeedEstimate probeTrainingSpeed(
    const TrainConfig& config, int trainImages, Progress& progress = noProgress());

} // namespace msup
