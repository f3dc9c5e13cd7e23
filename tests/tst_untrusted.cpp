// The masksup executable on untrusted files: every crafted or damaged input of tests/fuzz/corpus
// (plus big ones made here) ends with exit code 1 and a message naming the file — never a signal,
// never exit 0 with garbage. MASKSUP_TEST_CLI=/path/to/masksup runs the rows against another
// build (e.g. an older one, to see them fail there).
#include "core/io/zip_archive.h"
#include "tests/support/files.h"
#include "tests/support/process.h"

#include <hdf5.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <vector>

namespace {

using msup::test::readAll;
using msup::test::Run;
using msup::test::writeAll;

QString cli()
{
    return msup::test::cliPath();
}

Run masksup(const QStringList& args, int timeoutMs = 120000)
{
    return msup::test::masksup(args, timeoutMs);
}

QString fuzzDir()
{
    return QStringLiteral(MASKSUP_FUZZ_DIR);
}

void put16(QByteArray& b, quint16 v)
{
    b.append(char(v & 0xff)).append(char(v >> 8));
}
void put32(QByteArray& b, quint32 v)
{
    put16(b, quint16(v & 0xffff));
    put16(b, quint16(v >> 16));
}
void set32(QByteArray& b, qsizetype at, quint32 v)
{
    for (int i = 0; i < 4; ++i)
        b[at + i] = char((v >> (8 * i)) & 0xff);
}

// A zip of stored records (what torch.save writes), for inputs too big for the repository.
QByteArray storedZip(const QList<QPair<QByteArray, QByteArray>>& records)
{
    QByteArray out, dir;
    for (const auto& [name, data] : records) {
        const quint32 crc = msup::zipCrc32(data.constData(), quint64(data.size()));
        const quint32 offset = quint32(out.size());
        out.append("PK\x03\x04", 4);
        put16(out, 20), put16(out, 0), put16(out, 0), put16(out, 0), put16(out, 0);
        put32(out, crc), put32(out, quint32(data.size())), put32(out, quint32(data.size()));
        put16(out, quint16(name.size())), put16(out, 0);
        out.append(name).append(data);
        dir.append("PK\x01\x02", 4);
        put16(dir, 20), put16(dir, 20), put16(dir, 0), put16(dir, 0), put16(dir, 0), put16(dir, 0);
        put32(dir, crc), put32(dir, quint32(data.size())), put32(dir, quint32(data.size()));
        put16(dir, quint16(name.size())), put16(dir, 0), put16(dir, 0), put16(dir, 0), put16(dir, 0);
        put32(dir, 0), put32(dir, offset);
        dir.append(name);
    }
    const quint32 dirOffset = quint32(out.size());
    out.append(dir);
    out.append("PK\x05\x06", 4);
    put16(out, 0), put16(out, 0), put16(out, quint16(records.size())), put16(out, quint16(records.size()));
    put32(out, quint32(dir.size())), put32(out, dirOffset), put16(out, 0);
    return out;
}

// Damages the largest tensor record of a LibTorch archive in place: flips one byte (its CRC is
// then stale), or makes it 4 bytes shorter with sizes and CRC consistent (only data.pkl's
// declared size tells).
QByteArray damaged(const QByteArray& archive, bool shorten)
{
    QByteArray b = archive;
    const msup::ZipArchive zip(b.constData(), quint64(b.size()), "checkpoint");
    const msup::ZipEntry* big = nullptr;
    for (const msup::ZipEntry& e : zip.entries())
        if (e.name.find("/data/") != std::string::npos && (!big || e.size > big->size))
            big = &e;
    if (!big || big->size < 16)
        return {};
    if (!shorten) {
        b[qsizetype(big->dataOffset + big->size / 2)]
            = char(b[qsizetype(big->dataOffset + big->size / 2)] ^ 1);
        return b;
    }
    const quint32 size = quint32(big->size - 4);
    const quint32 crc = msup::zipCrc32(b.constData() + big->dataOffset, size);
    set32(b, qsizetype(big->headerOffset + 14), crc);
    set32(b, qsizetype(big->headerOffset + 18), size);
    set32(b, qsizetype(big->headerOffset + 22), size);
    const QByteArray name = QByteArray::fromStdString(big->name);
    for (qsizetype at = b.indexOf("PK\x01\x02"); at >= 0; at = b.indexOf("PK\x01\x02", at + 4)) {
        const int n = quint8(b[at + 28]) | (quint8(b[at + 29]) << 8);
        if (b.mid(at + 46, n) == name) {
            set32(b, at + 16, crc);
            set32(b, at + 20, size);
            set32(b, at + 24, size);
            return b;
        }
    }
    return {};
}

// A MATLAB v7.3 file (HDF5 behind a 512-byte MATLAB header) whose 'images' (uint8 H×W×3×N) and
// 'labels' (uint16 H×W×N) declare the given dims with chunked storage and no data written: a few
// KB on disk whatever the dims.
bool writeDeclaredNyuMat(const QString& path, hsize_t h, hsize_t w, hsize_t n)
{
    const hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_userblock(fcpl, 512);
    const hid_t file = H5Fcreate(QFile::encodeName(path).constData(), H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    H5Pclose(fcpl);
    if (file < 0)
        return false;
    auto make = [&](const char* name, hid_t type, std::vector<hsize_t> dims, const char* matlabClass) {
        // HDF5 lists MATLAB's dims in reverse.
        const hid_t space = H5Screate_simple(int(dims.size()), dims.data(), nullptr);
        const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
        std::vector<hsize_t> chunk(dims.size(), 1);
        H5Pset_chunk(dcpl, int(chunk.size()), chunk.data());
        const hid_t ds = H5Dcreate2(file, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
        const hid_t str = H5Tcopy(H5T_C_S1);
        H5Tset_size(str, std::strlen(matlabClass));
        const hid_t scalar = H5Screate(H5S_SCALAR);
        const hid_t attr = H5Acreate2(ds, "MATLAB_class", str, scalar, H5P_DEFAULT, H5P_DEFAULT);
        const bool ok = ds >= 0 && attr >= 0 && H5Awrite(attr, str, matlabClass) >= 0;
        H5Aclose(attr), H5Sclose(scalar), H5Tclose(str), H5Dclose(ds), H5Pclose(dcpl), H5Sclose(space);
        return ok;
    };
    const bool ok = make("images", H5T_STD_U8LE, { n, 3, w, h }, "uint8")
        && make("labels", H5T_STD_U16LE, { n, w, h }, "uint16");
    H5Fclose(file);
    if (!ok)
        return false;
    QFile f(path);
    if (!f.open(QIODevice::ReadWrite))
        return false;
    QByteArray header
        = QByteArray("MATLAB 7.3 MAT-file, Platform: GLNXA64, Created by: tst_untrusted HDF5 schema 1.00 .")
              .leftJustified(116, ' ');
    header += QByteArray(8, '\0');
    header += QByteArray("\x00\x02IM", 4);
    return f.write(header) == 128;
}

} // namespace

class TestUntrusted : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void importWeightsOnCraftedFiles_data();
    void importWeightsOnCraftedFiles();
    void damagedCheckpoints_data();
    void damagedCheckpoints();
    void resumeFromADamagedLastPt();
    void nyuMatDeclaringHugeDims_data();
    void nyuMatDeclaringHugeDims();
    void classesJsonBeyondTheMasks_data();
    void classesJsonBeyondTheMasks();
    void configFromADeviceOrAHugeFile();

private:
    QTemporaryDir m_dir;
    QString m_dataset, m_run;
};

void TestUntrusted::initTestCase()
{
    QVERIFY(QFile::exists(cli()));
    m_dataset = m_dir.filePath(QStringLiteral("glands"));
    Run r = masksup({ QStringLiteral("synth"), QStringLiteral("--kind"), QStringLiteral("glands"),
        QStringLiteral("--count"), QStringLiteral("8"), QStringLiteral("--size"), QStringLiteral("64"),
        QStringLiteral("--seed"), QStringLiteral("2"), QStringLiteral("--out"), m_dataset });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    m_run = m_dir.filePath(QStringLiteral("run"));
    r = masksup({ QStringLiteral("train"), QStringLiteral("--dataset"), m_dataset, QStringLiteral("--out"),
        m_run, QStringLiteral("--model"), QStringLiteral("unet"), QStringLiteral("--width"),
        QStringLiteral("1"), QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--image-size"),
        QStringLiteral("32"), QStringLiteral("--batch-size"), QStringLiteral("4") });
    QVERIFY2(r.code == 0, qPrintable(r.err));

    // Inputs too big for the repository.
    const QString big = m_dir.filePath(QStringLiteral("big"));
    QVERIFY(QDir().mkpath(big));
    // A pickle nested 100,000 deep: the old reader died of a stack overflow (exit 139).
    const QByteArray deep = QByteArray("\x80\x02") + QByteArray(100000, ']') + QByteArray(99999, 'a') + ".";
    QVERIFY(writeAll(big + QStringLiteral("/deep_nesting_100000.pth"),
        storedZip({ { "archive/data.pkl", deep }, { "archive/version", "3\n" } })));
    QVERIFY(writeAll(big + QStringLiteral("/deep_marks_100000.pth"),
        storedZip({ { "archive/data.pkl", QByteArray("\x80\x02") + QByteArray(100000, '(') + "N." } })));
}

void TestUntrusted::importWeightsOnCraftedFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    // What each crafted file must be refused for (a part of the message).
    const QMap<QString, QString> why = {
        { QStringLiteral("deep_nesting_2000.pth"), QStringLiteral("nested deeper than 1000") },
        { QStringLiteral("deep_marks_2000.pth"), QStringLiteral("nested deeper than 1000") },
        { QStringLiteral("deep_nesting_100000.pth"), QStringLiteral("nested deeper than 1000") },
        { QStringLiteral("deep_marks_100000.pth"), QStringLiteral("nested deeper than 1000") },
        { QStringLiteral("deflate_bomb.pth"), QStringLiteral("is compressed") },
        { QStringLiteral("stale_crc.pth"), QStringLiteral("CRC-32 does not match") },
        { QStringLiteral("short_record.pth"), QStringLiteral("holds 16 bytes, but 1600") },
        { QStringLiteral("storage_offset_2p63_0.pth"), QStringLiteral("past the end of its storage") },
        { QStringLiteral("storage_offset_2p63_1.pth"), QStringLiteral("past the end of its storage") },
        { QStringLiteral("numel_overflow.pth"), QStringLiteral("impossible size") },
        { QStringLiteral("stride0_huge.pth"), QStringLiteral("more than 4") },
        { QStringLiteral("memo_huge_index.pth"), QStringLiteral("memo key") },
        { QStringLiteral("os_system.pth"), QStringLiteral("os.system") },
        { QStringLiteral("eval.pth"), QStringLiteral("builtins.eval") },
        { QStringLiteral("record_past_end.pth"), QStringLiteral("past the end") },
    };
    int rows = 0;
    const QStringList folders = { fuzzDir() + QStringLiteral("/corpus/pth"),
        fuzzDir() + QStringLiteral("/crashes/pth"), m_dir.filePath(QStringLiteral("big")) };
    for (const QString& folder : folders) {
        const QDir dir(folder);
        for (const QString& f : dir.entryList(QDir::Files, QDir::Name)) {
            const bool valid = f.startsWith(QLatin1String("valid_")) || f == QLatin1String("unet_w2_c1.pth");
            QTest::newRow(qPrintable(f)) << dir.filePath(f) << (valid ? 0 : 1) << why.value(f);
            ++rows;
        }
    }
    QVERIFY(rows >= 20);
}

