#include "core/base/error.h"
#include "core/data/augment.h"
#include "core/data/dataset.h"
#include "core/data/formats/format_registry.h"
#include "core/data/image_io.h"
#include "core/data/nyu_mat.h"
#include "core/data/nyu_metadata.h"
#include "core/data/sample_cache.h"
#include "core/data/split.h"
#include "core/data/synth.h"
#include "core/data/validation.h"
#include "core/io/npy.h"
#include "core/io/overlay.h"
#include "tests/support/errors.h"
#include "tests/support/files.h"
#include "tests/support/fixtures.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QtConcurrent/QtConcurrentMap>
#include <QtTest>

#include <atomic>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <matio.h>

using namespace msup;

namespace {
using msup::test::sharedDir;

void expectError(const std::function<void()>& f, const QString& mustMention)
{
    QString msg;
    QVERIFY2(msup::test::throwsErrorMentioning(f, mustMention, &msg), qPrintable(msg));
}
// Writes a synthetic dataset into `dir` and returns `dir`.
QString synthDataset(const QString& dir, int count, int size, SynthKind kind = SynthKind::Glands)
{
    return msup::test::writeTinyDataset(dir, kind, count, size, 1);
}
} // namespace

class TestData : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void synthIsDeterministic_data();
    void synthIsDeterministic();
    void synthGlandsOpensAsBinaryDataset();
    void synthScenesAreMultiClassAndImbalanced();
    void kvasirRealSamples();
    void refinenetRealSamples();
    void notADatasetIsAClearError();
    void missingMaskIsReportedNotDropped();
    void wrongMaskSizeNamesTheFile();
    void unreadableImageNamesTheFile();
    void splitIsSeededAndSaved();
    void overlayKeepsSizeAndColours();
    void errorModeCodesAndColours();
    void greyAndRgbConversionsRoundTrip();
    void binaryFormats_data();
    void binaryFormats();
    void glasGradesFromRealCsv();
    void glasWarwickFixture();
    void glasWithoutImagesIsAClearError();
    void explicitFormatMismatchIsAClearError();
    void officialSplitDrivesTraining();
    void nyuMetadataFromRealMatFiles();
    void nyu40To13ReproducesReal13ClassLabels();
    void nyuMetadataMissingFileNamesIt();
    void validationFindsEachProblem_data();
    void validationFindsEachProblem();
    void validationCountsClassPixels();
    void oneVerdictPerPairEverywhere();
    void jpegDecoderMatchesOpenCv();
    void augmentKeepsImageAndLabelsAligned();
    void augmentScalePadsWithVoid();
    void augmentColorLeavesLabels();
    void augmentParse();
    void praNetSplits();
    void genericMultiClassLayout();
    void multiClassFormats_data();
    void multiClassFormats();
    void nyuMatLayoutIsMatlabColumnMajor();
    void nyuMatErrorsNameTheFile();
    void sampleCacheBudgetAndDisk();
    void kvasirBoundingBoxes();
    void npyFileIsNumPyFormat();
    void formatRegistryListsEveryFormatOnce();
    void formatDetectsItsFixture_data();
    void formatDetectsItsFixture();
};

void TestData::synthIsDeterministic_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("glands") << "glands";
    QTest::newRow("scenes") << "scenes";
}

void TestData::synthIsDeterministic()
{
    QFETCH(QString, kind);
    QTemporaryDir a, b, c;
    SynthOptions o;
    QVERIFY(parseSynthKind(kind, &o.kind));
    o.count = 4;
    o.size = 64;
    o.seed = 7;
    o.outDir = a.path();
    QCOMPARE(writeSynthDataset(o), 4);
    o.outDir = b.path();
    writeSynthDataset(o);
    o.outDir = c.path();
    o.seed = 8;
    writeSynthDataset(o);
    QVERIFY(msup::test::folderBytes(a.path()) == msup::test::folderBytes(b.path()));
    QVERIFY(msup::test::folderBytes(a.path()) != msup::test::folderBytes(c.path()));
}

void TestData::synthGlandsOpensAsBinaryDataset()
{
    QTemporaryDir dir;
    synthDataset(dir.path(), 6, 96);
    const Dataset ds = openDataset(dir.path());
    QCOMPARE(formatName(ds.format), QStringLiteral("kvasir-seg"));
    QCOMPARE(ds.samples.size(), 6);
    QVERIFY(ds.isBinary());
    QCOMPARE(ds.classNames.at(1), QStringLiteral("gland"));
    QVERIFY(ds.problems.isEmpty());
    double fg = 0;
    for (const Sample& s : ds.samples) {
        const cv::Mat rgb = loadImageRgb(s.imagePath);
        const cv::Mat lab = loadLabels(ds, s, QSize(rgb.cols, rgb.rows));
        QCOMPARE(lab.cols, 96);
        fg += cv::countNonZero(lab) / double(lab.total());
    }
    fg /= ds.samples.size();
    QVERIFY2(fg > 0.05 && fg < 0.7, qPrintable(QString::number(fg))); // neither empty nor trivial
}

void TestData::synthScenesAreMultiClassAndImbalanced()
{
    QTemporaryDir dir;
    synthDataset(dir.path(), 12, 96, SynthKind::Scenes);
    const Dataset ds = openDataset(dir.path());
    QCOMPARE(formatName(ds.format), QStringLiteral("scene-labels"));
    QVERIFY(ds.numClasses() >= 5);
    QVector<qint64> freq(ds.numClasses(), 0);
    qint64 voidPixels = 0;
    for (const Sample& s : ds.samples) {
        const cv::Mat lab = loadLabels(ds, s);
        for (auto it = lab.begin<uchar>(); it != lab.end<uchar>(); ++it)
            *it == 255 ? ++voidPixels : ++freq[*it];
    }
    QVERIFY(voidPixels > 0);
    const auto [mn, mx] = std::minmax_element(freq.begin(), freq.end());
    QVERIFY(*mn > 0); // every class occurs
    QVERIFY(*mx > 10 * *mn); // and frequencies are imbalanced
}

void TestData::kvasirRealSamples()
{
    const QString root = sharedDir(QStringLiteral("datasets/kvasir-seg"));
    if (!QFileInfo::exists(root))
        QSKIP("shared/datasets/kvasir-seg is not beside the repository");
    // The parent folder of the download's Kvasir-SEG/ is accepted too.
    const Dataset ds = openDataset(root);
    QCOMPARE(formatName(ds.format), QStringLiteral("kvasir-seg"));
    QCOMPARE(ds.samples.size(), 3);
    QVERIFY(ds.problems.isEmpty());
    for (const Sample& s : ds.samples) {
        const cv::Mat rgb = loadImageRgb(s.imagePath);
        const cv::Mat lab = loadLabels(ds, s, QSize(rgb.cols, rgb.rows));
        // Binarised: only 0 and 1, although the JPEG holds ~17 grey levels.
        QCOMPARE(cv::countNonZero(lab == 0) + cv::countNonZero(lab == 1), int(lab.total()));
        const cv::Mat grey = cv::imread(s.maskPath.toStdString(), cv::IMREAD_GRAYSCALE);
        QCOMPARE(cv::countNonZero(lab), cv::countNonZero(grey >= 128));
        const double fg = cv::countNonZero(lab) / double(lab.total());
        QVERIFY(fg > 0.01 && fg < 0.9);
    }
}

void TestData::refinenetRealSamples()
{
    const QString root
        = sharedDir(QStringLiteral("datasets/nyudv2/light-weight-refinenet/examples/imgs/NYU"));
    if (!QFileInfo::exists(root))
        QSKIP("shared/datasets/nyudv2 is not beside the repository");
    const Dataset ds = openDataset(root);
    QCOMPARE(formatName(ds.format), QStringLiteral("scene-labels"));
    QCOMPARE(ds.samples.size(), 5);
    QCOMPARE(ds.numClasses(), 40);
    QCOMPARE(ds.classNames.first(), QStringLiteral("wall"));
    const Sample& s = ds.samples.first();
    const cv::Mat rgb = loadImageRgb(s.imagePath);
    const cv::Mat lab = loadLabels(ds, s, QSize(rgb.cols, rgb.rows));
    QCOMPARE(lab.cols, 625);
    QCOMPARE(lab.rows, 468);
    double mx = 0;
    cv::minMaxLoc(lab, nullptr, &mx, nullptr, nullptr, lab != 255);
    QVERIFY(mx <= 39);
    QVERIFY(cv::countNonZero(lab == 255) > 0); // void pixels kept as the ignore index
}

void TestData::notADatasetIsAClearError()
{
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("notes.txt")));
    f.open(QIODevice::WriteOnly);
    f.write("hello");
    f.close();
    expectError([&] { openDataset(dir.path()); }, dir.path());
    expectError(
        [&] { openDataset(dir.filePath(QStringLiteral("missing"))); }, QStringLiteral("does not exist"));
}

void TestData::missingMaskIsReportedNotDropped()
{
    QTemporaryDir dir;
    synthDataset(dir.path(), 3, 64);
    QVERIFY(QFile::remove(dir.filePath(QStringLiteral("masks/synth_0001.png"))));
    const Dataset ds = openDataset(dir.path());
    QCOMPARE(ds.samples.size(), 2);
    QCOMPARE(ds.problems.size(), 1);
    QVERIFY(ds.problems.first().file.endsWith(QStringLiteral("images/synth_0001.png")));
    QVERIFY(ds.problems.first().message.contains(QStringLiteral("no mask")));
}

void TestData::wrongMaskSizeNamesTheFile()
{
    QTemporaryDir dir;
    synthDataset(dir.path(), 2, 64);
    const QString mask = dir.filePath(QStringLiteral("masks/synth_0000.png"));
    QVERIFY(cv::imwrite(mask.toStdString(), cv::Mat(50, 40, CV_8UC1, cv::Scalar(255))));
    const Dataset ds = openDataset(dir.path());
    const Sample& s = ds.samples.first();
    const cv::Mat rgb = loadImageRgb(s.imagePath);
    expectError([&] { loadLabels(ds, s, QSize(rgb.cols, rgb.rows)); }, mask);
    expectError([&] { loadLabels(ds, s, QSize(rgb.cols, rgb.rows)); }, QStringLiteral("40x50"));
}

void TestData::unreadableImageNamesTheFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("broken.jpg"));
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write("\xff\xd8\xff\xe0 this is not really a jpeg");
    f.close();
    expectError([&] { loadImageRgb(path); }, path);
}

