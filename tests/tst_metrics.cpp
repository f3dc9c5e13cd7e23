#include "core/train/confusion_matrix.h"

#include <QtTest>

#include <cmath>
#include <vector>

using namespace msup;

class TestMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handMadeCase();
    void ignoreIndexSkipsPixels();
    void absentClassIsNotAveraged();
    void referenceFiguresByHand();
};

// truth/prediction over 10 pixels, 3 classes:
// truth: 0 0 0 0 1 1 1 2 2 2 ; pred: 0 0 0 1 1 1 2 2 2 0
// class 0: tp 3, fp 1 (a 2 predicted 0), fn 1 → IoU 3/5
// class 1: tp 2, fp 1, fn 1 → 2/4
// class 2: tp 2, fp 1, fn 1 → 2/4
void TestMetrics::handMadeCase()
{
    const std::vector<std::uint8_t> t { 0, 0, 0, 0, 1, 1, 1, 2, 2, 2 };
    const std::vector<std::uint8_t> p { 0, 0, 0, 1, 1, 1, 2, 2, 2, 0 };
    ConfusionMatrix cm(3);
    cm.add(t.data(), p.data(), t.size());
    const auto iou = cm.iou();
    QCOMPARE(iou[0], 0.6);
    QCOMPARE(iou[1], 0.5);
    QCOMPARE(iou[2], 0.5);
    QCOMPARE(cm.meanIoU(), (0.6 + 0.5 + 0.5) / 3);
    QCOMPARE(cm.pixelAccuracy(), 0.7);
    const auto dice = cm.dice();
    QCOMPARE(dice[0], 6.0 / 8.0);
    QCOMPARE(dice[1], 4.0 / 6.0);
    // Accumulated, not averaged per image: adding the same pixels again changes nothing.
    cm.add(t.data(), p.data(), t.size());
    QCOMPARE(cm.meanIoU(), (0.6 + 0.5 + 0.5) / 3);
    QCOMPARE(cm.at(0, 0), std::int64_t(6));
}

void TestMetrics::ignoreIndexSkipsPixels()
{
    const std::vector<std::uint8_t> t { 0, 255, 1, 255 };
    const std::vector<std::uint8_t> p { 0, 1, 1, 0 };
    ConfusionMatrix cm(2);
    cm.add(t.data(), p.data(), t.size(), 255);
    QCOMPARE(cm.meanIoU(), 1.0);
    QCOMPARE(cm.pixelAccuracy(), 1.0);
}

void TestMetrics::absentClassIsNotAveraged()
{
    const std::vector<std::uint8_t> t { 0, 0, 1, 1 };
    const std::vector<std::uint8_t> p { 0, 0, 1, 0 };
    ConfusionMatrix cm(3); // class 2 never appears
    cm.add(t.data(), p.data(), t.size());
    QVERIFY(std::isnan(cm.iou()[2]));
    QCOMPARE(cm.meanIoU(), (2.0 / 3.0 + 1.0 / 2.0) / 2);
}

// The reference code's figures, computed by hand.
void TestMetrics::referenceFiguresByHand()
{
    // Micro Jaccard of the hand-made case above: 7 correct, 3 wrong → 7 / (7 + 2·3).
    const std::vector<std::uint8_t> t { 0, 0, 0, 0, 1, 1, 1, 2, 2, 2 };
    const std::vector<std::uint8_t> p { 0, 0, 0, 1, 1, 1, 2, 2, 2, 0 };
    ConfusionMatrix cm(3);
    cm.add(t.data(), p.data(), t.size());
    QCOMPARE(cm.referenceMicroJaccard(), 7.0 / 13.0);
    QCOMPARE(cm.toJson().value(QStringLiteral("ref_micro_jaccard")).toDouble(), 7.0 / 13.0);
    // Per-image foreground IoU, averaged over images (not accumulated):
    // image A: truth 1 1 0 0, pred 1 0 0 0 → 1/2; image B: truth 1 0 0 0 0 0 0 0, pred 1 1 1 1 0 0 0 0
    // → 1/4; image C: no foreground anywhere → 1 (the reference's smoothing). Void is skipped.
    ReferenceBinaryIou r;
    const std::vector<std::uint8_t> ta { 1, 1, 0, 0, 255 }, pa { 1, 0, 0, 0, 1 };
    const std::vector<std::uint8_t> tb { 1, 0, 0, 0, 0, 0, 0, 0 }, pb { 1, 1, 1, 1, 0, 0, 0, 0 };
    const std::vector<std::uint8_t> tc { 0, 0, 0 }, pc { 0, 0, 0 };
    r.addImage(ta.data(), pa.data(), ta.size());
    r.addImage(tb.data(), pb.data(), tb.size());
    QCOMPARE(r.images(), 2);
    QVERIFY(std::abs(r.mean() - (0.5 + 0.25) / 2) < 1e-5);
    r.addImage(tc.data(), pc.data(), tc.size());
    QVERIFY(std::abs(r.mean() - (0.5 + 0.25 + 1.0) / 3) < 1e-5);
    // The accumulated IoU of the same pixels differs: (1 + 1) / (2 + 4) = 1/3 for the foreground.
    ConfusionMatrix acc(2);
    acc.add(ta.data(), pa.data(), ta.size());
    acc.add(tb.data(), pb.data(), tb.size());
    QVERIFY(std::abs(acc.iou()[1] - 2.0 / 6.0) < 1e-12);
}

QTEST_APPLESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
