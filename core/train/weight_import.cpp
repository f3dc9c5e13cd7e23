#include "core/train/weight_import.h"

#include "core/base/error.h"
#include "core/data/palette.h"
#include "core/io/zip_archive.h"
#include "core/nn/levit_unet.h"
#include "core/nn/unet.h"
#include "core/train/checkpoint_io.h"
#include "core/train/pickle_reader.h"
#include "core/train/torch_archive.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

// torch::pickle_load cannot be used here: LibTorch 1.13's unpickler replaces every
// collections.OrderedDict by None (it only expects one as a tensor's empty backward hooks), and a
// state_dict is an OrderedDict. So the zip archive is read with the bounded zip reader
// (core/io/zip_archive.h: every record stored, inside the file, its CRC-32 checked) and data.pkl
// with the bounded unpickler (core/train/pickle_reader.h), which knows the opcodes and globals
// torch.save emits and executes nothing. LibTorch's own zip reader never sees the file.

namespace msup {

namespace {

    using pickle::Kind;
    using pickle::Object;
    using pickle::PickleError;

    torch::ScalarType storageScalarType(const std::string& name)
    {
        static const std::map<std::string, torch::ScalarType> types = {
            { "FloatStorage", torch::kFloat },
            { "DoubleStorage", torch::kDouble },
            { "HalfStorage", torch::kHalf },
            { "BFloat16Storage", torch::kBFloat16 },
            { "LongStorage", torch::kLong },
            { "IntStorage", torch::kInt },
            { "ShortStorage", torch::kShort },
            { "CharStorage", torch::kChar },
            { "ByteStorage", torch::kByte },
            { "BoolStorage", torch::kBool },
            { "UntypedStorage", torch::kByte },
        };
        auto it = types.find(name);
        if (it == types.end())
            throw PickleError("unsupported storage type " + name);
        return it->second;
    }

    std::string shapeText(torch::IntArrayRef sizes)
    {
        std::string s = "[";
        for (size_t i = 0; i < sizes.size(); ++i)
            s += (i ? ", " : "") + std::to_string(sizes[i]);
        return s + "]";
    }

    const char* kSaveHint = "Save the weights in Python with torch.save(model.state_dict(), path).";

    // data.pkl of a torch.save zip archive and the tensors it refers to (tensors[i] belongs to
    // an Object of kind Tensor whose integer is i).
    struct TorchZip {
        pickle::Pickle pickle;
        std::vector<torch::Tensor> tensors;
    };

