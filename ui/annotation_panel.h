#pragma once

#include "core/annot/label_delta.h"
#include "core/data/dataset.h"
#include "ui/annotation_canvas.h"

#include <QColor>
#include <QHash>
#include <QImage>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>
#include <opencv2/core.hpp>

#include <functional>
#include <memory>

class QAction;
class QActionGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSlider;
class QSpinBox;
class QTimer;
class QToolBar;
class QUndoGroup;
class QUndoStack;
class QUndoView;

namespace msup {

class MaskStore;
class MaskSession;
enum class SaveTarget;
enum class LabelSource;

namespace ui {

    // The mask editor: an AnnotationCanvas with its tools, the class palette, the undo history and
    // the link to the mask storage (MaskStore / MaskSession: corrections folder or the dataset's own
    // files, the per-stroke crash journal).
    //
    // Two ways to feed it:
    // - with a store (setStore, then setSample(image, sample)): the image's saved state is loaded
    //   (correction > ground truth > empty) with any crash journal replayed, every edit is
    //   journaled when the mouse is released, and saving goes through the store;
    // - without one (setSample(image, id, labels)): it edits the given map; labels() reads it back.
    //
    // Shortcuts (active while the focus is inside the panel): B brush, E eraser, F flood fill,
    // P polygon / lasso, H fill holes of the current class, Shift+H of every class, [ and ] brush
    // size (also Shift+wheel), 1-9 and 0 class 1-9 and 0, V void, O outline view, Ctrl+0 fit,
    // Ctrl+1 1:1, Ctrl+Z undo, Ctrl+Shift+Z / Ctrl+Y redo, Ctrl+Alt+S save the mask, Ctrl+Alt+R
    // reviewed, N / Shift+N next / previous suggested image. Ctrl+S stays the project's save: the
    // main window calls saveIfDirty() from it.
    //
    // Each image keeps its own undo history for the whole session (a QUndoGroup of one stack per
    // image); the history view shows the current image's.
    class AnnotationPanel : public QWidget {
        Q_OBJECT
    public:
        explicit AnnotationPanel(QWidget* parent = nullptr);
        ~AnnotationPanel() override;

        AnnotationCanvas* canvas() const { return m_canvas; }

        // The dataset's classes (index = class) and their colours; a binary task (2 classes) leaves
        // its background uncoloured. The void / ignore entry (255) is always offered.
        void setClasses(const QStringList& names, const QVector<QColor>& colors);
        QStringList classNames() const { return m_names; }

        // The storage of the dataset being edited (not owned; null: edit plain label maps). The
        // current image is saved (saveIfDirty) and closed first. Call with null before deleting it.
        void setStore(MaskStore* store);
        MaskStore* store() const { return m_store; }
        // Where saves go (default: the corrections folder).
        void setSaveTarget(SaveTarget target);
        SaveTarget saveTarget() const;

        // With a store: opens `sample` (an entry of store()->dataset()) over `image`. The previous
        // image is saved first. Returns false (and shows why) when its labels cannot be loaded.
        bool setSample(const QImage& image, const Sample& sample);
        // Without a store: edits `labels` (CV_8UC1 of the image's size; empty: a background map).
        bool setSample(const QImage& image, const QString& sampleId, const cv::Mat& labels = {});
        // Saves (with a store) and closes the current image.
        void clearSample();
        QString sampleId() const { return m_sampleId; }
        bool hasSample() const { return !m_sampleId.isEmpty(); }

        // The current label map (CV_8UC1, 255 = void).
        const cv::Mat& labels() const;
        // Replaces the whole map as one undoable edit (e.g. a starting point computed by the caller).
        void setLabels(const cv::Mat& labels, const QString& text = {});

        // A run's prediction for the current image (thresholded / argmax class map, CV_8UC1 of the
        // image's size), offered by "Start from: prediction"; an empty Mat withdraws it.
        void setPrediction(const cv::Mat& prediction);
        // Computes a prediction for any sample, for the batch "apply to all unedited images"
        // (return an empty Mat when there is none). Optional.
        void setPredictionProvider(std::function<cv::Mat(const Sample&)> provider);

        // "Start from" for the current image, as one undoable edit: an empty (background) map, the
        // ground truth (store only) or the prediction. Returns false (and says why) when that
        // source is not available.
        bool startFrom(LabelSource source);
        // The batch action (store only): every image of the dataset that is not edited yet starts
        // from `source` and is saved (images where that changes nothing are left alone); the
        // current image's change is undoable. Returns how many images changed; errors are shown.
        int startUneditedFrom(LabelSource source);

        // Undo history of the current image, and the group of every image's history.
        QUndoStack* undoStack() const;
        QUndoGroup* undoGroup() const { return m_undoGroup; }

        // Reviewed mark of the current image (kept by the caller, e.g. in the project file).
        void setReviewed(bool reviewed);
        bool isReviewed() const;

