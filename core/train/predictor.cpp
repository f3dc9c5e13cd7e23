#include "core/train/predictor.h"

#include "core/base/error.h"
#include "core/engine/batch.h"
#include "core/nn/masksup_loss.h"
#include "core/train/checkpoint_io.h"
#include "core/train/tensor_utils.h"
#include "core/train/training_session.h"

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

namespace msup {

struct Predictor::Impl {
    CheckpointInfo info;
    std::shared_ptr<nn::SegmentationModelImpl> model;
    torch::Device device { torch::kCPU };
};

Predictor::Predictor(const QString& checkpointPath, const QString& device, int imageSize)
    : d(std::make_unique<Impl>())
{
    if (imageSize != 0 && (imageSize < 16 || imageSize > 4096 || imageSize % 16 != 0))
        throw Error("image size must be a multiple of 16 between 16 and 4096 (got "
            + std::to_string(imageSize) + ")");
    d->device = torch::Device(TrainingSession::resolveDevice(device).toStdString());
    d->model = loadCheckpoint(checkpointPath, &d->info, d->device);
    if (imageSize > 0 && imageSize != d->info.config.imageSize) {
        // Attention models are built for one input size (their attention biases depend on it).
        if (d->info.config.model.startsWith(QLatin1String("levit")))
            throw Error("a " + d->info.config.model.toStdString()
                    + " network only takes the size it was built for ("
                    + std::to_string(d->info.config.imageSize) + ")",
                checkpointPath.toStdString(), "Leave --image-size out for LeViT-UNet checkpoints.");
        d->info.config.imageSize = imageSize;
    }
}

int Predictor::imageSize() const
{
    return d->info.config.imageSize;
}

Predictor::~Predictor() = default;

const CheckpointInfo& Predictor::info() const
{
    return d->info;
}

cv::Mat Predictor::predict(const cv::Mat& rgb)
{
    return predict(rgb, cv::Mat());
}

cv::Mat Predictor::predict(const cv::Mat& rgb, const cv::Mat& holes)
{
    return predict(rgb, holes, nullptr);
}

cv::Mat Predictor::predict(const cv::Mat& rgb, const cv::Mat& holes, std::vector<float>* probabilities)
{
    if (rgb.empty() || rgb.type() != CV_8UC3)
        throw Error("predict: expected an 8-bit RGB image");
    const int s = d->info.config.imageSize;
    if (!holes.empty() && (holes.type() != CV_8UC1 || holes.cols != s || holes.rows != s))
        throw Error("predict: the hole mask must be 8-bit " + std::to_string(s) + "x" + std::to_string(s));
    torch::NoGradGuard noGrad;
    d->model->eval();
    const cv::Mat small = resizeImage(rgb, s);
    // The 8-bit planes, normalised as training and validation normalise them (engine::normalise).
    torch::Tensor planes = torch::empty({ 1, 3, s, s }, torch::kUInt8);
    cv::Mat split[3];
    for (int c = 0; c < 3; ++c)
        split[c] = cv::Mat(s, s, CV_8UC1, planes.data_ptr<std::uint8_t>() + size_t(c) * s * s);
    cv::split(small, split);
    torch::Tensor input = engine::normalise(planes).contiguous();
    if (!holes.empty()) {
        float* x = input.data_ptr<float>();
        for (int c = 0; c < 3; ++c)
            for (int y = 0; y < s; ++y) {
                const uchar* h = holes.ptr(y);
                for (int i = 0; i < s; ++i)
                    if (h[i])
                        x[(static_cast<size_t>(c) * s + y) * s + i] = 0.f;
            }
    }
    const torch::Tensor logits = d->model->forward(input.to(d->device));
    if (probabilities) {
        const torch::Tensor p = nn::probabilities(logits)[0].to(torch::kCPU, torch::kFloat32).contiguous();
        probabilities->assign(p.data_ptr<float>(), p.data_ptr<float>() + p.numel());
    }
    const torch::Tensor labels = logitsToLabels(logits);
    const cv::Mat lab(s, s, CV_8UC1, labels.data_ptr<uint8_t>());
    cv::Mat out;
    cv::resize(lab, out, rgb.size(), 0, 0, cv::INTER_NEAREST); // copies out of the tensor
    return out;
}

} // namespace msup
