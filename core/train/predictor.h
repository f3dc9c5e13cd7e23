#pragma once

#include "core/train/inference_options.h"
#include "core/train/model_store.h"

#include <QString>
#include <opencv2/core.hpp>

#include <memory>
#include <vector>

namespace msup {

// What Predictor::run returns: the labels always, the rest when asked for (PredictionOutputs).
struct PredictionMaps {
    cv::Mat labels; // CV_8UC1 class indices at the image's size
    // C×H×W floats, C-order, after sigmoid (one channel) or softmax, at the working resolution: the
    // training size S×S (Resize) or the scaled image (Tiles); averaged over the passes with flip TTA.
    std::vector<float> probabilities;
    int probabilityRows = 0;
    int probabilityCols = 0;
    // CV_32FC1 in [0, 1] at the image's size: the entropy of the probabilities divided by log K
    // (K = classes, 2 for one sigmoid channel); with flip TTA, the disagreement between the passes
    // instead (mutual information: entropy of the mean minus the mean of the passes' entropies,
    // divided by log K).
    cv::Mat uncertainty;
};
enum PredictionOutput { kLabelsOnly = 0, kProbabilities = 1, kUncertainty = 2 };

// Loads a checkpoint once and predicts label maps for images of any size. By default the image is
// resized to the training size, normalised, segmented, and the labels are resized back (nearest)
// to the original size; run() can instead segment the image at its own resolution in overlapping
// tiles of the training size (blended with a smooth weight) and average flipped passes
// (InferenceOptions). Not thread-safe: use one Predictor per thread.
class Predictor {
public:
    // Throws msup::Error naming the file when the checkpoint cannot be loaded.
    // imageSize > 0 overrides the size stored with the checkpoint (a multiple of 16; needed for
    // weights imported without one).
    explicit Predictor(
        const QString& checkpointPath, const QString& device = QStringLiteral("cpu"), int imageSize = 0);
    ~Predictor();
    Predictor(const Predictor&) = delete;
    Predictor& operator=(const Predictor&) = delete;

    const CheckpointInfo& info() const;
    // rgb: CV_8UC3. Returns CV_8UC1 class indices at the image's size.
    cv::Mat predict(const cv::Mat& rgb);
    // The same on the masked input: holes is CV_8UC1 at the model size (info().config.imageSize
    // square, 255 = hole); hidden pixels become 0 after normalisation (mid-grey), as in training.
    cv::Mat predict(const cv::Mat& rgb, const cv::Mat& holes);
    // The same, also returning the probabilities at the model's input size (C×S×S floats, C-order,
    // after sigmoid for one channel or softmax otherwise) when `probabilities` is given.
    cv::Mat predict(const cv::Mat& rgb, const cv::Mat& holes, std::vector<float>* probabilities);
    int imageSize() const;

    // Predicts with the chosen inference; `outputs` is a mask of PredictionOutput. Throws
    // msup::Error for an image that is not 8-bit RGB, options out of range, or an image too large
    // for tiles at this scale.
    PredictionMaps run(const cv::Mat& rgb, const InferenceOptions& options, int outputs = kLabelsOnly);

private:
    struct Impl;
    PredictionMaps resized(const cv::Mat& rgb, const cv::Mat& holes, bool tta, int outputs);
    std::unique_ptr<Impl> d;
};

} // namespace msup
