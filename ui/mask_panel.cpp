#include "ui/mask_panel.h"

#include "core/data/image_io.h"
#include "core/masks/hole_generator.h"
#include "ui/background_task.h"
#include "ui/format.h"
#include "ui/image_view.h"
#include "ui/label_image.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

namespace msup {
namespace ui {

    struct MaskPreview {
        int requestId = 0;
        QImage mask; // Grayscale8, 255 = hole
        QImage masked; // RGB888, holes mid-grey
        double ratio = -1;
        QString error;
    };

    MaskPanel::MaskPanel(QWidget* parent)
        : QWidget(parent)
        , m_runner(std::make_unique<LatestTaskRunner<MaskPreview>>(
              this, [this](const MaskPreview& preview) { onPreview(preview); }))
    {
        auto* layout = new QVBoxLayout(this);

        auto* explanation = new QLabel(
            tr("MaskSup trains one network on each image and on a copy with random streaks and holes "
               "removed; the masked branch must still segment the whole image, which teaches it "
               "context. Masks change every step during training; they are never used for "
               "prediction."),
            this);
        explanation->setWordWrap(true);
        layout->addWidget(explanation);

        auto* views = new QGridLayout;
        const QString captions[3]
            = { tr("Image"), tr("Mask (white = removed)"), tr("Masked image (as the network sees it)") };
        ImageView** targets[3] = { &m_imageView, &m_maskView, &m_maskedView };
        const char* names[3] = { "maskSourceView", "maskView", "maskedImageView" };
        for (int i = 0; i < 3; ++i) {
            auto* caption = new QLabel(captions[i], this);
            caption->setAlignment(Qt::AlignCenter);
            *targets[i] = new ImageView(this);
            (*targets[i])->setObjectName(QString::fromLatin1(names[i]));
            (*targets[i])->clear(tr("Select an image in the sample list"));
            views->addWidget(caption, 0, i);
            views->addWidget(*targets[i], 1, i);
            views->setColumnStretch(i, 1);
        }
        views->setRowStretch(1, 1);
        layout->addLayout(views, 1);

        auto* controls = new QHBoxLayout;
        m_rerollButton = new QPushButton(tr("&Reroll"), this);
        m_rerollButton->setObjectName(QStringLiteral("rerollButton"));
        m_rerollButton->setShortcut(QKeySequence(Qt::Key_R));
        m_rerollButton->setToolTip(tr("Draw a new mask (next seed)  [R]"));
        connect(m_rerollButton, &QPushButton::clicked, this, &MaskPanel::reroll);
        controls->addWidget(m_rerollButton);

        auto* seedCaption = new QLabel(tr("Seed:"), this);
        m_seedSpin = new QSpinBox(this);
        m_seedSpin->setObjectName(QStringLiteral("maskSeedSpin"));
        m_seedSpin->setRange(0, std::numeric_limits<int>::max());
        m_seedSpin->setValue(1);
        seedCaption->setBuddy(m_seedSpin);
        connect(m_seedSpin, &QSpinBox::valueChanged, this, &MaskPanel::requestPreview);
        controls->addWidget(seedCaption);
        controls->addWidget(m_seedSpin);

        auto* ratioCaption = new QLabel(tr("Hole ratio:"), this);
        m_ratioCombo = new QComboBox(this);
        m_ratioCombo->setObjectName(QStringLiteral("maskRatioCombo"));
        m_ratioCombo->setEditable(true);
        m_ratioCombo->setInsertPolicy(QComboBox::NoInsert);
        m_ratioCombo->addItem(QStringLiteral("high"));
        m_ratioCombo->addItem(QStringLiteral("low"));
        m_ratioCombo->addItem(QStringLiteral("0.2-0.3"));
        m_ratioCombo->setToolTip(tr("“high” = 50–60 % of the pixels removed (the paper's best "
                                    "setting), “low” = 1–10 %, or a custom range “A-B” with "
                                    "0 ≤ A < B ≤ 1"));
        m_ratioCombo->setMinimumContentsLength(10);
        ratioCaption->setBuddy(m_ratioCombo);
        connect(m_ratioCombo, &QComboBox::currentTextChanged, this, &MaskPanel::onRatioTextChanged);
        controls->addWidget(ratioCaption);
        controls->addWidget(m_ratioCombo);

        m_measuredLabel = new QLabel(this);
        m_measuredLabel->setObjectName(QStringLiteral("measuredRatioLabel"));
        controls->addSpacing(12);
        controls->addWidget(m_measuredLabel);
        controls->addStretch(1);
        layout->addLayout(controls);

        m_ratioErrorLabel = new QLabel(this);
        m_ratioErrorLabel->setObjectName(QStringLiteral("ratioErrorLabel"));
        m_ratioErrorLabel->setStyleSheet(QStringLiteral("color: #c0392b;"));
        m_ratioErrorLabel->setWordWrap(true);
        m_ratioErrorLabel->hide();
        layout->addWidget(m_ratioErrorLabel);

        onRatioTextChanged(m_ratioCombo->currentText());
    }

