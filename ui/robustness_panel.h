#pragma once

#include "core/train/robustness.h"

#include <QImage>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <memory>

class QAction;
class QCheckBox;
class QComboBox;
class QCustomPlot;
class QFormLayout;
class QGridLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QVBoxLayout;

namespace msup {
namespace ui {

    struct RobustnessRequest;
    class JobRunner;
    class PathField;

    // One level of the example predictions: the input as the network sees it (model size, holes
    // mid-grey) and the predicted labels over the image.
    struct RobustnessExample {
        double lo = 0, hi = 0; // hole-ratio interval; 0, 0 = clean
        double holeRatio = 0; // of the mask drawn
        QImage masked;
        QImage prediction;
    };

    // The evaluation of one checkpoint.
    struct RobustnessRun {
        QString checkpoint; // absolute path
        QString label; // its run folder's name
        msup::RobustnessResult result;
        QString exampleImage; // sample id of the example image
        QVector<RobustnessExample> examples; // one per level (empty when switched off)
        QString exampleError;
    };

    // Robustness under masking, for one or several checkpoints (e.g. a baseline and a MaskSup run):
    // the mIoU on a dataset split whose images are hidden by masks of increasing hole ratio, on
    // identical masks for every checkpoint (they are a pure function of the seed). Runs on a
    // background thread with progress and Cancel; results as a chart (mIoU against the upper edge
    // of each hole-ratio interval, 0 = clean), a table, example predictions for the first image,
    // and PNG / CSV export. Every error is shown in the panel and names the file concerned.
    class RobustnessPanel : public QWidget {
        Q_OBJECT
    public:
        explicit RobustnessPanel(QWidget* parent = nullptr);
        ~RobustnessPanel() override;

        // Inputs. Checkpoints are listed by their run folder's name, without duplicates.
        QStringList checkpoints() const;
        void setCheckpoints(const QStringList& paths);
        // Adds a checkpoint (e.g. the best.pt of a run that just finished); fills the dataset field
        // from the run's config when it is empty.
        void addCheckpoint(const QString& path);
        QString datasetPath() const;
        void setDatasetPath(const QString& path);
        QString split() const;
        void setSplit(const QString& split);
        QString ratiosText() const;
        void setRatiosText(const QString& text);
        // Empty when the ratios are valid, else parseRobustnessRatios' message (shown in the panel).
        QString ratiosError() const { return m_ratiosError; }
        int seed() const;
        void setSeed(int seed);
        QString maskFolder() const;
        void setMaskFolder(const QString& folder);
        bool examplesEnabled() const;
        void setExamplesEnabled(bool enabled);

        // State and results (test hooks too).
        bool isRunning() const { return m_running; }
        int resultCount() const { return int(m_runs.size()); }
        const RobustnessRun& runResult(int run) const { return m_runs.at(run); }
        QVector<double> miouCurve(int run) const;
        // The x of each point: the upper edge of each interval, 0 for the clean level.
        QVector<double> ratioAxis(int run) const;
        // The errors of the last run (or why it did not start), each naming its file; empty if none.
        QString lastError() const { return m_lastError; }
        // One CSV for all runs: RobustnessResult::toCsv() of each with a first column `checkpoint`
        // (the checkpoint's path).
        QString csvText() const;
        // Write the CSV / the chart as PNG; false (and the error shown) when the file cannot be written.
        bool exportCsv(const QString& path);
        bool exportPlot(const QString& path);

    public Q_SLOTS:
        // Validates the inputs (errors shown, nothing started) and starts the evaluation.
        void run();
        // Stops after the current image; finished() follows with lastError() saying "cancelled".
        void cancel();

    Q_SIGNALS:
        void started();
        // After each checkpoint evaluated successfully (index into the results).
        void runFinished(int run);
        // When a started evaluation ends: done, failed or cancelled.
        void finished();

    private:
        // buildInputs() in parts: the checkpoints to compare, the evaluation settings, run/cancel
        // with progress and status.
        void buildInputs(QVBoxLayout* layout);
        void buildCheckpointList(QWidget* box, QVBoxLayout* boxLayout);
        QFormLayout* buildSettingsForm(QWidget* box);
        void buildRunControls(QWidget* box, QVBoxLayout* boxLayout);
        void buildResults(QVBoxLayout* layout);
        void onRatiosChanged();
        void addCheckpoints();
        void removeCheckpoints();
        void chooseCsvFile();
        void choosePlotFile();
        void refreshLabels();
        void setError(const QString& message);
        void updateButtons();
        void evaluateCheckpoint(int index);
        void showProgress(int done, int total);
        void onRunDone(const RobustnessRun& run, const QString& error);
        void onAllDone(bool cancelled);
        void clearResults();
        void addToChart(const RobustnessRun& run);
        void addToTable(const RobustnessRun& run);
        void showExamples(int run);

        QVector<RobustnessRun> m_runs;
        QStringList m_errors;
        QString m_lastError;
        QString m_ratiosError;
        JobRunner* m_runner = nullptr; // evaluates one checkpoint at a time
        std::shared_ptr<const RobustnessRequest> m_request; // of the evaluation under way
        bool m_running = false;
        int m_jobIndex = 0; // the checkpoint being evaluated
        int m_jobCheckpoints = 0;

        QListWidget* m_checkpointList = nullptr;
        QPushButton* m_addButton = nullptr;
        QPushButton* m_removeButton = nullptr;
        PathField* m_datasetField = nullptr;
        QComboBox* m_splitCombo = nullptr;
        QLineEdit* m_ratiosEdit = nullptr;
        QLabel* m_ratiosErrorLabel = nullptr;
        QSpinBox* m_seedSpin = nullptr;
        PathField* m_maskFolderField = nullptr;
        QComboBox* m_deviceCombo = nullptr;
        QCheckBox* m_examplesCheck = nullptr;
        QPushButton* m_runButton = nullptr;
        QPushButton* m_cancelButton = nullptr;
        QAction* m_runAction = nullptr;
        QAction* m_cancelAction = nullptr;
        QProgressBar* m_progress = nullptr;
        QLabel* m_statusLabel = nullptr;
        QLabel* m_errorLabel = nullptr;
        QCustomPlot* m_plot = nullptr;
        QTableWidget* m_table = nullptr;
        QComboBox* m_exampleRunCombo = nullptr;
        QWidget* m_examplesWidget = nullptr;
        QGridLayout* m_examplesGrid = nullptr;
        QLabel* m_examplesLabel = nullptr;
        QPushButton* m_exportPlotButton = nullptr;
        QPushButton* m_exportCsvButton = nullptr;
    };

} // namespace ui
} // namespace msup
