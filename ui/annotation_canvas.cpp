#include "ui/annotation_canvas.h"

#include "core/annot/mask_ops.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace msup {
namespace ui {

    namespace {
        constexpr double kMinScale = 1.0 / 64.0;
        constexpr double kMaxScale = 64.0;
        constexpr double kLassoStartDistance = 4.0; // widget pixels a press must move to become a lasso
    } // namespace

    AnnotationCanvas::AnnotationCanvas(QWidget* parent)
        : QWidget(parent)
    {
        setMouseTracking(true);
        setFocusPolicy(Qt::StrongFocus);
        setAttribute(Qt::WA_OpaquePaintEvent);
        setMinimumSize(120, 120);
        rebuildLut();
        updateCursor();
    }

    QSize AnnotationCanvas::sizeHint() const
    {
        return { 640, 480 };
    }

    void AnnotationCanvas::setImage(const QImage& image)
    {
        cancelPolygon();
        m_image = image.isNull() ? QImage() : image.convertToFormat(QImage::Format_RGB32);
        if (!m_image.isNull() && (m_labels.cols != m_image.width() || m_labels.rows != m_image.height()))
            m_labels = cv::Mat(m_image.height(), m_image.width(), CV_8UC1, cv::Scalar(0));
        rebuildOverlay();
        fitToWindow();
    }

    void AnnotationCanvas::setLabels(const cv::Mat& labels)
    {
        if (labels.empty() || labels.type() != CV_8UC1)
            throw std::invalid_argument("AnnotationCanvas::setLabels: a CV_8UC1 label map is required");
        if (!m_image.isNull() && (labels.cols != m_image.width() || labels.rows != m_image.height()))
            throw std::invalid_argument(
                "AnnotationCanvas::setLabels: the label map and the image differ in size");
        cancelPolygon();
        const bool resized = labels.size() != m_labels.size();
        m_labels = labels.clone();
        m_strokeDeltas.clear();
        if (m_drag == Drag::Stroke)
            m_drag = Drag::None;
        rebuildOverlay();
        if (resized && m_image.isNull())
            fitToWindow();
        update();
    }

    void AnnotationCanvas::setImageAndLabels(const QImage& image, const cv::Mat& labels)
    {
        if (image.isNull())
            throw std::invalid_argument("AnnotationCanvas::setImageAndLabels: no image");
        if (!labels.empty()
            && (labels.type() != CV_8UC1 || labels.cols != image.width() || labels.rows != image.height()))
            throw std::invalid_argument("AnnotationCanvas::setImageAndLabels: the label map is not a CV_8UC1 "
                                        "map of the image's size");
        cancelPolygon();
        m_strokeDeltas.clear();
        m_drag = Drag::None;
        m_image = image.convertToFormat(QImage::Format_RGB32);
        const cv::Size size(image.width(), image.height());
        if (m_labels.empty() && m_spareLabels.size() == size)
            m_labels = m_spareLabels;
        m_spareLabels = cv::Mat();
        if (m_labels.size() != size || m_labels.type() != CV_8UC1 || m_labels.data == labels.data)
            m_labels = cv::Mat(size, CV_8UC1);
        if (labels.empty())
            m_labels.setTo(0);
        else
            labels.copyTo(m_labels);
        rebuildOverlay(); // reuses the overlay buffer of the same size
        fitToWindow();
    }

    void AnnotationCanvas::clear()
    {
        cancelPolygon();
        m_image = QImage();
        if (!m_labels.empty())
            m_spareLabels = m_labels;
        m_labels = cv::Mat();
        m_strokeDeltas.clear();
        m_drag = Drag::None;
        update();
    }

    void AnnotationCanvas::setClassColors(
        const QVector<QColor>& colors, bool paintBackground, const QColor& voidColor)
    {
        m_colors = colors;
        m_paintBackground = paintBackground;
        m_voidColor = voidColor;
        rebuildLut();
        rebuildOverlay();
        update();
    }

