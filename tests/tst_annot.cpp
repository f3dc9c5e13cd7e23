#include "core/annot/label_delta.h"
#include "core/annot/label_journal.h"
#include "core/annot/mask_store.h"
#include "core/base/error.h"
#include "core/data/dataset.h"
#include "core/data/image_io.h"
#include "core/data/sample_cache.h"
#include "tests/support/files.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace msup;

namespace {

using msup::test::fileHash;

bool sameMap(const cv::Mat& a, const cv::Mat& b)
{
    return a.size() == b.size() && a.type() == b.type() && cv::countNonZero(a != b) == 0;
}

void writeRgb(const QString& path, int w, int h)
{
    cv::Mat bgr(h, w, CV_8UC3);
    cv::randu(bgr, cv::Scalar::all(0), cv::Scalar::all(255));
    QDir().mkpath(QFileInfo(path).absolutePath());
    QVERIFY(cv::imwrite(path.toStdString(), bgr));
}

void writeIndexed(const QString& path, const cv::Mat& indices, const QVector<QRgb>& table, const char* format)
{
    QImage img(indices.cols, indices.rows, QImage::Format_Indexed8);
    img.setColorTable(table);
    for (int y = 0; y < indices.rows; ++y)
        std::memcpy(img.scanLine(y), indices.ptr(y), size_t(indices.cols));
    QDir().mkpath(QFileInfo(path).absolutePath());
    QVERIFY(img.save(path, format));
}

cv::Mat readIndices(const QString& path, QVector<QRgb>* table = nullptr)
{
    const QImage img(path);
    if (img.format() != QImage::Format_Indexed8 && img.format() != QImage::Format_Grayscale8)
        return {};
    if (table)
        *table = img.colorTable();
    cv::Mat out(img.height(), img.width(), CV_8UC1);
    for (int y = 0; y < img.height(); ++y)
        std::memcpy(out.ptr(y), img.constScanLine(y), size_t(img.width()));
    return out;
}

// The k-th stroke of the crash test: a rectangle of class k % 2, or void every fifth stroke.
LabelDelta strokeDelta(const cv::Mat& labels, int k)
{
    cv::Mat after = labels.clone();
    const cv::Rect r((k * 29) % (labels.cols - 40), (k * 17) % (labels.rows - 30), 40, 30);
    after(r).setTo(k % 5 == 0 ? 255 : k % 2);
    after.at<uchar>(r.y, r.x) = uchar(k % 2 == 0 ? 1 : 0); // never a no-op stroke
    return makeLabelDelta(labels, after, r);
}

// A Kvasir-like dataset: images/<id>.png + masks/<id>.<maskExt> (0/255 binary).
QString makeKvasir(
    const QString& root, const QStringList& ids, const QString& maskExt, int w = 128, int h = 96)
{
    for (int i = 0; i < ids.size(); ++i) {
        writeRgb(root + QStringLiteral("/images/") + ids[i] + QStringLiteral(".png"), w, h);
        cv::Mat mask(h, w, CV_8UC3, cv::Scalar::all(0));
        cv::circle(mask, cv::Point(w / 2 + i * 5, h / 2), h / 4, cv::Scalar::all(255), cv::FILLED);
        const QString path = root + QStringLiteral("/masks/") + ids[i] + QStringLiteral(".") + maskExt;
        QDir().mkpath(QFileInfo(path).absolutePath());
        cv::imwrite(path.toStdString(), mask);
    }
    return root;
}

// The child of crashWhileEditing(): applies strokes through the store, one line per journaled stroke.
int runCrashChild()
{
    const QString root = qEnvironmentVariable("MASKSUP_ANNOT_CHILD");
    try {
        MaskStore store(openDataset(root));
        MaskSession session(store, store.dataset().samples.first());
        std::printf("start %d\n", session.recoveredStrokes());
        std::fflush(stdout);
        for (int k = session.recoveredStrokes() + 1; k <= 100000; ++k) {
            session.commit(strokeDelta(session.labels(), k));
            std::printf("stroke %d\n", k);
            std::fflush(stdout);
            QThread::usleep(500 + (k % 4) * 700);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "child: %s\n", e.what());
        return 1;
    }
    return 0;
}

} // namespace

class TestAnnot : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deltaRoundTrip();
    void journalAppendReplay();
    void binaryPngRoundTrip();
    void binaryJpegOriginalBecomesPng();
    void glasInstanceIds();
    void nyuLabelsRoundTrip_data();
    void nyuLabelsRoundTrip();
    void paletteRoundTrip();
    void correctionsOverlay();
    void projectStates();
    void journalRecovery();
    void startFromPrediction();
    void crashWhileEditing();
    void cliCorrectionsList();
    void realSamplesRoundTrip();
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

