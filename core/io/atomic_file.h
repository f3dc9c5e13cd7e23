#pragma once

#include <QByteArray>
#include <QImage>
#include <QString>

namespace msup {

// Writes through a temporary file renamed into place (QSaveFile), so a crash never leaves a
// half-written file. Each throws msup::Error naming the file and what to do when it fails.
void writeFileAtomic(const QString& path, const QByteArray& bytes);
void writeImageAtomic(const QString& path, const QImage& image, const char* format = "PNG");
// Creates `dir` (and parents) and checks that a file can be written in it.
void ensureWritableDir(const QString& dir);

} // namespace msup
