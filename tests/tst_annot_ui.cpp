// The mask editor: the editing operations on label maps (exact pixels, hand-checked), and the
// AnnotationCanvas / AnnotationPanel driven by mouse and key events (offscreen): brush, eraser,
// flood fill, polygon and lasso, fill holes, undo / redo, zoom, and with a MaskStore save / reload
// and a killed editor's crash journal. Storage formats themselves are tested in tst_annot.
#include "core/annot/mask_ops.h"
#include "core/annot/mask_store.h"
#include "core/data/dataset.h"
#include "core/data/synth.h"
#include "tests/support/fixtures.h"
#include "ui/annotation_canvas.h"
#include "ui/annotation_panel.h"

#include <QAction>
#include <QApplication>
#include <QProcess>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <opencv2/imgproc.hpp>

#include <cstdio>

using namespace msup;
using namespace msup::ui;

namespace {

// Where two maps first differ, or an empty string.
QString firstDifference(const cv::Mat& actual, const cv::Mat& expected)
{
    if (actual.size() != expected.size() || actual.type() != expected.type())
        return QStringLiteral("size or type differs");
    for (int y = 0; y < actual.rows; ++y)
        for (int x = 0; x < actual.cols; ++x)
            if (actual.at<uchar>(y, x) != expected.at<uchar>(y, x))
                return QStringLiteral("(%1, %2): %3, expected %4")
                    .arg(x)
                    .arg(y)
                    .arg(actual.at<uchar>(y, x))
                    .arg(expected.at<uchar>(y, x));
    return {};
}

#define COMPARE_MAPS(actual, expected)                                                                       \
    do {                                                                                                     \
        const QString d_ = firstDifference((actual), (expected));                                            \
        QVERIFY2(d_.isEmpty(), qPrintable(d_));                                                              \
    } while (false)

// A map from rows of characters: '.' = 0, '#' = 255, digits = classes.
cv::Mat mapOf(const QStringList& rows)
{
    cv::Mat m(int(rows.size()), int(rows.front().size()), CV_8UC1);
    for (int y = 0; y < m.rows; ++y)
        for (int x = 0; x < m.cols; ++x) {
            const QChar c = rows[y][x];
            m.at<uchar>(y, x) = c == QLatin1Char('.') ? 0
                : c == QLatin1Char('#')               ? 255
                                                      : uchar(c.digitValue());
        }
    return m;
}

QImage testImage(int w, int h)
{
    QImage image(w, h, QImage::Format_RGB32);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            image.setPixel(x, y, qRgb((x * 7) % 256, (y * 11) % 256, 90));
    return image;
}

// Mouse input in image pixels.
void press(AnnotationCanvas* c, QPoint pixel, Qt::MouseButton b = Qt::LeftButton)
{
    QTest::mousePress(c, b, Qt::NoModifier, c->widgetPointForPixel(pixel));
}
void moveTo(AnnotationCanvas* c, QPoint pixel)
{
    QTest::mouseMove(c, c->widgetPointForPixel(pixel));
}
void release(AnnotationCanvas* c, QPoint pixel, Qt::MouseButton b = Qt::LeftButton)
{
    QTest::mouseRelease(c, b, Qt::NoModifier, c->widgetPointForPixel(pixel));
}
void click(AnnotationCanvas* c, QPoint pixel)
{
    press(c, pixel);
    release(c, pixel);
}
void drag(AnnotationCanvas* c, const QVector<QPoint>& pixels)
{
    press(c, pixels.front());
    for (int i = 1; i < pixels.size(); ++i)
        moveTo(c, pixels[i]);
    release(c, pixels.back());
}

QAction* actionNamed(QWidget* w, const QString& text)
{
    for (QAction* a : w->actions())
        if (a->text() == text)
            return a;
    return nullptr;
}

constexpr const char* kCrashChildEnv = "MASKSUP_ANNOT_CRASH_CHILD";
constexpr int kCrashStrokes = 40;

// The strokes the crash child paints: short horizontal drags of class 1, radius 1, one per row
// band, so every stroke leaves its own pixels.
QVector<QPoint> crashStroke(int i)
{
    return { QPoint(2 + (i % 4) * 7, 2 + (i / 4) * 3), QPoint(6 + (i % 4) * 7, 2 + (i / 4) * 3) };
}

cv::Mat expectedAfterStrokes(cv::Mat base, int strokes)
{
    for (int i = 0; i < strokes; ++i) {
        const QVector<QPoint> s = crashStroke(i);
        paintBrushSegment(base, cv::Point(s[0].x(), s[0].y()), cv::Point(s[1].x(), s[1].y()), 1, 1);
    }
    return base;
}

// Writes a small binary dataset (Kvasir-SEG layout) and opens it.
Dataset makeDataset(const QString& dir, int count = 2, int size = 32)
{
    return openDataset(msup::test::writeTinyDataset(dir, SynthKind::Glands, count, size, 1));
}

} // namespace

class TestAnnotUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // operations
    void brushDab_data();
    void brushDab();
    void brushSegmentLine();
    void brushClipsAtBorder();
    void floodFill();
    void polygonFill_data();
    void polygonFill();
    void fillHoles();
    void mergeDeltas();
    void bigMapTouchesOnlyTheBox();
    // editor
    void brushStrokeUndoRedo();
    void eraser();
    void floodFillClick();
    void polygonClicksAndLasso();
    void fillHolesAction();
    void shortcutsAndSize();
    void zoomKeepsPixelsExact();
    void overlayDisplay();
    void startFrom();
    // with the store
    void saveAndReload();
    void startUneditedImages();
    void crashKeepsEveryStrokeButTheLast();
};

// --- operations -------------------------------------------------------------------------------

