#include "core/train/weight_export.h"

#include "core/base/error.h"
#include "core/io/atomic_file.h"
#include "core/io/zip_archive.h"
#include "core/nn/unet.h"
#include "core/train/checkpoint_io.h"
#include "core/train/output_guard.h"
#include "core/train/pickle_writer.h"

#include <QFileInfo>
#include <QStringList>
#include <QSysInfo>

#include <torch/torch.h>

#include <functional>
#include <map>

namespace msup {

namespace {

    std::string storageTypeName(torch::ScalarType type)
    {
        static const std::map<torch::ScalarType, std::string> names = {
            { torch::kFloat, "FloatStorage" },
            { torch::kDouble, "DoubleStorage" },
            { torch::kHalf, "HalfStorage" },
            { torch::kBFloat16, "BFloat16Storage" },
            { torch::kLong, "LongStorage" },
            { torch::kInt, "IntStorage" },
            { torch::kShort, "ShortStorage" },
            { torch::kChar, "CharStorage" },
            { torch::kByte, "ByteStorage" },
            { torch::kBool, "BoolStorage" },
        };
        const auto it = names.find(type);
        if (it == names.end())
            throw Error(std::string("a tensor of type ") + c10::toString(type)
                + " has no PyTorch storage type this export writes");
        return it->second;
    }

    // The parameters and buffers in the order PyTorch's state_dict() lists them: each module's own
    // parameters, then its buffers, then its children's, depth first. (LibTorch registers an
    // undefined "bias" for convolutions without one; PyTorch has no such key.)
    void collect(const torch::nn::Module& module, const std::string& prefix,
        std::vector<std::pair<std::string, torch::Tensor>>& out)
    {
        for (const auto& p : module.named_parameters(/*recurse=*/false))
            if (p.value().defined())
                out.emplace_back(prefix + p.key(), p.value());
        for (const auto& b : module.named_buffers(/*recurse=*/false))
            if (b.value().defined())
                out.emplace_back(prefix + b.key(), b.value());
        for (const auto& c : module.named_children())
            collect(*c.value(), prefix + c.key() + ".", out);
    }

    // The reference LeViT_UNet_192 keeps the unsliced nn.Sequential "blocks" registered beside its
    // slices block_1..block_3 (LeViTUNet192.py leaves `del self.blocks` commented out), so its
    // state_dict names every transformer tensor twice: block_K.I.x and blocks.I.x (core/nn/levit_unet.h).
    std::string referenceAlias(const std::string& model, const std::string& key)
    {
        if (model != "levit192")
            return {};
        for (const char* stage : { "block_1.", "block_2.", "block_3." })
            if (key.rfind(stage, 0) == 0)
                return "blocks." + key.substr(std::char_traits<char>::length(stage));
        return {};
    }