    void AnnotationCanvas::rebuildLut()
    {
        for (int v = 0; v < 256; ++v) {
            QColor c;
            if (v == kVoidLabel)
                c = m_voidColor;
            else if (v < m_colors.size())
                c = m_colors[v];
            else
                c = QColor::fromHsv((v * 47) % 360, 200, 230); // a label beyond the palette still shows
            const bool hidden = (v == 0 && !m_paintBackground) || !c.isValid();
            m_lut[v] = hidden ? 0u : qRgba(c.red(), c.green(), c.blue(), 255);
        }
    }

    void AnnotationCanvas::rebuildOverlay()
    {
        if (m_labels.empty()) {
            m_overlay = QImage();
            return;
        }
        if (m_overlay.width() != m_labels.cols || m_overlay.height() != m_labels.rows)
            m_overlay = QImage(m_labels.cols, m_labels.rows, QImage::Format_ARGB32_Premultiplied);
        refreshOverlay(cv::Rect(0, 0, m_labels.cols, m_labels.rows));
    }

    void AnnotationCanvas::refreshOverlay(const cv::Rect& rect)
    {
        if (m_labels.empty() || m_overlay.isNull())
            return;
        const cv::Rect whole(0, 0, m_labels.cols, m_labels.rows);
        // In outline view a pixel's colour depends on its 4 neighbours: refresh one pixel more.
        const cv::Rect box
            = (m_outline ? cv::Rect(rect.x - 1, rect.y - 1, rect.width + 2, rect.height + 2) : rect) & whole;
        if (box.area() == 0)
            return;
        const int rows = m_labels.rows, cols = m_labels.cols;
        for (int y = box.y; y < box.y + box.height; ++y) {
            const uchar* row = m_labels.ptr<uchar>(y);
            const uchar* up = y > 0 ? m_labels.ptr<uchar>(y - 1) : nullptr;
            const uchar* down = y + 1 < rows ? m_labels.ptr<uchar>(y + 1) : nullptr;
            auto* out = reinterpret_cast<quint32*>(m_overlay.scanLine(y));
            if (!m_outline) {
                for (int x = box.x; x < box.x + box.width; ++x)
                    out[x] = m_lut[row[x]];
                continue;
            }
            for (int x = box.x; x < box.x + box.width; ++x) {
                const uchar v = row[x];
                const bool edge = (x > 0 && row[x - 1] != v) || (x + 1 < cols && row[x + 1] != v)
                    || (up && up[x] != v) || (down && down[x] != v);
                out[x] = edge ? m_lut[v] : 0u;
            }
        }
        update(widgetRectOf(box));
        // The readout of the pixel under the mouse follows every change of its label (undo too).
        if (m_hovering && box.contains(cv::Point(m_hovered.x(), m_hovered.y())))
            Q_EMIT hoveredPixelChanged(m_hovered, m_labels.at<uchar>(m_hovered.y(), m_hovered.x()));
    }

    void AnnotationCanvas::setTool(AnnotationTool tool)
    {
        if (tool == m_tool)
            return;
        cancelPolygon();
        m_tool = tool;
        updateCursor();
        if (m_hovering)
            update(cursorRect(m_hovered));
    }

    void AnnotationCanvas::setCurrentClass(int label)
    {
        m_class = std::clamp(label, 0, 255);
    }

    void AnnotationCanvas::setEraserLabel(int label)
    {
        m_eraserLabel = label == kVoidLabel ? kVoidLabel : 0;
    }

    void AnnotationCanvas::setBrushRadius(int radius)
    {
        radius = std::clamp(radius, 0, kMaxBrushRadius);
        if (radius == m_radius)
            return;
        const QRect old = m_hovering ? cursorRect(m_hovered) : QRect();
        m_radius = radius;
        if (m_hovering)
            update(old.united(cursorRect(m_hovered)));
        Q_EMIT brushRadiusChanged(m_radius);
    }

    void AnnotationCanvas::setOverlayOpacity(double opacity)
    {
        m_opacity = std::clamp(opacity, 0.0, 1.0);
        update();
    }

    void AnnotationCanvas::setOutlineMode(bool outline)
    {
        if (outline == m_outline)
            return;
        m_outline = outline;
        rebuildOverlay();
        update();
    }

    // --- view -------------------------------------------------------------------------------

