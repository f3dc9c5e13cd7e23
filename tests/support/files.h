#pragma once
// Test support: reading, writing and comparing files and folders, and the shared/ samples.

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace msup::test {

// The whole file, or empty when it cannot be read.
QByteArray readAll(const QString& path);
// Writes `bytes` to `path` (replacing it), making the parent folders; false when any step fails.
bool writeAll(const QString& path, const QByteArray& bytes);
// SHA-256 of the file's bytes; empty when it cannot be read.
QByteArray fileHash(const QString& path);
// Every file below `dir` (hidden ones too), relative paths, sorted.
QStringList filesIn(const QString& dir);
// Every file below `dir` by relative path → its bytes: compare two of these to show nothing changed.
QHash<QString, QByteArray> folderBytes(const QString& dir);
// The JSON object in the file; empty when it cannot be read or is not an object.
QJsonObject readJsonObject(const QString& path);
bool writeJsonObject(const QString& path, const QJsonObject& object);
// The non-empty lines of a JSON-lines file as objects (a line that is not an object gives {}).
QList<QJsonObject> jsonLines(const QString& path);
// `sub` inside ../shared (the real dataset samples beside the checkout); tests that need it skip
// when it is missing.
QString sharedDir(const QString& sub = {});
// Keeps the user's settings and data folders out of a suite: QStandardPaths' test mode, an
// organisation and application name of the suite's own, its settings cleared.
void isolateSettings(const QString& suite);

} // namespace msup::test
