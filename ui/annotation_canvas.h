#pragma once

#include "core/annot/label_delta.h"

#include <QColor>
#include <QImage>
#include <QPointF>
#include <QVector>
#include <QWidget>
#include <opencv2/core.hpp>

#include <vector>

namespace msup {
namespace ui {

    enum class AnnotationTool { Brush, Eraser, FloodFill, Polygon };

    // The mask editor's drawing surface: the image with the label map blended over it, shown
    // pixel-exact (nearest neighbour) at any zoom, panned and zoomed like an image viewer.
    //
    // - Wheel or Ctrl+wheel zooms about the cursor, Shift+wheel changes the brush size
    //   (brushRadiusChanged), a middle drag or Space+drag pans.
    // - Brush / eraser: a left drag paints; each mouse move paints one segment and refreshes only
    //   its box of the cached overlay; the release merges the drag into one edit.
    // - Flood fill: a left click fills the 4-connected region of the clicked class.
    // - Polygon / lasso: left clicks add vertices, a left drag draws a lasso that closes on
    //   release; Enter or a double click closes the polygon, Backspace removes the last vertex,
    //   Esc cancels.
    // Every finished edit has already been applied to labels() when editCommitted() is emitted; the
    // owner records it (undo stack, journal). applyDelta()/revertDelta() replay edits (undo/redo).
    class AnnotationCanvas : public QWidget {
        Q_OBJECT
    public:
        explicit AnnotationCanvas(QWidget* parent = nullptr);

        // The image under the labels (any format; kept as RGB32). A label map of another size is
        // replaced by an empty (background) one.
        void setImage(const QImage& image);
        const QImage& image() const { return m_image; }
        // Deep copy of a CV_8UC1 map of the image's size (or any size when there is no image).
        // Throws std::invalid_argument on another type or size. Cancels a polygon in progress.
        void setLabels(const cv::Mat& labels);
        const cv::Mat& labels() const { return m_labels; }
        // Both at once (opening an image): `labels` empty means a background map of the image's
        // size. The buffers of the previous image are reused when the size is the same, which
        // matters for 4096×4096 images. Throws std::invalid_argument like setLabels().
        void setImageAndLabels(const QImage& image, const cv::Mat& labels);
        // Shows nothing (the buffers are kept for the next image).
        void clear();

        // Colours of classes 0..n-1 and of void (255). A binary task leaves its background
        // uncoloured (`paintBackground` false), like every overlay of the application.
        void setClassColors(const QVector<QColor>& colors, bool paintBackground, const QColor& voidColor);

        void setTool(AnnotationTool tool);
        AnnotationTool tool() const { return m_tool; }
        // The class the brush, fill and polygon paint (0..254, or 255 = void).
        void setCurrentClass(int label);
        int currentClass() const { return m_class; }
        // What the eraser paints: 0 (background, default) or 255 (void).
        void setEraserLabel(int label);
        int eraserLabel() const { return m_eraserLabel; }
        // Brush radius r in pixels (0..kMaxBrushRadius): the brush is 2r + 1 pixels wide.
        static constexpr int kMaxBrushRadius = 500;
        void setBrushRadius(int radius);
        int brushRadius() const { return m_radius; }
        void setOverlayOpacity(double opacity);
        double overlayOpacity() const { return m_opacity; }
        // Outline view: only the class boundaries are coloured.
        void setOutlineMode(bool outline);
        bool outlineMode() const { return m_outline; }

        // View: scale() widget pixels per image pixel; offset() where the image's top-left corner
        // is drawn. fitToWindow() follows later resizes until the user zooms or pans.
        double scale() const { return m_scale; }
        QPointF offset() const { return m_offset; }
        void fitToWindow();
        void zoomActualSize(); // 1:1 about the view's centre
        void zoomBy(double factor, const QPointF& widgetAnchor);
        bool isFitted() const { return m_fitted; }
        QPointF imageToWidget(const QPointF& imagePoint) const;
        QPointF widgetToImage(const QPointF& widgetPoint) const;
        // The pixel under a widget point (may lie outside the image).
        QPoint pixelAt(const QPointF& widgetPoint) const;
        // Where to click to hit the centre of `pixel` (for tests and scripted input).
        QPoint widgetPointForPixel(const QPoint& pixel) const;

