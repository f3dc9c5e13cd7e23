#include "core/base/error.h"
#include "core/base/rng.h"
#include "core/masks/hole_generator.h"
#include "core/masks/mask_set.h"
#include "tests/support/errors.h"
#include "tests/support/files.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <vector>

using namespace msup;

class TestMasks : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameSeedSameBytes_data();
    void sameSeedSameBytes();
    void bytesMatchTheRecordedMasks();
    void differentSeedsDiffer();
    void ratioWithinInterval_data();
    void ratioWithinInterval();
    void parseRejectsBadRatios_data();
    void parseRejectsBadRatios();
    void tooSmallIsAnError();
    void neverAboveTheInterval();
    void achievedRatiosAreUniformInTheInterval_data();
    void achievedRatiosAreUniformInTheInterval();
    void maskFolderFiltersByRatio();
    void maskFolderErrorsNameTheFolder();
};

void TestMasks::sameSeedSameBytes_data()
{
    QTest::addColumn<int>("w");
    QTest::addColumn<int>("h");
    QTest::newRow("64x64") << 64 << 64;
    QTest::newRow("224x224") << 224 << 224;
    QTest::newRow("640x480") << 640 << 480;
    QTest::newRow("1024x1024") << 1024 << 1024;
    QTest::newRow("1024x300") << 1024 << 300;
}

void TestMasks::sameSeedSameBytes()
{
    QFETCH(int, w);
    QFETCH(int, h);
    const HoleGenerator gen(HoleRatioRange::parse("high"));
    const cv::Mat a = gen.generate(w, h, 42), b = gen.generate(w, h, 42);
    QCOMPARE(a.cols, w);
    QCOMPARE(a.rows, h);
    QCOMPARE(a.type(), CV_8UC1);
    QVERIFY(a.isContinuous() && b.isContinuous());
    QVERIFY(std::memcmp(a.data, b.data, a.total()) == 0);
    // only 0 and 255
    QCOMPARE(cv::countNonZero(a == 0) + cv::countNonZero(a == 255), int(a.total()));
}

void TestMasks::bytesMatchTheRecordedMasks()
{
    // The same bytes on every build: these digests were recorded on Debian 12 (x86-64, GCC 12).
    // A change of compiler, libm or platform that alters a single pixel fails here; an intended
    // change of the generator updates them (and says so in its commit).
    const HoleGenerator gen(HoleRatioRange::parse("high"));
    auto digest = [&](int w, int h) {
        const cv::Mat m = gen.generate(w, h, 42);
        return QCryptographicHash::hash(
            QByteArray(reinterpret_cast<const char*>(m.data), int(m.total())), QCryptographicHash::Sha256)
            .toHex();
    };
    QCOMPARE(
        digest(224, 224), QByteArray("c2f39a723375050f0321d4049e3773b3ee68a5764ff1d0054608d0d50027de86"));
    QCOMPARE(
        digest(640, 480), QByteArray("09960ce48d4707a58fd4b038f300456b571848a6d691c73b7e39dd5153be3131"));
}

void TestMasks::differentSeedsDiffer()
{
    const HoleGenerator gen(HoleRatioRange::parse("0.2-0.3"));
    const cv::Mat a = gen.generate(224, 224, 1), b = gen.generate(224, 224, 2);
    QVERIFY(cv::countNonZero(a != b) > 1000);
}

void TestMasks::ratioWithinInterval_data()
{
    QTest::addColumn<QString>("ratio");
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addColumn<int>("w");
    QTest::addColumn<int>("h");
    QTest::newRow("low 224") << "low" << 0.01 << 0.1 << 224 << 224;
    QTest::newRow("high 224") << "high" << 0.5 << 0.6 << 224 << 224;
    QTest::newRow("0.2-0.3 224") << "0.2-0.3" << 0.2 << 0.3 << 224 << 224;
    QTest::newRow("high 64") << "high" << 0.5 << 0.6 << 64 << 64;
    QTest::newRow("low 640x480") << "low" << 0.01 << 0.1 << 640 << 480;
    QTest::newRow("high 1024") << "high" << 0.5 << 0.6 << 1024 << 1024;
    QTest::newRow("0.2-0.3 300x1024") << "0.2-0.3" << 0.2 << 0.3 << 300 << 1024;
}

