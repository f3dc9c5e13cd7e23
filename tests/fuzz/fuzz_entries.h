#pragma once
// The entry points the fuzz targets (tests/fuzz/fuzz_*.cpp, libFuzzer) and the corpus replay test
// (tests/tst_fuzz_replay.cpp, normal build) share. Each takes any bytes and returns normally:
// malformed input must end in the reader's documented error (msup::Error, PickleError), which is
// caught here; anything else — a crash, a sanitizer report, another exception — is a finding.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace msup::fuzz {

// A raw pickle through the bounded unpickler (core/train/pickle_reader.h).
void pickleInput(const std::uint8_t* data, std::size_t size);
// A .pth / checkpoint file: zip directory, record checks, data.pkl and constants.pkl
// (core/io/zip_archive.h, core/train/torch_archive.h).
void torchZipInput(const std::uint8_t* data, std::size_t size);
// A project file's bytes (core/io/project_file.h).
void projectInput(const std::uint8_t* data, std::size_t size);

struct Target {
    const char* name; // the folder under tests/fuzz/corpus and tests/fuzz/crashes
    void (*run)(const std::uint8_t*, std::size_t);
};
const std::vector<Target>& targets();

} // namespace msup::fuzz
