#include "ui/prediction_panel.h"

#include "core/data/image_io.h"
#include "core/io/atomic_file.h"
#include "core/io/overlay.h"
#include "core/train/predictor.h"
#include "core/train/training_session.h"
#include "ui/background_task.h"
#include "ui/format.h"
#include "ui/image_view.h"
#include "ui/label_image.h"

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QMutex>
#include <QMutexLocker>
#include <QPushButton>
#include <QSlider>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace msup {
namespace ui {

    // Loading a checkpoint reads the whole file and rebuilds the network: do it once, and again
    // only when the checkpoint file (path, size, modification time) or the device changes, e.g.
    // when a run overwrites its best.pt. Predictor is not thread-safe: the mutex serialises use.
    struct PredictorCache {
        QMutex mutex;
        QString key;
        std::unique_ptr<msup::Predictor> predictor;

        // Call with `mutex` held.
        msup::Predictor& get(const QString& checkpoint, const QString& device)
        {
            const QFileInfo fi(checkpoint);
            const QString key = fi.absoluteFilePath() + QLatin1Char('|') + QString::number(fi.size())
                + QLatin1Char('|') + QString::number(fi.lastModified().toMSecsSinceEpoch()) + QLatin1Char('|')
                + device;
            if (!predictor || key != this->key) {
                predictor.reset();
                predictor = std::make_unique<msup::Predictor>(checkpoint, device);
                this->key = key;
            }
            return *predictor;
        }
    };

    struct PredictionResult {
        int requestId = 0;
        QString checkpoint;
        QString imagePath;
        bool hasInfo = false;
        msup::CheckpointInfo info;
        QImage rgb;
        QImage labels; // Grayscale8 class indices
        QString error;
    };

    PredictionPanel::PredictionPanel(QWidget* parent)
        : QWidget(parent)
        , m_device(msup::TrainingSession::cudaAvailable() ? QStringLiteral("cuda") : QStringLiteral("cpu"))
        , m_runner(std::make_unique<LatestTaskRunner<PredictionResult>>(
              this, [this](const PredictionResult& result) { onResult(result); }))
        , m_predictors(std::make_shared<PredictorCache>())
    {
        auto* layout = new QVBoxLayout(this);

        auto* buttons = new QHBoxLayout;
        m_openCheckpointButton = new QPushButton(tr("Open checkpoint…"), this);
        m_openCheckpointButton->setObjectName(QStringLiteral("openCheckpointButton"));
        connect(m_openCheckpointButton, &QPushButton::clicked, this, &PredictionPanel::openCheckpoint);
        m_openImageButton = new QPushButton(tr("Open image…"), this);
        m_openImageButton->setObjectName(QStringLiteral("openImageButton"));
        m_openImageButton->setToolTip(tr("Segment an image that is not in the dataset"));
        connect(m_openImageButton, &QPushButton::clicked, this, &PredictionPanel::openImage);
        m_predictButton = new QPushButton(tr("Predict"), this);
        m_predictButton->setObjectName(QStringLiteral("predictButton"));
        connect(m_predictButton, &QPushButton::clicked, this, &PredictionPanel::predict);
        m_exportButton = new QPushButton(tr("Export overlay…"), this);
        m_exportButton->setObjectName(QStringLiteral("exportOverlayButton"));
        m_exportButton->setToolTip(tr("Save the image with the predicted classes as PNG  [Ctrl+E]"));
        connect(m_exportButton, &QPushButton::clicked, this, &PredictionPanel::exportOverlay);
        buttons->addWidget(m_openCheckpointButton);
        buttons->addWidget(m_openImageButton);
        buttons->addWidget(m_predictButton);
        buttons->addWidget(m_exportButton);
        buttons->addStretch(1);
        layout->addLayout(buttons);

        m_checkpointLabel = new QLabel(this);
        m_checkpointLabel->setObjectName(QStringLiteral("checkpointLabel"));
        m_checkpointLabel->setWordWrap(true);
        m_checkpointLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(m_checkpointLabel);
        m_imageLabel = new QLabel(this);
        m_imageLabel->setObjectName(QStringLiteral("predictionImageLabel"));
        m_imageLabel->setWordWrap(true);
        m_imageLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(m_imageLabel);

        m_view = new ImageView(this);
        m_view->setObjectName(QStringLiteral("predictionView"));
        layout->addWidget(m_view, 1);

        auto* controls = new QHBoxLayout;
        auto* opacityCaption = new QLabel(tr("Prediction opacity:"), this);
        m_opacitySlider = new QSlider(Qt::Horizontal, this);
        m_opacitySlider->setObjectName(QStringLiteral("predictionOpacitySlider"));
        m_opacitySlider->setRange(0, 100);
        m_opacitySlider->setValue(50);
        m_opacitySlider->setMaximumWidth(240);
        opacityCaption->setBuddy(m_opacitySlider);
        connect(m_opacitySlider, &QSlider::valueChanged, this, &PredictionPanel::updateOverlay);
        controls->addWidget(opacityCaption);
        controls->addWidget(m_opacitySlider);
        m_resultLabel = new QLabel(this);
        m_resultLabel->setObjectName(QStringLiteral("predictionResultLabel"));
        m_resultLabel->setTextFormat(Qt::RichText);
        m_resultLabel->setWordWrap(true);
        controls->addSpacing(16);
        controls->addWidget(m_resultLabel, 1);
        layout->addLayout(controls);

        updateInfo();
    }