void TestData::splitIsSeededAndSaved()
{
    const Split a = makeSplit(50, 0.2, 3), b = makeSplit(50, 0.2, 3), c = makeSplit(50, 0.2, 4);
    QCOMPARE(a.val, b.val);
    QVERIFY(a.val != c.val);
    QCOMPARE(a.val.size(), 10);
    QCOMPARE(a.train.size() + a.val.size(), 50);
    QStringList ids;
    for (int i = 0; i < 50; ++i)
        ids << QStringLiteral("id%1").arg(i);
    QTemporaryDir dir;
    saveSplit(dir.filePath(QStringLiteral("split.json")), a, ids);
    const Split r = loadSplit(dir.filePath(QStringLiteral("split.json")), ids);
    QCOMPARE(r.train, a.train);
    QCOMPARE(r.val, a.val);
}

void TestData::overlayKeepsSizeAndColours()
{
    cv::Mat rgb(30, 40, CV_8UC3, cv::Scalar(100, 100, 100));
    cv::Mat lab(30, 40, CV_8UC1, cv::Scalar(0));
    lab(cv::Rect(0, 0, 10, 10)).setTo(1);
    const QImage o
        = colorOverlay(rgb, lab, { Qt::black, QColor(255, 0, 0) }, OverlayOptions { 0.5, true, 255, 0, {} });
    QCOMPARE(o.size(), QSize(40, 30));
    QCOMPARE(QColor(o.pixel(5, 5)), QColor(178, 50, 50));
    QCOMPARE(QColor(o.pixel(20, 20)), QColor(100, 100, 100));

    // The shared policy: binary tasks leave class 0 uncoloured, multi-class tasks paint it; void
    // is never painted.
    lab.at<uchar>(29, 39) = 255;
    const QVector<QColor> colors { QColor(0, 0, 255), QColor(255, 0, 0), QColor(0, 255, 0) };
    const QImage binary = colorOverlay(rgb, lab, colors, overlayOptionsFor(2, 255, 0.5));
    QCOMPARE(QColor(binary.pixel(20, 20)), QColor(100, 100, 100));
    const QImage multi = colorOverlay(rgb, lab, colors, overlayOptionsFor(3, 255, 0.5));
    QCOMPARE(QColor(multi.pixel(20, 20)), QColor(50, 50, 178));
    QCOMPARE(QColor(multi.pixel(39, 29)), QColor(100, 100, 100));
}

void TestData::errorModeCodesAndColours()
{
    // truth 0 0 1 1 2 2 255 ; prediction 0 1 1 0 2 1 1 (one row of 7 pixels).
    const cv::Mat truth = (cv::Mat_<uchar>(1, 7) << 0, 0, 1, 1, 2, 2, 255);
    const cv::Mat pred = (cv::Mat_<uchar>(1, 7) << 0, 1, 1, 0, 2, 1, 1);
    ErrorCounts n;
    // Focus on class 1: x1 false positive, x2 true positive, x3 false negative, x5 false positive.
    cv::Mat codes = errorCodes(truth, pred, 3, 1, 255, &n);
    const std::vector<int> focus1 { ErrorNone, ErrorFalsePositive, ErrorTruePositive, ErrorFalseNegative,
        ErrorNone, ErrorFalsePositive, ErrorIgnored };
    for (int x = 0; x < 7; ++x)
        QCOMPARE(int(codes.at<uchar>(0, x)), focus1[x]);
    QCOMPARE(n.truePositive, qint64(1));
    QCOMPARE(n.falsePositive, qint64(2));
    QCOMPARE(n.falseNegative, qint64(1));
    // Every class of a multi-class task: agreement or wrong class.
    codes = errorCodes(truth, pred, 3, -1, 255, &n);
    const std::vector<int> all { ErrorTruePositive, ErrorWrongClass, ErrorTruePositive, ErrorWrongClass,
        ErrorTruePositive, ErrorWrongClass, ErrorIgnored };
    for (int x = 0; x < 7; ++x)
        QCOMPARE(int(codes.at<uchar>(0, x)), all[x]);
    QCOMPARE(n.truePositive, qint64(3));
    QCOMPARE(n.wrongClass, qint64(3));
    // A binary task focuses on the foreground by default.
    const cv::Mat t2 = (cv::Mat_<uchar>(1, 4) << 0, 1, 1, 0);
    const cv::Mat p2 = (cv::Mat_<uchar>(1, 4) << 0, 1, 0, 1);
    codes = errorCodes(t2, p2, 2, -1);
    QCOMPARE(int(codes.at<uchar>(0, 0)), int(ErrorNone));
    QCOMPARE(int(codes.at<uchar>(0, 1)), int(ErrorTruePositive));
    QCOMPARE(int(codes.at<uchar>(0, 2)), int(ErrorFalseNegative));
    QCOMPARE(int(codes.at<uchar>(0, 3)), int(ErrorFalsePositive));
    // Colours: grey image, opacity 1 shows the error colour; no error leaves the image.
    const cv::Mat rgb(1, 4, CV_8UC3, cv::Scalar(100, 100, 100));
    const QImage o = errorOverlay(rgb, codes, 1.0);
    QCOMPARE(QColor(o.pixel(0, 0)), QColor(100, 100, 100));
    QCOMPARE(QColor(o.pixel(1, 0)), errorColors()[ErrorTruePositive]);
    QCOMPARE(QColor(o.pixel(2, 0)), errorColors()[ErrorFalseNegative]);
    QCOMPARE(QColor(o.pixel(3, 0)), errorColors()[ErrorFalsePositive]);
    // Hidden classes are left uncoloured.
    OverlayOptions hide = overlayOptionsFor(3, 255, 1.0);
    hide.hidden = { false, true, false };
    const QImage h = colorOverlay(cv::Mat(1, 3, CV_8UC3, cv::Scalar(100, 100, 100)),
        (cv::Mat_<uchar>(1, 3) << 0, 1, 2), { QColor(1, 2, 3), QColor(4, 5, 6), QColor(7, 8, 9) }, hide);
    QCOMPARE(QColor(h.pixel(0, 0)), QColor(1, 2, 3));
    QCOMPARE(QColor(h.pixel(1, 0)), QColor(100, 100, 100));
    QCOMPARE(QColor(h.pixel(2, 0)), QColor(7, 8, 9));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, errorCodes(t2, truth, 2, -1));
}

namespace {

// An 8-bit palettised instance-id annotation as in the Warwick QU release: 0 = background,
// 1..n = glands (here: rectangles), greyscale-ish palette.
QImage glasAnnotation(int w, int h, const QVector<QRect>& glands)
{
    QImage anno(w, h, QImage::Format_Indexed8);
    QVector<QRgb> table;
    for (int i = 0; i < 256; ++i)
        table << qRgb(i, i, i);
    anno.setColorTable(table);
    anno.fill(0);
    for (int g = 0; g < glands.size(); ++g)
        for (int y = glands[g].top(); y <= glands[g].bottom(); ++y)
            for (int x = glands[g].left(); x <= glands[g].right(); ++x)
                anno.setPixel(x, y, uint(g + 1));
    return anno;
}

QImage tissue(int w, int h)
{
    QImage img(w, h, QImage::Format_RGB888);
    img.fill(QColor(220, 170, 200));
    return img;
}

// GLaS Warwick folder: train_1, train_2, train_10, testA_1, testB_1 at 775x522, plus the real
// Grade.csv when the shared samples are present.
QString makeGlasFixture(const QString& root)
{
    const QString dir = root + QStringLiteral("/Warwick QU Dataset (Released 2016_07_08)");
    QDir().mkpath(dir);
    const QStringList names = { QStringLiteral("train_1"), QStringLiteral("train_2"),
        QStringLiteral("train_10"), QStringLiteral("testA_1"), QStringLiteral("testB_1") };
    for (const QString& n : names) {
        tissue(775, 522).save(dir + QStringLiteral("/") + n + QStringLiteral(".bmp"), "BMP");
        glasAnnotation(775, 522, { QRect(10, 20, 100, 50), QRect(300, 200, 40, 40) })
            .save(dir + QStringLiteral("/") + n + QStringLiteral("_anno.bmp"), "BMP");
    }
    const QString grades
        = sharedDir(QStringLiteral("datasets/glas/Warwick QU Dataset (Released 2016_07_08)/Grade.csv"));
    if (QFileInfo::exists(grades))
        QFile::copy(grades, dir + QStringLiteral("/Grade.csv"));
    return root;
}

QString makeGlasPngFixture(const QString& root)
{
    for (const QString& split : { QStringLiteral("train"), QStringLiteral("test") }) {
        QDir().mkpath(root + QStringLiteral("/GLAS/") + split + QStringLiteral("/img"));
        QDir().mkpath(root + QStringLiteral("/GLAS/") + split + QStringLiteral("/labelcol"));
        for (int i = 1; i <= 2; ++i) {
            const QString name = QStringLiteral("%1_%2.png").arg(split).arg(i);
            tissue(64, 48).save(root + QStringLiteral("/GLAS/") + split + QStringLiteral("/img/") + name);
            // The reference code stores 0/1 masks.
            cv::Mat m(48, 64, CV_8UC1, cv::Scalar(0));
            m(cv::Rect(5, 6, 10, 10)).setTo(1);
            cv::imwrite(QString(root + QStringLiteral("/GLAS/") + split + QStringLiteral("/labelcol/") + name)
                            .toStdString(),
                m);
        }
    }
    return root + QStringLiteral("/GLAS");
}

// PraNet: TrainDataset/{image,mask} (3 pairs) and TestDataset/{CVC-ClinicDB,Kvasir}/{images,masks}
// (2 pairs each), PNG with 0/255 masks; "1.png" exists in every set.
QString makePraNetFixture(const QString& root)
{
    const QString dir = root + QStringLiteral("/polyp");
    auto pair = [&](const QString& imgDir, const QString& maskDir, int n) {
        QDir().mkpath(imgDir);
        QDir().mkpath(maskDir);
        for (int i = 1; i <= n; ++i) {
            cv::Mat rgb(48, 64, CV_8UC3, cv::Scalar(40, 60, 180));
            cv::Mat gt(48, 64, CV_8UC1, cv::Scalar(0));
            gt(cv::Rect(20, 10, 12, 12)).setTo(255);
            cv::imwrite(QStringLiteral("%1/%2.png").arg(imgDir).arg(i).toStdString(), rgb);
            cv::imwrite(QStringLiteral("%1/%2.png").arg(maskDir).arg(i).toStdString(), gt);
        }
    };
    pair(dir + QStringLiteral("/TrainDataset/image"), dir + QStringLiteral("/TrainDataset/mask"), 3);
    for (const QString& set : { QStringLiteral("CVC-ClinicDB"), QStringLiteral("Kvasir") })
        pair(dir + QStringLiteral("/TestDataset/") + set + QStringLiteral("/images"),
            dir + QStringLiteral("/TestDataset/") + set + QStringLiteral("/masks"), 2);
    return dir;
}

// CVC-ClinicDB: Original/N.tif (RGB, 384x288) + Ground Truth/N.tif (grey 0/255), N = 1, 2, 10.
QString makeCvcFixture(const QString& root)
{
    const QString dir = root + QStringLiteral("/CVC-ClinicDB");
    QDir().mkpath(dir + QStringLiteral("/Original"));
    QDir().mkpath(dir + QStringLiteral("/Ground Truth"));
    for (int n : { 1, 2, 10 }) {
        cv::Mat rgb(288, 384, CV_8UC3, cv::Scalar(40, 60, 180));
        cv::Mat gt(288, 384, CV_8UC1, cv::Scalar(0));
        gt(cv::Rect(10, 20, 100, 50)).setTo(255);
        gt(cv::Rect(300, 200, 40, 40)).setTo(255);
        cv::imwrite(QStringLiteral("%1/Original/%2.tif").arg(dir).arg(n).toStdString(), rgb);
        cv::imwrite(QStringLiteral("%1/Ground Truth/%2.tif").arg(dir).arg(n).toStdString(), gt);
    }
    return dir;
}

} // namespace

