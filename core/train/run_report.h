#pragma once

#include <QSize>
#include <QString>
#include <QStringList>

#include "core/base/progress.h"

namespace msup {

// What writeRunReport() reads besides the run folder.
struct ReportOptions {
    // The dataset the example overlays are drawn from; empty = the run config's "dataset".
    QString datasetRoot;
    // Validation images predicted with checkpoints/best.pt and shown as image | ground truth |
    // prediction | error mode, spread evenly over the run's validation split (0 = none).
    int examples = 4;
    QString device = QStringLiteral("cpu");
};

struct ReportResult {
    QString outputPath; // absolute; empty when cancelled
    bool pdf = false;
    bool cancelled = false;
    int charts = 0; // chart images in the report
    int examples = 0; // example overlays in the report
    // What the report leaves out and why (also written in the report), e.g. "no checkpoint".
    QStringList notes;
    qint64 bytes = 0; // size of the written file
    double seconds = 0;
};

// Writes a report of a training run: title (run, dataset, model, mode, preset, device, dates,
// duration), charts drawn with QPainter (loss terms, validation mIoU / Dice / pixel accuracy,
// per-class IoU and learning rate per epoch; the robustness curve when the run folder holds a
// robustness table), the final- and best-epoch metrics, the per-class IoU of the best epoch, the confusion
// matrix of the best epoch as a heatmap (and a table for up to 10 classes), example overlays and,
// for a binary run, the GlaS object metrics of checkpoints/best.pt on the validation split (object F1
// with TP/FP/FN, object Dice, object Hausdorff, per-image Dice, HD95; runObjectMetrics in
// core/train/evaluator.h: stored in the run folder, else evaluated once and stored there).
// `outputPath` ending in .html/.htm gives one self-contained HTML file (images as base64 PNG data
// URIs); .pdf gives an A4 PDF with the same content. The file is written atomically.
//
// Needs a QGuiApplication (text is drawn with fonts); may run on a worker thread. Throws
// msup::Error: run folder missing or not a run, metrics missing, empty or with a line that is not
// an epoch's metrics (file and line named, see RunFolder::readMetrics), dataset not found (with the hint to
// pass
// --dataset), unwritable output, unknown extension. A run without checkpoint gives a report
// without examples that says so.
//
// Progress is reported before each step (done = steps finished, text = the step about to run) and
// once at the end (done = total), from the thread that runs writeRunReport(). Cancel is checked
// between steps: once cancelled nothing is written and the result says cancelled.
ReportResult writeRunReport(const QString& runFolder, const QString& outputPath,
    const ReportOptions& options = {}, Progress& progress = noProgress());

// The dataset a run was trained on (its config's "dataset"), empty when the folder has no readable
// config. The GUI asks for another folder when this one is gone.
QString runDatasetPath(const QString& runFolder);

// Each example overlay is one PNG of four panels side by side (image, ground truth, prediction,
// error mode), each the image scaled to fit kReportExamplePanel² keeping its aspect ratio, with
// kReportExampleGap white pixels between panels.
constexpr int kReportExamplePanel = 256;
constexpr int kReportExampleGap = 8;
// The size of the example PNG of an image of `imageSize`.
QSize reportExampleSize(const QSize& imageSize);

} // namespace msup
