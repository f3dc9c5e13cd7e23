// Run comparison: core/train/run_index (reading run folders, also partial ones) and ui/RunsPanel
// (table, sorting, overlaid curves, export), on two tiny real runs and hand-written folders.
#include "core/base/error.h"
#include "core/data/synth.h"
#include "core/train/robustness.h"
#include "core/train/run_folder.h"
#include "core/train/run_index.h"
#include "core/train/training_session.h"
#include "tests/support/files.h"
#include "tests/support/fixtures.h"
#include "ui/format.h"
#include "ui/runs_panel.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

#include "ui/qcustomplot_include.h"

using namespace msup;
using msup::ui::RunsPanel;

namespace {

// Writes the file (making its folders) or fails the running test.
void writeText(const QString& path, const QByteArray& bytes)
{
    QVERIFY2(msup::test::writeAll(path, bytes), qPrintable(path));
}

QByteArray configJson(const QString& mode, int epochs, const QString& preset = {})
{
    QJsonObject o { { QStringLiteral("model"), QStringLiteral("unet") }, { QStringLiteral("width"), 8 },
        { QStringLiteral("mode"), mode }, { QStringLiteral("preset"), preset },
        { QStringLiteral("epochs"), epochs }, { QStringLiteral("device"), QStringLiteral("auto") },
        { QStringLiteral("device_resolved"), QStringLiteral("cuda:0") } };
    return QJsonDocument(o).toJson();
}

QByteArray metricsLine(int epoch, double miou, double seconds = 10)
{
    return QJsonDocument(QJsonObject { { QStringLiteral("epoch"), epoch },
                             { QStringLiteral("loss"), 1.0 / epoch }, { QStringLiteral("val_miou"), miou },
                             { QStringLiteral("lr"), 1e-4 }, { QStringLiteral("seconds"), seconds } })
               .toJson(QJsonDocument::Compact)
        + '\n';
}

using msup::test::jsonLines;

int rowOf(QAbstractItemModel* model, const QString& name)
{
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, RunsPanel::RunColumn).data().toString() == name)
            return r;
    return -1;
}

QString cell(QAbstractItemModel* model, int row, int column)
{
    return model->index(row, column).data().toString();
}

} // namespace

class TestRuns : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    // engine
    void readRunMatchesMetricsFiles_data();
    void readRunMatchesMetricsFiles();
    void partialRuns_data();
    void partialRuns();
    void errorsOnlyWithoutConfig();
    void robustnessCsvFormats();
    void findRunFoldersListsRuns();
    // panel
    void tableShowsRuns();
    void sortByBestMiou();
    void selectingRowsOverlaysCurves();
    void pointToolTipNamesRunAndEpoch();
    void removeFromList();
    void csvAndPngExport();
    void doubleClickActivatesRun();
    void refreshReadsNewEpochs();
    void manyRunsRefreshInBackground();
    void watchedRunUpdatesByItself();
    void manyRunFoldersAreListedOnceInOrder();
    void deviceColumnShowsMixedPrecision();

private:
    QString runsDir() const { return m_dir.filePath(QStringLiteral("runs")); }
    QString run(const QString& name) const { return QDir(runsDir()).filePath(name); }
    QTemporaryDir m_dir;
    QString m_dataset;
    int m_robustnessLevels = 0;
};

void TestRuns::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_dataset = msup::test::writeTinyDataset(m_dir.filePath(QStringLiteral("glands")));

    // Two tiny real runs: the baseline and the MaskSup ablation.
    for (const QString& mode : { QStringLiteral("baseline"), QStringLiteral("masksup") }) {
        TrainConfig c = msup::test::twoEpochConfig(m_dataset, run(mode));
        c.model = QStringLiteral("unet");
        c.mode = mode;
        c.preset = QStringLiteral("quick-cpu");
        TrainingSession session(c);
        const TrainResult r = session.run({});
        QCOMPARE(r.epochsCompleted, 2);
    }
    // A real robustness CSV in the MaskSup run (what 'masksup robustness --csv' writes).
    const RobustnessResult rob = robustnessOfCheckpoint(
        QDir(run(QStringLiteral("masksup"))).filePath(QStringLiteral("checkpoints/best.pt")), m_dataset,
        QStringLiteral("val"), parseRobustnessRatios(QStringLiteral("0,0.2,0.4")), 3);
    m_robustnessLevels = int(rob.levels.size());
    QCOMPARE(m_robustnessLevels, 3);
    writeText(QDir(run(QStringLiteral("masksup"))).filePath(QStringLiteral("robustness.csv")),
        rob.toCsv().toUtf8());

    // Hand-written edge cases.
    writeText(QDir(run(QStringLiteral("partial"))).filePath(QStringLiteral("config.json")),
        configJson(QStringLiteral("context"), 5, QStringLiteral("glas-levit384")));
    writeText(QDir(run(QStringLiteral("partial"))).filePath(QStringLiteral("metrics.jsonl")),
        metricsLine(1, 0.5, 12.5) + metricsLine(2, 0.9, 11) + "{\"epoch\":3,\"loss\":0.");
    writeText(QDir(run(QStringLiteral("partial"))).filePath(QStringLiteral("checkpoints/last.pt")), "x");
    writeText(QDir(run(QStringLiteral("fresh"))).filePath(QStringLiteral("config.json")),
        configJson(QStringLiteral("baseline"), 3));
    writeText(QDir(run(QStringLiteral("robust"))).filePath(QStringLiteral("config.json")),
        configJson(QStringLiteral("masksup"), 1));
    writeText(
        QDir(run(QStringLiteral("robust"))).filePath(QStringLiteral("metrics.jsonl")), metricsLine(1, 0.3));
    writeText(QDir(run(QStringLiteral("robust"))).filePath(QStringLiteral("robustness.csv")),
        "ratio_low,ratio_high,mean_hole_ratio,miou,dice,pixel_accuracy,iou_background,iou_gland\n"
        "0.1,0.2,0.1500,0.400000,0.5,0.6,0.5,0.3\n"
        "0,0,0.0000,0.700000,0.8,0.9,0.8,0.6\n"
        "0,0.1,0.0700,0.600000,0.7,0.8,0.7,0.5\n");
    QDir().mkpath(run(QStringLiteral("not-a-run")));
    writeText(QDir(runsDir()).filePath(QStringLiteral("notes.txt")), "not a folder");
}

