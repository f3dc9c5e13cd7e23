#pragma once

#include "core/data/dataset.h"
#include "core/io/overlay.h"
#include "core/train/model_store.h"

#include <QImage>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>
#include <opencv2/core.hpp>

#include <memory>

class QAbstractButton;
class QButtonGroup;
class QComboBox;
class QDragEnterEvent;
class QDropEvent;
class QLabel;
class QLayout;
class QListWidget;
class QListWidgetItem;
class QProgressBar;
class QPushButton;
class QSlider;
class QSplitter;
class QToolButton;

namespace msup {
namespace ui {

    class ImageView;
    struct PredictionResult;
    struct PredictorCache;
    struct LabelCache;
    struct BatchResult;
    class JobRunner;
    class InferenceOptionsBox;
    template <typename Result> class LatestTaskRunner;

    // Segments images with a run's checkpoint and blends the predicted classes over them.
    //
    // Inputs: the dataset selection (with its ground truth), or image files and folders the user
    // opens or drops on the panel; opened images are listed and stepped through with PgUp/PgDn, and
    // all of them are predicted in the background (progress bar, Cancel). The checkpoint is the last
    // finished run's best one, one the user opens, or a recent one from the list.
    //
    // Display: filled regions, class outlines, or error mode (true/false positives and false
    // negatives against the ground truth, only for dataset samples), an opacity slider, and a legend
    // whose check boxes hide classes. A second checkpoint ("Compare with…") is predicted too and
    // shown side by side (two views with linked zoom and pan) or as a swipe (one view, run A left of
    // a draggable divider, run B right of it).
    //
    // Each prediction runs in the background with its own msup::Predictor per checkpoint (the
    // predictor is not thread-safe, so a mutex serialises its use); only the newest request for the
    // image on show is kept, and label maps already predicted are reused.
    class PredictionPanel : public QWidget {
        Q_OBJECT
    public:
        enum class DisplayMode { Fill, Outline, Errors, Uncertainty };
        Q_ENUM(DisplayMode)
        enum class ComparisonMode { Single, SideBySide, Swipe };
        Q_ENUM(ComparisonMode)

        explicit PredictionPanel(QWidget* parent = nullptr);
        ~PredictionPanel() override;

        // Sets the checkpoint (run A) and predicts the current image with it (if any).
        void setCheckpoint(const QString& path);
        QString checkpointPath() const { return m_checkpoint; }
        // What the checkpoint of the last successful prediction says about itself (classes, ...).
        const msup::CheckpointInfo& checkpointInfo() const { return m_info; }
        // The image to segment (the dataset selection); predicted when a checkpoint is set. It has
        // no ground truth: prefer setDatasetSample() for dataset samples.
        void setImagePath(const QString& path);
        // An image already decoded (a frame of a container such as the NYUDv2 .mat, which has no
        // file of its own); `name` stands for its path in labels and export file names.
        void setImage(const QImage& rgb, const QString& name);
        // A dataset sample: its image (file or container frame, named as setImage() names frames)
        // and its ground-truth labels are read in the background, which enables error mode.
        void setDatasetSample(const msup::Dataset& dataset, int index);
        // Ground truth of the image on show (CV_8UC1 class indices, `ignoreIndex` for void pixels,
        // the image's size); an empty map removes it. Forgotten when another image is shown.
        void setGroundTruth(const cv::Mat& labels, int ignoreIndex = 255);
        bool hasGroundTruth() const { return !m_truth.empty(); }
        QString imagePath() const { return m_imagePath; }

        // Opened images (files, and the images of folders, not recursive, sorted by name): they
        // replace the list, the first one is shown and all are predicted in the background.
        void openImages(const QStringList& filesOrFolders);
        QStringList openedImages() const { return m_images; }
        // Index in openedImages() of the image on show, or -1 (a dataset sample, or none).
        int currentImageIndex() const;
        void setCurrentImageIndex(int index);
        // Predicted label maps of `imagePath` with the current checkpoint(s) are at hand.
        bool hasPredictionFor(const QString& imagePath) const;
        bool isPredictingAll() const { return m_batchRunning; }
        int batchDone() const { return m_batchDone; }
        int batchTotal() const { return m_batchTotal; }

