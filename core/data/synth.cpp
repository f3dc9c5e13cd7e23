#include "core/data/synth.h"

#include "core/base/error.h"
#include "core/base/rng.h"
#include "core/data/dataset.h"
#include "core/data/image_io.h"
#include "core/io/atomic_file.h"

#include <QDir>
#include <QImage>
#include <QImageWriter>
#include <QSaveFile>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstring>
#include <vector>

namespace msup {

bool parseSynthKind(const QString& text, SynthKind* kind)
{
    if (text == QLatin1String("glands")) {
        *kind = SynthKind::Glands;
        return true;
    }
    if (text == QLatin1String("scenes")) {
        *kind = SynthKind::Scenes;
        return true;
    }
    return false;
}

namespace {

    constexpr double kPi = 3.141592653589793;

    // Smooth random field in [-1, 1]: coarse uniform noise upsampled bilinearly (deterministic).
    cv::Mat smoothNoise(Rng& rng, int size, int cells)
    {
        cv::Mat coarse(cells, cells, CV_32F);
        for (int y = 0; y < cells; ++y)
            for (int x = 0; x < cells; ++x)
                coarse.at<float>(y, x) = static_cast<float>(rng.uniform(-1.0, 1.0));
        cv::Mat fine;
        cv::resize(coarse, fine, cv::Size(size, size), 0, 0, cv::INTER_LINEAR);
        return fine;
    }

    // Per-pixel colour: base + a·smooth + b·grain, clamped. Returns CV_8UC3 (RGB).
    cv::Mat texture(Rng& rng, int size, cv::Vec3f base, float smoothAmp, float grainAmp)
    {
        const cv::Mat s1 = smoothNoise(rng, size, 6);
        const cv::Mat s2 = smoothNoise(rng, size, 24);
        cv::Mat out(size, size, CV_8UC3);
        for (int y = 0; y < size; ++y) {
            for (int x = 0; x < size; ++x) {
                const float s = 0.6f * s1.at<float>(y, x) + 0.4f * s2.at<float>(y, x);
                const float g = static_cast<float>(rng.uniform(-1.0, 1.0));
                cv::Vec3b& px = out.at<cv::Vec3b>(y, x);
                for (int c = 0; c < 3; ++c)
                    px[c] = cv::saturate_cast<uchar>(base[c] + smoothAmp * s + grainAmp * g);
            }
        }
        return out;
    }

    std::vector<cv::Point> blobPolygon(Rng& rng, cv::Point2d center, double radius)
    {
        const int harmonics = 4;
        double amp[harmonics], phase[harmonics];
        for (int k = 0; k < harmonics; ++k) {
            amp[k] = rng.uniform(0.0, 0.22 / (k + 1));
            phase[k] = rng.uniform(0.0, 2 * kPi);
        }
        const double elong = rng.uniform(0.65, 1.0), rot = rng.uniform(0.0, kPi);
        std::vector<cv::Point> poly;
        const int n = 48;
        for (int i = 0; i < n; ++i) {
            const double t = 2 * kPi * i / n;
            double r = radius;
            for (int k = 0; k < harmonics; ++k)
                r *= 1.0 + amp[k] * std::sin((k + 2) * t + phase[k]);
            const double ex = r * std::cos(t), ey = r * elong * std::sin(t);
            poly.emplace_back(
                static_cast<int>(std::lround(center.x + ex * std::cos(rot) - ey * std::sin(rot))),
                static_cast<int>(std::lround(center.y + ex * std::sin(rot) + ey * std::cos(rot))));
        }
        return poly;
    }

    void blend(cv::Mat& img, const cv::Mat& layer, const cv::Mat& where, double alpha)
    {
        for (int y = 0; y < img.rows; ++y)
            for (int x = 0; x < img.cols; ++x)
                if (where.at<uchar>(y, x)) {
                    cv::Vec3b& p = img.at<cv::Vec3b>(y, x);
                    const cv::Vec3b& q = layer.at<cv::Vec3b>(y, x);
                    for (int c = 0; c < 3; ++c)
                        p[c] = cv::saturate_cast<uchar>((1 - alpha) * p[c] + alpha * q[c]);
                }
    }