void TestAnnot::journalAppendReplay()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("j/a.journal"));
    const cv::Mat base(60, 80, CV_8UC1, cv::Scalar(0));
    cv::Mat cur = base.clone();
    LabelJournal j(path);
    QCOMPARE(j.recordCount(), 0);
    QVector<LabelDelta> deltas;
    for (int k = 1; k <= 3; ++k) {
        const LabelDelta d = strokeDelta(cur, k);
        applyLabelDelta(cur, d);
        j.append(d, cur.size());
        deltas << d;
    }
    // An undo is journaled as the inverted delta.
    revertLabelDelta(cur, deltas.last());
    j.appendUndo(deltas.last(), cur.size());
    QCOMPARE(j.recordCount(), 4);
    cv::Mat replayed = base.clone();
    QCOMPARE(LabelJournal(path).replay(replayed), 4);
    QVERIFY(sameMap(replayed, cur));

    // A torn tail (a crash while writing) is ignored, then cut off by the next append.
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::Append));
        f.write(QByteArray("DLTA\x01\x00\x00", 7));
    }
    replayed = base.clone();
    QCOMPARE(LabelJournal(path).replay(replayed), 4);
    const LabelDelta d5 = strokeDelta(cur, 5);
    applyLabelDelta(cur, d5);
    LabelJournal(path).append(d5, cur.size());
    replayed = base.clone();
    QCOMPARE(LabelJournal(path).replay(replayed), 5);
    QVERIFY(sameMap(replayed, cur));

    // A journal replayed on another saved state stops with a clear error.
    cv::Mat other(60, 80, CV_8UC1, cv::Scalar(1));
    QVERIFY_THROWS_EXCEPTION(Error, LabelJournal(path).replay(other));
    // Another map size: refused.
    QVERIFY_THROWS_EXCEPTION(Error, LabelJournal(path).append(d5, cv::Size(100, 100)));
    cv::Mat wrong(10, 10, CV_8UC1, cv::Scalar(0));
    QVERIFY_THROWS_EXCEPTION(Error, LabelJournal(path).replay(wrong));
    j.clear();
    QVERIFY(!QFileInfo::exists(path));
    QCOMPARE(j.recordCount(), 0);
}

void TestAnnot::binaryPngRoundTrip()
{
    QTemporaryDir tmp;
    const QString root = makeKvasir(
        tmp.filePath(QStringLiteral("Kvasir-SEG")), { QStringLiteral("a") }, QStringLiteral("png"));
    const QString maskPath = root + QStringLiteral("/masks/a.png");
    const QByteArray originalHash = fileHash(maskPath);
    MaskStore store(openDataset(root));
    QCOMPARE(formatName(store.dataset().format), QStringLiteral("kvasir-seg"));
    const Sample& s = store.dataset().samples.first();
    cv::Mat labels = store.loadGroundTruth(s);
    QCOMPARE(cv::countNonZero(labels > 1), 0);
    labels(cv::Rect(0, 0, 10, 10)).setTo(1);
    labels(cv::Rect(60, 40, 8, 8)).setTo(0);
    QCOMPARE(store.saveToDataset(s, labels), maskPath);
    // The original is kept once; the new file is a lossless 0/255 grey PNG.
    QCOMPARE(fileHash(maskPath + QStringLiteral(".orig")), originalHash);
    const cv::Mat raw = cv::imread(maskPath.toStdString(), cv::IMREAD_UNCHANGED);
    QCOMPARE(raw.type(), CV_8UC1);
    QCOMPARE(cv::countNonZero((raw != 0) & (raw != 255)), 0);
    const Dataset reopened = openDataset(root);
    QVERIFY(sameMap(loadLabels(reopened, reopened.samples.first()), labels));
    // A second save keeps the first backup (the original).
    labels(cv::Rect(20, 20, 5, 5)).setTo(1);
    store.saveToDataset(s, labels);
    QCOMPARE(fileHash(maskPath + QStringLiteral(".orig")), originalHash);
    QVERIFY(sameMap(loadLabels(reopened, reopened.samples.first()), labels));
    QVERIFY(store.hasDatasetBackup(s));
    QVERIFY(store.isEdited(s));
    // Void pixels cannot be stored in a binary mask: refused, nothing written.
    const QByteArray before = fileHash(maskPath);
    labels.at<uchar>(3, 3) = 255;
    QVERIFY_THROWS_EXCEPTION(Error, store.saveToDataset(s, labels));
    QCOMPARE(fileHash(maskPath), before);
}

