#include "ui/export_dialog.h"

#include "core/train/output_guard.h"
#include "core/train/run_folder.h"
#include "ui/inference_options_box.h"
#include "ui/job_runner.h"
#include "ui/path_field.h"
#include "ui/widgets.h"

#include <QCheckBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <cmath>

namespace msup {
namespace ui {

    namespace {

        const QString kOutDirKey = QStringLiteral("export/outputFolder");
        const QString kOverlayKey = QStringLiteral("export/overlay");
        const QString kMaskKey = QStringLiteral("export/labelMask");
        const QString kProbKey = QStringLiteral("export/probabilities");
        const QString kUncertaintyKey = QStringLiteral("export/uncertainty");
        const QString kOpacityKey = QStringLiteral("export/opacity");
        const QString kLegendKey = QStringLiteral("export/legend");
        const QString kTitleKey = QStringLiteral("export/title");
        const QString kLastInputKey = QStringLiteral("export/lastInputFolder");
        const QString kCheckpointKey = QStringLiteral("export/checkpoint");

        QString imageFilter()
        {
            return ExportDialog::tr("Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff);;All files (*)");
        }

    } // namespace

    ExportDialog::ExportDialog(QWidget* parent)
        : QDialog(parent)
        , m_runner(new JobRunner(this))
    {
        setObjectName(QStringLiteral("exportDialog"));
        setWindowTitle(tr("Export predictions"));
        setSizeGripEnabled(true);
        setAcceptDrops(true);
        buildUi();
        loadSettings();
        updateButtons();
        bindProgress(m_runner, m_progress, m_cancelButton); // first: the bar is hidden before the summary
        connect(m_runner, &JobRunner::progress, this, &ExportDialog::onProgress);
        connect(m_runner, &JobRunner::failed, this, [this](const QString& message) {
            m_error = message;
            onFinished();
        });
        resize(640, 620);
    }

    // The runner stops the export after its current image and waits for it.
    ExportDialog::~ExportDialog() = default;

    void ExportDialog::buildUi()
    {
        auto* layout = new QVBoxLayout(this);

        m_settingsBox = new QGroupBox(tr("What to export"), this);
        auto* settingsLayout = new QVBoxLayout(m_settingsBox);
        buildInputList(settingsLayout);
        settingsLayout->addLayout(buildOutputForm());
        layout->addWidget(m_settingsBox, 1);

        auto* progressRow = new QHBoxLayout;
        m_progress = new QProgressBar(this);
        m_progress->setObjectName(QStringLiteral("exportProgress"));
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
        m_progress->setVisible(false);
        m_cancelButton = pushButton(tr("Cancel"), QStringLiteral("exportCancelButton"),
            tr("Stop after the current image; the files written so far stay"), this, this,
            &ExportDialog::cancelExport);
        m_cancelButton->setVisible(false);
        progressRow->addWidget(m_progress, 1);
        progressRow->addWidget(m_cancelButton);
        layout->addLayout(progressRow);
        m_currentLabel = new QLabel(this);
        m_currentLabel->setObjectName(QStringLiteral("exportCurrentLabel"));
        m_currentLabel->setVisible(false);
        layout->addWidget(m_currentLabel);

        buildSummary();
        layout->addWidget(m_summaryBox);

        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
        m_exportButton = buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole);
        m_exportButton->setObjectName(QStringLiteral("exportButton"));
        m_exportButton->setDefault(true);
        // accepted() is left unconnected: the button starts the export and the dialog stays open.
        connect(m_exportButton, &QPushButton::clicked, this, &ExportDialog::startExport);
        connect(buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
        layout->addWidget(buttons);
    }

