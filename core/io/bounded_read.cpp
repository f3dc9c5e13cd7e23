#include "core/io/bounded_read.h"

#include <QIODevice>

namespace msup {

bool readAllCapped(QIODevice& device, qint64 cap, QByteArray* bytes)
{
    bytes->clear();
    if (!device.isSequential()) {
        if (device.size() > cap)
            return false;
        *bytes = device.readAll();
        return bytes->size() <= cap;
    }
    while (bytes->size() <= cap) {
        const QByteArray chunk = device.read(qint64(1) << 16);
        if (chunk.isEmpty())
            break;
        *bytes += chunk;
    }
    return bytes->size() <= cap;
}

} // namespace msup