    // Reads data.pkl of a torch.save zip archive, loading the tensors it refers to.
    TorchZip readTorchZip(const QString& path)
    {
        const std::string file = path.toStdString();
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            throw Error(
                "cannot be opened: " + f.errorString().toStdString(), file, "Check the file's permissions.");
        const QByteArray head = f.read(512);
        f.close();
        if (head.isEmpty())
            throw Error("is empty, not a PyTorch weights file", file, kSaveHint);
        if (!head.startsWith(QByteArray("PK\x03\x04", 4))) {
            // The legacy format is a pickle stream starting with the pickled magic number
            // 0x1950a86a20f9469cfc6c (protocol 2: 0x80 0x02 LONG1 …); older still were tar files.
            const bool legacy
                = head.startsWith(QByteArray("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 14))
                || (head.size() >= 262 && head.mid(257, 5) == "ustar");
            if (legacy)
                throw Error(
                    "is in the legacy torch.save format (before PyTorch 1.6, not a zip archive), which "
                    "LibTorch cannot read",
                    file,
                    "Re-save it in Python with torch.save(torch.load(path, map_location='cpu'), new_path, "
                    "_use_new_zipfile_serialization=True).");
            if (std::uint8_t(head[0]) == 0x80)
                throw Error("is a plain Python pickle, not a torch.save zip archive", file,
                    std::string(kSaveHint) + " (not pickle.dump)");
            throw Error("is not a PyTorch weights file (torch.save writes a zip archive holding data.pkl)",
                file, kSaveHint);
        }
        const std::string damaged = "The file may be truncated or damaged. " + std::string(kSaveHint);
        try {
            // Code records (a TorchScript module, a LibTorch archive) may be deflated: they are
            // refused below with a clearer message; tensors and pickles must be stored.
            const TorchArchiveIndex index = indexTorchArchive(path, damaged, /*libtorchArchive=*/true);
            const ZipArchive& zip = *index.zip;
            bool script = index.constants != nullptr;
            for (const ZipEntry& e : zip.entries())
                script = script || e.name.compare(index.prefix.size(), 5, "code/") == 0;
            if (script)
                throw Error("is a TorchScript module or a LibTorch archive (such as a MaskSup Studio "
                            "checkpoint), not a state_dict saved by torch.save",
                    file,
                    "A MaskSup Studio checkpoint needs no import; for a TorchScript model, save "
                    "model.state_dict() in Python instead.");
            if (const ZipEntry* order = zip.find(index.prefix + "byteorder")) {
                if (std::string(zip.data(*order), size_t(order->size)) == "big")
                    throw Error("was saved on a big-endian machine, which is not supported", file,
                        "Re-save the state_dict on a little-endian machine (x86, ARM).");
            }
            TorchZip out;
            out.pickle = pickle::unpickle(zip.data(*index.data), size_t(index.data->size));
            checkStorageRecords(zip, index.prefix, out.pickle);
            std::vector<torch::Tensor> storages;
            for (const pickle::StorageRef& s : out.pickle.storages) {
                const ZipEntry* record = zip.find(index.prefix + "data/" + s.key);
                torch::Tensor t
                    = torch::empty({ s.numel }, torch::TensorOptions().dtype(storageScalarType(s.type)));
                if (s.bytes)
                    std::memcpy(t.data_ptr(), zip.data(*record), size_t(s.bytes));
                storages.push_back(t);
            }
            for (const pickle::TensorRef& t : out.pickle.tensors) {
                const torch::Tensor& storage = storages[t.storage];
                out.tensors.push_back(t.numel == 0
                        ? torch::empty(t.sizes, storage.options())
                        : storage.as_strided(t.sizes, t.strides, t.offset).clone());
            }
            return out;
        } catch (const PickleError& e) {
            throw Error(std::string("could not be read as a torch.save file: ") + e.what(), file, damaged);
        } catch (const c10::Error& e) {
            throw Error(std::string("could not be read as a torch.save file: ") + e.what_without_backtrace(),
                file, damaged);
        } catch (const std::bad_alloc&) {
            throw Error(
                "could not be read as a torch.save file: its tensors do not fit in memory", file, damaged);
        }
    }

    struct StateDict {
        std::vector<std::pair<std::string, torch::Tensor>> tensors;
        std::string container;
        int strippedPrefixes = 0;
        QStringList warnings;
    };

    StateDict extractStateDict(const TorchZip& zip, const std::string& file)
    {
        using pickle::describe;
        using pickle::dictValue;
        const Object* root = zip.pickle.root;
        StateDict sd;
        const Object* dict = root;
        if (root->kind == Kind::Dict) {
            for (const char* key : { "state_dict", "model", "model_state_dict", "net" }) {
                const Object* v = dictValue(root, key);
                if (v && (v->kind == Kind::Dict || v->kind == Kind::Object)) {
                    dict = v;
                    sd.container = key;
                    break;
                }
            }
        }
        if (dict->kind == Kind::Object)
            throw Error("holds a whole pickled model (" + describe(dict) + ")"
                    + (sd.container.empty() ? std::string() : " under \"" + sd.container + "\"")
                    + ", not a state_dict",
                file, "In Python, save the weights only: torch.save(model.state_dict(), path).");
        if (dict->kind != Kind::Dict)
            throw Error(
                "holds " + describe(dict) + ", not a state_dict (a dict of parameter names to tensors)", file,
                kSaveHint);
        std::vector<std::string> otherKeys;
        for (const auto& kv : dict->entries) {
            if (kv.first->kind != Kind::Str) {
                sd.warnings << QStringLiteral("skipped an entry whose key is %1, not a string")
                                   .arg(QString::fromStdString(describe(kv.first)));
                continue;
            }
            std::string key = kv.first->text;
            if (kv.second->kind != Kind::Tensor) {
                otherKeys.push_back(key);
                continue;
            }
            if (key.rfind("module.", 0) == 0) {
                key.erase(0, 7);
                ++sd.strippedPrefixes;
            }
            sd.tensors.emplace_back(key, zip.tensors[size_t(kv.second->integer)]);
        }
        if (sd.tensors.empty()) {
            std::string keys;
            for (size_t i = 0; i < otherKeys.size() && i < 8; ++i)
                keys += (i ? ", " : "") + otherKeys[i];
            if (otherKeys.size() > 8)
                keys += ", …";
            throw Error("holds no tensors, so it is not a state_dict"
                    + (keys.empty() ? std::string(" (an empty dict)") : " (a dict with keys " + keys + ")"),
                file,
                std::string(kSaveHint)
                    + " A dict wrapping it is read when the state_dict is under \"state_dict\" or "
                      "\"model\".");
        }
        for (const std::string& k : otherKeys)
            sd.warnings << QStringLiteral("skipped '%1': not a tensor").arg(QString::fromStdString(k));
        return sd;
    }

    void checkOptions(const WeightImportOptions& o)
    {
        if (!importableModels().contains(o.model))
            throw Error("cannot import weights for model '" + o.model.toStdString()
                + "': the reference code's networks are unet (UNet), unetpp (NestedUNet) and levit128s, "
                  "levit192, levit384 (LeViT_UNet_128s, _192, _384)");
        if (o.classes < 1 || o.classes > 1000)
            throw Error("classes (output channels) must be between 1 and 1000 (got "
                + std::to_string(o.classes) + ")");
        if (o.width < 1 || o.width > 256)
            throw Error("width must be between 1 and 256 (got " + std::to_string(o.width) + ")");
        if (o.imageSize < 16 || o.imageSize > 4096 || o.imageSize % 16 != 0)
            throw Error("image size must be a multiple of 16 between 16 and 4096 (got "
                + std::to_string(o.imageSize) + ")");
        if (o.inputPath.isEmpty())
            throw Error("no PyTorch weights file given");
        if (o.outputPath.isEmpty())
            throw Error("no output checkpoint path given");
        if (!QFileInfo::exists(o.inputPath))
            throw Error("PyTorch weights file not found", o.inputPath.toStdString(),
                "Give the .pth file written by torch.save(model.state_dict(), path).");
        if (QFileInfo(o.inputPath).isDir())
            throw Error("is a folder, not a PyTorch weights file", o.inputPath.toStdString(),
                "Give the .pth file written by torch.save(model.state_dict(), path).");
        if (QFileInfo(o.inputPath).canonicalFilePath() == QFileInfo(o.outputPath).canonicalFilePath())
            throw Error("is both the input and the output of the import", o.outputPath.toStdString(),
                "Write the checkpoint to another file.");
    }

    bool isLeViT(const QString& model)
    {
        return model.startsWith(QLatin1String("levit"));
    }

    // The LeViT-UNet whose stem ends in `channels` channels (cnn_b4), or "".
    std::string levitForStem(std::int64_t channels)
    {
        for (const char* name : { "levit128s", "levit192", "levit384" })
            if (nn::LeViTConfig::fromName(name).embedDim[0] == channels)
                return name;
        return {};
    }

    // What the file's keys say about the network it came from, as advice for an error.
    std::string diagnose(const WeightImportOptions& o, const std::map<std::string, torch::Tensor>& file)
    {
        std::vector<std::string> advice;
        const bool nested = file.count("conv0_1.conv1.weight") > 0;
        const bool plain = !nested && file.count("conv0_4.conv1.weight") > 0;
        if ((o.model == QLatin1String("unet") || isLeViT(o.model)) && nested)
            advice.push_back("The file holds U-Net++ nodes (conv0_1, …): import it as model unetpp.");
        if ((o.model == QLatin1String("unetpp") || isLeViT(o.model)) && plain)
            advice.push_back("The file has no U-Net++ nodes (conv0_1, …): import it as model unet.");
        auto stem = file.find("cnn_b4.0.c.weight");
        if (stem != file.end() && stem->second.dim() == 4) {
            const std::string levit = levitForStem(stem->second.size(0));
            if (!levit.empty() && levit != o.model.toStdString())
                advice.push_back("The file holds a LeViT-UNet with " + std::to_string(stem->second.size(0))
                    + " stem channels (cnn_b4): import it as model " + levit + ".");
        }
        auto biases = file.find("block_1.0.m.attention_biases");
        if (isLeViT(o.model) && biases != file.end() && biases->second.dim() == 2) {
            // Offsets of an r×r grid: r² of them, r = S/16.
            const auto r = std::int64_t(std::lround(std::sqrt(double(biases->second.size(1)))));
            if (r * r == biases->second.size(1) && 16 * r != o.imageSize)
                advice.push_back("Its attention biases are for " + std::to_string(16 * r) + "×"
                    + std::to_string(16 * r) + " inputs: import it with --image-size "
                    + std::to_string(16 * r) + ".");
        }
        if (file.count("final4.weight") && !file.count("final.weight"))
            advice.push_back("The file is a NestedUNet with deep supervision (heads final1…final4), which is "
                             "not supported: train it with deep_supervision=False.");
        auto first = file.find("conv0_0.conv1.weight");
        if (!isLeViT(o.model) && first != file.end() && first->second.dim() == 4
            && first->second.size(0) != o.width)
            advice.push_back("Its first convolution has " + std::to_string(first->second.size(0))
                + " channels: import it with width " + std::to_string(first->second.size(0)) + " (--width).");
        auto head = file.find(isLeViT(o.model) ? "segmentation_head.0.weight" : "final.weight");
        if (head != file.end() && head->second.dim() == 4 && head->second.size(0) != o.classes)
            advice.push_back("Its head has " + std::to_string(head->second.size(0)) + " output channel"
                + (head->second.size(0) == 1 ? "" : "s") + ": import it with "
                + std::to_string(head->second.size(0)) + " class" + (head->second.size(0) == 1 ? "" : "es")
                + " (--classes).");
        advice.push_back("With --allow-partial the checkpoint is written anyway, the tensors that do not fit "
                         "keeping their initial values.");
        std::string s;
        for (const std::string& a : advice)
            s += (s.empty() ? "" : " ") + a;
        return s;
    }

    std::string listed(const QStringList& keys, int max = 6)
    {
        std::string s;
        for (int i = 0; i < keys.size() && i < max; ++i)
            s += (i ? ", " : "") + keys[i].toStdString();
        if (keys.size() > max)
            s += ", … (" + std::to_string(keys.size() - max) + " more)";
        return s;
    }

    // Keeps the global CPU generator's state: the model's initial values come from seed 0 (so a
    // partial import is reproducible) without disturbing the caller's random stream.
    class GeneratorStateGuard {
    public:
        GeneratorStateGuard()
        {
            auto gen = at::detail::getDefaultCPUGenerator();
            std::lock_guard<std::mutex> lock(gen.mutex());
            m_state = gen.get_state();
        }
        ~GeneratorStateGuard()
        {
            auto gen = at::detail::getDefaultCPUGenerator();
            std::lock_guard<std::mutex> lock(gen.mutex());
            gen.set_state(m_state);
        }

    private:
        at::Tensor m_state;
    };

} // namespace

QStringList importableModels()
{
    return { QStringLiteral("unet"), QStringLiteral("unetpp"), QStringLiteral("levit128s"),
        QStringLiteral("levit192"), QStringLiteral("levit384") };
}

WeightImportReport importPyTorchWeights(const WeightImportOptions& options)
{
    checkOptions(options);
    const std::string file = options.inputPath.toStdString();
    const StateDict sd = extractStateDict(readTorchZip(options.inputPath), file);

    WeightImportReport report;
    report.model = options.model;
    report.outputChannels = options.classes;
    report.width = options.width;
    report.reluLogits = options.model == QLatin1String("unetpp") && options.reluLogits;
    report.container = QString::fromStdString(sd.container);
    report.strippedPrefixes = sd.strippedPrefixes;
    report.fileTensors = int(sd.tensors.size());
    report.warnings = sd.warnings;
    report.outputPath = options.outputPath;

    nn::ModelSpec spec;
    spec.name = options.model.toStdString();
    spec.outChannels = options.classes;
    spec.width = options.width;
    spec.reluLogits = report.reluLogits;
    spec.imageSize = options.imageSize;
    std::shared_ptr<nn::SegmentationModelImpl> model;
    {
        GeneratorStateGuard keep;
        torch::manual_seed(0);
        model = nn::createModel(spec);
    }
    report.parameters = nn::parameterCount(*model);

    std::map<std::string, torch::Tensor> fileTensors;
    for (const auto& kv : sd.tensors) {
        if (fileTensors.count(kv.first))
            report.warnings << QStringLiteral(
                "'%1' appears twice (with and without \"module.\"); the last one "
                "is used")
                                   .arg(QString::fromStdString(kv.first));
        fileTensors[kv.first] = kv.second;
    }

    std::vector<std::pair<std::string, torch::Tensor>> targets;
    for (const auto& p : model->named_parameters())
        targets.emplace_back(p.key(), p.value());
    for (const auto& b : model->named_buffers())
        targets.emplace_back(b.key(), b.value());
    report.modelTensors = int(targets.size());
    std::set<std::string> known;
    for (const auto& t : targets)
        known.insert(t.first);

    // The reference LeViT_UNet_192 registers its transformer twice: the nn.Sequential "blocks" and
    // its slices block_1..3, so its state_dict holds blocks.I.x beside block_K.I.x (one tensor, two
    // names; core/nn/levit_unet.h). A blocks.I.x stands for the block_K.I.x the model has.
    std::set<std::string> aliases;
    if (isLeViT(options.model)) {
        for (const auto& kv : sd.tensors) {
            if (kv.first.rfind("blocks.", 0) != 0)
                continue;
            const std::string rest = kv.first.substr(7);
            std::string target;
            for (const char* stage : { "block_1.", "block_2.", "block_3." })
                if (known.count(stage + rest))
                    target = stage + rest;
            if (target.empty())
                continue;
            aliases.insert(kv.first);
            ++report.aliasKeys;
            auto it = fileTensors.find(target);
            if (it == fileTensors.end()) {
                fileTensors[target] = kv.second;
            } else if (!(it->second.sizes() == kv.second.sizes()
                           && it->second.scalar_type() == kv.second.scalar_type()
                           && torch::equal(it->second, kv.second))) {
                report.warnings << QStringLiteral("'%1' differs from '%2'; '%2' is used")
                                       .arg(QString::fromStdString(kv.first), QString::fromStdString(target));
            }
            fileTensors.erase(kv.first);
        }
    }

    torch::NoGradGuard noGrad;
    std::string firstMismatch;
    int missingCounters = 0;
    QStringList converted;
    for (auto& [key, target] : targets) {
        auto it = fileTensors.find(key);
        if (it == fileTensors.end()) {
            // Files from PyTorch < 0.4.1 lack the BatchNorm counters, which only training uses.
            const std::string counter = "num_batches_tracked";
            if (key.size() > counter.size()
                && key.compare(key.size() - counter.size(), counter.size(), counter) == 0)
                ++missingCounters;
            else
                report.missingKeys << QString::fromStdString(key);
            continue;
        }
        const torch::Tensor& source = it->second;
        if (source.sizes() != target.sizes()) {
            const std::string text = "'" + key + "': the model expects " + shapeText(target.sizes())
                + ", the file has " + shapeText(source.sizes());
            if (firstMismatch.empty())
                firstMismatch = text;
            report.shapeMismatches << QStringLiteral("%1: model %2, file %3")
                                          .arg(QString::fromStdString(key),
                                              QString::fromStdString(shapeText(target.sizes())),
                                              QString::fromStdString(shapeText(source.sizes())));
            continue;
        }
        if (source.scalar_type() != target.scalar_type() && source.is_floating_point())
            converted << QString::fromStdString(key);
        target.copy_(source.to(target.scalar_type()));
        ++report.loadedTensors;
        report.loadedValues += target.numel();
    }
    for (const auto& kv : sd.tensors)
        if (!known.count(kv.first) && !aliases.count(kv.first)
            && !report.unexpectedKeys.contains(QString::fromStdString(kv.first)))
            report.unexpectedKeys << QString::fromStdString(kv.first);
    if (missingCounters)
        report.warnings << QStringLiteral(
            "%1 BatchNorm num_batches_tracked counters are not in the file (saved by "
            "PyTorch < 0.4.1?); they only matter for training and start at 0")
                               .arg(missingCounters);
    if (!converted.isEmpty())
        report.warnings << QStringLiteral("%1 tensors were converted to float32 (e.g. '%2')")
                               .arg(converted.size())
                               .arg(converted.first());

    const std::string what = options.model.toStdString() + ", " + std::to_string(options.classes)
        + " output channel" + (options.classes == 1 ? "" : "s")
        + (isLeViT(options.model) ? ", image size " + std::to_string(options.imageSize)
                                  : ", width " + std::to_string(options.width));
    if (!report.shapeMismatches.isEmpty() && !options.allowPartial)
        throw Error("shape mismatch for " + firstMismatch + " (model " + what + ")"
                + (report.shapeMismatches.size() == 2 ? std::string("; 1 more tensor differs")
                        : report.shapeMismatches.size() > 2
                        ? "; " + std::to_string(report.shapeMismatches.size() - 1) + " more tensors differ"
                        : std::string()),
            file, diagnose(options, fileTensors));
    if (!report.missingKeys.isEmpty() && !options.allowPartial)
        throw Error(std::to_string(report.missingKeys.size()) + " of the model's "
                + std::to_string(targets.size()) + " tensors are missing from the file (model " + what
                + "): " + listed(report.missingKeys)
                + (report.unexpectedKeys.isEmpty()
                        ? std::string()
                        : "; the file has " + std::to_string(report.unexpectedKeys.size())
                            + " keys the model does not know: " + listed(report.unexpectedKeys)),
            file, diagnose(options, fileTensors));
    if (report.loadedTensors == 0)
        throw Error(
            "no tensor of the file fits the model (" + what + ")", file, diagnose(options, fileTensors));

    CheckpointInfo info;
    info.config.model = options.model;
    info.config.width = options.width;
    info.config.imageSize = options.imageSize;
    info.config.reluLogits = report.reluLogits;
    info.outputChannels = options.classes;
    if (options.classes == 1) {
        info.classNames = QStringList { QStringLiteral("background"), QStringLiteral("foreground") };
    } else {
        for (int k = 0; k < options.classes; ++k)
            info.classNames << QStringLiteral("class %1").arg(k);
    }
    info.classColors = defaultPalette(int(info.classNames.size()));
    info.epoch = 0;
    const QFileInfo out(options.outputPath);
    if (!out.absoluteDir().exists() && !QDir().mkpath(out.absolutePath()))
        throw Error("the checkpoint's folder cannot be created", options.outputPath.toStdString(),
            "Check that the parent folder is writable.");
    model->eval();
    saveCheckpoint(options.outputPath, *model, nullptr, info);
    return report;
}

} // namespace msup