void TestData::binaryFormats_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("pairs");
    QTest::addColumn<QString>("firstId");
    QTest::addColumn<QPoint>("foregroundPixel");
    QTest::newRow("glas warwick bmp") << "glas" << QStringLiteral("glas") << 5 << "train_1" << QPoint(50, 40);
    QTest::newRow("glas reference png")
        << "glaspng" << QStringLiteral("glas") << 4 << "train_1" << QPoint(7, 8);
    QTest::newRow("cvc-clinicdb tif")
        << "cvc" << QStringLiteral("cvc-clinicdb") << 3 << "1" << QPoint(320, 220);
    QTest::newRow("pranet png") << "pranet" << QStringLiteral("pranet") << 7 << "train/1" << QPoint(25, 15);
    // The real Kvasir-SEG JPEGs; (-1, -1): the pixel is taken from the raw JPEG mask (>= 128).
    QTest::newRow("kvasir-seg jpeg (real)")
        << "kvasir" << QStringLiteral("kvasir-seg") << 3 << "cju0qkwl35piu0993l0dewei2" << QPoint(-1, -1);
}

void TestData::binaryFormats()
{
    QFETCH(QString, kind);
    QFETCH(QString, format);
    QFETCH(int, pairs);
    QFETCH(QString, firstId);
    QFETCH(QPoint, foregroundPixel);
    QTemporaryDir tmp;
    const QString kvasir = sharedDir(QStringLiteral("datasets/kvasir-seg/Kvasir-SEG"));
    if (kind == QLatin1String("kvasir") && !QFileInfo::exists(kvasir))
        QSKIP("shared/datasets/kvasir-seg is not beside the repository");
    const QString root = kind == QLatin1String("kvasir") ? kvasir
        : kind == QLatin1String("glas")                  ? makeGlasFixture(tmp.path())
        : kind == QLatin1String("glaspng")               ? makeGlasPngFixture(tmp.path())
        : kind == QLatin1String("pranet")                ? makePraNetFixture(tmp.path())
                                                         : makeCvcFixture(tmp.path());
    const Dataset ds = openDataset(root);
    QCOMPARE(formatName(ds.format), format);
    QCOMPARE(ds.samples.size(), pairs);
    QCOMPARE(ds.samples.first().id, firstId); // natural order: 1, 2, 10
    QVERIFY(ds.isBinary());
    for (const DatasetProblem& p : ds.problems)
        QVERIFY2(p.severity == DatasetProblem::Severity::Warning, qPrintable(p.toString()));
    const Sample& s = ds.samples.first();
    const cv::Mat rgb = loadImageRgb(s.imagePath);
    const cv::Mat lab = loadLabels(ds, s, QSize(rgb.cols, rgb.rows));
    QCOMPARE(cv::countNonZero(lab == 0) + cv::countNonZero(lab == 1), int(lab.total())); // class ids 0, 1
    QVERIFY(cv::countNonZero(lab == 1) > 0);
    if (foregroundPixel.x() < 0) {
        const cv::Mat raw = cv::imread(s.maskPath.toStdString(), cv::IMREAD_GRAYSCALE);
        cv::Point p;
        cv::minMaxLoc(raw, nullptr, nullptr, nullptr, &p);
        QVERIFY(raw.at<uchar>(p) >= 128);
        foregroundPixel = QPoint(p.x, p.y);
    }
    QCOMPARE(int(lab.at<uchar>(foregroundPixel.y(), foregroundPixel.x())), 1); // pixel-exact
    QCOMPARE(int(lab.at<uchar>(0, 0)), 0);
    QCOMPARE(openDataset(root, format).samples.size(), pairs);
}

void TestData::glasGradesFromRealCsv()
{
    const QString file
        = sharedDir(QStringLiteral("datasets/glas/Warwick QU Dataset (Released 2016_07_08)/Grade.csv"));
    if (!QFileInfo::exists(file))
        QSKIP("shared/datasets/glas is not beside the repository");
    const GlasGrades g = readGlasGrades(file);
    QVERIFY(g.problems.isEmpty());
    QCOMPARE(g.gradeByName.size(), 165); // 60 testA + 20 testB + 85 train
    QCOMPARE(g.gradeByName.value(QStringLiteral("testA_1")), QStringLiteral("benign (adenomatous)"));
    QCOMPARE(g.gradeByName.value(QStringLiteral("train_9")), QStringLiteral("benign (healthy)"));
    QVERIFY(g.gradeByName.value(QStringLiteral("testA_12")).startsWith(QStringLiteral("malignant")));
}

void TestData::glasWarwickFixture()
{
    QTemporaryDir tmp;
    makeGlasFixture(tmp.path());
    const QString dir = tmp.path() + QStringLiteral("/Warwick QU Dataset (Released 2016_07_08)");
    // Byte-faithful to the release: 54-byte header + 1024-byte palette + 522 rows of 776 bytes.
    QFile anno(dir + QStringLiteral("/train_1_anno.bmp"));
    QVERIFY(anno.open(QIODevice::ReadOnly));
    const QByteArray bytes = anno.readAll();
    QCOMPARE(bytes.size(), 406150);
    QCOMPARE(int(quint8(bytes[28])), 8); // biBitCount
    const Dataset ds = openDataset(tmp.path());
    QCOMPARE(ds.officialSplits,
        (QStringList { QStringLiteral("train"), QStringLiteral("testA"), QStringLiteral("testB") }));
    QCOMPARE(samplesOfSplit(ds, QStringLiteral("train")).size(), 3);
    QCOMPARE(samplesOfSplit(ds, QStringLiteral("testA")).size(), 1);
    QCOMPARE(samplesOfSplit(ds, QStringLiteral("testB")).size(), 1);
    QCOMPARE(countInstances(ds, ds.samples.first()), 2);
    if (QFileInfo::exists(dir + QStringLiteral("/Grade.csv")))
        QCOMPARE(ds.samples.first().info, QStringLiteral("malignant (moderately differentiated)")); // train_1
    // An annotation without its image is reported, not dropped silently.
    QVERIFY(QFile::remove(dir + QStringLiteral("/testB_1.bmp")));
    const Dataset d2 = openDataset(tmp.path());
    QCOMPARE(d2.samples.size(), 4);
    bool reported = false;
    for (const DatasetProblem& p : d2.problems)
        reported |= p.file.endsWith(QStringLiteral("testB_1_anno.bmp"))
            && p.message.contains(QStringLiteral("no image"));
    QVERIFY(reported);
}

void TestData::glasWithoutImagesIsAClearError()
{
    const QString root = sharedDir(QStringLiteral("datasets/glas"));
    if (!QFileInfo::exists(root))
        QSKIP("shared/datasets/glas is not beside the repository");
    // The shared sample holds Grade.csv only: detected as GLaS, but with nothing to train on.
    expectError([&] { openDataset(root); }, QStringLiteral("no image/mask pairs found"));
}

void TestData::explicitFormatMismatchIsAClearError()
{
    QTemporaryDir tmp;
    const QString cvc = makeCvcFixture(tmp.path());
    expectError([&] { openDataset(cvc, QStringLiteral("glas")); }, QStringLiteral("is not a glas folder"));
    expectError([&] { openDataset(cvc, QStringLiteral("glas")); }, QStringLiteral("train_N_anno.bmp"));
    QCOMPARE(formatName(findDatasetFormat(QStringLiteral("cvc-clinicdb"))), QStringLiteral("cvc-clinicdb"));
    QVERIFY(!findDatasetFormat(QStringLiteral("pascal")));
}

void TestData::officialSplitDrivesTraining()
{
    QTemporaryDir tmp;
    makeGlasFixture(tmp.path());
    const Dataset ds = openDataset(tmp.path());
    const Split s = defaultSplit(ds, 0.2, 1);
    QCOMPARE(s.train, samplesOfSplit(ds, QStringLiteral("train")));
    QCOMPARE(s.val, samplesOfSplit(ds, QStringLiteral("testA")));
    // Without official splits: the seeded split.
    QTemporaryDir other;
    const Dataset cvc = openDataset(makeCvcFixture(other.path()));
    QCOMPARE(defaultSplit(cvc, 0.34, 5).val, makeSplit(3, 0.34, 5).val);
}

void TestData::nyuMetadataFromRealMatFiles()
{
    const QString dir = sharedDir(QStringLiteral("datasets/nyudv2/nyuv2-meta-data"));
    if (!QFileInfo::exists(dir))
        QSKIP("shared/datasets/nyudv2 is not beside the repository");
    const NyuMetadata m = readNyuMetadata(dir);
    QCOMPARE(m.classNames40.size(), 40);
    QCOMPARE(m.classNames40.first(), QStringLiteral("wall"));
    QCOMPARE(m.classNames40.at(39), QStringLiteral("otherprop"));
    QCOMPARE(m.map894To40.size(), 894);
    QCOMPARE(*std::min_element(m.map894To40.begin(), m.map894To40.end()), 1);
    QCOMPARE(*std::max_element(m.map894To40.begin(), m.map894To40.end()), 40);
    QCOMPARE(m.classNames13.size(), 13);
    QCOMPARE(m.classNames13.first(), QStringLiteral("bed"));
    QCOMPARE(m.classNames13.last(), QStringLiteral("window"));
    QCOMPARE(m.map40To13.size(), 40);
    QCOMPARE(m.trainFrames.size(), 795);
    QCOMPARE(m.testFrames.size(), 654);
    // Disjoint, 1-based, within the 1449 labelled frames.
    QSet<int> all;
    for (int f : m.trainFrames + m.testFrames) {
        QVERIFY(f >= 1 && f <= 1449);
        all.insert(f);
    }
    QCOMPARE(all.size(), 1449);
}