// ---- engine ----

void TestRuns::readRunMatchesMetricsFiles_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("robustness");
    QTest::newRow("baseline") << QStringLiteral("baseline") << false;
    QTest::newRow("masksup") << QStringLiteral("masksup") << true;
}

void TestRuns::readRunMatchesMetricsFiles()
{
    QFETCH(QString, name);
    QFETCH(bool, robustness);
    const RunSummary r = readRun(run(name) + QStringLiteral("/"));
    QCOMPARE(r.folder, QDir::cleanPath(run(name)));
    QCOMPARE(r.name, name);
    QCOMPARE(r.mode, name);
    QCOMPARE(r.model, QStringLiteral("unet"));
    QCOMPARE(r.width, 4);
    QCOMPARE(r.preset, QStringLiteral("quick-cpu"));
    QCOMPARE(r.device, QStringLiteral("cpu"));
    QCOMPARE(r.epochsPlanned, 2);
    QCOMPARE(r.epochsDone, 2);
    QVERIFY(r.isComplete());
    QVERIFY(r.hasBest);
    QVERIFY(r.hasLast);
    QVERIFY2(r.problems.isEmpty(), qPrintable(r.problems.join(QLatin1Char('\n'))));

    const QList<QJsonObject> lines = jsonLines(QDir(run(name)).filePath(QStringLiteral("metrics.jsonl")));
    QCOMPARE(lines.size(), 2);
    QCOMPARE(r.curve.size(), 2);
    double best = -1, seconds = 0;
    int bestEpoch = 0;
    for (int i = 0; i < lines.size(); ++i) {
        const QJsonObject& o = lines[i];
        QCOMPARE(r.curve[i].epoch, o.value(QStringLiteral("epoch")).toInt());
        QCOMPARE(r.curve[i].loss, o.value(QStringLiteral("loss")).toDouble());
        QCOMPARE(r.curve[i].valMiou, o.value(QStringLiteral("val_miou")).toDouble());
        QCOMPARE(r.curve[i].lr, o.value(QStringLiteral("lr")).toDouble());
        seconds += o.value(QStringLiteral("seconds")).toDouble();
        if (o.value(QStringLiteral("val_miou")).toDouble() > best) {
            best = o.value(QStringLiteral("val_miou")).toDouble();
            bestEpoch = o.value(QStringLiteral("epoch")).toInt();
        }
    }
    QCOMPARE(r.bestMiou, best);
    QCOMPARE(r.bestEpoch, bestEpoch);
    QVERIFY(std::abs(r.durationSeconds - seconds) < 1e-9);
    QVERIFY(r.durationSeconds > 0);
    QCOMPARE(r.robustness.isEmpty(), !robustness);
    if (robustness) {
        QCOMPARE(int(r.robustness.size()), m_robustnessLevels);
        QCOMPARE(r.robustness.first().first, 0.0);
        QCOMPARE(r.robustness.last().first, 0.4);
        for (const auto& p : r.robustness)
            QVERIFY(p.second >= 0 && p.second <= 1);
    }
}

void TestRuns::partialRuns_data()
{
    QTest::addColumn<QByteArray>("metrics"); // "-" = no metrics.jsonl
    QTest::addColumn<int>("epochsDone");
    QTest::addColumn<int>("bestEpoch");
    QTest::addColumn<double>("bestMiou"); // -1 = NaN
    QTest::addColumn<QString>("problem"); // a substring of a problem, or empty = no metrics problem

    QTest::newRow("half-written last line")
        << (metricsLine(1, 0.5) + metricsLine(2, 0.9) + "{\"epoch\":3,\"lo") << 2 << 2 << 0.9 << QString();
    QTest::newRow("complete last line without newline")
        << (metricsLine(1, 0.5) + metricsLine(2, 0.4).trimmed()) << 2 << 1 << 0.5 << QString();
    QTest::newRow("no metrics yet") << QByteArray("-") << 0 << 0 << -1.0 << QStringLiteral("metrics.jsonl");
    QTest::newRow("empty metrics") << QByteArray() << 0 << 0 << -1.0 << QString();
    QTest::newRow("garbage in the middle") << (metricsLine(1, 0.2) + "oops\n" + metricsLine(2, 0.3)) << 2 << 2
                                           << 0.3 << QStringLiteral("line 2");
    QTest::newRow("null mIoU") << (metricsLine(1, 0.2) + "{\"epoch\":2,\"loss\":1,\"val_miou\":null}\n") << 2
                               << 1 << 0.2 << QString();
    QTest::newRow("repeated epoch after resume")
        << (metricsLine(1, 0.2) + metricsLine(2, 0.8) + metricsLine(2, 0.6)) << 2 << 2 << 0.6 << QString();
}

