// Run reports: core/train/run_report (HTML with embedded images, A4 PDF, errors naming the file and
// line), the 'masksup report' command and, when the GUI is built, RunsPanel::exportReport. One tiny
// real run (6-class synthetic scenes, U-Net width 4, 32² inputs, 2 epochs) is shared by every test; a
// tiny binary run (synthetic glands) checks the GlaS object metrics that evaluate, the report and the
// Runs panel show for binary datasets (and only for them).
#include "core/base/error.h"
#include "core/data/synth.h"
#include "core/train/evaluator.h"
#include "core/train/run_folder.h"
#include "core/train/run_report.h"
#include "core/train/training_session.h"
#include "tests/support/files.h"
#include "tests/support/fixtures.h"
#include "tests/support/process.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cmath>

#ifdef MASKSUP_TEST_UI
#include "ui/runs_panel.h"

#include <QProgressDialog>
#include <QPushButton>
#include <QTableView>

#include "ui/format.h"
#endif

using namespace msup;

namespace {

using msup::test::readAll;

// Writes the file (making its folders) or fails the running test.
void writeText(const QString& path, const QByteArray& bytes)
{
    QVERIFY2(msup::test::writeAll(path, bytes), qPrintable(path));
}

// The value as the report writes it in data-value attributes (and metrics.jsonl holds it).
QString exact(double v)
{
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

struct Img {
    QString cssClass, id;
    QImage image;
};

// Every <img> of the HTML with a base64 PNG data URI, decoded.
QVector<Img> embeddedImages(const QString& html)
{
    QVector<Img> images;
    static const QRegularExpression re(
        QStringLiteral("<img class=\"([a-z]+)\" id=\"([^\"]+)\" alt=\"[^\"]*\" "
                       "src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\""));
    auto it = re.globalMatch(html);
    while (it.hasNext()) {
        const auto m = it.next();
        images.append({ m.captured(1), m.captured(2),
            QImage::fromData(QByteArray::fromBase64(m.captured(3).toLatin1()), "PNG") });
    }
    return images;
}

// The <tr ...> element whose id is `id`.
QString rowOf(const QString& html, const QString& id)
{
    const qsizetype start = html.indexOf(QStringLiteral("<tr id=\"%1\"").arg(id));
    if (start < 0)
        return {};
    return html.mid(start, html.indexOf(QStringLiteral("</tr>"), start) - start);
}

// `masksup args...` printing one JSON object, or fails the running test.
QJsonObject jsonOf(const QStringList& args)
{
    const msup::test::Run r = msup::test::masksup(args);
    [&] { QVERIFY2(r.code == 0, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + r.err)); }();
    return QJsonDocument::fromJson(r.out.toUtf8()).object();
}

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

} // namespace

class TestReport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void htmlHasEverything();
    void pdfIsWritten();
    void progressAndCancel();
    void runWithoutCheckpoint();
    void errors_data();
    void errors();
    void cliWritesReport();
    void cliErrors();
    void evaluateShowsObjectMetricsForBinaryDatasets();
    void reportShowsObjectMetricsForBinaryRuns();
#ifdef MASKSUP_TEST_UI
    void runsPanelExportsInBackground();
    void runsPanelShowsObjectMetricsForBinaryRuns();
#endif

private:
    QString copyRun(const QString& name, bool checkpoints);
    QTemporaryDir m_dir;
    QString m_dataset, m_run;
    QString m_glands, m_binaryRun; // the binary dataset and run
    QVector<QJsonObject> m_epochs;
};

void TestReport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_dataset = msup::test::writeTinyDataset(
        m_dir.filePath(QStringLiteral("scenes")), SynthKind::Scenes, 10, 64, 3);

    m_run = m_dir.filePath(QStringLiteral("runs/scenes-masksup"));
    TrainConfig c = msup::test::twoEpochConfig(m_dataset, m_run);
    c.model = QStringLiteral("unet");
    c.seed = 7;
    c.threads = 2;
    c.valFraction = 0.4; // 4 validation images
    TrainingSession session(c);
    QCOMPARE(session.run({}).epochsCompleted, 2);

    for (const QByteArray& line : readAll(QDir(m_run).filePath(QStringLiteral("metrics.jsonl"))).split('\n'))
        if (!line.trimmed().isEmpty())
            m_epochs << QJsonDocument::fromJson(line).object();
    QCOMPARE(m_epochs.size(), 2);

    m_glands = msup::test::writeTinyDataset(
        m_dir.filePath(QStringLiteral("glands")), SynthKind::Glands, 10, 64, 3);
    m_binaryRun = m_dir.filePath(QStringLiteral("runs/glands-baseline"));
    TrainConfig b = msup::test::twoEpochConfig(m_glands, m_binaryRun);
    b.model = QStringLiteral("unet");
    b.seed = 7;
    b.threads = 2;
    b.valFraction = 0.4; // 4 validation images
    TrainingSession binary(b);
    QCOMPARE(binary.run({}).epochsCompleted, 2);
}

