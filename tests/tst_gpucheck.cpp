// The GPU check: masksup-gpucheck's command line, the goals merge_report.py derives from two
// reports, and (CTest gpu_check_cpu_quick, label "slow") scripts/gpu-check.sh --device cpu --quick
// end to end: a nested engine-only configure and build, both runs, one merged JSON.
#include "tests/support/files.h"
#include "tests/support/process.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using msup::test::readJsonObject;
using msup::test::Run;
using msup::test::writeJsonObject;

static Run run(const QString& program, const QStringList& args, int timeoutMs)
{
    msup::test::RunOptions options;
    options.timeoutMs = timeoutMs;
    return msup::test::runProgram(program, args, options);
}

class TestGpuCheck : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void commandLine_data();
    void commandLine();
    void cudaWithoutAGpuSaysWhatToDo();
    void goalsFromTwoReports_data();
    void goalsFromTwoReports();
    void scriptCpuQuick();
};

void TestGpuCheck::commandLine_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("text");
    QTest::newRow("help") << QStringList { "--help" } << 0 << "Usage: masksup-gpucheck";
    QTest::newRow("bad device") << QStringList { "--device", "tpu" } << 2 << "--device must be cuda or cpu";
    QTest::newRow("device without value") << QStringList { "--device" } << 2 << "--device needs a value";
    QTest::newRow("unknown option") << QStringList { "--fast" } << 2 << "unknown option '--fast'";
}

void TestGpuCheck::commandLine()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, text);
    const Run r = run(QStringLiteral(MASKSUP_GPUCHECK), args, 30000);
    QCOMPARE(r.code, code);
    QVERIFY2(QString(r.out + r.err).contains(text), qPrintable(r.out + r.err));
}

void TestGpuCheck::cudaWithoutAGpuSaysWhatToDo()
{
    if (QFileInfo::exists(QStringLiteral("/dev/nvidia0")))
        QSKIP("an NVIDIA GPU is present: --device cuda would run the whole check");
    const Run r = run(QStringLiteral(MASKSUP_GPUCHECK), { "--device", "cuda", "--quick" }, 60000);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("sees no CUDA GPU") && r.err.contains("--device cpu"), qPrintable(r.err));
}

// merge_report.py on two small CUDA reports made here: ratios and goals follow from the numbers.
void TestGpuCheck::goalsFromTwoReports_data()
{
    QTest::addColumn<double>("ours"); // our best images/s (bf16)
    QTest::addColumn<double>("busy");
    QTest::addColumn<QString>("reference"); // expected status of each goal
    QTest::addColumn<QString>("best");
    QTest::addColumn<QString>("gpuBusy");
    // reference-fed 100 images/s, best practice 600 images/s
    QTest::newRow("all met") << 600.0 << 0.95 << "met"
                             << "met"
                             << "met";
    QTest::newRow("slower than best practice") << 450.0 << 0.95 << "not met"
                                               << "not met"
                                               << "met";
    QTest::newRow("idle GPU") << 520.0 << 0.5 << "met"
                              << "met"
                              << "not met";
}

void TestGpuCheck::goalsFromTwoReports()
{
    QFETCH(double, ours);
    QFETCH(double, busy);
    QFETCH(QString, reference);
    QFETCH(QString, best);
    QFETCH(QString, gpuBusy);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto run1 = [](const char* amp, double ips, double share) {
        return QJsonObject { { "model", "unet-w16" }, { "batch", 64 }, { "amp", amp },
            { "branches", "separate" }, { "data", "resident" }, { "images_per_second", ips },
            { "gpu_busy_share", share } };
    };
    const QJsonObject oursJson { { "machine", QJsonObject { { "device", "cuda" } } }, { "quick", true },
        { "correctness_passed", true }, { "parameters", QJsonObject { { "unet-w16", 1965569 } } },
        { "throughput",
            QJsonObject {
                { "runs", QJsonArray { run1("off", ours / 2, busy), run1("bf16", ours, busy) } } } } };
    const QJsonObject pyJson { { "parameters", QJsonObject { { "unet-w16", 1965569 } } },
        { "reference_fed",
            QJsonArray {
                QJsonObject { { "model", "unet-w16" }, { "batch", 64 }, { "images_per_second", 100.0 } } } },
        { "best_practice",
            QJsonArray {
                QJsonObject { { "model", "unet-w16" }, { "batch", 64 }, { "images_per_second", 600.0 } },
                QJsonObject { { "model", "unet-w16" }, { "batch", 64 }, { "error", "out of memory" } } } } };
    const QString a = dir.filePath("ours.json"), b = dir.filePath("py.json"),
                  out = dir.filePath("merged.json");
    QVERIFY(writeJsonObject(a, oursJson));
    QVERIFY(writeJsonObject(b, pyJson));
    const Run r = run(QStringLiteral("python3"),
        { QStringLiteral(MASKSUP_SOURCE_DIR "/tools/gpucheck/merge_report.py"), a, b, out }, 60000);
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    const QJsonObject m = readJsonObject(out);
    const QJsonObject goals = m["goals"].toObject();
    QCOMPARE(goals["reference_fed_5x"].toObject()["status"].toString(), reference);
    QCOMPARE(goals["best_practice_0.8x"].toObject()["status"].toString(), best);
    QCOMPARE(goals["gpu_busy_90pct"].toObject()["status"].toString(), gpuBusy);
    const QJsonObject row = m["comparison"].toArray().at(0).toObject();
    const QJsonObject bf16 = row["ours"].toObject()["bf16"].toObject();
    QCOMPARE(bf16["ratio_vs_reference_fed"].toDouble(), ours / 100.0);
    QCOMPARE(bf16["ratio_vs_best_practice"].toDouble(), ours / 600.0);
    // Best practice trains in bf16: our float32 runs are not compared with it.
    QVERIFY(
        row.value("ours").toObject().value("off").toObject().value("ratio_vs_best_practice").isUndefined());
    QVERIFY(
        row.value("ours").toObject().value("off").toObject().value("ratio_vs_reference_fed").toDouble() > 0);
    QCOMPARE(m["parameters_equal"].toBool(), true);
}

