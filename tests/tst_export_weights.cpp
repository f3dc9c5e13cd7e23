// Weights back to PyTorch (issue 18, part 4): the state_dict pickle and zip writers, checkpoint →
// .pth → import round trips for every model, 'masksup export-weights' and its refusals, and (as the
// separate CTest test pth_export_python) PyTorch itself loading the files into the reference classes.
#include "core/base/error.h"
#include "core/data/palette.h"
#include "core/io/zip_archive.h"
#include "core/nn/unet.h"
#include "core/train/checkpoint_io.h"
#include "core/train/model_store.h"
#include "core/train/pickle_reader.h"
#include "core/train/pickle_writer.h"
#include "core/train/weight_export.h"
#include "core/train/weight_import.h"
#include "tests/support/errors.h"
#include "tests/support/files.h"
#include "tests/support/process.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include <cstring>

using namespace msup;
using msup::test::fileHash;
using msup::test::masksup;
using msup::test::readAll;
using msup::test::writeAll;

namespace {

// Debian's python3-torch lives in /usr/bin/python3 (a pyenv python3 on PATH has no torch);
// MASKSUP_TEST_PYTHON names another interpreter.
QString python()
{
    return qEnvironmentVariable("MASKSUP_TEST_PYTHON", QStringLiteral("/usr/bin/python3"));
}

struct Net {
    QString model;
    int classes = 1;
    int width = 4;
    int imageSize = 32;
    bool reluLogits = false;
};

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A checkpoint none of whose tensors keeps its initial value: BatchNorm scales, shifts, running
// statistics and counters, and LeViT's attention biases are drawn at random too.
void writeCheckpoint(const QString& path, const Net& n, int seed)
{
    torch::manual_seed(seed);
    nn::ModelSpec spec;
    spec.name = n.model.toStdString();
    spec.outChannels = n.classes;
    spec.width = n.width;
    spec.reluLogits = n.reluLogits;
    spec.imageSize = n.imageSize;
    const auto model = nn::createModel(spec);
    {
        torch::NoGradGuard noGrad;
        for (auto& p : model->named_parameters()) {
            torch::Tensor t = p.value();
            if (endsWith(p.key(), "attention_biases"))
                t.normal_(0, 0.3);
            else if (t.dim() == 1 && endsWith(p.key(), "weight"))
                t.uniform_(0.5, 1.5);
            else if (t.dim() == 1)
                t.normal_(0, 0.1);
        }
        for (auto& b : model->named_buffers()) {
            torch::Tensor t = b.value();
            if (endsWith(b.key(), "running_mean"))
                t.normal_(0, 0.2);
            else if (endsWith(b.key(), "running_var"))
                t.uniform_(0.5, 1.5);
            else if (endsWith(b.key(), "num_batches_tracked"))
                t.fill_(seed + 3);
        }
    }
    CheckpointInfo info;
    info.config.model = n.model;
    info.config.width = n.width;
    info.config.imageSize = n.imageSize;
    info.config.reluLogits = n.reluLogits;
    info.outputChannels = n.classes;
    for (int k = 0; k < (n.classes == 1 ? 2 : n.classes); ++k)
        info.classNames << QStringLiteral("class %1").arg(k);
    info.classColors = defaultPalette(int(info.classNames.size()));
    info.epoch = 3;
    model->eval();
    saveCheckpoint(path, *model, nullptr, info);
}

qint64 stateDictSize(const Net& n)
{
    nn::ModelSpec spec;
    spec.name = n.model.toStdString();
    spec.outChannels = n.classes;
    spec.width = n.width;
    spec.imageSize = n.imageSize;
    const auto model = nn::createModel(spec);
    return qint64(model->named_parameters().size() + model->named_buffers().size());
}

void addNets()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("classes");
    QTest::addColumn<int>("width");
    QTest::addColumn<bool>("reluLogits");
    // U-Net and U-Net++ at tiny widths; LeViT-UNet has fixed widths, built for 32×32 inputs.
    QTest::newRow("unet w4, 1 class") << "unet" << 1 << 4 << false;
    QTest::newRow("unet w3, 4 classes") << "unet" << 4 << 3 << false;
    QTest::newRow("unetpp w4, 3 classes, ReLU") << "unetpp" << 3 << 4 << true;
    QTest::newRow("unetpp w2, 1 class") << "unetpp" << 1 << 2 << false;
    QTest::newRow("levit128s, 1 class") << "levit128s" << 1 << 32 << false;
    QTest::newRow("levit192, 2 classes") << "levit192" << 2 << 32 << false;
    QTest::newRow("levit384, 1 class") << "levit384" << 1 << 32 << false;
}

