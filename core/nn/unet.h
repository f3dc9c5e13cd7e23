#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>

#include <memory>
#include <string>
#include <vector>

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

struct UNetPlusPlusOptions {
    int inChannels = 3;
    int outChannels = 1;
    int width = 32;
    // The reference code's NestedUNet returns relu(final(x)): logits clipped at 0. Off by default;
    // on for weights imported from it, so they give the reference's predictions.
    bool reluLogits = false;
};

// U-Net++ without deep supervision, as the reference code's NestedUNet: node conv{i}_{j} takes
// [x_{i,0}, …, x_{i,j-1}, up(x_{i+1,j-1})] (skip tensors first), block widths as the U-Net's,
// bilinear ×2 upsampling with align_corners = true, 1×1 head "final" on x_{0,4}.
class UNetPlusPlusImpl : public SegmentationModelImpl {
public:
    explicit UNetPlusPlusImpl(const UNetPlusPlusOptions& options);
    torch::Tensor forward(torch::Tensor x) override;

private:
    UNetPlusPlusOptions m_options;
    // m_nodes[i][j] = conv{i}_{j}, i + j <= 4 (the rest stay empty).
    std::vector<std::vector<ConvBlock>> m_nodes { 5, std::vector<ConvBlock>(5, ConvBlock(nullptr)) };
    torch::nn::Conv2d m_final { nullptr };
};
TORCH_MODULE(UNetPlusPlus);

struct ModelSpec {
    std::string name = "unet"; // unet | unetpp
    int inChannels = 3;
    int outChannels = 1;
    int width = 32;
    bool reluLogits = false; // unetpp only: the reference code's ReLU on the logits
    // The input size the network is built for. Convolutional models take any multiple of 16;
    // attention models (LeViT) size their attention biases from it.
    int imageSize = 224;
};

// The model names createModel() accepts.
const std::vector<std::string>& modelNames();

// Builds the network a spec names. Throws std::invalid_argument for an unknown name.
std::shared_ptr<SegmentationModelImpl> createModel(const ModelSpec& spec);

std::int64_t parameterCount(const torch::nn::Module& module);

} // namespace msup::nn
