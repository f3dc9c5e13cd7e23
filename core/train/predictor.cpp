#include "core/train/predictor.h"

#include "core/base/error.h"
#include "core/engine/batch.h"
#include "core/nn/masksup_loss.h"
#include "core/train/checkpoint_io.h"
#include "core/train/tensor_utils.h"
#include "core/train/training_session.h"

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

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

namespace {

    // Per-pixel entropy of N×C×H×W probabilities divided by log K (K = C, or 2 for one sigmoid
    // channel): N×H×W in [0, 1].
    torch::Tensor normalisedEntropy(const torch::Tensor& p)
    {
        if (p.size(1) == 1) {
            const torch::Tensor q = p.squeeze(1).clamp(1e-7, 1 - 1e-7);
            return -(q * q.log() + (1 - q) * (1 - q).log()) / std::log(2.0);
        }
        const torch::Tensor q = p.clamp_min(1e-12);
        return -(q * q.log()).sum(1) / std::log(double(p.size(1)));
    }

    // Labels from (averaged) probabilities: > 0.5 for one channel, argmax otherwise. N×H×W uint8.
    torch::Tensor probabilitiesToLabels(const torch::Tensor& p)
    {
        const torch::Tensor l = p.size(1) == 1 ? p.squeeze(1).gt(0.5) : p.argmax(1);
        return l.to(torch::kUInt8).contiguous();
    }

    cv::Mat matOf(const torch::Tensor& plane, int type) // an H×W CPU tensor, copied
    {
        const torch::Tensor t = plane.contiguous();
        return cv::Mat(int(t.size(0)), int(t.size(1)), type, t.data_ptr()).clone();
    }

    // The 8-bit RGB image as a normalised 1×3×H×W float tensor (engine::normalise, as training).
    torch::Tensor normalisedInput(const cv::Mat& rgb)
    {
        torch::Tensor planes = torch::empty({ 1, 3, rgb.rows, rgb.cols }, torch::kUInt8);
        cv::Mat split[3];
        for (int c = 0; c < 3; ++c)
            split[c] = cv::Mat(rgb.rows, rgb.cols, CV_8UC1,
                planes.data_ptr<std::uint8_t>() + size_t(c) * rgb.rows * rgb.cols);
        cv::split(rgb, split);
        return engine::normalise(planes).contiguous();
    }

    // Start positions of tiles of `tile` pixels covering `length` with at least `overlap` shared,
    // spread evenly so that the first starts at 0 and the last ends at `length`.
    std::vector<int> tileStarts(int length, int tile, double overlap)
    {
        if (length <= tile)
            return { 0 };
        const int stride = std::max(1, int(std::floor(tile * (1.0 - overlap))));
        const int n = int(std::ceil(double(length - tile) / stride)) + 1;
        std::vector<int> starts(size_t(n), 0);
        for (int i = 0; i < n; ++i)
            starts[size_t(i)] = int(std::lround(double(i) * (length - tile) / (n - 1)));
        return starts;
    }

    // A smooth S×S blending weight: highest in the tile's centre, small but positive at its edges
    // (so that pixels seen by one tile only keep their prediction).
    torch::Tensor tileWeight(int s)
    {
        const double pi = std::acos(-1.0);
        const torch::Tensor i = torch::arange(s, torch::kFloat64).add_(0.5).mul_(pi / s);
        const torch::Tensor w1 = i.sin().pow_(2).add_(1e-3).to(torch::kFloat32);
        return w1.unsqueeze(1) * w1.unsqueeze(0);
    }

    constexpr int64_t kMaxTiledValues = int64_t(1) << 28; // 1 GiB of float probabilities

