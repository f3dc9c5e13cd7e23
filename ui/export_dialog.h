#pragma once

#include "core/train/batch_export.h"

#include <QDialog>
#include <QString>
#include <QStringList>

#include <memory>

class QCheckBox;
class QDragEnterEvent;
class QDropEvent;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTreeWidget;
class QVBoxLayout;

namespace msup {
namespace ui {
    class InferenceOptionsBox;

    class JobRunner;
    class PathField;

    // Exports predictions of a checkpoint for images and folders: coloured overlays (optionally with
    // a legend and a title), palette label masks and probability maps. The export runs in the
    // background (msup::exportPredictions in a JobRunner) with a progress bar and Cancel inside
    // the dialog, then a summary: what was written where, what was skipped and why, "Open folder".
    // The output folder, the chosen outputs, the opacity, legend and title are remembered (QSettings).
    class ExportDialog : public QDialog {
        Q_OBJECT
    public:
        explicit ExportDialog(QWidget* parent = nullptr);
        ~ExportDialog() override;

        // Prefills the checkpoint (e.g. the current run's best.pt).
        void setCheckpoint(const QString& path);
        QString checkpoint() const;
        // Adds image files or folders to the input list (duplicates ignored).
        void addInputs(const QStringList& paths);
        QStringList inputs() const;
        void clearInputs();
        void setOutputFolder(const QString& dir);
        // The open dataset and the run being looked at: the file pickers start there, and an empty
        // input list is filled with `images` (the images the main window shows).
        void setContext(const QString& datasetRoot, const QString& runDir, const QStringList& images);
        // The device predictions run on ("auto" by default: the GPU when this build has one).
        void setDevice(const QString& device) { m_device = device; }

        // What the Export button would run with the current fields.
        msup::ExportOptions options() const;

        bool isExporting() const { return m_running; }
        bool hasSummary() const { return m_hasSummary; }
        // The last export's summary and its error (checkpoint unreadable, ...; empty on success).
        const msup::ExportSummary& summary() const { return m_summary; }
        QString lastError() const { return m_error; }
        // The summary as shown (plain text).
        QString summaryText() const;

    public Q_SLOTS:
        // Checks the fields, then starts the export in the background; returns at once.
        void startExport();
        // Stops after the current image; the summary then says what was written.
        void cancelExport();
        void addImages();
        void addFolder();
        void openOutputFolder();

    Q_SIGNALS:
        void exportStarted();
        void exportFinished();

    protected:
        void reject() override;
        void dragEnterEvent(QDragEnterEvent* event) override;
        void dropEvent(QDropEvent* event) override;

    private:
        // buildUi() in parts: the images and folders to export, the checkpoint, output folder and
        // files, the summary shown once an export ends.
        void buildUi();
        void buildInputList(QVBoxLayout* settingsLayout);
        QFormLayout* buildOutputForm();
        void buildSummary();
        void loadSettings();
        void saveSettings() const;
        void updateButtons();
        QString inputStartFolder() const;
        void suggestOutputFolder();
        void onProgress(int done, int total, const QString& current); // the label (bindProgress: the bar)
        void onFinished();
        void showSummary();

        QString m_device = QStringLiteral("auto");
        bool m_running = false;
        bool m_hasSummary = false;
        msup::ExportSummary m_summary;
        QString m_error;
        QString m_datasetRoot;
        QString m_runDir;
        JobRunner* m_runner = nullptr;

        QListWidget* m_inputs = nullptr;
        QPushButton* m_addImagesButton = nullptr;
        QPushButton* m_addFolderButton = nullptr;
        QPushButton* m_removeButton = nullptr;
        PathField* m_outDir = nullptr;
        PathField* m_checkpoint = nullptr;
        QCheckBox* m_overlayCheck = nullptr;
        QCheckBox* m_maskCheck = nullptr;
        QCheckBox* m_probCheck = nullptr;
        QCheckBox* m_uncertaintyCheck = nullptr;
        InferenceOptionsBox* m_inference = nullptr;
        QSpinBox* m_opacity = nullptr;
        QCheckBox* m_legendCheck = nullptr;
        QLineEdit* m_title = nullptr;
        QGroupBox* m_settingsBox = nullptr;
        QProgressBar* m_progress = nullptr;
        QLabel* m_currentLabel = nullptr;
        QPushButton* m_cancelButton = nullptr;
        QGroupBox* m_summaryBox = nullptr;
        QLabel* m_summaryLabel = nullptr;
        QTreeWidget* m_skipped = nullptr;
        QPushButton* m_openFolderButton = nullptr;
        QPushButton* m_exportButton = nullptr;
    };

} // namespace ui
} // namespace msup