    PredictionPanel::~PredictionPanel() = default;

    bool PredictionPanel::isBusy() const
    {
        return m_runner->isBusy();
    }

    void PredictionPanel::setCheckpoint(const QString& path)
    {
        m_checkpoint = path;
        m_hasInfo = false;
        m_labels = cv::Mat();
        m_rgb = cv::Mat();
        updateInfo();
        Q_EMIT checkpointChanged(path);
        Q_EMIT exportAvailable(false);
        predict();
    }

    void PredictionPanel::setImage(const QImage& rgb, const QString& name)
    {
        m_inputImage = rgb;
        m_imagePath = name;
        updateInfo();
        if (!m_checkpoint.isEmpty() && !rgb.isNull())
            predict();
    }

    void PredictionPanel::setImagePath(const QString& path)
    {
        if (path == m_imagePath && m_inputImage.isNull())
            return;
        m_inputImage = QImage();
        m_imagePath = path;
        if (path.isEmpty()) {
            // A new dataset: the previous prediction belongs to an image of the old one.
            ++m_requestId;
            m_rgb = cv::Mat();
            m_labels = cv::Mat();
            Q_EMIT exportAvailable(false);
        }
        updateInfo();
        if (!m_checkpoint.isEmpty() && !path.isEmpty())
            predict();
    }

    void PredictionPanel::openCheckpoint()
    {
        QString start = m_checkpoint.isEmpty()
            ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/runs")
            : QFileInfo(m_checkpoint).absolutePath();
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open checkpoint"), start, tr("MaskSup checkpoints (*.pt);;All files (*)"));
        if (!path.isEmpty())
            setCheckpoint(path);
    }

    void PredictionPanel::openImage()
    {
        const QString start
            = m_imagePath.isEmpty() ? QDir::homePath() : QFileInfo(m_imagePath).absolutePath();
        const QString path = QFileDialog::getOpenFileName(this, tr("Open image"), start,
            tr("Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff);;All files (*)"));
        if (!path.isEmpty())
            setImagePath(path);
    }

