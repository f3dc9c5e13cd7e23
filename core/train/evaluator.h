#pragma once

#include "core/train/confusion_matrix.h"

#include <QString>

#include <functional>

namespace msup {

struct EvaluationResult {
    ConfusionMatrix confusion;
    QStringList classNames;
    int images = 0;
    QString split;
};

// Evaluates a checkpoint on a dataset split ("val": the run's saved validation split, "train",
// "all", or an official split of the format such as GLaS "testB"), accumulating one confusion matrix over all
// pixels at the label's original size. progress(done, total) may return false to cancel (throws msup::Error
// "cancelled").
EvaluationResult evaluateCheckpoint(const QString& checkpointPath, const QString& datasetPath,
    const QString& split, const QString& device = QStringLiteral("cpu"),
    const std::function<bool(int, int)>& progress = {});

} // namespace msup
