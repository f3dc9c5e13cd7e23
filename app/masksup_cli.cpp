// masksup: the command-line twin of MaskSup Studio. Every command uses the same engine as the GUI.
#include "cli_progress.h"

#include "core/annot/mask_store.h"
#include "core/base/error.h"
#include "core/base/rng.h"
#include "core/base/terminal_text.h"
#include "core/data/dataset.h"
#include "core/data/formats/format_registry.h"
#include "core/data/image_io.h"
#include "core/data/split.h"
#include "core/data/synth.h"
#include "core/data/validation.h"
#include "core/engine/cuda_devices.h"
#include "core/io/atomic_file.h"
#include "core/io/npy.h"
#include "core/io/overlay.h"
#include "core/masks/hole_generator.h"
#include "core/train/batch_export.h"
#include "core/train/evaluator.h"
#include "core/train/model_store.h"
#include "core/train/output_guard.h"
#include "core/train/predictor.h"
#include "core/train/robustness.h"
#include "core/train/run_folder.h"
#include "core/train/run_report.h"
#include "core/train/training_session.h"
#include "core/train/weight_import.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTextStream>
#include <QThread>

#include <opencv2/imgcodecs.hpp>

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <memory>

using namespace msup;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitError = 1; // the command ran and failed (bad data, unwritable folder, ...)
constexpr int kExitUsage = 2; // the command line is wrong
constexpr int kExitInterrupted = 130;

const char* kUsage = R"(Usage: masksup <command> [options]

MaskSup Studio command line: masked supervised learning for semantic segmentation.

Commands:
  synth      Write a procedural sample dataset (glands: binary; scenes: 6 classes).
             masksup synth --kind glands|scenes --count N --size S --seed S --out DIR
  masks      Write random streak-and-hole masks (PNG, 255 = hole).
             masksup masks --count N --size S --ratio high|low|A-B --seed S --out DIR
  inspect    Detect a dataset's format and report classes, counts and problems.
             masksup inspect DIR [--json]
  train      Train a segmentation network with the MaskSup loss.
             masksup train --dataset DIR --out RUN_DIR [--preset NAME] [--config FILE]
                           [--model unet|unetpp|levit128s|levit192|levit384] [--width W]
                           [--mode baseline|context|masksup] [--branches separate|concat]
                           [--epochs E] [--batch-size B] [--image-size S] [--optimizer adam|sgd]
                           [--lr LR] [--lr-step N,G] [--device auto|cpu|cuda|cuda:N]
                           [--amp auto|bf16|fp16|off] [--channels-last] [--seed S]
                           [--checkpoint-minutes M] [--corrections DIR]
             masksup train --resume RUN_DIR [--epochs TOTAL] [--device D] [--amp A]
             --amp: auto = bf16 on GPUs that support it (no gradient scaler), fp16 + gradient
             scaler on other CUDA GPUs, off (float32) on the CPU; bf16 and fp16 are CUDA only.
             "on" (older configs) = mixed precision as auto picks it, CUDA only.
  presets    List the training presets, or print one as an editable JSON config.
             masksup presets [NAME]
  devices    The devices training can use: the CPU (threads) and each NVIDIA GPU the driver
             lists (name, memory, compute capability), and whether this build's LibTorch has CUDA.
             masksup devices [--json]
  import-weights
             Convert PyTorch weights (torch.save(model.state_dict()) of the reference UNet or
             NestedUNet) into a checkpoint that evaluate, predict and robustness take.
             masksup import-weights --model unet|unetpp --classes N [--width W] [--image-size S]
                                    [--no-relu-logits] [--allow-partial] --from MODEL.pth --out CKPT.pt
  corrections
             List the images whose masks were edited by hand (corrections folder, unsaved
             strokes, or masks saved into the dataset with a .orig backup).
             masksup corrections list DATASET [--corrections DIR] [--format F] [--json]
  evaluate   Evaluate a checkpoint: mIoU, per-class IoU, Dice, pixel accuracy.
             masksup evaluate --checkpoint CKPT --dataset DIR [--split val|train|all] [--json]
  predict    Write coloured overlays and label masks for an image, a folder or a dataset's images.
             masksup predict --checkpoint CKPT --input FILE|DIR --out DIR [--opacity 0.5]
             (never into a dataset; replaces only files masksup wrote: DIR/.masksup-outputs.json)
  info       A model's parameter count and layers.
             masksup info --model unet|unetpp|levit128s|levit192|levit384 --classes C [--width W] [--json]
  robustness mIoU of a checkpoint on images masked at increasing hole ratios.
             masksup robustness --checkpoint CKPT --dataset DIR [--split val]
                                [--ratios 0,0.1,0.2,0.3,0.4,0.5,0.6] [--seed S] [--json] [--csv FILE]
  report     Write a run's report: charts, final and best metrics, per-class IoU, confusion
             matrix and example overlays (one self-contained HTML file, or an A4 PDF).
             masksup report RUN_DIR --out report.html|report.pdf [--examples N] [--dataset DIR]

Pairs that 'masksup inspect' reports as errors (unreadable, truncated or damaged files, masks of
the wrong size) are skipped by train, evaluate, robustness and report, each named on stderr
(train also lists them in RUN_DIR/%1 under "skipped"); with no usable pair left the
command fails (exit 1). Outputs (predict, report, robustness --csv) never replace a dataset's
files or files masksup did not write.

Run 'masksup <command> --help' for the options of one command.
Exit codes: 0 success, 1 error (the message says which file and what to do), 2 bad command line,
130 interrupted (training saves a checkpoint first).
Names and text read from files are printed with control characters escaped as \u00XX.
Checkpoints and .pth files are verified before use (every record's CRC-32 and size, the sizes
data.pkl declares; pickled code is never run): a damaged one is refused with exit 1 naming it.
)";

// stdout through msup::terminalSafe: whatever a command prints (file names, class names, CSV and
// JSON fields, messages quoting them) reaches the terminal without its control characters, so a
// name holding an escape sequence cannot drive the terminal. Newlines and tabs pass.
class TerminalSafeStdout : public QIODevice {
public:
    TerminalSafeStdout() { open(QIODevice::WriteOnly | QIODevice::Unbuffered); }
    ~TerminalSafeStdout() override
    {
        if (!m_pending.empty()) // an incomplete UTF-8 sequence at the very end
            put(terminalSafe(m_pending));
    }

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char* data, qint64 len) override
    {
        m_pending.append(data, static_cast<std::size_t>(len));
        // Hold back a UTF-8 sequence split between two writes.
        std::size_t keep = 0;
        for (std::size_t k = 1; k <= 3 && k <= m_pending.size(); ++k) {
            const unsigned char c = static_cast<unsigned char>(m_pending[m_pending.size() - k]);
            if ((c & 0xc0) == 0x80)
                continue;
            const std::size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
            keep = need > k ? k : 0;
            break;
        }
        const std::string ready = m_pending.substr(0, m_pending.size() - keep);
        m_pending.erase(0, m_pending.size() - keep);
        put(terminalSafe(ready));
        return len;
    }

private:
    static void put(const std::string& s)
    {
        std::fwrite(s.data(), 1, s.size(), stdout);
        std::fflush(stdout);
    }
    std::string m_pending;
};

QTextStream& out()
{
    static TerminalSafeStdout device;
    static QTextStream s(&device);
    return s;
}

// Messages on stderr (msup::Error texts quote file names and file contents): control characters
// escaped as on stdout.
void err(const QString& message)
{
    std::fprintf(stderr, "masksup: %s\n", terminalSafe(message.toUtf8().toStdString()).c_str());
}

struct UsageError {
    QString message;
};

class Command {
public:
    Command(const QString& name, const QString& description, const QStringList& args)
        : m_name(name)
    {
        m_parser.setApplicationDescription(description);
        m_parser.addHelpOption();
        m_args = QStringList { QStringLiteral("masksup ") + name } + args;
    }
    void option(const QString& name, const QString& help, const QString& valueName = {},
        const QString& defaultValue = {})
    {
        QCommandLineOption o(name, help, valueName, defaultValue);
        m_parser.addOption(o);
    }
    void positional(const QString& name, const QString& help) { m_parser.addPositionalArgument(name, help); }
    // Returns false when --help was printed.
    bool parse()
    {
        if (!m_parser.parse(m_args))
            throw UsageError { m_parser.errorText() };
        if (m_parser.isSet(QStringLiteral("help"))) {
            out() << m_parser.helpText();
            out().flush();
            return false;
        }
        return true;
    }
    QString value(const QString& name) const { return m_parser.value(name); }
    bool isSet(const QString& name) const { return m_parser.isSet(name); }
    QStringList positionals() const { return m_parser.positionalArguments(); }
    QString required(const QString& name) const
    {
        const QString v = m_parser.value(name);
        if (v.isEmpty())
            throw UsageError {
                QStringLiteral("%1: --%2 is required (see 'masksup %1 --help')").arg(m_name, name)
            };
        return v;
    }
    int integer(const QString& name, int lo, int hi) const
    {
        bool ok = false;
        const int v = m_parser.value(name).toInt(&ok);
        if (!ok || v < lo || v > hi)
            throw UsageError { QStringLiteral("%1: --%2 expects a whole number from %3 to %4, got '%5'")
                                   .arg(m_name, name)
                                   .arg(lo)
                                   .arg(hi)
                                   .arg(m_parser.value(name)) };
        return v;
    }
    double real(const QString& name, double lo, double hi) const
    {
        bool ok = false;
        const double v = m_parser.value(name).toDouble(&ok);
        if (!ok || v < lo || v > hi)
            throw UsageError { QStringLiteral("%1: --%2 expects a number from %3 to %4, got '%5'")
                                   .arg(m_name, name)
                                   .arg(lo)
                                   .arg(hi)
                                   .arg(m_parser.value(name)) };
        return v;
    }
    std::uint64_t seed(const QString& name = QStringLiteral("seed")) const
    {
        bool ok = false;
        const std::uint64_t v = m_parser.value(name).toULongLong(&ok);
        if (!ok)
            throw UsageError { QStringLiteral("%1: --%2 expects a non-negative whole number, got '%3'")
                                   .arg(m_name, name, m_parser.value(name)) };
        return v;
    }

private:
    QString m_name;
    QCommandLineParser m_parser;
    QStringList m_args;
};

