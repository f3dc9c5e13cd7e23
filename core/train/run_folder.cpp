#include "core/train/run_folder.h"

#include "core/base/error.h"
#include "core/data/split.h"
#include "core/io/atomic_file.h"
#include "core/io/csv.h"
#include "core/train/validation_errors.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLocale>
#include <QMap>

#include <algorithm>
#include <cmath>

namespace msup {

namespace {

    // metrics.csv: one row per epoch (columns as the metrics lines' keys, per-class IoU as iou_<class>).
    QByteArray metricsCsv(const QVector<QJsonObject>& epochs, const QStringList& classNames)
    {
        static const char* columns[] = { "epoch", "loss", "loss_seg", "loss_context", "loss_tasksim",
            "val_miou", "val_dice", "val_pixel_accuracy", "ref_micro_jaccard", "ref_binary_iou", "lr",
            "seconds", "images_per_second", "data_wait_seconds", "compute_seconds", "communication_seconds",
            "decoded_samples" };
        auto number = [](const QJsonValue& v) {
            return v.isDouble() ? QString::number(v.toDouble(), 'g', QLocale::FloatingPointShortest)
                                : QString(); // null (NaN) = empty
        };
        QStringList header;
        for (const char* c : columns)
            header << QString::fromLatin1(c);
        for (const QString& name : classNames)
            header << csvField(QStringLiteral("iou_") + name);
        QByteArray out = header.join(QLatin1Char(',')).toUtf8() + '\n';
        for (const QJsonObject& o : epochs) {
            QStringList row;
            for (const char* c : columns)
                row << number(o.value(QLatin1String(c)));
            const QJsonArray perClass = o.value(QStringLiteral("per_class_iou")).toArray();
            for (int i = 0; i < classNames.size(); ++i)
                row << (i < perClass.size() ? number(perClass[i]) : QString());
            out += row.join(QLatin1Char(',')).toUtf8() + '\n';
        }
        return out;
    }

    QByteArray validationErrorsToJson(const ValidationErrors& errors)
    {
        QJsonArray images;
        for (const ImageConfusion& image : errors.images) {
            QJsonArray cells;
            for (const ImageConfusion::Cell& c : image.cells)
                cells.append(QJsonArray { c.truth, c.prediction, double(c.pixels) });
            images.append(
                QJsonObject { { QStringLiteral("id"), image.id }, { QStringLiteral("cells"), cells } });
        }
        const QJsonObject root { { QStringLiteral("format"), QStringLiteral("masksup-val-errors") },
            { QStringLiteral("version"), 1 }, { QStringLiteral("epoch"), errors.epoch },
            { QStringLiteral("classes"), QJsonArray::fromStringList(errors.classNames) },
            { QStringLiteral("image_size"), errors.imageSize },
            { QStringLiteral("ignore_index"), errors.ignoreIndex }, { QStringLiteral("images"), images } };
        // Compact: one entry per validation image and non-zero cell, small even for 40 classes.
        return QJsonDocument(root).toJson(QJsonDocument::Compact) + '\n';
    }

    // Splits one CSV line (RFC 4180 quoting; no newlines inside fields).
    QStringList splitCsvLine(const QString& line)
    {
        QStringList fields;
        QString field;
        bool quoted = false;
        for (int i = 0; i < line.size(); ++i) {
            const QChar c = line.at(i);
            if (quoted) {
                if (c == QLatin1Char('"')) {
                    if (i + 1 < line.size() && line.at(i + 1) == QLatin1Char('"')) {
                        field += c;
                        ++i;
                    } else {
                        quoted = false;
                    }
                } else {
                    field += c;
                }
            } else if (c == QLatin1Char('"')) {
                quoted = true;
            } else if (c == QLatin1Char(',')) {
                fields << field;
                field.clear();
            } else {
                field += c;
            }
        }
        fields << field;
        return fields;
    }

    bool isInside(const QString& path, const QString& folder)
    {
        if (folder.isEmpty())
            return false;
        const QString p = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
        const QString f = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
        return p.startsWith(f + QLatin1Char('/'));
    }

