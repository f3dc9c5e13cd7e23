#include "core/data/image_io.h"

#include "core/base/crc32.h"
#include "core/base/error.h"
#include "core/data/jpeg_decode.h"
#include "core/data/nyu_mat.h"

#include <QFile>
#include <QFileInfo>
#include <QImageReader>

#include <algorithm>
#include <cctype>
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

    // Decodes the bytes of `path` with OpenCV (flags as cv::imread), turning OpenCV's exceptions into
    // msup::Error naming the file.
    cv::Mat opencvDecode(const QByteArray& bytes, const QString& path, int flags)
    {
        try {
            const cv::Mat buffer(1, int(bytes.size()), CV_8UC1, const_cast<char*>(bytes.constData()));
            return cv::imdecode(buffer, flags);
        } catch (const cv::Exception& e) {
            throw Error(std::string("cannot be decoded: ") + e.what(), path.toStdString(),
                "Re-export or re-download the file; the pair is skipped.");
        }
    }

    quint32 bigEndian32(const uchar* p)
    {
        return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
    }

    // Walks a PNG's chunks (lengths within the file, every CRC, up to IEND), so that libpng, which
    // prints its errors without a file name, only ever sees structurally sound data.
    void checkPngChunks(const QByteArray& bytes, const QString& path)
    {
        const auto* data = reinterpret_cast<const uchar*>(bytes.constData());
        const size_t size = size_t(bytes.size());
        auto fail = [&](const std::string& what) {
            throw Error("cannot be decoded: PNG file is " + what, path.toStdString(),
                "Re-download or re-export it; the pair is skipped.");
        };
        auto typeName = [&](size_t at) {
            std::string name;
            for (size_t i = at; i < at + 4; ++i)
                name += std::isalpha(data[i]) ? char(data[i]) : '?';
            return name;
        };
        size_t pos = 8;
        while (pos + 12 <= size) {
            const quint32 length = bigEndian32(data + pos);
            if (length > 0x7fffffffu || pos + 12 + size_t(length) > size)
                fail("truncated (chunk '" + typeName(pos + 4) + "' runs past the end of the file)");
            const quint32 stored = bigEndian32(data + pos + 8 + length);
            if (crc32(data + pos + 4, size_t(length) + 4) != stored)
                fail("damaged (chunk '" + typeName(pos + 4) + "' at byte " + std::to_string(pos)
                    + " fails its CRC check)");
            if (std::memcmp(data + pos + 4, "IEND", 4) == 0)
                return;
            pos += 12 + size_t(length);
        }
        fail("truncated (no IEND chunk)");
    }

} // namespace

QByteArray readImageFileChecked(const QString& path)
{
    checkReadable(path);
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw Error("file cannot be read: " + f.errorString().toStdString(), path.toStdString(),
            "Check its permissions.");
    const QByteArray bytes = f.readAll();
    if (bytes.isEmpty())
        throw Error("file is empty", path.toStdString(), "Re-download or re-export it; the pair is skipped.");
    // A download cut short: a JPEG ends with the end-of-image marker FF D9 (some writers pad after
    // it), a PNG with its IEND chunk. Judged by content (the signature), not by the file suffix.
    const QByteArray tail = bytes.right(64);
    if (isJpegData(bytes) && !tail.contains("\xff\xd9"))
        throw Error("JPEG file is truncated (no end-of-image marker)", path.toStdString(),
            "Re-download or re-export it; the pair is skipped.");
    if (bytes.startsWith("\x89PNG\r\n\x1a\n"))
        checkPngChunks(bytes, path);
    return bytes;
}

cv::Mat decodeImageChecked(const QByteArray& bytes, const QString& path, int flags)
{
    if (isJpegData(bytes) && (flags == cv::IMREAD_COLOR || flags == cv::IMREAD_GRAYSCALE)) {
        const bool grey = flags == cv::IMREAD_GRAYSCALE;
        cv::Mat m = decodeJpegChecked(bytes, path, grey);
        if (!m.empty()) {
            if (!grey)
                cv::cvtColor(m, m, cv::COLOR_RGB2BGR); // as cv::imread: B first
            return m;
        }
        // Checked, but it needs OpenCV's EXIF orientation or CMYK conversion.
    }
    return opencvDecode(bytes, path, flags);
}

