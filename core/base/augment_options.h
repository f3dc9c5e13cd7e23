#pragma once
// Which training augmentations a run uses and the random numbers of one sample's augmentation:
// shared by the host (OpenCV, core/data/augment.h) and the device (tensors, core/engine) paths.

#include "core/base/rng.h"

#include <string>

namespace msup {

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

// One sample's draws. Every augmentation draws its numbers whether or not it applies, so enabling
// one never changes the draws of another.
struct AugmentDraw {
    bool flipH = false, flipV = false;
    int quarter = 0; // quarter turns, 0..3
    double zoom = 1, cx = 0.5, cy = 0.5; // zoom and where the crop/paste window sits (0..1)
    double brightness = 0, contrast = 1, saturation = 1;

    static AugmentDraw draw(Rng& rng);
};

} // namespace msup
