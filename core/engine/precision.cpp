#include "core/engine/precision.h"

#include <c10/util/Exception.h>
#include <torch/cuda.h>
#include <torch/version.h>

#ifdef MASKSUP_ENGINE_HAVE_CUDA_RUNTIME
#include <cuda_runtime_api.h>
#endif

#include <new>
#include <stdexcept>

namespace msup::engine {

bool supportsBf16(const torch::Device& device)
{
    if (!device.is_cuda())
        return false;
#ifdef MASKSUP_ENGINE_HAVE_CUDA_RUNTIME
    // bfloat16 tensor cores: compute capability 8.0 (Ampere) and later.
    int major = 0;
    const int index = device.has_index() ? device.index() : 0;
    if (cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, index) != cudaSuccess)
        return false;
    return major >= 8;
#else
    // A LibTorch without the CUDA runtime headers at build time: no CUDA device can be used.
    return false;
#endif
}

bool deviceMemory(const torch::Device& device, std::int64_t* freeBytes, std::int64_t* totalBytes)
{
    if (!device.is_cuda())
        return false;
#ifdef MASKSUP_ENGINE_HAVE_CUDA_RUNTIME
    int previous = 0;
    if (cudaGetDevice(&previous) != cudaSuccess)
        return false;
    const int index = device.has_index() ? device.index() : 0;
    std::size_t freeMemory = 0, totalMemory = 0;
    const bool ok
        = cudaSetDevice(index) == cudaSuccess && cudaMemGetInfo(&freeMemory, &totalMemory) == cudaSuccess;
    cudaSetDevice(previous);
    if (!ok)
        return false;
    *freeBytes = std::int64_t(freeMemory);
    *totalBytes = std::int64_t(totalMemory);
    return true;
#else
    (void)freeBytes;
    (void)totalBytes;
    return false;
#endif
}

nn::Precision resolvePrecision(const std::string& amp, const torch::Device& device)
{
    const bool cuda = device.is_cuda();
    if (amp == "off")
        return nn::Precision::Float32;
    if (amp == "auto" || amp == "on") {
        if (!cuda) {
            if (amp == "auto")
                return nn::Precision::Float32;
            throw std::invalid_argument("mixed precision (amp on) needs a CUDA device; this run uses "
                + device.str() + ": use --amp auto or off on the CPU");
        }
        return supportsBf16(device) ? nn::Precision::BFloat16 : nn::Precision::Float16;
    }
    if (amp == "bf16" || amp == "fp16") {
        if (!cuda)
            throw std::invalid_argument("mixed precision (amp " + amp
                + ") needs a CUDA device; this run uses " + device.str()
                + ": use --amp auto or off on the CPU");
        if (amp == "bf16" && !supportsBf16(device))
            throw std::invalid_argument("amp bf16 needs a GPU with bfloat16 support (compute capability 8.0 "
                                        "or later); "
                + device.str() + " has none: use --amp fp16 or auto");
        return amp == "bf16" ? nn::Precision::BFloat16 : nn::Precision::Float16;
    }
    throw std::invalid_argument("unknown amp '" + amp + "': use auto, bf16, fp16 or off");
}

const char* precisionName(nn::Precision precision)
{
    switch (precision) {
    case nn::Precision::BFloat16:
        return "bf16";
    case nn::Precision::Float16:
        return "fp16";
    case nn::Precision::Float32:
        break;
    }
    return "float32";
}

bool isOutOfMemory(const std::exception& e)
{
    if (dynamic_cast<const std::bad_alloc*>(&e))
        return true;
    // c10::OutOfMemoryError is thrown by the CUDA caching allocator from LibTorch 1.13 on; the CPU
    // allocator ("DefaultCPUAllocator: can't allocate memory"; "not enough memory" in older
    // releases) and older CUDA paths throw a plain c10::Error whose text says so.
    if (dynamic_cast<const c10::OutOfMemoryError*>(&e))
        return true;
    if (!dynamic_cast<const c10::Error*>(&e))
        return false;
    const std::string what = e.what();
    return what.find("out of memory") != std::string::npos
        || what.find("not enough memory") != std::string::npos
        || what.find("can't allocate memory") != std::string::npos;
}

} // namespace msup::engine
