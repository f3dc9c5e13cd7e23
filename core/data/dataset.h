#pragma once

#include <QColor>
#include <QHash>
#include <QRect>
#include <QString>
#include <QStringList>
#include <QVector>

namespace msup {

// A dataset layout (Kvasir-SEG, GLaS, ...): see core/data/formats/format_registry.h.
struct DatasetFormat;

// How a mask file encodes classes.
enum class LabelEncoding {
    BinaryThreshold, // grey or colour mask, >= 128 is foreground (class 1)
    ClassIndex, // palette or grey index = class, the dataset's ignore index = void
    InstanceIds, // palette index = object instance (0 = background): binarised to class 1
    Lookup // raw label value v (8- or 16-bit) -> Dataset::labelLut[v] (a class or the ignore index)
};

// The format's --format name ("kvasir-seg"); "unknown" for none.
QString formatName(const DatasetFormat* format);

struct Sample {
    QString id; // file stem shared by image and mask
    QString imagePath; // absolute
    QString maskPath; // absolute
    QString split; // official split ("train", "testA", ...) or empty when the format has none
    QString info; // per-image note shown to the user (e.g. the GLaS grade)
    // 1-based frame inside a container file (NYUDv2 nyu_depth_v2_labeled.mat), where imagePath and
    // maskPath both name that file; -1 for samples stored as image files.
    int frame = -1;
    // Object boxes given with the dataset (Kvasir-SEG kavsir_bboxes.json), in image pixels.
    QVector<QRect> boxes;
    // A hand correction (core/annot: lossless 8-bit PNG of class indices, 255 = void) that replaces
    // maskPath when labels are decoded; empty when the original mask is used.
    QString correctionPath {};
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
    const DatasetFormat* format = nullptr; // the layout it was indexed as (an entry of datasetFormats())
    LabelEncoding encoding = LabelEncoding::BinaryThreshold;
    QStringList officialSplits; // in order, training split first; empty when the format has none
    QStringList classNames;
    QVector<QColor> classColors;
    int ignoreIndex = 255;
    // For LabelEncoding::Lookup: class (or ignoreIndex) of each raw label value; a raw value beyond
    // the table is an error naming the file.
    QVector<quint8> labelLut;
    // The --format value that reopens this dataset exactly as it is (e.g. "nyudv2-mat-13").
    QString formatSpec;
    QVector<Sample> samples;
    QVector<DatasetProblem> problems; // pairs skipped and why, never silently dropped

    int numClasses() const { return classNames.size(); }
    bool isBinary() const { return classNames.size() == 2; }
    // Output channels of a model for this dataset: 1 (sigmoid) for binary, K otherwise.
    int modelOutputChannels() const { return isBinary() ? 1 : numClasses(); }
};

// Detects the layout of `path` (the dataset folder, or a parent holding exactly one such folder,
// e.g. the "Kvasir-SEG" folder of the download; or the NYUDv2 .mat file itself) and indexes its pairs. Throws
// msup::Error naming the folder and what a dataset folder must contain when nothing is recognised.
Dataset openDataset(const QString& path);
// Whether `dir` itself is the root of a dataset with at least one pair: only its own layout is
// looked at (never its sub-folders, unlike openDataset), so asking it of a large folder such as a
// home folder or /tmp costs a few file-name checks. Fills `out` when given. Never throws.
bool isDatasetRoot(const QString& dir, Dataset* out = nullptr);

// GLaS Grade.csv (CRLF, spaces after commas): image name -> "grade (GlaS) (grade of
// Sirinukunwattana et al.)", e.g. "benign (adenomatous)". Unreadable or malformed lines become
// warnings naming the line; the rest is still read.
struct GlasGrades {
    QHash<QString, QString> gradeByName;
    QVector<DatasetProblem> problems;
};
GlasGrades readGlasGrades(const QString& file);

// Kvasir-SEG's kavsir_bboxes.json ({"<id>": {"height": H, "width": W, "bbox": [{"label": "polyp",
// "xmin": .., "ymin": .., "xmax": .., "ymax": ..}]}}): boxes by image id. A malformed file or entry
// becomes a warning naming the file (and the entry); the rest is still read.
struct KvasirBoxes {
    QHash<QString, QVector<QRect>> boxesById;
    QVector<DatasetProblem> problems;
};
KvasirBoxes readKvasirBoxes(const QString& file);

// openDataset(path) when `format` is empty or "auto"; else indexes `path` as that format without
// detection (a --format value, see findDatasetFormat()), throwing msup::Error when the folder does not
// have its layout. An unknown name throws msup::Error listing the accepted ones.
Dataset openDataset(const QString& path, const QString& format);

// Reads `classes.json` ({"classes": [{"name": "...", "color": "#rrggbb"}, ...]}) when present:
// 2 to 255 classes (masks are 8-bit, 255 is void), unique names, a file of at most 1 MiB; false
// with *error saying what is wrong otherwise.
bool readClassesJson(const QString& file, QStringList* names, QVector<QColor>* colors, QString* error);
void writeClassesJson(const QString& file, const QStringList& names, const QVector<QColor>& colors);

} // namespace msup
