#include "core/engine/augment_tensor.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

// Why two implementations of one augmentation: on the CPU a batched grid_sample measured ~460
// images/s on one thread at 224², far below what the host pipeline needs (≥ 3,000 images/s on two
// cores), so the host keeps OpenCV on uint8 (core/data/augment.cpp). This tensor version is for a
// training set resident on the GPU, where it costs a few kernels per batch and no host copy. Both
// take the same AugmentDraw, and compute every geometric quantity (zoomed size, window offsets) from
// it with the same integer rounding, so they agree exactly on flips, turns and label positions.

namespace msup::engine {

namespace {

    // Flips and quarter turns, per sample (the host's order: flip, then turn clockwise).
    torch::Tensor orient(torch::Tensor x, const AugmentDraw& d, const AugmentOptions& o, bool square)
    {
        // x: C×H×W (or H×W for labels: dims are counted from the end).
        const int64_t h = x.dim() - 2, w = x.dim() - 1;
        if (o.flip && (d.flipH || d.flipV)) {
            std::vector<int64_t> dims;
            if (d.flipV)
                dims.push_back(h);
            if (d.flipH)
                dims.push_back(w);
            x = x.flip(dims);
        }
        if (o.rotate90) {
            const int q = square ? d.quarter : (d.quarter & 1) * 2;
            // OpenCV turns clockwise by q quarters; torch::rot90 with k > 0 turns counter-clockwise.
            if (q != 0)
                x = torch::rot90(x, (4 - q) % 4, { h, w });
        }
        return x;
    }