// The whole script as a user runs it on a CPU machine (CTest gpu_check_cpu_quick).
void TestGpuCheck::scriptCpuQuick()
{
    const QString buildDir = QStringLiteral(MASKSUP_BINARY_DIR "/gpucheck");
    const QString out = QStringLiteral(MASKSUP_BINARY_DIR "/gpu-check-cpu.json");
    QFile::remove(out);
    const Run r = run(QStringLiteral(MASKSUP_SOURCE_DIR "/scripts/gpu-check.sh"),
        { "--device", "cpu", "--quick", "--out", out, "--build-dir", buildDir }, 1500 * 1000);
    QVERIFY2(r.code == 0,
        qPrintable(
            QStringLiteral("exit code %1 (it needs python3-torch and python3-pil: scripts/install-deps.sh)\n")
                .arg(r.code)
            + r.out.right(3000) + r.err.right(3000)));
    QVERIFY2(r.out.contains("LibTorch from"), qPrintable(r.out.left(2000)));
    QVERIFY2(r.out.contains("total"), qPrintable(r.out.right(2000)));

    const QJsonObject m = readJsonObject(out);
    QVERIFY2(!m.isEmpty(), qPrintable(out));
    QCOMPARE(m["device"].toString(), QStringLiteral("cpu"));
    QCOMPARE(m["correctness_passed"].toBool(), true);
    QCOMPARE(m["parameters_equal"].toBool(), true);
    QVERIFY(!m["libtorch_dir"].toString().isEmpty());
    const QJsonObject times = m["times_s"].toObject();
    for (const char* k : { "configure", "build", "masksup_gpucheck", "pytorch_baseline", "total" })
        QVERIFY2(times[k].toDouble(-1) >= 0, k);

    const QJsonObject ours = m["ours"].toObject();
    QVERIFY(!ours["machine"].toObject()["libtorch_version"].toString().isEmpty());
    const QJsonObject holes = ours["hole_masks"].toObject();
    QVERIFY(holes["ratio_min"].toDouble() > 0.5 && holes["ratio_max"].toDouble() <= 0.6);
    const QJsonObject correctness = ours["correctness"].toObject();
    QCOMPARE(correctness["float32_cpu_vs_device"].toArray().size(), 2);
    for (const QJsonValue v : correctness["float32_cpu_vs_device"].toArray())
        QVERIFY(v.toObject()["passed"].toBool());
    for (const QJsonValue v : correctness["mixed_precision"].toArray())
        QCOMPARE(v.toObject()["status"].toString(), QStringLiteral("skipped: CUDA only"));
    QVERIFY(correctness["confusion"].toObject()["passed"].toBool());

    // Every model, both branch modes, both feeds: numbers present and losses finite.
    const QJsonArray runs = ours["throughput"].toObject()["runs"].toArray();
    QCOMPARE(runs.size(), 12);
    QSet<QString> models;
    for (const QJsonValue v : runs) {
        const QJsonObject o = v.toObject();
        QVERIFY2(o["error"].isUndefined(), qPrintable(o["error"].toString()));
        QVERIFY(o["images_per_second"].toDouble() > 0);
        QVERIFY(o["losses_finite"].toBool());
        QCOMPARE(o["image_size"].toInt(), 64);
        QCOMPARE(o["batch"].toInt(), 2);
        models.insert(o["model"].toString());
    }
    QCOMPARE(models, (QSet<QString> { "unet-w16", "unet-w32", "unetpp-w32-40cls", "levit384" }));

    const QJsonObject py = m["pytorch"].toObject();
    QCOMPARE(py["reference_fed"].toArray().size(), 4);
    QCOMPARE(py["best_practice"].toArray().size(), 4);
    for (const char* kind : { "reference_fed", "best_practice" })
        for (const QJsonValue v : py[kind].toArray())
            QVERIFY2(v.toObject()["images_per_second"].toDouble() > 0,
                qPrintable(v.toObject()["error"].toString()));

    const QJsonArray comparison = m["comparison"].toArray();
    QCOMPARE(comparison.size(), 4);
    for (const QJsonValue v : comparison) {
        const QJsonObject off = v.toObject()["ours"].toObject()["off"].toObject();
        QVERIFY(off["ratio_vs_reference_fed"].toDouble() > 0);
        QVERIFY(off["ratio_vs_best_practice"].toDouble() > 0);
    }
    for (const QJsonValue v : m["goals"].toObject())
        QVERIFY(v.toObject()["status"].toString().startsWith("not applicable"));
}

QTEST_GUILESS_MAIN(TestGpuCheck)
#include "tst_gpucheck.moc"
