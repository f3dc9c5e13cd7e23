#pragma once
// Hole masks for masksup-gpucheck without OpenCV: filled discs and thick strokes drawn with tensor
// operations, added until the hole ratio reaches a target drawn uniformly in (lo, hi]. Comparable in
// coverage to the host generator's "high" setting (0.5-0.6, core/masks/hole_generator.h), not in
// shape; the host generator's own speed is measured by masksup-bench (BM_HoleMask, BM_PipelineOnly).

#include <torch/types.h>

#include <cstdint>

namespace msup::gpucheck {

struct HoleBankStats {
    double meanRatio = 0, minRatio = 0, maxRatio = 0;
};

// `count` masks of size×size, uint8 count×1×S×S on the CPU, 1 = hole. A pure function of the seed.
torch::Tensor makeHoleBank(
    int count, int size, std::uint64_t seed, double lo, double hi, HoleBankStats* stats);

} // namespace msup::gpucheck
