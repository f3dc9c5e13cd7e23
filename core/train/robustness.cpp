#include "core/train/robustness.h"

#include "core/base/error.h"
#include "core/base/rng.h"
#include "core/data/image_io.h"
#include "core/masks/hole_generator.h"
#include "core/masks/mask_set.h"
#include "core/train/evaluator.h"
#include "core/train/predictor.h"

#include <QJsonArray>
#include <QStringList>

#include <cmath>

namespace msup {

QVector<std::pair<double, double>> parseRobustnessRatios(const QString& text)
{
    QVector<std::pair<double, double>> levels;
    double previous = -1;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double r = part.trimmed().toDouble(&ok);
        if (!ok || r < 0 || r > 1)
            throw Error("hole ratio '" + part.trimmed().toStdString()
                + "' is not a number from 0 to 1: give increasing ratios such as 0,0.1,0.2,0.3,0.4,0.5,0.6");
        if (r <= previous)
            throw Error("hole ratios must increase (" + std::to_string(r) + " follows "
                + std::to_string(previous) + "): give them as 0,0.1,0.2,...");
        if (r == 0)
            levels.push_back({ 0.0, 0.0 });
        else
            levels.push_back({ std::max(previous, 0.0), r });
        if (r > 0 && r - std::max(previous, 0.0) < 0.005)
            throw Error("hole-ratio intervals must be at least 0.005 wide");
        previous = r;
    }
    if (levels.isEmpty())
        throw Error("no hole ratio given: use for example 0,0.1,0.2,0.3,0.4,0.5,0.6");
    return levels;
}

RobustnessResult robustnessCurve(const Dataset& ds, const QVector<int>& samples, int modelSize,
    const QVector<std::pair<double, double>>& levels, std::uint64_t seed, const MaskedPredictor& predict,
    const MaskSourceFactory& masks, Progress& progress)
{
    RobustnessResult r;
    r.classNames = ds.classNames;
    r.images = samples.size();
    r.seed = seed;
    for (const auto& [lo, hi] : levels)
        r.levels.push_back({ lo, hi, 0.0, ConfusionMatrix(ds.numClasses()) });
    std::vector<std::unique_ptr<MaskSource>> sources;
    for (const auto& [lo, hi] : levels) {
        if (hi <= 0)
            sources.push_back(nullptr);
        else if (masks)
            sources.push_back(masks(lo, hi));
        else
            sources.push_back(std::make_unique<HoleGenerator>(HoleRatioRange { lo, hi }));
    }
    const int total = int(samples.size() * levels.size());
    int done = 0;
    // Image by image, so each is decoded once for all levels.
    for (int n = 0; n < samples.size(); ++n) {
        const Sample& s = ds.samples[samples[n]];
        cv::Mat rgb, truth;
        if (!decodePair(ds, s, rgb, truth, r.skipped)) { // one verdict per pair, as 'masksup inspect'
            done += int(levels.size());
            progress.report(done, total);
            if (progress.isCancelled())
                throw Error("robustness evaluation cancelled");
            continue;
        }
        for (int k = 0; k < levels.size(); ++k) {
            cv::Mat holes;
            if (sources[k]) {
                holes = sources[k]->generate(
                    modelSize, modelSize, Rng::derive(seed, 0x70b, std::uint64_t(k), std::uint64_t(n)));
                r.levels[k].meanHoleRatio += holeRatio(holes) / samples.size();
            }
            const cv::Mat pred = predict(rgb, holes);
            if (pred.size() != truth.size() || pred.type() != CV_8UC1)
                throw Error(
                    "the model's prediction does not have the label's size", s.maskPath.toStdString());
            r.levels[k].confusion.add(truth.ptr(), pred.ptr(), truth.total(), ds.ignoreIndex);
            progress.report(++done, total);
            if (progress.isCancelled())
                throw Error("robustness evaluation cancelled");
        }
    }
    if (!r.skipped.isEmpty()) {
        r.images = samples.size() - r.skipped.size();
        if (r.images == 0)
            throw noUsablePairsError(r.skipped, ds.root, QStringLiteral("the robustness evaluation"));
        for (RobustnessLevel& l : r.levels)
            l.meanHoleRatio *= double(samples.size()) / r.images; // the mean over the images used
    }
    return r;
}

RobustnessResult robustnessOfCheckpoint(const QString& checkpointPath, const QString& datasetPath,
    const QString& split, const QVector<std::pair<double, double>>& levels, std::uint64_t seed,
    const QString& device, const QString& maskFolder, Progress& progress)
{
    Predictor predictor(checkpointPath, device);
    const CheckpointInfo& info = predictor.info();
    const Dataset ds = openDatasetForCheckpoint(datasetPath, info);
    const QVector<int> samples = evaluationSamples(ds, checkpointPath, info, split);
    MaskSourceFactory factory;
    if (!maskFolder.isEmpty())
        factory = [&](double lo, double hi) -> std::unique_ptr<MaskSource> {
            return std::make_unique<MaskSet>(MaskSet::load(maskFolder, HoleRatioRange { lo, hi }));
        };
    RobustnessResult r = robustnessCurve(
        ds, samples, info.config.imageSize, levels, seed,
        [&](const cv::Mat& rgb, const cv::Mat& holes) { return predictor.predict(rgb, holes); }, factory,
        progress);
    r.split = split;
    return r;
}

QJsonObject RobustnessResult::toJson() const
{
    QJsonArray arr;
    for (const RobustnessLevel& l : levels) {
        QJsonArray perClass;
        for (double v : l.confusion.iou())
            perClass.append(std::isnan(v) ? QJsonValue() : QJsonValue(v));
        arr.append(QJsonObject { { QStringLiteral("ratio_low"), l.lo },
            { QStringLiteral("ratio_high"), l.hi }, { QStringLiteral("mean_hole_ratio"), l.meanHoleRatio },
            { QStringLiteral("miou"), l.confusion.meanIoU() },
            { QStringLiteral("dice"), l.confusion.meanDice() },
            { QStringLiteral("pixel_accuracy"), l.confusion.pixelAccuracy() },
            { QStringLiteral("per_class_iou"), perClass } });
    }
    return QJsonObject { { QStringLiteral("split"), split }, { QStringLiteral("images"), images },
        { QStringLiteral("seed"), QString::number(seed) },
        { QStringLiteral("classes"), QJsonArray::fromStringList(classNames) },
        { QStringLiteral("levels"), arr }, { QStringLiteral("skipped"), skippedPairsToJson(skipped) } };
}

QString RobustnessResult::toCsv() const
{
    QStringList header
        = { QStringLiteral("ratio_low"), QStringLiteral("ratio_high"), QStringLiteral("mean_hole_ratio"),
              QStringLiteral("miou"), QStringLiteral("dice"), QStringLiteral("pixel_accuracy") };
    for (const QString& c : classNames)
        header << QStringLiteral("iou_") + QString(c).replace(QLatin1Char(','), QLatin1Char(' '));
    QString out = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const RobustnessLevel& l : levels) {
        QStringList row = { QString::number(l.lo), QString::number(l.hi),
            QString::number(l.meanHoleRatio, 'f', 4), QString::number(l.confusion.meanIoU(), 'f', 6),
            QString::number(l.confusion.meanDice(), 'f', 6),
            QString::number(l.confusion.pixelAccuracy(), 'f', 6) };
        for (double v : l.confusion.iou())
            row << (std::isnan(v) ? QString() : QString::number(v, 'f', 6));
        out += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out;
}

} // namespace msup
