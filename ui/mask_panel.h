#pragma once

#include <QImage>
#include <QString>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace msup {
namespace ui {

    class ImageView;
    struct MaskPreview;
    template <typename Result> class LatestTaskRunner;

    // Shows what MaskSup does to the current image: the image, a random "streaks and holes" mask
    // for the chosen seed and hole ratio, and the masked image exactly as the context branch of the
    // network sees it (holes are mid-grey, i.e. 0 after normalisation). Masks are generated in the
    // background; only the newest request is kept.
    class MaskPanel : public QWidget {
        Q_OBJECT
    public:
        explicit MaskPanel(QWidget* parent = nullptr);
        ~MaskPanel() override;

        void setImage(const QImage& rgb);
        void clearImage();

        int seed() const;
        void setSeed(int seed);
        QString ratioText() const;
        void setRatioText(const QString& text);
        // Empty when the ratio text is valid, else the message shown under the combo box.
        QString ratioError() const { return m_ratioError; }
        // Hole ratio of the mask shown (-1 before the first mask).
        double measuredHoleRatio() const { return m_measuredRatio; }
        QImage maskImage() const;
        QImage maskedImage() const;

    public Q_SLOTS:
        void reroll();

    Q_SIGNALS:
        void previewUpdated();

    private:
        void onRatioTextChanged(const QString& text);
        void requestPreview();
        void onPreview(const MaskPreview& preview);

        QImage m_image;
        QString m_ratioError;
        double m_lo = 0.5;
        double m_hi = 0.6;
        double m_measuredRatio = -1;
        int m_requestId = 0;

        ImageView* m_imageView = nullptr;
        ImageView* m_maskView = nullptr;
        ImageView* m_maskedView = nullptr;
        QPushButton* m_rerollButton = nullptr;
        QSpinBox* m_seedSpin = nullptr;
        QComboBox* m_ratioCombo = nullptr;
        QLabel* m_ratioErrorLabel = nullptr;
        QLabel* m_measuredLabel = nullptr;
        std::unique_ptr<LatestTaskRunner<MaskPreview>> m_runner;
    };

} // namespace ui
} // namespace msup
