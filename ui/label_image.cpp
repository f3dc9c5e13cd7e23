#include "ui/label_image.h"

#include <algorithm>

namespace msup {
namespace ui {

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

    QVector<qint64> labelHistogram(const cv::Mat& labels)
    {
        QVector<qint64> counts(256, 0);
        if (labels.empty() || labels.type() != CV_8UC1)
            return counts;
        for (int y = 0; y < labels.rows; ++y) {
            const uchar* row = labels.ptr(y);
            for (int x = 0; x < labels.cols; ++x)
                ++counts[row[x]];
        }
        return counts;
    }

} // namespace ui
} // namespace msup
