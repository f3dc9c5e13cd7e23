#pragma once
// A bounded reader of a zip file's central directory, for the zip archives torch.save and LibTorch
// write (records stored uncompressed, zip64 sizes when large). It lists the records and checks
// that each one lies inside the file and that its CRC-32 matches, before LibTorch's reader (whose
// bundled miniz checks no CRC) touches the file.

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

class QFile;

namespace msup {

struct ZipEntry {
    std::string name;
    int method = 0; // 0 = stored, 8 = deflate
    int flags = 0;
    std::uint32_t crc32 = 0;
    std::uint64_t compressedSize = 0;
    std::uint64_t size = 0; // uncompressed
    std::uint64_t headerOffset = 0; // the local header
    std::uint64_t dataOffset = 0; // the first byte of the record's data
};

class ZipArchive {
public:
    // Maps `path` into memory and reads its central directory. Throws msup::Error naming the
    // file (with `hint` appended) when it is not a zip file or its directory is inconsistent:
    // records outside the file, overlapping the directory, duplicate names, encrypted records,
    // local headers that disagree with the directory.
    explicit ZipArchive(const QString& path, std::string hint = {});
    // The same over bytes in memory (they must outlive the archive); `name` names them in errors.
    ZipArchive(const char* data, std::uint64_t size, std::string name, std::string hint = {});
    ~ZipArchive();
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    const std::vector<ZipEntry>& entries() const { return m_entries; }
    const ZipEntry* find(const std::string& name) const;
    std::uint64_t fileSize() const { return m_size; }

    // Throws msup::Error naming the file and the record unless the record is stored
    // (uncompressed), its sizes agree and its CRC-32 matches its data. With maxInflated > 0 a
    // deflated record of at most that many bytes is accepted too: inflated (never beyond its
    // declared size) and its CRC-32 checked.
    void verifyStored(const ZipEntry& entry, std::uint64_t maxInflated = 0) const;
    // verifyStored() for every record.
    void verifyAllStored() const;
    // The data of a stored record (verifyStored() first).
    const char* data(const ZipEntry& entry) const { return m_data + entry.dataOffset; }

    [[noreturn]] void fail(const std::string& message) const;

private:
    void parse();

    std::unique_ptr<QFile> m_file;
    const char* m_data = nullptr;
    std::uint64_t m_size = 0;
    std::string m_name;
    std::string m_hint;
    std::vector<ZipEntry> m_entries;
};

// Builds a zip archive in memory the way PyTorch's writer (torch.save) lays one out: every record
// stored uncompressed with its CRC-32, its data starting at a multiple of 64 bytes (the local header
// padded by an extra field "FB", as PyTorch's writer does, so readers may map tensors in place), a
// fixed timestamp (1980-01-01), no zip64. Throws msup::Error when the archive would need zip64
// (4 GiB or more, 65,535 records or more) or a name is used twice.
class ZipWriter {
public:
    static constexpr std::uint64_t kAlignment = 64;

    void add(const std::string& name, const char* data, std::uint64_t size);
    void add(const std::string& name, const std::string& data) { add(name, data.data(), data.size()); }
    // The archive: records in the order added, then the central directory.
    QByteArray finish();

private:
    struct Record {
        std::string name;
        std::uint32_t crc32 = 0;
        std::uint64_t size = 0;
        std::uint64_t headerOffset = 0;
    };
    QByteArray m_bytes;
    std::vector<Record> m_records;
};

// CRC-32 (the zip polynomial) of `size` bytes.
std::uint32_t zipCrc32(const char* data, std::uint64_t size);

} // namespace msup
