#pragma once

// What the format files of core/data/formats/ share: pairing images with masks, class lists, the
// NYUDv2 class sets. Not part of the data API: only the format files include it.

#include "core/data/dataset.h"

#include <QColor>
#include <QDir>
#include <QFileInfoList>
#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>

namespace msup::formats {

// The image files of `dir` (png, jpg, jpeg, bmp, tif, tiff), by name.
QFileInfoList imageFiles(const QDir& dir);

// A new, empty dataset rooted at `dir`.
Dataset newDataset(const QDir& dir, LabelEncoding encoding);

// ds.root's classes.json when present and valid (a warning naming it otherwise), else the defaults.
void loadClassesOrDefault(Dataset& ds, const QStringList& defaultNames, const QVector<QColor>& defaultColors);
// background + `foreground`, or the first two classes of a classes.json (with a warning if it lists more).
void useBinaryClasses(Dataset& ds, const QString& foreground, QColor color);

// Natural order ("2" before "10") within each split, splits in `splitOrder`'s order.
void sortNaturally(QVector<Sample>& samples, const QStringList& splitOrder);
// `path` relative to the dataset's root, for messages.
QString relative(const Dataset& ds, const QString& path);

// Pairs the images of one folder with the masks of another by file stem (any image suffix).
void pairByStem(Dataset& ds, const QDir& images, const QDir& masks, const QString& split = {});
// Pairs IMAGE.<ext> with IMAGE<labelSuffix> in one folder (RefineNet "_mask.png", GLaS
// "_anno.bmp"). splitOf maps a stem to its official split.
void pairBySuffix(Dataset& ds, const QDir& dir, const QString& labelSuffix,
    const std::function<QString(const QString&)>& splitOf = {});

// images/ and masks/ sub-folders (Kvasir-SEG, and generic with its classes).
bool hasImagesAndMasks(const QDir& d);

// The 40 NYUDv2 classes of Gupta et al. (indices 0..39 = label - 1).
QStringList nyu40Names();
// NYUDv2 classes (a classes.json overrides `names`), void = 255, and the format spec naming the
// class set: `formatName` for 40 classes, `formatName`-13 for 13.
void useNyuClasses(Dataset& ds, int classes, const QStringList& names, const char* formatName);
// Grey labels with 0 = void and 1..K: label k is class k-1.
QVector<quint8> oneBasedLut(int classes);

} // namespace msup::formats
