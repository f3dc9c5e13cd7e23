// masksup-gpucheck: is the LibTorch-only training path correct on a device, and how fast is it?
// Correctness: a MaskSup step's losses on the CPU and on the device (float32) agree; bf16 and fp16
// steps are finite and close to float32; the device confusion matrix equals a plain count; a
// world-size-1 data-parallel step over c10d (NCCL on CUDA where built, else Gloo) gives the weights of
// a plain step.
// Throughput: images/s and the GPU's busy share for the paper's models at 224², batch 8 and 64,
// mixed precision off/bf16/fp16, branches separate and concatenated, data resident on the device or
// fed from pinned host memory. One JSON report (--out) and a summary table on stdout; exit code 1
// when a correctness check fails, 2 for a bad command line. LibTorch only (no Qt, no OpenCV).

#include "core/dist/data_parallel.h"
#include "core/dist/process_group.h"
#include "core/nn/levit_unet.h"
#include "core/nn/masksup_loss.h"
#include "core/nn/unet.h"
#include "tools/gpucheck/hole_bank.h"
#include "tools/gpucheck/json.h"
#include "tools/gpucheck/nvml_busy.h"

#include "core/engine/batch.h"
#include "core/engine/confusion.h"
#include "core/engine/precision.h"
#ifdef MASKSUP_HAVE_CUDAINFO
#include "core/engine/cuda_devices.h"
#endif

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace nn = msup::nn;
using msup::gpucheck::Json;

namespace {

constexpr int kIgnore = 255;
constexpr std::uint64_t kSeed = 20240614;

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// ---------------------------------------------------------------------------------------------
// Command line

struct Args {
    std::string device; // "cuda" | "cpu"
    bool quick = false;
    std::string out;
};

const char* kUsage = R"(Usage: masksup-gpucheck [--device cuda|cpu] [--quick] [--out FILE.json]

Checks and measures MaskSup training with LibTorch alone (no Qt, no OpenCV):
  correctness  one MaskSup step's losses on the CPU and on the device agree in float32 (relative
               1e-4; TF32 off); bf16 and fp16 steps are finite and within 2% of float32 (CUDA
               only); the device confusion matrix equals a plain count of the same predictions.
               With --device cpu the "device" run uses all threads and the reference one thread.
  throughput   images/s and GPU busy share (NVML utilisation, sampled every 10 ms) for U-Net w16,
               U-Net w32, U-Net++ w32 (40 classes) and LeViT-UNet-384 at 224², batch 8 and 64,
               AMP off/bf16/fp16, branches separate/concat, data resident on the device or fed
               from pinned uint8 host batches. --quick measures a reduced matrix; on the CPU,
               --quick uses 64² images, batch 2 and 2 timed steps.

Options:
  --device cuda|cpu  where to train (default: cuda when LibTorch sees a GPU, else cpu)
  --quick            the reduced matrix (about a minute)
  --out FILE.json    write the full report there (the table goes to stdout either way)
  --help             this text

Exit codes: 0 all correctness checks passed, 1 a check failed (or the device is unusable),
2 bad command line. scripts/gpu-check.sh builds this tool and compares it with PyTorch.
)";

int parseArgs(int argc, char** argv, Args* args)
{
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::cout << kUsage;
            return 0;
        }
        if (a == "--quick") {
            args->quick = true;
        } else if (a == "--device" || a == "--out") {
            if (i + 1 >= argc) {
                std::cerr << "masksup-gpucheck: " << a << " needs a value\n\n" << kUsage;
                return 2;
            }
            (a == "--device" ? args->device : args->out) = argv[++i];
        } else {
            std::cerr << "masksup-gpucheck: unknown option '" << a << "'\n\n" << kUsage;
            return 2;
        }
    }
    if (!args->device.empty() && args->device != "cuda" && args->device != "cpu") {
        std::cerr << "masksup-gpucheck: --device must be cuda or cpu (got '" << args->device << "')\n";
        return 2;
    }
    return -1;
}

// ---------------------------------------------------------------------------------------------
// Training pieces

enum class Amp { Off, Bf16, Fp16 };
const char* ampName(Amp a)
{
    return a == Amp::Off ? "off" : a == Amp::Bf16 ? "bf16" : "fp16";
}

struct ModelCase {
    std::string label; // as in the report: "unet-w16", …
    nn::ModelSpec spec;
    bool sgd = false; // the preset's optimizer: SGD (NYUDv2 U-Net++) or Adam
    double lr = 1e-4;
};