void TestUntrusted::importWeightsOnCraftedFiles()
{
    QFETCH(QString, file);
    QFETCH(int, code);
    QFETCH(QString, message);
    const QString marker = QStringLiteral("/tmp/masksup-pwned"); // what os_system.pth / eval.pth would create
    QFile::remove(marker);
    const QString out = m_dir.filePath(QStringLiteral("imported.pt"));
    QFile::remove(out);
    const Run r = masksup({ QStringLiteral("import-weights"), QStringLiteral("--model"),
        QStringLiteral("unet"), QStringLiteral("--classes"), QStringLiteral("1"), QStringLiteral("--width"),
        QStringLiteral("2"), QStringLiteral("--allow-partial"), QStringLiteral("--from"), file,
        QStringLiteral("--out"), out });
    QVERIFY2(r.code != -1, qPrintable(QStringLiteral("killed by a signal or hung: ") + r.err.right(400)));
    QVERIFY2(r.code == code, qPrintable(QStringLiteral("exit %1: ").arg(r.code) + r.err.right(400)));
    QVERIFY(!QFile::exists(marker));
    if (code == 0) {
        QVERIFY(QFile::exists(out));
        return;
    }
    QVERIFY(!QFile::exists(out));
    QVERIFY2(r.err.contains(file), qPrintable(r.err));
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
}

