#pragma once

#include <QImage>
#include <QString>
#include <QWidget>

namespace msup {
namespace ui {

    // Shows an image scaled to fit (aspect ratio kept, never enlarged beyond 4x), centred on a dark
    // background, with a text shown instead when there is no image (e.g. "Loading…" or an error).
    class ImageView : public QWidget {
        Q_OBJECT
    public:
        explicit ImageView(QWidget* parent = nullptr);

        void setImage(const QImage& image);
        const QImage& image() const { return m_image; }
        void clear(const QString& text = {});
        void setPlaceholderText(const QString& text);
        QString placeholderText() const { return m_placeholder; }

        QSize sizeHint() const override;
        QSize minimumSizeHint() const override;

    protected:
        void paintEvent(QPaintEvent* event) override;

    private:
        QImage m_image;
        QString m_placeholder;
    };

} // namespace ui
} // namespace msup