QString TestReport::copyRun(const QString& name, bool checkpoints)
{
    const QString to = m_dir.filePath(QStringLiteral("copies/") + name);
    QDir(to).removeRecursively();
    QDir().mkpath(to + QStringLiteral("/checkpoints"));
    QStringList files { QStringLiteral("config.json"), QStringLiteral("metrics.jsonl"),
        QStringLiteral("split.json") };
    if (checkpoints)
        files << QStringLiteral("checkpoints/best.pt") << QStringLiteral("checkpoints/last.pt");
    for (const QString& f : files)
        QFile::copy(QDir(m_run).filePath(f), QDir(to).filePath(f));
    return to;
}

void TestReport::htmlHasEverything()
{
    const QString out = m_dir.filePath(QStringLiteral("out/report.html"));
    ReportOptions o;
    o.examples = 3;
    const ReportResult r = writeRunReport(m_run, out, o);
    QVERIFY(!r.cancelled);
    QCOMPARE(r.outputPath, QFileInfo(out).absoluteFilePath());
    QVERIFY(!r.pdf);
    QCOMPARE(r.examples, 3);
    QCOMPARE(r.charts, 4); // loss, validation, per-class IoU, learning rate (no robustness.csv)
    const QByteArray bytes = readAll(out);
    QCOMPARE(qint64(bytes.size()), r.bytes);
    const QString html = QString::fromUtf8(bytes);
    QVERIFY(html.startsWith(QLatin1String("<!DOCTYPE html>")));
    QVERIFY(html.trimmed().endsWith(QLatin1String("</html>")));
    QVERIFY(html.contains(QLatin1String("<meta charset=\"utf-8\">")));
    QVERIFY(html.contains(QLatin1String("scenes-masksup")));
    QVERIFY(html.contains(QLatin1String("unet (width 4)")));
    QVERIFY(!html.contains(QLatin1String("report-image://"))); // self-contained: no external image

    // The metrics table holds the exact values of metrics.jsonl for the final and the best epoch.
    int best = 0;
    for (int i = 1; i < m_epochs.size(); ++i)
        if (m_epochs[i].value(QStringLiteral("val_miou")).toDouble()
            > m_epochs[best].value(QStringLiteral("val_miou")).toDouble())
            best = i;
    const QJsonObject& last = m_epochs.last();
    const QJsonObject& bestEpoch = m_epochs[best];
    QVERIFY(html.contains(QStringLiteral("<table id=\"metrics\"")));
    QVERIFY(html.contains(QStringLiteral("Final epoch (2)")));
    QVERIFY(html.contains(QStringLiteral("Best epoch (%1)").arg(best + 1)));
    for (const char* key : { "val_miou", "val_dice", "val_pixel_accuracy", "loss", "loss_seg" }) {
        const QString row = rowOf(html, QStringLiteral("metric-") + QLatin1String(key));
        QVERIFY2(!row.isEmpty(), key);
        const QString lastValue = exact(last.value(QLatin1String(key)).toDouble());
        const QString bestValue = exact(bestEpoch.value(QLatin1String(key)).toDouble());
        const qsizetype at = row.indexOf(QStringLiteral("data-value=\"%1\"").arg(lastValue));
        QVERIFY2(at >= 0, qPrintable(row));
        QVERIFY2(
            row.indexOf(QStringLiteral("data-value=\"%1\"").arg(bestValue), at + 1) > at, qPrintable(row));
    }
    // The shown figure is the value to 4 decimals.
    QVERIFY(rowOf(html, QStringLiteral("metric-val_miou"))
                .contains(QString::number(last.value(QStringLiteral("val_miou")).toDouble(), 'f', 4)));

    // One per-class row per class, with the best epoch's IoU.
    const QJsonArray classes
        = QJsonDocument::fromJson(readAll(QDir(m_run).filePath(QStringLiteral("config.json"))))
              .object()
              .value(QStringLiteral("classes"))
              .toArray();
    QCOMPARE(classes.size(), 6);
    QCOMPARE(html.count(QStringLiteral("class=\"class-row\"")), 6);
    const QJsonArray perClass = bestEpoch.value(QStringLiteral("per_class_iou")).toArray();
    for (int c = 0; c < classes.size(); ++c) {
        const qsizetype start
            = html.indexOf(QStringLiteral("<tr class=\"class-row\" id=\"class-%1\">").arg(c));
        QVERIFY(start >= 0);
        const QString row = html.mid(start, html.indexOf(QStringLiteral("</tr>"), start) - start);
        QVERIFY2(row.contains(classes[c].toString().toHtmlEscaped()), qPrintable(row));
        const QString expected
            = perClass[c].isDouble() ? exact(perClass[c].toDouble()) : QStringLiteral("null");
        QVERIFY2(row.contains(QStringLiteral("data-value=\"%1\"").arg(expected)), qPrintable(row));
    }

    // Images: the charts, the confusion heatmap and 3 examples of 4 panels each.
    const QVector<Img> images = embeddedImages(html);
    int charts = 0, examples = 0, confusion = 0;
    for (const Img& im : images) {
        QVERIFY2(!im.image.isNull(), qPrintable(im.id));
        if (im.cssClass == QLatin1String("chart")) {
            ++charts;
            QCOMPARE(im.image.width(), 1360); // 680 logical pixels at twice the resolution
            QVERIFY(im.image.height() > 300);
        } else if (im.cssClass == QLatin1String("example")) {
            ++examples;
            QCOMPARE(im.image.size(), reportExampleSize(QSize(64, 64)));
            QCOMPARE(im.image.size(), QSize(4 * 256 + 3 * 8, 256));
        } else if (im.cssClass == QLatin1String("confusion")) {
            ++confusion;
        }
    }
    QCOMPARE(charts, 4);
    QCOMPARE(examples, 3);
    QCOMPARE(confusion, 1);
    QVERIFY(html.contains(QStringLiteral("<table id=\"confusion-table\"")));
    // A chart is not blank: its lines use more than a handful of colours.
    const QImage chart = images.first().image;
    QSet<QRgb> colours;
    for (int y = 0; y < chart.height(); y += 3)
        for (int x = 0; x < chart.width(); x += 3)
            colours.insert(chart.pixel(x, y));
    QVERIFY(colours.size() > 20);
}

