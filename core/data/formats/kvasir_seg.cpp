// Kvasir-SEG: images/<id>.jpg + masks/<id>.jpg (binary masks, JPEG ones thresholded at 128) and the
// optional kavsir_bboxes.json.
#include "core/data/formats/format_registry.h"
#include "core/data/formats/format_support.h"
#include "core/data/palette.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace msup {

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

} // namespace msup

namespace msup::formats {
namespace {
    Dataset indexKvasir(const QDir& dir, int)
    {
        Dataset ds = newDataset(dir, LabelEncoding::BinaryThreshold);
        useBinaryClasses(ds, QStringLiteral("foreground"), binaryForegroundColor());
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
} // namespace

extern const DatasetFormat kvasirSeg { "kvasir-seg", "Kvasir-SEG",
    "images/ and masks/ with matching file names", hasImagesAndMasks, indexKvasir };

} // namespace msup::formats
