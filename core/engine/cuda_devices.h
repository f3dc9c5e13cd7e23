#pragma once
// The NVIDIA GPUs this machine has, read from the CUDA driver (libcuda.so.1, loaded with dlopen at
// run time): no CUDA headers, no Torch, no Qt, no nvidia-smi. Works in a CPU-only build too, so
// that a user can be told that the GPUs are there but this build of LibTorch cannot use them.

#include <cstdint>
#include <string>
#include <vector>

namespace msup::engine {

struct CudaDevice {
    int index = 0; // the N of cuda:N (the driver's ordinal, after CUDA_VISIBLE_DEVICES)
    std::string name; // e.g. "NVIDIA H100 80GB HBM3"
    std::int64_t totalBytes = 0; // total device memory
    int major = 0, minor = 0; // compute capability, e.g. 9.0
};

struct CudaDeviceList {
    std::vector<CudaDevice> devices;
    int driverVersion = 0; // cuDriverGetVersion: 1000 × major + 10 × minor (12040 = CUDA 12.4); 0 unknown
    // Why `devices` is empty (no driver library, cuInit failed, no GPU), one sentence; empty when
    // the driver listed at least one GPU.
    std::string unavailableReason;
};

// Loads "libcuda.so.1" (the driver's library, found like any shared library: LD_LIBRARY_PATH, then
// the system's paths) and lists its devices. Never throws; may take a second on a real GPU machine
// (cuInit), so call it off a GUI thread.
CudaDeviceList listCudaDevices();
// The same with the driver library at `library` (a file name or a path).
CudaDeviceList listCudaDevices(const std::string& library);

// "12.4" for 12040; "" for 0.
std::string cudaDriverVersionText(int driverVersion);
// Memory in GiB with one decimal, e.g. "79.2".
std::string gibText(std::int64_t bytes);

} // namespace msup::engine
