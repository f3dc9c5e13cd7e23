// Benchmarks: hole-mask generation and one MaskSup training step.
// Machine-readable output: masksup-bench --benchmark_format=json
#include "core/masks/hole_generator.h"
#include "core/nn/masksup_loss.h"
#include "core/nn/unet.h"

#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstring>
#include <thread>

namespace {

void BM_HoleMask(benchmark::State& state)
{
    const int size = static_cast<int>(state.range(0));
    const msup::HoleGenerator gen(msup::HoleRatioRange::parse(state.range(1) ? "high" : "low"));
    std::uint64_t seed = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(gen.generate(size, size, ++seed).data);
    state.counters["masks_per_second"]
        = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_HoleMask)
    ->Args({ 224, 1 })
    ->Args({ 224, 0 })
    ->Args({ 512, 1 })
    ->Args({ 512, 0 })
    ->Unit(benchmark::kMicrosecond);

// One optimisation step (both branches for masksup) on random images with real hole masks: U-Net width W at
// S×S, batch B.
void BM_TrainStep(benchmark::State& state)
{
    const int width = static_cast<int>(state.range(0)), size = static_cast<int>(state.range(1)),
              batch = static_cast<int>(state.range(2));
    const auto mode = static_cast<msup::nn::MaskSupMode>(state.range(3));
    torch::manual_seed(0);
    msup::nn::UNet net(msup::nn::UNetOptions { 3, 1, width });
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(1e-4).amsgrad(true));
    const auto images = torch::randn({ batch, 3, size, size });
    const auto target = torch::randint(0, 2, { batch, size, size }, torch::kInt64);
    // Real streak-and-hole masks ("high" ratio), as the training session feeds them.
    const msup::HoleGenerator gen(msup::HoleRatioRange::parse("high"));
    auto holes = torch::empty({ batch, 1, size, size }, torch::kFloat32);
    for (int i = 0; i < batch; ++i) {
        cv::Mat f;
        gen.generate(size, size, static_cast<std::uint64_t>(i)).convertTo(f, CV_32F, 1.0 / 255.0);
        std::memcpy(holes[i].data_ptr<float>(), f.ptr<float>(), sizeof(float) * size * size);
    }
    // As the training session does: all cores; and one untimed step, so that first-touch page
    // faults and allocator growth are not counted.
    torch::set_num_threads(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    msup::nn::maskSupStep(*net, opt, images, holes, target, 255, mode, {});
    for (auto _ : state)
        benchmark::DoNotOptimize(
            msup::nn::maskSupStep(*net, opt, images, holes, target, 255, mode, {}).total);
    state.counters["images_per_second"]
        = benchmark::Counter(double(state.iterations()) * batch, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_TrainStep)
    ->Args({ 16, 224, 8, int(msup::nn::MaskSupMode::MaskSup) })
    ->Args({ 16, 224, 8, int(msup::nn::MaskSupMode::Baseline) })
    ->Unit(benchmark::kMillisecond)
    ->Iterations(4)
    ->UseRealTime();

} // namespace

BENCHMARK_MAIN();
