#include "core/base/error.h"
#include "core/data/dataset.h"
#include "core/data/image_io.h"
#include "core/data/split.h"
#include "core/data/synth.h"
#include "core/io/overlay.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>

using namespace msup;

namespace {
QByteArray treeHash(const QString& dir)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    QStringList files;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    for (const QString& f : files) {
        QFile file(f);
        file.open(QIODevice::ReadOnly);
        h.addData(QDir(dir).relativeFilePath(f).toUtf8());
        h.addData(file.readAll());
    }
    return h.result();
}

QString sharedDir(const QString& sub)
{
    return QDir(QStringLiteral(MASKSUP_SHARED_DIR)).filePath(sub);
}

void expectError(const std::function<void()>& f, const QString& mustMention)
{
    try {
        f();
        QFAIL("no error was raised");
    } catch (const Error& e) {
        const QString msg = QString::fromStdString(e.what());
        QVERIFY2(msg.contains(mustMention), qPrintable(msg));
    }
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
    QCOMPARE(treeHash(a.path()), treeHash(b.path()));
    QVERIFY(treeHash(a.path()) != treeHash(c.path()));
}

void TestData::synthGlandsOpensAsBinaryDataset()
{
    QTemporaryDir dir;
    SynthOptions o;
    o.count = 6;
    o.size = 96;
    o.outDir = dir.path();
    writeSynthDataset(o);
    const Dataset ds = openDataset(dir.path());
    QCOMPARE(ds.format, DatasetFormat::KvasirSeg);
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
    SynthOptions o;
    o.kind = SynthKind::Scenes;
    o.count = 12;
    o.size = 96;
    o.outDir = dir.path();
    writeSynthDataset(o);
    const Dataset ds = openDataset(dir.path());
    QCOMPARE(ds.format, DatasetFormat::SceneLabels);
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
    QCOMPARE(ds.format, DatasetFormat::KvasirSeg);
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
    QCOMPARE(ds.format, DatasetFormat::SceneLabels);
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
    SynthOptions o;
    o.count = 3;
    o.size = 64;
    o.outDir = dir.path();
    writeSynthDataset(o);
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
    SynthOptions o;
    o.count = 2;
    o.size = 64;
    o.outDir = dir.path();
    writeSynthDataset(o);
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
        = colorOverlay(rgb, lab, { Qt::black, QColor(255, 0, 0) }, OverlayOptions { 0.5, true, 255 });
    QCOMPARE(o.size(), QSize(40, 30));
    QCOMPARE(QColor(o.pixel(5, 5)), QColor(178, 50, 50));
    QCOMPARE(QColor(o.pixel(20, 20)), QColor(100, 100, 100));
}

QTEST_GUILESS_MAIN(TestData)
#include "tst_data.moc"
