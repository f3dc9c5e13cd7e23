#pragma once

#include <QImage>
#include <opencv2/core.hpp>

namespace msup {
namespace ui {

    // The masked image as the network sees it: pixels where `mask` is non-zero become mid-grey
    // (128, 128, 128), which is 0 after normalisation with mean 0.5 and std 0.5.
    QImage applyHoles(const QImage& rgb, const cv::Mat& mask);

} // namespace ui
} // namespace msup
