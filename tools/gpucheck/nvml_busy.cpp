#include "tools/gpucheck/nvml_busy.h"

#include <dlfcn.h>

#include <chrono>
#include <cstdlib>
#include <numeric>

namespace msup::gpucheck {

namespace {
    struct NvmlUtilization { // nvmlUtilization_t
        unsigned gpu;
        unsigned memory;
    };
    struct NvmlMemory { // nvmlMemory_t
        unsigned long long total, free, used;
    };
} // namespace

NvmlBusy::NvmlBusy()
{
    m_lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!m_lib) {
        m_why = "libnvidia-ml.so.1 could not be loaded (no NVIDIA driver?)";
        return;
    }
    using InitFn = int (*)();
    using HandleFn = int (*)(unsigned, void**);
    auto init = reinterpret_cast<InitFn>(dlsym(m_lib, "nvmlInit_v2"));
    auto handle = reinterpret_cast<HandleFn>(dlsym(m_lib, "nvmlDeviceGetHandleByIndex_v2"));
    m_getUtilization = reinterpret_cast<int (*)(void*, void*)>(dlsym(m_lib, "nvmlDeviceGetUtilizationRates"));
    if (!init || !handle || !m_getUtilization) {
        m_why = "libnvidia-ml.so.1 lacks nvmlInit_v2, nvmlDeviceGetHandleByIndex_v2 or "
                "nvmlDeviceGetUtilizationRates";
        return;
    }
    if (init() != 0) {
        m_why = "nvmlInit_v2 failed";
        return;
    }
    if (const char* visible = std::getenv("CUDA_VISIBLE_DEVICES")) {
        char* end = nullptr;
        const long first = std::strtol(visible, &end, 10);
        if (end != visible && first >= 0)
            m_index = unsigned(first);
    }
    void* device = nullptr;
    if (handle(m_index, &device) != 0 || !device) {
        m_why = "NVML has no device " + std::to_string(m_index);
        return;
    }
    NvmlUtilization u {};
    if (m_getUtilization(device, &u) != 0) {
        m_why = "nvmlDeviceGetUtilizationRates failed (not supported here?)";
        return;
    }
    m_device = device;
    char text[96] = {};
    if (auto getName = reinterpret_cast<int (*)(void*, char*, unsigned)>(dlsym(m_lib, "nvmlDeviceGetName")))
        if (getName(device, text, sizeof text - 1) == 0)
            m_name = text;
    if (auto getMemory
        = reinterpret_cast<int (*)(void*, NvmlMemory*)>(dlsym(m_lib, "nvmlDeviceGetMemoryInfo"))) {
        NvmlMemory memory {};
        if (getMemory(device, &memory) == 0)
            m_memory = memory.total;
    }
    char driver[96] = {};
    if (auto getDriver
        = reinterpret_cast<int (*)(char*, unsigned)>(dlsym(m_lib, "nvmlSystemGetDriverVersion")))
        if (getDriver(driver, sizeof driver - 1) == 0)
            m_driver = driver;
}

NvmlBusy::~NvmlBusy()
{
    if (m_running)
        stop();
    if (m_lib) {
        if (m_device)
            if (auto shutdown = reinterpret_cast<int (*)()>(dlsym(m_lib, "nvmlShutdown")))
                shutdown();
        dlclose(m_lib);
    }
}

void NvmlBusy::start()
{
    if (!available() || m_running)
        return;
    m_samples.clear();
    m_running = true;
    m_thread = std::thread([this] {
        while (m_running) {
            NvmlUtilization u {};
            if (m_getUtilization(m_device, &u) == 0)
                m_samples.push_back(u.gpu);
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    });
}

double NvmlBusy::stop(int* samples)
{
    if (m_running) {
        m_running = false;
        m_thread.join();
    }
    if (samples)
        *samples = int(m_samples.size());
    if (m_samples.empty())
        return -1;
    return std::accumulate(m_samples.begin(), m_samples.end(), 0.0) / (100.0 * double(m_samples.size()));
}

} // namespace msup::gpucheck
