#include "core/data/split.h"

#include "core/base/error.h"
#include "core/base/rng.h"
#include "core/io/atomic_file.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace msup {

Split makeSplit(int n, double valFraction, std::uint64_t seed)
{
    Split s;
    s.seed = seed;
    s.valFraction = valFraction;
    QVector<int> order(n);
    for (int i = 0; i < n; ++i)
        order[i] = i;
    Rng rng(Rng::derive(seed, 0x5711));
    for (int i = n - 1; i > 0; --i) // Fisher-Yates with our own RNG: same split everywhere
        std::swap(order[i], order[rng.uniformInt(0, i)]);
    int nVal = static_cast<int>(std::lround(n * valFraction));
    if (n >= 2)
        nVal = std::clamp(nVal, 1, n - 1);
    else
        nVal = 0;
    s.val = order.mid(0, nVal);
    s.train = order.mid(nVal);
    std::sort(s.val.begin(), s.val.end());
    std::sort(s.train.begin(), s.train.end());
    return s;
}

QVector<int> samplesOfSplit(const Dataset& dataset, const QString& split)
{
    QVector<int> out;
    for (int i = 0; i < dataset.samples.size(); ++i)
        if (dataset.samples[i].split == split)
            out << i;
    return out;
}

Split defaultSplit(const Dataset& dataset, double valFraction, std::uint64_t seed)
{
    if (dataset.officialSplits.size() >= 2) {
        Split s;
        s.seed = seed;
        s.valFraction = valFraction;
        s.train = samplesOfSplit(dataset, dataset.officialSplits[0]);
        s.val = samplesOfSplit(dataset, dataset.officialSplits[1]);
        if (!s.train.isEmpty() && !s.val.isEmpty())
            return s;
    }
    return makeSplit(dataset.samples.size(), valFraction, seed);
}

void saveSplit(const QString& file, const Split& split, const QStringList& ids)
{
    auto toArray = [&](const QVector<int>& idx) {
        QJsonArray a;
        for (int i : idx)
            a.append(ids.value(i));
        return a;
    };
    const QJsonObject o { { QStringLiteral("seed"), QString::number(split.seed) },
        { QStringLiteral("val_fraction"), split.valFraction },
        { QStringLiteral("train"), toArray(split.train) }, { QStringLiteral("val"), toArray(split.val) } };
    writeFileAtomic(file, QJsonDocument(o).toJson());
}

Split loadSplit(const QString& file, const QStringList& ids)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        throw Error("split file cannot be read", file.toStdString(), "Delete it to make a new split.");
    QJsonParseError pe;
    const auto o = QJsonDocument::fromJson(f.readAll(), &pe).object();
    if (pe.error != QJsonParseError::NoError)
        throw Error("split file is not valid JSON: " + pe.errorString().toStdString(), file.toStdString(),
            "Delete it to make a new split.");
    QHash<QString, int> index;
    for (int i = 0; i < ids.size(); ++i)
        index.insert(ids[i], i);
    Split s;
    s.seed = o.value(QStringLiteral("seed")).toString().toULongLong();
    s.valFraction = o.value(QStringLiteral("val_fraction")).toDouble(0.2);
    auto fromArray = [&](const QJsonArray& a, QVector<int>* out) {
        for (const auto& v : a) {
            const auto it = index.constFind(v.toString());
            if (it == index.constEnd())
                throw Error(
                    "split names sample '" + v.toString().toStdString() + "' which the dataset no longer has",
                    file.toStdString(), "Delete the split file to make a new split.");
            out->push_back(*it);
        }
        std::sort(out->begin(), out->end());
    };
    fromArray(o.value(QStringLiteral("train")).toArray(), &s.train);
    fromArray(o.value(QStringLiteral("val")).toArray(), &s.val);
    return s;
}

} // namespace msup