void TestAnnot::binaryJpegOriginalBecomesPng()
{
    QTemporaryDir tmp;
    const QString root = makeKvasir(tmp.filePath(QStringLiteral("Kvasir-SEG")),
        { QStringLiteral("a"), QStringLiteral("b") }, QStringLiteral("jpg"));
    const QString jpg = root + QStringLiteral("/masks/b.jpg");
    const QByteArray originalHash = fileHash(jpg);
    MaskStore store(openDataset(root));
    const Sample s = store.dataset().samples.at(store.indexOf(QStringLiteral("b")));
    cv::Mat labels = store.loadGroundTruth(s);
    labels(cv::Rect(1, 1, 7, 5)).setTo(1);
    const QString written = store.saveToDataset(s, labels);
    // Never re-encoded as JPEG: a PNG beside it, the JPEG renamed to .orig.
    QCOMPARE(written, root + QStringLiteral("/masks/b.png"));
    QVERIFY(!QFileInfo::exists(jpg));
    QCOMPARE(fileHash(jpg + QStringLiteral(".orig")), originalHash);
    QCOMPARE(store.dataset().samples.at(store.indexOf(QStringLiteral("b"))).maskPath, written);
    QVERIFY(store.isEdited(QStringLiteral("b")));
    QVERIFY(!store.isEdited(QStringLiteral("a")));
    Dataset reopened = openDataset(root);
    QCOMPARE(reopened.problems.size(), 0);
    QCOMPARE(reopened.samples.size(), 2);
    const Sample& rb = reopened.samples.at(1);
    QCOMPARE(rb.maskPath, written);
    QVERIFY(sameMap(loadLabels(reopened, rb), labels));
    QCOMPARE(MaskStore(reopened).editedIds(), QStringList { QStringLiteral("b") });
    // Should both remain (e.g. a crash between the two steps), the PNG is used, without an error.
    QVERIFY(QFile::copy(jpg + QStringLiteral(".orig"), jpg));
    reopened = openDataset(root);
    QCOMPARE(reopened.problems.size(), 0);
    QCOMPARE(reopened.samples.at(1).maskPath, written);
}

void TestAnnot::glasInstanceIds()
{
    QTemporaryDir tmp;
    const QString root = tmp.filePath(QStringLiteral("Warwick QU Dataset (Released 2016_07_08)"));
    const int w = 90, h = 60;
    writeRgb(root + QStringLiteral("/train_1.bmp"), w, h);
    cv::Mat ids(h, w, CV_8UC1, cv::Scalar(0));
    ids(cv::Rect(5, 5, 15, 15)).setTo(1);
    ids(cv::Rect(30, 5, 10, 10)).setTo(2);
    ids(cv::Rect(50, 30, 20, 20)).setTo(7); // ids need not be contiguous
    QVector<QRgb> table;
    for (int i = 0; i < 256; ++i)
        table << qRgb((i * 37) % 256, 255 - i, i);
    const QString anno = root + QStringLiteral("/train_1_anno.bmp");
    writeIndexed(anno, ids, table, "BMP");
    QCOMPARE(QImage(anno).format(), QImage::Format_Indexed8);

    MaskStore store(openDataset(root));
    QCOMPARE(store.dataset().encoding, LabelEncoding::InstanceIds);
    const Sample s = store.dataset().samples.first();
    cv::Mat labels = store.loadGroundTruth(s);
    QCOMPARE(cv::countNonZero(labels), 15 * 15 + 10 * 10 + 20 * 20);
    labels(cv::Rect(30, 5, 10, 10)).setTo(0); // gland 2 erased
    labels(cv::Rect(50, 30, 20, 10)).setTo(0); // half of gland 7 erased
    labels(cv::Rect(20, 8, 4, 4)).setTo(1); // grows gland 1 (touches it)
    labels(cv::Rect(5, 45, 6, 6)).setTo(1); // a new gland
    labels(cv::Rect(80, 2, 5, 5)).setTo(1); // another new gland
    store.saveToDataset(s, labels);

    QVector<QRgb> written;
    const cv::Mat out = readIndices(anno, &written);
    QCOMPARE(QImage(anno).format(), QImage::Format_Indexed8); // still an 8-bit palette BMP
    QCOMPARE(written.mid(0, 256), table);
    QVERIFY(!out.empty());
    cv::Mat expected(h, w, CV_8UC1, cv::Scalar(0));
    expected(cv::Rect(5, 5, 15, 15)).setTo(1);
    expected(cv::Rect(20, 8, 4, 4)).setTo(1);
    expected(cv::Rect(50, 40, 20, 10)).setTo(7);
    expected(cv::Rect(5, 45, 6, 6)).setTo(8); // max + 1, in scan order
    expected(cv::Rect(80, 2, 5, 5)).setTo(9);
    // New components are numbered in connected-component order (top to bottom): check by value.
    QCOMPARE(int(out.at<uchar>(47, 7)) + int(out.at<uchar>(3, 82)), 8 + 9);
    QVERIFY(out.at<uchar>(47, 7) != out.at<uchar>(3, 82));
    expected(cv::Rect(5, 45, 6, 6)).setTo(out.at<uchar>(47, 7));
    expected(cv::Rect(80, 2, 5, 5)).setTo(out.at<uchar>(3, 82));
    QVERIFY(sameMap(out, expected));
    const Dataset reopened = openDataset(root);
    QVERIFY(sameMap(loadLabels(reopened, reopened.samples.first()), labels));
    QCOMPARE(countInstances(reopened, reopened.samples.first()), 4);
    QVERIFY(QFileInfo::exists(anno + QStringLiteral(".orig")));
    // Void cannot be stored in an instance annotation.
    labels.at<uchar>(0, 0) = 255;
    QVERIFY_THROWS_EXCEPTION(Error, store.saveToDataset(s, labels));
}