    void PredictionPanel::predict()
    {
        if (m_checkpoint.isEmpty())
            return;
        const QString checkpoint = m_checkpoint;
        const QString imagePath = m_imagePath;
        const QImage inputImage = m_inputImage;
        const QString device = m_device;
        const int requestId = ++m_requestId;
        m_resultLabel->setText(imagePath.isEmpty() ? tr("Reading the checkpoint…") : tr("Predicting…"));
        m_predictButton->setEnabled(false);
        m_runner->request([checkpoint, imagePath, inputImage, device, requestId, cache = m_predictors]() {
            PredictionResult result;
            result.requestId = requestId;
            result.checkpoint = checkpoint;
            result.imagePath = imagePath;
            try {
                if (imagePath.isEmpty()) {
                    result.info = msup::readCheckpointInfo(checkpoint);
                    result.hasInfo = true;
                    return result;
                }
                QMutexLocker lock(&cache->mutex);
                msup::Predictor& predictor = cache->get(checkpoint, device);
                result.info = predictor.info();
                result.hasInfo = true;
                const cv::Mat rgb
                    = inputImage.isNull() ? msup::loadImageRgb(imagePath) : msup::qImageToRgb(inputImage);
                result.rgb = msup::rgbToQImage(rgb);
                result.labels = msup::gray8ToQImage(predictor.predict(rgb));
            } catch (const std::exception& e) {
                result.error = QString::fromLocal8Bit(e.what());
            }
            return result;
        });
    }

    void PredictionPanel::onResult(const PredictionResult& result)
    {
        m_predictButton->setEnabled(!m_checkpoint.isEmpty());
        if (result.requestId != m_requestId)
            return;
        if (!result.error.isEmpty()) {
            m_resultLabel->setText(tr("Prediction failed."));
            const bool checkpointProblem = !result.hasInfo;
            showError(checkpointProblem
                    ? tr("Could not load the checkpoint “%1”.")
                          .arg(QDir::toNativeSeparators(result.checkpoint))
                    : tr("Could not segment the image “%1”.").arg(QDir::toNativeSeparators(result.imagePath)),
                result.error + QStringLiteral("\n\n")
                    + (checkpointProblem ? tr("Choose a checkpoint written by MaskSup Studio (a .pt file in "
                                              "the checkpoints folder of a run) with Open checkpoint….")
                                         : tr("Check that the image file is complete and readable, or open "
                                              "another image.")));
            Q_EMIT predictionFailed(result.error);
            return;
        }
        m_info = result.info;
        m_hasInfo = result.hasInfo;
        if (!result.rgb.isNull()) {
            m_rgb = msup::qImageToRgb(result.rgb);
            m_labels = msup::qImageToGray8(result.labels);
            m_shownImagePath = result.imagePath;
        }
        updateInfo();
        updateOverlay();
        if (!m_labels.empty()) {
            Q_EMIT exportAvailable(true);
            Q_EMIT predictionReady(result.imagePath);
        }
    }

    double PredictionPanel::overlayOpacity() const
    {
        return m_opacitySlider->value() / 100.0;
    }

    void PredictionPanel::setOverlayOpacity(double opacity)
    {
        m_opacitySlider->setValue(qRound(qBound(0.0, opacity, 1.0) * 100));
    }

    QImage PredictionPanel::overlayImage() const
    {
        return m_labels.empty() ? QImage() : m_view->image();
    }

    void PredictionPanel::updateOverlay()
    {
        if (m_rgb.empty() || m_labels.empty())
            return;
        const msup::OverlayOptions options
            = msup::overlayOptionsFor(int(m_info.classNames.size()), m_info.ignoreIndex, overlayOpacity());
        try {
            m_view->setImage(msup::colorOverlay(m_rgb, m_labels, m_info.classColors, options));
        } catch (const std::exception& e) {
            m_resultLabel->setText(tr("Overlay failed: %1").arg(QString::fromLocal8Bit(e.what())));
            return;
        }

        // Share of the image each predicted class covers.
        const int classes = std::max<int>(1, int(m_info.classNames.size()));
        QVector<qint64> counts(256, 0);
        for (int y = 0; y < m_labels.rows; ++y) {
            const unsigned char* row = m_labels.ptr<unsigned char>(y);
            for (int x = 0; x < m_labels.cols; ++x)
                ++counts[row[x]];
        }
        const double total = double(m_labels.total());
        QStringList parts;
        for (int c = 0; c < classes; ++c) {
            const QColor color = c < m_info.classColors.size() ? m_info.classColors[c] : QColor(Qt::gray);
            const QString name = c < m_info.classNames.size() ? m_info.classNames[c] : QString::number(c);
            parts << QStringLiteral("<span style=\"color:%1; font-size:large\">■</span>&nbsp;%2 %3 %")
                         .arg(color.name(), name.toHtmlEscaped())
                         .arg(formatNumber(100.0 * counts[c] / total, 1));
        }
        m_resultLabel->setText(tr("Predicted: %1").arg(parts.join(QStringLiteral(" &nbsp; "))));
    }

