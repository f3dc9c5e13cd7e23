#pragma once
// Internal to core/train (includes Torch; never included by ui/): the host side of the training
// pipeline, which builds a batch from the sample cache. The benchmark calls it directly.

#include "core/data/augment.h"
#include "core/data/sample_cache.h"
#include "core/masks/hole_generator.h"

#include <QString>
#include <QVector>
#include <torch/types.h>

#include <cstdint>

namespace msup {

// The decoded, resized dataset held in memory as 8-bit data (a 224² RGB image costs 150 KB).
struct Batch {
    torch::Tensor images, holes, target;
    torch::Tensor fill; // what hole pixels become; undefined = 0 (mid-grey)
};

enum class HoleFill { Zero, Black, Noise };

HoleFill parseHoleFill(const QString& f);

// `augment` is given for training batches only; validation batches are never augmented.
Batch makeBatch(const SampleCache& cache, const QVector<int>& indices, int from, int count,
    const MaskSource* holes, const AugmentOptions* augment, int ignoreIndex, std::uint64_t seed, int epoch,
    const torch::Device& device, HoleFill fill = HoleFill::Zero);

} // namespace msup
