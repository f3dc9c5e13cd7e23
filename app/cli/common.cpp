#include "common.h"

#include "core/base/terminal_text.h"
#include "core/io/atomic_file.h"
#include "core/train/output_guard.h"
#include "core/train/scoring.h"

#include <QFileInfo>
#include <QIODevice>
#include <QJsonObject>

#include <cmath>
#include <cstdio>
#include <string>

namespace msup::cli {

namespace {

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

} // namespace

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

CommandLine::CommandLine(const QString& name, const QString& description, const QStringList& args)
    : m_name(name)
{
    m_parser.setApplicationDescription(description);
    m_parser.addHelpOption();
    m_args = QStringList { QStringLiteral("masksup ") + name } + args;
}

void CommandLine::option(
    const QString& name, const QString& help, const QString& valueName, const QString& defaultValue)
{
    QCommandLineOption o(name, help, valueName, defaultValue);
    m_parser.addOption(o);
}

bool CommandLine::parse()
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

QString CommandLine::required(const QString& name) const
{
    const QString v = m_parser.value(name);
    if (v.isEmpty())
        throw UsageError {
            QStringLiteral("%1: --%2 is required (see 'masksup %1 --help')").arg(m_name, name)
        };
    return v;
}

namespace {

    // The flag's value converted by `convert`, or a UsageError saying what it expects (`kind`).
    template <typename T, typename Convert>
    T numberIn(const QString& command, const QString& name, const QString& value, T lo, T hi,
        const QString& kind, Convert convert)
    {
        bool ok = false;
        const T v = convert(value, &ok);
        if (!ok || v < lo || v > hi)
            throw UsageError { QStringLiteral("%1: --%2 expects %3 from %4 to %5, got '%6'")
                                   .arg(command, name, kind)
                                   .arg(lo)
                                   .arg(hi)
                                   .arg(value) };
        return v;
    }

} // namespace

int CommandLine::integer(const QString& name, int lo, int hi) const
{
    return numberIn(m_name, name, m_parser.value(name), lo, hi, QStringLiteral("a whole number"),
        [](const QString& v, bool* ok) { return v.toInt(ok); });
}

double CommandLine::real(const QString& name, double lo, double hi) const
{
    return numberIn(m_name, name, m_parser.value(name), lo, hi, QStringLiteral("a number"),
        [](const QString& v, bool* ok) { return v.toDouble(ok); });
}

void CommandLine::deviceOption(const QString& use)
{
    const QString help = QStringLiteral("auto, cpu, cuda or cuda:N");
    option(QStringLiteral("device"),
        use.isEmpty() ? help + QLatin1Char('.') : QStringLiteral("%1 (%2).").arg(help, use),
        QStringLiteral("D"), QStringLiteral("cpu"));
}

void CommandLine::seedOption(const QString& help, int defaultValue)
{
    option(QStringLiteral("seed"), help, QStringLiteral("S"), QString::number(defaultValue));
}

std::uint64_t CommandLine::seed(const QString& name) const
{
    bool ok = false;
    const std::uint64_t v = m_parser.value(name).toULongLong(&ok);
    if (!ok)
        throw UsageError { QStringLiteral("%1: --%2 expects a non-negative whole number, got '%3'")
                               .arg(m_name, name, m_parser.value(name)) };
    return v;
}

QString fixedOrNa(double v)
{
    return std::isnan(v) ? QStringLiteral("n/a") : QString::number(v, 'f', 4);
}

void printBinaryScores(const BinaryScores& scores)
{
    const BinaryScores::PerImageSummary summary = scores.perImageSummary();
    out() << QStringLiteral(
        "per-image Dice  mean %1, median %2, min %3, max %4\n"
        "HD95 (pixels)   mean %5 (%6 image(s) with an empty truth or prediction left out)\n"
        "object F1       %7 (TP %8, FP %9, FN %10)\n")
                 .arg(fixedOrNa(summary.diceMean), fixedOrNa(summary.diceMedian), fixedOrNa(summary.diceMin),
                     fixedOrNa(summary.diceMax), fixedOrNa(summary.hd95Mean))
                 .arg(summary.hd95Undefined)
                 .arg(fixedOrNa(scores.objectF1))
                 .arg(scores.truePositives)
                 .arg(scores.falsePositives)
                 .arg(scores.falseNegatives);
    out() << QStringLiteral("object Dice     %1\nobject Hausdorff %2 pixels\n")
                 .arg(fixedOrNa(scores.objectDice), fixedOrNa(scores.objectHausdorff));
}

void addCheckpointOptions(CommandLine& c)
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

void addInferenceOptions(CommandLine& c)
{
    c.option(QStringLiteral("inference"),
        QStringLiteral("resize: the whole image resized to the training size; tiles: the image at its own "
                       "resolution (times --scale) in overlapping tiles of the training size, blended with a "
                       "smooth weight."),
        QStringLiteral("resize|tiles"), QStringLiteral("resize"));
    c.option(QStringLiteral("scale"),
        QStringLiteral(
            "With --inference tiles: scale the image by this first (1 = native resolution, 0.1 to 4)."),
        QStringLiteral("F"), QStringLiteral("1"));
    c.option(QStringLiteral("overlap"),
        QStringLiteral(
            "With --inference tiles: share of a tile's side its neighbour covers again (0 to 0.9)."),
        QStringLiteral("F"), QStringLiteral("0.5"));
    c.option(QStringLiteral("tta"),
        QStringLiteral("none, or flip: average the probabilities over the image and its horizontal, vertical "
                       "and double flips (4 passes)."),
        QStringLiteral("none|flip"), QStringLiteral("none"));
}

InferenceOptions inferenceOptions(const CommandLine& c)
{
    InferenceOptions o;
    if (!InferenceOptions::modeFromName(c.value(QStringLiteral("inference")), &o.mode))
        throw UsageError { QStringLiteral("--inference expects resize or tiles, got '%1'")
                               .arg(c.value(QStringLiteral("inference"))) };
    const QString tta = c.value(QStringLiteral("tta"));
    if (tta != QLatin1String("none") && tta != QLatin1String("flip"))
        throw UsageError { QStringLiteral("--tta expects none or flip, got '%1'").arg(tta) };
    o.flipTta = tta == QLatin1String("flip");
    o.scale = c.real(QStringLiteral("scale"), InferenceOptions::kMinScale, InferenceOptions::kMaxScale);
    o.overlap = c.real(QStringLiteral("overlap"), 0.0, InferenceOptions::kMaxOverlap);
    if (o.mode == InferenceOptions::Mode::Resize
        && (c.isSet(QStringLiteral("scale")) || c.isSet(QStringLiteral("overlap"))))
        throw UsageError { QStringLiteral("--scale and --overlap apply to --inference tiles only") };
    return o;
}

void writeResultFile(const QString& path, const QString& command, const QByteArray& bytes)
{
    const QFileInfo file(path);
    OutputFolder guard(file.absolutePath(), command, QStringLiteral("results"));
    guard.claim({ file.absoluteFilePath() });
    guard.commit();
    writeFileAtomic(file.absoluteFilePath(), bytes);
}

} // namespace msup::cli
