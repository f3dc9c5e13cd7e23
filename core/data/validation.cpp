#include "core/data/validation.h"

#include "core/base/error.h"
#include "core/data/image_io.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImageReader>
#include <QJsonObject>
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
        // Truncated or damaged files are refused by the decoders themselves (image_io.h), so the
        // verdict here is the one every other reader of the pair gets.
        try {
            const cv::Mat rgb = loadSampleImage(ds, s);
            c.size = QSize(rgb.cols, rgb.rows);
            const cv::Mat labels = loadLabels(ds, s, c.size);
            // The header is read once the file is known to be sound (a damaged one would make the
            // image plugin print an anonymous message).
            c.channels = s.frame >= 0 ? 3 : channelsOf(s.imagePath);
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
            const SkippedPair skipped = skippedPairFrom(s, e);
            error(skipped.file, skipped.reason, {});
        } catch (const std::exception& e) {
            error(s.imagePath, QString::fromStdString(e.what()), QStringLiteral("The pair is skipped."));
        }
        return c;
    }

} // namespace

bool decodePair(const Dataset& dataset, const Sample& sample, cv::Mat& rgb, cv::Mat& labels,
    QVector<SkippedPair>& skipped)
{
    try {
        rgb = loadSampleImage(dataset, sample);
        labels = loadLabels(dataset, sample, QSize(rgb.cols, rgb.rows));
        return true;
    } catch (const std::exception& e) {
        skipped << skippedPairFrom(sample, e);
        return false;
    }
}

SkippedPair skippedPairFrom(const Sample& sample, const std::exception& error)
{
    // The engine's messages start with the file; keep the rest as the reason.
    QString file;
    if (const auto* e = dynamic_cast<const Error*>(&error))
        file = QString::fromStdString(e->file());
    QString reason = QString::fromStdString(error.what());
    if (!file.isEmpty() && reason.startsWith(file + QStringLiteral(": ")))
        reason = reason.mid(file.size() + 2);
    return { file.isEmpty() ? sample.imagePath : file, reason };
}

QJsonArray skippedPairsToJson(const QVector<SkippedPair>& skipped)
{
    QJsonArray a;
    for (const SkippedPair& p : skipped)
        a.append(QJsonObject { { QStringLiteral("file"), p.file }, { QStringLiteral("reason"), p.reason } });
    return a;
}

QString describeSkippedPairs(const QVector<SkippedPair>& skipped, int max)
{
    QStringList lines;
    for (int i = 0; i < skipped.size() && i < max; ++i)
        lines << QStringLiteral("%1: %2").arg(skipped[i].file, skipped[i].reason);
    if (skipped.size() > max)
        lines << QStringLiteral("... and %1 more").arg(skipped.size() - max);
    return lines.join(QLatin1Char('\n'));
}

Error noUsablePairsError(const QVector<SkippedPair>& skipped, const QString& root, const QString& what)
{
    return Error(
        QStringLiteral("no usable image/mask pair left for %1: all %2 pair(s) were skipped; first: %3")
            .arg(what)
            .arg(skipped.size())
            .arg(describeSkippedPairs(skipped, 3).replace(QLatin1Char('\n'), QStringLiteral("; ")))
            .toStdString(),
        root.toStdString(), "Fix or re-download these files ('masksup inspect' lists every problem).");
}

DatasetReport validateDataset(const Dataset& ds, Progress& progress)
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
        progress.report(int(checks.size()), n);
        if (progress.isCancelled())
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
