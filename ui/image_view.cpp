#include "ui/image_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace msup {
namespace ui {

    namespace {
        constexpr double kMaxFitScale = 4.0;
        constexpr double kMaxZoom = 32.0;
        constexpr double kDividerGrip = 8.0; // px either side of the divider that grab it
    } // namespace

    ImageView::ImageView(QWidget* parent)
        : QWidget(parent)
    {
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
        setAttribute(Qt::WA_OpaquePaintEvent);
    }

    void ImageView::setImage(const QImage& image)
    {
        // Another image size: the zoomed region means nothing there, fit again.
        if (image.size() != m_image.size()) {
            m_zoom = 1.0;
            m_zoomed = false;
        }
        m_image = image;
        update();
    }

    void ImageView::clear(const QString& text)
    {
        m_image = QImage();
        m_second = QImage();
        m_placeholder = text;
        setMouseTracking(false);
        update();
    }

    void ImageView::setPlaceholderText(const QString& text)
    {
        m_placeholder = text;
        update();
    }

    void ImageView::setInteractive(bool interactive)
    {
        m_interactive = interactive;
        setFocusPolicy(interactive || isSwiping() ? Qt::StrongFocus : Qt::NoFocus);
        if (!interactive)
            resetViewport();
    }

    QPointF ImageView::center() const
    {
        if (!m_zoomed)
            return QPointF(m_image.width() / 2.0, m_image.height() / 2.0);
        return m_center;
    }

    void ImageView::setViewport(double zoom, const QPointF& center)
    {
        const double z = std::clamp(zoom, 1.0, kMaxZoom);
        if (z <= 1.0 + 1e-9 || m_image.isNull()) {
            m_zoom = 1.0;
            m_zoomed = false;
        } else {
            m_zoom = z;
            m_zoomed = true;
            m_center = QPointF(std::clamp(center.x(), 0.0, double(m_image.width())),
                std::clamp(center.y(), 0.0, double(m_image.height())));
        }
        update();
    }

    void ImageView::resetViewport()
    {
        m_zoom = 1.0;
        m_zoomed = false;
        update();
    }

    void ImageView::setSwipeImage(const QImage& second)
    {
        m_second = second;
        setMouseTracking(!second.isNull());
        if (!second.isNull())
            setFocusPolicy(Qt::StrongFocus);
        else if (!m_interactive)
            setFocusPolicy(Qt::NoFocus);
        update();
    }

    void ImageView::setSwipePosition(double fraction)
    {
        m_swipe = std::clamp(fraction, 0.0, 1.0);
        update();
    }

    int ImageView::swipeColumn() const
    {
        return int(std::lround(m_swipe * m_image.width()));
    }

    QImage ImageView::composedImage() const
    {
        if (!isSwiping())
            return m_image;
        QImage out = m_image.copy();
        const QImage second = m_second.size() == m_image.size()
            ? m_second
            : m_second.scaled(m_image.size(), Qt::IgnoreAspectRatio, Qt::FastTransformation);
        const int column = swipeColumn();
        QPainter painter(&out);
        painter.setCompositionMode(QPainter::CompositionMode_Source);
        painter.drawImage(
            QPoint(column, 0), second, QRect(column, 0, m_image.width() - column, m_image.height()));
        return out;
    }

    void ImageView::setCaptions(const QString& left, const QString& right)
    {
        m_leftCaption = left;
        m_rightCaption = right;
        update();
    }

    double ImageView::fitScale() const
    {
        if (m_image.isNull())
            return 1.0;
        const QSize available = size() - QSize(4, 4);
        const double s = std::min(
            double(available.width()) / m_image.width(), double(available.height()) / m_image.height());
        return std::clamp(s, 1e-3, kMaxFitScale);
    }