void TestData::nyu40To13ReproducesReal13ClassLabels()
{
    const QString meta = sharedDir(QStringLiteral("datasets/nyudv2/nyuv2-meta-data"));
    const QString labels40
        = sharedDir(QStringLiteral("datasets/nyudv2/nyuv2-meta-data_h-0-0/test_labels_40"));
    if (!QFileInfo::exists(meta) || !QFileInfo::exists(labels40))
        QSKIP("shared/datasets/nyudv2 is not beside the repository");
    const NyuMetadata m = readNyuMetadata(meta);
    const QStringList files
        = QDir(labels40).entryList({ QStringLiteral("new_nyu_class40_*.png") }, QDir::Files);
    QCOMPARE(files.size(), 15);
    for (const QString& f : files) {
        const cv::Mat l40 = cv::imread(QDir(labels40).filePath(f).toStdString(), cv::IMREAD_UNCHANGED);
        const QString f13 = meta + QStringLiteral("/test_labels_13/")
            + QString(f).replace(QStringLiteral("class40"), QStringLiteral("class13"));
        const cv::Mat l13 = cv::imread(f13.toStdString(), cv::IMREAD_UNCHANGED);
        QCOMPARE(l40.type(), CV_8UC1);
        QCOMPARE(l13.size(), l40.size());
        const cv::Mat mapped = remapLabels(l40, m.map40To13);
        QVERIFY2(cv::countNonZero(mapped != l13) == 0, qPrintable(f));
    }
}

void TestData::nyuMetadataMissingFileNamesIt()
{
    QTemporaryDir dir;
    expectError([&] { readNyuMetadata(dir.path()); }, dir.filePath(QStringLiteral("classMapping40.mat")));
    QFile junk(dir.filePath(QStringLiteral("classMapping40.mat")));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("not a MATLAB file at all, just text");
    junk.close();
    expectError([&] { readNyuMetadata(dir.path()); }, QStringLiteral("cannot be read as a MATLAB file"));
    expectError([&] { remapLabels(cv::Mat(2, 2, CV_8UC1, cv::Scalar(41)), QVector<int>(40, 1)); },
        QStringLiteral("outside the mapping"));
}

void TestData::validationFindsEachProblem_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("file"); // relative to the dataset folder
    QTest::addColumn<bool>("isError");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing mask") << "missing-mask"
                                  << "images/synth_0001.png" << true << "no mask";
    QTest::newRow("mask without image") << "orphan-mask"
                                        << "masks/synth_0001.png" << false << "no image";
    QTest::newRow("size mismatch") << "size"
                                   << "masks/synth_0001.png" << true
                                   << "mask is 40x30 but its image is 64x64";
    QTest::newRow("unreadable image") << "garbage"
                                      << "images/synth_0001.png" << true << "cannot be decoded";
    QTest::newRow("truncated jpeg") << "truncated"
                                    << "images/synth_0001.jpg" << true << "truncated";
    QTest::newRow("corrupt jpeg mask") << "corrupt"
                                       << "masks/synth_0001.jpg" << true << "corrupt";
    QTest::newRow("truncated png mask") << "truncated-png"
                                        << "masks/synth_0001.png" << true << "truncated";
    QTest::newRow("damaged png image") << "damaged-png"
                                       << "images/synth_0001.png" << true << "fails its CRC check";
    QTest::newRow("empty mask") << "empty"
                                << "masks/synth_0001.png" << false << "empty";
    QTest::newRow("label out of range") << "range"
                                        << "000002_mask.png" << true << "outside the class range";
    QTest::newRow("duplicate names") << "duplicate"
                                     << "images/synth_0001.png" << true << "share the name";
    QTest::newRow("channel count") << "channels"
                                   << "images/synth_0001.png" << false << "1 channel(s) where most";
}

void TestData::validationFindsEachProblem()
{
    QFETCH(QString, kind);
    QFETCH(QString, file);
    QFETCH(bool, isError);
    QFETCH(QString, message);
    QTemporaryDir dir;
    synthDataset(dir.path(), 4, 64, kind == QLatin1String("range") ? SynthKind::Scenes : SynthKind::Glands);
    const QString img = dir.filePath(QStringLiteral("images/synth_0001.png"));
    const QString mask = dir.filePath(QStringLiteral("masks/synth_0001.png"));
    auto writeBytes = [](const QString& path, const QByteArray& bytes) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    };
    if (kind == QLatin1String("missing-mask")) {
        QVERIFY(QFile::remove(mask));
    } else if (kind == QLatin1String("orphan-mask")) {
        QVERIFY(QFile::remove(img));
    } else if (kind == QLatin1String("size")) {
        QVERIFY(cv::imwrite(mask.toStdString(), cv::Mat(30, 40, CV_8UC1, cv::Scalar(255))));
    } else if (kind == QLatin1String("garbage")) {
        writeBytes(img, QByteArray("\x89PNG\r\n\x1a\n but nothing after the signature"));
    } else if (kind == QLatin1String("truncated")) {
        const cv::Mat rgb = cv::imread(img.toStdString());
        std::vector<uchar> jpeg;
        cv::imencode(".jpg", rgb, jpeg);
        QVERIFY(QFile::remove(img));
        writeBytes(dir.filePath(QStringLiteral("images/synth_0001.jpg")),
            QByteArray(reinterpret_cast<const char*>(jpeg.data()), int(jpeg.size() / 2)));
    } else if (kind == QLatin1String("corrupt")) {
        // The middle of the data lost, the end-of-image marker kept: libjpeg would "repair" it with
        // grey blocks and print a warning without the file name.
        const cv::Mat grey = cv::imread(mask.toStdString(), cv::IMREAD_GRAYSCALE);
        std::vector<uchar> jpeg;
        cv::imencode(".jpg", grey, jpeg);
        QVERIFY(QFile::remove(mask));
        writeBytes(dir.filePath(QStringLiteral("masks/synth_0001.jpg")),
            QByteArray(reinterpret_cast<const char*>(jpeg.data()), int(jpeg.size() * 6 / 10)) + "\xff\xd9");
    } else if (kind == QLatin1String("truncated-png")) {
        QFile f(mask);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        f.close();
        writeBytes(mask, bytes.left(bytes.size() - 20));
    } else if (kind == QLatin1String("damaged-png")) {
        QFile f(img);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray bytes = f.readAll();
        f.close();
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x5a); // one byte flipped in the data
        writeBytes(img, bytes);
    } else if (kind == QLatin1String("empty")) {
        QVERIFY(cv::imwrite(mask.toStdString(), cv::Mat(64, 64, CV_8UC1, cv::Scalar(0))));
    } else if (kind == QLatin1String("range")) {
        QImage labels(dir.filePath(QStringLiteral("000002_mask.png")));
        QCOMPARE(labels.format(), QImage::Format_Indexed8);
        labels.setPixel(10, 10, 9); // the scenes have 6 classes
        QVERIFY(labels.save(dir.filePath(QStringLiteral("000002_mask.png"))));
    } else if (kind == QLatin1String("duplicate")) {
        QVERIFY(QFile::copy(img, dir.filePath(QStringLiteral("images/synth_0001.jpg"))));
    } else if (kind == QLatin1String("channels")) {
        QVERIFY(QImage(img).convertToFormat(QImage::Format_Grayscale8).save(img));
    }
    const Dataset ds = openDataset(dir.path());
    const DatasetReport r = validateDataset(ds);
    QCOMPARE(r.checked, ds.samples.size());
    const QString expectedFile = QDir(dir.path()).filePath(file);
    bool found = false;
    for (const DatasetProblem& p : r.problems) {
        if (QFileInfo(p.file).absoluteFilePath() != QFileInfo(expectedFile).absoluteFilePath())
            continue;
        found = true;
        QCOMPARE(p.severity == DatasetProblem::Severity::Error, isError);
        QVERIFY2(p.message.contains(message), qPrintable(p.toString()));
    }
    QVERIFY2(found,
        qPrintable(QStringLiteral("no problem names %1; got %2 problem(s)%3")
                       .arg(file)
                       .arg(r.problems.size())
                       .arg(r.problems.isEmpty() ? QString()
                                                 : QStringLiteral(": ") + r.problems.first().toString())));
    // Exactly the one problem: the other pairs are clean.
    QCOMPARE(r.problems.size(), 1);
}

// Issue 13, finding 1: what validation rejects is exactly what decoding for training refuses (the
// sample cache), so no reader uses a pair that 'masksup inspect' reports as an error.
void TestData::oneVerdictPerPairEverywhere()
{
    QTemporaryDir dir;
    synthDataset(dir.path(), 6, 64, SynthKind::Glands);
    auto rewrite = [&](const QString& rel, const std::function<QByteArray(const QByteArray&)>& change) {
        QFile f(dir.filePath(rel));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = change(f.readAll());
        f.close();
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bytes);
    };
    // JPEG masks, as Kvasir-SEG ships them: one cut short, one with its middle lost.
    for (const char* stem : { "synth_0001", "synth_0003" }) {
        const QString png = dir.filePath(QStringLiteral("masks/%1.png").arg(QLatin1String(stem)));
        const cv::Mat grey = cv::imread(png.toStdString(), cv::IMREAD_GRAYSCALE);
        QVERIFY(QFile::remove(png));
        QVERIFY(cv::imwrite(
            dir.filePath(QStringLiteral("masks/%1.jpg").arg(QLatin1String(stem))).toStdString(), grey));
    }
    rewrite(QStringLiteral("masks/synth_0001.jpg"),
        [](const QByteArray& b) -> QByteArray { return b.left(b.size() / 2); });
    rewrite(QStringLiteral("masks/synth_0003.jpg"),
        [](const QByteArray& b) -> QByteArray { return b.left(b.size() * 6 / 10) + QByteArray("\xff\xd9"); });
    rewrite(QStringLiteral("images/synth_0004.png"),
        [](const QByteArray& b) -> QByteArray { return b.left(b.size() - 16); });
    const Dataset ds = openDataset(dir.path());
    QCOMPARE(ds.samples.size(), 6);
    const DatasetReport report = validateDataset(ds);
    QSet<int> rejected(report.badSamples.cbegin(), report.badSamples.cend());
    QCOMPARE(rejected.size(), 3);
    const SampleCache cache(ds, 32, 0);
    for (int i = 0; i < ds.samples.size(); ++i) {
        bool threw = false;
        try {
            cache.get(i);
        } catch (const Error& e) {
            threw = true;
            const SkippedPair p = skippedPairFrom(ds.samples[i], e);
            QVERIFY2(
                p.file == ds.samples[i].imagePath || p.file == ds.samples[i].maskPath, qPrintable(p.file));
            QVERIFY(!p.reason.isEmpty() && !p.reason.startsWith(p.file));
        }
        QVERIFY2(threw == rejected.contains(i), qPrintable(ds.samples[i].id));
    }
    // A corrupt JPEG names its file and what libjpeg found.
    const QString corrupt = dir.filePath(QStringLiteral("masks/synth_0003.jpg"));
    try {
        loadImageRgb(corrupt);
        QFAIL("a corrupt JPEG was decoded");
    } catch (const Error& e) {
        QCOMPARE(QString::fromStdString(e.file()), corrupt);
        QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("Corrupt JPEG data")), e.what());
    }
}

