#include "core/data/dataset.h"

#include "core/base/error.h"
#include "core/data/palette.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSet>

namespace msup {

QString formatName(DatasetFormat format)
{
    switch (format) {
    case DatasetFormat::KvasirSeg:
        return QStringLiteral("kvasir-seg");
    case DatasetFormat::SceneLabels:
        return QStringLiteral("scene-labels");
    }
    return QStringLiteral("unknown");
}

QString DatasetProblem::toString() const
{
    QString s = (severity == Severity::Error ? QStringLiteral("error: ") : QStringLiteral("warning: ")) + file
        + QStringLiteral(": ") + message;
    if (!fix.isEmpty())
        s += QStringLiteral(" ") + fix;
    return s;
}

namespace {

    const QStringList kImageSuffixes = { QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"),
        QStringLiteral("bmp"), QStringLiteral("tif"), QStringLiteral("tiff") };

    bool isImageFile(const QFileInfo& fi)
    {
        return fi.isFile() && kImageSuffixes.contains(fi.suffix().toLower());
    }

    QFileInfoList imageFiles(const QDir& dir)
    {
        QFileInfoList out;
        const auto entries = dir.entryInfoList(QDir::Files | QDir::NoDotAndDotDot, QDir::Name);
        for (const QFileInfo& fi : entries)
            if (isImageFile(fi))
                out.push_back(fi);
        return out;
    }

    bool isKvasirFolder(const QDir& d)
    {
        return QFileInfo(d.filePath(QStringLiteral("images"))).isDir()
            && QFileInfo(d.filePath(QStringLiteral("masks"))).isDir();
    }

    bool isSceneFolder(const QDir& d)
    {
        return !d.entryList({ QStringLiteral("*_mask.png") }, QDir::Files).isEmpty();
    }

    void loadClassesOrDefault(
        Dataset& ds, const QStringList& defaultNames, const QVector<QColor>& defaultColors)
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

    Dataset indexKvasir(const QDir& dir)
    {
        Dataset ds;
        ds.root = dir.absolutePath();
        ds.format = DatasetFormat::KvasirSeg;
        loadClassesOrDefault(ds, { QStringLiteral("background"), QStringLiteral("foreground") },
            { QColor(0, 0, 0), QColor(255, 64, 64) });
        if (ds.classNames.size() != 2) {
            ds.problems.push_back(
                { DatasetProblem::Severity::Warning, dir.filePath(QStringLiteral("classes.json")),
                    QStringLiteral("a Kvasir-SEG layout is binary but classes.json lists %1 classes")
                        .arg(ds.classNames.size()),
                    QStringLiteral("Only the first two names are used.") });
            while (ds.classNames.size() < 2) {
                ds.classNames << QStringLiteral("class %1").arg(ds.classNames.size());
                ds.classColors << QColor(255, 64, 64);
            }
            ds.classNames = ds.classNames.mid(0, 2);
            ds.classColors = ds.classColors.mid(0, 2);
        }
        const QDir images(dir.filePath(QStringLiteral("images")));
        const QDir masks(dir.filePath(QStringLiteral("masks")));
        QHash<QString, QString> maskByStem;
        for (const QFileInfo& fi : imageFiles(masks)) {
            const QString stem = fi.completeBaseName();
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
                ds.problems.push_back({ DatasetProblem::Severity::Error, fi.absoluteFilePath(),
                    QStringLiteral("image has no mask"),
                    QStringLiteral("Add masks/%1.png (or .jpg); the image is skipped.").arg(stem) });
                continue;
            }
            if (it->isEmpty())
                continue;
            ds.samples.push_back({ stem, fi.absoluteFilePath(), *it });
        }
        for (auto it = maskByStem.constBegin(); it != maskByStem.constEnd(); ++it)
            if (!used.contains(it.key()) && !it->isEmpty())
                ds.problems.push_back(
                    { DatasetProblem::Severity::Warning, *it, QStringLiteral("mask has no image"),
                        QStringLiteral("Add images/%1.jpg (or .png), or remove the mask.").arg(it.key()) });
        return ds;
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

