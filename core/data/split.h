#pragma once

#include "core/data/dataset.h"

#include <QString>
#include <QVector>

#include <cstdint>

namespace msup {

// A seeded, reproducible train/validation split over sample indices.
struct Split {
    QVector<int> train;
    QVector<int> val;
    std::uint64_t seed = 0;
    double valFraction = 0.2;
};

// Shuffles 0..n-1 with `seed` and puts round(n · valFraction) of them (at least one when n >= 2)
// into validation. Indices within each part are sorted.
Split makeSplit(int n, double valFraction, std::uint64_t seed);

// The split a run uses: the format's official one when it has one (training split = the first
// official split, validation = the second, e.g. GLaS train / testA), else makeSplit over all pairs.
Split defaultSplit(const Dataset& dataset, double valFraction, std::uint64_t seed);

// Indices of the samples of one official split ("testB"), empty when there are none.
QVector<int> samplesOfSplit(const Dataset& dataset, const QString& split);

// Saved as JSON with the sample ids, so a run can be reproduced and an existing split reused.
void saveSplit(const QString& file, const Split& split, const QStringList& ids);
// Loads a split saved by saveSplit, mapping ids back to indices of `ids`. Throws msup::Error when
// the file is unreadable or names samples the dataset no longer has.
Split loadSplit(const QString& file, const QStringList& ids);

} // namespace msup
