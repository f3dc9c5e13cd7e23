#include "core/train/error_analysis.h"

#include "core/base/error.h"
#include "core/train/model_store.h"
#include "core/train/predictor.h"
#include "core/train/run_folder.h"
#include "core/train/training_session.h"

#include <QFileInfo>
#include <QJsonObject>

#include <algorithm>

namespace msup {

qint64 ImageConfusion::count(int truth, int prediction) const
{
    for (const Cell& c : cells)
        if (c.truth == truth && c.prediction == prediction)
            return c.pixels;
    return 0;
}

qint64 ImageConfusion::falseNegatives(int k) const
{
    qint64 n = 0;
    for (const Cell& c : cells)
        if (c.truth == k && c.prediction != k)
            n += c.pixels;
    return n;
}

qint64 ImageConfusion::falsePositives(int k) const
{
    qint64 n = 0;
    for (const Cell& c : cells)
        if (c.prediction == k && c.truth != k)
            n += c.pixels;
    return n;
}

ImageConfusion imageConfusion(const QString& id, const std::uint8_t* truth, const std::uint8_t* prediction,
    std::size_t n, int classes, int ignoreIndex)
{
    QVector<qint64> counts(classes * classes, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const int t = truth[i];
        if (t == ignoreIndex)
            continue;
        const int p = prediction[i];
        if (t >= classes || p >= classes)
            throw Error("image " + id.toStdString() + ": label " + std::to_string(std::max(t, p))
                + " is not one of the " + std::to_string(classes) + " classes");
        ++counts[t * classes + p];
    }
    ImageConfusion out;
    out.id = id;
    for (int t = 0; t < classes; ++t)
        for (int p = 0; p < classes; ++p)
            if (counts[t * classes + p] > 0)
                out.cells.append({ t, p, counts[t * classes + p] });
    return out;
}

QVector<qint64> ValidationErrors::total() const
{
    const int k = classes();
    QVector<qint64> m(k * k, 0);
    for (const ImageConfusion& image : images)
        for (const ImageConfusion::Cell& c : image.cells)
            if (c.truth < k && c.prediction < k)
                m[c.truth * k + c.prediction] += c.pixels;
    return m;
}

QVector<RankedImage> worstImages(const ValidationErrors& errors, int truth, int prediction, int n)
{
    const int k = errors.classes();
    if (truth < 0 || truth >= k || prediction >= k)
        throw Error("there is no confusion-matrix cell (" + std::to_string(truth) + ", "
            + std::to_string(prediction) + ") in a " + std::to_string(k) + "-class task");
    const bool allErrors = prediction < 0 || prediction == truth;
    QVector<RankedImage> ranked;
    for (int i = 0; i < errors.images.size(); ++i) {
        const ImageConfusion& image = errors.images[i];
        RankedImage r;
        r.id = image.id;
        r.valIndex = i;
        r.falseNegatives = image.falseNegatives(truth);
        r.falsePositives = image.falsePositives(truth);
        r.pixels = allErrors ? r.falseNegatives + r.falsePositives : image.count(truth, prediction);
        if (r.pixels > 0)
            ranked << r;
    }
    std::stable_sort(ranked.begin(), ranked.end(),
        [](const RankedImage& a, const RankedImage& b) { return a.pixels > b.pixels; });
    if (n > 0 && ranked.size() > n)
        ranked.resize(n);
    return ranked;
}

namespace {

    // The score of worstImages() recomputed from two label maps.
    qint64 errorPixels(
        const cv::Mat& truth, const cv::Mat& prediction, int classes, int ignoreIndex, int t, int p)
    {
        const ImageConfusion c = imageConfusion(QString(), truth.ptr<std::uint8_t>(),
            prediction.ptr<std::uint8_t>(), truth.total(), classes, ignoreIndex);
        return p < 0 || p == t ? c.falseNegatives(t) + c.falsePositives(t) : c.count(t, p);
    }

