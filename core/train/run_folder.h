#pragma once

#include <QJsonObject>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace msup {

struct Split;
struct ValidationErrors;

// The files a run folder holds. TrainingSession::run writes all but the robustness table, which the
// user saves there ('masksup robustness ... --csv' or the Robustness panel's CSV export), and the
// object metrics, which runObjectMetrics (core/train/evaluator.h) stores for the report and the
// Runs panel.
enum class RunFile {
    Config, // config.json: TrainConfig::toJson plus what the run found (classes, counts, device,
            // precision, the pairs it skipped under "skipped")
    Split, // split.json: the train/validation split by sample id (saveSplit)
    Metrics, // metrics.jsonl: one EpochMetrics::toJson line per validated epoch
    MetricsCsv, // metrics.csv: the same as a table, per-class IoU as iou_<class>
    ValidationErrors, // val_errors.json: each validation image's confusion cells, latest epoch only
    Robustness, // robustness.csv: mIoU under masking per hole ratio (RobustnessResult::toCsv)
    Checkpoints, // checkpoints/: the folder of the two checkpoints
    BestCheckpoint, // checkpoints/best.pt: the weights of the best validated epoch
    LastCheckpoint, // checkpoints/last.pt: weights and training state to resume from
    ObjectMetrics, // object_metrics.json: the GlaS object metrics of best.pt on the validation split
                   // of a binary run (RunObjectMetrics)
};

// What a binary run's best checkpoint scores on the run's validation split with the GlaS challenge's
// object metrics (core/train/object_metrics.h), stored in RunFile::ObjectMetrics so that the report
// and the Runs panel evaluate a checkpoint once.
struct RunObjectMetrics {
    QString checkpointStamp; // RunFolder::bestCheckpointStamp() of the checkpoint evaluated
    QString split; // "val"
    int images = 0;
    double objectF1 = 0, objectDice = 0, objectHausdorff = 0; // Hausdorff in pixels
    int truePositives = 0, falsePositives = 0, falseNegatives = 0;
    // Per-image foreground Dice and the mean HD95 (pixels); NaN where undefined.
    double diceMean = 0, diceMedian = 0, diceMin = 0, diceMax = 0, hd95Mean = 0;
};

// A training run's folder: the only code that knows the names and the formats of its files. Reading
// never changes a file; every writer writes a temporary file and renames it into place
// (writeFileAtomic), so a crash or a full disk leaves the previous version intact.
class RunFolder {
public:
    explicit RunFolder(const QString& dir);

    // The file's path relative to a run folder ("checkpoints/best.pt"), for messages and help text.
    static QString fileName(RunFile file);
    // Whether `dir` holds a config: what makes a folder a run folder (a run writes it first).
    static bool isRunFolder(const QString& dir);

    const QString& dir() const { return m_dir; }
    // Where the file is (or would be), e.g. to name it to the user or hand a checkpoint on.
    QString path(RunFile file) const;
    bool has(RunFile file) const;

    // ---- config ----
    // The config's JSON object; empty when it is missing, unreadable or not an object, which
    // *problem (when given) then describes in one sentence naming the file.
    QJsonObject readConfig(QString* problem = nullptr) const;
    void writeConfig(const QJsonObject& config) const;

    // ---- split ----
    // loadSplit / saveSplit of the run's split (see core/data/split.h). Throws msup::Error.
    Split readSplit(const QStringList& ids) const;
    void writeSplit(const Split& split, const QStringList& ids) const;

    // ---- metrics ----
    // The epochs' lines, in file order, as a run still being written allows: a line that is not an
    // epoch's metrics is skipped and described in *problems, silently when it is the unterminated
    // last one (a line still being written). A missing or unreadable file gives no lines and a problem.
    QVector<QJsonObject> scanMetrics(QStringList* problems = nullptr) const;
    // Every epoch by increasing epoch (a repeated epoch, from a resumed run, keeps its last line).
    // An unterminated last line that is not JSON is a line still being written: left out and noted
    // in *notes. Throws msup::Error naming the file when it is missing or unreadable, holds a damaged
    // line or no epoch at all.
    QVector<QJsonObject> readMetrics(QStringList* notes) const;
    // The lines to keep when resuming after `upToEpoch` completed epochs: every complete line of an
    // epoch up to `upToEpoch` (later ones are recomputed). A last line cut short (a write interrupted
    // by a crash or a full disk) is dropped and described in *note; a damaged line before the last
    // throws msup::Error naming the file and the line (the file is not changed then). A missing
    // file gives no lines.
    QVector<QJsonObject> readMetricsForResume(int upToEpoch, QString* note) const;
    // Replaces the metrics (JSON lines and the CSV table, in that order) with `epochs`; the table
    // has one iou_<class> column per class of `classNames`.
    void writeMetrics(const QVector<QJsonObject>& epochs, const QStringList& classNames) const;

    // ---- validation errors ----
    // Throws msup::Error naming the file (missing: "no validation has finished yet"; unreadable;
    // not a validation error file).
    ValidationErrors readValidationErrors() const;
    void writeValidationErrors(const ValidationErrors& errors) const;

    // ---- robustness ----
    // The (hole ratio, mIoU) points of the robustness table (see parseRobustnessCsv): empty when
    // there is none; empty with *problem set when it cannot be read or parsed.
    QVector<QPair<double, double>> readRobustness(QString* problem) const;

    // ---- object metrics ----
    // The best checkpoint's size and modification time, which tie stored object metrics to it; empty
    // without a best checkpoint.
    QString bestCheckpointStamp() const;
    // The stored object metrics when they are those of the current best checkpoint, else nothing
    // (no file, a file that cannot be read, or metrics of an earlier best checkpoint).
    std::optional<RunObjectMetrics> readObjectMetrics() const;
    // Throws msup::Error naming the file when it cannot be written.
    void writeObjectMetrics(const RunObjectMetrics& metrics) const;

private:
    QString m_dir;
};

// The (ratio, mIoU) points of a robustness CSV's text (RobustnessResult::toCsv, or the Robustness
// panel's export with a first "checkpoint" column: the rows of the first checkpoint inside
// `runFolder`, else of the first checkpoint). Throws msup::Error when the columns are missing.
QVector<QPair<double, double>> parseRobustnessCsv(const QString& text, const QString& runFolder = {});

} // namespace msup