    void ExportDialog::buildInputList(QVBoxLayout* settingsLayout)
    {
        auto* inputsCaption = new QLabel(tr("Images and folders (drop files here):"), m_settingsBox);
        settingsLayout->addWidget(inputsCaption);
        auto* inputsRow = new QHBoxLayout;
        m_inputs = new QListWidget(m_settingsBox);
        m_inputs->setObjectName(QStringLiteral("exportInputs"));
        m_inputs->setSelectionMode(QAbstractItemView::ExtendedSelection);
        m_inputs->setToolTip(tr("Folders are exported image by image (not their sub-folders)"));
        inputsCaption->setBuddy(m_inputs);
        connect(m_inputs, &QListWidget::itemSelectionChanged, this, &ExportDialog::updateButtons);
        inputsRow->addWidget(m_inputs, 1);
        auto* inputButtons = new QVBoxLayout;
        m_addImagesButton = pushButton(tr("Add &images…"), QStringLiteral("exportAddImagesButton"), {},
            m_settingsBox, this, &ExportDialog::addImages);
        m_addFolderButton = pushButton(tr("Add &folder…"), QStringLiteral("exportAddFolderButton"), {},
            m_settingsBox, this, &ExportDialog::addFolder);
        m_removeButton = new QPushButton(tr("&Remove"), m_settingsBox);
        m_removeButton->setObjectName(QStringLiteral("exportRemoveButton"));
        connect(m_removeButton, &QPushButton::clicked, this, [this] {
            qDeleteAll(m_inputs->selectedItems());
            updateButtons();
        });
        inputButtons->addWidget(m_addImagesButton);
        inputButtons->addWidget(m_addFolderButton);
        inputButtons->addWidget(m_removeButton);
        inputButtons->addStretch(1);
        inputsRow->addLayout(inputButtons);
        settingsLayout->addLayout(inputsRow, 1);
    }

    QFormLayout* ExportDialog::buildOutputForm()
    {
        auto* form = new QFormLayout;
        m_checkpoint = new PathField(PathField::Kind::OpenFile, tr("Open checkpoint"),
            QStringLiteral("exportCheckpointEdit"), QStringLiteral("exportCheckpointBrowseButton"),
            m_settingsBox);
        m_checkpoint->lineEdit()->setPlaceholderText(tr("best.pt of a training run"));
        m_checkpoint->setNameFilter(tr("MaskSup checkpoints (*.pt);;All files (*)"));
        m_checkpoint->setStartFolder([this] {
            return m_runDir.isEmpty() ? QDir::homePath()
                                      : msup::RunFolder(m_runDir).path(msup::RunFile::Checkpoints);
        });
        connect(m_checkpoint->lineEdit(), &QLineEdit::textChanged, this, &ExportDialog::updateButtons);
        // The label's buddy is the field's line edit (QFormLayout would pick the row widget), so that
        // "&" is a mnemonic (Alt+C) that focuses the path.
        auto* checkpointLabel = new QLabel(tr("&Checkpoint:"), m_settingsBox);
        checkpointLabel->setBuddy(m_checkpoint->lineEdit());
        form->addRow(checkpointLabel, m_checkpoint);
        m_outDir = new PathField(PathField::Kind::Folder, tr("Output folder"),
            QStringLiteral("exportOutDirEdit"), QStringLiteral("exportOutDirBrowseButton"), m_settingsBox);
        m_outDir->lineEdit()->setPlaceholderText(tr("Folder the files are written to"));
        // Beside the dataset (outputs never go into it), else the run folder.
        m_outDir->setStartFolder([this] {
            if (!m_datasetRoot.isEmpty())
                return QFileInfo(m_datasetRoot).absolutePath();
            return m_runDir.isEmpty() ? QDir::homePath() : m_runDir;
        });
        connect(m_outDir->lineEdit(), &QLineEdit::textChanged, this, &ExportDialog::updateButtons);
        auto* outDirLabel = new QLabel(tr("&Output folder:"), m_settingsBox);
        outDirLabel->setBuddy(m_outDir->lineEdit());
        form->addRow(outDirLabel, m_outDir);

        auto* outputs = new QVBoxLayout;
        m_overlayCheck = new QCheckBox(tr("Coloured &overlay (<name>_overlay.png)"), m_settingsBox);
        m_overlayCheck->setObjectName(QStringLiteral("exportOverlayCheck"));
        m_maskCheck
            = new QCheckBox(tr("&Label mask, palette PNG, index = class (<name>_mask.png)"), m_settingsBox);
        m_maskCheck->setObjectName(QStringLiteral("exportMaskCheck"));
        m_probCheck
            = new QCheckBox(tr("&Probability maps, NumPy float32 C×H×W (<name>_prob.npy)"), m_settingsBox);
        m_probCheck->setObjectName(QStringLiteral("exportProbCheck"));
        m_probCheck->setToolTip(
            tr("At the model's input size when resizing; at the scaled image's size with tiles"));
        m_uncertaintyCheck = new QCheckBox(
            tr("&Uncertainty, heat map and NumPy float32 (<name>_uncertainty.png, .npy)"), m_settingsBox);
        m_uncertaintyCheck->setObjectName(QStringLiteral("exportUncertaintyCheck"));
        m_uncertaintyCheck->setToolTip(
            tr("Per-pixel normalised entropy from 0 (certain) to 1; with flip TTA, the "
               "disagreement between the passes"));
        for (QCheckBox* box : { m_overlayCheck, m_maskCheck, m_probCheck, m_uncertaintyCheck }) {
            connect(box, &QCheckBox::toggled, this, &ExportDialog::updateButtons);
            outputs->addWidget(box);
        }
        form->addRow(tr("Files:"), outputs);
        m_inference = new InferenceOptionsBox(QStringLiteral("export"), Qt::Vertical, m_settingsBox);
        form->addRow(tr("Inference:"), m_inference);

        m_opacity = new QSpinBox(m_settingsBox);
        m_opacity->setObjectName(QStringLiteral("exportOpacitySpin"));
        m_opacity->setRange(0, 100);
        m_opacity->setSingleStep(5);
        m_opacity->setSuffix(tr(" %"));
        m_opacity->setToolTip(tr("0 %: the image only; 100 %: the class colours only"));
        form->addRow(tr("Overlay o&pacity:"), m_opacity);
        m_legendCheck = new QCheckBox(
            tr("Add a l&egend (one colour and name per class) below the overlay"), m_settingsBox);
        m_legendCheck->setObjectName(QStringLiteral("exportLegendCheck"));
        form->addRow(QString(), m_legendCheck);
        m_title = new QLineEdit(m_settingsBox);
        m_title->setObjectName(QStringLiteral("exportTitleEdit"));
        m_title->setPlaceholderText(tr("No title; %1 stands for the image name"));
        m_title->setToolTip(tr("A title written above the overlay; %1 is replaced by the image's file name"));
        form->addRow(tr("Overlay &title:"), m_title);
        connect(m_overlayCheck, &QCheckBox::toggled, this, [this](bool on) {
            m_opacity->setEnabled(on);
            m_legendCheck->setEnabled(on);
            m_title->setEnabled(on);
        });
        return form;
    }

