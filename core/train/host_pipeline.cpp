#include "core/train/host_pipeline.h"

#include "core/base/rng.h"
#include "core/data/augment.h"

#include <QtConcurrent/QtConcurrentMap>

#include <torch/torch.h>

#include <cstring>
#include <exception>
#include <mutex>
#include <numeric>

namespace msup {

engine::HoleFill holeFillOf(const QString& text)
{
    return text == QLatin1String("black") ? engine::HoleFill::Black
        : text == QLatin1String("noise")  ? engine::HoleFill::Noise
                                          : engine::HoleFill::Zero;
}

AugmentDraw augmentDrawAt(std::uint64_t seed, int epoch, int position)
{
    Rng rng(Rng::derive(seed, 0xa06, epoch, position));
    return AugmentDraw::draw(rng);
}

namespace {

    // Sample i's hole mask (1 = hole) and, for the noise fill, its noise bytes, written into the batch.
    void holesOf(engine::HostBatch& b, int i, const MaskSource& holes, std::uint64_t seed, int epoch,
        int position, engine::HoleFill fill)
    {
        const int s = int(b.holes.size(2));
        const size_t plane = size_t(s) * s;
        // The hole mask of (epoch, position in the epoch) is a pure function of the run seed.
        const cv::Mat m = holes.generate(s, s, Rng::derive(seed, 0x401e, epoch, position));
        std::uint8_t* h = b.holes.data_ptr<std::uint8_t>() + size_t(i) * plane;
        for (int y = 0; y < s; ++y) {
            const uchar* p = m.ptr(y);
            std::uint8_t* row = h + size_t(y) * s;
            for (int x = 0; x < s; ++x)
                row[x] = p[x] != 0;
        }
        if (fill == engine::HoleFill::Noise) {
            // Uniform 8-bit noise (normalised on the device like an image), seeded like the mask:
            // eight bytes of each 64-bit draw.
            Rng noise(Rng::derive(seed, 0x6015e, epoch, position));
            std::uint8_t* f = b.noise.data_ptr<std::uint8_t>() + size_t(i) * 3 * plane;
            const size_t n = 3 * plane;
            size_t k = 0;
            for (; k + 8 <= n; k += 8) {
                const std::uint64_t v = noise.next();
                for (int j = 0; j < 8; ++j)
                    f[k + j] = std::uint8_t(v >> (8 * j));
            }
            for (std::uint64_t v = noise.next(); k < n; ++k, v >>= 8)
                f[k] = std::uint8_t(v);
        }
    }

    // Runs `work` for every position on the global thread pool; the first exception thrown (a sample
    // that cannot be decoded: msup::Error) is rethrown here as it was, not as QUnhandledException.
    template <typename Work> void forEachSample(QVector<int>& positions, const Work& work)
    {
        std::mutex mutex;
        std::exception_ptr first;
        QtConcurrent::blockingMap(positions, [&](int i) {
            try {
                work(i);
            } catch (...) {
                const std::lock_guard<std::mutex> lock(mutex);
                if (!first)
                    first = std::current_exception();
            }
        });
        if (first)
            std::rethrow_exception(first);
    }

} // namespace

engine::HostBatch buildHostBatch(const SampleCache& cache, const QVector<int>& indices, int from, int count,
    const MaskSource* holes, const AugmentOptions* augment, int ignoreIndex, std::uint64_t seed, int epoch,
    engine::HoleFill fill, bool pinned)
{
    const int s = cache.size();
    const size_t plane = size_t(s) * s;
    engine::HostBatch b = engine::allocateHostBatch(
        count, s, holes != nullptr, holes && fill == engine::HoleFill::Noise, pinned);
    std::uint8_t* images = b.images.data_ptr<std::uint8_t>();
    std::uint8_t* labels = b.labels.data_ptr<std::uint8_t>();
    // One task per sample on the global thread pool (this runs on the prefetch thread while the
    // model computes): samples not in the memory cache are decoded (or read from the disk cache),
    // augmented, split into planes and given their hole masks in parallel. Every sample writes its
    // own slice of the batch, so the result is the same for any number of threads.
    QVector<int> positions(count);
    std::iota(positions.begin(), positions.end(), 0);
    forEachSample(positions, [&](int i) {
        const CachedSample c = cache.get(indices[from + i]);
        cv::Mat image = c.image, lab = c.labels;
        if (augment && augment->any()) {
            // Copies: the cache stays as decoded. The draws are a pure function of the run seed.
            image = image.clone();
            lab = lab.clone();
            augmentPair(image, lab, *augment, augmentDrawAt(seed, epoch, from + i), ignoreIndex);
        }
        // Interleaved RGB to three planes, straight into the batch.
        std::uint8_t* dst = images + size_t(i) * 3 * plane;
        cv::Mat planes[3] = { cv::Mat(s, s, CV_8UC1, dst), cv::Mat(s, s, CV_8UC1, dst + plane),
            cv::Mat(s, s, CV_8UC1, dst + 2 * plane) };
        cv::split(image, planes);
        lab.copyTo(cv::Mat(s, s, CV_8UC1, labels + size_t(i) * plane));
        if (holes)
            holesOf(b, i, *holes, seed, epoch, from + i, fill);
    });
    return b;
}

void fillHoleMasks(engine::HostBatch& batch, const MaskSource& holes, std::uint64_t seed, int epoch, int from,
    engine::HoleFill fill)
{
    const int count = int(batch.holes.size(0));
    QVector<int> positions(count);
    std::iota(positions.begin(), positions.end(), 0);
    forEachSample(positions, [&](int i) { holesOf(batch, i, holes, seed, epoch, from + i, fill); });
}

} // namespace msup
