#include "core/masks/hole_generator.h"

#include "core/base/error.h"
#include "core/base/rng.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <vector>

namespace msup {

HoleRatioRange HoleRatioRange::parse(const std::string& text)
{
    if (text == "high")
        return { 0.5, 0.6 };
    if (text == "low")
        return { 0.01, 0.1 };
    const auto dash = text.find('-', 1);
    if (dash != std::string::npos) {
        char* end = nullptr;
        const std::string a = text.substr(0, dash), b = text.substr(dash + 1);
        const double lo = std::strtod(a.c_str(), &end);
        const bool okA = !a.empty() && end && *end == '\0';
        const double hi = std::strtod(b.c_str(), &end);
        const bool okB = !b.empty() && end && *end == '\0';
        if (okA && okB && lo >= 0.0 && hi <= 1.0 && hi - lo >= 0.005)
            return { lo, hi };
    }
    throw Error("invalid hole ratio '" + text
        + "': use 'high' (0.5-0.6), 'low' (0.01-0.1) or an interval A-B with "
          "0 <= A < B <= 1 and B - A >= 0.005, e.g. 0.2-0.3");
}

std::string HoleRatioRange::toString() const
{
    std::ostringstream s;
    s << lo << '-' << hi;
    return s.str();
}

HoleGenerator::HoleGenerator(HoleRatioRange range)
    : m_range(range)
{
}

std::string HoleGenerator::describe() const
{
    return "generator, hole ratio " + m_range.toString();
}

double holeRatio(const cv::Mat& mask)
{
    if (mask.empty())
        return 0.0;
    return static_cast<double>(cv::countNonZero(mask)) / static_cast<double>(mask.total());
}

namespace {

    // Draws one shape at the given scale (1 = full size). Returns the
    // point the shape starts from (a streak's first vertex, a circle's or an ellipse's centre).
    cv::Point drawShape(cv::Mat& m, Rng& rng, double scale)
    {
        const double d = std::min(m.cols, m.rows);
        const double kind = rng.uniform();
        const auto pointIn
            = [&]() { return cv::Point(rng.uniformInt(0, m.cols - 1), rng.uniformInt(0, m.rows - 1)); };
        if (kind < 0.7) {
            // Streak: a random walk of thick segments with round joints.
            cv::Point p = pointIn();
            const cv::Point start = p;
            double angle = rng.uniform(0.0, 6.283185307179586);
            const int vertices = rng.uniformInt(3, 10);
            double width = std::max(1.0, scale * rng.uniform(d / 40.0, d / 9.0));
            for (int i = 0; i < vertices; ++i) {
                angle += rng.uniform(-1.2, 1.2);
                const double len = std::max(2.0, scale * rng.uniform(d / 18.0, d / 5.0));
                cv::Point q(p.x + static_cast<int>(std::lround(len * std::cos(angle))),
                    p.y + static_cast<int>(std::lround(len * std::sin(angle))));
                q.x = std::clamp(q.x, 0, m.cols - 1);
                q.y = std::clamp(q.y, 0, m.rows - 1);
                const int t = std::max(1, static_cast<int>(std::lround(width)));
                cv::line(m, p, q, cv::Scalar(255), t, cv::LINE_8);
                cv::circle(m, q, std::max(1, t / 2), cv::Scalar(255), cv::FILLED, cv::LINE_8);
                width = std::clamp(width * rng.uniform(0.75, 1.3), 1.0, scale * d / 7.0 + 1.0);
                p = q;
            }
            return start;
        } else if (kind < 0.85) {
            const int r = std::max(1, static_cast<int>(std::lround(scale * rng.uniform(d / 30.0, d / 8.0))));
            const cv::Point centre = pointIn();
            cv::circle(m, centre, r, cv::Scalar(255), cv::FILLED, cv::LINE_8);
            return centre;
        } else {
            const int a = std::max(1, static_cast<int>(std::lround(scale * rng.uniform(d / 25.0, d / 6.0))));
            const int b = std::max(1, static_cast<int>(std::lround(scale * rng.uniform(d / 40.0, d / 10.0))));
            const double rot = rng.uniform(0.0, 180.0);
            const cv::Point centre = pointIn();
            cv::ellipse(
                m, centre, cv::Size(a, b), std::round(rot), 0, 360, cv::Scalar(255), cv::FILLED, cv::LINE_8);
            return centre;
        }
    }

