// Importing weights saved by Python's torch.save (core/train/weight_import.h). The fixtures in
// tests/data come from scripts/make_pth_fixture.py (the reference NestedUNet / UNet, run with
// python3-torch); this test needs no Python: variants of the state_dict are written with
// torch::pickle_save, which produces the same zip format.
#include "core/base/error.h"
#include "core/nn/unet.h"
#include "core/train/checkpoint_io.h"
#include "core/train/weight_import.h"
#include "tests/support/files.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/serialize.h>
#include <torch/torch.h>

#include <functional>

using namespace msup;

namespace {

QString dataFile(const QString& name)
{
    return QStringLiteral(MASKSUP_TEST_DATA "/") + name;
}

// NumPy format 1.0/2.0, little-endian float32, C order (what the fixture script writes).
torch::Tensor readNpyFloat32(const QString& path)
{
    const QByteArray all = msup::test::readAll(path);
    if (all.isEmpty())
        throw std::runtime_error("cannot open " + path.toStdString());
    if (!all.startsWith("\x93NUMPY") || all.size() < 12)
        throw std::runtime_error(path.toStdString() + " is not a .npy file");
    const int major = std::uint8_t(all[6]);
    qsizetype headerLen = 0, start = 0;
    if (major == 1) {
        headerLen = std::uint8_t(all[8]) | (std::uint8_t(all[9]) << 8);
        start = 10;
    } else {
        headerLen = qsizetype(std::uint8_t(all[8])) | (qsizetype(std::uint8_t(all[9])) << 8)
            | (qsizetype(std::uint8_t(all[10])) << 16) | (qsizetype(std::uint8_t(all[11])) << 24);
        start = 12;
    }
    const QString header = QString::fromLatin1(all.mid(start, headerLen));
    if (!header.contains(QLatin1String("'descr': '<f4'"))
        || !header.contains(QLatin1String("'fortran_order': False")))
        throw std::runtime_error(path.toStdString() + ": expected C-order little-endian float32");
    const auto m = QRegularExpression(QStringLiteral("'shape': \\(([0-9, ]*)\\)")).match(header);
    if (!m.hasMatch())
        throw std::runtime_error(path.toStdString() + ": no shape");
    std::vector<std::int64_t> shape;
    for (const QString& d : m.captured(1).split(QLatin1Char(','), Qt::SkipEmptyParts))
        shape.push_back(d.trimmed().toLongLong());
    torch::Tensor t = torch::empty(shape, torch::kFloat);
    const qsizetype bytes = qsizetype(t.numel()) * 4;
    if (all.size() - start - headerLen != bytes)
        throw std::runtime_error(path.toStdString() + ": data size does not match the shape");
    std::memcpy(t.data_ptr<float>(), all.constData() + start + headerLen, size_t(bytes));
    return t;
}

void writeBytes(const QString& path, const std::vector<char>& bytes)
{
    QVERIFY(msup::test::writeAll(path, QByteArray(bytes.data(), qsizetype(bytes.size()))));
}

// The parameters and buffers of a model as a Dict[str, Tensor], names passed through `rename`
// (an empty name drops the entry).
c10::impl::GenericDict stateDictOf(
    nn::SegmentationModelImpl& model, const std::function<std::string(const std::string&)>& rename = {})
{
    c10::impl::GenericDict d(c10::StringType::get(), c10::TensorType::get());
    auto add = [&](const std::string& key, const torch::Tensor& t) {
        const std::string name = rename ? rename(key) : key;
        if (!name.empty())
            d.insert(name, t.detach().clone());
    };
    for (const auto& p : model.named_parameters())
        add(p.key(), p.value());
    for (const auto& b : model.named_buffers())
        add(b.key(), b.value());
    return d;
}

// Options for the fixture's network: the reference NestedUNet, width 4, 3 classes.
WeightImportOptions fixtureOptions(const QString& in, const QString& out)
{
    WeightImportOptions o;
    o.model = QStringLiteral("unetpp");
    o.classes = 3;
    o.width = 4;
    o.inputPath = in;
    o.outputPath = out;
    return o;
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a - b).abs().max().item<double>();
}

} // namespace