    void ExportDialog::buildSummary()
    {
        m_summaryBox = new QGroupBox(tr("Summary"), this);
        m_summaryBox->setObjectName(QStringLiteral("exportSummaryBox"));
        auto* summaryLayout = new QVBoxLayout(m_summaryBox);
        m_summaryLabel = textLabel(QStringLiteral("exportSummaryLabel"), m_summaryBox);
        summaryLayout->addWidget(m_summaryLabel);
        m_skipped = new QTreeWidget(m_summaryBox);
        m_skipped->setObjectName(QStringLiteral("exportSkippedList"));
        m_skipped->setRootIsDecorated(false);
        m_skipped->setWordWrap(true);
        m_skipped->setHeaderLabels({ tr("Skipped"), tr("Reason") });
        m_skipped->header()->setStretchLastSection(true);
        m_skipped->setColumnWidth(0, 220);
        summaryLayout->addWidget(m_skipped);
        m_openFolderButton = pushButton(tr("Open &folder"), QStringLiteral("exportOpenFolderButton"), {},
            m_summaryBox, this, &ExportDialog::openOutputFolder);
        auto* openRow = new QHBoxLayout;
        openRow->addStretch(1);
        openRow->addWidget(m_openFolderButton);
        summaryLayout->addLayout(openRow);
        m_summaryBox->setVisible(false);
    }

