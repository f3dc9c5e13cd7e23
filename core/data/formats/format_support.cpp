#include "core/data/formats/format_support.h"

#include "core/data/palette.h"

#include <QCollator>
#include <QFileInfo>
#include <QHash>
#include <QSet>

#include <algorithm>

namespace msup::formats {

namespace {
    const QStringList kImageSuffixes = { QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"),
        QStringLiteral("bmp"), QStringLiteral("tif"), QStringLiteral("tiff") };

    bool isImageFile(const QFileInfo& fi)
    {
        return fi.isFile() && kImageSuffixes.contains(fi.suffix().toLower());
    }
} // namespace

QFileInfoList imageFiles(const QDir& dir)
{
    QFileInfoList out;
    const auto entries = dir.entryInfoList(QDir::Files | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo& fi : entries)
        if (isImageFile(fi))
            out.push_back(fi);
    return out;
}

void loadClassesOrDefault(Dataset& ds, const QStringList& defaultNames, const QVector<QColor>& defaultColors)
{
    const QString file = QDir(ds.root).filePath(QStringLiteral("classes.json"));
    if (QFileInfo::exists(file)) {
        QString error;
        if (readClassesJson(file, &ds.classNames, &ds.classColors, &error))
            return;
        ds.problems.push_back({ DatasetProblem::Severity::Warning, file, error,
            QStringLiteral("Default class names are used; fix or delete the file.") });
    }
    ds.classNames = defaultNames;
    ds.classColors = defaultColors;
}

// The 40 NYUDv2 classes of Gupta et al. (indices 0..39 = label - 1).
QStringList nyu40Names()
{
    return { QStringLiteral("wall"), QStringLiteral("floor"), QStringLiteral("cabinet"),
        QStringLiteral("bed"), QStringLiteral("chair"), QStringLiteral("sofa"), QStringLiteral("table"),
        QStringLiteral("door"), QStringLiteral("window"), QStringLiteral("bookshelf"),
        QStringLiteral("picture"), QStringLiteral("counter"), QStringLiteral("blinds"),
        QStringLiteral("desk"), QStringLiteral("shelves"), QStringLiteral("curtain"),
        QStringLiteral("dresser"), QStringLiteral("pillow"), QStringLiteral("mirror"),
        QStringLiteral("floor mat"), QStringLiteral("clothes"), QStringLiteral("ceiling"),
        QStringLiteral("books"), QStringLiteral("refridgerator"), QStringLiteral("television"),
        QStringLiteral("paper"), QStringLiteral("towel"), QStringLiteral("shower curtain"),
        QStringLiteral("box"), QStringLiteral("whiteboard"), QStringLiteral("person"),
        QStringLiteral("night stand"), QStringLiteral("toilet"), QStringLiteral("sink"),
        QStringLiteral("lamp"), QStringLiteral("bathtub"), QStringLiteral("bag"),
        QStringLiteral("otherstructure"), QStringLiteral("otherfurniture"), QStringLiteral("otherprop") };
}

// Natural order ("2" before "10"), so numbered datasets list as users expect.
void sortNaturally(QVector<Sample>& samples, const QStringList& splitOrder)
{
    QCollator collator;
    collator.setNumericMode(true);
    std::stable_sort(samples.begin(), samples.end(), [&](const Sample& a, const Sample& b) {
        const int sa = splitOrder.indexOf(a.split), sb = splitOrder.indexOf(b.split);
        if (sa != sb)
            return sa < sb;
        return collator.compare(a.id, b.id) < 0;
    });
}

QString relative(const Dataset& ds, const QString& path)
{
    return QDir(ds.root).relativeFilePath(path);
}

// Pairs images of one folder with the masks of another by file stem (any image suffix).
void pairByStem(Dataset& ds, const QDir& images, const QDir& masks, const QString& split)
{
    QHash<QString, QString> maskByStem;
    const auto isJpeg = [](const QString& file) {
        const QString suffix = QFileInfo(file).suffix().toLower();
        return suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg");
    };
    for (const QFileInfo& fi : imageFiles(masks)) {
        const QString stem = fi.completeBaseName();
        // A lossless PNG beside a JPEG mask of the same name is a hand correction saved in the
        // dataset (annotation never re-encodes a mask as JPEG): the PNG is used.
        const QString other = maskByStem.value(stem);
        if (!other.isEmpty() && fi.suffix().toLower() == QLatin1String("png") && isJpeg(other)) {
            maskByStem[stem] = fi.absoluteFilePath();
            continue;
        }
        if (!other.isEmpty() && QFileInfo(other).suffix().toLower() == QLatin1String("png")
            && isJpeg(fi.fileName()))
            continue;
        if (maskByStem.contains(stem)) {
            ds.problems.push_back({ DatasetProblem::Severity::Error, fi.absoluteFilePath(),
                QStringLiteral("two masks share the name '%1'").arg(stem),
                QStringLiteral("Keep one mask per image; the pair is skipped.") });
            maskByStem[stem].clear();
            continue;
        }
        maskByStem.insert(stem, fi.absoluteFilePath());
    }
    QSet<QString> used;
    for (const QFileInfo& fi : imageFiles(images)) {
        const QString stem = fi.completeBaseName();
        if (used.contains(stem)) {
            ds.problems.push_back({ DatasetProblem::Severity::Error, fi.absoluteFilePath(),
                QStringLiteral("two images share the name '%1'").arg(stem),
                QStringLiteral("Rename one of them; the second is skipped.") });
            continue;
        }
        used.insert(stem);
        const auto it = maskByStem.constFind(stem);
        if (it == maskByStem.constEnd()) {
            ds.problems.push_back(
                { DatasetProblem::Severity::Error, fi.absoluteFilePath(), QStringLiteral("image has no mask"),
                    QStringLiteral("Add %1/%2.png; the image is skipped.")
                        .arg(relative(ds, masks.path()), stem) });
            continue;
        }
        if (it->isEmpty())
            continue;
        ds.samples.push_back({ stem, fi.absoluteFilePath(), *it, split, {}, -1, {} });
    }
    for (auto it = maskByStem.constBegin(); it != maskByStem.constEnd(); ++it)
        if (!used.contains(it.key()) && !it->isEmpty())
            ds.problems.push_back(
                { DatasetProblem::Severity::Warning, *it, QStringLiteral("mask has no image"),
                    QStringLiteral("Add %1/%2 with an image suffix, or remove the mask.")
                        .arg(relative(ds, images.path()), it.key()) });
}

// Pairs IMAGE.<ext> with IMAGE<labelSuffix> in one folder (RefineNet "_mask.png", GLaS
// "_anno.bmp"). splitOf maps a stem to its official split; an empty result skips the file.
void pairBySuffix(Dataset& ds, const QDir& dir, const QString& labelSuffix,
    const std::function<QString(const QString&)>& splitOf)
{
    QSet<QString> paired;
    for (const QFileInfo& m : dir.entryInfoList({ QStringLiteral("*") + labelSuffix }, QDir::Files)) {
        const QString stem = m.fileName().chopped(labelSuffix.size());
        QString image;
        for (const QString& suffix : kImageSuffixes) {
            const QString candidate = dir.filePath(stem + QStringLiteral(".") + suffix);
            if (QFileInfo::exists(candidate)) {
                image = QFileInfo(candidate).absoluteFilePath();
                break;
            }
        }
        if (image.isEmpty()) {
            ds.problems.push_back({ DatasetProblem::Severity::Warning, m.absoluteFilePath(),
                QStringLiteral("label has no image"),
                QStringLiteral("Add %1.%2 next to it; the label is skipped.")
                    .arg(stem, QFileInfo(labelSuffix).suffix()) });
            continue;
        }
        paired.insert(QFileInfo(image).fileName());
        ds.samples.push_back(
            { stem, image, m.absoluteFilePath(), splitOf ? splitOf(stem) : QString(), {}, -1, {} });
    }
    for (const QFileInfo& fi : imageFiles(dir)) {
        if (fi.fileName().endsWith(labelSuffix) || paired.contains(fi.fileName()))
            continue;
        ds.problems.push_back(
            { DatasetProblem::Severity::Error, fi.absoluteFilePath(), QStringLiteral("image has no label"),
                QStringLiteral("Add %1%2 next to it; the image is skipped.")
                    .arg(fi.completeBaseName(), labelSuffix) });
    }
}

void useBinaryClasses(Dataset& ds, const QString& foreground, QColor color)
{
    loadClassesOrDefault(ds, { QStringLiteral("background"), foreground }, { QColor(0, 0, 0), color });
    if (ds.classNames.size() != 2) {
        ds.problems.push_back(
            { DatasetProblem::Severity::Warning, QDir(ds.root).filePath(QStringLiteral("classes.json")),
                QStringLiteral("this layout is binary but classes.json lists %1 classes")
                    .arg(ds.classNames.size()),
                QStringLiteral("Only the first two names are used.") });
        ds.classNames = ds.classNames.mid(0, 2);
        ds.classColors = ds.classColors.mid(0, 2);
    }
}

Dataset newDataset(const QDir& dir, LabelEncoding encoding)
{
    Dataset ds;
    ds.root = dir.absolutePath();
    ds.encoding = encoding;
    return ds;
}

bool hasImagesAndMasks(const QDir& d)
{
    return QFileInfo(d.filePath(QStringLiteral("images"))).isDir()
        && QFileInfo(d.filePath(QStringLiteral("masks"))).isDir();
}

void useNyuClasses(Dataset& ds, int classes, const QStringList& names, const char* formatName)
{
    ds.ignoreIndex = 255;
    loadClassesOrDefault(ds, names, vocPalette(classes));
    ds.formatSpec = QString::fromLatin1(formatName) + (classes == 13 ? QStringLiteral("-13") : QString());
}

// Grey labels with 0 = void and 1..K: label k is class k-1.
QVector<quint8> oneBasedLut(int classes)
{
    QVector<quint8> lut(classes + 1);
    lut[0] = 255;
    for (int k = 1; k <= classes; ++k)
        lut[k] = static_cast<quint8>(k - 1);
    return lut;
}

} // namespace msup::formats