void TestUntrusted::damagedCheckpoints_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    const QString made = m_dir.filePath(QStringLiteral("checkpoints"));
    QVERIFY(QDir().mkpath(made));
    // Made here from this build's own checkpoints (with an optimizer state: last.pt).
    const QByteArray last = readAll(m_run + QStringLiteral("/checkpoints/last.pt"));
    QVERIFY(!last.isEmpty());
    QVERIFY(writeAll(made + QStringLiteral("/last_stale_crc.pt"), damaged(last, false)));
    QVERIFY(writeAll(made + QStringLiteral("/last_short_record.pt"), damaged(last, true)));
    QVERIFY(writeAll(made + QStringLiteral("/last_truncated.pt"), last.left(last.size() / 2)));
    QVERIFY(writeAll(made + QStringLiteral("/empty.pt"), QByteArray()));
    const QMap<QString, QString> why = {
        { QStringLiteral("stale_crc.pt"), QStringLiteral("CRC-32 does not match") },
        { QStringLiteral("short_record.pt"), QStringLiteral("are declared for it") },
        { QStringLiteral("last_stale_crc.pt"), QStringLiteral("CRC-32 does not match") },
        { QStringLiteral("last_short_record.pt"), QStringLiteral("are declared for it") },
        { QStringLiteral("last_truncated.pt"), QStringLiteral("truncated") },
    };
    const QStringList folders = { fuzzDir() + QStringLiteral("/corpus/checkpoint"),
        fuzzDir() + QStringLiteral("/crashes/checkpoint"), made };
    for (const QString& folder : folders) {
        const QDir dir(folder);
        for (const QString& f : dir.entryList(QDir::Files, QDir::Name))
            QTest::newRow(qPrintable(f))
                << dir.filePath(f) << (f.startsWith(QLatin1String("valid_")) ? 0 : 1) << why.value(f);
    }
}

