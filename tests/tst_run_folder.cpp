// The run-folder API: the names of a run folder's files, and each typed reader and writer: written
// bytes as they were before the API existed, read back, torn or damaged lines, missing files.
#include "core/base/error.h"
#include "core/data/split.h"
#include "core/train/error_analysis.h"
#include "core/train/run_folder.h"
#include "tests/support/files.h"

#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <cmath>

using namespace msup;

class TestRunFolder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void namesAndPaths();
    void configRoundTrip();
    void configProblems();
    void metricsRoundTrip();
    void metricsTornLastLine();
    void metricsDamagedLine();
    void metricsMissing();
    void validationErrorsRoundTrip();
    void robustnessTable();
    void splitRoundTrip();
    void objectMetricsBelongToTheBestCheckpoint();

private:
    QString file(const QString& name) const { return m_dir->filePath(name); }
    void write(const QString& name, const QByteArray& bytes) const;
    QByteArray read(const QString& name) const;
    QJsonObject epoch(int n, double miou) const;

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestRunFolder::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestRunFolder::write(const QString& name, const QByteArray& bytes) const
{
    QVERIFY(msup::test::writeAll(file(name), bytes));
}

QByteArray TestRunFolder::read(const QString& name) const
{
    return msup::test::readAll(file(name));
}

QJsonObject TestRunFolder::epoch(int n, double miou) const
{
    return QJsonObject { { QStringLiteral("epoch"), n }, { QStringLiteral("loss"), 0.5 / n },
        { QStringLiteral("val_miou"), miou }, { QStringLiteral("per_class_iou"), QJsonArray { miou, 1.0 } } };
}

void TestRunFolder::namesAndPaths()
{
    const RunFolder run(m_dir->path());
    QCOMPARE(run.dir(), m_dir->path());
    const QList<QPair<RunFile, QString>> names = { { RunFile::Config, QStringLiteral("config.json") },
        { RunFile::Split, QStringLiteral("split.json") },
        { RunFile::Metrics, QStringLiteral("metrics.jsonl") },
        { RunFile::MetricsCsv, QStringLiteral("metrics.csv") },
        { RunFile::ValidationErrors, QStringLiteral("val_errors.json") },
        { RunFile::Robustness, QStringLiteral("robustness.csv") },
        { RunFile::Checkpoints, QStringLiteral("checkpoints") },
        { RunFile::BestCheckpoint, QStringLiteral("checkpoints/best.pt") },
        { RunFile::LastCheckpoint, QStringLiteral("checkpoints/last.pt") },
        { RunFile::ObjectMetrics, QStringLiteral("object_metrics.json") } };
    for (const auto& [kind, name] : names) {
        QCOMPARE(RunFolder::fileName(kind), name);
        QCOMPARE(run.path(kind), file(name));
        QVERIFY(!run.has(kind));
    }
    QVERIFY(!RunFolder::isRunFolder(m_dir->path()));
    write(QStringLiteral("config.json"), "{}");
    QVERIFY(run.has(RunFile::Config));
    QVERIFY(RunFolder::isRunFolder(m_dir->path()));
}

