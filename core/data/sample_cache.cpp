#include "core/data/sample_cache.h"

#include "core/base/error.h"
#include "core/data/image_io.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <opencv2/imgproc.hpp>

#include <cstring>
#include <mutex>
#include <unordered_map>

namespace msup {

cv::Mat resizeImage(const cv::Mat& rgb, int size)
{
    if (rgb.cols == size && rgb.rows == size)
        return rgb;
    cv::Mat out;
    const bool shrink = rgb.cols > size && rgb.rows > size;
    cv::resize(rgb, out, cv::Size(size, size), 0, 0, shrink ? cv::INTER_AREA : cv::INTER_LINEAR);
    return out;
}

cv::Mat resizeLabels(const cv::Mat& labels, int size)
{
    if (labels.cols == size && labels.rows == size)
        return labels;
    cv::Mat out;
    cv::resize(labels, out, cv::Size(size, size), 0, 0, cv::INTER_NEAREST);
    return out;
}

namespace {
    const QByteArray kMagic = QByteArrayLiteral("MSUPCACHE1");
}

struct SampleCache::Private {
    Dataset dataset;
    int size = 0;
    qint64 budget = 0;
    QString diskDir;
    QByteArray encodingKey; // what turns a mask file into labels

    mutable std::mutex mutex;
    mutable std::unordered_map<int, CachedSample> memory;
    mutable SampleCacheStats stats;

    qint64 bytesPerSample() const { return qint64(size) * size * 4; }

    QString diskFile(const Sample& s) const
    {
        QCryptographicHash h(QCryptographicHash::Sha1);
        for (const QString& path : { s.imagePath, s.maskPath }) {
            const QFileInfo fi(path);
            h.addData(fi.absoluteFilePath().toUtf8());
            h.addData(QByteArray::number(fi.size()));
            h.addData(QByteArray::number(fi.lastModified().toMSecsSinceEpoch()));
        }
        if (!s.correctionPath.isEmpty()) {
            const QFileInfo fi(s.correctionPath);
            h.addData(fi.absoluteFilePath().toUtf8());
            h.addData(QByteArray::number(fi.size()));
            h.addData(QByteArray::number(fi.lastModified().toMSecsSinceEpoch()));
        }
        h.addData(QByteArray::number(s.frame));
        h.addData(QByteArray::number(size));
        h.addData(encodingKey);
        return QDir(diskDir).filePath(QString::fromLatin1(h.result().toHex()) + QStringLiteral(".bin"));
    }

    bool readDisk(const QString& file, CachedSample* out) const
    {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return false;
        const QByteArray bytes = f.readAll();
        const qint64 image = qint64(size) * size * 3, labels = qint64(size) * size;
        if (bytes.size() != kMagic.size() + image + labels || !bytes.startsWith(kMagic))
            return false; // truncated or foreign: decoded again and rewritten
        out->image.create(size, size, CV_8UC3);
        out->labels.create(size, size, CV_8UC1);
        std::memcpy(out->image.data, bytes.constData() + kMagic.size(), static_cast<size_t>(image));
        std::memcpy(out->labels.data, bytes.constData() + kMagic.size() + image, static_cast<size_t>(labels));
        return true;
    }

    void writeDisk(const QString& file, const CachedSample& s) const
    {
        QByteArray bytes = kMagic;
        const cv::Mat image = s.image.isContinuous() ? s.image : s.image.clone();
        const cv::Mat labels = s.labels.isContinuous() ? s.labels : s.labels.clone();
        bytes.append(reinterpret_cast<const char*>(image.data), qsizetype(image.total() * 3));
        bytes.append(reinterpret_cast<const char*>(labels.data), qsizetype(labels.total()));
        // Written whole or not at all; a full disk only costs speed (decoded again next time).
        QSaveFile f(file);
        if (f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size())
            f.commit();
    }
};

SampleCache::SampleCache(const Dataset& dataset, int size, qint64 memoryBudgetBytes, const QString& diskDir)
    : d(std::make_unique<Private>())
{
    d->dataset = dataset;
    d->size = size;
    d->budget = memoryBudgetBytes;
    d->diskDir = diskDir;
    // "checked-decoders": entries written before decoding refused truncated or damaged files
    // (image_io.h) are not served, so a cached sample never overrides today's verdict on its pair.
    d->encodingKey = QByteArray("checked-decoders/") + QByteArray::number(int(dataset.encoding)) + '/'
        + QByteArray::number(dataset.ignoreIndex) + '/' + QByteArray::number(dataset.numClasses()) + '/'
        + QByteArray(reinterpret_cast<const char*>(dataset.labelLut.constData()), dataset.labelLut.size());
    if (!diskDir.isEmpty() && (!QDir().mkpath(diskDir) || !QFileInfo(diskDir).isWritable()))
        throw Error("cache folder cannot be created or written", diskDir.toStdString(),
            "Choose a writable folder for --cache-dir, or leave it out.");
}

SampleCache::~SampleCache() = default;

int SampleCache::size() const
{
    return d->size;
}

qint64 SampleCache::bytesPerSample() const
{
    return d->bytesPerSample();
}

CachedSample SampleCache::get(int index) const
{
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        const auto it = d->memory.find(index);
        if (it != d->memory.end()) {
            ++d->stats.memoryHits;
            return it->second;
        }
    }
    const Sample& s = d->dataset.samples.at(index);
    CachedSample out;
    const QString file = d->diskDir.isEmpty() ? QString() : d->diskFile(s);
    bool fromDisk = !file.isEmpty() && d->readDisk(file, &out);
    if (!fromDisk) {
        const cv::Mat rgb = loadSampleImage(d->dataset, s);
        const cv::Mat labels = loadLabels(d->dataset, s, QSize(rgb.cols, rgb.rows));
        out.image = resizeImage(rgb, d->size).clone();
        out.labels = resizeLabels(labels, d->size).clone();
        if (!file.isEmpty())
            d->writeDisk(file, out);
    }
    std::lock_guard<std::mutex> lock(d->mutex);
    ++(fromDisk ? d->stats.diskHits : d->stats.decodes);
    if (d->stats.memoryBytes + d->bytesPerSample() <= d->budget && !d->memory.count(index)) {
        d->memory.emplace(index, out);
        d->stats.memoryBytes += d->bytesPerSample();
        d->stats.inMemory = int(d->memory.size());
    }
    return out;
}

SampleCacheStats SampleCache::stats() const
{
    std::lock_guard<std::mutex> lock(d->mutex);
    return d->stats;
}

} // namespace msup