Net fetchNet()
{
    QFETCH(QString, model);
    QFETCH(int, classes);
    QFETCH(int, width);
    QFETCH(bool, reluLogits);
    return Net { model, classes, width, 32, reluLogits };
}

WeightImportOptions importOptionsFor(const Net& n, const QString& from, const QString& to)
{
    WeightImportOptions o;
    o.model = n.model;
    o.classes = n.classes;
    o.width = n.width;
    o.imageSize = n.imageSize;
    o.reluLogits = n.reluLogits;
    o.inputPath = from;
    o.outputPath = to;
    return o;
}

// A seeded RGB image of the model's input size (so that predict does not resize it).
QString writeImage(const QString& path, int size, quint32 seed)
{
    QImage image(size, size, QImage::Format_RGB888);
    QRandomGenerator rng(seed);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x)
            image.setPixel(x, y, qRgb(int(rng.bounded(256)), int(rng.bounded(256)), int(rng.bounded(256))));
    image.save(path);
    return path;
}

} // namespace

class TestExportWeights : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pickleReadsBack();
    void zipLayoutIsTorchSaves();
    void roundTrip_data() { addNets(); }
    void roundTrip();
    void exportedFileIsAStateDict();
    void importAdviceNamesTheNetwork();
    void levit192SecondNamesThatDiffer();
    void cliWritesAndRefuses();
    void pythonReadsTheExport_data() { addNets(); }
    void pythonReadsTheExport();

private:
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }
};

void TestExportWeights::initTestCase()
{
    QVERIFY(m_dir.isValid());
    torch::set_num_threads(2);
}

void TestExportWeights::pickleReadsBack()
{
    // Every integer opcode (BININT1/2, BININT, LONG1), 0-d to 5-d tensors, a shared storage, an
    // offset, and more than 1,000 entries (SETITEMS batches of 1,000, then SETITEM for the last).
    std::vector<pickle::StateDictTensor> in;
    auto add
        = [&](const std::string& name, const std::string& key, const std::string& type, std::int64_t numel,
              std::int64_t offset, std::vector<std::int64_t> sizes, std::vector<std::int64_t> strides) {
              in.push_back({ name, key, type, numel, offset, std::move(sizes), std::move(strides) });
          };
    add("bn.num_batches_tracked", "0", "LongStorage", 1, 0, {}, {});
    add("conv.weight", "1", "FloatStorage", 300 * 70000, 0, { 300, 70000 }, { 70000, 1 });
    add("alias.weight", "1", "FloatStorage", 300 * 70000, 5, { 299, 70000 }, { 70000, 1 });
    add("huge", "2", "HalfStorage", std::int64_t(1) << 40, 0, { std::int64_t(1) << 40 }, { 1 });
    add("five", "3", "DoubleStorage", 32, 0, { 2, 2, 2, 2, 2 }, { 16, 8, 4, 2, 1 });
    for (int i = 0; i < 1000; ++i)
        add("many." + std::to_string(i), std::to_string(4 + i), "ByteStorage", i, 0, { i }, { 1 });
    const std::string bytes = pickle::pickleStateDict(in);
    pickle::Limits limits;
    limits.maxTensorBytes = std::uint64_t(1) << 50;
    const pickle::Pickle out = pickle::unpickle(bytes.data(), bytes.size(), limits);
    QCOMPARE(int(out.root->kind), int(pickle::Kind::Dict));
    QCOMPARE(out.root->entries.size(), in.size());
    QCOMPARE(out.storages.size(), in.size() - 1); // "1" twice
    for (size_t i = 0; i < in.size(); ++i) {
        const auto& [key, value] = out.root->entries[i];
        QCOMPARE(key->text, in[i].name);
        QCOMPARE(int(value->kind), int(pickle::Kind::Tensor));
        const pickle::TensorRef& t = out.tensors[size_t(value->integer)];
        const pickle::StorageRef& s = out.storages[t.storage];
        QCOMPARE(s.key, in[i].storageKey);
        QCOMPARE(s.type, in[i].storageType);
        QCOMPARE(s.location, std::string("cpu"));
        QCOMPARE(s.numel, in[i].storageNumel);
        QCOMPARE(t.offset, in[i].offset);
        QCOMPARE(t.sizes, in[i].sizes);
        QCOMPARE(t.strides, in[i].strides);
    }
    // Only globals torch.load(weights_only=True) allows.
    for (const char* global : { "collections\nOrderedDict\n", "torch._utils\n_rebuild_tensor_v2\n",
             "torch\nFloatStorage\n", "torch\nLongStorage\n" })
        QVERIFY2(bytes.find(global) != std::string::npos, global);
    QCOMPARE(bytes.find("torch.jit"), std::string::npos);

    in.front().storageType = "os.system";
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pickle::pickleStateDict(in));
}