void TestUntrusted::damagedCheckpoints()
{
    QFETCH(QString, file);
    QFETCH(int, code);
    QFETCH(QString, message);
    const QString predictions = m_dir.filePath(QStringLiteral("predictions"));
    const QList<QStringList> commands = {
        { QStringLiteral("evaluate"), QStringLiteral("--checkpoint"), file, QStringLiteral("--dataset"),
            m_dataset },
        { QStringLiteral("predict"), QStringLiteral("--checkpoint"), file, QStringLiteral("--input"),
            m_dataset + QStringLiteral("/images"), QStringLiteral("--out"), predictions },
    };
    for (const QStringList& args : commands) {
        QDir(predictions).removeRecursively();
        const Run r = masksup(args);
        const QString what = args.first() + QStringLiteral(": exit %1: ").arg(r.code) + r.err.right(400);
        QVERIFY2(r.code != -1, qPrintable(what));
        QVERIFY2(r.code == code, qPrintable(what));
        if (code == 0)
            continue;
        QVERIFY2(r.err.contains(file), qPrintable(what));
        QVERIFY2(r.err.contains(message), qPrintable(what));
        QVERIFY2(r.err.contains(QLatin1String("use another checkpoint")), qPrintable(what));
    }
}

void TestUntrusted::resumeFromADamagedLastPt()
{
    for (const bool shorten : { false, true }) {
        const QString run
            = m_dir.filePath(shorten ? QStringLiteral("resume_short") : QStringLiteral("resume_stale"));
        QVERIFY(QDir().mkpath(run + QStringLiteral("/checkpoints")));
        for (const QString& f : QDir(m_run).entryList(QDir::Files))
            QVERIFY(QFile::copy(m_run + QLatin1Char('/') + f, run + QLatin1Char('/') + f));
        QVERIFY(QFile::copy(
            m_run + QStringLiteral("/checkpoints/best.pt"), run + QStringLiteral("/checkpoints/best.pt")));
        const QString last = run + QStringLiteral("/checkpoints/last.pt");
        QVERIFY(writeAll(last, damaged(readAll(m_run + QStringLiteral("/checkpoints/last.pt")), shorten)));
        const Run r = masksup({ QStringLiteral("train"), QStringLiteral("--resume"), run,
            QStringLiteral("--epochs"), QStringLiteral("2") });
        QVERIFY2(r.code == 1, qPrintable(QStringLiteral("exit %1: ").arg(r.code) + r.err.right(400)));
        QVERIFY2(r.err.contains(QLatin1String("last.pt")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("use another checkpoint")), qPrintable(r.err));
    }
}

