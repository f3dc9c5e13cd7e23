#include "core/train/evaluator.h"

#include "core/base/error.h"
#include "core/data/dataset.h"
#include "core/data/image_io.h"
#include "core/data/split.h"
#include "core/train/predictor.h"
#include "core/train/run_folder.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include <cmath>

namespace msup {

Dataset openDatasetForCheckpoint(const QString& datasetPath, const CheckpointInfo& info)
{
    // The format the run was trained with (detection when it was detected).
    Dataset ds = openDataset(datasetPath, info.config.datasetFormat);
    if (ds.numClasses() != info.classNames.size())
        throw Error("the dataset has " + std::to_string(ds.numClasses())
                + " classes but the checkpoint was trained on " + std::to_string(info.classNames.size()),
            datasetPath.toStdString(), "Evaluate on a dataset with the same classes.");
    return ds;
}

QVector<int> evaluationSamples(
    const Dataset& ds, const QString& checkpointPath, const CheckpointInfo& info, const QString& split)
{
    QStringList ids;
    for (const Sample& s : ds.samples)
        ids << s.id;
    QVector<int> indices;
    if (split == QLatin1String("all")) {
        for (int i = 0; i < ds.samples.size(); ++i)
            indices << i;
    } else if (split == QLatin1String("val") || split == QLatin1String("train")) {
        // The run's own split when the checkpoint sits in RUN_DIR/checkpoints/, else the same
        // seeded split training would have made.
        const RunFolder run(QFileInfo(checkpointPath).absoluteDir().absoluteFilePath(QStringLiteral("..")));
        const Split s = run.has(RunFile::Split) ? run.readSplit(ids)
                                                : defaultSplit(ds, info.config.valFraction, info.config.seed);
        indices = split == QLatin1String("val") ? s.val : s.train;
    } else if (ds.officialSplits.contains(split)) {
        indices = samplesOfSplit(ds, split);
    } else {
        throw Error("unknown split '" + split.toStdString() + "': use val, train, all"
            + (ds.officialSplits.isEmpty()
                    ? std::string()
                    : ", " + ds.officialSplits.join(QStringLiteral(", ")).toStdString()));
    }
    if (indices.isEmpty())
        throw Error("the split '" + split.toStdString() + "' is empty", ds.root.toStdString());
    return indices;
}

EvaluationResult evaluateCheckpoint(const QString& checkpointPath, const QString& datasetPath,
    const QString& split, const QString& device, Progress& progress, const InferenceOptions& inference)
{
    inference.check();
    Predictor predictor(checkpointPath, device);
    const CheckpointInfo& info = predictor.info();
    const Dataset ds = openDatasetForCheckpoint(datasetPath, info);
    const QVector<int> indices = evaluationSamples(ds, checkpointPath, info, split);

    EvaluationResult r { ConfusionMatrix(ds.numClasses()), ds.classNames, 0, split, {}, {},
        ds.numClasses() == 2, {} };
    for (int n = 0; n < indices.size(); ++n) {
        const Sample& s = ds.samples[indices[n]];
        cv::Mat rgb, truth;
        if (!decodePair(ds, s, rgb, truth, r.skipped)) { // one verdict per pair, as 'masksup inspect'
            progress.report(n + 1, int(indices.size()));
            if (progress.isCancelled())
                throw Error("evaluation cancelled");
            continue;
        }
        const cv::Mat pred = predictor.run(rgb, inference).labels;
        r.confusion.add(truth.ptr(), pred.ptr(), truth.total(), ds.ignoreIndex);
        r.perImage.addImage(truth.ptr(), pred.ptr(), truth.total(), ds.ignoreIndex);
        if (r.binary) {
            const cv::Mat predicted = pred == 1;
            r.objects.add(s.id, QString(), truth == 1, truthObjects(ds, s, truth, ObjectSource::Auto),
                predicted, objectsFromComponents(predicted));
        }
        ++r.images;
        progress.report(n + 1, int(indices.size()));
        if (progress.isCancelled())
            throw Error("evaluation cancelled");
    }
    if (r.images == 0 && !r.skipped.isEmpty())
        throw noUsablePairsError(r.skipped, ds.root, QStringLiteral("the evaluation"));
    if (r.binary)
        r.objects.finish();
    return r;
}

RunObjectMetrics runObjectMetrics(const QString& runFolder, const QString& datasetPath, const QString& device,
    Progress& progress, bool* evaluated)
{
    const RunFolder run(runFolder);
    if (evaluated)
        *evaluated = false;
    if (const std::optional<RunObjectMetrics> stored = run.readObjectMetrics())
        return *stored;
    const QString stamp = run.bestCheckpointStamp();
    if (stamp.isEmpty())
        throw Error(
            "no " + RunFolder::fileName(RunFile::BestCheckpoint).toStdString(), runFolder.toStdString());
    const QJsonObject config = run.readConfig();
    const qsizetype classes = config.value(QStringLiteral("classes")).toArray().size();
    if (classes > 0 && classes != 2)
        throw Error(
            "object metrics are for binary datasets; this run has " + std::to_string(classes) + " classes",
            runFolder.toStdString());
    const QString dataset
        = datasetPath.isEmpty() ? config.value(QStringLiteral("dataset")).toString() : datasetPath;
    if (dataset.isEmpty() || !QFileInfo::exists(dataset))
        throw Error("dataset not found",
            (dataset.isEmpty() ? run.path(RunFile::Config) : dataset).toStdString(),
            "The run's dataset was moved or deleted.");
    const QString split = QStringLiteral("val");
    const EvaluationResult r
        = evaluateCheckpoint(run.path(RunFile::BestCheckpoint), dataset, split, device, progress);
    if (!r.binary)
        throw Error("object metrics are for binary datasets; this one has "
                + std::to_string(r.classNames.size()) + " classes",
            dataset.toStdString());
    const BinaryScores::PerImageSummary summary = r.objects.perImageSummary();
    RunObjectMetrics m { stamp, split, r.images, r.objects.objectF1, r.objects.objectDice,
        r.objects.objectHausdorff, r.objects.truePositives, r.objects.falsePositives,
        r.objects.falseNegatives, summary.diceMean, summary.diceMedian, summary.diceMin, summary.diceMax,
        summary.hd95Mean };
    if (evaluated)
        *evaluated = true;
    try {
        // Only for the checkpoint evaluated: a best.pt replaced meanwhile is evaluated next time.
        if (run.bestCheckpointStamp() == stamp)
            run.writeObjectMetrics(m);
    } catch (const std::exception&) {
        // A read-only run folder: the metrics are returned, computed again next time.
    }
    return m;
}

} // namespace msup
