#include "core/engine/confusion.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

namespace msup::engine {

DeviceConfusion::DeviceConfusion(int classes, int ignoreIndex, const torch::Device& device)
    : m_classes(classes)
    , m_ignoreIndex(ignoreIndex)
    , m_device(device)
{
    if (classes < 1)
        throw std::invalid_argument("DeviceConfusion: at least one class is needed");
}

void DeviceConfusion::add(const torch::Tensor& predictions, const torch::Tensor& truth)
{
    if (predictions.sizes() != truth.sizes() || predictions.dim() != 3)
        throw std::invalid_argument("DeviceConfusion::add: predictions and truth must both be N×H×W");
    torch::NoGradGuard noGrad;
    const int64_t n = truth.size(0), k = m_classes;
    const auto t = truth.to(m_device, torch::kInt64).reshape({ n, -1 });
    const auto p = predictions.to(m_device, torch::kInt64).reshape({ n, -1 });
    const auto counted = t.ne(m_ignoreIndex);
    // A label outside 0..K-1 (other than the ignore index) is counted in an extra bin K·K of its
    // image, so that nothing is lost silently: perImage() reports it. All on the device.
    const auto bad = counted & (t.lt(0) | t.ge(k) | p.lt(0) | p.ge(k));
    const auto image = torch::arange(n, t.options()).unsqueeze(1) * (k * k + 1);
    auto index = torch::where(bad, image + k * k, image + t * k + p);
    index = index.masked_select(counted);
    const auto counts = torch::bincount(index, {}, n * (k * k + 1)).view({ n, k * k + 1 });
    m_chunks.push_back(counts);
}

torch::Tensor DeviceConfusion::perImage() const
{
    const int64_t k = m_classes;
    if (m_chunks.empty())
        return torch::zeros({ 0, k, k }, torch::kInt64);
    const auto all = torch::cat(m_chunks, 0).to(torch::kCPU); // the one host copy
    const int64_t bad = all.select(1, k * k).sum().item<int64_t>();
    if (bad > 0)
        throw std::out_of_range(std::to_string(bad)
            + " pixel(s) have a label (truth or prediction) outside the " + std::to_string(k) + " classes 0.."
            + std::to_string(k - 1) + " (and are not the ignore index " + std::to_string(m_ignoreIndex)
            + ")");
    return all.narrow(1, 0, k * k).reshape({ all.size(0), k, k }).contiguous();
}

torch::Tensor DeviceConfusion::total() const
{
    return perImage().sum(0);
}

} // namespace msup::engine
