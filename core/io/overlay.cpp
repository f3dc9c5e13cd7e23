#include "core/io/overlay.h"

#include <QGuiApplication>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace msup {

bool canDrawText()
{
    return qobject_cast<QGuiApplication*>(QCoreApplication::instance()) != nullptr;
}

OverlayOptions overlayOptionsFor(int classCount, int ignoreIndex, double opacity)
{
    OverlayOptions o;
    o.opacity = opacity;
    o.skipBackground = classCount <= 2;
    o.ignoreIndex = ignoreIndex;
    return o;
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
    if (thickness > 1)
        cv::dilate(edges, edges, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)), cv::Point(-1, -1),
            thickness - 1);
    return edges;
}

QImage colorOverlay(
    const cv::Mat& rgb, const cv::Mat& labels, const QVector<QColor>& colors, const OverlayOptions& options)
{
    if (rgb.type() != CV_8UC3 || labels.type() != CV_8UC1 || rgb.size() != labels.size())
        throw std::invalid_argument("colorOverlay: image and labels must be 8-bit RGB and 8-bit "
                                    "labels of the same size");
    const double a = std::clamp(options.opacity, 0.0, 1.0);
    const cv::Mat edges
        = options.outlineThickness > 0 ? labelBoundaries(labels, options.outlineThickness) : cv::Mat();
    QImage out(rgb.cols, rgb.rows, QImage::Format_RGB888);
    for (int y = 0; y < rgb.rows; ++y) {
        const uchar* src = rgb.ptr(y);
        const uchar* lab = labels.ptr(y);
        const uchar* edge = edges.empty() ? nullptr : edges.ptr(y);
        uchar* dst = out.scanLine(y);
        for (int x = 0; x < rgb.cols; ++x) {
            const int l = lab[x];
            const bool paint = (!edge || edge[x]) && l != options.ignoreIndex && l < colors.size()
                && !(options.skipBackground && l == 0) && !(l < options.hidden.size() && options.hidden[l]);
            if (!paint) {
                dst[3 * x] = src[3 * x];
                dst[3 * x + 1] = src[3 * x + 1];
                dst[3 * x + 2] = src[3 * x + 2];
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

cv::Mat errorCodes(const cv::Mat& truth, const cv::Mat& prediction, int classCount, int focusClass,
    int ignoreIndex, ErrorCounts* counts)
{
    if (truth.type() != CV_8UC1 || prediction.type() != CV_8UC1 || truth.size() != prediction.size())
        throw std::invalid_argument("errorCodes: the ground truth and the prediction must be 8-bit "
                                    "label maps of the same size");
    const int focus = focusClass >= 0 ? focusClass : (classCount <= 2 ? 1 : -1);
    ErrorCounts n;
    cv::Mat codes(truth.size(), CV_8UC1);
    for (int y = 0; y < truth.rows; ++y) {
        const uchar* t = truth.ptr(y);
        const uchar* p = prediction.ptr(y);
        uchar* out = codes.ptr(y);
        for (int x = 0; x < truth.cols; ++x) {
            uchar code = ErrorNone;
            if (t[x] == ignoreIndex) {
                code = ErrorIgnored;
            } else if (focus < 0) {
                code = t[x] == p[x] ? ErrorTruePositive : ErrorWrongClass;
            } else if (t[x] == focus) {
                code = p[x] == focus ? ErrorTruePositive : ErrorFalseNegative;
            } else if (p[x] == focus) {
                code = ErrorFalsePositive;
            }
            switch (code) {
            case ErrorTruePositive:
                ++n.truePositive;
                break;
            case ErrorFalsePositive:
                ++n.falsePositive;
                break;
            case ErrorFalseNegative:
                ++n.falseNegative;
                break;
            case ErrorWrongClass:
                ++n.wrongClass;
                break;
            default:
                break;
            }
            out[x] = code;
        }
    }
    if (counts)
        *counts = n;
    return codes;
}

QVector<QColor> errorColors()
{
    return { QColor(0, 0, 0), QColor(40, 200, 60), QColor(235, 50, 50), QColor(50, 120, 255),
        QColor(255, 150, 20) };
}

QImage errorOverlay(const cv::Mat& rgb, const cv::Mat& codes, double opacity, int outlineThickness)
{
    OverlayOptions options;
    options.opacity = opacity;
    options.skipBackground = true; // ErrorNone
    options.ignoreIndex = ErrorIgnored;
    options.outlineThickness = outlineThickness;
    return colorOverlay(rgb, codes, errorColors(), options);
}

QImage labelsToIndexed(const cv::Mat& labels, const QVector<QColor>& colors, int ignoreIndex)
{
    if (labels.type() != CV_8UC1)
        throw std::invalid_argument("labelsToIndexed: labels must be 8-bit");
    QVector<QRgb> table(256, qRgb(0, 0, 0));
    for (int i = 0; i < colors.size() && i < 256; ++i)
        table[i] = colors[i].rgb();
    if (ignoreIndex >= 0 && ignoreIndex < 256)
        table[ignoreIndex] = qRgb(0, 0, 0);
    QImage out(labels.cols, labels.rows, QImage::Format_Indexed8);
    out.setColorTable(table);
    for (int y = 0; y < labels.rows; ++y)
        std::copy_n(labels.ptr(y), labels.cols, out.scanLine(y));
    return out;
}

namespace {

    // The inferno colour map (OpenCV's), as 256 QRgb values for 0 .. 255.
    const QVector<QRgb>& infernoTable()
    {
        static const QVector<QRgb> table = [] {
            cv::Mat ramp(1, 256, CV_8UC1);
            for (int i = 0; i < 256; ++i)
                ramp.at<uchar>(0, i) = uchar(i);
            cv::Mat bgr;
            cv::applyColorMap(ramp, bgr, cv::COLORMAP_INFERNO);
            QVector<QRgb> t(256);
            for (int i = 0; i < 256; ++i) {
                const cv::Vec3b c = bgr.at<cv::Vec3b>(0, i);
                t[i] = qRgb(c[2], c[1], c[0]);
            }
            return t;
        }();
        return table;
    }

    uchar uncertaintyLevel(float u)
    {
        return uchar(std::lround(std::clamp(std::isfinite(u) ? u : 0.f, 0.f, 1.f) * 255.f));
    }

    void checkUncertainty(const cv::Mat& u, const char* what)
    {
        if (u.type() != CV_32FC1)
            throw std::invalid_argument(std::string(what) + ": the uncertainty must be CV_32FC1");
    }

} // namespace

QImage uncertaintyHeatmap(const cv::Mat& uncertainty)
{
    checkUncertainty(uncertainty, "uncertaintyHeatmap");
    QImage out(uncertainty.cols, uncertainty.rows, QImage::Format_Indexed8);
    out.setColorTable(infernoTable());
    for (int y = 0; y < uncertainty.rows; ++y) {
        const float* u = uncertainty.ptr<float>(y);
        uchar* o = out.scanLine(y);
        for (int x = 0; x < uncertainty.cols; ++x)
            o[x] = uncertaintyLevel(u[x]);
    }
    return out;
}

QImage uncertaintyOverlay(const cv::Mat& rgb, const cv::Mat& uncertainty, double opacity)
{
    checkUncertainty(uncertainty, "uncertaintyOverlay");
    if (rgb.type() != CV_8UC3 || rgb.size() != uncertainty.size())
        throw std::invalid_argument("uncertaintyOverlay: expected an 8-bit RGB image of the map's size");
    const QVector<QRgb>& table = infernoTable();
    const float a = float(std::clamp(opacity, 0.0, 1.0));
    QImage out(rgb.cols, rgb.rows, QImage::Format_RGB32);
    for (int y = 0; y < rgb.rows; ++y) {
        const cv::Vec3b* p = rgb.ptr<cv::Vec3b>(y);
        const float* u = uncertainty.ptr<float>(y);
        QRgb* o = reinterpret_cast<QRgb*>(out.scanLine(y));
        for (int x = 0; x < rgb.cols; ++x) {
            const uchar level = uncertaintyLevel(u[x]);
            const QRgb c = table[level];
            const float w = a * level / 255.f;
            auto mix = [w](int image, int heat) { return int(std::lround(image + w * (heat - image))); };
            o[x] = qRgb(mix(p[x][0], qRed(c)), mix(p[x][1], qGreen(c)), mix(p[x][2], qBlue(c)));
        }
    }
    return out;
}

} // namespace msup
