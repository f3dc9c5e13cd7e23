#include "core/data/image_io.h"

#include "core/base/error.h"

#include <QFileInfo>
#include <QImageReader>

#include <cstring>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace msup {

namespace {

    void checkReadable(const QString& path)
    {
        const QFileInfo fi(path);
        if (!fi.exists())
            throw Error("file not found", path.toStdString(), "Check the dataset folder is complete.");
        if (!fi.isReadable())
            throw Error("file cannot be read", path.toStdString(), "Check its permissions.");
    }

    std::string sizeText(int w, int h)
    {
        return std::to_string(w) + "x" + std::to_string(h);
    }

} // namespace

cv::Mat loadImageRgb(const QString& path)
{
    checkReadable(path);
    cv::Mat bgr;
    try {
        bgr = cv::imread(path.toStdString(), cv::IMREAD_COLOR);
    } catch (const cv::Exception& e) {
        throw Error(std::string("cannot be decoded: ") + e.what(), path.toStdString(),
            "Re-export or re-download the image.");
    }
    if (bgr.empty())
        throw Error("cannot be decoded as an image (unsupported or truncated file)", path.toStdString(),
            "Re-export or re-download the image.");
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

cv::Mat loadLabels(const Dataset& dataset, const Sample& sample, QSize expectedSize)
{
    const QString& path = sample.maskPath;
    checkReadable(path);
    cv::Mat labels;
    if (dataset.isBinary() && dataset.format == DatasetFormat::KvasirSeg) {
        const cv::Mat grey = cv::imread(path.toStdString(), cv::IMREAD_GRAYSCALE);
        if (grey.empty())
            throw Error("mask cannot be decoded (unsupported or truncated file)", path.toStdString(),
                "Re-export the mask as PNG with 0 = background, 255 = foreground.");
        // Lossy JPEG masks ring around edges: threshold at 128.
        cv::threshold(grey, labels, 127, 1, cv::THRESH_BINARY);
    } else {
        QImage img(path);
        if (img.isNull())
            throw Error("label image cannot be decoded", path.toStdString(),
                "Save labels as 8-bit palette or greyscale PNG with class indices.");
        if (img.format() != QImage::Format_Indexed8 && img.format() != QImage::Format_Grayscale8)
            throw Error("label image must hold class indices (8-bit palette or greyscale), not colours",
                path.toStdString(), "Convert it to an indexed PNG whose index is the class.");
        labels.create(img.height(), img.width(), CV_8UC1);
        for (int y = 0; y < img.height(); ++y)
            std::memcpy(labels.ptr(y), img.constScanLine(y), static_cast<size_t>(img.width()));
        double maxVal = 0;
        cv::Mat valid = labels != dataset.ignoreIndex;
        cv::minMaxLoc(labels, nullptr, &maxVal, nullptr, nullptr, valid);
        if (cv::countNonZero(valid) > 0 && maxVal >= dataset.numClasses())
            throw Error("holds label " + std::to_string(static_cast<int>(maxVal))
                    + " outside the class range 0.." + std::to_string(dataset.numClasses() - 1),
                path.toStdString(), "Fix the label file or list all classes in the dataset's classes.json.");
    }
    if (expectedSize.isValid()
        && (labels.cols != expectedSize.width() || labels.rows != expectedSize.height()))
        throw Error("mask is " + sizeText(labels.cols, labels.rows) + " but its image is "
                + sizeText(expectedSize.width(), expectedSize.height()),
            path.toStdString(), "Masks must have the size of their image: re-export the mask.");
    return labels;
}

QSize imageSizeFromHeader(const QString& path)
{
    QImageReader reader(path);
    return reader.size();
}

QImage rgbToQImage(const cv::Mat& rgb)
{
    CV_Assert(rgb.type() == CV_8UC3);
    QImage img(rgb.cols, rgb.rows, QImage::Format_RGB888);
    for (int y = 0; y < rgb.rows; ++y)
        std::memcpy(img.scanLine(y), rgb.ptr(y), static_cast<size_t>(rgb.cols) * 3);
    return img;
}

cv::Mat qImageToRgb(const QImage& image)
{
    const QImage img = image.convertToFormat(QImage::Format_RGB888);
    cv::Mat rgb(img.height(), img.width(), CV_8UC3);
    for (int y = 0; y < img.height(); ++y)
        std::memcpy(rgb.ptr(y), img.constScanLine(y), static_cast<size_t>(img.width()) * 3);
    return rgb;
}

} // namespace msup
