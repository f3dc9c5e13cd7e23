#pragma once

#include "core/data/dataset.h"

#include <QImage>
#include <QSize>
#include <opencv2/core.hpp>

namespace msup {

// Decodes an image as 8-bit RGB (CV_8UC3, R first). Throws msup::Error naming the file when it is
// missing, unreadable or truncated.
cv::Mat loadImageRgb(const QString& path);

// The RGB image of a sample, wherever it is stored: an image file, or a frame of a container
// (NYUDv2 .mat, read lazily). Use this rather than loadImageRgb(sample.imagePath) for samples.
cv::Mat loadSampleImage(const Dataset& dataset, const Sample& sample);

// Decodes the label map of a sample: CV_8UC1 with class indices 0..K-1 and dataset.ignoreIndex for
// void pixels. Binary masks are thresholded at 128 (0/1 masks are taken as they are); GLaS instance
// ids are binarised (any instance = gland). Throws msup::Error naming the file when it is
// unreadable, when its size differs from `expectedSize` (if valid), or when it holds labels outside
// the class range.
cv::Mat loadLabels(const Dataset& dataset, const Sample& sample, QSize expectedSize = {});

// Number of object instances in an instance-id annotation (GLaS), or -1 for other encodings.
int countInstances(const Dataset& dataset, const Sample& sample);

// Size of an image from its header only (no decoding); invalid QSize when unreadable.
QSize imageSizeFromHeader(const QString& path);

// Conversions between OpenCV and Qt images (deep copies, so no memory is shared across threads).
QImage rgbToQImage(const cv::Mat& rgb);
cv::Mat qImageToRgb(const QImage& image);
// Single-channel 8-bit maps (class indices, hole masks) as Grayscale8 QImages and back; an empty
// or non-8-bit input gives an empty result.
QImage gray8ToQImage(const cv::Mat& map);
cv::Mat qImageToGray8(const QImage& image);

} // namespace msup
