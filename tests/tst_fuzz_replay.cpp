// Replays every input of tests/fuzz/corpus/<target>/ and tests/fuzz/crashes/<target>/ through the
// entry points of the libFuzzer targets (tests/fuzz/fuzz_entries.h), in the normal build, so that
// a reader that crashes again on an input it once crashed on fails CI without running the fuzzer.
// Inputs too big to keep in the repository (a pickle nested 100,000 deep) are made here.
#include "core/base/error.h"
#include "core/io/zip_archive.h"
#include "core/train/pickle_reader.h"
#include "core/train/torch_archive.h"
#include "tests/fuzz/fuzz_entries.h"
#include "tests/support/files.h"

#include <QDir>
#include <QFile>
#include <QtTest>

#include <string>

using namespace msup;
using namespace std::string_literals;

namespace {

QString fuzzDir()
{
    return QStringLiteral(MASKSUP_FUZZ_DIR);
}

std::string deepNesting(int depth)
{
    return "\x80\x02" + std::string(size_t(depth), ']') + std::string(size_t(depth - 1), 'a') + ".";
}

QString pickleError(const std::string& bytes)
{
    try {
        pickle::unpickle(bytes.data(), bytes.size());
    } catch (const pickle::PickleError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestFuzzReplay : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void replayCorpusAndCrashes_data();
    void replayCorpusAndCrashes();
    void deepNestingIsRefusedNotACrash();
    void boundsOfTheUnpickler_data();
    void boundsOfTheUnpickler();
    void validPickleStillReads();
    void zipDirectoryChecks();
};

void TestFuzzReplay::replayCorpusAndCrashes_data()
{
    QTest::addColumn<QString>("file");
    int rows = 0;
    for (const fuzz::Target& t : fuzz::targets()) {
        for (const char* kind : { "corpus", "crashes" }) {
            const QDir dir(fuzzDir() + QLatin1Char('/') + QLatin1String(kind) + QLatin1Char('/')
                + QLatin1String(t.name));
            for (const QString& f : dir.entryList(QDir::Files, QDir::Name)) {
                QTest::newRow(qPrintable(
                    QLatin1String(kind) + QLatin1Char('/') + QLatin1String(t.name) + QLatin1Char('/') + f))
                    << dir.filePath(f);
                ++rows;
            }
        }
    }
    QVERIFY2(rows >= 20, "tests/fuzz/corpus is missing or nearly empty");
}

void TestFuzzReplay::replayCorpusAndCrashes()
{
    QFETCH(QString, file);
    const QString target = QFileInfo(file).dir().dirName();
    const QByteArray bytes = msup::test::readAll(file);
    QVERIFY(!bytes.isEmpty() || QFileInfo(file).size() == 0);
    for (const fuzz::Target& t : fuzz::targets())
        if (target == QLatin1String(t.name))
            t.run(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                size_t(bytes.size())); // must not crash
}

void TestFuzzReplay::deepNestingIsRefusedNotACrash()
{
    // The old reader built this (recursive shared_ptr destruction then overflowed the stack).
    const std::string deep = deepNesting(100000);
    QVERIFY2(
        pickleError(deep).contains(QLatin1String("nested deeper than 1000")), qPrintable(pickleError(deep)));
    fuzz::pickleInput(reinterpret_cast<const std::uint8_t*>(deep.data()), deep.size());
    // Up to the limit it reads.
    const std::string ok = deepNesting(999);
    QCOMPARE(pickleError(ok), QString());
    // MARKs nested as deep, and a list that holds itself (a cycle) are fine too.
    QVERIFY(
        pickleError("\x80\x02" + std::string(100000, '(') + "N.").contains(QLatin1String("nested deeper")));
    QCOMPARE(pickleError(std::string("\x80\x02]q\x00h\x00"
                                     "a.",
                 9)),
        QString());
}

void TestFuzzReplay::boundsOfTheUnpickler_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    auto row = [](const char* name, const std::string& b, const char* m) {
        QTest::newRow(name) << QByteArray::fromStdString(b) << QString::fromLatin1(m);
    };
    auto le = [](std::uint64_t v, int n) {
        std::string s;
        for (int i = 0; i < n; ++i)
            s += char((v >> (8 * i)) & 0xff);
        return s;
    };
    const std::string storage = "((X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x00"s
        + "0X\x03\x00\x00\x00"s + "cpu";
    auto tensor = [&](std::int64_t numel, std::int64_t offset, std::int64_t size, std::int64_t stride) {
        return "\x80\x02"
               "ctorch._utils\n_rebuild_tensor_v2\n"s
            + storage + "\x8a\x08" + le(std::uint64_t(numel), 8) + "tQ\x8a\x08" + le(std::uint64_t(offset), 8)
            + "(\x8a\x08" + le(std::uint64_t(size), 8) + "t(\x8a\x08" + le(std::uint64_t(stride), 8)
            + "t\x89tR.";
    };
    row("offset 2^63-1", tensor(4, INT64_MAX, 4, 1), "past the end of its storage");
    row("offset 2^63-2", tensor(4, INT64_MAX - 1, 4, 1), "past the end of its storage");
    row("size x stride overflows", tensor(4, 0, std::int64_t(1) << 40, std::int64_t(1) << 40),
        "past the end");
    row("numel x element size overflows", tensor(std::int64_t(1) << 62, 0, 4, 1), "impossible size");
    row("stride 0, 2^40 elements", tensor(1, 0, std::int64_t(1) << 40, 0), "more than 4");
    row("string longer than the data",
        std::string("\x80\x02X\xff\xff\xff\x7f"
                    "abc.",
            11),
        "ends unexpectedly");
    row("BINUNICODE8 of 2^64-1 bytes", std::string("\x80\x02\x8d", 3) + le(~0ull, 8) + ".",
        "ends unexpectedly");
    row("undefined memo key", std::string("\x80\x02}r\xff\xff\xff\xffj\xfe\xff\xff\xff.", 14), "not defined");
    row("LONG4 of 4 GiB", std::string("\x80\x02\x8b\xff\xff\xff\xff.", 8), "too large");
    row("empty", std::string(), "ends unexpectedly");
    {
        // A list of 2^20 references to one pair (2 MB), then OrderedDict(list) 20 times: each REDUCE
        // copies the whole list (the old reader grew by 32 MB per 10 bytes of input).
        std::string b = "\x80\x02"
                        "ccollections\nOrderedDict\nq\x01NN\x86q\x00("s;
        for (int i = 0; i < (1 << 20); ++i)
            b += "h\x00"s;
        b += "lq\x02"
             "0"s;
        for (int i = 0; i < 20; ++i)
            b += "h\x01h\x02\x85R"s;
        b += "N.";
        row("OrderedDict over a memoised list, 20 times", b, "more than 8388608 items");
    }
    row("os.system is not called", "\x80\x02\x63os\nsystem\nX\x02\x00\x00\x00ls\x85R."s, "");
}

void TestFuzzReplay::boundsOfTheUnpickler()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    const QString error = pickleError(bytes.toStdString());
    if (message.isEmpty())
        QCOMPARE(error, QString());
    else
        QVERIFY2(error.contains(message), qPrintable(error));
}

