// The masksup executable end to end: commands, outputs, exit codes and error messages.
#include "app/cli/command.h"
#include "core/base/terminal_text.h"
#include "core/data/dataset.h"
#include "core/data/formats/format_registry.h"
#include "tests/support/files.h"
#include "tests/support/process.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImage>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <functional>

using msup::test::masksup;
using msup::test::readAll;
using msup::test::Run;

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void helpListsCommands();
    void helpAndUnknownCommandComeFromTheTable();
    void interruptStopsWithExit130();
    void synthAndInspect();
    void inspectRealKvasir();
    void masksWritesPngsInRange();
    void formatOverride();
    void badArguments_data();
    void badArguments();
    void trainEvaluatePredict();
    void predictUnwritableOutput();
    void trainShowsProgressBarOnATerminal();
    void trainOnBadDataNamesTheFile();
    void infoPrintsParameterCounts();
    void presetsConfigAndResume();
    void killedWhileCheckpointingAlwaysLeavesALoadableCheckpoint();
    void importWeightsThenPredict();
    void settingsAreValidatedFromFlagsAndConfigFiles_data();
    void settingsAreValidatedFromFlagsAndConfigFiles();
    void controlCharactersFromFilesAreEscaped();
    void trainSkipsTruncatedJpegMasks();
    void trainWithNoUsablePairFailsNamingFiles();
    void predictNeverReplacesDatasetFiles();
    void predictOnADatasetFolderLeavesMasksOut();
    void reportAndCsvNeverReplaceForeignFiles();

private:
    // A Kvasir-SEG layout (JPEG images and masks) made from the synthetic glands; `badMasks` of its
    // masks are cut short (no end-of-image marker), `corruptMasks` keep their end marker but lose
    // the middle of their data. Returns the dataset folder.
    QString makeKvasirJpeg(
        const QString& name, const QList<int>& badMasks, const QList<int>& corruptMasks = {});
    // A tiny checkpoint trained once (binary task).
    QString tinyCheckpoint();
    QString m_tinyCheckpoint;
    QTemporaryDir m_dir;
    QString m_dataset;
};

void TestCli::initTestCase()
{
    QVERIFY(QFile::exists(QStringLiteral(MASKSUP_CLI)));
    m_dataset = m_dir.filePath(QStringLiteral("glands"));
    const Run r = masksup({ QStringLiteral("synth"), QStringLiteral("--kind"), QStringLiteral("glands"),
        QStringLiteral("--count"), QStringLiteral("8"), QStringLiteral("--size"), QStringLiteral("64"),
        QStringLiteral("--seed"), QStringLiteral("2"), QStringLiteral("--out"), m_dataset });
    QVERIFY2(r.code == 0, qPrintable(r.err));
}

void TestCli::helpListsCommands()
{
    const Run r = masksup({ QStringLiteral("--help") });
    QCOMPARE(r.code, 0);
    for (const char* c :
        { "synth", "masks", "inspect", "train", "evaluate", "predict", "robustness", "devices" })
        QVERIFY(r.out.contains(QLatin1String(c)));
    QVERIFY2(r.out.contains(QStringLiteral("--amp auto|bf16|fp16|off")), qPrintable(r.out));
    const Run t = masksup({ QStringLiteral("train"), QStringLiteral("--help") });
    QCOMPARE(t.code, 0);
    QVERIFY(t.out.contains(QStringLiteral("--batch-size")));
    // The mixed-precision rules and the memory layout are described where the flags are (the help
    // text is wrapped: compared with its whitespace simplified).
    const QString flat = t.out.simplified();
    for (const char* s : { "--amp <auto|bf16|fp16|off>", "bf16", "fp16", "gradient scaler", "CUDA only",
             "--channels-last", "--no-channels-last" })
        QVERIFY2(flat.contains(QLatin1String(s)), s);
    // An unknown command lists them all.
    const Run u = masksup({ QStringLiteral("gpus") });
    QCOMPARE(u.code, 2);
    QVERIFY2(u.err.contains(QStringLiteral("devices")) && u.err.contains(QStringLiteral("corrections")),
        qPrintable(u.err));
}

// `masksup --help` and the unknown-command message are generated from the command table: every
// command of the table is listed in both, and each answers its own --help.
void TestCli::helpAndUnknownCommandComeFromTheTable()
{
    const auto& table = msup::cli::commands();
    QStringList names;
    for (const msup::cli::Command* c : table)
        names << QLatin1String(c->name);
    // The table holds every command masksup had before it was split into files, score, export-weights
    // and suggest.
    for (const char* n :
        { "synth", "masks", "inspect", "train", "presets", "devices", "import-weights", "export-weights",
            "corrections", "evaluate", "score", "suggest", "predict", "info", "robustness", "report" })
        QVERIFY2(names.contains(QLatin1String(n)), n);
    QCOMPARE(names.size(), 16);
    QCOMPARE(QSet<QString>(names.begin(), names.end()).size(), names.size());

    const Run help = masksup({ QStringLiteral("--help") });
    QCOMPARE(help.code, 0);
    QCOMPARE(help.out, msup::cli::helpText());
    const Run none = masksup({});
    QCOMPARE(none.code, 2);
    QCOMPARE(none.out, msup::cli::helpText());
    const Run unknown = masksup({ QStringLiteral("fly") });
    QCOMPARE(unknown.code, 2);
    QCOMPARE(unknown.err,
        QStringLiteral("masksup: %1\n").arg(msup::cli::unknownCommandMessage(QStringLiteral("fly"))));
    for (const msup::cli::Command* c : table) {
        const QString name = QLatin1String(c->name);
        QVERIFY2(msup::cli::findCommand(name) == c, c->name);
        // Listed in the help: its name at the start of a line, its synopsis below.
        const QRegularExpression listed(QStringLiteral("^  %1(\\s)").arg(QRegularExpression::escape(name)),
            QRegularExpression::MultilineOption);
        QVERIFY2(listed.match(help.out).hasMatch(), c->name);
        QVERIFY2(help.out.contains(QStringLiteral("masksup %1 ").arg(name)), c->name);
        QVERIFY2(unknown.err.contains(QStringLiteral(" %1,").arg(name))
                || unknown.err.contains(QStringLiteral(" %1 (").arg(name)),
            c->name);
        const Run own = masksup({ name, QStringLiteral("--help") });
        QCOMPARE(own.code, 0);
        QVERIFY2(own.out.startsWith(QStringLiteral("Usage: ")) && own.out.contains(QStringLiteral("--help")),
            qPrintable(own.out));
        // Its description from the table comes first (the dispatcher sets it).
        const QString description = QString::fromUtf8(c->description).left(40);
        QVERIFY2(!description.isEmpty() && own.out.simplified().contains(description.simplified().left(30)),
            qPrintable(own.out));
    }
    QVERIFY(!msup::cli::findCommand(QStringLiteral("fly")));
}