    void PredictionPanel::updateInfo()
    {
        m_predictButton->setEnabled(!m_checkpoint.isEmpty() && !m_runner->isBusy());
        m_exportButton->setEnabled(!m_labels.empty());
        if (m_checkpoint.isEmpty()) {
            m_checkpointLabel->setText(tr("No checkpoint yet: train a model (Training tab) or open a "
                                          "checkpoint."));
        } else if (!m_hasInfo) {
            m_checkpointLabel->setText(tr("Checkpoint: %1").arg(QDir::toNativeSeparators(m_checkpoint)));
        } else {
            m_checkpointLabel->setText(
                tr("Checkpoint: %1 — %2, width %3, mode %4, %5 px, epoch %6, validation mIoU %7, "
                   "classes: %8 (runs on %9)")
                    .arg(QDir::toNativeSeparators(m_checkpoint), m_info.config.model)
                    .arg(m_info.config.width)
                    .arg(m_info.config.mode)
                    .arg(m_info.config.imageSize)
                    .arg(m_info.epoch)
                    .arg(formatNumber(m_info.valMiou, 4))
                    .arg(m_info.classNames.join(QStringLiteral(", ")), m_device));
        }
        m_imageLabel->setText(m_imagePath.isEmpty()
                ? tr("No image selected: select a sample or open an image.")
                : tr("Image: %1").arg(QDir::toNativeSeparators(m_imagePath)));
        if (m_labels.empty()) {
            if (m_checkpoint.isEmpty())
                m_view->clear(tr("No prediction yet"));
            else if (m_imagePath.isEmpty())
                m_view->clear(tr("No image selected"));
            else
                m_view->clear(tr("Predicting…"));
        }
    }

    void PredictionPanel::exportOverlay()
    {
        const QImage overlay = overlayImage();
        if (overlay.isNull()) {
            showError(tr("There is no prediction to export yet."),
                tr("Select an image and a checkpoint, wait for the prediction, then export."));
            return;
        }
        const QFileInfo source(m_shownImagePath);
        const QString suggested = QDir(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
                                      .filePath(source.completeBaseName() + QStringLiteral("-overlay.png"));
        QString path
            = QFileDialog::getSaveFileName(this, tr("Export overlay"), suggested, tr("PNG images (*.png)"));
        if (path.isEmpty())
            return;
        if (QFileInfo(path).suffix().isEmpty())
            path += QStringLiteral(".png");
        exportOverlayTo(path);
    }

    bool PredictionPanel::exportOverlayTo(const QString& path)
    {
        const QImage overlay = overlayImage();
        if (overlay.isNull())
            return false;
        try {
            msup::writeImageAtomic(path, overlay, "PNG");
        } catch (const std::exception& e) {
            showError(tr("Could not export the overlay to “%1”.").arg(QDir::toNativeSeparators(path)),
                QString::fromLocal8Bit(e.what()) + QStringLiteral("\n\n")
                    + tr("Choose a folder you can write to and try again."));
            return false;
        }
        m_resultLabel->setText(tr("Overlay saved to %1").arg(QDir::toNativeSeparators(path)));
        return true;
    }

    void PredictionPanel::showError(const QString& text, const QString& details)
    {
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Prediction"), text, QMessageBox::Close, this);
        box->setInformativeText(details);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }

} // namespace ui
} // namespace msup
