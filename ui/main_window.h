#pragma once

#include "core/data/synth.h"
#include "ui/training_panel.h"

#include <QMainWindow>
#include <QPointer>
#include <QString>

#include <memory>

class QAction;
class QDockWidget;
class QLabel;
class QTabWidget;

namespace msup {
namespace ui {

    class DatasetPanel;
    class DatasetReportDialog;
    class MaskPanel;
    class PredictionPanel;
    class RobustnessPanel;
    struct BatchPreviewResult;
    struct DatasetOpenResult;
    template <typename Result> class LatestTaskRunner;

    // The studio's main window: the samples browser docked on the left; Dataset, Masks, Training,
    // Prediction and Robustness tabs in the centre; menus, status bar and persistent settings. Long work
    // (indexing, decoding, mask generation, training, prediction, sample generation) never runs on this
    // thread.
    class MainWindow : public QMainWindow {
        Q_OBJECT
    public:
        enum class Tab { Dataset, Masks, Training, Prediction, Robustness };

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
        // Start-up: the folder given on the command line, else the last dataset, else the glands
        // sample under <AppDataLocation>/sample-glands (generated in the background the first time).
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
        void showTab(Tab tab);

    Q_SIGNALS:
        void datasetOpened(const QString& root);
        void datasetOpenFailed(const QString& path, const QString& message);
        void sampleDatasetGenerated(const QString& folder);

    protected:
        void closeEvent(QCloseEvent* event) override;
        void dragEnterEvent(QDragEnterEvent* event) override;
        void dropEvent(QDropEvent* event) override;

    private:
        void createActions();
        void createMenus();
        void createStatusBar();
        void restoreSettings();
        void saveSettings();
        void chooseDataset();
        void requestDataset(const QString& path, bool report);
        void chooseSampleDataset();
        void onDatasetOpened(const DatasetOpenResult& result);
        void onTrainingStateChanged(TrainingPanel::State state);
        void onBatchProgress(const msup::BatchProgress& progress);
        void onTrainingFinished(const msup::TrainResult& result);
        void previewTrainingBatch();
        void updateDatasetStatus();
        void showAbout();
        void showError(const QString& title, const QString& text, const QString& details);

        DatasetPanel* m_datasetPanel = nullptr;
        MaskPanel* m_maskPanel = nullptr;
        TrainingPanel* m_trainingPanel = nullptr;
        PredictionPanel* m_predictionPanel = nullptr;
        RobustnessPanel* m_robustnessPanel = nullptr;
        QTabWidget* m_tabs = nullptr;
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
        QPointer<DatasetReportDialog> m_reportDialog;
        bool m_generating = false;
        bool m_closeAfterStop = false;
    };

} // namespace ui
} // namespace msup
