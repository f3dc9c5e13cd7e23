#include "core/train/run_index.h"

#include "core/base/error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QMap>

#include <algorithm>
#include <cmath>
#include <limits>

namespace msup {

namespace {

    const double kNaN = std::numeric_limits<double>::quiet_NaN();

    double numberOr(const QJsonObject& o, const char* key, double fallback)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        return v.isDouble() ? v.toDouble() : fallback;
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

    QString cleanFolder(const QString& folder)
    {
        return QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    }

    void readConfig(const QString& path, RunSummary& run)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            run.problems << QStringLiteral("config.json cannot be read: %1").arg(file.errorString());
            return;
        }
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            run.problems << QStringLiteral("config.json is not a JSON object (%1 at offset %2)")
                                .arg(error.errorString())
                                .arg(error.offset);
            return;
        }
        const QJsonObject c = doc.object();
        run.preset = c.value(QStringLiteral("preset")).toString();
        run.mode = c.value(QStringLiteral("mode")).toString();
        run.model = c.value(QStringLiteral("model")).toString();
        run.width = c.value(QStringLiteral("width")).toInt();
        run.epochsPlanned = c.value(QStringLiteral("epochs")).toInt();
        run.device = c.value(QStringLiteral("device_resolved")).toString();
        if (run.device.isEmpty())
            run.device = c.value(QStringLiteral("device")).toString();
        run.precision = c.value(QStringLiteral("precision")).toString();
        if (run.precision.isEmpty()) {
            const QString amp = c.value(QStringLiteral("amp")).toString();
            if (amp == QLatin1String("bf16") || amp == QLatin1String("fp16"))
                run.precision = amp;
            else if (amp == QLatin1String("off"))
                run.precision = QStringLiteral("float32");
        }
    }

    void readMetrics(const QString& path, RunSummary& run)
    {
        QFile file(path);
        if (!file.exists()) {
            run.problems << QStringLiteral("no metrics.jsonl yet");
            return;
        }
        if (!file.open(QIODevice::ReadOnly)) {
            run.problems << QStringLiteral("metrics.jsonl cannot be read: %1").arg(file.errorString());
            return;
        }
        const QByteArray bytes = file.readAll();
        QList<QByteArray> lines = bytes.split('\n');
        // The part after the last newline is a line still being written unless it is complete JSON.
        const QByteArray tail = lines.takeLast();
        QMap<int, EpochPoint> byEpoch; // a repeated epoch (a resumed run) keeps its last line
        auto parse = [&](const QByteArray& line, int number, bool last) {
            if (line.trimmed().isEmpty())
                return;
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            const QJsonObject o = doc.object();
            if (error.error != QJsonParseError::NoError || !doc.isObject()
                || !o.value(QStringLiteral("epoch")).isDouble()) {
                if (!last)
                    run.problems
                        << QStringLiteral("metrics.jsonl line %1 is not an epoch's metrics").arg(number);
                return;
            }
            EpochPoint p;
            p.epoch = o.value(QStringLiteral("epoch")).toInt();
            p.loss = numberOr(o, "loss", kNaN);
            p.valMiou = numberOr(o, "val_miou", kNaN);
            p.lr = numberOr(o, "lr", kNaN);
            p.seconds = numberOr(o, "seconds", 0);
            byEpoch.insert(p.epoch, p);
        };
        for (int i = 0; i < lines.size(); ++i)
            parse(lines[i], i + 1, false);
        parse(tail, int(lines.size()) + 1, true);

        run.curve = QVector<EpochPoint>(byEpoch.cbegin(), byEpoch.cend());
        run.epochsDone = int(run.curve.size());
        for (const EpochPoint& p : run.curve) {
            if (std::isfinite(p.seconds))
                run.durationSeconds += p.seconds;
            if (std::isfinite(p.valMiou) && (run.bestEpoch == 0 || p.valMiou > run.bestMiou)) {
                run.bestMiou = p.valMiou;
                run.bestEpoch = p.epoch;
            }
        }
    }

    void readRobustness(const QString& path, RunSummary& run)
    {
        QFile file(path);
        if (!file.exists())
            return;
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
            run.problems << QStringLiteral("robustness.csv cannot be read: %1").arg(file.errorString());
            return;
        }
        try {
            run.robustness = parseRobustnessCsv(QString::fromUtf8(file.readAll()), run.folder);
        } catch (const std::exception& e) {
            run.problems << QStringLiteral("robustness.csv: %1").arg(QString::fromUtf8(e.what()));
        }
    }

} // namespace

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

RunSummary readRun(const QString& folder)
{
    RunSummary run;
    run.folder = cleanFolder(folder);
    run.name = QFileInfo(run.folder).fileName();
    run.bestMiou = kNaN;
    const QDir dir(run.folder);
    const QString config = dir.filePath(QStringLiteral("config.json"));
    if (!QFileInfo(run.folder).isDir())
        throw Error("is not a folder", run.folder.toStdString(), "Choose a run folder written by training.");
    if (!QFileInfo::exists(config))
        throw Error("has no config.json: not a run folder", run.folder.toStdString(),
            "Choose a folder written by 'masksup train --out' or the Training panel.");
    readConfig(config, run);
    readMetrics(dir.filePath(QStringLiteral("metrics.jsonl")), run);
    run.hasBest = QFileInfo::exists(dir.filePath(QStringLiteral("checkpoints/best.pt")));
    run.hasLast = QFileInfo::exists(dir.filePath(QStringLiteral("checkpoints/last.pt")));
    if (!run.hasBest)
        run.problems << QStringLiteral("no checkpoints/best.pt");
    if (!run.hasLast)
        run.problems << QStringLiteral("no checkpoints/last.pt");
    readRobustness(dir.filePath(QStringLiteral("robustness.csv")), run);
    return run;
}

QVector<RunSummary> scanRuns(const QStringList& folders)
{
    QVector<RunSummary> runs;
    runs.reserve(folders.size());
    for (const QString& folder : folders) {
        try {
            runs << readRun(folder);
        } catch (const std::exception& e) {
            RunSummary r;
            r.folder = cleanFolder(folder);
            r.name = QFileInfo(r.folder).fileName();
            r.bestMiou = kNaN;
            r.problems << QString::fromUtf8(e.what());
            runs << r;
        }
    }
    return runs;
}

QStringList findRunFolders(const QString& parent)
{
    QStringList found;
    const QDir dir(parent);
    const QStringList children = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString& child : children) {
        const QString path = cleanFolder(dir.filePath(child));
        if (QFileInfo::exists(QDir(path).filePath(QStringLiteral("config.json"))))
            found << path;
    }
    return found;
}

} // namespace msup
