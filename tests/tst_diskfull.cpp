// Disk full, I/O errors: every write of a user's file checks every step and fails with a message
// naming the file and the free space, the previous version intact; training stops cleanly (exit 1,
// never a signal) with last.pt, metrics.jsonl and config.json loadable; resume keeps every complete
// line of metrics.jsonl. Writes are made to fail without LD_PRELOAD: RLIMIT_FSIZE (a write past the
// limit fails with EFBIG once SIGXFSZ is ignored), in this process or in a child masksup, and a
// tiny tmpfs where mount is permitted (root; skipped with a message elsewhere).
#include "core/annot/label_delta.h"
#include "core/annot/label_journal.h"
#include "core/annot/mask_store.h"
#include "core/base/error.h"
#include "core/data/dataset.h"
#include "core/data/synth.h"
#include "core/io/atomic_file.h"
#include "core/io/project_file.h"
#include "core/train/run_folder.h"
#include "core/train/training_session.h"
#include "core/train/training_worker.h"
#include "tests/support/file_size_limit.h"
#include "tests/support/files.h"
#include "tests/support/fixtures.h"
#include "tests/support/process.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>

#include <csignal>
#include <sys/mount.h>
#include <sys/resource.h>

using namespace msup;

namespace {

using msup::test::filesIn;
using msup::test::FileSizeLimit;
using msup::test::readAll;
using msup::test::Run;

QString cli()
{
    return msup::test::cliPath();
}

// Runs masksup; `fileSizeLimit` > 0: the child cannot make a file larger than that many bytes.
Run masksup(const QStringList& args, rlim_t fileSizeLimit = 0, int timeoutMs = 240000)
{
    msup::test::RunOptions options;
    options.timeoutMs = timeoutMs;
    if (fileSizeLimit > 0)
        options.inChild = [fileSizeLimit] {
            std::signal(SIGXFSZ, SIG_IGN);
            rlimit l;
            l.rlim_cur = fileSizeLimit;
            l.rlim_max = fileSizeLimit;
            setrlimit(RLIMIT_FSIZE, &l);
        };
    return msup::test::runProgram(cli(), args, options);
}

// The epochs of the lines of a metrics.jsonl; -1 for a line that is not complete JSON.
QVector<int> metricsEpochs(const QString& path)
{
    QVector<int> epochs;
    for (const QByteArray& line : readAll(path).split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        epochs << (doc.isObject() ? doc.object().value(QStringLiteral("epoch")).toInt(-1) : -1);
    }
    return epochs;
}

cv::Mat noise(int size, int classes, int seed)
{
    cv::Mat m(size, size, CV_8UC1);
    cv::RNG rng(static_cast<uint64>(seed));
    rng.fill(m, cv::RNG::UNIFORM, 0, classes);
    return m;
}

} // namespace

class TestDiskFull : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void freeSpaceText();
    void writeFileAtomicKeepsThePreviousFile_data();
    void writeFileAtomicKeepsThePreviousFile();
    void correctionAndMaskWritesFailCleanly();
    void journalWriteFailsCleanly();
    void projectWriteFailsCleanly();
    void cliWritesFailCleanly_data();
    void cliWritesFailCleanly();
    void metricsForResume_data();
    void metricsForResume();
    void trainStopsCleanlyWhenACheckpointCannotBeWritten();
    void trainStopsCleanlyOnAFullTmpfs();
    void controllerReportsAFailedWriteAsFailed();
    void resumeKeepsCompleteMetricsAndDropsACutLastLine();
    void resumeRefusesADamagedMiddleLine();

private:
    // A run of `epochs` epochs of a tiny model in m_dir/<name>; returns its folder.
    QString train(const QString& name, int epochs, const QString& outDir = {});
    void checkRunIntact(const QString& run, int minEpochs, const QByteArray& config);

    QTemporaryDir m_dir;
    QString m_dataset;
};

void TestDiskFull::initTestCase()
{
    QVERIFY(QFile::exists(cli()));
    m_dataset = m_dir.filePath(QStringLiteral("glands"));
    const Run r = masksup({ QStringLiteral("synth"), QStringLiteral("--kind"), QStringLiteral("glands"),
        QStringLiteral("--count"), QStringLiteral("8"), QStringLiteral("--size"), QStringLiteral("64"),
        QStringLiteral("--seed"), QStringLiteral("2"), QStringLiteral("--out"), m_dataset });
    QVERIFY2(r.code == 0, qPrintable(r.err));
}

