#pragma once

#include "core/base/rng.h"

#include <opencv2/core.hpp>

#include <string>

namespace msup {

// Training-time augmentations, applied to an image and its labels together.
struct AugmentOptions {
    bool flip = false; // horizontal and vertical flips, each with probability 1/2
    bool rotate90 = false; // rotation by a random multiple of 90° (180° only for non-square)
    bool scaleCrop = false; // zoom by 0.8..1.25, then crop or pad back to the size (padding is void)
    bool colorJitter = false; // brightness ±20%, contrast and saturation ×0.8..1.2 (image only)

    // "none", "all", or a comma-separated list of flip, rot90, scale, color. Throws msup::Error
    // naming the unknown item and the accepted ones.
    static AugmentOptions parse(const std::string& text);
    std::string toString() const;
    bool any() const { return flip || rotate90 || scaleCrop || colorJitter; }
};

// Augments in place: rgb CV_8UC3 and labels CV_8UC1 of the same size stay aligned pixel for pixel
// (labels use nearest neighbour; padded label pixels are `ignoreIndex`). Deterministic for a given
// RNG state.
void augmentPair(cv::Mat& rgb, cv::Mat& labels, const AugmentOptions& options, Rng& rng, int ignoreIndex);

} // namespace msup