    MaskPanel::~MaskPanel() = default;

    void MaskPanel::setImage(const QImage& rgb)
    {
        m_image = rgb.convertToFormat(QImage::Format_RGB888);
        m_imageView->setImage(m_image);
        requestPreview();
    }

    void MaskPanel::clearImage()
    {
        m_image = QImage();
        ++m_requestId;
        m_runner->dropPending();
        m_measuredRatio = -1;
        m_measuredLabel->clear();
        for (ImageView* view : { m_imageView, m_maskView, m_maskedView })
            view->clear(tr("Select an image in the sample list"));
    }

    int MaskPanel::seed() const
    {
        return m_seedSpin->value();
    }

    void MaskPanel::setSeed(int seed)
    {
        m_seedSpin->setValue(seed);
    }

    QString MaskPanel::ratioText() const
    {
        return m_ratioCombo->currentText().trimmed();
    }

    void MaskPanel::setRatioText(const QString& text)
    {
        m_ratioCombo->setCurrentText(text);
    }

    QImage MaskPanel::maskImage() const
    {
        return m_maskView->image();
    }

    QImage MaskPanel::maskedImage() const
    {
        return m_maskedView->image();
    }

    void MaskPanel::reroll()
    {
        if (m_seedSpin->value() < m_seedSpin->maximum())
            m_seedSpin->setValue(m_seedSpin->value() + 1);
        else
            m_seedSpin->setValue(0);
    }

    void MaskPanel::onRatioTextChanged(const QString& text)
    {
        try {
            const msup::HoleRatioRange range = msup::HoleRatioRange::parse(text.trimmed().toStdString());
            m_ratioError.clear();
            m_ratioErrorLabel->hide();
            m_ratioCombo->setStyleSheet(QString());
            if (range.lo == m_lo && range.hi == m_hi && m_measuredRatio >= 0)
                return;
            m_lo = range.lo;
            m_hi = range.hi;
            requestPreview();
        } catch (const std::exception& e) {
            m_ratioError = QString::fromLocal8Bit(e.what());
            m_ratioErrorLabel->setText(tr("Invalid hole ratio: %1").arg(m_ratioError));
            m_ratioErrorLabel->show();
            m_ratioCombo->setStyleSheet(QStringLiteral("QComboBox { color: #c0392b; }"));
        }
    }

    void MaskPanel::requestPreview()
    {
        if (m_image.isNull() || !m_ratioError.isEmpty())
            return;
        if (m_image.width() < 16 || m_image.height() < 16) {
            m_measuredLabel->setText(tr("Image too small for a mask (16 × 16 px at least)"));
            return;
        }
        const QImage image = m_image;
        msup::HoleRatioRange range;
        range.lo = m_lo;
        range.hi = m_hi;
        const int seed = m_seedSpin->value();
        const int requestId = ++m_requestId;
        m_measuredLabel->setText(tr("Generating…"));
        m_runner->request([image, range, seed, requestId]() {
            MaskPreview preview;
            preview.requestId = requestId;
            const cv::Mat mask = msup::HoleGenerator(range).generate(
                image.width(), image.height(), static_cast<std::uint64_t>(seed));
            preview.ratio = msup::holeRatio(mask);
            preview.mask = msup::gray8ToQImage(mask);
            preview.masked = applyHoles(image, mask);
            return preview;
        });
    }

    void MaskPanel::onPreview(const MaskPreview& preview)
    {
        if (!preview.error.isEmpty()) {
            m_measuredLabel->setText(tr("Mask generation failed: %1").arg(preview.error));
            return;
        }
        if (preview.requestId != m_requestId)
            return;
        m_measuredRatio = preview.ratio;
        m_maskView->setImage(preview.mask);
        m_maskedView->setImage(preview.masked);
        m_measuredLabel->setText(tr("Measured hole ratio: %1 % (target %2–%3 %)")
                                     .arg(formatNumber(preview.ratio * 100, 1))
                                     .arg(formatNumber(m_lo * 100, 0))
                                     .arg(formatNumber(m_hi * 100, 0)));
        Q_EMIT previewUpdated();
    }

} // namespace ui
} // namespace msup