void TestExportWeights::zipLayoutIsTorchSaves()
{
    ZipWriter w;
    const std::string pkl(1234, 'p');
    w.add("archive/data.pkl", pkl);
    w.add("archive/byteorder", "little");
    w.add("archive/data/0", std::string(7, '\x01'));
    w.add("archive/data/1", std::string());
    w.add("archive/version", "3\n");
    QVERIFY_THROWS_EXCEPTION(Error, w.add("archive/version", "3\n"));
    const QByteArray bytes = w.finish();
    ZipArchive zip(bytes.constData(), std::uint64_t(bytes.size()), "written.pth");
    QCOMPARE(zip.entries().size(), size_t(5));
    const char* names[]
        = { "archive/data.pkl", "archive/byteorder", "archive/data/0", "archive/data/1", "archive/version" };
    for (size_t i = 0; i < 5; ++i) {
        const ZipEntry& e = zip.entries()[i];
        QCOMPARE(e.name, std::string(names[i]));
        QCOMPARE(e.method, 0);
        QCOMPARE(e.dataOffset % ZipWriter::kAlignment, std::uint64_t(0));
        zip.verifyStored(e);
        // The padding is PyTorch's: an extra field "FB", its length, then 'Z's.
        const char* local = bytes.constData() + e.headerOffset;
        QCOMPARE(QByteArray(local + 30 + e.name.size(), 2), QByteArray("FB"));
    }
    QCOMPARE(std::string(zip.data(zip.entries()[0]), 1234), pkl);
    QCOMPARE(std::string(zip.data(*zip.find("archive/version")), 2), std::string("3\n"));
    // The same entries give the same bytes (fixed timestamps).
    ZipWriter again;
    again.add("archive/data.pkl", pkl);
    again.add("archive/byteorder", "little");
    again.add("archive/data/0", std::string(7, '\x01'));
    again.add("archive/data/1", std::string());
    again.add("archive/version", "3\n");
    QCOMPARE(again.finish(), bytes);
}

