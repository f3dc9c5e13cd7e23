#pragma once

#include "core/base/error.h"
#include "core/base/progress.h"
#include "core/data/dataset.h"

#include <QJsonArray>

#include <QSize>
#include <QVector>

#include <opencv2/core/mat.hpp>

namespace msup {

// What a full pass over a dataset's files finds (inspect, the import dialog).
struct DatasetReport {
    QVector<qint64> classPixels; // per class, over all readable pairs
    qint64 voidPixels = 0;
    QSize minSize, maxSize;
    int checked = 0;
    QVector<int> badSamples; // indices of pairs that cannot be used (errors)
    QVector<DatasetProblem> problems; // the index's problems followed by the decoding problems
};

// Decodes every pair (in parallel, in chunks) and reports: unreadable or truncated files, masks
// whose size differs from their image, labels outside the class range, empty masks (warning),
// images whose channel count differs from the majority (warning), plus the class pixel
// frequencies. Every problem names its file. Progress is reported between chunks on the calling
// thread; once cancelled the report covers the pairs checked so far.
DatasetReport validateDataset(const Dataset& dataset, Progress& progress = noProgress());

// One verdict per pair. The errors validateDataset reports for a pair are exactly the exceptions
// its decoding throws (loadSampleImage + loadLabels at the image's size: unreadable, truncated or
// damaged files, a mask whose size differs from its image, labels outside the class range), so
// training, evaluation, robustness, the report, export and the GUI, which decode pairs the same
// way, leave out the same pairs. Each of them lists the pairs it left out as SkippedPair.
struct SkippedPair {
    QString file; // the file at fault (the image or the mask)
    QString reason; // what is wrong, without the file name
};
// The pair `sample` as a skipped pair, from the error its decoding threw.
SkippedPair skippedPairFrom(const Sample& sample, const std::exception& error);
// Decodes the pair as every scorer does: the image, then its labels at the image's size. When that
// fails, appends the pair to `skipped` and returns false (the caller leaves it out).
bool decodePair(const Dataset& dataset, const Sample& sample, cv::Mat& rgb, cv::Mat& labels,
    QVector<SkippedPair>& skipped);
// [{"file": ..., "reason": ...}, ...] (the `skipped` list of a run's config).
QJsonArray skippedPairsToJson(const QVector<SkippedPair>& skipped);
// "file: reason" lines for the first `max` pairs, then "... and N more".
QString describeSkippedPairs(const QVector<SkippedPair>& skipped, int max = 5);
// The error of a command left with no usable pair: names the first skipped files.
Error noUsablePairsError(const QVector<SkippedPair>& skipped, const QString& root, const QString& what);

} // namespace msup