void TestReport::pdfIsWritten()
{
    const QString out = m_dir.filePath(QStringLiteral("out/report.pdf"));
    ReportOptions o;
    o.examples = 2;
    const ReportResult r = writeRunReport(m_run, out, o);
    QVERIFY(r.pdf);
    QCOMPARE(r.examples, 2);
    const QByteArray bytes = readAll(out);
    QVERIFY(bytes.startsWith("%PDF-"));
    QVERIFY(bytes.size() > 1024);
    QCOMPARE(qint64(bytes.size()), r.bytes);
    QVERIFY(bytes.trimmed().endsWith("%%EOF"));
    QVERIFY(bytes.contains("/MediaBox")); // paged
    // The images go in as XObjects.
    QVERIFY(bytes.count("/Subtype /Image") >= 5);
}

void TestReport::progressAndCancel()
{
    ReportOptions o;
    o.examples = 1;
    QVector<int> done;
    int total = 0;
    FunctionProgress progress([&](int d, int t, const std::string&) {
        done << d;
        total = t;
    });
    const ReportResult r
        = writeRunReport(m_run, m_dir.filePath(QStringLiteral("out/progress.html")), o, progress);
    QCOMPARE(r.examples, 1);
    QVERIFY(done.size() >= 3);
    QVERIFY(std::is_sorted(done.cbegin(), done.cend()));
    QCOMPARE(done.first(), 0);
    QCOMPARE(done.last(), total);

    // Cancelled after the first step: nothing is written.
    std::atomic_bool cancel { false };
    ReportOptions c;
    FunctionProgress cancelling([&](int, int, const std::string&) { cancel.store(true); }, &cancel);
    const QString out = m_dir.filePath(QStringLiteral("out/cancelled.html"));
    const ReportResult rc = writeRunReport(m_run, out, c, cancelling);
    QVERIFY(rc.cancelled);
    QVERIFY(rc.outputPath.isEmpty());
    QVERIFY(!QFile::exists(out));
}

void TestReport::runWithoutCheckpoint()
{
    const QString run = copyRun(QStringLiteral("no-checkpoint"), false);
    // A robustness CSV in the run folder adds its chart.
    writeText(QDir(run).filePath(QStringLiteral("robustness.csv")),
        "ratio_low,ratio_high,miou\n0,0,0.61\n0,0.2,0.52\n0.2,0.4,0.37\n");
    const QString out = m_dir.filePath(QStringLiteral("out/no-checkpoint.html"));
    const ReportResult r = writeRunReport(run, out);
    QCOMPARE(r.examples, 0);
    QCOMPARE(r.charts, 5);
    QVERIFY(!r.notes.isEmpty());
    QVERIFY(r.notes.join(QLatin1Char(' ')).contains(QLatin1String("No checkpoint")));
    const QString html = QString::fromUtf8(readAll(out));
    QVERIFY(html.contains(QLatin1String("No checkpoint")));
    QVERIFY(html.contains(QLatin1String("No example predictions")));
    QVERIFY(html.contains(QStringLiteral("<table id=\"metrics\"")));
    int examples = 0;
    bool robustness = false;
    for (const Img& im : embeddedImages(html)) {
        examples += im.cssClass == QLatin1String("example") ? 1 : 0;
        robustness = robustness || (im.id == QLatin1String("chart-robustness") && !im.image.isNull());
    }
    QCOMPARE(examples, 0);
    QVERIFY(robustness);
}