// Ctrl+C (SIGINT) or SIGTERM: the command stops where the work allows, says so and exits with 130
// (training after the current batch, with last.pt saved).
void TestCli::interruptStopsWithExit130()
{
    const auto waitFor = [](QProcess& p, const std::function<bool()>& ready) {
        p.waitForStarted(30000);
        QElapsedTimer t;
        t.start();
        while (!ready() && p.state() == QProcess::Running && t.elapsed() < 120000)
            p.waitForReadyRead(50);
        return ready();
    };
    // synth: between two pairs.
    const QString synthDir = m_dir.filePath(QStringLiteral("interrupted-synth"));
    QProcess synth;
    synth.start(QStringLiteral(MASKSUP_CLI),
        { QStringLiteral("synth"), QStringLiteral("--count"), QStringLiteral("100000"),
            QStringLiteral("--size"), QStringLiteral("256"), QStringLiteral("--out"), synthDir });
    QVERIFY(waitFor(
        synth, [&] { return QDir(synthDir + QStringLiteral("/masks")).entryList(QDir::Files).size() >= 2; }));
    synth.terminate();
    QVERIFY(synth.waitForFinished(60000));
    QCOMPARE(synth.exitStatus(), QProcess::NormalExit);
    QCOMPARE(synth.exitCode(), 130);
    QVERIFY2(QString::fromLocal8Bit(synth.readAllStandardError())
                 .contains(QStringLiteral("synth: interrupted after ")),
        "synth");

    // train: stops after the current batch and says how to go on.
    QProcess train;
    train.start(QStringLiteral(MASKSUP_CLI),
        { QStringLiteral("train"), QStringLiteral("--dataset"), m_dataset, QStringLiteral("--width"),
            QStringLiteral("2"), QStringLiteral("--epochs"), QStringLiteral("1000"),
            QStringLiteral("--batch-size"), QStringLiteral("2"), QStringLiteral("--image-size"),
            QStringLiteral("32"), QStringLiteral("--out"),
            m_dir.filePath(QStringLiteral("interrupted-run")) });
    QString trainOut;
    QVERIFY(waitFor(train, [&] {
        trainOut += QString::fromLocal8Bit(train.readAllStandardOutput());
        return trainOut.contains(QStringLiteral("epoch 1/1000"));
    }));
    train.terminate();
    QVERIFY(train.waitForFinished(120000));
    trainOut += QString::fromLocal8Bit(train.readAllStandardOutput());
    QCOMPARE(train.exitStatus(), QProcess::NormalExit);
    QCOMPARE(train.exitCode(), 130);
    QVERIFY2(
        trainOut.contains(QStringLiteral("continue with: masksup train --resume")), qPrintable(trainOut));
}

void TestCli::synthAndInspect()
{
    const Run r = masksup({ QStringLiteral("inspect"), m_dataset, QStringLiteral("--json") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("format")).toString(), QStringLiteral("kvasir-seg"));
    QCOMPARE(o.value(QStringLiteral("pairs")).toInt(), 8);
    QCOMPARE(o.value(QStringLiteral("classes")).toArray().size(), 2);
    QCOMPARE(o.value(QStringLiteral("splits")).toObject().value(QStringLiteral("val")).toInt(), 2);
    QCOMPARE(o.value(QStringLiteral("problems")).toArray().size(), 0);
}

void TestCli::inspectRealKvasir()
{
    const QString root = msup::test::sharedDir(QStringLiteral("datasets/kvasir-seg/Kvasir-SEG"));
    if (!QFileInfo::exists(root))
        QSKIP("shared/datasets/kvasir-seg is not beside the repository");
    const Run r = masksup({ QStringLiteral("inspect"), root, QStringLiteral("--json") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("pairs")).toInt(), 3);
    QCOMPARE(o.value(QStringLiteral("image_size_max")).toArray().at(0).toInt(), 1348);
}

void TestCli::masksWritesPngsInRange()
{
    const QString out = m_dir.filePath(QStringLiteral("masks"));
    const Run r = masksup({ QStringLiteral("masks"), QStringLiteral("--count"), QStringLiteral("5"),
        QStringLiteral("--size"), QStringLiteral("96"), QStringLiteral("--ratio"), QStringLiteral("0.2-0.3"),
        QStringLiteral("--seed"), QStringLiteral("4"), QStringLiteral("--out"), out });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QStringList files = QDir(out).entryList({ QStringLiteral("*.png") }, QDir::Files);
    QCOMPARE(files.size(), 5);
    QImage m(QDir(out).filePath(files.first()));
    QCOMPARE(m.size(), QSize(96, 96));
    m = m.convertToFormat(QImage::Format_Grayscale8);
    int holes = 0;
    for (int y = 0; y < m.height(); ++y)
        for (int x = 0; x < m.width(); ++x)
            holes += m.constScanLine(y)[x] == 255;
    const double ratio = holes / double(96 * 96);
    QVERIFY2(ratio > 0.2 && ratio <= 0.3, qPrintable(QString::number(ratio)));
}

void TestCli::badArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    const QString tmp = QDir::tempPath();
    QTest::newRow("unknown command") << QStringList { QStringLiteral("fly") } << 2
                                     << QStringLiteral("unknown command");
    QTest::newRow("ratio out of range") << QStringList { QStringLiteral("masks"), QStringLiteral("--ratio"),
        QStringLiteral("0.5-1.5"), QStringLiteral("--out"), tmp }
                                        << 2 << QStringLiteral("invalid hole ratio");
    QTest::newRow("count not a number") << QStringList { QStringLiteral("synth"), QStringLiteral("--count"),
        QStringLiteral("many"), QStringLiteral("--out"), tmp }
                                        << 2 << QStringLiteral("--count");
    QTest::newRow("train without dataset") << QStringList { QStringLiteral("train"), QStringLiteral("--out"),
        tmp } << 2 << QStringLiteral("--dataset is required");
    QTest::newRow("inspect no dataset")
        << QStringList { QStringLiteral("inspect"), tmp + QStringLiteral("/definitely-missing") } << 1
        << QStringLiteral("does not exist");
    QTest::newRow("bad image size") << QStringList { QStringLiteral("train"), QStringLiteral("--dataset"),
        tmp, QStringLiteral("--out"), tmp, QStringLiteral("--image-size"), QStringLiteral("100") }
                                    << 2 << QStringLiteral("multiple of 16");
}

void TestCli::formatOverride()
{
    Run r = masksup(
        { QStringLiteral("inspect"), m_dataset, QStringLiteral("--format"), QStringLiteral("kvasir-seg") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = masksup({ QStringLiteral("inspect"), m_dataset, QStringLiteral("--format"), QStringLiteral("glas") });
    QCOMPARE(r.code, 1);
    QVERIFY2(
        r.err.contains(QStringLiteral("is not a glas folder")) && r.err.contains(QStringLiteral("_anno.bmp")),
        qPrintable(r.err));
    r = masksup(
        { QStringLiteral("inspect"), m_dataset, QStringLiteral("--format"), QStringLiteral("pascal") });
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("--format must be")), qPrintable(r.err));
    // The names come from the format registry, and every one of them is listed.
    QVERIFY2(r.err.contains(
                 QStringLiteral("--format must be %1, got 'pascal'").arg(msup::datasetFormatNamesText())),
        qPrintable(r.err));
    for (const QString& name : msup::datasetFormatNames())
        QVERIFY2(r.err.contains(name), qPrintable(name));
    // So is the help of every command that takes --format (wrapped: compared without whitespace).
    const auto unwrapped
        = [](QString text) { return text.remove(QRegularExpression(QStringLiteral("\\s"))); };
    const QString names = unwrapped(msup::datasetFormatNamesText());
    const Run inspect = masksup({ QStringLiteral("inspect"), QStringLiteral("--help") });
    QVERIFY2(
        unwrapped(inspect.out).contains(QStringLiteral("Skipdetection:") + names), qPrintable(inspect.out));
    const Run train = masksup({ QStringLiteral("train"), QStringLiteral("--help") });
    QVERIFY2(unwrapped(train.out).contains(
                 QStringLiteral("Datasetformat:auto(detect),") + names + QLatin1Char('.')),
        qPrintable(train.out));
}