void TestRunFolder::configRoundTrip()
{
    const RunFolder run(m_dir->path());
    const QJsonObject config { { QStringLiteral("dataset"), QStringLiteral("/data/kvasir") },
        { QStringLiteral("epochs"), 3 }, { QStringLiteral("classes"), QJsonArray { QStringLiteral("a") } } };
    run.writeConfig(config);
    QCOMPARE(read(QStringLiteral("config.json")), QJsonDocument(config).toJson()); // indented, as always
    QString problem;
    QCOMPARE(run.readConfig(&problem), config);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestRunFolder::configProblems()
{
    const RunFolder run(m_dir->path());
    QString problem;
    QVERIFY(run.readConfig(&problem).isEmpty());
    QVERIFY2(problem.startsWith(QStringLiteral("config.json cannot be read: ")), qPrintable(problem));
    write(QStringLiteral("config.json"), "{\"epochs\": 3");
    problem.clear();
    QVERIFY(run.readConfig(&problem).isEmpty());
    QVERIFY2(problem.startsWith(QStringLiteral("config.json is not a JSON object (")), qPrintable(problem));
    write(QStringLiteral("config.json"), "[1, 2]");
    problem.clear();
    QVERIFY(run.readConfig(&problem).isEmpty());
    QVERIFY2(problem.startsWith(QStringLiteral("config.json is not a JSON object (")), qPrintable(problem));
    QVERIFY(run.readConfig().isEmpty()); // no problem asked for
}

void TestRunFolder::metricsRoundTrip()
{
    const RunFolder run(m_dir->path());
    const QVector<QJsonObject> epochs = { epoch(1, 0.25), epoch(2, 0.5) };
    run.writeMetrics(epochs, { QStringLiteral("background"), QStringLiteral("polyp, large") });
    QCOMPARE(read(QStringLiteral("metrics.jsonl")),
        QJsonDocument(epochs[0]).toJson(QJsonDocument::Compact) + '\n'
            + QJsonDocument(epochs[1]).toJson(QJsonDocument::Compact) + '\n');
    QCOMPARE(read(QStringLiteral("metrics.csv")),
        QByteArray(
            "epoch,loss,loss_seg,loss_context,loss_tasksim,val_miou,val_dice,val_pixel_accuracy,"
            "ref_micro_jaccard,ref_binary_iou,lr,seconds,images_per_second,data_wait_seconds,"
            "compute_seconds,communication_seconds,decoded_samples,iou_background,\"iou_polyp, large\"\n"
            "1,0.5,,,,0.25,,,,,,,,,,,,0.25,1\n"
            "2,0.25,,,,0.5,,,,,,,,,,,,0.5,1\n"));
    QStringList problems;
    QCOMPARE(run.scanMetrics(&problems), epochs);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    QStringList notes;
    QCOMPARE(run.readMetrics(&notes), epochs);
    QVERIFY(notes.isEmpty());
    QString note;
    QCOMPARE(run.readMetricsForResume(1, &note), QVector<QJsonObject> { epochs[0] });
    QVERIFY(note.isEmpty());

    // A resumed run repeats an epoch: the report keeps its last line, the scan every line in order.
    const QJsonObject again = epoch(2, 0.75);
    run.writeMetrics({ epochs[0], epochs[1], again }, {});
    QCOMPARE(run.scanMetrics().size(), 3);
    QCOMPARE(run.readMetrics(&notes), (QVector<QJsonObject> { epochs[0], again }));
    QCOMPARE(read(QStringLiteral("metrics.csv")).count('\n'), 4);
}

void TestRunFolder::metricsTornLastLine()
{
    const RunFolder run(m_dir->path());
    const QByteArray l1 = QJsonDocument(epoch(1, 0.25)).toJson(QJsonDocument::Compact) + '\n';
    const QByteArray l2 = QJsonDocument(epoch(2, 0.5)).toJson(QJsonDocument::Compact) + '\n';
    const QByteArray file = l1 + l2 + l1.left(12); // a run still writing (or a cut write)
    write(QStringLiteral("metrics.jsonl"), file);

    QStringList problems;
    QCOMPARE(run.scanMetrics(&problems).size(), 2);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    QStringList notes;
    QCOMPARE(run.readMetrics(&notes).size(), 2);
    QCOMPARE(notes.size(), 1);
    QVERIFY2(notes.first().contains(QStringLiteral("last line of metrics.jsonl is incomplete")),
        qPrintable(notes.first()));
    QString note;
    QCOMPARE(run.readMetricsForResume(5, &note).size(), 2);
    QVERIFY2(note.contains(QStringLiteral("line 3, 12 bytes")) && note.contains(QStringLiteral("2 complete")),
        qPrintable(note));
    QCOMPARE(read(QStringLiteral("metrics.jsonl")), file); // reading never changes the file
}

void TestRunFolder::metricsDamagedLine()
{
    const RunFolder run(m_dir->path());
    const QByteArray l1 = QJsonDocument(epoch(1, 0.25)).toJson(QJsonDocument::Compact) + '\n';
    const QByteArray l3 = QJsonDocument(epoch(3, 0.5)).toJson(QJsonDocument::Compact) + '\n';
    write(QStringLiteral("metrics.jsonl"), l1 + "{\"loss\": 1}\n" + l3);

    QStringList problems;
    const QVector<QJsonObject> scanned = run.scanMetrics(&problems);
    QCOMPARE(scanned.size(), 2);
    QCOMPARE(scanned[1].value(QStringLiteral("epoch")).toInt(), 3);
    QCOMPARE(problems, QStringList { QStringLiteral("metrics.jsonl line 2 is not an epoch's metrics") });
    QStringList notes;
    try {
        run.readMetrics(&notes);
        QFAIL("no exception");
    } catch (const Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("line 2 is not an epoch's metrics")),
            e.what());
        QVERIFY2(QString::fromUtf8(e.what()).contains(file(QStringLiteral("metrics.jsonl"))), e.what());
    }
    QString note;
    QVERIFY_THROWS_EXCEPTION(Error, run.readMetricsForResume(3, &note));
}