// The JPEG decoder that turns libjpeg's warnings into errors gives OpenCV's pixels exactly.
void TestData::jpegDecoderMatchesOpenCv()
{
    QStringList files;
    const QString kvasir = sharedDir(QStringLiteral("datasets/kvasir-seg"));
    if (QFileInfo::exists(kvasir)) {
        QDirIterator it(kvasir, { QStringLiteral("*.jpg") }, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            files << it.next();
    }
    QTemporaryDir dir;
    cv::Mat noise(37, 53, CV_8UC3);
    cv::randu(noise, 0, 255);
    const QString made = dir.filePath(QStringLiteral("noise.jpg"));
    QVERIFY(cv::imwrite(made.toStdString(), noise));
    const QString madeGrey = dir.filePath(QStringLiteral("grey.jpg"));
    QVERIFY(cv::imwrite(madeGrey.toStdString(), noise.col(0).clone().reshape(1, 37)));
    files << made << madeGrey;
    for (const QString& f : files) {
        cv::Mat expected;
        cv::cvtColor(cv::imread(f.toStdString(), cv::IMREAD_COLOR), expected, cv::COLOR_BGR2RGB);
        const cv::Mat rgb = loadImageRgb(f);
        QCOMPARE(rgb.size(), expected.size());
        QVERIFY2(cv::norm(rgb, expected, cv::NORM_INF) == 0, qPrintable(f));
        const cv::Mat grey = decodeImageChecked(readImageFileChecked(f), f, cv::IMREAD_GRAYSCALE);
        QVERIFY2(cv::norm(grey, cv::imread(f.toStdString(), cv::IMREAD_GRAYSCALE), cv::NORM_INF) == 0,
            qPrintable(f));
    }
}

void TestData::validationCountsClassPixels()
{
    QTemporaryDir dir;
    synthDataset(dir.path(), 3, 64);
    const Dataset ds = openDataset(dir.path());
    int calls = 0;
    std::atomic_bool stop { false };
    FunctionProgress progress(
        [&](int done, int total, const std::string&) {
            ++calls;
            stop = done >= total;
        },
        &stop);
    const DatasetReport r = validateDataset(ds, progress);
    QVERIFY(calls >= 1);
    QCOMPARE(r.classPixels.size(), 2);
    QCOMPARE(r.classPixels[0] + r.classPixels[1], qint64(3 * 64 * 64));
    qint64 fg = 0;
    for (const Sample& s : ds.samples)
        fg += cv::countNonZero(cv::imread(s.maskPath.toStdString(), cv::IMREAD_GRAYSCALE) >= 128);
    QCOMPARE(r.classPixels[1], fg);
    QCOMPARE(r.minSize, QSize(64, 64));
    QVERIFY(r.badSamples.isEmpty());
}

namespace {
// An image whose red channel encodes the label (label·40), so alignment can be checked exactly.
void encodedPair(int w, int h, cv::Mat* rgb, cv::Mat* labels)
{
    *labels = cv::Mat(h, w, CV_8UC1);
    *rgb = cv::Mat(h, w, CV_8UC3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const uchar l = static_cast<uchar>((x / 7 + 2 * (y / 5)) % 6);
            labels->at<uchar>(y, x) = l;
            rgb->at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(l * 40), uchar(x), uchar(y));
        }
}
} // namespace

void TestData::augmentKeepsImageAndLabelsAligned()
{
    for (const QSize size : { QSize(32, 32), QSize(40, 24) })
        for (std::uint64_t seed = 0; seed < 24; ++seed) {
            cv::Mat rgb, lab;
            encodedPair(size.width(), size.height(), &rgb, &lab);
            const cv::Mat before = rgb.clone();
            Rng rng(seed);
            augmentPair(rgb, lab, AugmentOptions::parse("flip,rot90"), AugmentDraw::draw(rng), 255);
            QCOMPARE(rgb.cols, size.width()); // non-square images keep their shape
            QCOMPARE(rgb.rows, size.height());
            for (int y = 0; y < lab.rows; ++y)
                for (int x = 0; x < lab.cols; ++x)
                    QCOMPARE(int(rgb.at<cv::Vec3b>(y, x)[0]), lab.at<uchar>(y, x) * 40);
            // Same seed, same result.
            cv::Mat rgb2 = before.clone(), lab2;
            encodedPair(size.width(), size.height(), &rgb2, &lab2);
            Rng again(seed);
            augmentPair(rgb2, lab2, AugmentOptions::parse("flip,rot90"), AugmentDraw::draw(again), 255);
            QCOMPARE(cv::countNonZero(lab2 != lab), 0);
        }
}

void TestData::augmentScalePadsWithVoid()
{
    int padded = 0, cropped = 0;
    for (std::uint64_t seed = 0; seed < 30; ++seed) {
        cv::Mat rgb, lab;
        encodedPair(48, 48, &rgb, &lab);
        Rng rng(seed);
        augmentPair(rgb, lab, AugmentOptions::parse("scale"), AugmentDraw::draw(rng), 255);
        QCOMPARE(lab.size(), cv::Size(48, 48));
        const int voidPixels = cv::countNonZero(lab == 255);
        if (voidPixels > 0) {
            ++padded;
            for (int y = 0; y < 48; ++y)
                for (int x = 0; x < 48; ++x)
                    if (lab.at<uchar>(y, x) == 255)
                        QCOMPARE(rgb.at<cv::Vec3b>(y, x), cv::Vec3b(128, 128, 128)); // mid-grey
        } else {
            ++cropped;
        }
    }
    QVERIFY(padded > 0 && cropped > 0); // both zoom directions happen
}

void TestData::augmentColorLeavesLabels()
{
    cv::Mat rgb, lab;
    encodedPair(32, 32, &rgb, &lab);
    const cv::Mat rgb0 = rgb.clone(), lab0 = lab.clone();
    Rng rng(3);
    augmentPair(rgb, lab, AugmentOptions::parse("color"), AugmentDraw::draw(rng), 255);
    QCOMPARE(cv::countNonZero(lab != lab0), 0);
    cv::Mat diff;
    cv::absdiff(rgb, rgb0, diff);
    QVERIFY(cv::sum(diff)[0] + cv::sum(diff)[1] + cv::sum(diff)[2] > 0);
}

void TestData::augmentParse()
{
    QVERIFY(!AugmentOptions::parse("none").any());
    const AugmentOptions all = AugmentOptions::parse("all");
    QVERIFY(all.flip && all.rotate90 && all.scaleCrop && all.colorJitter);
    QCOMPARE(
        QString::fromStdString(AugmentOptions::parse("color,flip").toString()), QStringLiteral("flip,color"));
    expectError([] { AugmentOptions::parse("flip,blur"); }, QStringLiteral("'blur'"));
}

void TestData::praNetSplits()
{
    QTemporaryDir tmp;
    const Dataset ds = openDataset(makePraNetFixture(tmp.path()));
    QCOMPARE(ds.officialSplits,
        (QStringList { QStringLiteral("train"), QStringLiteral("CVC-ClinicDB"), QStringLiteral("Kvasir") }));
    QCOMPARE(samplesOfSplit(ds, QStringLiteral("Kvasir")).size(), 2);
    QSet<QString> ids;
    for (const Sample& s : ds.samples)
        ids.insert(s.id);
    QCOMPARE(ids.size(), ds.samples.size()); // unique although 1.png repeats
    const Split split = defaultSplit(ds, 0.2, 0);
    QCOMPARE(split.train.size(), 3);
    QCOMPARE(split.val, samplesOfSplit(ds, QStringLiteral("CVC-ClinicDB"))); // the reference's test set
}

void TestData::genericMultiClassLayout()
{
    QTemporaryDir tmp;
    QDir().mkpath(tmp.filePath(QStringLiteral("images")));
    QDir().mkpath(tmp.filePath(QStringLiteral("masks")));
    writeClassesJson(tmp.filePath(QStringLiteral("classes.json")),
        { QStringLiteral("background"), QStringLiteral("tumour"), QStringLiteral("stroma"),
            QStringLiteral("necrosis") },
        { Qt::black, Qt::red, Qt::green, Qt::blue });
    QImage labels(40, 30, QImage::Format_Indexed8);
    // A full palette: Qt ignores setPixel() with an index beyond the colour table.
    QVector<QRgb> palette(256, qRgb(90, 90, 90));
    palette[0] = qRgb(0, 0, 0);
    labels.setColorTable(palette);
    labels.fill(0);
    labels.setPixel(5, 6, 3);
    labels.setPixel(7, 8, 2);
    QVERIFY(labels.save(tmp.filePath(QStringLiteral("masks/a.png"))));
    QVERIFY(tissue(40, 30).save(tmp.filePath(QStringLiteral("images/a.png"))));
    const Dataset ds = openDataset(tmp.path());
    QCOMPARE(formatName(ds.format), QStringLiteral("generic"));
    QCOMPARE(ds.numClasses(), 4);
    QCOMPARE(ds.modelOutputChannels(), 4);
    const cv::Mat lab = loadLabels(ds, ds.samples.first(), QSize(40, 30));
    QCOMPARE(int(lab.at<uchar>(6, 5)), 3);
    QCOMPARE(int(lab.at<uchar>(8, 7)), 2);
    QCOMPARE(cv::countNonZero(lab), 2);
    // A label beyond the listed classes is reported, naming the mask.
    labels.setPixel(1, 1, 7);
    QVERIFY(labels.save(tmp.filePath(QStringLiteral("masks/a.png"))));
    const DatasetReport r = validateDataset(openDataset(tmp.path()));
    QCOMPARE(r.problems.size(), 1);
    QVERIFY(r.problems.first().file.endsWith(QStringLiteral("masks/a.png")));
    QVERIFY(r.problems.first().message.contains(QStringLiteral("outside the class range")));
}

