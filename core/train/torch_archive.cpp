#include "core/train/torch_archive.h"

#include "core/base/error.h"

namespace msup {

namespace {
    TorchArchiveIndex finish(std::unique_ptr<ZipArchive> zip, bool libtorchArchive)
    {
        TorchArchiveIndex index;
        index.zip = std::move(zip);
        const ZipArchive& z = *index.zip;
        if (z.entries().empty())
            z.fail("is an empty zip archive, not a PyTorch file");
        // As LibTorch's reader: the first record's folder is the archive's, every record lies in it.
        const std::string& first = z.entries().front().name;
        const size_t slash = first.find('/');
        if (slash == std::string::npos || slash == 0)
            z.fail("is a zip archive whose records lie in no folder, not a PyTorch file");
        index.prefix = first.substr(0, slash + 1);
        for (const ZipEntry& e : z.entries())
            if (e.name.compare(0, index.prefix.size(), index.prefix) != 0)
                z.fail("holds the record '" + e.name + "' outside its folder '" + index.prefix + "'");
        for (const ZipEntry& e : z.entries()) {
            const bool code = e.name.compare(index.prefix.size(), 5, "code/") == 0;
            z.verifyStored(e, libtorchArchive && code ? std::uint64_t(16) << 20 : 0);
        }
        index.data = z.find(index.prefix + "data.pkl");
        index.constants = z.find(index.prefix + "constants.pkl");
        if (!index.data)
            z.fail("is a zip archive without data.pkl, not a PyTorch file");
        return index;
    }
} // namespace

TorchArchiveIndex indexTorchArchive(const QString& path, const std::string& hint, bool libtorchArchive)
{
    return finish(std::make_unique<ZipArchive>(path, hint), libtorchArchive);
}

TorchArchiveIndex indexTorchArchive(const char* data, std::uint64_t size, const std::string& name,
    const std::string& hint, bool libtorchArchive)
{
    return finish(std::make_unique<ZipArchive>(data, size, name, hint), libtorchArchive);
}

void checkStorageRecords(
    const ZipArchive& zip, const std::string& prefix, const pickle::Pickle& pickle, const std::string& folder)
{
    for (const pickle::StorageRef& s : pickle.storages) {
        const std::string name = prefix + folder + s.key;
        const ZipEntry* record = zip.find(name);
        if (!record)
            zip.fail("the tensor storage '" + name + "' is missing from the archive");
        if (record->size < s.bytes)
            zip.fail("the tensor storage '" + name + "' holds " + std::to_string(record->size)
                + " bytes, but " + std::to_string(s.bytes) + " are declared for it ("
                + std::to_string(s.numel) + " × " + std::to_string(s.elementSize) + ")");
    }
}

void verifyTorchArchive(const TorchArchiveIndex& index)
{
    const ZipArchive& zip = *index.zip;
    auto scan = [&](const ZipEntry* entry, const std::string& folder) {
        if (!entry)
            return;
        pickle::Pickle p;
        try {
            p = pickle::unpickle(zip.data(*entry), size_t(entry->size));
        } catch (const pickle::UnsupportedPickle&) {
            // Written by a newer LibTorch with something this reader does not know: its records'
            // CRCs are verified, the sizes it declares cannot be; LibTorch checks what it reads.
            return;
        } catch (const pickle::PickleError& e) {
            zip.fail("its record '" + entry->name + "' cannot be read: " + e.what());
        }
        checkStorageRecords(zip, index.prefix, p, folder);
    };
    scan(index.data, "data/");
    scan(index.constants, "constants/");
}

} // namespace msup
