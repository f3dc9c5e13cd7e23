#pragma once
// Internal to core/train: reads and writes checkpoints. Includes Torch, so it is not installed
// with the public headers and is never included from ui/ or app/.

#include "core/nn/unet.h"
#include "core/train/model_store.h"

#include <torch/optim/optimizer.h>

#include <QJsonObject>

#include <memory>

namespace msup {

QJsonObject checkpointInfoToJson(const CheckpointInfo& info);
CheckpointInfo checkpointInfoFromJson(const QJsonObject& json);

// Weights (and the optimizer state when given) plus the metadata, written to a temporary file and
// renamed into place. Throws msup::Error naming the file.
void saveCheckpoint(const QString& path, nn::SegmentationModelImpl& model, torch::optim::Optimizer* optimizer,
    const CheckpointInfo& info);

// Rebuilds the network a checkpoint describes and loads its weights onto `device`.
std::shared_ptr<nn::SegmentationModelImpl> loadCheckpoint(
    const QString& path, CheckpointInfo* info, const torch::Device& device);

nn::ModelSpec modelSpecFor(const CheckpointInfo& info);

// Loads weights, optimizer state and the CPU generator state of a last.pt into an already built
// model and optimizer (to continue training). Throws msup::Error naming the file.
void loadTrainingState(const QString& path, nn::SegmentationModelImpl& model,
    torch::optim::Optimizer& optimizer, CheckpointInfo* info, const torch::Device& device);

} // namespace msup
