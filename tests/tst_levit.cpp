// core/nn LeViT-UNet: sizes against the reference code, names, shapes, image-size checks, training.
#include "core/nn/levit_unet.h"
#include "core/nn/unet.h"

#include <QElapsedTimer>
#include <QtTest>

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

using namespace msup::nn;

class TestLeViT : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parameterCounts_data();
    void parameterCounts();
    void referenceNamesAndShapes();
    void attentionBiasIndices();
    void forwardShape224();
    void otherImageSizes();
    void wrongImageSizeThrows();
    void trainingStepsLowerTheLoss();
};

void TestLeViT::parameterCounts_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<double>("target"); // the LeViT-UNet paper / reference code, in millions
    QTest::addColumn<qint64>("recorded"); // what this implementation has (= the reference's count)
    QTest::newRow("levit128s") << "levit128s" << 15.89 << qint64(15894627);
    QTest::newRow("levit192") << "levit192" << 19.89 << qint64(19894150);
    QTest::newRow("levit384") << "levit384" << 52.15 << qint64(52154213);
}

void TestLeViT::parameterCounts()
{
    QFETCH(QString, model);
    QFETCH(double, target);
    QFETCH(qint64, recorded);
    ModelSpec spec;
    spec.name = model.toStdString();
    spec.inChannels = 3;
    spec.outChannels = 1;
    const auto net = createModel(spec);
    const qint64 count = parameterCount(*net);
    qInfo("%s: %lld parameters (target %.2f M)", qPrintable(model), count, target);
    QVERIFY2(std::abs(count / 1e6 - target) <= 0.02 * target, qPrintable(QString::number(count)));
    QCOMPARE(count, recorded);
    // width is ignored by the LeViT models.
    spec.width = 8;
    QCOMPARE(qint64(parameterCount(*createModel(spec))), recorded);
}

