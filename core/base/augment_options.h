#pragma once
// Which training augmentations a run uses and the random numbers of one sample's augmentation:
// shared by the host (OpenCV, core/data/augment.h) and the device (tensors, core/engine) paths.

#include "core/base/error.h"
#include "core/base/rng.h"

#include <sstream>
#include <string>

namespace msup {

struct AugmentOptions {
    bool flip = false; // horizontal and vertical flips, each with probability 1/2
    bool rotate90 = false; // rotation by a random multiple of 90° (180° only for non-square)
    bool scaleCrop = false; // zoom by 0.8..1.25, then crop or pad back to the size (padding is void)
    bool colorJitter = false; // brightness ±20%, contrast and saturation ×0.8..1.2 (image only)

    // "none", "all", or a comma-separated list of flip, rot90, scale, color. Throws msup::Error
    // naming the unknown item and the accepted ones.
    // (Inline: core/base is header-only, and both the OpenCV host path and the LibTorch-only engine
    // use it.)
    static AugmentOptions parse(const std::string& text)
    {
        AugmentOptions o;
        if (text.empty() || text == "none")
            return o;
        if (text == "all")
            return AugmentOptions { true, true, true, true };
        std::stringstream items(text);
        std::string item;
        while (std::getline(items, item, ',')) {
            if (item == "flip")
                o.flip = true;
            else if (item == "rot90")
                o.rotate90 = true;
            else if (item == "scale")
                o.scaleCrop = true;
            else if (item == "color")
                o.colorJitter = true;
            else
                throw Error("unknown augmentation '" + item
                    + "': use none, all, or a comma-separated list of flip, rot90, scale, color");
        }
        return o;
    }
    std::string toString() const
    {
        if (!any())
            return "none";
        std::string s;
        auto add = [&](bool on, const char* name) {
            if (on)
                s += (s.empty() ? "" : ",") + std::string(name);
        };
        add(flip, "flip");
        add(rotate90, "rot90");
        add(scaleCrop, "scale");
        add(colorJitter, "color");
        return s;
    }
    bool any() const { return flip || rotate90 || scaleCrop || colorJitter; }
};

// One sample's draws. Every augmentation draws its numbers whether or not it applies, so enabling
// one never changes the draws of another.
struct AugmentDraw {
    bool flipH = false, flipV = false;
    int quarter = 0; // quarter turns, 0..3
    double zoom = 1, cx = 0.5, cy = 0.5; // zoom and where the crop/paste window sits (0..1)
    double brightness = 0, contrast = 1, saturation = 1;

    // The draws in a fixed order (flips, quarter, zoom, cx, cy, brightness, contrast, saturation):
    // the order augmentation has always used, so seeded runs keep their augmentations.
    static AugmentDraw draw(Rng& rng)
    {
        AugmentDraw d;
        d.flipH = rng.chance(0.5);
        d.flipV = rng.chance(0.5);
        d.quarter = rng.uniformInt(0, 3);
        d.zoom = rng.uniform(0.8, 1.25);
        d.cx = rng.uniform();
        d.cy = rng.uniform();
        d.brightness = rng.uniform(-0.2, 0.2);
        d.contrast = rng.uniform(0.8, 1.2);
        d.saturation = rng.uniform(0.8, 1.2);
        return d;
    }
};

} // namespace msup