void TestAnnotUi::brushDab_data()
{
    QTest::addColumn<int>("radius");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("r0") << 0 << QStringList { ".....", ".....", "..1..", ".....", "....." };
    QTest::newRow("r1") << 1 << QStringList { ".....", ".111.", ".111.", ".111.", "....." };
    QTest::newRow("r2") << 2 << QStringList { ".111.", "11111", "11111", "11111", ".111." };
}

void TestAnnotUi::brushDab()
{
    QFETCH(int, radius);
    QFETCH(QStringList, expected);
    cv::Mat m(5, 5, CV_8UC1, cv::Scalar(0));
    const LabelDelta d = paintBrushSegment(m, { 2, 2 }, { 2, 2 }, radius, 1);
    COMPARE_MAPS(m, mapOf(expected));
    QCOMPARE(d.rect, cv::Rect(2 - radius, 2 - radius, 2 * radius + 1, 2 * radius + 1));
    revertLabelDelta(m, d);
    QCOMPARE(cv::countNonZero(m), 0);
}

void TestAnnotUi::brushSegmentLine()
{
    // Radius 0 from (1,1) to (8,4): the pixels nearest the line y = 1 + 3(x-1)/7, 8-connected.
    cv::Mat m(6, 10, CV_8UC1, cv::Scalar(0));
    const LabelDelta d = paintBrushSegment(m, { 1, 1 }, { 8, 4 }, 0, 2);
    COMPARE_MAPS(
        m, mapOf({ "..........", ".22.......", "...22.....", ".....22...", ".......22.", ".........." }));
    QCOMPARE(d.rect, cv::Rect(1, 1, 8, 4));
    // Radius 1 horizontally: a 3-pixel band with square ends.
    cv::Mat band(5, 8, CV_8UC1, cv::Scalar(0));
    paintBrushSegment(band, { 2, 2 }, { 5, 2 }, 1, 3);
    COMPARE_MAPS(band, mapOf({ "........", ".333333.", ".333333.", ".333333.", "........" }));
    // Painting the same class again changes nothing: empty delta.
    QVERIFY(paintBrushSegment(band, { 2, 2 }, { 5, 2 }, 1, 3).isEmpty());
    // The mask helper agrees with the painted pixels.
    cv::Point origin;
    const cv::Mat mask = brushSegmentMask({ 2, 2 }, { 5, 2 }, 1, &origin);
    QCOMPARE(origin, cv::Point(1, 1));
    QCOMPARE(cv::countNonZero(mask), 18);
}

void TestAnnotUi::brushClipsAtBorder()
{
    cv::Mat m(5, 5, CV_8UC1, cv::Scalar(0));
    const LabelDelta d = paintBrushSegment(m, { 0, 0 }, { 0, 0 }, 2, 255);
    // A quarter of the radius-2 disc: x, y >= 0 with x² + y² <= 6.25.
    COMPARE_MAPS(m, mapOf({ "###..", "###..", "##...", ".....", "....." }));
    QCOMPARE(d.rect, cv::Rect(0, 0, 3, 3));
    // Entirely outside: nothing.
    QVERIFY(paintBrushSegment(m, { -10, -10 }, { -8, -9 }, 2, 1).isEmpty());
}

void TestAnnotUi::floodFill()
{
    cv::Mat m = mapOf({ "..1..", "..1..", "111..", ".1...", "1.1.." });
    // Regions of 0: the top-left 2×2 square, the right band (reaching (2,3)), and two single
    // pixels (0,3) and (1,4) that touch others only diagonally.
    const cv::Mat before = m.clone();
    const LabelDelta d = floodFillLabels(m, { 0, 0 }, 2);
    COMPARE_MAPS(m, mapOf({ "221..", "221..", "111..", ".1...", "1.1.." }));
    QCOMPARE(d.rect, cv::Rect(0, 0, 2, 2));
    revertLabelDelta(m, d);
    COMPARE_MAPS(m, before);
    // The right band, (2,3) included; the single pixels stay.
    floodFillLabels(m, { 4, 4 }, 3);
    COMPARE_MAPS(m, mapOf({ "..133", "..133", "11133", ".1333", "1.133" }));
    // The 4-connected 1s reached from (2,0); (0,4) and (2,4) touch them only diagonally.
    floodFillLabels(m, { 2, 0 }, 4);
    COMPARE_MAPS(m, mapOf({ "..433", "..433", "44433", ".4333", "1.133" }));
    // Seed outside or same class: nothing.
    QVERIFY(floodFillLabels(m, { 9, 9 }, 1).isEmpty());
    QVERIFY(floodFillLabels(m, { 4, 0 }, 3).isEmpty());
}

void TestAnnotUi::polygonFill_data()
{
    QTest::addColumn<QVector<QPoint>>("polygon");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("rectangle") << QVector<QPoint> { { 1, 1 }, { 6, 1 }, { 6, 4 },
        { 1, 4 } } << QStringList { "........", ".111111.", ".111111.", ".111111.", ".111111.", "........" };
    QTest::newRow("triangle") << QVector<QPoint> { { 0, 0 }, { 4, 0 },
        { 0, 4 } } << QStringList { "11111...", "1111....", "111.....", "11......", "1.......", "........" };
    QTest::newRow("point") << QVector<QPoint> { { 3,
        2 } } << QStringList { "........", "........", "...1....", "........", "........", "........" };
    QTest::newRow("line") << QVector<QPoint> { { 1, 1 },
        { 5, 3 } } << QStringList { "........", ".11.....", "...11...", ".....1..", "........", "........" };
    QTest::newRow("clipped") << QVector<QPoint> { { -3, -3 }, { 2, -3 }, { 2, 1 },
        { -3, 1 } } << QStringList { "111.....", "111.....", "........", "........", "........", "........" };
}

