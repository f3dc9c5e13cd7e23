#pragma once

#include <QByteArray>
#include <QString>

#include <string>

class QIODevice;

namespace msup {

// Reads an opened file (or any device) whole, but never more than `cap` bytes plus one chunk: a
// regular file is judged by its size before anything is read, anything else (/dev/zero, a pipe, a
// FIFO given by mistake) chunk by chunk. Returns false, with `*bytes` holding what was read, when
// the content is longer than `cap`; the caller names the file and the limit in its message.
bool readAllCapped(QIODevice& device, qint64 cap, QByteArray* bytes);

// Reads the file at `path` whole with readAllCapped, throwing msup::Error that names the file:
// "cannot be read: <reason>" (hint `unreadableHint`) or "is larger than <kind> can be (at most
// N MiB)" (hint `largeHint`; `cap` is a whole number of MiB).
QByteArray readFileCapped(const QString& path, qint64 cap, const char* kind,
    const std::string& unreadableHint, const std::string& largeHint);

} // namespace msup
