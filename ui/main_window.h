#pragma once

#include "core/annot/mask_store.h"
#include "core/data/synth.h"
#include "core/io/project_file.h"
#include "ui/project_controller.h"
#include "ui/training_panel.h"

#include <QMainWindow>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>
#include <memory>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QToolBar;
class QActionGroup;

namespace msup {
namespace ui {

    class DatasetPanel;
    class DatasetReportDialog;
    class MaskPanel;
    class PredictionPanel;
    class RobustnessPanel;
    class RunsPanel;
    class ExportDialog;
    class LogPanel;
    class AnnotationPanel;
    struct BatchPreviewResult;
    struct DatasetOpenResult;
    template <typename Result> class LatestTaskRunner;
    class JobRunner;

    // The studio's main window: the samples browser docked on the left; the Dataset, Masks, Training,
    // Prediction, Robustness, Runs and Log panels as dock widgets (tabbed together at first; each can
    // be moved, floated, closed and reopened from the View menu, and the layout is remembered);
    // menus, status bar (dataset, device, current run, speed and ETA). The project's lifecycle, autosave,
    // recent lists and the settings kept between sessions belong to its ProjectController: the window
    // shows the project, and builds the docks, menus and connections. Long work (indexing, decoding,
    // mask generation, training, prediction, sample generation) never runs on this thread.
    class MainWindow : public QMainWindow {
        Q_OBJECT
    public:
        // Index order is stable (saved settings); the tab order on screen puts Annotate second.
        enum class Tab { Dataset, Masks, Training, Prediction, Robustness, Runs, Log, Annotation };

        explicit MainWindow(QWidget* parent = nullptr);
        ~MainWindow() override;

        // Indexes `path` in the background, then shows it; an error dialog names the folder otherwise.
        void openDataset(const QString& path);
        // openDataset() as the user does it (File ▸ Open dataset…, a dropped folder): once open, the
        // dataset report decodes every pair in the background (unless turned off in the report).
        void importDataset(const QString& path);
        // The report of the open dataset (format, classes, counts per split, image sizes, class
        // pixel frequencies, problems), checked in the background; raises the one already open.
        void showDatasetReport();
        DatasetReportDialog* datasetReportDialog() const;
        // Start-up: the folder (or .masksup project) given on the command line, else the last
        // project, else the last dataset, else the glands sample under <AppDataLocation>/sample-glands
        // (generated in the background the first time). When the previous session did not close
        // cleanly and left an autosaved untitled project, a (non-modal) question offers to restore it.
        void openInitialDataset(const QString& commandLinePath);
        // Writes a procedural dataset in the background with a progress dialog, then opens it.
        void generateSampleDataset(const msup::SynthOptions& options);

        bool isOpeningDataset() const;
        bool isGeneratingSample() const { return m_generating; }
        QString datasetRoot() const;

        DatasetPanel* datasetPanel() const { return m_datasetPanel; }
        MaskPanel* maskPanel() const { return m_maskPanel; }
        TrainingPanel* trainingPanel() const { return m_trainingPanel; }
        PredictionPanel* predictionPanel() const { return m_predictionPanel; }
        RobustnessPanel* robustnessPanel() const { return m_robustnessPanel; }
        RunsPanel* runsPanel() const { return m_runsPanel; }
        LogPanel* logPanel() const { return m_logPanel; }
        AnnotationPanel* annotationPanel() const { return m_annotationPanel; }
        // The mask storage of the open dataset (corrections folder, journals); null without one.
        msup::MaskStore* maskStore() const { return m_maskStore.get(); }
        // Training ▸ Retrain with corrections: starts a run with the Training panel's settings and
        // the corrected masks. False (with a message) when there are none or a run is going on.
        bool retrainWithCorrections();
        // The dock holding a panel, and the panel raised last (shown on top of its tab group).
        QDockWidget* panelDock(Tab tab) const;
        Tab currentTab() const { return m_currentTab; }
        // The device line of the status bar ("CPU · 8 threads", "GPU: NVIDIA H100 · 80 GiB").
        QString deviceStatusText() const;
        // "GPU: NAME · 79 GiB" (several GPUs separated by commas); empty for none.
        static QString gpuStatusText(const std::vector<msup::engine::CudaDevice>& devices);
        // The user's interface language: "" follows the system, else "en" or "fr" (applies at the
        // next start; QSettings key ui/language).
        static QString languageSetting();
        void setLanguageSetting(const QString& language);
        // File ▸ Export predictions…: the dialog, prefilled with the current checkpoint.
        ExportDialog* showExportDialog();
        // Shows the panel's dock and raises it above the others of its group.
        void showTab(Tab tab);

