// core/nn alone (LibTorch only): architecture, loss terms, and that training lowers the loss.
#include "core/nn/masksup_loss.h"
#include "core/nn/unet.h"

#include <QtTest>

#include <torch/torch.h>

using namespace msup::nn;

static bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-5 * std::max(1.0, std::abs(b));
}

class TestNn : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parameterCounts_data();
    void parameterCounts();
    void referenceParameterNames();
    void unetPlusPlusNodesAndReluLogits();
    void outputShapeOddSizes();
    void lossTermsPerMode();
    void goldenBinaryLoss();
    void goldenMultiClassLoss();
    void gradScalerSkipsNonFiniteSteps();
    void taskSimilarityIsDifferentiable();
    void ignoreIndexIsIgnored();
    void allVoidBatchGivesZeroLossNotNaN_data();
    void allVoidBatchGivesZeroLossNotNaN();
    void multiClassLossIsCrossEntropyMeanExactly();
    void holesKeepPixelsAndFillTheRest();
    void oneEpochLowersTheLoss_data();
    void oneEpochLowersTheLoss();
};

void TestNn::parameterCounts_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("classes");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("unet w32 1 class") << "unet" << 32 << 1 << qint64(7852545);
    QTest::newRow("unet w16 2 classes") << "unet" << 16 << 2 << qint64(1965586);
    QTest::newRow("unetpp w32 40 classes") << "unetpp" << 32 << 40 << qint64(9164616);
}

void TestNn::parameterCounts()
{
    QFETCH(QString, model);
    QFETCH(int, width);
    QFETCH(int, classes);
    QFETCH(qint64, expected);
    const auto net = createModel({ model.toStdString(), 3, classes, width });
    QCOMPARE(qint64(parameterCount(*net)), expected);
}

void TestNn::unetPlusPlusNodesAndReluLogits()
{
    // The reference NestedUNet's node names and input widths (w = 4: 4, 8, 16, 32, 64).
    auto net = createModel({ "unetpp", 3, 2, 4 });
    const auto params = net->named_parameters();
    for (const char* name : { "conv0_0.conv1.weight", "conv1_1.bn2.bias", "conv0_4.conv2.weight",
             "conv1_3.conv1.weight", "conv3_1.conv1.weight", "final.weight" })
        QVERIFY2(params.contains(name), name);
    QVERIFY(!params.contains("conv4_1.conv1.weight"));
    QCOMPARE(params["conv0_4.conv1.weight"].size(1), 4 * 4 + 8); // x0_0..x0_3 and up(x1_3)
    QCOMPARE(params["conv1_2.conv1.weight"].size(1), 2 * 8 + 16);
    QCOMPARE(params["conv3_1.conv1.weight"].size(1), 32 + 64);
    // Odd sizes work; the ReLU option clips the logits at 0 and changes nothing else.
    torch::manual_seed(3);
    auto plain = createModel({ "unetpp", 3, 2, 4 });
    torch::manual_seed(3);
    auto relu = createModel({ "unetpp", 3, 2, 4, true });
    plain->eval();
    relu->eval();
    const torch::Tensor x = torch::randn({ 1, 3, 37, 45 });
    const torch::Tensor a = plain->forward(x), b = relu->forward(x);
    QCOMPARE(a.sizes().vec(), std::vector<int64_t>({ 1, 2, 37, 45 }));
    QVERIFY(a.min().item<float>() < 0);
    QVERIFY(torch::allclose(b, torch::relu(a)));
}

void TestNn::referenceParameterNames()
{
    UNet net(UNetOptions { 3, 1, 4 });
    const auto params = net->named_parameters();
    QVERIFY(params.contains("conv0_0.conv1.weight"));
    QVERIFY(params.contains("conv3_1.bn2.bias"));
    QVERIFY(params.contains("conv0_4.conv2.weight"));
    QVERIFY(params.contains("final.weight"));
    QVERIFY(net->named_buffers().contains("conv2_2.bn1.running_mean"));
}

void TestNn::outputShapeOddSizes()
{
    UNet net(UNetOptions { 3, 5, 2 });
    net->eval();
    torch::NoGradGuard g;
    const auto y = net->forward(torch::randn({ 2, 3, 48, 80 }));
    QCOMPARE(y.sizes().vec(), (std::vector<int64_t> { 2, 5, 48, 80 }));
}

