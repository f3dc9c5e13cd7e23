#include "core/io/bounded_read.h"

#include "core/base/error.h"

#include <QFile>
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

QByteArray readFileCapped(const QString& path, qint64 cap, const char* kind,
    const std::string& unreadableHint, const std::string& largeHint)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw Error("cannot be read: " + f.errorString().toStdString(), path.toStdString(), unreadableHint);
    QByteArray bytes;
    if (!readAllCapped(f, cap, &bytes))
        throw Error(
            std::string("is larger than ") + kind + " can be (at most " + std::to_string(cap >> 20) + " MiB)",
            path.toStdString(), largeHint);
    return bytes;
}

} // namespace msup
