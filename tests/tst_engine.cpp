// core/engine (LibTorch only), on the CPU: normalisation and upload, tensor augmentation against
// the OpenCV host path, the device confusion matrix against core/train's, precision, out-of-memory
// detection, and that the host pipeline and a sequence of steps are exact.
#include "core/data/augment.h"
#include "core/data/dataset.h"
#include "core/data/sample_cache.h"
#include "core/data/synth.h"
#include "core/engine/augment_tensor.h"
#include "core/engine/batch.h"
#include "core/engine/confusion.h"
#include "core/engine/precision.h"
#include "core/masks/hole_generator.h"
#include "core/nn/masksup_loss.h"
#include "core/nn/unet.h"
#include "core/train/confusion_matrix.h"
#include "core/train/error_analysis.h"
#include "core/train/host_pipeline.h"
#include "tests/support/fixtures.h"

#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

#include <ATen/autocast_mode.h>
#include <c10/util/Exception.h>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>
#include <torch/version.h>

#include <cstring>

using namespace msup;

namespace {

// A random-looking but structured image (edges, gradients) and labels 0..5 with some ignore pixels.
void samplePair(int w, int h, std::uint64_t seed, cv::Mat* rgb, cv::Mat* labels)
{
    Rng rng(seed);
    *rgb = cv::Mat(h, w, CV_8UC3);
    *labels = cv::Mat(h, w, CV_8UC1);
    const int cx = rng.uniformInt(0, w), cy = rng.uniformInt(0, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const bool inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) < w * h / 6;
            rgb->at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(inside ? 200 : 4 * x % 256),
                uchar((x * 3 + y * 5) % 256), uchar(rng.uniformInt(0, 255)));
            labels->at<uchar>(y, x) = uchar(rng.chance(0.05) ? 255 : (inside ? 1 : (x / 9 + y / 7) % 6));
        }
}

// HWC uint8 cv::Mat → 3×H×W (or H×W) uint8 tensor, and back.
torch::Tensor toTensor(const cv::Mat& m)
{
    const torch::Tensor t
        = torch::from_blob(const_cast<uchar*>(m.ptr()), { m.rows, m.cols, m.channels() }, torch::kUInt8);
    return m.channels() == 1 ? t.squeeze(2).clone() : t.permute({ 2, 0, 1 }).contiguous();
}

// The host's result and the device path's for a batch of samples and draws.
struct Both {
    torch::Tensor hostImages, hostLabels, images, labels;
};
Both augmentBoth(int w, int h, const AugmentOptions& o, std::uint64_t seed, int n = 6)
{
    std::vector<AugmentDraw> draws;
    std::vector<torch::Tensor> inImages, inLabels, outImages, outLabels;
    for (int i = 0; i < n; ++i) {
        cv::Mat rgb, lab;
        samplePair(w, h, seed * 100 + i, &rgb, &lab);
        inImages.push_back(toTensor(rgb));
        inLabels.push_back(toTensor(lab));
        Rng rng(seed * 1000 + i);
        draws.push_back(AugmentDraw::draw(rng));
        augmentPair(rgb, lab, o, draws.back(), 255);
        outImages.push_back(toTensor(rgb));
        outLabels.push_back(toTensor(lab));
    }
    Both b;
    b.images = torch::stack(inImages);
    b.labels = torch::stack(inLabels);
    engine::augmentBatch(b.images, b.labels, o, draws, 255);
    b.hostImages = torch::stack(outImages);
    b.hostLabels = torch::stack(outLabels);
    return b;
}

int maxDifference(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a.to(torch::kInt32) - b.to(torch::kInt32)).abs().max().item<int>();
}

} // namespace