void TestAnnotUi::polygonFill()
{
    QFETCH(QVector<QPoint>, polygon);
    QFETCH(QStringList, expected);
    std::vector<cv::Point> points;
    for (const QPoint& p : polygon)
        points.emplace_back(p.x(), p.y());
    cv::Mat m(6, 8, CV_8UC1, cv::Scalar(0));
    const LabelDelta d = fillPolygonLabels(m, points, 1);
    COMPARE_MAPS(m, mapOf(expected));
    revertLabelDelta(m, d);
    QCOMPARE(cv::countNonZero(m), 0);
}

void TestAnnotUi::fillHoles()
{
    // A ring of 1 around two holes, a ring of 2 around one, a bay of 0 open to the border (column 5:
    // not filled), a hole of 3 next to void (not filled).
    const cv::Mat original = mapOf({
        "..........",
        ".1111.222.",
        ".1..1.2.2.",
        ".1111.222.",
        ".1.1......",
        ".111..#3#.",
        "......#.3.",
        "......333.",
    });
    cv::Mat m = original.clone();
    const LabelDelta d1 = fillHolesLabels(m, 1);
    COMPARE_MAPS(m,
        mapOf({
            "..........",
            ".1111.222.",
            ".1111.2.2.",
            ".1111.222.",
            ".111......",
            ".111..#3#.",
            "......#.3.",
            "......333.",
        }));
    QCOMPARE(d1.rect, cv::Rect(2, 2, 2, 3));
    m = original.clone();
    fillHolesLabels(m, -1);
    COMPARE_MAPS(m,
        mapOf({
            "..........",
            ".1111.222.",
            ".1111.222.",
            ".1111.222.",
            ".111......",
            ".111..#3#.",
            "......#.3.",
            "......333.",
        }));
    // Nothing to fill for class 3 (its hole touches void), background or void.
    m = original.clone();
    QVERIFY(fillHolesLabels(m, 3).isEmpty());
    QVERIFY(fillHolesLabels(m, 0).isEmpty());
    QVERIFY(fillHolesLabels(m, 255).isEmpty());
    QVERIFY(fillHolesLabels(m, 7).isEmpty());
    // A hole bordered by two classes stays.
    cv::Mat mixed = mapOf({ ".....", ".121.", ".1.2.", ".121.", "....." });
    QVERIFY(fillHolesLabels(mixed, -1).isEmpty());
    QVERIFY(fillHolesLabels(mixed, 1).isEmpty());
}

void TestAnnotUi::mergeDeltas()
{
    cv::Mat m(10, 10, CV_8UC1, cv::Scalar(0));
    m.at<uchar>(5, 5) = 4;
    const cv::Mat original = m.clone();
    std::vector<LabelDelta> deltas;
    deltas.push_back(paintBrushSegment(m, { 3, 3 }, { 5, 5 }, 1, 1));
    deltas.push_back(paintBrushSegment(m, { 5, 5 }, { 7, 5 }, 1, 2));
    deltas.push_back(paintBrushSegment(m, { 7, 5 }, { 7, 5 }, 0, 0));
    const LabelDelta merged = mergeLabelDeltas(m, deltas);
    QCOMPARE(merged.rect, cv::Rect(2, 2, 7, 5));
    cv::Mat undone = m.clone();
    revertLabelDelta(undone, merged);
    COMPARE_MAPS(undone, original);
    applyLabelDelta(undone, merged);
    COMPARE_MAPS(undone, m);
    // A stroke that ends where it started leaves no delta.
    cv::Mat z(6, 6, CV_8UC1, cv::Scalar(0));
    std::vector<LabelDelta> back { paintBrushSegment(z, { 2, 2 }, { 2, 2 }, 0, 1),
        paintBrushSegment(z, { 2, 2 }, { 2, 2 }, 0, 0) };
    QVERIFY(mergeLabelDeltas(z, back).isEmpty());
}

void TestAnnotUi::bigMapTouchesOnlyTheBox()
{
    // 4096×4096: a dab's delta is its box; a flood fill of a small region is that region's box.
    cv::Mat m(4096, 4096, CV_8UC1, cv::Scalar(0));
    const LabelDelta dab = paintBrushSegment(m, { 4000, 100 }, { 4010, 100 }, 10, 1);
    QCOMPARE(dab.rect, cv::Rect(3990, 90, 31, 21));
    cv::rectangle(m, cv::Rect(100, 100, 20, 20), cv::Scalar(2), 1);
    const LabelDelta fill = floodFillLabels(m, { 110, 110 }, 3);
    QCOMPARE(fill.rect, cv::Rect(101, 101, 18, 18));
    QCOMPARE(cv::countNonZero(fill.after == 3), 18 * 18);
}

// --- editor -----------------------------------------------------------------------------------

namespace {
struct Editor {
    explicit Editor(int w = 40, int h = 30,
        const QStringList& classes
        = { QStringLiteral("background"), QStringLiteral("a"), QStringLiteral("b") })
    {
        panel.resize(1000, 700);
        panel.setClasses(classes, {});
        panel.setAutosaveInterval(0);
        panel.setSample(testImage(w, h), QStringLiteral("s1"));
        panel.show();
        canvas = panel.canvas();
    }
    AnnotationPanel panel;
    AnnotationCanvas* canvas = nullptr;
};
} // namespace

