#include "core/nn/masksup_loss.h"

#include <torch/nn/functional.h>

namespace msup::nn {

namespace F = torch::nn::functional;

torch::Tensor segmentationLoss(const torch::Tensor& logits, const torch::Tensor& target, int64_t ignoreIndex)
{
    if (logits.size(1) == 1) {
        const auto valid = target.ne(ignoreIndex).unsqueeze(1).to(logits.scalar_type());
        const auto t = target.clamp(0, 1).unsqueeze(1).to(logits.scalar_type());
        const auto perPixel = F::binary_cross_entropy_with_logits(
            logits, t, F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone));
        return (perPixel * valid).sum() / valid.sum().clamp_min(1.0);
    }
    return F::cross_entropy(logits, target, F::CrossEntropyFuncOptions().ignore_index(ignoreIndex));
}

torch::Tensor probabilities(const torch::Tensor& logits)
{
    return logits.size(1) == 1 ? torch::sigmoid(logits) : torch::softmax(logits, 1);
}

LossTerms maskSupLoss(const torch::Tensor& logitsClean, const torch::Tensor& logitsMasked,
    const torch::Tensor& target, int64_t ignoreIndex, MaskSupMode mode, const LossWeights& weights)
{
    LossTerms t;
    const auto zero = torch::zeros({}, logitsClean.options());
    t.seg = segmentationLoss(logitsClean, target, ignoreIndex);
    t.context = zero;
    t.tasksim = zero;
    if (mode != MaskSupMode::Baseline) {
        if (!logitsMasked.defined())
            throw std::invalid_argument("maskSupLoss: the masked branch is missing");
        t.context = segmentationLoss(logitsMasked, target, ignoreIndex);
        if (mode == MaskSupMode::MaskSup)
            t.tasksim = F::mse_loss(probabilities(logitsClean), probabilities(logitsMasked));
    }
    t.total = weights.seg * t.seg + weights.context * t.context + weights.tasksim * t.tasksim;
    return t;
}

torch::Tensor applyHoles(const torch::Tensor& images, const torch::Tensor& holes, const torch::Tensor& fill)
{
    const torch::Tensor kept = images * (1.0 - holes);
    return fill.defined() ? kept + fill * holes : kept;
}

StepResult maskSupStep(SegmentationModelImpl& model, torch::optim::Optimizer& optimizer,
    const torch::Tensor& images, const torch::Tensor& holes, const torch::Tensor& target, int64_t ignoreIndex,
    MaskSupMode mode, const LossWeights& weights, const torch::Tensor& holeFill)
{
    model.train();
    optimizer.zero_grad();
    const auto logitsClean = model.forward(images);
    torch::Tensor logitsMasked;
    if (mode != MaskSupMode::Baseline)
        logitsMasked = model.forward(applyHoles(images, holes, holeFill));
    const LossTerms terms = maskSupLoss(logitsClean, logitsMasked, target, ignoreIndex, mode, weights);
    terms.total.backward();
    optimizer.step();
    StepResult r;
    r.total = terms.total.item<double>();
    r.seg = terms.seg.item<double>();
    r.context = terms.context.item<double>();
    r.tasksim = terms.tasksim.item<double>();
    return r;
}

} // namespace msup::nn
