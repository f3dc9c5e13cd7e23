#pragma once
// The per-batch hot path of training, LibTorch only (no Qt, no OpenCV): what the host pipeline hands
// over (8-bit tensors), and what the device computes from it (normalisation, holes, fill).

#include <torch/types.h>

#include <string>

namespace msup::engine {

// What hole pixels of the masked branch's input become.
enum class HoleFill {
    Zero, // 0 after normalisation, i.e. mid-grey (the paper)
    Black, // -1 after normalisation
    Noise // per-pixel uniform noise, drawn on the host like the masks (a pure function of the seed)
};
// "zero" | "black" | "noise"; throws std::invalid_argument naming the accepted values.
HoleFill parseHoleFill(const std::string& text);

// One batch as the host pipeline produces it: 8-bit, on the CPU, pinned when it is bound for a
// CUDA device (so that the copy is asynchronous). N samples of S×S pixels.
struct HostBatch {
    torch::Tensor images; // N×3×S×S uint8, RGB
    torch::Tensor labels; // N×S×S uint8: class index, or the ignore index
    torch::Tensor holes; // N×1×S×S uint8, 1 = hole; undefined when no masked branch is trained
    torch::Tensor noise; // N×3×S×S uint8 for HoleFill::Noise, else undefined

    int count() const { return images.defined() ? int(images.size(0)) : 0; }
};

// Empty (uninitialised) host tensors for N samples of S×S; pinned memory when `pinned` is true
// (only meaningful, and only requested, when a CUDA device is used).
HostBatch allocateHostBatch(int n, int size, bool holes, bool noise, bool pinned);

// One batch on the device, ready for the step.
struct DeviceBatch {
    torch::Tensor images; // N×3×S×S float32, x/127.5 - 1
    torch::Tensor target; // N×S×S int64
    torch::Tensor holes; // N×1×S×S float32 (0/1), or undefined
    torch::Tensor fill; // what hole pixels become (see nn::applyHoles); undefined = 0
};

// 8-bit RGB (N×3×H×W uint8, any device) to the network's input range: x/127.5 - 1, float32.
// Every path that feeds a network (training, validation, prediction) normalises with this.
torch::Tensor normalise(const torch::Tensor& images);

// Copies a host batch to `device` (non-blocking when the host tensors are pinned and the device is
// CUDA) and finishes it there: normalisation, labels to int64, holes to float, the fill. A tensor
// already on `device` is used as it is (training data resident on the GPU: images and labels there,
// hole masks from the host).
// `channelsLast` lays the images out NHWC in memory (the tensor's shape stays N×3×H×W).
DeviceBatch upload(
    const HostBatch& batch, const torch::Device& device, HoleFill fill, bool channelsLast = false);

} // namespace msup::engine
