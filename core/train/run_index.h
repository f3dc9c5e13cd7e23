#pragma once

#include <QPair>
#include <QString>
#include <QStringList>
#include <QVector>

namespace msup {

// One line of a run's metrics (RunFolder::scanMetrics), as far as run comparison needs it. NaN where the line
// has null (e.g. an mIoU that could not be computed) or lacks the key.
struct EpochPoint {
    int epoch = 0;
    double loss = 0;
    double valMiou = 0;
    double lr = 0;
    double seconds = 0;
};

// What a run folder (written by TrainingSession::run, read through RunFolder) says about itself: its
// config, metrics, best and last checkpoints and, when the user saved one there, its robustness table.
struct RunSummary {
    QString folder; // absolute, clean path
    QString name; // the folder's name
    QString preset, mode, model;
    int width = 0;
    int epochsDone = 0; // epochs with a metrics line
    int epochsPlanned = 0; // the config's "epochs"
    int classCount = 0; // the config's "classes" (2: a binary task); 0 when unknown
    double bestMiou = 0; // NaN when no epoch is done
    int bestEpoch = 0; // 0 when no epoch is done
    double durationSeconds = 0; // sum of the epochs' seconds
    QString device; // the config's "device_resolved", else "device"
    // The arithmetic the run trained in: the config's "precision" (written by runs: float32, bf16 or
    // fp16), else what its "amp" fixes (bf16, fp16; off = float32); empty when unknown ("auto" or
    // "on" of a run that did not record its precision).
    QString precision;
    bool hasBest = false, hasLast = false;
    QVector<EpochPoint> curve; // by increasing epoch
    // (hole ratio, mIoU) by increasing ratio: the upper edge of each hole-ratio interval, 0 = clean.
    QVector<QPair<double, double>> robustness;
    // What is missing or could not be read, one sentence each (empty for a complete run).
    QStringList problems;

    bool isComplete() const { return epochsPlanned > 0 && epochsDone >= epochsPlanned; }
    bool isBinary() const { return classCount == 2; }
};

// Reads a run folder. Tolerates a run still being written: an unterminated last line of the
// metrics is ignored, missing or unreadable files become `problems`. Throws msup::Error only when
// `folder` holds no config (not a run folder).
RunSummary readRun(const QString& folder);

// readRun for each folder, in order. A folder that is not a run gives a summary with its folder,
// name and the error as its only problem (never throws).
QVector<RunSummary> scanRuns(const QStringList& folders);

// The immediate sub-folders of `parent` that are run folders (RunFolder::isRunFolder), as absolute
// paths sorted by name.
QStringList findRunFolders(const QString& parent);

} // namespace msup
