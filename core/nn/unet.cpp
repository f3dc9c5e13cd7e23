#include "core/nn/unet.h"

#include "core/nn/levit_unet.h"

#include <torch/nn/functional.h>

#include <array>
#include <stdexcept>
#include <string>

namespace msup::nn {

namespace F = torch::nn::functional;

ConvBlockImpl::ConvBlockImpl(int inChannels, int midChannels, int outChannels)
{
    m_conv1 = register_module(
        "conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(inChannels, midChannels, 3).padding(1)));
    m_bn1 = register_module("bn1", torch::nn::BatchNorm2d(midChannels));
    m_conv2 = register_module(
        "conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(midChannels, outChannels, 3).padding(1)));
    m_bn2 = register_module("bn2", torch::nn::BatchNorm2d(outChannels));
}

torch::Tensor ConvBlockImpl::forward(torch::Tensor x)
{
    x = torch::relu(m_bn1->forward(m_conv1->forward(x)));
    return torch::relu(m_bn2->forward(m_conv2->forward(x)));
}

namespace {

    // The channels of the five levels, w·[1,2,4,8,16], once the options are checked (`model` names
    // the network in the message).
    std::array<int, 5> levelWidths(int width, int inChannels, int outChannels, const char* model)
    {
        if (width < 1 || outChannels < 1 || inChannels < 1)
            throw std::invalid_argument(
                std::string(model) + ": width, input and output channels must be positive");
        return { width, 2 * width, 4 * width, 8 * width, 16 * width };
    }

} // namespace

UNetImpl::UNetImpl(const UNetOptions& options)
    : m_options(options)
{
    const auto f = levelWidths(options.width, options.inChannels, options.outChannels, "U-Net");
    m_conv0_0 = register_module("conv0_0", ConvBlock(options.inChannels, f[0], f[0]));
    m_conv1_0 = register_module("conv1_0", ConvBlock(f[0], f[1], f[1]));
    m_conv2_0 = register_module("conv2_0", ConvBlock(f[1], f[2], f[2]));
    m_conv3_0 = register_module("conv3_0", ConvBlock(f[2], f[3], f[3]));
    m_conv4_0 = register_module("conv4_0", ConvBlock(f[3], f[4], f[4]));
    m_conv3_1 = register_module("conv3_1", ConvBlock(f[3] + f[4], f[3], f[3]));
    m_conv2_2 = register_module("conv2_2", ConvBlock(f[2] + f[3], f[2], f[2]));
    m_conv1_3 = register_module("conv1_3", ConvBlock(f[1] + f[2], f[1], f[1]));
    m_conv0_4 = register_module("conv0_4", ConvBlock(f[0] + f[1], f[0], f[0]));
    m_final
        = register_module("final", torch::nn::Conv2d(torch::nn::Conv2dOptions(f[0], options.outChannels, 1)));
}

namespace {
    torch::Tensor pool(const torch::Tensor& x)
    {
        return F::max_pool2d(x, F::MaxPool2dFuncOptions(2).stride(2));
    }

    // Bilinear ×2 with align_corners = true, resized to the skip tensor so odd sizes work too.
    torch::Tensor upTo(const torch::Tensor& x, const torch::Tensor& like)
    {
        return F::interpolate(x,
            F::InterpolateFuncOptions()
                .size(std::vector<int64_t> { like.size(2), like.size(3) })
                .mode(torch::kBilinear)
                .align_corners(true));
    }
} // namespace

torch::Tensor UNetImpl::forward(torch::Tensor x)
{
    auto x0_0 = m_conv0_0->forward(x);
    auto x1_0 = m_conv1_0->forward(pool(x0_0));
    auto x2_0 = m_conv2_0->forward(pool(x1_0));
    auto x3_0 = m_conv3_0->forward(pool(x2_0));
    auto x4_0 = m_conv4_0->forward(pool(x3_0));
    auto x3_1 = m_conv3_1->forward(torch::cat({ x3_0, upTo(x4_0, x3_0) }, 1));
    auto x2_2 = m_conv2_2->forward(torch::cat({ x2_0, upTo(x3_1, x2_0) }, 1));
    auto x1_3 = m_conv1_3->forward(torch::cat({ x1_0, upTo(x2_2, x1_0) }, 1));
    auto x0_4 = m_conv0_4->forward(torch::cat({ x0_0, upTo(x1_3, x0_0) }, 1));
    return m_final->forward(x0_4);
}

UNetPlusPlusImpl::UNetPlusPlusImpl(const UNetPlusPlusOptions& options)
    : m_options(options)
{
    const auto f = levelWidths(options.width, options.inChannels, options.outChannels, "U-Net++");
    // Registered in the reference code's order (backbone first, then each decoder column).
    for (int i = 0; i < 5; ++i)
        m_nodes[i][0] = register_module(
            "conv" + std::to_string(i) + "_0", ConvBlock(i == 0 ? options.inChannels : f[i - 1], f[i], f[i]));
    for (int j = 1; j < 5; ++j)
        for (int i = 0; i + j < 5; ++i)
            m_nodes[i][j] = register_module("conv" + std::to_string(i) + "_" + std::to_string(j),
                ConvBlock(j * f[i] + f[i + 1], f[i], f[i]));
    m_final
        = register_module("final", torch::nn::Conv2d(torch::nn::Conv2dOptions(f[0], options.outChannels, 1)));
}

torch::Tensor UNetPlusPlusImpl::forward(torch::Tensor x)
{
    torch::Tensor nodes[5][5];
    // Column by column along the anti-diagonals, as the reference computes them.
    for (int i = 0; i < 5; ++i) {
        nodes[i][0] = m_nodes[i][0]->forward(i == 0 ? x : pool(nodes[i - 1][0]));
        for (int k = i - 1; k >= 0; --k) {
            const int j = i - k; // node (k, j) becomes computable once (k + 1, j - 1) exists
            std::vector<torch::Tensor> inputs(nodes[k], nodes[k] + j);
            inputs.push_back(upTo(nodes[k + 1][j - 1], nodes[k][0]));
            nodes[k][j] = m_nodes[k][j]->forward(torch::cat(inputs, 1));
        }
    }
    torch::Tensor logits = m_final->forward(nodes[0][4]);
    return m_options.reluLogits ? torch::relu(logits) : logits;
}

const std::vector<std::string>& modelNames()
{
    static const std::vector<std::string> names = { "unet", "unetpp", "levit128s", "levit192", "levit384" };
    return names;
}

std::shared_ptr<SegmentationModelImpl> createModel(const ModelSpec& spec)
{
    if (spec.name == "unet")
        return std::make_shared<UNetImpl>(UNetOptions { spec.inChannels, spec.outChannels, spec.width });
    if (spec.name == "unetpp")
        return std::make_shared<UNetPlusPlusImpl>(
            UNetPlusPlusOptions { spec.inChannels, spec.outChannels, spec.width, spec.reluLogits });
    if (spec.name == "levit128s" || spec.name == "levit192" || spec.name == "levit384") {
        // LeViT-UNet ignores `width`; its attention biases are sized for spec.imageSize.
        LeViTUNetOptions options;
        options.config = LeViTConfig::fromName(spec.name);
        options.inChannels = spec.inChannels;
        options.outChannels = spec.outChannels;
        options.imageSize = spec.imageSize;
        return std::make_shared<LeViTUNetImpl>(options);
    }
    std::string available;
    for (const std::string& name : modelNames())
        available += (available.empty() ? "" : ", ") + name;
    throw std::invalid_argument("unknown model '" + spec.name + "' (available: " + available + ")");
}

std::int64_t parameterCount(const torch::nn::Module& module)
{
    std::int64_t n = 0;
    for (const auto& p : module.parameters())
        n += p.numel();
    return n;
}

} // namespace msup::nn
