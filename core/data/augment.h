#pragma once

#include "core/base/augment_options.h" // AugmentOptions, AugmentDraw (shared with the device path)

#include <opencv2/core.hpp>

namespace msup {

// Training-time augmentations on the host, applied to an image and its labels together: rgb
// CV_8UC3 and labels CV_8UC1 of the same size stay aligned pixel for pixel (labels use nearest
// neighbour; padded label pixels are `ignoreIndex`, padded image pixels mid-grey 128). In place,
// on 8-bit data; a pure function of the draw. engine::augmentBatch is the same on device tensors.
void augmentPair(
    cv::Mat& rgb, cv::Mat& labels, const AugmentOptions& options, const AugmentDraw& draw, int ignoreIndex);

} // namespace msup