class TestEngine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void normaliseIsTheFormerArithmeticBitForBit();
    void parseHoleFill();
    void uploadFinishesTheBatch();
    void augmentDrawKeepsItsOrder();
    void flipsAndTurnsEqualTheHostExactly_data();
    void flipsAndTurnsEqualTheHostExactly();
    void scaleCropNearTheHost();
    void colorNearTheHost();
    void allAugmentationsNearTheHost();
    void sameDrawsSameOutput();
    void deviceConfusionEqualsHostCounts();
    void deviceConfusionRejectsLabelsOutsideTheClasses();
    void referenceBinaryIouFromCounts();
    void precisionOnTheCpu();
    void autocastGuardSetsAndRestoresTheDtype();
    void outOfMemoryIsRecognised();
    void hostBatchIsTheCacheAugmentedAndHoles();
    void stepsAreExact();
};

void TestEngine::normaliseIsTheFormerArithmeticBitForBit()
{
    const torch::Tensor all = torch::arange(256, torch::kInt32).to(torch::kUInt8).view({ 1, 1, 16, 16 });
    const torch::Tensor n = engine::normalise(all.expand({ 2, 3, 16, 16 }).contiguous());
    QCOMPARE(n.scalar_type(), torch::kFloat32);
    const float* p = n.data_ptr<float>();
    for (int c = 0; c < 2 * 3; ++c)
        for (int v = 0; v < 256; ++v) {
            const float expected = v / 127.5f - 1.f; // the former per-pixel loop (normaliseInto)
            QVERIFY2(
                std::memcmp(&p[c * 256 + v], &expected, sizeof(float)) == 0, qPrintable(QString::number(v)));
        }
}

void TestEngine::parseHoleFill()
{
    QCOMPARE(int(engine::parseHoleFill("zero")), int(engine::HoleFill::Zero));
    QCOMPARE(int(engine::parseHoleFill("black")), int(engine::HoleFill::Black));
    QCOMPARE(int(engine::parseHoleFill("noise")), int(engine::HoleFill::Noise));
    try {
        engine::parseHoleFill("grey");
        QFAIL("expected an error");
    } catch (const std::invalid_argument& e) {
        QVERIFY(QString::fromUtf8(e.what()).contains(QStringLiteral("zero, black or noise")));
    }
}

void TestEngine::uploadFinishesTheBatch()
{
    engine::HostBatch h = engine::allocateHostBatch(2, 8, true, true, false);
    QCOMPARE(h.count(), 2);
    QCOMPARE(h.images.sizes(), (torch::IntArrayRef { 2, 3, 8, 8 }));
    QCOMPARE(h.labels.sizes(), (torch::IntArrayRef { 2, 8, 8 }));
    QCOMPARE(h.holes.sizes(), (torch::IntArrayRef { 2, 1, 8, 8 }));
    QCOMPARE(h.noise.sizes(), (torch::IntArrayRef { 2, 3, 8, 8 }));
    QVERIFY(!h.images.is_pinned());
    h.images.copy_(torch::randint(0, 256, h.images.sizes()).to(torch::kUInt8));
    h.labels.copy_(torch::randint(0, 3, h.labels.sizes()).to(torch::kUInt8));
    h.holes.copy_(torch::randint(0, 2, h.holes.sizes()).to(torch::kUInt8));
    h.noise.copy_(torch::randint(0, 256, h.noise.sizes()).to(torch::kUInt8));
    const torch::Device cpu(torch::kCPU);
    const engine::DeviceBatch zero = engine::upload(h, cpu, engine::HoleFill::Zero);
    QVERIFY(torch::equal(zero.images, engine::normalise(h.images)));
    QCOMPARE(zero.target.scalar_type(), torch::kInt64);
    QVERIFY(torch::equal(zero.target, h.labels.to(torch::kInt64)));
    QCOMPARE(zero.holes.scalar_type(), torch::kFloat32);
    QVERIFY(torch::equal(zero.holes, h.holes.to(torch::kFloat32)));
    QVERIFY(!zero.fill.defined());
    const engine::DeviceBatch black = engine::upload(h, cpu, engine::HoleFill::Black);
    QCOMPARE(black.fill.item<float>(), -1.f);
    const engine::DeviceBatch noise = engine::upload(h, cpu, engine::HoleFill::Noise);
    QVERIFY(torch::equal(noise.fill, engine::normalise(h.noise)));
    const engine::DeviceBatch nhwc = engine::upload(h, cpu, engine::HoleFill::Zero, true);
    QVERIFY(nhwc.images.is_contiguous(at::MemoryFormat::ChannelsLast));
    QVERIFY(torch::equal(nhwc.images, zero.images));
    h.noise = torch::Tensor();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, engine::upload(h, cpu, engine::HoleFill::Noise));
}