void TestRuns::partialRuns()
{
    QFETCH(QByteArray, metrics);
    QFETCH(int, epochsDone);
    QFETCH(int, bestEpoch);
    QFETCH(double, bestMiou);
    QFETCH(QString, problem);
    QTemporaryDir dir;
    writeText(dir.filePath(QStringLiteral("config.json")), configJson(QStringLiteral("masksup"), 4));
    if (metrics != "-")
        writeText(dir.filePath(QStringLiteral("metrics.jsonl")), metrics);
    RunSummary r;
    try {
        r = readRun(dir.path());
    } catch (const std::exception& e) {
        QFAIL(e.what());
    }
    QCOMPARE(r.epochsDone, epochsDone);
    QCOMPARE(r.curve.size(), epochsDone);
    QCOMPARE(r.epochsPlanned, 4);
    QVERIFY(!r.isComplete());
    QCOMPARE(r.bestEpoch, bestEpoch);
    if (bestMiou < 0)
        QVERIFY(std::isnan(r.bestMiou));
    else
        QCOMPARE(r.bestMiou, bestMiou);
    QCOMPARE(r.device, QStringLiteral("cuda:0"));
    QVERIFY(!r.hasBest);
    QVERIFY(!r.hasLast);
    QVERIFY(r.problems.join(QLatin1Char('\n')).contains(QStringLiteral("best.pt")));
    const QStringList metricsProblems = r.problems.filter(QStringLiteral("metrics"));
    if (problem.isEmpty())
        QVERIFY2(metricsProblems.isEmpty(), qPrintable(metricsProblems.join(QLatin1Char('\n'))));
    else
        QVERIFY2(
            metricsProblems.join(QLatin1Char('\n')).contains(problem), qPrintable(r.problems.join('\n')));
}

void TestRuns::errorsOnlyWithoutConfig()
{
    QVERIFY_THROWS_EXCEPTION(msup::Error, readRun(run(QStringLiteral("not-a-run"))));
    QVERIFY_THROWS_EXCEPTION(msup::Error, readRun(run(QStringLiteral("does-not-exist"))));
    try {
        readRun(run(QStringLiteral("not-a-run")));
    } catch (const msup::Error& e) {
        QVERIFY(QString::fromUtf8(e.what()).contains(QStringLiteral("config.json")));
        QVERIFY(QString::fromStdString(e.file()).endsWith(QStringLiteral("not-a-run")));
    }
    // A corrupt config.json is a problem, not an exception.
    QTemporaryDir dir;
    writeText(dir.filePath(QStringLiteral("config.json")), "{ \"model\": ");
    const RunSummary corrupt = readRun(dir.path());
    QVERIFY(corrupt.problems.join(QLatin1Char('\n')).contains(QStringLiteral("config.json")));
    // scanRuns never throws: a non-run is listed with its error.
    const QVector<RunSummary> runs = scanRuns(
        { run(QStringLiteral("baseline")), run(QStringLiteral("not-a-run")), run(QStringLiteral("fresh")) });
    QCOMPARE(runs.size(), 3);
    QVERIFY(runs[0].problems.isEmpty());
    QCOMPARE(runs[1].name, QStringLiteral("not-a-run"));
    QCOMPARE(runs[1].problems.size(), 1);
    QVERIFY(runs[1].problems.first().contains(QStringLiteral("config.json")));
    QCOMPARE(runs[2].epochsDone, 0);
    QCOMPARE(runs[2].epochsPlanned, 3);
    QVERIFY(runs[2].problems.join(QLatin1Char('\n')).contains(QStringLiteral("metrics.jsonl")));
}