// The paper presets' models: GLaS (binary) U-Net and LeViT-UNet, NYUDv2 (40 classes) U-Net++.
std::vector<ModelCase> paperModels(int imageSize)
{
    auto spec = [imageSize](const char* name, int width, int classes) {
        nn::ModelSpec s;
        s.name = name;
        s.width = width;
        s.outChannels = classes;
        s.imageSize = imageSize;
        return s;
    };
    return { { "unet-w16", spec("unet", 16, 1), false, 1e-4 },
        { "unet-w32", spec("unet", 32, 1), false, 1e-4 },
        { "unetpp-w32-40cls", spec("unetpp", 32, 40), true, 0.01 },
        { "levit384", spec("levit384", 32, 1), false, 1e-4 } };
}

struct Trainer {
    std::shared_ptr<nn::SegmentationModelImpl> model;
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    nn::GradScaler scaler;
};

// Same seed ⇒ same initial weights on every device (they are drawn on the CPU, then moved).
Trainer makeTrainer(const ModelCase& c, const torch::Device& device, bool channelsLast = false)
{
    torch::manual_seed(kSeed);
    Trainer t;
    t.model = nn::createModel(c.spec);
    t.model->to(device);
    if (channelsLast) {
        torch::NoGradGuard g;
        for (auto& p : t.model->parameters())
            if (p.dim() == 4)
                p.set_data(p.contiguous(at::MemoryFormat::ChannelsLast));
    }
    if (c.sgd)
        t.optimizer = std::make_unique<torch::optim::SGD>(
            t.model->parameters(), torch::optim::SGDOptions(c.lr).momentum(0.9).weight_decay(1e-4));
    else
        t.optimizer = std::make_unique<torch::optim::Adam>(
            t.model->parameters(), torch::optim::AdamOptions(c.lr).weight_decay(1e-5));
    return t;
}

// uint8 data as the host pipeline hands it over: images N×3×S×S, labels N×S×S, holes N×1×S×S.
struct U8Data {
    torch::Tensor images, labels, holes;
};

U8Data makeData(int count, int size, int classes, const torch::Tensor& holeBank, std::uint64_t seed)
{
    torch::manual_seed(seed);
    U8Data d;
    d.images = torch::randint(0, 256, { count, 3, size, size }, torch::kUInt8);
    const int k = classes == 1 ? 2 : classes;
    d.labels = torch::randint(0, k, { count, size, size }, torch::kUInt8);
    d.labels.masked_fill_(torch::rand({ count, size, size }).lt(0.02), kIgnore); // some void pixels
    const auto pick = torch::arange(count, torch::kInt64).remainder(holeBank.size(0));
    d.holes = holeBank.index_select(0, pick).contiguous();
    return d;
}

struct Batch {
    torch::Tensor images, holes, target; // float32 normalised, float32 0/1, int64
};

// On the device from uint8 tensors already there (data resident on the device).
Batch finishOnDevice(
    const torch::Tensor& images, const torch::Tensor& labels, const torch::Tensor& holes, bool channelsLast)
{
    Batch b;
    b.images = msup::engine::normalise(images);
    if (channelsLast)
        b.images = b.images.contiguous(at::MemoryFormat::ChannelsLast);
    b.target = labels.to(torch::kInt64);
    b.holes = holes.to(torch::kFloat32);
    return b;
}

// From (pinned) host uint8 tensors: non-blocking copies, then the same finishing on the device.
Batch upload(const torch::Tensor& images, const torch::Tensor& labels, const torch::Tensor& holes,
    const torch::Device& device, bool channelsLast)
{
    msup::engine::HostBatch hb;
    hb.images = images;
    hb.labels = labels;
    hb.holes = holes;
    msup::engine::DeviceBatch db
        = msup::engine::upload(hb, device, msup::engine::HoleFill::Zero, channelsLast);
    return { db.images, db.holes, db.target };
}

nn::StepResult step(Trainer& t, const Batch& b, Amp amp, bool concat)
{
    nn::StepOptions o;
    o.concatenate = concat;
    o.precision = amp == Amp::Off ? nn::Precision::Float32
        : amp == Amp::Bf16        ? nn::Precision::BFloat16
                                  : nn::Precision::Float16;
    o.scaler = &t.scaler;
    return nn::maskSupStep(*t.model, *t.optimizer, b.images, b.holes, b.target, kIgnore,
        nn::MaskSupMode::MaskSup, nn::LossWeights {}, torch::Tensor(), o);
}

