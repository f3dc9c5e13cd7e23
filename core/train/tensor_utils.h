#pragma once
// Internal to core/train: conversions between decoded images and tensors (includes Torch).

#include "core/data/sample_cache.h" // resizeImage, resizeLabels

#include <opencv2/core.hpp>
#include <torch/types.h>

namespace msup {

// Logits N×K×H×W → uint8 labels N×H×W on the CPU (sigmoid > 0.5 for one channel, argmax otherwise).
torch::Tensor logitsToLabels(const torch::Tensor& logits);

} // namespace msup
