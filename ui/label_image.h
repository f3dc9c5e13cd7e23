#pragma once

#include <QColor>
#include <QImage>
#include <QVector>
#include <opencv2/core.hpp>

namespace msup {
namespace ui {

    // The masked image as the network sees it: pixels where `mask` is non-zero become mid-grey
    // (128, 128, 128), which is 0 after normalisation with mean 0.5 and std 0.5.
    QImage applyHoles(const QImage& rgb, const cv::Mat& mask);

    // Class boundaries of a label map (CV_8UC1): 255 where a pixel's label differs from one of its
    // 4 neighbours, then dilated by `thickness` - 1 pixels (3×3), 0 elsewhere. Empty for an empty or
    // non-8-bit map.
    cv::Mat labelBoundaries(const cv::Mat& labels, int thickness = 2);

    // The outline view of the labels: the image with only the class boundaries painted, each
    // boundary pixel in the colour of its own class blended at `opacity` (0 = image only, 1 = pure
    // colour). Like the filled overlay, void pixels (`ignoreIndex`), labels without a colour and,
    // when `skipBackground` is set, class 0 are never painted. `rgb` is CV_8UC3 and `labels` CV_8UC1
    // of the same size; anything else gives a null image.
    QImage outlineOverlay(const cv::Mat& rgb, const cv::Mat& labels, const QVector<QColor>& colors,
        double opacity, bool skipBackground, int ignoreIndex, int thickness = 2);

    // Pixels per label value (256 bins) of a CV_8UC1 map.
    QVector<qint64> labelHistogram(const cv::Mat& labels);

} // namespace ui
} // namespace msup
