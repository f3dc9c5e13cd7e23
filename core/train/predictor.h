#pragma once

#include "core/train/model_store.h"

#include <QString>
#include <opencv2/core.hpp>

#include <memory>

namespace msup {

// Loads a checkpoint once and predicts label maps for images of any size: the image is resized to
// the training size, normalised, segmented, and the labels are resized back (nearest) to the
// original size. Not thread-safe: use one Predictor per thread.
class Predictor {
public:
    // Throws msup::Error naming the file when the checkpoint cannot be loaded.
    explicit Predictor(const QString& checkpointPath, const QString& device = QStringLiteral("cpu"));
    ~Predictor();
    Predictor(const Predictor&) = delete;
    Predictor& operator=(const Predictor&) = delete;

    const CheckpointInfo& info() const;
    // rgb: CV_8UC3. Returns CV_8UC1 class indices at the image's size.
    cv::Mat predict(const cv::Mat& rgb);
    // The same on the masked input: holes is CV_8UC1 at the model size (info().config.imageSize
    // square, 255 = hole); hidden pixels become 0 after normalisation (mid-grey), as in training.
    cv::Mat predict(const cv::Mat& rgb, const cv::Mat& holes);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace msup