class TestImport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void nestedUNetMatchesReferenceLogits();
    void nestedUNetRawLogitsWithoutRelu();
    void unetMatchesReferenceLogits();
    void wrongClassCountNamesKeyAndShapes();
    void wrongModelOrWidthGetsAHint();
    void renamedKeyIsMissingAndUnexpected();
    void unexpectedKeysAreOnlyWarnings();
    void dataParallelPrefixAndWrappers_data();
    void dataParallelPrefixAndWrappers();
    void notTorchFilesAreClearErrors();
    void notAStateDictIsAClearError();
    void badOptionsAreErrors();

private:
    // Imports `pth` as the 3-class width-4 U-Net++ and returns the model loaded back from the
    // written checkpoint (eval mode), with its metadata.
    std::shared_ptr<nn::SegmentationModelImpl> importAndLoad(
        const QString& pth, WeightImportReport* report, CheckpointInfo* info, bool reluLogits = true);
    QString path(const QString& name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    torch::Tensor m_input;
    std::shared_ptr<nn::SegmentationModelImpl> m_reference; // the imported fixture
};

void TestImport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(dataFile(QStringLiteral("unetpp_w4_c3.pth"))),
        "tests/data/unetpp_w4_c3.pth is missing (scripts/make_pth_fixture.py writes it)");
    m_input = readNpyFloat32(dataFile(QStringLiteral("input_1x3x64x64.npy")));
    QVERIFY(m_input.sizes() == torch::IntArrayRef({ 1, 3, 64, 64 }));
    WeightImportReport report;
    CheckpointInfo info;
    m_reference = importAndLoad(dataFile(QStringLiteral("unetpp_w4_c3.pth")), &report, &info);
    QVERIFY(m_reference);
}

std::shared_ptr<nn::SegmentationModelImpl> TestImport::importAndLoad(
    const QString& pth, WeightImportReport* report, CheckpointInfo* info, bool reluLogits)
{
    static int n = 0;
    WeightImportOptions o = fixtureOptions(pth, path(QStringLiteral("imported_%1.pt").arg(++n)));
    o.imageSize = 64;
    o.reluLogits = reluLogits;
    *report = importPyTorchWeights(o);
    return loadCheckpoint(o.outputPath, info, torch::kCPU);
}

void TestImport::nestedUNetMatchesReferenceLogits()
{
    WeightImportReport report;
    CheckpointInfo info;
    auto model = importAndLoad(dataFile(QStringLiteral("unetpp_w4_c3.pth")), &report, &info);
    // 15 blocks × (2 convs × 2 + 2 BNs × 5) + final weight and bias
    QCOMPARE(report.fileTensors, 15 * 14 + 2);
    QCOMPARE(report.modelTensors, report.fileTensors);
    QCOMPARE(report.loadedTensors, report.fileTensors);
    QVERIFY(report.missingKeys.isEmpty());
    QVERIFY(report.unexpectedKeys.isEmpty());
    QVERIFY(report.shapeMismatches.isEmpty());
    QVERIFY(report.complete());
    QCOMPARE(report.strippedPrefixes, 0);
    QVERIFY(report.container.isEmpty());
    QVERIFY(report.reluLogits);
    QCOMPARE(report.parameters, nn::parameterCount(*model));
    QVERIFY(report.loadedValues > report.parameters); // the BatchNorm statistics too

    QCOMPARE(info.config.model, QStringLiteral("unetpp"));
    QCOMPARE(info.config.width, 4);
    QCOMPARE(info.config.imageSize, 64);
    QVERIFY(info.config.reluLogits);
    QCOMPARE(info.outputChannels, 3);
    QCOMPARE(info.classNames, (QStringList { "class 0", "class 1", "class 2" }));
    QCOMPARE(info.classColors.size(), 3);
    QCOMPARE(info.epoch, 0);

    // The running statistics came from the file, not the defaults (0 and 1).
    bool found = false;
    for (const auto& b : model->named_buffers())
        if (b.key() == "conv0_0.bn1.running_var") {
            found = true;
            QVERIFY(maxAbsDiff(b.value(), torch::ones_like(b.value())) > 1e-3);
        }
    QVERIFY(found);

    torch::NoGradGuard noGrad;
    const torch::Tensor logits = model->forward(m_input);
    const torch::Tensor expected = readNpyFloat32(dataFile(QStringLiteral("unetpp_w4_c3_logits.npy")));
    QVERIFY(logits.sizes() == expected.sizes());
    const double diff = maxAbsDiff(logits, expected);
    qInfo("U-Net++ (relu logits): max |logit difference| = %.3g", diff);
    QVERIFY2(diff < 1e-4, qPrintable(QStringLiteral("max difference %1").arg(diff)));

    // The comparison discriminates: the same network without the imported weights is far off.
    const auto fresh = nn::createModel(modelSpecFor(info));
    fresh->eval();
    QVERIFY(maxAbsDiff(fresh->forward(m_input), expected) > 1e-2);
}