QString TestDiskFull::train(const QString& name, int epochs, const QString& outDir)
{
    const QString run = outDir.isEmpty() ? m_dir.filePath(name) : outDir;
    const Run r = masksup({ QStringLiteral("train"), QStringLiteral("--dataset"), m_dataset,
        QStringLiteral("--model"), QStringLiteral("unet"), QStringLiteral("--width"), QStringLiteral("4"),
        QStringLiteral("--epochs"), QString::number(epochs), QStringLiteral("--batch-size"),
        QStringLiteral("3"), QStringLiteral("--image-size"), QStringLiteral("32"), QStringLiteral("--device"),
        QStringLiteral("cpu"), QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--seed"),
        QStringLiteral("1"), QStringLiteral("--out"), run });
    if (r.code != 0)
        qWarning("%s", qPrintable(r.err + r.out));
    return r.code == 0 ? run : QString();
}

// After a failed write: the checkpoints load, metrics.jsonl holds complete lines only (at least
// `minEpochs`), config.json is the one before, and no temporary file was left behind.
void TestDiskFull::checkRunIntact(const QString& run, int minEpochs, const QByteArray& config)
{
    for (const char* ckpt : { "last.pt", "best.pt" }) {
        const Run e = masksup({ QStringLiteral("evaluate"), QStringLiteral("--checkpoint"),
            run + QStringLiteral("/checkpoints/") + QLatin1String(ckpt), QStringLiteral("--dataset"),
            m_dataset, QStringLiteral("--json") });
        QVERIFY2(e.code == 0, qPrintable(QLatin1String(ckpt) + QStringLiteral(": ") + e.err));
    }
    const QVector<int> epochs = metricsEpochs(run + QStringLiteral("/metrics.jsonl"));
    QVERIFY2(epochs.size() >= minEpochs, qPrintable(readAll(run + QStringLiteral("/metrics.jsonl"))));
    for (int i = 0; i < epochs.size(); ++i)
        QCOMPARE(epochs[i], i + 1);
    const QByteArray nowConfig = readAll(run + QStringLiteral("/config.json"));
    QVERIFY(QJsonDocument::fromJson(nowConfig).isObject());
    QCOMPARE(QJsonDocument::fromJson(nowConfig).object().value(QStringLiteral("model")).toString(),
        QJsonDocument::fromJson(config).object().value(QStringLiteral("model")).toString());
    const QStringList expected { QStringLiteral("checkpoints/best.pt"), QStringLiteral("checkpoints/last.pt"),
        QStringLiteral("config.json"), QStringLiteral("metrics.csv"), QStringLiteral("metrics.jsonl"),
        QStringLiteral("split.json"), QStringLiteral("val_errors.json") };
    QCOMPARE(filesIn(run), expected);
}

void TestDiskFull::freeSpaceText()
{
    const QStorageInfo storage(m_dir.path());
    const QString text = msup::freeSpaceText(m_dir.filePath(QStringLiteral("not/yet/there.pt")));
    QVERIFY2(text.contains(QStringLiteral(" free of ")), qPrintable(text));
    QVERIFY2(text.endsWith(QStringLiteral(" on ") + storage.rootPath()), qPrintable(text));
    const WriteError e = writeFailure(m_dir.filePath(QStringLiteral("a.json")),
        QStringLiteral("could not be written"), QStringLiteral("No space left on device"));
    const QString message = QString::fromStdString(e.what());
    QVERIFY2(message.startsWith(m_dir.filePath(QStringLiteral("a.json"))
                 + QStringLiteral(": could not be written: "
                                  "No space left on device (")),
        qPrintable(message));
    QVERIFY2(
        message.contains(QStringLiteral(" free of ")) && message.contains(QStringLiteral("previous version")),
        qPrintable(message));
    QCOMPARE(QString::fromStdString(e.file()), m_dir.filePath(QStringLiteral("a.json")));
}

