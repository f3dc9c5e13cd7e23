#include "core/engine/batch.h"

#include <torch/torch.h>

#include <stdexcept>

namespace msup::engine {

HoleFill parseHoleFill(const std::string& text)
{
    if (text == "zero")
        return HoleFill::Zero;
    if (text == "black")
        return HoleFill::Black;
    if (text == "noise")
        return HoleFill::Noise;
    throw std::invalid_argument("unknown hole fill '" + text + "': use zero, black or noise");
}

HostBatch allocateHostBatch(int n, int size, bool holes, bool noise, bool pinned)
{
    const auto u8 = torch::TensorOptions().dtype(torch::kUInt8).pinned_memory(pinned);
    HostBatch b;
    b.images = torch::empty({ n, 3, size, size }, u8);
    b.labels = torch::empty({ n, size, size }, u8);
    if (holes)
        b.holes = torch::empty({ n, 1, size, size }, u8);
    if (noise)
        b.noise = torch::empty({ n, 3, size, size }, u8);
    return b;
}

torch::Tensor normalise(const torch::Tensor& images)
{
    // x/127.5 - 1 in float32: a true division then a subtraction, so that on the CPU every value
    // is bit for bit what the former per-pixel loop (p / 127.5f - 1.f) gave.
    return images.to(torch::kFloat32).div_(127.5).sub_(1.0);
}

DeviceBatch upload(const HostBatch& batch, const torch::Device& device, HoleFill fill, bool channelsLast)
{
    // Pinned host memory makes the copy asynchronous on CUDA: the host goes on while it runs on
    // the copy engine, ordered before the kernels of the current stream that use it.
    const bool nonBlocking = device.is_cuda() && batch.images.is_pinned();
    auto move = [&](const torch::Tensor& t) { return t.to(device, /*non_blocking=*/nonBlocking); };
    DeviceBatch d;
    d.images = normalise(move(batch.images));
    if (channelsLast)
        d.images = d.images.contiguous(at::MemoryFormat::ChannelsLast);
    d.target = move(batch.labels).to(torch::kInt64);
    if (batch.holes.defined()) {
        d.holes = move(batch.holes).to(torch::kFloat32);
        if (fill == HoleFill::Black)
            d.fill = torch::full({ 1 }, -1.0f, torch::TensorOptions().device(device)); // normalised black
        else if (fill == HoleFill::Noise) {
            if (!batch.noise.defined())
                throw std::invalid_argument("upload: the noise fill needs the batch's noise");
            d.fill = normalise(move(batch.noise));
        }
    }
    return d;
}

} // namespace msup::engine