void TestCli::badArguments()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    const Run r = masksup(args);
    QCOMPARE(r.code, code);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(r.err.startsWith(QStringLiteral("masksup: ")));
}

void TestCli::trainEvaluatePredict()
{
    const QString run = m_dir.filePath(QStringLiteral("run"));
    Run r = masksup({ QStringLiteral("train"), QStringLiteral("--dataset"), m_dataset,
        QStringLiteral("--model"), QStringLiteral("unet"), QStringLiteral("--width"), QStringLiteral("4"),
        QStringLiteral("--mode"), QStringLiteral("masksup"), QStringLiteral("--epochs"), QStringLiteral("1"),
        QStringLiteral("--batch-size"), QStringLiteral("3"), QStringLiteral("--image-size"),
        QStringLiteral("32"), QStringLiteral("--device"), QStringLiteral("cpu"), QStringLiteral("--seed"),
        QStringLiteral("1"), QStringLiteral("--out"), run });
    QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
    QVERIFY(r.out.contains(QStringLiteral("epoch 1/1")));
    QVERIFY(QFile::exists(run + QStringLiteral("/metrics.jsonl")));
    const QString ckpt = run + QStringLiteral("/checkpoints/best.pt");

    r = masksup(
        { QStringLiteral("evaluate"), QStringLiteral("--checkpoint"), ckpt, QStringLiteral("--dataset"),
            m_dataset, QStringLiteral("--split"), QStringLiteral("val"), QStringLiteral("--json") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject e = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(e.value(QStringLiteral("images")).toInt(), 2);
    QCOMPARE(e.value(QStringLiteral("per_class_iou")).toArray().size(), 2);
    for (const char* k :
        { "miou", "dice", "pixel_accuracy", "confusion", "ref_micro_jaccard", "ref_binary_iou" })
        QVERIFY(e.contains(QLatin1String(k)));

    // Robustness under masking: one level per interval, figures as JSON and CSV; bad ratios are a
    // command-line error (2), an empty mask folder a data error (1) naming the folder.
    const QString csv = m_dir.filePath(QStringLiteral("robustness.csv"));
    r = masksup({ QStringLiteral("robustness"), QStringLiteral("--checkpoint"), ckpt,
        QStringLiteral("--dataset"), m_dataset, QStringLiteral("--split"), QStringLiteral("all"),
        QStringLiteral("--ratios"), QStringLiteral("0,0.1,0.3,0.6"), QStringLiteral("--seed"),
        QStringLiteral("5"), QStringLiteral("--json"), QStringLiteral("--csv"), csv });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject rob = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(rob.value(QStringLiteral("images")).toInt(), 8);
    const QJsonArray levels = rob.value(QStringLiteral("levels")).toArray();
    QCOMPARE(levels.size(), 4);
    QCOMPARE(levels[2].toObject().value(QStringLiteral("ratio_low")).toDouble(), 0.1);
    QCOMPARE(levels[2].toObject().value(QStringLiteral("ratio_high")).toDouble(), 0.3);
    const double meanHole = levels[3].toObject().value(QStringLiteral("mean_hole_ratio")).toDouble();
    QVERIFY(meanHole > 0.3 && meanHole <= 0.6);
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    QCOMPARE(csvFile.readAll().count('\n'), 5);
    r = masksup({ QStringLiteral("robustness"), QStringLiteral("--checkpoint"), ckpt,
        QStringLiteral("--dataset"), m_dataset, QStringLiteral("--ratios"), QStringLiteral("0,0.7,0.2") });
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("must increase")), qPrintable(r.err));
    r = masksup({ QStringLiteral("robustness"), QStringLiteral("--checkpoint"), ckpt,
        QStringLiteral("--dataset"), m_dataset, QStringLiteral("--ratios"), QStringLiteral("0,1.2") });
    QCOMPARE(r.code, 2);
    const QString emptyMasks = m_dir.filePath(QStringLiteral("empty-masks"));
    QVERIFY(QDir().mkpath(emptyMasks));
    r = masksup({ QStringLiteral("robustness"), QStringLiteral("--checkpoint"), ckpt,
        QStringLiteral("--dataset"), m_dataset, QStringLiteral("--mask-folder"), emptyMasks });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(emptyMasks) && r.err.contains(QStringLiteral("no image")), qPrintable(r.err));

    // A non-square input of another size: the overlay keeps the input's size.
    const QString input = m_dir.filePath(QStringLiteral("odd.png"));
    QImage odd(150, 90, QImage::Format_RGB888);
    odd.fill(QColor(220, 170, 200));
    QVERIFY(odd.save(input));
    const QString out = m_dir.filePath(QStringLiteral("pred"));
    r = masksup({ QStringLiteral("predict"), QStringLiteral("--checkpoint"), ckpt, QStringLiteral("--input"),
        input, QStringLiteral("--out"), out, QStringLiteral("--opacity"), QStringLiteral("0.5") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(QImageReader(out + QStringLiteral("/odd_overlay.png")).size(), QSize(150, 90));
    const QImage mask(out + QStringLiteral("/odd_mask.png"));
    QCOMPARE(mask.size(), QSize(150, 90));
    QCOMPARE(mask.format(), QImage::Format_Indexed8);

    // Probabilities as NumPy float32, C×S×S at the model's input size; --image-size overrides it.
    r = masksup({ QStringLiteral("predict"), QStringLiteral("--checkpoint"), ckpt, QStringLiteral("--input"),
        input, QStringLiteral("--out"), out, QStringLiteral("--save-probabilities"),
        QStringLiteral("--image-size"), QStringLiteral("48") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QFile npy(out + QStringLiteral("/odd_prob.npy"));
    QVERIFY(npy.open(QIODevice::ReadOnly));
    const QByteArray npyBytes = npy.readAll();
    const int npyHeader = quint8(npyBytes[8]) | (quint8(npyBytes[9]) << 8);
    QVERIFY(npyBytes.mid(10, npyHeader).contains("'shape': (1, 48, 48)")); // binary task: one channel
    QCOMPARE(npyBytes.size(), 10 + npyHeader + 48 * 48 * 4);
    for (int i = 0; i < 48 * 48; i += 97) {
        float v = -1;
        std::memcpy(&v, npyBytes.constData() + 10 + npyHeader + 4 * i, 4);
        QVERIFY(v >= 0.f && v <= 1.f); // after the sigmoid
    }
    QCOMPARE(QImageReader(out + QStringLiteral("/odd_overlay.png")).size(), QSize(150, 90));
    r = masksup({ QStringLiteral("predict"), QStringLiteral("--checkpoint"), ckpt, QStringLiteral("--input"),
        input, QStringLiteral("--out"), out, QStringLiteral("--image-size"), QStringLiteral("20") });
    QCOMPARE(r.code, 2);

    // A folder of images works too.
    r = masksup({ QStringLiteral("predict"), QStringLiteral("--checkpoint"), ckpt, QStringLiteral("--input"),
        m_dataset + QStringLiteral("/images"), QStringLiteral("--out"), out });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(QDir(out).entryList({ QStringLiteral("*_overlay.png") }).size(), 9);

    // A missing checkpoint and a broken image: clear messages, non-zero exit.
    r = masksup({ QStringLiteral("predict"), QStringLiteral("--checkpoint"), run + QStringLiteral("/nope.pt"),
        QStringLiteral("--input"), input, QStringLiteral("--out"), out });
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains(QStringLiteral("nope.pt")));
    const QString broken = m_dir.filePath(QStringLiteral("broken.png"));
    QFile b(broken);
    QVERIFY(b.open(QIODevice::WriteOnly));
    b.write("not an image");
    b.close();
    r = masksup({ QStringLiteral("predict"), QStringLiteral("--checkpoint"), ckpt, QStringLiteral("--input"),
        broken, QStringLiteral("--out"), out });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(broken), qPrintable(r.err));
}

void TestCli::predictUnwritableOutput()
{
    QFile blocker(m_dir.filePath(QStringLiteral("plainfile")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString out = blocker.fileName() + QStringLiteral("/out");
    const Run r = masksup({ QStringLiteral("synth"), QStringLiteral("--count"), QStringLiteral("1"),
        QStringLiteral("--out"), out });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(out) && r.err.contains(QStringLiteral("cannot be created")), qPrintable(r.err));
}

void TestCli::trainOnBadDataNamesTheFile()
{
    const QString data = m_dir.filePath(QStringLiteral("badsize"));
    Run r = masksup({ QStringLiteral("synth"), QStringLiteral("--count"), QStringLiteral("4"),
        QStringLiteral("--size"), QStringLiteral("64"), QStringLiteral("--out"), data });
    QCOMPARE(r.code, 0);
    const QString mask = data + QStringLiteral("/masks/synth_0001.png"); // a training pair
    QImage small(40, 30, QImage::Format_Grayscale8);
    small.fill(0);
    QVERIFY(small.save(mask));
    // One verdict per pair: the mask of the wrong size is what 'inspect' reports as an error, and
    // train leaves that pair out, naming it (it trains on the 3 others).
    r = masksup({ QStringLiteral("train"), QStringLiteral("--dataset"), data, QStringLiteral("--width"),
        QStringLiteral("2"), QStringLiteral("--image-size"), QStringLiteral("32"), QStringLiteral("--epochs"),
        QStringLiteral("1"), QStringLiteral("--out"), m_dir.filePath(QStringLiteral("badrun")) });
    QCOMPARE(r.code, 0);
    QVERIFY2(r.err.contains(QStringLiteral("skipped ") + mask) && r.err.contains(QStringLiteral("40x30")),
        qPrintable(r.err));
    // A folder that is no dataset.
    r = masksup(
        { QStringLiteral("train"), QStringLiteral("--dataset"), m_dir.filePath(QStringLiteral("masks")),
            QStringLiteral("--out"), m_dir.filePath(QStringLiteral("badrun2")) });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("no dataset recognised")), qPrintable(r.err));
}

