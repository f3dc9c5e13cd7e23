// masksup devices: the CPU and the NVIDIA GPUs training can use.
#include "command.h"
#include "common.h"

#include "core/engine/cuda_devices.h"
#include "core/train/training_session.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

namespace msup::cli {

namespace {

    int run(CommandLine& c)
    {
        c.option(QStringLiteral("json"), QStringLiteral("Print one JSON object instead of text."));
        if (!c.parse())
            return kExitOk;
        if (!c.positionals().isEmpty())
            throw UsageError { QStringLiteral("devices: takes no arguments (masksup devices [--json])") };

        const engine::CudaDeviceList gpus = engine::listCudaDevices();
        const bool torchCuda = TrainingSession::cudaAvailable();
        const int threads = QThread::idealThreadCount();
        const QString driver = QString::fromStdString(engine::cudaDriverVersionText(gpus.driverVersion));
        QString note;
        if (!torchCuda && !gpus.devices.empty())
            note = QStringLiteral(
                "this build of LibTorch has no CUDA: it trains on the CPU only, the GPU(s) above are "
                "unused. Build against a CUDA LibTorch (README, section 'NVIDIA GPU').");
        else if (torchCuda && gpus.devices.empty())
            note = QStringLiteral("LibTorch has CUDA but the driver lists no GPU: ")
                + QString::fromStdString(gpus.unavailableReason);
        // The --device values a run can take on this build.
        QStringList usable { QStringLiteral("auto"), QStringLiteral("cpu") };
        if (torchCuda)
            for (const engine::CudaDevice& d : gpus.devices)
                usable << QStringLiteral("cuda:%1").arg(d.index);

        if (c.isSet(QStringLiteral("json"))) {
            QJsonArray list;
            for (const engine::CudaDevice& d : gpus.devices)
                list.append(
                    QJsonObject { { QStringLiteral("device"), QStringLiteral("cuda:%1").arg(d.index) },
                        { QStringLiteral("index"), d.index },
                        { QStringLiteral("name"), QString::fromStdString(d.name) },
                        { QStringLiteral("memory_bytes"), double(d.totalBytes) },
                        { QStringLiteral("memory_gib"),
                            QString::fromStdString(engine::gibText(d.totalBytes)).toDouble() },
                        { QStringLiteral("compute_capability"),
                            QStringLiteral("%1.%2").arg(d.major).arg(d.minor) } });
            QJsonObject json { { QStringLiteral("cpu"),
                                   QJsonObject { { QStringLiteral("threads"), threads } } },
                { QStringLiteral("gpus"), list }, { QStringLiteral("libtorch_cuda"), torchCuda },
                { QStringLiteral("cuda_driver"), driver },
                { QStringLiteral("train_devices"), QJsonArray::fromStringList(usable) } };
            if (gpus.devices.empty())
                json.insert(
                    QStringLiteral("gpu_unavailable_reason"), QString::fromStdString(gpus.unavailableReason));
            if (!note.isEmpty())
                json.insert(QStringLiteral("note"), note);
            out() << QJsonDocument(json).toJson(QJsonDocument::Indented);
            return kExitOk;
        }
        out() << QStringLiteral("cpu      %1 thread(s)\n").arg(threads);
        for (const engine::CudaDevice& d : gpus.devices)
            out() << QStringLiteral("cuda:%1   %2 · %3 GiB · compute capability %4.%5\n")
                         .arg(d.index)
                         .arg(QString::fromStdString(d.name),
                             QString::fromStdString(engine::gibText(d.totalBytes)))
                         .arg(d.major)
                         .arg(d.minor);
        if (gpus.devices.empty())
            out() << QStringLiteral("no GPU: %1\n").arg(QString::fromStdString(gpus.unavailableReason));
        else
            out() << QStringLiteral("NVIDIA driver: CUDA %1\n")
                         .arg(driver.isEmpty() ? QStringLiteral("?") : driver);
        out() << QStringLiteral("LibTorch: %1\n")
                     .arg(torchCuda ? QStringLiteral("with CUDA")
                                    : QStringLiteral("CPU only (no CUDA in this build)"));
        if (!note.isEmpty())
            out() << QStringLiteral("note: %1\n").arg(note);
        out() << QStringLiteral("--device can be: %1\n").arg(usable.join(QStringLiteral(", ")));
        return kExitOk;
    }

} // namespace

extern const Command devicesCommand { "devices",
    "The devices training can use: the CPU (threads) and each NVIDIA GPU the driver\n"
    "lists (name, memory, compute capability), and whether this build's LibTorch has CUDA.",
    "masksup devices [--json]",
    "List the devices training can use: the CPU (its threads) and each NVIDIA GPU "
    "the CUDA driver (libcuda.so.1) reports, with its name, memory and compute "
    "capability, and whether this build's LibTorch has CUDA. The GPUs are read from "
    "the driver itself, so they are listed even when this build cannot train on "
    "them (a CPU-only LibTorch): see the README's 'NVIDIA GPU' section for a CUDA "
    "build. Exit 0 in every case.",
    &run };

} // namespace msup::cli