        // Projects (.masksup). The project captures the open dataset and its format, the split
        // shown, the training form, the runs started from this window and the view settings.
        // The project's lifecycle, autosave, recent lists and settings.
        ProjectController* projectController() const { return m_projectController; }
        // The project file; empty while the project is untitled.
        QString projectPath() const;
        // The project as the window shows it now (paths absolute).
        msup::Project currentProject() const;
        // Whether the project differs from its file (or, untitled, from the start), view settings
        // aside; also updates the window's modified mark.
        bool isProjectModified();
        // Opens a project: its dataset (in the background), training form and view settings; asks
        // first about unsaved changes of the current project. An error dialog names the file on
        // failure (projectOpenFailed). projectOpened follows once its dataset is open (or failed).
        bool openProject(const QString& path);
        // Saves to `path` atomically and makes it the project's file; an error dialog otherwise.
        bool saveProjectTo(const QString& path);
        // Save: to the project's file, or Save As for an untitled project.
        bool saveProject();
        // Asks for a file, then saveProjectTo().
        bool saveProjectAs();
        // An untitled project from the dataset and settings now open (asks about unsaved changes).
        bool newProject();
        // Recent projects, newest first (at most 8; QSettings "project/recent").
        QStringList recentProjects() const;
        // Drops recent projects whose file is gone (with a status message) and rebuilds the menu.
        void refreshRecentProjects();
        QMenu* recentProjectsMenu() const { return m_recentMenu; }
        // Datasets opened, newest first (folders, or NYUDv2 .mat files); File ▸ Recent datasets.
        QStringList recentDatasets() const;
        void refreshRecentDatasets();
        QMenu* recentDatasetsMenu() const { return m_recentDatasetsMenu; }
        // What the 60 s autosave timer does: a modified project with a file is saved to it; a
        // modified untitled one is written to autosavePath(). True when a file was written.
        bool autosaveNow();
        // <AppDataLocation>/autosave.masksup
        static QString autosavePath();

    Q_SIGNALS:
        void datasetOpened(const QString& root);
        void datasetOpenFailed(const QString& path, const QString& message);
        void sampleDatasetGenerated(const QString& folder);
        void projectOpened(const QString& path);
        void projectOpenFailed(const QString& path, const QString& message);
        void projectSaved(const QString& path);

    protected:
        void closeEvent(QCloseEvent* event) override;
        void dragEnterEvent(QDragEnterEvent* event) override;
        void dropEvent(QDropEvent* event) override;

