#pragma once
// Checks of the zip archives torch.save and LibTorch write (.pth files, MaskSup Studio
// checkpoints) before anything else reads them. No Torch types: the fuzz targets build it alone.

#include "core/io/zip_archive.h"
#include "core/train/pickle_reader.h"

#include <QString>

#include <memory>
#include <string>

namespace msup {

struct TorchArchiveIndex {
    std::unique_ptr<ZipArchive> zip;
    std::string prefix; // "archive/": the folder every record lies in
    const ZipEntry* data = nullptr; // <prefix>data.pkl
    const ZipEntry* constants = nullptr; // <prefix>constants.pkl (TorchScript / LibTorch archives)
};

// Reads the zip directory of `path` (or of `size` bytes at `data`, named `name`) and verifies
// every record: stored uncompressed, inside the file, sizes consistent, CRC-32 matching. Finds
// the archive's folder and its data.pkl. Throws msup::Error naming the file, `hint` appended.
// torch.save compresses nothing; LibTorch's archives (MaskSup Studio checkpoints) deflate their
// small code/ records: with `libtorchArchive` those are accepted when they inflate to at most
// 16 MiB with the right CRC. Pickles and tensor data must be stored either way.
TorchArchiveIndex indexTorchArchive(
    const QString& path, const std::string& hint, bool libtorchArchive = false);
TorchArchiveIndex indexTorchArchive(const char* data, std::uint64_t size, const std::string& name,
    const std::string& hint, bool libtorchArchive = false);

// Every storage the pickle names must be a record <prefix><folder><key> at least as long as the
// storage it declares (numel × element size). Throws msup::Error naming the file and the record.
void checkStorageRecords(const ZipArchive& zip, const std::string& prefix, const pickle::Pickle& pickle,
    const std::string& folder = "data/");

// indexTorchArchive() + data.pkl and constants.pkl unpickled (bounded, executing nothing) and
// checkStorageRecords() for each: what is verified before a checkpoint is used. A pickle that is
// well-formed but uses an opcode or storage type the reader does not know (a newer LibTorch) is
// not an error: only its sizes go unchecked.
void verifyTorchArchive(const TorchArchiveIndex& index);

} // namespace msup