void TestImport::nestedUNetRawLogitsWithoutRelu()
{
    WeightImportReport report;
    CheckpointInfo info;
    auto model = importAndLoad(dataFile(QStringLiteral("unetpp_w4_c3.pth")), &report, &info, false);
    QVERIFY(!info.config.reluLogits);
    torch::NoGradGuard noGrad;
    const torch::Tensor logits = model->forward(m_input);
    const torch::Tensor expected = readNpyFloat32(dataFile(QStringLiteral("unetpp_w4_c3_raw_logits.npy")));
    QVERIFY(expected.min().item<float>() < 0); // so the ReLU makes a difference
    const double diff = maxAbsDiff(logits, expected);
    qInfo("U-Net++ (raw logits): max |logit difference| = %.3g", diff);
    QVERIFY2(diff < 1e-4, qPrintable(QStringLiteral("max difference %1").arg(diff)));
}

void TestImport::unetMatchesReferenceLogits()
{
    WeightImportOptions o;
    o.model = QStringLiteral("unet");
    o.classes = 1;
    o.width = 2;
    o.imageSize = 64;
    o.inputPath = dataFile(QStringLiteral("unet_w2_c1.pth"));
    o.outputPath = path(QStringLiteral("sub/dir/unet.pt")); // the folder is created
    const WeightImportReport report = importPyTorchWeights(o);
    QVERIFY(report.complete());
    QVERIFY(report.unexpectedKeys.isEmpty());
    QCOMPARE(report.loadedTensors, 9 * 14 + 2);
    QVERIFY(!report.reluLogits); // U-Net never has it
    CheckpointInfo info;
    auto model = loadCheckpoint(o.outputPath, &info, torch::kCPU);
    QCOMPARE(info.config.model, QStringLiteral("unet"));
    QVERIFY(!info.config.reluLogits);
    QCOMPARE(info.outputChannels, 1);
    QCOMPARE(info.classNames, (QStringList { "background", "foreground" }));
    QCOMPARE(info.classColors.size(), 2);
    torch::NoGradGuard noGrad;
    const double diff = maxAbsDiff(
        model->forward(m_input), readNpyFloat32(dataFile(QStringLiteral("unet_w2_c1_logits.npy"))));
    qInfo("U-Net: max |logit difference| = %.3g", diff);
    QVERIFY2(diff < 1e-4, qPrintable(QStringLiteral("max difference %1").arg(diff)));
}

void TestImport::wrongClassCountNamesKeyAndShapes()
{
    WeightImportOptions o = fixtureOptions(
        dataFile(QStringLiteral("unetpp_w4_c3.pth")), path(QStringLiteral("wrong_classes.pt")));
    o.classes = 1; // the file has 3
    try {
        importPyTorchWeights(o);
        QFAIL("a wrong class count was accepted");
    } catch (const Error& e) {
        const QString m = QString::fromStdString(e.what());
        QVERIFY2(m.contains(QLatin1String("final.weight")), qPrintable(m));
        QVERIFY2(m.contains(QLatin1String("[1, 4, 1, 1]")), qPrintable(m)); // the model's
        QVERIFY2(m.contains(QLatin1String("[3, 4, 1, 1]")), qPrintable(m)); // the file's
        QCOMPARE(QString::fromStdString(e.file()), o.inputPath);
        QVERIFY2(QString::fromStdString(e.hint()).contains(QLatin1String("3 classes")), e.what());
    }
    QVERIFY(!QFile::exists(o.outputPath));

    // With allowPartial the head keeps its initial values and the rest is imported.
    o.allowPartial = true;
    const WeightImportReport r = importPyTorchWeights(o);
    QCOMPARE(r.shapeMismatches.size(), 2); // final.weight, final.bias
    QVERIFY(r.shapeMismatches.first().startsWith(QLatin1String("final.")));
    QCOMPARE(r.loadedTensors, r.modelTensors - 2);
    QVERIFY(!r.complete());
    QVERIFY(QFile::exists(o.outputPath));
}