void TestNn::lossTermsPerMode()
{
    torch::manual_seed(1);
    const auto a = torch::randn({ 2, 3, 8, 8 }), b = torch::randn({ 2, 3, 8, 8 });
    const auto t = torch::randint(0, 3, { 2, 8, 8 }, torch::kInt64);
    const LossWeights w { 1, 1, 1 };
    const auto base = maskSupLoss(a, b, t, 255, MaskSupMode::Baseline, w);
    QCOMPARE(base.context.item<double>(), 0.0);
    QCOMPARE(base.total.item<double>(), base.seg.item<double>());
    const auto ctx = maskSupLoss(a, b, t, 255, MaskSupMode::Context, w);
    QVERIFY(ctx.context.item<double>() > 0);
    QCOMPARE(ctx.tasksim.item<double>(), 0.0);
    const auto full = maskSupLoss(a, b, t, 255, MaskSupMode::MaskSup, LossWeights { 1, 0.5, 2 });
    QVERIFY(full.tasksim.item<double>() > 0);
    QVERIFY(near(full.total.item<double>(),
        full.seg.item<double>() + 0.5 * full.context.item<double>() + 2 * full.tasksim.item<double>()));
    // Identical branches: no task-similarity penalty.
    QCOMPARE(maskSupLoss(a, a, t, 255, MaskSupMode::MaskSup, w).tasksim.item<double>(), 0.0);
}

void TestNn::taskSimilarityIsDifferentiable()
{
    for (int channels : { 1, 4 }) {
        auto a = torch::randn({ 1, channels, 6, 6 }, torch::requires_grad());
        auto b = torch::randn({ 1, channels, 6, 6 }, torch::requires_grad());
        const auto t = torch::zeros({ 1, 6, 6 }, torch::kInt64);
        const auto terms = maskSupLoss(a, b, t, 255, MaskSupMode::MaskSup, LossWeights { 0, 0, 1 });
        terms.total.backward();
        QVERIFY(b.grad().abs().sum().item<double>() > 0);
        QVERIFY(a.grad().abs().sum().item<double>() > 0);
    }
}

void TestNn::ignoreIndexIsIgnored()
{
    const auto logits = torch::zeros({ 1, 1, 2, 2 });
    auto t = torch::full({ 1, 2, 2 }, 255, torch::kInt64);
    t.index_put_({ 0, 0, 0 }, 1);
    // Only one valid pixel with target 1 and logit 0: BCE = log 2.
    QVERIFY(near(segmentationLoss(logits, t, 255).item<double>(), std::log(2.0)));
    const auto multi = torch::zeros({ 1, 3, 2, 2 });
    QVERIFY(near(segmentationLoss(multi, t, 255).item<double>(), std::log(3.0)));
}

void TestNn::allVoidBatchGivesZeroLossNotNaN_data()
{
    QTest::addColumn<int>("classes");
    QTest::newRow("binary") << 1;
    QTest::newRow("3 classes") << 3;
}

void TestNn::allVoidBatchGivesZeroLossNotNaN()
{
    // A batch whose masks are all void (255) has nothing to supervise: its segmentation and context
    // terms are 0 with zero gradients (cross-entropy's mean over no pixel was 0/0 = NaN and stopped
    // training with advice to lower the learning rate). The task-similarity term needs no labels.
    QFETCH(int, classes);
    torch::manual_seed(3);
    UNet net(UNetOptions { 3, classes, 2 });
    torch::optim::SGD optimizer(net->parameters(), torch::optim::SGDOptions(0.1));
    const auto images = torch::rand({ 2, 3, 32, 32 });
    const auto holes = (torch::rand({ 2, 1, 32, 32 }) > 0.5).to(torch::kFloat32);
    const auto target = torch::full({ 2, 32, 32 }, 255, torch::kInt64);
    const LossTerms t = maskSupLoss(net->forward(images), net->forward(images * (1 - holes)), target, 255,
        MaskSupMode::MaskSup, LossWeights {});
    QCOMPARE(t.seg.item<double>(), 0.0);
    QCOMPARE(t.context.item<double>(), 0.0);
    QVERIFY(std::isfinite(t.total.item<double>()));
    const StepResult r = maskSupStep(*net, optimizer, images, holes, target, 255, MaskSupMode::MaskSup,
        LossWeights {}, torch::Tensor(), StepOptions {});
    QVERIFY2(r.finite, "an all-void batch must not make the loss NaN");
    QCOMPARE(r.seg, 0.0);
    for (const auto& p : net->parameters())
        QVERIFY(torch::isfinite(p).all().item<bool>());
    // Baseline: the whole loss is 0 and the weights stay finite.
    const StepResult b = maskSupStep(*net, optimizer, images, holes, target, 255, MaskSupMode::Baseline,
        LossWeights {}, torch::Tensor(), StepOptions {});
    QVERIFY(b.finite);
    QCOMPARE(b.total, 0.0);
}

