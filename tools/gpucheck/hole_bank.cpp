#include "tools/gpucheck/hole_bank.h"

#include "core/base/rng.h"

#include <algorithm>
#include <cmath>

namespace msup::gpucheck {

namespace {
    // Pixels within `radius` of the segment (ax, ay)-(bx, by); a disc when both ends coincide.
    torch::Tensor capsule(const torch::Tensor& xs, const torch::Tensor& ys, double ax, double ay, double bx,
        double by, double radius)
    {
        const double dx = bx - ax, dy = by - ay;
        const double len2 = dx * dx + dy * dy;
        torch::Tensor t
            = len2 > 0 ? (((xs - ax) * dx + (ys - ay) * dy) / len2).clamp(0.0, 1.0) : torch::zeros_like(xs);
        const torch::Tensor px = ax + t * dx - xs, py = ay + t * dy - ys;
        return (px * px + py * py).le(radius * radius);
    }
} // namespace

torch::Tensor makeHoleBank(
    int count, int size, std::uint64_t seed, double lo, double hi, HoleBankStats* stats)
{
    const torch::Tensor coords = torch::arange(size, torch::kFloat32);
    const torch::Tensor ys = coords.view({ size, 1 }).expand({ size, size });
    const torch::Tensor xs = coords.view({ 1, size }).expand({ size, size });
    const double pixels = double(size) * size;
    torch::Tensor bank = torch::zeros({ count, 1, size, size }, torch::kUInt8);
    double sum = 0, mn = 1, mx = 0;
    for (int i = 0; i < count; ++i) {
        Rng rng(Rng::derive(seed, std::uint64_t(i)));
        const double target = rng.uniform(lo, hi);
        torch::Tensor mask = torch::zeros({ size, size }, torch::kBool);
        double ratio = 0;
        // Shapes shrink as the target nears, so that the last one lands inside (lo, hi].
        for (int attempt = 0; attempt < 400 && ratio < target; ++attempt) {
            const double room = std::max(target - ratio, 0.002);
            const double maxRadius
                = std::max(1.5, std::min(size / 6.0, std::sqrt(room * pixels / 3.14159) + 1));
            const double radius = rng.uniform(std::max(1.0, maxRadius / 3), maxRadius);
            const double ax = rng.uniform(0, size), ay = rng.uniform(0, size);
            torch::Tensor shape;
            if (rng.chance(0.5)) {
                shape = capsule(xs, ys, ax, ay, ax, ay, radius);
            } else { // a stroke: a thinner capsule of a random direction and length
                const double angle = rng.uniform(0, 6.283185307179586);
                const double length = rng.uniform(size / 8.0, size / 2.0);
                shape = capsule(xs, ys, ax, ay, ax + length * std::cos(angle), ay + length * std::sin(angle),
                    std::max(1.0, radius / 2));
            }
            const torch::Tensor next = mask.logical_or(shape);
            const double nextRatio = next.sum().item<double>() / pixels;
            if (nextRatio > hi)
                continue; // too much: draw a smaller one
            mask = next;
            ratio = nextRatio;
        }
        bank[i][0].copy_(mask.to(torch::kUInt8));
        sum += ratio;
        mn = std::min(mn, ratio);
        mx = std::max(mx, ratio);
    }
    if (stats)
        *stats = { count > 0 ? sum / count : 0, mn, mx };
    return bank;
}

} // namespace msup::gpucheck
