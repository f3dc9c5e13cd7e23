#include "core/train/scoring.h"

#include "core/base/error.h"
#include "core/data/dataset.h"
#include "core/data/image_io.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <set>

namespace msup {

bool parseObjectSource(const QString& text, ObjectSource* source)
{
    if (text == QLatin1String("auto"))
        *source = ObjectSource::Auto;
    else if (text == QLatin1String("ids"))
        *source = ObjectSource::Ids;
    else if (text == QLatin1String("components"))
        *source = ObjectSource::Components;
    else
        return false;
    return true;
}

QString predictionFileFor(const QString& folder, const QString& id)
{
    QStringList found;
    const QDir dir(folder);
    for (const char* suffix : { "", "_mask", "_pred", "_anno" })
        for (const char* ext : { "png", "bmp", "tif", "tiff" }) {
            const QString name = id + QLatin1String(suffix) + QLatin1Char('.') + QLatin1String(ext);
            if (QFileInfo(dir.filePath(name)).isFile())
                found << dir.filePath(name);
        }
    if (found.size() > 1)
        throw Error(QStringLiteral("two predictions for sample '%1': %2")
                        .arg(id, found.join(QStringLiteral(", ")))
                        .toStdString(),
            folder.toStdString(), "Keep one label image per sample in the predictions folder.");
    return found.value(0);
}

namespace {

    QVector<int> samplesOf(const Dataset& ds, const QString& split)
    {
        QVector<int> indices;
        for (int i = 0; i < ds.samples.size(); ++i)
            if (split == QLatin1String("all") || ds.samples[i].split == split)
                indices << i;
        if (indices.isEmpty())
            throw Error(QStringLiteral("the dataset has no split '%1'").arg(split).toStdString(),
                ds.root.toStdString(),
                QStringLiteral("Use --split all%1.")
                    .arg(ds.officialSplits.isEmpty()
                            ? QString()
                            : QStringLiteral(" or one of: ") + ds.officialSplits.join(QStringLiteral(", ")))
                    .toStdString());
        return indices;
    }

    // Every sample's prediction file, or an error naming the ones missing.
    QStringList predictionFiles(const Dataset& ds, const QVector<int>& indices, const QString& folder)
    {
        if (!QFileInfo(folder).isDir())
            throw Error("predictions folder not found", folder.toStdString(),
                "Give the folder holding the label images.");
        QStringList files, missing;
        for (int i : indices) {
            files << predictionFileFor(folder, ds.samples[i].id);
            if (files.last().isEmpty())
                missing << QDir(folder).filePath(ds.samples[i].id + QStringLiteral(".png"));
        }
        if (!missing.isEmpty())
            throw Error(QStringLiteral("no prediction for %1 of %2 sample(s), e.g. %3")
                            .arg(missing.size())
                            .arg(indices.size())
                            .arg(missing.mid(0, 3).join(QStringLiteral(", ")))
                            .toStdString(),
                folder.toStdString(), "Name each prediction after its sample: <id>.png or <id>_mask.png.");
        return files;
    }

    // A binary prediction's classes and objects. Values {0,1} or {0,255} are a mask; more than two
    // distinct values an instance map (any non-zero value is foreground).
    struct BinaryPrediction {
        cv::Mat classes; // CV_8UC1 0/1
        cv::Mat objects; // CV_32SC1 labels
    };

    BinaryPrediction binaryPrediction(const cv::Mat& values, ObjectSource source, const QString& file)
    {
        std::set<int> distinct;
        for (int y = 0; y < values.rows && distinct.size() <= 3; ++y)
            for (const int* p = values.ptr<int>(y); p != values.ptr<int>(y) + values.cols; ++p)
                distinct.insert(*p);
        const bool mask01
            = std::all_of(distinct.begin(), distinct.end(), [](int v) { return v == 0 || v == 1; });
        const bool mask255
            = std::all_of(distinct.begin(), distinct.end(), [](int v) { return v == 0 || v == 255; });
        const bool instances = !mask01 && !mask255;
        if (instances && distinct.size() == 2)
            throw Error(QStringLiteral("a binary mask must hold 0 and 1 or 0 and 255, found %1 and %2")
                            .arg(*distinct.begin())
                            .arg(*distinct.rbegin())
                            .toStdString(),
                file.toStdString(),
                "Write 0 for background and 1 or 255 for the foreground (or instance ids).");
        BinaryPrediction p;
        cv::Mat foreground = values != 0;
        foreground.convertTo(p.classes, CV_8U, 1.0 / 255);
        const bool ids = source == ObjectSource::Ids || (source == ObjectSource::Auto && instances);
        p.objects = ids ? objectsFromIds(values) : objectsFromComponents(foreground);
        return p;
    }