void TestNn::multiClassLossIsCrossEntropyMeanExactly()
{
    // Batches with labelled pixels keep exactly the loss they had (cross_entropy's mean over the
    // labelled pixels, bit for bit), so runs stay comparable with earlier ones.
    torch::manual_seed(5);
    for (const auto dtype : { torch::kFloat32, torch::kFloat64 }) {
        const auto logits = torch::randn({ 4, 5, 17, 19 }, dtype) * 3;
        auto target = torch::randint(0, 5, { 4, 17, 19 }, torch::kInt64);
        target.masked_fill_(torch::rand({ 4, 17, 19 }) < 0.3, 255);
        const auto expected = torch::nn::functional::cross_entropy(
            logits, target, torch::nn::functional::CrossEntropyFuncOptions().ignore_index(255));
        QVERIFY(torch::equal(segmentationLoss(logits, target, 255), expected));
    }
}

void TestNn::oneEpochLowersTheLoss_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("classes");
    QTest::newRow("masksup binary") << int(MaskSupMode::MaskSup) << 1;
    QTest::newRow("baseline binary") << int(MaskSupMode::Baseline) << 1;
    QTest::newRow("masksup 3 classes") << int(MaskSupMode::MaskSup) << 3;
}

void TestNn::oneEpochLowersTheLoss()
{
    QFETCH(int, mode);
    QFETCH(int, classes);
    torch::manual_seed(0);
    UNet net(UNetOptions { 3, classes, 4 });
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(1e-2).amsgrad(true));
    // A tiny learnable task: the label is which quadrant-ish region is bright.
    const int n = 8, s = 32;
    auto images = torch::randn({ n, 3, s, s }) * 0.1;
    auto target = torch::zeros({ n, s, s }, torch::kInt64);
    for (int i = 0; i < n; ++i) {
        const int x0 = (i % 4) * 6, y0 = (i / 4) * 10;
        images.index_put_({ i, torch::indexing::Slice(), torch::indexing::Slice(y0, y0 + 12),
                              torch::indexing::Slice(x0, x0 + 12) },
            1.0);
        target.index_put_({ i, torch::indexing::Slice(y0, y0 + 12), torch::indexing::Slice(x0, x0 + 12) },
            classes == 1 ? 1 : 1 + i % 2);
    }
    const auto holes = (torch::rand({ n, 1, s, s }) < 0.3).to(torch::kFloat32);
    auto evalLoss = [&]() {
        torch::NoGradGuard g;
        net->train(); // BN batch statistics, as during training
        return maskSupLoss(net->forward(images), net->forward(applyHoles(images, holes)), target, 255,
            static_cast<MaskSupMode>(mode), LossWeights {})
            .total.item<double>();
    };
    const double before = evalLoss();
    for (int epoch = 0; epoch < 1; ++epoch)
        for (int b = 0; b < n; b += 2) {
            const auto sl = torch::indexing::Slice(b, b + 2);
            const auto r = maskSupStep(*net, opt, images.index({ sl }), holes.index({ sl }),
                target.index({ sl }), 255, static_cast<MaskSupMode>(mode), LossWeights {});
            QVERIFY(std::isfinite(r.total));
        }
    const double after = evalLoss();
    QVERIFY2(after < before, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
}