void TestRunFolder::metricsMissing()
{
    const RunFolder run(m_dir->path());
    QStringList problems;
    QVERIFY(run.scanMetrics(&problems).isEmpty());
    QCOMPARE(problems, QStringList { QStringLiteral("no metrics.jsonl yet") });
    QStringList notes;
    try {
        run.readMetrics(&notes);
        QFAIL("no exception");
    } catch (const Error& e) {
        QVERIFY2(
            QString::fromUtf8(e.what()).contains(QStringLiteral("the run has no metrics yet")), e.what());
    }
    QString note;
    QVERIFY(run.readMetricsForResume(3, &note).isEmpty());
    QVERIFY(note.isEmpty());
    // A file with no epoch at all is no report either.
    write(QStringLiteral("metrics.jsonl"), "\n\n");
    QVERIFY_THROWS_EXCEPTION(Error, run.readMetrics(&notes));
}

void TestRunFolder::validationErrorsRoundTrip()
{
    const RunFolder run(m_dir->path());
    QVERIFY_THROWS_EXCEPTION(Error, run.readValidationErrors());
    ValidationErrors e;
    e.epoch = 4;
    e.classNames = { QStringLiteral("background"), QStringLiteral("polyp") };
    e.imageSize = 32;
    ImageConfusion image;
    image.id = QStringLiteral("a");
    image.cells = { { 0, 0, 900 }, { 1, 0, 24 } };
    e.images = { image };
    run.writeValidationErrors(e);
    QCOMPARE(read(QStringLiteral("val_errors.json")),
        QByteArray("{\"classes\":[\"background\",\"polyp\"],\"epoch\":4,\"format\":\"masksup-val-errors\","
                   "\"ignore_index\":255,\"image_size\":32,\"images\":[{\"cells\":[[0,0,900],[1,0,24]],"
                   "\"id\":\"a\"}],\"version\":1}\n"));
    const ValidationErrors r = run.readValidationErrors();
    QCOMPARE(r.epoch, 4);
    QCOMPARE(r.classNames, e.classNames);
    QCOMPARE(r.imageSize, 32);
    QCOMPARE(r.total(), (QVector<qint64> { 900, 0, 24, 0 }));

    write(QStringLiteral("val_errors.json"), "{\"format\": \"something else\"}");
    QVERIFY_THROWS_EXCEPTION(Error, run.readValidationErrors());
}

