#pragma once
// LeViT-UNet (Xu et al. 2021, "LeViT-UNet: Make Faster Encoders with Transformer for Medical Image
// Segmentation"): a LeViT encoder (Graham et al. 2021) whose convolutional stem feature maps and the
// three transformer stages feed a U-Net-style decoder. The MaskSup paper (Zunair & Ben Hamza) trains it
// on GLaS and the polyp datasets.
//
// Built after the reference PyTorch code: facebookresearch/LeViT levit.py (Conv2d_BN, Linear_BN,
// Residual, Attention, Subsample, AttentionSubsample, the LeViT_128S/192/384 specifications) and
// hasibzunair/masksup-segmentation models/LeViTUNet{128s,192,384}.py (itself apple1986/LeViT-UNet with
// in_chans instead of one grey channel): stem cnn_b1..cnn_b4, transformer stages block_1..block_3,
// decoderBlock_1..3 and segmentation_head.
//
// Parameter and buffer names follow the reference state_dict, so its weights map one to one:
//   cnn_b{1,2,3}.0.{c.weight, bn.*}          stride-2 3×3 conv + BN, Hardswish after (index 1)
//   cnn_b4.0.{c.weight, bn.*}                 the fourth one, no activation (the 16× token map)
//   block_K.I.m.qkv.{c.weight, bn.*}          Residual(Attention) at global block index I
//   block_K.I.m.proj.1.{c.weight, bn.*}       (proj.0 is the Hardswish before the projection)
//   block_K.I.m.attention_biases              num_heads × #offsets, buffer attention_bias_idxs
//   block_K.I.m.{0,2}.{c.weight, bn.*}        Residual(MLP: Linear_BN, Hardswish, Linear_BN)
//   block_K.I.{kv, q.1, proj.1}.{c.weight, bn.*}, block_K.I.attention_biases   AttentionSubsample
//   decoderBlock_K.conv{1,2}.{0.weight, 1.*}  conv3×3 (no bias) + BN (+ ReLU at index 2)
//   segmentation_head.0.{weight, bias}        3×3 conv to K logits, then bilinear ×2
// The indices I are global, as in the reference: its block_1/2/3 are slices of one nn.Sequential
// "blocks", and slicing keeps the keys (levit128s: block_1.0-3, block_2.4-11, block_3.12-21;
// levit192/384: block_1.0-7, block_2.8-17, block_3.18-27). The reference LeViTUNet192.py keeps the
// unsliced "blocks" registered too (its `del self.blocks` is commented out), so its state_dict lists
// every transformer tensor twice (blocks.* and block_K.*); only the block_K.* names exist here.

#include "core/nn/unet.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/any.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

#include <array>
#include <string>

namespace msup::nn {

// One LeViT specification, as in levit.py: C (embed dims), D (key dim), N (heads), X (depths).
struct LeViTConfig {
    std::array<int, 3> embedDim; // C
    int keyDim; // D
    std::array<int, 3> numHeads; // N
    std::array<int, 3> depth; // X
    double dropPath; // stochastic depth of the residual branches while training

    // "levit128s" | "levit192" | "levit384". Throws std::invalid_argument for anything else.
    static LeViTConfig fromName(const std::string& name);
};

namespace levit {

    // x · relu6(x + 3) / 6 (LibTorch has the function but no module).
    class HardswishImpl : public torch::nn::Module {
    public:
        torch::Tensor forward(const torch::Tensor& x);
    };
    TORCH_MODULE(Hardswish);

    // Conv2d_BN: conv without bias ("c") and BatchNorm2d ("bn", weight initialised to bnWeightInit).
    class Conv2dBNImpl : public torch::nn::Module {
    public:
        Conv2dBNImpl(int in, int out, int kernel, int stride, int padding, double bnWeightInit = 1.0);
        torch::Tensor forward(const torch::Tensor& x);

