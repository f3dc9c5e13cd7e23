#pragma once

#include <opencv2/core.hpp>

namespace msup {

// One edit of a label map (CV_8UC1: class per pixel, 255 = void): the bounding box of the pixels
// it changed and their values before and after. Undo/redo commands, the crash journal and the
// "edited" state of an image all work on deltas, so an edit costs memory in proportion to what it
// touched, not to the image.
struct LabelDelta {
    cv::Rect rect; // in label-map coordinates
    cv::Mat before; // rect-sized copies (deep), same type as the label map
    cv::Mat after;

    bool isEmpty() const { return rect.area() == 0; }
};

// The delta turning `before` into `after` (same size and type), looking only inside `region`
// (clipped to the map; an empty region means the whole map). The result is shrunk to the bounding
// box of the pixels that differ; it is empty when none does. Throws std::invalid_argument on a size
// or type mismatch.
LabelDelta makeLabelDelta(const cv::Mat& before, const cv::Mat& after, cv::Rect region = {});

// Writes the delta's "after" (apply) or "before" (revert) pixels into `labels`. Throws
// std::invalid_argument when the delta does not fit the map or has another type.
void applyLabelDelta(cv::Mat& labels, const LabelDelta& delta);
void revertLabelDelta(cv::Mat& labels, const LabelDelta& delta);

} // namespace msup
