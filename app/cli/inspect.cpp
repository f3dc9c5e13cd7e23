// masksup inspect: a dataset's format, classes, counts and problems.
#include "command.h"
#include "common.h"

#include "cli_progress.h"

#include "core/data/dataset.h"
#include "core/data/formats/format_registry.h"
#include "core/data/split.h"
#include "core/data/validation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace msup::cli {

namespace {

    struct Splits {
        QJsonObject counts; // split name -> pairs
        QStringList text; // "12 train", ...
    };

    // Official splits of the format (GLaS train/testA/testB) are reported as they are; otherwise the
    // seeded train/val split a run would make.
    Splits splitsOf(const Dataset& ds, double valFraction, std::uint64_t seed)
    {
        const Split split = defaultSplit(ds, valFraction, seed);
        Splits s;
        if (!ds.officialSplits.isEmpty()) {
            for (const QString& name : ds.officialSplits) {
                const int n = int(samplesOfSplit(ds, name).size());
                s.counts.insert(name, n);
                s.text << QStringLiteral("%1 %2").arg(n).arg(name);
            }
        } else {
            s.counts = QJsonObject { { QStringLiteral("train"), int(split.train.size()) },
                { QStringLiteral("val"), int(split.val.size()) } };
            s.text << QStringLiteral("seeded split: %1 train").arg(split.train.size())
                   << QStringLiteral("%1 val").arg(split.val.size());
        }
        return s;
    }

    // Class i's share of the labelled pixels.
    double pixelShare(const DatasetReport& report, int i)
    {
        qint64 labelled = 0;
        for (qint64 p : report.classPixels)
            labelled += p;
        return labelled > 0 ? double(report.classPixels.value(i)) / double(labelled) : 0.0;
    }

    void printJson(const Dataset& ds, const DatasetReport& report, const Splits& splits)
    {
        const QSize mn = report.minSize, mx = report.maxSize;
        QJsonArray classes, problems;
        for (int i = 0; i < ds.classNames.size(); ++i)
            classes.append(
                QJsonObject { { QStringLiteral("index"), i }, { QStringLiteral("name"), ds.classNames[i] },
                    { QStringLiteral("color"), ds.classColors.value(i).name() },
                    { QStringLiteral("pixels"), double(report.classPixels.value(i)) },
                    { QStringLiteral("fraction"), pixelShare(report, i) } });
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
            { QStringLiteral("splits"), splits.counts },
            { QStringLiteral("official_splits"), !ds.officialSplits.isEmpty() },
            { QStringLiteral("image_size_min"), QJsonArray { mn.width(), mn.height() } },
            { QStringLiteral("image_size_max"), QJsonArray { mx.width(), mx.height() } },
            { QStringLiteral("problems"), problems } };
        out() << QJsonDocument(json).toJson(QJsonDocument::Indented);
    }

    void printText(const Dataset& ds, const DatasetReport& report, const Splits& splits)
    {
        const QSize mn = report.minSize, mx = report.maxSize;
        out() << QStringLiteral("dataset: %1\nformat:  %2\npairs:   %3 (%4), %5 unusable\n")
                     .arg(ds.root, ds.formatSpec)
                     .arg(ds.samples.size())
                     .arg(splits.text.join(QStringLiteral(", ")))
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
                         .arg(100.0 * pixelShare(report, i), 6, 'f', 2);
        if (report.voidPixels > 0)
            out() << QStringLiteral("  void pixels (ignored): %1\n").arg(report.voidPixels);
        out() << QStringLiteral("problems: %1\n").arg(report.problems.size());
        for (const DatasetProblem& p : report.problems)
            out() << QStringLiteral("  ") << p.toString() << QLatin1Char('\n');
    }

    int run(CommandLine& c)
    {
        c.positional(QStringLiteral("DIR"),
            QStringLiteral("The dataset folder (or the NYUDv2 nyu_depth_v2_labeled.mat file itself)."));
        c.option(QStringLiteral("json"), QStringLiteral("Print a JSON report."));
        c.option(QStringLiteral("format"),
            QStringLiteral("Skip detection: %1 (the -13 forms read NYUDv2 with 13 classes instead of 40).")
                .arg(datasetFormatNamesText()),
            QStringLiteral("name"));
        c.option(QStringLiteral("val-fraction"),
            QStringLiteral("Share of pairs in the seeded validation split."), QStringLiteral("F"),
            QStringLiteral("0.2"));
        c.seedOption(QStringLiteral("Split seed."));
        if (!c.parse())
            return kExitOk;
        if (c.positionals().size() != 1)
            throw UsageError { QStringLiteral(
                "inspect: give exactly one dataset folder (masksup inspect DIR)") };
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
        if (bar.isCancelled()) { // the report would cover only the pairs decoded so far
            err(QStringLiteral("inspect: interrupted, nothing reported"));
            return kExitInterrupted;
        }

        const Splits splits = splitsOf(ds, c.real(QStringLiteral("val-fraction"), 0.01, 0.99), c.seed());
        if (c.isSet(QStringLiteral("json")))
            printJson(ds, report, splits);
        else
            printText(ds, report, splits);
        return kExitOk;
    }

} // namespace

extern const Command inspectCommand { "inspect",
    "Detect a dataset's format and report classes, counts and problems.", "masksup inspect DIR [--json]",
    "Detect a dataset's format, decode every pair, and report classes, counts per split, image "
    "sizes, class pixel frequencies and every problem found (with the file and a fix).",
    &run };

} // namespace msup::cli
