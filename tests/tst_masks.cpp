#include "core/base/error.h"
#include "core/masks/hole_generator.h"

#include <QtTest>

#include <cstring>

using namespace msup;

class TestMasks : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameSeedSameBytes_data();
    void sameSeedSameBytes();
    void differentSeedsDiffer();
    void ratioWithinInterval_data();
    void ratioWithinInterval();
    void parseRejectsBadRatios_data();
    void parseRejectsBadRatios();
    void tooSmallIsAnError();
};

void TestMasks::sameSeedSameBytes_data()
{
    QTest::addColumn<int>("w");
    QTest::addColumn<int>("h");
    QTest::newRow("64x64") << 64 << 64;
    QTest::newRow("224x224") << 224 << 224;
    QTest::newRow("640x480") << 640 << 480;
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

QTEST_APPLESS_MAIN(TestMasks)
#include "tst_masks.moc"
