#pragma once

#include <QByteArray>

class QIODevice;

namespace msup {

// Reads an opened file (or any device) whole, but never more than `cap` bytes plus one chunk: a
// regular file is judged by its size before anything is read, anything else (/dev/zero, a pipe, a
// FIFO given by mistake) chunk by chunk. Returns false, with `*bytes` holding what was read, when
// the content is longer than `cap`; the caller names the file and the limit in its message.
bool readAllCapped(QIODevice& device, qint64 cap, QByteArray* bytes);

} // namespace msup
