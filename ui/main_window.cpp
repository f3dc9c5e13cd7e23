#include "ui/main_window.h"

#include "core/data/dataset.h"
#include "core/data/image_io.h"
#include "core/train/training_session.h"
#include "ui/background_task.h"
#include "ui/dataset_panel.h"
#include "ui/dataset_report_dialog.h"
#include "ui/format.h"
#include "ui/mask_panel.h"
#include "ui/prediction_panel.h"
#include "ui/robustness_panel.h"
#include "ui/sample_dataset_dialog.h"
#include "ui/studio_resources.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressDialog>
#include <QPromise>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace msup {
namespace ui {

    struct BatchPreviewResult {
        QVector<QImage> masked;
        QStringList ids;
        QString caption;
        QString error;
    };

    struct DatasetOpenResult {
        QString path;
        msup::Dataset dataset;
        QString error;
        bool report = false; // opened by the user: show the dataset report
    };

    namespace {

        struct SynthResult {
            int written = 0;
            QString error;
        };

        const QString kLastDatasetKey = QStringLiteral("dataset/last");

        // A local folder among dropped URLs (a dropped file counts as its folder only for .pt files).
        QString droppedPath(const QMimeData* mime)
        {
            if (!mime || !mime->hasUrls())
                return {};
            for (const QUrl& url : mime->urls()) {
                if (!url.isLocalFile())
                    continue;
                const QFileInfo info(url.toLocalFile());
                if (info.isDir())
                    return info.absoluteFilePath();
                // A checkpoint, or the NYUDv2 nyu_depth_v2_labeled.mat file.
                if (info.isFile()
                    && (info.suffix().compare(QLatin1String("pt"), Qt::CaseInsensitive) == 0
                        || info.suffix().compare(QLatin1String("mat"), Qt::CaseInsensitive) == 0))
                    return info.absoluteFilePath();
            }
            return {};
        }

    } // namespace