    void AnnotationCanvas::fitToWindow()
    {
        const int w = m_labels.empty() ? 0 : m_labels.cols, h = m_labels.empty() ? 0 : m_labels.rows;
        m_fitted = true;
        if (w == 0 || h == 0 || width() <= 0 || height() <= 0) {
            m_scale = 1.0;
            m_offset = QPointF();
        } else {
            m_scale = std::clamp(std::min(double(width()) / w, double(height()) / h), kMinScale, kMaxScale);
            m_offset = QPointF((width() - w * m_scale) / 2.0, (height() - h * m_scale) / 2.0);
        }
        update();
        Q_EMIT viewChanged();
    }

    void AnnotationCanvas::zoomActualSize()
    {
        zoomBy(1.0 / m_scale, QPointF(width() / 2.0, height() / 2.0));
    }

    void AnnotationCanvas::zoomBy(double factor, const QPointF& widgetAnchor)
    {
        const double scale = std::clamp(m_scale * factor, kMinScale, kMaxScale);
        if (scale == m_scale)
            return;
        const QPointF anchorImage = widgetToImage(widgetAnchor);
        m_scale = scale;
        m_offset = widgetAnchor - anchorImage * m_scale;
        m_fitted = false;
        update();
        Q_EMIT viewChanged();
    }

    QPointF AnnotationCanvas::imageToWidget(const QPointF& p) const
    {
        return m_offset + p * m_scale;
    }

    QPointF AnnotationCanvas::widgetToImage(const QPointF& p) const
    {
        return (p - m_offset) / m_scale;
    }

    QPoint AnnotationCanvas::pixelAt(const QPointF& widgetPoint) const
    {
        const QPointF p = widgetToImage(widgetPoint);
        return QPoint(int(std::floor(p.x())), int(std::floor(p.y())));
    }

    QPoint AnnotationCanvas::widgetPointForPixel(const QPoint& pixel) const
    {
        const QPointF c = imageToWidget(QPointF(pixel.x() + 0.5, pixel.y() + 0.5));
        return QPoint(int(std::floor(c.x())), int(std::floor(c.y())));
    }

    QRect AnnotationCanvas::widgetRectOf(const cv::Rect& r) const
    {
        const QPointF tl = imageToWidget(QPointF(r.x, r.y));
        const QPointF br = imageToWidget(QPointF(r.x + r.width, r.y + r.height));
        return QRectF(tl, br).toAlignedRect().adjusted(-1, -1, 1, 1);
    }

