#include "core/io/npy.h"

#include "core/base/error.h"
#include "core/io/atomic_file.h"

#include <QByteArray>
#include <QtEndian>

namespace msup {

void writeNpyFloat32(
    const QString& path, const std::vector<float>& data, const std::vector<std::int64_t>& shape)
{
    std::int64_t count = 1;
    QByteArray dims;
    for (std::int64_t d : shape) {
        count *= d;
        dims += QByteArray::number(qlonglong(d)) + ", ";
    }
    if (count != std::int64_t(data.size()))
        throw Error("npy: the shape does not match the number of values", path.toStdString());
    dims.chop(shape.size() > 1 ? 2 : 1); // "(3, 4, 5)", but "(7,)" for one dimension
    QByteArray header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64
    // and ended by a newline.
    const int unpadded = 10 + int(header.size()) + 1;
    header += QByteArray((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    QByteArray bytes("\x93NUMPY\x01\x00", 8);
    const quint16 len = qToLittleEndian(quint16(header.size()));
    bytes.append(reinterpret_cast<const char*>(&len), 2);
    bytes += header;
    for (float v : data) {
        const float le = qToLittleEndian(v);
        bytes.append(reinterpret_cast<const char*>(&le), 4);
    }
    writeFileAtomic(path, bytes);
}

} // namespace msup
