#pragma once

#include <QJsonObject>
#include <QVector>

#include <cstdint>

namespace msup {

// Accumulated K×K confusion matrix (rows = truth, columns = prediction). Pixels whose truth is the
// ignore index are skipped. All metrics are computed from the accumulated counts, never averaged
// over images.
class ConfusionMatrix {
public:
    explicit ConfusionMatrix(int classes = 2);

    void add(const std::uint8_t* truth, const std::uint8_t* prediction, std::size_t n, int ignoreIndex = 255);
    void addCount(int truth, int prediction, std::int64_t count);
    void merge(const ConfusionMatrix& other);

    int classes() const { return m_k; }
    std::int64_t at(int truth, int prediction) const { return m_counts[truth * m_k + prediction]; }

    // IoU per class (NaN for a class absent from both truth and prediction).
    QVector<double> iou() const;
    QVector<double> dice() const;
    // Mean over classes with a defined IoU.
    double meanIoU() const;
    double meanDice() const;
    double pixelAccuracy() const;
    // The reference code's NYUDv2 figure, named as such: micro-averaged Jaccard over all classes,
    // ΣTP / (ΣTP + ΣFP + ΣFN) = correct / (correct + 2·wrong) for single-label pixels (void ignored).
    double referenceMicroJaccard() const;

    QJsonObject toJson() const;

private:
    struct ClassCounts {
        std::int64_t tp = 0, fp = 0, fn = 0;
    };
    ClassCounts counts(int c) const;
    std::int64_t correct() const; // the diagonal
    std::int64_t total() const; // every counted pixel

    int m_k;
    QVector<std::int64_t> m_counts;
};

// The reference code's figure for binary tasks, named as such: foreground IoU of each image
// ((intersection + 1e-5) / (union + 1e-5), so an image with no foreground in either scores 1),
// averaged over images. It weights small and large glands or polyps per image, unlike the
// accumulated confusion matrix.
class ReferenceBinaryIou {
public:
    // One image: truth and prediction hold class indices (1 = foreground); ignored pixels skipped.
    void addImage(
        const std::uint8_t* truth, const std::uint8_t* prediction, std::size_t n, int ignoreIndex = 255);
    // The same from one image's counts: foreground pixels in both, and in either.
    void addImageCounts(std::int64_t intersection, std::int64_t unionPixels);
    int images() const { return m_images; }
    double mean() const { return m_images == 0 ? 0.0 : m_sum / m_images; }

private:
    double m_sum = 0;
    int m_images = 0;
};

} // namespace msup
