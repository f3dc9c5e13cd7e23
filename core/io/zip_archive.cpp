#include "core/io/zip_archive.h"

#include "core/base/error.h"

#include <QFile>

#include <algorithm>
#include <set>
#include <utility>
#include <zlib.h>

namespace msup {

namespace {
    constexpr std::uint32_t kLocalSig = 0x04034b50;
    constexpr std::uint32_t kCentralSig = 0x02014b50;
    constexpr std::uint32_t kEndSig = 0x06054b50;
    constexpr std::uint32_t kEnd64Sig = 0x06064b50;
    constexpr std::uint32_t kEnd64LocatorSig = 0x07064b50;
    constexpr std::uint64_t kMaxEntries = std::uint64_t(1) << 20;

    std::uint64_t le(const char* p, int n)
    {
        std::uint64_t v = 0;
        for (int i = 0; i < n; ++i)
            v |= std::uint64_t(std::uint8_t(p[i])) << (8 * i);
        return v;
    }
} // namespace

std::uint32_t zipCrc32(const char* data, std::uint64_t size)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    while (size > 0) {
        const uInt chunk = size > (1u << 30) ? (1u << 30) : uInt(size);
        crc = crc32(crc, reinterpret_cast<const Bytef*>(data), chunk);
        data += chunk;
        size -= chunk;
    }
    return std::uint32_t(crc);
}

ZipArchive::ZipArchive(const QString& path, std::string hint)
    : m_file(std::make_unique<QFile>(path))
    , m_name(path.toStdString())
    , m_hint(std::move(hint))
{
    if (!m_file->open(QIODevice::ReadOnly))
        throw Error("cannot be opened: " + m_file->errorString().toStdString(), m_name, m_hint);
    m_size = std::uint64_t(m_file->size());
    if (m_size > 0) {
        m_data = reinterpret_cast<const char*>(m_file->map(0, qint64(m_size)));
        if (!m_data)
            throw Error("cannot be read: " + m_file->errorString().toStdString(), m_name, m_hint);
    }
    parse();
}

ZipArchive::ZipArchive(const char* data, std::uint64_t size, std::string name, std::string hint)
    : m_data(data)
    , m_size(size)
    , m_name(std::move(name))
    , m_hint(std::move(hint))
{
    parse();
}

ZipArchive::~ZipArchive() = default;

void ZipArchive::fail(const std::string& message) const
{
    throw Error(message, m_name, m_hint);
}

const ZipEntry* ZipArchive::find(const std::string& name) const
{
    for (const ZipEntry& e : m_entries)
        if (e.name == name)
            return &e;
    return nullptr;
}