// --- synth -------------------------------------------------------------------------------------
int cmdSynth(const QStringList& args)
{
    Command c(QStringLiteral("synth"),
        QStringLiteral("Write a procedural sample dataset, deterministic by seed."), args);
    c.option(QStringLiteral("kind"),
        QStringLiteral("glands (binary, Kvasir-SEG layout) or scenes (6 classes, NYUDv2 RefineNet layout)."),
        QStringLiteral("kind"), QStringLiteral("glands"));
    c.option(QStringLiteral("count"), QStringLiteral("Number of image/mask pairs."), QStringLiteral("N"),
        QStringLiteral("24"));
    c.option(QStringLiteral("size"), QStringLiteral("Image side in pixels (32..4096)."), QStringLiteral("S"),
        QStringLiteral("256"));
    c.option(
        QStringLiteral("seed"), QStringLiteral("Random seed."), QStringLiteral("S"), QStringLiteral("1"));
    c.option(QStringLiteral("out"), QStringLiteral("Output folder."), QStringLiteral("DIR"));
    if (!c.parse())
        return kExitOk;
    SynthOptions o;
    if (!parseSynthKind(c.value(QStringLiteral("kind")), &o.kind))
        throw UsageError { QStringLiteral("synth: --kind must be glands or scenes, got '%1'")
                               .arg(c.value(QStringLiteral("kind"))) };
    o.count = c.integer(QStringLiteral("count"), 1, 100000);
    o.size = c.integer(QStringLiteral("size"), 32, 4096);
    o.seed = c.seed();
    o.outDir = c.required(QStringLiteral("out"));
    ensureWritableDir(o.outDir);
    TerminalProgress bar(QStringLiteral("pairs"));
    const int n = writeSynthDataset(o, bar);
    bar.clear();
    out() << QStringLiteral("wrote %1 %2 pairs (%3x%3, seed %4) to %5\n")
                 .arg(n)
                 .arg(c.value(QStringLiteral("kind")))
                 .arg(o.size)
                 .arg(o.seed)
                 .arg(QDir(o.outDir).absolutePath());
    return kExitOk;
}

// --- masks -------------------------------------------------------------------------------------
int cmdMasks(const QStringList& args)
{
    Command c(QStringLiteral("masks"),
        QStringLiteral("Write random free-form streak-and-hole masks (PNG, 255 = hole)."), args);
    c.option(QStringLiteral("count"), QStringLiteral("Number of masks."), QStringLiteral("N"),
        QStringLiteral("16"));
    c.option(QStringLiteral("size"), QStringLiteral("Mask side in pixels, or WxH."), QStringLiteral("S"),
        QStringLiteral("224"));
    c.option(QStringLiteral("ratio"), QStringLiteral("Hole ratio: high (0.5-0.6), low (0.01-0.1) or A-B."),
        QStringLiteral("R"), QStringLiteral("high"));
    c.option(
        QStringLiteral("seed"), QStringLiteral("Random seed."), QStringLiteral("S"), QStringLiteral("0"));
    c.option(QStringLiteral("out"), QStringLiteral("Output folder."), QStringLiteral("DIR"));
    if (!c.parse())
        return kExitOk;
    const int count = c.integer(QStringLiteral("count"), 1, 1000000);
    int w = 0, h = 0;
    const QString size = c.value(QStringLiteral("size"));
    const QStringList wh = size.split(QLatin1Char('x'));
    bool okW = false, okH = false;
    w = wh.value(0).toInt(&okW);
    h = wh.size() == 2 ? wh[1].toInt(&okH) : (okH = okW, w);
    if (!okW || !okH || wh.size() > 2 || w < 16 || h < 16 || w > 8192 || h > 8192)
        throw UsageError {
            QStringLiteral("masks: --size expects S or WxH with sides from 16 to 8192, got '%1'").arg(size)
        };
    HoleRatioRange range;
    try {
        range = HoleRatioRange::parse(c.value(QStringLiteral("ratio")).toStdString());
    } catch (const Error& e) {
        throw UsageError { QStringLiteral("masks: ") + QString::fromStdString(e.what()) };
    }
    const std::uint64_t seed = c.seed();
    const QString dir = c.required(QStringLiteral("out"));
    ensureWritableDir(dir);
    const HoleGenerator gen(range);
    TerminalProgress bar;
    double sum = 0, lo = 1, hi = 0;
    for (int i = 0; i < count; ++i) {
        const cv::Mat m = gen.generate(w, h, Rng::derive(seed, 0x3a5c, static_cast<std::uint64_t>(i)));
        const double r = holeRatio(m);
        sum += r;
        lo = std::min(lo, r);
        hi = std::max(hi, r);
        const QString path
            = QDir(dir).filePath(QStringLiteral("mask_%1.png").arg(i, 5, 10, QLatin1Char('0')));
        writeMatAtomic(path, m);
        bar.update(i + 1, count, QStringLiteral("masks"));
    }
    bar.clear();
    out() << QStringLiteral(
        "wrote %1 masks %2x%3 to %4; hole ratio requested (%5, %6], got min %7 mean %8 max %9\n")
                 .arg(count)
                 .arg(w)
                 .arg(h)
                 .arg(QDir(dir).absolutePath())
                 .arg(range.lo)
                 .arg(range.hi)
                 .arg(lo, 0, 'f', 4)
                 .arg(sum / count, 0, 'f', 4)
                 .arg(hi, 0, 'f', 4);
    return kExitOk;
}