void TestAnnotUi::brushStrokeUndoRedo()
{
    Editor e;
    QVERIFY(QTest::qWaitForWindowExposed(&e.panel));
    QVERIFY(e.canvas->scale() > 4); // fitted: a 40×30 image is enlarged
    for (const QPoint p : { QPoint(0, 0), QPoint(39, 29), QPoint(17, 4) })
        QCOMPARE(e.canvas->pixelAt(e.canvas->widgetPointForPixel(p)), p);
    QSignalSpy edited(&e.panel, &AnnotationPanel::edited);
    e.canvas->setTool(AnnotationTool::Brush);
    e.canvas->setBrushRadius(1);
    e.canvas->setCurrentClass(1);
    drag(e.canvas, { QPoint(5, 5), QPoint(8, 5), QPoint(12, 5), QPoint(15, 5) });
    cv::Mat expected(30, 40, CV_8UC1, cv::Scalar(0));
    expected(cv::Rect(4, 4, 13, 3)).setTo(1);
    COMPARE_MAPS(e.panel.labels(), expected);
    // One drag, one undo command.
    QCOMPARE(e.panel.undoStack()->count(), 1);
    QCOMPARE(e.panel.undoStack()->text(0), QStringLiteral("Brush stroke"));
    QCOMPARE(edited.count(), 1);
    // A second stroke of class 2 over the first.
    e.canvas->setCurrentClass(2);
    e.canvas->setBrushRadius(0);
    drag(e.canvas, { QPoint(10, 2), QPoint(10, 9) });
    cv::Mat second = expected.clone();
    second(cv::Rect(10, 2, 1, 8)).setTo(2);
    COMPARE_MAPS(e.panel.labels(), second);
    QCOMPARE(e.panel.undoStack()->count(), 2);

    QTest::keyClick(e.canvas, Qt::Key_Z, Qt::ControlModifier);
    if (e.panel.undoStack()->index() == 2) // shortcuts need an active window; use the stack then
        e.panel.undoStack()->undo();
    COMPARE_MAPS(e.panel.labels(), expected);
    e.panel.undoStack()->undo();
    QCOMPARE(cv::countNonZero(e.panel.labels()), 0);
    e.panel.undoStack()->redo();
    COMPARE_MAPS(e.panel.labels(), expected);
    e.panel.undoStack()->redo();
    COMPARE_MAPS(e.panel.labels(), second);
    // The display follows the labels: the overlay pixel of a class-2 pixel has class 2's colour.
    const QRgb overlay = e.canvas->overlayImage().pixel(10, 2);
    QCOMPARE(qAlpha(overlay), 255);
    const QRgb none = e.canvas->overlayImage().pixel(30, 20);
    QCOMPARE(qAlpha(none), 255); // multi-class: background is coloured too
}

void TestAnnotUi::eraser()
{
    Editor e;
    QVERIFY(QTest::qWaitForWindowExposed(&e.panel));
    cv::Mat start(30, 40, CV_8UC1, cv::Scalar(1));
    e.panel.setLabels(start, QStringLiteral("all ones"));
    e.canvas->setTool(AnnotationTool::Eraser);
    e.canvas->setBrushRadius(0);
    drag(e.canvas, { QPoint(3, 3), QPoint(6, 3) });
    cv::Mat expected = start.clone();
    expected(cv::Rect(3, 3, 4, 1)).setTo(0);
    COMPARE_MAPS(e.panel.labels(), expected);
    QCOMPARE(e.panel.undoStack()->text(e.panel.undoStack()->count() - 1), QStringLiteral("Eraser stroke"));
    // Erasing to void.
    e.canvas->setEraserLabel(255);
    drag(e.canvas, { QPoint(3, 8), QPoint(3, 10) });
    expected(cv::Rect(3, 8, 1, 3)).setTo(255);
    COMPARE_MAPS(e.panel.labels(), expected);
    e.panel.undoStack()->undo();
    e.panel.undoStack()->undo();
    COMPARE_MAPS(e.panel.labels(), start);
}

void TestAnnotUi::floodFillClick()
{
    Editor e;
    QVERIFY(QTest::qWaitForWindowExposed(&e.panel));
    cv::Mat start(30, 40, CV_8UC1, cv::Scalar(0));
    cv::rectangle(start, cv::Rect(10, 10, 10, 8), cv::Scalar(1), 1);
    e.panel.setLabels(start);
    e.canvas->setTool(AnnotationTool::FloodFill);
    e.canvas->setCurrentClass(2);
    click(e.canvas, QPoint(15, 14)); // inside the rectangle
    cv::Mat expected = start.clone();
    expected(cv::Rect(11, 11, 8, 6)).setTo(2);
    COMPARE_MAPS(e.panel.labels(), expected);
    click(e.canvas, QPoint(10, 10)); // the outline itself
    expected.setTo(2, start == 1);
    COMPARE_MAPS(e.panel.labels(), expected);
    QCOMPARE(e.panel.undoStack()->text(e.panel.undoStack()->count() - 1), QStringLiteral("Flood fill"));
    e.panel.undoStack()->undo();
    e.panel.undoStack()->undo();
    COMPARE_MAPS(e.panel.labels(), start);
}

