#pragma once

#include "core/train/run_folder.h"
#include "core/train/run_index.h"
#include "core/train/run_report.h"

#include <QHash>
#include <QPoint>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <memory>

class QAbstractItemModel;
class QAction;
class QCustomPlot;
class QFileSystemWatcher;
class QLabel;
class QProgressDialog;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace msup {
namespace ui {

    class RunTableModel;
    class JobRunner;

    // The runs of a project side by side: a sortable table (run, preset, mode, model, epochs done /
    // planned, best mIoU and its epoch, duration, device) and, for the selected rows, their
    // validation mIoU per epoch and their mIoU under masking (from the run folder's robustness table) as
    // overlaid curves, e.g. a baseline against its MaskSup ablations. Finished binary runs also show
    // the GlaS object metrics of their best checkpoint on the validation split (object F1, object
    // Dice, object Hausdorff; msup::runObjectMetrics in a background job: stored in the run folder,
    // else evaluated on the CPU and stored); the columns are hidden while no listed run is binary.
    // Run folders are read with
    // msup::readRun (cheap: a few small files each); more than kAsyncThreshold runs are read in a
    // background job. Folders of unfinished runs (the last kMaxWatchedRuns listed) are watched and
    // re-read when training writes to them.
    class RunsPanel : public QWidget {
        Q_OBJECT
    public:
        enum Column {
            RunColumn,
            PresetColumn,
            ModeColumn,
            ModelColumn,
            EpochsColumn,
            BestMiouColumn,
            BestEpochColumn,
            ObjectF1Column,
            ObjectDiceColumn,
            ObjectHausdorffColumn,
            DurationColumn,
            DeviceColumn,
            ColumnCount
        };
        enum class Chart { Miou, Robustness };
        // A run's object metrics as the table shows them.
        struct ObjectMetricsCell {
            enum class State { Computing, Done, Failed } state = State::Computing;
            QString key; // the run's epochs and best epoch when they were asked for (empty: ask again)
            msup::RunObjectMetrics metrics;
            QString problem; // Failed: why
        };
        static constexpr int kAsyncThreshold = 20;
        // Unfinished runs watched for changes at most (the last ones listed).
        static constexpr int kMaxWatchedRuns = 256;

        explicit RunsPanel(QWidget* parent = nullptr);
        ~RunsPanel() override;

        // Adds a run folder (also one without a config yet, e.g. a run that just started: it is
        // listed with its problem and read again on refresh). A folder already listed is ignored.
        void addRunFolder(const QString& folder);
        // Adds every sub-folder of `parent` that is a run folder (or `parent` itself when it is a
        // run and has none); returns how many were added. More than kAsyncThreshold new runs are
        // listed at once and read in a background job (refreshed() follows), as with setRunFolders.
        int addRunsIn(const QString& parent);
        void removeRunFolders(const QStringList& folders);
        QStringList runFolders() const;
        void setRunFolders(const QStringList& folders);

        // The runs in list order (not the table's sort order).
        const QVector<msup::RunSummary>& runs() const { return m_runs; }
        QStringList selectedFolders() const;
        void setSelectedFolders(const QStringList& folders);
        bool isRefreshing() const { return m_pendingRefresh != 0; }

        // Charts and their export. CSV: one row per plotted point, `run,epoch,val_miou` for the mIoU
        // chart and `run,hole_ratio,miou` for the robustness chart (run = the run folder's name).
        QCustomPlot* chart(Chart which) const;
        QString chartCsv(Chart which) const;
        // False (and the error in statusText()) when the file cannot be written.
        bool exportChartCsv(Chart which, const QString& path);
        bool exportChartPng(Chart which, const QString& path);
        // "run · epoch 3 · mIoU 0.7123" for the curve point nearest `pos` (chart pixels), or empty.
        QString pointToolTip(Chart which, const QPoint& pos) const;

