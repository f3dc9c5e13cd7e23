#pragma once

#include "core/data/dataset.h"

#include <QImage>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>
#include <opencv2/core.hpp>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QListWidget;
class QMessageBox;
class QModelIndex;
class QSlider;
class QPushButton;

namespace msup {
namespace ui {

    class ImageView;
    class SampleFilterModel;
    class SampleListModel;
    struct LoadedSample;
    template <typename Result> class LatestTaskRunner;

    // The dataset browser. It has two parts: the samples widget (summary, search by name, split and
    // class filters, a virtualised thumbnail grid whose thumbnails are decoded in the background as
    // they scroll into view, problems found while indexing), which the main window docks, and the
    // panel itself: the selected image with its ground-truth labels blended over it (filled or as
    // outlines), an opacity slider, the class legend and the image's facts.
    //
    // Sample indices in this API are indices in dataset().samples, whatever the filters show.
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

        // The sample shown (-1 when none).
        int currentIndex() const { return m_currentSample; }
        // Selects a sample; filters that hide it are cleared first.
        void setCurrentIndex(int index);
        QString currentImagePath() const;
        // The decoded RGB image of the current sample (null until loaded).
        QImage currentImage() const { return m_currentImage; }
        QImage overlayImage() const;

        double overlayOpacity() const;
        void setOverlayOpacity(double opacity);
        // Outline mode paints only the class boundaries instead of filled regions.
        bool outlineMode() const;
        void setOutlineMode(bool outline);

        // Filters of the thumbnail grid.
        void setSearchText(const QString& text);
        QString searchText() const;
        // An official split name, or empty for all splits.
        void setSplitFilter(const QString& split);
        QString splitFilter() const;
        // A class index, or -1 for all classes. Starts the background scan of the label maps.
        void setClassFilter(int classIndex);
        int classFilter() const;
        bool isScanningClasses() const;
        // Samples the filters let through, as dataset indices in grid order.
        QVector<int> visibleSamples() const;
        int visibleSampleCount() const;

        // Thumbnails: rows of the grid, and thumbnails decoded so far (only rows that were shown).
        int thumbnailCount() const;
        int decodedThumbnailCount() const;
        int requestedThumbnailCount() const;
        // True when every thumbnail requested so far is decoded and none is waiting.
        bool thumbnailsDone() const;
        const SampleListModel* sampleModel() const { return m_model; }

        // The legend: every class name (plus "void" when the current image has void pixels), and
        // the names of the classes present in the current image.
        QStringList legendEntries() const;
        QStringList presentClassNames() const;

    Q_SIGNALS:
        void currentSampleChanged(int index, const QString& imagePath);
        // The user chose another split in the filter ("" = all splits).
        void splitFilterChanged(const QString& split);
        void currentImageLoaded(const QImage& rgb, const QString& imagePath);
        // Every thumbnail requested so far has been decoded.
        void thumbnailsFinished();
        void classScanFinished();

    private:
        void buildSamplesWidget();
        void buildView();
        void resetFilters();
        void onCurrentChanged(const QModelIndex& current);
        void onSampleLoaded(const LoadedSample& loaded);
        void onClassFilterChosen(int comboIndex);
        void onClassesUpdated();
        void selectFirstIfNone();
        void updateCounts();
        void updateOverlay();
        void updateClassLegend();
        void updateSampleText();
        void updateProblems();
        void showProblems();
        void showError(const QString& text, const QString& details);

        msup::Dataset m_dataset;
        bool m_hasDataset = false;
        int m_generation = 0;
        int m_currentSample = -1;

        QWidget* m_samplesWidget = nullptr;
        QLabel* m_summaryLabel = nullptr;
        QLineEdit* m_search = nullptr;
        QComboBox* m_splitCombo = nullptr;
        QComboBox* m_classCombo = nullptr;
        QLabel* m_countLabel = nullptr;
        QLabel* m_scanLabel = nullptr;
        QListView* m_thumbnails = nullptr;
        SampleListModel* m_model = nullptr;
        SampleFilterModel* m_filter = nullptr;
        QLabel* m_problemsLabel = nullptr;
        QPushButton* m_problemsButton = nullptr;

        ImageView* m_view = nullptr;
        QLabel* m_sampleLabel = nullptr;
        QListWidget* m_legend = nullptr;
        QSlider* m_opacitySlider = nullptr;
        QLabel* m_opacityValue = nullptr;
        QCheckBox* m_outlineCheck = nullptr;

        std::unique_ptr<LatestTaskRunner<LoadedSample>> m_loader;
        QImage m_currentImage;
        cv::Mat m_rgb;
        cv::Mat m_labels;
        QVector<qint64> m_labelCounts; // pixels per label value (256) of the current image
        int m_instances = -1;
        QString m_labelError;
        QMessageBox* m_errorBox = nullptr;
    };

} // namespace ui
} // namespace msup
