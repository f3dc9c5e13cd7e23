#pragma once

#include "core/data/dataset.h"

#include <QImage>
#include <QString>
#include <QWidget>
#include <opencv2/core.hpp>

#include <memory>

template <typename T> class QFutureWatcher;
class QLabel;
class QListWidget;
class QMessageBox;
class QSlider;
class QPushButton;

namespace msup {
namespace ui {

    class ImageView;
    struct LoadedSample;
    struct Thumbnail;
    template <typename Result> class LatestTaskRunner;

    // The dataset browser. It has two parts: the samples widget (summary, thumbnails decoded in the
    // background, problems found while indexing), which the main window docks, and the panel itself:
    // the selected image with its ground-truth labels blended over it, an opacity slider and the
    // class legend.
    class DatasetPanel : public QWidget {
        Q_OBJECT
    public:
        explicit DatasetPanel(QWidget* parent = nullptr);
        ~DatasetPanel() override;

        QWidget* samplesWidget() const { return m_samplesWidget; }

        void setDataset(const msup::Dataset& dataset);
        void clearDataset();
        bool hasDataset() const { return m_hasDataset; }
        const msup::Dataset& dataset() const { return m_dataset; }
        // The folder name of the dataset root, e.g. "sample-glands".
        QString datasetName() const;

        int currentIndex() const;
        void setCurrentIndex(int index);
        QString currentImagePath() const;
        // The decoded RGB image of the current sample (null until loaded).
        QImage currentImage() const { return m_currentImage; }
        QImage overlayImage() const;

        double overlayOpacity() const;
        void setOverlayOpacity(double opacity);

        int thumbnailCount() const;
        int decodedThumbnailCount() const { return m_decodedThumbnails; }
        bool thumbnailsDone() const;

    Q_SIGNALS:
        void currentSampleChanged(int index, const QString& imagePath);
        void currentImageLoaded(const QImage& rgb, const QString& imagePath);
        void thumbnailsFinished();

    private:
        void buildSamplesWidget();
        void buildView();
        void startThumbnails();
        void onThumbnailReady(int resultIndex);
        void onCurrentRowChanged(int row);
        void onSampleLoaded(const LoadedSample& loaded);
        void updateOverlay();
        void updateClassLegend();
        void updateProblems();
        void showProblems();
        void showError(const QString& text, const QString& details);

        msup::Dataset m_dataset;
        bool m_hasDataset = false;
        int m_generation = 0;
        int m_decodedThumbnails = 0;

        QWidget* m_samplesWidget = nullptr;
        QLabel* m_summaryLabel = nullptr;
        QListWidget* m_thumbnails = nullptr;
        QLabel* m_problemsLabel = nullptr;
        QPushButton* m_problemsButton = nullptr;

        ImageView* m_view = nullptr;
        QLabel* m_sampleLabel = nullptr;
        QLabel* m_legendLabel = nullptr;
        QSlider* m_opacitySlider = nullptr;
        QLabel* m_opacityValue = nullptr;

        QFutureWatcher<Thumbnail>* m_thumbnailWatcher = nullptr;
        std::unique_ptr<LatestTaskRunner<LoadedSample>> m_loader;
        QImage m_currentImage;
        cv::Mat m_rgb;
        cv::Mat m_labels;
        QString m_labelError;
        QMessageBox* m_errorBox = nullptr;
    };

} // namespace ui
} // namespace msup
