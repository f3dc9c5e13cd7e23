#pragma once

#include "core/engine/cuda_devices.h"
#include "core/train/train_config.h"
#include "core/train/training_session.h"

#include <QJsonObject>
#include <QMessageBox>
#include <QPointer>
#include <QString>
#include <QVariant>
#include <QVector>
#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QCPGraph;
class QCustomPlot;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLayout;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSettings;
class QSpinBox;
class QTimer;
class QToolButton;
class QVBoxLayout;

namespace msup {
class TrainingController;
}

namespace msup {
namespace ui {
    class TrainingCharts;
    class ErrorAnalysisView;
    class SettingsForm;
    class JobRunner;
    class PathField;

    // The training form, Start/Stop, run progress and the live loss / validation mIoU chart. Training
    // runs in msup::TrainingController's thread; this panel only receives queued signals. Chart
    // points are appended as they arrive and the chart is redrawn by a timer, only when new points
    // came, never once per batch.
    class TrainingPanel : public QWidget {
        Q_OBJECT
    public:
        enum class State { Idle, Starting, Running, Stopping };
        Q_ENUM(State)

        explicit TrainingPanel(QWidget* parent = nullptr);
        ~TrainingPanel() override;

        // The dataset the next run trains on (empty root: none, Start disabled).
        // `samples`: its pairs (0: unknown), for the estimate of a run's time before Start.
        void setDataset(const QString& root, const QString& name, int samples = 0);
        QString datasetRoot() const { return m_datasetRoot; }

        // The run as the form describes it (datasetPath and outDir filled in).
        msup::TrainConfig config() const;
        // Fills the form (datasetPath is ignored: it follows the open dataset). An empty outDir
        // restores the automatic run folder.
        void setConfig(const msup::TrainConfig& config);
        QString outputDir() const;
        // The annotation editor's corrections folder and how many images it holds: "Use corrected
        // masks" is offered when there is at least one (config().corrections is then the folder).
        void setCorrections(const QString& dir, int editedCount);
        bool usesCorrections() const;
        void setUseCorrections(bool use);
        // The GPUs of this machine (from the CUDA driver, read off the GUI thread by the main window
        // when this build's LibTorch has CUDA): the device list offers each as "cuda:N" with its name
        // and memory instead of one "CUDA GPU" entry. An empty list restores that entry.
        void setCudaDevices(const std::vector<msup::engine::CudaDevice>& devices);
        // <AppDataLocation>/runs/<dataset-name>-<yyyyMMdd-hhmmss>
        QString defaultOutputDir() const;

        State state() const { return m_state; }
        bool isTraining() const { return m_state != State::Idle; }
        const msup::TrainResult& lastResult() const { return m_lastResult; }

        // Chart access (tests, screenshots).
        QCustomPlot* chart() const { return m_chart; }
        int lossPointCount() const;
        int miouPointCount() const;
        // Per-class IoU, learning rate and confusion matrix of the epochs so far.
        TrainingCharts* charts() const { return m_charts; }
        // The worst validation images of a confusion-matrix click (null before the first click).
        ErrorAnalysisView* errorAnalysisView() const { return m_errorAnalysis; }
        int replotCount() const { return m_replotCount; }
        // Pause / Resume (checkable, Ctrl+P), enabled while a run is running; the panel's button and
        // the main window's Training menu show the same action, so every press toggles it.
        QAction* pauseAction() const { return m_pauseAction; }
        // The run is held between two batches (confirmed by the worker).
        bool isPaused() const { return m_paused; }

        void saveSettings(QSettings& settings) const;
        void restoreSettings(const QSettings& settings);