void TestAnnotUi::polygonClicksAndLasso()
{
    Editor e;
    QVERIFY(QTest::qWaitForWindowExposed(&e.panel));
    e.canvas->setTool(AnnotationTool::Polygon);
    e.canvas->setCurrentClass(1);
    // Clicks add vertices, Enter closes: the rectangle with its clicked corners.
    for (const QPoint p : { QPoint(2, 2), QPoint(8, 2), QPoint(8, 6), QPoint(2, 6) })
        click(e.canvas, p);
    QVERIFY(e.canvas->isPolygonInProgress());
    QCOMPARE(int(e.canvas->polygonPoints().size()), 4);
    QCOMPARE(cv::countNonZero(e.panel.labels()), 0); // nothing before closing
    QTest::keyClick(e.canvas, Qt::Key_Return);
    QVERIFY(!e.canvas->isPolygonInProgress());
    cv::Mat expected(30, 40, CV_8UC1, cv::Scalar(0));
    expected(cv::Rect(2, 2, 7, 5)).setTo(1);
    COMPARE_MAPS(e.panel.labels(), expected);
    QCOMPARE(e.panel.undoStack()->text(e.panel.undoStack()->count() - 1), QStringLiteral("Polygon fill"));

    // Esc cancels; Backspace removes the last vertex.
    click(e.canvas, QPoint(20, 20));
    click(e.canvas, QPoint(25, 20));
    QTest::keyClick(e.canvas, Qt::Key_Backspace);
    QCOMPARE(int(e.canvas->polygonPoints().size()), 1);
    QTest::keyClick(e.canvas, Qt::Key_Escape);
    QVERIFY(!e.canvas->isPolygonInProgress());
    COMPARE_MAPS(e.panel.labels(), expected);

    // A double click closes: triangle (20,10) (26,10) (20,16), the last vertex double-clicked.
    e.canvas->setCurrentClass(2);
    click(e.canvas, QPoint(20, 10));
    click(e.canvas, QPoint(26, 10));
    press(e.canvas, QPoint(20, 16));
    release(e.canvas, QPoint(20, 16));
    QTest::mouseDClick(
        e.canvas, Qt::LeftButton, Qt::NoModifier, e.canvas->widgetPointForPixel(QPoint(20, 16)));
    release(e.canvas, QPoint(20, 16));
    QVERIFY(!e.canvas->isPolygonInProgress());
    cv::Mat tri(30, 40, CV_8UC1, cv::Scalar(0));
    fillPolygonLabels(tri, { { 20, 10 }, { 26, 10 }, { 20, 16 } }, 2);
    expected.setTo(2, tri == 2);
    QCOMPARE(cv::countNonZero(tri), 28); // 7 + 6 + ... + 1 pixels: x + y <= 36
    COMPARE_MAPS(e.panel.labels(), expected);
    // Hand-checked corners of that triangle: the vertices and the hypotenuse's midpoint are in, the
    // pixel just beyond the hypotenuse is not.
    QCOMPARE(int(e.panel.labels().at<uchar>(10, 26)), 2);
    QCOMPARE(int(e.panel.labels().at<uchar>(16, 20)), 2);
    QCOMPARE(int(e.panel.labels().at<uchar>(13, 23)), 2);
    QCOMPARE(int(e.panel.labels().at<uchar>(14, 24)), 0);

    // A lasso: a drag around a square closes on release.
    e.canvas->setCurrentClass(1);
    drag(e.canvas, { QPoint(30, 20), QPoint(35, 20), QPoint(35, 25), QPoint(30, 25), QPoint(30, 21) });
    QVERIFY(!e.canvas->isPolygonInProgress());
    expected(cv::Rect(30, 20, 6, 6)).setTo(1);
    COMPARE_MAPS(e.panel.labels(), expected);
    QCOMPARE(e.panel.undoStack()->count(), 3);
}

void TestAnnotUi::fillHolesAction()
{
    Editor e;
    QVERIFY(QTest::qWaitForWindowExposed(&e.panel));
    cv::Mat start(30, 40, CV_8UC1, cv::Scalar(0));
    cv::rectangle(start, cv::Rect(5, 5, 8, 8), cv::Scalar(1), 2);
    cv::rectangle(start, cv::Rect(20, 5, 8, 8), cv::Scalar(2), 1);
    e.panel.setLabels(start);
    e.canvas->setCurrentClass(1);
    actionNamed(&e.panel, QStringLiteral("Fill holes"))->trigger();
    cv::Mat expected = start.clone();
    expected(cv::Rect(5, 5, 8, 8)).setTo(1);
    COMPARE_MAPS(e.panel.labels(), expected);
    actionNamed(&e.panel, QStringLiteral("Fill holes (all classes)"))->trigger();
    expected(cv::Rect(20, 5, 8, 8)).setTo(2);
    COMPARE_MAPS(e.panel.labels(), expected);
    e.panel.undoStack()->undo();
    e.panel.undoStack()->undo();
    COMPARE_MAPS(e.panel.labels(), start);
    // Nothing to fill: a status line, no undo entry.
    const int count = e.panel.undoStack()->count();
    e.panel.undoStack()->clear();
    actionNamed(&e.panel, QStringLiteral("Fill holes"))->trigger();
    actionNamed(&e.panel, QStringLiteral("Fill holes"))->trigger();
    QVERIFY(count > 0);
    QCOMPARE(e.panel.undoStack()->count(), 1);
    actionNamed(&e.panel, QStringLiteral("Fill holes"))->trigger();
    QCOMPARE(e.panel.undoStack()->count(), 1);
    QVERIFY(!e.panel.statusText().isEmpty());
}