    // How to build the reference network in Python, and what else to set there.
    QString pythonClassFor(const CheckpointInfo& info, QString* note)
    {
        const QString m = info.config.model;
        const int k = info.outputChannels;
        if (m.startsWith(QLatin1String("levit"))) {
            const QString variant = m.mid(5); // levit128s -> 128s
            if (info.config.imageSize != 224)
                *note = QStringLiteral("built for %1×%1 inputs: img_size=%1").arg(info.config.imageSize);
            return QStringLiteral("Build_LeViT_UNet_%1(num_classes=%2) of models/LeViTUNet%1.py")
                .arg(variant)
                .arg(k);
        }
        QStringList notes;
        if (info.config.width != 32)
            notes << QStringLiteral(
                "base width %1: filters %1·[1, 2, 4, 8, 16] instead of the reference's 32·[…]")
                         .arg(info.config.width);
        if (m == QLatin1String("unetpp"))
            notes << (info.config.reluLogits
                    ? QStringLiteral("the forward's ReLU on the logits is part of this model")
                    : QStringLiteral(
                        "trained without the forward's ReLU on the logits: take final(…) before it"));
        *note = notes.join(QStringLiteral("; "));
        return m == QLatin1String("unet")
            ? QStringLiteral("UNet(num_classes=%1, input_channels=3)").arg(k)
            : QStringLiteral("NestedUNet(num_classes=%1, input_channels=3, deep_supervision=False)").arg(k);
    }

} // namespace

WeightExportReport exportPyTorchWeights(const WeightExportOptions& options)
{
    if (options.checkpointPath.isEmpty())
        throw Error("no checkpoint given");
    if (options.outputPath.isEmpty())
        throw Error("no output file given", "", "Name the .pth file to write, e.g. --out model.pth.");
    const std::string ckpt = options.checkpointPath.toStdString();
    if (QFileInfo(options.checkpointPath).isDir())
        throw Error("is a folder, not a checkpoint", ckpt,
            "Choose a .pt file written by 'masksup train' (RUN_DIR/checkpoints/best.pt).");
    if (QFileInfo(options.outputPath).isDir())
        throw Error("is a folder", options.outputPath.toStdString(),
            "Name the .pth file to write, e.g. " + QFileInfo(options.outputPath).filePath().toStdString()
                + "/model.pth.");

    CheckpointInfo info;
    const auto model = loadCheckpoint(options.checkpointPath, &info, torch::kCPU);
    WeightExportReport report;
    report.model = info.config.model;
    report.outputChannels = info.outputChannels;
    report.width = info.config.width;
    report.imageSize = info.config.imageSize;
    report.reluLogits = info.config.model == QLatin1String("unetpp") && info.config.reluLogits;
    report.pythonClass = pythonClassFor(info, &report.pythonNote);

    std::vector<std::pair<std::string, torch::Tensor>> named;
    collect(*model, "", named);
    const std::string modelName = info.config.model.toStdString();
    std::vector<pickle::StateDictTensor> entries;
    std::vector<torch::Tensor> storages;
    std::vector<pickle::StateDictTensor> aliases;
    for (const auto& [key, value] : named) {
        const torch::Tensor t = value.detach().to(torch::kCPU).contiguous();
        pickle::StateDictTensor e;
        e.name = key;
        e.storageKey = std::to_string(storages.size());
        e.storageType = storageTypeName(t.scalar_type());
        e.storageNumel = t.numel();
        e.sizes = t.sizes().vec();
        e.strides = t.strides().vec();
        storages.push_back(t);
        report.values += t.numel();
        const std::string alias = referenceAlias(modelName, key);
        if (!alias.empty()) {
            pickle::StateDictTensor a = e;
            a.name = alias;
            aliases.push_back(a);
        }
        entries.push_back(std::move(e));
    }
    report.aliases = int(aliases.size());
    entries.insert(entries.end(), aliases.begin(), aliases.end());
    report.tensors = int(entries.size());

    ZipWriter zip;
    zip.add("archive/data.pkl", pickle::pickleStateDict(entries));
    zip.add("archive/byteorder", QSysInfo::ByteOrder == QSysInfo::LittleEndian ? "little" : "big");
    for (size_t i = 0; i < storages.size(); ++i)
        zip.add("archive/data/" + std::to_string(i), static_cast<const char*>(storages[i].data_ptr()),
            std::uint64_t(storages[i].nbytes()));
    zip.add("archive/version", "3\n");
    const QByteArray bytes = zip.finish();

    // Checked last, so that a checkpoint that cannot be read leaves no trace in the output folder.
    const QFileInfo out(options.outputPath);
    OutputFolder guard(out.absolutePath(), QStringLiteral("export-weights"), QStringLiteral("weights"));
    report.replaced = guard.claim({ out.absoluteFilePath() }, { options.checkpointPath }) > 0;
    guard.commit();
    writeFileAtomic(out.absoluteFilePath(), bytes);
    report.bytes = bytes.size();
    report.outputPath = out.absoluteFilePath();
    return report;
}

} // namespace msup