void TestNn::holesKeepPixelsAndFillTheRest()
{
    const torch::Tensor images = torch::full({ 2, 3, 4, 4 }, 0.5f);
    torch::Tensor holes = torch::zeros({ 2, 1, 4, 4 });
    holes.index_put_({ 0, 0, 1, 2 }, 1.0f);
    // Default: I ⊙ (1 − hole), holes become 0 (mid-grey after normalisation).
    const torch::Tensor zero = applyHoles(images, holes);
    QCOMPARE(zero.index({ 0, 1, 1, 2 }).item<float>(), 0.f);
    QCOMPARE(zero.index({ 0, 1, 0, 0 }).item<float>(), 0.5f);
    QCOMPARE(zero.index({ 1, 1, 1, 2 }).item<float>(), 0.5f); // the other image has no hole there
    // Black (-1) or any fill tensor replaces hidden pixels only.
    const torch::Tensor black = applyHoles(images, holes, torch::full({ 1 }, -1.f));
    QCOMPARE(black.index({ 0, 2, 1, 2 }).item<float>(), -1.f);
    QCOMPARE(black.index({ 0, 2, 3, 3 }).item<float>(), 0.5f);
    const torch::Tensor noise = torch::rand({ 2, 3, 4, 4 });
    const torch::Tensor filled = applyHoles(images, holes, noise);
    QCOMPARE(filled.index({ 0, 0, 1, 2 }).item<float>(), noise.index({ 0, 0, 1, 2 }).item<float>());
    QCOMPARE(filled.index({ 1, 0, 1, 2 }).item<float>(), 0.5f);
}

// Three pixels of one image, worked out by hand. Clean logits z = (0, ln 3, 0), masked logits
// z_m = (ln 3, 0, 0), targets (1, 0, void).
//   L_seg     = mean over valid pixels of BCE: (−ln σ(0) − ln(1 − σ(ln 3))) / 2 = (ln 2 + ln 4) / 2
//   L_context = (−ln σ(ln 3) − ln(1 − σ(0))) / 2 = (ln 4/3 + ln 2) / 2
//   L_tasksim = mean over all pixels of (σ(z) − σ(z_m))² = (0.25² + 0.25² + 0) / 3
// With α = (1, 0.5, 2): total = L_seg + 0.5 L_context + 2 L_tasksim.
void TestNn::goldenBinaryLoss()
{
    const double ln2 = std::log(2.0), ln3 = std::log(3.0);
    const auto z = torch::tensor({ 0.0, ln3, 0.0 }, torch::kFloat64).view({ 1, 1, 1, 3 });
    const auto zm
        = torch::tensor({ ln3, 0.0, 0.0 }, torch::kFloat64).view({ 1, 1, 1, 3 }).requires_grad_(true);
    const auto target = torch::tensor({ 1, 0, 255 }, torch::kInt64).view({ 1, 1, 3 });
    const LossWeights alpha { 1.0, 0.5, 2.0 };
    const LossTerms t = maskSupLoss(z, zm, target, 255, MaskSupMode::MaskSup, alpha);
    const double seg = (ln2 + 2 * ln2) / 2, context = (std::log(4.0 / 3.0) + ln2) / 2, tasksim = 0.125 / 3;
    QVERIFY(std::abs(t.seg.item<double>() - seg) < 1e-12);
    QVERIFY(std::abs(t.context.item<double>() - context) < 1e-12);
    QVERIFY(std::abs(t.tasksim.item<double>() - tasksim) < 1e-12);
    QVERIFY(std::abs(t.total.item<double>() - (seg + 0.5 * context + 2 * tasksim)) < 1e-12);
    // The task-similarity term carries gradient to the masked branch: at pixel 0,
    // ∂(2·L_tasksim)/∂z_m = 2 · (−2 (σ(0) − σ(ln 3)) σ'(ln 3) / 3) = 2 · 0.03125, plus the context
    // term's 0.5 · (σ(ln 3) − 1) / 2.
    t.total.backward();
    const double expected0 = 2 * 0.03125 + 0.5 * (0.75 - 1.0) / 2;
    QVERIFY2(std::abs(zm.grad()[0][0][0][0].item<double>() - expected0) < 1e-12,
        qPrintable(QString::number(zm.grad()[0][0][0][0].item<double>(), 'g', 17)));
    // The void pixel gets gradient from nothing: same logits in both branches, no label.
    QCOMPARE(zm.grad()[0][0][0][2].item<double>(), 0.0);
    // The ablation modes drop their terms.
    const LossTerms ctx = maskSupLoss(z, zm, target, 255, MaskSupMode::Context, alpha);
    QVERIFY(std::abs(ctx.total.item<double>() - (seg + 0.5 * context)) < 1e-12);
    QCOMPARE(ctx.tasksim.item<double>(), 0.0);
    const LossTerms base = maskSupLoss(z, {}, target, 255, MaskSupMode::Baseline, alpha);
    QVERIFY(std::abs(base.total.item<double>() - seg) < 1e-12);
}