void TestImport::wrongModelOrWidthGetsAHint()
{
    WeightImportOptions o;
    o.model = QStringLiteral("unetpp");
    o.classes = 1;
    o.width = 2;
    o.inputPath = dataFile(QStringLiteral("unet_w2_c1.pth"));
    o.outputPath = path(QStringLiteral("wrong_model.pt"));
    try {
        importPyTorchWeights(o);
        QFAIL("U-Net weights were accepted as U-Net++");
    } catch (const Error& e) {
        QVERIFY2(QString::fromStdString(e.hint()).contains(QLatin1String("model unet")), e.what());
    }
    o.model = QStringLiteral("unet");
    o.width = 8;
    try {
        importPyTorchWeights(o);
        QFAIL("a wrong width was accepted");
    } catch (const Error& e) {
        QVERIFY2(QString::fromStdString(e.what()).contains(QLatin1String("conv0_0.conv1.weight")), e.what());
        QVERIFY2(QString::fromStdString(e.hint()).contains(QLatin1String("width 2")), e.what());
    }
}

void TestImport::renamedKeyIsMissingAndUnexpected()
{
    auto renamed = stateDictOf(*m_reference, [](const std::string& k) {
        return k == "conv2_1.bn2.running_mean" ? std::string("conv2_1.bn2.running_avg") : k;
    });
    const QString pth = path(QStringLiteral("renamed.pth"));
    writeBytes(pth, torch::pickle_save(renamed));

    WeightImportOptions o = fixtureOptions(pth, path(QStringLiteral("renamed.pt")));
    try {
        importPyTorchWeights(o);
        QFAIL("a missing key was accepted");
    } catch (const Error& e) {
        const QString m = QString::fromStdString(e.what());
        QVERIFY2(
            m.contains(QLatin1String("missing")) && m.contains(QLatin1String("conv2_1.bn2.running_mean")),
            qPrintable(m));
        QVERIFY2(m.contains(QLatin1String("conv2_1.bn2.running_avg")), qPrintable(m));
    }
    QVERIFY(!QFile::exists(o.outputPath));

    o.allowPartial = true;
    const WeightImportReport r = importPyTorchWeights(o);
    QCOMPARE(r.missingKeys, QStringList { "conv2_1.bn2.running_mean" });
    QCOMPARE(r.unexpectedKeys, QStringList { "conv2_1.bn2.running_avg" });
    QCOMPARE(r.loadedTensors, r.modelTensors - 1);
    QVERIFY(QFile::exists(o.outputPath));
}

void TestImport::unexpectedKeysAreOnlyWarnings()
{
    auto extra = stateDictOf(*m_reference);
    extra.insert("aux_head.weight", torch::zeros({ 2, 4, 1, 1 }));
    const QString pth = path(QStringLiteral("extra.pth"));
    writeBytes(pth, torch::pickle_save(extra));
    WeightImportOptions o = fixtureOptions(pth, path(QStringLiteral("extra.pt")));
    const WeightImportReport r = importPyTorchWeights(o);
    QCOMPARE(r.unexpectedKeys, QStringList { "aux_head.weight" });
    QVERIFY(r.complete());
    QCOMPARE(r.loadedTensors, r.modelTensors);
}

void TestImport::dataParallelPrefixAndWrappers_data()
{
    QTest::addColumn<QString>("container");
    QTest::addColumn<bool>("prefix");
    QTest::newRow("module. prefix") << QString() << true;
    QTest::newRow("state_dict wrapper") << QStringLiteral("state_dict") << false;
    QTest::newRow("model wrapper with module. prefix") << QStringLiteral("model") << true;
}

void TestImport::dataParallelPrefixAndWrappers()
{
    QFETCH(QString, container);
    QFETCH(bool, prefix);
    auto sd = stateDictOf(*m_reference, [&](const std::string& k) { return (prefix ? "module." : "") + k; });
    c10::IValue root = sd;
    if (!container.isEmpty()) {
        c10::impl::GenericDict wrapper(c10::StringType::get(), c10::AnyType::get());
        wrapper.insert("epoch", 42);
        wrapper.insert("best_dice", 0.75);
        wrapper.insert(container.toStdString(), sd);
        wrapper.insert("optimizer", c10::impl::GenericDict(c10::StringType::get(), c10::AnyType::get()));
        root = wrapper;
    }
    const QString pth = path(QStringLiteral("variant.pth"));
    writeBytes(pth, torch::pickle_save(root));

    WeightImportReport report;
    CheckpointInfo info;
    auto model = importAndLoad(pth, &report, &info);
    QCOMPARE(report.container, container);
    QCOMPARE(report.strippedPrefixes, prefix ? report.fileTensors : 0);
    QVERIFY(report.complete());
    QVERIFY(report.unexpectedKeys.isEmpty());
    QCOMPARE(report.loadedTensors, report.modelTensors);
    torch::NoGradGuard noGrad;
    const double diff = maxAbsDiff(
        model->forward(m_input), readNpyFloat32(dataFile(QStringLiteral("unetpp_w4_c3_logits.npy"))));
    QVERIFY2(diff < 1e-4, qPrintable(QStringLiteral("max difference %1").arg(diff)));
}

