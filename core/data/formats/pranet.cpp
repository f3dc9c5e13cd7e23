// PraNet polyps: TrainDataset/{image,mask} and TestDataset/<name>/{images,masks}, binary masks;
// each test set is an official split.
#include "core/data/formats/format_registry.h"
#include "core/data/formats/format_support.h"
#include "core/data/palette.h"

#include <QFileInfo>

namespace msup::formats {
namespace {
    bool isPraNetFolder(const QDir& d)
    {
        return QFileInfo(d.filePath(QStringLiteral("TrainDataset/image"))).isDir()
            || QFileInfo(d.filePath(QStringLiteral("TestDataset"))).isDir();
    }

    Dataset indexPraNet(const QDir& dir, int)
    {
        Dataset ds = newDataset(dir, LabelEncoding::BinaryThreshold);
        useBinaryClasses(ds, QStringLiteral("polyp"), binaryForegroundColor());
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
} // namespace

extern const DatasetFormat praNet { "pranet", "PraNet polyps",
    "TrainDataset/{image,mask} and TestDataset/<name>/{images,masks}", isPraNetFolder, indexPraNet };

} // namespace msup::formats
