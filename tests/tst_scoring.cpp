// Object-level metrics (GlaS challenge conventions), per-image Dice/HD95, and `masksup score` end
// to end on a GLaS fixture. The expected values are worked out by hand in each test.
#include "core/train/object_metrics.h"
#include "core/train/scoring.h"
#include "core/train/training_session.h"
#include "tests/support/errors.h"
#include "tests/support/files.h"
#include "tests/support/fixtures.h"
#include "tests/support/process.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace msup;

namespace {

// A 30×40 label map (CV_32SC1) with the given rectangles labelled 1, 2, ...
cv::Mat objects(const std::vector<cv::Rect>& rects)
{
    cv::Mat m(30, 40, CV_32SC1, cv::Scalar(0));
    for (size_t i = 0; i < rects.size(); ++i)
        m(rects[i]).setTo(int(i) + 1);
    return m;
}

bool near(double actual, double expected)
{
    return std::abs(actual - expected) <= 1e-6 * std::max(1.0, std::abs(expected));
}

} // namespace

class TestScoring : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void splitObject();
    void mergedObjects();
    void missedObject();
    void falsePositiveFarAway();
    void emptyPrediction();
    void componentsAndIds();
    void diceAndHd95();
    void glasFixtureEndToEnd();
    void evaluateUsesGlasInstanceIds();
    void missingAndWrongSizePredictionsNameTheFile();
};

// One 10×10 ground-truth gland, segmented as its left and right halves (two objects of 50 px).
void TestScoring::splitObject()
{
    const ObjectScores s
        = scoreObjects(objects({ { 0, 0, 10, 10 } }), objects({ { 0, 0, 5, 10 }, { 5, 0, 5, 10 } }));
    // Each half covers exactly half of G: both are true positives (the challenge's rule), G matched.
    QCOMPARE(s.truePositives, 2);
    QCOMPARE(s.falsePositives, 0);
    QCOMPARE(s.falseNegatives, 0);
    QVERIFY(near(objectF1(s.truePositives, s.falsePositives, s.falseNegatives), 1.0));
    // G side: Dice(G, S1) = 2·50/150; S side: ½·2·50/150 + ½·2·50/150. Object Dice = 2/3.
    QVERIFY2(near(s.objectDice, 2.0 / 3), qPrintable(QString::number(s.objectDice)));
    // H(G, S1) = 5 (column 9 to column 4), H(G, S2) = 5: object Hausdorff = ½(5 + 5) = 5.
    QVERIFY2(near(s.objectHausdorff, 5), qPrintable(QString::number(s.objectHausdorff)));
}

// Two 4×10 glands (columns 0-3 and 6-9) segmented as one 10×10 object.
void TestScoring::mergedObjects()
{
    const ObjectScores s
        = scoreObjects(objects({ { 0, 0, 4, 10 }, { 6, 0, 4, 10 } }), objects({ { 0, 0, 10, 10 } }));
    // S overlaps G1 and G2 by 40 each: G* = G1, 40 >= 20: TP; G2 is missed.
    QCOMPARE(s.truePositives, 1);
    QCOMPARE(s.falsePositives, 0);
    QCOMPARE(s.falseNegatives, 1);
    QVERIFY(near(objectF1(1, 0, 1), 2.0 / 3));
    // Dice(Gi, S) = 2·40/140 = 4/7 on both sides.
    QVERIFY2(near(s.objectDice, 4.0 / 7), qPrintable(QString::number(s.objectDice)));
    // H(G1, S) = 6 (S's column 9 to G1's column 3), H(G2, S) = 6.
    QVERIFY2(near(s.objectHausdorff, 6), qPrintable(QString::number(s.objectHausdorff)));
}