    private:
        torch::nn::Conv2d m_c { nullptr };
        torch::nn::BatchNorm2d m_bn { nullptr };
    };
    TORCH_MODULE(Conv2dBN);

    // Linear_BN on tokens B×N×C: linear without bias ("c"), BatchNorm1d ("bn") over all B·N tokens.
    class LinearBNImpl : public torch::nn::Module {
    public:
        LinearBNImpl(int in, int out, double bnWeightInit = 1.0);
        torch::Tensor forward(const torch::Tensor& x);

    private:
        torch::nn::Linear m_c { nullptr };
        torch::nn::BatchNorm1d m_bn { nullptr };
    };
    TORCH_MODULE(LinearBN);

    // Keeps every stride-th token of a resolution×resolution grid (row-major tokens).
    class SubsampleImpl : public torch::nn::Module {
    public:
        SubsampleImpl(int stride, int resolution);
        torch::Tensor forward(const torch::Tensor& x);

    private:
        int m_stride, m_resolution;
    };
    TORCH_MODULE(Subsample);

    // LeViT multi-head attention on resolution² tokens: q, k (keyDim each) and v (attnRatio·keyDim)
    // per head from one Linear_BN "qkv"; softmax(q·kᵀ/√keyDim + bias) v; Hardswish; Linear_BN back to
    // dim (BN weight 0 at init). The bias of a query/key pair is attention_biases[head, offset], the
    // offset (|Δrow|, |Δcol|) numbered in order of first appearance (buffer attention_bias_idxs).
    class AttentionImpl : public torch::nn::Module {
    public:
        AttentionImpl(int dim, int keyDim, int numHeads, int attnRatio, int resolution);
        torch::Tensor forward(const torch::Tensor& x);

    private:
        int m_numHeads, m_keyDim, m_d, m_dh;
        double m_scale;
        LinearBN m_qkv { nullptr };
        torch::nn::Sequential m_proj { nullptr };
        torch::Tensor m_attentionBiases, m_attentionBiasIdxs;
    };
    TORCH_MODULE(Attention);

    // The shrink block between stages: keys and values from all resolution² tokens ("kv"), queries
    // from the stride-subsampled grid ("q" = Subsample, Linear_BN), outDim channels on
    // ((resolution − 1) / stride + 1)² tokens. Offsets are (|stride·q_row − k_row|, |stride·q_col − k_col|).
    class AttentionSubsampleImpl : public torch::nn::Module {
    public:
        AttentionSubsampleImpl(
            int inDim, int outDim, int keyDim, int numHeads, int attnRatio, int stride, int resolution);
        torch::Tensor forward(const torch::Tensor& x);
        int outputResolution() const { return m_resolutionOut; }

    private:
        int m_numHeads, m_keyDim, m_d, m_dh, m_resolutionOut;
        double m_scale;
        LinearBN m_kv { nullptr };
        torch::nn::Sequential m_q { nullptr }, m_proj { nullptr };
        torch::Tensor m_attentionBiases, m_attentionBiasIdxs;
    };
    TORCH_MODULE(AttentionSubsample);

    // The MLP of a residual block, as the reference's nn.Sequential(Linear_BN, Hardswish, Linear_BN):
    // children "0" (dim → hidden) and "2" (hidden → dim, BN weight 0 at init).
    class MlpImpl : public torch::nn::Module {
    public:
        MlpImpl(int dim, int hidden);
        torch::Tensor forward(const torch::Tensor& x);

    private:
        LinearBN m_0 { nullptr }, m_2 { nullptr };
    };
    TORCH_MODULE(Mlp);

    // x + m(x); while training, m(x) of each sample is dropped with probability dropPath (and the
    // kept ones scaled by 1 / (1 − dropPath)), as the reference's Residual.
    class ResidualImpl : public torch::nn::Module {
    public:
        template <typename Holder>
        ResidualImpl(const Holder& m, double dropPath)
            : m_m(m)
            , m_dropPath(dropPath)
        {
            register_module("m", m.ptr());
        }
        torch::Tensor forward(const torch::Tensor& x);

