#pragma once

#include "core/data/dataset.h"

#include <QImage>
#include <QSize>
#include <opencv2/core.hpp>

namespace msup {

// Decodes an image as 8-bit RGB (CV_8UC3, R first). Throws msup::Error naming the file when it is
// missing, unreadable, truncated or damaged. Every decoder of the engine goes through the two
// functions below, so one file gets one verdict wherever it is read (inspect, training,
// evaluation, export, the GUI), and no decoder message reaches the terminal without its file:
// - a JPEG without its end-of-image marker is refused before decoding, and so is a PNG whose chunks
//   do not all fit in the file, pass their CRC check and end with IEND;
// - JPEGs are decoded with libjpeg directly: a warning (corrupt data that libjpeg would fill with
//   grey) is an error naming the file, never a line on stderr. A partly decodable image is refused.
cv::Mat loadImageRgb(const QString& path);

// The bytes of an image file, checked for truncation and damage (JPEG end marker; PNG chunk
// lengths, CRCs and IEND). Throws msup::Error naming the file.
QByteArray readImageFileChecked(const QString& path);
// Decodes checked bytes like cv::imread(path, flags) (BGR for colour); JPEG warnings are errors
// naming `path`. Returns an empty Mat when OpenCV cannot decode the bytes.
cv::Mat decodeImageChecked(const QByteArray& bytes, const QString& path, int flags);

// The RGB image of a sample, wherever it is stored: an image file, or a frame of a container
// (NYUDv2 .mat, read lazily). Use this rather than loadImageRgb(sample.imagePath) for samples.
cv::Mat loadSampleImage(const Dataset& dataset, const Sample& sample);

// Decodes the label map of a sample: CV_8UC1 with class indices 0..K-1 and dataset.ignoreIndex for
// void pixels. Binary masks are thresholded at 128 (0/1 masks are taken as they are); GLaS instance
// ids are binarised (any instance = gland). Throws msup::Error naming the file when it is
// unreadable, when its size differs from `expectedSize` (if valid), or when it holds labels outside
// the class range.
cv::Mat loadLabels(const Dataset& dataset, const Sample& sample, QSize expectedSize = {});

// The instance ids of an instance-id annotation (GLaS): CV_8UC1, 0 = background. An empty Mat for
// other encodings and for samples with a hand correction (which holds classes, not instances).
// Throws msup::Error naming the file when it cannot be decoded.
cv::Mat loadInstanceIds(const Dataset& dataset, const Sample& sample);
// Reads a label image as its stored values, for scoring another tool's predictions: 8-bit palette
// indices or greyscale, or 16-bit greyscale (instance maps with many objects), as CV_32SC1. Throws
// msup::Error naming the file when it is unreadable or holds colours.
cv::Mat loadLabelValues(const QString& path);

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
