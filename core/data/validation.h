#pragma once

#include "core/data/dataset.h"

#include <QSize>
#include <QVector>

#include <functional>

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
// frequencies. Every problem names its file. progress(done, total) is called between chunks on the
// calling thread; returning false cancels (the report then covers the pairs checked so far).
DatasetReport validateDataset(const Dataset& dataset, const std::function<bool(int, int)>& progress = {});

} // namespace msup