    void scoreImage(
        const Dataset& ds, const Sample& s, const QString& file, ObjectSource source, ScoreResult& r)
    {
        const cv::Mat truth = loadLabels(ds, s);
        const cv::Mat values = loadLabelValues(file);
        if (values.size() != truth.size())
            throw Error(QStringLiteral("prediction is %1x%2 but the ground truth of '%3' is %4x%5")
                            .arg(values.cols)
                            .arg(values.rows)
                            .arg(s.id)
                            .arg(truth.cols)
                            .arg(truth.rows)
                            .toStdString(),
                file.toStdString(), "Predict at the image's own size (masksup predict does).");
        if (!r.binary) {
            double maxValue = 0;
            cv::minMaxLoc(values, nullptr, &maxValue);
            if (maxValue >= ds.numClasses())
                throw Error(QStringLiteral("holds class %1 but the dataset has %2 classes")
                                .arg(maxValue)
                                .arg(ds.numClasses())
                                .toStdString(),
                    file.toStdString(), "Write class indices 0..K-1 (palette or greyscale PNG).");
            cv::Mat classes;
            values.convertTo(classes, CV_8U);
            r.confusion.add(truth.ptr(), classes.ptr(), truth.total(), ds.ignoreIndex);
            r.scores.images << ImageScore { s.id, file, 0, 0, {} };
            return;
        }
        const BinaryPrediction p = binaryPrediction(values, source, file);
        r.confusion.add(truth.ptr(), p.classes.ptr(), truth.total(), ds.ignoreIndex);
        r.scores.add(s.id, file, truth == 1, truthObjects(ds, s, truth, source), p.classes, p.objects);
    }