void TestAnnot::nyuLabelsRoundTrip_data()
{
    QTest::addColumn<int>("depth");
    QTest::newRow("8-bit") << 8;
    QTest::newRow("16-bit") << 16;
}

void TestAnnot::nyuLabelsRoundTrip()
{
    QFETCH(int, depth);
    QTemporaryDir tmp;
    const QString root = tmp.filePath(QStringLiteral("nyudv2"));
    const int w = 64, h = 48;
    writeRgb(root + QStringLiteral("/rgb/nyu_rgb_0001.png"), w, h);
    cv::Mat raw8(h, w, CV_8UC1);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            raw8.at<uchar>(y, x) = uchar((x / 8 + y / 8 * 8) % 41); // 0 = void, 1..40
    cv::Mat raw;
    raw8.convertTo(raw, depth == 16 ? CV_16UC1 : CV_8UC1);
    const QString labelPath = root + QStringLiteral("/test_labels_40/new_nyu_class40_0001.png");
    QDir().mkpath(QFileInfo(labelPath).absolutePath());
    QVERIFY(cv::imwrite(labelPath.toStdString(), raw));

    MaskStore store(openDataset(root));
    QCOMPARE(formatName(store.dataset().format), QStringLiteral("nyudv2-labels"));
    QCOMPARE(store.dataset().numClasses(), 40);
    const Sample s = store.dataset().samples.first();
    cv::Mat labels = store.loadGroundTruth(s);
    QCOMPARE(int(labels.at<uchar>(0, 0)), 255); // raw 0
    QCOMPARE(int(labels.at<uchar>(0, 8)), 0); // raw 1
    labels(cv::Rect(0, 0, 10, 10)).setTo(39);
    labels(cv::Rect(20, 20, 6, 6)).setTo(255);
    store.saveToDataset(s, labels);
    const cv::Mat back = cv::imread(labelPath.toStdString(), cv::IMREAD_UNCHANGED);
    QCOMPARE(back.type(), depth == 16 ? CV_16UC1 : CV_8UC1);
    cv::Mat back16, expected16;
    back.convertTo(back16, CV_16UC1);
    cv::Mat l16;
    labels.convertTo(l16, CV_16UC1);
    expected16 = l16 + 1;
    expected16.setTo(0, labels == 255);
    QCOMPARE(cv::countNonZero(back16 != expected16), 0);
    const Dataset reopened = openDataset(root);
    QVERIFY(sameMap(loadLabels(reopened, reopened.samples.first()), labels));
}