void TestData::greyAndRgbConversionsRoundTrip()
{
    cv::Mat map(7, 13, CV_8UC1); // odd width: QImage rows are padded, cv::Mat rows are not
    cv::randu(map, 0, 256);
    const QImage grey = gray8ToQImage(map);
    QCOMPARE(grey.format(), QImage::Format_Grayscale8);
    QCOMPARE(grey.size(), QSize(13, 7));
    QCOMPARE(cv::countNonZero(qImageToGray8(grey) != map), 0);
    QVERIFY(gray8ToQImage(cv::Mat(3, 3, CV_8UC3)).isNull());
    cv::Mat rgb(5, 11, CV_8UC3);
    cv::randu(rgb, 0, 256);
    cv::Mat back = qImageToRgb(rgbToQImage(rgb)), diff;
    cv::absdiff(back, rgb, diff);
    QCOMPARE(cv::sum(diff)[0] + cv::sum(diff)[1] + cv::sum(diff)[2], 0.0);
}

namespace {

// A dataset fixture of one row of multiClassFormats: where it is and one pixel whose class is known
// independently of the code under test.
struct MultiClassFixture {
    QString root;
    QPoint pixel;
    int expectedClass = -1;
};

const char* kNoShared = "shared/datasets/nyudv2 is not beside the repository";

QString nyuShared(const QString& sub)
{
    return sharedDir(QStringLiteral("datasets/nyudv2/") + sub);
}

// Class of a pixel of a 1-based grey label PNG (0 = void), read with OpenCV.
int oneBasedClassAt(const QString& png, QPoint p)
{
    const cv::Mat raw = cv::imread(png.toStdString(), cv::IMREAD_UNCHANGED);
    const int v = raw.at<uchar>(p.y(), p.x());
    return v == 0 ? 255 : v - 1;
}

// A pixel that is labelled (not void) in a 1-based label PNG, away from the border.
QPoint labelledPixel(const QString& png)
{
    const cv::Mat raw = cv::imread(png.toStdString(), cv::IMREAD_UNCHANGED);
    for (int y = 100; y < raw.rows; y += 7)
        for (int x = 100; x < raw.cols; x += 11)
            if (raw.at<uchar>(y, x) > 1)
                return QPoint(x, y);
    return QPoint(0, 0);
}

void writeRgb(const QString& file, int w, int h, int seed)
{
    cv::Mat rgb(h, w, CV_8UC3);
    cv::randu(rgb, seed, seed + 60);
    cv::imwrite(file.toStdString(), rgb);
}

// Handa et al.'s test labels (real files) with RGB frames for the first `withImages` of them.
MultiClassFixture makeNyuLabelFixture(const QString& root, int classes, int withImages)
{
    const QString src = classes == 40 ? nyuShared(QStringLiteral("nyuv2-meta-data_h-0-0/test_labels_40"))
                                      : nyuShared(QStringLiteral("nyuv2-meta-data/test_labels_13"));
    const QString labels = root + QStringLiteral("/test_labels_%1").arg(classes);
    const QString images = root + QStringLiteral("/nyu_test_rgb");
    QDir().mkpath(labels);
    QDir().mkpath(images);
    const QStringList files = QDir(src).entryList({ QStringLiteral("*.png") }, QDir::Files, QDir::Name);
    for (int i = 0; i < files.size(); ++i) {
        QFile::copy(QDir(src).filePath(files[i]), QDir(labels).filePath(files[i]));
        if (i < withImages)
            writeRgb(images + QStringLiteral("/nyu_rgb_%1.png").arg(files[i].right(8).left(4)), 640, 480, i);
    }
    const QString first = QDir(labels).filePath(files.first());
    const QPoint p = labelledPixel(first);
    return { root, p, oneBasedClassAt(first, p) };
}

// The reference code's NYUDV2/{train,val}_{images,labels} with real 1-based 40-class labels.
MultiClassFixture makeNyuReferenceFixture(const QString& root)
{
    const QString src = nyuShared(QStringLiteral("nyuv2-meta-data_h-0-0/test_labels_40"));
    const QString dir = root + QStringLiteral("/NYUDV2");
    const QStringList files = QDir(src).entryList({ QStringLiteral("*.png") }, QDir::Files, QDir::Name);
    for (int i = 0; i < 4; ++i) {
        const QString split = i < 2 ? QStringLiteral("train") : QStringLiteral("val");
        QDir().mkpath(dir + QStringLiteral("/%1_images").arg(split));
        QDir().mkpath(dir + QStringLiteral("/%1_labels").arg(split));
        const QString stem = QStringLiteral("%1").arg(i + 1);
        QFile::copy(QDir(src).filePath(files[i]), dir + QStringLiteral("/%1_labels/%2.png").arg(split, stem));
        writeRgb(dir + QStringLiteral("/%1_images/%2.png").arg(split, stem), 640, 480, i);
    }
    const QString first = dir + QStringLiteral("/train_labels/1.png");
    const QPoint p = labelledPixel(first);
    return { dir, p, oneBasedClassAt(first, p) };
}

// Raw 894-class label of frame k at (x, y) in the .mat fixture: a pattern using 0 (unlabelled) and
// labels across the whole 1..894 range.
int fixtureRawLabel(int k, int x, int y)
{
    if ((x + y + k) % 9 == 0)
        return 0;
    return 1 + (x * 37 + y * 101 + k * 13) % 894;
}

// nyu_depth_v2_labeled.mat (v7.3, official names and layout, 6 frames of 48x64) with the real
// metadata files in a sub-folder, as the metadata repository is usually cloned.
MultiClassFixture makeNyuMatFixture(const QString& root, int classes)
{
    const QString meta = root + QStringLiteral("/nyuv2-meta-data");
    QDir().mkpath(meta);
    for (const char* f : { "classMapping40.mat", "class13Mapping.mat", "splits.mat" })
        QFile::copy(nyuShared(QStringLiteral("nyuv2-meta-data/") + QLatin1String(f)),
            meta + QLatin1Char('/') + QLatin1String(f));
    std::vector<cv::Mat> rgb, labels;
    for (int k = 0; k < 6; ++k) {
        cv::Mat im(48, 64, CV_8UC3), lab(48, 64, CV_16UC1);
        for (int y = 0; y < 48; ++y)
            for (int x = 0; x < 64; ++x) {
                im.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x * 4), uchar(y * 5), uchar(k * 40));
                lab.at<uint16_t>(y, x) = uint16_t(fixtureRawLabel(k, x, y));
            }
        rgb.push_back(im);
        labels.push_back(lab);
    }
    writeNyuMatFile(root + QStringLiteral("/nyu_depth_v2_labeled.mat"), rgb, labels);
    const NyuMetadata m = readNyuMetadata(meta);
    const QPoint p(17, 5);
    const int c40 = m.map894To40[fixtureRawLabel(0, p.x(), p.y()) - 1];
    return { root, p, (classes == 13 ? m.map40To13[c40 - 1] : c40) - 1 };
}

// images/ + masks/ with palette PNG masks (indices 0..4, 255 = void) and no classes.json.
MultiClassFixture makePaletteFixture(const QString& root)
{
    QDir().mkpath(root + QStringLiteral("/images"));
    QDir().mkpath(root + QStringLiteral("/masks"));
    QVector<QRgb> palette(256, qRgb(224, 224, 192));
    palette[0] = qRgb(0, 0, 0);
    palette[1] = qRgb(128, 0, 0);
    palette[2] = qRgb(0, 128, 0);
    palette[3] = qRgb(128, 128, 0);
    palette[4] = qRgb(0, 0, 128);
    for (int i = 0; i < 3; ++i) {
        QImage m(40, 30, QImage::Format_Indexed8);
        m.setColorTable(palette);
        m.fill(0);
        for (int x = 0; x < 40; ++x)
            m.setPixel(x, 10, uint(1 + (x + i) % 4)); // classes 1..4 on row 10
        m.setPixel(3, 3, 255); // void
        m.save(root + QStringLiteral("/masks/p%1.png").arg(i));
        tissue(40, 30).save(root + QStringLiteral("/images/p%1.png").arg(i));
    }
    return { root, QPoint(5, 10), 2 }; // mask p0: 1 + (5 + 0) % 4 = 2
}

// Light-Weight-RefineNet's real pairs: the mask is new_nyu_class40 cropped at rows 6:474 and
// columns 7:632, minus one, with 0 becoming 255.
MultiClassFixture refinenetFixture()
{
    const QString root = nyuShared(QStringLiteral("light-weight-refinenet/examples/imgs/NYU"));
    const QPoint p = labelledPixel(
        nyuShared(QStringLiteral("nyuv2-meta-data_h-0-0/test_labels_40/new_nyu_class40_0834.png")));
    const int cls = oneBasedClassAt(
        nyuShared(QStringLiteral("nyuv2-meta-data_h-0-0/test_labels_40/new_nyu_class40_0834.png")), p);
    return { root, p - QPoint(7, 6), cls };
}

} // namespace

void TestData::multiClassFormats_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("format"); // what --format names, "" = detected
    QTest::addColumn<QString>("expectedFormat");
    QTest::addColumn<int>("pairs");
    QTest::addColumn<int>("classes");
    QTest::addColumn<QString>("firstId");
    QTest::addColumn<QString>("firstSplit");
    QTest::addColumn<int>("warnings");
    QTest::newRow("nyudv2 refinenet palette (real)")
        << "refinenet"
        << "" << QStringLiteral("scene-labels") << 5 << 40 << "000834"
        << "" << 0;
    QTest::newRow("nyudv2 label png 40 (real labels)")
        << "labels40"
        << "" << QStringLiteral("nyudv2-labels") << 10 << 40 << "0001"
        << "test" << 5;
    QTest::newRow("nyudv2 label png 13 (real labels)")
        << "labels13"
        << "" << QStringLiteral("nyudv2-labels") << 15 << 13 << "0001"
        << "test" << 0;
    QTest::newRow("nyudv2 reference NYUDV2 layout") << "reference"
                                                    << "" << QStringLiteral("nyudv2-labels") << 4 << 40 << "1"
                                                    << "train" << 0;
    QTest::newRow("nyudv2 mat v7.3, 40 classes") << "mat40"
                                                 << "" << QStringLiteral("nyudv2-mat") << 6 << 40 << "0001"
                                                 << "test" << 1;
    QTest::newRow("nyudv2 mat v7.3, 13 classes")
        << "mat13"
        << "nyudv2-mat-13" << QStringLiteral("nyudv2-mat") << 6 << 13 << "0001"
        << "test" << 1;
    QTest::newRow("generic palette masks") << "palette"
                                           << "" << QStringLiteral("generic") << 3 << 5 << "p0"
                                           << "" << 1;
}