    Dataset indexScenes(const QDir& dir)
    {
        Dataset ds;
        ds.root = dir.absolutePath();
        ds.format = DatasetFormat::SceneLabels;
        ds.ignoreIndex = 255;
        loadClassesOrDefault(ds, nyu40Names(), vocPalette(40));
        const auto masks = dir.entryInfoList({ QStringLiteral("*_mask.png") }, QDir::Files, QDir::Name);
        QSet<QString> paired;
        for (const QFileInfo& m : masks) {
            const QString stem = m.fileName().chopped(int(sizeof("_mask.png")) - 1);
            QString image;
            for (const QString& suffix : kImageSuffixes) {
                const QString candidate = dir.filePath(stem + QStringLiteral(".") + suffix);
                if (QFileInfo::exists(candidate)) {
                    image = candidate;
                    break;
                }
            }
            if (image.isEmpty()) {
                ds.problems.push_back({ DatasetProblem::Severity::Warning, m.absoluteFilePath(),
                    QStringLiteral("label has no image"),
                    QStringLiteral("Add %1.png next to it; the label is skipped.").arg(stem) });
                continue;
            }
            paired.insert(QFileInfo(image).fileName());
            ds.samples.push_back({ stem, QFileInfo(image).absoluteFilePath(), m.absoluteFilePath() });
        }
        for (const QFileInfo& fi : imageFiles(dir)) {
            if (fi.fileName().endsWith(QStringLiteral("_mask.png")) || paired.contains(fi.fileName()))
                continue;
            ds.problems.push_back({ DatasetProblem::Severity::Error, fi.absoluteFilePath(),
                QStringLiteral("image has no label"),
                QStringLiteral("Add %1_mask.png next to it; the image is skipped.")
                    .arg(fi.completeBaseName()) });
        }
        return ds;
    }

} // namespace

Dataset openDataset(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists())
        throw Error("folder does not exist", path.toStdString(),
            "Choose the folder you downloaded or generated (it holds images/ and masks/).");
    if (!info.isDir())
        throw Error("is a file, not a dataset folder", path.toStdString(),
            "Choose the folder that holds the images and masks.");
    QDir dir(info.absoluteFilePath());
    if (!dir.isReadable())
        throw Error("folder cannot be read", path.toStdString(), "Check its permissions.");

    auto detect = [](const QDir& d, Dataset* out) {
        if (isKvasirFolder(d)) {
            *out = indexKvasir(d);
            return true;
        }
        if (isSceneFolder(d)) {
            *out = indexScenes(d);
            return true;
        }
        return false;
    };
    Dataset ds;
    bool found = detect(dir, &ds);
    if (!found) {
        // A parent folder holding exactly one dataset folder (e.g. the unzipped download).
        const auto subdirs = dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        int hits = 0;
        Dataset candidate;
        for (const QFileInfo& sub : subdirs) {
            if (detect(QDir(sub.absoluteFilePath()), &candidate)) {
                ++hits;
                ds = candidate;
            }
        }
        found = hits == 1;
    }
    if (!found)
        throw Error("no dataset recognised", dir.absolutePath().toStdString(),
            "A dataset folder holds images/ and masks/ with matching file names (Kvasir-SEG "
            "layout), or NNNNNN.png with NNNNNN_mask.png label files. Use 'masksup synth' to "
            "create an example.");
    if (ds.samples.isEmpty())
        throw Error("no image/mask pairs found", ds.root.toStdString(),
            ds.problems.isEmpty() ? std::string("The folders are empty: add images and their masks.")
                                  : ("First problem: " + ds.problems.front().toString().toStdString()));
    return ds;
}

bool readClassesJson(const QString& file, QStringList* names, QVector<QColor>* colors, QString* error)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot be read");
        return false;
    }
    QJsonParseError pe;
    const auto doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError) {
        *error = QStringLiteral("invalid JSON at offset %1: %2").arg(pe.offset).arg(pe.errorString());
        return false;
    }
    const auto arr = doc.object().value(QStringLiteral("classes")).toArray();
    if (arr.size() < 2) {
        *error = QStringLiteral("needs a \"classes\" array with at least two entries");
        return false;
    }
    names->clear();
    colors->clear();
    for (const auto& v : arr) {
        const auto o = v.toObject();
        const QString name = o.value(QStringLiteral("name")).toString();
        const QColor color(o.value(QStringLiteral("color")).toString());
        if (name.isEmpty() || !color.isValid()) {
            *error = QStringLiteral("every class needs a \"name\" and a \"color\" like \"#ff0000\"");
            return false;
        }
        *names << name;
        *colors << color;
    }
    return true;
}

void writeClassesJson(const QString& file, const QStringList& names, const QVector<QColor>& colors)
{
    QJsonArray arr;
    for (int i = 0; i < names.size(); ++i)
        arr.append(QJsonObject {
            { QStringLiteral("name"), names[i] }, { QStringLiteral("color"), colors.value(i).name() } });
    QSaveFile f(file);
    if (!f.open(QIODevice::WriteOnly))
        throw Error("cannot be written: " + f.errorString().toStdString(), file.toStdString(),
            "Check the folder exists and is writable.");
    f.write(QJsonDocument(QJsonObject { { QStringLiteral("classes"), arr } }).toJson());
    if (!f.commit())
        throw Error("cannot be written: " + f.errorString().toStdString(), file.toStdString(),
            "Check free disk space and permissions.");
}

} // namespace msup