void TestDiskFull::writeFileAtomicKeepsThePreviousFile_data()
{
    QTest::addColumn<int>("size");
    // Smaller than Qt's write buffer (the error only shows when it is flushed: QSaveFile alone
    // committed a truncated file then), and larger (written straight through).
    QTest::newRow("6 KB") << 6 * 1024;
    QTest::newRow("64 KB") << 64 * 1024;
}

void TestDiskFull::writeFileAtomicKeepsThePreviousFile()
{
    QFETCH(int, size);
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("data.bin"));
    writeFileAtomic(path, QByteArray("previous"));
    QString message;
    {
        FileSizeLimit limit(4096);
        try {
            writeFileAtomic(path, QByteArray(size, 'x'));
        } catch (const WriteError& e) {
            message = QString::fromStdString(e.what());
        }
    }
    QVERIFY2(message.startsWith(path + QStringLiteral(": ")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("File too large (")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral(" free of ")), qPrintable(message));
    QCOMPARE(readAll(path), QByteArray("previous"));
    QCOMPARE(filesIn(tmp.path()), QStringList { QStringLiteral("data.bin") });
    // Below the limit, the same call works.
    writeFileAtomic(path, QByteArray(1000, 'y'));
    QCOMPARE(readAll(path), QByteArray(1000, 'y'));
}

void TestDiskFull::correctionAndMaskWritesFailCleanly()
{
    QTemporaryDir tmp;
    MaskStore store(openDataset(
        msup::test::writeTinyDataset(tmp.filePath(QStringLiteral("glands")), SynthKind::Glands, 3, 256, 1)));
    const Sample s = store.dataset().samples.at(0);
    const cv::Mat first(256, 256, CV_8UC1, cv::Scalar(1));
    const QString correction = store.saveCorrection(s, first);
    const QByteArray correctionBytes = readAll(correction);
    const QByteArray manifest = readAll(store.manifestPath());
    const QByteArray datasetMask = readAll(s.maskPath);
    const QStringList before = filesIn(tmp.path());
    for (bool toDataset : { false, true }) {
        QString message;
        {
            // A noisy map compresses to far more than 1 KB.
            FileSizeLimit limit(1024);
            try {
                if (toDataset)
                    store.saveToDataset(s, noise(256, 2, 3));
                else
                    store.saveCorrection(s, noise(256, 2, 3));
            } catch (const Error& e) {
                message = QString::fromStdString(e.what());
            }
        }
        QVERIFY2(message.contains(QStringLiteral(" free of ")), qPrintable(message));
        QVERIFY2(message.contains(toDataset ? QFileInfo(s.maskPath).fileName() : correction)
                || message.contains(QStringLiteral(".orig")),
            qPrintable(message));
        QCOMPARE(readAll(correction), correctionBytes);
        QCOMPARE(readAll(store.manifestPath()), manifest);
        QCOMPARE(readAll(s.maskPath), datasetMask);
        // Only the backup of the original mask (written before the mask) may have appeared.
        QCOMPARE(filesIn(tmp.path()).filter(QRegularExpression(QStringLiteral("^(?!.*\\.orig$)"))), before);
    }
    // The kept correction still loads as it was.
    MaskStore reopened(openDataset(tmp.filePath(QStringLiteral("glands"))));
    const cv::Mat loaded = reopened.loadCorrection(reopened.dataset().samples.at(0));
    QCOMPARE(cv::countNonZero(loaded != first), 0);
}

void TestDiskFull::journalWriteFailsCleanly()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("a.journal"));
    const cv::Mat base(256, 256, CV_8UC1, cv::Scalar(0));
    cv::Mat cur = base.clone();
    LabelJournal j(path);
    cv::Mat small = cur.clone();
    small(cv::Rect(1, 1, 4, 4)).setTo(1);
    const LabelDelta d1 = makeLabelDelta(cur, small);
    applyLabelDelta(cur, d1);
    j.append(d1, cur.size());
    const QByteArray kept = readAll(path);
    // A stroke whose record (noise compresses badly) cannot fit: the journal is cut back to the
    // records before it, which still replay.
    const LabelDelta big = makeLabelDelta(cur, noise(256, 3, 9));
    QString message;
    {
        FileSizeLimit limit(qMax<rlim_t>(rlim_t(kept.size()) + 512, 4096));
        try {
            j.append(big, cur.size());
        } catch (const WriteError& e) {
            message = QString::fromStdString(e.what());
        }
    }
    QVERIFY2(
        message.startsWith(path + QStringLiteral(": crash journal cannot be written")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral(" free of ")), qPrintable(message));
    QCOMPARE(readAll(path), kept);
    cv::Mat replayed = base.clone();
    QCOMPARE(LabelJournal(path).replay(replayed), 1);
    QCOMPARE(cv::countNonZero(replayed != cur), 0);
}