void TestMasks::ratioWithinInterval()
{
    QFETCH(QString, ratio);
    QFETCH(double, lo);
    QFETCH(double, hi);
    QFETCH(int, w);
    QFETCH(int, h);
    const HoleGenerator gen(HoleRatioRange::parse(ratio.toStdString()));
    const int n = w * h > 100000 ? 60 : 200;
    double sum = 0;
    for (int i = 0; i < n; ++i) {
        const double r = holeRatio(gen.generate(w, h, 1000 + i));
        QVERIFY2(r > lo && r <= hi, qPrintable(QStringLiteral("mask %1 has ratio %2").arg(i).arg(r)));
        sum += r;
    }
    // Ratios spread across the interval: their mean is not piled at one end.
    const double mean = sum / n, third = (hi - lo) / 3;
    QVERIFY2(mean > lo + third * 0.75 && mean < hi - third * 0.75, qPrintable(QString::number(mean)));
}

void TestMasks::parseRejectsBadRatios_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("reversed") << "0.6-0.5";
    QTest::newRow("above one") << "0.5-1.5";
    QTest::newRow("word") << "medium";
    QTest::newRow("half") << "0.5-";
    QTest::newRow("empty") << "";
}

void TestMasks::parseRejectsBadRatios()
{
    QFETCH(QString, text);
    try {
        HoleRatioRange::parse(text.toStdString());
        QFAIL("accepted an invalid ratio");
    } catch (const Error& e) {
        QVERIFY(QString::fromStdString(e.what()).contains(QStringLiteral("high")));
    }
}

void TestMasks::tooSmallIsAnError()
{
    QVERIFY_THROWS_EXCEPTION(Error, HoleGenerator().generate(8, 8, 1));
}

namespace {
// A 100x80 mask whose top `rows` rows are holes (white), i.e. hole ratio rows/80.
void writeBandMask(const QString& file, int rows)
{
    cv::Mat m(80, 100, CV_8UC1, cv::Scalar(0));
    m.rowRange(0, rows).setTo(255);
    QVERIFY(cv::imwrite(file.toStdString(), m));
}
} // namespace

void TestMasks::maskFolderFiltersByRatio()
{
    QTemporaryDir dir;
    // Ratios 0.05, 0.25, 0.525, 0.5875, 0.7 (white = hole, as in the NVIDIA set), plus a broken file.
    const int rows[] = { 4, 20, 42, 47, 56 };
    for (int i = 0; i < 5; ++i)
        writeBandMask(dir.filePath(QStringLiteral("%1.png").arg(i)), rows[i]);
    QVERIFY(msup::test::writeAll(dir.filePath(QStringLiteral("9.png")), "not a png"));
    int calls = 0;
    std::atomic_bool stop { false };
    FunctionProgress progress(
        [&](int done, int total, const std::string&) {
            ++calls;
            stop = done > total;
        },
        &stop);
    const MaskSet high = MaskSet::load(dir.path(), HoleRatioRange::parse("high"), progress);
    QVERIFY(calls >= 1);
    QCOMPARE(high.scanned(), 6);
    QCOMPARE(high.skipped().size(), 1);
    QVERIFY(high.skipped().first().startsWith(QStringLiteral("9.png")));
    QCOMPARE(high.entries().size(), 2); // 0.525 and 0.5875
    QVERIFY(high.entries()[0].path.endsWith(QStringLiteral("2.png")));
    QCOMPARE(high.entries()[0].ratio, 42.0 / 80.0);
    QCOMPARE(MaskSet::load(dir.path(), HoleRatioRange::parse("low")).entries().size(), 1);
    QCOMPARE(MaskSet::load(dir.path(), HoleRatioRange::parse("0.2-0.3")).entries().size(), 1);
    // Sampling: deterministic by seed, nearest resize to any size (still binary), both masks used.
    const cv::Mat a = high.generate(64, 48, 7), b = high.generate(64, 48, 7);
    QCOMPARE(a.size(), cv::Size(64, 48));
    QCOMPARE(cv::norm(a, b, cv::NORM_INF), 0.0);
    QCOMPARE(cv::countNonZero(a) + cv::countNonZero(a == 0), 64 * 48);
    QCOMPARE(cv::countNonZero((a != 0) & (a != 255)), 0);
    QSet<int> seen;
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        const double r = holeRatio(high.generate(100, 80, seed));
        QVERIFY(r > 0.5 && r <= 0.6);
        seen.insert(int(r * 80 + 0.5));
    }
    QCOMPARE(seen, QSet<int>({ 42, 47 }));
    QVERIFY(QString::fromStdString(high.describe()).contains(QStringLiteral("2 of 6 masks")));
}