// On a terminal, train draws a progress bar with an ETA. script(1) (util-linux, in every Debian)
// gives the command a pseudo-terminal; in a pipe the bar is not drawn.
void TestCli::trainShowsProgressBarOnATerminal()
{
    if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
        QSKIP("script(1) is not installed");
    const QString command
        = QStringLiteral("'%1' train --dataset '%2' --width 2 --epochs 1 --batch-size 2 "
                         "--image-size 32 --out '%3'")
              .arg(QStringLiteral(MASKSUP_CLI), m_dataset, m_dir.filePath(QStringLiteral("tty-run")));
    QProcess p;
    p.start(QStringLiteral("script"), { QStringLiteral("-qec"), command, QStringLiteral("/dev/null") });
    QVERIFY(p.waitForFinished(240000));
    QCOMPARE(p.exitCode(), 0);
    const QString tty = QString::fromLocal8Bit(p.readAllStandardOutput());
    QVERIFY2(tty.contains(QStringLiteral("] 1/3 epoch 1/1 loss")) && tty.contains(QStringLiteral("ETA ")),
        qPrintable(tty));
    // Without a terminal: no bar, only the per-epoch line.
    const Run piped = masksup({ QStringLiteral("train"), QStringLiteral("--dataset"), m_dataset,
        QStringLiteral("--width"), QStringLiteral("2"), QStringLiteral("--epochs"), QStringLiteral("1"),
        QStringLiteral("--batch-size"), QStringLiteral("2"), QStringLiteral("--image-size"),
        QStringLiteral("32"), QStringLiteral("--out"), m_dir.filePath(QStringLiteral("pipe-run")) });
    QCOMPARE(piped.code, 0);
    QVERIFY(!piped.err.contains(QStringLiteral("ETA")));
    QVERIFY(piped.out.contains(QStringLiteral("epoch 1/1")));
}

void TestCli::infoPrintsParameterCounts()
{
    Run r = masksup({ QStringLiteral("info"), QStringLiteral("--model"), QStringLiteral("unetpp"),
        QStringLiteral("--classes"), QStringLiteral("40"), QStringLiteral("--json") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("parameters")).toDouble(), 9164616.0);
    const QJsonArray layers = o.value(QStringLiteral("layers")).toArray();
    double sum = 0;
    for (const QJsonValue& l : layers)
        sum += l.toObject().value(QStringLiteral("parameters")).toDouble();
    QCOMPARE(sum, 9164616.0); // the layers account for every parameter
    QCOMPARE(layers.last().toObject().value(QStringLiteral("name")).toString(), QStringLiteral("final"));
    r = masksup({ QStringLiteral("info"), QStringLiteral("--model"), QStringLiteral("unet"),
        QStringLiteral("--classes"), QStringLiteral("2"), QStringLiteral("--width"), QStringLiteral("16") });
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains(QStringLiteral("1965586 parameters")), qPrintable(r.out));
    // LeViT-UNet-384 with one output channel: the paper's 52.15 M.
    r = masksup({ QStringLiteral("info"), QStringLiteral("--model"), QStringLiteral("levit384"),
        QStringLiteral("--classes"), QStringLiteral("1"), QStringLiteral("--json") });
    QCOMPARE(r.code, 0);
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("parameters")).toDouble(),
        52154213.0);
    r = masksup({ QStringLiteral("info"), QStringLiteral("--model"), QStringLiteral("resnet") });
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("unet, unetpp, levit128s")), qPrintable(r.err));
}