void TestDiskFull::projectWriteFailsCleanly()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("study.masksup"));
    Project p;
    p.datasetPath = tmp.filePath(QStringLiteral("data"));
    saveProject(path, p);
    const QByteArray kept = readAll(path);
    for (int i = 0; i < 2000; ++i)
        p.runFolders << tmp.filePath(QStringLiteral("runs/run-%1").arg(i));
    QString message;
    {
        FileSizeLimit limit(rlim_t(kept.size()) + 100);
        try {
            saveProject(path, p);
        } catch (const WriteError& e) {
            message = QString::fromStdString(e.what());
        }
    }
    QVERIFY2(message.startsWith(path + QStringLiteral(": ")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral(" free of ")), qPrintable(message));
    QCOMPARE(readAll(path), kept);
    QCOMPARE(loadProject(path).datasetPath, QDir::cleanPath(tmp.filePath(QStringLiteral("data"))));
    QCOMPARE(filesIn(tmp.path()), QStringList { QStringLiteral("study.masksup") });
}

void TestDiskFull::cliWritesFailCleanly_data()
{
    QTest::addColumn<QStringList>("args"); // OUT: the output folder
    QTest::newRow("synth") << QStringList { QStringLiteral("synth"), QStringLiteral("--kind"),
        QStringLiteral("glands"), QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--size"),
        QStringLiteral("128"), QStringLiteral("--seed"), QStringLiteral("1"), QStringLiteral("--out"),
        QStringLiteral("OUT") };
    QTest::newRow("masks") << QStringList { QStringLiteral("masks"), QStringLiteral("--count"),
        QStringLiteral("3"), QStringLiteral("--size"), QStringLiteral("256"), QStringLiteral("--ratio"),
        QStringLiteral("high"), QStringLiteral("--seed"), QStringLiteral("1"), QStringLiteral("--out"),
        QStringLiteral("OUT") };
    QTest::newRow("predict") << QStringList { QStringLiteral("predict"), QStringLiteral("--checkpoint"),
        QStringLiteral("CKPT"), QStringLiteral("--input"), QStringLiteral("IMAGE"), QStringLiteral("--out"),
        QStringLiteral("OUT") };
}

void TestDiskFull::cliWritesFailCleanly()
{
    // Exports and generated files: a write that fails stops the command (exit 1) naming the file
    // and the free space, and leaves no partial file behind.
    QFETCH(QStringList, args);
    const QString out = m_dir.filePath(QStringLiteral("out-%1").arg(QLatin1String(QTest::currentDataTag())));
    if (args.contains(QStringLiteral("CKPT"))) {
        const QString run = train(QStringLiteral("predict-source"), 1);
        QVERIFY(!run.isEmpty());
        args.replace(args.indexOf(QStringLiteral("CKPT")), run + QStringLiteral("/checkpoints/best.pt"));
        const QString images = m_dataset + QStringLiteral("/images");
        args.replace(args.indexOf(QStringLiteral("IMAGE")),
            images + QLatin1Char('/') + QDir(images).entryList(QDir::Files).first());
    }
    args.replace(args.indexOf(QStringLiteral("OUT")), out);
    const Run r = masksup(args, 1024);
    QVERIFY2(!r.crashed, qPrintable(r.err));
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(out + QLatin1Char('/')), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("File too large")) && r.err.contains(QStringLiteral(" free of ")),
        qPrintable(r.err));
    // Whatever was written before the failure is complete.
    for (const QString& f : filesIn(out)) {
        if (f.endsWith(QLatin1String(".png")))
            QVERIFY2(!QImage(out + QLatin1Char('/') + f).isNull(), qPrintable(f));
        else
            QVERIFY2(f.endsWith(QLatin1String(".json")) || f.endsWith(QLatin1String(".md")), qPrintable(f));
    }
}