void TestAnnotUi::shortcutsAndSize()
{
    Editor e;
    e.panel.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&e.panel));
    e.canvas->setFocus();
    QTest::keyClick(e.canvas, Qt::Key_F);
    QCOMPARE(e.canvas->tool(), AnnotationTool::FloodFill);
    QTest::keyClick(e.canvas, Qt::Key_P);
    QCOMPARE(e.canvas->tool(), AnnotationTool::Polygon);
    QTest::keyClick(e.canvas, Qt::Key_E);
    QCOMPARE(e.canvas->tool(), AnnotationTool::Eraser);
    QTest::keyClick(e.canvas, Qt::Key_B);
    QCOMPARE(e.canvas->tool(), AnnotationTool::Brush);
    QTest::keyClick(e.canvas, Qt::Key_2);
    QCOMPARE(e.canvas->currentClass(), 2);
    QTest::keyClick(e.canvas, Qt::Key_0);
    QCOMPARE(e.canvas->currentClass(), 0);
    QTest::keyClick(e.canvas, Qt::Key_7); // no class 7: unchanged
    QCOMPARE(e.canvas->currentClass(), 0);
    QTest::keyClick(e.canvas, Qt::Key_V);
    QCOMPARE(e.canvas->currentClass(), 255);
    e.canvas->setBrushRadius(10);
    QTest::keyClick(e.canvas, Qt::Key_BracketRight);
    QCOMPARE(e.canvas->brushRadius(), 11);
    QTest::keyClick(e.canvas, Qt::Key_BracketLeft);
    QTest::keyClick(e.canvas, Qt::Key_BracketLeft);
    QCOMPARE(e.canvas->brushRadius(), 9);
    // Shift+wheel sizes the brush, the wheel alone zooms.
    const double scale = e.canvas->scale();
    QWheelEvent sizeUp(QPointF(100, 100), e.canvas->mapToGlobal(QPointF(100, 100)), QPoint(), QPoint(0, 120),
        Qt::NoButton, Qt::ShiftModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(e.canvas, &sizeUp);
    QCOMPARE(e.canvas->brushRadius(), 10);
    QCOMPARE(e.canvas->scale(), scale);
    // Undo / redo by keyboard.
    QTest::keyClick(e.canvas, Qt::Key_1);
    e.canvas->setBrushRadius(0);
    click(e.canvas, QPoint(3, 3));
    QCOMPARE(int(e.panel.labels().at<uchar>(3, 3)), 1);
    QTest::keyClick(e.canvas, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(int(e.panel.labels().at<uchar>(3, 3)), 0);
    QTest::keyClick(e.canvas, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(int(e.panel.labels().at<uchar>(3, 3)), 1);
    QTest::keyClick(e.canvas, Qt::Key_H); // fill holes: none, no crash
    QTest::keyClick(e.canvas, Qt::Key_O);
    QVERIFY(e.canvas->outlineMode());
}

void TestAnnotUi::zoomKeepsPixelsExact()
{
    Editor e(64, 48);
    QVERIFY(QTest::qWaitForWindowExposed(&e.panel));
    const double fitted = e.canvas->scale();
    const QPoint anchor = e.canvas->widgetPointForPixel(QPoint(20, 20));
    QWheelEvent zoomIn(QPointF(anchor), e.canvas->mapToGlobal(QPointF(anchor)), QPoint(), QPoint(0, 240),
        Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(e.canvas, &zoomIn);
    QVERIFY(e.canvas->scale() > fitted * 1.5);
    QCOMPARE(e.canvas->pixelAt(QPointF(anchor)), QPoint(20, 20)); // zoomed about the cursor
    QVERIFY(!e.canvas->isFitted());
    // Middle drag pans by exactly the mouse movement.
    const QPointF offset = e.canvas->offset();
    QTest::mousePress(e.canvas, Qt::MiddleButton, Qt::NoModifier, QPoint(200, 200));
    QTest::mouseMove(e.canvas, QPoint(230, 190));
    QTest::mouseRelease(e.canvas, Qt::MiddleButton, Qt::NoModifier, QPoint(230, 190));
    QCOMPARE(e.canvas->offset(), offset + QPointF(30, -10));
    QCOMPARE(cv::countNonZero(e.panel.labels()), 0); // panning paints nothing
    // Space + left drag pans too, without painting.
    e.canvas->setFocus();
    QTest::keyPress(e.canvas, Qt::Key_Space);
    QTest::mousePress(e.canvas, Qt::LeftButton, Qt::NoModifier, QPoint(230, 190));
    QTest::mouseMove(e.canvas, QPoint(200, 200));
    QTest::mouseRelease(e.canvas, Qt::LeftButton, Qt::NoModifier, QPoint(200, 200));
    QTest::keyRelease(e.canvas, Qt::Key_Space);
    QCOMPARE(e.canvas->offset(), offset);
    QCOMPARE(cv::countNonZero(e.panel.labels()), 0);
    // Painting after zooming and panning hits the pixels under the mouse.
    e.canvas->setBrushRadius(0);
    e.canvas->setCurrentClass(1);
    click(e.canvas, QPoint(21, 22));
    QCOMPARE(int(e.panel.labels().at<uchar>(22, 21)), 1);
    QCOMPARE(cv::countNonZero(e.panel.labels()), 1);
    e.canvas->zoomActualSize();
    QCOMPARE(e.canvas->scale(), 1.0);
    e.canvas->fitToWindow();
    QCOMPARE(e.canvas->scale(), fitted);
    // Ctrl+wheel zooms too.
    QWheelEvent ctrlZoom(QPointF(100, 100), e.canvas->mapToGlobal(QPointF(100, 100)), QPoint(),
        QPoint(0, -120), Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(e.canvas, &ctrlZoom);
    QVERIFY(e.canvas->scale() < fitted);
}

void TestAnnotUi::overlayDisplay()
{
    // A binary task leaves the background uncoloured; outline view colours only boundaries; the
    // rendered widget shows the class colour at a painted pixel (nearest neighbour).
    Editor e(40, 30, { QStringLiteral("background"), QStringLiteral("polyp") });
    QVERIFY(QTest::qWaitForWindowExposed(&e.panel));
    e.canvas->setCurrentClass(1);
    e.canvas->setBrushRadius(3);
    click(e.canvas, QPoint(20, 15));
    const QImage& overlay = e.canvas->overlayImage();
    QCOMPARE(qAlpha(overlay.pixel(0, 0)), 0);
    QCOMPARE(qAlpha(overlay.pixel(20, 15)), 255);
    e.canvas->setOutlineMode(true);
    QCOMPARE(qAlpha(e.canvas->overlayImage().pixel(20, 15)), 0); // interior
    QCOMPARE(qAlpha(e.canvas->overlayImage().pixel(17, 15)), 255); // boundary
    e.canvas->setOutlineMode(false);
    e.canvas->setOverlayOpacity(1.0);
    const QImage shown = e.canvas->grab().toImage();
    const QPoint at = e.canvas->widgetPointForPixel(QPoint(20, 15)) * e.canvas->devicePixelRatioF();
    QCOMPARE(QColor(shown.pixel(at)).rgb(), QColor(overlay.pixel(20, 15)).rgb());
    const QPoint bg = e.canvas->widgetPointForPixel(QPoint(2, 2));
    QCOMPARE(QColor(shown.pixel(bg)).rgb(), testImage(40, 30).pixel(2, 2));
}

void TestAnnotUi::startFrom()
{
    Editor e;
    QVERIFY(QTest::qWaitForWindowExposed(&e.panel));
    e.canvas->setBrushRadius(2);
    click(e.canvas, QPoint(10, 10));
    const cv::Mat painted = e.panel.labels().clone();
    QVERIFY(!e.panel.startFrom(LabelSource::Prediction)); // none given
    QVERIFY(!e.panel.startFrom(LabelSource::GroundTruth)); // no store
    cv::Mat prediction(30, 40, CV_8UC1, cv::Scalar(0));
    prediction(cv::Rect(0, 0, 20, 30)).setTo(2);
    e.panel.setPrediction(prediction);
    QVERIFY(e.panel.startFrom(LabelSource::Prediction));
    COMPARE_MAPS(e.panel.labels(), prediction);
    QVERIFY(e.panel.startFrom(LabelSource::Empty));
    QCOMPARE(cv::countNonZero(e.panel.labels()), 0);
    e.panel.undoStack()->undo();
    e.panel.undoStack()->undo();
    COMPARE_MAPS(e.panel.labels(), painted);
    // Each image keeps its history: leave and come back with the same labels.
    e.panel.setSample(testImage(40, 30), QStringLiteral("s2"));
    QCOMPARE(e.panel.undoStack()->count(), 0);
    e.panel.setSample(testImage(40, 30), QStringLiteral("s1"), painted);
    QCOMPARE(e.panel.undoStack()->count(), 3);
    e.panel.undoStack()->undo();
    QCOMPARE(cv::countNonZero(e.panel.labels()), 0);
}

// --- with the store ---------------------------------------------------------------------------

void TestAnnotUi::saveAndReload()
{
    QTemporaryDir dir;
    const Dataset dataset = makeDataset(dir.filePath(QStringLiteral("glands")));
    QCOMPARE(dataset.samples.size(), 2);
    const Sample sample = dataset.samples[0];
    MaskStore store(dataset, dir.filePath(QStringLiteral("corrections")));
    const cv::Mat groundTruth = store.loadGroundTruth(sample);

    cv::Mat expected;
    {
        AnnotationPanel panel;
        panel.resize(900, 600);
        panel.setAutosaveInterval(0);
        panel.setClasses(dataset.classNames, dataset.classColors);
        panel.setStore(&store);
        QVERIFY(panel.setSample(testImage(32, 32), sample));
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        AnnotationCanvas* c = panel.canvas();
        COMPARE_MAPS(panel.labels(), groundTruth);
        // Paint, erase to background, flood fill: every stroke journaled, nothing saved yet.
        c->setCurrentClass(1);
        c->setBrushRadius(1);
        drag(c, { QPoint(2, 2), QPoint(9, 2) });
        c->setTool(AnnotationTool::Eraser);
        drag(c, { QPoint(20, 28), QPoint(28, 28) });
        QVERIFY(panel.isDirty());
        QVERIFY(store.hasJournal(sample));
        QVERIFY(!store.hasCorrection(sample));
        expected = groundTruth.clone();
        expected(cv::Rect(1, 1, 10, 3)).setTo(1);
        expected(cv::Rect(19, 27, 11, 3)).setTo(0);
        COMPARE_MAPS(panel.labels(), expected);
        QSignalSpy saved(&panel, &AnnotationPanel::saved);
        QVERIFY(panel.save());
        QCOMPARE(saved.count(), 1);
        QVERIFY(!panel.isDirty());
        QVERIFY(panel.undoStack()->isClean());
        QVERIFY(store.hasCorrection(sample));
        QVERIFY(!store.hasJournal(sample));
        // Switching images autosaves: an edit on the first image, then the second one.
        c->setTool(AnnotationTool::Brush);
        c->setBrushRadius(0);
        click(c, QPoint(30, 30));
        expected.at<uchar>(30, 30) = 1;
        QVERIFY(panel.setSample(testImage(32, 32), dataset.samples[1]));
        QVERIFY(!store.hasJournal(sample));
        panel.setStore(nullptr);
    }
    // The saved file holds exactly the edited pixels: a palette PNG whose indices are the classes.
    const QImage png(store.correctionPath(sample));
    QCOMPARE(png.format(), QImage::Format_Indexed8);
    cv::Mat file(png.height(), png.width(), CV_8UC1);
    for (int y = 0; y < png.height(); ++y)
        for (int x = 0; x < png.width(); ++x)
            file.at<uchar>(y, x) = uchar(png.pixelIndex(x, y));
    COMPARE_MAPS(file, expected);
    MaskSession reopened(store, sample);
    QCOMPARE(reopened.source(), LabelSource::Correction);
    COMPARE_MAPS(reopened.labels(), expected);
    QCOMPARE(store.editedIds(), QStringList { sample.id });
}

void TestAnnotUi::startUneditedImages()
{
    QTemporaryDir dir;
    const Dataset dataset = makeDataset(dir.filePath(QStringLiteral("glands")), 3, 32);
    QCOMPARE(dataset.samples.size(), 3);
    MaskStore store(dataset, dir.filePath(QStringLiteral("corrections")));
    // Image 1 is edited already (a saved correction): the batch leaves it alone.
    cv::Mat edited(32, 32, CV_8UC1, cv::Scalar(0));
    edited(cv::Rect(0, 0, 4, 4)).setTo(1);
    store.saveCorrection(dataset.samples[1], edited);
    // The "prediction" of every image: its left half is foreground.
    cv::Mat prediction(32, 32, CV_8UC1, cv::Scalar(0));
    prediction(cv::Rect(0, 0, 16, 32)).setTo(1);
    QStringList asked;

    AnnotationPanel panel;
    panel.setAutosaveInterval(0);
    panel.setClasses(dataset.classNames, dataset.classColors);
    panel.setStore(&store);
    QVERIFY(panel.setSample(testImage(32, 32), dataset.samples[0]));
    const cv::Mat groundTruth0 = panel.labels().clone();
    QCOMPARE(panel.startUneditedFrom(LabelSource::Prediction), 0); // no provider: refused
    QVERIFY(!panel.statusText().isEmpty());
    panel.setPredictionProvider([&](const Sample& s) {
        asked << s.id;
        return prediction;
    });
    QSignalSpy batch(&panel, &AnnotationPanel::batchApplied);
    QCOMPARE(panel.startUneditedFrom(LabelSource::Prediction), 2);
    QCOMPARE(asked, (QStringList { dataset.samples[0].id, dataset.samples[2].id }));
    QCOMPARE(batch.count(), 1);
    // The open image changed as one undoable edit and was saved; the others were saved.
    COMPARE_MAPS(panel.labels(), prediction);
    QVERIFY(!panel.isDirty());
    for (int i : { 0, 2 })
        COMPARE_MAPS(store.loadCorrection(dataset.samples[i]), prediction);
    COMPARE_MAPS(store.loadCorrection(dataset.samples[1]), edited);
    panel.undoStack()->undo();
    COMPARE_MAPS(panel.labels(), groundTruth0);
    QVERIFY(panel.isDirty());
    // Everything is edited now: a second batch changes nothing.
    panel.undoStack()->redo();
    QCOMPARE(panel.startUneditedFrom(LabelSource::Empty), 0);
    panel.setStore(nullptr);
}

namespace {
// The crash child: opens the sample in an editor, paints kCrashStrokes strokes with mouse events
// and prints "stroke N" after each release (the stroke is journaled by then); the parent kills it.
int runCrashChild(const QString& spec)
{
    const QStringList parts = spec.split(QLatin1Char('|'));
    const Dataset dataset = openDataset(parts.value(0));
    MaskStore store(dataset, parts.value(1));
    AnnotationPanel panel;
    panel.resize(900, 600);
    panel.setAutosaveInterval(0);
    panel.setClasses(dataset.classNames, dataset.classColors);
    panel.setStore(&store);
    if (!panel.setSample(testImage(32, 32), dataset.samples[0]))
        return 2;
    panel.show();
    if (!QTest::qWaitForWindowExposed(&panel))
        return 3;
    panel.startFrom(LabelSource::Empty); // one journal record when the ground truth was not empty
    std::printf("start\n");
    std::fflush(stdout);
    panel.canvas()->setCurrentClass(1);
    panel.canvas()->setBrushRadius(1);
    for (int i = 0; i < kCrashStrokes; ++i) {
        drag(panel.canvas(), crashStroke(i));
        std::printf("stroke %d\n", i);
        std::fflush(stdout);
        QTest::qWait(20);
    }
    std::printf("done\n");
    std::fflush(stdout);
    QTest::qWait(60000); // never saves on its own: the parent kills it first
    return 0;
}
} // namespace

void TestAnnotUi::crashKeepsEveryStrokeButTheLast()
{
    QTemporaryDir dir;
    const QString datasetDir = dir.filePath(QStringLiteral("glands"));
    const Dataset dataset = makeDataset(datasetDir, 1, 32);
    const QString corrections = dir.filePath(QStringLiteral("corrections"));
    MaskStore before(dataset, corrections);
    // The child starts from an empty map (one journal record unless the ground truth is empty),
    // so every stroke changes pixels and is one record.
    const int startRecords = cv::countNonZero(before.loadGroundTruth(dataset.samples[0])) > 0 ? 1 : 0;
    const cv::Mat base(32, 32, CV_8UC1, cv::Scalar(0));

    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QString::fromLatin1(kCrashChildEnv), datasetDir + QLatin1Char('|') + corrections);
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForStarted());
    int lastPrinted = -1;
    QByteArray pending;
    while (lastPrinted < 5 && child.state() == QProcess::Running) {
        if (!child.waitForReadyRead(20000))
            break;
        pending += child.readAllStandardOutput();
        int nl;
        while ((nl = pending.indexOf('\n')) >= 0) {
            const QByteArray line = pending.left(nl);
            pending.remove(0, nl + 1);
            if (line.startsWith("stroke "))
                lastPrinted = line.mid(7).toInt();
        }
    }
    child.kill(); // SIGKILL: between or during strokes, never saved
    child.waitForFinished();
    QVERIFY2(lastPrinted >= 5, child.readAllStandardError().constData());

    // Reopened: the journal brings back every stroke printed (and perhaps the ones after it that
    // completed before the kill), never a part of a stroke.
    MaskStore store(openDataset(datasetDir), corrections);
    const Sample sample = store.dataset().samples[0];
    QVERIFY(store.hasJournal(sample));
    QVERIFY(!store.hasCorrection(sample));
    MaskSession session(store, sample);
    QVERIFY2(session.recoveryProblem().isEmpty(), qPrintable(session.recoveryProblem()));
    const int recovered = session.recoveredStrokes() - startRecords;
    QVERIFY2(recovered >= lastPrinted + 1,
        qPrintable(QStringLiteral("recovered %1, printed %2").arg(recovered).arg(lastPrinted)));
    QVERIFY(recovered <= kCrashStrokes);
    qInfo("killed after stroke %d was printed; %d strokes recovered", lastPrinted, recovered);
    COMPARE_MAPS(session.labels(), expectedAfterStrokes(base.clone(), recovered));

    // The editor shows the recovered strokes and says so.
    AnnotationPanel panel;
    panel.setAutosaveInterval(0);
    panel.setStore(&store);
    QVERIFY(panel.setSample(testImage(32, 32), sample));
    COMPARE_MAPS(panel.labels(), expectedAfterStrokes(base.clone(), recovered));
    QVERIFY(panel.statusText().contains(QString::number(recovered + startRecords)));
    QVERIFY(panel.isDirty());
    panel.setStore(nullptr); // saves
    QVERIFY(store.hasCorrection(sample));
}

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(kCrashChildEnv))
        return runCrashChild(qEnvironmentVariable(kCrashChildEnv));
    TestAnnotUi test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_annot_ui.moc"