    void ExportDialog::loadSettings()
    {
        const QSettings s;
        m_outDir->setPath(s.value(kOutDirKey).toString());
        // The checkpoint of the last export, while it still exists.
        const QString checkpoint = s.value(kCheckpointKey).toString();
        if (!checkpoint.isEmpty() && QFileInfo(checkpoint).isFile())
            setCheckpoint(checkpoint);
        m_overlayCheck->setChecked(s.value(kOverlayKey, true).toBool());
        m_maskCheck->setChecked(s.value(kMaskKey, true).toBool());
        m_probCheck->setChecked(s.value(kProbKey, false).toBool());
        m_uncertaintyCheck->setChecked(s.value(kUncertaintyKey, false).toBool());
        m_inference->loadSettings();
        m_opacity->setValue(int(std::lround(100 * s.value(kOpacityKey, 0.5).toDouble())));
        m_legendCheck->setChecked(s.value(kLegendKey, false).toBool());
        m_title->setText(s.value(kTitleKey).toString());
    }

    void ExportDialog::saveSettings() const
    {
        QSettings s;
        s.setValue(kOutDirKey, m_outDir->path());
        s.setValue(kCheckpointKey, checkpoint());
        s.setValue(kOverlayKey, m_overlayCheck->isChecked());
        s.setValue(kMaskKey, m_maskCheck->isChecked());
        s.setValue(kProbKey, m_probCheck->isChecked());
        s.setValue(kUncertaintyKey, m_uncertaintyCheck->isChecked());
        m_inference->saveSettings();
        s.setValue(kOpacityKey, m_opacity->value() / 100.0);
        s.setValue(kLegendKey, m_legendCheck->isChecked());
        s.setValue(kTitleKey, m_title->text());
    }

    void ExportDialog::setCheckpoint(const QString& path)
    {
        m_checkpoint->setPath(path);
    }

    QString ExportDialog::checkpoint() const
    {
        return m_checkpoint->path();
    }

    void ExportDialog::addInputs(const QStringList& paths)
    {
        QStringList known = inputs();
        for (const QString& path : paths) {
            const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
            if (path.isEmpty() || known.contains(clean))
                continue;
            known << clean;
            auto* item = new QListWidgetItem(QDir::toNativeSeparators(clean), m_inputs);
            item->setData(Qt::UserRole, clean);
            item->setToolTip(QFileInfo(clean).isDir() ? tr("Folder: every image in it") : tr("Image"));
        }
        suggestOutputFolder();
        updateButtons();
    }

    void ExportDialog::suggestOutputFolder()
    {
        // Outputs never go into a dataset: when the output folder is empty or lies in a dataset, and
        // an input is (in) a dataset, propose `<dataset>-predictions` beside it.
        const QString current = m_outDir->path();
        if (!current.isEmpty() && msup::OutputFolder::enclosingDataset(current).isEmpty())
            return;
        for (const QString& input : inputs()) {
            const QFileInfo fi(input);
            const QString root = msup::OutputFolder::enclosingDataset(fi.isDir() ? input : fi.absolutePath());
            if (!root.isEmpty()) {
                setOutputFolder(msup::OutputFolder::suggestedFolderFor(root));
                return;
            }
        }
    }

    QStringList ExportDialog::inputs() const
    {
        QStringList paths;
        for (int i = 0; i < m_inputs->count(); ++i)
            paths << m_inputs->item(i)->data(Qt::UserRole).toString();
        return paths;
    }

    void ExportDialog::clearInputs()
    {
        m_inputs->clear();
        updateButtons();
    }

    void ExportDialog::setContext(
        const QString& datasetRoot, const QString& runDir, const QStringList& images)
    {
        m_datasetRoot = datasetRoot;
        m_runDir = runDir;
        if (m_inputs->count() == 0 && !m_running)
            addInputs(images);
    }

    void ExportDialog::setOutputFolder(const QString& dir)
    {
        m_outDir->setPath(dir);
    }