// Two 10×10 glands (rows 0-9 and 20-29), only the first segmented (exactly).
void TestScoring::missedObject()
{
    const ObjectScores s
        = scoreObjects(objects({ { 0, 0, 10, 10 }, { 0, 20, 10, 10 } }), objects({ { 0, 0, 10, 10 } }));
    QCOMPARE(s.truePositives, 1);
    QCOMPARE(s.falsePositives, 0);
    QCOMPARE(s.falseNegatives, 1);
    // G side: ½·1 + ½·0; S side: 1. Object Dice = ½(0.5 + 1) = 0.75.
    QVERIFY2(near(s.objectDice, 0.75), qPrintable(QString::number(s.objectDice)));
    // G2 overlaps nothing: the closest object S, H(G2, S) = 20 (row 29 to row 9). G side: ½·0 + ½·20.
    QVERIFY2(near(s.objectHausdorff, 5), qPrintable(QString::number(s.objectHausdorff)));
}

// One gland segmented exactly, plus a 5×5 false positive at rows 20-24, columns 30-34.
void TestScoring::falsePositiveFarAway()
{
    const ObjectScores s
        = scoreObjects(objects({ { 0, 0, 10, 10 } }), objects({ { 0, 0, 10, 10 }, { 30, 20, 5, 5 } }));
    QCOMPARE(s.truePositives, 1);
    QCOMPARE(s.falsePositives, 1);
    QCOMPARE(s.falseNegatives, 0);
    // S side: 100/125·1 + 25/125·0 = 0.8; G side: 1. Object Dice = 0.9.
    QVERIFY2(near(s.objectDice, 0.9), qPrintable(QString::number(s.objectDice)));
    // H(S2, G) = max(|(24,34)-(9,9)|, |(0,0)-(20,30)|) = √1300. S side: 0.2·√1300; G side: 0.
    QVERIFY2(near(s.objectHausdorff, 0.5 * 0.2 * std::sqrt(1300.0)),
        qPrintable(QString::number(s.objectHausdorff)));
}

void TestScoring::emptyPrediction()
{
    const ObjectScores s = scoreObjects(objects({ { 0, 0, 10, 10 } }), objects({}));
    QCOMPARE(s.truePositives, 0);
    QCOMPARE(s.falsePositives, 0);
    QCOMPARE(s.falseNegatives, 1);
    QVERIFY(near(objectF1(0, 0, 1), 0));
    QVERIFY(near(s.objectDice, 0));
    QVERIFY(near(s.objectHausdorff, 50)); // the diagonal of 40×30
    // Nothing on either side: a perfect image.
    const ObjectScores none = scoreObjects(objects({}), objects({}));
    QVERIFY(near(none.objectDice, 1));
    QVERIFY(near(none.objectHausdorff, 0));
    QVERIFY(near(objectF1(0, 0, 0), 1));
}

void TestScoring::componentsAndIds()
{
    cv::Mat fg(30, 40, CV_8UC1, cv::Scalar(0));
    fg(cv::Rect(0, 0, 5, 5)).setTo(255);
    fg(cv::Rect(5, 5, 5, 5)).setTo(255); // touches the first diagonally: one 8-connected object
    fg(cv::Rect(20, 20, 3, 3)).setTo(255);
    double max = 0;
    cv::minMaxLoc(objectsFromComponents(fg), nullptr, &max);
    QCOMPARE(int(max), 2);
    cv::Mat ids(30, 40, CV_16UC1, cv::Scalar(0));
    ids(cv::Rect(0, 0, 2, 2)).setTo(700);
    ids(cv::Rect(4, 4, 2, 2)).setTo(9);
    const cv::Mat labels = objectsFromIds(ids);
    QCOMPARE(labels.at<int>(0, 0), 2); // ids in ascending order: 9 → 1, 700 → 2
    QCOMPARE(labels.at<int>(4, 4), 1);
}

void TestScoring::diceAndHd95()
{
    cv::Mat a(30, 40, CV_8UC1, cv::Scalar(0)), b = a.clone();
    a(cv::Rect(0, 0, 10, 10)).setTo(1);
    b(cv::Rect(0, 0, 10, 20)).setTo(1);
    QVERIFY(near(foregroundDice(a, b), 2.0 * 100 / 300));
    QVERIFY(near(foregroundDice(a, cv::Mat::zeros(30, 40, CV_8UC1)), 0));
    QVERIFY(near(foregroundDice(cv::Mat::zeros(30, 40, CV_8UC1), cv::Mat::zeros(30, 40, CV_8UC1)), 1));
    QVERIFY(near(hd95(a, a), 0));
    QVERIFY(std::isnan(hd95(a, cv::Mat::zeros(30, 40, CV_8UC1))));
    // Two 1-px-wide vertical lines 7 columns apart: every boundary pixel is 7 from the other line.
    cv::Mat l1(30, 40, CV_8UC1, cv::Scalar(0)), l2 = l1.clone();
    l1(cv::Rect(3, 0, 1, 30)).setTo(1);
    l2(cv::Rect(10, 0, 1, 30)).setTo(1);
    QVERIFY2(near(hd95(l1, l2), 7), qPrintable(QString::number(hd95(l1, l2))));
    QVERIFY(near(hausdorffDistance(l1, l2), 7));
}