void TestUntrusted::nyuMatDeclaringHugeDims_data()
{
    QTest::addColumn<qulonglong>("side");
    QTest::addColumn<qulonglong>("frames");
    // 100000² pixels a frame: train died of std::bad_alloc naming no file.
    QTest::newRow("100000x100000, 2 frames") << qulonglong(100000) << qulonglong(2);
    // 3 million frames: inspect ran for minutes.
    QTest::newRow("1x1, 3 million frames") << qulonglong(1) << qulonglong(3000000);
    // Plausible caps, but far more pixels than the file's few KB can hold.
    QTest::newRow("640x480, 1449 frames, no data") << qulonglong(640) << qulonglong(1449);
}

void TestUntrusted::nyuMatDeclaringHugeDims()
{
    QFETCH(qulonglong, side);
    QFETCH(qulonglong, frames);
    const QString dir = m_dir.filePath(QStringLiteral("nyu_%1_%2").arg(side).arg(frames));
    QVERIFY(QDir().mkpath(dir));
    const QString mat = dir + QStringLiteral("/nyu_depth_v2_labeled.mat");
    QVERIFY(writeDeclaredNyuMat(mat, side, side == 640 ? 480 : side, frames));
    QVERIFY(QFileInfo(mat).size() < 64 * 1024);
    // With the real metadata beside it (when shared/ is there), the old code got as far as decoding.
    const QString meta = msup::test::sharedDir(QStringLiteral("datasets/nyudv2/nyuv2-meta-data"));
    for (const char* f : { "classMapping40.mat", "class13Mapping.mat", "splits.mat" })
        QFile::copy(meta + QLatin1Char('/') + QLatin1String(f), dir + QLatin1Char('/') + QLatin1String(f));
    const QList<QStringList> commands = {
        { QStringLiteral("inspect"), dir },
        { QStringLiteral("train"), QStringLiteral("--dataset"), dir, QStringLiteral("--out"),
            m_dir.filePath(QStringLiteral("nyu_run")), QStringLiteral("--epochs"), QStringLiteral("1"),
            QStringLiteral("--image-size"), QStringLiteral("32"), QStringLiteral("--width"),
            QStringLiteral("1") },
    };
    for (const QStringList& args : commands) {
        QElapsedTimer clock;
        clock.start();
        const Run r = masksup(args, 60000);
        const QString what = args.first() + QStringLiteral(": exit %1: ").arg(r.code) + r.err.right(400);
        QVERIFY2(r.code == 1, qPrintable(what));
        QVERIFY2(r.err.contains(QLatin1String("nyu_depth_v2_labeled.mat")), qPrintable(what));
        QVERIFY2(r.err.contains(QLatin1String("declares")), qPrintable(what));
        QVERIFY2(clock.elapsed() < 30000, qPrintable(what));
    }
}

