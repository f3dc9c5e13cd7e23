// Benchmarks: hole-mask generation and one MaskSup training step.
// Machine-readable output: masksup-bench --benchmark_format=json
#include "core/masks/hole_generator.h"
#include "core/nn/masksup_loss.h"
#include "core/nn/unet.h"

#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <algorithm>
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

// One optimisation step (both branches for masksup) on random data: U-Net width W at S×S, batch B.
void BM_TrainStep(benchmark::State& state)
{
    const int width = static_cast<int>(state.range(0)), size = static_cast<int>(state.range(1)),
              batch = static_cast<int>(state.range(2));
    const auto mode = static_cast<msup::nn::MaskSupMode>(state.range(3));
    torch::manual_seed(0);
    msup::nn::UNet net(msup::nn::UNetOptions { 3, 1, width });
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(1e-4).amsgrad(true));
    const auto images = torch::randn({ batch, 3, size, size });
    const auto holes = (torch::rand({ batch, 1, size, size }) < 0.55).to(torch::kFloat32);
    const auto target = torch::randint(0, 2, { batch, size, size }, torch::kInt64);
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
