#include "core/nn/levit_unet.h"

#include <torch/nn/functional.h>
#include <torch/nn/modules/activation.h>

#include <cmath>
#include <map>
#include <stdexcept>
#include <utility>
#include <vector>

namespace msup::nn {

namespace F = torch::nn::functional;

LeViTConfig LeViTConfig::fromName(const std::string& name)
{
    // facebookresearch/LeViT levit.py `specification` (the same in the LeViT-UNet code).
    if (name == "levit128s")
        return { { 128, 256, 384 }, 16, { 4, 6, 8 }, { 2, 3, 4 }, 0.0 };
    if (name == "levit192")
        return { { 192, 288, 384 }, 32, { 3, 5, 6 }, { 4, 4, 4 }, 0.0 };
    if (name == "levit384")
        return { { 384, 512, 768 }, 32, { 6, 9, 12 }, { 4, 4, 4 }, 0.1 };
    throw std::invalid_argument("unknown LeViT configuration '" + name + "' (levit128s, levit192, levit384)");
}

namespace levit {

    namespace {
        // Bilinear resize with align_corners = true (nn.UpsamplingBilinear2d).
        torch::Tensor resize(const torch::Tensor& x, int64_t h, int64_t w)
        {
            if (x.size(2) == h && x.size(3) == w)
                return x;
            return F::interpolate(x,
                F::InterpolateFuncOptions()
                    .size(std::vector<int64_t> { h, w })
                    .mode(torch::kBilinear)
                    .align_corners(true));
        }

        torch::Tensor up2(const torch::Tensor& x)
        {
            return resize(x, 2 * x.size(2), 2 * x.size(3));
        }

        // The reference's bias index table: for each (query, key) pair the number of its offset, offsets
        // numbered in order of first appearance (queries outer, keys inner, both row-major).
        torch::Tensor biasIndices(int queryResolution, int keyResolution, int stride, int64_t* offsetCount)
        {
            std::map<std::pair<int, int>, int64_t> offsets;
            const int64_t nq = int64_t(queryResolution) * queryResolution;
            const int64_t nk = int64_t(keyResolution) * keyResolution;
            torch::Tensor idxs = torch::empty({ nq, nk }, torch::kInt64);
            auto acc = idxs.accessor<int64_t, 2>();
            for (int qy = 0; qy < queryResolution; ++qy)
                for (int qx = 0; qx < queryResolution; ++qx)
                    for (int ky = 0; ky < keyResolution; ++ky)
                        for (int kx = 0; kx < keyResolution; ++kx) {
                            const std::pair<int, int> offset { std::abs(qy * stride - ky),
                                std::abs(qx * stride - kx) };
                            const auto it = offsets.emplace(offset, int64_t(offsets.size())).first;
                            acc[qy * queryResolution + qx][ky * keyResolution + kx] = it->second;
                        }
            *offsetCount = int64_t(offsets.size());
            return idxs;
        }

        // attention_biases[:, attention_bias_idxs] → heads × queries × keys.
        torch::Tensor gatherBiases(const torch::Tensor& biases, const torch::Tensor& idxs)
        {
            // The index buffer stays int64 even if someone converts the module's tensors to another dtype.
            const torch::Tensor flat = idxs.reshape({ -1 }).to(torch::kInt64);
            return biases.index_select(1, flat).view({ biases.size(0), idxs.size(0), idxs.size(1) });
        }
    } // namespace

    torch::Tensor HardswishImpl::forward(const torch::Tensor& x)
    {
        return torch::hardswish(x);
    }

    Conv2dBNImpl::Conv2dBNImpl(int in, int out, int kernel, int stride, int padding, double bnWeightInit)
    {
        m_c = register_module("c",
            torch::nn::Conv2d(
                torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).bias(false)));
        m_bn = register_module("bn", torch::nn::BatchNorm2d(out));
        torch::NoGradGuard g;
        m_bn->weight.fill_(bnWeightInit);
        m_bn->bias.zero_();
    }

    torch::Tensor Conv2dBNImpl::forward(const torch::Tensor& x)
    {
        return m_bn->forward(m_c->forward(x));
    }