void sync(const torch::Device& device)
{
    if (device.is_cuda())
        torch::cuda::synchronize();
}

// ---------------------------------------------------------------------------------------------
// Correctness

bool close(double a, double b, double rel)
{
    return std::isfinite(a) && std::isfinite(b)
        && std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b)) + 1e-7;
}

Json losses(const nn::StepResult& r)
{
    return Json::object()
        .set("total", r.total)
        .set("seg", r.seg)
        .set("context", r.context)
        .set("tasksim", r.tasksim);
}

struct CheckCase {
    ModelCase model;
    int size, batch;
};

std::vector<CheckCase> checkCases()
{
    std::vector<ModelCase> models = paperModels(64);
    models[0].spec.width = 8; // small U-Net (binary) and U-Net++ (40 classes): the same code paths
    models[0].label = "unet-w8";
    models[2].spec.width = 8;
    models[2].label = "unetpp-w8-40cls";
    return { { models[0], 64, 2 }, { models[2], 64, 2 } };
}

// Two steps from the same weights on the same batch: the first step's losses test the forward
// pass, the second's the backward pass and the optimizer too.
std::vector<nn::StepResult> twoSteps(
    const CheckCase& c, const torch::Device& device, Amp amp, const U8Data& d)
{
    Trainer t = makeTrainer(c.model, device);
    const Batch b = finishOnDevice(d.images.to(device), d.labels.to(device), d.holes.to(device), false);
    std::vector<nn::StepResult> r;
    for (int i = 0; i < 2; ++i)
        r.push_back(step(t, b, amp, false));
    return r;
}

Json checkFloat32(const torch::Device& device, const torch::Tensor& holeBank, bool* ok)
{
    Json out = Json::array();
    const int threads = at::get_num_threads();
    // cuDNN and cuBLAS may use TF32 for float32 by default: off for the comparison.
    auto& ctx = at::globalContext();
    const bool tf32Conv = ctx.allowTF32CuDNN(), tf32Matmul = ctx.allowTF32CuBLAS();
    ctx.setAllowTF32CuDNN(false);
    ctx.setAllowTF32CuBLAS(false);
    for (const CheckCase& c : checkCases()) {
        const U8Data d = makeData(c.batch, c.size, c.model.spec.outChannels, holeBank, kSeed + 1);
        at::set_num_threads(1);
        const auto ref = twoSteps(c, torch::kCPU, Amp::Off, d);
        at::set_num_threads(threads);
        const auto dev = twoSteps(c, device, Amp::Off, d);
        bool pass = true;
        double worst = 0;
        Json steps = Json::array();
        for (std::size_t i = 0; i < ref.size(); ++i) {
            const double a[4] = { ref[i].total, ref[i].seg, ref[i].context, ref[i].tasksim };
            const double b[4] = { dev[i].total, dev[i].seg, dev[i].context, dev[i].tasksim };
            for (int k = 0; k < 4; ++k) {
                pass = pass && close(a[k], b[k], 1e-4);
                worst = std::max(worst, std::abs(a[k] - b[k]) / std::max(std::abs(a[k]), 1e-30));
            }
            steps.push(Json::object().set("cpu", losses(ref[i])).set("device", losses(dev[i])));
        }
        *ok = *ok && pass;
        out.push(
            Json::object()
                .set("name",
                    "float32 losses, CPU vs " + std::string(device.is_cuda() ? "CUDA" : "CPU (all threads)"))
                .set("model", c.model.label)
                .set("image_size", c.size)
                .set("batch", c.batch)
                .set("reference", device.is_cuda() ? "CPU" : "CPU, 1 thread")
                .set("tolerance_relative", 1e-4)
                .set("worst_relative_difference", worst)
                .set("steps", steps)
                .set("passed", pass));
    }
    ctx.setAllowTF32CuDNN(tf32Conv);
    ctx.setAllowTF32CuBLAS(tf32Matmul);
    return out;
}

