#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace msup {

// CRC-32 (IEEE 802.3: the checksum of PNG chunks, zip records and the label journal) of `size`
// bytes at `data`.
inline std::uint32_t crc32(const void* data, std::size_t size)
{
    static const auto table = [] {
        std::array<std::uint32_t, 256> t {};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    const auto* p = static_cast<const unsigned char*>(data);
    std::uint32_t c = 0xffffffffu;
    for (std::size_t i = 0; i < size; ++i)
        c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

} // namespace msup