void TestExportWeights::roundTrip()
{
    const Net n = fetchNet();
    const QString tag = QString::fromLatin1(QTest::currentDataTag())
                            .toLower()
                            .replace(QRegularExpression("[^a-z0-9]+"), "_");
    const QString ckpt = path(tag + ".pt"), pth = path(tag + ".pth"), back = path(tag + "_back.pt");
    writeCheckpoint(ckpt, n, 7);
    WeightExportOptions eo;
    eo.checkpointPath = ckpt;
    eo.outputPath = pth;
    const WeightExportReport e = exportPyTorchWeights(eo);
    const int aliases = n.model == QLatin1String("levit192") ? 376 : 0; // 4 + 4 + 4 blocks × (Attention, MLP)
    QCOMPARE(e.model, n.model);
    QCOMPARE(e.outputChannels, n.classes);
    QCOMPARE(e.aliases, aliases);
    QCOMPARE(qint64(e.tensors), stateDictSize(n) + aliases);
    QCOMPARE(e.bytes, QFileInfo(pth).size());
    QCOMPARE(e.outputPath, QFileInfo(pth).absoluteFilePath());
    QVERIFY(!e.replaced);

    const WeightImportReport i = importPyTorchWeights(importOptionsFor(n, pth, back));
    QVERIFY(i.complete());
    QCOMPARE(i.unexpectedKeys, QStringList());
    QCOMPARE(i.warnings, QStringList());
    QCOMPARE(i.aliasKeys, aliases);
    QCOMPARE(i.loadedTensors, i.modelTensors);
    QCOMPARE(qint64(i.fileTensors), stateDictSize(n) + aliases);
    // Bit-identical weights and buffers, running statistics and counters included.
    QCOMPARE(checkpointWeightsDigest(back), checkpointWeightsDigest(ckpt));
    CheckpointInfo info = readCheckpointInfo(back);
    QCOMPARE(info.config.model, n.model);
    QCOMPARE(info.outputChannels, n.classes);
    QCOMPARE(info.config.reluLogits, n.reluLogits);
    QFile::remove(ckpt);
    QFile::remove(pth);
    QFile::remove(back);
}

void TestExportWeights::exportedFileIsAStateDict()
{
    // The file's own structure, read with the bounded reader: the records torch.save writes, one
    // OrderedDict of tensors in state_dict order, every tensor's bytes those of the checkpoint.
    const Net n { QStringLiteral("unetpp"), 2, 2, 32, false };
    const QString ckpt = path("structure.pt"), pth = path("structure.pth");
    writeCheckpoint(ckpt, n, 11);
    exportPyTorchWeights({ ckpt, pth });
    ZipArchive zip(pth);
    zip.verifyAllStored();
    QCOMPARE(zip.entries().front().name, std::string("archive/data.pkl"));
    QCOMPARE(zip.entries().back().name, std::string("archive/version"));
    QCOMPARE(std::string(zip.data(*zip.find("archive/byteorder")), 6), std::string("little"));
    for (const ZipEntry& e : zip.entries())
        QCOMPARE(e.dataOffset % 64, std::uint64_t(0));
    const ZipEntry* data = zip.find("archive/data.pkl");
    const pickle::Pickle p = pickle::unpickle(zip.data(*data), size_t(data->size));
    QCOMPARE(int(p.root->kind), int(pickle::Kind::Dict));

    CheckpointInfo info;
    const auto model = loadCheckpoint(ckpt, &info, torch::kCPU);
    // PyTorch's order: a module's parameters, its buffers, then its children.
    const char* firstKeys[] = { "conv0_0.conv1.weight", "conv0_0.conv1.bias", "conv0_0.bn1.weight",
        "conv0_0.bn1.bias", "conv0_0.bn1.running_mean", "conv0_0.bn1.running_var",
        "conv0_0.bn1.num_batches_tracked", "conv0_0.conv2.weight" };
    for (size_t i = 0; i < 8; ++i)
        QCOMPARE(p.root->entries[i].first->text, std::string(firstKeys[i]));
    const auto params = model->named_parameters();
    const auto buffers = model->named_buffers();
    QCOMPARE(p.root->entries.size(), params.size() + buffers.size());
    for (const auto& [key, value] : p.root->entries) {
        const pickle::TensorRef& t = p.tensors[size_t(value->integer)];
        const pickle::StorageRef& s = p.storages[t.storage];
        const torch::Tensor* expected = params.find(key->text);
        if (!expected)
            expected = buffers.find(key->text);
        QVERIFY2(expected, key->text.c_str());
        QCOMPARE(t.sizes, expected->sizes().vec());
        QCOMPARE(
            s.type, std::string(expected->scalar_type() == torch::kLong ? "LongStorage" : "FloatStorage"));
        const ZipEntry* record = zip.find("archive/data/" + s.key);
        QVERIFY(record);
        QCOMPARE(record->size, std::uint64_t(expected->nbytes()));
        QVERIFY(std::memcmp(zip.data(*record), expected->contiguous().data_ptr(), expected->nbytes()) == 0);
    }
}

