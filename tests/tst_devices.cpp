// The GPU list from the CUDA driver (core/engine/cuda_devices) and 'masksup devices', against a fake
// libcuda.so.1 (tests/support/fake_libcuda.cpp: two made-up GPUs) and against this machine.
#include "core/engine/cuda_devices.h"
#include "tests/support/process.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QtTest>

namespace {

using msup::test::Run;

// `masksup devices ARGS` with `env` added to the environment.
Run devices(const QStringList& args, const QHash<QString, QString>& env = {})
{
    msup::test::RunOptions options;
    options.timeoutMs = 120000;
    options.env = env;
    return msup::test::runProgram(
        QStringLiteral(MASKSUP_CLI), QStringList { QStringLiteral("devices") } + args, options);
}

const QString kFakeDir = QStringLiteral(FAKE_CUDA_DIR);
const std::string kFakeLibrary = QDir(kFakeDir).filePath(QStringLiteral("libcuda.so.1")).toStdString();

} // namespace

class TestDevices : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void driverListsTheFakeGpus();
    void failingDriverGivesTheReason();
    void missingOrWrongLibraryGivesTheReason();
    void versionAndMemoryText();
    void cliListsTheFakeGpusAsJson();
    void cliTextAndFailingDriver();
    void cliWithoutADriver();
    void cliHelpAndBadArguments();
};

void TestDevices::driverListsTheFakeGpus()
{
    qunsetenv("FAKE_CUDA_INIT_ERROR");
    qunsetenv("FAKE_CUDA_DEVICE_COUNT");
    const msup::engine::CudaDeviceList list = msup::engine::listCudaDevices(kFakeLibrary);
    QVERIFY2(list.unavailableReason.empty(), list.unavailableReason.c_str());
    QCOMPARE(list.driverVersion, 12040);
    QCOMPARE(int(list.devices.size()), 2);
    QCOMPARE(list.devices[0].index, 0);
    QCOMPARE(QString::fromStdString(list.devices[0].name), QStringLiteral("NVIDIA H100 80GB HBM3"));
    QCOMPARE(list.devices[0].totalBytes, std::int64_t(85045870592ll));
    QCOMPARE(list.devices[0].major, 9);
    QCOMPARE(list.devices[0].minor, 0);
    QCOMPARE(list.devices[1].index, 1);
    QCOMPARE(QString::fromStdString(list.devices[1].name), QStringLiteral("NVIDIA GeForce RTX 3060"));
    QCOMPARE(list.devices[1].totalBytes, std::int64_t(12884901888ll));
    QCOMPARE(list.devices[1].major, 8);
    QCOMPARE(list.devices[1].minor, 6);

    // A driver that initialises but sees no GPU says so.
    qputenv("FAKE_CUDA_DEVICE_COUNT", "0");
    const msup::engine::CudaDeviceList none = msup::engine::listCudaDevices(kFakeLibrary);
    qunsetenv("FAKE_CUDA_DEVICE_COUNT");
    QVERIFY(none.devices.empty());
    QVERIFY2(QString::fromStdString(none.unavailableReason).contains(QStringLiteral("reports no GPU")),
        none.unavailableReason.c_str());
}

void TestDevices::failingDriverGivesTheReason()
{
    qputenv("FAKE_CUDA_INIT_ERROR", "999");
    const msup::engine::CudaDeviceList broken = msup::engine::listCudaDevices(kFakeLibrary);
    qputenv("FAKE_CUDA_INIT_ERROR", "100");
    const msup::engine::CudaDeviceList noDevice = msup::engine::listCudaDevices(kFakeLibrary);
    qputenv("FAKE_CUDA_INIT_ERROR", "804"); // a code the fake has no name for
    const msup::engine::CudaDeviceList unnamed = msup::engine::listCudaDevices(kFakeLibrary);
    qunsetenv("FAKE_CUDA_INIT_ERROR");
    for (const auto* l : { &broken, &noDevice, &unnamed })
        QVERIFY(l->devices.empty());
    const QString b = QString::fromStdString(broken.unavailableReason);
    QVERIFY2(
        b.contains(QStringLiteral("cuInit failed: CUDA_ERROR_UNKNOWN (999): unknown error")), qPrintable(b));
    QVERIFY2(b.contains(QStringLiteral("nvidia-smi")), qPrintable(b)); // what to check
    const QString n = QString::fromStdString(noDevice.unavailableReason);
    QVERIFY2(n.contains(QStringLiteral("CUDA_ERROR_NO_DEVICE (100): no CUDA-capable device is detected")),
        qPrintable(n));
    const QString u = QString::fromStdString(unnamed.unavailableReason);
    QVERIFY2(u.contains(QStringLiteral("cuInit failed with error 804")), qPrintable(u));
}