    LinearBNImpl::LinearBNImpl(int in, int out, double bnWeightInit)
    {
        m_c = register_module("c", torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false)));
        m_bn = register_module("bn", torch::nn::BatchNorm1d(out));
        torch::NoGradGuard g;
        m_bn->weight.fill_(bnWeightInit);
        m_bn->bias.zero_();
    }

    torch::Tensor LinearBNImpl::forward(const torch::Tensor& x)
    {
        const torch::Tensor y = m_c->forward(x);
        return m_bn->forward(y.flatten(0, 1)).reshape_as(y);
    }

    SubsampleImpl::SubsampleImpl(int stride, int resolution)
        : m_stride(stride)
        , m_resolution(resolution)
    {
    }

    torch::Tensor SubsampleImpl::forward(const torch::Tensor& x)
    {
        const int64_t b = x.size(0), c = x.size(2);
        return x.reshape({ b, m_resolution, m_resolution, c })
            .slice(1, 0, m_resolution, m_stride)
            .slice(2, 0, m_resolution, m_stride)
            .reshape({ b, -1, c });
    }

    AttentionImpl::AttentionImpl(int dim, int keyDim, int numHeads, int attnRatio, int resolution)
        : m_numHeads(numHeads)
        , m_keyDim(keyDim)
        , m_d(attnRatio * keyDim)
        , m_dh(attnRatio * keyDim * numHeads)
        , m_scale(1.0 / std::sqrt(double(keyDim)))
    {
        m_qkv = register_module("qkv", LinearBN(dim, m_dh + 2 * keyDim * numHeads));
        m_proj = register_module("proj", torch::nn::Sequential(Hardswish(), LinearBN(m_dh, dim, 0.0)));
        int64_t offsetCount = 0;
        torch::Tensor idxs = biasIndices(resolution, resolution, 1, &offsetCount);
        m_attentionBiases = register_parameter("attention_biases", torch::zeros({ numHeads, offsetCount }));
        m_attentionBiasIdxs = register_buffer("attention_bias_idxs", idxs);
    }

    torch::Tensor AttentionImpl::forward(const torch::Tensor& x)
    {
        const int64_t b = x.size(0), n = x.size(1);
        const auto qkv = m_qkv->forward(x)
                             .view({ b, n, m_numHeads, -1 })
                             .split_with_sizes({ m_keyDim, m_keyDim, m_d }, 3);
        const torch::Tensor q = qkv[0].permute({ 0, 2, 1, 3 });
        const torch::Tensor k = qkv[1].permute({ 0, 2, 1, 3 });
        const torch::Tensor v = qkv[2].permute({ 0, 2, 1, 3 });
        torch::Tensor attn = torch::matmul(q, k.transpose(-2, -1)) * m_scale
            + gatherBiases(m_attentionBiases, m_attentionBiasIdxs);
        attn = attn.softmax(-1);
        return m_proj->forward(torch::matmul(attn, v).transpose(1, 2).reshape({ b, n, m_dh }));
    }

    AttentionSubsampleImpl::AttentionSubsampleImpl(
        int inDim, int outDim, int keyDim, int numHeads, int attnRatio, int stride, int resolution)
        : m_numHeads(numHeads)
        , m_keyDim(keyDim)
        , m_d(attnRatio * keyDim)
        , m_dh(attnRatio * keyDim * numHeads)
        , m_resolutionOut((resolution - 1) / stride + 1)
        , m_scale(1.0 / std::sqrt(double(keyDim)))
    {
        const int nhKd = keyDim * numHeads;
        m_kv = register_module("kv", LinearBN(inDim, m_dh + nhKd));
        m_q = register_module(
            "q", torch::nn::Sequential(Subsample(stride, resolution), LinearBN(inDim, nhKd)));
        m_proj = register_module("proj", torch::nn::Sequential(Hardswish(), LinearBN(m_dh, outDim)));
        int64_t offsetCount = 0;
        torch::Tensor idxs = biasIndices(m_resolutionOut, resolution, stride, &offsetCount);
        m_attentionBiases = register_parameter("attention_biases", torch::zeros({ numHeads, offsetCount }));
        m_attentionBiasIdxs = register_buffer("attention_bias_idxs", idxs);
    }

    torch::Tensor AttentionSubsampleImpl::forward(const torch::Tensor& x)
    {
        const int64_t b = x.size(0), n = x.size(1);
        const auto kv
            = m_kv->forward(x).view({ b, n, m_numHeads, -1 }).split_with_sizes({ m_keyDim, m_d }, 3);
        const torch::Tensor k = kv[0].permute({ 0, 2, 1, 3 });
        const torch::Tensor v = kv[1].permute({ 0, 2, 1, 3 });
        const int64_t nOut = int64_t(m_resolutionOut) * m_resolutionOut;
        const torch::Tensor q
            = m_q->forward(x).view({ b, nOut, m_numHeads, m_keyDim }).permute({ 0, 2, 1, 3 });
        torch::Tensor attn = torch::matmul(q, k.transpose(-2, -1)) * m_scale
            + gatherBiases(m_attentionBiases, m_attentionBiasIdxs);
        attn = attn.softmax(-1);
        return m_proj->forward(torch::matmul(attn, v).transpose(1, 2).reshape({ b, nOut, m_dh }));
    }

    MlpImpl::MlpImpl(int dim, int hidden)
    {
        m_0 = register_module("0", LinearBN(dim, hidden));
        m_2 = register_module("2", LinearBN(hidden, dim, 0.0));
    }

    torch::Tensor MlpImpl::forward(const torch::Tensor& x)
    {
        return m_2->forward(torch::hardswish(m_0->forward(x)));
    }

    torch::Tensor ResidualImpl::forward(const torch::Tensor& x)
    {
        const torch::Tensor y = m_m.forward(x);
        if (is_training() && m_dropPath > 0) {
            const torch::Tensor keep
                = torch::rand({ x.size(0), 1, 1 }, x.options()).ge(m_dropPath).to(x.scalar_type())
                / (1.0 - m_dropPath);
            return x + y * keep;
        }
        return x + y;
    }

    namespace {
        // The reference's Conv2dReLU: conv3×3 (no bias) "0", BatchNorm2d "1", ReLU "2".
        torch::nn::Sequential conv2dReLU(int in, int out)
        {
            return torch::nn::Sequential(
                torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1).bias(false)),
                torch::nn::BatchNorm2d(out), torch::nn::ReLU());
        }
    } // namespace

    DecoderBlockImpl::DecoderBlockImpl(int in, int out)
    {
        m_conv1 = register_module("conv1", conv2dReLU(in, out));
        m_conv2 = register_module("conv2", conv2dReLU(out, out));
    }

    torch::Tensor DecoderBlockImpl::forward(const torch::Tensor& x)
    {
        return m_conv2->forward(m_conv1->forward(up2(x)));
    }

} // namespace levit

