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

    // Pixels per label value (256 bins) of a CV_8UC1 map.
    QVector<qint64> labelHistogram(const cv::Mat& labels);

} // namespace ui
} // namespace msup
