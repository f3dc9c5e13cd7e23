#pragma once
// Training augmentation as tensor operations, for data resident on the device: the same draws as
// the host's OpenCV implementation (core/data/augment.h), so a seed gives the same flips, turns,
// zooms and colour changes on either path (scale and colour differ only by interpolation rounding).

#include "core/base/augment_options.h"

#include <torch/types.h>

#include <vector>

namespace msup::engine {

// Applies one draw per sample, in place of the inputs: images N×3×S×S uint8, labels N×S×S uint8 (same
// device). Label pixels brought in from outside the image by zooming out are `ignoreIndex`; image
// pixels there are mid-grey (128), as on the host.
void augmentBatch(torch::Tensor& images, torch::Tensor& labels, const AugmentOptions& options,
    const std::vector<AugmentDraw>& draws, int ignoreIndex);

} // namespace msup::engine
