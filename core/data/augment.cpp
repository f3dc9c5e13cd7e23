#include "core/data/augment.h"

#include "core/base/error.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace msup {

AugmentOptions AugmentOptions::parse(const std::string& text)
{
    AugmentOptions o;
    if (text.empty() || text == "none")
        return o;
    if (text == "all")
        return AugmentOptions { true, true, true, true };
    std::stringstream items(text);
    std::string item;
    while (std::getline(items, item, ',')) {
        if (item == "flip")
            o.flip = true;
        else if (item == "rot90")
            o.rotate90 = true;
        else if (item == "scale")
            o.scaleCrop = true;
        else if (item == "color")
            o.colorJitter = true;
        else
            throw Error("unknown augmentation '" + item
                + "': use none, all, or a comma-separated list of "
                  "flip, rot90, scale, color");
    }
    return o;
}

std::string AugmentOptions::toString() const
{
    if (!any())
        return "none";
    std::string s;
    auto add = [&](bool on, const char* name) {
        if (on)
            s += (s.empty() ? "" : ",") + std::string(name);
    };
    add(flip, "flip");
    add(rotate90, "rot90");
    add(scaleCrop, "scale");
    add(colorJitter, "color");
    return s;
}

void augmentPair(cv::Mat& rgb, cv::Mat& labels, const AugmentOptions& o, Rng& rng, int ignoreIndex)
{
    CV_Assert(rgb.type() == CV_8UC3 && labels.type() == CV_8UC1 && rgb.size() == labels.size());
    // Each augmentation draws its numbers whether or not it applies, so enabling one never changes
    // the random draws of another.
    const bool flipH = rng.chance(0.5), flipV = rng.chance(0.5);
    const int quarter = rng.uniformInt(0, 3);
    const double zoom = rng.uniform(0.8, 1.25), cx = rng.uniform(), cy = rng.uniform();
    const double brightness = rng.uniform(-0.2, 0.2), contrast = rng.uniform(0.8, 1.2),
                 saturation = rng.uniform(0.8, 1.2);

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
    if (o.colorJitter) {
        cv::Mat f;
        rgb.convertTo(f, CV_32FC3);
        cv::Mat grey;
        cv::cvtColor(f, grey, cv::COLOR_RGB2GRAY);
        const double mean = cv::mean(grey)[0];
        cv::Mat grey3;
        cv::cvtColor(grey, grey3, cv::COLOR_GRAY2RGB);
        f = grey3 + (f - grey3) * saturation; // saturation around grey
        f = (f - mean) * contrast + mean + brightness * 255.0; // contrast around the mean
        f.convertTo(rgb, CV_8UC3); // saturating cast
    }
}

} // namespace msup