// Three classes, three pixels (the last void). Clean logits per pixel (0,0,0), (ln 2,0,0), (0,0,0);
// masked (0,0,ln 2), (0,0,0), (0,0,0); targets 2, 0, void.
//   L_seg = (ln 3 + ln 2) / 2 (softmax (1/3,1/3,1/3) at class 2; (1/2,1/4,1/4) at class 0)
//   L_context = (ln 2 + ln 3) / 2
//   L_tasksim: squared differences (1/12, 1/12, 1/6)² and (1/6, 1/12, 1/12)², 1/24 per pixel,
//   averaged over 3 classes × 3 pixels: (2/24) / 9 = 1/108.
void TestNn::goldenMultiClassLoss()
{
    const double ln2 = std::log(2.0), ln3 = std::log(3.0);
    // N×K×H×W = 1×3×1×3, built as pixels × classes and permuted.
    const auto z = torch::tensor({ 0.0, 0.0, 0.0, ln2, 0.0, 0.0, 0.0, 0.0, 0.0 }, torch::kFloat64)
                       .view({ 1, 1, 3, 3 })
                       .permute({ 0, 3, 1, 2 });
    const auto zm = torch::tensor({ 0.0, 0.0, ln2, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 }, torch::kFloat64)
                        .view({ 1, 1, 3, 3 })
                        .permute({ 0, 3, 1, 2 });
    const auto target = torch::tensor({ 2, 0, 255 }, torch::kInt64).view({ 1, 1, 3 });
    const LossTerms t = maskSupLoss(z, zm, target, 255, MaskSupMode::MaskSup, LossWeights {});
    QVERIFY(std::abs(t.seg.item<double>() - (ln3 + ln2) / 2) < 1e-12);
    QVERIFY(std::abs(t.context.item<double>() - (ln2 + ln3) / 2) < 1e-12);
    QVERIFY(std::abs(t.tasksim.item<double>() - 1.0 / 108) < 1e-12);
    QVERIFY(std::abs(t.total.item<double>() - (ln2 + ln3 + 1.0 / 108)) < 1e-12);
}

void TestNn::gradScalerSkipsNonFiniteSteps()
{
    GradScaler scaler;
    auto p = torch::ones({ 2 }).requires_grad_(true);
    p.mutable_grad() = torch::tensor({ 65536.0f, -131072.0f });
    QVERIFY(scaler.unscaleAndCheck({ p }));
    QCOMPARE(p.grad()[0].item<float>(), 1.0f); // unscaled in place
    QCOMPARE(p.grad()[1].item<float>(), -2.0f);
    scaler.update(true);
    QCOMPARE(scaler.growthTracker, 1);
    p.mutable_grad() = torch::tensor({ 1.0f, std::numeric_limits<float>::infinity() });
    QVERIFY(!scaler.unscaleAndCheck({ p }));
    scaler.update(false);
    QCOMPARE(scaler.scale, 32768.0);
    QCOMPARE(scaler.growthTracker, 0);
    for (int i = 0; i < GradScaler::kGrowthInterval; ++i)
        scaler.update(true);
    QCOMPARE(scaler.scale, 65536.0);
    // A non-finite loss is reported and leaves the weights untouched.
    torch::manual_seed(0);
    auto net = createModel({ "unet", 3, 1, 4 });
    torch::optim::SGD sgd(net->parameters(), torch::optim::SGDOptions(0.1));
    const auto before = net->parameters()[0].clone();
    const auto images = torch::full({ 1, 3, 32, 32 }, std::numeric_limits<float>::quiet_NaN());
    const auto target = torch::zeros({ 1, 32, 32 }, torch::kInt64);
    const StepResult r = maskSupStep(
        *net, sgd, images, torch::zeros({ 1, 1, 32, 32 }), target, 255, MaskSupMode::MaskSup, LossWeights {});
    QVERIFY(!r.finite);
    QVERIFY(torch::equal(before, net->parameters()[0]));
}

QTEST_APPLESS_MAIN(TestNn)
#include "tst_nn.moc"