Json checkMixed(const torch::Device& device, const torch::Tensor& holeBank, bool* ok)
{
    Json out = Json::array();
    for (Amp amp : { Amp::Bf16, Amp::Fp16 }) {
        for (const CheckCase& c : checkCases()) {
            Json r = Json::object()
                         .set("name", std::string(ampName(amp)) + " step vs float32")
                         .set("model", c.model.label)
                         .set("image_size", c.size)
                         .set("batch", c.batch)
                         .set("tolerance_relative", 0.02);
            if (!device.is_cuda()) {
                out.push(r.set("status", "skipped: CUDA only"));
                continue;
            }
            if (amp == Amp::Bf16 && !msup::engine::supportsBf16(device)) {
                out.push(r.set("status", "skipped: this GPU has no bfloat16"));
                continue;
            }
            try {
                const U8Data d = makeData(c.batch, c.size, c.model.spec.outChannels, holeBank, kSeed + 2);
                const auto f32 = twoSteps(c, device, Amp::Off, d);
                const auto low = twoSteps(c, device, amp, d);
                bool pass = true;
                double worst = 0;
                for (std::size_t i = 0; i < f32.size(); ++i) {
                    // total, seg and context; the task-similarity term is tiny at initialisation
                    // (an MSE of probabilities, ~1e-3), so it is reported but held to the total.
                    const double a[3] = { f32[i].total, f32[i].seg, f32[i].context };
                    const double b[3] = { low[i].total, low[i].seg, low[i].context };
                    for (int k = 0; k < 3; ++k) {
                        pass = pass && close(a[k], b[k], 0.02);
                        worst = std::max(worst, std::abs(a[k] - b[k]) / std::max(std::abs(a[k]), 1e-30));
                    }
                    pass = pass && low[i].finite && std::isfinite(low[i].tasksim);
                }
                *ok = *ok && pass;
                r.set("float32", Json::array().push(losses(f32[0])).push(losses(f32[1])))
                    .set(ampName(amp), Json::array().push(losses(low[0])).push(losses(low[1])))
                    .set("worst_relative_difference", worst)
                    .set("passed", pass);
            } catch (const std::exception& e) {
                *ok = false;
                r.set("passed", false).set("error", e.what());
            }
            out.push(r);
        }
    }
    return out;
}

Json checkConfusion(const torch::Device& device, bool* ok)
{
    const int n = 4, k = 5, s = 32;
    torch::manual_seed(kSeed + 3);
    const torch::Tensor logits = torch::randn({ n, k, s, s });
    torch::Tensor truth = torch::randint(0, k, { n, s, s }, torch::kInt64);
    truth.masked_fill_(torch::rand({ n, s, s }).lt(0.1), kIgnore);

    // Reference: a plain count on the host, image by image.
    const torch::Tensor predCpu = logits.argmax(1);
    torch::Tensor expected = torch::zeros({ n, k, k }, torch::kInt64);
    {
        auto p = predCpu.accessor<int64_t, 3>();
        auto t = truth.accessor<int64_t, 3>();
        auto e = expected.accessor<int64_t, 3>();
        for (int i = 0; i < n; ++i)
            for (int y = 0; y < s; ++y)
                for (int x = 0; x < s; ++x)
                    if (t[i][y][x] != kIgnore)
                        ++e[i][t[i][y][x]][p[i][y][x]];
    }
    // Device: argmax of the same logits there, counted there.
    const torch::Tensor predDev = logits.to(device).argmax(1);
    const torch::Tensor truthDev = truth.to(device);
    torch::Tensor perImage, total;
    std::string method;
    msup::engine::DeviceConfusion confusion(k, kIgnore, device);
    confusion.add(predDev.narrow(0, 0, 2), truthDev.narrow(0, 0, 2));
    confusion.add(predDev.narrow(0, 2, n - 2), truthDev.narrow(0, 2, n - 2));
    perImage = confusion.perImage();
    total = confusion.total();
    method = "engine::DeviceConfusion (two batches)";
    const bool pass = perImage.equal(expected) && total.equal(expected.sum(0));
    *ok = *ok && pass;
    return Json::object()
        .set("name", "confusion matrix, device vs host count")
        .set("method", method)
        .set("images", n)
        .set("classes", k)
        .set("image_size", s)
        .set("pixels_counted", expected.sum().item<int64_t>())
        .set("passed", pass);
}

