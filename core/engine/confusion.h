#pragma once
// The validation confusion matrix, accumulated on the device: no host synchronisation per image.

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace msup::engine {

class DeviceConfusion {
public:
    DeviceConfusion(int classes, int ignoreIndex, const torch::Device& device);
    // predictions and truth: N×H×W integer tensors on the device (any integer dtype). Pixels whose
    // truth is the ignore index are not counted. Keeps each image's own K×K counts as well.
    void add(const torch::Tensor& predictions, const torch::Tensor& truth);
    // One copy to the host: M×K×K int64 (one K×K matrix per image added, row = truth, column =
    // prediction), in the order the images were added. Throws std::out_of_range when a counted
    // pixel's truth or prediction lay outside 0..K-1 (counted apart on the device, never dropped).
    torch::Tensor perImage() const;
    // The sum over images, K×K int64 on the host.
    torch::Tensor total() const;
    int classes() const { return m_classes; }

private:
    int m_classes;
    int m_ignoreIndex;
    torch::Device m_device;
    std::vector<torch::Tensor> m_chunks; // per batch: N×K×K int64 on the device
};

} // namespace msup::engine