void TestData::multiClassFormats()
{
    QFETCH(QString, kind);
    QFETCH(QString, format);
    QFETCH(QString, expectedFormat);
    QFETCH(int, pairs);
    QFETCH(int, classes);
    QFETCH(QString, firstId);
    QFETCH(QString, firstSplit);
    QFETCH(int, warnings);
    if (kind != QLatin1String("palette") && !QFileInfo::exists(nyuShared(QStringLiteral("nyuv2-meta-data"))))
        QSKIP(kNoShared);
    QTemporaryDir tmp;
    const MultiClassFixture fx = kind == QLatin1String("refinenet") ? refinenetFixture()
        : kind == QLatin1String("labels40")                         ? makeNyuLabelFixture(tmp.path(), 40, 10)
        : kind == QLatin1String("labels13")                         ? makeNyuLabelFixture(tmp.path(), 13, 15)
        : kind == QLatin1String("reference")                        ? makeNyuReferenceFixture(tmp.path())
        : kind == QLatin1String("mat40")                            ? makeNyuMatFixture(tmp.path(), 40)
        : kind == QLatin1String("mat13")                            ? makeNyuMatFixture(tmp.path(), 13)
                                                                    : makePaletteFixture(tmp.path());
    const Dataset ds = openDataset(fx.root, format);
    QCOMPARE(formatName(ds.format), expectedFormat);
    QCOMPARE(ds.samples.size(), pairs);
    QCOMPARE(ds.numClasses(), classes);
    QCOMPARE(ds.classColors.size(), classes);
    QCOMPARE(ds.samples.first().id, firstId);
    QCOMPARE(ds.samples.first().split, firstSplit);
    QCOMPARE(ds.problems.size(), warnings);
    for (const DatasetProblem& p : ds.problems) {
        QVERIFY2(p.severity == DatasetProblem::Severity::Warning, qPrintable(p.toString()));
        QVERIFY2(!p.file.isEmpty() && !p.fix.isEmpty(), qPrintable(p.toString()));
    }
    // The format spec reopens it the same way.
    QCOMPARE(openDataset(fx.root, ds.formatSpec).numClasses(), classes);

    const Sample& s = ds.samples.first();
    const cv::Mat rgb = loadSampleImage(ds, s);
    QCOMPARE(rgb.type(), CV_8UC3);
    const cv::Mat lab = loadLabels(ds, s, QSize(rgb.cols, rgb.rows));
    QCOMPARE(lab.type(), CV_8UC1);
    // Class ids present: all inside 0..K-1, several of them; void is the ignore index.
    double mx = 0;
    cv::minMaxLoc(lab, nullptr, &mx, nullptr, nullptr, lab != ds.ignoreIndex);
    QVERIFY(mx < classes);
    QSet<int> present;
    for (int y = 0; y < lab.rows; ++y)
        for (int x = 0; x < lab.cols; ++x)
            present.insert(lab.at<uchar>(y, x));
    QVERIFY2(present.size() >= 3, qPrintable(QString::number(present.size())));
    QCOMPARE(ds.ignoreIndex, 255);
    QVERIFY(present.contains(255)); // void pixels stay void
    QCOMPARE(int(lab.at<uchar>(fx.pixel.y(), fx.pixel.x())), fx.expectedClass); // pixel-exact
}

void TestData::nyuMatLayoutIsMatlabColumnMajor()
{
    if (!QFileInfo::exists(nyuShared(QStringLiteral("nyuv2-meta-data"))))
        QSKIP(kNoShared);
    QTemporaryDir tmp;
    makeNyuMatFixture(tmp.path(), 40);
    const QString file = tmp.filePath(QStringLiteral("nyu_depth_v2_labeled.mat"));
    const NyuMatInfo info = readNyuMatInfo(file);
    QCOMPARE(info.height, 48);
    QCOMPARE(info.width, 64);
    QCOMPARE(info.frames, 6);
    // Read the whole variables with matio, independently of the frame reader: MATLAB's H×W×3×N
    // column-major order, uint8 images and uint16 labels, as in the official file.
    mat_t* mat = Mat_Open(file.toLocal8Bit().constData(), MAT_ACC_RDONLY);
    QVERIFY(mat);
    QCOMPARE(int(Mat_GetVersion(mat)), int(MAT_FT_MAT73));
    matvar_t* images = Mat_VarRead(mat, "images");
    matvar_t* labels = Mat_VarRead(mat, "labels");
    QVERIFY(images && labels);
    QCOMPARE(images->rank, 4);
    QCOMPARE(int(images->class_type), int(MAT_C_UINT8));
    QCOMPARE(int(labels->class_type), int(MAT_C_UINT16));
    QCOMPARE(int(images->dims[0]), 48);
    QCOMPARE(int(images->dims[1]), 64);
    QCOMPARE(int(images->dims[2]), 3);
    QCOMPARE(int(images->dims[3]), 6);
    const auto* im = static_cast<const uint8_t*>(images->data);
    const auto* lb = static_cast<const uint16_t*>(labels->data);
    for (int k : { 0, 4 }) {
        const cv::Mat rgb = readNyuMatImage(file, k + 1);
        const cv::Mat raw = readNyuMatLabels(file, k + 1);
        for (int y = 0; y < 48; y += 5)
            for (int x = 0; x < 64; x += 7) {
                for (int c = 0; c < 3; ++c)
                    QCOMPARE(int(rgb.at<cv::Vec3b>(y, x)[c]), int(im[y + 48 * (x + 64 * (c + 3 * k))]));
                QCOMPARE(int(raw.at<uint16_t>(y, x)), int(lb[y + 48 * (x + 64 * k)]));
                QCOMPARE(int(raw.at<uint16_t>(y, x)), fixtureRawLabel(k, x, y));
            }
    }
    Mat_VarFree(images);
    Mat_VarFree(labels);
    Mat_Close(mat);
    // Frames are read one at a time, from several threads at once.
    const Dataset ds = openDataset(file);
    QList<int> frames { 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5 };
    const QList<int> sums = QtConcurrent::blockingMapped(frames, [&ds](int i) {
        return int(cv::sum(loadLabels(ds, ds.samples[i]))[0])
            + int(cv::sum(loadSampleImage(ds, ds.samples[i]))[0]);
    });
    for (int i = 0; i < 6; ++i)
        QCOMPARE(sums[i], sums[i + 6]);
}

void TestData::nyuMatErrorsNameTheFile()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("nyu_depth_v2_labeled.mat"));
    cv::Mat rgb(8, 8, CV_8UC3, cv::Scalar(1, 2, 3)), lab(8, 8, CV_16UC1, cv::Scalar(5));
    writeNyuMatFile(file, { rgb }, { lab });
    // No metadata beside it: the message names the .mat and the files it needs.
    expectError([&] { openDataset(file); }, QStringLiteral("classMapping40.mat"));
    expectError([&] { openDataset(tmp.path()); }, file);
    // A frame beyond the file.
    expectError([&] { readNyuMatImage(file, 2); }, QStringLiteral("has no frame 2"));
    // Not a MATLAB file at all.
    const QString junk = tmp.filePath(QStringLiteral("junk.mat"));
    QFile f(junk);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("definitely not HDF5");
    f.close();
    expectError([&] { readNyuMatInfo(junk); }, junk);
    // A v5 file (the metadata files are v5): not the labelled dataset.
    if (QFileInfo::exists(nyuShared(QStringLiteral("nyuv2-meta-data/splits.mat"))))
        expectError([&] { readNyuMatInfo(nyuShared(QStringLiteral("nyuv2-meta-data/splits.mat"))); },
            QStringLiteral("not a MATLAB v7.3"));
}

