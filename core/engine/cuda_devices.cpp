#include "core/engine/cuda_devices.h"

#include <dlfcn.h>

#include <cstdio>

namespace msup::engine {

namespace {

    // The few driver API entry points used, declared here (CUresult is an int enum, CUdevice an int).
    using CuResult = int;
    using CuInit = CuResult (*)(unsigned int flags);
    using CuDriverGetVersion = CuResult (*)(int* version);
    using CuDeviceGetCount = CuResult (*)(int* count);
    using CuDeviceGet = CuResult (*)(int* device, int ordinal);
    using CuDeviceGetName = CuResult (*)(char* name, int length, int device);
    using CuDeviceTotalMem = CuResult (*)(std::size_t* bytes, int device);
    using CuDeviceGetAttribute = CuResult (*)(int* value, int attribute, int device);
    using CuGetErrorName = CuResult (*)(CuResult error, const char** name);
    using CuGetErrorString = CuResult (*)(CuResult error, const char** text);

    constexpr int kAttributeComputeCapabilityMajor = 75; // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR
    constexpr int kAttributeComputeCapabilityMinor = 76; // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR

    template <typename F> F symbol(void* library, const char* name)
    {
        return reinterpret_cast<F>(dlsym(library, name));
    }

    // "cuInit failed: CUDA_ERROR_NO_DEVICE (100): no CUDA-capable device is detected".
    std::string describe(void* library, const char* call, CuResult error)
    {
        std::string text = std::string(call) + " failed with error " + std::to_string(error);
        const char* name = nullptr;
        const char* what = nullptr;
        if (auto getName = symbol<CuGetErrorName>(library, "cuGetErrorName");
            getName && getName(error, &name) == 0 && name)
            text = std::string(call) + " failed: " + name + " (" + std::to_string(error) + ")";
        if (auto getString = symbol<CuGetErrorString>(library, "cuGetErrorString");
            getString && getString(error, &what) == 0 && what)
            text += std::string(": ") + what;
        return text;
    }

} // namespace

std::string cudaDriverVersionText(int driverVersion)
{
    if (driverVersion <= 0)
        return {};
    return std::to_string(driverVersion / 1000) + "." + std::to_string((driverVersion % 1000) / 10);
}

std::string gibText(std::int64_t bytes)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", double(bytes) / double(1ll << 30));
    return buffer;
}

CudaDeviceList listCudaDevices()
{
    return listCudaDevices("libcuda.so.1");
}

CudaDeviceList listCudaDevices(const std::string& libraryName)
{
    CudaDeviceList list;
    // Kept loaded for the life of the process: the driver starts threads in cuInit, and LibTorch
    // loads the same library again (a reference count, not a second copy).
    void* library = dlopen(libraryName.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char* why = dlerror();
        list.unavailableReason = "no NVIDIA driver: " + libraryName + " cannot be loaded"
            + (why ? std::string(" (") + why + ")" : std::string())
            + "; install the NVIDIA driver to use a GPU";
        return list;
    }
    const auto init = symbol<CuInit>(library, "cuInit");
    const auto driverVersion = symbol<CuDriverGetVersion>(library, "cuDriverGetVersion");
    const auto deviceCount = symbol<CuDeviceGetCount>(library, "cuDeviceGetCount");
    const auto deviceGet = symbol<CuDeviceGet>(library, "cuDeviceGet");
    const auto deviceName = symbol<CuDeviceGetName>(library, "cuDeviceGetName");
    auto totalMem = symbol<CuDeviceTotalMem>(library, "cuDeviceTotalMem_v2");
    if (!totalMem)
        totalMem = symbol<CuDeviceTotalMem>(library, "cuDeviceTotalMem");
    const auto attribute = symbol<CuDeviceGetAttribute>(library, "cuDeviceGetAttribute");
    if (!init || !deviceCount || !deviceGet || !deviceName || !totalMem || !attribute) {
        list.unavailableReason = libraryName
            + " lacks the CUDA driver functions (cuInit, cuDeviceGetCount, ...): it is not an NVIDIA driver "
              "library, or too old; reinstall the NVIDIA driver";
        return list;
    }
    if (driverVersion) {
        int v = 0;
        if (driverVersion(&v) == 0)
            list.driverVersion = v;
    }
    if (const CuResult r = init(0); r != 0) {
        list.unavailableReason = "the NVIDIA driver cannot be used: " + describe(library, "cuInit", r)
            + (r == 100 ? std::string()
                        : std::string("; check the driver installation (nvidia-smi) and that "
                                      "the kernel module matches the driver library"));
        return list;
    }
    int count = 0;
    if (const CuResult r = deviceCount(&count); r != 0) {
        list.unavailableReason
            = "the NVIDIA driver cannot be used: " + describe(library, "cuDeviceGetCount", r);
        return list;
    }
    for (int i = 0; i < count; ++i) {
        int device = 0;
        if (deviceGet(&device, i) != 0)
            continue;
        CudaDevice d;
        d.index = i;
        char name[256] = {};
        if (deviceName(name, int(sizeof name) - 1, device) == 0)
            d.name = name;
        if (d.name.empty())
            d.name = "CUDA device " + std::to_string(i);
        std::size_t bytes = 0;
        if (totalMem(&bytes, device) == 0)
            d.totalBytes = static_cast<std::int64_t>(bytes);
        attribute(&d.major, kAttributeComputeCapabilityMajor, device);
        attribute(&d.minor, kAttributeComputeCapabilityMinor, device);
        list.devices.push_back(d);
    }
    if (list.devices.empty())
        list.unavailableReason
            = "the NVIDIA driver reports no GPU (check CUDA_VISIBLE_DEVICES and nvidia-smi)";
    return list;
}

} // namespace msup::engine
