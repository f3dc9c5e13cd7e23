// GLaS (Warwick QU): train_N.bmp + train_N_anno.bmp (gland instance ids), testA_, testB_ and
// Grade.csv; or the reference code's GLAS/{train,test}/{img,labelcol}/*.png.
#include "core/data/formats/format_registry.h"
#include "core/data/formats/format_support.h"

#include <QFile>
#include <QFileInfo>

namespace msup {

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

} // namespace msup

namespace msup::formats {
namespace {
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
            Dataset ds = newDataset(dir, LabelEncoding::BinaryThreshold);
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
        Dataset ds = newDataset(dir, LabelEncoding::InstanceIds);
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
} // namespace

extern const DatasetFormat glas { "glas", "GLaS",
    "train_N.bmp with train_N_anno.bmp (and testA_/testB_, Grade.csv), or train/img + train/labelcol",
    isGlasFolder, indexGlas };

} // namespace msup::formats