    MainWindow::MainWindow(QWidget* parent)
        : QMainWindow(parent)
        , m_opener(std::make_unique<LatestTaskRunner<DatasetOpenResult>>(
              this, [this](const DatasetOpenResult& result) { onDatasetOpened(result); }))
        , m_batchPreviewer(std::make_unique<LatestTaskRunner<BatchPreviewResult>>(
              this, [this](const BatchPreviewResult& r) {
                  if (r.error.isEmpty())
                      m_maskPanel->setTrainingBatch(r.masked, r.ids, r.caption);
                  else
                      m_maskPanel->setTrainingBatchError(r.error);
              }))
    {
        initStudioResources();
        setObjectName(QStringLiteral("MainWindow"));
        setWindowTitle(tr("MaskSup Studio"));
        setWindowIcon(applicationIcon());
        setAcceptDrops(true);

        m_datasetPanel = new DatasetPanel(this);
        m_datasetPanel->setObjectName(QStringLiteral("datasetPanel"));
        m_maskPanel = new MaskPanel(this);
        m_maskPanel->setObjectName(QStringLiteral("maskPanel"));
        m_trainingPanel = new TrainingPanel(this);
        m_trainingPanel->setObjectName(QStringLiteral("trainingPanel"));
        m_predictionPanel = new PredictionPanel(this);
        m_predictionPanel->setObjectName(QStringLiteral("predictionPanel"));
        m_robustnessPanel = new RobustnessPanel(this);
        m_robustnessPanel->setObjectName(QStringLiteral("robustnessPanel"));

        m_tabs = new QTabWidget(this);
        m_tabs->setObjectName(QStringLiteral("panelTabs"));
        m_tabs->setDocumentMode(true);
        m_tabs->addTab(m_datasetPanel, tr("&Dataset"));
        m_tabs->addTab(m_maskPanel, tr("&Masks"));
        m_tabs->addTab(m_trainingPanel, tr("&Training", "tab"));
        m_tabs->addTab(m_predictionPanel, tr("&Prediction"));
        m_tabs->addTab(m_robustnessPanel, tr("&Robustness"));
        setCentralWidget(m_tabs);

        m_samplesDock = new QDockWidget(tr("Samples"), this);
        m_samplesDock->setObjectName(QStringLiteral("samplesDock"));
        m_samplesDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
        m_samplesDock->setWidget(m_datasetPanel->samplesWidget());
        addDockWidget(Qt::LeftDockWidgetArea, m_samplesDock);

        // Images stored as files are predicted from their file; frames of a container (NYUDv2 .mat)
        // from the image the dataset panel decoded, named after the frame for exports.
        auto currentFrameName = [this]() -> QString {
            const int i = m_datasetPanel->currentIndex();
            const msup::Dataset& ds = m_datasetPanel->dataset();
            if (!m_datasetPanel->hasDataset() || i < 0 || i >= ds.samples.size() || ds.samples[i].frame < 0)
                return {};
            return QDir(ds.root).filePath(QStringLiteral("frame_") + ds.samples[i].id);
        };
        connect(m_datasetPanel, &DatasetPanel::currentSampleChanged, this,
            [this, currentFrameName](int, const QString& imagePath) {
                if (currentFrameName().isEmpty())
                    m_predictionPanel->setImagePath(imagePath);
            });
        connect(m_datasetPanel, &DatasetPanel::currentImageLoaded, this,
            [this, currentFrameName](const QImage& rgb, const QString&) {
                m_maskPanel->setImage(rgb);
                const QString frame = currentFrameName();
                if (!frame.isEmpty())
                    m_predictionPanel->setImage(rgb, frame);
            });
        connect(m_maskPanel, &MaskPanel::trainingBatchRequested, this, &MainWindow::previewTrainingBatch);
        connect(m_trainingPanel, &TrainingPanel::stateChanged, this, &MainWindow::onTrainingStateChanged);
        connect(m_trainingPanel, &TrainingPanel::batchProgress, this, &MainWindow::onBatchProgress);
        connect(m_trainingPanel, &TrainingPanel::trainingFinished, this, &MainWindow::onTrainingFinished);
        connect(m_trainingPanel, &TrainingPanel::trainingFailed, this, [this] {
            m_speedStatus->clear();
            m_trainingStatus->setText(tr("Training failed"));
        });

        createActions();
        createMenus();
        createStatusBar();
        restoreSettings();
        onTrainingStateChanged(m_trainingPanel->state());
        updateDatasetStatus();
    }

    MainWindow::~MainWindow() = default;