void TestRunFolder::robustnessTable()
{
    const RunFolder run(m_dir->path());
    QString problem;
    QVERIFY(run.readRobustness(&problem).isEmpty()); // none saved: no problem
    QVERIFY(problem.isEmpty());
    write(QStringLiteral("robustness.csv"),
        "ratio_low,ratio_high,mean_hole_ratio,miou\n0.1,0.2,0.15,0.6\n0,0,0,0.9\n0,0.1,0.05,0.8\n");
    const QVector<QPair<double, double>> points = run.readRobustness(&problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(points, (QVector<QPair<double, double>> { { 0, 0.9 }, { 0.1, 0.8 }, { 0.2, 0.6 } }));
    write(QStringLiteral("robustness.csv"), "a,b\n1,2\n");
    QVERIFY(run.readRobustness(&problem).isEmpty());
    QVERIFY2(problem.startsWith(QStringLiteral("robustness.csv: has no ratio_high")), qPrintable(problem));
}

void TestRunFolder::splitRoundTrip()
{
    const RunFolder run(m_dir->path());
    const QStringList ids
        = { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d") };
    const Split split = makeSplit(int(ids.size()), 0.5, 7);
    QVERIFY(!run.has(RunFile::Split));
    run.writeSplit(split, ids);
    QVERIFY(run.has(RunFile::Split));
    const Split back = run.readSplit(ids);
    QCOMPARE(back.train, split.train);
    QCOMPARE(back.val, split.val);
    // The ids, not the positions, are what the split keeps: another order maps back to the same ids.
    const QStringList reversed = { ids[3], ids[2], ids[1], ids[0] };
    const Split moved = run.readSplit(reversed);
    QCOMPARE(moved.val.size(), split.val.size());
    for (int i = 0; i < split.val.size(); ++i)
        QVERIFY(moved.val.contains(3 - split.val[i]));
    QVERIFY_THROWS_EXCEPTION(Error, run.readSplit({ QStringLiteral("x") }));
}

// Object metrics are read back only for the best checkpoint they were computed for.
void TestRunFolder::objectMetricsBelongToTheBestCheckpoint()
{
    const RunFolder run(m_dir->path());
    QVERIFY(run.bestCheckpointStamp().isEmpty());
    QVERIFY(!run.readObjectMetrics());
    write(QStringLiteral("checkpoints/best.pt"), "weights");
    const QString stamp = run.bestCheckpointStamp();
    QVERIFY(stamp.contains(QStringLiteral("7 bytes")));
    RunObjectMetrics m { stamp, QStringLiteral("val"), 4, 0.75, 0.625, 12.5, 3, 1, 1, 0.8, 0.85, 0.5, 0.9,
        std::nan("") };
    run.writeObjectMetrics(m);
    const QJsonObject o = QJsonDocument::fromJson(read(QStringLiteral("object_metrics.json"))).object();
    QCOMPARE(o.value(QStringLiteral("object_f1")).toDouble(), 0.75);
    QVERIFY(o.value(QStringLiteral("hd95_mean")).isNull()); // NaN as null
    const std::optional<RunObjectMetrics> back = run.readObjectMetrics();
    QVERIFY(back);
    QCOMPARE(back->checkpointStamp, stamp);
    QCOMPARE(back->split, QStringLiteral("val"));
    QCOMPARE(back->images, 4);
    QCOMPARE(back->objectF1, 0.75);
    QCOMPARE(back->objectDice, 0.625);
    QCOMPARE(back->objectHausdorff, 12.5);
    QCOMPARE(back->truePositives, 3);
    QCOMPARE(back->falsePositives, 1);
    QCOMPARE(back->falseNegatives, 1);
    QCOMPARE(back->diceMedian, 0.85);
    QCOMPARE(back->diceMax, 0.9);
    QVERIFY(std::isnan(back->hd95Mean));
    // Another best checkpoint (a resumed run improved): not these metrics any more.
    write(QStringLiteral("checkpoints/best.pt"), "better weights");
    QVERIFY(!run.readObjectMetrics());
    m.checkpointStamp = run.bestCheckpointStamp();
    run.writeObjectMetrics(m);
    QVERIFY(run.readObjectMetrics());
    // A damaged file is no metrics.
    write(QStringLiteral("object_metrics.json"), "{\"object_f1\": ");
    QVERIFY(!run.readObjectMetrics());
}

QTEST_GUILESS_MAIN(TestRunFolder)
#include "tst_run_folder.moc"