        // Replays an edit (redo) or takes it back (undo), refreshing the display of its box.
        void applyDelta(const LabelDelta& delta);
        void revertDelta(const LabelDelta& delta);
        // Re-renders the cached overlay inside `rect` (label-map coordinates) from labels() and
        // schedules a repaint of that part of the widget only.
        void refreshOverlay(const cv::Rect& rect);
        // The cached overlay (ARGB32 premultiplied, class colours at full alpha; the opacity is
        // applied when painting).
        const QImage& overlayImage() const { return m_overlay; }

        // Fills the holes of `onlyClass` (< 0: of every class) and emits editCommitted when
        // something changed. Returns whether something did.
        bool fillHoles(int onlyClass);

        bool isPolygonInProgress() const { return !m_polygon.empty(); }
        const std::vector<cv::Point>& polygonPoints() const { return m_polygon; }
        // Fills the polygon in progress (editCommitted) and ends it; false when there was none.
        bool closePolygon();
        void cancelPolygon();

        QSize sizeHint() const override;

    Q_SIGNALS:
        // An edit, already applied to labels(); `text` names it for the undo history.
        void editCommitted(const msup::LabelDelta& delta, const QString& text);
        void brushRadiusChanged(int radius);
        void viewChanged();
        // The pixel under the mouse and its label (-1 outside the image).
        void hoveredPixelChanged(const QPoint& pixel, int label);

    protected:
        void paintEvent(QPaintEvent* event) override;
        void resizeEvent(QResizeEvent* event) override;
        void wheelEvent(QWheelEvent* event) override;
        void mousePressEvent(QMouseEvent* event) override;
        void mouseMoveEvent(QMouseEvent* event) override;
        void mouseReleaseEvent(QMouseEvent* event) override;
        void mouseDoubleClickEvent(QMouseEvent* event) override;
        void keyPressEvent(QKeyEvent* event) override;
        void keyReleaseEvent(QKeyEvent* event) override;
        void leaveEvent(QEvent* event) override;
        void focusInEvent(QFocusEvent* event) override;
        void focusOutEvent(QFocusEvent* event) override;

    private:
        void rebuildLut();
        void rebuildOverlay();
        void paintSegment(const QPoint& from, const QPoint& to);
        void finishStroke();
        void commit(const LabelDelta& delta, const QString& text);
        QRect widgetRectOf(const cv::Rect& imageRect) const;
        QRect cursorRect(const QPoint& pixel) const;
        QRect polygonWidgetRect() const;
        void updateCursor();
        void setHovered(const QPoint& pixel);
        bool imageContains(const QPoint& pixel) const;

        QImage m_image;
        cv::Mat m_labels;
        cv::Mat m_spareLabels; // the last image's buffer, reused by the next one of the same size
        QImage m_overlay;
        QVector<QColor> m_colors;
        QColor m_voidColor { 255, 255, 255 };
        bool m_paintBackground = true;
        quint32 m_lut[256] = {};

        AnnotationTool m_tool = AnnotationTool::Brush;
        int m_class = 1;
        int m_eraserLabel = 0;
        int m_radius = 5;
        double m_opacity = 0.5;
        bool m_outline = false;

        double m_scale = 1.0;
        QPointF m_offset;
        bool m_fitted = true;

        enum class Drag { None, Pan, Stroke, Lasso, PolygonClick } m_drag = Drag::None;
        bool m_spaceHeld = false;
        // The canvas got the focus from a mouse click: that click only focuses, it does not paint.
        bool m_focusClick = false;
        QPointF m_panStart;
        QPointF m_panOffset;
        QPoint m_lastPixel;
        QPointF m_pressPos;
        std::vector<LabelDelta> m_strokeDeltas;
        std::vector<cv::Point> m_polygon;
        QPoint m_hovered { -1, -1 };
        bool m_hovering = false;
    };

} // namespace ui
} // namespace msup
