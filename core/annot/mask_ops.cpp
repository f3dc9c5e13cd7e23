#include "core/annot/mask_ops.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdint>
#include <stdexcept>

namespace msup {

namespace {
    void requireLabels(const cv::Mat& labels, const char* what)
    {
        if (labels.empty() || labels.type() != CV_8UC1)
            throw std::invalid_argument(
                std::string(what) + ": the label map must be a non-empty CV_8UC1 image");
    }

    // The delta between `before` (a copy of labels(box) taken before the edit) and labels(box) now,
    // in map coordinates.
    LabelDelta deltaInBox(const cv::Mat& labels, const cv::Mat& before, const cv::Rect& box)
    {
        LabelDelta delta = makeLabelDelta(before, labels(box));
        if (!delta.isEmpty())
            delta.rect += box.tl();
        return delta;
    }

    // Whether pixel q lies within radius + 0.5 of the segment p0–p1, in exact integer arithmetic:
    // squared distances are compared after multiplying both sides by 4 (and by |p1 - p0|² for the
    // distance to the segment's interior).
    struct BrushSegment {
        BrushSegment(cv::Point a, cv::Point b, int radius)
            : p0(a)
            , p1(b)
            , dx(int64_t(b.x) - a.x)
            , dy(int64_t(b.y) - a.y)
            , len2(dx * dx + dy * dy)
            , limit(int64_t(2 * radius + 1) * (2 * radius + 1))
        {
        }
        bool contains(int x, int y) const
        {
            const int64_t qx = int64_t(x) - p0.x, qy = int64_t(y) - p0.y;
            const int64_t dot = qx * dx + qy * dy;
            if (len2 == 0 || dot <= 0)
                return 4 * (qx * qx + qy * qy) <= limit;
            if (dot >= len2) {
                const int64_t rx = int64_t(x) - p1.x, ry = int64_t(y) - p1.y;
                return 4 * (rx * rx + ry * ry) <= limit;
            }
            // distance² · len2 = |q|²·len2 − dot²  (the cross product squared)
            const int64_t cross = qx * dy - qy * dx;
            return 4 * cross * cross <= limit * len2;
        }
        cv::Point p0, p1;
        int64_t dx, dy, len2, limit;
    };