// A GLaS folder (3 test images, 3 glands each) scored with its own annotations as predictions
// (perfect), then with one gland erased from one prediction (one false negative).
void TestScoring::glasFixtureEndToEnd()
{
    QTemporaryDir tmp;
    const QString glas = tmp.filePath(QStringLiteral("Warwick QU Dataset (Released 2016_07_08)"));
    QVERIFY(QDir().mkpath(glas));
    const QStringList names { QStringLiteral("testA_1"), QStringLiteral("testA_2"),
        QStringLiteral("testB_1") };
    msup::test::writeGlasFolder(glas, names, 3);
    const QString perfect = tmp.filePath(QStringLiteral("perfect")),
                  erased = tmp.filePath(QStringLiteral("erased"));
    QVERIFY(QDir().mkpath(perfect) && QDir().mkpath(erased));
    for (const QString& n : names) {
        QVERIFY(QFile::copy(glas + QLatin1Char('/') + n + QStringLiteral("_anno.bmp"),
            perfect + QLatin1Char('/') + n + QStringLiteral("_anno.bmp")));
        QImage ids(glas + QLatin1Char('/') + n + QStringLiteral("_anno.bmp"));
        ids = ids.convertToFormat(QImage::Format_Grayscale8);
        if (n == QLatin1String("testA_2"))
            for (int y = 0; y < ids.height(); ++y)
                for (int x = 0; x < ids.width(); ++x)
                    if (qGray(ids.pixel(x, y)) == 2)
                        ids.setPixel(x, y, 0);
        QVERIFY(ids.save(erased + QLatin1Char('/') + n + QStringLiteral(".png")));
    }

    msup::test::Run r = msup::test::masksup({ QStringLiteral("score"), QStringLiteral("--pred"), perfect,
        QStringLiteral("--dataset"), glas, QStringLiteral("--json") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("images")).toInt(), 3);
    QCOMPARE(o.value(QStringLiteral("tp")).toInt(), 9);
    QCOMPARE(o.value(QStringLiteral("fp")).toInt(), 0);
    QCOMPARE(o.value(QStringLiteral("fn")).toInt(), 0);
    QVERIFY(near(o.value(QStringLiteral("object_f1")).toDouble(), 1));
    QVERIFY(near(o.value(QStringLiteral("object_dice")).toDouble(), 1));
    QVERIFY(near(o.value(QStringLiteral("object_hausdorff")).toDouble(), 0));
    QVERIFY(near(o.value(QStringLiteral("miou")).toDouble(-1), 1));

    // testA only, with gland 2 of testA_2 erased (an instance map: values 0, 1, 3).
    const QString csv = tmp.filePath(QStringLiteral("scores.csv"));
    r = msup::test::masksup({ QStringLiteral("score"), QStringLiteral("--pred"), erased,
        QStringLiteral("--dataset"), glas, QStringLiteral("--split"), QStringLiteral("testA"),
        QStringLiteral("--json"), QStringLiteral("--csv"), csv });
    QVERIFY2(r.code == 0,
        qPrintable(QStringLiteral("exit %1, crashed %2: %3").arg(r.code).arg(r.crashed).arg(r.err)));
    o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("images")).toInt(), 2);
    QCOMPARE(o.value(QStringLiteral("tp")).toInt(), 5);
    QCOMPARE(o.value(QStringLiteral("fn")).toInt(), 1);
    QVERIFY(near(o.value(QStringLiteral("object_f1")).toDouble(), 10.0 / 11)); // 2·5 / (2·5 + 0 + 1)
    // testA_2: G side ⅓·1 + ⅓·0 + ⅓·1, S side 1: object Dice ½(2/3 + 1) = 5/6; mean with testA_1's 1.
    QVERIFY2(near(o.value(QStringLiteral("object_dice")).toDouble(), 0.5 * (1 + 5.0 / 6)), qPrintable(r.out));
    // testA_2's erased gland (x 24-31) is 12 columns from glands 1 and 3: ⅓·12 on the G side, halved.
    QVERIFY2(near(o.value(QStringLiteral("object_hausdorff")).toDouble(), 0.5 * (0.5 * 12.0 / 3)),
        qPrintable(r.out));
    const QJsonArray perImage = o.value(QStringLiteral("per_image")).toArray();
    QCOMPARE(perImage.size(), 2);
    QCOMPARE(perImage[1].toObject().value(QStringLiteral("id")).toString(), QStringLiteral("testA_2"));
    QVERIFY(near(perImage[1].toObject().value(QStringLiteral("dice")).toDouble(), 2.0 * 128 / (192 + 128)));
    const QByteArray csvBytes = msup::test::readAll(csv);
    QVERIFY2(csvBytes.startsWith("id,prediction,dice,hd95,object_dice,object_hausdorff,tp,fp,fn\n"),
        csvBytes.constData());
    QCOMPARE(csvBytes.count('\n'), 3);

    // Text output names the object metrics.
    r = msup::test::masksup(
        { QStringLiteral("score"), QStringLiteral("--pred"), erased, QStringLiteral("--dataset"), glas });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("object F1")) && r.out.contains(QStringLiteral("HD95")),
        qPrintable(r.out));
}

