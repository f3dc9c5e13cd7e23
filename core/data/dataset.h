#pragma once

#include <QColor>
#include <QString>
#include <QStringList>
#include <QVector>

namespace msup {

enum class DatasetFormat {
    KvasirSeg, // images/ + masks/ (binary masks; JPEG masks are thresholded at 128)
    SceneLabels // NNNNNN.png + NNNNNN_mask.png palette PNGs (indices = classes, 255 = void)
};

QString formatName(DatasetFormat format);

struct Sample {
    QString id; // file stem shared by image and mask
    QString imagePath; // absolute
    QString maskPath; // absolute
};

struct DatasetProblem {
    enum class Severity { Warning, Error };
    Severity severity = Severity::Error;
    QString file; // the file concerned
    QString message; // what is wrong
    QString fix; // what to do
    QString toString() const;
};

// A dataset as indexed on disk: which pairs exist and which classes they use. Nothing is decoded
// here; indexing a folder of 1,000 pairs reads directory entries only.
struct Dataset {
    QString root;
    DatasetFormat format = DatasetFormat::KvasirSeg;
    QStringList classNames;
    QVector<QColor> classColors;
    int ignoreIndex = 255;
    QVector<Sample> samples;
    QVector<DatasetProblem> problems; // pairs skipped and why, never silently dropped

    int numClasses() const { return classNames.size(); }
    bool isBinary() const { return classNames.size() == 2; }
    // Output channels of a model for this dataset: 1 (sigmoid) for binary, K otherwise.
    int modelOutputChannels() const { return isBinary() ? 1 : numClasses(); }
};

// Detects the layout of `path` (the dataset folder, or a parent holding exactly one such folder,
// e.g. the "Kvasir-SEG" folder of the download) and indexes its pairs. Throws msup::Error naming
// the folder and what a dataset folder must contain when nothing is recognised.
Dataset openDataset(const QString& path);

// Reads `classes.json` ({"classes": [{"name": "...", "color": "#rrggbb"}, ...]}) when present.
bool readClassesJson(const QString& file, QStringList* names, QVector<QColor>* colors, QString* error);
void writeClassesJson(const QString& file, const QStringList& names, const QVector<QColor>& colors);

} // namespace msup