void TestRuns::robustnessCsvFormats()
{
    // The hand-written file is sorted by ratio; the clean level is at 0.
    const RunSummary robust = readRun(run(QStringLiteral("robust")));
    QCOMPARE(robust.robustness.size(), 3);
    QCOMPARE(robust.robustness[0], qMakePair(0.0, 0.7));
    QCOMPARE(robust.robustness[1], qMakePair(0.1, 0.6));
    QCOMPARE(robust.robustness[2], qMakePair(0.2, 0.4));

    // The Robustness panel's export: a checkpoint column, several checkpoints, repeated headers.
    const QString here = QDir(run(QStringLiteral("robust"))).filePath(QStringLiteral("checkpoints/best.pt"));
    const QString panelCsv
        = QStringLiteral("checkpoint,ratio_low,ratio_high,mean_hole_ratio,miou,dice,pixel_accuracy\n"
                         "/elsewhere/best.pt,0,0,0,0.9,0.9,0.9\n"
                         "/elsewhere/best.pt,0,0.5,0.4,0.8,0.8,0.8\n"
                         "checkpoint,ratio_low,ratio_high,mean_hole_ratio,miou,dice,pixel_accuracy,iou_x\n"
                         "\"%1\",0,0,0,0.55,0.5,0.5,0.5\n"
                         "\"%1\",0,0.5,0.4,0.45,0.5,0.5,0.5\n"
                         "\"%1\",0.5,0.6,0.55,0.35,0.5,0.5,0.5\n")
              .arg(here);
    const auto mine = parseRobustnessCsv(panelCsv, run(QStringLiteral("robust")));
    QCOMPARE(mine.size(), 3);
    QCOMPARE(mine[0].second, 0.55);
    QCOMPARE(mine[2], qMakePair(0.6, 0.35));
    const auto first = parseRobustnessCsv(panelCsv, run(QStringLiteral("fresh")));
    QCOMPARE(first.size(), 2);
    QCOMPARE(first[1], qMakePair(0.5, 0.8));

    QVERIFY_THROWS_EXCEPTION(msup::Error, parseRobustnessCsv(QStringLiteral("a,b\n1,2\n")));
    // A wrong file in a run folder is a problem of the run.
    QTemporaryDir dir;
    writeText(dir.filePath(QStringLiteral("config.json")), configJson(QStringLiteral("masksup"), 1));
    writeText(dir.filePath(QStringLiteral("robustness.csv")), "epoch,loss\n1,2\n");
    const RunSummary wrong = readRun(dir.path());
    QVERIFY(wrong.robustness.isEmpty());
    QVERIFY(wrong.problems.join(QLatin1Char('\n')).contains(QStringLiteral("robustness.csv")));
}

void TestRuns::findRunFoldersListsRuns()
{
    const QStringList found = findRunFolders(runsDir());
    QStringList names;
    for (const QString& f : found) {
        QVERIFY(QFileInfo(f).isAbsolute());
        names << QFileInfo(f).fileName();
    }
    QCOMPARE(names,
        QStringList({ QStringLiteral("baseline"), QStringLiteral("fresh"), QStringLiteral("masksup"),
            QStringLiteral("partial"), QStringLiteral("robust") }));
    QVERIFY(findRunFolders(run(QStringLiteral("not-a-run"))).isEmpty());
    QVERIFY(findRunFolders(m_dir.filePath(QStringLiteral("missing"))).isEmpty());
}

// ---- panel ----

void TestRuns::deviceColumnShowsMixedPrecision()
{
    // config.json's "precision" (what the run resolved "amp" to) or, for a run that did not record it,
    // an "amp" that fixes it; "auto" and the "on" of older versions leave it unknown.
    QTemporaryDir tmp;
    struct Case {
        const char* name;
        QJsonObject keys;
        const char* precision;
        const char* cell;
    };
    const Case cases[] = {
        { "resolved-bf16",
            { { QStringLiteral("amp"), QStringLiteral("auto") },
                { QStringLiteral("precision"), QStringLiteral("bf16") } },
            "bf16", "cuda:0 · bf16" },
        { "resolved-float32",
            { { QStringLiteral("amp"), QStringLiteral("auto") },
                { QStringLiteral("precision"), QStringLiteral("float32") } },
            "float32", "cuda:0" },
        { "fixed-fp16", { { QStringLiteral("amp"), QStringLiteral("fp16") } }, "fp16", "cuda:0 · fp16" },
        { "off", { { QStringLiteral("amp"), QStringLiteral("off") } }, "float32", "cuda:0" },
        { "old-on", { { QStringLiteral("amp"), QStringLiteral("on") } }, "", "cuda:0" },
        { "auto", { { QStringLiteral("amp"), QStringLiteral("auto") } }, "", "cuda:0" },
    };
    RunsPanel panel;
    for (const Case& c : cases) {
        QJsonObject config = QJsonDocument::fromJson(configJson(QStringLiteral("masksup"), 2)).object();
        for (auto it = c.keys.begin(); it != c.keys.end(); ++it)
            config.insert(it.key(), it.value());
        const QString folder = QDir(tmp.path()).filePath(QLatin1String(c.name));
        writeText(QDir(folder).filePath(QStringLiteral("config.json")), QJsonDocument(config).toJson());
        QCOMPARE(readRun(folder).precision, QLatin1String(c.precision));
        panel.addRunFolder(folder);
    }
    QAbstractItemModel* model = panel.tableModel();
    for (const Case& c : cases) {
        const int row = rowOf(model, QLatin1String(c.name));
        QVERIFY2(row >= 0, c.name);
        QCOMPARE(cell(model, row, RunsPanel::DeviceColumn), QString::fromUtf8(c.cell));
    }
}

