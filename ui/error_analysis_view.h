#pragma once

#include <QDialog>
#include <QImage>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVector>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QSpinBox;

namespace msup {
namespace ui {

    class JobRunner;

    // The validation images where one error of a run's latest validation is worst: opened by a click
    // on a confusion-matrix cell (true class, predicted class) or a class label (true class, -1) of
    // the training charts. Ranks the images by the per-image counts the run recorded
    // (RunFolder::readValidationErrors), then re-predicts the worst ones in the background (progress,
    // Cancel; a new request cancels the running one) with the weights of that epoch. Each row: the
    // image id and its error pixels, the prediction in error mode (true positive / false positive /
    // false negative of the true class, with a legend) and the masked input the context branch would
    // have seen at that epoch (the run's seed). Never blocks the GUI thread.
    class ErrorAnalysisView : public QDialog {
        Q_OBJECT
    public:
        explicit ErrorAnalysisView(QWidget* parent = nullptr);
        ~ErrorAnalysisView() override;

        // Starts the analysis of cell (truth, prediction) of RUN_DIR's latest validation (prediction
        // -1: every error of class `truth`); the worst imageCount() images are shown. A running
        // analysis is abandoned (its result dropped).
        void analyse(const QString& runDir, int truth, int prediction);
        // Stops the running analysis within one image; the images done so far are shown.
        void cancel();
        bool isBusy() const { return m_busy; }
        void setImageCount(int n);
        int imageCount() const;

        // What is shown (tests, screenshots): the status line and, per row, worst first, the image
        // id, the error pixels recorded during validation and recomputed from the re-prediction, and
        // the images at the model size.
        QString message() const;
        QString title() const;
        int rowCount() const { return int(m_rows.size()); }
        QString rowId(int row) const { return m_rows.value(row).id; }
        qint64 rowPixels(int row) const { return m_rows.value(row).pixels; }
        qint64 rowRecomputedPixels(int row) const { return m_rows.value(row).recomputed; }
        QImage rowErrorImage(int row) const { return m_rows.value(row).errors; }
        QImage rowMaskedImage(int row) const { return m_rows.value(row).masked; }
        QImage rowImage(int row) const { return m_rows.value(row).image; }
        QTableWidget* table() const { return m_table; }

        // One shown image (plain values: built on the worker thread).
        struct Row {
            QString id;
            qint64 pixels = 0, recomputed = 0;
            qint64 truePositives = 0, falsePositives = 0, falseNegatives = 0;
            QImage image, errors, masked;
        };
        struct Result {
            QString error; // empty on success
            bool cancelled = false;
            int epoch = 0, checkpointEpoch = 0;
            bool weightsMatch = true, masked = true;
            int imagesWithError = 0;
            QStringList classNames;
            QVector<Row> rows;
        };

    Q_SIGNALS:
        // An analysis ended (shown, failed, cancelled, or nothing to show).
        void analysisFinished();

    private:
        void onProgress(int generation, int done, int total);
        void onResult(int generation, const Result& result);
        void showMessage(const QString& text);
        void setBusy(bool busy);
        void updateTitle();
        void updateLegend();

        QLabel* m_titleLabel = nullptr;
        QLabel* m_legendLabel = nullptr;
        QLabel* m_messageLabel = nullptr;
        QProgressBar* m_progress = nullptr;
        QPushButton* m_cancelButton = nullptr;
        QSpinBox* m_countSpin = nullptr;
        QTableWidget* m_table = nullptr;

        QString m_runDir;
        int m_truth = 0, m_prediction = -1;
        QStringList m_classNames;
        QVector<Row> m_rows;
        bool m_busy = false;
        int m_generation = 0;
        JobRunner* m_runner = nullptr; // one analysis at a time: a new one overtakes the running one
        int m_jobGeneration = 0; // the generation of the runner's current job
    };

} // namespace ui
} // namespace msup