    msup::ExportOptions ExportDialog::options() const
    {
        msup::ExportOptions o;
        o.checkpoint = checkpoint();
        o.inputs = inputs();
        o.outDir = m_outDir->path();
        o.overlay = m_overlayCheck->isChecked();
        o.labelMask = m_maskCheck->isChecked();
        o.probabilities = m_probCheck->isChecked();
        o.uncertainty = m_uncertaintyCheck->isChecked();
        o.inference = m_inference->options();
        o.opacity = m_opacity->value() / 100.0;
        o.legend = m_legendCheck->isChecked();
        o.title = m_title->text();
        o.device = m_device;
        return o;
    }

    void ExportDialog::updateButtons()
    {
        const bool anyOutput = m_overlayCheck->isChecked() || m_maskCheck->isChecked()
            || m_probCheck->isChecked() || m_uncertaintyCheck->isChecked();
        m_exportButton->setEnabled(!m_running && m_inputs->count() > 0 && !m_outDir->path().isEmpty()
            && !m_checkpoint->path().isEmpty() && anyOutput);
        m_removeButton->setEnabled(!m_running && !m_inputs->selectedItems().isEmpty());
        m_settingsBox->setEnabled(!m_running);
    }

    QString ExportDialog::inputStartFolder() const
    {
        // The open dataset first (what the user works on), else where images were added last.
        if (!m_datasetRoot.isEmpty() && QFileInfo(m_datasetRoot).isDir())
            return m_datasetRoot;
        return QSettings().value(kLastInputKey, QDir::homePath()).toString();
    }

    void ExportDialog::addImages()
    {
        const QString start = inputStartFolder();
        const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add images"), start, imageFilter());
        if (files.isEmpty())
            return;
        QSettings().setValue(kLastInputKey, QFileInfo(files.first()).absolutePath());
        addInputs(files);
    }

    void ExportDialog::addFolder()
    {
        const QString start = inputStartFolder();
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a folder of images"), start);
        if (dir.isEmpty())
            return;
        QSettings().setValue(kLastInputKey, dir);
        addInputs({ dir });
    }

    void ExportDialog::openOutputFolder()
    {
        const QString dir = m_summary.outDir.isEmpty() ? options().outDir : m_summary.outDir;
        if (!dir.isEmpty())
            QDesktopServices::openUrl(QUrl::fromLocalFile(dir));
    }

    void ExportDialog::dragEnterEvent(QDragEnterEvent* event)
    {
        if (!m_running && event->mimeData()->hasUrls()) {
            for (const QUrl& url : event->mimeData()->urls()) {
                if (url.isLocalFile()) {
                    event->acceptProposedAction();
                    return;
                }
            }
        }
        QDialog::dragEnterEvent(event);
    }

    void ExportDialog::dropEvent(QDropEvent* event)
    {
        if (m_running)
            return;
        QStringList paths;
        for (const QUrl& url : event->mimeData()->urls())
            if (url.isLocalFile())
                paths << url.toLocalFile();
        if (paths.isEmpty())
            return;
        addInputs(paths);
        event->acceptProposedAction();
    }

