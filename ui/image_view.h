#pragma once

#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QWidget>

namespace msup {
namespace ui {

    // Shows an image scaled to fit (aspect ratio kept, never enlarged beyond 4x), centred on a dark
    // background, with a text shown instead when there is no image (e.g. "Loading…" or an error).
    //
    // Optional, off by default:
    // - zoom and pan (setInteractive): the wheel or +/- zoom about the cursor, dragging pans, a
    //   double click or 0 fits the image again; viewportChanged() lets another view follow;
    // - swipe comparison (setSwipeImage): a second image of the same size is shown right of a
    //   vertical divider that the mouse or the Left/Right keys move; image() stays on the left;
    // - captions drawn in the top corners (e.g. the names of two compared runs).
    class ImageView : public QWidget {
        Q_OBJECT
    public:
        explicit ImageView(QWidget* parent = nullptr);

        void setImage(const QImage& image);
        const QImage& image() const { return m_image; }
        void clear(const QString& text = {});
        void setPlaceholderText(const QString& text);
        QString placeholderText() const { return m_placeholder; }

        // Zoom and pan by mouse and keyboard. zoom() is relative to the fitted size (1 = fit);
        // center() is the image point shown at the middle of the view.
        void setInteractive(bool interactive);
        bool isInteractive() const { return m_interactive; }
        double zoom() const { return m_zoom; }
        QPointF center() const;
        // Shows `center` (image pixels) at the middle, enlarged `zoom` times the fitted size (clamped
        // to 1..32). Emits nothing, so linked views can follow each other without loops.
        void setViewport(double zoom, const QPointF& center);
        void resetViewport();

        // Swipe comparison: `second` (same size as image()) right of the divider; a null image
        // turns it off. The divider sits at swipePosition() × the image width (0..1).
        void setSwipeImage(const QImage& second);
        const QImage& swipeImage() const { return m_second; }
        bool isSwiping() const { return !m_second.isNull() && !m_image.isNull(); }
        double swipePosition() const { return m_swipe; }
        void setSwipePosition(double fraction);
        // The image column where the second image starts.
        int swipeColumn() const;
        // What the view shows, at the image's resolution: image(), or with swiping, image() left of
        // the divider and the second image right of it.
        QImage composedImage() const;

        void setCaptions(const QString& left, const QString& right = {});
        QString leftCaption() const { return m_leftCaption; }
        QString rightCaption() const { return m_rightCaption; }

        // Where the image is drawn, in widget coordinates.
        QRectF imageRect() const;

        QSize sizeHint() const override;
        QSize minimumSizeHint() const override;

    Q_SIGNALS:
        // The user zoomed or panned (not emitted by setViewport()).
        void viewportChanged(double zoom, const QPointF& center);
        // The user moved the swipe divider.
        void swipePositionChanged(double fraction);

    protected:
        void paintEvent(QPaintEvent* event) override;
        void wheelEvent(QWheelEvent* event) override;
        void mousePressEvent(QMouseEvent* event) override;
        void mouseMoveEvent(QMouseEvent* event) override;
        void mouseReleaseEvent(QMouseEvent* event) override;
        void mouseDoubleClickEvent(QMouseEvent* event) override;
        void keyPressEvent(QKeyEvent* event) override;

    private:
        double fitScale() const;
        double dividerX() const;
        void zoomAbout(double factor, const QPointF& widgetPoint);
        void moveSwipeTo(double widgetX);
        void drawCaption(QPainter& painter, const QString& text, bool right);

        QImage m_image;
        QImage m_second;
        QString m_placeholder;
        QString m_leftCaption;
        QString m_rightCaption;
        bool m_interactive = false;
        double m_zoom = 1.0;
        QPointF m_center; // image point at the middle; only meaningful when m_zoomed
        bool m_zoomed = false;
        double m_swipe = 0.5;
        enum class Drag { None, Pan, Divider } m_drag = Drag::None;
        QPointF m_dragStart;
        QPointF m_dragCenter;
    };

} // namespace ui
} // namespace msup