void TestDiskFull::metricsForResume_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<int>("upTo");
    QTest::addColumn<QVector<int>>("epochs"); // kept; empty with `error` set: refused
    QTest::addColumn<QString>("note"); // part of the note; empty: none
    QTest::addColumn<QString>("error"); // part of the error; empty: none
    const QByteArray l1 = "{\"epoch\":1,\"loss\":0.5}\n", l2 = "{\"epoch\":2,\"loss\":0.4}\n",
                     l3 = "{\"epoch\":3,\"loss\":0.3}\n";
    QTest::newRow("complete") << l1 + l2 + l3 << 3 << QVector<int> { 1, 2, 3 } << QString() << QString();
    QTest::newRow("no final newline")
        << l1 + l2.chopped(1) << 2 << QVector<int> { 1, 2 } << QString() << QString();
    QTest::newRow("later epochs recomputed")
        << l1 + l2 + l3 << 2 << QVector<int> { 1, 2 } << QString() << QString();
    QTest::newRow("last line cut") << l1 + l2 + l3.left(10) << 3 << QVector<int> { 1, 2 }
                                   << QStringLiteral("line 3, 10 bytes) is incomplete") << QString();
    QTest::newRow("cut line then blank lines")
        << l1 + l2.left(12) + "\n\n"
        << 2 << QVector<int> { 1 } << QStringLiteral("line 2") << QString();
    QTest::newRow("CRLF") << QByteArray(l1).replace("\n", "\r\n") + l2 << 2 << QVector<int> { 1, 2 }
                          << QString() << QString();
    QTest::newRow("middle line cut") << l1.left(9) + "\n" + l2 + l3 << 3 << QVector<int> {} << QString()
                                     << QStringLiteral("metrics.jsonl: line 1 is not an epoch's metrics");
    QTest::newRow("middle line not metrics") << l1 + "[1,2]\n" + l3 << 3 << QVector<int> {} << QString()
                                             << QStringLiteral("line 2 is not an epoch's metrics");
    QTest::newRow("NUL-filled tail") << l1 + l2 + QByteArray(40, '\0') << 2 << QVector<int> { 1, 2 }
                                     << QStringLiteral("line 3") << QString();
    QTest::newRow("missing") << QByteArray() << 3 << QVector<int> {} << QString() << QString();
}

void TestDiskFull::metricsForResume()
{
    QFETCH(QByteArray, file);
    QFETCH(int, upTo);
    QFETCH(QVector<int>, epochs);
    QFETCH(QString, note);
    QFETCH(QString, error);
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("metrics.jsonl"));
    if (!file.isEmpty())
        QVERIFY(msup::test::writeAll(path, file));
    QString gotNote, gotError;
    QVector<int> got;
    try {
        for (const QJsonObject& o : RunFolder(tmp.path()).readMetricsForResume(upTo, &gotNote))
            got << o.value(QStringLiteral("epoch")).toInt();
    } catch (const Error& e) {
        gotError = QString::fromStdString(e.what());
    }
    QCOMPARE(got, epochs);
    if (note.isEmpty())
        QVERIFY2(gotNote.isEmpty(), qPrintable(gotNote));
    else
        QVERIFY2(gotNote.contains(note) && gotNote.contains(path), qPrintable(gotNote));
    if (error.isEmpty())
        QVERIFY2(gotError.isEmpty(), qPrintable(gotError));
    else
        QVERIFY2(gotError.contains(error), qPrintable(gotError));
    if (!file.isEmpty())
        QCOMPARE(readAll(path), file); // reading never changes the file
}