// 'masksup evaluate' on a GLaS folder whose test annotations hold two touching glands: the
// ground-truth objects are the annotation's instance ids (3 per image; 8-connected components would
// merge the touching two), the predicted objects the components of the prediction, and every figure
// is what 'masksup score' finds for the masks 'masksup predict' writes with the same checkpoint.
void TestScoring::evaluateUsesGlasInstanceIds()
{
    QTemporaryDir tmp;
    const QString glas = tmp.filePath(QStringLiteral("Warwick QU Dataset (Released 2016_07_08)"));
    QVERIFY(QDir().mkpath(glas));
    const QStringList tests { QStringLiteral("testA_1"), QStringLiteral("testA_2") };
    QStringList names = tests;
    for (int i = 1; i <= 6; ++i)
        names << QStringLiteral("train_%1").arg(i);
    msup::test::writeGlasFolder(glas, names, 3);
    for (const QString& n : tests) {
        // Gland 2 (x 24–31) widened to x 20, next to gland 1 (x 12–19).
        const QString file = glas + QLatin1Char('/') + n + QStringLiteral("_anno.bmp");
        QImage anno(file);
        QCOMPARE(anno.format(), QImage::Format_Indexed8);
        for (int y = 8; y < 16; ++y)
            for (int x = 20; x < 24; ++x)
                anno.setPixel(x, y, 2);
        QVERIFY(anno.save(file, "BMP"));
    }
    TrainConfig c = msup::test::tinyConfig(glas, tmp.filePath(QStringLiteral("run")));
    c.seed = 3;
    QCOMPARE(TrainingSession(c).run({}).epochsCompleted, 1);
    const QString ckpt = tmp.filePath(QStringLiteral("run/checkpoints/best.pt"));

    msup::test::Run r = msup::test::masksup(
        { QStringLiteral("evaluate"), QStringLiteral("--checkpoint"), ckpt, QStringLiteral("--dataset"), glas,
            QStringLiteral("--split"), QStringLiteral("testA"), QStringLiteral("--json") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject e = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(e.value(QStringLiteral("images")).toInt(), 2);
    const QJsonArray evaluated = e.value(QStringLiteral("per_image")).toArray();
    QCOMPARE(evaluated.size(), 2);
    for (const QJsonValue& v : evaluated)
        QCOMPARE(v.toObject().value(QStringLiteral("truth_objects")).toInt(), 3);

    const QString pred = tmp.filePath(QStringLiteral("pred"));
    for (const QString& n : tests) {
        r = msup::test::masksup(
            { QStringLiteral("predict"), QStringLiteral("--checkpoint"), ckpt, QStringLiteral("--input"),
                glas + QLatin1Char('/') + n + QStringLiteral(".bmp"), QStringLiteral("--out"), pred });
        QVERIFY2(r.code == 0, qPrintable(r.err));
    }
    r = msup::test::masksup(
        { QStringLiteral("score"), QStringLiteral("--pred"), pred, QStringLiteral("--dataset"), glas,
            QStringLiteral("--split"), QStringLiteral("testA"), QStringLiteral("--json") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject s = QJsonDocument::fromJson(r.out.toUtf8()).object();
    for (const char* key : { "object_f1", "object_dice", "object_hausdorff", "miou" })
        QVERIFY2(near(e.value(QLatin1String(key)).toDouble(), s.value(QLatin1String(key)).toDouble()), key);
    for (const char* key : { "tp", "fp", "fn" })
        QVERIFY2(e.value(QLatin1String(key)).toInt() == s.value(QLatin1String(key)).toInt(), key);
    QCOMPARE(e.value(QStringLiteral("dice_per_image")), s.value(QStringLiteral("dice_per_image")));
    const QJsonArray scored = s.value(QStringLiteral("per_image")).toArray();
    QCOMPARE(scored.size(), 2);
    for (int i = 0; i < 2; ++i)
        for (const char* key : { "truth_objects", "segmented_objects", "tp", "fp", "fn" })
            QVERIFY2(evaluated[i].toObject().value(QLatin1String(key))
                    == scored[i].toObject().value(QLatin1String(key)),
                key);

    // As components, the touching glands are one object.
    r = msup::test::masksup({ QStringLiteral("score"), QStringLiteral("--pred"), pred,
        QStringLiteral("--dataset"), glas, QStringLiteral("--split"), QStringLiteral("testA"),
        QStringLiteral("--objects"), QStringLiteral("components"), QStringLiteral("--json") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    for (const QJsonValue& v :
        QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("per_image")).toArray())
        QCOMPARE(v.toObject().value(QStringLiteral("truth_objects")).toInt(), 2);
}

void TestScoring::missingAndWrongSizePredictionsNameTheFile()
{
    QTemporaryDir tmp;
    const QString glas = tmp.filePath(QStringLiteral("glas"));
    QVERIFY(QDir().mkpath(glas));
    msup::test::writeGlasFolder(glas, { QStringLiteral("testA_1"), QStringLiteral("testA_2") });
    const QString pred = tmp.filePath(QStringLiteral("pred"));
    QImage small(30, 20, QImage::Format_Grayscale8);
    small.fill(0);
    QVERIFY(QDir().mkpath(pred) && small.save(pred + QStringLiteral("/testA_1.png")));
    ScoreOptions o;
    o.predictions = pred;
    o.dataset = glas;
    QString message;
    QVERIFY2(msup::test::throwsErrorMentioning(
                 [&] { scorePredictions(o); }, pred + QStringLiteral("/testA_2.png"), &message),
        qPrintable(message));
    QVERIFY(small.save(pred + QStringLiteral("/testA_2.png")));
    QVERIFY2(msup::test::throwsErrorMentioning(
                 [&] { scorePredictions(o); }, pred + QStringLiteral("/testA_1.png"), &message),
        qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("30x20")) && message.contains(QStringLiteral("60x40")),
        qPrintable(message));
    o.split = QStringLiteral("testC");
    QVERIFY2(
        msup::test::throwsErrorMentioning([&] { scorePredictions(o); }, QStringLiteral("testA"), &message),
        qPrintable(message));
    // An unknown --objects is a usage error (exit 2).
    const msup::test::Run r = msup::test::masksup({ QStringLiteral("score"), QStringLiteral("--pred"), pred,
        QStringLiteral("--dataset"), glas, QStringLiteral("--objects"), QStringLiteral("blobs") });
    QCOMPARE(r.code, 2);
}

QTEST_GUILESS_MAIN(TestScoring)
#include "tst_scoring.moc"
