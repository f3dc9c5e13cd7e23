#include "core/train/host_pipeline.h"

#include "core/base/rng.h"
#include "core/train/tensor_utils.h"

#include <QtConcurrent/QtConcurrentMap>

#include <numeric>

namespace msup {

HoleFill parseHoleFill(const QString& f)
{
    return f == QLatin1String("black") ? HoleFill::Black
        : f == QLatin1String("noise")  ? HoleFill::Noise
                                       : HoleFill::Zero;
}

// `augment` is given for training batches only; validation batches are never augmented.
Batch makeBatch(const SampleCache& cache, const QVector<int>& indices, int from, int count,
    const MaskSource* holes, const AugmentOptions* augment, int ignoreIndex, std::uint64_t seed, int epoch,
    const torch::Device& device, HoleFill fill)
{
    const int s = cache.size();
    // Samples not in the memory cache are decoded (or read from the disk cache) on the thread
    // pool, in parallel; this runs on the prefetch thread while the model computes.
    QVector<int> positions(count);
    std::iota(positions.begin(), positions.end(), 0);
    const QList<CachedSample> samples
        = QtConcurrent::blockingMapped(positions, [&](int i) { return cache.get(indices[from + i]); });
    Batch b;
    b.images = torch::empty({ count, 3, s, s }, torch::kFloat32);
    b.target = torch::empty({ count, s, s }, torch::kInt64);
    float* img = b.images.data_ptr<float>();
    int64_t* tgt = b.target.data_ptr<int64_t>();
    if (holes)
        b.holes = torch::empty({ count, 1, s, s }, torch::kFloat32);
    if (holes && fill == HoleFill::Black)
        b.fill = torch::full({ 1 }, -1.0f); // normalised black
    if (holes && fill == HoleFill::Noise)
        b.fill = torch::empty({ count, 3, s, s }, torch::kFloat32);
    for (int i = 0; i < count; ++i) {
        cv::Mat image = samples[i].image;
        cv::Mat lab = samples[i].labels;
        if (augment && augment->any()) {
            // Copies: the cache stays as decoded. The draws are a pure function of the run seed.
            image = image.clone();
            lab = lab.clone();
            Rng rng(Rng::derive(seed, 0xa06, epoch, from + i));
            augmentPair(image, lab, *augment, rng, ignoreIndex);
        }
        normaliseInto(image, img + static_cast<size_t>(i) * 3 * s * s);
        for (int y = 0; y < s; ++y) {
            const uchar* p = lab.ptr(y);
            for (int x = 0; x < s; ++x)
                tgt[static_cast<size_t>(i) * s * s + y * s + x] = p[x];
        }
        if (holes) {
            // The hole mask of (epoch, position in the epoch) is a pure function of the run seed.
            const cv::Mat m = holes->generate(s, s, Rng::derive(seed, 0x401e, epoch, from + i));
            float* h = b.holes.data_ptr<float>() + static_cast<size_t>(i) * s * s;
            for (int y = 0; y < s; ++y) {
                const uchar* p = m.ptr(y);
                for (int x = 0; x < s; ++x)
                    h[y * s + x] = p[x] ? 1.f : 0.f;
            }
            if (fill == HoleFill::Noise) {
                // Uniform noise in the normalised range, seeded like the mask.
                Rng noise(Rng::derive(seed, 0x6015e, epoch, from + i));
                float* f = b.fill.data_ptr<float>() + static_cast<size_t>(i) * 3 * s * s;
                for (size_t k = 0; k < static_cast<size_t>(3) * s * s; ++k)
                    f[k] = static_cast<float>(noise.uniform() * 2.0 - 1.0);
            }
        }
    }
    b.images = b.images.to(device);
    b.target = b.target.to(device);
    if (holes)
        b.holes = b.holes.to(device);
    if (b.fill.defined())
        b.fill = b.fill.to(device);
    return b;
}

} // namespace msup
