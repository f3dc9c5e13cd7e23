#include "core/train/run_index.h"

#include "core/base/error.h"
#include "core/train/run_folder.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>

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

    QString cleanFolder(const QString& folder)
    {
        return QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    }

    void readConfig(const RunFolder& folder, RunSummary& run)
    {
        QString problem;
        const QJsonObject c = folder.readConfig(&problem);
        if (!problem.isEmpty()) {
            run.problems << problem;
            return;
        }
        run.preset = c.value(QStringLiteral("preset")).toString();
        run.mode = c.value(QStringLiteral("mode")).toString();
        run.model = c.value(QStringLiteral("model")).toString();
        run.width = c.value(QStringLiteral("width")).toInt();
        run.epochsPlanned = c.value(QStringLiteral("epochs")).toInt();
        run.classCount = int(c.value(QStringLiteral("classes")).toArray().size());
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

    void readMetrics(const RunFolder& folder, RunSummary& run)
    {
        QMap<int, EpochPoint> byEpoch; // a repeated epoch (a resumed run) keeps its last line
        for (const QJsonObject& o : folder.scanMetrics(&run.problems)) {
            EpochPoint p;
            p.epoch = o.value(QStringLiteral("epoch")).toInt();
            p.loss = numberOr(o, "loss", kNaN);
            p.valMiou = numberOr(o, "val_miou", kNaN);
            p.lr = numberOr(o, "lr", kNaN);
            p.seconds = numberOr(o, "seconds", 0);
            byEpoch.insert(p.epoch, p);
        }
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

} // namespace

RunSummary readRun(const QString& folder)
{
    RunSummary run;
    run.folder = cleanFolder(folder);
    run.name = QFileInfo(run.folder).fileName();
    run.bestMiou = kNaN;
    const RunFolder files(run.folder);
    if (!QFileInfo(run.folder).isDir())
        throw Error("is not a folder", run.folder.toStdString(), "Choose a run folder written by training.");
    if (!files.has(RunFile::Config))
        throw Error("has no " + RunFolder::fileName(RunFile::Config).toStdString() + ": not a run folder",
            run.folder.toStdString(),
            "Choose a folder written by 'masksup train --out' or the Training panel.");
    readConfig(files, run);
    readMetrics(files, run);
    run.hasBest = files.has(RunFile::BestCheckpoint);
    run.hasLast = files.has(RunFile::LastCheckpoint);
    if (!run.hasBest)
        run.problems << QStringLiteral("no %1").arg(RunFolder::fileName(RunFile::BestCheckpoint));
    if (!run.hasLast)
        run.problems << QStringLiteral("no %1").arg(RunFolder::fileName(RunFile::LastCheckpoint));
    QString robustnessProblem;
    run.robustness = files.readRobustness(&robustnessProblem);
    if (!robustnessProblem.isEmpty())
        run.problems << robustnessProblem;
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
        if (RunFolder::isRunFolder(path))
            found << path;
    }
    return found;
}

} // namespace msup