        // The form's fields, one per row of the training settings table (msup::trainSettings()):
        // the widget holding the value of `key` (null for the rows that follow the open dataset).
        QWidget* settingEditor(const QString& key) const;
        // One setting of the form (the Masks panel's hole ratio and mask folder are training's).
        QVariant settingValue(const QString& key) const;
        void setSettingValue(const QString& key, const QVariant& value);
        // Presets: the shipped ones (msup::trainPresetNames()) and the user's JSON configs in
        // userPresetDir(). applyPreset() fills the form with the preset over the defaults (the run
        // folder and the corrections choice stay); false, with a message, when a file is invalid.
        static QString userPresetDir();
        QStringList presetChoices() const;
        bool applyPreset(const QString& nameOrFile);
        // "glas-levit384, edited: epochs": the preset or file the form started from and the keys
        // changed since.
        QString presetSummary() const;
        // The same JSON files as 'masksup train --config FILE' reads (without the dataset).
        bool saveConfigFile(const QString& path);
        bool loadConfigFile(const QString& path);
        // The first setting of the form that validation refuses, with the reason (empty if none).
        QString formProblem() const;
        bool isAdvancedExpanded() const;
        void setAdvancedExpanded(bool expanded);
        // Before Start, a setup that is heavy for a CPU (setupCost() >= minCost) is timed by a
        // one-batch probe in the background (msup::probeTrainingSpeed through a JobRunner); a run
        // estimated above `warnSecondsPerEpoch` per epoch, or a batch that does not fit, asks
        // "Start anyway" / "Cancel" (fitQuestion()) before it starts. Defaults: 32 and 10 minutes.
        void setFitCheck(double minCost, double warnSecondsPerEpoch);
        // Images per batch × (image size / 224)² × the model's relative cost (U-Net w16 = 1,
        // LeViT-UNet-384 = 4): LeViT-UNet-384 at batch 64 costs 256, the quick-cpu preset 0.4.
        static double setupCost(const msup::TrainConfig& config);
        bool isProbingFit() const;
        QMessageBox* fitQuestion() const { return m_fitQuestion; }

    public Q_SLOTS:
        // Validates the form and starts a run; false (with a message) when it cannot start.
        bool startTraining();
        // Continues the run in `runDir` from its checkpoints/last.pt exactly where it stopped, up to
        // `totalEpochs` (0: the run's own count), with the run's settings (not the form's). False,
        // with a message, when the folder holds no resumable checkpoint or its dataset is gone.
        bool resumeTraining(const QString& runDir, int totalEpochs = 0);
        // Asks the run to stop after the current batch; finished follows. (Resuming redraws the
        // completed epochs' losses, validation mIoU and per-class IoU from the run's metrics, read
        // in the background; historyLoaded() follows.)
        void stopTraining();

    Q_SIGNALS:
        // A field of the form changed (by the user or by setConfig()/restoreSettings()).
        void configEdited();
        void stateChanged(msup::ui::TrainingPanel::State state);
        void batchProgress(const msup::BatchProgress& progress);
        void trainingStarted(const QString& runDir);
        void trainingFinished(const msup::TrainResult& result);
        void trainingFailed(const QString& message);
        // The worker confirmed that the run is held (true) or goes on again (false).
        void pausedChanged(bool paused);
        // The completed epochs of a resumed run are drawn (`epochs` of them).
        void historyLoaded(int epochs);
        // A pair the run left out (it cannot be decoded): the file and why.
        void pairSkipped(const QString& file, const QString& reason);

    private:
        // buildForm() in parts: the run settings (network and schedule, device and precision, seed,
        // rates, masks and run folder), the start/pause/stop buttons, the progress bars and labels.
        void buildForm();
        QWidget* buildPresetRow();
        QWidget* buildAdvancedSection();
        QLayout* buildConfigButtons();
        void bindBasicSettings();
        void onSettingEdited(const QString& key);
        void refreshPresetList();
        bool applySettingsFrom(const QString& source, bool takeRunFolder);
        void updatePresetSummary();
        void chooseConfigToLoad();
        void chooseConfigToSave();
        void showFormProblem();
        bool probeFitThenBegin(const msup::TrainConfig& config);
        void askFit(const QString& estimate);
        void buildModelRows(QFormLayout* form, QWidget* formBox);
        void buildDeviceRows(QFormLayout* form, QWidget* formBox);
        void buildRunRows(QFormLayout* form, QWidget* formBox);
        QLayout* buildRunButtons();
        void buildProgress(QVBoxLayout* left);
        void buildChart();
        void setState(State state);
        void setPauseRequested(bool paused);
        void onPausedChanged(bool paused);
        // "Epoch 3/30 · batch 2/4 · loss 0.41" and, while running, speed and ETA.
        QString progressText(const msup::BatchProgress& p, bool withSpeed) const;
        bool beginRun(const msup::TrainConfig& config, const QString& resumeCheckpoint);
        void clearChart();
        void showHistory(const QVector<msup::EpochMetrics>& epochs);
        void onStarted(const QString& runDir);
        void onStatus(const QString& message);
        void onProgress(const msup::BatchProgress& progress);
        void onEpochFinished(const msup::EpochMetrics& metrics);
        void onFailed(const QString& message);
        void onFinished(const msup::TrainResult& result);
        void onReplotTimer();
        void showWarning(const QString& text, const QString& details);
        void showErrorAnalysis(int truth, int prediction);

