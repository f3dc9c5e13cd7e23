#pragma once
// Mixed precision: which one a run uses, and the message for a CUDA out-of-memory error.

#include "core/nn/masksup_loss.h" // nn::Precision

#include <torch/types.h>

#include <cstdint>
#include <exception>
#include <string>

namespace msup::engine {

// "auto" = bf16 on a CUDA GPU that supports it (no gradient scaler), fp16 + scaler on other CUDA
// GPUs, float32 on the CPU; "bf16" / "fp16" (CUDA only; bf16 also needs support); "off"; "on" (older
// configs) = auto on CUDA. Throws std::invalid_argument naming the value and the device otherwise.
nn::Precision resolvePrecision(const std::string& amp, const torch::Device& device);
const char* precisionName(nn::Precision precision); // "float32" | "bf16" | "fp16"
bool supportsBf16(const torch::Device& device);

// The free and total memory of a CUDA device, from the CUDA runtime; false (nothing written) for
// other devices or a LibTorch built without CUDA.
bool deviceMemory(const torch::Device& device, std::int64_t* freeBytes, std::int64_t* totalBytes);

// True when `e` is a CUDA (or CPU allocator) out-of-memory error.
bool isOutOfMemory(const std::exception& e);

} // namespace msup::engine
