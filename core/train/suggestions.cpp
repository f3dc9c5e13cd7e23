#include "core/train/suggestions.h"

#include "core/base/error.h"
#include "core/data/dataset.h"
#include "core/data/image_io.h"
#include "core/train/evaluator.h"
#include "core/train/predictor.h"

#include <QElapsedTimer>

#include <algorithm>

namespace msup {

namespace {
    bool isLabelled(const Sample& s)
    {
        return !s.maskPath.isEmpty() || !s.correctionPath.isEmpty();
    }
} // namespace

SuggestResult suggestImagesToAnnotate(const SuggestOptions& options, Progress& progress)
{
    QElapsedTimer clock;
    clock.start();
    options.inference.check();
    Predictor predictor(options.checkpoint, options.device);
    const Dataset ds = openDatasetForCheckpoint(options.dataset, predictor.info());
    QVector<int> candidates;
    for (int i = 0; i < ds.samples.size(); ++i) {
        const Sample& s = ds.samples[i];
        if (!options.exclude.contains(s.id) && !(options.unlabelledOnly && isLabelled(s)))
            candidates << i;
    }
    SuggestResult r;
    r.candidates = int(candidates.size());
    if (candidates.isEmpty())
        throw Error("no image to rank: every image of the dataset is excluded"
                + std::string(options.unlabelledOnly ? " or labelled" : ""),
            ds.root.toStdString(), "Include reviewed or labelled images, or add images.");
    for (int n = 0; n < candidates.size(); ++n) {
        const Sample& s = ds.samples[candidates[n]];
        try {
            const PredictionMaps maps
                = predictor.run(loadSampleImage(ds, s), options.inference, kUncertainty);
            r.ranked.append(
                { candidates[n], s.id, s.imagePath, cv::mean(maps.uncertainty)[0], isLabelled(s) });
        } catch (const std::exception& e) {
            r.skipped.append(skippedPairFrom(s, e));
        }
        progress.report(n + 1, int(candidates.size()), s.id.toStdString());
        if (progress.isCancelled() && n + 1 < candidates.size()) {
            r.cancelled = true;
            break;
        }
    }
    if (r.ranked.isEmpty() && !r.skipped.isEmpty() && !r.cancelled)
        throw noUsablePairsError(r.skipped, ds.root, QStringLiteral("the ranking"));
    std::stable_sort(
        r.ranked.begin(), r.ranked.end(), [](const AnnotationSuggestion& a, const AnnotationSuggestion& b) {
            return a.meanUncertainty > b.meanUncertainty;
        });
    r.seconds = clock.elapsed() / 1000.0;
    return r;
}

} // namespace msup