void ZipArchive::parse()
{
    if (m_size < 22)
        fail("is not a zip archive (too short)");
    // The end-of-central-directory record: the last 22 bytes plus a comment of up to 64 KiB.
    std::uint64_t end = m_size; // position of the EOCD record
    const std::uint64_t lowest = m_size - 22 > 0xffff ? m_size - 22 - 0xffff : 0;
    for (std::uint64_t i = m_size - 22 + 1; i-- > lowest;) {
        if (le(m_data + i, 4) == kEndSig && i + 22 + le(m_data + i + 20, 2) <= m_size) {
            end = i;
            break;
        }
    }
    if (end == m_size)
        fail("could not be read as a zip archive: it is truncated or not one (no end of central directory)");
    const char* e = m_data + end;
    std::uint64_t disk = le(e + 4, 2), cdDisk = le(e + 6, 2);
    std::uint64_t count = le(e + 10, 2), cdSize = le(e + 12, 4), cdOffset = le(e + 16, 4);
    std::uint64_t limit = end; // the central directory ends before this
    if (end >= 20 && le(m_data + end - 20, 4) == kEnd64LocatorSig) {
        const std::uint64_t at = le(m_data + end - 12, 8);
        if (at > end - 20 || end - 20 - at < 56 || le(m_data + at, 4) != kEnd64Sig)
            fail("has a damaged zip64 end of central directory");
        const char* z = m_data + at;
        disk = le(z + 16, 4);
        cdDisk = le(z + 20, 4);
        count = le(z + 32, 8);
        cdSize = le(z + 40, 8);
        cdOffset = le(z + 48, 8);
        limit = at;
    }
    if (disk != 0 || cdDisk != 0)
        fail("is a multi-volume zip archive, which is not supported");
    if (cdOffset > limit || cdSize > limit - cdOffset)
        fail("has a central directory outside the file (truncated?)");
    if (count > kMaxEntries || count > cdSize / 46)
        fail("declares " + std::to_string(count) + " records, more than its central directory holds");

    std::set<std::string> names;
    m_entries.reserve(std::size_t(count));
    std::uint64_t pos = cdOffset;
    const std::uint64_t cdEnd = cdOffset + cdSize;
    for (std::uint64_t k = 0; k < count; ++k) {
        if (cdEnd - pos < 46 || le(m_data + pos, 4) != kCentralSig)
            fail("has a damaged central directory (record " + std::to_string(k) + ")");
        const char* c = m_data + pos;
        ZipEntry z;
        z.flags = int(le(c + 8, 2));
        z.method = int(le(c + 10, 2));
        z.crc32 = std::uint32_t(le(c + 16, 4));
        z.compressedSize = le(c + 20, 4);
        z.size = le(c + 24, 4);
        const std::uint64_t nameLen = le(c + 28, 2), extraLen = le(c + 30, 2), commentLen = le(c + 32, 2);
        const std::uint64_t diskStart = le(c + 34, 2);
        z.headerOffset = le(c + 42, 4);
        if (cdEnd - pos - 46 < nameLen + extraLen + commentLen)
            fail("has a damaged central directory (record " + std::to_string(k) + ")");
        z.name.assign(c + 46, std::size_t(nameLen));
        // zip64 extended information: the 64-bit values of the fields set to 0xffffffff, in order.
        const char* x = c + 46 + nameLen;
        std::uint64_t xpos = 0;
        while (extraLen - xpos >= 4) {
            const std::uint64_t id = le(x + xpos, 2), len = le(x + xpos + 2, 2);
            if (len > extraLen - xpos - 4)
                fail("has a damaged extra field in record '" + z.name + "'");
            if (id == 0x0001) {
                const char* f = x + xpos + 4;
                std::uint64_t used = 0;
                auto next = [&](std::uint64_t* v) {
                    if (*v != 0xffffffffu)
                        return;
                    if (len - used < 8)
                        fail("has a damaged zip64 field in record '" + z.name + "'");
                    *v = le(f + used, 8);
                    used += 8;
                };
                next(&z.size);
                next(&z.compressedSize);
                next(&z.headerOffset);
            }
            xpos += 4 + len;
        }
        if (diskStart != 0 && diskStart != 0xffff)
            fail("is a multi-volume zip archive, which is not supported");
        if (z.flags & 1)
            fail("holds an encrypted record '" + z.name + "'");
        if (!names.insert(z.name).second)
            fail("holds the record '" + z.name + "' twice");
        // The local header, and the data behind it, before the central directory.
        if (z.headerOffset > cdOffset || cdOffset - z.headerOffset < 30
            || le(m_data + z.headerOffset, 4) != kLocalSig)
            fail("has a damaged local header for record '" + z.name + "'");
        const char* l = m_data + z.headerOffset;
        const std::uint64_t localName = le(l + 26, 2), localExtra = le(l + 28, 2);
        z.dataOffset = z.headerOffset + 30 + localName + localExtra;
        if (z.dataOffset > cdOffset || z.compressedSize > cdOffset - z.dataOffset)
            fail("record '" + z.name
                + "' reaches past the end of its data (the file is truncated or damaged)");
        if (localName != nameLen || std::string(l + 30, std::size_t(localName)) != z.name)
            fail("has a local header that disagrees with the directory for record '" + z.name + "'");
        m_entries.push_back(std::move(z));
        pos += 46 + nameLen + extraLen + commentLen;
    }
}

void ZipArchive::verifyStored(const ZipEntry& z, std::uint64_t maxInflated) const
{
    if (z.method == 8 && maxInflated > 0) {
        if (z.size > maxInflated)
            fail("record '" + z.name + "' is compressed and declares " + std::to_string(z.size)
                + " bytes, more than such a record holds");
        std::vector<char> out(std::size_t(z.size) + 1);
        z_stream s {};
        if (inflateInit2(&s, -MAX_WBITS) != Z_OK)
            fail("record '" + z.name + "' cannot be inflated");
        s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data(z)));
        s.avail_in = uInt(std::min<std::uint64_t>(z.compressedSize, 1u << 30));
        s.next_out = reinterpret_cast<Bytef*>(out.data());
        s.avail_out = uInt(out.size());
        const int rc = inflate(&s, Z_FINISH);
        const std::uint64_t produced = s.total_out;
        inflateEnd(&s);
        if (rc != Z_STREAM_END || produced != z.size)
            fail("record '" + z.name + "' is damaged (it does not inflate to its declared size)");
        if (zipCrc32(out.data(), z.size) != z.crc32)
            fail("record '" + z.name + "' is damaged (its CRC-32 does not match its data)");
        return;
    }
    if (z.method != 0)
        fail("record '" + z.name + "' is compressed (method " + std::to_string(z.method)
            + "); torch.save and LibTorch store records uncompressed, so the file was not written by them");
    if (z.compressedSize != z.size)
        fail("record '" + z.name + "' declares inconsistent sizes (" + std::to_string(z.compressedSize)
            + " and " + std::to_string(z.size) + " bytes)");
    const std::uint32_t crc = zipCrc32(data(z), z.size);
    if (crc != z.crc32)
        fail("record '" + z.name + "' is damaged (its CRC-32 does not match its data)");
}

