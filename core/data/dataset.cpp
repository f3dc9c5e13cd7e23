#include "core/data/dataset.h"

#include "core/base/error.h"
#include "core/data/palette.h"

#include <QCollator>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSet>

#include <algorithm>
#include <functional>

namespace msup {

QString formatName(DatasetFormat format)
{
    switch (format) {
    case DatasetFormat::KvasirSeg:
        return QStringLiteral("kvasir-seg");
    case DatasetFormat::SceneLabels:
        return QStringLiteral("scene-labels");
    case DatasetFormat::Glas:
        return QStringLiteral("glas");
    case DatasetFormat::CvcClinicDb:
        return QStringLiteral("cvc-clinicdb");
    case DatasetFormat::PraNet:
        return QStringLiteral("pranet");
    case DatasetFormat::Generic:
        return QStringLiteral("generic");
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
    void pairByStem(Dataset& ds, const QDir& images, const QDir& masks, const QString& split = {})
    {
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
                    QStringLiteral("Add %1/%2.png; the image is skipped.")
                        .arg(relative(ds, masks.path()), stem) });
                continue;
            }
            if (it->isEmpty())
                continue;
            ds.samples.push_back({ stem, fi.absoluteFilePath(), *it, split, {} });
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
        const std::function<QString(const QString&)>& splitOf = {})
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
                { stem, image, m.absoluteFilePath(), splitOf ? splitOf(stem) : QString(), {} });
        }
        for (const QFileInfo& fi : imageFiles(dir)) {
            if (fi.fileName().endsWith(labelSuffix) || paired.contains(fi.fileName()))
                continue;
            ds.problems.push_back({ DatasetProblem::Severity::Error, fi.absoluteFilePath(),
                QStringLiteral("image has no label"),
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

    Dataset newDataset(const QDir& dir, DatasetFormat format, LabelEncoding encoding)
    {
        Dataset ds;
        ds.root = dir.absolutePath();
        ds.format = format;
        ds.encoding = encoding;
        return ds;
    }

    // --- Kvasir-SEG: images/ + masks/ ------------------------------------------------------------
    bool isKvasirFolder(const QDir& d)
    {
        return QFileInfo(d.filePath(QStringLiteral("images"))).isDir()
            && QFileInfo(d.filePath(QStringLiteral("masks"))).isDir();
    }

    Dataset indexKvasir(const QDir& dir)
    {
        Dataset ds = newDataset(dir, DatasetFormat::KvasirSeg, LabelEncoding::BinaryThreshold);
        useBinaryClasses(ds, QStringLiteral("foreground"), QColor(255, 64, 64));
        pairByStem(
            ds, QDir(dir.filePath(QStringLiteral("images"))), QDir(dir.filePath(QStringLiteral("masks"))));
        return ds;
    }

    // --- Generic: images/ + masks/ + classes.json with 3 or more classes -------------------------
    bool isGenericFolder(const QDir& d)
    {
        if (!isKvasirFolder(d))
            return false;
        QStringList names;
        QVector<QColor> colors;
        QString error;
        return readClassesJson(d.filePath(QStringLiteral("classes.json")), &names, &colors, &error)
            && names.size() > 2;
    }

    Dataset indexGeneric(const QDir& dir)
    {
        Dataset ds = newDataset(dir, DatasetFormat::Generic, LabelEncoding::ClassIndex);
        ds.ignoreIndex = 255;
        loadClassesOrDefault(ds, {}, {});
        pairByStem(
            ds, QDir(dir.filePath(QStringLiteral("images"))), QDir(dir.filePath(QStringLiteral("masks"))));
        sortNaturally(ds.samples, {});
        return ds;
    }

    // --- PraNet polyp layout: TrainDataset/{image,mask}, TestDataset/<name>/{images,masks} --------
    bool isPraNetFolder(const QDir& d)
    {
        return QFileInfo(d.filePath(QStringLiteral("TrainDataset/image"))).isDir()
            || QFileInfo(d.filePath(QStringLiteral("TestDataset"))).isDir();
    }

    Dataset indexPraNet(const QDir& dir)
    {
        Dataset ds = newDataset(dir, DatasetFormat::PraNet, LabelEncoding::BinaryThreshold);
        useBinaryClasses(ds, QStringLiteral("polyp"), QColor(255, 64, 64));
        if (QFileInfo(dir.filePath(QStringLiteral("TrainDataset/image"))).isDir()) {
            ds.officialSplits << QStringLiteral("train");
            pairByStem(ds, QDir(dir.filePath(QStringLiteral("TrainDataset/image"))),
                QDir(dir.filePath(QStringLiteral("TrainDataset/mask"))), QStringLiteral("train"));
        }
        // Each test set is an official split named after its folder (CVC-ClinicDB, Kvasir, ...).
        const QDir tests(dir.filePath(QStringLiteral("TestDataset")));
        for (const QString& name : tests.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            ds.officialSplits << name;
            pairByStem(ds, QDir(tests.filePath(name + QStringLiteral("/images"))),
                QDir(tests.filePath(name + QStringLiteral("/masks"))), name);
        }
        // File names repeat across the sets (1.png in several): ids carry the split.
        for (Sample& s : ds.samples)
            s.id = s.split + QLatin1Char('/') + s.id;
        sortNaturally(ds.samples, ds.officialSplits);
        return ds;
    }

    // --- CVC-ClinicDB: Original/ + Ground Truth/ -------------------------------------------------
    bool isCvcFolder(const QDir& d)
    {
        return QFileInfo(d.filePath(QStringLiteral("Original"))).isDir()
            && QFileInfo(d.filePath(QStringLiteral("Ground Truth"))).isDir();
    }

    Dataset indexCvc(const QDir& dir)
    {
        Dataset ds = newDataset(dir, DatasetFormat::CvcClinicDb, LabelEncoding::BinaryThreshold);
        useBinaryClasses(ds, QStringLiteral("polyp"), QColor(255, 64, 64));
        pairByStem(ds, QDir(dir.filePath(QStringLiteral("Original"))),
            QDir(dir.filePath(QStringLiteral("Ground Truth"))));
        return ds;
    }

    // --- GLaS ------------------------------------------------------------------------------------
    const QStringList kGlasSplits
        = { QStringLiteral("train"), QStringLiteral("testA"), QStringLiteral("testB") };

    bool isGlasWarwickFolder(const QDir& d)
    {
        return QFileInfo::exists(d.filePath(QStringLiteral("Grade.csv")))
            || !d.entryList({ QStringLiteral("train_*_anno.bmp"), QStringLiteral("testA_*_anno.bmp"),
                                QStringLiteral("testB_*_anno.bmp") },
                     QDir::Files)
                    .isEmpty();
    }

    bool isGlasPngFolder(const QDir& d)
    {
        return QFileInfo(d.filePath(QStringLiteral("train/img"))).isDir()
            && QFileInfo(d.filePath(QStringLiteral("train/labelcol"))).isDir();
    }

    bool isGlasFolder(const QDir& d)
    {
        return isGlasWarwickFolder(d) || isGlasPngFolder(d);
    }

    Dataset indexGlas(const QDir& dir)
    {
        if (isGlasPngFolder(dir)) {
            // The reference code's layout: GLAS/{train,test}/{img,labelcol}/*.png, binary masks.
            Dataset ds = newDataset(dir, DatasetFormat::Glas, LabelEncoding::BinaryThreshold);
            useBinaryClasses(ds, QStringLiteral("gland"), QColor(0, 200, 255));
            for (const QString& split : { QStringLiteral("train"), QStringLiteral("test") }) {
                if (!QFileInfo(dir.filePath(split + QStringLiteral("/img"))).isDir())
                    continue;
                ds.officialSplits << split;
                pairByStem(ds, QDir(dir.filePath(split + QStringLiteral("/img"))),
                    QDir(dir.filePath(split + QStringLiteral("/labelcol"))), split);
            }
            sortNaturally(ds.samples, ds.officialSplits);
            return ds;
        }
        Dataset ds = newDataset(dir, DatasetFormat::Glas, LabelEncoding::InstanceIds);
        useBinaryClasses(ds, QStringLiteral("gland"), QColor(0, 200, 255));
        ds.officialSplits = kGlasSplits;
        pairBySuffix(ds, dir, QStringLiteral("_anno.bmp"), [](const QString& stem) {
            const QString prefix = stem.section(QLatin1Char('_'), 0, 0);
            return kGlasSplits.contains(prefix) ? prefix : QString();
        });
        for (Sample& s : ds.samples)
            if (s.split.isEmpty())
                ds.problems.push_back({ DatasetProblem::Severity::Warning, s.imagePath,
                    QStringLiteral("name does not start with train_, testA_ or testB_"),
                    QStringLiteral("It is kept but belongs to no official split.") });
        const QString gradeFile = dir.filePath(QStringLiteral("Grade.csv"));
        if (QFileInfo::exists(gradeFile)) {
            const GlasGrades grades = readGlasGrades(gradeFile);
            for (const DatasetProblem& p : grades.problems)
                ds.problems.push_back(p);
            for (Sample& s : ds.samples)
                s.info = grades.gradeByName.value(s.id);
        }
        sortNaturally(ds.samples, ds.officialSplits);
        return ds;
    }

    // --- Scene labels (NYUDv2 RefineNet style) ----------------------------------------------------
    bool isSceneFolder(const QDir& d)
    {
        return !d.entryList({ QStringLiteral("*_mask.png") }, QDir::Files).isEmpty();
    }

    Dataset indexScenes(const QDir& dir)
    {
        Dataset ds = newDataset(dir, DatasetFormat::SceneLabels, LabelEncoding::ClassIndex);
        ds.ignoreIndex = 255;
        loadClassesOrDefault(ds, nyu40Names(), vocPalette(40));
        pairBySuffix(ds, dir, QStringLiteral("_mask.png"));
        sortNaturally(ds.samples, {});
        return ds;
    }

    struct FormatEntry {
        DatasetFormat format;
        bool (*detect)(const QDir&);
        Dataset (*index)(const QDir&);
        const char* layout; // what the folder must contain, for error messages
    };

    // Detection order: the most specific layouts first.
    const FormatEntry kFormats[] = {
        { DatasetFormat::Glas, isGlasFolder, indexGlas,
            "GLaS: train_N.bmp with train_N_anno.bmp (and testA_/testB_, Grade.csv), or "
            "train/img + train/labelcol" },
        { DatasetFormat::CvcClinicDb, isCvcFolder, indexCvc, "CVC-ClinicDB: Original/ and 'Ground Truth'/" },
        { DatasetFormat::PraNet, isPraNetFolder, indexPraNet,
            "PraNet polyps: TrainDataset/{image,mask} and TestDataset/<name>/{images,masks}" },
        { DatasetFormat::Generic, isGenericFolder, indexGeneric,
            "generic: images/ and masks/ (class-index PNGs) with a classes.json of 3 or more classes" },
        { DatasetFormat::KvasirSeg, isKvasirFolder, indexKvasir,
            "Kvasir-SEG: images/ and masks/ with matching file names" },
        { DatasetFormat::SceneLabels, isSceneFolder, indexScenes,
            "scene labels: NNNNNN.png with NNNNNN_mask.png" },
    };

} // namespace

namespace {
    QDir checkedDir(const QString& path)
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
        return dir;
    }

    // Tries `dir`, then its sub-folders (a parent holding exactly one dataset folder, e.g. the
    // unzipped download). Returns false when no candidate (or more than one) matches.
    bool detectIn(const QDir& dir, const std::function<bool(const FormatEntry&)>& allowed, Dataset* out)
    {
        for (const FormatEntry& f : kFormats)
            if (allowed(f) && f.detect(dir)) {
                *out = f.index(dir);
                return true;
            }
        int hits = 0;
        for (const QFileInfo& sub : dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            const QDir d(sub.absoluteFilePath());
            for (const FormatEntry& f : kFormats)
                if (allowed(f) && f.detect(d)) {
                    if (++hits == 1)
                        *out = f.index(d);
                    break;
                }
        }
        return hits == 1;
    }

    Dataset checkedNotEmpty(Dataset ds)
    {
        if (ds.samples.isEmpty())
            throw Error("no image/mask pairs found", ds.root.toStdString(),
                ds.problems.isEmpty() ? std::string("The folders are empty: add images and their masks.")
                                      : ("First problem: " + ds.problems.front().toString().toStdString()));
        return ds;
    }
} // namespace

Dataset openDataset(const QString& path)
{
    const QDir dir = checkedDir(path);
    Dataset ds;
    if (!detectIn(
            dir, [](const FormatEntry&) { return true; }, &ds)) {
        std::string layouts;
        for (const FormatEntry& f : kFormats)
            layouts += std::string("\n  - ") + f.layout;
        throw Error("no dataset recognised", dir.absolutePath().toStdString(),
            "A dataset folder has one of these layouts:" + layouts
                + "\nUse 'masksup synth' to create an example.");
    }
    return checkedNotEmpty(ds);
}

Dataset openDataset(const QString& path, DatasetFormat format)
{
    const QDir dir = checkedDir(path);
    Dataset ds;
    if (!detectIn(
            dir, [format](const FormatEntry& f) { return f.format == format; }, &ds)) {
        for (const FormatEntry& f : kFormats)
            if (f.format == format)
                throw Error("is not a " + formatName(format).toStdString() + " folder",
                    dir.absolutePath().toStdString(), std::string("Expected ") + f.layout + ".");
    }
    return checkedNotEmpty(ds);
}

Dataset openDataset(const QString& path, const QString& format)
{
    if (format.isEmpty() || format == QLatin1String("auto"))
        return openDataset(path);
    DatasetFormat f;
    if (!parseDatasetFormat(format, &f)) {
        QStringList names;
        for (const FormatEntry& e : kFormats)
            names << formatName(e.format);
        throw Error("unknown dataset format '" + format.toStdString() + "': use auto, "
            + names.join(QStringLiteral(", ")).toStdString());
    }
    return openDataset(path, f);
}

bool parseDatasetFormat(const QString& name, DatasetFormat* format)
{
    for (const FormatEntry& f : kFormats)
        if (formatName(f.format) == name) {
            *format = f.format;
            return true;
        }
    return false;
}

GlasGrades readGlasGrades(const QString& file)
{
    GlasGrades g;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        g.problems.push_back({ DatasetProblem::Severity::Warning, file, QStringLiteral("cannot be read"),
            QStringLiteral("Grades are not shown; check the file's permissions.") });
        return g;
    }
    // CRLF line ends, spaces after the commas, no final newline: split and trim everything.
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = QString::fromUtf8(lines[i]).trimmed();
        if (line.isEmpty() || (i == 0 && line.startsWith(QLatin1String("name"))))
            continue;
        const QStringList fields = line.split(QLatin1Char(','));
        if (fields.size() < 3 || fields[0].trimmed().isEmpty()) {
            g.problems.push_back({ DatasetProblem::Severity::Warning, file,
                QStringLiteral("line %1: expected 'name, patient ID, grade, ...', got '%2'")
                    .arg(i + 1)
                    .arg(line),
                QStringLiteral("Fix or remove the line; that image is shown without a grade.") });
            continue;
        }
        QString grade = fields[2].trimmed();
        if (fields.size() >= 4 && !fields[3].trimmed().isEmpty())
            grade += QStringLiteral(" (") + fields.mid(3).join(QLatin1Char(',')).trimmed()
                + QStringLiteral(")");
        g.gradeByName.insert(fields[0].trimmed(), grade);
    }
    return g;
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
