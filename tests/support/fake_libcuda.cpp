// A stand-in for the NVIDIA driver's libcuda.so.1, for tst_devices: the few driver API functions
// core/engine/cuda_devices.cpp calls, reporting two made-up GPUs. FAKE_CUDA_INIT_ERROR=N makes
// cuInit fail with error N (a broken driver); FAKE_CUDA_DEVICE_COUNT=N reports N devices (0 to 2).
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace {

struct FakeGpu {
    const char* name;
    std::size_t bytes;
    int major, minor;
};
const FakeGpu kGpus[] = {
    { "NVIDIA H100 80GB HBM3", std::size_t(85045870592ull), 9, 0 },
    { "NVIDIA GeForce RTX 3060", std::size_t(12884901888ull), 8, 6 },
};
bool g_initialised = false;

int deviceCount()
{
    const char* n = std::getenv("FAKE_CUDA_DEVICE_COUNT");
    const int count = n ? std::atoi(n) : 2;
    return count < 0 ? 0 : count > 2 ? 2 : count;
}

} // namespace

extern "C" {

__attribute__((visibility("default"))) int cuInit(unsigned int flags)
{
    if (flags != 0)
        return 1; // CUDA_ERROR_INVALID_VALUE
    if (const char* e = std::getenv("FAKE_CUDA_INIT_ERROR"))
        return std::atoi(e);
    g_initialised = true;
    return 0;
}

__attribute__((visibility("default"))) int cuDriverGetVersion(int* version)
{
    *version = 12040;
    return 0;
}

__attribute__((visibility("default"))) int cuDeviceGetCount(int* count)
{
    if (!g_initialised)
        return 3; // CUDA_ERROR_NOT_INITIALIZED
    *count = deviceCount();
    return 0;
}

__attribute__((visibility("default"))) int cuDeviceGet(int* device, int ordinal)
{
    if (!g_initialised)
        return 3;
    if (ordinal < 0 || ordinal >= deviceCount())
        return 101; // CUDA_ERROR_INVALID_DEVICE
    *device = ordinal;
    return 0;
}

__attribute__((visibility("default"))) int cuDeviceGetName(char* name, int length, int device)
{
    if (device < 0 || device >= deviceCount() || length <= 0)
        return 101;
    std::strncpy(name, kGpus[device].name, std::size_t(length));
    name[length - 1] = '\0';
    return 0;
}

__attribute__((visibility("default"))) int cuDeviceTotalMem_v2(std::size_t* bytes, int device)
{
    if (device < 0 || device >= deviceCount())
        return 101;
    *bytes = kGpus[device].bytes;
    return 0;
}

__attribute__((visibility("default"))) int cuDeviceGetAttribute(int* value, int attribute, int device)
{
    if (device < 0 || device >= deviceCount())
        return 101;
    if (attribute == 75)
        *value = kGpus[device].major;
    else if (attribute == 76)
        *value = kGpus[device].minor;
    else
        return 1;
    return 0;
}

__attribute__((visibility("default"))) int cuGetErrorName(int error, const char** name)
{
    switch (error) {
    case 100:
        *name = "CUDA_ERROR_NO_DEVICE";
        return 0;
    case 999:
        *name = "CUDA_ERROR_UNKNOWN";
        return 0;
    default:
        *name = nullptr;
        return 1;
    }
}

__attribute__((visibility("default"))) int cuGetErrorString(int error, const char** text)
{
    switch (error) {
    case 100:
        *text = "no CUDA-capable device is detected";
        return 0;
    case 999:
        *text = "unknown error";
        return 0;
    default:
        *text = nullptr;
        return 1;
    }
}

} // extern "C"
