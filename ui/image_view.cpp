#include "ui/image_view.h"

#include <QPainter>

namespace msup {
namespace ui {

    ImageView::ImageView(QWidget* parent)
        : QWidget(parent)
    {
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
        setAttribute(Qt::WA_OpaquePaintEvent);
    }

    void ImageView::setImage(const QImage& image)
    {
        m_image = image;
        update();
    }

    void ImageView::clear(const QString& text)
    {
        m_image = QImage();
        m_placeholder = text;
        update();
    }

    void ImageView::setPlaceholderText(const QString& text)
    {
        m_placeholder = text;
        update();
    }

    QSize ImageView::sizeHint() const
    {
        return { 320, 240 };
    }

    QSize ImageView::minimumSizeHint() const
    {
        return { 96, 96 };
    }

    void ImageView::paintEvent(QPaintEvent*)
    {
        QPainter painter(this);
        painter.fillRect(rect(), QColor(0x30, 0x30, 0x34));
        if (m_image.isNull()) {
            painter.setPen(QColor(0xc8, 0xc8, 0xc8));
            painter.drawText(
                rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
            return;
        }
        const QSize available = size() - QSize(4, 4);
        QSize target = m_image.size().scaled(available, Qt::KeepAspectRatio);
        const double maxScale = 4.0;
        if (target.width() > m_image.width() * maxScale)
            target = m_image.size() * maxScale;
        target = target.expandedTo(QSize(1, 1));
        const QRect area(QPoint((width() - target.width()) / 2, (height() - target.height()) / 2), target);
        // Enlarged images stay pixel-exact (labels and masks are pixel data); reduced ones are smoothed.
        const bool enlarging = target.width() > m_image.width();
        painter.setRenderHint(QPainter::SmoothPixmapTransform, !enlarging);
        painter.drawImage(area, m_image);
    }

} // namespace ui
} // namespace msup
