#include "core/data/validation.h"

#include "core/base/error.h"
#include "core/data/image_io.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImageReader>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>

namespace msup {

namespace {

    struct SampleCheck {
        int index = -1;
        QVector<qint64> classPixels;
        qint64 voidPixels = 0;
        QSize size;
        int channels = 0;
        QVector<DatasetProblem> problems;
        bool bad = false;
    };

    // A JPEG ends with the end-of-image marker FF D9 (some writers pad after it); a download cut short
    // does not, and decoders then silently return a partly grey image. Judged by content (the FF D8
    // signature), not by the file suffix.
    bool jpegLooksTruncated(const QString& path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly) || !f.read(2).startsWith("\xff\xd8"))
            return false; // not a JPEG: the decoder reports whatever is wrong with it
        f.seek(std::max<qint64>(0, f.size() - 64));
        const QByteArray tail = f.readAll();
        return !tail.contains("\xff\xd9");
    }

    int channelsOf(const QString& path)
    {
        switch (QImageReader(path).imageFormat()) {
        case QImage::Format_Grayscale8:
        case QImage::Format_Grayscale16:
        case QImage::Format_Mono:
        case QImage::Format_MonoLSB:
            return 1;
        case QImage::Format_Invalid:
            return 0;
        case QImage::Format_ARGB32:
        case QImage::Format_ARGB32_Premultiplied:
        case QImage::Format_RGBA8888:
        case QImage::Format_RGBA64:
            return 4;
        default:
            return 3;
        }
    }

    SampleCheck checkSample(const Dataset& ds, int index)
    {
        const Sample& s = ds.samples[index];
        SampleCheck c;
        c.index = index;
        c.classPixels.fill(0, ds.numClasses());
        auto error = [&](const QString& file, const QString& message, const QString& fix) {
            c.problems.push_back({ DatasetProblem::Severity::Error, file, message, fix });
            c.bad = true;
        };
        for (const QString& file : { s.imagePath, s.maskPath })
            if (s.frame < 0 && jpegLooksTruncated(file))
                error(file, QStringLiteral("JPEG file is truncated (no end-of-image marker)"),
                    QStringLiteral("Re-download or re-export it; the pair is skipped."));
        if (c.bad)
            return c;
        try {
            c.channels = s.frame >= 0 ? 3 : channelsOf(s.imagePath);
            const cv::Mat rgb = loadSampleImage(ds, s);
            c.size = QSize(rgb.cols, rgb.rows);
            const cv::Mat labels = loadLabels(ds, s, c.size);
            for (int y = 0; y < labels.rows; ++y) {
                const uchar* p = labels.ptr(y);
                for (int x = 0; x < labels.cols; ++x) {
                    if (p[x] == ds.ignoreIndex || p[x] >= ds.numClasses())
                        ++c.voidPixels;
                    else
                        ++c.classPixels[p[x]];
                }
            }
            if (ds.isBinary() && c.classPixels.value(1) == 0)
                c.problems.push_back({ DatasetProblem::Severity::Warning, s.maskPath,
                    QStringLiteral("mask is empty (no %1 pixel)").arg(ds.classNames.value(1)),
                    QStringLiteral(
                        "Check it is the right mask; an empty mask is kept as a negative example.") });
        } catch (const Error& e) {
            // The engine's messages already start with the file; keep the rest as the message.
            const QString file = QString::fromStdString(e.file());
            QString message = QString::fromStdString(e.what());
            if (!file.isEmpty() && message.startsWith(file + QStringLiteral(": ")))
                message = message.mid(file.size() + 2);
            error(file.isEmpty() ? s.imagePath : file, message, {});
        } catch (const std::exception& e) {
            error(s.imagePath, QString::fromStdString(e.what()), QStringLiteral("The pair is skipped."));
        }
        return c;
    }

} // namespace

DatasetReport validateDataset(const Dataset& ds, const std::function<bool(int, int)>& progress)
{
    DatasetReport r;
    r.problems = ds.problems;
    r.classPixels.fill(0, ds.numClasses());
    const int n = ds.samples.size();
    QVector<SampleCheck> checks;
    checks.reserve(n);
    const int chunk = 32;
    for (int from = 0; from < n; from += chunk) {
        QVector<int> indices;
        for (int i = from; i < std::min(n, from + chunk); ++i)
            indices << i;
        const QList<SampleCheck> done
            = QtConcurrent::blockingMapped(indices, [&ds](int i) { return checkSample(ds, i); });
        for (const SampleCheck& c : done)
            checks << c;
        if (progress && !progress(int(checks.size()), n))
            break;
    }
    QHash<int, int> channelVotes;
    for (const SampleCheck& c : checks)
        if (!c.bad && c.channels > 0)
            ++channelVotes[c.channels];
    int majority = 0, votes = -1;
    for (auto it = channelVotes.constBegin(); it != channelVotes.constEnd(); ++it)
        if (it.value() > votes || (it.value() == votes && it.key() > majority)) {
            majority = it.key();
            votes = it.value();
        }
    for (const SampleCheck& c : checks) {
        ++r.checked;
        r.problems += c.problems;
        if (c.bad) {
            r.badSamples << c.index;
            continue;
        }
        if (channelVotes.size() > 1 && c.channels != majority)
            r.problems.push_back({ DatasetProblem::Severity::Warning, ds.samples[c.index].imagePath,
                QStringLiteral("has %1 channel(s) where most images have %2").arg(c.channels).arg(majority),
                QStringLiteral("It is converted to RGB; check it belongs to this dataset.") });
        for (int k = 0; k < r.classPixels.size(); ++k)
            r.classPixels[k] += c.classPixels[k];
        r.voidPixels += c.voidPixels;
        if (c.size.isValid()) {
            r.minSize = r.minSize.isValid() ? r.minSize.boundedTo(c.size) : c.size;
            r.maxSize = r.maxSize.isValid() ? r.maxSize.expandedTo(c.size) : c.size;
        }
    }
    return r;
}

} // namespace msup
