#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>

#include <memory>
#include <string>

namespace msup::nn {

// Base of every segmentation network: image batch N×C×H×W in, logits N×K×H×W out.
class SegmentationModelImpl : public torch::nn::Module {
public:
    virtual torch::Tensor forward(torch::Tensor x) = 0;
};

// conv3×3 (bias) → BN → ReLU → conv3×3 (bias) → BN → ReLU, with the reference code's names.
class ConvBlockImpl : public torch::nn::Module {
public:
    ConvBlockImpl(int inChannels, int midChannels, int outChannels);
    torch::Tensor forward(torch::Tensor x);

private:
    torch::nn::Conv2d m_conv1 { nullptr }, m_conv2 { nullptr };
    torch::nn::BatchNorm2d m_bn1 { nullptr }, m_bn2 { nullptr };
};
TORCH_MODULE(ConvBlock);

struct UNetOptions {
    int inChannels = 3;
    int outChannels = 1; // 1 = binary task (sigmoid), K > 1 = K-class task (softmax)
    int width = 32; // channel widths are width·[1, 2, 4, 8, 16]
};

// U-Net as in the reference PyTorch code (pytorch-nested-unet's UNet): encoder conv{i}_0,
// decoder conv3_1, conv2_2, conv1_3, conv0_4 taking [skip, up(deeper)], bilinear ×2 upsampling with
// align_corners = true, 1×1 head "final". Parameter names match, so weights interoperate.
class UNetImpl : public SegmentationModelImpl {
public:
    explicit UNetImpl(const UNetOptions& options);
    torch::Tensor forward(torch::Tensor x) override;
    const UNetOptions& options() const { return m_options; }

private:
    UNetOptions m_options;
    ConvBlock m_conv0_0 { nullptr }, m_conv1_0 { nullptr }, m_conv2_0 { nullptr }, m_conv3_0 { nullptr },
        m_conv4_0 { nullptr };
    ConvBlock m_conv3_1 { nullptr }, m_conv2_2 { nullptr }, m_conv1_3 { nullptr }, m_conv0_4 { nullptr };
    torch::nn::Conv2d m_final { nullptr };
};
TORCH_MODULE(UNet);

struct ModelSpec {
    std::string name = "unet"; // the only architecture of the slice; more come with the engine issue
    int inChannels = 3;
    int outChannels = 1;
    int width = 32;
};

// Builds the network a spec names. Throws std::invalid_argument for an unknown name.
std::shared_ptr<SegmentationModelImpl> createModel(const ModelSpec& spec);

std::int64_t parameterCount(const torch::nn::Module& module);

} // namespace msup::nn