cv::Mat loadImageRgb(const QString& path)
{
    const QByteArray bytes = readImageFileChecked(path);
    cv::Mat rgb;
    if (isJpegData(bytes)) {
        rgb = decodeJpegChecked(bytes, path, false); // R first already
        if (!rgb.empty())
            return rgb;
    }
    const cv::Mat bgr = opencvDecode(bytes, path, cv::IMREAD_COLOR);
    if (bgr.empty())
        throw Error("cannot be decoded as an image (unsupported or damaged file)", path.toStdString(),
            "Re-export or re-download the image; the pair is skipped.");
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

cv::Mat loadSampleImage(const Dataset& dataset, const Sample& sample)
{
    (void)dataset;
    if (sample.frame >= 0)
        return readNyuMatImage(sample.imagePath, sample.frame);
    return loadImageRgb(sample.imagePath);
}

namespace {

    // Raw label values through the dataset's lookup table (8- or 16-bit input).
    template <typename T> cv::Mat lookUp(const cv::Mat& raw, const Dataset& dataset, const QString& path)
    {
        cv::Mat out(raw.size(), CV_8UC1);
        const int size = dataset.labelLut.size();
        for (int y = 0; y < raw.rows; ++y) {
            const T* p = raw.ptr<T>(y);
            uchar* q = out.ptr<uchar>(y);
            for (int x = 0; x < raw.cols; ++x) {
                if (static_cast<int>(p[x]) >= size)
                    throw Error("holds label " + std::to_string(static_cast<int>(p[x]))
                            + " outside the label range 0.." + std::to_string(size - 1),
                        path.toStdString(), "Check the file belongs to this dataset and its class set.");
                q[x] = dataset.labelLut[static_cast<int>(p[x])];
            }
        }
        return out;
    }

    // Class indices of an 8-bit palette or greyscale image (the raw index, not the palette colour).
    cv::Mat indexedLabels(const QString& path, const char* what)
    {
        QImage img;
        img.loadFromData(readImageFileChecked(path));
        if (img.isNull())
            throw Error(std::string(what) + " cannot be decoded (unsupported or truncated file)",
                path.toStdString(), "Save it as an 8-bit palette or greyscale PNG/BMP.");
        if (img.format() != QImage::Format_Indexed8 && img.format() != QImage::Format_Grayscale8)
            throw Error(std::string(what) + " must hold indices (8-bit palette or greyscale), not colours",
                path.toStdString(), "Convert it to an indexed image whose index is the class or instance.");
        cv::Mat labels(img.height(), img.width(), CV_8UC1);
        for (int y = 0; y < img.height(); ++y)
            std::memcpy(labels.ptr(y), img.constScanLine(y), static_cast<size_t>(img.width()));
        return labels;
    }

    // Throws unless every label where `valid` is set lies in 0..classes-1 ("holds <word> 7 outside
    // the class range 0..3").
    void checkClassRange(const cv::Mat& labels, const cv::Mat& valid, int classes, const char* word,
        const QString& path, const char* fix)
    {
        double maxVal = 0;
        cv::minMaxLoc(labels, nullptr, &maxVal, nullptr, nullptr, valid);
        if (cv::countNonZero(valid) > 0 && maxVal >= classes)
            throw Error(std::string("holds ") + word + " " + std::to_string(static_cast<int>(maxVal))
                    + " outside the class range 0.." + std::to_string(classes - 1),
                path.toStdString(), fix);
    }

    // Throws unless the labels have the size of their image (when that size is known).
    void checkSize(
        const cv::Mat& labels, QSize expectedSize, const char* what, const QString& path, const char* fix)
    {
        if (expectedSize.isValid()
            && (labels.cols != expectedSize.width() || labels.rows != expectedSize.height()))
            throw Error(std::string(what) + " is " + sizeText(labels.cols, labels.rows) + " but its image is "
                    + sizeText(expectedSize.width(), expectedSize.height()),
                path.toStdString(), fix);
    }

} // namespace

cv::Mat loadLabels(const Dataset& dataset, const Sample& sample, QSize expectedSize)
{
    if (!sample.correctionPath.isEmpty()) {
        // A hand correction: class indices as they are, 255 = void, whatever the dataset's encoding.
        const QString& path = sample.correctionPath;
        checkReadable(path);
        cv::Mat labels = indexedLabels(path, "correction");
        const cv::Mat valid = labels != 255;
        checkClassRange(labels, valid, dataset.numClasses(), "class", path,
            "The correction belongs to another class set: remove it or use the right dataset.");
        if (dataset.ignoreIndex != 255)
            labels.setTo(dataset.ignoreIndex, ~valid);
        checkSize(
            labels, expectedSize, "correction", path, "The correction belongs to another image: remove it.");
        return labels;
    }
    const QString& path = sample.maskPath;
    checkReadable(path);
    cv::Mat labels;
    if (sample.frame >= 0) {
        // A frame of the NYUDv2 .mat: raw 894-class labels through the 894 -> 40/13 table.
        labels = lookUp<uint16_t>(readNyuMatLabels(path, sample.frame), dataset, path);
        return labels;
    }
    switch (dataset.encoding) {
    case LabelEncoding::Lookup: {
        // 8-bit palette/grey labels, or 16-bit grey label PNGs (values through the same table).
        const QByteArray bytes = readImageFileChecked(path); // checked before any header is read
        const cv::Mat raw16 = QImageReader(path).imageFormat() == QImage::Format_Grayscale16
            ? decodeImageChecked(bytes, path, cv::IMREAD_UNCHANGED)
            : cv::Mat();
        labels = raw16.type() == CV_16UC1 ? lookUp<uint16_t>(raw16, dataset, path)
                                          : lookUp<uchar>(indexedLabels(path, "label image"), dataset, path);
        break;
    }
    case LabelEncoding::BinaryThreshold: {
        const cv::Mat grey = decodeImageChecked(readImageFileChecked(path), path, cv::IMREAD_GRAYSCALE);
        if (grey.empty())
            throw Error("mask cannot be decoded (unsupported or truncated file)", path.toStdString(),
                "Re-export the mask as PNG with 0 = background, 255 = foreground.");
        // Lossy JPEG masks ring around edges: threshold at 128. Masks stored as 0/1 (no value above
        // 1) are taken as they are.
        double maxVal = 0;
        cv::minMaxLoc(grey, nullptr, &maxVal);
        cv::threshold(grey, labels, maxVal <= 1 ? 0 : 127, 1, cv::THRESH_BINARY);
        break;
    }
    case LabelEncoding::InstanceIds:
        // GLaS: palette indices are gland instance ids, 0 = background.
        cv::threshold(indexedLabels(path, "annotation"), labels, 0, 1, cv::THRESH_BINARY);
        break;
    case LabelEncoding::ClassIndex: {
        labels = indexedLabels(path, "label image");
        checkClassRange(labels, labels != dataset.ignoreIndex, dataset.numClasses(), "label", path,
            "Fix the label file or list all classes in the dataset's classes.json.");
        break;
    }
    }
    checkSize(
        labels, expectedSize, "mask", path, "Masks must have the size of their image: re-export the mask.");
    return labels;
}

cv::Mat loadInstanceIds(const Dataset& dataset, const Sample& sample)
{
    if (dataset.encoding != LabelEncoding::InstanceIds || !sample.correctionPath.isEmpty())
        return {};
    checkReadable(sample.maskPath);
    return indexedLabels(sample.maskPath, "annotation");
}

cv::Mat loadLabelValues(const QString& path)
{
    checkReadable(path);
    QImage img;
    img.loadFromData(readImageFileChecked(path));
    if (img.isNull())
        throw Error("label image cannot be decoded (unsupported or truncated file)", path.toStdString(),
            "Save it as an 8-bit palette or greyscale PNG (16-bit greyscale for many instances).");
    cv::Mat values(img.height(), img.width(), CV_32SC1);
    if (img.format() == QImage::Format_Indexed8 || img.format() == QImage::Format_Grayscale8) {
        for (int y = 0; y < img.height(); ++y) {
            const uchar* p = img.constScanLine(y);
            std::copy(p, p + img.width(), values.ptr<int>(y));
        }
    } else if (img.format() == QImage::Format_Grayscale16) {
        for (int y = 0; y < img.height(); ++y) {
            const auto* p = reinterpret_cast<const quint16*>(img.constScanLine(y));
            std::copy(p, p + img.width(), values.ptr<int>(y));
        }
    } else {
        throw Error("label image holds colours, not label values", path.toStdString(),
            "Write predictions as label maps: an 8-bit palette or greyscale PNG whose value is the class "
            "(or 0/255 for binary masks, or instance ids).");
    }
    return values;
}

int countInstances(const Dataset& dataset, const Sample& sample)
{
    if (dataset.encoding != LabelEncoding::InstanceIds)
        return -1;
    checkReadable(sample.maskPath);
    const cv::Mat ids = indexedLabels(sample.maskPath, "annotation");
    bool seen[256] = {};
    int n = 0;
    for (int y = 0; y < ids.rows; ++y) {
        const uchar* p = ids.ptr(y);
        for (int x = 0; x < ids.cols; ++x)
            if (p[x] != 0 && !seen[p[x]]) {
                seen[p[x]] = true;
                ++n;
            }
    }
    return n;
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

QImage gray8ToQImage(const cv::Mat& map)
{
    if (map.empty() || map.type() != CV_8UC1)
        return {};
    QImage image(map.cols, map.rows, QImage::Format_Grayscale8);
    for (int y = 0; y < map.rows; ++y)
        std::memcpy(image.scanLine(y), map.ptr(y), static_cast<size_t>(map.cols));
    return image;
}

cv::Mat qImageToGray8(const QImage& image)
{
    if (image.isNull())
        return {};
    const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
    cv::Mat map(grey.height(), grey.width(), CV_8UC1);
    for (int y = 0; y < grey.height(); ++y)
        std::memcpy(map.ptr(y), grey.constScanLine(y), static_cast<size_t>(grey.width()));
    return map;
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