void TestExportWeights::importAdviceNamesTheNetwork()
{
    // A file imported as the wrong network or size: the error says which one it holds.
    const Net levit { QStringLiteral("levit128s"), 1, 32, 32, false };
    const Net unet { QStringLiteral("unet"), 1, 2, 32, false };
    const QString levitPth = path("advice_levit.pth"), unetPth = path("advice_unet.pth");
    writeCheckpoint(path("advice_levit.pt"), levit, 1);
    writeCheckpoint(path("advice_unet.pt"), unet, 1);
    exportPyTorchWeights({ path("advice_levit.pt"), levitPth });
    exportPyTorchWeights({ path("advice_unet.pt"), unetPth });
    struct Case {
        Net as;
        QString from, advice;
    };
    const Case cases[] = {
        { Net { QStringLiteral("levit192"), 1, 32, 32, false }, levitPth,
            QStringLiteral("import it as model levit128s") },
        { Net { QStringLiteral("levit128s"), 1, 32, 64, false }, levitPth,
            QStringLiteral("for 32×32 inputs: import it with --image-size 32") },
        { Net { QStringLiteral("levit128s"), 2, 32, 32, false }, levitPth,
            QStringLiteral("import it with 1 class (--classes)") },
        { Net { QStringLiteral("levit128s"), 1, 32, 32, false }, unetPth,
            QStringLiteral("import it as model unet") },
        { Net { QStringLiteral("unet"), 1, 2, 32, false }, levitPth,
            QStringLiteral("import it as model levit128s") },
    };
    for (const Case& c : cases) {
        QString message;
        QVERIFY2(msup::test::throwsErrorMentioning(
                     [&] { importPyTorchWeights(importOptionsFor(c.as, c.from, path("never.pt"))); },
                     c.advice, &message),
            qPrintable(message));
        QVERIFY(!QFileInfo::exists(path("never.pt")));
    }
}

void TestExportWeights::levit192SecondNamesThatDiffer()
{
    // A LeViT_UNet_192 file whose blocks.0.m.qkv.bn.weight is not its block_1.0.m.qkv.bn.weight (a
    // crafted or edited file): block_1's is used, and the import says so.
    const Net n { QStringLiteral("levit192"), 1, 32, 32, false };
    const QString ckpt = path("differ.pt"), pth = path("differ.pth"), edited = path("differ_edited.pth");
    writeCheckpoint(ckpt, n, 2);
    exportPyTorchWeights({ ckpt, pth });
    ZipArchive zip(pth);
    const ZipEntry* data = zip.find("archive/data.pkl");
    const pickle::Pickle p = pickle::unpickle(zip.data(*data), size_t(data->size));
    std::vector<pickle::StateDictTensor> entries;
    std::string biasKey;
    for (const auto& [key, value] : p.root->entries) {
        const pickle::TensorRef& t = p.tensors[size_t(value->integer)];
        const pickle::StorageRef& s = p.storages[t.storage];
        entries.push_back({ key->text, s.key, s.type, s.numel, t.offset, t.sizes, t.strides });
        if (key->text == "block_1.0.m.qkv.bn.bias")
            biasKey = s.key;
    }
    QVERIFY(!biasKey.empty());
    int edits = 0;
    for (pickle::StateDictTensor& e : entries)
        if (e.name == "blocks.0.m.qkv.bn.weight") {
            e.storageKey = biasKey;
            ++edits;
        }
    QCOMPARE(edits, 1);
    ZipWriter w;
    w.add("archive/data.pkl", pickle::pickleStateDict(entries));
    for (const ZipEntry& e : zip.entries())
        if (e.name != "archive/data.pkl")
            w.add(e.name, zip.data(e), e.size);
    QVERIFY(writeAll(edited, w.finish()));

    const WeightImportReport r = importPyTorchWeights(importOptionsFor(n, edited, path("differ_back.pt")));
    QCOMPARE(r.aliasKeys, 376);
    QCOMPARE(r.unexpectedKeys, QStringList());
    QCOMPARE(r.warnings,
        QStringList { QStringLiteral("'blocks.0.m.qkv.bn.weight' differs from 'block_1.0.m.qkv.bn.weight'; "
                                     "'block_1.0.m.qkv.bn.weight' is used") });
    QCOMPARE(checkpointWeightsDigest(path("differ_back.pt")), checkpointWeightsDigest(ckpt));
}

