#include "core/data/dataset.h"

#include "core/base/error.h"
#include "core/data/nyu_mat.h"
#include "core/data/nyu_metadata.h"
#include "core/data/palette.h"
#include "core/io/atomic_file.h"

#include <QCollator>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImage>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
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
    case DatasetFormat::NyuMat:
        return QStringLiteral("nyudv2-mat");
    case DatasetFormat::NyuLabels:
        return QStringLiteral("nyudv2-labels");
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
                ds.problems.push_back({ DatasetProblem::Severity::Error, fi.absoluteFilePath(),
                    QStringLiteral("image has no mask"),
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
                { stem, image, m.absoluteFilePath(), splitOf ? splitOf(stem) : QString(), {}, -1, {} });
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

    Dataset indexKvasir(const QDir& dir, int)
    {
        Dataset ds = newDataset(dir, DatasetFormat::KvasirSeg, LabelEncoding::BinaryThreshold);
        useBinaryClasses(ds, QStringLiteral("foreground"), QColor(255, 64, 64));
        pairByStem(
            ds, QDir(dir.filePath(QStringLiteral("images"))), QDir(dir.filePath(QStringLiteral("masks"))));
        const QString boxesFile = dir.filePath(QStringLiteral("kavsir_bboxes.json"));
        if (QFileInfo::exists(boxesFile)) {
            KvasirBoxes boxes = readKvasirBoxes(boxesFile);
            ds.problems += boxes.problems;
            int unmatched = int(boxes.boxesById.size());
            for (Sample& s : ds.samples) {
                const auto it = boxes.boxesById.constFind(s.id);
                if (it == boxes.boxesById.constEnd())
                    continue;
                --unmatched;
                s.boxes = *it;
                s.info = QStringLiteral("%1 bounding box%2").arg(it->size()).arg(it->size() == 1 ? "" : "es");
            }
            if (unmatched > 0)
                ds.problems.push_back({ DatasetProblem::Severity::Warning, boxesFile,
                    QStringLiteral("%1 entr%2 name images that are not in images/")
                        .arg(unmatched)
                        .arg(unmatched == 1 ? QStringLiteral("y") : QStringLiteral("ies")),
                    QStringLiteral("Those boxes are not shown; add the images if they are missing.") });
        }
        return ds;
    }

    // --- Generic: images/ + masks/ + classes.json with 3 or more classes -------------------------
    // Palette PNG masks without a classes.json: the classes are read off the masks themselves. A
    // few masks are decoded (not all): the class count is one more than the highest index below 255
    // that they use, the colours are the palette's.
    struct PaletteClasses {
        int sampled = 0;
        int maxIndex = -1;
        QVector<QRgb> colorTable;
    };

    PaletteClasses paletteClasses(const QDir& masks)
    {
        PaletteClasses pc;
        const QFileInfoList files = imageFiles(masks);
        for (const QFileInfo& fi : files) {
            if (pc.sampled == 16)
                break;
            const QImage img(fi.absoluteFilePath());
            if (img.format() != QImage::Format_Indexed8)
                return {}; // not a palette mask folder
            if (pc.colorTable.isEmpty())
                pc.colorTable = img.colorTable();
            ++pc.sampled;
            for (int y = 0; y < img.height(); ++y) {
                const uchar* p = img.constScanLine(y);
                for (int x = 0; x < img.width(); ++x)
                    if (p[x] != 255)
                        pc.maxIndex = std::max<int>(pc.maxIndex, p[x]);
            }
        }
        return pc;
    }

    bool hasPaletteMasks(const QDir& d)
    {
        const QFileInfoList masks = imageFiles(QDir(d.filePath(QStringLiteral("masks"))));
        if (masks.isEmpty()
            || QImageReader(masks.first().absoluteFilePath()).imageFormat() != QImage::Format_Indexed8)
            return false;
        // Masks using only indices 0 and 255 (or 0 and 1) are binary masks: Kvasir-SEG's reading.
        return paletteClasses(QDir(d.filePath(QStringLiteral("masks")))).maxIndex > 1;
    }

    bool isGenericFolder(const QDir& d)
    {
        if (!isKvasirFolder(d))
            return false;
        const QString json = d.filePath(QStringLiteral("classes.json"));
        if (!QFileInfo::exists(json))
            return hasPaletteMasks(d);
        QStringList names;
        QVector<QColor> colors;
        QString error;
        return readClassesJson(json, &names, &colors, &error) && names.size() > 2;
    }

    Dataset indexGeneric(const QDir& dir, int)
    {
        Dataset ds = newDataset(dir, DatasetFormat::Generic, LabelEncoding::ClassIndex);
        ds.ignoreIndex = 255;
        const QDir masks(dir.filePath(QStringLiteral("masks")));
        if (QFileInfo::exists(dir.filePath(QStringLiteral("classes.json")))) {
            loadClassesOrDefault(ds, {}, {});
        } else {
            const PaletteClasses pc = paletteClasses(masks);
            const int count = std::max(2, pc.maxIndex + 1);
            for (int k = 0; k < count; ++k) {
                ds.classNames << (k == 0 ? QStringLiteral("background") : QStringLiteral("class %1").arg(k));
                ds.classColors << (k < pc.colorTable.size() ? QColor(pc.colorTable[k])
                                                            : vocPalette(count)[k]);
            }
            ds.problems.push_back({ DatasetProblem::Severity::Warning,
                dir.filePath(QStringLiteral("classes.json")),
                QStringLiteral("is missing: %1 classes were read off the palette of the masks (the highest "
                               "index in the first %2 masks is %3; 255 is void)")
                    .arg(count)
                    .arg(pc.sampled)
                    .arg(pc.maxIndex),
                QStringLiteral("Add a classes.json to name the classes and to list any class those masks do "
                               "not use.") });
        }
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

    Dataset indexPraNet(const QDir& dir, int)
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

    Dataset indexCvc(const QDir& dir, int)
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

    Dataset indexGlas(const QDir& dir, int)
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

    Dataset indexScenes(const QDir& dir, int)
    {
        Dataset ds = newDataset(dir, DatasetFormat::SceneLabels, LabelEncoding::ClassIndex);
        ds.ignoreIndex = 255;
        loadClassesOrDefault(ds, nyu40Names(), vocPalette(40));
        pairBySuffix(ds, dir, QStringLiteral("_mask.png"));
        sortNaturally(ds.samples, {});
        return ds;
    }

    // --- NYUDv2 ----------------------------------------------------------------------------------
    const QString kNyuMatName = QStringLiteral("nyu_depth_v2_labeled.mat");

    // The 13 classes of Couprie et al. / Handa et al. (alphabetical, indices 0..12 = label - 1).
    QStringList nyu13Names()
    {
        return { QStringLiteral("bed"), QStringLiteral("books"), QStringLiteral("ceiling"),
            QStringLiteral("chair"), QStringLiteral("floor"), QStringLiteral("furniture"),
            QStringLiteral("objects"), QStringLiteral("picture"), QStringLiteral("sofa"),
            QStringLiteral("table"), QStringLiteral("tv"), QStringLiteral("wall"), QStringLiteral("window") };
    }

    void useNyuClasses(Dataset& ds, int classes, const QStringList& names)
    {
        ds.ignoreIndex = 255;
        loadClassesOrDefault(ds, names, vocPalette(classes));
        ds.formatSpec = formatName(ds.format) + (classes == 13 ? QStringLiteral("-13") : QString());
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

    // The folder with classMapping40.mat, class13Mapping.mat and splits.mat: `dir` itself or one of
    // its sub-folders (the metadata repository cloned beside the .mat). Empty when none has it.
    QString findNyuMetadata(const QDir& dir)
    {
        if (QFileInfo::exists(dir.filePath(QStringLiteral("classMapping40.mat"))))
            return dir.absolutePath();
        for (const QFileInfo& sub : dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
            if (QFileInfo::exists(
                    QDir(sub.absoluteFilePath()).filePath(QStringLiteral("classMapping40.mat"))))
                return sub.absoluteFilePath();
        return {};
    }

    bool isNyuMatFolder(const QDir& d)
    {
        return QFileInfo(d.filePath(kNyuMatName)).isFile();
    }

    Dataset indexNyuMatFile(const QString& file, int classes)
    {
        const QFileInfo fi(file);
        classes = classes == 13 ? 13 : 40;
        Dataset ds = newDataset(fi.absoluteDir(), DatasetFormat::NyuMat, LabelEncoding::Lookup);
        const NyuMatInfo info = readNyuMatInfo(fi.absoluteFilePath());
        const QString metaDir = findNyuMetadata(fi.absoluteDir());
        if (metaDir.isEmpty())
            throw Error("needs the NYUDv2 class mapping files beside it", fi.absoluteFilePath().toStdString(),
                "Put classMapping40.mat, class13Mapping.mat and splits.mat (from "
                "github.com/ankurhanda/nyuv2-meta-data) in its folder or in a sub-folder of it.");
        const NyuMetadata meta = readNyuMetadata(metaDir);
        useNyuClasses(ds, classes, classes == 13 ? meta.classNames13 : meta.classNames40);
        // 894 classes -> 40 (-> 13) -> 0-based class; 0 (unlabelled) and unmapped labels are void.
        ds.labelLut.fill(255, meta.map894To40.size() + 1);
        for (int k = 1; k <= meta.map894To40.size(); ++k) {
            const int c40 = meta.map894To40[k - 1];
            const int c = classes == 13
                ? (c40 >= 1 && c40 <= meta.map40To13.size() ? meta.map40To13[c40 - 1] : 0)
                : c40;
            if (c >= 1 && c <= classes)
                ds.labelLut[k] = static_cast<quint8>(c - 1);
        }
        QVector<QString> splitOf(info.frames + 1);
        int beyond = 0;
        const QString splitsFile = QDir(metaDir).filePath(QStringLiteral("splits.mat"));
        for (const auto& [frames, name] : { std::pair { &meta.trainFrames, QStringLiteral("train") },
                 std::pair { &meta.testFrames, QStringLiteral("test") } }) {
            for (int f : *frames) {
                if (f >= 1 && f <= info.frames)
                    splitOf[f] = name;
                else
                    ++beyond;
            }
        }
        ds.officialSplits = { QStringLiteral("train"), QStringLiteral("test") };
        int unsplit = 0;
        for (int f = 1; f <= info.frames; ++f) {
            Sample sample { QStringLiteral("%1").arg(f, 4, 10, QLatin1Char('0')), fi.absoluteFilePath(),
                fi.absoluteFilePath(), splitOf[f], {}, -1, {} };
            sample.frame = f;
            unsplit += splitOf[f].isEmpty() ? 1 : 0;
            ds.samples.push_back(sample);
        }
        if (beyond > 0)
            ds.problems.push_back({ DatasetProblem::Severity::Warning, splitsFile,
                QStringLiteral("lists %1 frame(s) beyond the %2 frames of %3; they are ignored")
                    .arg(beyond)
                    .arg(info.frames)
                    .arg(fi.fileName()),
                QStringLiteral("Use the splits.mat that belongs to this file.") });
        if (unsplit > 0)
            ds.problems.push_back({ DatasetProblem::Severity::Warning, splitsFile,
                QStringLiteral("%1 frame(s) of %2 are in neither trainNdxs nor testNdxs")
                    .arg(unsplit)
                    .arg(fi.fileName()),
                QStringLiteral("They are kept but belong to no official split.") });
        return ds;
    }

    Dataset indexNyuMat(const QDir& dir, int classes)
    {
        return indexNyuMatFile(dir.filePath(kNyuMatName), classes);
    }

    // Handa et al.'s label files: new_nyu_class40_0001.png (class set, 1-based frame number).
    const QRegularExpression& nyuLabelName()
    {
        static const QRegularExpression re(
            QStringLiteral("class(13|40)_0*(\\d+)\\.png$"), QRegularExpression::CaseInsensitiveOption);
        return re;
    }

    // `dir` and its direct sub-folders.
    QVector<QDir> dirAndChildren(const QDir& dir)
    {
        QVector<QDir> out { dir };
        for (const QFileInfo& sub : dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
            out << QDir(sub.absoluteFilePath());
        return out;
    }

    bool isNyuReferenceFolder(const QDir& d)
    {
        return QFileInfo(d.filePath(QStringLiteral("train_images"))).isDir()
            && QFileInfo(d.filePath(QStringLiteral("train_labels"))).isDir();
    }

    bool isNyuLabelsFolder(const QDir& d)
    {
        if (isNyuReferenceFolder(d))
            return true;
        for (const QDir& sub : dirAndChildren(d))
            for (const QString& name : sub.entryList({ QStringLiteral("*.png") }, QDir::Files))
                if (nyuLabelName().match(name).hasMatch())
                    return true;
        return false;
    }

    // Whether label PNGs hold 0-based classes with 255 = void (palette PNGs as RefineNet writes them,
    // or grey maps with 255 present) rather than 0 = void and 1..K. Decided from one file.
    bool labelsLookZeroBased(const QString& file)
    {
        const QImage img(file);
        if (img.isNull() || img.format() == QImage::Format_Indexed8)
            return true;
        const QImage grey = img.convertToFormat(QImage::Format_Grayscale8);
        for (int y = 0; y < grey.height(); ++y) {
            const uchar* p = grey.constScanLine(y);
            for (int x = 0; x < grey.width(); ++x)
                if (p[x] == 255)
                    return true;
        }
        return false;
    }

    Dataset indexNyuReference(const QDir& dir, int classes)
    {
        // The reference code's NYUDV2/{train,val}_{images,labels}/*.png.
        Dataset ds = newDataset(dir, DatasetFormat::NyuLabels, LabelEncoding::Lookup);
        classes = classes == 13 ? 13 : 40;
        useNyuClasses(ds, classes, classes == 13 ? nyu13Names() : nyu40Names());
        for (const QString& split : { QStringLiteral("train"), QStringLiteral("val") }) {
            const QDir images(dir.filePath(split + QStringLiteral("_images")));
            if (!images.exists())
                continue;
            ds.officialSplits << split;
            pairByStem(ds, images, QDir(dir.filePath(split + QStringLiteral("_labels"))), split);
        }
        sortNaturally(ds.samples, ds.officialSplits);
        if (!ds.samples.isEmpty() && labelsLookZeroBased(ds.samples.first().maskPath))
            ds.encoding = LabelEncoding::ClassIndex; // 0..K-1, 255 = void
        else
            ds.labelLut = oneBasedLut(classes);
        return ds;
    }

    Dataset indexNyuLabels(const QDir& dir, int classes)
    {
        if (isNyuReferenceFolder(dir))
            return indexNyuReference(dir, classes);
        Dataset ds = newDataset(dir, DatasetFormat::NyuLabels, LabelEncoding::Lookup);
        struct Label {
            QFileInfo file;
            int classes;
            int frame;
        };
        QVector<Label> labels;
        QHash<int, QString> imageByFrame;
        static const QRegularExpression trailingNumber(QStringLiteral("(\\d+)$"));
        static const QRegularExpression notRgb(
            QStringLiteral("depth|label|mask|norm|segm"), QRegularExpression::CaseInsensitiveOption);
        for (const QDir& sub : dirAndChildren(dir))
            for (const QFileInfo& fi : imageFiles(sub)) {
                const auto m = nyuLabelName().match(fi.fileName());
                if (m.hasMatch()) {
                    labels.push_back({ fi, m.captured(1).toInt(), m.captured(2).toInt() });
                    continue;
                }
                const auto n = trailingNumber.match(fi.completeBaseName());
                if (!n.hasMatch() || notRgb.match(fi.fileName()).hasMatch())
                    continue;
                const int frame = n.captured(1).toInt();
                if (imageByFrame.contains(frame)) {
                    ds.problems.push_back({ DatasetProblem::Severity::Error, fi.absoluteFilePath(),
                        QStringLiteral("a second image for frame %1 (the first is %2)")
                            .arg(frame)
                            .arg(relative(ds, imageByFrame[frame])),
                        QStringLiteral("Keep one RGB image per frame; this one is ignored.") });
                    continue;
                }
                imageByFrame.insert(frame, fi.absoluteFilePath());
            }
        if (classes != 13 && classes != 40) {
            const bool has40
                = std::any_of(labels.begin(), labels.end(), [](const Label& l) { return l.classes == 40; });
            classes = has40 ? 40 : 13;
        }
        useNyuClasses(ds, classes, classes == 13 ? nyu13Names() : nyu40Names());
        ds.labelLut = oneBasedLut(classes);
        int otherSet = 0;
        QString otherExample;
        QSet<int> labelled;
        for (const Label& l : labels) {
            if (l.classes != classes) {
                if (otherSet++ == 0)
                    otherExample = l.file.absoluteFilePath();
                continue;
            }
            const QString folder = l.file.absoluteDir().dirName().toLower();
            const QString split = folder.contains(QLatin1String("test")) ? QStringLiteral("test")
                : folder.contains(QLatin1String("train"))                ? QStringLiteral("train")
                                                                         : QString();
            if (!split.isEmpty() && !ds.officialSplits.contains(split))
                ds.officialSplits << split;
            const QString id = QStringLiteral("%1").arg(l.frame, 4, 10, QLatin1Char('0'));
            const auto image = imageByFrame.constFind(l.frame);
            if (image == imageByFrame.constEnd()) {
                ds.problems.push_back({ DatasetProblem::Severity::Warning, l.file.absoluteFilePath(),
                    QStringLiteral("label has no RGB image (frame %1)").arg(l.frame),
                    QStringLiteral(
                        "Put the frame's image (e.g. nyu_rgb_%1.png) in a folder beside the labels; the "
                        "label is skipped.")
                        .arg(id) });
                continue;
            }
            if (labelled.contains(l.frame)) {
                ds.problems.push_back({ DatasetProblem::Severity::Error, l.file.absoluteFilePath(),
                    QStringLiteral("a second label for frame %1").arg(l.frame),
                    QStringLiteral("Keep one label file per frame; this one is ignored.") });
                continue;
            }
            labelled.insert(l.frame);
            ds.samples.push_back({ id, *image, l.file.absoluteFilePath(), split, {}, -1, {} });
        }
        if (otherSet > 0)
            ds.problems.push_back({ DatasetProblem::Severity::Warning, otherExample,
                QStringLiteral("%1 label file(s) of the %2-class set are not used (this dataset is read with "
                               "%3 classes)")
                    .arg(otherSet)
                    .arg(classes == 13 ? 40 : 13)
                    .arg(classes),
                QStringLiteral("Open it with --format nyudv2-labels-%1 to use them instead.")
                    .arg(classes == 13 ? 40 : 13) });
        for (auto it = imageByFrame.constBegin(); it != imageByFrame.constEnd(); ++it)
            if (!labelled.contains(it.key()))
                ds.problems.push_back({ DatasetProblem::Severity::Warning, it.value(),
                    QStringLiteral("image has no label file (frame %1)").arg(it.key()),
                    QStringLiteral("Add new_nyu_class%1_%2.png; the image is skipped.")
                        .arg(classes)
                        .arg(it.key(), 4, 10, QLatin1Char('0')) });
        std::sort(ds.officialSplits.begin(), ds.officialSplits.end(), std::greater<QString>()); // train, test
        sortNaturally(ds.samples, ds.officialSplits);
        return ds;
    }

    struct FormatEntry {
        DatasetFormat format;
        bool (*detect)(const QDir&);
        Dataset (*index)(const QDir&, int classes); // classes: 0 = the layout's default
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
            "generic: images/ and masks/ (class-index PNGs) with a classes.json of 3 or more classes, "
            "or palette PNG masks" },
        { DatasetFormat::KvasirSeg, isKvasirFolder, indexKvasir,
            "Kvasir-SEG: images/ and masks/ with matching file names" },
        { DatasetFormat::SceneLabels, isSceneFolder, indexScenes,
            "scene labels: NNNNNN.png with NNNNNN_mask.png" },
        { DatasetFormat::NyuMat, isNyuMatFolder, indexNyuMat,
            "NYUDv2: nyu_depth_v2_labeled.mat with classMapping40.mat, class13Mapping.mat and splits.mat" },
        { DatasetFormat::NyuLabels, isNyuLabelsFolder, indexNyuLabels,
            "NYUDv2 label PNGs: test_labels_40/new_nyu_class40_NNNN.png (or class13) beside the RGB "
            "frames, or NYUDV2/{train,val}_{images,labels}" },
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
    Dataset indexWith(const FormatEntry& f, const QDir& dir, int classes)
    {
        Dataset ds = f.index(dir, classes);
        if (ds.formatSpec.isEmpty())
            ds.formatSpec = formatName(ds.format);
        return ds;
    }

    bool detectIn(const QDir& dir, const std::function<bool(const FormatEntry&)>& allowed, Dataset* out,
        int classes = 0)
    {
        for (const FormatEntry& f : kFormats)
            if (allowed(f) && f.detect(dir)) {
                *out = indexWith(f, dir, classes);
                return true;
            }
        int hits = 0;
        for (const QFileInfo& sub : dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            const QDir d(sub.absoluteFilePath());
            for (const FormatEntry& f : kFormats)
                if (allowed(f) && f.detect(d)) {
                    if (++hits == 1)
                        *out = indexWith(f, d, classes);
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

namespace {
    // The NYUDv2 .mat file named directly (not its folder).
    bool isMatFile(const QString& path)
    {
        const QFileInfo info(path);
        return info.isFile() && info.suffix().compare(QLatin1String("mat"), Qt::CaseInsensitive) == 0;
    }

    Dataset openMatFile(const QString& path, int classes)
    {
        Dataset ds = indexNyuMatFile(path, classes);
        return checkedNotEmpty(ds);
    }

    // "nyudv2-mat-13" -> NyuMat with 13 classes; other names as formatName() spells them.
    bool parseFormatSpec(const QString& spec, DatasetFormat* format, int* classes)
    {
        *classes = 0;
        QString name = spec;
        for (const char* suffix : { "-13", "-40" })
            if (name.endsWith(QLatin1String(suffix)) && name.startsWith(QLatin1String("nyudv2-"))) {
                *classes = QString::fromLatin1(suffix + 1).toInt();
                name.chop(3);
            }
        for (const FormatEntry& f : kFormats)
            if (formatName(f.format) == name) {
                *format = f.format;
                return true;
            }
        return false;
    }

    Dataset openAs(const QString& path, DatasetFormat format, int classes)
    {
        if (format == DatasetFormat::NyuMat && isMatFile(path))
            return openMatFile(path, classes);
        const QDir dir = checkedDir(path);
        Dataset ds;
        if (!detectIn(
                dir, [format](const FormatEntry& f) { return f.format == format; }, &ds, classes)) {
            for (const FormatEntry& f : kFormats)
                if (f.format == format)
                    throw Error("is not a " + formatName(format).toStdString() + " folder",
                        dir.absolutePath().toStdString(), std::string("Expected ") + f.layout + ".");
        }
        return checkedNotEmpty(ds);
    }
} // namespace

bool isDatasetRoot(const QString& path, Dataset* out)
{
    const QFileInfo info(path);
    if (!info.isDir() || !info.isReadable())
        return false;
    const QDir dir(info.absoluteFilePath());
    try {
        for (const FormatEntry& f : kFormats)
            if (f.detect(dir)) {
                Dataset ds = indexWith(f, dir, 0);
                if (ds.samples.isEmpty())
                    return false;
                if (out)
                    *out = std::move(ds);
                return true;
            }
    } catch (const std::exception&) {
        // An unreadable or damaged layout is no dataset to protect here.
    }
    return false;
}

Dataset openDataset(const QString& path)
{
    if (isMatFile(path))
        return openMatFile(path, 0);
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
    return openAs(path, format, 0);
}

Dataset openDataset(const QString& path, const QString& format)
{
    if (format.isEmpty() || format == QLatin1String("auto"))
        return openDataset(path);
    DatasetFormat f;
    int classes = 0;
    if (!parseFormatSpec(format, &f, &classes)) {
        QStringList names;
        for (const FormatEntry& e : kFormats)
            names << formatName(e.format);
        names << QStringLiteral("nyudv2-mat-13") << QStringLiteral("nyudv2-labels-13");
        throw Error("unknown dataset format '" + format.toStdString() + "': use auto, "
            + names.join(QStringLiteral(", ")).toStdString());
    }
    return openAs(path, f, classes);
}

bool parseDatasetFormat(const QString& name, DatasetFormat* format)
{
    int classes = 0;
    return parseFormatSpec(name, format, &classes);
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
    // The real file is 3 KB for 165 images.
    if (f.size() > (qint64(4) << 20)) {
        g.problems.push_back({ DatasetProblem::Severity::Warning, file,
            QStringLiteral("is %1 bytes, far more than a grade list holds").arg(f.size()),
            QStringLiteral("Grades are not shown; replace it with the dataset's Grade.csv.") });
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

KvasirBoxes readKvasirBoxes(const QString& file)
{
    KvasirBoxes k;
    auto warn = [&](const QString& message) {
        k.problems.push_back({ DatasetProblem::Severity::Warning, file, message,
            QStringLiteral("Boxes are optional: fix or delete the file; masks are used as they are.") });
    };
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        warn(QStringLiteral("cannot be read"));
        return k;
    }
    // The real file is 300 KB for 1,000 images.
    if (f.size() > (qint64(64) << 20)) {
        warn(QStringLiteral("is %1 bytes, far more than bounding boxes of a dataset take").arg(f.size()));
        return k;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        warn(pe.error != QJsonParseError::NoError
                ? QStringLiteral("invalid JSON at offset %1: %2").arg(pe.offset).arg(pe.errorString())
                : QStringLiteral("must hold an object keyed by image name"));
        return k;
    }
    const QJsonObject root = doc.object();
    for (auto it = root.constBegin(); it != root.constEnd(); ++it) {
        const QJsonArray boxes = it.value().toObject().value(QStringLiteral("bbox")).toArray();
        QVector<QRect> rects;
        bool ok = it.value().isObject() && boxes.size() <= 10000;
        for (const QJsonValue& b : boxes) {
            const QJsonObject o = b.toObject();
            const QJsonValue x0 = o.value(QStringLiteral("xmin")), y0 = o.value(QStringLiteral("ymin")),
                             x1 = o.value(QStringLiteral("xmax")), y1 = o.value(QStringLiteral("ymax"));
            if (!x0.isDouble() || !y0.isDouble() || !x1.isDouble() || !y1.isDouble()
                || x1.toInt() < x0.toInt() || y1.toInt() < y0.toInt()) {
                ok = false;
                break;
            }
            rects << QRect(QPoint(x0.toInt(), y0.toInt()), QPoint(x1.toInt(), y1.toInt()));
        }
        if (!ok) {
            warn(QStringLiteral("entry '%1' is not {\"bbox\": [{\"xmin\", \"ymin\", \"xmax\", \"ymax\"}]}")
                     .arg(it.key()));
            continue;
        }
        k.boxesById.insert(it.key(), rects);
    }
    return k;
}

bool readClassesJson(const QString& file, QStringList* names, QVector<QColor>* colors, QString* error)
{
    constexpr qint64 kMaxClassesJsonBytes = 1 << 20;
    constexpr int kMaxClasses = 255;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot be read");
        return false;
    }
    if (f.size() > kMaxClassesJsonBytes) {
        *error = QStringLiteral("is %1 bytes, more than a class list needs (at most %2)")
                     .arg(f.size())
                     .arg(kMaxClassesJsonBytes);
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
    // Label masks are 8-bit and 255 is the void (ignore) index: class indices are 0..254.
    if (arr.size() > kMaxClasses) {
        *error
            = QStringLiteral("lists %1 classes, but masks hold class indices 0..%2 (255 is void): at most %3 "
                             "classes")
                  .arg(arr.size())
                  .arg(kMaxClasses - 1)
                  .arg(kMaxClasses);
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
        const qsizetype twice = names->indexOf(name);
        if (twice >= 0) {
            *error = QStringLiteral("the class name '%1' appears twice (classes %2 and %3)")
                         .arg(name)
                         .arg(twice)
                         .arg(names->size());
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
    writeFileAtomic(file, QJsonDocument(QJsonObject { { QStringLiteral("classes"), arr } }).toJson());
}

} // namespace msup
