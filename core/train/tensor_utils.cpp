#include "core/train/tensor_utils.h"

#include <opencv2/imgproc.hpp>

namespace msup {

void normaliseInto(const cv::Mat& rgb, float* chw)
{
    const int plane = rgb.rows * rgb.cols;
    for (int y = 0; y < rgb.rows; ++y) {
        const uchar* p = rgb.ptr(y);
        for (int x = 0; x < rgb.cols; ++x) {
            const int i = y * rgb.cols + x;
            chw[i] = p[3 * x] / 127.5f - 1.f;
            chw[plane + i] = p[3 * x + 1] / 127.5f - 1.f;
            chw[2 * plane + i] = p[3 * x + 2] / 127.5f - 1.f;
        }
    }
}

torch::Tensor logitsToLabels(const torch::Tensor& logits)
{
    torch::Tensor labels = logits.size(1) == 1 ? logits.squeeze(1).gt(0) : logits.argmax(1);
    return labels.to(torch::kCPU, torch::kUInt8).contiguous();
}

} // namespace msup