void TestDiskFull::trainStopsCleanlyWhenACheckpointCannotBeWritten()
{
    const QString run = train(QStringLiteral("rlimit"), 2);
    QVERIFY(!run.isEmpty());
    const QByteArray config = readAll(run + QStringLiteral("/config.json"));
    const QByteArray last = readAll(run + QStringLiteral("/checkpoints/last.pt"));
    // Room for the JSON files of the run, not for a checkpoint.
    qint64 largest = 0;
    for (const char* f : { "config.json", "metrics.jsonl", "metrics.csv", "val_errors.json", "split.json" })
        largest = qMax(largest, QFileInfo(run + QLatin1Char('/') + QLatin1String(f)).size());
    const rlim_t limit = rlim_t(largest * 2 + 4096);
    QVERIFY2(qint64(limit) < last.size(), qPrintable(QStringLiteral("%1 %2").arg(limit).arg(last.size())));
    const Run r = masksup({ QStringLiteral("train"), QStringLiteral("--resume"), run,
                              QStringLiteral("--epochs"), QStringLiteral("4") },
        limit);
    QVERIFY2(!r.crashed, qPrintable(r.err)); // before: terminate called after throwing 'c10::Error'
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral(".pt: could not be written completely")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("File too large")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral(" free of ")), qPrintable(r.err));
    QVERIFY2(
        r.err.contains(QStringLiteral("the previous version of the file is unchanged")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("Training stopped in epoch 3")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("masksup train --resume ")), qPrintable(r.err));
    QVERIFY(!r.err.contains(QStringLiteral("terminate")));
    QCOMPARE(readAll(run + QStringLiteral("/checkpoints/last.pt")), last);
    checkRunIntact(run, 2, config);
    // With room again, the run continues from where it stopped and completes.
    const Run resumed = masksup({ QStringLiteral("train"), QStringLiteral("--resume"), run,
        QStringLiteral("--epochs"), QStringLiteral("4") });
    QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
    QCOMPARE(metricsEpochs(run + QStringLiteral("/metrics.jsonl")), (QVector<int> { 1, 2, 3, 4 }));
}

void TestDiskFull::trainStopsCleanlyOnAFullTmpfs()
{
    // A real full filesystem: a 3 MB tmpfs, filled up after the first run.
    const QString mountPoint = m_dir.filePath(QStringLiteral("tmpfs"));
    QVERIFY(QDir().mkpath(mountPoint));
    if (::mount("tmpfs", mountPoint.toLocal8Bit().constData(), "tmpfs", 0, "size=3m") != 0)
        QSKIP(qPrintable(
            QStringLiteral("mounting a tmpfs is not permitted here (%1); the RLIMIT_FSIZE test covers it")
                .arg(QString::fromLocal8Bit(strerror(errno)))));
    struct Unmount {
        QByteArray point;
        ~Unmount() { ::umount2(point.constData(), MNT_DETACH); }
    } unmount { mountPoint.toLocal8Bit() };
    const QString run = train(QString(), 1, mountPoint + QStringLiteral("/run"));
    QVERIFY(!run.isEmpty());
    const QByteArray config = readAll(run + QStringLiteral("/config.json"));
    const QByteArray last = readAll(run + QStringLiteral("/checkpoints/last.pt"));
    // Fill the filesystem, leaving less than a checkpoint.
    {
        QFile filler(mountPoint + QStringLiteral("/filler"));
        QVERIFY(filler.open(QIODevice::WriteOnly));
        const QByteArray block(4096, 'f');
        while (QStorageInfo(mountPoint).bytesAvailable() > last.size() / 2
            && filler.write(block) == block.size())
            filler.flush();
    }
    const Run r = masksup({ QStringLiteral("train"), QStringLiteral("--resume"), run,
        QStringLiteral("--epochs"), QStringLiteral("3") });
    QVERIFY2(!r.crashed, qPrintable(r.err)); // before: terminate called after throwing 'c10::Error'
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("No space left on device")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral(" free of 3.0 MB on ") + mountPoint), qPrintable(r.err));
    QVERIFY2(r.err.contains(run), qPrintable(r.err));
    QCOMPARE(readAll(run + QStringLiteral("/checkpoints/last.pt")), last);
    checkRunIntact(run, 1, config);

    // The same folder read-only (root ignores permission bits: the filesystem itself is remounted).
    QVERIFY(QFile::remove(mountPoint + QStringLiteral("/filler")));
    QVERIFY2(
        ::mount("tmpfs", mountPoint.toLocal8Bit().constData(), "tmpfs", MS_REMOUNT | MS_RDONLY, "size=3m")
            == 0,
        strerror(errno));
    const QByteArray metrics = readAll(run + QStringLiteral("/metrics.jsonl"));
    const Run ro = masksup({ QStringLiteral("train"), QStringLiteral("--resume"), run,
        QStringLiteral("--epochs"), QStringLiteral("3") });
    QVERIFY2(!ro.crashed, qPrintable(ro.err));
    QCOMPARE(ro.code, 1);
    QVERIFY2(ro.err.contains(QStringLiteral("Read-only file system")), qPrintable(ro.err));
    QVERIFY2(ro.err.contains(QStringLiteral(" free of 3.0 MB on ") + mountPoint), qPrintable(ro.err));
    QCOMPARE(readAll(run + QStringLiteral("/metrics.jsonl")), metrics);
    checkRunIntact(run, 1, config);
}