    QRectF ImageView::imageRect() const
    {
        if (m_image.isNull())
            return {};
        if (!m_zoomed) {
            const QSize available = size() - QSize(4, 4);
            QSize target = m_image.size().scaled(available, Qt::KeepAspectRatio);
            if (target.width() > m_image.width() * kMaxFitScale)
                target = m_image.size() * kMaxFitScale;
            target = target.expandedTo(QSize(1, 1));
            return QRect(QPoint((width() - target.width()) / 2, (height() - target.height()) / 2), target);
        }
        const double scale = fitScale() * m_zoom;
        const QPointF middle(width() / 2.0, height() / 2.0);
        return QRectF(middle - m_center * scale, QSizeF(m_image.size()) * scale);
    }

    double ImageView::dividerX() const
    {
        const QRectF area = imageRect();
        return area.left() + area.width() * swipeColumn() / std::max(1, m_image.width());
    }

    QSize ImageView::sizeHint() const
    {
        return { 320, 240 };
    }

    QSize ImageView::minimumSizeHint() const
    {
        return { 96, 96 };
    }

    void ImageView::drawCaption(QPainter& painter, const QString& text, bool right)
    {
        if (text.isEmpty())
            return;
        const QFontMetrics metrics(font());
        const int margin = 6;
        const QString shown
            = metrics.elidedText(text, Qt::ElideMiddle, std::max(40, width() / 2 - 3 * margin));
        QRect box = metrics.boundingRect(shown).adjusted(-margin, -margin / 2, margin, margin / 2);
        box.moveTop(margin);
        if (right)
            box.moveRight(width() - margin);
        else
            box.moveLeft(margin);
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(0, 0, 0, 170));
        painter.drawRoundedRect(box, 3, 3);
        painter.setPen(Qt::white);
        painter.drawText(box, Qt::AlignCenter, shown);
    }

    void ImageView::paintEvent(QPaintEvent*)
    {
        QPainter painter(this);
        painter.fillRect(rect(), QColor(0x30, 0x30, 0x34));
        if (m_image.isNull()) {
            painter.setPen(QColor(0xc8, 0xc8, 0xc8));
            painter.drawText(
                rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
            drawCaption(painter, m_leftCaption, false);
            drawCaption(painter, m_rightCaption, true);
            return;
        }
        const QRectF area = imageRect();
        // Enlarged images stay pixel-exact (labels and masks are pixel data); reduced ones are smoothed.
        const bool enlarging = area.width() > m_image.width();
        painter.setRenderHint(QPainter::SmoothPixmapTransform, !enlarging);
        if (!isSwiping()) {
            painter.drawImage(area, m_image);
        } else {
            const double x = dividerX();
            painter.save();
            painter.setClipRect(QRectF(QPointF(area.left(), area.top()), QPointF(x, area.bottom())));
            painter.drawImage(area, m_image);
            painter.setClipRect(QRectF(QPointF(x, area.top()), QPointF(area.right(), area.bottom())));
            painter.drawImage(area, m_second);
            painter.restore();
            painter.setRenderHint(QPainter::Antialiasing, true);
            painter.setPen(QPen(QColor(255, 255, 255, 230), 2));
            const double top = std::max(0.0, area.top());
            const double bottom = std::min(double(height()), area.bottom());
            painter.drawLine(QPointF(x, top), QPointF(x, bottom));
            painter.setBrush(QColor(255, 255, 255, 230));
            painter.setPen(QPen(QColor(0x30, 0x30, 0x34), 1));
            painter.drawEllipse(QPointF(x, (top + bottom) / 2), 7, 7);
        }
        drawCaption(painter, m_leftCaption, false);
        drawCaption(painter, m_rightCaption, true);
    }

    void ImageView::zoomAbout(double factor, const QPointF& widgetPoint)
    {
        if (m_image.isNull())
            return;
        const QRectF area = imageRect();
        const double scale = area.width() / m_image.width();
        const QPointF imagePoint = (widgetPoint - area.topLeft()) / scale;
        const double zoom = std::clamp(m_zoom * factor, 1.0, kMaxZoom);
        const double newScale = fitScale() * zoom;
        const QPointF middle(width() / 2.0, height() / 2.0);
        setViewport(zoom, imagePoint - (widgetPoint - middle) / newScale);
        Q_EMIT viewportChanged(m_zoom, center());
    }

    void ImageView::moveSwipeTo(double widgetX)
    {
        const QRectF area = imageRect();
        if (area.width() <= 0)
            return;
        setSwipePosition((widgetX - area.left()) / area.width());
        Q_EMIT swipePositionChanged(m_swipe);
    }

    void ImageView::wheelEvent(QWheelEvent* event)
    {
        if (!m_interactive || m_image.isNull()) {
            QWidget::wheelEvent(event);
            return;
        }
        const double steps = event->angleDelta().y() / 120.0;
        if (steps != 0)
            zoomAbout(std::pow(1.25, steps), event->position());
        event->accept();
    }

    void ImageView::mousePressEvent(QMouseEvent* event)
    {
        if (event->button() != Qt::LeftButton || m_image.isNull()) {
            QWidget::mousePressEvent(event);
            return;
        }
        const QPointF p = event->position();
        if (isSwiping() && (std::abs(p.x() - dividerX()) <= kDividerGrip || !(m_interactive && m_zoomed))) {
            m_drag = Drag::Divider;
            moveSwipeTo(p.x());
        } else if (m_interactive && m_zoomed) {
            m_drag = Drag::Pan;
            m_dragStart = p;
            m_dragCenter = center();
            setCursor(Qt::ClosedHandCursor);
        } else {
            QWidget::mousePressEvent(event);
            return;
        }
        event->accept();
    }

    void ImageView::mouseMoveEvent(QMouseEvent* event)
    {
        const QPointF p = event->position();
        if (m_drag == Drag::Divider) {
            moveSwipeTo(p.x());
        } else if (m_drag == Drag::Pan) {
            const double scale = fitScale() * m_zoom;
            setViewport(m_zoom, m_dragCenter - (p - m_dragStart) / scale);
            Q_EMIT viewportChanged(m_zoom, center());
        } else if (isSwiping()) {
            if (std::abs(p.x() - dividerX()) <= kDividerGrip)
                setCursor(Qt::SplitHCursor);
            else
                unsetCursor();
            return;
        } else {
            QWidget::mouseMoveEvent(event);
            return;
        }
        event->accept();
    }

    void ImageView::mouseReleaseEvent(QMouseEvent* event)
    {
        if (m_drag != Drag::None && event->button() == Qt::LeftButton) {
            m_drag = Drag::None;
            unsetCursor();
            event->accept();
            return;
        }
        QWidget::mouseReleaseEvent(event);
    }

    void ImageView::mouseDoubleClickEvent(QMouseEvent* event)
    {
        if (m_interactive && event->button() == Qt::LeftButton) {
            resetViewport();
            Q_EMIT viewportChanged(m_zoom, center());
            event->accept();
            return;
        }
        QWidget::mouseDoubleClickEvent(event);
    }

    void ImageView::keyPressEvent(QKeyEvent* event)
    {
        const QPointF middle(width() / 2.0, height() / 2.0);
        const double step = event->modifiers() & Qt::ShiftModifier ? 0.01 : 0.05;
        switch (event->key()) {
        case Qt::Key_Left:
        case Qt::Key_Right:
            if (isSwiping()) {
                setSwipePosition(m_swipe + (event->key() == Qt::Key_Left ? -step : step));
                Q_EMIT swipePositionChanged(m_swipe);
                return;
            }
            break;
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            if (m_interactive) {
                zoomAbout(1.25, middle);
                return;
            }
            break;
        case Qt::Key_Minus:
            if (m_interactive) {
                zoomAbout(1 / 1.25, middle);
                return;
            }
            break;
        case Qt::Key_0:
            if (m_interactive) {
                resetViewport();
                Q_EMIT viewportChanged(m_zoom, center());
                return;
            }
            break;
        default:
            break;
        }
        QWidget::keyPressEvent(event);
    }

} // namespace ui
} // namespace msup