void TestRuns::tableShowsRuns()
{
    RunsPanel panel;
    QSignalSpy changed(&panel, &RunsPanel::runsChanged);
    QCOMPARE(panel.addRunsIn(runsDir()), 5);
    QCOMPARE(changed.count(), 1);
    panel.addRunFolder(run(QStringLiteral("baseline")) + QStringLiteral("/")); // already listed
    QCOMPARE(changed.count(), 1);
    panel.addRunFolder(run(QStringLiteral("not-a-run")));
    QCOMPARE(changed.count(), 2);
    QAbstractItemModel* model = panel.tableModel();
    QCOMPARE(model->rowCount(), 6);
    QCOMPARE(model->columnCount(), int(RunsPanel::ColumnCount));
    QCOMPARE(
        model->headerData(RunsPanel::BestMiouColumn, Qt::Horizontal).toString(), QStringLiteral("Best mIoU"));

    const RunSummary baseline = readRun(run(QStringLiteral("baseline")));
    int row = rowOf(model, QStringLiteral("baseline"));
    QVERIFY(row >= 0);
    QCOMPARE(cell(model, row, RunsPanel::PresetColumn), QStringLiteral("quick-cpu"));
    QCOMPARE(cell(model, row, RunsPanel::ModeColumn), QStringLiteral("baseline"));
    QCOMPARE(cell(model, row, RunsPanel::ModelColumn), QStringLiteral("unet w4"));
    QCOMPARE(cell(model, row, RunsPanel::EpochsColumn), QStringLiteral("2/2"));
    QCOMPARE(cell(model, row, RunsPanel::BestMiouColumn), msup::ui::formatNumber(baseline.bestMiou, 4));
    QCOMPARE(cell(model, row, RunsPanel::BestEpochColumn), QString::number(baseline.bestEpoch));
    QVERIFY(!cell(model, row, RunsPanel::DurationColumn).isEmpty());
    QCOMPARE(cell(model, row, RunsPanel::DeviceColumn), QStringLiteral("cpu"));

    row = rowOf(model, QStringLiteral("partial"));
    QCOMPARE(cell(model, row, RunsPanel::ModeColumn), QStringLiteral("context"));
    QCOMPARE(cell(model, row, RunsPanel::EpochsColumn), QStringLiteral("2/5"));
    QCOMPARE(cell(model, row, RunsPanel::BestMiouColumn), msup::ui::formatNumber(0.9, 4));
    QCOMPARE(cell(model, row, RunsPanel::BestEpochColumn), QStringLiteral("2"));
    QCOMPARE(cell(model, row, RunsPanel::DurationColumn), QStringLiteral("24 s"));
    QCOMPARE(cell(model, row, RunsPanel::DeviceColumn), QStringLiteral("cuda:0"));

    row = rowOf(model, QStringLiteral("fresh"));
    QCOMPARE(cell(model, row, RunsPanel::EpochsColumn), QStringLiteral("0/3"));
    QCOMPARE(cell(model, row, RunsPanel::BestMiouColumn), QStringLiteral("–"));
    QVERIFY(model->index(row, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("metrics.jsonl")));

    row = rowOf(model, QStringLiteral("not-a-run"));
    QVERIFY(row >= 0);
    QVERIFY(model->index(row, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("config.json")));

    QCOMPARE(panel.runFolders().size(), 6);
    RunsPanel other;
    other.setRunFolders(panel.runFolders());
    QCOMPARE(other.runFolders(), panel.runFolders());
    QCOMPARE(other.tableModel()->rowCount(), 6);
    QCOMPARE(cell(other.tableModel(), rowOf(other.tableModel(), QStringLiteral("partial")),
                 RunsPanel::EpochsColumn),
        QStringLiteral("2/5"));
}

void TestRuns::sortByBestMiou()
{
    RunsPanel panel;
    panel.addRunsIn(runsDir());
    // The expected order, from the files: best mIoU descending, runs without epochs last.
    QVector<RunSummary> runs = scanRuns(findRunFolders(runsDir()));
    // (stable, like the table's proxy: ties keep the list order)
    std::stable_sort(runs.begin(), runs.end(), [](const RunSummary& a, const RunSummary& b) {
        return (a.bestEpoch > 0 ? a.bestMiou : -1) > (b.bestEpoch > 0 ? b.bestMiou : -1);
    });
    QStringList expected;
    for (const RunSummary& r : runs)
        expected << r.name;
    QCOMPARE(expected.last(), QStringLiteral("fresh"));

    panel.tableView()->sortByColumn(RunsPanel::BestMiouColumn, Qt::DescendingOrder);
    QAbstractItemModel* model = panel.tableModel();
    QStringList shown;
    for (int r = 0; r < model->rowCount(); ++r)
        shown << cell(model, r, RunsPanel::RunColumn);
    QCOMPARE(shown, expected);
    panel.tableView()->sortByColumn(RunsPanel::BestMiouColumn, Qt::AscendingOrder);
    QCOMPARE(cell(model, 0, RunsPanel::RunColumn), QStringLiteral("fresh"));
    QCOMPARE(cell(model, model->rowCount() - 1, RunsPanel::RunColumn), expected.first());
    // Sorting by run name again.
    panel.tableView()->sortByColumn(RunsPanel::RunColumn, Qt::AscendingOrder);
    QCOMPARE(cell(model, 0, RunsPanel::RunColumn), QStringLiteral("baseline"));
}