        bool isBusy() const;
        bool hasPrediction() const { return !m_labels.empty(); }
        // Run A's class map of the image shown (CV_8UC1 at the image's size; empty when none) and the
        // path of that image (dataset frames: <root>/frame_<id>).
        const cv::Mat& predictedLabels() const { return m_labels; }
        QString predictedImagePath() const { return m_shownImagePath; }
        // The overlay of run A as the display mode draws it (what "Export overlay" writes in the
        // single view), at the image's size.
        QImage overlayImage() const;
        double overlayOpacity() const;
        void setOverlayOpacity(double opacity);
        // The device predictions run on ("cpu", or "cuda" when this build has a GPU).
        QString device() const { return m_device; }

        // Display mode. Errors is refused (returns false) without ground truth; the mode chosen is
        // remembered (QSettings) and errors come back when an image with ground truth does.
        DisplayMode displayMode() const;
        bool setDisplayMode(DisplayMode mode);
        bool isErrorModeAvailable() const { return hasGroundTruth() && hasPrediction(); }
        // Legend check boxes: a hidden class is left unpainted (fill and outline modes); a hidden
        // error kind (msup::ErrorCode) likewise in error mode.
        void setClassHidden(int classIndex, bool hidden);
        bool isClassHidden(int classIndex) const;
        void setErrorHidden(int errorCode, bool hidden);
        bool isErrorHidden(int errorCode) const;
        // Error mode's focus: a class index, or -1 for all classes.
        int focusClass() const { return m_focusClass; }
        void setFocusClass(int classIndex);
        // Error counts of run A for the image on show (error mode).
        const msup::ErrorCounts& errorCounts() const { return m_errorCounts; }
        // The legend rows as shown (class names with their share, or error kinds with counts).
        QStringList legendEntries() const;

        // Comparison with a second checkpoint (run B); an empty path ends it.
        void setCompareCheckpoint(const QString& path);
        QString compareCheckpointPath() const { return m_compareCheckpoint; }
        const msup::CheckpointInfo& compareCheckpointInfo() const { return m_infoB; }
        bool hasComparePrediction() const { return !m_labelsB.empty(); }
        QImage compareOverlayImage() const { return m_overlayB; }
        ComparisonMode comparisonMode() const { return m_comparisonMode; }
        void setComparisonMode(ComparisonMode mode);
        // Swipe divider, as a fraction of the image width (run A left of it, run B right).
        double swipePosition() const;
        void setSwipePosition(double fraction);
        // The name a run is shown with: its folder for <run>/checkpoints/<name>.pt, else the file.
        static QString runName(const QString& checkpointPath);
        QString runNameA() const { return runName(m_checkpoint); }
        QString runNameB() const { return runName(m_compareCheckpoint); }

        // What the view shows, at the image's resolution: run A's overlay (single), A's and B's
        // side by side (A left), or the swipe composite (A left of the divider, B right).
        QImage shownImage() const;

    public Q_SLOTS:
        void openCheckpoint();
        void openCompareCheckpoint();
        // Asks for image files (several may be chosen) or a folder, then openImages().
        void openImage();
        void openFolder();
        void nextImage();
        void previousImage();
        void predict();
        // Stops predicting the opened images after the current one.
        void cancelPredictAll();
        // Asks for a file name, then writes the shown overlay as PNG; errors are shown in a dialog.
        void exportOverlay();
        // Writes the shown overlay to `path` (PNG, atomically). Returns false after showing an error.
        bool exportOverlayTo(const QString& path);

    Q_SIGNALS:
        void checkpointChanged(const QString& path);
        void compareCheckpointChanged(const QString& path);
        void predictionReady(const QString& imagePath);
        void predictionFailed(const QString& message);
        void exportAvailable(bool available);
        void displayModeChanged(msup::ui::PredictionPanel::DisplayMode mode);
        // Predicting the opened images: `done` of `total` finished.
        void batchProgress(int done, int total);
        void batchFinished(int done, int total, bool cancelled);

    protected:
        void dragEnterEvent(QDragEnterEvent* event) override;
        void dropEvent(QDropEvent* event) override;