    void ExportDialog::startExport()
    {
        if (m_running)
            return;
        const msup::ExportOptions o = options();
        QString problem;
        if (o.inputs.isEmpty())
            problem = tr("Add images or folders to export.");
        else if (o.checkpoint.isEmpty())
            problem = tr("Choose the checkpoint (.pt) that predicts.");
        else if (o.outDir.isEmpty())
            problem = tr("Choose the output folder.");
        else if (!o.overlay && !o.labelMask && !o.probabilities && !o.uncertainty)
            problem = tr("Choose at least one kind of file to write.");
        if (problem.isEmpty()) {
            // Outputs never replace inputs: a dataset folder or a file masksup did not write is
            // refused before anything runs; earlier outputs of masksup are replaced only when the
            // user says so (the default answer is No).
            try {
                const msup::ExportPlan plan = msup::planExport(o);
                if (plan.replaced > 0) {
                    QMessageBox box(QMessageBox::Question, tr("Replace earlier outputs?"),
                        tr("%n file(s) in %1 were written by an earlier export and would be replaced.",
                            nullptr, plan.replaced)
                            .arg(QDir::toNativeSeparators(QFileInfo(o.outDir).absoluteFilePath())),
                        QMessageBox::Yes | QMessageBox::No, this);
                    box.setObjectName(QStringLiteral("exportReplaceBox"));
                    box.setDefaultButton(QMessageBox::No);
                    box.setInformativeText(tr("Choose No to pick another output folder."));
                    if (box.exec() != QMessageBox::Yes)
                        return;
                }
            } catch (const std::exception& e) {
                problem = QString::fromLocal8Bit(e.what());
            }
        }
        if (!problem.isEmpty()) {
            m_error = problem;
            m_summaryBox->setVisible(true);
            m_summaryLabel->setText(problem);
            m_skipped->setVisible(false);
            m_openFolderButton->setVisible(false);
            return;
        }
        saveSettings();
        m_running = true;
        m_hasSummary = false;
        m_error.clear();
        m_summary = {};
        m_summaryBox->setVisible(false);
        // The bar is busy until the first image (the checkpoint loads first).
        m_progress->setFormat(tr("%v of %m images"));
        m_currentLabel->setText(tr("Loading the checkpoint…"));
        m_currentLabel->setVisible(true);
        updateButtons();

        // A cancelled export still delivers its summary (it says cancelled and what was written).
        m_runner->start<msup::ExportSummary>(
            [o](msup::Progress& progress) { return msup::exportPredictions(o, progress); },
            [this](msup::ExportSummary summary) {
                m_summary = std::move(summary);
                onFinished();
            },
            JobRunner::OnCancel::DeliverResult);
        Q_EMIT exportStarted();
    }

    void ExportDialog::cancelExport()
    {
        if (!m_running)
            return;
        m_runner->cancel();
        m_cancelButton->setEnabled(false);
        m_currentLabel->setText(tr("Cancelling after the current image…"));
    }

    void ExportDialog::onProgress(int, int total, const QString& current)
    {
        if (!m_running || total <= 0 || m_runner->isCancelRequested())
            return;
        if (!current.isEmpty())
            m_currentLabel->setText(tr("Predicting %1…").arg(QFileInfo(current).fileName()));
    }

    void ExportDialog::onFinished()
    {
        m_running = false;
        m_hasSummary = true;
        m_currentLabel->setVisible(false);
        updateButtons();
        showSummary();
        Q_EMIT exportFinished();
    }

    QString ExportDialog::summaryText() const
    {
        if (!m_error.isEmpty())
            return tr("Export failed: %1").arg(m_error);
        if (!m_hasSummary)
            return QString();
        const msup::ExportSummary& s = m_summary;
        QStringList lines;
        lines << tr("%n file(s) written to %1", nullptr, int(s.written.size()))
                     .arg(QDir::toNativeSeparators(s.outDir));
        if (s.overwritten > 0)
            lines << tr("%n existing file(s) replaced.", nullptr, s.overwritten);
        lines << tr("%1 of %n image(s) exported in %2 s.", nullptr, s.imagesTotal)
                     .arg(s.imagesExported)
                     .arg(s.seconds, 0, 'f', 1);
        if (s.cancelled)
            lines << tr("Cancelled: the remaining images were not exported.");
        if (!s.skipped.isEmpty())
            lines << tr("%n input(s) skipped:", nullptr, int(s.skipped.size()));
        return lines.join(QLatin1Char('\n'));
    }

    void ExportDialog::showSummary()
    {
        m_summaryBox->setVisible(true);
        m_summaryLabel->setText(summaryText());
        m_skipped->clear();
        for (const msup::ExportSkip& skip : m_summary.skipped) {
            auto* item = new QTreeWidgetItem(m_skipped, { QDir::toNativeSeparators(skip.file), skip.reason });
            item->setToolTip(0, QDir::toNativeSeparators(skip.file));
            item->setToolTip(1, skip.reason);
        }
        m_skipped->setVisible(!m_summary.skipped.isEmpty());
        m_openFolderButton->setVisible(m_error.isEmpty() && !m_summary.outDir.isEmpty());
    }

    void ExportDialog::reject()
    {
        // Closing stops the export after its current image; what was written stays.
        if (m_running)
            cancelExport();
        else
            saveSettings(); // the checkpoint and folder chosen are there at the next start
        QDialog::reject();
    }

} // namespace ui
} // namespace msup