LeViTUNetImpl::LeViTUNetImpl(const LeViTUNetOptions& options)
    : m_options(options)
{
    using namespace levit;
    const LeViTConfig& cfg = options.config;
    if (options.inChannels < 1 || options.outChannels < 1)
        throw std::invalid_argument("LeViT-UNet: input and output channels must be positive");
    if (options.imageSize < 16 || options.imageSize % 16 != 0)
        throw std::invalid_argument("LeViT-UNet: the image size must be a positive multiple of 16 (got "
            + std::to_string(options.imageSize)
            + "): the stem halves it four times and the attention biases are sized from it");
    for (int i = 0; i < 3; ++i)
        if (cfg.embedDim[i] < 8 || cfg.embedDim[i] % 8 != 0 || cfg.keyDim < 1 || cfg.numHeads[i] < 1
            || cfg.depth[i] < 0 || (i < 2 && cfg.embedDim[i] % cfg.keyDim != 0))
            throw std::invalid_argument("LeViT-UNet: inconsistent LeViT configuration");

    // Stem (LeViT's b16 with in_chans inputs), split so that each stage's map is kept for the decoder.
    const int n = cfg.embedDim[0];
    m_cnnB1 = register_module(
        "cnn_b1", torch::nn::Sequential(Conv2dBN(options.inChannels, n / 8, 3, 2, 1), Hardswish()));
    m_cnnB2 = register_module("cnn_b2", torch::nn::Sequential(Conv2dBN(n / 8, n / 4, 3, 2, 1), Hardswish()));
    m_cnnB3 = register_module("cnn_b3", torch::nn::Sequential(Conv2dBN(n / 4, n / 2, 3, 2, 1), Hardswish()));
    m_cnnB4 = register_module("cnn_b4", torch::nn::Sequential(Conv2dBN(n / 2, n, 3, 2, 1)));

    // The transformer: one numbering of the blocks over the three stages, as the reference's "blocks".
    // Reference settings: attn_ratio 2 and mlp_ratio 2 in the stages; the shrink blocks use key dim D,
    // C[i]/D heads, attn_ratio 4, stride 2, and are followed by an MLP (ratio 2) of their own.
    const int attnRatio = 2, mlpRatio = 2, downAttnRatio = 4, downStride = 2;
    int resolution = options.imageSize / 16;
    int64_t index = 0;
    auto mlp = [&](int dim) { return Residual(Mlp(dim, dim * mlpRatio), cfg.dropPath); };
    torch::nn::Sequential* stages[3] = { &m_block1, &m_block2, &m_block3 };
    for (int i = 0; i < 3; ++i) {
        torch::nn::Sequential stage;
        const int dim = cfg.embedDim[i];
        if (i > 0) {
            AttentionSubsample shrink(cfg.embedDim[i - 1], dim, cfg.keyDim, cfg.embedDim[i - 1] / cfg.keyDim,
                downAttnRatio, downStride, resolution);
            resolution = shrink->outputResolution();
            stage->push_back(std::to_string(index++), shrink);
            stage->push_back(std::to_string(index++), mlp(dim));
        }
        for (int j = 0; j < cfg.depth[i]; ++j) {
            stage->push_back(std::to_string(index++),
                Residual(Attention(dim, cfg.keyDim, cfg.numHeads[i], attnRatio, resolution), cfg.dropPath));
            stage->push_back(std::to_string(index++), mlp(dim));
        }
        m_resolution[i] = resolution;
        *stages[i] = register_module("block_" + std::to_string(i + 1), stage);
    }

    const int sum = cfg.embedDim[0] + cfg.embedDim[1] + cfg.embedDim[2];
    m_decoderBlock1 = register_module("decoderBlock_1", DecoderBlock(n + sum, 512));
    m_decoderBlock2 = register_module("decoderBlock_2", DecoderBlock(n / 2 + 512, 256));
    m_decoderBlock3 = register_module("decoderBlock_3", DecoderBlock(n / 4 + 256, 128));
    m_segmentationHead = register_module("segmentation_head",
        torch::nn::Sequential(
            torch::nn::Conv2d(torch::nn::Conv2dOptions(n / 8 + 128, options.outChannels, 3).padding(1))));
}