    bool isEpochLine(const QJsonDocument& doc)
    {
        return doc.isObject() && doc.object().value(QStringLiteral("epoch")).isDouble();
    }

} // namespace

RunFolder::RunFolder(const QString& dir)
    : m_dir(dir)
{
}

QString RunFolder::fileName(RunFile file)
{
    switch (file) {
    case RunFile::Config:
        return QStringLiteral("config.json");
    case RunFile::Split:
        return QStringLiteral("split.json");
    case RunFile::Metrics:
        return QStringLiteral("metrics.jsonl");
    case RunFile::MetricsCsv:
        return QStringLiteral("metrics.csv");
    case RunFile::ValidationErrors:
        return QStringLiteral("val_errors.json");
    case RunFile::Robustness:
        return QStringLiteral("robustness.csv");
    case RunFile::Checkpoints:
        return QStringLiteral("checkpoints");
    case RunFile::BestCheckpoint:
        return QStringLiteral("checkpoints/best.pt");
    case RunFile::LastCheckpoint:
        return QStringLiteral("checkpoints/last.pt");
    case RunFile::ObjectMetrics:
        return QStringLiteral("object_metrics.json");
    }
    return {};
}

bool RunFolder::isRunFolder(const QString& dir)
{
    return RunFolder(dir).has(RunFile::Config);
}

QString RunFolder::path(RunFile file) const
{
    return QDir(m_dir).filePath(fileName(file));
}

bool RunFolder::has(RunFile file) const
{
    return QFileInfo::exists(path(file));
}

// ---- config ----

QJsonObject RunFolder::readConfig(QString* problem) const
{
    QFile file(path(RunFile::Config));
    if (!file.open(QIODevice::ReadOnly)) {
        if (problem)
            *problem
                = QStringLiteral("%1 cannot be read: %2").arg(fileName(RunFile::Config), file.errorString());
        return {};
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        if (problem)
            *problem = QStringLiteral("%1 is not a JSON object (%2 at offset %3)")
                           .arg(fileName(RunFile::Config), error.errorString())
                           .arg(error.offset);
        return {};
    }
    return doc.object();
}

void RunFolder::writeConfig(const QJsonObject& config) const
{
    writeFileAtomic(path(RunFile::Config), QJsonDocument(config).toJson());
}

// ---- split ----

Split RunFolder::readSplit(const QStringList& ids) const
{
    return loadSplit(path(RunFile::Split), ids);
}

void RunFolder::writeSplit(const Split& split, const QStringList& ids) const
{
    saveSplit(path(RunFile::Split), split, ids);
}

// ---- metrics ----

QVector<QJsonObject> RunFolder::scanMetrics(QStringList* problems) const
{
    QVector<QJsonObject> epochs;
    auto problem = [&](const QString& text) {
        if (problems)
            *problems << text;
    };
    const QString name = fileName(RunFile::Metrics);
    QFile file(path(RunFile::Metrics));
    if (!file.exists()) {
        problem(QStringLiteral("no %1 yet").arg(name));
        return epochs;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        problem(QStringLiteral("%1 cannot be read: %2").arg(name, file.errorString()));
        return epochs;
    }
    const QByteArray bytes = file.readAll();
    QList<QByteArray> lines = bytes.split('\n');
    // The part after the last newline is a line still being written unless it is complete JSON.
    const QByteArray tail = lines.takeLast();
    auto parse = [&](const QByteArray& line, int number, bool last) {
        if (line.trimmed().isEmpty())
            return;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !isEpochLine(doc)) {
            if (!last)
                problem(QStringLiteral("%1 line %2 is not an epoch's metrics").arg(name).arg(number));
            return;
        }
        epochs << doc.object();
    };
    for (int i = 0; i < lines.size(); ++i)
        parse(lines[i], i + 1, false);
    parse(tail, int(lines.size()) + 1, true);
    return epochs;
}