    private:
        torch::nn::AnyModule m_m;
        double m_dropPath;
    };
    TORCH_MODULE(Residual);

    // The reference DecoderBlock: bilinear ×2 (align_corners = true), then conv1 and conv2, each
    // conv3×3 without bias, BN, ReLU. The skip maps are concatenated by the caller (as the reference).
    class DecoderBlockImpl : public torch::nn::Module {
    public:
        DecoderBlockImpl(int in, int out);
        torch::Tensor forward(const torch::Tensor& x);

    private:
        torch::nn::Sequential m_conv1 { nullptr }, m_conv2 { nullptr };
    };
    TORCH_MODULE(DecoderBlock);

} // namespace levit

struct LeViTUNetOptions {
    LeViTConfig config = LeViTConfig::fromName("levit128s");
    int inChannels = 3;
    int outChannels = 1;
    // Input side; a positive multiple of 16. The attention biases are sized for
    // (imageSize/16)², (imageSize/32 rounded up)² and (imageSize/64 rounded up)² tokens, so the network
    // only takes imageSize × imageSize inputs, and weights trained at one size do not load into a
    // network built for another (attention_biases and attention_bias_idxs change shape).
    int imageSize = 224;
};

// LeViT-UNet, as the reference LeViT_UNet_{128s,192,384} with n = C[0] stem channels:
//   stem    cnn_b1..b3: Conv2d_BN 3×3/2 + Hardswish → n/8, n/4, n/2 channels at S/2, S/4, S/8;
//           cnn_b4: Conv2d_BN 3×3/2 → n at S/16, flattened to (S/16)² tokens
//   block_1 X[0] × (Residual Attention, Residual MLP×2) at S/16, C[0] channels → map x_r_1
//   block_2 AttentionSubsample (heads C[0]/D, attn ratio 4) + Residual MLP, X[1] × (Attention, MLP),
//           C[1] channels at S/32 → map x_r_2, bilinear ×2
//   block_3 the same to C[2] channels at S/64 → map x_r_3, bilinear ×2 twice, resized to x_r_2's size
//   decoder decoderBlock_1([cnn_b4, x_r_1, x_r_2↑, x_r_3↑]) → 512 at S/8, cat cnn_b3;
//           decoderBlock_2 → 256 at S/4, cat cnn_b2; decoderBlock_3 → 128 at S/2, cat cnn_b1;
//           segmentation_head: conv3×3 → K, bilinear ×2 → N×K×S×S logits
// All bilinear resizes use align_corners = true (the reference's UpsamplingBilinear2d). Where S/16 is
// odd (S = 208, 240, …) the reference's cat fails (x_r_2↑ is one larger than x_r_1); here the
// upsampled maps are then resized to x_r_1's size, which changes nothing where the reference works.
class LeViTUNetImpl : public SegmentationModelImpl {
public:
    explicit LeViTUNetImpl(const LeViTUNetOptions& options);
    torch::Tensor forward(torch::Tensor x) override;
    const LeViTUNetOptions& options() const { return m_options; }

private:
    LeViTUNetOptions m_options;
    int m_resolution[3] = { 0, 0, 0 };
    torch::nn::Sequential m_cnnB1 { nullptr }, m_cnnB2 { nullptr }, m_cnnB3 { nullptr }, m_cnnB4 { nullptr };
    torch::nn::Sequential m_block1 { nullptr }, m_block2 { nullptr }, m_block3 { nullptr };
    levit::DecoderBlock m_decoderBlock1 { nullptr }, m_decoderBlock2 { nullptr }, m_decoderBlock3 { nullptr };
    torch::nn::Sequential m_segmentationHead { nullptr };
};
TORCH_MODULE(LeViTUNet);

} // namespace msup::nn
