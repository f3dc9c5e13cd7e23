#pragma once
// `masksup score`: predicted label images from any tool scored against a dataset's ground truth,
// matched by sample id. Pixel metrics as `masksup evaluate` reports them; for binary datasets also
// per-image Dice and HD95 and the GlaS challenge's object-level metrics (core/train/object_metrics.h).

#include "core/base/progress.h"
#include "core/train/confusion_matrix.h"
#include "core/train/object_metrics.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

namespace msup {

struct Dataset;
struct Sample;

// How objects are found. Auto: instance ids where the image holds them (a GLaS annotation; a
// prediction with more than two distinct values), else 8-connected components of the foreground.
enum class ObjectSource { Auto, Ids, Components };

struct ScoreOptions {
    QString predictions; // folder of label images named after the samples (see predictionFileFor)
    QString dataset;
    QString format; // empty = detect
    QString split = QStringLiteral("all"); // "all" or an official split of the format (GLaS testA, ...)
    ObjectSource objects = ObjectSource::Auto;
};

struct ImageScore {
    QString id;
    QString prediction; // the file scored (empty when evaluate predicted it)
    double dice = 0; // foreground Dice (binary)
    double hd95 = 0; // pixels; NaN when exactly one of truth and prediction is empty
    ObjectScores objects;
};

// The per-image Dice, HD95 and GlaS object scores of a binary dataset's images, accumulated over a
// split: what `masksup score` and `masksup evaluate` report for binary datasets.
struct BinaryScores {
    QVector<ImageScore> images;
    // TP/FP/FN pooled over the split, F1 from them, object Dice and Hausdorff the means over images
    // (set by finish()).
    int truePositives = 0, falsePositives = 0, falseNegatives = 0;
    double objectF1 = 0, objectDice = 0, objectHausdorff = 0;

    // Scores one image: foregrounds are non-zero pixels, objects CV_32SC1 labels (object_metrics.h).
    void add(const QString& id, const QString& prediction, const cv::Mat& truthForeground,
        const cv::Mat& truthObjects, const cv::Mat& predictedForeground, const cv::Mat& predictedObjects);
    // The split's object F1, Dice and Hausdorff from the images added so far.
    void finish();
    // The distribution of the per-image Dice and the mean HD95 (NaN without images; HD95 leaves out
    // the images where the truth or the prediction is empty, counted in hd95Undefined).
    struct PerImageSummary {
        double diceMean, diceMedian, diceMin, diceMax, hd95Mean;
        int hd95Undefined;
    };
    PerImageSummary perImageSummary() const;
    // Adds dice_per_image {mean, median, min, max}, hd95_mean, hd95_undefined (images left out of
    // the mean: an empty truth or prediction), object_f1, object_dice, object_hausdorff, tp, fp, fn
    // and per_image (one object per image: id, prediction when there is a file, dice, hd95,
    // object_dice, object_hausdorff, tp, fp, fn, truth_objects, segmented_objects) to `o`.
    void addToJson(QJsonObject& o) const;
    // One line per image: id, prediction, dice, hd95, object_dice, object_hausdorff, tp, fp, fn.
    QString toCsv() const;
};

// The objects of a sample's ground truth in a binary dataset (`truth`: its class map, foreground
// = 1): instance ids where the dataset's labels hold them (GLaS annotations), else 8-connected
// components; `source` Ids / Components forces one (Ids without instance labels: the foreground as
// one object).
cv::Mat truthObjects(const Dataset& ds, const Sample& s, const cv::Mat& truth, ObjectSource source);

struct ScoreResult {
    ConfusionMatrix confusion;
    QStringList classNames;
    QString split;
    bool binary = false;
    // Every image scored; the per-image and object scores are those of binary datasets (0 otherwise).
    BinaryScores scores;

    QJsonObject toJson() const;
    // scores.toCsv().
    QString toCsv() const;
};

// The prediction for sample `id` in `folder`: <id>[suffix].<ext> with suffix "", "_mask", "_pred"
// or "_anno" and ext png, bmp, tif or tiff. Empty when there is none; throws msup::Error when two
// files match.
QString predictionFileFor(const QString& folder, const QString& id);

// Scores every sample of the split. Throws msup::Error naming the file for a missing prediction, a
// prediction of the wrong size or with values outside the classes, and for a split the dataset
// does not have. Reports progress after each image; throws msup::Error "cancelled" once cancelled.
ScoreResult scorePredictions(const ScoreOptions& options, Progress& progress = noProgress());

// "ids", "components" or "auto".
bool parseObjectSource(const QString& text, ObjectSource* source);

} // namespace msup