        msup::TrainingController* m_controller = nullptr;
        State m_state = State::Idle;
        QString m_datasetRoot;
        QString m_datasetName;
        bool m_outDirAuto = true;
        bool m_failed = false;
        int m_epochs = 0;
        int m_imageSize = 0; // the run's training size, at which validation is scored
        double m_bestMiou = -1;
        int m_bestEpoch = 0;
        msup::TrainResult m_lastResult;

        SettingsForm* m_settings = nullptr;
        QComboBox* m_presetCombo = nullptr;
        QLabel* m_presetLabel = nullptr;
        QLabel* m_formProblemLabel = nullptr;
        QToolButton* m_advancedButton = nullptr;
        QWidget* m_advancedBox = nullptr;
        QPushButton* m_loadConfigButton = nullptr;
        QPushButton* m_saveConfigButton = nullptr;
        // What presetSummary() compares with: the preset name or config file the form was last set
        // from, and that config's settings; the "preset" key of the config (the shipped preset it
        // started from).
        QString m_presetSource;
        QJsonObject m_presetBase;
        QString m_presetKey;
        JobRunner* m_fitRunner = nullptr;
        msup::TrainConfig m_fitConfig; // the run waiting for the probe or the answer
        QPointer<QMessageBox> m_fitQuestion;
        double m_fitMinCost = 32;
        double m_fitWarnSeconds = 600;
        int m_datasetSamples = 0;
        QComboBox* m_modelCombo = nullptr;
        QSpinBox* m_widthSpin = nullptr;
        QComboBox* m_modeCombo = nullptr;
        QSpinBox* m_epochsSpin = nullptr;
        QSpinBox* m_batchSpin = nullptr;
        QSpinBox* m_imageSizeSpin = nullptr;
        QComboBox* m_deviceCombo = nullptr;
        QComboBox* m_ampCombo = nullptr;
        QCheckBox* m_channelsLastCheck = nullptr;
        // The device of the last setConfig, chosen again when the GPU list arrives later.
        QString m_requestedDevice;
        QSpinBox* m_seedSpin = nullptr;
        QDoubleSpinBox* m_learningRateSpin = nullptr;
        QComboBox* m_holeRatioCombo = nullptr;
        PathField* m_outDirField = nullptr; // the run folder
        QPushButton* m_startButton = nullptr;
        QPushButton* m_stopButton = nullptr;
        QPushButton* m_pauseButton = nullptr;
        QAction* m_pauseAction = nullptr;
        bool m_paused = false;
        JobRunner* m_historyRunner = nullptr; // reads a resumed run's metrics
        int m_liveEpochs = 0; // epochs finished by the current run in this window
        msup::BatchProgress m_lastProgress;
        bool m_hasProgress = false;
        TrainingCharts* m_charts = nullptr;
        ErrorAnalysisView* m_errorAnalysis = nullptr;
        QVector<QCPGraph*> m_smoothGraphs; // EMA of loss, seg, context, tasksim
        QCheckBox* m_correctionsCheck = nullptr;
        QString m_correctionsDir;
        QProgressBar* m_progressBar = nullptr; // the run
        QProgressBar* m_epochProgressBar = nullptr; // the current epoch
        QLabel* m_progressLabel = nullptr;
        QLabel* m_statusLabel = nullptr;
        QLabel* m_epochLabel = nullptr;

        QCustomPlot* m_chart = nullptr;
        QCPGraph* m_lossGraph = nullptr;
        QCPGraph* m_segGraph = nullptr;
        QCPGraph* m_contextGraph = nullptr;
        QCPGraph* m_tasksimGraph = nullptr;
        QCPGraph* m_miouGraph = nullptr;
        QTimer* m_replotTimer = nullptr;
        bool m_chartDirty = false;
        int m_replotCount = 0;
    };

    // "1 h 05 min", "3 min 07 s", "12 s".
    QString formatDuration(double seconds);

} // namespace ui
} // namespace msup