void TestDevices::missingOrWrongLibraryGivesTheReason()
{
    const std::string missing = QDir(kFakeDir).filePath(QStringLiteral("no-such/libcuda.so.1")).toStdString();
    const msup::engine::CudaDeviceList none = msup::engine::listCudaDevices(missing);
    QVERIFY(none.devices.empty());
    QCOMPARE(none.driverVersion, 0);
    const QString r = QString::fromStdString(none.unavailableReason);
    QVERIFY2(
        r.startsWith(QStringLiteral("no NVIDIA driver: ")) && r.contains(QString::fromStdString(missing)),
        qPrintable(r));
    // A shared library that is not a driver (the C maths library).
    const msup::engine::CudaDeviceList wrong = msup::engine::listCudaDevices("libm.so.6");
    QVERIFY(wrong.devices.empty());
    QVERIFY2(
        QString::fromStdString(wrong.unavailableReason).contains(QStringLiteral("lacks the CUDA driver")),
        wrong.unavailableReason.c_str());
}

void TestDevices::versionAndMemoryText()
{
    QCOMPARE(QString::fromStdString(msup::engine::cudaDriverVersionText(12040)), QStringLiteral("12.4"));
    QCOMPARE(QString::fromStdString(msup::engine::cudaDriverVersionText(13000)), QStringLiteral("13.0"));
    QCOMPARE(QString::fromStdString(msup::engine::cudaDriverVersionText(0)), QString());
    QCOMPARE(QString::fromStdString(msup::engine::gibText(85045870592ll)), QStringLiteral("79.2"));
    QCOMPARE(QString::fromStdString(msup::engine::gibText(12884901888ll)), QStringLiteral("12.0"));
}

void TestDevices::cliListsTheFakeGpusAsJson()
{
    const Run r = devices({ QStringLiteral("--json") }, { { QStringLiteral("LD_LIBRARY_PATH"), kFakeDir } });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8(), &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(r.out));
    QVERIFY(o.value(QStringLiteral("cpu")).toObject().value(QStringLiteral("threads")).toInt() >= 1);
    QCOMPARE(o.value(QStringLiteral("cuda_driver")).toString(), QStringLiteral("12.4"));
    const QJsonArray gpus = o.value(QStringLiteral("gpus")).toArray();
    QCOMPARE(gpus.size(), 2);
    const QJsonObject h100 = gpus[0].toObject();
    QCOMPARE(h100.value(QStringLiteral("device")).toString(), QStringLiteral("cuda:0"));
    QCOMPARE(h100.value(QStringLiteral("index")).toInt(), 0);
    QCOMPARE(h100.value(QStringLiteral("name")).toString(), QStringLiteral("NVIDIA H100 80GB HBM3"));
    QCOMPARE(h100.value(QStringLiteral("memory_bytes")).toDouble(), 85045870592.0);
    QCOMPARE(h100.value(QStringLiteral("memory_gib")).toDouble(), 79.2);
    QCOMPARE(h100.value(QStringLiteral("compute_capability")).toString(), QStringLiteral("9.0"));
    const QJsonObject rtx = gpus[1].toObject();
    QCOMPARE(rtx.value(QStringLiteral("device")).toString(), QStringLiteral("cuda:1"));
    QCOMPARE(rtx.value(QStringLiteral("name")).toString(), QStringLiteral("NVIDIA GeForce RTX 3060"));
    QCOMPARE(rtx.value(QStringLiteral("memory_gib")).toDouble(), 12.0);
    QCOMPARE(rtx.value(QStringLiteral("compute_capability")).toString(), QStringLiteral("8.6"));
    QVERIFY(!o.contains(QStringLiteral("gpu_unavailable_reason")));
    const bool torchCuda = o.value(QStringLiteral("libtorch_cuda")).toBool();
    QVERIFY(o.value(QStringLiteral("libtorch_cuda")).isBool());
    const QJsonArray usable = o.value(QStringLiteral("train_devices")).toArray();
    QCOMPARE(usable.first().toString(), QStringLiteral("auto"));
    QCOMPARE(usable.at(1).toString(), QStringLiteral("cpu"));
    if (!torchCuda) {
        // This build cannot use the GPUs the driver shows: said, pointing to the README's section.
        QCOMPARE(usable.size(), 2);
        const QString note = o.value(QStringLiteral("note")).toString();
        QVERIFY2(note.contains(QStringLiteral("no CUDA")) && note.contains(QStringLiteral("NVIDIA GPU")),
            qPrintable(note));
    }
}

