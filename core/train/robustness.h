#pragma once

#include "core/base/progress.h"
#include "core/data/dataset.h"
#include "core/data/validation.h"
#include "core/train/confusion_matrix.h"

#include <QJsonObject>
#include <QString>
#include <QVector>
#include <opencv2/core.hpp>

#include <cstdint>
#include <functional>
#include <memory>

namespace msup {

class MaskSource;

// Robustness under masking (the paper's Fig. 6 analysis, made quantitative): a model's metrics on
// test images whose pixels are hidden by masks of increasing hole ratio.
struct RobustnessLevel {
    double lo = 0, hi = 0; // hole-ratio interval (lo, hi]; 0, 0 = unmasked
    double meanHoleRatio = 0; // of the masks actually drawn
    ConfusionMatrix confusion { 2 };
};

struct RobustnessResult {
    QVector<RobustnessLevel> levels;
    QStringList classNames;
    int images = 0; // images used (the split's pairs less the skipped ones)
    QString split;
    std::uint64_t seed = 0;
    QVector<SkippedPair> skipped; // pairs that cannot be decoded, left out (see validation.h)

    QJsonObject toJson() const;
    // One line per level: lo,hi,mean_hole_ratio,miou,dice,pixel_accuracy,iou_<class>...
    QString toCsv() const;
};

// Levels from a list of increasing ratios in [0, 1]: 0 is the unmasked level, each later value r
// closes the interval (previous, r]. "0,0.1,0.2" -> {0}, (0, 0.1], (0.1, 0.2]. Throws msup::Error
// for values outside [0, 1], a list that does not increase, or fewer than one level.
QVector<std::pair<double, double>> parseRobustnessRatios(const QString& text);

// Predicts labels (CV_8UC1, at the image's size) for an RGB image with the given hole mask
// (CV_8UC1 at modelSize², 255 = hole; empty = unmasked).
using MaskedPredictor = std::function<cv::Mat(const cv::Mat& rgb, const cv::Mat& holes)>;
// Draws the mask source for a level: the generator for (lo, hi] by default, or a mask folder.
using MaskSourceFactory = std::function<std::unique_ptr<MaskSource>(double lo, double hi)>;

// Evaluates `predict` on the given samples at every level. The mask of sample n at level k is a
// pure function of (seed, k, n), so runs compare image for image. Progress counts image-level
// evaluations; once cancelled, it throws msup::Error "cancelled".
RobustnessResult robustnessCurve(const Dataset& ds, const QVector<int>& samples, int modelSize,
    const QVector<std::pair<double, double>>& levels, std::uint64_t seed, const MaskedPredictor& predict,
    const MaskSourceFactory& masks = {}, Progress& progress = noProgress());

// The same for a checkpoint on a split of a dataset (as evaluateCheckpoint chooses it). A non-empty
// maskFolder samples the masks of each level from that folder instead of generating them.
RobustnessResult robustnessOfCheckpoint(const QString& checkpointPath, const QString& datasetPath,
    const QString& split, const QVector<std::pair<double, double>>& levels, std::uint64_t seed,
    const QString& device = QStringLiteral("cpu"), const QString& maskFolder = {},
    Progress& progress = noProgress());

} // namespace msup