void TestCli::presetsConfigAndResume()
{
    const Run list = masksup({ QStringLiteral("presets") });
    QCOMPARE(list.code, 0);
    for (const char* name : { "glas-levit384", "polyp-levit384", "nyu-unetpp", "quick-cpu" })
        QVERIFY2(list.out.contains(QLatin1String(name)), qPrintable(list.out));
    const Run nyu = masksup({ QStringLiteral("presets"), QStringLiteral("nyu-unetpp") });
    QCOMPARE(nyu.code, 0);
    const QJsonObject preset = QJsonDocument::fromJson(nyu.out.toUtf8()).object();
    QCOMPARE(preset.value(QStringLiteral("optimizer")).toString(), QStringLiteral("sgd"));
    QCOMPARE(preset.value(QStringLiteral("lr_schedule")).toString(), QStringLiteral("step"));
    QCOMPARE(preset.value(QStringLiteral("lr_step_epochs")).toInt(), 60);
    QCOMPARE(masksup({ QStringLiteral("presets"), QStringLiteral("nope") }).code, 2);

    // The quick-cpu preset saved, edited, and used with flags on top.
    const Run quick = masksup({ QStringLiteral("presets"), QStringLiteral("quick-cpu") });
    QJsonObject edited = QJsonDocument::fromJson(quick.out.toUtf8()).object();
    edited.insert(QStringLiteral("width"), 4);
    edited.insert(QStringLiteral("image_size"), 32);
    edited.insert(QStringLiteral("threads"), 1);
    const QString file = m_dir.filePath(QStringLiteral("edited.json"));
    QVERIFY(msup::test::writeJsonObject(file, edited));
    const QString run = m_dir.filePath(QStringLiteral("config-run"));
    const Run t = masksup({ QStringLiteral("train"), QStringLiteral("--config"), file,
        QStringLiteral("--dataset"), m_dataset, QStringLiteral("--out"), run, QStringLiteral("--epochs"),
        QStringLiteral("1"), QStringLiteral("--device"), QStringLiteral("cpu") });
    QVERIFY2(t.code == 0, qPrintable(t.err + t.out));
    const QJsonObject config = msup::test::readJsonObject(run + QStringLiteral("/config.json"));
    QVERIFY(!config.isEmpty());
    QCOMPARE(config.value(QStringLiteral("preset")).toString(), QStringLiteral("quick-cpu"));
    QCOMPARE(config.value(QStringLiteral("width")).toInt(), 4); // the file's edit
    QCOMPARE(config.value(QStringLiteral("batch_size")).toInt(), 4); // the preset's value
    QCOMPARE(config.value(QStringLiteral("epochs")).toInt(), 1); // the flag's
    QCOMPARE(config.value(QStringLiteral("lr")).toDouble(), 1e-3);

    // Resume to a new total; what defines the run cannot change.
    const Run bad = masksup({ QStringLiteral("train"), QStringLiteral("--resume"), run,
        QStringLiteral("--lr"), QStringLiteral("0.1") });
    QCOMPARE(bad.code, 2);
    QVERIFY2(bad.err.contains(QStringLiteral("--lr cannot be changed")), qPrintable(bad.err));
    const Run resumed = masksup({ QStringLiteral("train"), QStringLiteral("--resume"), run,
        QStringLiteral("--epochs"), QStringLiteral("2") });
    QVERIFY2(resumed.code == 0, qPrintable(resumed.err + resumed.out));
    QVERIFY2(resumed.out.contains(QStringLiteral("resuming")), qPrintable(resumed.out));
    QFile metrics(run + QStringLiteral("/metrics.jsonl"));
    QVERIFY(metrics.open(QIODevice::ReadOnly));
    QCOMPARE(metrics.readAll().trimmed().split('\n').size(), 2);
    QVERIFY(QFile::exists(run + QStringLiteral("/metrics.csv")));
    const Run none = masksup(
        { QStringLiteral("train"), QStringLiteral("--resume"), m_dir.filePath(QStringLiteral("nothing")) });
    QCOMPARE(none.code, 1);
    QVERIFY2(none.err.contains(QStringLiteral("nothing")), qPrintable(none.err));
}

void TestCli::killedWhileCheckpointingAlwaysLeavesALoadableCheckpoint()
{
    // last.pt is rewritten after every batch (interval 6 ms); the process is killed (SIGKILL) at a
    // random moment, eight times, each time resumed from what it left. Every time, the checkpoint
    // there must load in a new process and training must never go backwards.
    const QString run = m_dir.filePath(QStringLiteral("killed"));
    const QString last = run + QStringLiteral("/checkpoints/last.pt");
    QRandomGenerator rng(1234);
    int previousPosition = -1, killedMidWrite = 0;
    for (int round = 0; round < 8; ++round) {
        QStringList args = round == 0
            ? QStringList { QStringLiteral("train"), QStringLiteral("--dataset"), m_dataset,
                  QStringLiteral("--out"), run, QStringLiteral("--width"), QStringLiteral("4"),
                  QStringLiteral("--image-size"), QStringLiteral("32"), QStringLiteral("--batch-size"),
                  QStringLiteral("2"), QStringLiteral("--device"), QStringLiteral("cpu") }
            : QStringList { QStringLiteral("train"), QStringLiteral("--resume"), run };
        args << QStringLiteral("--epochs") << QStringLiteral("100000") << QStringLiteral("--threads")
             << QStringLiteral("1") << QStringLiteral("--checkpoint-minutes") << QStringLiteral("0.0001");
        QProcess p;
        p.start(QStringLiteral(MASKSUP_CLI), args);
        QVERIFY(p.waitForStarted());
        // Wait for the first checkpoint of the first round, then let it run a random while.
        for (int i = 0; i < 600 && !QFile::exists(last); ++i)
            QTest::qWait(50);
        QVERIFY2(QFile::exists(last), qPrintable(QString::fromLocal8Bit(p.readAllStandardError())));
        QTest::qWait(100 + rng.bounded(700));
        p.kill();
        QVERIFY(p.waitForFinished());
        // A kill in the middle of a write leaves the temporary file next to an intact last.pt.
        if (!QDir(run + QStringLiteral("/checkpoints")).entryList({ QStringLiteral("*.part") }).isEmpty())
            ++killedMidWrite;
        const Run eval = masksup({ QStringLiteral("evaluate"), QStringLiteral("--checkpoint"), last,
            QStringLiteral("--dataset"), m_dataset, QStringLiteral("--json") });
        QVERIFY2(eval.code == 0, qPrintable(QStringLiteral("round %1: %2").arg(round).arg(eval.err)));
        // Progress is monotonic: epoch × batches + batch never decreases across kills.
        const Run resumeProbe
            = masksup({ QStringLiteral("train"), QStringLiteral("--resume"), run, QStringLiteral("--epochs"),
                QStringLiteral("1"), QStringLiteral("--threads"), QStringLiteral("1") });
        QVERIFY2(resumeProbe.code == 0, qPrintable(resumeProbe.err));
        const QRegularExpression pos(QStringLiteral("after epoch (\\d+), batch (\\d+)"));
        const QRegularExpressionMatch m = pos.match(resumeProbe.out);
        QVERIFY2(m.hasMatch(), qPrintable(resumeProbe.out));
        const int position = m.captured(1).toInt() * 1000 + m.captured(2).toInt();
        QVERIFY(position >= previousPosition);
        previousPosition = position;
    }
    QVERIFY(previousPosition > 0);
    qInfo("%d of 8 kills landed while a checkpoint was being written", killedMidWrite);
}

void TestCli::importWeightsThenPredict()
{
    // The reference NestedUNet (width 4, 3 classes) saved by Python's torch.save (tests/data, made by
    // scripts/make_pth_fixture.py).
    const QString pth = QStringLiteral(MASKSUP_TEST_DATA "/unetpp_w4_c3.pth");
    const QString ckpt = m_dir.filePath(QStringLiteral("imported.pt"));
    const Run r = masksup({ QStringLiteral("import-weights"), QStringLiteral("--model"),
        QStringLiteral("unetpp"), QStringLiteral("--classes"), QStringLiteral("3"), QStringLiteral("--width"),
        QStringLiteral("4"), QStringLiteral("--image-size"), QStringLiteral("64"), QStringLiteral("--from"),
        pth, QStringLiteral("--out"), ckpt });
    QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.out.contains(QStringLiteral("missing (initial values kept): none")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("unexpected (ignored): none")), qPrintable(r.out));
    // The imported checkpoint predicts like any other.
    const QString image = m_dir.filePath(QStringLiteral("import-input.png"));
    QImage rgb(40, 30, QImage::Format_RGB888);
    rgb.fill(QColor(120, 80, 60));
    QVERIFY(rgb.save(image));
    const QString predDir = m_dir.filePath(QStringLiteral("import-pred"));
    const Run p = masksup({ QStringLiteral("predict"), QStringLiteral("--checkpoint"), ckpt,
        QStringLiteral("--input"), image, QStringLiteral("--out"), predDir });
    QVERIFY2(p.code == 0, qPrintable(p.err + p.out));
    QVERIFY(!QDir(predDir).entryList({ QStringLiteral("*.png") }).isEmpty());
    // A wrong class count names the tensor and both shapes; a wrong model is a usage error.
    const Run wrong = masksup({ QStringLiteral("import-weights"), QStringLiteral("--model"),
        QStringLiteral("unetpp"), QStringLiteral("--classes"), QStringLiteral("5"), QStringLiteral("--width"),
        QStringLiteral("4"), QStringLiteral("--from"), pth, QStringLiteral("--out"),
        m_dir.filePath(QStringLiteral("wrong.pt")) });
    QCOMPARE(wrong.code, 1);
    QVERIFY2(wrong.err.contains(QStringLiteral("final.weight")), qPrintable(wrong.err));
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("wrong.pt"))));
    QCOMPARE(masksup({ QStringLiteral("import-weights"), QStringLiteral("--model"), QStringLiteral("resnet"),
                         QStringLiteral("--classes"), QStringLiteral("3"), QStringLiteral("--from"), pth,
                         QStringLiteral("--out"), ckpt })
                 .code,
        2);
}