// One data-parallel step in a group of one process (a rendezvous on 127.0.0.1, the backend the
// device gets: NCCL for CUDA where this LibTorch and build have it, Gloo otherwise) against a plain
// step from the same weights on the same batch: the weights after it agree. One GPU cannot host two
// NCCL ranks, so this is the multi-process path's check on a one-GPU machine.
Json checkDistributed(const torch::Device& device, const torch::Tensor& holeBank, bool* ok)
{
    Json out = Json::object().set("name", "world-size-1 data-parallel step vs plain step");
    if (!msup::dist::available())
        return out.set("available", false).set("reason", msup::dist::unavailableReason());
    const CheckCase c = checkCases().front();
    const U8Data d = makeData(c.batch, c.size, c.model.spec.outChannels, holeBank, kSeed + 4);
    const Batch b = finishOnDevice(d.images.to(device), d.labels.to(device), d.holes.to(device), false);
    Trainer plain = makeTrainer(c.model, device);
    Trainer parallel = makeTrainer(c.model, device);
    const nn::StepResult ref = step(plain, b, Amp::Off, false);
    const auto t0 = Clock::now();
    auto rendezvous = msup::dist::Rendezvous::host(1, std::chrono::seconds(60));
    msup::dist::Group group(rendezvous, device);
    msup::DataParallel dp(group, *parallel.model, device, nn::LossWeights {}, true);
    nn::StepOptions o;
    o.sync = &dp;
    dp.beginStep(c.batch, false, false);
    const nn::StepResult r = nn::maskSupStep(*parallel.model, *parallel.optimizer, b.images, b.holes,
        b.target, kIgnore, nn::MaskSupMode::MaskSup, nn::LossWeights {}, torch::Tensor(), o);
    sync(device);
    const double seconds = secondsSince(t0);
    double worst = 0;
    const auto a = plain.model->parameters(), p = parallel.model->parameters();
    for (size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, (a[i] - p[i]).abs().max().item<double>());
    const bool pass = close(r.total, ref.total, 1e-6) && worst <= 1e-6;
    *ok = *ok && pass;
    return out.set("available", true)
        .set("backend", group.backendName())
        .set("model", c.model.label)
        .set("loss_plain", ref.total)
        .set("loss_data_parallel", r.total)
        .set("max_weight_difference", worst)
        .set("seconds_with_setup", seconds)
        .set("passed", pass);
}

// ---------------------------------------------------------------------------------------------
// Throughput

struct Plan {
    int imageSize;
    std::vector<int> batches;
    std::vector<ModelCase> models;
    int warmup, minSteps, maxSteps;
    double minSeconds;
    std::vector<Amp> residentAmps;
    bool concat; // also measure concatenated branches
    Amp hostAmp; // precision of the host-fed runs
    bool channelsLast; // one extra resident run per model and batch with channels_last
};

Plan makePlan(const torch::Device& device, bool quick)
{
    Plan p;
    if (device.is_cuda()) {
        p.imageSize = 224;
        p.batches = { 8, 64 };
        p.models = paperModels(224);
        if (quick) {
            p.models = { p.models[0], p.models[3] }; // U-Net w16 and LeViT-UNet-384
            p.warmup = 3;
            p.minSteps = 3;
            p.maxSteps = 30;
            p.minSeconds = 0.4;
            p.residentAmps = { Amp::Off, Amp::Bf16 };
            p.concat = true;
            p.channelsLast = false;
        } else {
            p.warmup = 3;
            p.minSteps = 5;
            p.maxSteps = 60;
            p.minSeconds = 0.6;
            p.residentAmps = { Amp::Off, Amp::Bf16, Amp::Fp16 };
            p.concat = true;
            p.channelsLast = true;
        }
        // The precision --amp auto picks: bf16 where the GPU has it, fp16 otherwise.
        p.hostAmp = msup::engine::supportsBf16(device) ? Amp::Bf16 : Amp::Fp16;
    } else {
        p.imageSize = quick ? 64 : 128;
        p.batches = { quick ? 2 : 4 };
        p.models = paperModels(p.imageSize);
        p.warmup = 1;
        p.minSteps = quick ? 2 : 3;
        p.maxSteps = p.minSteps;
        p.minSeconds = 0;
        p.residentAmps = { Amp::Off };
        p.concat = true;
        p.hostAmp = Amp::Off;
        p.channelsLast = false;
    }
    return p;
}

struct Run {
    const ModelCase* model;
    int batch;
    Amp amp;
    bool concat, resident, channelsLast;
};

struct Measured {
    double imagesPerSecond = NAN, stepMs = NAN, busy = -1;
    std::int64_t params = 0;
};

