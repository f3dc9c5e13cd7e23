#include "ui/label_image.h"

#include <cstring>

namespace msup {
namespace ui {

    QImage matToGray8(const cv::Mat& map)
    {
        if (map.empty() || map.type() != CV_8UC1)
            return {};
        QImage image(map.cols, map.rows, QImage::Format_Grayscale8);
        for (int y = 0; y < map.rows; ++y)
            std::memcpy(image.scanLine(y), map.ptr<unsigned char>(y), static_cast<size_t>(map.cols));
        return image;
    }

    cv::Mat gray8ToMat(const QImage& image)
    {
        if (image.isNull())
            return {};
        const QImage gray = image.format() == QImage::Format_Grayscale8
            ? image
            : image.convertToFormat(QImage::Format_Grayscale8);
        cv::Mat map(gray.height(), gray.width(), CV_8UC1);
        for (int y = 0; y < gray.height(); ++y)
            std::memcpy(map.ptr<unsigned char>(y), gray.constScanLine(y), static_cast<size_t>(gray.width()));
        return map;
    }

    QImage applyHoles(const QImage& rgb, const cv::Mat& mask)
    {
        if (rgb.isNull() || mask.empty() || mask.type() != CV_8UC1 || mask.cols != rgb.width()
            || mask.rows != rgb.height())
            return {};
        QImage masked = rgb.convertToFormat(QImage::Format_RGB888);
        for (int y = 0; y < masked.height(); ++y) {
            unsigned char* row = masked.scanLine(y);
            const unsigned char* holes = mask.ptr<unsigned char>(y);
            for (int x = 0; x < masked.width(); ++x) {
                if (holes[x] != 0) {
                    row[3 * x] = 128;
                    row[3 * x + 1] = 128;
                    row[3 * x + 2] = 128;
                }
            }
        }
        return masked;
    }

} // namespace ui
} // namespace msup