        // True while a report is being written (exportReport() or the Export report… action).
        bool isExportingReport() const;
        // True while the object metrics of finished binary runs are being read or computed.
        bool isComputingObjectMetrics() const;

        QTableView* tableView() const { return m_table; }
        // The table as shown (sortable proxy over the runs).
        QAbstractItemModel* tableModel() const;
        QString statusText() const;

    public Q_SLOTS:
        // Reads every listed folder again (in a background job above kAsyncThreshold runs); the
        // selection is kept. refreshed() follows.
        void refresh();
        // Writes the report of `runFolder` to `outPath` (.html or .pdf; msup::writeRunReport with
        // its default options) in a background job, with a progress dialog that can cancel it; returns at
        // once. reportExported() follows. Ignored while another report is being written.
        void exportReport(const QString& runFolder, const QString& outPath);

    Q_SIGNALS:
        // A run double-clicked in the table.
        void runActivated(const QString& folder);
        // The list of folders changed (added, removed, replaced), e.g. to save it in the project.
        void runsChanged();
        // A refresh finished and the table shows its result.
        void refreshed();
        // The object metrics of some runs arrived (the table shows them).
        void objectMetricsUpdated();
        // A report finished: `outPath` absolute, `error` empty on success ("cancelled" text when the
        // user cancelled it).
        void reportExported(const QString& outPath, const QString& error);

    protected:
        bool eventFilter(QObject* watched, QEvent* event) override;

    private:
        void buildUi();
        QCustomPlot* makeChart(const QString& objectName, const QString& xLabel);
        void chooseRunFolder();
        void chooseParentFolder();
        void removeSelected();
        void setRuns(const QVector<msup::RunSummary>& runs, const QStringList& keepSelection);
        void updateCharts();
        void updateButtons();
        void updateWatcher();
        void onFolderChanged(const QString& folder);
        void rereadChanged();
        void chooseExport(Chart which, bool png);
        void setStatus(const QString& text);
        void chooseReportExport();
        void startReport(
            const QString& runFolder, const QString& outPath, const msup::ReportOptions& options);
        void onReportProgress(int done, int total, const QString& what);
        void onReportDone(const QString& out, const msup::ReportResult& result, const QString& failure);
        void updateObjectMetrics();
        void showObjectMetricRows(const QSet<QString>& folders);

        QVector<msup::RunSummary> m_runs;
        QHash<QString, ObjectMetricsCell> m_objectMetrics; // by run folder
        QStringList m_changed; // watched folders that changed since the last re-read
        int m_pendingRefresh = 0; // generation of the asynchronous refresh in flight (0 = none)
        int m_refreshGeneration = 0;

        RunTableModel* m_model = nullptr;
        QSortFilterProxyModel* m_proxy = nullptr;
        QTableView* m_table = nullptr;
        QPushButton* m_addButton = nullptr;
        QPushButton* m_addAllButton = nullptr;
        QPushButton* m_removeButton = nullptr;
        QPushButton* m_refreshButton = nullptr;
        QPushButton* m_exportButton = nullptr;
        QPushButton* m_reportButton = nullptr;
        QAction* m_reportAction = nullptr;
        JobRunner* m_scanRunner = nullptr; // reads the runs above kAsyncThreshold
        JobRunner* m_reportRunner = nullptr; // writes a report
        JobRunner* m_objectRunner = nullptr; // reads or computes the object metrics
        QString m_reportRunName; // of the report being written
        QString m_reportOut; // its file, absolute
        QProgressDialog* m_reportProgress = nullptr;
        QAction* m_refreshAction = nullptr;
        QLabel* m_hintLabel = nullptr;
        QLabel* m_statusLabel = nullptr;
        QCustomPlot* m_miouChart = nullptr;
        QCustomPlot* m_robustnessChart = nullptr;
        QFileSystemWatcher* m_watcher = nullptr;
        QTimer* m_rereadTimer = nullptr;
        QTimer* m_pollTimer = nullptr;
    };

} // namespace ui
} // namespace msup