QVector<QJsonObject> RunFolder::readMetrics(QStringList* notes) const
{
    const QString path = this->path(RunFile::Metrics);
    QFile file(path);
    if (!file.exists())
        throw Error("not found: the run has no metrics yet", path.toStdString(),
            "Export a report once the run has finished its first epoch.");
    if (!file.open(QIODevice::ReadOnly))
        throw Error("cannot be read: " + file.errorString().toStdString(), path.toStdString());
    const QByteArray bytes = file.readAll();
    QList<QByteArray> lines = bytes.split('\n');
    const bool terminated = bytes.endsWith('\n');
    QMap<int, QJsonObject> byEpoch;
    for (int i = 0; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const bool last = i == lines.size() - 1 && !terminated;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError) {
            if (last) {
                notes->append(QStringLiteral("The last line of %1 is incomplete (a run still "
                                             "writing?); it is left out.")
                                  .arg(fileName(RunFile::Metrics)));
                continue;
            }
            throw Error("line " + std::to_string(i + 1) + " is not valid JSON ("
                    + error.errorString().toStdString() + " at column " + std::to_string(error.offset + 1)
                    + ")",
                path.toStdString(), "Remove or repair that line; every line holds one epoch's metrics.");
        }
        if (!isEpochLine(doc))
            throw Error("line " + std::to_string(i + 1) + " is not an epoch's metrics (no \"epoch\" number)",
                path.toStdString(), "Remove or repair that line; every line holds one epoch's metrics.");
        const QJsonObject o = doc.object();
        byEpoch.insert(o.value(QStringLiteral("epoch")).toInt(), o);
    }
    if (byEpoch.isEmpty())
        throw Error("holds no epoch yet", path.toStdString(),
            "Export a report once the run has finished its first epoch.");
    return QVector<QJsonObject>(byEpoch.cbegin(), byEpoch.cend());
}

QVector<QJsonObject> RunFolder::readMetricsForResume(int upToEpoch, QString* note) const
{
    const QString path = this->path(RunFile::Metrics);
    QVector<QJsonObject> kept;
    QFile file(path);
    if (!file.exists())
        return kept;
    if (!file.open(QIODevice::ReadOnly))
        throw Error("cannot be read to resume the run: " + file.errorString().toStdString(),
            path.toStdString(), "Check its permissions; the file was not changed.");
    const QList<QByteArray> lines = file.readAll().split('\n');
    int last = int(lines.size()) - 1; // the last line with something on it
    int complete = 0; // complete lines read so far
    while (last >= 0 && lines[last].trimmed().isEmpty())
        --last;
    for (int i = 0; i <= last; ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        QJsonParseError error {};
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        const bool isComplete = error.error == QJsonParseError::NoError && isEpochLine(doc);
        if (!isComplete && i == last) {
            // A write cut short: the line is lost, the complete ones before it are kept.
            if (note)
                *note = QStringLiteral("%1: its last line (line %2, %3 bytes) is incomplete and was dropped; "
                                       "the %4 complete line(s) before it are kept")
                            .arg(QDir::toNativeSeparators(path))
                            .arg(i + 1)
                            .arg(lines[i].size())
                            .arg(complete);
            break;
        }
        if (!isComplete)
            throw Error("line " + std::to_string(i + 1) + " is not an epoch's metrics ("
                    + (error.error != QJsonParseError::NoError ? error.errorString().toStdString()
                                                               : std::string("no \"epoch\" number"))
                    + "), so the run cannot be resumed without losing the epochs around it",
                path.toStdString(),
                "Repair or remove that line (the file was not changed), then resume again.");
        ++complete;
        const QJsonObject o = doc.object();
        if (o.value(QStringLiteral("epoch")).toInt() <= upToEpoch)
            kept << o;
    }
    return kept;
}

void RunFolder::writeMetrics(const QVector<QJsonObject>& epochs, const QStringList& classNames) const
{
    QByteArray jsonl;
    for (const QJsonObject& o : epochs)
        jsonl += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    writeFileAtomic(path(RunFile::Metrics), jsonl);
    writeFileAtomic(path(RunFile::MetricsCsv), metricsCsv(epochs, classNames));
}

// ---- validation errors ----

