// libFuzzer target: see tests/fuzz/fuzz_entries.h and scripts/fuzz.sh.
#include "tests/fuzz/fuzz_entries.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    msup::fuzz::pickleInput(data, size);
    return 0;
}