Json measure(const Run& run, const Plan& plan, const torch::Device& device, const U8Data& host,
    msup::gpucheck::NvmlBusy& nvml, Measured* m)
{
    Json r = Json::object()
                 .set("model", run.model->label)
                 .set("batch", run.batch)
                 .set("image_size", plan.imageSize)
                 .set("amp", ampName(run.amp))
                 .set("branches", run.concat ? "concat" : "separate")
                 .set("data", run.resident ? "resident" : "host")
                 .set("channels_last", run.channelsLast);
    try {
        Trainer t = makeTrainer(*run.model, device, run.channelsLast);
        m->params = nn::parameterCount(*t.model);
        const int banks = int(host.images.size(0)) / run.batch;
        // Resident: the uint8 data lives on the device for the whole run. Host: pinned uint8 batches,
        // copied for every step.
        U8Data dev;
        if (run.resident)
            dev = { host.images.to(device), host.labels.to(device), host.holes.to(device) };
        auto batchAt = [&](int i) {
            const int64_t start = int64_t(i % banks) * run.batch;
            if (run.resident)
                return finishOnDevice(dev.images.narrow(0, start, run.batch),
                    dev.labels.narrow(0, start, run.batch), dev.holes.narrow(0, start, run.batch),
                    run.channelsLast);
            return upload(host.images.narrow(0, start, run.batch), host.labels.narrow(0, start, run.batch),
                host.holes.narrow(0, start, run.batch), device, run.channelsLast);
        };
        bool finite = true;
        const auto w0 = Clock::now();
        for (int i = 0; i < plan.warmup; ++i)
            finite = step(t, batchAt(i), run.amp, run.concat).finite && finite;
        sync(device);
        const double warmupSeconds = secondsSince(w0);
        nvml.start();
        const auto t0 = Clock::now();
        int steps = 0;
        double last = 0;
        while (steps < plan.maxSteps && (steps < plan.minSteps || secondsSince(t0) < plan.minSeconds)) {
            const nn::StepResult s = step(t, batchAt(plan.warmup + steps), run.amp, run.concat);
            finite = finite && s.finite;
            last = s.total;
            ++steps;
        }
        sync(device);
        const double seconds = secondsSince(t0);
        int samples = 0;
        const double busy = nvml.stop(&samples);
        m->imagesPerSecond = steps * run.batch / seconds;
        m->stepMs = 1000.0 * seconds / steps;
        m->busy = busy;
        r.set("images_per_second", steps * run.batch / seconds)
            .set("step_ms", 1000.0 * seconds / steps)
            .set("timed_steps", steps)
            .set("timed_seconds", seconds)
            .set("warmup_steps", plan.warmup)
            .set("warmup_seconds", warmupSeconds)
            .set("gpu_busy_share", busy >= 0 ? Json(busy) : Json())
            .set("busy_samples", samples)
            .set("last_loss", last)
            .set("losses_finite", finite);
    } catch (const std::exception& e) {
        std::string what = e.what();
        what = what.substr(0, what.find('\n'));
        r.set("error", what);
    }
    return r;
}

std::string cpuName()
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            return colon == std::string::npos ? line : line.substr(colon + 2);
        }
    return "unknown CPU";
}

std::string fmt(double v, int decimals)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

} // namespace