void TestMasks::maskFolderErrorsNameTheFolder()
{
    QTemporaryDir dir;
    auto expectError = [](const std::function<void()>& f, const QString& mention) {
        QString message;
        QVERIFY2(msup::test::throwsErrorMentioning(f, mention, &message), qPrintable(message));
    };
    expectError(
        [&] { MaskSet::load(dir.path(), HoleRatioRange::parse("high")); }, QStringLiteral("holds no image"));
    expectError([&] { MaskSet::load(dir.filePath(QStringLiteral("nope")), HoleRatioRange::parse("high")); },
        dir.filePath(QStringLiteral("nope")));
    writeBandMask(dir.filePath(QStringLiteral("a.png")), 8); // 0.1
    // None in the interval: the message gives the ratios found.
    expectError([&] { MaskSet::load(dir.path(), HoleRatioRange::parse("high")); },
        QStringLiteral("from 0.100 to 0.100"));
    // Cancelled.
    expectError(
        [&] {
            FunctionProgress cancelled;
            cancelled.cancel();
            MaskSet::load(dir.path(), HoleRatioRange::parse("low"), cancelled);
        },
        QStringLiteral("cancelled"));
}

void TestMasks::neverAboveTheInterval()
{
    // A target drawn within one pixel of the top once rounded up past it (found by the GUI's
    // 500-mask histogram): every one of 500 masks per interval must lie inside it.
    for (const char* text : { "low", "0.3-0.45", "high" }) {
        const HoleGenerator gen(HoleRatioRange::parse(text));
        for (std::uint64_t i = 0; i < 500; ++i) {
            const double r = holeRatio(gen.generate(128, 128, Rng::derive(1, 0x4869, i)));
            QVERIFY2(r > gen.range().lo && r <= gen.range().hi,
                qPrintable(QStringLiteral("%1 mask %2: %3").arg(QLatin1String(text)).arg(i).arg(r)));
        }
    }
}

void TestMasks::achievedRatiosAreUniformInTheInterval_data()
{
    QTest::addColumn<QString>("ratio");
    QTest::newRow("low") << QStringLiteral("low");
    QTest::newRow("high") << QStringLiteral("high");
    QTest::newRow("0.2-0.3") << QStringLiteral("0.2-0.3");
}

void TestMasks::achievedRatiosAreUniformInTheInterval()
{
    // The README promises ratios drawn uniformly inside the interval: the achieved ratios, not only
    // the targets (whole shapes added until the target was passed overshot it: 'low' had median
    // 0.077 and p10 0.040 in (0.01, 0.1]). 200 masks at 224² as 'masksup masks --count 200 --seed 11'
    // makes them. Positions inside the interval, u = (r - lo) / (hi - lo), must have their 10 %, 50 %
    // and 90 % quantiles within 0.1 of 0.1, 0.5 and 0.9: for 200 uniform draws a sample quantile's
    // standard deviation is sqrt(p(1 - p) / 200) <= 0.035, so 0.1 is about 3 standard deviations
    // at the median (5 at p10/p90), while the old generator's 0.74 (median of 'low') is far out.
    QFETCH(QString, ratio);
    const HoleGenerator gen(HoleRatioRange::parse(ratio.toStdString()));
    const double lo = gen.range().lo, hi = gen.range().hi;
    std::vector<double> u;
    for (std::uint64_t i = 0; i < 200; ++i) {
        const std::uint64_t seed = Rng::derive(11, 0x3a5c, i);
        const cv::Mat m = gen.generate(224, 224, seed);
        const double r = holeRatio(m);
        QVERIFY2(r > lo && r <= hi, qPrintable(QStringLiteral("mask %1: %2").arg(i).arg(r)));
        u.push_back((r - lo) / (hi - lo));
        if (i % 50 == 0) { // still a pure function of the seed
            const cv::Mat again = gen.generate(224, 224, seed);
            QVERIFY(std::memcmp(m.data, again.data, m.total()) == 0);
        }
    }
    std::sort(u.begin(), u.end());
    const auto quantile = [&](double p) { return u[std::size_t(std::lround(p * (u.size() - 1)))]; };
    qInfo("%s (%g, %g]: p10 %.4f, median %.4f, p90 %.4f", qPrintable(ratio), lo, hi,
        lo + quantile(0.1) * (hi - lo), lo + quantile(0.5) * (hi - lo), lo + quantile(0.9) * (hi - lo));
    for (const double p : { 0.1, 0.5, 0.9 })
        QVERIFY2(std::abs(quantile(p) - p) <= 0.1,
            qPrintable(QStringLiteral("%1: quantile %2 of the position in the interval is %3 (uniform: %2); "
                                      "as a ratio %4")
                           .arg(ratio)
                           .arg(p)
                           .arg(quantile(p), 0, 'f', 3)
                           .arg(lo + quantile(p) * (hi - lo), 0, 'f', 4)));
}

QTEST_APPLESS_MAIN(TestMasks)
#include "tst_masks.moc"