    // The mean probabilities of one batch over the passes (1 or, with flips, 4), on the CPU; with
    // `meanEntropy`, also the passes' mean normalised entropy (for the TTA disagreement); `logits` gets
    // the single pass's logits when there is no TTA (labels from logits, as before TTA existed).
    torch::Tensor forwardPasses(nn::SegmentationModelImpl& model, const torch::Device& device,
        const torch::Tensor& input, bool tta, torch::Tensor* meanEntropy, torch::Tensor* logits)
    {
        if (!tta) {
            const torch::Tensor l = model.forward(input.to(device));
            if (logits)
                *logits = l;
            return nn::probabilities(l).to(torch::kCPU, torch::kFloat32);
        }
        static const std::vector<std::vector<int64_t>> flips { {}, { 3 }, { 2 }, { 2, 3 } };
        torch::Tensor sum, entropy;
        for (const std::vector<int64_t>& dims : flips) {
            const torch::Tensor x = dims.empty() ? input : input.flip(dims);
            torch::Tensor p = nn::probabilities(model.forward(x.to(device))).to(torch::kCPU, torch::kFloat32);
            if (!dims.empty())
                p = p.flip(dims);
            sum = sum.defined() ? sum + p : p;
            if (meanEntropy) {
                const torch::Tensor h = normalisedEntropy(p);
                entropy = entropy.defined() ? entropy + h : h;
            }
        }
        if (meanEntropy)
            *meanEntropy = entropy / double(flips.size());
        return sum / double(flips.size());
    }

    // Fills the probabilities and the uncertainty of `maps` when `outputs` asks for them; `p` is
    // 1×C×H×W, `meanEntropy` (TTA only) 1×H×W.
    void fillOutputs(PredictionMaps& maps, const torch::Tensor& p, const torch::Tensor& meanEntropy,
        const cv::Size& imageSize, int outputs)
    {
        if (outputs & kProbabilities) {
            const torch::Tensor c = p[0].contiguous();
            maps.probabilities.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
            maps.probabilityRows = int(c.size(1));
            maps.probabilityCols = int(c.size(2));
        }
        if (outputs & kUncertainty) {
            torch::Tensor u = normalisedEntropy(p);
            if (meanEntropy.defined())
                u = (u - meanEntropy).clamp_min(0);
            cv::resize(matOf(u[0].to(torch::kFloat32), CV_32FC1), maps.uncertainty, imageSize, 0, 0,
                cv::INTER_LINEAR);
        }
    }

} // namespace

cv::Mat Predictor::predict(const cv::Mat& rgb, const cv::Mat& holes, std::vector<float>* probabilities)
{
    if (rgb.empty() || rgb.type() != CV_8UC3)
        throw Error("predict: expected an 8-bit RGB image");
    const int s = d->info.config.imageSize;
    if (!holes.empty() && (holes.type() != CV_8UC1 || holes.cols != s || holes.rows != s))
        throw Error("predict: the hole mask must be 8-bit " + std::to_string(s) + "x" + std::to_string(s));
    PredictionMaps maps = resized(rgb, holes, false, probabilities ? kProbabilities : kLabelsOnly);
    if (probabilities)
        *probabilities = std::move(maps.probabilities);
    return maps.labels;
}

PredictionMaps Predictor::resized(const cv::Mat& rgb, const cv::Mat& holes, bool tta, int outputs)
{
    torch::NoGradGuard noGrad;
    d->model->eval();
    const int s = d->info.config.imageSize;
    torch::Tensor input = normalisedInput(resizeImage(rgb, s));
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
    torch::Tensor meanEntropy, logits;
    const bool entropyOfPasses = tta && (outputs & kUncertainty);
    const torch::Tensor p
        = forwardPasses(*d->model, d->device, input, tta, entropyOfPasses ? &meanEntropy : nullptr, &logits);
    PredictionMaps maps;
    // One pass: labels from the logits, exactly as before flip TTA existed.
    const torch::Tensor labels = tta ? probabilitiesToLabels(p) : logitsToLabels(logits);
    cv::resize(matOf(labels[0], CV_8UC1), maps.labels, rgb.size(), 0, 0, cv::INTER_NEAREST);
    fillOutputs(maps, p, meanEntropy, rgb.size(), outputs);
    return maps;
}

