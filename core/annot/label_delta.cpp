#include "core/annot/label_delta.h"

#include <opencv2/imgproc.hpp>

#include <stdexcept>

namespace msup {

LabelDelta makeLabelDelta(const cv::Mat& before, const cv::Mat& after, cv::Rect region)
{
    if (before.size() != after.size() || before.type() != after.type())
        throw std::invalid_argument("makeLabelDelta: the two label maps differ in size or type");
    const cv::Rect whole(0, 0, before.cols, before.rows);
    region = region.area() == 0 ? whole : (region & whole);
    LabelDelta delta;
    if (region.area() == 0)
        return delta;
    cv::Mat differs;
    cv::compare(before(region), after(region), differs, cv::CMP_NE);
    if (differs.channels() != 1)
        throw std::invalid_argument("makeLabelDelta: label maps must have one channel");
    const cv::Rect box = cv::boundingRect(differs);
    if (box.area() == 0)
        return delta;
    delta.rect = box + region.tl();
    delta.before = before(delta.rect).clone();
    delta.after = after(delta.rect).clone();
    return delta;
}

namespace {
    void writeDelta(cv::Mat& labels, const LabelDelta& delta, const cv::Mat& pixels)
    {
        if (delta.isEmpty())
            return;
        const cv::Rect whole(0, 0, labels.cols, labels.rows);
        if ((delta.rect & whole) != delta.rect || pixels.type() != labels.type()
            || pixels.size() != delta.rect.size())
            throw std::invalid_argument("label delta does not fit this label map");
        pixels.copyTo(labels(delta.rect));
    }
} // namespace

void applyLabelDelta(cv::Mat& labels, const LabelDelta& delta)
{
    writeDelta(labels, delta, delta.after);
}

void revertLabelDelta(cv::Mat& labels, const LabelDelta& delta)
{
    writeDelta(labels, delta, delta.before);
}

} // namespace msup
