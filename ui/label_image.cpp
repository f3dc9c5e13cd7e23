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

    cv::Mat labelBoundaries(const cv::Mat& labels, int thickness)
    {
        if (labels.empty() || labels.type() != CV_8UC1)
            return {};
        const int rows = labels.rows, cols = labels.cols;
        cv::Mat edges(rows, cols, CV_8UC1, cv::Scalar(0));
        for (int y = 0; y < rows; ++y) {
            const uchar* above = labels.ptr(std::max(0, y - 1));
            const uchar* row = labels.ptr(y);
            const uchar* below = labels.ptr(std::min(rows - 1, y + 1));
            uchar* out = edges.ptr(y);
            for (int x = 0; x < cols; ++x) {
                const uchar l = row[x];
                const bool differs = (x > 0 && row[x - 1] != l) || (x + 1 < cols && row[x + 1] != l)
                    || above[x] != l || below[x] != l;
                out[x] = differs ? 255 : 0;
            }
        }
        // Thicken with a 3×3 square, once per extra pixel of thickness.
        for (int pass = 1; pass < thickness; ++pass) {
            cv::Mat grown(rows, cols, CV_8UC1, cv::Scalar(0));
            for (int y = 0; y < rows; ++y) {
                uchar* out = grown.ptr(y);
                for (int dy = -1; dy <= 1; ++dy) {
                    const int yy = y + dy;
                    if (yy < 0 || yy >= rows)
                        continue;
                    const uchar* in = edges.ptr(yy);
                    for (int x = 0; x < cols; ++x) {
                        if (in[x] || (x > 0 && in[x - 1]) || (x + 1 < cols && in[x + 1]))
                            out[x] = 255;
                    }
                }
            }
            edges = grown;
        }
        return edges;
    }

    QImage outlineOverlay(const cv::Mat& rgb, const cv::Mat& labels, const QVector<QColor>& colors,
        double opacity, bool skipBackground, int ignoreIndex, int thickness)
    {
        if (rgb.empty() || rgb.type() != CV_8UC3 || labels.type() != CV_8UC1 || rgb.size() != labels.size())
            return {};
        const double a = std::clamp(opacity, 0.0, 1.0);
        const cv::Mat edges = labelBoundaries(labels, thickness);
        QImage out(rgb.cols, rgb.rows, QImage::Format_RGB888);
        for (int y = 0; y < rgb.rows; ++y) {
            const uchar* src = rgb.ptr(y);
            const uchar* lab = labels.ptr(y);
            const uchar* edge = edges.ptr(y);
            uchar* dst = out.scanLine(y);
            for (int x = 0; x < rgb.cols; ++x) {
                const int l = lab[x];
                const bool paint
                    = edge[x] && l != ignoreIndex && l < colors.size() && !(skipBackground && l == 0);
                if (!paint) {
                    std::copy_n(src + 3 * x, 3, dst + 3 * x);
                    continue;
                }
                const QColor& c = colors[l];
                dst[3 * x] = static_cast<uchar>((1 - a) * src[3 * x] + a * c.red() + 0.5);
                dst[3 * x + 1] = static_cast<uchar>((1 - a) * src[3 * x + 1] + a * c.green() + 0.5);
                dst[3 * x + 2] = static_cast<uchar>((1 - a) * src[3 * x + 2] + a * c.blue() + 0.5);
            }
        }
        return out;
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
