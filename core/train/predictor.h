#pragma once

#include "core/train/model_store.h"

#include <QString>
#include <opencv2/core.hpp>

#include <memory>
#include <vector>

namespace msup {

// Loads a checkpoint once and predicts label maps for images of any size: the image is resized to
// the training size, normalised, segmented, and the labels are resized back (nearest) to the
// original size. Not thread-safe: use one Predictor per thread.
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

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace msup