    private:
        // The checkpoint file dialog, opened beside `near` (else the runs folder); empty if cancelled.
        QString chooseCheckpoint(const QString& title, const QString& near);
        // buildUi() in parts, top to bottom: open/predict/export and progress, the run and the one
        // compared with it, the opened images, the views, the legend, the display controls, keys.
        void buildUi();
        QLayout* buildActionRow();
        QLayout* buildRunRow();
        void buildImageList(QSplitter* splitter);
        QWidget* buildViews(QSplitter* splitter);
        QWidget* buildLegend(QSplitter* splitter);
        QLayout* buildDisplayControls();
        void buildShortcuts();
        void onResult(const PredictionResult& result);
        void showImage(const QString& path);
        void clearPrediction();
        void updateOverlay();
        void updateViews();
        void updateInfo();
        void updateDisplayButtons();
        void rebuildLegend();
        void updateLegendText();
        void onLegendItemChanged(QListWidgetItem* item);
        void rebuildFocusCombo();
        void rememberCheckpoint(const QString& path);
        void refreshCheckpointCombos();
        void startPredictAll();
        void onBatchProgress(int done);
        void onBatchFinished(const BatchResult& result);
        void showError(const QString& text, const QString& details);
        QImage overlayFor(const cv::Mat& labels, const cv::Mat& uncertainty, const msup::CheckpointInfo& info,
            bool hasInfo, msup::ErrorCounts* counts) const;

        QString m_checkpoint;
        QString m_compareCheckpoint;
        QString m_imagePath;
        QImage m_inputImage; // set by setImage(): used instead of reading m_imagePath
        bool m_hasSample = false;
        msup::Dataset m_sampleDataset; // the dataset of the sample on show (m_hasSample)
        int m_sampleIndex = -1;
        QString m_device;
        int m_requestId = 0;
        bool m_hasInfo = false;
        msup::CheckpointInfo m_info;
        bool m_hasInfoB = false;
        msup::CheckpointInfo m_infoB;
        cv::Mat m_rgb;
        cv::Mat m_labels;
        cv::Mat m_labelsB;
        cv::Mat m_uncertainty; // CV_32FC1 in [0, 1] of run A (empty before a prediction)
        cv::Mat m_uncertaintyB;
        cv::Mat m_truth;
        int m_truthIgnore = 255;
        QString m_shownImagePath;
        QImage m_overlayA;
        QImage m_overlayB;
        msup::ErrorCounts m_errorCounts;
        QVector<double> m_classShare; // share of the image each class of run A covers

        DisplayMode m_preferredMode = DisplayMode::Fill; // the user's choice
        ComparisonMode m_comparisonMode = ComparisonMode::Single;
        QVector<bool> m_hiddenClasses;
        QVector<bool> m_hiddenErrors;
        int m_focusClass = -1;
        QString m_legendSignature; // what the legend rows were built for
        QStringList m_legendClassNames;
        bool m_legendErrors = false;
        bool m_legendMultiClassAll = false;

        QStringList m_images;
        bool m_batchRunning = false;
        int m_batchDone = 0;
        int m_batchTotal = 0;
        JobRunner* m_batchRunner = nullptr; // predicts the opened images

        QLabel* m_checkpointLabel = nullptr;
        QLabel* m_imageLabel = nullptr;
        QLabel* m_resultLabel = nullptr;
        QComboBox* m_checkpointCombo = nullptr;
        QComboBox* m_compareCombo = nullptr;
        QPushButton* m_openCheckpointButton = nullptr;
        QPushButton* m_compareButton = nullptr;
        QPushButton* m_openImageButton = nullptr;
        QPushButton* m_openFolderButton = nullptr;
        QPushButton* m_predictButton = nullptr;
        QPushButton* m_exportButton = nullptr;
        QProgressBar* m_progress = nullptr;
        QPushButton* m_cancelButton = nullptr;
        QWidget* m_imageListBox = nullptr;
        QListWidget* m_imageList = nullptr;
        QToolButton* m_previousButton = nullptr;
        QToolButton* m_nextButton = nullptr;
        QButtonGroup* m_displayGroup = nullptr;
        QToolButton* m_fillButton = nullptr;
        QToolButton* m_outlineButton = nullptr;
        QToolButton* m_errorsButton = nullptr;
        QToolButton* m_uncertaintyButton = nullptr;
        InferenceOptionsBox* m_inference = nullptr;
        QComboBox* m_comparisonCombo = nullptr;
        QListWidget* m_legend = nullptr;
        QComboBox* m_focusCombo = nullptr;
        QLabel* m_focusCaption = nullptr;
        QSlider* m_opacitySlider = nullptr;
        ImageView* m_view = nullptr;
        ImageView* m_viewB = nullptr;
        std::unique_ptr<LatestTaskRunner<PredictionResult>> m_runner;
        // The loaded models (runs A and B) and the label maps predicted so far, shared with the
        // background jobs (which may outlive a request, and the panel).
        std::shared_ptr<PredictorCache> m_predictors;
        std::shared_ptr<PredictorCache> m_comparePredictors;
        std::shared_ptr<LabelCache> m_labelCache;
    };

} // namespace ui
} // namespace msup
