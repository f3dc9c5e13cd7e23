#include "core/train/object_metrics.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <vector>

namespace msup {

cv::Mat objectsFromIds(const cv::Mat& ids)
{
    CV_Assert(ids.channels() == 1);
    cv::Mat v;
    ids.convertTo(v, CV_32S);
    std::map<int, int> relabel;
    for (int y = 0; y < v.rows; ++y)
        for (const int* p = v.ptr<int>(y); p != v.ptr<int>(y) + v.cols; ++p)
            if (*p != 0)
                relabel.emplace(*p, 0);
    int next = 0;
    for (auto& entry : relabel)
        entry.second = ++next;
    for (int y = 0; y < v.rows; ++y)
        for (int* p = v.ptr<int>(y); p != v.ptr<int>(y) + v.cols; ++p)
            if (*p != 0)
                *p = relabel[*p];
    return v;
}

cv::Mat objectsFromComponents(const cv::Mat& foreground)
{
    CV_Assert(foreground.channels() == 1);
    cv::Mat labels;
    cv::connectedComponents(foreground != 0, labels, 8, CV_32S);
    return labels;
}

double objectF1(int truePositives, int falsePositives, int falseNegatives)
{
    const int denominator = 2 * truePositives + falsePositives + falseNegatives;
    return denominator == 0 ? 1.0 : 2.0 * truePositives / denominator;
}

double foregroundDice(const cv::Mat& a, const cv::Mat& b)
{
    const double na = cv::countNonZero(a), nb = cv::countNonZero(b);
    if (na + nb == 0)
        return 1.0;
    return 2.0 * cv::countNonZero((a != 0) & (b != 0)) / (na + nb);
}

namespace {

    // Distance from every pixel to the nearest non-zero pixel of `set` (exact Euclidean).
    cv::Mat distanceTo(const cv::Mat& set)
    {
        cv::Mat distance;
        cv::distanceTransform(set == 0, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE, CV_32F);
        return distance;
    }

    // The largest distance from a pixel of `from` to the set `to` (its distance map given).
    double farthest(const cv::Mat& from, const cv::Mat& distanceToOther)
    {
        double max = 0;
        cv::minMaxLoc(distanceToOther, nullptr, &max, nullptr, nullptr, from != 0);
        return max;
    }

    // The objects of a label map: their areas and bounding boxes (index 0 unused).
    struct ObjectTable {
        std::vector<std::int64_t> area;
        std::vector<cv::Rect> box;
    };

    ObjectTable tableOf(const cv::Mat& labels, int count)
    {
        ObjectTable t { std::vector<std::int64_t>(size_t(count) + 1, 0),
            std::vector<cv::Rect>(size_t(count) + 1) };
        std::vector<int> x0(size_t(count) + 1, labels.cols), y0(size_t(count) + 1, labels.rows),
            x1(size_t(count) + 1, -1), y1(size_t(count) + 1, -1);
        for (int y = 0; y < labels.rows; ++y) {
            const int* p = labels.ptr<int>(y);
            for (int x = 0; x < labels.cols; ++x) {
                const size_t k = size_t(p[x]);
                if (k == 0)
                    continue;
                ++t.area[k];
                x0[k] = std::min(x0[k], x);
                y0[k] = std::min(y0[k], y);
                x1[k] = std::max(x1[k], x);
                y1[k] = std::max(y1[k], y);
            }
        }
        for (size_t k = 1; k <= size_t(count); ++k)
            if (t.area[k] > 0)
                t.box[k] = cv::Rect(cv::Point(x0[k], y0[k]), cv::Point(x1[k] + 1, y1[k] + 1));
        return t;
    }

    int maxLabel(const cv::Mat& labels)
    {
        double max = 0;
        cv::minMaxLoc(labels, nullptr, &max);
        return int(max);
    }

    // One side of the object Dice / Hausdorff sums: for each object of `self`, its partner on the
    // other side (largest overlap, or for Hausdorff the closest object when nothing overlaps).
    struct Side {
        const cv::Mat& labels;
        const ObjectTable& table;
        int count;
    };

    double objectHausdorff(const Side& a, int i, const Side& b, int j)
    {
        const cv::Rect roi = a.table.box[size_t(i)] | b.table.box[size_t(j)];
        const cv::Mat ma = a.labels(roi) == i, mb = b.labels(roi) == j;
        return hausdorffDistance(ma, mb);
    }

