#pragma once

#include "core/data/dataset.h"
#include "core/data/validation.h"
#include "core/io/project_file.h"
#include "ui/sample_list_model.h"

#include <QImage>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>
#include <opencv2/core.hpp>

#include <memory>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QListWidget;
class QMessageBox;
class QModelIndex;
class QProgressBar;
class QSlider;
class QPushButton;
class QToolButton;
class QVBoxLayout;

namespace msup {
struct SuggestResult;
namespace ui {

    class ImageView;
    class JobRunner;
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
        // The class colours of the open dataset: the format's, or chosen by the user (double click
        // on a class of the legend) or by a project. A list of another length is ignored.
        QVector<QColor> classColors() const { return m_dataset.classColors; }
        void setClassColors(const QVector<QColor>& colors);

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

        // Review state of the samples (annotation), as the project file keeps it. Each sample's grid
        // cell shows a mark when it is reviewed (green tick) or edited (orange pencil); the review
        // filter shows all, reviewed, not reviewed, edited or unlabelled samples; "Mark reviewed"
        // (Ctrl+M, markReviewedAction()) toggles the current sample. The states are kept across
        // setDataset(), so the project's states may be given before or after the dataset; ids the
        // dataset does not have are kept as they are.
        bool isReviewed(int index) const;
        // Emits imageStatesChanged() when the state changes (also for a user's toggle).
        void setReviewed(int index, bool reviewed);
        bool isEdited(int index) const;
        // The annotation editor's state (MaskStore::isEdited()) after a stroke, a save or a revert.
        void setEdited(int index, bool edited);
        // Every sample at once (MaskStore::editedIds() when a dataset opens): ids not listed are not
        // edited. Emits imageStatesChanged() once when anything changed.
        void setEditedIds(const QStringList& ids);
        int reviewedCount() const;
        int editedCount() const;
        // For the project file: the state of every sample that is reviewed or edited (or has keys
        // this version does not know), by sample id.
        QMap<QString, msup::ProjectImageState> imageStates() const { return m_states; }
        // From the project file (replaces every state; emits nothing).
        void setImageStates(const QMap<QString, msup::ProjectImageState>& states);
        void setReviewFilter(SampleFilterModel::ReviewFilter filter);
        SampleFilterModel::ReviewFilter reviewFilter() const;
        // Checkable, Ctrl+M, window-wide: toggles "reviewed" of the current sample.
        QAction* markReviewedAction() const { return m_markReviewedAction; }

        // "Annotate these next": "Suggest images to annotate…" (suggestAction(), a button under
        // the review filter) ranks the images not marked reviewed by the mean uncertainty of
        // suggestCheckpoint()'s predictions (msup::suggestImagesToAnnotate), in the background with
        // a progress bar and Cancel; a cancelled ranking keeps the images ranked so far. The
        // ranking shows as a rank badge on the thumbnails, in their tooltips, and as the review
        // filter "Suggested to annotate" (the ranked images, most uncertain first), chosen when a
        // ranking arrives. A line under the button names the checkpoint it came from and the
        // images skipped (file and reason). The ranking is cleared when the dataset changes.
        //
        // The checkpoint to rank with (the current run's best, as the Prediction panel shows it);
        // without one the action is disabled and its tooltip says why.
        void setSuggestCheckpoint(const QString& path);
        QString suggestCheckpoint() const { return m_suggestCheckpoint; }
        QAction* suggestAction() const { return m_suggestAction; }
        // Starts the ranking (what the action does); a no-op while one runs or without a checkpoint.
        void suggestImages();
        void cancelSuggestions();
        bool isSuggesting() const;
        // The ranking: dataset indices, most uncertain first (empty when none).
        QVector<int> suggestedSamples() const;
        // 0 for the most uncertain image, -1 when `index` is not ranked.
        int suggestionRank(int index) const;
        // The mean uncertainty the ranking found for `index`, -1 when not ranked.
        double suggestionUncertainty(int index) const;
        // The checkpoint the ranking came from (empty when none), whether it was cancelled, and the
        // images it skipped (file and reason).
        QString suggestionsCheckpoint() const { return m_suggestedWith; }
        bool suggestionsCancelled() const { return m_suggestCancelled; }
        QVector<msup::SkippedPair> suggestionsSkipped() const { return m_suggestSkipped; }
        // The line under the button: what was ranked, by which checkpoint, what was skipped.
        QString suggestionsText() const;
        // The walk of the Annotate panel: the ranked sample after `index` in rank order (step > 0)
        // or before it (step < 0) that is not marked reviewed, or -1 when there is none. From an
        // index that is not ranked, the first (step > 0) or the last (step < 0) such sample.
        int nextSuggested(int index, int step) const;
        // Ranked samples not marked reviewed.
        int suggestedToReviewCount() const;
        void clearSuggestions();

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
        // A sample's reviewed or edited state changed (the project is modified).
        void imageStatesChanged();
        // setClassColors() or the user changed a class colour.
        void classColorsChanged(const QVector<QColor>& colors);
        // The ranking of images to annotate was set (a ranking ended, even cancelled) or cleared.
        void suggestionsChanged();
        // A ranking job ended: done, cancelled or failed (`error` says why; empty otherwise).
        void suggestFinished(const QString& error);

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
        void buildReviewRow(QVBoxLayout* layout);
        void applyStatesToModel();
        void storeState(int index);
        void afterStateChange();
        void onReviewFilterChosen(int comboIndex);
        void buildSuggestRow(QVBoxLayout* layout);
        void applySuggestions(const msup::SuggestResult& result, const QString& checkpoint);
        void updateSuggestAction();
        void updateSuggestText();
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
        QComboBox* m_reviewCombo = nullptr;
        QToolButton* m_reviewButton = nullptr;
        QAction* m_markReviewedAction = nullptr;
        QLabel* m_reviewLabel = nullptr;
        QMap<QString, msup::ProjectImageState> m_states;
        QAction* m_suggestAction = nullptr;
        QToolButton* m_suggestButton = nullptr;
        QProgressBar* m_suggestProgress = nullptr;
        QPushButton* m_suggestCancel = nullptr;
        QLabel* m_suggestLabel = nullptr;
        JobRunner* m_suggestRunner = nullptr;
        QString m_suggestCheckpoint; // to rank with
        QString m_suggestedWith; // the checkpoint of the ranking shown
        QString m_suggestError; // the last ranking's failure
        int m_suggestCandidates = 0;
        bool m_suggestCancelled = false;
        QVector<msup::SkippedPair> m_suggestSkipped;
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
