#pragma once

#include "core/base/progress.h"
#include "core/train/inference_options.h"

#include <QColor>
#include <QImage>
#include <QString>
#include <QStringList>
#include <QVector>

namespace msup {

// What to predict and what to write: for every image `<name>_overlay.png` (the coloured overlay at
// the image's size, optionally with a title strip above and a legend strip below),
// `<name>_mask.png` (8-bit palette PNG, index = class id, palette = the class colours) and
// `<name>_prob.npy` (NumPy float32 C×H×W after sigmoid/softmax, as `masksup predict
// --save-probabilities`: S×S, the model's input size, when resizing; the scaled image's size with
// tiles) and `<name>_uncertainty.npy` + `<name>_uncertainty.png` (float32 H×W in [0, 1] at the
// image's size, and the same as a heat map: see PredictionMaps::uncertainty). <name> is the file name without
// its last extension; when two inputs share a name, the later ones get `-2`, `-3`, ... appended.
struct ExportOptions {
    QString checkpoint;
    QStringList inputs; // image files or folders (folders: their images, not recursive, sorted by name)
    QString outDir;
    bool overlay = true;
    bool labelMask = true;
    bool probabilities = false;
    double opacity = 0.5; // 0 = image only, 1 = label colours only
    bool legend = false; // a strip below the overlay: one swatch + name per class
    QString title; // a strip above the overlay; "%1" stands for the image's file name
    QString device = QStringLiteral("auto");
    int imageSize = 0; // model input size; 0 = the checkpoint's
    InferenceOptions inference; // resize (default) or tiles at native resolution; flip TTA
    bool uncertainty = false;
};

struct ExportSkip {
    QString file;
    QString reason;
};

struct ExportSummary {
    QString outDir; // absolute
    QStringList written; // absolute paths of every file written, in order
    QVector<ExportSkip> skipped; // inputs not exported (unreadable, missing, empty folder, write error)
    int imagesTotal = 0; // images found in the inputs
    int imagesExported = 0;
    int overwritten = 0; // files in `written` that replaced an existing file
    bool cancelled = false; // stopped by Progress::isCancelled() before every image was done
    double seconds = 0;
};

// The image files `inputs` stand for (folders expanded: png, jpg, jpeg, bmp, tif, tiff, case-insensitive,
// sorted by name; duplicates dropped). A folder of a recognised dataset layout (core/data/dataset.h:
// images/ + masks/, NNNNNN.png + NNNNNN_mask.png, GLaS, ...) stands for its images only, in the
// dataset's order: its masks and annotations are never predicted. Missing paths and folders
// without images go to `problems`.
QStringList collectExportImages(const QStringList& inputs, QVector<ExportSkip>* problems = nullptr);

// The output name stem of each image (file name without its last extension; `-2`, `-3`, ... for
// later images of the same name) and the files written for one stem.
QStringList exportStems(const QStringList& files);
QStringList plannedOutputs(const ExportOptions& options, const QString& outDir, const QString& stem);

// What an export would write, checked as exportPredictions checks it (see OutputFolder in
// output_guard.h), without writing anything: the GUI asks before replacing. Throws msup::Error
// naming the folder or the files when the export would be refused (the folder is or lies inside a
// dataset, or a file there was not written by masksup).
struct ExportPlan {
    QStringList images;
    QStringList outputs; // absolute paths
    int replaced = 0; // outputs that exist (earlier outputs of masksup, replaced by this export)
};
ExportPlan planExport(const ExportOptions& options);

// Predicts every image with one Predictor and writes the chosen files, each atomically. An image
// that cannot be read or written is listed in `skipped` with the reason; the others go on. Outputs
// never replace inputs: the output folder must not be (inside) a recognised dataset, and an existing
// file is replaced only when masksup wrote it there before (`.masksup-outputs.json` in the folder
// lists them); otherwise msup::Error names the files and nothing is written. `overwritten` counts
// the earlier outputs replaced.
// Progress is reported before each image (done = images finished so far, text = the image about to
// be predicted) and once at the end (done = total, no text); once cancelled, the export stops before
// the next image (the summary says cancelled). Throws msup::Error when
// the checkpoint cannot be loaded, the output folder cannot be written, no output is chosen, or the
// inputs hold no image at all.
ExportSummary exportPredictions(const ExportOptions& options, Progress& progress = noProgress());

// The overlay with a title strip above (when `title` is not empty) and a legend strip below (when
// `legend`): one colour swatch and name per class, wrapped over as many rows as the width needs.
// Returns `overlay` unchanged when neither is asked for. Text needs a QGuiApplication; without one
// (a console program) only the swatches are drawn.
QImage annotateOverlay(const QImage& overlay, const QString& title, bool legend,
    const QStringList& classNames, const QVector<QColor>& classColors);

} // namespace msup