ValidationErrors RunFolder::readValidationErrors() const
{
    const QString path = this->path(RunFile::ValidationErrors);
    QFile file(path);
    if (!file.exists())
        throw Error("does not exist: no validation of this run has finished yet (or the run was trained "
                    "by a version without error analysis)",
            path.toStdString(), "Wait for the end of the first epoch.");
    if (!file.open(QIODevice::ReadOnly))
        throw Error("cannot be read: " + file.errorString().toStdString(), path.toStdString());
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    const QJsonObject root = doc.object();
    if (doc.isNull()
        || root.value(QStringLiteral("format")).toString() != QLatin1String("masksup-val-errors"))
        throw Error(
            "is not a validation error file: " + parseError.errorString().toStdString(), path.toStdString());
    ValidationErrors e;
    e.epoch = root.value(QStringLiteral("epoch")).toInt();
    for (const QJsonValue& v : root.value(QStringLiteral("classes")).toArray())
        e.classNames << v.toString();
    e.imageSize = root.value(QStringLiteral("image_size")).toInt();
    e.ignoreIndex = root.value(QStringLiteral("ignore_index")).toInt(255);
    const int k = e.classes();
    for (const QJsonValue& v : root.value(QStringLiteral("images")).toArray()) {
        const QJsonObject o = v.toObject();
        ImageConfusion image;
        image.id = o.value(QStringLiteral("id")).toString();
        for (const QJsonValue& c : o.value(QStringLiteral("cells")).toArray()) {
            const QJsonArray a = c.toArray();
            const ImageConfusion::Cell cell { a.at(0).toInt(-1), a.at(1).toInt(-1),
                qint64(a.at(2).toDouble()) };
            if (a.size() != 3 || cell.truth < 0 || cell.truth >= k || cell.prediction < 0
                || cell.prediction >= k || cell.pixels < 0)
                throw Error("has an invalid cell for image " + image.id.toStdString(), path.toStdString());
            image.cells << cell;
        }
        e.images << image;
    }
    if (k == 0)
        throw Error("lists no classes", path.toStdString());
    return e;
}

void RunFolder::writeValidationErrors(const ValidationErrors& errors) const
{
    writeFileAtomic(path(RunFile::ValidationErrors), validationErrorsToJson(errors));
}

// ---- robustness ----

QVector<QPair<double, double>> RunFolder::readRobustness(QString* problem) const
{
    const QString name = fileName(RunFile::Robustness);
    QFile file(path(RunFile::Robustness));
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *problem = QStringLiteral("%1 cannot be read: %2").arg(name, file.errorString());
        return {};
    }
    try {
        return parseRobustnessCsv(QString::fromUtf8(file.readAll()), m_dir);
    } catch (const std::exception& e) {
        *problem = QStringLiteral("%1: %2").arg(name, QString::fromUtf8(e.what()));
        return {};
    }
}

// ---- object metrics ----

QString RunFolder::bestCheckpointStamp() const
{
    const QFileInfo info(path(RunFile::BestCheckpoint));
    if (!info.isFile())
        return {};
    return QStringLiteral("%1 bytes, modified %2")
        .arg(info.size())
        .arg(info.lastModified().toUTC().toString(Qt::ISODateWithMs));
}

namespace {

    QJsonValue jsonNumber(double v)
    {
        return std::isfinite(v) ? QJsonValue(v) : QJsonValue();
    }

    double numberOf(const QJsonObject& o, const char* key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        return v.isDouble() ? v.toDouble() : std::nan("");
    }

} // namespace

std::optional<RunObjectMetrics> RunFolder::readObjectMetrics() const
{
    QFile file(path(RunFile::ObjectMetrics));
    const QString stamp = bestCheckpointStamp();
    if (stamp.isEmpty() || file.size() > (1 << 20) || !file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("checkpoint_stamp")).toString() != stamp
        || !o.value(QStringLiteral("object_f1")).isDouble() || !o.value(QStringLiteral("images")).isDouble())
        return std::nullopt;
    RunObjectMetrics m;
    m.checkpointStamp = stamp;
    m.split = o.value(QStringLiteral("split")).toString();
    m.images = o.value(QStringLiteral("images")).toInt();
    m.objectF1 = numberOf(o, "object_f1");
    m.objectDice = numberOf(o, "object_dice");
    m.objectHausdorff = numberOf(o, "object_hausdorff");
    m.truePositives = o.value(QStringLiteral("tp")).toInt();
    m.falsePositives = o.value(QStringLiteral("fp")).toInt();
    m.falseNegatives = o.value(QStringLiteral("fn")).toInt();
    const QJsonObject dice = o.value(QStringLiteral("dice_per_image")).toObject();
    m.diceMean = numberOf(dice, "mean");
    m.diceMedian = numberOf(dice, "median");
    m.diceMin = numberOf(dice, "min");
    m.diceMax = numberOf(dice, "max");
    m.hd95Mean = numberOf(o, "hd95_mean");
    return m;
}

