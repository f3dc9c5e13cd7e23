#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>

namespace msup {

// A hole-ratio interval (lo, hi]: the share of pixels a mask removes.
struct HoleRatioRange {
    double lo = 0.5;
    double hi = 0.6;

    // "high" = (0.5, 0.6] (the paper's best setting), "low" = (0.01, 0.1], or "A-B" with
    // 0 <= A < B <= 1 (e.g. "0.2-0.3"). Throws msup::Error with the accepted forms otherwise.
    static HoleRatioRange parse(const std::string& text);
    std::string toString() const;
};

// Where the hole masks of the context branch come from: the generator below, or a folder of mask
// images (MaskSet). Both are pure functions of (size, seed), so training stays reproducible.
class MaskSource {
public:
    virtual ~MaskSource() = default;
    // CV_8UC1 mask of width×height, 255 = hole, 0 = kept.
    virtual cv::Mat generate(int width, int height, std::uint64_t seed) const = 0;
    // For run records and the GUI, e.g. "generator, hole ratio 0.5-0.6".
    virtual std::string describe() const = 0;
};

// Free-form "streaks and holes" in the manner of Liu et al. 2018 (irregular masks): random walks
// of thick strokes with varying width and turning angle, filled circles and ellipses, added until
// the hole ratio reaches a target drawn uniformly in the requested interval; the shape that would
// pass the target is trimmed to it (its pixels nearest to its starting point are kept), so the
// achieved ratio itself is uniform in the interval (to one pixel). Deterministic: the same
// (seed, size, range) gives identical bytes on every platform (our own RNG, integer rasterisation).
class HoleGenerator : public MaskSource {
public:
    explicit HoleGenerator(HoleRatioRange range = {});

    // CV_8UC1 mask, 255 = hole, 0 = kept. Works for any size from 16×16 up.
    cv::Mat generate(int width, int height, std::uint64_t seed) const override;
    std::string describe() const override;

    const HoleRatioRange& range() const { return m_range; }

private:
    HoleRatioRange m_range;
};

// Share of non-zero pixels of a CV_8UC1 mask.
double holeRatio(const cv::Mat& mask);

} // namespace msup
