// Generic: images/ + masks/ holding class indices, with a classes.json of 3 or more classes (or
// palette PNG masks whose classes are read off the masks).
#include "core/data/formats/format_registry.h"
#include "core/data/formats/format_support.h"

#include "core/data/palette.h"

#include <QFileInfo>
#include <QImage>
#include <QImageReader>

#include <algorithm>

namespace msup::formats {
namespace {
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
        if (!hasImagesAndMasks(d))
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
        Dataset ds = newDataset(dir, LabelEncoding::ClassIndex);
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
} // namespace

extern const DatasetFormat generic { "generic", "generic",
    "images/ and masks/ (class-index PNGs) with a classes.json of 3 or more classes, or palette PNG masks",
    isGenericFolder, indexGeneric };

} // namespace msup::formats