void RunFolder::writeObjectMetrics(const RunObjectMetrics& m) const
{
    const QJsonObject o { { QStringLiteral("checkpoint"), fileName(RunFile::BestCheckpoint) },
        { QStringLiteral("checkpoint_stamp"), m.checkpointStamp }, { QStringLiteral("split"), m.split },
        { QStringLiteral("images"), m.images }, { QStringLiteral("object_f1"), jsonNumber(m.objectF1) },
        { QStringLiteral("object_dice"), jsonNumber(m.objectDice) },
        { QStringLiteral("object_hausdorff"), jsonNumber(m.objectHausdorff) },
        { QStringLiteral("tp"), m.truePositives }, { QStringLiteral("fp"), m.falsePositives },
        { QStringLiteral("fn"), m.falseNegatives },
        { QStringLiteral("dice_per_image"),
            QJsonObject { { QStringLiteral("mean"), jsonNumber(m.diceMean) },
                { QStringLiteral("median"), jsonNumber(m.diceMedian) },
                { QStringLiteral("min"), jsonNumber(m.diceMin) },
                { QStringLiteral("max"), jsonNumber(m.diceMax) } } },
        { QStringLiteral("hd95_mean"), jsonNumber(m.hd95Mean) } };
    writeFileAtomic(path(RunFile::ObjectMetrics), QJsonDocument(o).toJson());
}

QVector<QPair<double, double>> parseRobustnessCsv(const QString& text, const QString& runFolder)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    int ratioColumn = -1, lowColumn = -1, miouColumn = -1, checkpointColumn = -1;
    QString headerFirst;
    // Rows grouped by checkpoint ("" without a checkpoint column), in file order.
    QStringList checkpoints;
    QMap<QString, QVector<QPair<double, double>>> rows;
    for (QString line : lines) {
        line = line.trimmed();
        if (line.isEmpty())
            continue;
        const QStringList f = splitCsvLine(line);
        const bool isHeader = headerFirst.isEmpty() ? true : f.first() == headerFirst;
        if (isHeader) {
            headerFirst = f.first();
            ratioColumn = int(f.indexOf(QStringLiteral("ratio_high")));
            lowColumn = int(f.indexOf(QStringLiteral("ratio_low")));
            miouColumn = int(f.indexOf(QStringLiteral("miou")));
            checkpointColumn = int(f.indexOf(QStringLiteral("checkpoint")));
            if (ratioColumn < 0 || miouColumn < 0)
                throw Error("has no ratio_high and miou columns (not a robustness CSV from 'masksup "
                            "robustness --csv' or the Robustness panel)");
            continue;
        }
        if (f.size() <= std::max(ratioColumn, miouColumn))
            continue;
        bool okRatio = false, okMiou = false;
        double ratio = f[ratioColumn].toDouble(&okRatio);
        const double miou = f[miouColumn].toDouble(&okMiou);
        if (!okRatio || !okMiou)
            continue;
        // The clean level is written as lo = hi = 0.
        if (lowColumn >= 0 && lowColumn < f.size() && f[lowColumn].toDouble() == 0 && ratio == 0)
            ratio = 0;
        const QString checkpoint
            = checkpointColumn >= 0 && checkpointColumn < f.size() ? f[checkpointColumn] : QString();
        if (!rows.contains(checkpoint))
            checkpoints << checkpoint;
        rows[checkpoint].append({ ratio, miou });
    }
    if (headerFirst.isEmpty())
        throw Error("is empty");
    if (checkpoints.isEmpty())
        return {};
    QString chosen = checkpoints.first();
    for (const QString& c : checkpoints)
        if (isInside(c, runFolder)) {
            chosen = c;
            break;
        }
    QVector<QPair<double, double>> points = rows.value(chosen);
    std::stable_sort(points.begin(), points.end(),
        [](const QPair<double, double>& a, const QPair<double, double>& b) { return a.first < b.first; });
    return points;
}

} // namespace msup