int main(int argc, char** argv)
{
    Args args;
    if (const int rc = parseArgs(argc, argv, &args); rc >= 0)
        return rc;
    const bool cudaAvailable = torch::cuda::is_available();
    if (args.device.empty())
        args.device = cudaAvailable ? "cuda" : "cpu";
    if (args.device == "cuda" && !cudaAvailable) {
        std::cerr << "masksup-gpucheck: --device cuda, but this LibTorch (" << TORCH_VERSION
                  << ") sees no CUDA GPU (a CPU-only build, or no driver/GPU). Run it on a "
                  << "machine with an NVIDIA GPU and a CUDA LibTorch, or use --device cpu.\n";
        return 1;
    }
    const torch::Device device(args.device == "cuda" ? torch::kCUDA : torch::kCPU);
    // Every core unless OMP_NUM_THREADS says otherwise (LibTorch may start with one intra-op thread).
    if (!std::getenv("OMP_NUM_THREADS"))
        at::set_num_threads(int(std::max(1u, std::thread::hardware_concurrency())));
    if (device.is_cuda())
        at::globalContext().setBenchmarkCuDNN(true); // cuDNN autotuning, as training uses it
    const auto started = Clock::now();

    msup::gpucheck::NvmlBusy nvml;
    Json report = Json::object();
    Json machine = Json::object()
                       .set("device", args.device)
                       .set("cpu", cpuName())
                       .set("cpu_threads", at::get_num_threads())
                       .set("libtorch_version", TORCH_VERSION)
                       .set("cuda_available", cudaAvailable)
                       .set("cuda_device_count", int(torch::cuda::device_count()))
                       .set("cudnn_available", torch::cuda::cudnn_is_available())
                       .set("engine", "masksup_engine (upload, normalise, DeviceConfusion)");
#ifdef MASKSUP_HAVE_CUDAINFO
    { // The GPUs as the CUDA driver lists them (also on a CPU run: a GPU this LibTorch cannot use).
        const msup::engine::CudaDeviceList list = msup::engine::listCudaDevices();
        Json gpus = Json::array();
        for (const msup::engine::CudaDevice& d : list.devices)
            gpus.push(
                Json::object()
                    .set("index", d.index)
                    .set("name", d.name)
                    .set("memory_gib", double(d.totalBytes) / (1ull << 30))
                    .set("compute_capability", std::to_string(d.major) + "." + std::to_string(d.minor)));
        machine.set("cuda_driver_devices", gpus)
            .set("cuda_driver_version", msup::engine::cudaDriverVersionText(list.driverVersion));
        if (!list.unavailableReason.empty())
            machine.set("cuda_driver_devices_unavailable", list.unavailableReason);
    }
#endif
    if (device.is_cuda()) {
        machine.set("gpu", nvml.name().empty() ? Json("unknown (NVML unavailable)") : Json(nvml.name()))
            .set("gpu_memory_gib",
                nvml.memoryBytes() ? Json(double(nvml.memoryBytes()) / (1ull << 30)) : Json())
            .set("nvidia_driver", nvml.driver().empty() ? Json() : Json(nvml.driver()));
        machine.set("gpu_busy_method",
            nvml.available()
                ? "NVML GPU utilisation (share of time a kernel ran), sampled every 10 ms during "
                  "the timed steps, NVML device "
                    + std::to_string(nvml.index())
                : "unavailable: " + nvml.why());
        machine.set("tf32_conv_default", at::globalContext().allowTF32CuDNN());
        machine.set("bf16_supported", msup::engine::supportsBf16(device));
        machine.set("cudnn_benchmark", true);
    }
    report.set("tool", "masksup-gpucheck").set("quick", args.quick).set("machine", machine);

    // Hole masks: a seeded bank, coverage as the host generator's "high" (0.5-0.6).
    const Plan plan = makePlan(device, args.quick);
    msup::gpucheck::HoleBankStats holeStats;
    const auto h0 = Clock::now();
    const torch::Tensor checkHoles = msup::gpucheck::makeHoleBank(4, 64, kSeed, 0.5, 0.6, nullptr);
    const torch::Tensor holeBank
        = msup::gpucheck::makeHoleBank(16, plan.imageSize, kSeed, 0.5, 0.6, &holeStats);
    report.set("hole_masks",
        Json::object()
            .set("source",
                "seeded bank of discs and strokes drawn with tensor ops (no OpenCV); coverage "
                "as the host generator's 'high' (0.5-0.6); the host generator itself is measured "
                "by masksup-bench BM_HoleMask / BM_PipelineOnly")
            .set("count", int(holeBank.size(0)))
            .set("size", plan.imageSize)
            .set("ratio_mean", holeStats.meanRatio)
            .set("ratio_min", holeStats.minRatio)
            .set("ratio_max", holeStats.maxRatio)
            .set("seconds", secondsSince(h0)));

    // Correctness.
    bool ok = true;
    Json checks = Json::array();
    const auto c0 = Clock::now();
    try {
        Json f32 = checkFloat32(device, checkHoles, &ok);
        Json mixed = checkMixed(device, checkHoles, &ok);
        report.set("correctness",
            Json::object()
                .set("float32_cpu_vs_device", f32)
                .set("mixed_precision", mixed)
                .set("confusion", checkConfusion(device, &ok))
                .set("distributed", checkDistributed(device, checkHoles, &ok))
                .set("seconds", secondsSince(c0)));
    } catch (const std::exception& e) {
        ok = false;
        report.set("correctness", Json::object().set("error", e.what()));
    }
    report.set("correctness_passed", ok);
    std::cout << "correctness: " << (ok ? "passed" : "FAILED") << " (" << fmt(secondsSince(c0), 1) << " s)\n";

    // Throughput.
    std::vector<Run> runs;
    for (const ModelCase& m : plan.models)
        for (int batch : plan.batches) {
            for (Amp amp : plan.residentAmps) {
                runs.push_back({ &m, batch, amp, false, true, false });
                if (plan.concat)
                    runs.push_back({ &m, batch, amp, true, true, false });
            }
            runs.push_back({ &m, batch, plan.hostAmp, false, false, false });
            if (plan.concat && !args.quick)
                runs.push_back({ &m, batch, plan.hostAmp, true, false, false });
            if (plan.channelsLast)
                runs.push_back({ &m, batch, plan.hostAmp, false, true, true });
        }
    const bool pinned = device.is_cuda();
    std::map<std::pair<int, int>, U8Data> data; // by (batch, classes)
    Json results = Json::array();
    Json params = Json::object();
    const auto t0 = Clock::now();
    std::printf("\n%-18s %5s %5s %-8s %-8s %-8s %10s %8s %6s\n", "model", "batch", "amp", "branches", "data",
        "layout", "images/s", "step ms", "busy");
    for (const Run& run : runs) {
        const auto key = std::make_pair(run.batch, run.model->spec.outChannels);
        if (!data.count(key)) {
            U8Data d = makeData(4 * run.batch, plan.imageSize, key.second, holeBank, kSeed + 10 + run.batch);
            if (pinned)
                d = { d.images.pin_memory(), d.labels.pin_memory(), d.holes.pin_memory() };
            data[key] = d;
        }
        Measured m;
        results.push(measure(run, plan, device, data[key], nvml, &m));
        if (m.params > 0)
            params.set(run.model->label, m.params);
        std::string ips = "error", ms, busy;
        if (!std::isnan(m.imagesPerSecond)) {
            ips = fmt(m.imagesPerSecond, 1);
            ms = fmt(m.stepMs, 1);
            busy = m.busy < 0 ? "-" : fmt(100 * m.busy, 0) + "%";
        }
        std::printf("%-18s %5d %5s %-8s %-8s %-8s %10s %8s %6s\n", run.model->label.c_str(), run.batch,
            ampName(run.amp), run.concat ? "concat" : "separate", run.resident ? "resident" : "host",
            run.channelsLast ? "nhwc" : "nchw", ips.c_str(), ms.c_str(), busy.c_str());
        std::fflush(stdout);
    }
    report.set("parameters", params);
    report.set("throughput",
        Json::object()
            .set("image_size", plan.imageSize)
            .set("batches",
                [&] {
                    Json a = Json::array();
                    for (int b : plan.batches)
                        a.push(b);
                    return a;
                }())
            .set("warmup_steps", plan.warmup)
            .set("min_timed_steps", plan.minSteps)
            .set("max_timed_steps", plan.maxSteps)
            .set("min_timed_seconds", plan.minSeconds)
            .set("matrix",
                "per model and batch: data resident on the device for each precision of resident_amps, "
                "branches "
                "separate and concat; fed from pinned host batches at host_amp (what --amp auto picks), "
                "separate"
                    + std::string(args.quick ? "" : " and concat")
                    + (plan.channelsLast ? "; one resident channels_last run at host_amp, separate" : ""))
            .set("resident_amps",
                [&] {
                    Json a = Json::array();
                    for (Amp amp : plan.residentAmps)
                        a.push(ampName(amp));
                    return a;
                }())
            .set("host_amp", ampName(plan.hostAmp))
            .set(
                "mode", "masksup (clean + masked branch + task similarity), hole fill zero, ignore index 255")
            .set("optimizers",
                "Adam lr 1e-4 (U-Net, LeViT-UNet); SGD lr 0.01 momentum 0.9 (U-Net++), as the presets")
            .set("host_data",
                pinned ? "pinned uint8 host batches, non-blocking copies, normalised on the device"
                       : "uint8 host batches (CPU: no copy), normalised per step")
            .set("timing",
                device.is_cuda() ? "wall clock between torch::cuda::synchronize() calls around the timed "
                                   "steps (the step itself syncs once per step for its loss values)"
                                 : "wall clock around the timed steps")
            .set("seconds", secondsSince(t0))
            .set("runs", results));
    report.set("seconds", secondsSince(started));
    std::printf("\nthroughput: %zu runs in %.1f s; total %.1f s\n", runs.size(), secondsSince(t0),
        secondsSince(started));

    if (!args.out.empty()) {
        std::ofstream out(args.out);
        out << report.dump();
        if (!out.good()) {
            std::cerr << "masksup-gpucheck: " << args.out
                      << ": could not be written. Choose a folder you can write "
                      << "to.\n";
            return 1;
        }
        std::cout << "report: " << args.out << "\n";
    } else {
        std::cout << "\n" << report.dump();
    }
    if (!ok)
        std::cerr << "masksup-gpucheck: a correctness check FAILED (see \"correctness\" in the report)\n";
    return ok ? 0 : 1;
}