void TestRuns::selectingRowsOverlaysCurves()
{
    RunsPanel panel;
    panel.resize(1000, 800);
    panel.show();
    panel.addRunsIn(runsDir());
    QCustomPlot* miou = panel.chart(RunsPanel::Chart::Miou);
    QCustomPlot* rob = panel.chart(RunsPanel::Chart::Robustness);
    QCOMPARE(miou->graphCount(), 0);

    // Select two rows in the view, as a user would.
    QAbstractItemModel* model = panel.tableModel();
    QItemSelection selection;
    for (const QString& name : { QStringLiteral("baseline"), QStringLiteral("masksup") }) {
        const int row = rowOf(model, name);
        selection.select(model->index(row, 0), model->index(row, RunsPanel::ColumnCount - 1));
    }
    panel.tableView()->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    QCOMPARE(panel.selectedFolders(),
        QStringList({ QDir::cleanPath(run(QStringLiteral("baseline"))),
            QDir::cleanPath(run(QStringLiteral("masksup"))) }));
    QCOMPARE(miou->graphCount(), 2);
    QStringList names;
    for (int g = 0; g < 2; ++g) {
        names << miou->graph(g)->name();
        QCOMPARE(miou->graph(g)->dataCount(), 2);
    }
    QCOMPARE(names, QStringList({ QStringLiteral("baseline"), QStringLiteral("masksup") }));
    QVERIFY(miou->graph(0)->pen().color() != miou->graph(1)->pen().color());
    QVERIFY(miou->legend->visible());
    const RunSummary masksup = readRun(run(QStringLiteral("masksup")));
    QCOMPARE(miou->graph(1)->data()->at(1)->value, masksup.curve[1].valMiou);
    // Only the MaskSup run has robustness data.
    QCOMPARE(rob->graphCount(), 1);
    QCOMPARE(rob->graph(0)->name(), QStringLiteral("masksup"));
    QCOMPARE(rob->graph(0)->dataCount(), m_robustnessLevels);
    QCOMPARE(rob->graph(0)->pen().color(), miou->graph(1)->pen().color());

    // Three runs, one with a partial curve and one with a robustness file.
    panel.setSelectedFolders(
        { run(QStringLiteral("partial")), run(QStringLiteral("robust")), run(QStringLiteral("fresh")) });
    QCOMPARE(miou->graphCount(), 3);
    int points = 0;
    for (int g = 0; g < 3; ++g)
        points += miou->graph(g)->dataCount();
    QCOMPARE(points, 2 + 1 + 0);
    QCOMPARE(rob->graphCount(), 1);
    QCOMPARE(rob->graph(0)->dataCount(), 3);

    panel.setSelectedFolders({});
    QCOMPARE(miou->graphCount(), 0);
    QCOMPARE(rob->graphCount(), 0);
}

void TestRuns::pointToolTipNamesRunAndEpoch()
{
    RunsPanel panel;
    panel.resize(1000, 800);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.addRunsIn(runsDir());
    panel.setSelectedFolders({ run(QStringLiteral("partial")), run(QStringLiteral("robust")) });
    QCustomPlot* miou = panel.chart(RunsPanel::Chart::Miou);
    miou->replot();
    QCPGraph* partial = miou->graph(0);
    QCOMPARE(partial->name(), QStringLiteral("partial"));
    const QPointF p = partial->coordsToPixels(2, 0.9);
    const QString tip = panel.pointToolTip(RunsPanel::Chart::Miou, p.toPoint() + QPoint(2, -1));
    QVERIFY2(tip.contains(QStringLiteral("partial")) && tip.contains(QStringLiteral("epoch 2"))
            && tip.contains(msup::ui::formatNumber(0.9, 4)),
        qPrintable(tip));
    QVERIFY(panel.pointToolTip(RunsPanel::Chart::Miou, QPoint(2, 2)).isEmpty());

    QCustomPlot* rob = panel.chart(RunsPanel::Chart::Robustness);
    rob->replot();
    const QPointF q = rob->graph(0)->coordsToPixels(0.1, 0.6);
    const QString robTip = panel.pointToolTip(RunsPanel::Chart::Robustness, q.toPoint());
    QVERIFY2(robTip.contains(QStringLiteral("robust")) && robTip.contains(msup::ui::formatNumber(0.6, 4)),
        qPrintable(robTip));
}

void TestRuns::removeFromList()
{
    RunsPanel panel;
    panel.addRunsIn(runsDir());
    QSignalSpy changed(&panel, &RunsPanel::runsChanged);
    auto* remove = panel.findChild<QPushButton*>(QStringLiteral("removeRunButton"));
    QVERIFY(remove);
    QVERIFY(!remove->isEnabled());
    panel.setSelectedFolders({ run(QStringLiteral("fresh")), run(QStringLiteral("baseline")) });
    QVERIFY(remove->isEnabled());
    remove->click();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(panel.tableModel()->rowCount(), 3);
    QVERIFY(!panel.runFolders().contains(QDir::cleanPath(run(QStringLiteral("fresh")))));
    QVERIFY(!panel.runFolders().contains(QDir::cleanPath(run(QStringLiteral("baseline")))));
    QVERIFY(panel.selectedFolders().isEmpty());
    QCOMPARE(panel.chart(RunsPanel::Chart::Miou)->graphCount(), 0);
    QVERIFY(QFileInfo::exists(QDir(run(QStringLiteral("fresh"))).filePath(QStringLiteral("config.json"))));
    // Removing what is not listed changes nothing.
    panel.removeRunFolders({ run(QStringLiteral("fresh")) });
    QCOMPARE(changed.count(), 1);
}