void TestEngine::augmentDrawKeepsItsOrder()
{
    // The order augmentation has always drawn in: flipH, flipV, quarter, zoom, cx, cy, brightness,
    // contrast, saturation.
    Rng a(42), b(42);
    const AugmentDraw d = AugmentDraw::draw(a);
    QCOMPARE(d.flipH, b.chance(0.5));
    QCOMPARE(d.flipV, b.chance(0.5));
    QCOMPARE(d.quarter, b.uniformInt(0, 3));
    QCOMPARE(d.zoom, b.uniform(0.8, 1.25));
    QCOMPARE(d.cx, b.uniform());
    QCOMPARE(d.cy, b.uniform());
    QCOMPARE(d.brightness, b.uniform(-0.2, 0.2));
    QCOMPARE(d.contrast, b.uniform(0.8, 1.2));
    QCOMPARE(d.saturation, b.uniform(0.8, 1.2));
    QCOMPARE(a.next(), b.next());
}

void TestEngine::flipsAndTurnsEqualTheHostExactly_data()
{
    QTest::addColumn<QString>("options");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::newRow("flip square") << "flip" << 24 << 24;
    QTest::newRow("rot90 square") << "rot90" << 24 << 24;
    QTest::newRow("flip,rot90 square") << "flip,rot90" << 24 << 24;
    QTest::newRow("flip,rot90 non-square") << "flip,rot90" << 30 << 18;
}

void TestEngine::flipsAndTurnsEqualTheHostExactly()
{
    QFETCH(QString, options);
    QFETCH(int, width);
    QFETCH(int, height);
    const AugmentOptions o = AugmentOptions::parse(options.toStdString());
    QSet<int> seenQuarters;
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
        const Both b = augmentBoth(width, height, o, seed);
        QVERIFY(torch::equal(b.images, b.hostImages));
        QVERIFY(torch::equal(b.labels, b.hostLabels));
        Rng rng(seed * 1000);
        seenQuarters.insert(AugmentDraw::draw(rng).quarter);
    }
    QCOMPARE(seenQuarters.size(), 4); // every turn was exercised
}

