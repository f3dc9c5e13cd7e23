// NYUDv2 grey label PNGs with 0 = void and 1..40 (or 1..13): Handa et al.'s
// test_labels_40/new_nyu_class40_NNNN.png beside the RGB frames, or the reference code's
// NYUDV2/{train,val}_{images,labels}.
#include "core/data/formats/format_registry.h"
#include "core/data/formats/format_support.h"

#include <QFileInfo>
#include <QHash>
#include <QImage>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <functional>

namespace msup::formats {
namespace {
    constexpr const char* kName = "nyudv2-labels";

    // The 13 classes of Couprie et al. / Handa et al. (alphabetical, indices 0..12 = label - 1).
    QStringList nyu13Names()
    {
        return { QStringLiteral("bed"), QStringLiteral("books"), QStringLiteral("ceiling"),
            QStringLiteral("chair"), QStringLiteral("floor"), QStringLiteral("furniture"),
            QStringLiteral("objects"), QStringLiteral("picture"), QStringLiteral("sofa"),
            QStringLiteral("table"), QStringLiteral("tv"), QStringLiteral("wall"), QStringLiteral("window") };
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
        Dataset ds = newDataset(dir, LabelEncoding::Lookup);
        classes = classes == 13 ? 13 : 40;
        useNyuClasses(ds, classes, classes == 13 ? nyu13Names() : nyu40Names(), kName);
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
        Dataset ds = newDataset(dir, LabelEncoding::Lookup);
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
        useNyuClasses(ds, classes, classes == 13 ? nyu13Names() : nyu40Names(), kName);
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
                QStringLiteral("Open it with --format %1-%2 to use them instead.")
                    .arg(QLatin1String(kName))
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
} // namespace

extern const DatasetFormat nyudv2Labels { kName, "NYUDv2 label PNGs",
    "test_labels_40/new_nyu_class40_NNNN.png (or class13) beside the RGB frames, or "
    "NYUDV2/{train,val}_{images,labels}",
    isNyuLabelsFolder, indexNyuLabels, true };

} // namespace msup::formats