    void writeRgbPng(const QString& path, const cv::Mat& rgb)
    {
        cv::Mat bgr;
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
        writeMatAtomic(path, bgr);
    }

    void makeGlands(Rng& rng, int size, cv::Mat* image, cv::Mat* mask)
    {
        // Stroma: pink, textured; tone varies between images like stain variation between slides.
        const cv::Vec3f stroma(rng.uniform(205, 235), rng.uniform(150, 185), rng.uniform(185, 215));
        *image = texture(rng, size, stroma, 22.f, 14.f);
        *mask = cv::Mat::zeros(size, size, CV_8UC1);
        const int glands = rng.uniformInt(3, 8);
        std::vector<std::pair<cv::Point2d, double>> placed;
        for (int g = 0; g < glands; ++g) {
            double r = rng.uniform(size / 14.0, size / 5.5);
            cv::Point2d c(rng.uniform(0.1, 0.9) * size, rng.uniform(0.1, 0.9) * size);
            if (!placed.empty() && rng.chance(0.3)) { // touching neighbour
                const auto& [pc, pr] = placed[static_cast<size_t>(rng.uniformInt(0, int(placed.size()) - 1))];
                const double a = rng.uniform(0.0, 2 * kPi);
                c = pc + cv::Point2d(std::cos(a), std::sin(a)) * (pr + r) * 0.92;
            }
            placed.emplace_back(c, r);
            const auto poly = blobPolygon(rng, c, r);
            cv::Mat region = cv::Mat::zeros(size, size, CV_8UC1);
            cv::fillPoly(region, std::vector<std::vector<cv::Point>> { poly }, cv::Scalar(255), cv::LINE_8);
            *mask |= region;
            // Epithelium: a purple rim; lumen: pale centre; contrast from faint to strong.
            const double contrast = rng.chance(0.25) ? rng.uniform(0.18, 0.35) : rng.uniform(0.55, 0.95);
            const cv::Mat rim = texture(rng, size,
                cv::Vec3f(rng.uniform(110, 150), rng.uniform(50, 85), rng.uniform(120, 160)), 18.f, 20.f);
            blend(*image, rim, region, contrast);
            cv::Mat lumen;
            const int erode = std::max(2, static_cast<int>(r * rng.uniform(0.25, 0.45)));
            cv::erode(region, lumen,
                cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * erode + 1, 2 * erode + 1)));
            const cv::Mat pale = texture(rng, size, cv::Vec3f(238, 226, 236), 8.f, 8.f);
            blend(*image, pale, lumen, contrast * 0.9);
        }
        // A few dark nuclei scattered everywhere (clutter that is not gland).
        const int nuclei = size / 3;
        for (int i = 0; i < nuclei; ++i)
            cv::circle(*image, cv::Point(rng.uniformInt(0, size - 1), rng.uniformInt(0, size - 1)),
                rng.uniformInt(1, std::max(1, size / 90)),
                cv::Scalar(rng.uniform(70, 110), rng.uniform(30, 60), rng.uniform(100, 140)), cv::FILLED,
                cv::LINE_8);
        cv::GaussianBlur(*image, *image, cv::Size(3, 3), 0.8);
    }

    const QStringList kSceneClasses = { QStringLiteral("wall"), QStringLiteral("floor"),
        QStringLiteral("table"), QStringLiteral("chair"), QStringLiteral("lamp"), QStringLiteral("picture") };
    const QVector<QColor> kSceneColors = { QColor(174, 199, 232), QColor(152, 223, 138), QColor(255, 127, 14),
        QColor(214, 39, 40), QColor(255, 237, 0), QColor(148, 103, 189) };

    void paintClass(cv::Mat& img, cv::Mat& labels, Rng& rng, const cv::Mat& region, int cls, cv::Vec3f base)
    {
        const cv::Mat tex = texture(rng, img.rows, base, 25.f, 10.f);
        tex.copyTo(img, region);
        labels.setTo(cls, region);
    }

    void makeScene(Rng& rng, int size, cv::Mat* image, cv::Mat* labels)
    {
        *image = cv::Mat(size, size, CV_8UC3);
        *labels = cv::Mat(size, size, CV_8UC1, cv::Scalar(0));
        auto jitter = [&](cv::Vec3f c) {
            return cv::Vec3f(
                c[0] + rng.uniform(-25, 25), c[1] + rng.uniform(-25, 25), c[2] + rng.uniform(-25, 25));
        };
        cv::Mat all(size, size, CV_8UC1, cv::Scalar(255));
        paintClass(*image, *labels, rng, all, 0, jitter({ 200, 190, 170 }));
        const int horizon = static_cast<int>(size * rng.uniform(0.55, 0.75));
        cv::Mat floor = cv::Mat::zeros(size, size, CV_8UC1);
        cv::rectangle(
            floor, cv::Point(0, horizon), cv::Point(size - 1, size - 1), cv::Scalar(255), cv::FILLED);
        paintClass(*image, *labels, rng, floor, 1, jitter({ 120, 90, 60 }));
        if (rng.chance(0.8)) { // picture on the wall
            cv::Mat r = cv::Mat::zeros(size, size, CV_8UC1);
            const int w = rng.uniformInt(size / 10, size / 5), h = rng.uniformInt(size / 12, size / 6);
            const int x = rng.uniformInt(0, size - w - 1),
                      y = rng.uniformInt(size / 12, std::max(size / 12, horizon - h - size / 10));
            cv::rectangle(r, cv::Point(x, y), cv::Point(x + w, y + h), cv::Scalar(255), cv::FILLED);
            paintClass(*image, *labels, rng, r, 5, jitter({ 90, 60, 130 }));
        }
        if (rng.chance(0.85)) { // table: top + two legs, standing on the floor
            cv::Mat r = cv::Mat::zeros(size, size, CV_8UC1);
            const int w = rng.uniformInt(size / 4, size / 2), x = rng.uniformInt(0, size - w - 1);
            const int top = horizon - rng.uniformInt(size / 20, size / 8), th = std::max(2, size / 30);
            const int foot = std::min(size - 1, horizon + rng.uniformInt(size / 10, size / 4));
            cv::rectangle(r, cv::Point(x, top), cv::Point(x + w, top + th), cv::Scalar(255), cv::FILLED);
            const int leg = std::max(2, size / 60);
            cv::rectangle(
                r, cv::Point(x + leg, top), cv::Point(x + 2 * leg, foot), cv::Scalar(255), cv::FILLED);
            cv::rectangle(r, cv::Point(x + w - 2 * leg, top), cv::Point(x + w - leg, foot), cv::Scalar(255),
                cv::FILLED);
            paintClass(*image, *labels, rng, r, 2, jitter({ 150, 100, 50 }));
        }
        const int chairs = rng.uniformInt(0, 2);
        for (int i = 0; i < chairs; ++i) {
            cv::Mat r = cv::Mat::zeros(size, size, CV_8UC1);
            const int w = rng.uniformInt(size / 14, size / 8), x = rng.uniformInt(0, size - w - 1);
            const int seat = std::min(size - 2, horizon + rng.uniformInt(0, size / 8));
            cv::rectangle(r, cv::Point(x, seat - size / 6), cv::Point(x + w / 4, seat + size / 10),
                cv::Scalar(255), cv::FILLED);
            cv::rectangle(r, cv::Point(x, seat), cv::Point(x + w, seat + std::max(2, size / 40)),
                cv::Scalar(255), cv::FILLED);
            cv::rectangle(r, cv::Point(x + w - w / 5, seat),
                cv::Point(x + w, std::min(size - 1, seat + size / 10)), cv::Scalar(255), cv::FILLED);
            paintClass(*image, *labels, rng, r, 3, jitter({ 60, 60, 70 }));
        }
        if (rng.chance(0.5)) { // small lamp: the rarest class
            cv::Mat r = cv::Mat::zeros(size, size, CV_8UC1);
            const cv::Point c(
                rng.uniformInt(size / 10, size - size / 10), rng.uniformInt(size / 10, horizon));
            cv::circle(r, c, std::max(2, size / 40), cv::Scalar(255), cv::FILLED);
            paintClass(*image, *labels, rng, r, 4, jitter({ 250, 240, 150 }));
        }
        // Void: a thin unlabelled border (as in NYUDv2's raw frames) and a few unlabelled specks.
        const int b = std::max(1, size / 64);
        cv::rectangle(*labels, cv::Point(0, 0), cv::Point(size - 1, size - 1), cv::Scalar(255), b);
        for (int i = 0, n = rng.uniformInt(0, 3); i < n; ++i)
            cv::circle(*labels, cv::Point(rng.uniformInt(0, size - 1), rng.uniformInt(0, size - 1)),
                std::max(1, size / 50), cv::Scalar(255), cv::FILLED);
        cv::GaussianBlur(*image, *image, cv::Size(3, 3), 0.7);
    }

} // namespace