void TestEngine::scaleCropNearTheHost()
{
    // Stated tolerance: image values within 2 of the host (bilinear weights in float here, 11-bit
    // fixed point in OpenCV), on average within 0.25 (a channel of per-pixel noise, the worst case
    // for rounding: any misplaced sample would differ by tens); labels and the padded window exactly equal.
    const AugmentOptions o = AugmentOptions::parse("scale");
    int padded = 0, cropped = 0;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        const Both b = augmentBoth(40, 32, o, seed);
        QVERIFY(torch::equal(b.labels, b.hostLabels));
        QVERIFY2(maxDifference(b.images, b.hostImages) <= 2,
            qPrintable(QString::number(maxDifference(b.images, b.hostImages))));
        const double mean
            = (b.images.to(torch::kFloat32) - b.hostImages.to(torch::kFloat32)).abs().mean().item<double>();
        QVERIFY2(mean < 0.25, qPrintable(QString::number(mean)));
        // Both directions occur: zoomed out (a padded frame: its corner pixel is mid-grey and
        // void in both results) and zoomed in (cropped).
        for (int i = 0; i < 6; ++i) {
            Rng rng(seed * 1000 + i);
            const AugmentDraw d = AugmentDraw::draw(rng);
            if (std::lround(40 * d.zoom) < 40 && std::lround(d.cx * (40 - std::lround(40 * d.zoom))) > 0) {
                ++padded;
                QCOMPARE(b.labels[i][0][0].item<int>(), 255);
                QCOMPARE(b.images[i][0][0][0].item<int>(), 128);
            } else if (d.zoom > 1) {
                ++cropped;
            }
        }
    }
    QVERIFY(padded > 0 && cropped > 0);
    // The padding itself: a zoom of 0.8 leaves a frame of void labels and mid-grey pixels.
    AugmentDraw d;
    d.zoom = 0.8;
    d.cx = d.cy = 0.5;
    torch::Tensor images = torch::full({ 1, 3, 20, 20 }, 7, torch::kUInt8);
    torch::Tensor labels = torch::full({ 1, 20, 20 }, 1, torch::kUInt8);
    engine::augmentBatch(images, labels, o, { d }, 200);
    QCOMPARE(labels[0][0][0].item<int>(), 200);
    QCOMPARE(images[0][1][0][0].item<int>(), 128);
    QCOMPARE(labels[0][10][10].item<int>(), 1);
    QCOMPARE(images[0][1][10][10].item<int>(), 7);
    QCOMPARE(labels.eq(1).sum().item<int>(), 16 * 16);
}

void TestEngine::colorNearTheHost()
{
    // Stated tolerance: within 1 of the host (rounding of the same affine map in float).
    const AugmentOptions o = AugmentOptions::parse("color");
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        const Both b = augmentBoth(32, 32, o, seed);
        QVERIFY(torch::equal(b.labels, b.hostLabels));
        QVERIFY2(maxDifference(b.images, b.hostImages) <= 1,
            qPrintable(QString::number(maxDifference(b.images, b.hostImages))));
    }
}

void TestEngine::allAugmentationsNearTheHost()
{
    const AugmentOptions o = AugmentOptions::parse("all");
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        const Both b = augmentBoth(48, 48, o, seed);
        QVERIFY(torch::equal(b.labels, b.hostLabels));
        QVERIFY2(maxDifference(b.images, b.hostImages) <= 3,
            qPrintable(QString::number(maxDifference(b.images, b.hostImages))));
    }
}

void TestEngine::sameDrawsSameOutput()
{
    const AugmentOptions o = AugmentOptions::parse("all");
    const Both a = augmentBoth(48, 48, o, 5), b = augmentBoth(48, 48, o, 5), c = augmentBoth(48, 48, o, 6);
    QVERIFY(torch::equal(a.images, b.images));
    QVERIFY(torch::equal(a.labels, b.labels));
    QVERIFY(!torch::equal(a.images, c.images));
}

void TestEngine::deviceConfusionEqualsHostCounts()
{
    const int k = 5, ignore = 255, n = 7, s = 23;
    torch::manual_seed(3);
    torch::Tensor truth = torch::randint(0, k, { n, s, s }, torch::kInt64);
    truth.masked_fill_(torch::rand({ n, s, s }).lt(0.1), ignore);
    truth[4].fill_(ignore); // an image without a labelled pixel
    const torch::Tensor pred = torch::randint(0, k, { n, s, s }, torch::kInt64);
    engine::DeviceConfusion confusion(k, ignore, torch::Device(torch::kCPU));
    confusion.add(pred.narrow(0, 0, 3), truth.narrow(0, 0, 3).to(torch::kUInt8)); // any integer type
    confusion.add(pred.narrow(0, 3, 4), truth.narrow(0, 3, 4));
    const torch::Tensor per = confusion.perImage();
    QCOMPARE(per.sizes(), (torch::IntArrayRef { n, k, k }));
    const torch::Tensor t8 = truth.to(torch::kUInt8).contiguous(), p8 = pred.to(torch::kUInt8).contiguous();
    ConfusionMatrix cm(k);
    for (int i = 0; i < n; ++i) {
        const ImageConfusion host = imageConfusion(
            QString(), t8[i].data_ptr<uint8_t>(), p8[i].data_ptr<uint8_t>(), size_t(s) * s, k, ignore);
        for (int a = 0; a < k; ++a)
            for (int b = 0; b < k; ++b)
                QCOMPARE(per[i][a][b].item<int64_t>(), host.count(a, b));
        cm.add(t8[i].data_ptr<uint8_t>(), p8[i].data_ptr<uint8_t>(), size_t(s) * s, ignore);
    }
    QCOMPARE(per[4].sum().item<int64_t>(), 0);
    const torch::Tensor total = confusion.total();
    for (int a = 0; a < k; ++a)
        for (int b = 0; b < k; ++b)
            QCOMPARE(total[a][b].item<int64_t>(), cm.at(a, b));
}