void TestExportWeights::cliWritesAndRefuses()
{
    const QString dir = path("cli");
    QVERIFY(QDir().mkpath(dir));
    const QString ckpt = dir + "/best.pt";
    writeCheckpoint(ckpt, Net { QStringLiteral("unet"), 1, 2, 32, false }, 5);
    const QByteArray ckptHash = fileHash(ckpt);
    const QString manifest = dir + "/.masksup-outputs.json";

    const auto help = masksup({ "export-weights", "--help" });
    QCOMPARE(help.code, 0);
    for (const char* text :
        { "--checkpoint", "--out", "torch.save", "strict=True", "weights_only=True", "LeViT_UNet" })
        QVERIFY2(help.out.contains(QLatin1String(text)), text);
    QVERIFY(masksup({ "--help" }).out.contains(QLatin1String("export-weights")));

    // Bad input: a clear message (exit 1), nothing written: no .pth, no manifest.
    auto r = masksup({ "export-weights", "--checkpoint", dir + "/missing.pt", "--out", dir + "/a.pth" });
    QCOMPARE(r.code, 1);
    QVERIFY2(
        r.err.contains(QLatin1String("missing.pt")) && r.err.contains(QLatin1String("checkpoint not found")),
        qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(dir + "/a.pth"));
    QVERIFY(!QFileInfo::exists(manifest));

    r = masksup({ "export-weights", "--checkpoint", ckpt, "--out", ckpt });
    QCOMPARE(r.code, 1);
    QVERIFY2(
        r.err.contains(QLatin1String("export-weights would replace its own input(s)")), qPrintable(r.err));
    QCOMPARE(fileHash(ckpt), ckptHash);
    QVERIFY(!QFileInfo::exists(manifest));

    QVERIFY(writeAll(dir + "/mine.pth", "the user's file"));
    r = masksup({ "export-weights", "--checkpoint", ckpt, "--out", dir + "/mine.pth" });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QLatin1String("export-weights would replace 1 file(s) it did not write")),
        qPrintable(r.err));
    QVERIFY(r.err.contains(QLatin1String("mine.pth")));
    QCOMPARE(readAll(dir + "/mine.pth"), QByteArray("the user's file"));
    QVERIFY(!QFileInfo::exists(manifest));

    QVERIFY(writeAll(dir + "/damaged.pt", readAll(ckpt).left(5000)));
    r = masksup({ "export-weights", "--checkpoint", dir + "/damaged.pt", "--out", dir + "/b.pth" });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QLatin1String("damaged.pt")), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(dir + "/b.pth"));
    QVERIFY(!QFileInfo::exists(manifest));

    QCOMPARE(masksup({ "export-weights", "--checkpoint", ckpt }).code, 2);

    // Written, then replaced on a second export (masksup wrote it: the manifest says so).
    r = masksup({ "export-weights", "--checkpoint", ckpt, "--out", dir + "/model.pth" });
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains(QLatin1String("wrote ")) && r.out.contains(QLatin1String("model.pth")),
        qPrintable(r.out));
    QVERIFY2(r.out.contains(QLatin1String("in Python: model = UNet(num_classes=1, input_channels=3)")),
        qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("base width 2")));
    QVERIFY(!r.out.contains(QLatin1String("replaced")));
    const QByteArray first = readAll(dir + "/model.pth");
    QVERIFY(first.startsWith("PK\x03\x04"));
    r = masksup({ "export-weights", "--checkpoint", ckpt, "--out", dir + "/model.pth" });
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains(QLatin1String("replaced the weights masksup had written there before")),
        qPrintable(r.out));
    QCOMPARE(readAll(dir + "/model.pth"), first); // deterministic
    QCOMPARE(fileHash(ckpt), ckptHash);

    // And the file goes back in with import-weights.
    r = masksup({ "import-weights", "--model", "unet", "--classes", "1", "--width", "2", "--image-size", "32",
        "--from", dir + "/model.pth", "--out", dir + "/back.pt" });
    QCOMPARE(r.code, 0);
    QCOMPARE(checkpointWeightsDigest(dir + "/back.pt"), checkpointWeightsDigest(ckpt));
}