void TestReport::errors_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("output");
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QStringList>("expected"); // parts of the message

    QTest::newRow("missing run") << "missing"
                                 << "r.html"
                                 << "" << QStringList { "missing", "run folder not found" };
    QTest::newRow("not a run") << "not-a-run"
                               << "r.html"
                               << "" << QStringList { "not-a-run", "config.json" };
    QTest::newRow("bad JSON line") << "bad-json"
                                   << "r.html"
                                   << "" << QStringList { "metrics.jsonl", "line 2", "not valid JSON" };
    QTest::newRow("line without epoch")
        << "no-epoch"
        << "r.pdf"
        << "" << QStringList { "metrics.jsonl", "line 1", "not an epoch's metrics" };
    QTest::newRow("no metrics") << "no-metrics"
                                << "r.html"
                                << "" << QStringList { "metrics.jsonl", "not found" };
    QTest::newRow("empty metrics") << "empty-metrics"
                                   << "r.html"
                                   << "" << QStringList { "metrics.jsonl", "holds no epoch" };
    QTest::newRow("unknown extension") << "good"
                                       << "r.txt"
                                       << "" << QStringList { "r.txt", "unknown report format" };
    QTest::newRow("dataset gone") << "good"
                                  << "r.html"
                                  << "gone-dataset" << QStringList { "gone-dataset", "dataset not found" };
    QTest::newRow("config dataset gone") << "moved-dataset"
                                         << "r.html"
                                         << "" << QStringList { "dataset not found", "--dataset" };
}

void TestReport::errors()
{
    QFETCH(QString, setup);
    QFETCH(QString, output);
    QFETCH(QString, dataset);
    QFETCH(QStringList, expected);

    QString run;
    if (setup == QLatin1String("missing")) {
        run = m_dir.filePath(QStringLiteral("missing"));
    } else if (setup == QLatin1String("not-a-run")) {
        run = m_dir.filePath(QStringLiteral("not-a-run"));
        QDir().mkpath(run);
    } else if (setup == QLatin1String("good")) {
        run = m_run;
    } else {
        run = copyRun(setup, true);
        const QString metrics = QDir(run).filePath(QStringLiteral("metrics.jsonl"));
        const QList<QByteArray> lines = readAll(metrics).split('\n');
        if (setup == QLatin1String("bad-json"))
            writeText(metrics, lines[0] + "\n{\"epoch\": 2, \"loss\": oops}\n" + lines[1] + '\n');
        else if (setup == QLatin1String("no-epoch"))
            writeText(metrics, "{\"loss\": 0.5}\n" + lines[0] + '\n');
        else if (setup == QLatin1String("no-metrics"))
            QFile::remove(metrics);
        else if (setup == QLatin1String("empty-metrics"))
            writeText(metrics, "\n");
        else if (setup == QLatin1String("moved-dataset")) {
            const QString config = QDir(run).filePath(QStringLiteral("config.json"));
            QJsonObject o = QJsonDocument::fromJson(readAll(config)).object();
            o.insert(QStringLiteral("dataset"), m_dir.filePath(QStringLiteral("moved-away")));
            writeText(config, QJsonDocument(o).toJson());
        }
    }
    ReportOptions o;
    o.examples = 1;
    if (!dataset.isEmpty())
        o.datasetRoot = m_dir.filePath(dataset);
    const QString out = m_dir.filePath(QStringLiteral("errors/") + output);
    QString message;
    try {
        writeRunReport(run, out, o);
    } catch (const Error& e) {
        message = QString::fromStdString(e.what());
    }
    QVERIFY2(!message.isEmpty(), "no error");
    for (const QString& part : expected)
        QVERIFY2(message.contains(part), qPrintable(message));
    QVERIFY(!QFile::exists(out));
}

void TestReport::cliWritesReport()
{
    const QString out = m_dir.filePath(QStringLiteral("cli/report.html"));
    QProcess p;
    p.start(QStringLiteral(MASKSUP_CLI),
        { QStringLiteral("report"), m_run, QStringLiteral("--out"), out, QStringLiteral("--examples"),
            QStringLiteral("1"), QStringLiteral("--dataset"), m_dataset });
    QVERIFY(p.waitForFinished(120000));
    const QString stdOut = QString::fromLocal8Bit(p.readAllStandardOutput());
    const QString stdErr = QString::fromLocal8Bit(p.readAllStandardError());
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == 0, qPrintable(stdErr));
    QVERIFY2(stdOut.contains(QLatin1String("1 example(s)")), qPrintable(stdOut));
    int examples = 0;
    for (const Img& im : embeddedImages(QString::fromUtf8(readAll(out))))
        examples += im.cssClass == QLatin1String("example") ? 1 : 0;
    QCOMPARE(examples, 1);

    // The command is listed in the help.
    p.start(QStringLiteral(MASKSUP_CLI), { QStringLiteral("--help") });
    QVERIFY(p.waitForFinished(30000));
    QVERIFY(
        QString::fromLocal8Bit(p.readAllStandardOutput()).contains(QLatin1String("masksup report RUN_DIR")));
}

