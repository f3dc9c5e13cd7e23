#pragma once

#include "core/base/progress.h"
#include "core/data/validation.h"
#include "core/train/confusion_matrix.h"
#include "core/train/inference_options.h"
#include "core/train/run_folder.h"
#include "core/train/scoring.h"

#include <QString>
#include <QVector>

#include <functional>

namespace msup {

struct EvaluationResult {
    ConfusionMatrix confusion;
    QStringList classNames;
    int images = 0;
    QString split;
    ReferenceBinaryIou perImage; // the reference code's per-image foreground IoU (binary tasks)
    QVector<SkippedPair> skipped; // pairs that cannot be decoded, left out (see validation.h)
    // Binary datasets (2 classes): per-image Dice and HD95 and the GlaS object metrics over the
    // images evaluated, as `masksup score` computes them (core/train/scoring.h): ground-truth objects
    // from the labels' instance ids where the dataset holds them (GLaS annotations), else 8-connected
    // components; predicted objects the components of the predicted foreground. Empty otherwise.
    bool binary = false;
    BinaryScores objects;
};

// Evaluates a checkpoint on a dataset split ("val": the run's saved validation split, "train",
// "all", or an official split of the format such as GLaS "testB"), accumulating one confusion matrix over all
// pixels at the label's original size, each image predicted as `inference` says (resized to the
// training size by default; tiles at native resolution, flip TTA). Progress is reported after each image;
// once cancelled, it throws msup::Error "cancelled".
struct Dataset;
struct CheckpointInfo;

// The samples of `split` for a checkpoint: "val"/"train" are the run's saved split when the
// checkpoint sits in RUN_DIR/checkpoints/ (else the seeded split training would make), "all", or
// an official split of the format. Throws msup::Error for an unknown or empty split.
QVector<int> evaluationSamples(
    const Dataset& ds, const QString& checkpointPath, const CheckpointInfo& info, const QString& split);

// Opens the dataset the way the checkpoint's run read it, checking its classes match.
Dataset openDatasetForCheckpoint(const QString& datasetPath, const CheckpointInfo& info);

EvaluationResult evaluateCheckpoint(const QString& checkpointPath, const QString& datasetPath,
    const QString& split, const QString& device = QStringLiteral("cpu"), Progress& progress = noProgress(),
    const InferenceOptions& inference = {});

// The object metrics of a binary run's checkpoints/best.pt on the run's validation split: the stored
// ones when they belong to this checkpoint (RunFolder::readObjectMetrics), else the checkpoint is
// evaluated on `datasetPath` (empty = the dataset of the run's config) and the result stored in the
// run folder when it can be written. *evaluated (when given) says which. Throws msup::Error: no best
// checkpoint, a dataset that is not binary or cannot be opened, "evaluation cancelled".
RunObjectMetrics runObjectMetrics(const QString& runFolder, const QString& datasetPath = {},
    const QString& device = QStringLiteral("cpu"), Progress& progress = noProgress(),
    bool* evaluated = nullptr);

} // namespace msup
