#include "core/train/error_analysis.h"

#include "core/base/error.h"
#include "core/io/atomic_file.h"
#include "core/train/model_store.h"
#include "core/train/predictor.h"
#include "core/train/training_session.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
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

QString validationErrorsPath(const QString& runDir)
{
    return QDir(runDir).filePath(QStringLiteral("val_errors.json"));
}

QByteArray validationErrorsToJson(const ValidationErrors& errors)
{
    QJsonArray images;
    for (const ImageConfusion& image : errors.images) {
        QJsonArray cells;
        for (const ImageConfusion::Cell& c : image.cells)
            cells.append(QJsonArray { c.truth, c.prediction, double(c.pixels) });
        images.append(QJsonObject { { QStringLiteral("id"), image.id }, { QStringLiteral("cells"), cells } });
    }
    const QJsonObject root { { QStringLiteral("format"), QStringLiteral("masksup-val-errors") },
        { QStringLiteral("version"), 1 }, { QStringLiteral("epoch"), errors.epoch },
        { QStringLiteral("classes"), QJsonArray::fromStringList(errors.classNames) },
        { QStringLiteral("image_size"), errors.imageSize },
        { QStringLiteral("ignore_index"), errors.ignoreIndex }, { QStringLiteral("images"), images } };
    // Compact: one entry per validation image and non-zero cell, small even for 40 classes.
    return QJsonDocument(root).toJson(QJsonDocument::Compact) + '\n';
}

void writeValidationErrors(const QString& runDir, const ValidationErrors& errors)
{
    writeFileAtomic(validationErrorsPath(runDir), validationErrorsToJson(errors));
}

ValidationErrors readValidationErrors(const QString& runDir)
{
    const QString path = validationErrorsPath(runDir);
    QFile file(path);
    if (!file.exists())
        throw Error("does not exist: no validation of this run has finished yet (or the run was trained "
                    "by a version without error analysis)",
            path.toStdString(), "Wait for the end of the first epoch.");
    if (!file.open(QIODevice::ReadOnly))
        throw Error("cannot be read: " + file.errorString().toStdString(), path.toStdString());
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    const QJsonObject root = doc.object();
    if (doc.isNull()
        || root.value(QStringLiteral("format")).toString() != QLatin1String("masksup-val-errors"))
        throw Error(
            "is not a validation error file: " + parseError.errorString().toStdString(), path.toStdString());
    ValidationErrors e;
    e.epoch = root.value(QStringLiteral("epoch")).toInt();
    for (const QJsonValue& v : root.value(QStringLiteral("classes")).toArray())
        e.classNames << v.toString();
    e.imageSize = root.value(QStringLiteral("image_size")).toInt();
    e.ignoreIndex = root.value(QStringLiteral("ignore_index")).toInt(255);
    const int k = e.classes();
    for (const QJsonValue& v : root.value(QStringLiteral("images")).toArray()) {
        const QJsonObject o = v.toObject();
        ImageConfusion image;
        image.id = o.value(QStringLiteral("id")).toString();
        for (const QJsonValue& c : o.value(QStringLiteral("cells")).toArray()) {
            const QJsonArray a = c.toArray();
            const ImageConfusion::Cell cell { a.at(0).toInt(-1), a.at(1).toInt(-1),
                qint64(a.at(2).toDouble()) };
            if (a.size() != 3 || cell.truth < 0 || cell.truth >= k || cell.prediction < 0
                || cell.prediction >= k || cell.pixels < 0)
                throw Error("has an invalid cell for image " + image.id.toStdString(), path.toStdString());
            image.cells << cell;
        }
        e.images << image;
    }
    if (k == 0)
        throw Error("lists no classes", path.toStdString());
    return e;
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
        const QDir dir(QDir(runDir).filePath(QStringLiteral("checkpoints")));
        const QString last = dir.filePath(QStringLiteral("last.pt"));
        const QString best = dir.filePath(QStringLiteral("best.pt"));
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
            throw Error("has no checkpoints/last.pt to predict the validation images with",
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
    const ValidationErrors errors = readValidationErrors(runDir);
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
    config.outDir = QFileInfo(runDir).absoluteFilePath(); // the run's split.json, wherever the folder moved
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
