#include "ui/label_image.h"

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

} // namespace ui
} // namespace msup
