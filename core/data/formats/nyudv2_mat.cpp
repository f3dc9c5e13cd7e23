// NYUDv2, the official nyu_depth_v2_labeled.mat (MATLAB v7.3) with classMapping40.mat,
// class13Mapping.mat and splits.mat: frames read lazily, 894 classes mapped to 40 (or 13). Opened as its
// folder or as the .mat file itself.
#include "core/data/formats/format_registry.h"
#include "core/data/formats/format_support.h"

#include "core/base/error.h"
#include "core/data/nyu_mat.h"
#include "core/data/nyu_metadata.h"

#include <QFileInfo>

#include <utility>

namespace msup::formats {
namespace {
    constexpr const char* kName = "nyudv2-mat";
    const QString kNyuMatName = QStringLiteral("nyu_depth_v2_labeled.mat");

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
        Dataset ds = newDataset(fi.absoluteDir(), LabelEncoding::Lookup);
        const NyuMatInfo info = readNyuMatInfo(fi.absoluteFilePath());
        const QString metaDir = findNyuMetadata(fi.absoluteDir());
        if (metaDir.isEmpty())
            throw Error("needs the NYUDv2 class mapping files beside it", fi.absoluteFilePath().toStdString(),
                "Put classMapping40.mat, class13Mapping.mat and splits.mat (from "
                "github.com/ankurhanda/nyuv2-meta-data) in its folder or in a sub-folder of it.");
        const NyuMetadata meta = readNyuMetadata(metaDir);
        useNyuClasses(ds, classes, classes == 13 ? meta.classNames13 : meta.classNames40, kName);
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

    // The .mat file named directly (not its folder).
    bool isMatFile(const QString& path)
    {
        const QFileInfo info(path);
        return info.isFile() && info.suffix().compare(QLatin1String("mat"), Qt::CaseInsensitive) == 0;
    }
} // namespace

extern const DatasetFormat nyudv2Mat { kName, "NYUDv2",
    "nyu_depth_v2_labeled.mat with classMapping40.mat, class13Mapping.mat and splits.mat", isNyuMatFolder,
    indexNyuMat, true, isMatFile, indexNyuMatFile };

} // namespace msup::formats