    void MainWindow::createActions()
    {
        m_openAction = new QAction(tr("&Open dataset…"), this);
        m_openAction->setShortcut(QKeySequence::Open);
        m_openAction->setStatusTip(
            tr("Open a dataset folder, then check its files in the background (dataset report)"));
        connect(m_openAction, &QAction::triggered, this, &MainWindow::chooseDataset);

        m_reportAction = new QAction(tr("Dataset &report…"), this);
        m_reportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
        m_reportAction->setStatusTip(tr("Decode every pair of the open dataset: format, classes, counts per "
                                        "split, image sizes, class pixel frequencies and every problem"));
        m_reportAction->setEnabled(false);
        connect(m_reportAction, &QAction::triggered, this, &MainWindow::showDatasetReport);

        m_sampleAction = new QAction(tr("&Generate sample dataset…"), this);
        m_sampleAction->setStatusTip(tr("Write a small procedural dataset and open it"));
        connect(m_sampleAction, &QAction::triggered, this, &MainWindow::chooseSampleDataset);

        m_openCheckpointAction = new QAction(tr("Open &checkpoint…"), this);
        connect(m_openCheckpointAction, &QAction::triggered, this, [this] {
            showTab(Tab::Prediction);
            m_predictionPanel->openCheckpoint();
        });

        m_openImageAction = new QAction(tr("Open &image for prediction…"), this);
        connect(m_openImageAction, &QAction::triggered, this, [this] {
            showTab(Tab::Prediction);
            m_predictionPanel->openImage();
        });

        m_exportAction = new QAction(tr("&Export overlay…"), this);
        m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
        m_exportAction->setStatusTip(tr("Save the current prediction overlay as PNG"));
        m_exportAction->setEnabled(false);
        connect(m_exportAction, &QAction::triggered, m_predictionPanel, &PredictionPanel::exportOverlay);
        connect(m_predictionPanel, &PredictionPanel::exportAvailable, m_exportAction, &QAction::setEnabled);

        m_quitAction = new QAction(tr("&Quit"), this);
        m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
        m_quitAction->setMenuRole(QAction::QuitRole);
        connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

        m_startAction = new QAction(tr("&Start"), this);
        m_startAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
        m_startAction->setStatusTip(tr("Start training with the settings of the Training tab"));
        connect(m_startAction, &QAction::triggered, this, [this] {
            showTab(Tab::Training);
            m_trainingPanel->startTraining();
        });

        m_stopAction = new QAction(tr("S&top"), this);
        m_stopAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
        m_stopAction->setStatusTip(tr("Stop training after the current batch"));
        connect(m_stopAction, &QAction::triggered, m_trainingPanel, &TrainingPanel::stopTraining);

        m_aboutAction = new QAction(tr("&About MaskSup Studio"), this);
        m_aboutAction->setMenuRole(QAction::AboutRole);
        connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
        m_aboutQtAction = new QAction(tr("About &Qt"), this);
        m_aboutQtAction->setMenuRole(QAction::AboutQtRole);
        connect(m_aboutQtAction, &QAction::triggered, qApp, &QApplication::aboutQt);
    }

    void MainWindow::createMenus()
    {
        QMenu* file = menuBar()->addMenu(tr("&File"));
        file->addAction(m_openAction);
        file->addAction(m_reportAction);
        file->addAction(m_sampleAction);
        file->addSeparator();
        file->addAction(m_openCheckpointAction);
        file->addAction(m_openImageAction);
        file->addAction(m_exportAction);
        file->addSeparator();
        file->addAction(m_quitAction);

        QMenu* training = menuBar()->addMenu(tr("&Training", "menu"));
        training->addAction(m_startAction);
        training->addAction(m_stopAction);

        QMenu* view = menuBar()->addMenu(tr("&View"));
        QAction* samplesToggle = m_samplesDock->toggleViewAction();
        samplesToggle->setText(tr("&Samples"));
        view->addAction(samplesToggle);

        QMenu* help = menuBar()->addMenu(tr("&Help"));
        help->addAction(m_aboutAction);
        help->addAction(m_aboutQtAction);
    }

    void MainWindow::createStatusBar()
    {
        m_datasetStatus = new QLabel(this);
        m_datasetStatus->setObjectName(QStringLiteral("datasetStatusLabel"));
        m_trainingStatus = new QLabel(this);
        m_trainingStatus->setObjectName(QStringLiteral("trainingStatusBarLabel"));
        m_speedStatus = new QLabel(this);
        m_speedStatus->setObjectName(QStringLiteral("speedStatusLabel"));
        statusBar()->addPermanentWidget(m_datasetStatus);
        statusBar()->addPermanentWidget(m_trainingStatus);
        statusBar()->addPermanentWidget(m_speedStatus);
    }

    void MainWindow::restoreSettings()
    {
        QSettings settings;
        if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
            resize(1280, 820);
        restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
        m_tabs->setCurrentIndex(settings.value(QStringLiteral("window/tab"), 0).toInt());
        m_trainingPanel->restoreSettings(settings);
        m_datasetPanel->setOverlayOpacity(
            settings.value(QStringLiteral("view/labelOpacity"), 0.5).toDouble());
        m_datasetPanel->setOutlineMode(settings.value(QStringLiteral("view/labelOutline"), false).toBool());
        m_predictionPanel->setOverlayOpacity(
            settings.value(QStringLiteral("view/predictionOpacity"), 0.5).toDouble());
    }

