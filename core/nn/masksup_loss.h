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

// The arithmetic of the forward passes: float32, or CUDA autocast to bfloat16 (no gradient scaler
// needed: same exponent range as float32) or float16 (with a GradScaler).
enum class Precision { Float32, BFloat16, Float16 };

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
// neither; a batch without a labelled pixel (all void) gives 0 (zero gradients, never NaN).
// target: N×H×W int64.
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
    // False when the loss was NaN or infinite: nothing was back-propagated and the weights and the
    // optimizer state are those from before the step.
    bool finite = true;
    // True when gradient scaling found non-finite gradients and skipped the optimizer step (mixed
    // precision only; the scale is lowered and training goes on, as PyTorch's GradScaler does).
    bool skipped = false;
    // With a StepSync: the labelled pixels of the union batch (all processes); -1 without one.
    double labelled = -1;
};

// The weights of one process's loss terms in the loss of the union of every process's batch
// (data-parallel training, core/train/data_parallel.h): the segmentation and context terms are
// means over labelled pixels, the task-similarity term a mean over elements (∝ images).
struct StepShares {
    double labelled = 1; // this process's labelled pixels / the union's
    double images = 1; // this process's images / the union's
};

// What a step agrees on with the other processes of a data-parallel run. maskSupStep calls
// combine() after its forward pass (before backward) and reduce() after backward (before the
// optimizer step), on every process in the same order, so the collectives pair up.
class StepSync {
public:
    virtual ~StepSync() = default;
    // `local`: this process's loss terms (means over its batch; finite = false when not finite),
    // its labelled pixels and images (0 images: a process whose share of the last batch is empty;
    // it still takes part). Returns false when some process's loss is not finite: then no
    // process steps. Otherwise fills `unionResult` with the loss terms of the union batch and
    // `shares` with the weights that make the sum of every process's gradients the union's.
    virtual bool combine(
        const StepResult& local, double labelled, int images, StepResult* unionResult, StepShares* shares)
        = 0;
    // After backward: the gradients summed over the processes (and the BatchNorm statistics averaged).
    virtual void reduce(SegmentationModelImpl& model) = 0;
};

// How BatchNorm layers behave in a training step.
enum class BatchNormMode {
    Batch, // normalise with the batch's statistics and update the running ones (the default)
    Frozen // use and keep the running statistics (eval mode): samples do not influence each other
};

// Dynamic loss scaling for mixed precision, as PyTorch's GradScaler: the loss is multiplied by
// `scale` before backward; gradients are unscaled and checked; a step with non-finite gradients is
// skipped and halves the scale; 2000 finite steps in a row double it. Plain values, so that a
// checkpoint can store and restore them exactly.
struct GradScaler {
    double scale = 65536.0;
    int growthTracker = 0;
    static constexpr int kGrowthInterval = 2000;
    // Unscales the gradients of `params` in place; returns true when all are finite.
    bool unscaleAndCheck(const std::vector<torch::Tensor>& params) const;
    void update(bool finite);
};

struct StepOptions {
    // Run both branches as one forward pass over the concatenated batch [I; I_m] instead of two
    // passes. BatchNorm then normalises clean and masked images with shared batch statistics, and
    // its running statistics mix both; the reference code runs two passes (the default).
    bool concatenate = false;
    // CUDA mixed precision: the forward passes run under autocast to bfloat16 or float16 (where
    // safe); the loss is computed in float32. Float16 scales the loss by `scaler` (required then);
    // bfloat16 runs without one.
    Precision precision = Precision::Float32;
    GradScaler* scaler = nullptr;
    BatchNormMode batchNorm = BatchNormMode::Batch;
    // Data-parallel training: the other processes' share of the step (nullptr: this process alone).
    StepSync* sync = nullptr;
};

// Puts every BatchNorm layer of `model` in eval mode (running statistics used, not updated).
void freezeBatchNorm(torch::nn::Module& model);

// One optimisation step of MaskSup on a batch. Both branches share the model's weights. Returns the
// loss terms as plain numbers.
StepResult maskSupStep(SegmentationModelImpl& model, torch::optim::Optimizer& optimizer,
    const torch::Tensor& images, const torch::Tensor& holes, const torch::Tensor& target, int64_t ignoreIndex,
    MaskSupMode mode, const LossWeights& weights, const torch::Tensor& holeFill = {},
    const StepOptions& options = {});

// Turns CUDA autocast on for its lifetime with the precision's dtype (nothing for Float32), across
// LibTorch versions (the API was renamed in 2.4); the previous state and dtype come back after.
class AutocastGuard {
public:
    explicit AutocastGuard(Precision precision);
    ~AutocastGuard();
    AutocastGuard(const AutocastGuard&) = delete;
    AutocastGuard& operator=(const AutocastGuard&) = delete;

private:
    bool m_enabled;
    bool m_previous = false;
    at::ScalarType m_previousDtype = at::kHalf;
};

} // namespace msup::nn