    private:
        void createActions();
        void createMenus();
        void createStatusBar();
        void createDocks();
        void createToolBar();
        void tabifyPanels();
        void detectDevice();
        void openMaskStore(const msup::Dataset& dataset);
        void refreshCorrections();
        void restoreSettings();
        void saveSettings();
        void chooseDataset();
        void chooseRunToResume();
        void requestDataset(const QString& path, bool report, const QString& format = {});
        void chooseSampleDataset();
        void onDatasetOpened(const DatasetOpenResult& result);
        void onTrainingStateChanged(TrainingPanel::State state);
        void onBatchProgress(const msup::BatchProgress& progress);
        void onTrainingPaused(bool paused);
        void onTrainingFinished(const msup::TrainResult& result);
        void previewTrainingBatch();
        void updateDatasetStatus();
        void showAbout();
        void showError(const QString& title, const QString& text, const QString& details);
        // Construction: the panels, the connections between them, what goes to the Log panel, and
        // the project controller's signals.
        void createPanels();
        void connectPanels();
        // Where the Annotate panel's walk through the suggested images stands (Dataset panel's ranking).
        void updateSuggestionWalk();
        void connectTraining();
        // The Masks panel shows the training form's hole ratio and mask folder.
        void syncMaskPanel();
        void connectLog();
        void connectProject();
        // Projects: what the window shows of one, and applying one read from a file.
        void captureProject(msup::Project& project) const;
        QJsonObject capturedTrainingJson(const QJsonObject& projectTraining) const;
        void applyProjectFile(const msup::Project& project, const QString& path);
        void applyProjectView(const msup::Project& project, bool afterDataset);
        QString suggestedProjectFile() const;
        void updateWindowTitle();
        void fillRecentMenu(QMenu* menu, ProjectController::Recent list, const QString& emptyText,
            const std::function<void(const QString&)>& open);

        ProjectController* m_projectController = nullptr;
        QMenu* m_recentMenu = nullptr;
        QMenu* m_recentDatasetsMenu = nullptr;
        QAction* m_newProjectAction = nullptr;
        QAction* m_openProjectAction = nullptr;
        QAction* m_saveProjectAction = nullptr;
        QAction* m_saveProjectAsAction = nullptr;

        DatasetPanel* m_datasetPanel = nullptr;
        MaskPanel* m_maskPanel = nullptr;
        TrainingPanel* m_trainingPanel = nullptr;
        PredictionPanel* m_predictionPanel = nullptr;
        RobustnessPanel* m_robustnessPanel = nullptr;
        RunsPanel* m_runsPanel = nullptr;
        LogPanel* m_logPanel = nullptr;
        AnnotationPanel* m_annotationPanel = nullptr;
        std::unique_ptr<msup::MaskStore> m_maskStore;
        QAction* m_retrainAction = nullptr;
        QToolBar* m_toolBar = nullptr;
        QVector<QDockWidget*> m_panelDocks; // index = Tab
        Tab m_currentTab = Tab::Dataset;
        QString m_currentRunName; // the run folder's name, in the status bar
        int m_lastEpoch = 0; // the epoch of the last batch, for "paused at epoch 3/30"
        int m_lastEpochs = 0;
        QLabel* m_deviceStatus = nullptr;
        QActionGroup* m_languageGroup = nullptr;
        QPointer<ExportDialog> m_exportDialog;
        QAction* m_exportPredictionsAction = nullptr;
        QAction* m_resumeAction = nullptr;
        QAction* m_openFolderAction = nullptr;
        QAction* m_compareAction = nullptr;
        QDockWidget* m_samplesDock = nullptr;

        QLabel* m_datasetStatus = nullptr;
        QLabel* m_trainingStatus = nullptr;
        QLabel* m_speedStatus = nullptr;

        QAction* m_openAction = nullptr;
        QAction* m_sampleAction = nullptr;
        QAction* m_reportAction = nullptr;
        QAction* m_openCheckpointAction = nullptr;
        QAction* m_openImageAction = nullptr;
        QAction* m_exportAction = nullptr;
        QAction* m_quitAction = nullptr;
        QAction* m_startAction = nullptr;
        QAction* m_stopAction = nullptr;
        QAction* m_aboutAction = nullptr;
        QAction* m_aboutQtAction = nullptr;

        std::unique_ptr<LatestTaskRunner<DatasetOpenResult>> m_opener;
        std::unique_ptr<LatestTaskRunner<BatchPreviewResult>> m_batchPreviewer;
        JobRunner* m_sampleRunner = nullptr; // writes the sample dataset
        QPointer<DatasetReportDialog> m_reportDialog;
        bool m_generating = false;
        bool m_closeAfterStop = false;
    };

} // namespace ui
} // namespace msup
