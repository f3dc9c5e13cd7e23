#pragma once

#include "core/nn/unet.h"

#include <torch/optim/optimizer.h>
#include <torch/types.h>

namespace msup::nn {

// The three ablation modes of the paper.
enum class MaskSupMode {
    Baseline, // L_seg only: one clean forward pass
    Context, // L_seg + L_context: clean and masked branches, no task similarity
    MaskSup // L_seg + L_context + L_tasksim
};

struct LossWeights {
    double seg = 1.0;
    double context = 1.0;
    double tasksim = 1.0;
};

struct LossTerms {
    torch::Tensor total, seg, context, tasksim; // scalars; unused terms are zero tensors
};

// Per-pixel segmentation loss. Binary (logits N×1×H×W): BCE-with-logits on target ∈ {0, 1}.
// Multi-class (logits N×K×H×W): cross-entropy. Pixels whose target equals ignoreIndex count in
// neither. target: N×H×W int64.
torch::Tensor segmentationLoss(const torch::Tensor& logits, const torch::Tensor& target, int64_t ignoreIndex);

// Probabilities: sigmoid for one channel, softmax over channels otherwise.
torch::Tensor probabilities(const torch::Tensor& logits);

// Combines the branches: α1·L_seg(f(I), y) + α2·L_context(f(I_m), y) + α3·MSE(p(f(I)), p(f(I_m))).
// The task-similarity term compares probabilities, so it is differentiable (the reference code's
// NYUDv2 variant compared argmax indices, which carries no gradient). logitsMasked may be
// undefined in Baseline mode.
LossTerms maskSupLoss(const torch::Tensor& logitsClean, const torch::Tensor& logitsMasked,
    const torch::Tensor& target, int64_t ignoreIndex, MaskSupMode mode, const LossWeights& weights);

// The masked input I ⊙ (1 − hole) + fill ⊙ hole: images N×3×H×W (already normalised), holes
// N×1×H×W with 1 = hole. Without a fill (undefined tensor) holes become 0, i.e. mid-grey, as in the
// paper; a fill (N×3×H×W, or anything broadcastable: -1 is black) replaces them otherwise.
torch::Tensor applyHoles(
    const torch::Tensor& images, const torch::Tensor& holes, const torch::Tensor& fill = {});

struct StepResult {
    double total = 0, seg = 0, context = 0, tasksim = 0;
};

// One optimisation step of MaskSup on a batch. Both branches share the model's weights and run as
// two forward passes, as in the reference code (each branch normalises with its own BatchNorm
// batch statistics). Returns the loss terms as plain numbers.
StepResult maskSupStep(SegmentationModelImpl& model, torch::optim::Optimizer& optimizer,
    const torch::Tensor& images, const torch::Tensor& holes, const torch::Tensor& target, int64_t ignoreIndex,
    MaskSupMode mode, const LossWeights& weights, const torch::Tensor& holeFill = {});

} // namespace msup::nn