void TestEngine::deviceConfusionRejectsLabelsOutsideTheClasses()
{
    engine::DeviceConfusion confusion(3, 255, torch::Device(torch::kCPU));
    torch::Tensor truth = torch::zeros({ 1, 4, 4 }, torch::kInt64);
    truth[0][1][1] = 7;
    truth[0][2][2] = 255; // ignored, not an error
    confusion.add(torch::zeros({ 1, 4, 4 }, torch::kInt64), truth);
    try {
        confusion.perImage();
        QFAIL("expected an error");
    } catch (const std::out_of_range& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("1 pixel(s)")), e.what());
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("3 classes")), e.what());
    }
}

void TestEngine::referenceBinaryIouFromCounts()
{
    // The training session derives the reference figure from each image's 2×2 counts:
    // intersection = (1,1), union = row 1 + column 1 − (1,1). Exactly what addImage counts.
    torch::manual_seed(9);
    const int n = 6, s = 17;
    torch::Tensor truth = torch::randint(0, 2, { n, s, s }, torch::kInt64);
    truth.masked_fill_(torch::rand({ n, s, s }).lt(0.2), 255);
    truth[2].fill_(0); // no foreground anywhere: scores 1
    torch::Tensor pred = torch::randint(0, 2, { n, s, s }, torch::kInt64);
    pred[2].fill_(0);
    engine::DeviceConfusion confusion(2, 255, torch::Device(torch::kCPU));
    confusion.add(pred, truth);
    const torch::Tensor per = confusion.perImage();
    ReferenceBinaryIou fromCounts, fromPixels;
    const torch::Tensor t8 = truth.to(torch::kUInt8).contiguous(), p8 = pred.to(torch::kUInt8).contiguous();
    for (int i = 0; i < n; ++i) {
        const auto c = per[i];
        const int64_t inter = c[1][1].item<int64_t>();
        const int64_t uni = c[1].sum().item<int64_t>() + c.select(1, 1).sum().item<int64_t>() - inter;
        fromCounts.addImageCounts(inter, uni);
        fromPixels.addImage(t8[i].data_ptr<uint8_t>(), p8[i].data_ptr<uint8_t>(), size_t(s) * s, 255);
    }
    QCOMPARE(fromCounts.images(), n);
    QCOMPARE(fromCounts.mean(), fromPixels.mean()); // exactly
}