void TestImport::notTorchFilesAreClearErrors()
{
    auto expectError = [&](const QString& input, const QString& inMessage, const QString& inHint) {
        WeightImportOptions o = fixtureOptions(input, path(QStringLiteral("never.pt")));
        try {
            importPyTorchWeights(o);
            QFAIL(qPrintable(input + QStringLiteral(" was accepted")));
        } catch (const Error& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(inMessage), e.what());
            QVERIFY2(QString::fromStdString(e.hint()).contains(inHint), e.what());
            QCOMPARE(QString::fromStdString(e.file()), input);
        }
        QVERIFY(!QFile::exists(o.outputPath));
    };
    expectError(
        path(QStringLiteral("no_such.pth")), QStringLiteral("not found"), QStringLiteral("torch.save"));

    const QString text = path(QStringLiteral("notes.pth"));
    QVERIFY(msup::test::writeAll(text, "these are not weights\n"));
    expectError(text, QStringLiteral("not a PyTorch weights file"), QStringLiteral("state_dict()"));

    expectError(dataFile(QStringLiteral("legacy_format.pth")), QStringLiteral("legacy"),
        QStringLiteral("_use_new_zipfile_serialization=True"));

    // A truncated download.
    const QString truncated = path(QStringLiteral("truncated.pth"));
    const QByteArray whole = msup::test::readAll(dataFile(QStringLiteral("unetpp_w4_c3.pth")));
    QVERIFY(!whole.isEmpty());
    QVERIFY(msup::test::writeAll(truncated, whole.left(whole.size() / 2)));
    expectError(truncated, QStringLiteral("could not be read"), QStringLiteral("truncated"));

    // A MaskSup Studio checkpoint (a LibTorch archive) is not a torch.save state_dict.
    WeightImportReport report;
    CheckpointInfo info;
    importAndLoad(dataFile(QStringLiteral("unetpp_w4_c3.pth")), &report, &info);
    expectError(report.outputPath, QStringLiteral("LibTorch archive"), QStringLiteral("needs no import"));
}

void TestImport::notAStateDictIsAClearError()
{
    auto expectError = [&](const c10::IValue& root, const QString& inMessage) {
        const QString pth = path(QStringLiteral("odd.pth"));
        writeBytes(pth, torch::pickle_save(root));
        WeightImportOptions o = fixtureOptions(pth, path(QStringLiteral("never.pt")));
        try {
            importPyTorchWeights(o);
            QFAIL("not a state_dict, but accepted");
        } catch (const Error& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(inMessage), e.what());
        }
    };
    c10::impl::GenericDict noTensors(c10::StringType::get(), c10::AnyType::get());
    noTensors.insert("epoch", 3);
    noTensors.insert("lr", 0.01);
    expectError(noTensors, QStringLiteral("holds no tensors"));
    expectError(c10::IValue(std::vector<std::int64_t> { 1, 2, 3 }), QStringLiteral("not a state_dict"));
    expectError(c10::IValue(torch::zeros({ 2 })), QStringLiteral("holds a tensor"));
}

void TestImport::badOptionsAreErrors()
{
    WeightImportOptions o;
    o.inputPath = dataFile(QStringLiteral("unetpp_w4_c3.pth"));
    o.outputPath = path(QStringLiteral("never.pt"));
    o.model = QStringLiteral("levit");
    QVERIFY_THROWS_EXCEPTION(Error, importPyTorchWeights(o));
    o.model = QStringLiteral("unetpp");
    o.imageSize = 100;
    QVERIFY_THROWS_EXCEPTION(Error, importPyTorchWeights(o));
    o.imageSize = 224;
    o.classes = 0;
    QVERIFY_THROWS_EXCEPTION(Error, importPyTorchWeights(o));
}

QTEST_GUILESS_MAIN(TestImport)
#include "tst_import.moc"
