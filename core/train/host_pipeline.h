#pragma once
// Internal to core/train (includes Torch; never included by ui/ or a public header): the host side
// of the training pipeline. It builds a batch from the sample cache as 8-bit tensors (images, labels,
// hole masks, noise) ready to be copied to the device, where core/engine finishes it. The training
// session, the previews and the benchmark (BM_PipelineOnly) all build batches with it.

#include "core/base/augment_options.h"
#include "core/data/sample_cache.h"
#include "core/engine/batch.h"
#include "core/masks/hole_generator.h"

#include <QString>
#include <QVector>

#include <cstdint>

namespace msup {

// The config's hole fill ("zero", "black", "noise"; anything else is "zero", as validated configs
// never hold it).
engine::HoleFill holeFillOf(const QString& text);

// The augmentation draw of the sample at `position` in `epoch`'s order: a pure function of the seed
// (the same on the host and the device paths).
AugmentDraw augmentDrawAt(std::uint64_t seed, int epoch, int position);

// The batch of the samples indices[from .. from+count): each sample's image and labels from the
// cache, augmented on the host with OpenCV when `augment` is given (training batches; validation is
// never augmented), its hole mask (0/1) when `holes` is given and its noise for HoleFill::Noise. The
// hole mask and noise of (epoch, position) are pure functions of the seed. Samples are built in
// parallel on the global thread pool; the result does not depend on the number of threads. Pinned
// memory when `pinned` (CUDA devices only).
engine::HostBatch buildHostBatch(const SampleCache& cache, const QVector<int>& indices, int from, int count,
    const MaskSource* holes, const AugmentOptions* augment, int ignoreIndex, std::uint64_t seed, int epoch,
    engine::HoleFill fill, bool pinned);

// Only the hole masks (and noise) of a batch, for training data resident on the device whose images
// and labels never come back to the host: `batch.holes` (and `batch.noise`) must be allocated.
void fillHoleMasks(engine::HostBatch& batch, const MaskSource& holes, std::uint64_t seed, int epoch, int from,
    engine::HoleFill fill);

} // namespace msup