void TestDiskFull::controllerReportsAFailedWriteAsFailed()
{
    // The GUI's path: the controller's failed() signal (the Training panel shows it in a dialog)
    // carries the message; the run ends, nothing is left half-written.
    TrainConfig c = msup::test::tinyConfig(m_dataset, m_dir.filePath(QStringLiteral("controller")));
    {
        TrainingController controller;
        QSignalSpy finished(&controller, &TrainingController::finished);
        QVERIFY(controller.start(c));
        QVERIFY(finished.wait(120000));
    }
    const QString last = c.outDir + QStringLiteral("/checkpoints/last.pt");
    const QByteArray lastBytes = readAll(last);
    QVERIFY(!lastBytes.isEmpty());
    c.epochs = 2;
    TrainingController controller;
    QSignalSpy failed(&controller, &TrainingController::failed);
    QSignalSpy finished(&controller, &TrainingController::finished);
    {
        FileSizeLimit limit(rlim_t(lastBytes.size() / 2));
        QVERIFY(controller.start(c, last));
        QVERIFY(failed.wait(120000));
        controller.wait();
    }
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(QStringLiteral(".pt: could not be written completely")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral(" free of ")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("Resume in the Training panel")), qPrintable(message));
    QCOMPARE(readAll(last), lastBytes);
    QCOMPARE(metricsEpochs(c.outDir + QStringLiteral("/metrics.jsonl")), (QVector<int> { 1, 2 }));
}

void TestDiskFull::resumeKeepsCompleteMetricsAndDropsACutLastLine()
{
    const QString run = train(QStringLiteral("cut"), 2);
    QVERIFY(!run.isEmpty());
    const QString metrics = run + QStringLiteral("/metrics.jsonl");
    const QByteArray full = readAll(metrics);
    // The last line cut in the middle (no newline after it), as a crash or a full disk leaves it.
    QVERIFY(msup::test::writeAll(metrics, full.left(full.lastIndexOf('\n', full.size() - 2) + 30)));
    QCOMPARE(metricsEpochs(metrics), (QVector<int> { 1, -1 }));
    const Run r = masksup({ QStringLiteral("train"), QStringLiteral("--resume"), run,
        QStringLiteral("--epochs"), QStringLiteral("3") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("its last line (line 2, 29 bytes) is incomplete and was dropped")),
        qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("the line of epoch 2 was restored from")), qPrintable(r.err));
    // Epoch 2 comes back from last.pt; nothing before it is lost.
    QCOMPARE(metricsEpochs(metrics), (QVector<int> { 1, 2, 3 }));
    const QList<QByteArray> before = full.split('\n'), after = readAll(metrics).split('\n');
    QCOMPARE(after[0], before[0]);
    QCOMPARE(after[1], before[1]);
}

void TestDiskFull::resumeRefusesADamagedMiddleLine()
{
    const QString run = train(QStringLiteral("damaged"), 2);
    QVERIFY(!run.isEmpty());
    const QString metrics = run + QStringLiteral("/metrics.jsonl");
    QByteArray damaged = readAll(metrics);
    damaged.replace(20, 5, "#####");
    QVERIFY(msup::test::writeAll(metrics, damaged));
    const Run r = masksup({ QStringLiteral("train"), QStringLiteral("--resume"), run,
        QStringLiteral("--epochs"), QStringLiteral("3") });
    QCOMPARE(r.code, 1);
    QVERIFY2(
        r.err.contains(metrics + QStringLiteral(": line 1 is not an epoch's metrics")), qPrintable(r.err));
    QCOMPARE(readAll(metrics), damaged);
}

QTEST_GUILESS_MAIN(TestDiskFull)
#include "tst_diskfull.moc"