void TestCli::settingsAreValidatedFromFlagsAndConfigFiles_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("config"); // written to a file passed as --config when not empty
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("--threads 100000") << QStringList { QStringLiteral("--threads"), QStringLiteral("100000") }
                                      << QByteArray() << 2 << QStringLiteral("--threads");
    QTest::newRow("--threads -1") << QStringList { QStringLiteral("--threads"), QStringLiteral("-1") }
                                  << QByteArray() << 2 << QStringLiteral("--threads");
    QTest::newRow("--alpha -1,1,1") << QStringList { QStringLiteral("--alpha"), QStringLiteral("-1,1,1") }
                                    << QByteArray() << 2 << QStringLiteral("--alpha");
    QTest::newRow("--seed -1") << QStringList { QStringLiteral("--seed"), QStringLiteral("-1") }
                               << QByteArray() << 2 << QStringLiteral("--seed");
    QTest::newRow("--amp half") << QStringList { QStringLiteral("--amp"), QStringLiteral("half") }
                                << QByteArray() << 2
                                << QStringLiteral("--amp must be auto, bf16, fp16 or off");
    QTest::newRow("--channels-last --no-channels-last")
        << QStringList { QStringLiteral("--channels-last"), QStringLiteral("--no-channels-last") }
        << QByteArray() << 2 << QStringLiteral("--channels-last or --no-channels-last");
    // A bad config file is bad data: exit 1, the file and the key named.
    QTest::newRow("config threads 1000000")
        << QStringList() << QByteArray(R"({"threads": 1000000})") << 1 << QStringLiteral("'threads'");
    QTest::newRow("config threads -4")
        << QStringList() << QByteArray(R"({"threads": -4})") << 1 << QStringLiteral("'threads'");
    QTest::newRow("config alpha_context -1")
        << QStringList() << QByteArray(R"({"alpha_context": -1})") << 1 << QStringLiteral("'alpha_context'");
    QTest::newRow("config seed abc") << QStringList() << QByteArray(R"({"seed": "abc"})") << 1
                                     << QStringLiteral("'seed'");
    QTest::newRow("config seed -1") << QStringList() << QByteArray(R"({"seed": -1})") << 1
                                    << QStringLiteral("'seed'");
    QTest::newRow("config epochs string")
        << QStringList() << QByteArray(R"({"epochs": "ten"})") << 1 << QStringLiteral("'epochs'");
    QTest::newRow("config amp half") << QStringList() << QByteArray(R"({"amp": "half"})") << 1
                                     << QStringLiteral("'amp' (--amp) must be auto, bf16, fp16 or off");
    QTest::newRow("config channels_last string") << QStringList() << QByteArray(R"({"channels_last": "yes"})")
                                                 << 1 << QStringLiteral("'channels_last'");
}

void TestCli::settingsAreValidatedFromFlagsAndConfigFiles()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, config);
    QFETCH(int, code);
    QFETCH(QString, message);
    // The dataset does not exist: a setting that passed validation would fail on the dataset instead
    // (exit 1, naming the dataset) rather than train.
    QStringList all { QStringLiteral("train"), QStringLiteral("--dataset"),
        m_dir.filePath(QStringLiteral("no-dataset")), QStringLiteral("--out"),
        m_dir.filePath(QStringLiteral("validated-run")) };
    QString file;
    if (!config.isEmpty()) {
        file = m_dir.filePath(QStringLiteral("settings-%1.json")
                                  .arg(QString::fromLatin1(QTest::currentDataTag())
                                           .replace(QLatin1Char(' '), QLatin1Char('_'))));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(config);
        f.close();
        all << QStringLiteral("--config") << file;
    }
    const Run r = masksup(all + args, 60000);
    QCOMPARE(r.code, code);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    if (!file.isEmpty())
        QVERIFY2(r.err.contains(file), qPrintable(r.err));
    QVERIFY2(!r.err.contains(QStringLiteral("no-dataset")), qPrintable(r.err));
}