void TestRuns::csvAndPngExport()
{
    RunsPanel panel;
    panel.resize(1000, 800);
    panel.addRunsIn(runsDir());
    panel.setSelectedFolders({ run(QStringLiteral("masksup")), run(QStringLiteral("partial")) });
    const QString csvPath = m_dir.filePath(QStringLiteral("exports/miou.csv"));
    QDir().mkpath(QFileInfo(csvPath).absolutePath());
    QVERIFY(panel.exportChartCsv(RunsPanel::Chart::Miou, csvPath));
    QFile f(csvPath);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const RunSummary masksup = readRun(run(QStringLiteral("masksup")));
    QCOMPARE(lines.size(), 1 + 2 + 2);
    QCOMPARE(lines[0], QStringLiteral("run,epoch,val_miou"));
    // masksup is listed before partial (alphabetical folder order from addRunsIn).
    QStringList fields = lines[1].split(QLatin1Char(','));
    QCOMPARE(fields[0], QStringLiteral("masksup"));
    QCOMPARE(fields[1], QStringLiteral("1"));
    QCOMPARE(fields[2].toDouble(), masksup.curve[0].valMiou);
    QCOMPARE(lines[3], QStringLiteral("partial,1,0.5"));
    QCOMPARE(lines[4], QStringLiteral("partial,2,0.9"));

    const QString robCsv = panel.chartCsv(RunsPanel::Chart::Robustness);
    const QStringList robLines = robCsv.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(robLines.size(), 1 + m_robustnessLevels);
    QCOMPARE(robLines[0], QStringLiteral("run,hole_ratio,miou"));
    QVERIFY(robLines[1].startsWith(QStringLiteral("masksup,0,")));

    const QString png = m_dir.filePath(QStringLiteral("exports/miou.png"));
    QVERIFY(panel.exportChartPng(RunsPanel::Chart::Miou, png));
    QVERIFY(QImage(png).width() > 0);
    QVERIFY(
        !panel.exportChartCsv(RunsPanel::Chart::Miou, m_dir.filePath(QStringLiteral("no/such/dir/x.csv"))));
    QVERIFY(!panel.statusText().isEmpty());
}

void TestRuns::doubleClickActivatesRun()
{
    RunsPanel panel;
    panel.resize(1000, 800);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.addRunsIn(runsDir());
    QSignalSpy activated(&panel, &RunsPanel::runActivated);
    QTableView* view = panel.tableView();
    const QModelIndex index
        = panel.tableModel()->index(rowOf(panel.tableModel(), QStringLiteral("robust")), 2);
    const QPoint centre = view->visualRect(index).center();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, centre);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, centre);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.first().first().toString(), QDir::cleanPath(run(QStringLiteral("robust"))));
}

void TestRuns::refreshReadsNewEpochs()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("growing"));
    writeText(QDir(folder).filePath(QStringLiteral("config.json")), configJson(QStringLiteral("masksup"), 3));
    writeText(QDir(folder).filePath(QStringLiteral("metrics.jsonl")), metricsLine(1, 0.2));
    RunsPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.addRunFolder(folder);
    panel.setSelectedFolders({ folder });
    QCOMPARE(cell(panel.tableModel(), 0, RunsPanel::EpochsColumn), QStringLiteral("1/3"));
    writeText(
        QDir(folder).filePath(QStringLiteral("metrics.jsonl")), metricsLine(1, 0.2) + metricsLine(2, 0.4));
    QSignalSpy refreshed(&panel, &RunsPanel::refreshed);
    panel.activateWindow();
    panel.tableView()->setFocus();
    QTest::keyClick(panel.tableView(), Qt::Key_F5);
    if (QApplication::activeWindow() == &panel)
        QCOMPARE(refreshed.count(), 1); // F5
    else // no active window on this platform, so no shortcut: the slot itself
        panel.refresh();
    QCOMPARE(refreshed.count(), 1);
    QCOMPARE(cell(panel.tableModel(), 0, RunsPanel::EpochsColumn), QStringLiteral("2/3"));
    QCOMPARE(panel.selectedFolders(), QStringList({ QDir::cleanPath(folder) })); // kept
    QCOMPARE(panel.chart(RunsPanel::Chart::Miou)->graph(0)->dataCount(), 2);
}

void TestRuns::manyRunsRefreshInBackground()
{
    QTemporaryDir dir;
    QStringList folders;
    for (int i = 0; i < RunsPanel::kAsyncThreshold + 5; ++i) {
        const QString folder = dir.filePath(QStringLiteral("run-%1").arg(i, 2, 10, QLatin1Char('0')));
        writeText(
            QDir(folder).filePath(QStringLiteral("config.json")), configJson(QStringLiteral("baseline"), 2));
        writeText(QDir(folder).filePath(QStringLiteral("metrics.jsonl")), metricsLine(1, 0.01 * i));
        folders << folder;
    }
    RunsPanel panel;
    QSignalSpy refreshed(&panel, &RunsPanel::refreshed);
    QSignalSpy changed(&panel, &RunsPanel::runsChanged);
    panel.setRunFolders(folders);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(panel.tableModel()->rowCount(), folders.size()); // listed at once
    QVERIFY(panel.isRefreshing());
    QVERIFY(refreshed.wait(10000));
    QVERIFY(!panel.isRefreshing());
    QCOMPARE(panel.runs().size(), folders.size());
    for (const RunSummary& r : panel.runs())
        QCOMPARE(r.epochsDone, 1);
    QCOMPARE(cell(panel.tableModel(), rowOf(panel.tableModel(), QStringLiteral("run-10")),
                 RunsPanel::BestMiouColumn),
        msup::ui::formatNumber(0.1, 4));
}

