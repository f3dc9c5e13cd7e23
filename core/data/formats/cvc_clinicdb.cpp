// CVC-ClinicDB: Original/N.tif + Ground Truth/N.tif (or .png), binary masks.
#include "core/data/formats/format_registry.h"
#include "core/data/formats/format_support.h"
#include "core/data/palette.h"

#include <QFileInfo>

namespace msup::formats {
namespace {
    bool isCvcFolder(const QDir& d)
    {
        return QFileInfo(d.filePath(QStringLiteral("Original"))).isDir()
            && QFileInfo(d.filePath(QStringLiteral("Ground Truth"))).isDir();
    }

    Dataset indexCvc(const QDir& dir, int)
    {
        Dataset ds = newDataset(dir, LabelEncoding::BinaryThreshold);
        useBinaryClasses(ds, QStringLiteral("polyp"), binaryForegroundColor());
        pairByStem(ds, QDir(dir.filePath(QStringLiteral("Original"))),
            QDir(dir.filePath(QStringLiteral("Ground Truth"))));
        return ds;
    }
} // namespace

extern const DatasetFormat cvcClinicDb { "cvc-clinicdb", "CVC-ClinicDB", "Original/ and 'Ground Truth'/",
    isCvcFolder, indexCvc };

} // namespace msup::formats
