#include "core/nn/masksup_loss.h"

#include <ATen/autocast_mode.h>
#include <torch/nn/functional.h>
#include <torch/version.h>

#include <cmath>
#include <stdexcept>

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
    // The mean over labelled pixels, as cross_entropy's "mean" reduction computes it (the sum over
    // the labelled pixels divided by their count, identical bits), except that a batch without a
    // labelled pixel (every pixel void) gives 0 with zero gradients instead of 0/0 = NaN.
    const auto sum = F::cross_entropy(
        logits, target, F::CrossEntropyFuncOptions().ignore_index(ignoreIndex).reduction(torch::kSum));
    return sum / target.ne(ignoreIndex).sum().clamp_min(1).to(sum.scalar_type());
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

AutocastGuard::AutocastGuard(Precision precision)
    : m_enabled(precision != Precision::Float32)
{
    if (!m_enabled)
        return;
    const at::ScalarType dtype = precision == Precision::BFloat16 ? at::kBFloat16 : at::kHalf;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    m_previous = at::autocast::is_autocast_enabled(at::kCUDA);
    m_previousDtype = at::autocast::get_autocast_dtype(at::kCUDA);
    at::autocast::set_autocast_dtype(at::kCUDA, dtype);
    at::autocast::set_autocast_enabled(at::kCUDA, true);
#else
    m_previous = at::autocast::is_enabled();
    m_previousDtype = at::autocast::get_autocast_gpu_dtype();
    at::autocast::set_autocast_gpu_dtype(dtype);
    at::autocast::set_enabled(true);
#endif
}

AutocastGuard::~AutocastGuard()
{
    if (!m_enabled)
        return;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    at::autocast::set_autocast_enabled(at::kCUDA, m_previous);
    at::autocast::set_autocast_dtype(at::kCUDA, m_previousDtype);
#else
    at::autocast::set_enabled(m_previous);
    at::autocast::set_autocast_gpu_dtype(m_previousDtype);
#endif
    if (!m_previous)
        at::autocast::clear_cache();
}

bool GradScaler::unscaleAndCheck(const std::vector<torch::Tensor>& params) const
{
    torch::NoGradGuard noGrad;
    torch::Tensor bad;
    for (const torch::Tensor& p : params) {
        torch::Tensor g = p.grad();
        if (!g.defined())
            continue;
        g.mul_(1.0 / scale);
        const torch::Tensor n = torch::logical_not(torch::isfinite(g)).sum();
        bad = bad.defined() ? bad + n : n;
    }
    // One synchronisation for the whole model.
    return !bad.defined() || bad.item<int64_t>() == 0;
}

void GradScaler::update(bool finite)
{
    if (!finite) {
        scale *= 0.5;
        growthTracker = 0;
    } else if (++growthTracker >= kGrowthInterval) {
        scale *= 2.0;
        growthTracker = 0;
    }
}

void freezeBatchNorm(torch::nn::Module& model)
{
    for (const auto& m : model.modules(/*include_self=*/false))
        if (m->as<torch::nn::BatchNorm1d>() || m->as<torch::nn::BatchNorm2d>())
            m->eval();
}

namespace {

    // Zero gradients on every parameter, defined (a process without images in a data-parallel step
    // still adds its share, zero, to the sum).
    void zeroGradients(torch::optim::Optimizer& optimizer)
    {
        torch::NoGradGuard noGrad;
        for (const auto& group : optimizer.param_groups())
            for (torch::Tensor p : group.params()) {
                if (p.grad().defined())
                    p.mutable_grad().zero_();
                else
                    p.mutable_grad() = torch::zeros_like(p);
            }
    }

} // namespace

StepResult maskSupStep(SegmentationModelImpl& model, torch::optim::Optimizer& optimizer,
    const torch::Tensor& images, const torch::Tensor& holes, const torch::Tensor& target, int64_t ignoreIndex,
    MaskSupMode mode, const LossWeights& weights, const torch::Tensor& holeFill, const StepOptions& options)
{
    const bool autocast = options.precision != Precision::Float32;
    const bool scaled = options.precision == Precision::Float16;
    if (scaled && !options.scaler)
        throw std::invalid_argument("maskSupStep: float16 mixed precision needs a GradScaler");
    model.train();
    if (options.batchNorm == BatchNormMode::Frozen)
        freezeBatchNorm(model);
    optimizer.zero_grad();
    const int count = int(images.size(0));
    LossTerms terms;
    StepResult r;
    if (count > 0) {
        torch::Tensor logitsClean, logitsMasked;
        {
            const AutocastGuard guard(options.precision);
            if (mode == MaskSupMode::Baseline) {
                logitsClean = model.forward(images);
            } else if (options.concatenate) {
                const auto both
                    = model.forward(torch::cat({ images, applyHoles(images, holes, holeFill) }, 0));
                logitsClean = both.narrow(0, 0, count);
                logitsMasked = both.narrow(0, count, count);
            } else {
                logitsClean = model.forward(images);
                logitsMasked = model.forward(applyHoles(images, holes, holeFill));
            }
        }
        // The loss in float32 (autocast off), from logits that may be bfloat16 or float16.
        if (autocast) {
            logitsClean = logitsClean.to(torch::kFloat32);
            if (logitsMasked.defined())
                logitsMasked = logitsMasked.to(torch::kFloat32);
        }
        terms = maskSupLoss(logitsClean, logitsMasked, target, ignoreIndex, mode, weights);
        r.total = terms.total.item<double>();
        r.seg = terms.seg.item<double>();
        r.context = terms.context.item<double>();
        r.tasksim = terms.tasksim.item<double>();
        r.finite = std::isfinite(r.total);
    }
    torch::Tensor total = terms.total;
    if (options.sync) {
        // The union's loss, and this process's terms weighted by their share of it: the sum of the
        // processes' gradients is then the gradient of one process over the union batch.
        const double labelled = count > 0 ? target.ne(ignoreIndex).sum().item<double>() : 0.0;
        StepResult u;
        StepShares shares;
        if (!options.sync->combine(r, labelled, count, &u, &shares)) {
            u.finite = false;
            return u; // the weights stay as they were on every process
        }
        r = u;
        if (count > 0)
            total = weights.seg * shares.labelled * terms.seg
                + weights.context * shares.labelled * terms.context
                + weights.tasksim * shares.images * terms.tasksim;
    } else if (!r.finite) {
        return r; // the weights stay as they were: the caller keeps its last good state
    }
    if (count > 0)
        (scaled ? total * options.scaler->scale : total).backward();
    else
        zeroGradients(optimizer);
    if (options.sync)
        options.sync->reduce(model);
    if (scaled) {
        std::vector<torch::Tensor> params;
        for (const auto& group : optimizer.param_groups())
            params.insert(params.end(), group.params().begin(), group.params().end());
        const bool finite = options.scaler->unscaleAndCheck(params);
        if (finite)
            optimizer.step();
        r.skipped = !finite;
        options.scaler->update(finite);
    } else {
        optimizer.step();
    }
    return r;
}

} // namespace msup::nn
