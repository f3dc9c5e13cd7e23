#pragma once

#include "core/base/progress.h"
#include "core/data/validation.h"
#include "core/train/confusion_matrix.h"
#include "core/train/inference_options.h"

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

} // namespace msup
