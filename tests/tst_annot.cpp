#include "core/annot/label_delta.h"

#include <QtTest>

using namespace msup;

class TestAnnot : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deltaRoundTrip();
};

void TestAnnot::deltaRoundTrip()
{
    cv::Mat before(20, 30, CV_8UC1, cv::Scalar(0));
    before.at<uchar>(19, 29) = 255;
    cv::Mat after = before.clone();
    after(cv::Rect(5, 6, 3, 2)).setTo(2);
    after.at<uchar>(10, 12) = 1;
    const LabelDelta d = makeLabelDelta(before, after);
    QCOMPARE(d.rect, cv::Rect(5, 6, 8, 5)); // x 5..12, y 6..10
    cv::Mat m = before.clone();
    applyLabelDelta(m, d);
    QCOMPARE(cv::countNonZero(m != after), 0);
    revertLabelDelta(m, d);
    QCOMPARE(cv::countNonZero(m != before), 0);
    // Looking only inside a region ignores changes elsewhere; no change gives an empty delta.
    QCOMPARE(makeLabelDelta(before, after, cv::Rect(0, 0, 4, 4)).isEmpty(), true);
    QCOMPARE(makeLabelDelta(before, before).isEmpty(), true);
    const LabelDelta partial = makeLabelDelta(before, after, cv::Rect(0, 0, 9, 20));
    QCOMPARE(partial.rect, cv::Rect(5, 6, 3, 2));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeLabelDelta(before, cv::Mat(20, 31, CV_8UC1)));
    cv::Mat small(4, 4, CV_8UC1, cv::Scalar(0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, applyLabelDelta(small, d));
}

QTEST_APPLESS_MAIN(TestAnnot)
#include "tst_annot.moc"