int writeSynthDataset(const SynthOptions& o, Progress& progress)
{
    if (o.count < 1 || o.count > 100000)
        throw Error("the pair count must be between 1 and 100000 (got " + std::to_string(o.count) + ")");
    if (o.size < 32 || o.size > 4096)
        throw Error("the image size must be between 32 and 4096 pixels (got " + std::to_string(o.size) + ")");
    if (o.outDir.isEmpty())
        throw Error("no output folder given", "", "Choose where to write the dataset.");
    QDir out(o.outDir);
    const bool glands = o.kind == SynthKind::Glands;
    const QString imgDir = glands ? out.filePath(QStringLiteral("images")) : out.absolutePath();
    const QString maskDir = glands ? out.filePath(QStringLiteral("masks")) : out.absolutePath();
    if (!QDir().mkpath(imgDir) || !QDir().mkpath(maskDir))
        throw Error("folder cannot be created", o.outDir.toStdString(),
            "Choose a folder you can write to (check permissions and free space).");
    if (glands)
        writeClassesJson(out.filePath(QStringLiteral("classes.json")),
            { QStringLiteral("background"), QStringLiteral("gland") },
            { QColor(0, 0, 0), QColor(0, 200, 255) });
    else
        writeClassesJson(out.filePath(QStringLiteral("classes.json")), kSceneClasses, kSceneColors);
    QVector<QRgb> table(256, qRgb(0, 0, 0));
    for (int i = 0; i < kSceneColors.size(); ++i)
        table[i] = kSceneColors[i].rgb();
    table[255] = qRgb(255, 255, 255);
    for (int i = 0; i < o.count; ++i) {
        Rng rng(Rng::derive(o.seed, static_cast<std::uint64_t>(o.kind), static_cast<std::uint64_t>(i)));
        cv::Mat image, labels;
        if (glands) {
            makeGlands(rng, o.size, &image, &labels);
            const QString stem = QStringLiteral("synth_%1").arg(i, 4, 10, QLatin1Char('0'));
            writeRgbPng(imgDir + QStringLiteral("/") + stem + QStringLiteral(".png"), image);
            const QString maskPath = maskDir + QStringLiteral("/") + stem + QStringLiteral(".png");
            writeMatAtomic(maskPath, labels);
        } else {
            makeScene(rng, o.size, &image, &labels);
            const QString stem = QStringLiteral("%1").arg(i + 1, 6, 10, QLatin1Char('0'));
            writeRgbPng(imgDir + QStringLiteral("/") + stem + QStringLiteral(".png"), image);
            QImage idx(labels.cols, labels.rows, QImage::Format_Indexed8);
            idx.setColorTable(table);
            for (int y = 0; y < labels.rows; ++y)
                std::memcpy(idx.scanLine(y), labels.ptr(y), static_cast<size_t>(labels.cols));
            const QString maskPath = maskDir + QStringLiteral("/") + stem + QStringLiteral("_mask.png");
            writeImageAtomic(maskPath, idx);
        }
        progress.report(i + 1, o.count);
        if (progress.isCancelled())
            return i + 1;
    }
    return o.count;
}

} // namespace msup