void TestCli::controlCharactersFromFilesAreEscaped()
{
    // The pure function: C0 (ESC, BEL), DEL and C1 (U+009B, the one-byte CSI) become \u00XX; text,
    // accents and newlines (in whole messages) stay.
    QCOMPARE(QString::fromStdString(msup::terminalSafe("a\x1b[31mb\x07 \x7f\xc2\x9b\xc3\xa9\n")),
        QStringLiteral("a\\u001b[31mb\\u0007 \\u007f\\u009b\u00e9\n"));
    QCOMPARE(
        QString::fromStdString(msup::terminalSafe("x\ny\x01", false)), QStringLiteral("x\\u000ay\\u0001"));
    QCOMPARE(QString::fromStdString(msup::terminalSafe("\xff\xc3")), QStringLiteral("\\xff\\xc3"));

    // A dataset whose classes.json names a class with escape sequences, and an image whose file name
    // holds one: 'masksup inspect' (text and JSON) must not pass them to the terminal.
    const QString dir = m_dir.filePath(QStringLiteral("escapes"));
    Run r = masksup({ QStringLiteral("synth"), QStringLiteral("--kind"), QStringLiteral("scenes"),
        QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--size"), QStringLiteral("32"),
        QStringLiteral("--out"), dir });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QString evilName = QStringLiteral("wall\x1b]0;owned\x07\x1b[31m\u009bX\x7f");
    {
        QFile f(QDir(dir).filePath(QStringLiteral("classes.json")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        f.close();
        QJsonArray classes = o.value(QStringLiteral("classes")).toArray();
        QJsonObject first = classes[0].toObject();
        first.insert(QStringLiteral("name"), evilName);
        classes[0] = first;
        o.insert(QStringLiteral("classes"), classes);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QJsonDocument(o).toJson());
    }
    QVERIFY(QFile::copy(QDir(dir).filePath(QStringLiteral("000001.png")),
        QDir(dir).filePath(QStringLiteral("evil\x1b[2J\u009b.png"))));
    auto raw = [](const QStringList& args) {
        QProcess p;
        p.start(QStringLiteral(MASKSUP_CLI), args);
        p.waitForFinished(120000);
        return std::make_pair(p.readAllStandardOutput(), p.readAllStandardError());
    };
    auto clean = [](const QByteArray& bytes) {
        for (const char c : bytes)
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
                return false;
        return !bytes.contains("\xc2\x9b") && !bytes.contains("\xc2\x80");
    };
    const auto text = raw({ QStringLiteral("inspect"), dir });
    QVERIFY2(clean(text.first), text.first.toPercentEncoding(" \n:/.,()%-_").constData());
    QVERIFY2(clean(text.second), text.second.toPercentEncoding(" \n:/.,()%-_").constData());
    QVERIFY2(
        text.first.contains("wall\\u001b]0;owned\\u0007\\u001b[31m\\u009bX\\u007f"), text.first.constData());
    const auto json = raw({ QStringLiteral("inspect"), dir, QStringLiteral("--json") });
    QVERIFY2(clean(json.first), json.first.toPercentEncoding(" \n:/.,()%-_{}\"[]").constData());
    // The escapes are JSON's own: the name reads back unchanged.
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json.first, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(doc.object()
                 .value(QStringLiteral("classes"))
                 .toArray()[0]
                 .toObject()
                 .value(QStringLiteral("name"))
                 .toString(),
        evilName);
    // msup::Error messages on stderr quote file names: escaped too.
    const QString evilConfig = m_dir.filePath(QStringLiteral("missing\x1b[2J.json"));
    const auto failed
        = raw({ QStringLiteral("train"), QStringLiteral("--dataset"), dir, QStringLiteral("--out"),
            m_dir.filePath(QStringLiteral("escapes-run")), QStringLiteral("--config"), evilConfig });
    QVERIFY2(failed.second.contains("missing\\u001b[2J.json"), failed.second.constData());
    QVERIFY2(clean(failed.second), failed.second.toPercentEncoding(" \n:/.,()%-_").constData());
}

QString TestCli::makeKvasirJpeg(
    const QString& name, const QList<int>& badMasks, const QList<int>& corruptMasks)
{
    const QString root = m_dir.filePath(name) + QStringLiteral("/Kvasir-SEG");
    QDir().mkpath(root + QStringLiteral("/images"));
    QDir().mkpath(root + QStringLiteral("/masks"));
    const QFileInfoList images
        = QDir(m_dataset + QStringLiteral("/images")).entryInfoList(QDir::Files, QDir::Name);
    for (int i = 0; i < images.size(); ++i) {
        const QString stem = images[i].completeBaseName();
        const QImage image(images[i].absoluteFilePath());
        const QImage mask(m_dataset + QStringLiteral("/masks/") + images[i].fileName());
        if (image.isNull() || mask.isNull())
            return {};
        const QString maskPath = root + QStringLiteral("/masks/") + stem + QStringLiteral(".jpg");
        if (!image.save(root + QStringLiteral("/images/") + stem + QStringLiteral(".jpg"), "JPG", 95)
            || !mask.convertToFormat(QImage::Format_RGB888).save(maskPath, "JPG", 95))
            return {};
        if (badMasks.contains(i) || corruptMasks.contains(i)) {
            QFile f(maskPath);
            if (!f.open(QIODevice::ReadOnly))
                return {};
            QByteArray bytes = f.readAll();
            f.close();
            // Cut short (a download that stopped), or the middle lost with the end marker kept.
            bytes = badMasks.contains(i) ? bytes.left(bytes.size() * 6 / 10)
                                         : bytes.left(bytes.size() * 6 / 10) + QByteArray("\xff\xd9");
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
                return {};
        }
    }
    return m_dir.filePath(name);
}

QString TestCli::tinyCheckpoint()
{
    if (!m_tinyCheckpoint.isEmpty())
        return m_tinyCheckpoint;
    const QString run = m_dir.filePath(QStringLiteral("tiny-run"));
    const Run r = masksup({ QStringLiteral("train"), QStringLiteral("--dataset"), m_dataset,
        QStringLiteral("--width"), QStringLiteral("2"), QStringLiteral("--image-size"), QStringLiteral("32"),
        QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--seed"), QStringLiteral("3"),
        QStringLiteral("--out"), run });
    if (r.code == 0)
        m_tinyCheckpoint = run + QStringLiteral("/checkpoints/best.pt");
    return m_tinyCheckpoint;
}

// Issue 13, finding 1: 'inspect' rejects truncated JPEG masks; train used to train on them (with
// libjpeg's anonymous "Premature end of JPEG file" on stderr). Now the pairs are left out, named on
// stderr and in config.json's `skipped` list.
void TestCli::trainSkipsTruncatedJpegMasks()
{
    const QString data = makeKvasirJpeg(QStringLiteral("kvasir-truncated"), { 1, 4 }, { 6 });
    QVERIFY(!data.isEmpty());
    const QString masks = data + QStringLiteral("/Kvasir-SEG/masks/");
    const QStringList bad { masks + QStringLiteral("synth_0001.jpg"),
        masks + QStringLiteral("synth_0004.jpg"), masks + QStringLiteral("synth_0006.jpg") };
    for (const QString& f : bad)
        QVERIFY2(QFile::exists(f), qPrintable(f));
    Run r = masksup({ QStringLiteral("inspect"), data, QStringLiteral("--json") });
    QVERIFY2(r.out.contains(QStringLiteral("truncated")), qPrintable(r.out));

    const QString run = m_dir.filePath(QStringLiteral("kvasir-truncated-run"));
    r = masksup({ QStringLiteral("train"), QStringLiteral("--dataset"), data, QStringLiteral("--width"),
        QStringLiteral("2"), QStringLiteral("--image-size"), QStringLiteral("32"), QStringLiteral("--epochs"),
        QStringLiteral("1"), QStringLiteral("--seed"), QStringLiteral("1"), QStringLiteral("--out"), run });
    QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
    for (const QString& f : bad)
        QVERIFY2(r.err.contains(QStringLiteral("skipped ") + f), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("truncated")), qPrintable(r.err));
    // No decoder line without its file (libjpeg's "Premature end of JPEG file", "Corrupt JPEG data").
    for (const QString& line : r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (line.contains(QStringLiteral("JPEG"), Qt::CaseInsensitive))
            QVERIFY2(line.contains(QStringLiteral(".jpg")), qPrintable(line));
    QVERIFY2(!r.err.contains(QStringLiteral("Premature end of JPEG file\n")), qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("3 pair(s) were skipped")), qPrintable(r.out));
    const QJsonObject config
        = QJsonDocument::fromJson(readAll(run + QStringLiteral("/config.json"))).object();
    const QJsonArray skipped = config.value(QStringLiteral("skipped")).toArray();
    QCOMPARE(skipped.size(), 3);
    QStringList files;
    for (const QJsonValue& v : skipped) {
        files << v.toObject().value(QStringLiteral("file")).toString();
        QVERIFY(!v.toObject().value(QStringLiteral("reason")).toString().isEmpty());
    }
    files.sort();
    QCOMPARE(files, bad);
    QCOMPARE(config.value(QStringLiteral("train_count")).toInt()
            + config.value(QStringLiteral("val_count")).toInt(),
        5);

    // evaluate leaves the same pairs out and names them.
    r = masksup({ QStringLiteral("evaluate"), QStringLiteral("--checkpoint"),
        run + QStringLiteral("/checkpoints/best.pt"), QStringLiteral("--dataset"), data,
        QStringLiteral("--split"), QStringLiteral("all"), QStringLiteral("--json") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("images")).toInt(), 5);
    for (const QString& f : bad)
        QVERIFY2(r.err.contains(QStringLiteral("skipped ") + f), qPrintable(r.err));
}