// --- inspect -----------------------------------------------------------------------------------
int cmdInspect(const QStringList& args)
{
    Command c(QStringLiteral("inspect"),
        QStringLiteral(
            "Detect a dataset's format, decode every pair, and report classes, counts per split, "
            "image sizes, class pixel frequencies and every problem found (with the file and a fix)."),
        args);
    c.positional(QStringLiteral("DIR"),
        QStringLiteral("The dataset folder (or the NYUDv2 nyu_depth_v2_labeled.mat file itself)."));
    c.option(QStringLiteral("json"), QStringLiteral("Print a JSON report."));
    c.option(QStringLiteral("format"),
        QStringLiteral("Skip detection: %1 (the -13 forms read NYUDv2 with 13 classes instead of 40).")
            .arg(datasetFormatNamesText()),
        QStringLiteral("name"));
    c.option(QStringLiteral("val-fraction"), QStringLiteral("Share of pairs in the seeded validation split."),
        QStringLiteral("F"), QStringLiteral("0.2"));
    c.option(QStringLiteral("seed"), QStringLiteral("Split seed."), QStringLiteral("S"), QStringLiteral("0"));
    if (!c.parse())
        return kExitOk;
    if (c.positionals().size() != 1)
        throw UsageError { QStringLiteral("inspect: give exactly one dataset folder (masksup inspect DIR)") };
    Dataset ds;
    if (c.isSet(QStringLiteral("format"))) {
        if (!findDatasetFormat(c.value(QStringLiteral("format"))))
            throw UsageError { QStringLiteral("inspect: --format must be %1, got '%2'")
                                   .arg(datasetFormatNamesText(), c.value(QStringLiteral("format"))) };
        ds = openDataset(c.positionals().first(), c.value(QStringLiteral("format")));
    } else {
        ds = openDataset(c.positionals().first());
    }
    TerminalProgress bar(QStringLiteral("pairs decoded"));
    const DatasetReport report = validateDataset(ds, bar);
    bar.clear();

    // Official splits of the format (GLaS train/testA/testB) are reported as they are; otherwise the
    // seeded train/val split a run would make.
    const Split split = defaultSplit(ds, c.real(QStringLiteral("val-fraction"), 0.01, 0.99), c.seed());
    QJsonObject splitCounts;
    QStringList splitText;
    if (!ds.officialSplits.isEmpty()) {
        for (const QString& name : ds.officialSplits) {
            const int n = int(samplesOfSplit(ds, name).size());
            splitCounts.insert(name, n);
            splitText << QStringLiteral("%1 %2").arg(n).arg(name);
        }
    } else {
        splitCounts = QJsonObject { { QStringLiteral("train"), int(split.train.size()) },
            { QStringLiteral("val"), int(split.val.size()) } };
        splitText << QStringLiteral("seeded split: %1 train").arg(split.train.size())
                  << QStringLiteral("%1 val").arg(split.val.size());
    }
    qint64 labelled = 0;
    for (qint64 p : report.classPixels)
        labelled += p;
    auto fraction = [&](qint64 p) { return labelled > 0 ? double(p) / double(labelled) : 0.0; };
    const QSize mn = report.minSize, mx = report.maxSize;

    if (c.isSet(QStringLiteral("json"))) {
        QJsonArray classes, problems;
        for (int i = 0; i < ds.classNames.size(); ++i)
            classes.append(
                QJsonObject { { QStringLiteral("index"), i }, { QStringLiteral("name"), ds.classNames[i] },
                    { QStringLiteral("color"), ds.classColors.value(i).name() },
                    { QStringLiteral("pixels"), double(report.classPixels.value(i)) },
                    { QStringLiteral("fraction"), fraction(report.classPixels.value(i)) } });
        for (const DatasetProblem& p : report.problems)
            problems.append(
                QJsonObject { { QStringLiteral("severity"),
                                  p.severity == DatasetProblem::Severity::Error ? QStringLiteral("error")
                                                                                : QStringLiteral("warning") },
                    { QStringLiteral("file"), p.file }, { QStringLiteral("message"), p.message },
                    { QStringLiteral("fix"), p.fix } });
        const QJsonObject json { { QStringLiteral("root"), ds.root },
            { QStringLiteral("format"), ds.formatSpec }, { QStringLiteral("classes"), classes },
            { QStringLiteral("ignore_index"), ds.ignoreIndex },
            { QStringLiteral("void_pixels"), double(report.voidPixels) },
            { QStringLiteral("pairs"), ds.samples.size() },
            { QStringLiteral("unusable_pairs"), report.badSamples.size() },
            { QStringLiteral("splits"), splitCounts },
            { QStringLiteral("official_splits"), !ds.officialSplits.isEmpty() },
            { QStringLiteral("image_size_min"), QJsonArray { mn.width(), mn.height() } },
            { QStringLiteral("image_size_max"), QJsonArray { mx.width(), mx.height() } },
            { QStringLiteral("problems"), problems } };
        out() << QJsonDocument(json).toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    out() << QStringLiteral("dataset: %1\nformat:  %2\npairs:   %3 (%4), %5 unusable\n")
                 .arg(ds.root, ds.formatSpec)
                 .arg(ds.samples.size())
                 .arg(splitText.join(QStringLiteral(", ")))
                 .arg(report.badSamples.size());
    if (mx.isValid())
        out() << QStringLiteral("sizes:   %1x%2 .. %3x%4\n")
                     .arg(mn.width())
                     .arg(mn.height())
                     .arg(mx.width())
                     .arg(mx.height());
    out() << QStringLiteral("classes: %1 (pixel share)\n").arg(ds.numClasses());
    for (int i = 0; i < ds.classNames.size(); ++i)
        out() << QStringLiteral("  %1 %2 %3%\n")
                     .arg(i, 3)
                     .arg(ds.classNames[i], -16)
                     .arg(100.0 * fraction(report.classPixels.value(i)), 6, 'f', 2);
    if (report.voidPixels > 0)
        out() << QStringLiteral("  void pixels (ignored): %1\n").arg(report.voidPixels);
    out() << QStringLiteral("problems: %1\n").arg(report.problems.size());
    for (const DatasetProblem& p : report.problems)
        out() << QStringLiteral("  ") << p.toString() << QLatin1Char('\n');
    return kExitOk;
}

// --- train -------------------------------------------------------------------------------------
std::atomic<TrainingSession*> g_session { nullptr };

extern "C" void onInterrupt(int)
{
    if (TrainingSession* s = g_session.load())
        s->requestStop();
}

int cmdTrain(const QStringList& args)
{
    Command c(QStringLiteral("train"),
        QStringLiteral(
            "Train a segmentation network with the MaskSup loss. The settings come from the defaults, then "
            "--preset, then --config FILE, then the flags given (each overrides the one before). Ctrl+C "
            "stops after the current batch and saves RUN_DIR/checkpoints/last.pt; --resume RUN_DIR continues "
            "exactly from there. Every file of the run folder is written to a temporary file, synced and "
            "renamed into place: when the disk is full or a write fails, training stops (exit 1) naming the "
            "file and the free space, the previous checkpoints, %1 and %2 intact; free "
            "some space, then --resume. "
            "A pair that cannot be decoded (what 'masksup inspect' reports as an error: "
            "unreadable, truncated or damaged image or mask, mask of the wrong size) is skipped: named on "
            "stderr, counted in the progress line and listed in RUN_DIR/%2 under \"skipped\"; "
            "with no usable pair left, train fails (exit 1).")
            .arg(RunFolder::fileName(RunFile::Metrics), RunFolder::fileName(RunFile::Config)),
        args);
    const TrainConfig d;
    c.option(QStringLiteral("preset"),
        QStringLiteral("Start from a preset: %1 (masksup presets lists them).")
            .arg(trainPresetNames().join(QStringLiteral(", "))),
        QStringLiteral("NAME"));
    c.option(QStringLiteral("config"),
        QStringLiteral(
            "Start from a JSON config file (e.g. 'masksup presets quick-cpu > my.json', edited). Its "
            "keys are checked like the flags (types, ranges, caps such as threads 0..%1 and alpha >= 0): "
            "a bad key stops with the file and key named (exit 1), a bad flag with the flag (exit 2).")
            .arg(TrainLimits::threadsMax),
        QStringLiteral("FILE"));
    c.option(QStringLiteral("resume"),
        QStringLiteral(
            "Continue the run in RUN_DIR from its checkpoints/last.pt (weights, optimizer, schedule, "
            "batch position and random states); --epochs sets the new total. %1 keeps every "
            "complete line: a last line cut short is dropped (and said), a damaged earlier line stops the "
            "resume with its line number, the file unchanged.")
            .arg(RunFolder::fileName(RunFile::Metrics)),
        QStringLiteral("RUN_DIR"));
    c.option(QStringLiteral("dataset"), QStringLiteral("Dataset folder (or NYUDv2 .mat file)."),
        QStringLiteral("DIR"));
    c.option(QStringLiteral("format"),
        QStringLiteral("Dataset format: auto (detect), %1.").arg(datasetFormatNamesText()),
        QStringLiteral("name"), QStringLiteral("auto"));
    c.option(QStringLiteral("out"),
        QStringLiteral("Run folder (%1, %2, %3/).")
            .arg(RunFolder::fileName(RunFile::Config), RunFolder::fileName(RunFile::Metrics),
                RunFolder::fileName(RunFile::Checkpoints)),
        QStringLiteral("RUN_DIR"));
    c.option(QStringLiteral("model"),
        QStringLiteral(
            "Architecture: unet, unetpp (U-Net++ without deep supervision, the paper's NYUDv2 model), "
            "levit128s, levit192 or levit384 (LeViT-UNet, the paper's GLaS and polyp model; 224²)."),
        QStringLiteral("name"), d.model);
    c.option(QStringLiteral("width"),
        QStringLiteral("Base channel width of unet/unetpp (widths are W·[1,2,4,8,16])."), QStringLiteral("W"),
        QString::number(d.width));
    c.option(QStringLiteral("mode"),
        QStringLiteral("baseline (L_seg), context (+ masked branch) or masksup (+ task similarity)."),
        QStringLiteral("mode"), d.mode);
    c.option(QStringLiteral("branches"),
        QStringLiteral(
            "separate: clean and masked branches as two forward passes (the reference code; each has "
            "its own BatchNorm batch statistics); concat: one pass over the concatenated batch "
            "(shared statistics; faster on GPUs)."),
        QStringLiteral("how"), d.branches);
    c.option(QStringLiteral("epochs"), QStringLiteral("Number of epochs (with --resume: the new total)."),
        QStringLiteral("E"), QString::number(d.epochs));
    c.option(QStringLiteral("batch-size"), QStringLiteral("Images per batch."), QStringLiteral("B"),
        QString::number(d.batchSize));
    c.option(QStringLiteral("image-size"), QStringLiteral("Training side in pixels (multiple of 16)."),
        QStringLiteral("S"), QString::number(d.imageSize));
    c.option(QStringLiteral("device"),
        QStringLiteral("auto (CUDA when present, else all CPU cores), cpu, cuda or cuda:N."),
        QStringLiteral("D"), d.device);
    c.option(QStringLiteral("amp"),
        QStringLiteral(
            "Mixed precision: auto = bf16 autocast on GPUs that support it (no gradient scaler), fp16 "
            "autocast + gradient scaler on other CUDA GPUs, off (float32) on the CPU; bf16 or fp16 force "
            "one (CUDA only); off = float32 everywhere. 'on', written by older versions, is read as "
            "auto. %1 records the precision used under \"precision\".")
            .arg(RunFolder::fileName(RunFile::Config)),
        QStringLiteral("auto|bf16|fp16|off"), d.amp);
    c.option(QStringLiteral("channels-last"),
        QStringLiteral("Run the network in channels-last (NHWC) memory layout, often faster on CUDA "
                       "GPUs with tensor cores (off by default; may be changed when resuming)."));
    c.option(QStringLiteral("no-channels-last"),
        QStringLiteral("The default NCHW layout (to switch channels-last off when resuming)."));
    c.option(QStringLiteral("seed"), QStringLiteral("Seed of weights, split, shuffling and masks."),
        QStringLiteral("S"), QString::number(d.seed));
    c.option(QStringLiteral("optimizer"), QStringLiteral("adam (AMSGrad) or sgd (with --momentum)."),
        QStringLiteral("name"), d.optimizer);
    c.option(QStringLiteral("lr"), QStringLiteral("Learning rate."), QStringLiteral("LR"),
        QString::number(d.learningRate));
    c.option(QStringLiteral("weight-decay"), QStringLiteral("Weight decay."), QStringLiteral("WD"),
        QString::number(d.weightDecay));
    c.option(QStringLiteral("momentum"), QStringLiteral("SGD momentum."), QStringLiteral("M"),
        QString::number(d.momentum));
    c.option(QStringLiteral("lr-step"),
        QStringLiteral("Step schedule: multiply the learning rate by G every N epochs (e.g. 60,0.1)."),
        QStringLiteral("N,G"));
    c.option(QStringLiteral("alpha"),
        QStringLiteral(
            "Loss weights a1,a2,a3 of seg, context and task similarity (each from 0 to %1; 0 turns "
            "a term off).")
            .arg(TrainLimits::alphaMax),
        QStringLiteral("A1,A2,A3"), QStringLiteral("1,1,1"));
    c.option(QStringLiteral("hole-ratio"), QStringLiteral("Hole ratio of the masks: high, low or A-B."),
        QStringLiteral("R"), d.holeRatio);
    c.option(QStringLiteral("mask-folder"),
        QStringLiteral(
            "Sample the context branch's masks from this folder of mask images (white = hole, e.g. the "
            "NVIDIA irregular masks), keeping those whose hole ratio is in --hole-ratio, instead of "
            "generating them."),
        QStringLiteral("DIR"));
    c.option(QStringLiteral("hole-fill"),
        QStringLiteral(
            "What hidden pixels become: zero (mid-grey after normalisation, as in the paper), black or "
            "noise (seeded)."),
        QStringLiteral("FILL"), d.holeFill);
    c.option(QStringLiteral("val-fraction"), QStringLiteral("Share of pairs held out for validation."),
        QStringLiteral("F"), QString::number(d.valFraction));
    c.option(QStringLiteral("augment"),
        QStringLiteral("Training augmentations: none, all, or a list of flip, rot90, scale, color (seeded)."),
        QStringLiteral("LIST"), d.augment);
    c.option(QStringLiteral("threads"),
        QStringLiteral("CPU threads, 0 to %1 (0 = all cores).").arg(TrainLimits::threadsMax),
        QStringLiteral("N"), QStringLiteral("0"));
    c.option(QStringLiteral("cache-memory"),
        QStringLiteral("Memory for decoded, resized samples in MiB (0 = none); beyond it samples are decoded "
                       "again each epoch unless --cache-dir is set."),
        QStringLiteral("MB"), QString::number(d.cacheMemoryMb));
    c.option(QStringLiteral("cache-dir"),
        QStringLiteral("Also keep decoded samples in this folder (reused by later runs at the same size)."),
        QStringLiteral("DIR"));
    c.option(QStringLiteral("checkpoint-minutes"),
        QStringLiteral("Also write last.pt every M minutes within an epoch (0 = at epoch ends only)."),
        QStringLiteral("M"), QString::number(d.checkpointMinutes));
    c.option(QStringLiteral("corrections"),
        QStringLiteral("Train on the hand-corrected masks saved in this corrections folder (by default the "
                       "editor saves them in <dataset folder>.corrections): they replace the original masks "
                       "of the edited images, in training and validation."),
        QStringLiteral("DIR"));
    if (!c.parse())
        return kExitOk;

    TrainConfig cfg;
    QString resumeCheckpoint;
    auto given = [&](const char* name) { return c.isSet(QLatin1String(name)); };
    if (given("resume")) {
        // A resumed run keeps everything that defines it; only where and how fast it runs may change.
        static const char* fixed[] = { "preset", "config", "dataset", "format", "out", "model", "width",
            "mode", "branches", "batch-size", "image-size", "seed", "optimizer", "lr", "weight-decay",
            "momentum", "lr-step", "alpha", "hole-ratio", "mask-folder", "hole-fill", "val-fraction",
            "augment", "corrections" };
        for (const char* f : fixed)
            if (given(f))
                throw UsageError { QStringLiteral(
                    "train: --%1 cannot be changed when resuming (the run keeps its "
                    "settings); only --epochs, --device, --amp, --channels-last, --threads, "
                    "--cache-memory, --cache-dir and --checkpoint-minutes can")
                                       .arg(QLatin1String(f)) };
        const QString runDir = c.value(QStringLiteral("resume"));
        cfg = TrainingSession::configForResume(runDir);
        resumeCheckpoint = TrainingSession::lastCheckpointOf(runDir);
    } else {
        if (given("preset")) {
            try {
                cfg = applyTrainPreset(c.value(QStringLiteral("preset")), cfg);
            } catch (const Error& e) {
                throw UsageError { QStringLiteral("train: ") + QString::fromStdString(e.what()) };
            }
        }
        if (given("config"))
            cfg = TrainConfig::fromFile(c.value(QStringLiteral("config")), cfg);
        if (given("dataset"))
            cfg.datasetPath = c.value(QStringLiteral("dataset"));
        if (given("out"))
            cfg.outDir = c.value(QStringLiteral("out"));
        if (cfg.datasetPath.isEmpty())
            cfg.datasetPath = c.required(QStringLiteral("dataset"));
        if (cfg.outDir.isEmpty())
            cfg.outDir = c.required(QStringLiteral("out"));
        if (given("format"))
            cfg.datasetFormat = c.value(QStringLiteral("format"));
        if (given("model"))
            cfg.model = c.value(QStringLiteral("model"));
        if (given("width"))
            cfg.width = c.integer(QStringLiteral("width"), TrainLimits::widthMin, TrainLimits::widthMax);
        if (given("mode"))
            cfg.mode = c.value(QStringLiteral("mode"));
        if (given("branches"))
            cfg.branches = c.value(QStringLiteral("branches"));
        if (given("batch-size"))
            cfg.batchSize = c.integer(
                QStringLiteral("batch-size"), TrainLimits::batchSizeMin, TrainLimits::batchSizeMax);
        if (given("image-size"))
            cfg.imageSize = c.integer(
                QStringLiteral("image-size"), TrainLimits::imageSizeMin, TrainLimits::imageSizeMax);
        if (given("seed"))
            cfg.seed = c.seed();
        if (given("optimizer"))
            cfg.optimizer = c.value(QStringLiteral("optimizer"));
        if (given("lr"))
            cfg.learningRate
                = c.real(QStringLiteral("lr"), TrainLimits::learningRateMin, TrainLimits::learningRateMax);
        if (given("weight-decay"))
            cfg.weightDecay = c.real(
                QStringLiteral("weight-decay"), TrainLimits::weightDecayMin, TrainLimits::weightDecayMax);
        if (given("momentum"))
            cfg.momentum
                = c.real(QStringLiteral("momentum"), TrainLimits::momentumMin, TrainLimits::momentumMax);
        if (given("lr-step")) {
            const QStringList step = c.value(QStringLiteral("lr-step")).split(QLatin1Char(','));
            bool okN = false, okG = false;
            if (step.size() == 2) {
                cfg.lrStepEpochs = step[0].toInt(&okN);
                cfg.lrGamma = step[1].toDouble(&okG);
            }
            if (!(okN && okG))
                throw UsageError { QStringLiteral("train: --lr-step expects N,G like 60,0.1") };
            cfg.lrSchedule = QStringLiteral("step");
        }
        if (given("hole-ratio"))
            cfg.holeRatio = c.value(QStringLiteral("hole-ratio"));
        if (given("mask-folder"))
            cfg.maskFolder = c.value(QStringLiteral("mask-folder"));
        if (given("hole-fill"))
            cfg.holeFill = c.value(QStringLiteral("hole-fill"));
        if (given("val-fraction"))
            cfg.valFraction = c.real(
                QStringLiteral("val-fraction"), TrainLimits::valFractionMin, TrainLimits::valFractionMax);
        if (given("augment"))
            cfg.augment = c.value(QStringLiteral("augment"));
        if (given("alpha")) {
            const QStringList alpha = c.value(QStringLiteral("alpha")).split(QLatin1Char(','));
            bool ok1 = false, ok2 = false, ok3 = false;
            if (alpha.size() == 3) {
                cfg.alphaSeg = alpha[0].toDouble(&ok1);
                cfg.alphaContext = alpha[1].toDouble(&ok2);
                cfg.alphaTasksim = alpha[2].toDouble(&ok3);
            }
            const auto inRange = [](double a) {
                return std::isfinite(a) && a >= TrainLimits::alphaMin && a <= TrainLimits::alphaMax;
            };
            if (!(ok1 && ok2 && ok3) || !inRange(cfg.alphaSeg) || !inRange(cfg.alphaContext)
                || !inRange(cfg.alphaTasksim))
                throw UsageError { QStringLiteral(
                    "train: --alpha expects three numbers from %1 to %2 like 1,1,1, "
                    "got '%3'")
                                       .arg(TrainLimits::alphaMin)
                                       .arg(TrainLimits::alphaMax)
                                       .arg(c.value(QStringLiteral("alpha"))) };
        }
    }
    if (given("epochs"))
        cfg.epochs = c.integer(QStringLiteral("epochs"), TrainLimits::epochsMin, TrainLimits::epochsMax);
    if (given("device"))
        cfg.device = c.value(QStringLiteral("device"));
    if (given("amp")) {
        cfg.amp = c.value(QStringLiteral("amp"));
        if (!TrainConfig::ampValues().contains(cfg.amp) && cfg.amp != QLatin1String("on"))
            throw UsageError { QStringLiteral(
                "train: --amp must be auto, bf16, fp16 or off, got '%1' (auto = "
                "bf16 on GPUs that support it, fp16 + gradient scaler on other "
                "CUDA GPUs, off on the CPU)")
                                   .arg(cfg.amp) };
    }
    if (given("channels-last") && given("no-channels-last"))
        throw UsageError { QStringLiteral("train: give --channels-last or --no-channels-last, not both") };
    if (given("channels-last"))
        cfg.channelsLast = true;
    if (given("no-channels-last"))
        cfg.channelsLast = false;
    if (given("threads"))
        cfg.threads = c.integer(QStringLiteral("threads"), TrainLimits::threadsMin, TrainLimits::threadsMax);
    if (given("cache-memory"))
        cfg.cacheMemoryMb = c.integer(
            QStringLiteral("cache-memory"), TrainLimits::cacheMemoryMbMin, TrainLimits::cacheMemoryMbMax);
    if (given("cache-dir"))
        cfg.cacheDir = c.value(QStringLiteral("cache-dir"));
    if (given("corrections"))
        cfg.corrections = QFileInfo(c.value(QStringLiteral("corrections"))).absoluteFilePath();
    if (given("checkpoint-minutes"))
        cfg.checkpointMinutes = c.real(QStringLiteral("checkpoint-minutes"),
            TrainLimits::checkpointMinutesMin, TrainLimits::checkpointMinutesMax);
    try {
        cfg.validate();
    } catch (const Error& e) {
        throw UsageError { QStringLiteral("train: ") + QString::fromStdString(e.what()) };
    }

    TrainingSession session(cfg);
    if (!resumeCheckpoint.isEmpty())
        session.resumeFrom(resumeCheckpoint);
    g_session.store(&session);
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    TerminalProgress bar;
    TrainingSession::Callbacks cb;
    cb.status = [&](const QString& s) {
        if (!bar.interactive() && !s.startsWith(QLatin1String("Loading images")))
            err(s);
    };
    int skippedPairs = 0;
    cb.skipped = [&](const SkippedPair& p) {
        bar.clear();
        err(QStringLiteral("skipped %1: %2").arg(p.file, p.reason));
        ++skippedPairs;
    };
    cb.batch = [&](const BatchProgress& p) {
        bar.update((p.epoch - 1) * p.batchesPerEpoch + p.batch, p.epochs * p.batchesPerEpoch,
            QStringLiteral("epoch %1/%2 loss %3 (seg %4 ctx %5 sim %6) %7 img/s%8")
                .arg(p.epoch)
                .arg(p.epochs)
                .arg(p.loss, 0, 'f', 4)
                .arg(p.lossSeg, 0, 'f', 4)
                .arg(p.lossContext, 0, 'f', 4)
                .arg(p.lossTasksim, 0, 'f', 4)
                .arg(p.imagesPerSecond, 0, 'f', 1)
                .arg(skippedPairs > 0 ? QStringLiteral(", %1 pair(s) skipped").arg(skippedPairs) : QString()),
            p.etaSeconds);
    };
    cb.epoch = [&](const EpochMetrics& m) {
        bar.clear();
        out() << QStringLiteral(
            "epoch %1/%2  loss %3  seg %4  context %5  tasksim %6  val mIoU %7  %8 img/s  %9 s\n")
                     .arg(m.epoch)
                     .arg(cfg.epochs)
                     .arg(m.loss, 0, 'f', 4)
                     .arg(m.lossSeg, 0, 'f', 4)
                     .arg(m.lossContext, 0, 'f', 4)
                     .arg(m.lossTasksim, 0, 'f', 4)
                     .arg(m.valMiou, 0, 'f', 4)
                     .arg(m.imagesPerSecond, 0, 'f', 2)
                     .arg(m.seconds, 0, 'f', 1);
        out().flush();
    };
    const QString device = TrainingSession::resolveDevice(cfg.device);
    if (!resumeCheckpoint.isEmpty()) {
        const CheckpointInfo saved = readCheckpointInfo(resumeCheckpoint);
        out() << QStringLiteral("resuming %1 after epoch %2, batch %3, to %4 epochs, device %5\n")
                     .arg(QDir(cfg.outDir).absolutePath())
                     .arg(saved.epoch)
                     .arg(saved.trainingState.value(QStringLiteral("batch")).toInt())
                     .arg(cfg.epochs)
                     .arg(device);
    } else {
        out() << QStringLiteral("training %1 (width %2, %3 mode, %4) on %5, device %6, run folder %7\n")
                     .arg(cfg.model)
                     .arg(cfg.width)
                     .arg(cfg.mode, cfg.preset.isEmpty() ? QStringLiteral("no preset") : cfg.preset,
                         cfg.datasetPath, device, QDir(cfg.outDir).absolutePath());
    }
    out().flush();
    TrainResult r;
    try {
        r = session.run(cb);
    } catch (...) {
        g_session.store(nullptr);
        bar.clear();
        throw;
    }
    g_session.store(nullptr);
    bar.clear();
    if (r.stopped && r.lastCheckpoint.isEmpty()) {
        out() << QStringLiteral("stopped before training started; nothing was saved\n");
        return kExitInterrupted;
    }
    if (r.stopped) {
        out() << QStringLiteral("stopped after %1 complete epoch(s); weights saved to %2; continue with: "
                                "masksup train --resume %3\n")
                     .arg(r.epochsCompleted)
                     .arg(r.lastCheckpoint, r.runDir);
        return kExitInterrupted;
    }
    out() << QStringLiteral("done: best val mIoU %1 at epoch %2; checkpoints %3 and %4\n")
                 .arg(r.bestMiou, 0, 'f', 4)
                 .arg(r.bestEpoch)
                 .arg(r.bestCheckpoint, r.lastCheckpoint);
    if (skippedPairs > 0)
        out() << QStringLiteral("%1 pair(s) were skipped (named above and in %2)\n")
                     .arg(skippedPairs)
                     .arg(RunFolder(r.runDir).path(RunFile::Config));
    return kExitOk;
}

// --- presets -----------------------------------------------------------------------------------
int cmdPresets(const QStringList& args)
{
    Command c(QStringLiteral("presets"),
        QStringLiteral(
            "Without NAME: list the training presets. With NAME: print the preset as a JSON config "
            "file to edit and pass to 'masksup train --config FILE'."),
        args);
    c.positional(QStringLiteral("NAME"), QStringLiteral("A preset to print."));
    if (!c.parse())
        return kExitOk;
    const QStringList names = c.positionals();
    if (names.isEmpty()) {
        for (const QString& n : trainPresetNames())
            out() << QStringLiteral("%1  %2\n").arg(n, -16).arg(trainPresetDescription(n));
        return kExitOk;
    }
    QJsonObject preset;
    try {
        preset = trainPreset(names.first());
    } catch (const Error& e) {
        throw UsageError { QStringLiteral("presets: ") + QString::fromStdString(e.what()) };
    }
    // Every key, with the preset's values over the defaults, so that the file documents itself.
    QJsonObject full = TrainConfig::fromJson(preset).toJson();
    full.remove(QStringLiteral("dataset"));
    full.remove(QStringLiteral("out"));
    out() << QJsonDocument(full).toJson(QJsonDocument::Indented);
    return kExitOk;
}

// --- corrections -------------------------------------------------------------------------------
int cmdCorrections(const QStringList& args)
{
    Command c(QStringLiteral("corrections"),
        QStringLiteral("'list DATASET': print the ids of the images whose masks were edited by hand, one per "
                       "line: a correction saved in the corrections folder, strokes not saved yet (crash "
                       "journal), or a mask saved into the dataset itself (its original kept as .orig)."),
        args);
    c.positional(QStringLiteral("list"), QStringLiteral("The action (only 'list')."));
    c.positional(QStringLiteral("DATASET"), QStringLiteral("The dataset folder."));
    c.option(QStringLiteral("corrections"),
        QStringLiteral("The corrections folder (default: <dataset folder>.corrections)."),
        QStringLiteral("DIR"));
    c.option(QStringLiteral("format"), QStringLiteral("Skip detection: a dataset format name (see inspect)."),
        QStringLiteral("name"));
    c.option(
        QStringLiteral("json"), QStringLiteral("Print JSON: every edited image with what makes it edited."));
    if (!c.parse())
        return kExitOk;
    const QStringList p = c.positionals();
    if (p.size() != 2 || p.first() != QLatin1String("list"))
        throw UsageError { QStringLiteral(
            "corrections: use 'masksup corrections list DATASET [--corrections DIR]'") };
    const Dataset ds = openDataset(p.at(1), c.value(QStringLiteral("format")));
    const MaskStore store(ds, c.value(QStringLiteral("corrections")));
    if (!c.isSet(QStringLiteral("json"))) {
        for (const QString& id : store.editedIds())
            out() << id << QLatin1Char('\n');
        return kExitOk;
    }
    QJsonArray images;
    for (const Sample& s : ds.samples) {
        if (!store.isEdited(s))
            continue;
        QJsonObject o { { QStringLiteral("id"), s.id }, { QStringLiteral("mask"), s.maskPath } };
        if (store.hasCorrection(s))
            o.insert(QStringLiteral("correction"), store.correction(s).file);
        o.insert(QStringLiteral("unsaved_strokes"), store.hasJournal(s));
        o.insert(QStringLiteral("saved_in_dataset"), store.hasDatasetBackup(s));
        images.append(o);
    }
    const QJsonObject root { { QStringLiteral("dataset"), ds.root },
        { QStringLiteral("corrections"), store.correctionsDir() },
        { QStringLiteral("edited"), images.size() }, { QStringLiteral("images"), images } };
    out() << QJsonDocument(root).toJson(QJsonDocument::Indented);
    return kExitOk;
}

// --- import-weights ----------------------------------------------------------------------------
void printKeyList(const QString& title, const QStringList& items)
{
    out() << QStringLiteral("  %1: %2\n")
                 .arg(title)
                 .arg(items.isEmpty() ? QStringLiteral("none") : QString::number(items.size()));
    for (const QString& item : items)
        out() << QStringLiteral("    %1\n").arg(item);
}

int cmdImportWeights(const QStringList& args)
{
    Command c(QStringLiteral("import-weights"),
        QStringLiteral(
            "Convert weights trained with the reference PyTorch code (pytorch-nested-unet's UNet or "
            "NestedUNet, "
            "saved with torch.save(model.state_dict(), path)) into a MaskSup Studio checkpoint for predict, "
            "evaluate and robustness. A state_dict wrapped in a dict under \"state_dict\" or \"model\" and "
            "nn.DataParallel's \"module.\" prefix are handled; every shape is checked. The file is treated "
            "as untrusted: compressed or damaged records (CRC-32), tensors reaching outside their storage "
            "and "
            "pickles nested deeper than 1000 levels are refused, and pickled code is never run."),
        args);
    c.option(QStringLiteral("model"), QStringLiteral("unet (UNet) or unetpp (NestedUNet)."),
        QStringLiteral("name"));
    c.option(QStringLiteral("classes"),
        QStringLiteral(
            "Output channels of the network's head: 1 for a binary task (sigmoid), K for K classes."),
        QStringLiteral("N"));
    c.option(QStringLiteral("width"),
        QStringLiteral("Base width w (channels w·[1,2,4,8,16]); the reference uses 32."), QStringLiteral("W"),
        QStringLiteral("32"));
    c.option(QStringLiteral("image-size"),
        QStringLiteral("Input size stored with the checkpoint (a multiple of 16)."), QStringLiteral("S"),
        QStringLiteral("224"));
    c.option(QStringLiteral("no-relu-logits"),
        QStringLiteral("unetpp: leave out the ReLU the reference NestedUNet applies to its logits."));
    c.option(QStringLiteral("allow-partial"),
        QStringLiteral(
            "Write the checkpoint even when tensors are missing or have other shapes (they keep their "
            "initial values)."));
    c.option(QStringLiteral("from"), QStringLiteral("The PyTorch weights (.pth) to read."),
        QStringLiteral("MODEL.pth"));
    c.option(QStringLiteral("out"), QStringLiteral("The checkpoint to write."), QStringLiteral("CKPT.pt"));
    if (!c.parse())
        return kExitOk;
    WeightImportOptions o;
    o.model = c.required(QStringLiteral("model"));
    if (o.model != QLatin1String("unet") && o.model != QLatin1String("unetpp"))
        throw UsageError {
            QStringLiteral("import-weights: --model must be unet or unetpp, got '%1'").arg(o.model)
        };
    c.required(QStringLiteral("classes"));
    o.classes = c.integer(QStringLiteral("classes"), 1, 1000);
    o.width = c.integer(QStringLiteral("width"), 1, 256);
    o.imageSize = c.integer(QStringLiteral("image-size"), 16, 4096);
    if (o.imageSize % 16 != 0)
        throw UsageError {
            QStringLiteral("import-weights: --image-size must be a multiple of 16, got %1").arg(o.imageSize)
        };
    o.reluLogits = !c.isSet(QStringLiteral("no-relu-logits"));
    o.allowPartial = c.isSet(QStringLiteral("allow-partial"));
    o.inputPath = c.required(QStringLiteral("from"));
    o.outputPath = c.required(QStringLiteral("out"));

    const WeightImportReport r = importPyTorchWeights(o);
    const QLocale loc = QLocale::c();
    out() << QStringLiteral("Imported %1\n     into %2\n")
                 .arg(QFileInfo(o.inputPath).absoluteFilePath(), QFileInfo(r.outputPath).absoluteFilePath());
    out() << QStringLiteral("  model: %1, width %2, 3 -> %3 channels%4\n")
                 .arg(r.model)
                 .arg(r.width)
                 .arg(r.outputChannels)
                 .arg(r.reluLogits ? QStringLiteral(", ReLU on the logits (as the reference NestedUNet)")
                                   : QString());
    out() << QStringLiteral("  state_dict: %1 tensors%2%3\n")
                 .arg(r.fileTensors)
                 .arg(r.container.isEmpty() ? QString() : QStringLiteral(", under \"%1\"").arg(r.container))
                 .arg(r.strippedPrefixes
                         ? QStringLiteral(", \"module.\" prefix removed from %1 keys").arg(r.strippedPrefixes)
                         : QString());
    out() << QStringLiteral("  loaded tensors: %1 of the model's %2 (%3 values)\n")
                 .arg(r.loadedTensors)
                 .arg(r.modelTensors)
                 .arg(loc.toString(r.loadedValues));
    out() << QStringLiteral("  parameters: %1\n").arg(loc.toString(r.parameters));
    printKeyList(QStringLiteral("missing (initial values kept)"), r.missingKeys);
    printKeyList(QStringLiteral("shape mismatches (initial values kept)"), r.shapeMismatches);
    printKeyList(QStringLiteral("unexpected (ignored)"), r.unexpectedKeys);
    for (const QString& w : r.warnings)
        out() << QStringLiteral("  warning: %1\n").arg(w);
    if (!r.complete())
        out() << QStringLiteral("  The checkpoint is partial (--allow-partial): check its predictions.\n");
    return kExitOk;
}

// --checkpoint, --dataset and --split, as evaluate and robustness take them.
void addCheckpointOptions(Command& c)
{
    c.option(QStringLiteral("checkpoint"), QStringLiteral("Checkpoint (.pt) written by masksup train."),
        QStringLiteral("CKPT"));
    c.option(QStringLiteral("dataset"), QStringLiteral("Dataset folder (or NYUDv2 .mat file)."),
        QStringLiteral("DIR"));
    c.option(QStringLiteral("split"),
        QStringLiteral(
            "val (the run's validation split), train, all, or an official split (GLaS: testA, testB)."),
        QStringLiteral("split"), QStringLiteral("val"));
}

// --- evaluate ----------------------------------------------------------------------------------
int cmdEvaluate(const QStringList& args)
{
    Command c(QStringLiteral("evaluate"),
        QStringLiteral("Evaluate a checkpoint on a dataset split (metrics from one confusion matrix "
                       "accumulated over all pixels)."),
        args);
    addCheckpointOptions(c);
    c.option(QStringLiteral("device"), QStringLiteral("auto, cpu, cuda or cuda:N."), QStringLiteral("D"),
        QStringLiteral("cpu"));
    c.option(QStringLiteral("json"), QStringLiteral("Print a JSON report."));
    if (!c.parse())
        return kExitOk;
    const QString ckpt = c.required(QStringLiteral("checkpoint"));
    const QString dataset = c.required(QStringLiteral("dataset"));
    const QString split = c.value(QStringLiteral("split"));
    TerminalProgress bar(QStringLiteral("images"));
    const EvaluationResult r
        = evaluateCheckpoint(ckpt, dataset, split, c.value(QStringLiteral("device")), bar);
    bar.clear();
    for (const SkippedPair& p : r.skipped)
        err(QStringLiteral("skipped %1: %2").arg(p.file, p.reason));
    const auto iou = r.confusion.iou();
    if (c.isSet(QStringLiteral("json"))) {
        QJsonObject o = r.confusion.toJson();
        o.insert(QStringLiteral("skipped"), skippedPairsToJson(r.skipped));
        if (r.classNames.size() == 2)
            o.insert(QStringLiteral("ref_binary_iou"), r.perImage.mean());
        o.insert(QStringLiteral("split"), split);
        o.insert(QStringLiteral("images"), r.images);
        o.insert(QStringLiteral("classes"), QJsonArray::fromStringList(r.classNames));
        o.insert(QStringLiteral("checkpoint"), QFileInfo(ckpt).absoluteFilePath());
        out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    out() << QStringLiteral(
        "%1 images (%2 split)%8\nmIoU            %3\nDice (mean)     %4\npixel accuracy  %5\n"
        "reference code's figures: micro Jaccard %6%7\n")
                 .arg(r.images)
                 .arg(split)
                 .arg(r.confusion.meanIoU(), 0, 'f', 4)
                 .arg(r.confusion.meanDice(), 0, 'f', 4)
                 .arg(r.confusion.pixelAccuracy(), 0, 'f', 4)
                 .arg(r.confusion.referenceMicroJaccard(), 0, 'f', 4)
                 .arg(r.classNames.size() == 2
                         ? QStringLiteral(", per-image foreground IoU %1").arg(r.perImage.mean(), 0, 'f', 4)
                         : QString())
                 .arg(r.skipped.isEmpty() ? QString()
                                          : QStringLiteral(", %1 pair(s) skipped").arg(r.skipped.size()));
    for (int i = 0; i < iou.size(); ++i)
        out() << QStringLiteral("  IoU %1 %2\n")
                     .arg(r.classNames.value(i), -16)
                     .arg(std::isnan(iou[i]) ? QStringLiteral("n/a (absent)")
                                             : QString::number(iou[i], 'f', 4));
    return kExitOk;
}

// --- predict -----------------------------------------------------------------------------------
int cmdPredict(const QStringList& args)
{
    Command c(QStringLiteral("predict"),
        QStringLiteral(
            "Predict label maps; write <name>_overlay.png (coloured, original size) and <name>_mask.png "
            "(palette PNG, index = class). A dataset folder as --input (Kvasir-SEG, GLaS, scene labels, ...) "
            "is predicted image by image, its masks left out. Outputs never replace inputs: --out may not be "
            "a dataset's folder or lie inside one, and an existing file there is replaced only when masksup "
            "wrote it (listed in DIR/.masksup-outputs.json); otherwise nothing is written and the files are "
            "named (exit 1)."),
        args);
    c.option(QStringLiteral("checkpoint"), QStringLiteral("Checkpoint (.pt) written by masksup train."),
        QStringLiteral("CKPT"));
    c.option(QStringLiteral("input"),
        QStringLiteral("An image file, a folder of images, or a dataset folder (its images only)."),
        QStringLiteral("FILE|DIR"));
    c.option(QStringLiteral("out"),
        QStringLiteral("Output folder, outside any dataset (e.g. <dataset>-predictions beside it)."),
        QStringLiteral("DIR"));
    c.option(QStringLiteral("opacity"), QStringLiteral("Overlay opacity from 0 to 1."), QStringLiteral("A"),
        QStringLiteral("0.5"));
    c.option(QStringLiteral("device"), QStringLiteral("auto, cpu, cuda or cuda:N."), QStringLiteral("D"),
        QStringLiteral("cpu"));
    c.option(QStringLiteral("save-probabilities"),
        QStringLiteral("Also write <name>_prob.npy: NumPy float32, C×S×S at the model's input size, after "
                       "sigmoid (one channel) or softmax."));
    c.option(QStringLiteral("image-size"),
        QStringLiteral(
            "Model input size, overriding the checkpoint's (a multiple of 16; 0 = the checkpoint's)."),
        QStringLiteral("S"), QStringLiteral("0"));
    if (!c.parse())
        return kExitOk;
    const QString ckpt = c.required(QStringLiteral("checkpoint"));
    const QString input = c.required(QStringLiteral("input"));
    const int imageSize = c.integer(QStringLiteral("image-size"), 0, 4096);
    if (imageSize != 0 && (imageSize < 16 || imageSize % 16 != 0))
        throw UsageError {
            QStringLiteral("predict: --image-size must be a multiple of 16 (or 0), got %1").arg(imageSize)
        };
    const bool saveProbabilities = c.isSet(QStringLiteral("save-probabilities"));
    const QString outDir = c.required(QStringLiteral("out"));
    const double opacity = c.real(QStringLiteral("opacity"), 0.0, 1.0);
    if (!QFileInfo::exists(input))
        throw Error("input not found", input.toStdString(), "Give an image file or a folder of images.");
    ExportOptions o;
    o.checkpoint = ckpt;
    o.inputs = QStringList { input };
    o.outDir = outDir;
    o.probabilities = saveProbabilities;
    o.opacity = opacity;
    o.device = c.value(QStringLiteral("device"));
    o.imageSize = imageSize;
    TerminalProgress bar(QStringLiteral("images"));
    const ExportSummary s = exportPredictions(o, bar);
    bar.clear();
    out() << QStringLiteral("wrote %1 overlay(s) and label mask(s) to %2\n")
                 .arg(s.imagesExported)
                 .arg(QDir::toNativeSeparators(s.outDir));
    if (s.overwritten > 0)
        out() << QStringLiteral("replaced %1 file(s) that masksup had written there before\n")
                     .arg(s.overwritten);
    for (const ExportSkip& f : s.skipped)
        err(QStringLiteral("skipped %1: %2").arg(f.file, f.reason)); // one bad file does not stop a folder
    return s.skipped.isEmpty() ? kExitOk : kExitError;
}

// --- info --------------------------------------------------------------------------------------
int cmdInfo(const QStringList& args)
{
    Command c(QStringLiteral("info"),
        QStringLiteral(
            "Print a model's parameter count and its layers (name, kind, weight shape, parameters)."),
        args);
    c.option(QStringLiteral("model"), availableModels().join(QStringLiteral(", ")) + QLatin1Char('.'),
        QStringLiteral("name"), QStringLiteral("unet"));
    c.option(QStringLiteral("classes"),
        QStringLiteral("Output channels: 1 for a binary task (sigmoid), K for K classes."),
        QStringLiteral("C"), QStringLiteral("1"));
    c.option(QStringLiteral("width"),
        QStringLiteral("Base width w of unet/unetpp (channels w·[1,2,4,8,16])."), QStringLiteral("W"),
        QStringLiteral("32"));
    c.option(QStringLiteral("image-size"),
        QStringLiteral("Input size (LeViT-UNet's attention biases depend on it)."), QStringLiteral("S"),
        QStringLiteral("224"));
    c.option(QStringLiteral("json"), QStringLiteral("Print JSON."));
    if (!c.parse())
        return kExitOk;
    const QString model = c.value(QStringLiteral("model"));
    if (!availableModels().contains(model))
        throw UsageError { QStringLiteral("info: --model must be one of %1, got '%2'")
                               .arg(availableModels().join(QStringLiteral(", ")), model) };
    const ModelSummary m = summarizeModel(model, c.integer(QStringLiteral("classes"), 1, 1000),
        c.integer(QStringLiteral("width"), 1, 256), 3, c.integer(QStringLiteral("image-size"), 16, 4096));
    if (c.isSet(QStringLiteral("json"))) {
        QJsonArray layers;
        for (const ModelLayer& l : m.layers) {
            QJsonArray shape;
            for (qint64 d : l.weightShape)
                shape.append(double(d));
            layers.append(QJsonObject { { QStringLiteral("name"), l.name },
                { QStringLiteral("kind"), l.kind }, { QStringLiteral("weight_shape"), shape },
                { QStringLiteral("parameters"), double(l.parameters) } });
        }
        const QJsonObject o { { QStringLiteral("model"), m.model }, { QStringLiteral("width"), m.width },
            { QStringLiteral("in_channels"), m.inChannels },
            { QStringLiteral("out_channels"), m.outChannels },
            { QStringLiteral("parameters"), double(m.parameters) }, { QStringLiteral("layers"), layers } };
        out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    out() << QStringLiteral("%1, %2, %3 -> %4 channels: %5 parameters\n")
                 .arg(m.model)
                 .arg(m.model.startsWith(QLatin1String("levit")) ? QStringLiteral("LeViT-UNet widths")
                                                                 : QStringLiteral("width %1").arg(m.width))
                 .arg(m.inChannels)
                 .arg(m.outChannels)
                 .arg(QLocale::c().toString(m.parameters));
    for (const ModelLayer& l : m.layers) {
        QStringList shape;
        for (qint64 d : l.weightShape)
            shape << QString::number(d);
        out() << QStringLiteral("  %1 %2 %3 %4\n")
                     .arg(l.name, -18)
                     .arg(l.kind, -12)
                     .arg(shape.join(QLatin1Char('x')), -16)
                     .arg(l.parameters);
    }
    return kExitOk;
}

// --- robustness --------------------------------------------------------------------------------
int cmdRobustness(const QStringList& args)
{
    Command c(QStringLiteral("robustness"),
        QStringLiteral("Evaluate a checkpoint on images whose pixels are hidden by masks of increasing hole "
                       "ratio (the paper's Fig. 6 analysis): one mIoU per ratio interval. Masks are seeded, "
                       "so two checkpoints (e.g. baseline and MaskSup) are compared on identical masks."),
        args);
    addCheckpointOptions(c);
    c.option(QStringLiteral("ratios"),
        QStringLiteral(
            "Increasing hole ratios from 0 to 1: 0 is the unmasked level, each later value r closes "
            "the interval (previous, r]."),
        QStringLiteral("LIST"), QStringLiteral("0,0.1,0.2,0.3,0.4,0.5,0.6"));
    c.option(QStringLiteral("seed"), QStringLiteral("Mask seed."), QStringLiteral("S"), QStringLiteral("0"));
    c.option(QStringLiteral("mask-folder"),
        QStringLiteral("Draw each level's masks from this folder (white = hole) instead of generating them."),
        QStringLiteral("DIR"));
    c.option(QStringLiteral("device"), QStringLiteral("auto, cpu, cuda or cuda:N."), QStringLiteral("D"),
        QStringLiteral("cpu"));
    c.option(QStringLiteral("json"), QStringLiteral("Print a JSON report."));
    c.option(QStringLiteral("csv"), QStringLiteral("Also write the figures as CSV to FILE."),
        QStringLiteral("FILE"));
    if (!c.parse())
        return kExitOk;
    const QString ckpt = c.required(QStringLiteral("checkpoint"));
    const QString dataset = c.required(QStringLiteral("dataset"));
    QVector<std::pair<double, double>> levels;
    try {
        levels = parseRobustnessRatios(c.value(QStringLiteral("ratios")));
    } catch (const Error& e) {
        throw UsageError { QStringLiteral("robustness: --ratios: ") + QString::fromStdString(e.what()) };
    }
    const std::uint64_t seed = c.seed();
    TerminalProgress bar(QStringLiteral("predictions"));
    const RobustnessResult r = robustnessOfCheckpoint(ckpt, dataset, c.value(QStringLiteral("split")), levels,
        seed, c.value(QStringLiteral("device")), c.value(QStringLiteral("mask-folder")), bar);
    bar.clear();
    for (const SkippedPair& p : r.skipped)
        err(QStringLiteral("skipped %1: %2").arg(p.file, p.reason));
    if (c.isSet(QStringLiteral("csv"))) {
        // Never over a dataset's file or a file masksup did not write (see output_guard.h).
        const QFileInfo csv(c.value(QStringLiteral("csv")));
        OutputFolder guard(csv.absolutePath(), QStringLiteral("robustness"), QStringLiteral("results"));
        guard.claim({ csv.absoluteFilePath() });
        guard.commit();
        writeFileAtomic(csv.absoluteFilePath(), r.toCsv().toUtf8());
    }
    if (c.isSet(QStringLiteral("json"))) {
        QJsonObject o = r.toJson();
        o.insert(QStringLiteral("checkpoint"), QFileInfo(ckpt).absoluteFilePath());
        out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    out() << QStringLiteral("%1 images (%2 split), mask seed %3\n").arg(r.images).arg(r.split).arg(seed);
    out() << QStringLiteral("hole ratio      mean hole   mIoU\n");
    for (const RobustnessLevel& l : r.levels)
        out() << QStringLiteral("%1  %2  %3\n")
                     .arg(l.hi <= 0 ? QStringLiteral("none (clean)")
                                    : QStringLiteral("(%1, %2]").arg(l.lo).arg(l.hi),
                         -12)
                     .arg(l.meanHoleRatio, 10, 'f', 3)
                     .arg(l.confusion.meanIoU(), 6, 'f', 4);
    return kExitOk;
}

// --- report ------------------------------------------------------------------------------------
std::atomic_bool g_reportCancel { false };

extern "C" void onReportInterrupt(int)
{
    g_reportCancel.store(true);
}

int cmdReport(const QStringList& args)
{
    Command c(QStringLiteral("report"),
        QStringLiteral(
            "Write a report of a training run: title facts, charts (loss terms, validation metrics, "
            "per-class IoU and learning rate per epoch), the final and best epochs' metrics, the "
            "per-class IoU, the confusion matrix and example validation images predicted with "
            "RUN_DIR/checkpoints/best.pt (image | ground truth | prediction | error mode). .html "
            "gives one self-contained file, .pdf an A4 document."),
        args);
    c.positional(QStringLiteral("RUN_DIR"), QStringLiteral("The run folder (masksup train --out)."));
    c.option(QStringLiteral("out"), QStringLiteral("The report file: ending in .html or .pdf."),
        QStringLiteral("FILE"));
    c.option(QStringLiteral("examples"),
        QStringLiteral("Validation images shown with their predictions (0 = none, no dataset needed)."),
        QStringLiteral("N"), QStringLiteral("4"));
    c.option(QStringLiteral("dataset"),
        QStringLiteral("The dataset folder, when it is no longer where the run's %1 says.")
            .arg(RunFolder::fileName(RunFile::Config)),
        QStringLiteral("DIR"));
    c.option(QStringLiteral("device"), QStringLiteral("auto, cpu, cuda or cuda:N (for the examples)."),
        QStringLiteral("D"), QStringLiteral("cpu"));
    if (!c.parse())
        return kExitOk;
    const QStringList positionals = c.positionals();
    if (positionals.size() != 1)
        throw UsageError { QStringLiteral("report: give exactly one RUN_DIR (see 'masksup report --help')") };
    const QString outPath = c.required(QStringLiteral("out"));
    const QString suffix = QFileInfo(outPath).suffix().toLower();
    if (suffix != QLatin1String("html") && suffix != QLatin1String("htm") && suffix != QLatin1String("pdf"))
        throw UsageError { QStringLiteral("report: --out must end in .html or .pdf, got '%1'").arg(outPath) };
    ReportOptions o;
    o.examples = c.integer(QStringLiteral("examples"), 0, 100);
    o.datasetRoot = c.value(QStringLiteral("dataset"));
    o.device = c.value(QStringLiteral("device"));
    TerminalProgress bar({}, &g_reportCancel); // the bar names each step; Ctrl+C cancels
    std::signal(SIGINT, onReportInterrupt);
    std::signal(SIGTERM, onReportInterrupt);
    // Never over a dataset's file or a file masksup did not write (see output_guard.h); checked
    // before the report is drawn.
    const QFileInfo target(outPath);
    OutputFolder guard(target.absolutePath(), QStringLiteral("report"), QStringLiteral("reports"));
    const bool replacing = guard.claim({ target.absoluteFilePath() }) > 0;
    guard.commit();
    const ReportResult r = writeRunReport(positionals.first(), outPath, o, bar);
    if (replacing && !r.cancelled)
        out() << QStringLiteral("replaced the report masksup had written there before\n");
    bar.clear();
    if (r.cancelled) {
        err(QStringLiteral("report: interrupted, nothing written"));
        return kExitInterrupted;
    }
    out() << QStringLiteral("wrote %1 (%2 KB): %3 chart(s), %4 example(s)\n")
                 .arg(QDir::toNativeSeparators(r.outputPath))
                 .arg((r.bytes + 1023) / 1024)
                 .arg(r.charts)
                 .arg(r.examples);
    for (const QString& note : r.notes)
        out() << QStringLiteral("  note: ") << note << QLatin1Char('\n');
    return kExitOk;
}

// --- devices -----------------------------------------------------------------------------------
int cmdDevices(const QStringList& args)
{
    Command c(QStringLiteral("devices"),
        QStringLiteral(
            "List the devices training can use: the CPU (its threads) and each NVIDIA GPU the CUDA driver "
            "(libcuda.so.1) reports, with its name, memory and compute capability, and whether this build's "
            "LibTorch has CUDA. The GPUs are read from the driver itself, so they are listed even when this "
            "build cannot train on them (a CPU-only LibTorch): see the README's 'NVIDIA GPU' section for a "
            "CUDA build. Exit 0 in every case."),
        args);
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
            "this build of LibTorch has no CUDA: it trains on the CPU only, the GPU(s) above are unused. "
            "Build against a CUDA LibTorch (README, section 'NVIDIA GPU').");
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
            list.append(QJsonObject { { QStringLiteral("device"), QStringLiteral("cuda:%1").arg(d.index) },
                { QStringLiteral("index"), d.index },
                { QStringLiteral("name"), QString::fromStdString(d.name) },
                { QStringLiteral("memory_bytes"), double(d.totalBytes) },
                { QStringLiteral("memory_gib"),
                    QString::fromStdString(engine::gibText(d.totalBytes)).toDouble() },
                { QStringLiteral("compute_capability"),
                    QStringLiteral("%1.%2").arg(d.major).arg(d.minor) } });
        QJsonObject json { { QStringLiteral("cpu"), QJsonObject { { QStringLiteral("threads"), threads } } },
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

int main(int argc, char** argv)
{
    // 'report' draws text (charts, PDF), which needs a QGuiApplication: offscreen unless told otherwise.
    const bool gui = argc > 1 && qstrcmp(argv[1], "report") == 0;
    if (gui && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    const std::unique_ptr<QCoreApplication> application = gui
        ? std::make_unique<QGuiApplication>(argc, argv)
        : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication& app = *application;
    QCoreApplication::setApplicationName(QStringLiteral("masksup"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MASKSUP_VERSION));
    QStringList args = app.arguments().mid(1);
    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h")
        || args.first() == QLatin1String("help")) {
        out() << QString::fromUtf8(kUsage).arg(RunFolder::fileName(RunFile::Config));
        return args.isEmpty() ? kExitUsage : kExitOk;
    }
    if (args.first() == QLatin1String("--version")) {
        out() << QStringLiteral("masksup %1\n").arg(QStringLiteral(MASKSUP_VERSION));
        return kExitOk;
    }
    const QString command = args.takeFirst();
    try {
        if (command == QLatin1String("synth"))
            return cmdSynth(args);
        if (command == QLatin1String("masks"))
            return cmdMasks(args);
        if (command == QLatin1String("inspect"))
            return cmdInspect(args);
        if (command == QLatin1String("train"))
            return cmdTrain(args);
        if (command == QLatin1String("evaluate"))
            return cmdEvaluate(args);
        if (command == QLatin1String("predict"))
            return cmdPredict(args);
        if (command == QLatin1String("robustness"))
            return cmdRobustness(args);
        if (command == QLatin1String("info"))
            return cmdInfo(args);
        if (command == QLatin1String("presets"))
            return cmdPresets(args);
        if (command == QLatin1String("import-weights"))
            return cmdImportWeights(args);
        if (command == QLatin1String("corrections"))
            return cmdCorrections(args);
        if (command == QLatin1String("report"))
            return cmdReport(args);
        if (command == QLatin1String("devices"))
            return cmdDevices(args);
        err(QStringLiteral("unknown command '%1'. Commands: synth, masks, inspect, train, evaluate, predict, "
                           "robustness, info, presets, devices, import-weights, corrections, report "
                           "(masksup --help)")
                .arg(command));
        return kExitUsage;
    } catch (const UsageError& e) {
        err(e.message);
        return kExitUsage;
    } catch (const std::exception& e) {
        err(QString::fromStdString(e.what()));
        return kExitError;
    }
}