        // Unsaved edits of the current image.
        bool isDirty() const;
        // Saves the current image when it has unsaved edits (store only). Returns false on an
        // error (shown in the panel); true when saved or nothing to save.
        bool saveIfDirty();
        // Saves the current image now (menu / Ctrl+Alt+S); errors go to a message box.
        bool save();
        // Autosave period (default 60 s; 0 turns it off).
        void setAutosaveInterval(int milliseconds);

        // The last status or error line shown under the tools.
        QString statusText() const;

        // The walk through the images suggested to annotate (the Dataset panel's ranking): "Next
        // suggested" (N) and "Previous suggested" (Shift+N) ask for the next or previous ranked
        // image not reviewed yet (suggestedImageRequested); the caller opens it and says where the
        // walk stands with setSuggestionWalk().
        struct SuggestionWalk {
            int rank = 0; // 1-based place of the current image in the ranking; 0 when not ranked
            int total = 0; // images ranked; 0: no ranking (both actions disabled)
            int toReview = 0; // ranked images not reviewed yet
            bool hasNext = false; // a ranked image not reviewed after the current one
            bool hasPrevious = false; // … before it
            QString source; // the checkpoint the ranking came from, as shown to the user
        };
        void setSuggestionWalk(const SuggestionWalk& walk);
        // "Suggested 3 of 20 · 17 to review", or what to do to get a ranking.
        QString suggestionText() const;
        QAction* nextSuggestedAction() const { return m_nextSuggestedAction; }
        QAction* previousSuggestedAction() const { return m_previousSuggestedAction; }

    Q_SIGNALS:
        // The current image's labels changed (a stroke, a fill, undo, redo, a new starting point).
        void edited(const QString& sampleId);
        // The user toggled "Reviewed".
        void reviewedChanged(const QString& sampleId, bool reviewed);
        // The current image was written (`file`: where).
        void saved(const QString& sampleId, const QString& file);
        // The batch "apply to all unedited images" wrote these images.
        void batchApplied(const QStringList& sampleIds);
        // Next (step 1) or Previous (step -1) suggested: open that image.
        void suggestedImageRequested(int step);

    private:
        friend class LabelEditCommand;
        void buildUi();
        void createActions();
        void onEditCommitted(const LabelDelta& delta, const QString& text);
        // Undo (forward = false) or redo of an edit: canvas, session and journal.
        void replay(const LabelDelta& delta, bool forward);
        void pushEdit(const LabelDelta& delta, const QString& text);
        void selectClass(int label);
        void refreshClassList();
        void startFromSelected();
        void applyToAllUnedited();
        void activateStack(const QString& id, const cv::Mat& labels);
        void setStatus(const QString& text, bool error = false);
        // Saves through the session; on an error the status line says why (and a dialog, if asked).
        bool writeMask(bool dialogOnError);
        void updateActions();
        void syncSizeUi(int radius);

        AnnotationCanvas* m_canvas = nullptr;
        QToolBar* m_toolBar = nullptr; // the tools
        QToolBar* m_viewToolBar = nullptr; // save, undo/redo, fit, 1:1, outline
        QActionGroup* m_toolGroup = nullptr;
        QAction* m_brushAction = nullptr;
        QAction* m_eraserAction = nullptr;
        QAction* m_fillAction = nullptr;
        QAction* m_polygonAction = nullptr;
        QAction* m_fillHolesAction = nullptr;
        QAction* m_fillHolesAllAction = nullptr;
        QAction* m_undoAction = nullptr;
        QAction* m_redoAction = nullptr;
        QAction* m_saveAction = nullptr;
        QAction* m_outlineAction = nullptr;
        QAction* m_fitAction = nullptr;
        QAction* m_actualSizeAction = nullptr;
        QAction* m_reviewedAction = nullptr;
        QAction* m_nextSuggestedAction = nullptr;
        QAction* m_previousSuggestedAction = nullptr;
        QListWidget* m_classList = nullptr;
        QSpinBox* m_sizeSpin = nullptr;
        QComboBox* m_eraserCombo = nullptr;
        QSlider* m_opacitySlider = nullptr;
        QComboBox* m_startCombo = nullptr;
        QPushButton* m_startButton = nullptr;
        QPushButton* m_batchButton = nullptr;
        QComboBox* m_saveTargetCombo = nullptr;
        QCheckBox* m_reviewedCheck = nullptr;
        QLabel* m_suggestionLabel = nullptr;
        QLabel* m_statusLabel = nullptr;
        QLabel* m_hoverLabel = nullptr;
        QUndoGroup* m_undoGroup = nullptr;
        QUndoView* m_undoView = nullptr;
        QTimer* m_autosaveTimer = nullptr;

        QStringList m_names;
        QVector<QColor> m_colors;
        MaskStore* m_store = nullptr;
        std::unique_ptr<MaskSession> m_session;
        QString m_sampleId;
        cv::Mat m_prediction;
        std::function<cv::Mat(const Sample&)> m_predictionProvider;
        QHash<QString, QUndoStack*> m_stacks;
        QHash<QString, quint64> m_leftWith; // label-map fingerprint when an image was left
    };

} // namespace ui
} // namespace msup