    // Adds to `mask` the `wanted` pixels of `shape` (new holes, 255 where `mask` is 0) nearest to
    // `anchor` (ties in raster order), so that the last shape stops exactly at the target count: a
    // streak is cut short, a disc shrinks towards its centre. Deterministic (integer distances).
    void addNearest(cv::Mat& mask, const cv::Mat& shape, cv::Point anchor, int wanted)
    {
        struct Pixel {
            std::int64_t distance;
            int index;
        };
        std::vector<Pixel> added;
        for (int y = 0; y < mask.rows; ++y) {
            const unsigned char* a = mask.ptr<unsigned char>(y);
            const unsigned char* b = shape.ptr<unsigned char>(y);
            for (int x = 0; x < mask.cols; ++x)
                if (b[x] && !a[x]) {
                    const std::int64_t dx = x - anchor.x, dy = y - anchor.y;
                    added.push_back({ dx * dx + dy * dy, y * mask.cols + x });
                }
        }
        wanted = std::min<int>(wanted, int(added.size()));
        const auto before = [](const Pixel& p, const Pixel& q) {
            return p.distance != q.distance ? p.distance < q.distance : p.index < q.index;
        };
        std::nth_element(added.begin(), added.begin() + wanted, added.end(), before);
        for (int i = 0; i < wanted; ++i)
            mask.at<unsigned char>(added[i].index / mask.cols, added[i].index % mask.cols) = 255;
    }

} // namespace

cv::Mat HoleGenerator::generate(int width, int height, std::uint64_t seed) const
{
    if (width < 16 || height < 16)
        throw Error("mask size " + std::to_string(width) + "x" + std::to_string(height)
            + " is too small: use at least 16x16");
    Rng rng(seed);
    const double lo = m_range.lo, hi = m_range.hi;
    // Target drawn uniformly in (lo, hi], so the ratios spread across the interval.
    const double target = lo + (hi - lo) * (1.0 - rng.uniform());
    const double total = static_cast<double>(width) * height;
    const int hiCount = static_cast<int>(std::floor(hi * total));
    // Never above hiCount: a target within one pixel of hi would otherwise round up past it.
    const int targetCount = std::min(hiCount,
        std::max(static_cast<int>(std::floor(lo * total)) + 1, static_cast<int>(std::ceil(target * total))));

    cv::Mat mask(height, width, CV_8UC1, cv::Scalar(0));
    cv::Mat candidate;
    int count = 0;
    for (int attempt = 0; attempt < 4000 && count < targetCount; ++attempt) {
        mask.copyTo(candidate);
        const cv::Point anchor = drawShape(candidate, rng, 1.0);
        const int c = cv::countNonZero(candidate);
        if (c > targetCount) {
            // The shape that crosses the target is trimmed to it: the achieved ratio is the target,
            // uniform in the interval (adding whole shapes until the target is passed would overshoot
            // by part of a shape and skew the ratios towards the top of the interval).
            addNearest(mask, candidate, anchor, targetCount - count);
            count = targetCount;
            break;
        }
        std::swap(mask, candidate);
        count = c;
    }
    if (count < targetCount) {
        // Extremely narrow intervals at tiny sizes: finish pixel by pixel, still deterministic.
        for (int i = 0; i < 100000 && count < targetCount; ++i) {
            auto& px = mask.at<unsigned char>(rng.uniformInt(0, height - 1), rng.uniformInt(0, width - 1));
            if (px == 0) {
                px = 255;
                ++count;
            }
        }
    }
    return mask;
}

} // namespace msup
