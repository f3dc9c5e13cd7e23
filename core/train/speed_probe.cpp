#include "core/train/speed_probe.h"

#include "core/base/error.h"
#include "core/engine/precision.h"
#include "core/nn/masksup_loss.h"
#include "core/nn/unet.h"
#include "core/train/training_session.h"

#include <QElapsedTimer>

#include <algorithm>

namespace msup {

SpeedEstimate probeTrainingSpeed(const TrainConfig& config, int trainImages, Progress& progress)
{
    config.validateSettings();
    SpeedEstimate estimate;
    const torch::Device device(TrainingSession::resolveDevice(config.device).toStdString());
    estimate.device = QString::fromStdString(device.str());
    estimate.batchesPerEpoch
        = std::max(1, (std::max(trainImages, 1) + config.batchSize - 1) / config.batchSize);
    try {
        nn::ModelSpec spec;
        spec.name = config.model.toStdString();
        spec.width = config.width;
        spec.reluLogits = config.reluLogits;
        spec.imageSize = config.imageSize;
        auto model = nn::createModel(spec);
        model->to(device);
        model->train();
        torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(config.learningRate));
        const int64_t b = config.batchSize, s = config.imageSize;
        const auto options = torch::TensorOptions().device(device);
        const torch::Tensor images = torch::randn({ b, 3, s, s }, options);
        const torch::Tensor holes = torch::rand({ b, 1, s, s }, options).gt(0.5).to(torch::kFloat);
        const torch::Tensor target = torch::randint(0, 2, { b, s, s }, options.dtype(torch::kLong));
        const nn::MaskSupMode mode = config.mode == QLatin1String("baseline") ? nn::MaskSupMode::Baseline
            : config.mode == QLatin1String("context")                         ? nn::MaskSupMode::Context
                                                                              : nn::MaskSupMode::MaskSup;
        nn::GradScaler scaler;
        nn::StepOptions step;
        step.concatenate = config.branches == QLatin1String("concat");
        step.precision = engine::resolvePrecision(config.amp.toStdString(), device);
        step.scaler = step.precision == nn::Precision::Float16 ? &scaler : nullptr;
        const nn::LossWeights weights { config.alphaSeg, config.alphaContext, config.alphaTasksim };
        progress.report(0, 2, "warm-up step");
        nn::maskSupStep(*model, optimizer, images, holes, target, 255, mode, weights, {}, step);
        progress.report(1, 2, "timed step");
        if (progress.isCancelled())
            throw Error("cancelled");
        QElapsedTimer clock;
        clock.start();
        // The step returns its losses as numbers: the device has finished when it returns.
        nn::maskSupStep(*model, optimizer, images, holes, target, 255, mode, weights, {}, step);
        estimate.secondsPerBatch = clock.nsecsElapsed() * 1e-9;
        progress.report(2, 2, "");
    } catch (const std::invalid_argument& e) {
        throw Error(e.what());
    } catch (const c10::Error& e) {
        // Out of memory (CUDA, or an allocation the CPU refuses): the answer to "will it fit".
        throw Error(std::string("one batch of ") + std::to_string(config.batchSize) + " images at "
            + std::to_string(config.imageSize) + " px does not fit on " + device.str() + ": "
            + e.what_without_backtrace());
    }
    estimate.secondsPerEpoch = estimate.secondsPerBatch * estimate.batchesPerEpoch;
    return estimate;
}

} // namespace msup