void TestRuns::watchedRunUpdatesByItself()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("live"));
    writeText(QDir(folder).filePath(QStringLiteral("config.json")), configJson(QStringLiteral("masksup"), 3));
    RunsPanel panel;
    panel.addRunFolder(folder);
    QCOMPARE(cell(panel.tableModel(), 0, RunsPanel::EpochsColumn), QStringLiteral("0/3"));
    // As training writes it: a temporary file renamed into place.
    writeText(QDir(folder).filePath(QStringLiteral("metrics.jsonl.tmp")), metricsLine(1, 0.3));
    QVERIFY(QFile::rename(QDir(folder).filePath(QStringLiteral("metrics.jsonl.tmp")),
        QDir(folder).filePath(QStringLiteral("metrics.jsonl"))));
    QTRY_COMPARE_WITH_TIMEOUT(
        cell(panel.tableModel(), 0, RunsPanel::EpochsColumn), QStringLiteral("1/3"), 5000);

    // A run listed when training starts, before its folder exists (TrainingPanel::trainingStarted).
    const QString later = dir.filePath(QStringLiteral("later"));
    panel.addRunFolder(later);
    const int row = rowOf(panel.tableModel(), QStringLiteral("later"));
    QCOMPARE(cell(panel.tableModel(), row, RunsPanel::EpochsColumn), QString());
    writeText(QDir(later).filePath(QStringLiteral("config.json")), configJson(QStringLiteral("baseline"), 4));
    QTRY_COMPARE_WITH_TIMEOUT(
        cell(panel.tableModel(), row, RunsPanel::EpochsColumn), QStringLiteral("0/4"), 8000);
    QCOMPARE(cell(panel.tableModel(), row, RunsPanel::ModeColumn), QStringLiteral("baseline"));
}

void TestRuns::manyRunFoldersAreListedOnceInOrder()
{
    // Opening a project lists its run folders once each, in the project's order, whatever their
    // spelling; selecting, removing and adding a parent folder keep that order (the lists are now
    // compared through hash sets: a project with 200k runs took 77 s to open).
    QTemporaryDir dir;
    QStringList folders, spelled;
    for (int i = 0; i < 300; ++i) {
        const QString folder
            = QDir::cleanPath(dir.filePath(QStringLiteral("run-%1").arg(299 - i, 3, 10, QLatin1Char('0'))));
        writeText(
            QDir(folder).filePath(QStringLiteral("config.json")), configJson(QStringLiteral("masksup"), 2));
        writeText(QDir(folder).filePath(QStringLiteral("metrics.jsonl")), metricsLine(1, 0.001 * i));
        folders << folder;
        spelled << folder;
        if (i % 3 == 0) // the same run again, spelled differently
            spelled << folder + QStringLiteral("/")
                    << QStringLiteral("%1/../%2").arg(folder, QFileInfo(folder).fileName());
    }
    spelled << QString() << folders.first() + QStringLiteral("/.");
    RunsPanel panel;
    QSignalSpy refreshed(&panel, &RunsPanel::refreshed);
    panel.setRunFolders(spelled);
    QCOMPARE(panel.runFolders(), folders);
    QCOMPARE(panel.tableModel()->rowCount(), folders.size());
    QVERIFY(refreshed.wait(20000));
    QCOMPARE(panel.runFolders(), folders);
    for (const RunSummary& r : panel.runs())
        QCOMPARE(r.epochsDone, 1);
    // Setting the same list again (other spellings) changes nothing.
    QSignalSpy changed(&panel, &RunsPanel::runsChanged);
    panel.setRunFolders(spelled);
    QCOMPARE(changed.count(), 0);
    // Selection: given in any order and spelling, returned in list order.
    const QStringList chosen { folders[250] + QStringLiteral("/"), folders[7], folders[120] };
    panel.setSelectedFolders(chosen);
    QCOMPARE(panel.selectedFolders(), (QStringList { folders[7], folders[120], folders[250] }));
    // Removing some and adding the parent back lists each missing run once, after the others.
    panel.removeRunFolders({ folders[7], folders[8] + QStringLiteral("/") });
    QCOMPARE(panel.runFolders().size(), folders.size() - 2);
    QCOMPARE(panel.selectedFolders(), (QStringList { folders[120], folders[250] }));
    QCOMPARE(panel.addRunsIn(dir.path()), 2);
    QStringList expected = folders;
    expected.removeAt(8);
    expected.removeAt(7);
    expected << folders[8] << folders[7]; // findRunFolders sorts by name: run-291 before run-292
    QCOMPARE(panel.runFolders(), expected);
    QCOMPARE(panel.addRunsIn(dir.path()), 0);
    // Many new runs from a parent folder: listed at once in name order, read in the background.
    RunsPanel fresh;
    QSignalSpy freshRefreshed(&fresh, &RunsPanel::refreshed);
    QCOMPARE(fresh.addRunsIn(dir.path()), int(folders.size()));
    QStringList byName = folders;
    std::sort(byName.begin(), byName.end());
    QCOMPARE(fresh.runFolders(), byName);
    if (fresh.isRefreshing())
        QVERIFY(freshRefreshed.wait(20000));
    for (const RunSummary& r : fresh.runs())
        QCOMPARE(r.epochsDone, 1);
}

QTEST_MAIN(TestRuns)
#include "tst_runs.moc"