void TestAnnot::paletteRoundTrip()
{
    QTemporaryDir tmp;
    const QString root = tmp.filePath(QStringLiteral("custom"));
    const int w = 40, h = 30;
    writeRgb(root + QStringLiteral("/images/x1.png"), w, h);
    cv::Mat idx(h, w, CV_8UC1, cv::Scalar(0));
    idx(cv::Rect(0, 0, 20, 15)).setTo(1);
    idx(cv::Rect(20, 15, 20, 15)).setTo(2);
    idx(cv::Rect(10, 10, 5, 5)).setTo(3);
    idx(cv::Rect(30, 0, 10, 5)).setTo(255);
    QVector<QRgb> table = { qRgb(0, 0, 0), qRgb(200, 0, 0), qRgb(0, 200, 0), qRgb(0, 0, 200) };
    table.resize(256);
    table[255] = qRgb(255, 255, 255);
    writeIndexed(root + QStringLiteral("/masks/x1.png"), idx, table, "PNG");
    writeClassesJson(root + QStringLiteral("/classes.json"),
        { QStringLiteral("bg"), QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c") },
        { QColor(0, 0, 0), QColor(200, 0, 0), QColor(0, 200, 0), QColor(0, 0, 200) });
    MaskStore store(openDataset(root));
    QCOMPARE(formatName(store.dataset().format), QStringLiteral("generic"));
    const Sample s = store.dataset().samples.first();
    cv::Mat labels = store.loadGroundTruth(s);
    QVERIFY(sameMap(labels, idx));
    labels(cv::Rect(0, 20, 8, 8)).setTo(3);
    labels(cv::Rect(0, 0, 3, 3)).setTo(255);
    store.saveToDataset(s, labels);
    QVector<QRgb> written;
    const cv::Mat back = readIndices(root + QStringLiteral("/masks/x1.png"), &written);
    QCOMPARE(QImage(root + QStringLiteral("/masks/x1.png")).format(), QImage::Format_Indexed8);
    QVERIFY(sameMap(back, labels));
    QCOMPARE(written.mid(0, 4), table.mid(0, 4));
    const Dataset reopened = openDataset(root);
    QVERIFY(sameMap(loadLabels(reopened, reopened.samples.first()), labels));
}

void TestAnnot::correctionsOverlay()
{
    QTemporaryDir tmp;
    const QString root = makeKvasir(tmp.filePath(QStringLiteral("data/Kvasir-SEG")),
        { QStringLiteral("p1"), QStringLiteral("p2") }, QStringLiteral("jpg"), 64, 64);
    QHash<QString, QByteArray> hashes;
    for (const QString& f : QDir(root + QStringLiteral("/masks")).entryList(QDir::Files))
        hashes.insert(f, fileHash(root + QStringLiteral("/masks/") + f));
    {
        MaskStore store(openDataset(root));
        QCOMPARE(store.correctionsDir(), QDir::cleanPath(root) + QStringLiteral(".corrections"));
        QCOMPARE(store.editedCount(), 0);
        const Sample s = store.dataset().samples.at(store.indexOf(QStringLiteral("p2")));
        MaskSession session(store, s);
        QCOMPARE(session.source(), LabelSource::GroundTruth);
        cv::Mat after = session.labels().clone();
        after(cv::Rect(2, 2, 10, 10)).setTo(1);
        after(cv::Rect(40, 40, 6, 6)).setTo(255); // void is kept in corrections
        session.commit(makeLabelDelta(session.labels(), after));
        QVERIFY(store.isEdited(s)); // unsaved strokes count as edited
        const QString file = session.save();
        QCOMPARE(file, store.correctionsDir() + QStringLiteral("/labels/p2.png"));
        QVERIFY(QFileInfo::exists(store.manifestPath()));
        QVERIFY(!store.hasJournal(s));
        QCOMPARE(QImage(file).format(), QImage::Format_Indexed8);
    }
    // The dataset's files are untouched; the folder beside it is not taken for a dataset.
    QCOMPARE(QDir(root + QStringLiteral("/masks")).entryList(QDir::Files).size(), hashes.size());
    for (auto it = hashes.constBegin(); it != hashes.constEnd(); ++it)
        QCOMPARE(fileHash(root + QStringLiteral("/masks/") + it.key()), it.value());
    Dataset ds = openDataset(tmp.filePath(QStringLiteral("data")));
    QCOMPARE(QDir::cleanPath(ds.root), QDir::cleanPath(root));
    QCOMPARE(ds.problems.size(), 0);

    MaskStore store(ds);
    QCOMPARE(store.editedIds(), QStringList { QStringLiteral("p2") });
    const Sample& p2 = ds.samples.at(store.indexOf(QStringLiteral("p2")));
    LabelSource source;
    const cv::Mat saved = store.loadSaved(p2, &source);
    QCOMPARE(source, LabelSource::Correction);
    QCOMPARE(int(saved.at<uchar>(42, 42)), 255);
    QCOMPARE(int(saved.at<uchar>(3, 3)), 1);
    const cv::Mat original = loadLabels(ds, p2);
    QVERIFY(!sameMap(saved, original));

    // Training with corrections: the corrected map replaces the original when labels are decoded.
    QCOMPARE(applyCorrections(ds, store.correctionsDir()), 1);
    QVERIFY(sameMap(loadLabels(ds, ds.samples.at(store.indexOf(QStringLiteral("p2")))), saved));
    QVERIFY(sameMap(loadLabels(ds, ds.samples.at(store.indexOf(QStringLiteral("p1")))),
        store.loadGroundTruth(ds.samples.at(store.indexOf(QStringLiteral("p1"))))));
    const SampleCache cache(ds, 64, 1 << 20);
    QVERIFY(sameMap(cache.get(store.indexOf(QStringLiteral("p2"))).labels, saved));
    QVERIFY_THROWS_EXCEPTION(Error, applyCorrections(ds, tmp.filePath(QStringLiteral("nothing"))));

    // Removing the correction reverts to the ground truth.
    store.removeCorrection(p2);
    QCOMPARE(store.editedCount(), 0);
    QVERIFY(!QFileInfo::exists(store.correctionsDir() + QStringLiteral("/labels/p2.png")));
    QCOMPARE(MaskStore(openDataset(root)).editedCount(), 0);
}

void TestAnnot::projectStates()
{
    QTemporaryDir tmp;
    const QString root = makeKvasir(tmp.filePath(QStringLiteral("K")),
        { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c") }, QStringLiteral("png"), 48, 48);
    MaskStore store(openDataset(root), tmp.filePath(QStringLiteral("my-corrections")));
    QCOMPARE(store.correctionsDir(), QDir::cleanPath(tmp.filePath(QStringLiteral("my-corrections"))));
    QMap<QString, ProjectImageState> images;
    images[QStringLiteral("a")].reviewed = true;
    QVERIFY(!store.syncEditedStates(&images));
    QCOMPARE(images.size(), 1);
    const Sample b = store.dataset().samples.at(1);
    cv::Mat labels = store.loadGroundTruth(b);
    labels.at<uchar>(0, 0) = 1;
    store.saveCorrection(b, labels);
    QVERIFY(store.syncEditedStates(&images));
    QCOMPARE(images.size(), 2);
    QVERIFY(images[QStringLiteral("b")].edited);
    QVERIFY(!images[QStringLiteral("b")].reviewed);
    QVERIFY(images[QStringLiteral("a")].reviewed && !images[QStringLiteral("a")].edited);
    QVERIFY(!store.syncEditedStates(&images));
    store.removeCorrection(b);
    QVERIFY(store.syncEditedStates(&images));
    QCOMPARE(images.keys(), QStringList { QStringLiteral("a") });
}

void TestAnnot::journalRecovery()
{
    QTemporaryDir tmp;
    const QString root
        = makeKvasir(tmp.filePath(QStringLiteral("K")), { QStringLiteral("a") }, QStringLiteral("png"));
    MaskStore store(openDataset(root));
    const Sample s = store.dataset().samples.first();
    cv::Mat expected;
    {
        MaskSession session(store, s);
        QVERIFY(!session.isDirty());
        QVector<LabelDelta> strokes;
        for (int k = 1; k <= 4; ++k) {
            strokes << strokeDelta(session.labels(), k);
            session.commit(strokes.last());
        }
        session.commitUndo(strokes.last()); // undo
        session.commitUndo(strokes.at(2)); // undo
        session.commit(strokes.at(2)); // redo
        QVERIFY(session.isDirty());
        expected = session.labels().clone();
        // No save: the session ends as in a crash.
    }
    QVERIFY(store.hasJournal(s));
    QVERIFY(store.isEdited(s));
    {
        MaskSession session(store, s);
        QCOMPARE(session.recoveredStrokes(), 7);
        QVERIFY(session.recoveryProblem().isEmpty());
        QVERIFY(session.isDirty());
        QVERIFY(sameMap(session.labels(), expected));
        QVERIFY(session.saveIfDirty());
        QVERIFY(!session.saveIfDirty());
    }
    QVERIFY(!store.hasJournal(s));
    {
        MaskSession session(store, s);
        QCOMPARE(session.recoveredStrokes(), 0);
        QCOMPARE(session.source(), LabelSource::Correction);
        QVERIFY(sameMap(session.labels(), expected));
        session.commit(strokeDelta(session.labels(), 9));
    }
    // The saved state changed behind the journal's back: the journal is set aside, not misapplied.
    cv::Mat other = expected.clone();
    other.setTo(0);
    store.saveCorrection(s, other);
    {
        MaskSession session(store, s);
        QCOMPARE(session.recoveredStrokes(), 0);
        QVERIFY(!session.recoveryProblem().isEmpty());
        QVERIFY(sameMap(session.labels(), other));
        QVERIFY(QFileInfo::exists(store.journalPath(s) + QStringLiteral(".stale")));
        QVERIFY(!store.hasJournal(s));
        // Discarding drops unsaved strokes.
        session.commit(strokeDelta(session.labels(), 10));
        session.discard();
        QVERIFY(sameMap(session.labels(), other));
        QVERIFY(!store.hasJournal(s));
    }
}

void TestAnnot::startFromPrediction()
{
    QTemporaryDir tmp;
    const QString root = makeKvasir(
        tmp.filePath(QStringLiteral("K")), { QStringLiteral("a") }, QStringLiteral("png"), 32, 24);
    MaskStore store(openDataset(root));
    const Sample s = store.dataset().samples.first();
    MaskSession session(store, s);
    const cv::Mat gt = session.labels().clone();
    cv::Mat prediction(24, 32, CV_8UC1, cv::Scalar(0));
    prediction(cv::Rect(3, 3, 9, 9)).setTo(1);
    const LabelDelta d = session.startFrom(LabelSource::Prediction, prediction);
    QVERIFY(sameMap(session.labels(), prediction));
    QCOMPARE(session.source(), LabelSource::Prediction);
    cv::Mat undone = session.labels().clone();
    revertLabelDelta(undone, d);
    QVERIFY(sameMap(undone, gt));
    session.startFrom(LabelSource::Empty);
    QCOMPARE(cv::countNonZero(session.labels()), 0);
    session.startFrom(LabelSource::GroundTruth);
    QVERIFY(sameMap(session.labels(), gt));
    QVERIFY_THROWS_EXCEPTION(Error, session.startFrom(LabelSource::Prediction, cv::Mat(10, 10, CV_8UC1)));
    cv::Mat badClass = prediction.clone();
    badClass.at<uchar>(0, 0) = 7;
    QVERIFY_THROWS_EXCEPTION(Error, session.startFrom(LabelSource::Prediction, badClass));
    QCOMPARE(session.recoveredStrokes(), 0);
}

void TestAnnot::crashWhileEditing()
{
    QTemporaryDir tmp;
    const QString root
        = makeKvasir(tmp.filePath(QStringLiteral("K")), { QStringLiteral("a") }, QStringLiteral("png"));
    const Dataset ds = openDataset(root);
    QRandomGenerator rng(20261124);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("MASKSUP_ANNOT_CHILD"), root);
    int lastReported = 0;
    for (int round = 0; round < 5; ++round) {
        QProcess child;
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::SeparateChannels);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY2(child.waitForStarted(10000), qPrintable(child.errorString()));
        const int wanted = int(rng.bounded(2, 12));
        int seen = 0;
        QByteArray pending;
        while (seen < wanted) {
            if (!child.canReadLine() && !child.waitForReadyRead(10000))
                QFAIL(qPrintable(QStringLiteral("child stopped: %1")
                                     .arg(QString::fromLocal8Bit(child.readAllStandardError()))));
            while (child.canReadLine()) {
                const QByteArray line = child.readLine().trimmed();
                if (line.startsWith("stroke ")) {
                    lastReported = line.mid(7).toInt();
                    ++seen;
                } else if (line.startsWith("start ")) {
                    QVERIFY(line.mid(6).toInt() >= lastReported);
                }
            }
        }
        // Killed at once, or a few milliseconds later (possibly inside a write).
        if (round % 2 == 1)
            QThread::usleep(rng.bounded(0, 8000));
        child.kill(); // SIGKILL
        child.waitForFinished(10000);
        while (child.canReadLine()) {
            const QByteArray line = child.readLine().trimmed();
            if (line.startsWith("stroke "))
                lastReported = line.mid(7).toInt();
        }
        MaskStore store(ds);
        MaskSession session(store, ds.samples.first());
        QVERIFY2(session.recoveryProblem().isEmpty(), qPrintable(session.recoveryProblem()));
        const int recovered = session.recoveredStrokes();
        QVERIFY2(recovered == lastReported || recovered == lastReported + 1,
            qPrintable(QStringLiteral("recovered %1 strokes, the child reported %2")
                           .arg(recovered)
                           .arg(lastReported)));
        cv::Mat expected = store.loadGroundTruth(ds.samples.first());
        for (int k = 1; k <= recovered; ++k)
            applyLabelDelta(expected, strokeDelta(expected, k));
        QVERIFY(sameMap(session.labels(), expected));
        lastReported = recovered;
    }
    // Nothing is corrupted: saving and reopening gives the same map.
    MaskStore store(ds);
    cv::Mat final;
    {
        MaskSession session(store, ds.samples.first());
        final = session.labels().clone();
        session.save();
    }
    MaskSession reopened(store, ds.samples.first());
    QCOMPARE(reopened.recoveredStrokes(), 0);
    QVERIFY(sameMap(reopened.labels(), final));
}

void TestAnnot::cliCorrectionsList()
{
    const QString cli = QStringLiteral(MASKSUP_CLI);
    if (!QFileInfo(cli).isExecutable())
        QSKIP("the masksup command-line tool is not built");
    QTemporaryDir tmp;
    const QString root = makeKvasir(tmp.filePath(QStringLiteral("K")),
        { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c") }, QStringLiteral("png"), 64, 48);
    {
        MaskStore store(openDataset(root));
        const Sample c = store.dataset().samples.at(2);
        cv::Mat labels = store.loadGroundTruth(c);
        labels.at<uchar>(0, 0) = 255;
        store.saveCorrection(c, labels);
        MaskSession session(store, store.dataset().samples.at(0));
        session.commit(strokeDelta(session.labels(), 1)); // unsaved: edited too
    }
    QProcess p;
    p.start(cli, { QStringLiteral("corrections"), QStringLiteral("list"), root });
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(QString::fromUtf8(p.readAllStandardOutput()), QStringLiteral("a\nc\n"));
}

namespace {
bool copyFolder(const QString& from, const QString& to)
{
    QDir().mkpath(to);
    for (const QFileInfo& fi : QDir(from).entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QString target = QDir(to).filePath(fi.fileName());
        if (fi.isDir() ? !copyFolder(fi.absoluteFilePath(), target)
                       : !QFile::copy(fi.absoluteFilePath(), target))
            return false;
    }
    return true;
}
} // namespace

// The real samples in shared/: Kvasir-SEG's JPEG masks and the RefineNet NYUDv2 palette masks.
void TestAnnot::realSamplesRoundTrip()
{
    const QString shared = msup::test::sharedDir(QStringLiteral("datasets"));
    const QString kvasir = shared + QStringLiteral("/kvasir-seg/Kvasir-SEG");
    const QString nyu = shared + QStringLiteral("/nyudv2/light-weight-refinenet/examples/imgs/NYU");
    if (!QFileInfo(kvasir).isDir() || !QFileInfo(nyu).isDir())
        QSKIP("the shared dataset samples are not present");
    QTemporaryDir tmp;
    QVERIFY(copyFolder(kvasir, tmp.filePath(QStringLiteral("Kvasir-SEG"))));
    QVERIFY(copyFolder(nyu, tmp.filePath(QStringLiteral("NYU"))));
    {
        MaskStore store(openDataset(tmp.filePath(QStringLiteral("Kvasir-SEG"))));
        const Sample s = store.dataset().samples.first();
        QVERIFY(s.maskPath.endsWith(QLatin1String(".jpg")));
        cv::Mat labels = store.loadGroundTruth(s);
        cv::Mat edited = labels.clone();
        edited(cv::Rect(10, 10, 50, 40)).setTo(1);
        edited(cv::Rect(100, 100, 30, 30)).setTo(0);
        edited(cv::Rect(0, 0, 5, 5)).setTo(255);
        store.saveCorrection(s, edited);
        QVERIFY(
            sameMap(MaskStore(openDataset(tmp.filePath(QStringLiteral("Kvasir-SEG")))).loadSaved(s), edited));
        edited(cv::Rect(0, 0, 5, 5)).setTo(0);
        const QString png = store.saveToDataset(s, edited);
        QVERIFY(png.endsWith(QLatin1String(".png")));
        QVERIFY(!store.hasCorrection(s)); // the dataset holds the edit now
        const Dataset reopened = openDataset(tmp.filePath(QStringLiteral("Kvasir-SEG")));
        QCOMPARE(reopened.samples.size(), 3);
        QCOMPARE(reopened.samples.first().maskPath, png);
        QVERIFY(sameMap(loadLabels(reopened, reopened.samples.first()), edited));
    }
    {
        MaskStore store(openDataset(tmp.filePath(QStringLiteral("NYU"))));
        QCOMPARE(formatName(store.dataset().format), QStringLiteral("scene-labels"));
        const Sample s = store.dataset().samples.first();
        QVector<QRgb> tableBefore;
        readIndices(s.maskPath, &tableBefore);
        cv::Mat edited = store.loadGroundTruth(s);
        edited(cv::Rect(20, 20, 40, 30)).setTo(5);
        edited(cv::Rect(200, 100, 10, 10)).setTo(255);
        store.saveToDataset(s, edited);
        QVector<QRgb> tableAfter;
        QVERIFY(sameMap(readIndices(s.maskPath, &tableAfter), edited));
        QCOMPARE(tableAfter.mid(0, tableBefore.size()), tableBefore);
        const Dataset reopened = openDataset(tmp.filePath(QStringLiteral("NYU")));
        QVERIFY(sameMap(loadLabels(reopened, reopened.samples.first()), edited));
    }
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet("MASKSUP_ANNOT_CHILD"))
        return runCrashChild();
    TestAnnot test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_annot.moc"