void TestExportWeights::pythonReadsTheExport()
{
    const auto probe = msup::test::runProgram(python(), { "-c", "import torch, numpy, PIL" });
    if (probe.code != 0)
        QSKIP(
            qPrintable(QStringLiteral("%1 cannot import torch, numpy and PIL: the PyTorch check of "
                                      "export-weights is skipped (Debian: sudo apt-get install python3-torch "
                                      "python3-pil)")
                           .arg(python())));
    const Net n = fetchNet();
    const QString script = QStringLiteral(MASKSUP_SOURCE_DIR "/scripts/check_pth_export.py");
    const QString tag = QString::fromLatin1(QTest::currentDataTag())
                            .toLower()
                            .replace(QRegularExpression("[^a-z0-9]+"), "_");
    const QString dir = path("py_" + tag);
    QVERIFY(QDir().mkpath(dir));
    const QString image = writeImage(dir + "/image.png", n.imageSize, 3);
    QStringList modelArgs { "--model", n.model, "--classes", QString::number(n.classes), "--width",
        QString::number(n.width), "--image-size", QString::number(n.imageSize) };
    auto maxDelta = [&](const msup::test::Run& run) {
        const auto m = QRegularExpression(QStringLiteral("max \\|dp\\| = (\\S+)")).match(run.out);
        return m.hasMatch() ? m.captured(1).toDouble() : 1.0;
    };
    auto check = [&](const QString& pth, const QString& checkpoint, const QString& what) {
        const QString pred = dir + "/pred_" + what;
        const auto p = masksup({ "predict", "--checkpoint", checkpoint, "--input", image, "--out", pred,
            "--save-probabilities" });
        QVERIFY2(p.code == 0, qPrintable(p.err));
        QStringList args { script, "check", "--pth", pth, "--image", image, "--probabilities",
            pred + "/image_prob.npy" };
        args << modelArgs;
        if (n.model == QLatin1String("unetpp") && !n.reluLogits)
            args << "--no-relu-logits";
        const auto run = msup::test::runProgram(python(), args);
        qInfo("%s: %s", qPrintable(what), qPrintable(run.out.trimmed()));
        QVERIFY2(run.code == 0, qPrintable(run.out + run.err));
        QVERIFY(maxDelta(run) <= 1e-5);
    };

    // masksup → PyTorch: a checkpoint exported, loaded with strict=True, the same probabilities.
    const QString ckpt = dir + "/model.pt";
    writeCheckpoint(ckpt, n, 13);
    const auto e = masksup({ "export-weights", "--checkpoint", ckpt, "--out", dir + "/model.pth" });
    QVERIFY2(e.code == 0, qPrintable(e.err));
    check(dir + "/model.pth", ckpt, QStringLiteral("export"));
    if (QTest::currentTestFailed())
        return;

    // PyTorch → masksup: the reference class's own torch.save file imported, the same probabilities.
    QStringList save { script, "save-reference", "--out", dir + "/reference.pth" };
    save << modelArgs;
    const auto s = msup::test::runProgram(python(), save);
    QVERIFY2(s.code == 0, qPrintable(s.out + s.err));
    QStringList import { "import-weights", "--from", dir + "/reference.pth", "--out", dir + "/imported.pt" };
    import << modelArgs;
    if (n.model == QLatin1String("unetpp") && !n.reluLogits)
        import << "--no-relu-logits";
    const auto i = masksup(import);
    QVERIFY2(i.code == 0, qPrintable(i.err));
    check(dir + "/reference.pth", dir + "/imported.pt", QStringLiteral("import"));
    QDir(dir).removeRecursively();
}

QTEST_GUILESS_MAIN(TestExportWeights)
#include "tst_export_weights.moc"
