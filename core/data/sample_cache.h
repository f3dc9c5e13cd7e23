#pragma once

#include "core/data/dataset.h"

#include <QString>
#include <opencv2/core.hpp>

#include <memory>

namespace msup {

// Resizes an RGB image (CV_8UC3) to size×size (area when shrinking, linear otherwise) and its labels
// (CV_8UC1) with nearest neighbour, as the network is trained and evaluated.
cv::Mat resizeImage(const cv::Mat& rgb, int size);
cv::Mat resizeLabels(const cv::Mat& labels, int size);

// One sample decoded and resized to the model size.
struct CachedSample {
    cv::Mat image; // CV_8UC3 size×size, R first
    cv::Mat labels; // CV_8UC1 size×size, class indices or the ignore index
};

struct SampleCacheStats {
    int memoryHits = 0;
    int diskHits = 0;
    int decodes = 0;
    int inMemory = 0; // samples held in memory
    qint64 memoryBytes = 0;
};

// Decoded, resized samples, so that epochs after the first do not decode JPEG/BMP/TIFF/.mat again.
// In memory up to a budget (the first samples to arrive are kept: with shuffled epochs that gives
// the best hit rate for a budget smaller than the dataset), optionally on disk as well (raw bytes,
// one file per sample, keyed by the files' paths, sizes and modification times, the frame, the
// label encoding and the model size, so a changed file is never served stale). Thread-safe: decoding
// runs outside the lock, so several threads fill the cache at once.
class SampleCache {
public:
    // memoryBudgetBytes <= 0 keeps nothing in memory; an empty diskDir disables the disk cache.
    // Throws msup::Error when diskDir cannot be created.
    SampleCache(const Dataset& dataset, int size, qint64 memoryBudgetBytes, const QString& diskDir = {});
    ~SampleCache();
    SampleCache(const SampleCache&) = delete;
    SampleCache& operator=(const SampleCache&) = delete;

    int size() const;
    // Throws msup::Error naming the file when the sample cannot be decoded.
    CachedSample get(int index) const;
    SampleCacheStats stats() const;
    // Bytes one sample takes in memory at this size.
    qint64 bytesPerSample() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace msup
