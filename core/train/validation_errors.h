#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>

namespace msup {

// What a run's latest validation recorded about each validation image (RunFile::ValidationErrors):
// written by TrainingSession::run through RunFolder, ranked by the error analysis (error_analysis.h).

// One image's confusion matrix, non-zero cells only (void pixels left out).
struct ImageConfusion {
    struct Cell {
        int truth = 0;
        int prediction = 0;
        qint64 pixels = 0;
    };
    QString id; // the sample id
    QVector<Cell> cells; // sorted by (truth, prediction)

    qint64 count(int truth, int prediction) const;
    // Pixels of class `c` predicted as another class, and of other classes predicted as `c`.
    qint64 falseNegatives(int c) const;
    qint64 falsePositives(int c) const;
    // The pixels of the cells `keep` accepts.
    qint64 pixelsWhere(const std::function<bool(const Cell&)>& keep) const;
};

// The content of a run folder's validation errors (RunFile::ValidationErrors).
struct ValidationErrors {
    int epoch = 0; // the validated epoch (1-based)
    QStringList classNames; // K classes
    int imageSize = 0; // the model size the counts were taken at
    int ignoreIndex = 255;
    QVector<ImageConfusion> images; // in the order of the run's validation split

    int classes() const { return int(classNames.size()); }
    // The K×K matrix summed over the images (row-major, truth × prediction): equal to the
    // epoch's EpochMetrics::confusion.
    QVector<qint64> total() const;
};

} // namespace msup