void TestReport::cliErrors()
{
    struct Case {
        QStringList args;
        int code;
        QString message;
    };
    const QString missing = m_dir.filePath(QStringLiteral("no-such-run"));
    const QVector<Case> cases {
        { { QStringLiteral("report"), m_run, QStringLiteral("--out"), QStringLiteral("x.docx") }, 2,
            QStringLiteral("must end in .html or .pdf") },
        { { QStringLiteral("report"), missing, QStringLiteral("--out"),
              m_dir.filePath(QStringLiteral("cli/x.html")) },
            1, QStringLiteral("run folder not found") },
    };
    for (const Case& c : cases) {
        QProcess p;
        p.start(QStringLiteral(MASKSUP_CLI), c.args);
        QVERIFY(p.waitForFinished(60000));
        const QString stdErr = QString::fromLocal8Bit(p.readAllStandardError());
        QVERIFY2(p.exitCode() == c.code,
            qPrintable(c.args.join(QLatin1Char(' ')) + QStringLiteral(": ") + stdErr));
        QVERIFY2(stdErr.contains(c.message), qPrintable(stdErr));
    }
}

// Binary dataset: evaluate adds per-image Dice, HD95 and the object metrics, and they are what
// 'masksup score' finds for the label images 'masksup predict' writes with the same checkpoint.
// A multi-class dataset has none of them.
void TestReport::evaluateShowsObjectMetricsForBinaryDatasets()
{
    const QString ckpt = QDir(m_binaryRun).filePath(QStringLiteral("checkpoints/best.pt"));
    const QJsonObject e = jsonOf(
        { QStringLiteral("evaluate"), QStringLiteral("--checkpoint"), ckpt, QStringLiteral("--dataset"),
            m_glands, QStringLiteral("--split"), QStringLiteral("all"), QStringLiteral("--json") });
    QCOMPARE(e.value(QStringLiteral("images")).toInt(), 10);
    QCOMPARE(e.value(QStringLiteral("per_image")).toArray().size(), 10);
    QVERIFY(!e.value(QStringLiteral("per_image"))
                 .toArray()
                 .first()
                 .toObject()
                 .contains(QStringLiteral("prediction")));

    const QString pred = m_dir.filePath(QStringLiteral("glands-pred"));
    const msup::test::Run p
        = msup::test::masksup({ QStringLiteral("predict"), QStringLiteral("--checkpoint"), ckpt,
            QStringLiteral("--input"), m_glands + QStringLiteral("/images"), QStringLiteral("--out"), pred });
    QVERIFY2(p.code == 0, qPrintable(p.err));
    const QJsonObject s = jsonOf({ QStringLiteral("score"), QStringLiteral("--pred"), pred,
        QStringLiteral("--dataset"), m_glands, QStringLiteral("--json") });
    QCOMPARE(s.value(QStringLiteral("images")).toInt(), 10);
    for (const char* key : { "object_f1", "object_dice", "object_hausdorff", "hd95_mean", "miou" })
        QVERIFY2(e.value(QLatin1String(key)).isDouble()
                && near(e.value(QLatin1String(key)).toDouble(), s.value(QLatin1String(key)).toDouble()),
            key);
    for (const char* key : { "tp", "fp", "fn", "hd95_undefined" })
        QVERIFY2(e.value(QLatin1String(key)).toInt() == s.value(QLatin1String(key)).toInt(), key);
    QCOMPARE(e.value(QStringLiteral("dice_per_image")), s.value(QStringLiteral("dice_per_image")));
    // Object F1 from the pooled counts, object Dice the mean of the per-image values.
    const int tp = e.value(QStringLiteral("tp")).toInt(), fp = e.value(QStringLiteral("fp")).toInt(),
              fn = e.value(QStringLiteral("fn")).toInt();
    QVERIFY(tp + fp + fn > 0);
    QVERIFY(near(e.value(QStringLiteral("object_f1")).toDouble(), 2.0 * tp / (2.0 * tp + fp + fn)));
    double dice = 0;
    for (const QJsonValue& v : e.value(QStringLiteral("per_image")).toArray())
        dice += v.toObject().value(QStringLiteral("object_dice")).toDouble() / 10;
    QVERIFY(near(e.value(QStringLiteral("object_dice")).toDouble(), dice));

    // The text shows them too.
    msup::test::Run text = msup::test::masksup({ QStringLiteral("evaluate"), QStringLiteral("--checkpoint"),
        ckpt, QStringLiteral("--dataset"), m_glands, QStringLiteral("--split"), QStringLiteral("all") });
    QVERIFY2(text.code == 0, qPrintable(text.err));
    QVERIFY2(text.out.contains(QStringLiteral("object F1       %1 (TP %2, FP %3, FN %4)")
                                   .arg(e.value(QStringLiteral("object_f1")).toDouble(), 0, 'f', 4)
                                   .arg(tp)
                                   .arg(fp)
                                   .arg(fn)),
        qPrintable(text.out));
    QVERIFY2(text.out.contains(QStringLiteral("object Dice     %1")
                                   .arg(e.value(QStringLiteral("object_dice")).toDouble(), 0, 'f', 4)),
        qPrintable(text.out));
    QVERIFY(
        text.out.contains(QStringLiteral("object Hausdorff ")) && text.out.contains(QStringLiteral("HD95")));

    // Six classes: no object metrics.
    const QString scenes = QDir(m_run).filePath(QStringLiteral("checkpoints/best.pt"));
    const QJsonObject m = jsonOf(
        { QStringLiteral("evaluate"), QStringLiteral("--checkpoint"), scenes, QStringLiteral("--dataset"),
            m_dataset, QStringLiteral("--split"), QStringLiteral("val"), QStringLiteral("--json") });
    QVERIFY(m.contains(QStringLiteral("miou")));
    for (const char* key :
        { "object_f1", "object_dice", "object_hausdorff", "dice_per_image", "per_image", "tp" })
        QVERIFY2(!m.contains(QLatin1String(key)), key);
    text = msup::test::masksup({ QStringLiteral("evaluate"), QStringLiteral("--checkpoint"), scenes,
        QStringLiteral("--dataset"), m_dataset });
    QVERIFY2(text.code == 0, qPrintable(text.err));
    QVERIFY2(!text.out.contains(QStringLiteral("object")) && !text.out.contains(QStringLiteral("HD95")),
        qPrintable(text.out));
}