    QJsonValue number(double v)
    {
        return std::isnan(v) ? QJsonValue() : QJsonValue(v);
    }

} // namespace

ScoreResult scorePredictions(const ScoreOptions& options, Progress& progress)
{
    const Dataset ds = options.format.isEmpty() ? openDataset(options.dataset)
                                                : openDataset(options.dataset, options.format);
    const QVector<int> indices = samplesOf(ds, options.split);
    const QStringList files = predictionFiles(ds, indices, options.predictions);
    ScoreResult r { ConfusionMatrix(ds.numClasses()), ds.classNames, options.split, ds.numClasses() == 2,
        {} };
    for (int n = 0; n < indices.size(); ++n) {
        scoreImage(ds, ds.samples[indices[n]], files[n], options.objects, r);
        progress.report(n + 1, int(indices.size()));
        if (progress.isCancelled())
            throw Error("scoring cancelled");
    }
    if (r.binary)
        r.scores.finish();
    return r;
}

cv::Mat truthObjects(const Dataset& ds, const Sample& s, const cv::Mat& truth, ObjectSource source)
{
    const cv::Mat foreground = truth == 1;
    if (source != ObjectSource::Components) {
        const cv::Mat ids = loadInstanceIds(ds, s);
        if (!ids.empty())
            return objectsFromIds(ids.mul(foreground / 255));
        if (source == ObjectSource::Ids)
            return objectsFromIds(foreground / 255);
    }
    return objectsFromComponents(foreground);
}

void BinaryScores::add(const QString& id, const QString& prediction, const cv::Mat& truthForeground,
    const cv::Mat& truthObjects, const cv::Mat& predictedForeground, const cv::Mat& predictedObjects)
{
    ImageScore score { id, prediction, foregroundDice(truthForeground, predictedForeground),
        hd95(truthForeground, predictedForeground), scoreObjects(truthObjects, predictedObjects) };
    truePositives += score.objects.truePositives;
    falsePositives += score.objects.falsePositives;
    falseNegatives += score.objects.falseNegatives;
    images << score;
}

void BinaryScores::finish()
{
    objectF1 = objectDice = objectHausdorff = 0;
    if (images.isEmpty())
        return;
    objectF1 = msup::objectF1(truePositives, falsePositives, falseNegatives);
    for (const ImageScore& i : images) {
        objectDice += i.objects.objectDice / images.size();
        objectHausdorff += i.objects.objectHausdorff / images.size();
    }
}

BinaryScores::PerImageSummary BinaryScores::perImageSummary() const
{
    QVector<double> dice, hd;
    for (const ImageScore& i : images) {
        dice << i.dice;
        if (!std::isnan(i.hd95))
            hd << i.hd95;
    }
    std::sort(dice.begin(), dice.end());
    auto mean = [](const QVector<double>& v) {
        double sum = 0;
        for (double x : v)
            sum += x;
        return v.isEmpty() ? std::nan("") : sum / v.size();
    };
    const double median = dice.isEmpty() ? std::nan("")
        : dice.size() % 2                ? dice[dice.size() / 2]
                                         : 0.5 * (dice[dice.size() / 2 - 1] + dice[dice.size() / 2]);
    return { mean(dice), median, dice.isEmpty() ? std::nan("") : dice.first(),
        dice.isEmpty() ? std::nan("") : dice.last(), mean(hd), int(images.size() - hd.size()) };
}

void BinaryScores::addToJson(QJsonObject& o) const
{
    QJsonArray perImage;
    for (const ImageScore& i : images) {
        QJsonObject image { { QStringLiteral("id"), i.id }, { QStringLiteral("dice"), i.dice },
            { QStringLiteral("hd95"), number(i.hd95) },
            { QStringLiteral("object_dice"), i.objects.objectDice },
            { QStringLiteral("object_hausdorff"), i.objects.objectHausdorff },
            { QStringLiteral("tp"), i.objects.truePositives },
            { QStringLiteral("fp"), i.objects.falsePositives },
            { QStringLiteral("fn"), i.objects.falseNegatives },
            { QStringLiteral("truth_objects"), i.objects.truthObjects },
            { QStringLiteral("segmented_objects"), i.objects.segmentedObjects } };
        if (!i.prediction.isEmpty())
            image.insert(QStringLiteral("prediction"), i.prediction);
        perImage.append(image);
    }
    const PerImageSummary summary = perImageSummary();
    o.insert(QStringLiteral("dice_per_image"),
        QJsonObject { { QStringLiteral("mean"), number(summary.diceMean) },
            { QStringLiteral("median"), number(summary.diceMedian) },
            { QStringLiteral("min"), number(summary.diceMin) },
            { QStringLiteral("max"), number(summary.diceMax) } });
    o.insert(QStringLiteral("hd95_mean"), number(summary.hd95Mean));
    o.insert(QStringLiteral("hd95_undefined"), summary.hd95Undefined);
    o.insert(QStringLiteral("object_f1"), objectF1);
    o.insert(QStringLiteral("object_dice"), objectDice);
    o.insert(QStringLiteral("object_hausdorff"), objectHausdorff);
    o.insert(QStringLiteral("tp"), truePositives);
    o.insert(QStringLiteral("fp"), falsePositives);
    o.insert(QStringLiteral("fn"), falseNegatives);
    o.insert(QStringLiteral("per_image"), perImage);
}

QString BinaryScores::toCsv() const
{
    QString csv = QStringLiteral("id,prediction,dice,hd95,object_dice,object_hausdorff,tp,fp,fn\n");
    auto quoted = [](QString s) -> QString {
        return QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    };
    for (const ImageScore& i : images)
        csv += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9\n")
                   .arg(quoted(i.id), quoted(i.prediction))
                   .arg(i.dice, 0, 'g', 10)
                   .arg(std::isnan(i.hd95) ? QString() : QString::number(i.hd95, 'g', 10))
                   .arg(i.objects.objectDice, 0, 'g', 10)
                   .arg(i.objects.objectHausdorff, 0, 'g', 10)
                   .arg(i.objects.truePositives)
                   .arg(i.objects.falsePositives)
                   .arg(i.objects.falseNegatives);
    return csv;
}

QJsonObject ScoreResult::toJson() const
{
    QJsonObject o = confusion.toJson();
    o.insert(QStringLiteral("split"), split);
    o.insert(QStringLiteral("images"), int(scores.images.size()));
    o.insert(QStringLiteral("classes"), QJsonArray::fromStringList(classNames));
    if (binary)
        scores.addToJson(o);
    return o;
}

QString ScoreResult::toCsv() const
{
    return scores.toCsv();
}

} // namespace msup
