#pragma once

#include "core/data/dataset.h"
#include "core/data/validation.h"

#include <QDialog>
#include <QString>
#include <QVector>

class QCheckBox;
class QCustomPlot;
class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;

namespace msup {
namespace ui {

    class JobRunner;

    // The import report of a dataset: what indexing found at once (folder, format, classes, counts
    // per split), then what decoding every pair in the background finds (progress and Cancel):
    // image size range, a bar chart of the class pixel frequencies, and every problem with its file
    // and the fix. Non-modal; closing it cancels a check in progress.
    class DatasetReportDialog : public QDialog {
        Q_OBJECT
    public:
        explicit DatasetReportDialog(const msup::Dataset& dataset, QWidget* parent = nullptr);
        ~DatasetReportDialog() override;

        // Decodes every pair in the background (called once, by the constructor's owner).
        void start();
        void cancel();
        bool isRunning() const { return m_running; }
        bool isFinished() const { return m_finished; }
        bool wasCancelled() const { return m_cancelled; }
        const msup::DatasetReport& report() const { return m_report; }
        const msup::Dataset& dataset() const { return m_dataset; }

        // What the dialog shows, as plain text (also what "Copy report" puts on the clipboard).
        QString reportText() const;
        // Bars of the class frequency chart: one per class, in % of the labelled pixels.
        QVector<double> chartValues() const { return m_chartValues; }
        int problemCount() const;

        // Whether opening a dataset from the GUI shows this report (a setting, default on).
        static bool showOnOpen();
        static void setShowOnOpen(bool show);

    Q_SIGNALS:
        void reportReady();

    protected:
        void reject() override;

    private:
        void buildUi();
        void fillIndexFacts();
        void onProgress(int done);
        void onFailed(const QString& message);
        void onFinished();
        void fillChart();
        void fillProblems();
        void copyReport();
        QString splitCounts() const;

        msup::Dataset m_dataset;
        msup::DatasetReport m_report;
        JobRunner* m_runner = nullptr;
        bool m_running = false;
        bool m_cancelRequested = false;
        bool m_finished = false;
        bool m_cancelled = false;
        QString m_error;
        QVector<double> m_chartValues;

        QLabel* m_folderLabel = nullptr;
        QLabel* m_formatLabel = nullptr;
        QLabel* m_classesLabel = nullptr;
        QLabel* m_splitsLabel = nullptr;
        QLabel* m_sizesLabel = nullptr;
        QLabel* m_checkedLabel = nullptr;
        QProgressBar* m_progress = nullptr;
        QPushButton* m_cancelButton = nullptr;
        QCustomPlot* m_chart = nullptr;
        QTreeWidget* m_problems = nullptr;
        QLabel* m_problemsCaption = nullptr;
        QCheckBox* m_showOnOpen = nullptr;
    };

} // namespace ui
} // namespace msup
