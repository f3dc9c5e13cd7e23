#pragma once

#include "core/base/error.h"

#include <QByteArray>
#include <QImage>
#include <QString>

namespace cv {
class Mat;
}

namespace msup {

// How much room is left where `path` lives: "3.1 MB free of 64 MB on /mnt/runs" (the filesystem
// of the nearest existing folder above `path`), or "free space unknown" when it cannot be found.
QString freeSpaceText(const QString& path);

// A file of the user's could not be written (disk full, read-only folder, I/O error).
class WriteError : public Error {
public:
    using Error::Error;
};

// The one description of a failed write of a user's file: names the file, what failed and the
// system's reason, the free space on its filesystem and what to do. `previousKept`: the previous
// version of the file (if any) is unchanged, which the message says.
WriteError writeFailure(
    const QString& path, const QString& what, const QString& reason, bool previousKept = true);

// Writes through a temporary file in the same folder: every write, the flush and the fsync are
// checked, and only then is the temporary file renamed over `path` (QSaveFile). A crash or a full
// disk never leaves a half-written file, and the previous version stays intact on any failure.
// Throws writeFailure(...) naming the file and the free space.
void writeFileAtomic(const QString& path, const QByteArray& bytes);
void writeImageAtomic(const QString& path, const QImage& image, const char* format = "PNG");
// An OpenCV image (BGR or single channel), encoded in memory by the format of `path`'s suffix.
void writeMatAtomic(const QString& path, const cv::Mat& image);
// Creates `dir` (and parents) and checks that a file can be written in it.
void ensureWritableDir(const QString& dir);

} // namespace msup
