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
    QVector<bool> hidden; // hidden[c] true: class c left uncoloured (legend show/hide)
};

// Class boundaries of a label map (CV_8UC1): 255 where a pixel's label differs from one of its 4
// neighbours, then grown by `thickness` - 1 pixels (3×3), 0 elsewhere. Empty for an empty or
// non-8-bit map.
cv::Mat labelBoundaries(const cv::Mat& labels, int thickness = 2);

// The overlay every view uses for a task of `classCount` classes: a binary task leaves its
// background uncoloured (only the foreground is painted); a multi-class task paints every class,
// class 0 included (e.g. NYUDv2's "wall"). Void pixels are never painted.
OverlayOptions overlayOptionsFor(int classCount, int ignoreIndex, double opacity);

// Whether text can be drawn on images in this process: fonts need a QGuiApplication (a plain
// QCoreApplication has none). Legends, titles and report charts check it first.
bool canDrawText();

// Blends class colours over an RGB image (CV_8UC3), every labelled pixel or, with
// outlineThickness, only the class boundaries. `labels` is CV_8UC1 of the same size.
QImage colorOverlay(const cv::Mat& rgb, const cv::Mat& labels, const QVector<QColor>& colors,
    const OverlayOptions& options = {});

// Error mode: how each pixel of a prediction compares with its ground truth.
enum ErrorCode : uchar {
    ErrorNone = 0, // true negative, or a pixel outside the focus class
    ErrorTruePositive = 1, // predicted and true class agree (the focus class, or any class)
    ErrorFalsePositive = 2, // predicted the focus class where the truth is another class
    ErrorFalseNegative = 3, // the truth is the focus class, another class was predicted
    ErrorWrongClass = 4, // all-classes mode of a multi-class task: predicted class differs from truth
    ErrorIgnored = 255 // void pixel of the ground truth
};

struct ErrorCounts {
    qint64 truePositive = 0;
    qint64 falsePositive = 0;
    qint64 falseNegative = 0;
    qint64 wrongClass = 0;
};

// Per-pixel ErrorCode map (CV_8UC1) of `prediction` against `truth` (both CV_8UC1, same size).
// focusClass >= 0 compares that class with the rest. focusClass < 0 means "every class": a binary
// task (classCount <= 2) then focuses on class 1; a multi-class task marks every agreeing pixel
// ErrorTruePositive and every disagreeing one ErrorWrongClass. Void pixels (ignoreIndex) of the
// truth are ErrorIgnored. Throws std::invalid_argument on a type or size mismatch.
cv::Mat errorCodes(const cv::Mat& truth, const cv::Mat& prediction, int classCount, int focusClass,
    int ignoreIndex = 255, ErrorCounts* counts = nullptr);

// The colours of the error codes, indexed by ErrorCode (0 and 255 are never painted): true
// positive green, false positive red, false negative blue, wrong class orange.
QVector<QColor> errorColors();

// Blends the error colours over `rgb` (CV_8UC3) following `codes` (from errorCodes()).
QImage errorOverlay(const cv::Mat& rgb, const cv::Mat& codes, double opacity, int outlineThickness = 0);

// Label map as an indexed (palette) image, index = class, void = ignoreIndex painted black.
QImage labelsToIndexed(const cv::Mat& labels, const QVector<QColor>& colors, int ignoreIndex = 255);

// Per-pixel uncertainty (CV_32FC1, values in [0, 1], e.g. PredictionMaps::uncertainty) as a heat map
// on an absolute scale (0 black, through purple and orange, to 1 pale yellow: the "inferno" colour
// map), so that maps of different images compare. An 8-bit palette image; throws
// std::invalid_argument for another type.
QImage uncertaintyHeatmap(const cv::Mat& uncertainty);

// The heat map over `rgb` (CV_8UC3, same size): each pixel blended with weight opacity × its
// uncertainty, so that certain pixels keep the image.
QImage uncertaintyOverlay(const cv::Mat& rgb, const cv::Mat& uncertainty, double opacity);

} // namespace msup