    void MainWindow::saveSettings()
    {
        QSettings settings;
        settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
        settings.setValue(QStringLiteral("window/state"), saveState());
        settings.setValue(QStringLiteral("window/tab"), m_tabs->currentIndex());
        settings.setValue(QStringLiteral("view/labelOpacity"), m_datasetPanel->overlayOpacity());
        settings.setValue(QStringLiteral("view/labelOutline"), m_datasetPanel->outlineMode());
        settings.setValue(QStringLiteral("view/predictionOpacity"), m_predictionPanel->overlayOpacity());
        m_trainingPanel->saveSettings(settings);
    }

    void MainWindow::showTab(Tab tab)
    {
        QWidget* widgets[]
            = { m_datasetPanel, m_maskPanel, m_trainingPanel, m_predictionPanel, m_robustnessPanel };
        m_tabs->setCurrentWidget(widgets[static_cast<int>(tab)]);
    }

    QString MainWindow::datasetRoot() const
    {
        return m_datasetPanel->hasDataset() ? m_datasetPanel->dataset().root : QString();
    }

    bool MainWindow::isOpeningDataset() const
    {
        return m_opener->isBusy();
    }

    void MainWindow::chooseDataset()
    {
        QSettings settings;
        const QString last = settings.value(kLastDatasetKey).toString();
        const QString start = last.isEmpty() ? QDir::homePath() : QFileInfo(last).absolutePath();
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open dataset folder"), start);
        if (!dir.isEmpty())
            importDataset(dir);
    }

    void MainWindow::openDataset(const QString& path)
    {
        requestDataset(path, false);
    }

    void MainWindow::importDataset(const QString& path)
    {
        requestDataset(path, true);
    }

    void MainWindow::requestDataset(const QString& path, bool report)
    {
        const QString folder = QDir::cleanPath(QDir::fromNativeSeparators(path));
        statusBar()->showMessage(tr("Indexing %1…").arg(QDir::toNativeSeparators(folder)));
        m_opener->request([folder, report]() {
            DatasetOpenResult result;
            result.path = folder;
            result.report = report;
            try {
                result.dataset = msup::openDataset(folder);
            } catch (const std::exception& e) {
                result.error = QString::fromLocal8Bit(e.what());
            }
            return result;
        });
    }