void TestDevices::cliTextAndFailingDriver()
{
    const Run text = devices({}, { { QStringLiteral("LD_LIBRARY_PATH"), kFakeDir } });
    QVERIFY2(text.code == 0, qPrintable(text.err));
    QVERIFY2(text.out.contains(
                 QStringLiteral("cuda:0   NVIDIA H100 80GB HBM3 · 79.2 GiB · compute capability 9.0")),
        qPrintable(text.out));
    QVERIFY2(text.out.contains(
                 QStringLiteral("cuda:1   NVIDIA GeForce RTX 3060 · 12.0 GiB · compute capability 8.6")),
        qPrintable(text.out));
    QVERIFY2(text.out.contains(QStringLiteral("NVIDIA driver: CUDA 12.4")), qPrintable(text.out));
    QVERIFY2(text.out.startsWith(QStringLiteral("cpu ")), qPrintable(text.out));

    const Run broken = devices({ QStringLiteral("--json") },
        { { QStringLiteral("LD_LIBRARY_PATH"), kFakeDir },
            { QStringLiteral("FAKE_CUDA_INIT_ERROR"), QStringLiteral("999") } });
    QVERIFY2(broken.code == 0, qPrintable(broken.err));
    const QJsonObject o = QJsonDocument::fromJson(broken.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("gpus")).toArray().size(), 0);
    const QString reason = o.value(QStringLiteral("gpu_unavailable_reason")).toString();
    QVERIFY2(
        reason.contains(QStringLiteral("cuInit failed: CUDA_ERROR_UNKNOWN (999)")), qPrintable(broken.out));
    QCOMPARE(o.value(QStringLiteral("train_devices")).toArray().size(), 2); // auto, cpu
    const Run brokenText = devices({},
        { { QStringLiteral("LD_LIBRARY_PATH"), kFakeDir },
            { QStringLiteral("FAKE_CUDA_INIT_ERROR"), QStringLiteral("999") } });
    QVERIFY2(
        brokenText.out.contains(QStringLiteral("no GPU: the NVIDIA driver cannot be used: cuInit failed")),
        qPrintable(brokenText.out));
}

void TestDevices::cliWithoutADriver()
{
    // This machine's own driver, if any: only where there is none is the answer known here.
    const msup::engine::CudaDeviceList own = msup::engine::listCudaDevices();
    if (!own.devices.empty() || own.unavailableReason.find("cannot be loaded") == std::string::npos)
        QSKIP("this machine has a CUDA driver library");
    const Run r = devices({ QStringLiteral("--json") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("gpus")).toArray().size(), 0);
    QCOMPARE(o.value(QStringLiteral("cuda_driver")).toString(), QString());
    const QString reason = o.value(QStringLiteral("gpu_unavailable_reason")).toString();
    QVERIFY2(reason.startsWith(QStringLiteral("no NVIDIA driver: libcuda.so.1 cannot be loaded")),
        qPrintable(r.out));
    QVERIFY(!o.value(QStringLiteral("libtorch_cuda")).toBool()); // no driver, no CUDA device for LibTorch
    const Run text = devices({});
    QCOMPARE(text.code, 0);
    QVERIFY2(text.out.contains(QStringLiteral("no GPU: no NVIDIA driver")), qPrintable(text.out));
    QVERIFY2(text.out.contains(QStringLiteral("--device can be: auto, cpu")), qPrintable(text.out));
}

void TestDevices::cliHelpAndBadArguments()
{
    QProcess p;
    p.start(QStringLiteral(MASKSUP_CLI), { QStringLiteral("--help") });
    QVERIFY(p.waitForFinished(60000));
    const QString help = QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY2(help.contains(QStringLiteral("masksup devices [--json]")), qPrintable(help));
    const Run extra = devices({ QStringLiteral("cuda") });
    QCOMPARE(extra.code, 2);
    QVERIFY2(extra.err.contains(QStringLiteral("devices: takes no arguments")), qPrintable(extra.err));
    const Run unknown = devices({ QStringLiteral("--gpu") });
    QCOMPARE(unknown.code, 2);
    QProcess q;
    q.start(QStringLiteral(MASKSUP_CLI), { QStringLiteral("devcies") });
    QVERIFY(q.waitForFinished(60000));
    QCOMPARE(q.exitCode(), 2);
    QVERIFY(QString::fromUtf8(q.readAllStandardError()).contains(QStringLiteral("devices")));
}

QTEST_GUILESS_MAIN(TestDevices)
#include "tst_devices.moc"