void TestLeViT::referenceNamesAndShapes()
{
    LeViTUNet net(LeViTUNetOptions {});
    const auto params = net->named_parameters();
    const auto buffers = net->named_buffers();
    // The reference state_dict keys (block indices global over the three stages).
    for (const char* name : { "cnn_b1.0.c.weight", "cnn_b1.0.bn.weight", "cnn_b4.0.bn.bias",
             "block_1.0.m.qkv.c.weight", "block_1.0.m.proj.1.c.weight", "block_1.0.m.attention_biases",
             "block_1.1.m.0.c.weight", "block_1.3.m.2.bn.bias", "block_2.4.kv.c.weight",
             "block_2.4.q.1.c.weight", "block_2.4.proj.1.bn.weight", "block_2.4.attention_biases",
             "block_2.5.m.0.c.weight", "block_2.11.m.2.c.weight", "block_3.12.attention_biases",
             "block_3.21.m.2.c.weight", "decoderBlock_1.conv1.0.weight", "decoderBlock_1.conv1.1.weight",
             "decoderBlock_3.conv2.1.bias", "segmentation_head.0.weight", "segmentation_head.0.bias" })
        QVERIFY2(params.contains(name), name);
    QVERIFY(!params.contains("block_3.22.m.0.c.weight"));
    for (const char* name :
        { "block_1.0.m.attention_bias_idxs", "block_2.4.attention_bias_idxs", "cnn_b2.0.bn.running_var",
            "block_1.1.m.0.bn.running_mean", "decoderBlock_2.conv2.1.running_mean" })
        QVERIFY2(buffers.contains(name), name);
    using V = std::vector<int64_t>;
    // levit128s: C 128/256/384, D 16, N 4/6/8; 14×14, 7×7, 4×4 tokens at 224².
    QCOMPARE(params["cnn_b1.0.c.weight"].sizes().vec(), (V { 16, 3, 3, 3 }));
    QCOMPARE(params["cnn_b4.0.c.weight"].sizes().vec(), (V { 128, 64, 3, 3 }));
    QCOMPARE(params["block_1.0.m.qkv.c.weight"].sizes().vec(), (V { 4 * (16 + 16 + 32), 128 }));
    QCOMPARE(params["block_1.0.m.attention_biases"].sizes().vec(), (V { 4, 196 }));
    QCOMPARE(buffers["block_1.0.m.attention_bias_idxs"].sizes().vec(), (V { 196, 196 }));
    QCOMPARE(params["block_2.4.kv.c.weight"].sizes().vec(), (V { 8 * (16 + 64), 128 }));
    QCOMPARE(params["block_2.4.q.1.c.weight"].sizes().vec(), (V { 8 * 16, 128 }));
    QCOMPARE(params["block_2.4.proj.1.c.weight"].sizes().vec(), (V { 256, 8 * 64 }));
    QCOMPARE(params["block_2.4.attention_biases"].sizes().vec(), (V { 8, 196 }));
    QCOMPARE(buffers["block_2.4.attention_bias_idxs"].sizes().vec(), (V { 49, 196 }));
    QCOMPARE(params["block_2.6.m.attention_biases"].sizes().vec(), (V { 6, 49 }));
    QCOMPARE(params["block_3.12.attention_biases"].sizes().vec(), (V { 16, 49 }));
    QCOMPARE(params["block_3.14.m.attention_biases"].sizes().vec(), (V { 8, 16 }));
    QCOMPARE(params["decoderBlock_1.conv1.0.weight"].sizes().vec(), (V { 512, 128 + 128 + 256 + 384, 3, 3 }));
    QCOMPARE(params["decoderBlock_2.conv1.0.weight"].sizes().vec(), (V { 256, 64 + 512, 3, 3 }));
    QCOMPARE(params["decoderBlock_3.conv1.0.weight"].sizes().vec(), (V { 128, 32 + 256, 3, 3 }));
    QCOMPARE(params["segmentation_head.0.weight"].sizes().vec(), (V { 1, 16 + 128, 3, 3 }));
    // The residual branches' last BN starts at 0, as the reference's bn_weight_init = 0.
    QCOMPARE(params["block_1.0.m.proj.1.bn.weight"].abs().sum().item<double>(), 0.0);
    QCOMPARE(params["block_1.1.m.2.bn.weight"].abs().sum().item<double>(), 0.0);
    QCOMPARE(params["block_2.4.proj.1.bn.weight"].sum().item<double>(), 256.0);

    // levit384: n = 384 stem channels, 12 heads in the first shrink block, decoder input 2048.
    ModelSpec spec;
    spec.name = "levit384";
    const auto big = createModel(spec)->named_parameters();
    QCOMPARE(big["cnn_b4.0.c.weight"].sizes().vec(), (V { 384, 192, 3, 3 }));
    QCOMPARE(big["block_2.8.attention_biases"].sizes().vec(), (V { 12, 196 }));
    QCOMPARE(big["block_3.18.attention_biases"].sizes().vec(), (V { 16, 49 }));
    QCOMPARE(big["decoderBlock_1.conv1.0.weight"].size(1), int64_t(2048));
    QCOMPARE(big["decoderBlock_2.conv1.0.weight"].size(1), int64_t(704));
    QCOMPARE(big["segmentation_head.0.weight"].size(1), int64_t(176));
    QVERIFY(big.contains("block_3.27.m.2.c.weight"));
}

void TestLeViT::attentionBiasIndices()
{
    LeViTUNet net(LeViTUNetOptions {});
    const auto buffers = net->named_buffers();
    // Stage attention on 14×14: offsets are numbered row-major from the first query, so the index of
    // (query 0, key k) is k, and a pair's index is that of (|Δrow|, |Δcol|).
    const torch::Tensor idx = buffers["block_1.0.m.attention_bias_idxs"];
    QVERIFY(torch::equal(idx[0], torch::arange(196, torch::kInt64)));
    QCOMPARE(idx.max().item<int64_t>(), int64_t(195));
    const auto at
        = [&](int qy, int qx, int ky, int kx) { return idx[qy * 14 + qx][ky * 14 + kx].item<int64_t>(); };
    QCOMPARE(at(3, 5, 7, 2), int64_t(4 * 14 + 3));
    QCOMPARE(at(7, 2, 3, 5), int64_t(4 * 14 + 3));
    QVERIFY(torch::equal(idx, idx.t()));
    // Shrink 14 → 7: query (r, c) sits at (2r, 2c) of the key grid.
    const torch::Tensor sub = buffers["block_2.4.attention_bias_idxs"];
    QCOMPARE(sub.sizes().vec(), (std::vector<int64_t> { 49, 196 }));
    QCOMPARE(sub[1 * 7 + 2][5 * 14 + 1].item<int64_t>(), int64_t(3 * 14 + 3));
    // 7 → 4 (rounded up): 49 offsets.
    QCOMPARE(buffers["block_3.12.attention_bias_idxs"].max().item<int64_t>(), int64_t(48));
}