    void MainWindow::onDatasetOpened(const DatasetOpenResult& result)
    {
        statusBar()->clearMessage();
        if (!result.error.isEmpty()) {
            showError(tr("Open dataset"),
                tr("“%1” could not be opened as a dataset.").arg(QDir::toNativeSeparators(result.path)),
                result.error + QStringLiteral("\n\n")
                    + tr("Choose the dataset folder itself (for example the Kvasir-SEG folder "
                         "with images/ and masks/, or a folder of NNNNNN.png + "
                         "NNNNNN_mask.png pairs), or generate a sample dataset from the File "
                         "menu."));
            Q_EMIT datasetOpenFailed(result.path, result.error);
            return;
        }
        const msup::Dataset& dataset = result.dataset;
        // Clear the views that follow the selection first: setDataset() selects the first sample.
        m_maskPanel->clearImage();
        m_predictionPanel->setImagePath({});
        m_datasetPanel->setDataset(dataset);
        m_trainingPanel->setDataset(dataset.root, m_datasetPanel->datasetName());
        // The path the user opened (for NYUDv2, possibly the .mat file itself).
        m_robustnessPanel->setDatasetPath(result.path);
        QSettings().setValue(kLastDatasetKey, dataset.root);
        updateDatasetStatus();
        setWindowFilePath(dataset.root);
        statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(dataset.root)), 5000);
        // A report of the previous dataset no longer applies.
        if (m_reportDialog
            && QDir::cleanPath(m_reportDialog->dataset().root) != QDir::cleanPath(dataset.root))
            m_reportDialog->close();
        if (result.report && DatasetReportDialog::showOnOpen())
            showDatasetReport();
        Q_EMIT datasetOpened(dataset.root);
    }

    DatasetReportDialog* MainWindow::datasetReportDialog() const
    {
        return m_reportDialog.data();
    }

    void MainWindow::showDatasetReport()
    {
        if (!m_datasetPanel->hasDataset())
            return;
        if (m_reportDialog) {
            if (m_reportDialog->isVisible() && !m_reportDialog->wasCancelled()
                && QDir::cleanPath(m_reportDialog->dataset().root)
                    == QDir::cleanPath(m_datasetPanel->dataset().root)) {
                m_reportDialog->raise();
                m_reportDialog->activateWindow();
                return;
            }
            m_reportDialog->close();
        }
        auto* dialog = new DatasetReportDialog(m_datasetPanel->dataset(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        m_reportDialog = dialog;
        dialog->show();
        dialog->start();
    }

    void MainWindow::openInitialDataset(const QString& commandLinePath)
    {
        if (!commandLinePath.isEmpty()) {
            openDataset(commandLinePath);
            return;
        }
        const QString last = QSettings().value(kLastDatasetKey).toString();
        if (!last.isEmpty() && QFileInfo(last).isDir()) {
            openDataset(last);
            return;
        }
        if (!last.isEmpty())
            statusBar()->showMessage(
                tr("The last dataset (%1) is no longer there.").arg(QDir::toNativeSeparators(last)), 10000);
        const QString sample = defaultSampleDatasetDir();
        if (QDir(sample).exists(QStringLiteral("images")) && QDir(sample).exists(QStringLiteral("masks"))) {
            openDataset(sample);
            return;
        }
        msup::SynthOptions options;
        options.kind = msup::SynthKind::Glands;
        options.count = 24;
        options.size = 256;
        options.seed = 1;
        options.outDir = sample;
        generateSampleDataset(options);
    }

    void MainWindow::chooseSampleDataset()
    {
        if (m_generating)
            return;
        SampleDatasetDialog dialog(this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        generateSampleDataset(dialog.options());
    }

    void MainWindow::generateSampleDataset(const msup::SynthOptions& options)
    {
        if (m_generating)
            return;
        m_generating = true;
        m_sampleAction->setEnabled(false);

        auto* progress = new QProgressDialog(
            tr("Writing the sample dataset to %1…").arg(QDir::toNativeSeparators(options.outDir)),
            tr("Cancel"), 0, options.count, this);
        progress->setObjectName(QStringLiteral("sampleProgressDialog"));
        progress->setWindowTitle(tr("Sample dataset"));
        progress->setWindowModality(Qt::WindowModal);
        progress->setMinimumDuration(0);
        progress->setAutoClose(false);
        progress->setAutoReset(false);
        progress->setValue(0);

        auto* watcher = new QFutureWatcher<SynthResult>(this);
        connect(watcher, &QFutureWatcher<SynthResult>::progressValueChanged, progress,
            &QProgressDialog::setValue);
        connect(progress, &QProgressDialog::canceled, watcher, &QFutureWatcher<SynthResult>::cancel);
        connect(watcher, &QFutureWatcher<SynthResult>::finished, this, [this, watcher, progress, options] {
            m_generating = false;
            m_sampleAction->setEnabled(true);
            const QFuture<SynthResult> future = watcher->future();
            const bool cancelled = future.isCanceled() || future.resultCount() == 0;
            const SynthResult result = cancelled ? SynthResult() : future.result();
            progress->close();
            progress->deleteLater();
            watcher->deleteLater();
            if (cancelled) {
                // A partial first-start sample (the application's own folder) would be opened
                // as if complete next time: remove it. Folders the user chose are left alone.
                if (QDir::cleanPath(options.outDir) == QDir::cleanPath(defaultSampleDatasetDir()))
                    QDir(options.outDir).removeRecursively();
                statusBar()->showMessage(tr("Sample dataset cancelled."), 5000);
                return;
            }
            if (!result.error.isEmpty()) {
                showError(tr("Sample dataset"),
                    tr("The sample dataset could not be written to “%1”.")
                        .arg(QDir::toNativeSeparators(options.outDir)),
                    result.error + QStringLiteral("\n\n")
                        + tr("Choose a folder you can write to (File ▸ Generate "
                             "sample dataset…)."));
                return;
            }
            Q_EMIT sampleDatasetGenerated(options.outDir);
            openDataset(options.outDir);
        });
        watcher->setFuture(QtConcurrent::run([options](QPromise<SynthResult>& promise) {
            promise.setProgressRange(0, options.count);
            SynthResult result;
            try {
                result.written = msup::writeSynthDataset(options, [&promise](int done, int) {
                    promise.setProgressValue(done);
                    return !promise.isCanceled();
                });
            } catch (const std::exception& e) {
                if (promise.isCanceled())
                    return;
                result.error = QString::fromLocal8Bit(e.what());
            }
            promise.addResult(result);
        }));
        progress->show();
    }

    void MainWindow::updateDatasetStatus()
    {
        m_reportAction->setEnabled(m_datasetPanel->hasDataset());
        if (!m_datasetPanel->hasDataset()) {
            m_datasetStatus->setText(tr("No dataset"));
            return;
        }
        const msup::Dataset& d = m_datasetPanel->dataset();
        QString text = tr("%1: %n sample(s), %2 classes", nullptr, int(d.samples.size()))
                           .arg(m_datasetPanel->datasetName())
                           .arg(d.numClasses());
        if (!d.problems.isEmpty())
            text += QStringLiteral(", ") + tr("%n problem(s)", nullptr, int(d.problems.size()));
        m_datasetStatus->setText(text);
        m_datasetStatus->setToolTip(QDir::toNativeSeparators(d.root));
    }

    void MainWindow::onTrainingStateChanged(TrainingPanel::State state)
    {
        const bool idle = state == TrainingPanel::State::Idle;
        m_startAction->setEnabled(idle);
        m_stopAction->setEnabled(
            state == TrainingPanel::State::Starting || state == TrainingPanel::State::Running);
        switch (state) {
        case TrainingPanel::State::Idle:
            m_trainingStatus->setText(tr("Training: idle"));
            break;
        case TrainingPanel::State::Starting:
            m_trainingStatus->setText(tr("Training: starting…"));
            m_speedStatus->clear();
            break;
        case TrainingPanel::State::Running:
            m_trainingStatus->setText(tr("Training: running"));
            break;
        case TrainingPanel::State::Stopping:
            m_trainingStatus->setText(tr("Training: stopping…"));
            break;
        }
        if (idle && m_closeAfterStop)
            QTimer::singleShot(0, this, &QWidget::close);
    }

    void MainWindow::onBatchProgress(const msup::BatchProgress& p)
    {
        if (m_trainingPanel->state() == TrainingPanel::State::Running)
            m_trainingStatus->setText(tr("Training: epoch %1/%2").arg(p.epoch).arg(p.epochs));
        m_speedStatus->setText(tr("%1 images/s · ETA %2")
                                   .arg(formatNumber(p.imagesPerSecond, 1))
                                   .arg(formatDuration(p.etaSeconds)));
    }

    void MainWindow::previewTrainingBatch()
    {
        if (!m_datasetPanel->hasDataset()) {
            m_maskPanel->setTrainingBatchError(tr("open a dataset first (File ▸ Open dataset…)."));
            return;
        }
        const msup::TrainConfig config = m_trainingPanel->config();
        m_batchPreviewer->request([config]() {
            BatchPreviewResult r;
            try {
                const msup::BatchPreview batch = msup::previewTrainingBatch(config, 1, 1);
                for (const cv::Mat& m : batch.masked)
                    r.masked << msup::rgbToQImage(m);
                r.ids = batch.ids;
                r.caption
                    = MainWindow::tr("Epoch 1, batch 1: %n image(s) at %1 × %1 px, seed %2, masks: %3",
                        nullptr, int(batch.masked.size()))
                          .arg(config.imageSize)
                          .arg(QString::number(config.seed))
                          .arg(config.maskFolder.isEmpty() ? config.holeRatio
                                                           : QDir::toNativeSeparators(config.maskFolder));
            } catch (const std::exception& e) {
                r.error = QString::fromLocal8Bit(e.what());
            }
            return r;
        });
    }

    void MainWindow::onTrainingFinished(const msup::TrainResult& result)
    {
        m_speedStatus->clear();
        m_trainingStatus->setText(result.stopped ? tr("Training: stopped") : tr("Training: finished"));
        QString checkpoint;
        if (!result.bestCheckpoint.isEmpty() && QFileInfo::exists(result.bestCheckpoint))
            checkpoint = result.bestCheckpoint;
        else if (!result.lastCheckpoint.isEmpty() && QFileInfo::exists(result.lastCheckpoint))
            checkpoint = result.lastCheckpoint;
        if (!checkpoint.isEmpty() && !m_closeAfterStop) {
            m_predictionPanel->setCheckpoint(checkpoint);
            m_robustnessPanel->addCheckpoint(checkpoint);
        }
    }

    void MainWindow::closeEvent(QCloseEvent* event)
    {
        if (m_trainingPanel->isTraining()) {
            if (!m_closeAfterStop) {
                const auto answer = QMessageBox::question(this, tr("Training in progress"),
                    tr("A training run is in progress. Stop it and quit?\n\nThe run stops after the "
                       "current batch; the checkpoint of the last completed epoch is kept."),
                    QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
                if (answer != QMessageBox::Yes) {
                    event->ignore();
                    return;
                }
                m_closeAfterStop = true;
                m_trainingPanel->stopTraining();
                statusBar()->showMessage(tr("Stopping training before quitting…"));
            }
            // The window closes once the worker has reported that it stopped.
            event->ignore();
            return;
        }
        saveSettings();
        event->accept();
    }

    void MainWindow::dragEnterEvent(QDragEnterEvent* event)
    {
        if (!droppedPath(event->mimeData()).isEmpty())
            event->acceptProposedAction();
    }

    void MainWindow::dropEvent(QDropEvent* event)
    {
        const QString path = droppedPath(event->mimeData());
        if (path.isEmpty())
            return;
        event->acceptProposedAction();
        if (QFileInfo(path).isDir() || path.endsWith(QLatin1String(".mat"), Qt::CaseInsensitive)) {
            importDataset(path);
        } else {
            showTab(Tab::Prediction);
            m_predictionPanel->setCheckpoint(path);
        }
    }

    void MainWindow::showAbout()
    {
        QMessageBox::about(this, tr("About MaskSup Studio"),
            tr("<h3>MaskSup Studio %1</h3>"
               "<p>Train segmentation networks with Masked Supervised Learning (Zunair &amp; Ben "
               "Hamza): one network segments each image and a copy with random streaks and holes "
               "removed, with a context loss and a task-similarity loss tying the two branches "
               "together.</p>"
               "<p>Open a dataset as downloaded (GLaS, Kvasir-SEG, CVC-ClinicDB, NYUDv2 or your own "
               "images and masks) or generate a sample, "
               "preview the masks, train, and overlay predictions.</p>"
               "<p>Built with Qt %2, LibTorch, OpenCV and QCustomPlot.</p>")
                .arg(studioVersion(), QString::fromLatin1(qVersion())));
    }

    void MainWindow::showError(const QString& title, const QString& text, const QString& details)
    {
        auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Close, this);
        box->setObjectName(QStringLiteral("errorMessageBox"));
        box->setInformativeText(details);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }

} // namespace ui
} // namespace msup
