#pragma once

#include "core/train/model_store.h"

#include <QImage>
#include <QString>
#include <QWidget>
#include <opencv2/core.hpp>

#include <memory>

class QLabel;
class QPushButton;
class QSlider;

namespace msup {
namespace ui {

    class ImageView;
    struct PredictionResult;
    struct PredictorCache;
    template <typename Result> class LatestTaskRunner;

    // Segments an image with a checkpoint and blends the predicted classes over it. The checkpoint is
    // the last finished run's best one, or one the user opens; the image is the dataset selection or
    // one the user opens. Each prediction runs in the background with its own msup::Predictor (the
    // predictor is not thread-safe, so none is shared); only the newest request is kept.
    class PredictionPanel : public QWidget {
        Q_OBJECT
    public:
        explicit PredictionPanel(QWidget* parent = nullptr);
        ~PredictionPanel() override;

        // Sets the checkpoint and predicts the current image with it (if any).
        void setCheckpoint(const QString& path);
        QString checkpointPath() const { return m_checkpoint; }
        // What the checkpoint of the last successful prediction says about itself (classes, ...).
        const msup::CheckpointInfo& checkpointInfo() const { return m_info; }
        // The image to segment (the dataset selection); predicted when a checkpoint is set.
        void setImagePath(const QString& path);
        // An image already decoded (a frame of a container such as the NYUDv2 .mat, which has no
        // file of its own); `name` stands for its path in labels and export file names.
        void setImage(const QImage& rgb, const QString& name);
        QString imagePath() const { return m_imagePath; }

        bool isBusy() const;
        bool hasPrediction() const { return !m_labels.empty(); }
        QImage overlayImage() const;
        double overlayOpacity() const;
        void setOverlayOpacity(double opacity);
        // The device predictions run on ("cpu", or "cuda" when this build has a GPU).
        QString device() const { return m_device; }

    public Q_SLOTS:
        void openCheckpoint();
        void openImage();
        void predict();
        // Asks for a file name, then writes the overlay as PNG; errors are shown in a dialog.
        void exportOverlay();
        // Writes the overlay to `path` (PNG, atomically). Returns false after showing an error.
        bool exportOverlayTo(const QString& path);

    Q_SIGNALS:
        void checkpointChanged(const QString& path);
        void predictionReady(const QString& imagePath);
        void predictionFailed(const QString& message);
        void exportAvailable(bool available);

    private:
        void onResult(const PredictionResult& result);
        void updateOverlay();
        void updateInfo();
        void showError(const QString& text, const QString& details);

        QString m_checkpoint;
        QString m_imagePath;
        QImage m_inputImage; // set by setImage(): used instead of reading m_imagePath
        QString m_device;
        int m_requestId = 0;
        bool m_hasInfo = false;
        msup::CheckpointInfo m_info;
        cv::Mat m_rgb;
        cv::Mat m_labels;
        QString m_shownImagePath;

        QLabel* m_checkpointLabel = nullptr;
        QLabel* m_imageLabel = nullptr;
        QLabel* m_resultLabel = nullptr;
        QPushButton* m_openCheckpointButton = nullptr;
        QPushButton* m_openImageButton = nullptr;
        QPushButton* m_predictButton = nullptr;
        QPushButton* m_exportButton = nullptr;
        QSlider* m_opacitySlider = nullptr;
        ImageView* m_view = nullptr;
        std::unique_ptr<LatestTaskRunner<PredictionResult>> m_runner;
        // The loaded model, shared with the background jobs (which may outlive a request).
        std::shared_ptr<PredictorCache> m_predictors;
    };

} // namespace ui
} // namespace msup