    // The checkpoint of the run whose weights are those of `epoch`'s validation.
    QString checkpointForEpoch(const QString& runDir, int epoch, int* checkpointEpoch, bool* match)
    {
        const RunFolder run(runDir);
        const QString last = run.path(RunFile::LastCheckpoint);
        const QString best = run.path(RunFile::BestCheckpoint);
        CheckpointInfo lastInfo;
        bool hasLast = false;
        if (QFileInfo::exists(last)) {
            lastInfo = readCheckpointInfo(last);
            hasLast = true;
            // last.pt written at the end of an epoch has batch 0 in its training state; one written
            // within the next epoch (checkpointMinutes, or a stop) holds later weights.
            if (lastInfo.epoch == epoch
                && lastInfo.trainingState.value(QStringLiteral("batch")).toInt() == 0) {
                *checkpointEpoch = epoch;
                *match = true;
                return last;
            }
        }
        if (QFileInfo::exists(best)) {
            const CheckpointInfo bestInfo = readCheckpointInfo(best);
            if (bestInfo.epoch == epoch) {
                *checkpointEpoch = epoch;
                *match = true;
                return best;
            }
        }
        if (!hasLast)
            throw Error("has no " + RunFolder::fileName(RunFile::LastCheckpoint).toStdString()
                    + " to predict the validation images with",
                runDir.toStdString(), "Wait for the end of the first epoch.");
        *checkpointEpoch = lastInfo.epoch;
        *match = false;
        return last;
    }

} // namespace

// The decoding step seen as the first part of the analysis: its counts against the analysis' total.
class DecodingProgress final : public Progress {
public:
    DecodingProgress(Progress& analysis, int total)
        : m_analysis(analysis)
        , m_total(total)
    {
    }
    void report(int done, int, const std::string&) override { m_analysis.report(done, m_total); }
    bool isCancelled() const override { return m_analysis.isCancelled(); }

private:
    Progress& m_analysis;
    int m_total;
};

ErrorAnalysis analyseValidationErrors(
    const QString& runDir, int truth, int prediction, int n, Progress& progress)
{
    const ValidationErrors errors = RunFolder(runDir).readValidationErrors();
    ErrorAnalysis a;
    a.epoch = errors.epoch;
    a.truth = truth;
    a.prediction = prediction;
    a.classNames = errors.classNames;
    a.ignoreIndex = errors.ignoreIndex;
    const QVector<RankedImage> all = worstImages(errors, truth, prediction, 0);
    a.imagesWithError = all.size();
    const QVector<RankedImage> ranked = all.mid(0, n > 0 ? n : all.size());
    if (ranked.isEmpty())
        return a;

    a.checkpoint = checkpointForEpoch(runDir, errors.epoch, &a.checkpointEpoch, &a.weightsMatch);
    // The run's own device kind when this machine has it (closest to its validation), else the CPU.
    TrainConfig config = readCheckpointInfo(a.checkpoint).config;
    const bool gpu = config.device != QLatin1String("cpu") && TrainingSession::cudaAvailable();
    Predictor predictor(a.checkpoint, gpu ? QStringLiteral("auto") : QStringLiteral("cpu"));
    config.outDir = QFileInfo(runDir).absoluteFilePath(); // the run's split, wherever the folder moved
    a.masked = config.mode != QLatin1String("baseline");
    if (config.imageSize != errors.imageSize)
        throw Error("was validated at " + std::to_string(errors.imageSize) + " px but its checkpoint is at "
                + std::to_string(config.imageSize) + " px",
            runDir.toStdString());
    const int k = errors.classes();
    const int total = 2 * int(ranked.size()); // decoding, then predicting, each image
    QStringList ids;
    for (const RankedImage& r : ranked)
        ids << r.id;
    DecodingProgress decoding(progress, total);
    const BatchPreview inputs = previewValidationImages(config, errors.epoch, ids, decoding);
    for (int i = 0; i < int(inputs.ids.size()) && !progress.isCancelled(); ++i) {
        ErrorExample e;
        e.rank = ranked[i];
        e.image = inputs.clean[i];
        e.truth = inputs.labels[i];
        e.prediction = predictor.predict(e.image);
        e.codes = errorCodes(e.truth, e.prediction, k, truth, errors.ignoreIndex, &e.counts);
        e.recomputedPixels = errorPixels(e.truth, e.prediction, k, errors.ignoreIndex, truth, prediction);
        if (a.masked) {
            e.holes = inputs.holes[i];
            e.masked = inputs.masked[i];
        }
        a.examples << e;
        progress.report(int(ranked.size()) + i + 1, total);
    }
    return a;
}

} // namespace msup
