#include "core/data/augment.h"

#include "core/base/error.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace msup {

namespace {

    // Saturation around each pixel's grey, then contrast around the image's mean grey, then
    // brightness: out = a·c + b·grey + k per channel c, with grey = 0.299R + 0.587G + 0.114B,
    // a = contrast·saturation, b = contrast·(1 − saturation) and k = (1 − contrast)·mean(grey) +
    // 255·brightness. That is one 3×4 affine map of each pixel, which cv::transform applies in a
    // single vectorised pass over the 8-bit image (rounded, saturated): ~7× faster here than the
    // same arithmetic in float images.
    void colorJitter(cv::Mat& rgb, double brightness, double contrast, double saturation)
    {
        const cv::Scalar m = cv::mean(rgb);
        const double mean = 0.299 * m[0] + 0.587 * m[1] + 0.114 * m[2];
        const double a = contrast * saturation, b = contrast * (1.0 - saturation);
        const double k = (1.0 - contrast) * mean + 255.0 * brightness;
        const double w[3] = { 0.299 * b, 0.587 * b, 0.114 * b };
        cv::Matx34f map;
        for (int r = 0; r < 3; ++r) {
            for (int c = 0; c < 3; ++c)
                map(r, c) = float(w[c] + (r == c ? a : 0.0));
            map(r, 3) = float(k);
        }
        cv::transform(rgb, rgb, map);
    }

} // namespace

void augmentPair(
    cv::Mat& rgb, cv::Mat& labels, const AugmentOptions& o, const AugmentDraw& draw, int ignoreIndex)
{
    CV_Assert(rgb.type() == CV_8UC3 && labels.type() == CV_8UC1 && rgb.size() == labels.size());
    const bool flipH = draw.flipH, flipV = draw.flipV;
    const int quarter = draw.quarter;
    const double zoom = draw.zoom, cx = draw.cx, cy = draw.cy;

    if (o.flip && (flipH || flipV)) {
        const int code = flipH && flipV ? -1 : flipH ? 1 : 0;
        cv::flip(rgb, rgb, code);
        cv::flip(labels, labels, code);
    }
    if (o.rotate90) {
        const int q = rgb.cols == rgb.rows ? quarter : (quarter & 1) * 2; // keep the shape
        const int codes[] = { -1, cv::ROTATE_90_CLOCKWISE, cv::ROTATE_180, cv::ROTATE_90_COUNTERCLOCKWISE };
        if (q != 0) {
            cv::rotate(rgb, rgb, codes[q]);
            cv::rotate(labels, labels, codes[q]);
        }
    }
    if (o.scaleCrop) {
        const int w = rgb.cols, h = rgb.rows;
        const int sw = std::max(1, int(std::lround(w * zoom))), sh = std::max(1, int(std::lround(h * zoom)));
        cv::Mat img, lab;
        cv::resize(rgb, img, cv::Size(sw, sh), 0, 0, cv::INTER_LINEAR);
        cv::resize(labels, lab, cv::Size(sw, sh), 0, 0, cv::INTER_NEAREST);
        cv::Mat outImg(h, w, CV_8UC3, cv::Scalar(128, 128, 128)); // mid-grey = 0 after normalisation
        cv::Mat outLab(h, w, CV_8UC1, cv::Scalar(ignoreIndex)); // padding is never trained on
        // Zoomed in: crop a window of the zoomed image; zoomed out: paste it into a padded frame.
        const int ox = int(std::lround(cx * std::abs(sw - w))), oy = int(std::lround(cy * std::abs(sh - h)));
        const int cw = std::min(w, sw), ch = std::min(h, sh);
        const cv::Rect from(sw > w ? ox : 0, sh > h ? oy : 0, cw, ch);
        const cv::Rect to(sw < w ? ox : 0, sh < h ? oy : 0, cw, ch);
        img(from).copyTo(outImg(to));
        lab(from).copyTo(outLab(to));
        rgb = outImg;
        labels = outLab;
    }
    if (o.colorJitter)
        colorJitter(rgb, draw.brightness, draw.contrast, draw.saturation);
}

} // namespace msup
