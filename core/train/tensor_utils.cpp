#include "core/train/tensor_utils.h"

#include <opencv2/imgproc.hpp>

namespace msup {

torch::Tensor logitsToLabels(const torch::Tensor& logits)
{
    torch::Tensor labels = logits.size(1) == 1 ? logits.squeeze(1).gt(0) : logits.argmax(1);
    return labels.to(torch::kCPU, torch::kUInt8).contiguous();
}

} // namespace msup
