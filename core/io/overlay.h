#pragma once

#include <QColor>
#include <QImage>
#include <QVector>
#include <opencv2/core.hpp>

namespace msup {

struct OverlayOptions {
    double opacity = 0.5; // 0 = image only, 1 = label colours only
    bool skipBackground = true; // class 0 left uncoloured (binary and most scenes)
    int ignoreIndex = 255; // void pixels left uncoloured
    int outlineThickness = 0; // 0: fill every pixel; N > 0: paint only class boundaries, N px thick
};

// Class boundaries of a label map (CV_8UC1): 255 where a pixel's label differs from one of its 4
// neighbours, then grown by `thickness` - 1 pixels (3×3), 0 elsewhere. Empty for an empty or
// non-8-bit map.
cv::Mat labelBoundaries(const cv::Mat& labels, int thickness = 2);

// The overlay every view uses for a task of `classCount` classes: a binary task leaves its
// background uncoloured (only the foreground is painted); a multi-class task paints every class,
// class 0 included (e.g. NYUDv2's "wall"). Void pixels are never painted.
OverlayOptions overlayOptionsFor(int classCount, int ignoreIndex, double opacity);

// Blends class colours over an RGB image (CV_8UC3), every labelled pixel or, with
// outlineThickness, only the class boundaries. `labels` is CV_8UC1 of the same size.
QImage colorOverlay(const cv::Mat& rgb, const cv::Mat& labels, const QVector<QColor>& colors,
    const OverlayOptions& options = {});

// Label map as an indexed (palette) image, index = class, void = ignoreIndex painted black.
QImage labelsToIndexed(const cv::Mat& labels, const QVector<QColor>& colors, int ignoreIndex = 255);

} // namespace msup