    cv::Rect segmentBox(cv::Point p0, cv::Point p1, int radius)
    {
        const int x0 = std::min(p0.x, p1.x) - radius, x1 = std::max(p0.x, p1.x) + radius;
        const int y0 = std::min(p0.y, p1.y) - radius, y1 = std::max(p0.y, p1.y) + radius;
        return cv::Rect(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }
} // namespace

LabelDelta paintBrushSegment(cv::Mat& labels, cv::Point p0, cv::Point p1, int radius, uchar value)
{
    requireLabels(labels, "paintBrushSegment");
    radius = std::max(radius, 0);
    const cv::Rect box = segmentBox(p0, p1, radius) & cv::Rect(0, 0, labels.cols, labels.rows);
    if (box.area() == 0)
        return {};
    const cv::Mat before = labels(box).clone();
    const BrushSegment brush(p0, p1, radius);
    for (int y = box.y; y < box.y + box.height; ++y) {
        uchar* row = labels.ptr<uchar>(y);
        for (int x = box.x; x < box.x + box.width; ++x) {
            if (brush.contains(x, y))
                row[x] = value;
        }
    }
    return deltaInBox(labels, before, box);
}

cv::Mat brushSegmentMask(cv::Point p0, cv::Point p1, int radius, cv::Point* origin)
{
    radius = std::max(radius, 0);
    const cv::Rect box = segmentBox(p0, p1, radius);
    if (origin)
        *origin = box.tl();
    cv::Mat mask(box.size(), CV_8UC1, cv::Scalar(0));
    const BrushSegment brush(p0, p1, radius);
    for (int y = 0; y < box.height; ++y) {
        uchar* row = mask.ptr<uchar>(y);
        for (int x = 0; x < box.width; ++x) {
            if (brush.contains(box.x + x, box.y + y))
                row[x] = 255;
        }
    }
    return mask;
}

LabelDelta floodFillLabels(cv::Mat& labels, cv::Point seed, uchar value)
{
    requireLabels(labels, "floodFillLabels");
    if (!cv::Rect(0, 0, labels.cols, labels.rows).contains(seed))
        return {};
    const uchar target = labels.at<uchar>(seed);
    if (target == value)
        return {};

    // Scanline fill: each popped seed grows into its whole horizontal run, which is filled at once
    // (so it is never visited again) and recorded; the rows above and below get one seed per run of
    // the target class touching it.
    struct Span {
        int y, x0, x1;
    };
    std::vector<Span> spans;
    std::vector<cv::Point> stack { seed };
    int minX = seed.x, maxX = seed.x, minY = seed.y, maxY = seed.y;
    const int cols = labels.cols;
    while (!stack.empty()) {
        const cv::Point p = stack.back();
        stack.pop_back();
        uchar* row = labels.ptr<uchar>(p.y);
        if (row[p.x] != target)
            continue;
        int left = p.x, right = p.x;
        while (left > 0 && row[left - 1] == target)
            --left;
        while (right < cols - 1 && row[right + 1] == target)
            ++right;
        std::fill(row + left, row + right + 1, value);
        spans.push_back({ p.y, left, right });
        minX = std::min(minX, left);
        maxX = std::max(maxX, right);
        minY = std::min(minY, p.y);
        maxY = std::max(maxY, p.y);
        for (const int ny : { p.y - 1, p.y + 1 }) {
            if (ny < 0 || ny >= labels.rows)
                continue;
            const uchar* next = labels.ptr<uchar>(ny);
            for (int x = left; x <= right; ++x) {
                if (next[x] == target && (x == left || next[x - 1] != target))
                    stack.push_back({ x, ny });
            }
        }
    }

    LabelDelta delta;
    delta.rect = cv::Rect(minX, minY, maxX - minX + 1, maxY - minY + 1);
    delta.after = labels(delta.rect).clone();
    delta.before = delta.after.clone();
    for (const Span& s : spans)
        delta.before.row(s.y - minY).colRange(s.x0 - minX, s.x1 - minX + 1).setTo(target);
    return delta;
}

LabelDelta fillPolygonLabels(cv::Mat& labels, const std::vector<cv::Point>& polygon, uchar value)
{
    requireLabels(labels, "fillPolygonLabels");
    if (polygon.empty())
        return {};
    const cv::Rect box = cv::boundingRect(polygon) & cv::Rect(0, 0, labels.cols, labels.rows);
    if (box.area() == 0)
        return {};
    // Rasterised into a mask of the clipped box only (fillPoly clips what falls outside it).
    std::vector<cv::Point> shifted;
    shifted.reserve(polygon.size());
    for (const cv::Point& p : polygon)
        shifted.push_back(p - box.tl());
    cv::Mat mask(box.size(), CV_8UC1, cv::Scalar(0));
    const std::vector<std::vector<cv::Point>> contours { shifted };
    cv::fillPoly(mask, contours, cv::Scalar(255), cv::LINE_8);
    // fillPoly leaves some degenerate outlines (a single point, a back-and-forth line) to the
    // outline pass only; draw the closed outline explicitly so every vertex pixel is filled.
    cv::polylines(mask, contours, true, cv::Scalar(255), 1, cv::LINE_8);
    const cv::Mat before = labels(box).clone();
    labels(box).setTo(value, mask);
    return deltaInBox(labels, before, box);
}

LabelDelta fillHolesLabels(cv::Mat& labels, int onlyClass)
{
    requireLabels(labels, "fillHolesLabels");
    const cv::Rect whole(0, 0, labels.cols, labels.rows);
    cv::Rect box = whole;
    if (onlyClass == 0 || onlyClass >= kVoidLabel)
        return {};
    if (onlyClass > 0) {
        cv::Mat ofClass;
        cv::compare(labels, cv::Scalar(onlyClass), ofClass, cv::CMP_EQ);
        box = cv::boundingRect(ofClass);
        if (box.area() == 0)
            return {};
    }
    const cv::Mat region = labels(box);
    cv::Mat background, components, stats, centroids;
    cv::compare(region, cv::Scalar(0), background, cv::CMP_EQ);
    const int count = cv::connectedComponentsWithStats(background, components, stats, centroids, 4, CV_32S);
    if (count <= 1)
        return {};

    // The single class around each background component: -1 none seen yet, -2 several (or void).
    std::vector<int> around(size_t(count), -1);
    const auto see = [&around](int component, int cls) {
        int& a = around[size_t(component)];
        if (cls == 0 || a == -2)
            return;
        if (cls == kVoidLabel)
            a = -2;
        else if (a == -1)
            a = cls;
        else if (a != cls)
            a = -2;
    };
    for (int y = 0; y < region.rows; ++y) {
        const int* cc = components.ptr<int>(y);
        const uchar* row = region.ptr<uchar>(y);
        const uchar* up = y > 0 ? region.ptr<uchar>(y - 1) : nullptr;
        const uchar* down = y + 1 < region.rows ? region.ptr<uchar>(y + 1) : nullptr;
        for (int x = 0; x < region.cols; ++x) {
            const int k = cc[x];
            if (k == 0)
                continue;
            if (x > 0)
                see(k, row[x - 1]);
            if (x + 1 < region.cols)
                see(k, row[x + 1]);
            if (up)
                see(k, up[x]);
            if (down)
                see(k, down[x]);
        }
    }
    std::vector<uchar> fillWith(size_t(count), 0);
    bool any = false;
    for (int k = 1; k < count; ++k) {
        const int left = stats.at<int>(k, cv::CC_STAT_LEFT), top = stats.at<int>(k, cv::CC_STAT_TOP);
        const int width = stats.at<int>(k, cv::CC_STAT_WIDTH), height = stats.at<int>(k, cv::CC_STAT_HEIGHT);
        const bool touchesBorder
            = left == 0 || top == 0 || left + width == region.cols || top + height == region.rows;
        const int cls = around[size_t(k)];
        if (touchesBorder || cls <= 0 || (onlyClass > 0 && cls != onlyClass))
            continue;
        fillWith[size_t(k)] = uchar(cls);
        any = true;
    }
    if (!any)
        return {};
    const cv::Mat before = region.clone();
    for (int y = 0; y < region.rows; ++y) {
        const int* cc = components.ptr<int>(y);
        uchar* row = labels.ptr<uchar>(box.y + y) + box.x;
        for (int x = 0; x < region.cols; ++x) {
            if (cc[x] > 0 && fillWith[size_t(cc[x])] != 0)
                row[x] = fillWith[size_t(cc[x])];
        }
    }
    return deltaInBox(labels, before, box);
}

LabelDelta mergeLabelDeltas(const cv::Mat& labels, const std::vector<LabelDelta>& deltas)
{
    requireLabels(labels, "mergeLabelDeltas");
    cv::Rect box;
    for (const LabelDelta& d : deltas) {
        if (!d.isEmpty())
            box = box.area() == 0 ? d.rect : (box | d.rect);
    }
    if (box.area() == 0)
        return {};
    if ((box & cv::Rect(0, 0, labels.cols, labels.rows)) != box)
        throw std::invalid_argument("mergeLabelDeltas: a delta does not fit the label map");
    const cv::Mat after = labels(box).clone();
    cv::Mat before = after.clone();
    for (auto it = deltas.rbegin(); it != deltas.rend(); ++it) {
        if (!it->isEmpty())
            it->before.copyTo(before(it->rect - box.tl()));
    }
    LabelDelta delta = makeLabelDelta(before, after);
    if (!delta.isEmpty())
        delta.rect += box.tl();
    return delta;
}

} // namespace msup