// A binary run's report has the object metrics of best.pt on the validation split, the values
// 'masksup evaluate --split val' prints; they are stored in the run folder and read back the next
// time (until best.pt changes). The 6-class run's report has none.
void TestReport::reportShowsObjectMetricsForBinaryRuns()
{
    const RunFolder run(m_binaryRun);
    QFile::remove(run.path(RunFile::ObjectMetrics));
    const QJsonObject e = jsonOf({ QStringLiteral("evaluate"), QStringLiteral("--checkpoint"),
        run.path(RunFile::BestCheckpoint), QStringLiteral("--dataset"), m_glands, QStringLiteral("--split"),
        QStringLiteral("val"), QStringLiteral("--json") });
    QCOMPARE(e.value(QStringLiteral("images")).toInt(), 4);

    const QString out = m_dir.filePath(QStringLiteral("out/binary.html"));
    ReportOptions o;
    o.examples = 1;
    const ReportResult r = writeRunReport(m_binaryRun, out, o);
    QVERIFY2(r.notes.join(QLatin1Char(' ')).indexOf(QLatin1String("object metrics")) < 0,
        qPrintable(r.notes.join(QLatin1Char(' '))));
    const QString html = QString::fromUtf8(readAll(out));
    QVERIFY(html.contains(QStringLiteral("<table id=\"object-metrics\"")));
    const struct {
        const char *row, *key;
    } rows[] = { { "object-f1", "object_f1" }, { "object-dice", "object_dice" },
        { "object-hausdorff", "object_hausdorff" }, { "hd95-mean", "hd95_mean" } };
    for (const auto& row : rows) {
        const QString tr = rowOf(html, QLatin1String(row.row));
        QVERIFY2(
            tr.contains(
                QStringLiteral("data-value=\"%1\"").arg(exact(e.value(QLatin1String(row.key)).toDouble()))),
            qPrintable(tr + QStringLiteral(" / ")
                + QString::number(e.value(QLatin1String(row.key)).toDouble(), 'g', 17)));
    }
    for (const char* key : { "tp", "fp", "fn" })
        QVERIFY(rowOf(html, QStringLiteral("object-") + QLatin1String(key))
                    .contains(QStringLiteral("data-value=\"%1\"").arg(e.value(QLatin1String(key)).toInt())));
    QVERIFY(rowOf(html, QStringLiteral("dice-per-image-median"))
                .contains(QStringLiteral("data-value=\"%1\"")
                              .arg(exact(e.value(QStringLiteral("dice_per_image"))
                                             .toObject()
                                             .value(QStringLiteral("median"))
                                             .toDouble()))));

    // Stored for this checkpoint: read back without evaluating; a new best.pt is evaluated again.
    const std::optional<RunObjectMetrics> stored = run.readObjectMetrics();
    QVERIFY(stored);
    QCOMPARE(stored->images, 4);
    QCOMPARE(stored->objectF1, e.value(QStringLiteral("object_f1")).toDouble());
    bool evaluated = true;
    const RunObjectMetrics again
        = runObjectMetrics(m_binaryRun, {}, QStringLiteral("cpu"), noProgress(), &evaluated);
    QVERIFY(!evaluated);
    QCOMPARE(again.objectDice, stored->objectDice);
    const QString copy = m_dir.filePath(QStringLiteral("copies/binary-copy"));
    QDir(copy).removeRecursively();
    QVERIFY(QDir().mkpath(copy + QStringLiteral("/checkpoints")));
    for (const char* f :
        { "config.json", "metrics.jsonl", "split.json", "checkpoints/best.pt", "object_metrics.json" })
        QVERIFY(
            QFile::copy(QDir(m_binaryRun).filePath(QLatin1String(f)), QDir(copy).filePath(QLatin1String(f))));
    QFile best(QDir(copy).filePath(QStringLiteral("checkpoints/best.pt")));
    QVERIFY(best.open(QIODevice::ReadWrite));
    QVERIFY(best.setFileTime(QDateTime::currentDateTime().addSecs(-3600), QFileDevice::FileModificationTime));
    best.close();
    QVERIFY(!RunFolder(copy).readObjectMetrics());
    const RunObjectMetrics recomputed
        = runObjectMetrics(copy, {}, QStringLiteral("cpu"), noProgress(), &evaluated);
    QVERIFY(evaluated);
    QCOMPARE(recomputed.objectF1, stored->objectF1);
    QVERIFY(RunFolder(copy).readObjectMetrics());

    // Not for a multi-class run: no section, nothing stored.
    const QString scenes = m_dir.filePath(QStringLiteral("out/scenes-objects.html"));
    writeRunReport(m_run, scenes, o);
    QVERIFY(!QString::fromUtf8(readAll(scenes)).contains(QStringLiteral("object-metrics")));
    QVERIFY(!QFile::exists(RunFolder(m_run).path(RunFile::ObjectMetrics)));
    QVERIFY_THROWS_EXCEPTION(Error, runObjectMetrics(m_run));
}