void TestFuzzReplay::validPickleStillReads()
{
    const QByteArray b = msup::test::readAll(fuzzDir() + QStringLiteral("/corpus/pickle/state_dict.pkl"));
    QVERIFY(!b.isEmpty());
    const pickle::Pickle p = pickle::unpickle(b.constData(), size_t(b.size()));
    QCOMPARE(int(p.root->kind), int(pickle::Kind::Dict));
    QCOMPARE(p.root->entries.size(), size_t(1));
    QCOMPARE(p.storages.size(), size_t(1));
    QCOMPARE(p.storages[0].bytes, std::uint64_t(16));
    QCOMPARE(p.tensors.size(), size_t(1));
    QCOMPARE(p.tensors[0].numel, std::int64_t(4));
}

void TestFuzzReplay::zipDirectoryChecks()
{
    auto error = [](const QString& name) -> QString {
        try {
            const TorchArchiveIndex index
                = indexTorchArchive(fuzzDir() + QStringLiteral("/corpus/pth/") + name, "");
            verifyTorchArchive(index);
        } catch (const Error& e) {
            return QString::fromStdString(e.what());
        }
        return {};
    };
    QCOMPARE(error(QStringLiteral("valid_small.pth")), QString());
    QCOMPARE(error(QStringLiteral("unet_w2_c1.pth")), QString());
    QVERIFY(error(QStringLiteral("stale_crc.pth")).contains(QLatin1String("CRC-32 does not match")));
    QVERIFY(error(QStringLiteral("deflate_bomb.pth")).contains(QLatin1String("is compressed")));
    QVERIFY(error(QStringLiteral("short_record.pth")).contains(QLatin1String("holds 16 bytes, but 1600")));
    QVERIFY(error(QStringLiteral("missing_record.pth")).contains(QLatin1String("missing")));
    QVERIFY(error(QStringLiteral("record_past_end.pth")).contains(QLatin1String("past the end")));
    QVERIFY(error(QStringLiteral("record_count.pth")).contains(QLatin1String("records")));
    QVERIFY(error(QStringLiteral("record_count.pth")).startsWith(fuzzDir()));
}

QTEST_GUILESS_MAIN(TestFuzzReplay)
#include "tst_fuzz_replay.moc"