void TestUntrusted::classesJsonBeyondTheMasks_data()
{
    QTest::addColumn<int>("classes");
    QTest::addColumn<bool>("duplicate");
    QTest::addColumn<QString>("problem");
    QTest::newRow("300 classes") << 300 << false << QStringLiteral("at most 255 classes");
    QTest::newRow("duplicate names") << 4 << true << QStringLiteral("appears twice");
    QTest::newRow("255 classes are fine") << 255 << false << QString();
}

void TestUntrusted::classesJsonBeyondTheMasks()
{
    QFETCH(int, classes);
    QFETCH(bool, duplicate);
    QFETCH(QString, problem);
    const QString dir = m_dir.filePath(QStringLiteral("classes_%1_%2").arg(classes).arg(duplicate));
    QVERIFY(QDir().mkpath(dir + QStringLiteral("/images")));
    QVERIFY(QDir().mkpath(dir + QStringLiteral("/masks")));
    for (const char* sub : { "images", "masks" })
        for (const QString& f :
            QDir(m_dataset + QLatin1Char('/') + QLatin1String(sub)).entryList(QDir::Files))
            QVERIFY(QFile::copy(m_dataset + QLatin1Char('/') + QLatin1String(sub) + QLatin1Char('/') + f,
                dir + QLatin1Char('/') + QLatin1String(sub) + QLatin1Char('/') + f));
    QByteArray json = "{\"classes\": [";
    for (int k = 0; k < classes; ++k)
        json += QByteArray(k ? "," : "") + "{\"name\": \"c" + QByteArray::number(duplicate && k == 3 ? 1 : k)
            + "\", \"color\": \"#102030\"}";
    json += "]}";
    QVERIFY(writeAll(dir + QStringLiteral("/classes.json"), json));
    const Run r = masksup({ QStringLiteral("inspect"), dir, QStringLiteral("--json") });
    QVERIFY2(r.code == 0 || r.code == 1, qPrintable(r.err));
    if (problem.isEmpty()) {
        QVERIFY2(!r.out.contains(QLatin1String("at most 255")), qPrintable(r.out.left(2000)));
        return;
    }
    QVERIFY2(r.out.contains(problem), qPrintable(r.out.left(2000)));
    QVERIFY2(r.out.contains(QLatin1String("classes.json")), qPrintable(r.out.left(2000)));
}

void TestUntrusted::configFromADeviceOrAHugeFile()
{
    // The old reader read /dev/zero until memory ran out.
    const QString huge = m_dir.filePath(QStringLiteral("huge.json"));
    QVERIFY(writeAll(huge, "{\"epochs\": 1, \"x\": \"" + QByteArray(3 << 20, 'a') + "\"}"));
    for (const QString& config : { QStringLiteral("/dev/zero"), huge }) {
        QElapsedTimer clock;
        clock.start();
        const Run r = masksup(
            { QStringLiteral("train"), QStringLiteral("--dataset"), m_dataset, QStringLiteral("--out"),
                m_dir.filePath(QStringLiteral("never")), QStringLiteral("--config"), config },
            30000);
        const QString what = QStringLiteral("exit %1: ").arg(r.code) + r.err.right(400);
        QVERIFY2(r.code == 1, qPrintable(what));
        QVERIFY2(r.err.contains(config), qPrintable(what));
        QVERIFY2(r.err.contains(QLatin1String("at most 1 MiB")), qPrintable(what));
        QVERIFY2(clock.elapsed() < 20000, qPrintable(what));
    }
}

QTEST_GUILESS_MAIN(TestUntrusted)
#include "tst_untrusted.moc"