#ifdef MASKSUP_TEST_UI
void TestReport::runsPanelExportsInBackground()
{
    ui::RunsPanel panel;
    panel.addRunFolder(m_run);
    QSignalSpy spy(&panel, &ui::RunsPanel::reportExported);
    const QString out = m_dir.filePath(QStringLiteral("gui/report.pdf"));
    panel.exportReport(m_run, out);
    QVERIFY(panel.isExportingReport()); // returns at once: the work runs on a pool thread
    QVERIFY(spy.wait(120000));
    QCOMPARE(spy.first().at(0).toString(), QFileInfo(out).absoluteFilePath());
    QVERIFY2(spy.first().at(1).toString().isEmpty(), qPrintable(spy.first().at(1).toString()));
    QVERIFY(!panel.isExportingReport());
    const QByteArray pdf = readAll(out);
    QVERIFY(pdf.startsWith("%PDF"));
    // Drawn on a pool thread, the images are still there (4 charts, the heatmap, 4 examples).
    QCOMPARE(pdf.count("/Subtype /Image"), 9);
    QVERIFY(panel.statusText().contains(QLatin1String("report.pdf")));

    // Cancel in the progress dialog: the worker stops at its next step and writes nothing (the
    // report takes far longer than the worker needs to see the flag).
    spy.clear();
    const QString cancelled = m_dir.filePath(QStringLiteral("gui/cancelled.html"));
    panel.exportReport(m_run, cancelled);
    // The newest dialog (the previous one may still wait for its deferred deletion).
    const QList<QProgressDialog*> dialogs
        = panel.findChildren<QProgressDialog*>(QStringLiteral("reportProgress"));
    QVERIFY(!dialogs.isEmpty());
    QProgressDialog* progress = dialogs.last();
    auto* cancelButton = progress->findChild<QPushButton*>();
    QVERIFY(cancelButton);
    cancelButton->click();
    QVERIFY(spy.wait(60000));
    QVERIFY2(spy.first().at(1).toString().contains(QLatin1String("cancelled")),
        qPrintable(spy.first().at(1).toString()));
    QVERIFY(!QFile::exists(cancelled));
    QVERIFY(!panel.isExportingReport());

    // A failure arrives as the error text.
    spy.clear();
    panel.exportReport(
        m_dir.filePath(QStringLiteral("no-such-run")), m_dir.filePath(QStringLiteral("gui/x.html")));
    QVERIFY(spy.wait(60000));
    QVERIFY(spy.first().at(1).toString().contains(QLatin1String("run folder not found")));
    QVERIFY(panel.statusText().contains(QLatin1String("run folder not found")));

    // Never into a dataset's folders (issue 13): refused at once, nothing written.
    spy.clear();
    const QString intoDataset = m_dataset + QStringLiteral("/report.html");
    panel.exportReport(m_run, intoDataset);
    QTRY_COMPARE(spy.size(), 1);
    QVERIFY2(spy.first().at(1).toString().contains(QLatin1String("dataset")),
        qPrintable(spy.first().at(1).toString()));
    QVERIFY(!QFile::exists(intoDataset));
    QVERIFY(!panel.isExportingReport());
}
// The Runs panel shows a finished binary run's object metrics (computed in the background, the
// values 'masksup evaluate --split val' prints) and hides the columns while only multi-class runs
// are listed.
void TestReport::runsPanelShowsObjectMetricsForBinaryRuns()
{
    const RunFolder run(m_binaryRun);
    QFile::remove(run.path(RunFile::ObjectMetrics)); // computed by the panel's job
    const QJsonObject e = jsonOf({ QStringLiteral("evaluate"), QStringLiteral("--checkpoint"),
        run.path(RunFile::BestCheckpoint), QStringLiteral("--dataset"), m_glands, QStringLiteral("--split"),
        QStringLiteral("val"), QStringLiteral("--json") });

    ui::RunsPanel panel;
    panel.addRunFolder(m_run); // 6 classes
    QAbstractItemModel* model = panel.tableModel();
    QVERIFY(!panel.isComputingObjectMetrics());
    for (int c = ui::RunsPanel::ObjectF1Column; c <= ui::RunsPanel::ObjectHausdorffColumn; ++c) {
        QVERIFY(panel.tableView()->isColumnHidden(c));
        QCOMPARE(model->index(0, c).data().toString(), QString());
    }
    QCOMPARE(model->headerData(ui::RunsPanel::ObjectF1Column, Qt::Horizontal).toString(),
        QStringLiteral("Object F1"));

    QSignalSpy updated(&panel, &ui::RunsPanel::objectMetricsUpdated);
    panel.addRunFolder(m_binaryRun);
    QVERIFY(panel.isComputingObjectMetrics()); // in the background
    int row = -1;
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, ui::RunsPanel::RunColumn).data().toString() == QLatin1String("glands-baseline"))
            row = r;
    QVERIFY(row >= 0);
    QCOMPARE(model->index(row, ui::RunsPanel::ObjectF1Column).data().toString(), QStringLiteral("…"));
    QVERIFY(updated.wait(120000));
    for (int c = ui::RunsPanel::ObjectF1Column; c <= ui::RunsPanel::ObjectHausdorffColumn; ++c)
        QVERIFY(!panel.tableView()->isColumnHidden(c));
    QCOMPARE(model->index(row, ui::RunsPanel::ObjectF1Column).data().toString(),
        ui::formatNumber(e.value(QStringLiteral("object_f1")).toDouble(), 4));
    QCOMPARE(model->index(row, ui::RunsPanel::ObjectDiceColumn).data().toString(),
        ui::formatNumber(e.value(QStringLiteral("object_dice")).toDouble(), 4));
    QCOMPARE(model->index(row, ui::RunsPanel::ObjectHausdorffColumn).data().toString(),
        ui::formatNumber(e.value(QStringLiteral("object_hausdorff")).toDouble(), 1));
    QCOMPARE(model->index(row, ui::RunsPanel::ObjectF1Column).data(Qt::UserRole).toDouble(),
        e.value(QStringLiteral("object_f1")).toDouble());
    QVERIFY(model->index(row, ui::RunsPanel::ObjectF1Column)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("%1 true positive").arg(e.value(QStringLiteral("tp")).toInt())));
    QVERIFY(run.readObjectMetrics()); // stored for the next time
    // The multi-class run's cells stay empty.
    const int other = 1 - row;
    QCOMPARE(model->index(other, ui::RunsPanel::ObjectF1Column).data().toString(), QString());
    QVERIFY(!panel.isComputingObjectMetrics());

    // A copy of the run whose dataset has moved: "–" and the reason; Refresh tries again once the
    // dataset is where the run's config says.
    const QString copy = m_dir.filePath(QStringLiteral("copies/dataset-moved"));
    const QString moved = m_dir.filePath(QStringLiteral("glands-moved"));
    QDir(copy).removeRecursively();
    QVERIFY(QDir().mkpath(copy + QStringLiteral("/checkpoints")));
    for (const char* f : { "metrics.jsonl", "split.json", "checkpoints/best.pt" })
        QVERIFY(
            QFile::copy(QDir(m_binaryRun).filePath(QLatin1String(f)), QDir(copy).filePath(QLatin1String(f))));
    QJsonObject config = QJsonDocument::fromJson(readAll(run.path(RunFile::Config))).object();
    config.insert(QStringLiteral("dataset"), moved);
    writeText(QDir(copy).filePath(QStringLiteral("config.json")), QJsonDocument(config).toJson());
    updated.clear();
    panel.addRunFolder(copy);
    QVERIFY(updated.wait(120000));
    int copyRow = -1;
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, ui::RunsPanel::RunColumn).data().toString() == QLatin1String("dataset-moved"))
            copyRow = r;
    QVERIFY(copyRow >= 0);
    QCOMPARE(model->index(copyRow, ui::RunsPanel::ObjectF1Column).data().toString(), QStringLiteral("–"));
    QVERIFY2(model->index(copyRow, ui::RunsPanel::ObjectF1Column)
                 .data(Qt::ToolTipRole)
                 .toString()
                 .contains(QStringLiteral("dataset not found")),
        qPrintable(model->index(copyRow, ui::RunsPanel::ObjectF1Column).data(Qt::ToolTipRole).toString()));
    QVERIFY(QDir().rename(m_glands, moved));
    const auto moveBack = qScopeGuard([&] { QDir().rename(moved, m_glands); });
    updated.clear();
    panel.refresh();
    QVERIFY(updated.wait(120000));
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, ui::RunsPanel::RunColumn).data().toString() == QLatin1String("dataset-moved"))
            copyRow = r;
    QCOMPARE(model->index(copyRow, ui::RunsPanel::ObjectF1Column).data().toString(),
        ui::formatNumber(e.value(QStringLiteral("object_f1")).toDouble(), 4));
    QCOMPARE(model->index(copyRow, ui::RunsPanel::ObjectDiceColumn).data().toString(),
        ui::formatNumber(e.value(QStringLiteral("object_dice")).toDouble(), 4));
}
#endif

QTEST_MAIN(TestReport)
#include "tst_report.moc"