    QRect AnnotationCanvas::cursorRect(const QPoint& pixel) const
    {
        const QPointF c = imageToWidget(QPointF(pixel.x() + 0.5, pixel.y() + 0.5));
        const double r = (m_radius + 0.5) * m_scale + 3.0;
        return QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r).toAlignedRect();
    }

    QRect AnnotationCanvas::polygonWidgetRect() const
    {
        if (m_polygon.empty())
            return {};
        QRect r;
        for (const cv::Point& p : m_polygon)
            r = r.united(cursorRect(QPoint(p.x, p.y)));
        return m_hovering ? r.united(cursorRect(m_hovered)) : r;
    }

    bool AnnotationCanvas::imageContains(const QPoint& p) const
    {
        return !m_labels.empty() && p.x() >= 0 && p.y() >= 0 && p.x() < m_labels.cols
            && p.y() < m_labels.rows;
    }

    void AnnotationCanvas::updateCursor()
    {
        if (m_drag == Drag::Pan)
            setCursor(Qt::ClosedHandCursor);
        else if (m_spaceHeld)
            setCursor(Qt::OpenHandCursor);
        else if (m_tool == AnnotationTool::Brush || m_tool == AnnotationTool::Eraser)
            setCursor(Qt::BlankCursor); // the brush outline is the cursor
        else
            setCursor(Qt::CrossCursor);
    }

    void AnnotationCanvas::setHovered(const QPoint& pixel)
    {
        if (pixel == m_hovered && m_hovering)
            return;
        const bool brushTool = m_tool == AnnotationTool::Brush || m_tool == AnnotationTool::Eraser;
        if (brushTool && m_hovering)
            update(cursorRect(m_hovered));
        if (!m_polygon.empty())
            update(polygonWidgetRect());
        m_hovered = pixel;
        m_hovering = true;
        if (brushTool)
            update(cursorRect(m_hovered));
        if (!m_polygon.empty())
            update(polygonWidgetRect());
        Q_EMIT hoveredPixelChanged(
            pixel, imageContains(pixel) ? m_labels.at<uchar>(pixel.y(), pixel.x()) : -1);
    }

    // --- painting ---------------------------------------------------------------------------

    void AnnotationCanvas::paintEvent(QPaintEvent* event)
    {
        QPainter painter(this);
        painter.fillRect(event->rect(), QColor(40, 40, 40));
        if (m_labels.empty())
            return;
        // Only the image pixels under the repainted area, whole pixels, drawn through one transform
        // so that a partial repaint samples exactly like a full one (nearest neighbour).
        const QRectF visible = QRectF(widgetToImage(event->rect().topLeft()),
            widgetToImage(event->rect().bottomRight() + QPoint(1, 1)));
        const QRect source
            = QRect(QPoint(int(std::floor(visible.left())) - 1, int(std::floor(visible.top())) - 1),
                QPoint(int(std::ceil(visible.right())) + 1, int(std::ceil(visible.bottom())) + 1))
                  .intersected(QRect(0, 0, m_labels.cols, m_labels.rows));
        if (!source.isEmpty()) {
            painter.save();
            painter.setClipRect(event->rect());
            painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
            painter.translate(m_offset);
            painter.scale(m_scale, m_scale);
            if (!m_image.isNull())
                painter.drawImage(QRectF(source), m_image, QRectF(source));
            else
                painter.fillRect(QRectF(source), Qt::black);
            if (m_opacity > 0 && !m_overlay.isNull()) {
                painter.setOpacity(m_opacity);
                painter.drawImage(QRectF(source), m_overlay, QRectF(source));
            }
            painter.restore();
        }

        painter.setRenderHint(QPainter::Antialiasing, true);
        if (!m_polygon.empty()) {
            QPainterPath path;
            path.moveTo(imageToWidget(QPointF(m_polygon.front().x + 0.5, m_polygon.front().y + 0.5)));
            for (size_t i = 1; i < m_polygon.size(); ++i)
                path.lineTo(imageToWidget(QPointF(m_polygon[i].x + 0.5, m_polygon[i].y + 0.5)));
            if (m_hovering && m_drag != Drag::Lasso)
                path.lineTo(imageToWidget(QPointF(m_hovered.x() + 0.5, m_hovered.y() + 0.5)));
            painter.setPen(QPen(Qt::black, 3));
            painter.drawPath(path);
            painter.setPen(QPen(Qt::yellow, 1, Qt::DashLine));
            painter.drawPath(path);
        }
        if (m_hovering && (m_tool == AnnotationTool::Brush || m_tool == AnnotationTool::Eraser)
            && m_drag != Drag::Pan && !m_spaceHeld) {
            const QPointF c = imageToWidget(QPointF(m_hovered.x() + 0.5, m_hovered.y() + 0.5));
            const double r = (m_radius + 0.5) * m_scale;
            painter.setBrush(Qt::NoBrush);
            painter.setPen(QPen(Qt::black, 3));
            painter.drawEllipse(c, r, r);
            painter.setPen(QPen(m_tool == AnnotationTool::Eraser
                    ? Qt::white
                    : QColor(m_lut[m_class] ? QColor::fromRgba(m_lut[m_class]) : Qt::white),
                1));
            painter.drawEllipse(c, r, r);
        }
    }

    void AnnotationCanvas::resizeEvent(QResizeEvent* event)
    {
        QWidget::resizeEvent(event);
        if (m_fitted)
            fitToWindow();
    }

    // --- input ------------------------------------------------------------------------------

    void AnnotationCanvas::wheelEvent(QWheelEvent* event)
    {
        const int steps = event->angleDelta().y() != 0 ? event->angleDelta().y() : event->angleDelta().x();
        if (steps == 0 || m_labels.empty()) {
            event->ignore();
            return;
        }
        if (event->modifiers() & Qt::ShiftModifier) {
            // Brush size: about 10% per notch, at least one pixel.
            const int step = std::max(1, m_radius / 10);
            setBrushRadius(m_radius + (steps > 0 ? step : -step));
        } else {
            zoomBy(std::pow(1.25, steps / 120.0), event->position());
        }
        event->accept();
    }

    void AnnotationCanvas::mousePressEvent(QMouseEvent* event)
    {
        setFocus(Qt::MouseFocusReason);
        // The click that moved the focus here from another widget only focuses the canvas.
        const bool focusClick = std::exchange(m_focusClick, false);
        if (m_labels.empty())
            return;
        const bool pan
            = event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld);
        if (pan) {
            m_drag = Drag::Pan;
            m_panStart = event->position();
            m_panOffset = m_offset;
            updateCursor();
            return;
        }
        if (event->button() != Qt::LeftButton || m_drag != Drag::None || focusClick)
            return;
        const QPoint pixel = pixelAt(event->position());
        switch (m_tool) {
        case AnnotationTool::Brush:
        case AnnotationTool::Eraser:
            m_drag = Drag::Stroke;
            m_strokeDeltas.clear();
            m_lastPixel = pixel;
            paintSegment(pixel, pixel);
            break;
        case AnnotationTool::FloodFill:
            commit(
                floodFillLabels(m_labels, cv::Point(pixel.x(), pixel.y()), uchar(m_class)), tr("Flood fill"));
            break;
        case AnnotationTool::Polygon:
            m_drag = m_polygon.empty() ? Drag::Lasso : Drag::PolygonClick;
            m_pressPos = event->position();
            m_polygon.push_back(cv::Point(pixel.x(), pixel.y()));
            m_lastPixel = pixel;
            update(polygonWidgetRect());
            break;
        }
    }

    void AnnotationCanvas::mouseMoveEvent(QMouseEvent* event)
    {
        const QPoint pixel = pixelAt(event->position());
        if (m_drag == Drag::Pan) {
            m_offset = m_panOffset + (event->position() - m_panStart);
            m_fitted = false;
            update();
            Q_EMIT viewChanged();
            return;
        }
        if (m_drag == Drag::Stroke && pixel != m_lastPixel) {
            paintSegment(m_lastPixel, pixel);
            m_lastPixel = pixel;
        } else if (m_drag == Drag::Lasso && pixel != m_lastPixel) {
            // A press that moves far enough is a lasso: every pixel the mouse passes is a vertex.
            if (m_polygon.size() > 1
                || QLineF(event->position(), m_pressPos).length() >= kLassoStartDistance) {
                m_polygon.push_back(cv::Point(pixel.x(), pixel.y()));
                m_lastPixel = pixel;
            }
        }
        setHovered(pixel);
    }

    void AnnotationCanvas::mouseReleaseEvent(QMouseEvent* event)
    {
        if (m_drag == Drag::Pan
            && (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton)) {
            m_drag = Drag::None;
            updateCursor();
            return;
        }
        if (event->button() != Qt::LeftButton)
            return;
        if (m_drag == Drag::Stroke) {
            finishStroke();
        } else if (m_drag == Drag::Lasso) {
            m_drag = Drag::None;
            if (m_polygon.size() > 1) // a drag: the lasso closes on release
                closePolygon();
        } else if (m_drag == Drag::PolygonClick) {
            m_drag = Drag::None;
        }
    }

    void AnnotationCanvas::mouseDoubleClickEvent(QMouseEvent* event)
    {
        if (m_tool == AnnotationTool::Polygon && event->button() == Qt::LeftButton && !m_polygon.empty()) {
            m_drag = Drag::None;
            closePolygon();
            return;
        }
        mousePressEvent(event); // brush and fill: a fast second click is a click
    }

    void AnnotationCanvas::keyPressEvent(QKeyEvent* event)
    {
        switch (event->key()) {
        case Qt::Key_Space:
            if (!event->isAutoRepeat()) {
                m_spaceHeld = true;
                updateCursor();
                if (m_hovering)
                    update(cursorRect(m_hovered));
            }
            return;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            if (closePolygon())
                return;
            break;
        case Qt::Key_Escape:
            if (!m_polygon.empty()) {
                cancelPolygon();
                return;
            }
            break;
        case Qt::Key_Backspace:
            if (!m_polygon.empty()) {
                update(polygonWidgetRect());
                m_polygon.pop_back();
                return;
            }
            break;
        default:
            break;
        }
        QWidget::keyPressEvent(event);
    }

    void AnnotationCanvas::keyReleaseEvent(QKeyEvent* event)
    {
        if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
            m_spaceHeld = false;
            updateCursor();
            if (m_hovering)
                update(cursorRect(m_hovered));
            return;
        }
        QWidget::keyReleaseEvent(event);
    }

    void AnnotationCanvas::leaveEvent(QEvent* event)
    {
        if (m_hovering)
            update(cursorRect(m_hovered));
        m_hovering = false;
        if (!m_polygon.empty())
            update();
        QWidget::leaveEvent(event);
    }

    void AnnotationCanvas::focusInEvent(QFocusEvent* event)
    {
        m_focusClick = event->reason() == Qt::MouseFocusReason;
        QWidget::focusInEvent(event);
    }

    void AnnotationCanvas::focusOutEvent(QFocusEvent* event)
    {
        m_focusClick = false;
        m_spaceHeld = false;
        if (m_drag == Drag::Stroke)
            finishStroke(); // keep what was painted
        updateCursor();
        QWidget::focusOutEvent(event);
    }

    // --- edits ------------------------------------------------------------------------------

    void AnnotationCanvas::paintSegment(const QPoint& from, const QPoint& to)
    {
        const int value = m_tool == AnnotationTool::Eraser ? m_eraserLabel : m_class;
        LabelDelta delta = paintBrushSegment(
            m_labels, cv::Point(from.x(), from.y()), cv::Point(to.x(), to.y()), m_radius, uchar(value));
        if (delta.isEmpty())
            return;
        refreshOverlay(delta.rect);
        m_strokeDeltas.push_back(std::move(delta));
    }

    void AnnotationCanvas::finishStroke()
    {
        m_drag = Drag::None;
        if (m_strokeDeltas.empty() || m_labels.empty())
            return;
        const LabelDelta merged = mergeLabelDeltas(m_labels, m_strokeDeltas);
        m_strokeDeltas.clear();
        commit(merged, m_tool == AnnotationTool::Eraser ? tr("Eraser stroke") : tr("Brush stroke"));
    }

    void AnnotationCanvas::commit(const LabelDelta& delta, const QString& text)
    {
        if (delta.isEmpty())
            return;
        refreshOverlay(delta.rect);
        Q_EMIT editCommitted(delta, text);
    }

    void AnnotationCanvas::applyDelta(const LabelDelta& delta)
    {
        if (delta.isEmpty() || m_labels.empty())
            return;
        applyLabelDelta(m_labels, delta);
        refreshOverlay(delta.rect);
    }

    void AnnotationCanvas::revertDelta(const LabelDelta& delta)
    {
        if (delta.isEmpty() || m_labels.empty())
            return;
        revertLabelDelta(m_labels, delta);
        refreshOverlay(delta.rect);
    }

    bool AnnotationCanvas::fillHoles(int onlyClass)
    {
        if (m_labels.empty())
            return false;
        const LabelDelta delta = fillHolesLabels(m_labels, onlyClass);
        commit(delta, onlyClass < 0 ? tr("Fill holes (all classes)") : tr("Fill holes"));
        return !delta.isEmpty();
    }

    bool AnnotationCanvas::closePolygon()
    {
        if (m_polygon.empty())
            return false;
        update(polygonWidgetRect());
        const std::vector<cv::Point> polygon = std::move(m_polygon);
        m_polygon.clear();
        m_drag = Drag::None;
        if (!m_labels.empty())
            commit(fillPolygonLabels(m_labels, polygon, uchar(m_class)), tr("Polygon fill"));
        return true;
    }

    void AnnotationCanvas::cancelPolygon()
    {
        if (m_polygon.empty())
            return;
        update(polygonWidgetRect());
        m_polygon.clear();
        if (m_drag == Drag::Lasso || m_drag == Drag::PolygonClick)
            m_drag = Drag::None;
    }

} // namespace ui
} // namespace msup
