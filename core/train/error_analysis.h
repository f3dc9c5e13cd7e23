#pragma once

#include "core/base/progress.h"
#include "core/io/overlay.h"

#include <QColor>
#include <QString>
#include <QStringList>
#include <QVector>
#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>

namespace msup {

// Error analysis of a run's latest validation: which validation images hold the pixels of a
// confusion-matrix cell, and what they look like.
//
// During validation TrainingSession::run() records every validation image's own (sparse) confusion
// matrix and writes them, for the latest validated epoch only, to the run folder's validation errors
// (RunFolder::writeValidationErrors: atomic, before the epoch's checkpoints). Their sum over the
// images is the epoch's confusion matrix.

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
};

// Counts the cells of one image: `truth` and `prediction` hold n class indices (< classes); truth
// pixels equal to ignoreIndex are skipped. Throws msup::Error on an index out of range.
ImageConfusion imageConfusion(const QString& id, const std::uint8_t* truth, const std::uint8_t* prediction,
    std::size_t n, int classes, int ignoreIndex = 255);

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

// One image of a ranking.
struct RankedImage {
    QString id;
    int valIndex = 0; // position in ValidationErrors::images
    qint64 pixels = 0; // the ranking score (see worstImages)
    qint64 falseNegatives = 0; // of the focus class (the truth class clicked)
    qint64 falsePositives = 0;
};

// The images where the error (truth, prediction) is worst, most pixels first (ties keep the
// validation order), at most n (n <= 0: all), images without that error left out.
//  - prediction >= 0 and != truth: pixels of class `truth` predicted as `prediction` (the cell);
//  - prediction < 0 (a class label) or == truth (a diagonal cell, i.e. the correct pixels): every
//    error of class `truth`, its false negatives plus its false positives.
// Throws msup::Error when truth or prediction is not a class of `errors`.
QVector<RankedImage> worstImages(const ValidationErrors& errors, int truth, int prediction, int n);

// One re-predicted validation image.
struct ErrorExample {
    RankedImage rank; // as recorded during validation
    cv::Mat image; // CV_8UC3 RGB at the model size, as validation saw it (resized, never augmented)
    cv::Mat truth; // CV_8UC1 ground truth at the model size (ignoreIndex = void)
    cv::Mat prediction; // CV_8UC1, the checkpoint's prediction on `image`
    // errorCodes(truth, prediction, K, focusClass = the truth class clicked): true positives,
    // false positives and false negatives of that class, for errorOverlay().
    cv::Mat codes;
    ErrorCounts counts; // of `codes`
    qint64 recomputedPixels = 0; // the ranking score recomputed from truth and prediction
    // The input the context branch would have seen for this image at the validated epoch (empty for
    // a baseline run, which masks nothing): holes CV_8UC1 (255 = hole), masked CV_8UC3.
    cv::Mat holes, masked;
};

struct ErrorAnalysis {
    int epoch = 0; // the validated epoch
    int truth = 0, prediction = -1; // as asked
    QStringList classNames;
    int ignoreIndex = 255;
    QString checkpoint; // the weights that re-predicted the images
    int checkpointEpoch = 0;
    // False when no checkpoint holds the weights of the validated epoch (e.g. last.pt was written
    // again in the middle of the next epoch and best.pt is older): predictions may then differ
    // from the recorded counts.
    bool weightsMatch = true;
    bool masked = true; // false for a baseline run (no context branch, no masked input)
    int imagesWithError = 0; // validation images with at least one pixel of this error
    QVector<ErrorExample> examples; // worst first
};

// Ranks the validation images of the run's validation errors with worstImages(truth, prediction, n),
// then re-predicts the n worst with the weights of the validated epoch (checkpoints/last.pt when it
// holds that epoch, else best.pt when it does, else last.pt with weightsMatch = false) and rebuilds
// each one's masked input from the run's seed (see previewValidationImages in training_session.h).
// Progress is reported after each image decoded and after each image predicted (total = 2 × images);
// once cancelled, the examples done so far are returned. Runs on any
// thread; throws msup::Error (no validation yet, no checkpoint, dataset moved or changed).
ErrorAnalysis analyseValidationErrors(
    const QString& runDir, int truth, int prediction, int n, Progress& progress = noProgress());

} // namespace msup
