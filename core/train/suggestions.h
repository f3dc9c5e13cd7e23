#pragma once
// "Annotate these next": a dataset's images ranked by how unsure a checkpoint is about them.

#include "core/base/progress.h"
#include "core/data/validation.h"
#include "core/train/inference_options.h"

#include <QSet>
#include <QString>
#include <QVector>

namespace msup {

struct SuggestOptions {
    QString checkpoint;
    QString dataset; // folder (or NYUDv2 .mat file), opened the way the checkpoint's run read it
    QString device = QStringLiteral("cpu");
    InferenceOptions inference; // with flip TTA the uncertainty is the passes' disagreement
    QSet<QString> exclude; // sample ids left out (e.g. those marked reviewed in the project)
    bool unlabelledOnly = false; // only images without a mask file or correction
};

struct AnnotationSuggestion {
    int sample = -1; // index in the opened dataset's samples
    QString id;
    QString imagePath;
    double meanUncertainty = 0; // mean of PredictionMaps::uncertainty over the image, in [0, 1]
    bool labelled = false; // has a mask file or a correction
};

struct SuggestResult {
    QVector<AnnotationSuggestion> ranked; // most uncertain first (ties: dataset order)
    QVector<SkippedPair> skipped; // images that could not be read (file + reason), left out
    int candidates = 0; // images considered (not excluded)
    bool cancelled = false; // stopped by the Progress: `ranked` holds the images done so far
    double seconds = 0;
};

// Predicts every candidate image with the checkpoint and ranks them by mean uncertainty (the
// normalised entropy of the probabilities, or with flip TTA the disagreement between the passes:
// see PredictionMaps::uncertainty). Progress is reported after each image (text = its id); once
// cancelled, the images done so far are ranked and returned with `cancelled` set. Throws
// msup::Error when the checkpoint or the dataset cannot be opened, their classes differ, or no
// image is left to rank.
SuggestResult suggestImagesToAnnotate(const SuggestOptions& options, Progress& progress = noProgress());

} // namespace msup