void TestLeViT::forwardShape224()
{
    torch::manual_seed(0);
    torch::NoGradGuard g;
    const torch::Tensor x = torch::randn({ 1, 3, 224, 224 });
    for (int classes : { 1, 2 }) {
        ModelSpec spec;
        spec.name = "levit128s";
        spec.outChannels = classes;
        auto net = createModel(spec);
        net->eval();
        QElapsedTimer timer;
        timer.start();
        const torch::Tensor y = net->forward(x);
        qInfo("levit128s forward 1x3x224x224 -> %d class(es): %lld ms", classes, timer.elapsed());
        QCOMPARE(y.sizes().vec(), (std::vector<int64_t> { 1, classes, 224, 224 }));
        QVERIFY(torch::isfinite(y).all().item<bool>());
        // A wrong input size is refused with a message, not a shape error deep inside.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, net->forward(torch::randn({ 1, 3, 192, 192 })));
    }
}

void TestLeViT::otherImageSizes()
{
    torch::NoGradGuard g;
    // 64: 4, 2, 1 tokens per side. 80: 5, 3, 2 (S/16 odd, where the reference's concatenation fails).
    for (int size : { 64, 80 }) {
        ModelSpec spec;
        spec.name = "levit128s";
        spec.outChannels = 3;
        spec.imageSize = size;
        auto net = createModel(spec);
        net->eval();
        const torch::Tensor y = net->forward(torch::randn({ 2, 3, size, size }));
        QCOMPARE(y.sizes().vec(), (std::vector<int64_t> { 2, 3, size, size }));
        QVERIFY(torch::isfinite(y).all().item<bool>());
    }
}

void TestLeViT::wrongImageSizeThrows()
{
    for (int size : { 100, 0, -16, 8, 250 }) {
        ModelSpec spec;
        spec.name = "levit192";
        spec.imageSize = size;
        bool thrown = false;
        try {
            createModel(spec);
        } catch (const std::invalid_argument& e) {
            thrown = true;
            QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("multiple of 16")), e.what());
        }
        QVERIFY2(thrown, qPrintable(QString::number(size)));
    }
    // The names are listed, and an unknown one names them.
    for (const char* name : { "levit128s", "levit192", "levit384" })
        QVERIFY(std::find(modelNames().begin(), modelNames().end(), name) != modelNames().end());
    try {
        createModel({ "levit256", 3, 1, 32 });
        QFAIL("levit256 accepted");
    } catch (const std::invalid_argument& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("levit384")), e.what());
    }
}

void TestLeViT::trainingStepsLowerTheLoss()
{
    torch::manual_seed(0);
    ModelSpec spec;
    spec.name = "levit128s";
    spec.imageSize = 64; // 4×4, 2×2, 1×1 tokens: the same network, cheap enough for 2 CI cores
    auto net = createModel(spec);
    net->train();
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(1e-3));
    // Fixed batch of two: the target is a bright square.
    torch::Tensor images = torch::randn({ 2, 3, 64, 64 }) * 0.1;
    torch::Tensor target = torch::zeros({ 2, 1, 64, 64 });
    using torch::indexing::Slice;
    images.index_put_({ 0, Slice(), Slice(8, 40), Slice(8, 40) }, 1.0);
    target.index_put_({ 0, 0, Slice(8, 40), Slice(8, 40) }, 1.0);
    images.index_put_({ 1, Slice(), Slice(24, 56), Slice(20, 52) }, 1.0);
    target.index_put_({ 1, 0, Slice(24, 56), Slice(20, 52) }, 1.0);
    std::vector<double> losses;
    for (int step = 0; step < 6; ++step) {
        opt.zero_grad();
        const torch::Tensor loss = torch::binary_cross_entropy_with_logits(net->forward(images), target);
        loss.backward();
        opt.step();
        losses.push_back(loss.item<double>());
        QVERIFY(std::isfinite(losses.back()));
    }
    // Every parameter gets a gradient (the attention biases included).
    for (const auto& p : net->named_parameters())
        QVERIFY2(p.value().grad().defined(), p.key().c_str());
    QVERIFY2(losses.back() < losses.front(),
        qPrintable(QStringLiteral("%1 -> %2").arg(losses.front()).arg(losses.back())));
}

QTEST_APPLESS_MAIN(TestLeViT)
#include "tst_levit.moc"