torch::Tensor LeViTUNetImpl::forward(torch::Tensor x)
{
    const int s = m_options.imageSize;
    if (x.dim() != 4 || x.size(1) != m_options.inChannels || x.size(2) != s || x.size(3) != s)
        throw std::invalid_argument("LeViT-UNet: built for N×" + std::to_string(m_options.inChannels) + "×"
            + std::to_string(s) + "×" + std::to_string(s) + " input, got " + c10::str(x.sizes())
            + " (its attention biases are sized for the model's image size)");
    const int64_t b = x.size(0);
    const torch::Tensor xCnn1 = m_cnnB1->forward(x);
    const torch::Tensor xCnn2 = m_cnnB2->forward(xCnn1);
    const torch::Tensor xCnn3 = m_cnnB3->forward(xCnn2);
    const torch::Tensor xCnn = m_cnnB4->forward(xCnn3);

    // Tokens B×N×C ↔ maps B×C×r×r (row-major tokens).
    auto toMap = [b](const torch::Tensor& t, int r) {
        return t.reshape({ b, r, r, -1 }).permute({ 0, 3, 1, 2 });
    };
    torch::Tensor t = xCnn.flatten(2).transpose(1, 2);
    t = m_block1->forward(t);
    const torch::Tensor xR1 = toMap(t, m_resolution[0]);
    t = m_block2->forward(t);
    torch::Tensor xR2Up = levit::up2(toMap(t, m_resolution[1]));
    t = m_block3->forward(t);
    torch::Tensor xR3Up = levit::up2(levit::up2(toMap(t, m_resolution[2])));
    xR3Up = levit::resize(xR3Up, xR2Up.size(2), xR2Up.size(3));
    // Only where S/16 is odd (the reference fails there): bring both to the first stage's grid.
    xR2Up = levit::resize(xR2Up, xR1.size(2), xR1.size(3));
    xR3Up = levit::resize(xR3Up, xR1.size(2), xR1.size(3));

    torch::Tensor d = m_decoderBlock1->forward(torch::cat({ xCnn, xR1, xR2Up, xR3Up }, 1));
    d = m_decoderBlock2->forward(torch::cat({ d, xCnn3 }, 1));
    d = m_decoderBlock3->forward(torch::cat({ d, xCnn2 }, 1));
    const torch::Tensor logits = m_segmentationHead->forward(torch::cat({ d, xCnn1 }, 1));
    return levit::up2(logits);
}

} // namespace msup::nn
