#include "core/masks/mask_set.h"

#include "core/base/error.h"
#include "core/base/rng.h"

#include <QCollator>
#include <QDir>
#include <QFileInfo>
#include <QtConcurrent/QtConcurrentMap>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>

namespace msup {

namespace {

    // A mask image as 0/255 (>= 128 is a hole), or empty when it cannot be decoded.
    cv::Mat readMask(const QString& path)
    {
        const cv::Mat grey = cv::imread(path.toStdString(), cv::IMREAD_GRAYSCALE);
        if (grey.empty())
            return {};
        cv::Mat mask;
        cv::threshold(grey, mask, 127, 255, cv::THRESH_BINARY);
        return mask;
    }

    std::string ratioText(double r)
    {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.3f", r);
        return buf;
    }

} // namespace

MaskSet MaskSet::load(const QString& folder, const HoleRatioRange& range, Progress& progress)
{
    const QFileInfo info(folder);
    if (!info.isDir())
        throw Error("mask folder does not exist", folder.toStdString(),
            "Give a folder of mask images (white = hole), e.g. the NVIDIA irregular mask set.");
    MaskSet set;
    set.m_folder = info.absoluteFilePath();
    set.m_range = range;
    QStringList files;
    const QStringList suffixes = { QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"),
        QStringLiteral("bmp"), QStringLiteral("tif"), QStringLiteral("tiff") };
    for (const QFileInfo& fi : QDir(set.m_folder).entryInfoList(QDir::Files, QDir::Name))
        if (suffixes.contains(fi.suffix().toLower()))
            files << fi.absoluteFilePath();
    QCollator collator;
    collator.setNumericMode(true);
    std::sort(files.begin(), files.end(),
        [&](const QString& a, const QString& b) { return collator.compare(a, b) < 0; });
    if (files.isEmpty())
        throw Error("mask folder holds no image", set.m_folder.toStdString(),
            "Put mask images (PNG, JPEG, BMP or TIFF; white = hole) in it.");

    // Decoded in parallel, in chunks so that progress and cancel are seen between them.
    QVector<double> ratios(files.size(), -1.0);
    const int chunk = 64;
    for (int from = 0; from < files.size(); from += chunk) {
        QVector<int> part;
        for (int i = from; i < std::min<int>(files.size(), from + chunk); ++i)
            part << i;
        QtConcurrent::blockingMap(part, [&](int i) {
            const cv::Mat m = readMask(files[i]);
            if (!m.empty())
                ratios[i] = holeRatio(m);
        });
        progress.report(int(std::min<qsizetype>(files.size(), from + chunk)), int(files.size()));
        if (progress.isCancelled())
            throw Error("loading the mask folder was cancelled", set.m_folder.toStdString());
    }
    double lowest = 2, highest = -1;
    for (int i = 0; i < files.size(); ++i) {
        ++set.m_scanned;
        if (ratios[i] < 0) {
            set.m_skipped << QDir(set.m_folder).relativeFilePath(files[i])
                    + QStringLiteral(": cannot be decoded");
            continue;
        }
        lowest = std::min(lowest, ratios[i]);
        highest = std::max(highest, ratios[i]);
        if (ratios[i] > range.lo && ratios[i] <= range.hi)
            set.m_entries.push_back({ files[i], ratios[i] });
    }
    if (set.m_entries.isEmpty())
        throw Error(highest < 0 ? std::string("no mask in the folder can be decoded")
                                : "none of its " + std::to_string(files.size() - set.m_skipped.size())
                    + " masks has a hole ratio in (" + ratioText(range.lo) + ", " + ratioText(range.hi)
                    + "] (their ratios go from " + ratioText(lowest) + " to " + ratioText(highest) + ")",
            set.m_folder.toStdString(), "Choose a hole-ratio interval the masks cover, or another folder.");
    return set;
}

cv::Mat MaskSet::generate(int width, int height, std::uint64_t seed) const
{
    Rng rng(seed);
    const Entry& e = m_entries[rng.uniformInt(0, int(m_entries.size()) - 1)];
    const cv::Mat m = readMask(e.path);
    if (m.empty())
        throw Error(
            "mask can no longer be decoded", e.path.toStdString(), "Check the mask folder was not changed.");
    if (m.cols == width && m.rows == height)
        return m;
    cv::Mat out;
    cv::resize(m, out, cv::Size(width, height), 0, 0, cv::INTER_NEAREST);
    return out;
}

std::string MaskSet::describe() const
{
    return "mask folder " + m_folder.toStdString() + ", " + std::to_string(m_entries.size()) + " of "
        + std::to_string(m_scanned) + " masks with hole ratio " + m_range.toString();
}

} // namespace msup