void TestData::sampleCacheBudgetAndDisk()
{
    QTemporaryDir tmp;
    synthDataset(tmp.filePath(QStringLiteral("data")), 6, 64);
    const Dataset ds = openDataset(tmp.filePath(QStringLiteral("data")));
    {
        // Memory for two samples: those two are served from memory, the others decoded each time.
        SampleCache cache(ds, 32, 2 * 32 * 32 * 4, {});
        for (int pass = 0; pass < 2; ++pass)
            for (int i = 0; i < 6; ++i)
                cache.get(i);
        const SampleCacheStats st = cache.stats();
        QCOMPARE(st.inMemory, 2);
        QCOMPARE(st.memoryHits, 2);
        QCOMPARE(st.decodes, 10);
        QCOMPARE(st.memoryBytes, qint64(2 * 32 * 32 * 4));
    }
    const QString disk = tmp.filePath(QStringLiteral("cache"));
    QVector<CachedSample> decoded;
    {
        SampleCache cache(ds, 32, 0, disk);
        for (int i = 0; i < 6; ++i)
            decoded << cache.get(i);
        QCOMPARE(cache.stats().decodes, 6);
        QCOMPARE(cache.stats().inMemory, 0);
    }
    {
        // A new cache (a later run) reads the disk copies, byte for byte what decoding gives.
        SampleCache cache(ds, 32, 0, disk);
        for (int i = 0; i < 6; ++i) {
            const CachedSample s = cache.get(i);
            QCOMPARE(s.image.size(), cv::Size(32, 32));
            QCOMPARE(cv::norm(s.image, decoded[i].image, cv::NORM_INF), 0.0);
            QCOMPARE(cv::norm(s.labels, decoded[i].labels, cv::NORM_INF), 0.0);
        }
        QCOMPARE(cache.stats().diskHits, 6);
        QCOMPARE(cache.stats().decodes, 0);
    }
    {
        // Another size, or a changed mask file, is never served from a stale copy.
        SampleCache other(ds, 48, 0, disk);
        other.get(0);
        QCOMPARE(other.stats().decodes, 1);
        QImage m(ds.samples[1].maskPath);
        m.fill(0);
        QVERIFY(m.save(ds.samples[1].maskPath));
        // A different modification time, whatever the file system's resolution.
        QFile touched(ds.samples[1].maskPath);
        QVERIFY(touched.open(QIODevice::ReadWrite));
        QVERIFY(
            touched.setFileTime(QDateTime::currentDateTime().addSecs(5), QFileDevice::FileModificationTime));
        touched.close();
        SampleCache cache(ds, 32, 0, disk);
        QCOMPARE(cv::countNonZero(cache.get(1).labels), 0);
        QCOMPARE(cache.stats().decodes, 1);
    }
    // A truncated cache file is decoded again, not trusted.
    const QStringList files = QDir(disk).entryList({ QStringLiteral("*.bin") }, QDir::Files);
    QVERIFY(!files.isEmpty());
    for (const QString& f : files)
        QFile(QDir(disk).filePath(f)).resize(100);
    SampleCache cache(ds, 32, 0, disk);
    QCOMPARE(cv::norm(cache.get(2).image, decoded[2].image, cv::NORM_INF), 0.0);
    QCOMPARE(cache.stats().decodes, 1);
    // A cache folder that cannot be created is a clear error naming it.
    QFile file(tmp.filePath(QStringLiteral("plain-file")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    expectError([&] { SampleCache bad(ds, 32, 0, tmp.filePath(QStringLiteral("plain-file/sub"))); },
        tmp.filePath(QStringLiteral("plain-file/sub")));
}

void TestData::kvasirBoundingBoxes()
{
    const QString real = sharedDir(QStringLiteral("datasets/kvasir-seg/Kvasir-SEG"));
    if (!QFileInfo::exists(real))
        QSKIP("shared/datasets/kvasir-seg is not beside the repository");
    QTemporaryDir tmp;
    const QString root = tmp.filePath(QStringLiteral("Kvasir-SEG"));
    for (const QString& sub : { QStringLiteral("images"), QStringLiteral("masks") }) {
        QDir().mkpath(root + QLatin1Char('/') + sub);
        for (const QString& f : QDir(real + QLatin1Char('/') + sub).entryList(QDir::Files))
            QVERIFY(QFile::copy(real + QLatin1Char('/') + sub + QLatin1Char('/') + f,
                root + QLatin1Char('/') + sub + QLatin1Char('/') + f));
    }
    // The official file's shape: id -> height, width and a list of labelled boxes.
    QFile json(root + QStringLiteral("/kavsir_bboxes.json"));
    QVERIFY(json.open(QIODevice::WriteOnly));
    json.write(R"({"cju0qkwl35piu0993l0dewei2": {"height": 529, "width": 622, "bbox": [{"label": "polyp",
        "xmin": 38, "ymin": 5, "xmax": 430, "ymax": 338}]},
      "cju0qoxqj9q6s0835b43399p4": {"height": 1070, "width": 1348, "bbox": [{"label": "polyp", "xmin": 10,
        "ymin": 20, "xmax": 30, "ymax": 40}, {"label": "polyp", "xmin": 50, "ymin": 60, "xmax": 70, "ymax": 80}]},
      "cju0qx73cjw570799j4n5cjze": {"height": 529, "width": 622, "bbox": [{"label": "polyp", "xmin": 9}]},
      "cju0not_in_this_folder": {"height": 1, "width": 1, "bbox": []}})");
    json.close();
    const Dataset ds = openDataset(tmp.path());
    QCOMPARE(formatName(ds.format), QStringLiteral("kvasir-seg"));
    QCOMPARE(ds.samples.size(), 3);
    QHash<QString, Sample> byId;
    for (const Sample& s : ds.samples)
        byId.insert(s.id, s);
    QCOMPARE(byId[QStringLiteral("cju0qkwl35piu0993l0dewei2")].boxes,
        QVector<QRect>({ QRect(QPoint(38, 5), QPoint(430, 338)) }));
    QCOMPARE(byId[QStringLiteral("cju0qkwl35piu0993l0dewei2")].info, QStringLiteral("1 bounding box"));
    QCOMPARE(byId[QStringLiteral("cju0qoxqj9q6s0835b43399p4")].boxes.size(), 2);
    QVERIFY(byId[QStringLiteral("cju0qx73cjw570799j4n5cjze")].boxes.isEmpty()); // malformed entry
    // The malformed entry and the entry without an image are reported, naming the file.
    QCOMPARE(ds.problems.size(), 2);
    for (const DatasetProblem& p : ds.problems) {
        QVERIFY(p.file.endsWith(QStringLiteral("kavsir_bboxes.json")));
        QCOMPARE(p.severity, DatasetProblem::Severity::Warning);
    }
    QVERIFY(ds.problems[0].message.contains(QStringLiteral("cju0qx73cjw570799j4n5cjze")));
    QVERIFY(ds.problems[1].message.contains(QStringLiteral("not in images/")));
    // Invalid JSON: a warning with the offset, and the pairs are all still there.
    QVERIFY(json.open(QIODevice::WriteOnly | QIODevice::Truncate));
    json.write("{\"a\": ");
    json.close();
    const Dataset broken = openDataset(tmp.path());
    QCOMPARE(broken.samples.size(), 3);
    QCOMPARE(broken.problems.size(), 1);
    QVERIFY(broken.problems[0].message.contains(QStringLiteral("invalid JSON at offset")));
}

void TestData::npyFileIsNumPyFormat()
{
    // NumPy format 1.0: magic, version, little-endian header length, a Python dict padded with spaces
    // so that the data starts at a multiple of 64, then the raw little-endian float32 values.
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("p.npy"));
    std::vector<float> values(2 * 3 * 4);
    for (size_t i = 0; i < values.size(); ++i)
        values[i] = 0.5f * float(i);
    writeNpyFloat32(file, values, { 2, 3, 4 });
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QCOMPARE(bytes.left(8), QByteArray("\x93NUMPY\x01\x00", 8));
    const int headerLength = quint8(bytes[8]) | (quint8(bytes[9]) << 8);
    QCOMPARE((10 + headerLength) % 64, 0);
    const QByteArray header = bytes.mid(10, headerLength);
    QVERIFY(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }"));
    QVERIFY(header.endsWith('\n'));
    QCOMPARE(bytes.size(), 10 + headerLength + 24 * 4);
    float v = 0;
    std::memcpy(&v, bytes.constData() + 10 + headerLength + 4 * 23, 4);
    QCOMPARE(v, 11.5f);
    // One dimension is written as a one-element tuple; a wrong shape is refused, naming the file.
    f.close();
    writeNpyFloat32(file, { 1.f, 2.f }, { 2 });
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().contains("'shape': (2,), }"));
    expectError([&] { writeNpyFloat32(file, { 1.f }, { 2, 2 }); }, file);
}

void TestData::formatRegistryListsEveryFormatOnce()
{
    // Every format, once, in detection order (generic's classes.json before Kvasir-SEG's plain
    // images/ and masks/).
    QStringList names;
    for (const DatasetFormat* f : datasetFormats()) {
        QVERIFY(f->detect && f->index);
        QVERIFY2(*f->title && *f->layout, f->name);
        QCOMPARE(f->detectFile == nullptr, f->indexFile == nullptr);
        QVERIFY2(!names.contains(QLatin1String(f->name)), f->name);
        names << QLatin1String(f->name);
    }
    QCOMPARE(names,
        (QStringList { QStringLiteral("glas"), QStringLiteral("cvc-clinicdb"), QStringLiteral("pranet"),
            QStringLiteral("generic"), QStringLiteral("kvasir-seg"), QStringLiteral("scene-labels"),
            QStringLiteral("nyudv2-mat"), QStringLiteral("nyudv2-labels") }));

    // Every --format value names its format; the class-set forms choose 13 classes.
    for (const QString& name : datasetFormatNames()) {
        int classes = -1;
        const DatasetFormat* f = findDatasetFormat(name, &classes);
        QVERIFY2(f, qPrintable(name));
        QCOMPARE(name, QString(formatName(f) + (classes == 13 ? QStringLiteral("-13") : QString())));
    }
    QCOMPARE(datasetFormatNamesText(),
        QStringLiteral("glas, cvc-clinicdb, pranet, generic, kvasir-seg, scene-labels, nyudv2-mat, "
                       "nyudv2-mat-13, nyudv2-labels or nyudv2-labels-13"));
    int classes = 0;
    QCOMPARE(formatName(findDatasetFormat(QStringLiteral("nyudv2-labels-40"), &classes)),
        QStringLiteral("nyudv2-labels"));
    QCOMPARE(classes, 40);
    QVERIFY(!findDatasetFormat(QStringLiteral("glas-13"))); // only NYUDv2 has class sets
    QVERIFY(!findDatasetFormat(QStringLiteral("nyudv2-mat-20")));
    QVERIFY(!findDatasetFormat(QStringLiteral("auto"))); // detection, not a format
    QTemporaryDir tmp;
    expectError([&] { openDataset(tmp.path(), QStringLiteral("pascal")); },
        QStringLiteral("unknown dataset format 'pascal': use auto, ") + datasetFormatNamesText());
}

void TestData::formatDetectsItsFixture_data()
{
    QTest::addColumn<QString>("format");
    for (const DatasetFormat* f : datasetFormats())
        QTest::newRow(f->name) << QString::fromLatin1(f->name);
}

void TestData::formatDetectsItsFixture()
{
    QFETCH(QString, format);
    const bool nyu = format.startsWith(QLatin1String("nyudv2-"));
    if (nyu && !QFileInfo::exists(nyuShared(QStringLiteral("nyuv2-meta-data"))))
        QSKIP(kNoShared);
    // The dataset folders of the fixtures this suite indexes (each layout the format reads).
    QTemporaryDir tmp;
    const QString dir = tmp.path();
    QStringList folders;
    if (format == QLatin1String("glas"))
        folders << makeGlasFixture(dir + QStringLiteral("/a"))
                + QStringLiteral("/Warwick QU Dataset (Released 2016_07_08)")
                << makeGlasPngFixture(dir + QStringLiteral("/b"));
    else if (format == QLatin1String("cvc-clinicdb"))
        folders << makeCvcFixture(dir);
    else if (format == QLatin1String("pranet"))
        folders << makePraNetFixture(dir);
    else if (format == QLatin1String("generic"))
        folders << makePaletteFixture(dir).root;
    else if (format == QLatin1String("kvasir-seg"))
        folders << synthDataset(dir, 3, 64, SynthKind::Glands);
    else if (format == QLatin1String("scene-labels"))
        folders << synthDataset(dir, 3, 64, SynthKind::Scenes);
    else if (format == QLatin1String("nyudv2-mat"))
        folders << makeNyuMatFixture(dir, 40).root;
    else if (format == QLatin1String("nyudv2-labels"))
        folders << makeNyuLabelFixture(dir + QStringLiteral("/a"), 40, 2).root
                << makeNyuReferenceFixture(dir + QStringLiteral("/b")).root;
    else
        QFAIL(qPrintable(QStringLiteral("no fixture for the format '%1': add one here").arg(format)));
    const DatasetFormat* f = findDatasetFormat(format);
    QVERIFY(f);
    for (const QString& folder : folders) {
        QVERIFY2(f->detect(QDir(folder)), qPrintable(folder));
        // The first format that detects it (the one openDataset() picks) is this one.
        const DatasetFormat* first = nullptr;
        for (const DatasetFormat* g : datasetFormats())
            if (!first && g->detect(QDir(folder)))
                first = g;
        QCOMPARE(formatName(first), format);
        QCOMPARE(formatName(openDataset(folder).format), format);
    }
    if (f->detectFile) {
        const QString file = folders.first() + QStringLiteral("/nyu_depth_v2_labeled.mat");
        QVERIFY(f->detectFile(file));
        QCOMPARE(formatName(openDataset(file).format), format);
    }
}

QTEST_GUILESS_MAIN(TestData)
#include "tst_data.moc"