void TestEngine::precisionOnTheCpu()
{
    const torch::Device cpu(torch::kCPU);
    QCOMPARE(int(engine::resolvePrecision("auto", cpu)), int(nn::Precision::Float32));
    QCOMPARE(int(engine::resolvePrecision("off", cpu)), int(nn::Precision::Float32));
    for (const char* amp : { "on", "bf16", "fp16" }) {
        try {
            engine::resolvePrecision(amp, cpu);
            QFAIL("expected an error");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("CUDA")), e.what());
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("cpu")), e.what());
        }
    }
    try {
        engine::resolvePrecision("half", cpu);
        QFAIL("expected an error");
    } catch (const std::invalid_argument& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("'half'")), e.what());
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("auto, bf16, fp16 or off")), e.what());
    }
    QVERIFY(!engine::supportsBf16(cpu));
    std::int64_t freeBytes = -1, totalBytes = -1;
    QVERIFY(!engine::deviceMemory(cpu, &freeBytes, &totalBytes));
    QCOMPARE(freeBytes, std::int64_t(-1));
    QCOMPARE(QString::fromLatin1(engine::precisionName(nn::Precision::Float32)), QStringLiteral("float32"));
    QCOMPARE(QString::fromLatin1(engine::precisionName(nn::Precision::BFloat16)), QStringLiteral("bf16"));
    QCOMPARE(QString::fromLatin1(engine::precisionName(nn::Precision::Float16)), QStringLiteral("fp16"));
}

void TestEngine::autocastGuardSetsAndRestoresTheDtype()
{
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    auto enabled = [] { return at::autocast::is_autocast_enabled(at::kCUDA); };
    auto dtype = [] { return at::autocast::get_autocast_dtype(at::kCUDA); };
#else
    auto enabled = [] { return at::autocast::is_enabled(); };
    auto dtype = [] { return at::autocast::get_autocast_gpu_dtype(); };
#endif
    const at::ScalarType before = dtype();
    QVERIFY(!enabled());
    {
        const nn::AutocastGuard guard(nn::Precision::BFloat16);
        QVERIFY(enabled());
        QCOMPARE(dtype(), at::kBFloat16);
        {
            const nn::AutocastGuard inner(nn::Precision::Float16);
            QCOMPARE(dtype(), at::kHalf);
        }
        QVERIFY(enabled());
        QCOMPARE(dtype(), at::kBFloat16);
    }
    QVERIFY(!enabled());
    QCOMPARE(dtype(), before);
    {
        const nn::AutocastGuard none(nn::Precision::Float32);
        QVERIFY(!enabled());
    }
}

void TestEngine::outOfMemoryIsRecognised()
{
    // A real allocation failure of the CPU allocator (2^50 bytes).
    bool caught = false;
    try {
        const torch::Tensor huge = torch::empty({ std::int64_t(1) << 50 }, torch::kUInt8);
        QFAIL("the allocation should fail");
    } catch (const std::exception& e) {
        caught = true;
        QVERIFY2(engine::isOutOfMemory(e), e.what());
    }
    QVERIFY(caught);
    // What the CUDA caching allocator throws.
    try {
        TORCH_CHECK_WITH(OutOfMemoryError, false, "CUDA out of memory. Tried to allocate 2.00 GiB");
    } catch (const std::exception& e) {
        QVERIFY(engine::isOutOfMemory(e));
    }
    QVERIFY(engine::isOutOfMemory(std::bad_alloc()));
    // Other errors are not, even when a file name says so.
    QVERIFY(!engine::isOutOfMemory(std::runtime_error("out of memory.png: cannot be read")));
    try {
        TORCH_CHECK(false, "shapes do not match");
    } catch (const std::exception& e) {
        QVERIFY(!engine::isOutOfMemory(e));
    }
}