void TestCli::trainWithNoUsablePairFailsNamingFiles()
{
    const QString data = makeKvasirJpeg(QStringLiteral("kvasir-all-bad"), { 0, 1, 2, 3, 4, 5, 6, 7 });
    QVERIFY(!data.isEmpty());
    const Run r = masksup({ QStringLiteral("train"), QStringLiteral("--dataset"), data,
        QStringLiteral("--width"), QStringLiteral("2"), QStringLiteral("--image-size"), QStringLiteral("32"),
        QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--out"),
        m_dir.filePath(QStringLiteral("kvasir-all-bad-run")) });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("no usable image/mask pair")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("masks/synth_0001.jpg"))
            || r.err.contains(QStringLiteral("masks/synth_0002.jpg")),
        qPrintable(r.err));
}

// Issue 13, finding 2: predict --input S --out S replaced every ground-truth mask.
void TestCli::predictNeverReplacesDatasetFiles()
{
    const QString ckpt = tinyCheckpoint();
    QVERIFY(!ckpt.isEmpty());
    const QString scenes = m_dir.filePath(QStringLiteral("S"));
    Run r = masksup({ QStringLiteral("synth"), QStringLiteral("--kind"), QStringLiteral("scenes"),
        QStringLiteral("--count"), QStringLiteral("6"), QStringLiteral("--size"), QStringLiteral("64"),
        QStringLiteral("--seed"), QStringLiteral("2"), QStringLiteral("--out"), scenes });
    QCOMPARE(r.code, 0);
    const QStringList before = QDir(scenes).entryList(QDir::Files | QDir::Hidden, QDir::Name);
    const QHash<QString, QByteArray> bytes = msup::test::folderBytes(scenes);
    for (const QString& out : QStringList { scenes, scenes + QStringLiteral("/predictions") }) {
        r = masksup({ QStringLiteral("predict"), QStringLiteral("--checkpoint"), ckpt,
            QStringLiteral("--input"), scenes, QStringLiteral("--out"), out });
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("dataset")) && r.err.contains(QStringLiteral("S-predictions")),
            qPrintable(r.err));
    }
    QCOMPARE(
        QDir(scenes).entryList(QDir::Files | QDir::Hidden | QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name),
        before);
    for (const QString& f : before)
        QVERIFY2(readAll(QDir(scenes).filePath(f)) == bytes.value(f), qPrintable(f));

    // The glands images predicted into the dataset's own masks/ folder: refused, nothing added.
    const QStringList masksBefore
        = QDir(m_dataset + QStringLiteral("/masks")).entryList(QDir::Files | QDir::Hidden);
    r = masksup({ QStringLiteral("predict"), QStringLiteral("--checkpoint"), ckpt, QStringLiteral("--input"),
        m_dataset + QStringLiteral("/images"), QStringLiteral("--out"),
        m_dataset + QStringLiteral("/masks") });
    QCOMPARE(r.code, 1);
    QCOMPARE(QDir(m_dataset + QStringLiteral("/masks")).entryList(QDir::Files | QDir::Hidden), masksBefore);

    // A folder holding a file predict did not write: refused, naming it, nothing written.
    const QString mine = m_dir.filePath(QStringLiteral("my-folder"));
    QVERIFY(QDir().mkpath(mine));
    QFile user(mine + QStringLiteral("/000001_mask.png"));
    QVERIFY(user.open(QIODevice::WriteOnly));
    user.write("my own file");
    user.close();
    r = masksup({ QStringLiteral("predict"), QStringLiteral("--checkpoint"), ckpt, QStringLiteral("--input"),
        scenes, QStringLiteral("--out"), mine });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(mine + QStringLiteral("/000001_mask.png")), qPrintable(r.err));
    QCOMPARE(readAll(user.fileName()), QByteArray("my own file"));
    QCOMPARE(
        QDir(mine).entryList(QDir::Files | QDir::Hidden), QStringList { QStringLiteral("000001_mask.png") });
}

void TestCli::predictOnADatasetFolderLeavesMasksOut()
{
    const QString ckpt = tinyCheckpoint();
    QVERIFY(!ckpt.isEmpty());
    const QString scenes = m_dir.filePath(QStringLiteral("S2"));
    Run r = masksup({ QStringLiteral("synth"), QStringLiteral("--kind"), QStringLiteral("scenes"),
        QStringLiteral("--count"), QStringLiteral("6"), QStringLiteral("--size"), QStringLiteral("64"),
        QStringLiteral("--seed"), QStringLiteral("2"), QStringLiteral("--out"), scenes });
    QCOMPARE(r.code, 0);
    const QString out = m_dir.filePath(QStringLiteral("S2-predictions"));
    r = masksup({ QStringLiteral("predict"), QStringLiteral("--checkpoint"), ckpt, QStringLiteral("--input"),
        scenes, QStringLiteral("--out"), out });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QStringList overlays = QDir(out).entryList({ QStringLiteral("*_overlay.png") }, QDir::Files);
    QCOMPARE(overlays.size(), 6);
    QVERIFY(QDir(out).entryList({ QStringLiteral("*_mask_*") }, QDir::Files).isEmpty());
    QVERIFY(QFile::exists(out + QStringLiteral("/000001_mask.png")));
    QVERIFY(QFile::exists(out + QStringLiteral("/.masksup-outputs.json")));
    QVERIFY2(!r.out.contains(QStringLiteral("replaced")), qPrintable(r.out));
    // Again into the same folder: predict replaces its own earlier outputs and says how many.
    r = masksup({ QStringLiteral("predict"), QStringLiteral("--checkpoint"), ckpt, QStringLiteral("--input"),
        scenes, QStringLiteral("--out"), out });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("replaced 12 file(s)")), qPrintable(r.out));
}

void TestCli::reportAndCsvNeverReplaceForeignFiles()
{
    const QString ckpt = tinyCheckpoint();
    QVERIFY(!ckpt.isEmpty());
    // robustness --csv onto a file of the user's: refused, the file unchanged.
    const QString csv = m_dir.filePath(QStringLiteral("numbers.csv"));
    QFile f(csv);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("keep me");
    f.close();
    Run r = masksup({ QStringLiteral("robustness"), QStringLiteral("--checkpoint"), ckpt,
        QStringLiteral("--dataset"), m_dataset, QStringLiteral("--split"), QStringLiteral("all"),
        QStringLiteral("--ratios"), QStringLiteral("0,0.5"), QStringLiteral("--csv"), csv });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(csv), qPrintable(r.err));
    QCOMPARE(readAll(csv), QByteArray("keep me"));
    // report into the dataset's folder: refused.
    const QString run = QFileInfo(ckpt).absolutePath() + QStringLiteral("/..");
    r = masksup({ QStringLiteral("report"), run, QStringLiteral("--out"),
        m_dataset + QStringLiteral("/images/report.html"), QStringLiteral("--examples"),
        QStringLiteral("0") });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("dataset")), qPrintable(r.err));
    QVERIFY(!QFile::exists(m_dataset + QStringLiteral("/images/report.html")));
    // Its own earlier report is replaced.
    const QString report = m_dir.filePath(QStringLiteral("reports/report.html"));
    for (int i = 0; i < 2; ++i) {
        r = masksup({ QStringLiteral("report"), run, QStringLiteral("--out"), report,
            QStringLiteral("--examples"), QStringLiteral("0") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
    }
    QVERIFY2(r.out.contains(QStringLiteral("replaced")), qPrintable(r.out));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
