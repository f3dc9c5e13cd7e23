#include "tests/fuzz/fuzz_entries.h"

#include "core/base/error.h"
#include "core/io/project_file.h"
#include "core/train/pickle_reader.h"
#include "core/train/torch_archive.h"

#include <QByteArray>

namespace msup::fuzz {

void pickleInput(const std::uint8_t* data, std::size_t size)
{
    try {
        const pickle::Pickle p = pickle::unpickle(reinterpret_cast<const char*>(data), size);
        (void)pickle::describe(p.root);
    } catch (const pickle::PickleError&) {
    }
}

void torchZipInput(const std::uint8_t* data, std::size_t size)
{
    try {
        const TorchArchiveIndex index = indexTorchArchive(
            reinterpret_cast<const char*>(data), size, "fuzz.pt", {}, /*libtorchArchive=*/true);
        verifyTorchArchive(index);
    } catch (const Error&) {
    }
}

void projectInput(const std::uint8_t* data, std::size_t size)
{
    try {
        const Project p
            = Project::fromJson(QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size)),
                QStringLiteral("/nonexistent/fuzz.masksup"));
        (void)p.toJson(QStringLiteral("/nonexistent/fuzz.masksup"));
    } catch (const Error&) {
    }
}

const std::vector<Target>& targets()
{
    static const std::vector<Target> all = { { "pickle", pickleInput }, { "pth", torchZipInput },
        { "checkpoint", torchZipInput }, { "project", projectInput } };
    return all;
}

} // namespace msup::fuzz
