#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace msup {

// Writes a NumPy .npy file (format 1.0): little-endian float32 ('<f4'), C order, the given shape.
// Readable with numpy.load. Written atomically; throws msup::Error naming the file.
void writeNpyFloat32(
    const QString& path, const std::vector<float>& data, const std::vector<std::int64_t>& shape);

} // namespace msup
