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

    QJsonObject toJson() const;

private:
    struct ClassCounts {
        std::int64_t tp = 0, fp = 0, fn = 0;
    };
    ClassCounts counts(int c) const;

    int m_k;
    QVector<std::int64_t> m_counts;
};

} // namespace msup