PredictionMaps Predictor::run(const cv::Mat& rgb, const InferenceOptions& options, int outputs)
{
    if (rgb.empty() || rgb.type() != CV_8UC3)
        throw Error("predict: expected an 8-bit RGB image");
    options.check();
    if (options.mode == InferenceOptions::Mode::Resize)
        return resized(rgb, cv::Mat(), options.flipTta, outputs);

    torch::NoGradGuard noGrad;
    d->model->eval();
    const int s = d->info.config.imageSize;
    cv::Mat scaled = rgb;
    if (options.scale != 1.0) {
        const cv::Size size(std::max(1, int(std::lround(rgb.cols * options.scale))),
            std::max(1, int(std::lround(rgb.rows * options.scale))));
        cv::resize(rgb, scaled, size, 0, 0, options.scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    }
    const int h = scaled.rows, w = scaled.cols;
    const int channels = d->info.outputChannels;
    if (int64_t(h) * w * std::max(channels, 2) > kMaxTiledValues)
        throw Error("the image is too large for tiles at this scale (" + std::to_string(w) + "x"
                + std::to_string(h) + " pixels, " + std::to_string(channels) + " classes)",
            std::string(), "Choose a smaller scale (--scale), or resize to the training size.");
    // Images smaller than a tile are padded with normalised 0 (mid-grey, as hidden pixels are).
    const int ph = std::max(h, s), pw = std::max(w, s);
    torch::Tensor input = normalisedInput(scaled);
    if (ph != h || pw != w)
        input = torch::constant_pad_nd(input, { 0, pw - w, 0, ph - h }, 0.0);
    const std::vector<int> ys = tileStarts(ph, s, options.overlap), xs = tileStarts(pw, s, options.overlap);
    const torch::Tensor weight = tileWeight(s);
    const bool entropyOfPasses = options.flipTta && (outputs & kUncertainty);
    torch::Tensor sum = torch::zeros({ channels, ph, pw }, torch::kFloat32);
    torch::Tensor weights = torch::zeros({ ph, pw }, torch::kFloat32);
    torch::Tensor entropySum = entropyOfPasses ? torch::zeros({ ph, pw }, torch::kFloat32) : torch::Tensor();
    std::vector<std::pair<int, int>> tiles;
    for (int y : ys)
        for (int x : xs)
            tiles.emplace_back(y, x);
    constexpr size_t kTilesPerBatch = 4;
    for (size_t first = 0; first < tiles.size(); first += kTilesPerBatch) {
        const size_t n = std::min(kTilesPerBatch, tiles.size() - first);
        std::vector<torch::Tensor> crops;
        for (size_t t = first; t < first + n; ++t)
            crops.push_back(input[0].narrow(1, tiles[t].first, s).narrow(2, tiles[t].second, s));
        torch::Tensor meanEntropy;
        const torch::Tensor p = forwardPasses(*d->model, d->device, torch::stack(crops).contiguous(),
            options.flipTta, entropyOfPasses ? &meanEntropy : nullptr, nullptr);
        for (size_t t = 0; t < n; ++t) {
            const auto [y, x] = tiles[first + t];
            sum.narrow(1, y, s).narrow(2, x, s).add_(p[int64_t(t)] * weight);
            weights.narrow(0, y, s).narrow(1, x, s).add_(weight);
            if (entropyOfPasses)
                entropySum.narrow(0, y, s).narrow(1, x, s).add_(meanEntropy[int64_t(t)] * weight);
        }
    }
    const torch::Tensor p = (sum / weights).narrow(1, 0, h).narrow(2, 0, w).unsqueeze(0).contiguous();
    const torch::Tensor meanEntropy = entropyOfPasses
        ? (entropySum / weights).narrow(0, 0, h).narrow(1, 0, w).unsqueeze(0)
        : torch::Tensor();
    PredictionMaps maps;
    const cv::Mat labels = matOf(probabilitiesToLabels(p)[0], CV_8UC1);
    if (labels.size() == rgb.size())
        maps.labels = labels;
    else
        cv::resize(labels, maps.labels, rgb.size(), 0, 0, cv::INTER_NEAREST);
    fillOutputs(maps, p, meanEntropy, rgb.size(), outputs);
    return maps;
}

} // namespace msup