void ZipArchive::verifyAllStored() const
{
    for (const ZipEntry& z : m_entries)
        verifyStored(z);
}

namespace {
    void put(QByteArray& b, std::uint64_t value, int bytes)
    {
        for (int i = 0; i < bytes; ++i)
            b.append(char((value >> (8 * i)) & 0xff));
    }

    // 1980-01-01 00:00 in MS-DOS format: the same bytes for the same weights.
    constexpr std::uint16_t kDosTime = 0;
    constexpr std::uint16_t kDosDate = (1 << 5) | 1;
    constexpr std::uint64_t kNoZip64 = 0xffffffffu;
} // namespace

void ZipWriter::add(const std::string& name, const char* data, std::uint64_t size)
{
    if (name.empty() || name.size() > 0xffff)
        throw Error("zip record name '" + name + "' is empty or too long");
    for (const Record& r : m_records)
        if (r.name == name)
            throw Error("zip record '" + name + "' is written twice");
    if (m_records.size() + 1 >= 0xffff)
        throw Error("an archive of more than 65,534 records needs zip64, which this writer does not write");
    Record r;
    r.name = name;
    r.crc32 = zipCrc32(data, size);
    r.size = size;
    r.headerOffset = std::uint64_t(m_bytes.size());
    // The data starts after the 30-byte local header, the name and the extra field; the extra field
    // ("FB", its length, then 'Z's) pads it to the next multiple of kAlignment.
    const std::uint64_t start = r.headerOffset + 30 + name.size() + 4;
    const std::uint64_t padding = (kAlignment - start % kAlignment) % kAlignment;
    if (start + padding + size >= kNoZip64)
        throw Error("the archive would reach 4 GiB, which needs zip64, which this writer does not write");
    put(m_bytes, kLocalSig, 4);
    put(m_bytes, 20, 2); // version needed: 2.0
    put(m_bytes, 0, 2); // flags
    put(m_bytes, 0, 2); // stored
    put(m_bytes, kDosTime, 2);
    put(m_bytes, kDosDate, 2);
    put(m_bytes, r.crc32, 4);
    put(m_bytes, size, 4);
    put(m_bytes, size, 4);
    put(m_bytes, name.size(), 2);
    put(m_bytes, 4 + padding, 2);
    m_bytes.append(name.data(), qsizetype(name.size()));
    m_bytes.append("FB", 2);
    put(m_bytes, padding, 2);
    m_bytes.append(qsizetype(padding), 'Z');
    if (size > 0)
        m_bytes.append(data, qsizetype(size));
    m_records.push_back(std::move(r));
}

QByteArray ZipWriter::finish()
{
    const std::uint64_t cdOffset = std::uint64_t(m_bytes.size());
    for (const Record& r : m_records) {
        put(m_bytes, kCentralSig, 4);
        put(m_bytes, 20, 2); // made by: 2.0, MS-DOS attributes
        put(m_bytes, 20, 2); // version needed
        put(m_bytes, 0, 2);
        put(m_bytes, 0, 2);
        put(m_bytes, kDosTime, 2);
        put(m_bytes, kDosDate, 2);
        put(m_bytes, r.crc32, 4);
        put(m_bytes, r.size, 4);
        put(m_bytes, r.size, 4);
        put(m_bytes, r.name.size(), 2);
        put(m_bytes, 0, 2); // extra
        put(m_bytes, 0, 2); // comment
        put(m_bytes, 0, 2); // disk
        put(m_bytes, 0, 2); // internal attributes
        put(m_bytes, 0, 4); // external attributes
        put(m_bytes, r.headerOffset, 4);
        m_bytes.append(r.name.data(), qsizetype(r.name.size()));
    }
    const std::uint64_t cdSize = std::uint64_t(m_bytes.size()) - cdOffset;
    if (cdOffset + cdSize >= kNoZip64)
        throw Error("the archive would reach 4 GiB, which needs zip64, which this writer does not write");
    put(m_bytes, kEndSig, 4);
    put(m_bytes, 0, 2);
    put(m_bytes, 0, 2);
    put(m_bytes, m_records.size(), 2);
    put(m_bytes, m_records.size(), 2);
    put(m_bytes, cdSize, 4);
    put(m_bytes, cdOffset, 4);
    put(m_bytes, 0, 2); // comment
    m_records.clear();
    return std::exchange(m_bytes, QByteArray());
}

} // namespace msup
