#pragma once

#include <QByteArray>
#include <QString>
#include <opencv2/core.hpp>

namespace msup {

// Decodes JPEG bytes with libjpeg directly, so that nothing is ever printed to the terminal:
// libjpeg's warnings (corrupt or truncated data, which it would "repair" with grey blocks) and
// errors become msup::Error naming `path`. A partly decodable JPEG is an error: its pair is skipped.
// `grey` asks for one channel (libjpeg's luma, as cv::IMREAD_GRAYSCALE), otherwise 3 channels R
// first. Returns an empty Mat (after checking the data) when the file needs a transform the plain
// decoder does not apply (an EXIF orientation, CMYK/YCCK): the caller then decodes the checked
// bytes with OpenCV, which gives the same pixels as cv::imread.
cv::Mat decodeJpegChecked(const QByteArray& bytes, const QString& path, bool grey);

// True when `bytes` start with the JPEG signature FF D8.
bool isJpegData(const QByteArray& bytes);

} // namespace msup