void TestEngine::hostBatchIsTheCacheAugmentedAndHoles()
{
    QTemporaryDir dir;
    const Dataset ds = openDataset(
        msup::test::writeTinyDataset(dir.filePath(QStringLiteral("data")), SynthKind::Glands, 10, 48, 1));
    const int s = 40;
    const SampleCache cache(ds, s, qint64(1) << 26);
    const QVector<int> order { 3, 1, 4, 0, 9, 2, 6, 5 };
    const HoleGenerator holes(HoleRatioRange::parse("high"));
    const AugmentOptions augment = AugmentOptions::parse("all");
    const std::uint64_t seed = 11;
    const int epoch = 2, from = 2, count = 5;
    const engine::HostBatch b = buildHostBatch(cache, order, from, count, &holes, &augment, ds.ignoreIndex,
        seed, epoch, engine::HoleFill::Noise, false);
    QCOMPARE(b.count(), count);
    for (int i = 0; i < count; ++i) {
        const CachedSample c = cache.get(order[from + i]);
        cv::Mat rgb = c.image.clone(), lab = c.labels.clone();
        augmentPair(rgb, lab, augment, augmentDrawAt(seed, epoch, from + i), ds.ignoreIndex);
        QVERIFY(torch::equal(b.images[i], toTensor(rgb)));
        QVERIFY(torch::equal(b.labels[i], toTensor(lab)));
        const cv::Mat m = holes.generate(s, s, Rng::derive(seed, 0x401e, epoch, from + i));
        QVERIFY(torch::equal(b.holes[i][0], toTensor(m).ne(0).to(torch::kUInt8)));
    }
    QVERIFY(b.noise.to(torch::kFloat32).std().item<double>() > 50); // spread over 0..255
    // The same with one thread in the pool: the batch does not depend on the threads.
    const int threads = QThreadPool::globalInstance()->maxThreadCount();
    QThreadPool::globalInstance()->setMaxThreadCount(1);
    const engine::HostBatch again = buildHostBatch(cache, order, from, count, &holes, &augment,
        ds.ignoreIndex, seed, epoch, engine::HoleFill::Noise, false);
    QThreadPool::globalInstance()->setMaxThreadCount(threads);
    QVERIFY(torch::equal(again.images, b.images) && torch::equal(again.labels, b.labels));
    QVERIFY(torch::equal(again.holes, b.holes) && torch::equal(again.noise, b.noise));
    // Hole masks alone (resident data) are the same masks.
    engine::HostBatch only;
    only.holes = torch::empty({ count, 1, s, s }, torch::kUInt8);
    only.noise = torch::empty({ count, 3, s, s }, torch::kUInt8);
    fillHoleMasks(only, holes, seed, epoch, from, engine::HoleFill::Noise);
    QVERIFY(torch::equal(only.holes, b.holes) && torch::equal(only.noise, b.noise));
}

void TestEngine::stepsAreExact()
{
    // Two identical seeded sequences of host batch → upload → step give bit-identical losses.
    auto run = [](nn::Precision precision) {
        torch::manual_seed(5);
        nn::UNet net(nn::UNetOptions { 3, 1, 4 });
        torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(1e-3));
        std::vector<double> losses;
        for (int step = 0; step < 3; ++step) {
            engine::HostBatch h = engine::allocateHostBatch(2, 32, true, false, false);
            torch::manual_seed(100 + step);
            h.images.copy_(torch::randint(0, 256, h.images.sizes()).to(torch::kUInt8));
            h.labels.copy_(torch::randint(0, 2, h.labels.sizes()).to(torch::kUInt8));
            h.holes.copy_(torch::rand(h.holes.sizes()).lt(0.5).to(torch::kUInt8));
            const engine::DeviceBatch d
                = engine::upload(h, torch::Device(torch::kCPU), engine::HoleFill::Black);
            nn::StepOptions options;
            options.precision = precision;
            const nn::StepResult r = nn::maskSupStep(
                *net, opt, d.images, d.holes, d.target, 255, nn::MaskSupMode::MaskSup, {}, d.fill, options);
            losses.push_back(r.total);
            losses.push_back(r.tasksim);
        }
        return losses;
    };
    const std::vector<double> a = run(nn::Precision::Float32), b = run(nn::Precision::Float32);
    QCOMPARE(a.size(), size_t(6));
    for (size_t i = 0; i < a.size(); ++i)
        QVERIFY(std::memcmp(&a[i], &b[i], sizeof(double)) == 0);
    QVERIFY(a[0] != a[2]); // the weights moved
    // bf16 needs no gradient scaler (CUDA autocast leaves CPU tensors in float32: same losses);
    // fp16 without one is refused.
    QVERIFY(run(nn::Precision::BFloat16) == a);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, run(nn::Precision::Float16));
}

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
