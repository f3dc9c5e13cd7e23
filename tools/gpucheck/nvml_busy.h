#pragma once
// The share of wall time a GPU is busy, read from NVIDIA's management library (libnvidia-ml, loaded
// at run time, so the tool needs no CUDA headers): the driver's "GPU utilization", i.e. the share of
// each sample period (1/6 s to 1 s, depending on the GPU) during which at least one kernel ran — the
// figure nvidia-smi shows. A background thread reads it every 10 ms while a measurement runs.

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace msup::gpucheck {

class NvmlBusy {
public:
    NvmlBusy(); // loads the library and finds the GPU; available() says whether that worked
    ~NvmlBusy();
    NvmlBusy(const NvmlBusy&) = delete;
    NvmlBusy& operator=(const NvmlBusy&) = delete;

    bool available() const { return m_device != nullptr; }
    // Why it is not available (library missing, no device, …); empty when it is.
    const std::string& why() const { return m_why; }
    // Which NVML device is read: the first index of CUDA_VISIBLE_DEVICES, else 0.
    unsigned index() const { return m_index; }
    // The GPU's name, total memory and the driver version as NVML reports them ("" / 0 unknown).
    const std::string& name() const { return m_name; }
    unsigned long long memoryBytes() const { return m_memory; }
    const std::string& driver() const { return m_driver; }

    void start();
    // Stops sampling; returns the mean utilization in [0, 1] over the samples, or -1 without any.
    double stop(int* samples = nullptr);

private:
    void* m_lib = nullptr;
    void* m_device = nullptr;
    unsigned m_index = 0;
    std::string m_why, m_name, m_driver;
    unsigned long long m_memory = 0;
    int (*m_getUtilization)(void*, void*) = nullptr;
    std::atomic<bool> m_running { false };
    std::thread m_thread;
    std::vector<unsigned> m_samples;
};

} // namespace msup::gpucheck