    // Σ weight·Dice and Σ weight·Hausdorff over the objects of `self` against `other`;
    // overlap(i, j) = pixels of self object i in other object j.
    template <typename Overlap>
    void weightedSums(const Side& self, const Side& other, const Overlap& overlap, double diagonal,
        double* dice, double* hausdorff)
    {
        std::int64_t total = 0;
        for (int i = 1; i <= self.count; ++i)
            total += self.table.area[size_t(i)];
        *dice = *hausdorff = 0;
        for (int i = 1; i <= self.count; ++i) {
            const std::int64_t area = self.table.area[size_t(i)];
            if (area == 0)
                continue;
            const double weight = double(area) / double(total);
            int best = 0;
            std::int64_t bestOverlap = 0;
            for (int j = 1; j <= other.count; ++j)
                if (overlap(i, j) > bestOverlap) {
                    bestOverlap = overlap(i, j);
                    best = j;
                }
            double h = diagonal;
            if (best > 0) {
                *dice += weight * 2.0 * double(bestOverlap) / double(area + other.table.area[size_t(best)]);
                h = objectHausdorff(self, i, other, best);
            } else {
                for (int j = 1; j <= other.count; ++j)
                    if (other.table.area[size_t(j)] > 0)
                        h = std::min(h, objectHausdorff(self, i, other, j));
            }
            *hausdorff += weight * h;
        }
    }

} // namespace

double hausdorffDistance(const cv::Mat& a, const cv::Mat& b)
{
    CV_Assert(a.size() == b.size() && cv::countNonZero(a) > 0 && cv::countNonZero(b) > 0);
    return std::max(farthest(a, distanceTo(b)), farthest(b, distanceTo(a)));
}

double hd95(const cv::Mat& a, const cv::Mat& b)
{
    CV_Assert(a.size() == b.size());
    const bool emptyA = cv::countNonZero(a) == 0, emptyB = cv::countNonZero(b) == 0;
    if (emptyA && emptyB)
        return 0;
    if (emptyA || emptyB)
        return std::numeric_limits<double>::quiet_NaN();
    const cv::Mat cross = cv::getStructuringElement(cv::MORPH_CROSS, { 3, 3 });
    auto boundary = [&cross](const cv::Mat& m) {
        const cv::Mat fg = m != 0;
        cv::Mat eroded;
        cv::erode(fg, eroded, cross, { -1, -1 }, 1, cv::BORDER_CONSTANT, cv::Scalar(0));
        return cv::Mat(fg & ~eroded);
    };
    const cv::Mat ba = boundary(a), bb = boundary(b);
    const cv::Mat toA = distanceTo(ba), toB = distanceTo(bb);
    std::vector<float> d;
    for (int y = 0; y < ba.rows; ++y)
        for (int x = 0; x < ba.cols; ++x) {
            if (ba.at<uchar>(y, x))
                d.push_back(toB.at<float>(y, x));
            if (bb.at<uchar>(y, x))
                d.push_back(toA.at<float>(y, x));
        }
    std::sort(d.begin(), d.end());
    const double position = 0.95 * double(d.size() - 1);
    const size_t lo = size_t(std::floor(position));
    const size_t hi = std::min(lo + 1, d.size() - 1);
    return double(d[lo]) + (position - double(lo)) * (double(d[hi]) - double(d[lo]));
}

ObjectScores scoreObjects(const cv::Mat& truth, const cv::Mat& segmented)
{
    CV_Assert(truth.type() == CV_32SC1 && segmented.type() == CV_32SC1 && truth.size() == segmented.size());
    const int n = maxLabel(truth), m = maxLabel(segmented);
    const ObjectTable gt = tableOf(truth, n), seg = tableOf(segmented, m);
    // overlap[i * (m + 1) + j] = pixels of truth object i inside segmented object j.
    std::vector<std::int64_t> overlap(size_t(n + 1) * size_t(m + 1), 0);
    for (int y = 0; y < truth.rows; ++y) {
        const int *t = truth.ptr<int>(y), *s = segmented.ptr<int>(y);
        for (int x = 0; x < truth.cols; ++x)
            ++overlap[size_t(t[x]) * size_t(m + 1) + size_t(s[x])];
    }
    auto ov = [&](int i, int j) { return overlap[size_t(i) * size_t(m + 1) + size_t(j)]; };

    ObjectScores r;
    for (int i = 1; i <= n; ++i)
        r.truthObjects += gt.area[size_t(i)] > 0;
    for (int j = 1; j <= m; ++j)
        r.segmentedObjects += seg.area[size_t(j)] > 0;

    std::vector<bool> matched(size_t(n) + 1, false);
    for (int j = 1; j <= m; ++j) {
        if (seg.area[size_t(j)] == 0)
            continue;
        int best = 0;
        for (int i = 1; i <= n; ++i)
            if (ov(i, j) > (best ? ov(best, j) : 0))
                best = i;
        if (best > 0 && 2 * ov(best, j) >= gt.area[size_t(best)]) {
            ++r.truePositives;
            matched[size_t(best)] = true;
        } else {
            ++r.falsePositives;
        }
    }
    for (int i = 1; i <= n; ++i)
        r.falseNegatives += gt.area[size_t(i)] > 0 && !matched[size_t(i)];

    const double diagonal = std::hypot(double(truth.cols), double(truth.rows));
    if (r.truthObjects == 0 && r.segmentedObjects == 0) {
        r.objectDice = 1;
        r.objectHausdorff = 0;
        return r;
    }
    if (r.truthObjects == 0 || r.segmentedObjects == 0) {
        r.objectDice = 0;
        r.objectHausdorff = diagonal;
        return r;
    }
    const Side g { truth, gt, n }, s { segmented, seg, m };
    double diceG = 0, hausG = 0, diceS = 0, hausS = 0;
    weightedSums(g, s, ov, diagonal, &diceG, &hausG);
    weightedSums(
        s, g, [&](int j, int i) { return ov(i, j); }, diagonal, &diceS, &hausS);
    r.objectDice = 0.5 * (diceG + diceS);
    r.objectHausdorff = 0.5 * (hausG + hausS);
    return r;
}

} // namespace msup