    // The host's zoom window along one axis of length n: zoomed length, the offset in the zoomed
    // image where the kept part starts, and the offset in the output where it lands.
    struct Axis {
        int zoomed, from, to, length;
    };
    Axis axis(int n, double zoom, double c)
    {
        Axis a;
        a.zoomed = std::max(1, int(std::lround(n * zoom)));
        const int o = int(std::lround(c * std::abs(a.zoomed - n)));
        a.from = a.zoomed > n ? o : 0;
        a.to = a.zoomed < n ? o : 0;
        a.length = std::min(n, a.zoomed);
        return a;
    }

} // namespace

void augmentBatch(torch::Tensor& images, torch::Tensor& labels, const AugmentOptions& o,
    const std::vector<AugmentDraw>& draws, int ignoreIndex)
{
    if (images.dim() != 4 || images.size(1) != 3 || images.scalar_type() != torch::kUInt8)
        throw std::invalid_argument("augmentBatch: images must be N×3×H×W uint8");
    if (labels.dim() != 3 || labels.scalar_type() != torch::kUInt8 || labels.size(0) != images.size(0)
        || labels.size(1) != images.size(2) || labels.size(2) != images.size(3))
        throw std::invalid_argument("augmentBatch: labels must be N×H×W uint8, aligned with the images");
    const int n = int(images.size(0)), h = int(images.size(2)), w = int(images.size(3));
    if (int(draws.size()) != n)
        throw std::invalid_argument("augmentBatch: one draw per sample is needed");
    if (!o.any() || n == 0)
        return;
    torch::NoGradGuard noGrad;
    const auto device = images.device();

    if (o.flip || o.rotate90) {
        // Per sample: a flip and a turn are views; one copy each.
        auto outImages = torch::empty_like(images), outLabels = torch::empty_like(labels);
        for (int i = 0; i < n; ++i) {
            outImages[i].copy_(orient(images[i], draws[i], o, h == w));
            outLabels[i].copy_(orient(labels[i], draws[i], o, h == w));
        }
        images = outImages;
        labels = outLabels;
    }

    if (o.scaleCrop) {
        // Images: one batched bilinear sampling, with the host's pixel-centre mapping (cv::resize
        // INTER_LINEAR, borders replicated) as a per-sample affine map: along an axis of n pixels
        // zoomed to z, output pixel x reads zoomed pixel x + from - to, i.e. source coordinate
        // (x + from - to + 0.5)·n/z - 0.5. Labels: nearest neighbour as OpenCV's INTER_NEAREST
        // computes it (floor(x·n/z)), gathered with host-computed indices, so that they are exact.
        // Outside the pasted window (zoomed out): mid-grey and the ignore index.
        auto theta = torch::zeros({ n, 2, 3 }, torch::kFloat64);
        auto rows = torch::empty({ n, h }, torch::kInt64), cols = torch::empty({ n, w }, torch::kInt64);
        auto rowOk = torch::empty({ n, h }, torch::kBool), colOk = torch::empty({ n, w }, torch::kBool);
        auto th = theta.accessor<double, 3>();
        auto ra = rows.accessor<int64_t, 2>(), ca = cols.accessor<int64_t, 2>();
        auto rok = rowOk.accessor<bool, 2>(), cok = colOk.accessor<bool, 2>();
        for (int i = 0; i < n; ++i) {
            const Axis ax = axis(w, draws[i].zoom, draws[i].cx), ay = axis(h, draws[i].zoom, draws[i].cy);
            // affine_grid (align_corners = false) gives base = (2x+1)/n - 1; grid_sample reads
            // normalised g as pixel ((g+1)·n - 1)/2. g = base·n/z + (n + 2·(from - to))/z - 1.
            th[i][0][0] = double(w) / ax.zoomed;
            th[i][0][2] = double(w + 2 * (ax.from - ax.to)) / ax.zoomed - 1.0;
            th[i][1][1] = double(h) / ay.zoomed;
            th[i][1][2] = double(h + 2 * (ay.from - ay.to)) / ay.zoomed - 1.0;
            const double ifx = 1.0 / (double(ax.zoomed) / w), ify = 1.0 / (double(ay.zoomed) / h);
            for (int x = 0; x < w; ++x) {
                const int zx = x + ax.from - ax.to; // in the zoomed image
                cok[i][x] = x >= ax.to && x < ax.to + ax.length;
                ca[i][x] = cok[i][x] ? std::min(int(std::floor(zx * ifx)), w - 1) : 0;
            }
            for (int y = 0; y < h; ++y) {
                const int zy = y + ay.from - ay.to;
                rok[i][y] = y >= ay.to && y < ay.to + ay.length;
                ra[i][y] = rok[i][y] ? std::min(int(std::floor(zy * ify)), h - 1) : 0;
            }
        }
        theta = theta.to(device, torch::kFloat32);
        rows = rows.to(device);
        cols = cols.to(device);
        const auto inside = rowOk.to(device).unsqueeze(2) & colOk.to(device).unsqueeze(1); // N×H×W

        const auto grid = torch::nn::functional::affine_grid(theta, { n, 3, h, w }, /*align_corners=*/false);
        auto sampled = torch::nn::functional::grid_sample(images.to(torch::kFloat32), grid,
            torch::nn::functional::GridSampleFuncOptions()
                .mode(torch::kBilinear)
                .padding_mode(torch::kBorder)
                .align_corners(false));
        sampled = sampled.add_(0.5).floor_().clamp_(0, 255).to(torch::kUInt8);
        images = torch::where(inside.unsqueeze(1), sampled, torch::full({}, 128, sampled.options()));

        const auto byRow = labels.gather(1, rows.unsqueeze(2).expand({ n, h, w }));
        const auto both = byRow.gather(2, cols.unsqueeze(1).expand({ n, h, w }));
        labels = torch::where(inside, both, torch::full({}, ignoreIndex, both.options()));
    }

    if (o.colorJitter) {
        // As the host: out = a·c + b·grey + k with grey = 0.299R + 0.587G + 0.114B, a = contrast ·
        // saturation, b = contrast·(1 - saturation), k = (1 - contrast)·mean(grey) + 255·brightness,
        // rounded and saturated to 8 bits.
        auto a = torch::empty({ n }, torch::kFloat32), b = torch::empty({ n }, torch::kFloat32),
             bright = torch::empty({ n }, torch::kFloat32), contrast = torch::empty({ n }, torch::kFloat32);
        for (int i = 0; i < n; ++i) {
            a[i] = float(draws[i].contrast * draws[i].saturation);
            b[i] = float(draws[i].contrast * (1.0 - draws[i].saturation));
            bright[i] = float(255.0 * draws[i].brightness);
            contrast[i] = float(draws[i].contrast);
        }
        auto shape = [&](const torch::Tensor& t) { return t.to(device).view({ n, 1, 1, 1 }); };
        const auto f = images.to(torch::kFloat32);
        const auto grey
            = (f.select(1, 0) * 0.299f + f.select(1, 1) * 0.587f + f.select(1, 2) * 0.114f).unsqueeze(1);
        const auto mean = grey.mean({ 1, 2, 3 }, /*keepdim=*/true);
        const auto k = (1.0f - shape(contrast)) * mean + shape(bright);
        images = (f * shape(a) + grey * shape(b) + k).add_(0.5).floor_().clamp_(0, 255).to(torch::kUInt8);
    }
}

} // namespace msup::engine
