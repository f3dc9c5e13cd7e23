#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

namespace msup {

// The review state of one image, reserved for annotation (saved with the project).
struct ProjectImageState {
    bool reviewed = false;
    bool edited = false;
    QJsonObject extra; // keys this version does not know, kept as read
};

// A MaskSup Studio project (`.masksup`, JSON): the dataset and how it is opened, the split shown,
// the training form, the runs started from it, presets, view settings and per-image state. Paths
// are absolute in memory; in the file they are relative to the project's folder when they lie
// below it, else absolute.
struct Project {
    static constexpr int kFormatVersion = 1;

    int version = kFormatVersion;
    QString datasetPath; // folder (or NYUDv2 .mat file); empty = none
    QString datasetFormat = QStringLiteral("auto"); // "auto" or a --format name ("glas", "nyudv2-mat-13")
    QString split; // the official split shown, empty = all
    QJsonObject training; // msup::TrainConfig::toJson() keys (core/io does not depend on core/train)
    QStringList runFolders;
    QMap<QString, QJsonObject> presets; // presets the user saved: name -> TrainConfig keys
    QJsonObject view; // free-form view settings (tab, overlay opacity, outline, selected sample...)
    QMap<QString, ProjectImageState> images; // sample id -> review state
    QJsonObject extra; // top-level keys this version does not know, written back unchanged
    QJsonObject datasetExtra; // unknown keys of the "dataset" object

    // The file's bytes. Paths below the folder of `projectPath` are written relative to it
    // (empty `projectPath`: every path as it is).
    QByteArray toJson(const QString& projectPath = {}) const;
    // Parses a project file's bytes; relative paths are resolved against the folder of `path`,
    // which also names the file in errors. Throws msup::Error: JSON syntax (with the line), not
    // an object, a missing/unknown/newer format version, a key of the wrong type (named).
    static Project fromJson(const QByteArray& bytes, const QString& path);

    bool operator==(const Project& other) const;
    bool operator!=(const Project& other) const { return !(*this == other); }
};

// The project file's extension, without the dot.
inline QString projectFileSuffix()
{
    return QStringLiteral("masksup");
}

// Writes `project` to `path` atomically (temporary file renamed into place); creates the folder.
// Throws msup::Error naming the file.
void saveProject(const QString& path, const Project& project);
// Reads a project file. Throws msup::Error naming the file and what is wrong with it.
Project loadProject(const QString& path);

// `path` relative to `baseDir` when it lies in or below it, else absolute (cleaned, '/' separators).
QString projectRelativePath(const QString& baseDir, const QString& path);
// A stored path resolved against `baseDir` (absolute paths are kept), cleaned.
QString projectAbsolutePath(const QString& baseDir, const QString& path);

} // namespace msup
