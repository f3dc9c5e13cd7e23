#include "ui/main_window.h"

#include "core/data/dataset.h"
#include "core/data/image_io.h"
#include "core/io/project_file.h"
#include "core/train/run_folder.h"
#include "core/train/train_settings.h"
#include "core/train/training_session.h"
#include "ui/annotation_panel.h"
#include "ui/background_task.h"
#include "ui/dataset_panel.h"
#include "ui/dataset_report_dialog.h"
#include "ui/export_dialog.h"
#include "ui/format.h"
#include "ui/job_runner.h"
#include "ui/log_panel.h"
#include "ui/mask_panel.h"
#include "ui/prediction_panel.h"
#include "ui/robustness_panel.h"
#include "ui/runs_panel.h"
#include "ui/sample_dataset_dialog.h"
#include "ui/studio_resources.h"
#include "ui/widgets.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QProgressDialog>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QThread>
#include <QTimer>
#include <QToolBar>

#include <algorithm>
#include <iterator>

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

        // Tabs by name in the project's view settings (stable if tabs are reordered).
        const char* const kTabNames[]
            = { "dataset", "masks", "training", "prediction", "robustness", "runs", "log", "annotation" };

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
        , m_batchPreviewer(std::make_unique<LatestTaskRunner<BatchPreviewResult>>(this,
              [this](const BatchPreviewResult& r) {
                  if (r.error.isEmpty())
                      m_maskPanel->setTrainingBatch(r.masked, r.ids, r.caption);
                  else
                      m_maskPanel->setTrainingBatchError(r.error);
              }))
        , m_sampleRunner(new JobRunner(this))
    {
        initStudioResources();
        setObjectName(QStringLiteral("MainWindow"));
        setWindowTitle(tr("MaskSup Studio"));
        setWindowIcon(applicationIcon());
        setAcceptDrops(true);

        m_projectController = new ProjectController(this);
        createPanels();
        createDocks();
        connectPanels();
        connectTraining();
        createActions();
        createMenus();
        createToolBar();
        createStatusBar();
        restoreSettings();
        onTrainingStateChanged(m_trainingPanel->state());
        updateDatasetStatus();
        connectProject();
        connectLog();
        detectDevice();
        m_projectController->start();
    }

    void MainWindow::createPanels()
    {
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

        m_runsPanel = new RunsPanel(this);
        m_runsPanel->setObjectName(QStringLiteral("runsPanel"));
        m_annotationPanel = new AnnotationPanel(this);
        m_annotationPanel->setObjectName(QStringLiteral("annotationPanel"));
        m_logPanel = new LogPanel(this);
        m_logPanel->setObjectName(QStringLiteral("logPanel"));
        m_logPanel->setLogFile(QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                                   .filePath(QStringLiteral("logs/studio.log")));
        m_logPanel->installMessageHandler();
    }

    void MainWindow::connectPanels()
    {
        // The selected sample goes to the Prediction panel with its ground truth (error mode); the
        // panel reads files and container frames (NYUDv2 .mat) itself, in the background.
        connect(m_datasetPanel, &DatasetPanel::currentSampleChanged, this, [this](int index, const QString&) {
            if (m_datasetPanel->hasDataset())
                m_predictionPanel->setDatasetSample(m_datasetPanel->dataset(), index);
        });
        connect(m_datasetPanel, &DatasetPanel::currentImageLoaded, this,
            [this](const QImage& rgb, const QString&) {
                m_maskPanel->setImage(rgb);
                // The mask editor opens the same sample (saving the previous one first).
                const int i = m_datasetPanel->currentIndex();
                const msup::Dataset& ds = m_datasetPanel->dataset();
                if (m_maskStore && i >= 0 && i < ds.samples.size()) {
                    if (m_annotationPanel->setSample(rgb, ds.samples[i]))
                        m_annotationPanel->setReviewed(m_datasetPanel->isReviewed(i));
                    m_annotationPanel->setPrediction({});
                }
            });
        // A prediction of the sample being edited is offered as a starting point.
        connect(m_predictionPanel, &PredictionPanel::predictionReady, this, [this] {
            const int i = m_datasetPanel->currentIndex();
            const msup::Dataset& ds = m_datasetPanel->dataset();
            if (!m_maskStore || i < 0 || i >= ds.samples.size()
                || m_annotationPanel->sampleId() != ds.samples[i].id)
                return;
            const cv::Mat& labels = m_predictionPanel->predictedLabels();
            if (!labels.empty() && labels.size() == m_annotationPanel->labels().size())
                m_annotationPanel->setPrediction(labels);
        });
        connect(
            m_annotationPanel, &AnnotationPanel::saved, this, [this](const QString& id, const QString& file) {
                refreshCorrections();
                m_logPanel->info(tr("Saved the mask of %1 to %2").arg(id, QDir::toNativeSeparators(file)));
            });
        connect(m_annotationPanel, &AnnotationPanel::edited, this, [this] { refreshCorrections(); });
        connect(m_annotationPanel, &AnnotationPanel::batchApplied, this, [this](const QStringList& ids) {
            refreshCorrections();
            m_logPanel->info(tr("Started %n unedited image(s) from the chosen source", "", ids.size()));
        });
        connect(
            m_annotationPanel, &AnnotationPanel::reviewedChanged, this, [this](const QString& id, bool on) {
                const msup::Dataset& ds = m_datasetPanel->dataset();
                for (int i = 0; i < ds.samples.size(); ++i)
                    if (ds.samples[i].id == id)
                        m_datasetPanel->setReviewed(i, on);
            });
        // Ctrl+M in the samples list: the editor shows the current image's mark.
        connect(m_datasetPanel, &DatasetPanel::imageStatesChanged, this, [this] {
            const int i = m_datasetPanel->currentIndex();
            const msup::Dataset& ds = m_datasetPanel->dataset();
            if (i >= 0 && i < ds.samples.size() && m_annotationPanel->sampleId() == ds.samples[i].id)
                m_annotationPanel->setReviewed(m_datasetPanel->isReviewed(i));
            m_projectController->scheduleModifiedCheck();
        });
        // "Annotate these next": the Dataset panel ranks with the checkpoint the Prediction panel
        // shows (the current run's best); the Annotate panel walks the ranking.
        m_datasetPanel->setSuggestCheckpoint(m_predictionPanel->checkpointPath());
        connect(m_predictionPanel, &PredictionPanel::checkpointChanged, m_datasetPanel,
            &DatasetPanel::setSuggestCheckpoint);
        connect(m_annotationPanel, &AnnotationPanel::suggestedImageRequested, this, [this](int step) {
            const int next = m_datasetPanel->nextSuggested(m_datasetPanel->currentIndex(), step);
            if (next >= 0)
                m_datasetPanel->setCurrentIndex(next);
        });
        for (auto signal : { &DatasetPanel::suggestionsChanged, &DatasetPanel::imageStatesChanged })
            connect(m_datasetPanel, signal, this, &MainWindow::updateSuggestionWalk);
        connect(m_datasetPanel, &DatasetPanel::currentSampleChanged, this, &MainWindow::updateSuggestionWalk);
        updateSuggestionWalk();
        // Class colours the user chose: the editor paints with them too; the project keeps them.
        connect(
            m_datasetPanel, &DatasetPanel::classColorsChanged, this, [this](const QVector<QColor>& colors) {
                m_annotationPanel->setClasses(m_datasetPanel->dataset().classNames, colors);
                m_projectController->scheduleModifiedCheck();
            });
    }

    void MainWindow::updateSuggestionWalk()
    {
        const QVector<int> ranked = m_datasetPanel->suggestedSamples();
        const int current = m_datasetPanel->currentIndex();
        AnnotationPanel::SuggestionWalk walk;
        walk.total = int(ranked.size());
        walk.rank = m_datasetPanel->suggestionRank(current) + 1;
        walk.toReview = m_datasetPanel->suggestedToReviewCount();
        walk.hasNext = m_datasetPanel->nextSuggested(current, 1) >= 0;
        walk.hasPrevious = m_datasetPanel->nextSuggested(current, -1) >= 0;
        walk.source = PredictionPanel::runName(m_datasetPanel->suggestionsCheckpoint());
        m_annotationPanel->setSuggestionWalk(walk);
    }

    void MainWindow::connectTraining()
    {
        connect(m_maskPanel, &MaskPanel::trainingBatchRequested, this, &MainWindow::previewTrainingBatch);
        // The Masks panel's interval and mask folder are training's hole_ratio and mask_folder: one
        // setting, so the preview always shows what will train.
        connect(m_maskPanel, &MaskPanel::holeRatioChanged, this, [this] {
            m_trainingPanel->setSettingValue(QStringLiteral("hole_ratio"), m_maskPanel->ratioText());
        });
        connect(m_maskPanel, &MaskPanel::maskSourceChanged, this, [this] {
            m_trainingPanel->setSettingValue(QStringLiteral("mask_folder"), m_maskPanel->maskFolder());
        });
        connect(m_trainingPanel, &TrainingPanel::configEdited, this, &MainWindow::syncMaskPanel);
        syncMaskPanel();
        connect(m_trainingPanel, &TrainingPanel::stateChanged, this, &MainWindow::onTrainingStateChanged);
        connect(m_trainingPanel, &TrainingPanel::batchProgress, this, &MainWindow::onBatchProgress);
        connect(m_trainingPanel, &TrainingPanel::pausedChanged, this, &MainWindow::onTrainingPaused);
        connect(m_trainingPanel, &TrainingPanel::trainingFinished, this, &MainWindow::onTrainingFinished);
        connect(m_trainingPanel, &TrainingPanel::trainingFailed, this, [this] {
            m_speedStatus->clear();
            m_trainingStatus->setText(tr("Training failed"));
        });

        // The runs started from this window belong to the project.
        connect(m_trainingPanel, &TrainingPanel::trainingStarted, this, [this](const QString& runDir) {
            const QString dir = QDir::cleanPath(runDir);
            m_currentRunName = QFileInfo(dir).fileName();
            m_trainingStatus->setToolTip(QDir::toNativeSeparators(dir));
            m_projectController->addRunFolder(dir);
            m_runsPanel->addRunFolder(dir);
            m_projectController->scheduleModifiedCheck();
        });
        // The Runs tab shows the project's runs; removing one there removes it from the project.
        connect(m_runsPanel, &RunsPanel::runsChanged, this, [this] {
            m_projectController->setRunFolders(m_runsPanel->runFolders());
            m_projectController->scheduleModifiedCheck();
        });
        connect(m_runsPanel, &RunsPanel::runActivated, this, [this](const QString& folder) {
            const QString best = msup::RunFolder(folder).path(msup::RunFile::BestCheckpoint);
            if (QFileInfo::exists(best)) {
                m_predictionPanel->setCheckpoint(best);
                showTab(Tab::Prediction);
            }
        });
    }

    void MainWindow::connectLog()
    {
        // What happened goes to the Log panel (and its file).
        connect(this, &MainWindow::datasetOpened, m_logPanel, [this](const QString& root) {
            m_logPanel->info(
                tr("Opened dataset %1 (%n sample(s))", "", m_datasetPanel->dataset().samples.size())
                    .arg(QDir::toNativeSeparators(root)));
        });
        connect(this, &MainWindow::datasetOpenFailed, m_logPanel,
            [this](const QString& path, const QString& message) {
                m_logPanel->error(tr("Could not open %1: %2").arg(QDir::toNativeSeparators(path), message));
            });
        connect(this, &MainWindow::projectOpened, m_logPanel, [this](const QString& path) {
            m_logPanel->info(tr("Opened project %1").arg(QDir::toNativeSeparators(path)));
        });
        connect(this, &MainWindow::projectOpenFailed, m_logPanel,
            [this](const QString& path, const QString& message) {
                m_logPanel->error(
                    tr("Could not open project %1: %2").arg(QDir::toNativeSeparators(path), message));
            });
        connect(this, &MainWindow::projectSaved, m_logPanel, [this](const QString& path) {
            m_logPanel->info(tr("Saved project %1").arg(QDir::toNativeSeparators(path)));
        });
        connect(m_trainingPanel, &TrainingPanel::trainingStarted, m_logPanel, [this](const QString& runDir) {
            const msup::TrainConfig c = m_trainingPanel->config();
            m_logPanel->info(tr("Training started: %1, %2, %n epoch(s), run folder %3", "", c.epochs)
                                 .arg(c.model, c.mode, QDir::toNativeSeparators(runDir)));
        });
        connect(m_trainingPanel, &TrainingPanel::trainingFinished, m_logPanel,
            [this](const msup::TrainResult& r) {
                m_logPanel->info(
                    (r.stopped ? tr("Training stopped after %n epoch(s); best validation mIoU %1 (epoch %2)",
                         "", r.epochsCompleted)
                               : tr("Training finished: %n epoch(s); best validation mIoU %1 (epoch %2)", "",
                                   r.epochsCompleted))
                        .arg(formatNumber(r.bestMiou, 4))
                        .arg(r.bestEpoch));
            });
        connect(m_trainingPanel, &TrainingPanel::pairSkipped, m_logPanel,
            [this](const QString& file, const QString& reason) {
                m_logPanel->warning(tr("Training skips %1: %2").arg(QDir::toNativeSeparators(file), reason));
            });
        connect(m_trainingPanel, &TrainingPanel::trainingFailed, m_logPanel,
            [this](const QString& message) { m_logPanel->error(tr("Training failed: %1").arg(message)); });
        connect(m_datasetPanel, &DatasetPanel::suggestFinished, m_logPanel, [this](const QString& error) {
            if (!error.isEmpty()) {
                m_logPanel->error(tr("Could not rank the images to annotate: %1").arg(error));
                return;
            }
            const QString ranked = m_datasetPanel->suggestionsCheckpoint();
            if (ranked.isEmpty())
                return;
            m_logPanel->info(tr("Suggested %n image(s) to annotate, ranked by %1", "",
                int(m_datasetPanel->suggestedSamples().size()))
                                 .arg(QDir::toNativeSeparators(ranked)));
            for (const msup::SkippedPair& skipped : m_datasetPanel->suggestionsSkipped())
                m_logPanel->warning(tr("The ranking skips %1: %2")
                                        .arg(QDir::toNativeSeparators(skipped.file), skipped.reason));
        });
        connect(m_logPanel, &LogPanel::attentionNeeded, this, [this](LogPanel::Level level) {
            if (level == LogPanel::Level::Error && m_currentTab != Tab::Log)
                statusBar()->showMessage(tr("An error was logged: see the Log panel (Alt+7)."), 8000);
        });
    }

    MainWindow::~MainWindow()
    {
        // The Dataset panel's samples widget lives in the Samples dock, and raise() reorders the
        // docks among the window's children: delete the panel first, while its widgets still exist.
        // The editor saves the current image through the store: detach it before the store goes.
        m_annotationPanel->setStore(nullptr);
        m_maskStore.reset();
        delete m_panelDocks.value(int(Tab::Dataset));
        m_panelDocks.clear();
    }

    void MainWindow::createActions()
    {
        m_newProjectAction = new QAction(tr("&New project"), this);
        m_newProjectAction->setStatusTip(
            tr("Start an untitled project from the dataset and settings now open"));
        connect(m_newProjectAction, &QAction::triggered, this, [this] { newProject(); });

        m_openProjectAction = new QAction(tr("Open &project…"), this);
        m_openProjectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
        m_openProjectAction->setStatusTip(
            tr("Open a MaskSup Studio project (.masksup): its dataset, training settings, runs and view"));
        connect(
            m_openProjectAction, &QAction::triggered, m_projectController, &ProjectController::chooseAndOpen);

        m_saveProjectAction = new QAction(tr("&Save project"), this);
        m_saveProjectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_S));
        m_saveProjectAction->setStatusTip(tr("Save the project (dataset, training settings, runs, view)"));
        connect(m_saveProjectAction, &QAction::triggered, this, [this] { saveProject(); });

        m_saveProjectAsAction = new QAction(tr("Save project &as…"), this);
        m_saveProjectAsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
        m_saveProjectAsAction->setStatusTip(tr("Save the project to a new .masksup file"));
        connect(m_saveProjectAsAction, &QAction::triggered, this, [this] { saveProjectAs(); });

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

        m_openFolderAction = new QAction(tr("Open &folder for prediction…"), this);
        m_openFolderAction->setStatusTip(tr("Predict every image of a folder in the background"));
        connect(m_openFolderAction, &QAction::triggered, this, [this] {
            showTab(Tab::Prediction);
            m_predictionPanel->openFolder();
        });
        m_compareAction = new QAction(tr("&Compare with another run…"), this);
        m_compareAction->setStatusTip(
            tr("Choose a second checkpoint to compare side by side or with a swipe in the Prediction panel"));
        connect(m_compareAction, &QAction::triggered, this, [this] {
            showTab(Tab::Prediction);
            m_predictionPanel->openCompareCheckpoint();
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
        m_exportPredictionsAction = new QAction(tr("Export &predictions…"), this);
        m_exportPredictionsAction->setObjectName(QStringLiteral("exportPredictionsAction"));
        m_exportPredictionsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
        m_exportPredictionsAction->setStatusTip(
            tr("Predict images or folders and write overlays, label masks and probability maps"));
        connect(m_exportPredictionsAction, &QAction::triggered, this, [this] { showExportDialog(); });

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

        m_resumeAction = new QAction(tr("&Resume from checkpoint…"), this);
        m_resumeAction->setObjectName(QStringLiteral("resumeFromCheckpointAction"));
        m_resumeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
        m_resumeAction->setStatusTip(
            tr("Continue a stopped or interrupted run from its last checkpoint, exactly where it stopped"));
        connect(m_resumeAction, &QAction::triggered, this, [this] { chooseRunToResume(); });

        m_retrainAction = new QAction(tr("Retrain with &corrections"), this);
        m_retrainAction->setObjectName(QStringLiteral("retrainWithCorrectionsAction"));
        m_retrainAction->setStatusTip(tr("Start a run with the Training panel's settings, using the masks "
                                         "corrected in the Annotate panel"));
        m_retrainAction->setEnabled(false);
        connect(m_retrainAction, &QAction::triggered, this, [this] { retrainWithCorrections(); });

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
        file->addAction(m_newProjectAction);
        file->addAction(m_openProjectAction);
        m_recentMenu = file->addMenu(tr("&Recent projects"));
        m_recentMenu->setObjectName(QStringLiteral("recentProjectsMenu"));
        connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::refreshRecentProjects);
        file->addAction(m_saveProjectAction);
        file->addAction(m_saveProjectAsAction);
        file->addSeparator();
        file->addAction(m_openAction);
        m_recentDatasetsMenu = file->addMenu(tr("Recent &datasets"));
        m_recentDatasetsMenu->setObjectName(QStringLiteral("recentDatasetsMenu"));
        connect(m_recentDatasetsMenu, &QMenu::aboutToShow, this, &MainWindow::refreshRecentDatasets);
        file->addAction(m_reportAction);
        file->addAction(m_sampleAction);
        file->addSeparator();
        file->addAction(m_openCheckpointAction);
        file->addAction(m_openImageAction);
        file->addAction(m_openFolderAction);
        file->addAction(m_compareAction);
        file->addAction(m_exportAction);
        file->addAction(m_exportPredictionsAction);
        file->addSeparator();
        file->addAction(m_quitAction);

        QMenu* training = menuBar()->addMenu(tr("&Training", "menu"));
        training->addAction(m_startAction);
        training->addAction(m_resumeAction);
        training->addAction(m_retrainAction);
        training->addAction(m_trainingPanel->pauseAction());
        training->addAction(m_stopAction);

        QMenu* view = menuBar()->addMenu(tr("&View"));
        // Alt+1..7 show and raise a panel; the checkable entries show or hide the docks.
        const QString panelNames[] = { tr("&Dataset"), tr("&Masks"), tr("&Training", "panel"),
            tr("&Prediction"), tr("&Robustness"), tr("R&uns"), tr("&Log"), tr("&Annotate") };
        QMenu* goTo = view->addMenu(tr("&Go to panel"));
        for (int i = 0; i < m_panelDocks.size(); ++i) {
            QAction* go = goTo->addAction(panelNames[i]);
            go->setObjectName(QStringLiteral("showPanelAction%1").arg(i));
            go->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
            connect(go, &QAction::triggered, this, [this, i] { showTab(Tab(i)); });
            addAction(go); // the shortcut works while the menu bar is hidden too
        }
        view->addSeparator();
        QAction* samplesToggle = m_samplesDock->toggleViewAction();
        samplesToggle->setText(tr("&Samples"));
        view->addAction(samplesToggle);
        for (int i = 0; i < m_panelDocks.size(); ++i) {
            QAction* toggle = m_panelDocks[i]->toggleViewAction();
            toggle->setText(panelNames[i]); // with its mnemonic
            view->addAction(toggle);
        }
        view->addSeparator();
        QAction* resetLayout = view->addAction(tr("Reset panel la&yout"));
        resetLayout->setStatusTip(tr("Put every panel back, tabbed together, with the samples on the left"));
        connect(resetLayout, &QAction::triggered, this, [this] {
            for (QDockWidget* dock : std::as_const(m_panelDocks)) {
                dock->setFloating(false);
                addDockWidget(Qt::RightDockWidgetArea, dock);
                dock->show();
            }
            tabifyPanels();
            m_samplesDock->setFloating(false);
            addDockWidget(Qt::LeftDockWidgetArea, m_samplesDock);
            m_samplesDock->show();
            showTab(Tab::Dataset);
        });

        QMenu* settingsMenu = menuBar()->addMenu(tr("&Settings"));
        QMenu* language = settingsMenu->addMenu(tr("&Language"));
        language->setObjectName(QStringLiteral("languageMenu"));
        m_languageGroup = new QActionGroup(this);
        const std::pair<QString, QString> languages[]
            = { { QString(), tr("&System default") }, { QStringLiteral("en"), QStringLiteral("English") },
                  { QStringLiteral("fr"), QStringLiteral("Français") } };
        const QString current = languageSetting();
        for (const auto& [code, name] : languages) {
            QAction* a = language->addAction(name);
            a->setCheckable(true);
            a->setData(code);
            a->setChecked(code == current);
            m_languageGroup->addAction(a);
            connect(a, &QAction::triggered, this, [this, code = code] {
                if (code == languageSetting())
                    return;
                setLanguageSetting(code);
                QMessageBox::information(this, tr("Language"),
                    tr("The new language applies the next time MaskSup Studio starts."));
            });
        }

        QMenu* help = menuBar()->addMenu(tr("&Help"));
        help->addAction(m_aboutAction);
        help->addAction(m_aboutQtAction);
    }

    void MainWindow::createToolBar()
    {
        // The style's standard icons: drawn for the screen's scale factor (high-DPI) by Qt.
        QStyle* st = style();
        const std::pair<QAction*, QStyle::StandardPixmap> icons[] = {
            { m_openAction, QStyle::SP_DirOpenIcon },
            { m_saveProjectAction, QStyle::SP_DialogSaveButton },
            { m_startAction, QStyle::SP_MediaPlay },
            { m_stopAction, QStyle::SP_MediaStop },
            { m_resumeAction, QStyle::SP_MediaSeekForward },
            { m_openCheckpointAction, QStyle::SP_FileDialogDetailedView },
            { m_openFolderAction, QStyle::SP_DirIcon },
            { m_exportPredictionsAction, QStyle::SP_DialogApplyButton },
        };
        // Short button texts (the menus keep the full ones), so that the toolbar fits the default
        // window in every language instead of hiding its last actions behind ».
        const std::pair<QAction*, QString> iconTexts[] = {
            { m_openAction, tr("Dataset", "toolbar: open dataset") },
            { m_saveProjectAction, tr("Save", "toolbar: save project") },
            { m_resumeAction, tr("Resume run", "toolbar: resume from checkpoint") },
            { m_openCheckpointAction, tr("Checkpoint", "toolbar: open checkpoint") },
            { m_openFolderAction, tr("Images", "toolbar: open a folder of images") },
            { m_exportPredictionsAction, tr("Export", "toolbar: export predictions") },
        };
        for (const auto& [action, text] : iconTexts)
            action->setIconText(text);
        QToolBar* bar = addToolBar(tr("Main toolbar"));
        bar->setObjectName(QStringLiteral("mainToolBar"));
        bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        for (const auto& [action, pixmap] : icons) {
            action->setIcon(st->standardIcon(pixmap));
            // The shortcut in every tooltip.
            if (!action->shortcut().isEmpty())
                action->setToolTip(QStringLiteral("%1 (%2)").arg(
                    action->text().remove(QLatin1Char('&')).remove(QStringLiteral("…")),
                    action->shortcut().toString(QKeySequence::NativeText)));
            bar->addAction(action);
            if (action == m_startAction)
                bar->addAction(m_trainingPanel->pauseAction()); // its icon follows pause / resume
            if (action == m_saveProjectAction || action == m_resumeAction)
                bar->addSeparator();
        }
        m_toolBar = bar;
    }

    void MainWindow::createStatusBar()
    {
        m_datasetStatus = new QLabel(this);
        m_datasetStatus->setObjectName(QStringLiteral("datasetStatusLabel"));
        m_trainingStatus = new QLabel(this);
        m_trainingStatus->setObjectName(QStringLiteral("trainingStatusBarLabel"));
        m_speedStatus = new QLabel(this);
        m_speedStatus->setObjectName(QStringLiteral("speedStatusLabel"));
        m_deviceStatus = new QLabel(this);
        m_deviceStatus->setObjectName(QStringLiteral("deviceStatusLabel"));
        m_deviceStatus->setText(tr("CPU · %n thread(s)", "", QThread::idealThreadCount()));
        m_deviceStatus->setToolTip(tr("The device training and prediction use when set to \"auto\""));
        statusBar()->addPermanentWidget(m_datasetStatus);
        statusBar()->addPermanentWidget(m_deviceStatus);
        statusBar()->addPermanentWidget(m_trainingStatus);
        statusBar()->addPermanentWidget(m_speedStatus);
    }

    void MainWindow::createDocks()
    {
        setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks
            | QMainWindow::AllowTabbedDocks | QMainWindow::GroupedDragging);
        setTabPosition(Qt::AllDockWidgetAreas, QTabWidget::North);
        setDocumentMode(true);
        const std::tuple<QWidget*, QString, const char*> panels[] = {
            { m_datasetPanel, tr("Dataset"), "datasetDock" },
            { m_maskPanel, tr("Masks"), "masksDock" },
            { m_trainingPanel, tr("Training", "panel"), "trainingDock" },
            { m_predictionPanel, tr("Prediction"), "predictionDock" },
            { m_robustnessPanel, tr("Robustness"), "robustnessDock" },
            { m_runsPanel, tr("Runs"), "runsDock" },
            { m_logPanel, tr("Log"), "logDock" },
            { m_annotationPanel, tr("Annotate"), "annotationDock" },
        };
        for (const auto& [widget, title, name] : panels) {
            auto* dock = new QDockWidget(title, this);
            dock->setObjectName(QLatin1String(name));
            dock->setWidget(widget);
            dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable
                | QDockWidget::DockWidgetClosable);
            addDockWidget(Qt::RightDockWidgetArea, dock);
            const Tab tab = Tab(m_panelDocks.size());
            connect(dock, &QDockWidget::visibilityChanged, this, [this, tab](bool visible) {
                if (visible)
                    m_currentTab = tab;
            });
            m_panelDocks << dock;
        }

        tabifyPanels();

        m_samplesDock = new QDockWidget(tr("Samples"), this);
        m_samplesDock->setObjectName(QStringLiteral("samplesDock"));
        m_samplesDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
        m_samplesDock->setWidget(m_datasetPanel->samplesWidget());
        addDockWidget(Qt::LeftDockWidgetArea, m_samplesDock);
        resizeDocks({ m_samplesDock }, { 280 }, Qt::Horizontal);
        showTab(Tab::Dataset);
    }

    void MainWindow::tabifyPanels()
    {
        // On screen: Dataset, Annotate, Masks, Training, Prediction, Robustness, Runs, Log.
        const Tab order[] = { Tab::Annotation, Tab::Masks, Tab::Training, Tab::Prediction, Tab::Robustness,
            Tab::Runs, Tab::Log };
        QDockWidget* previous = panelDock(Tab::Dataset);
        for (Tab t : order) {
            QDockWidget* dock = panelDock(t);
            tabifyDockWidget(previous, dock);
            previous = dock;
        }
    }

    void MainWindow::openMaskStore(const msup::Dataset& dataset)
    {
        m_annotationPanel->setStore(nullptr); // saves the previous dataset's image
        m_maskStore.reset();
        m_annotationPanel->setClasses(dataset.classNames, dataset.classColors);
        try {
            m_maskStore = std::make_unique<msup::MaskStore>(dataset);
        } catch (const std::exception& e) {
            m_logPanel->error(tr("Mask corrections are unavailable for this dataset: %1")
                                  .arg(QString::fromLocal8Bit(e.what())));
        }
        m_annotationPanel->setStore(m_maskStore.get());
        refreshCorrections();
        if (m_maskStore && m_maskStore->editedCount() > 0)
            m_logPanel->info(
                tr("%n image(s) of this dataset have corrected masks in %1", "", m_maskStore->editedCount())
                    .arg(QDir::toNativeSeparators(m_maskStore->correctionsDir())));
    }

    void MainWindow::refreshCorrections()
    {
        // Training reads the corrections folder (masks saved into the dataset's own files need
        // nothing): only its entries count for "Use corrected masks".
        const int corrected = m_maskStore ? int(m_maskStore->corrections().size()) : 0;
        m_trainingPanel->setCorrections(m_maskStore ? m_maskStore->correctionsDir() : QString(), corrected);
        if (m_maskStore)
            m_datasetPanel->setEditedIds(m_maskStore->editedIds());
        m_retrainAction->setEnabled(!m_trainingPanel->isTraining() && corrected > 0);
    }

    bool MainWindow::retrainWithCorrections()
    {
        if (!m_annotationPanel->saveIfDirty())
            return false;
        refreshCorrections();
        if (!m_maskStore || m_maskStore->corrections().isEmpty()) {
            QMessageBox::information(this, tr("Retrain with corrections"),
                tr("The corrections folder holds no corrected mask yet. Correct masks in the Annotate panel "
                   "(Alt+8) and save them to the corrections folder first."));
            return false;
        }
        showTab(Tab::Training);
        m_trainingPanel->setUseCorrections(true);
        return m_trainingPanel->startTraining();
    }

    QDockWidget* MainWindow::panelDock(Tab tab) const
    {
        const int i = int(tab);
        return i >= 0 && i < m_panelDocks.size() ? m_panelDocks[i] : nullptr;
    }

    QString MainWindow::deviceStatusText() const
    {
        return m_deviceStatus ? m_deviceStatus->text() : QString();
    }

    QString MainWindow::languageSetting()
    {
        return ProjectController::languageSetting();
    }

    void MainWindow::setLanguageSetting(const QString& language)
    {
        ProjectController::setLanguageSetting(language);
        if (m_languageGroup)
            for (QAction* a : m_languageGroup->actions())
                a->setChecked(a->data().toString() == language);
    }

    namespace {
        // "NAME · 79 GiB, NAME · 12 GiB".
        QString gpuList(const std::vector<msup::engine::CudaDevice>& devices)
        {
            QStringList gpus;
            for (const msup::engine::CudaDevice& d : devices)
                gpus << MainWindow::tr("%1 · %2 GiB")
                            .arg(QString::fromStdString(d.name))
                            .arg(formatNumber(double(d.totalBytes) / double(1ll << 30), 0));
            return gpus.join(QStringLiteral(", "));
        }
    } // namespace

    QString MainWindow::gpuStatusText(const std::vector<msup::engine::CudaDevice>& devices)
    {
        return devices.empty() ? QString() : tr("GPU: %1").arg(gpuList(devices));
    }

    void MainWindow::detectDevice()
    {
        // The driver's cuInit and LibTorch's CUDA start-up can take a second or more: both run off the
        // GUI thread. The GPUs come from the CUDA driver itself (core/engine/cuda_devices), so they are
        // named even where this build's LibTorch cannot use them.
        struct Probe {
            msup::engine::CudaDeviceList gpus;
            bool torchCuda = false;
        };
        // A probe that fails leaves the status as it is (the CPU), like a machine without a GPU.
        auto* runner = new JobRunner(this);
        connect(runner, &JobRunner::finished, runner, &QObject::deleteLater);
        connect(runner, &JobRunner::failed, runner, &QObject::deleteLater);
        auto show = [this](const Probe& probe) {
            if (probe.torchCuda) {
                const QString gpu = gpuStatusText(probe.gpus.devices);
                m_deviceStatus->setText(gpu.isEmpty() ? tr("GPU: CUDA") : gpu);
                m_trainingPanel->setCudaDevices(probe.gpus.devices);
            } else if (!probe.gpus.devices.empty()) {
                m_deviceStatus->setToolTip(
                    tr("The device training and prediction use when set to \"auto\". This computer has "
                       "an NVIDIA GPU (%1), but this build of MaskSup Studio has no CUDA: it trains on the "
                       "CPU. See the README's \"NVIDIA GPU\" section for a CUDA build.")
                        .arg(gpuList(probe.gpus.devices)));
            }
        };
        runner->start<Probe>(
            [](msup::Progress&) {
                Probe probe;
                probe.gpus = msup::engine::listCudaDevices();
                probe.torchCuda = msup::TrainingSession::cudaAvailable();
                return probe;
            },
            show);
    }

    void MainWindow::restoreSettings()
    {
        const WindowSettings settings = ProjectController::readWindowSettings(
            [this](const QSettings& s) { m_trainingPanel->restoreSettings(s); });
        if (!restoreGeometry(settings.geometry))
            resize(1280, 820);
        restoreState(settings.state);
        if (settings.tab >= 0 && settings.tab < m_panelDocks.size())
            showTab(Tab(settings.tab));
        m_datasetPanel->setOverlayOpacity(settings.labelOpacity);
        m_datasetPanel->setOutlineMode(settings.labelOutline);
        m_predictionPanel->setOverlayOpacity(settings.predictionOpacity);
    }

    void MainWindow::saveSettings()
    {
        WindowSettings settings;
        settings.geometry = saveGeometry();
        settings.state = saveState();
        settings.tab = int(m_currentTab);
        settings.labelOpacity = m_datasetPanel->overlayOpacity();
        settings.labelOutline = m_datasetPanel->outlineMode();
        settings.predictionOpacity = m_predictionPanel->overlayOpacity();
        ProjectController::writeWindowSettings(
            settings, [this](QSettings& s) { m_trainingPanel->saveSettings(s); });
    }

    void MainWindow::showTab(Tab tab)
    {
        QDockWidget* dock = panelDock(tab);
        if (!dock)
            return;
        dock->show();
        dock->raise();
        m_currentTab = tab;
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
        const QString last = ProjectController::lastDataset();
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

    void MainWindow::requestDataset(const QString& path, bool report, const QString& format)
    {
        const QString folder = QDir::cleanPath(QDir::fromNativeSeparators(path));
        const QString spec = format == QLatin1String("auto") ? QString() : format;
        statusBar()->showMessage(tr("Indexing %1…").arg(QDir::toNativeSeparators(folder)));
        m_opener->request([folder, report, spec]() {
            DatasetOpenResult result;
            result.path = folder;
            result.report = report;
            try {
                result.dataset = msup::openDataset(folder, spec);
            } catch (const std::exception& e) {
                result.error = QString::fromLocal8Bit(e.what());
                // A project's format that no longer fits (the folder changed): detection may.
                if (!spec.isEmpty()) {
                    try {
                        result.dataset = msup::openDataset(folder);
                        result.error.clear();
                    } catch (const std::exception&) {
                    }
                }
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
            m_projectController->datasetOpenFailed();
            Q_EMIT datasetOpenFailed(result.path, result.error);
            return;
        }
        const msup::Dataset& dataset = result.dataset;
        // Clear the views that follow the selection first: setDataset() selects the first sample.
        m_maskPanel->clearImage();
        m_predictionPanel->setImagePath({});
        m_datasetPanel->setDataset(dataset);
        m_trainingPanel->setDataset(dataset.root, m_datasetPanel->datasetName(), int(dataset.samples.size()));
        openMaskStore(dataset);
        // The path the user opened (for NYUDv2, possibly the .mat file itself).
        m_robustnessPanel->setDatasetPath(result.path);
        updateDatasetStatus();
        setWindowFilePath(dataset.root);
        statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(dataset.root)), 5000);
        // A report of the previous dataset no longer applies.
        if (m_reportDialog
            && QDir::cleanPath(m_reportDialog->dataset().root) != QDir::cleanPath(dataset.root))
            m_reportDialog->close();
        m_projectController->datasetOpened(result.path, dataset.root, dataset.formatSpec);
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
        m_projectController->beginSession();
        if (!commandLinePath.isEmpty()) {
            if (commandLinePath.endsWith(QLatin1Char('.') + msup::projectFileSuffix(), Qt::CaseInsensitive)
                && QFileInfo(commandLinePath).isFile()) {
                m_projectController->load(commandLinePath, false);
                return;
            }
            m_projectController->setBaselineOnOpen(true);
            importDataset(commandLinePath); // as File ▸ Open dataset… does: with its report
            return;
        }
        if (m_projectController->openLastProject())
            return;
        m_projectController->setBaselineOnOpen(true);
        const QString last = ProjectController::lastDataset();
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
        // Shown only when writing takes a while, once the window is on screen: the first-start
        // sample (a second or so) appears without an empty dialog flashing before it.
        progress->setMinimumDuration(1500);
        progress->setAutoClose(false);
        progress->setAutoReset(false);
        progress->setValue(0);

        // The handlers live as long as this run's dialog (context object), the runner for the window.
        auto finish = [this, progress] {
            m_generating = false;
            m_sampleAction->setEnabled(true);
            progress->close();
            progress->deleteLater();
        };
        connect(m_sampleRunner, &JobRunner::progress, progress,
            [progress](int done) { progress->setValue(done); });
        connect(progress, &QProgressDialog::canceled, m_sampleRunner, &JobRunner::cancel);
        connect(m_sampleRunner, &JobRunner::cancelled, progress, [this, finish, options] {
            finish();
            // A partial first-start sample (the application's own folder) would be opened
            // as if complete next time: remove it. Folders the user chose are left alone.
            if (QDir::cleanPath(options.outDir) == QDir::cleanPath(defaultSampleDatasetDir()))
                QDir(options.outDir).removeRecursively();
            statusBar()->showMessage(tr("Sample dataset cancelled."), 5000);
        });
        connect(m_sampleRunner, &JobRunner::failed, progress, [this, finish, options](const QString& error) {
            finish();
            showError(tr("Sample dataset"),
                tr("The sample dataset could not be written to “%1”.")
                    .arg(QDir::toNativeSeparators(options.outDir)),
                error + QStringLiteral("\n\n")
                    + tr("Choose a folder you can write to (File ▸ Generate "
                         "sample dataset…)."));
        });
        m_sampleRunner->start<int>(
            [options](msup::Progress& progress) { return msup::writeSynthDataset(options, progress); },
            [this, finish, options](int) {
                finish();
                Q_EMIT sampleDatasetGenerated(options.outDir);
                openDataset(options.outDir);
            });
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
        m_resumeAction->setEnabled(idle);
        m_retrainAction->setEnabled(idle && m_maskStore && !m_maskStore->corrections().isEmpty());
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
            m_speedStatus->clear();
            break;
        }
        if (idle && m_closeAfterStop)
            QTimer::singleShot(0, this, &QWidget::close);
    }

    void MainWindow::onBatchProgress(const msup::BatchProgress& p)
    {
        m_lastEpoch = p.epoch;
        m_lastEpochs = p.epochs;
        if (m_trainingPanel->isPaused())
            return; // "Paused" stays until the run goes on
        if (m_trainingPanel->state() == TrainingPanel::State::Running)
            m_trainingStatus->setText(
                tr("Training %1: epoch %2/%3").arg(m_currentRunName).arg(p.epoch).arg(p.epochs));
        m_speedStatus->setText(tr("%1 images/s · ETA %2")
                                   .arg(formatNumber(p.imagesPerSecond, 1))
                                   .arg(formatDuration(p.etaSeconds)));
    }

    void MainWindow::onTrainingPaused(bool paused)
    {
        if (paused) {
            // Speed and ETA are meaningless while the run is held.
            m_trainingStatus->setText(tr("Training %1: paused at epoch %2/%3")
                                          .arg(m_currentRunName)
                                          .arg(m_lastEpoch)
                                          .arg(m_lastEpochs));
            m_speedStatus->setText(tr("Paused"));
        } else {
            m_trainingStatus->setText(
                tr("Training %1: epoch %2/%3").arg(m_currentRunName).arg(m_lastEpoch).arg(m_lastEpochs));
            m_speedStatus->clear(); // the next batch brings a fresh speed and ETA
        }
    }

    void MainWindow::syncMaskPanel()
    {
        const QString ratio = m_trainingPanel->settingValue(QStringLiteral("hole_ratio")).toString();
        if (ratio != m_maskPanel->ratioText())
            m_maskPanel->setRatioText(ratio);
        // A folder being typed is followed once it exists.
        const QString folder = m_trainingPanel->settingValue(QStringLiteral("mask_folder")).toString();
        if (QDir::cleanPath(folder) == QDir::cleanPath(m_maskPanel->maskFolder()))
            return;
        if (folder.isEmpty())
            m_maskPanel->useGenerator();
        else if (QFileInfo(folder).isDir())
            m_maskPanel->setMaskFolder(folder);
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
        m_runsPanel->refresh();
    }

    void MainWindow::chooseRunToResume()
    {
        const QString runs = QFileInfo(m_trainingPanel->defaultOutputDir()).absolutePath();
        const QString dir
            = QFileDialog::getExistingDirectory(this, tr("Resume run: choose the run folder"), runs);
        if (dir.isEmpty())
            return;
        int epochs = 0;
        try {
            epochs = msup::TrainingSession::configForResume(dir).epochs;
        } catch (const std::exception& e) {
            showError(tr("Resume from checkpoint"),
                tr("%1 cannot be resumed.").arg(QDir::toNativeSeparators(dir)),
                QString::fromLocal8Bit(e.what()));
            return;
        }
        bool ok = false;
        epochs = QInputDialog::getInt(this, tr("Resume from checkpoint"),
            tr("Train up to epoch (the run was set to %1):").arg(epochs), epochs, 1, 100000, 1, &ok);
        if (!ok)
            return;
        showTab(Tab::Training);
        m_trainingPanel->resumeTraining(dir, epochs);
    }

    ExportDialog* MainWindow::showExportDialog()
    {
        if (!m_exportDialog) {
            m_exportDialog = new ExportDialog(this);
            m_exportDialog->setDevice(m_predictionPanel->device());
        }
        const QString checkpoint = m_predictionPanel->checkpointPath();
        if (!m_exportDialog->isExporting() && !checkpoint.isEmpty())
            m_exportDialog->setCheckpoint(checkpoint); // the run's best.pt
        // The images on show: those opened in the Prediction panel, else the dataset's image files.
        QStringList images = m_predictionPanel->openedImages();
        if (images.isEmpty() && m_datasetPanel->hasDataset())
            for (const msup::Sample& sample : m_datasetPanel->dataset().samples)
                if (sample.frame < 0)
                    images << sample.imagePath;
        QString runDir = m_trainingPanel->lastResult().runDir;
        if (runDir.isEmpty() && !checkpoint.isEmpty())
            runDir = QFileInfo(QFileInfo(checkpoint).absolutePath()).absolutePath(); // <run>/checkpoints/
        m_exportDialog->setContext(
            m_datasetPanel->hasDataset() ? m_datasetPanel->dataset().root : QString(), runDir, images);
        m_exportDialog->show();
        m_exportDialog->raise();
        m_exportDialog->activateWindow();
        return m_exportDialog;
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
        // After a stop to quit too, the untitled project is asked about (Save / Discard / Cancel);
        // Cancel keeps the window open, with the run stopped.
        if (!m_projectController->close()) {
            m_closeAfterStop = false;
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
        QMessageBox* box = closableMessage(this, QMessageBox::Warning, title, text, details);
        box->setObjectName(QStringLiteral("errorMessageBox"));
        box->open();
    }

    // ---- Projects -------------------------------------------------------------------------------

    void MainWindow::connectProject()
    {
        ProjectController* projects = m_projectController;
        projects->setCapture([this](msup::Project& p) { captureProject(p); });
        projects->setSuggestedFile([this] { return suggestedProjectFile(); });
        connect(projects, &ProjectController::titleChanged, this, &MainWindow::updateWindowTitle);
        connect(projects, &ProjectController::statusMessage, statusBar(), &QStatusBar::showMessage);
        connect(projects, &ProjectController::errorOccurred, this, &MainWindow::showError);
        connect(projects, &ProjectController::projectLoaded, this, &MainWindow::applyProjectFile);
        connect(projects, &ProjectController::datasetRequested, this,
            [this](const QString& path, const QString& format) { requestDataset(path, false, format); });
        connect(projects, &ProjectController::projectDatasetReady, this,
            [this](const msup::Project& project) { applyProjectView(project, true); });
        connect(
            projects, &ProjectController::projectCleared, this, [this] { m_runsPanel->setRunFolders({}); });
        connect(projects, &ProjectController::recentProjectsChanged, this, [this] {
            if (m_recentMenu)
                refreshRecentProjects();
        });
        connect(projects, &ProjectController::aboutToSave, m_annotationPanel, &AnnotationPanel::saveIfDirty);
        connect(projects, &ProjectController::projectOpened, this, &MainWindow::projectOpened);
        connect(projects, &ProjectController::projectOpenFailed, this, &MainWindow::projectOpenFailed);
        connect(projects, &ProjectController::projectSaved, this, &MainWindow::projectSaved);
        // The modified mark is checked after each edit of the training form and each
        // project-related event (once per turn of the event loop, however many arrive).
        connect(m_trainingPanel, &TrainingPanel::configEdited, projects,
            &ProjectController::scheduleModifiedCheck);
        connect(m_datasetPanel, &DatasetPanel::splitFilterChanged, projects,
            &ProjectController::scheduleModifiedCheck);
    }

    QString MainWindow::projectPath() const
    {
        return m_projectController->projectPath();
    }

    QString MainWindow::autosavePath()
    {
        return ProjectController::autosavePath();
    }

    QJsonObject MainWindow::capturedTrainingJson(const QJsonObject& projectTraining) const
    {
        const msup::TrainConfig config = m_trainingPanel->config();
        const QJsonObject form = config.toJson();
        QJsonObject training = projectTraining.isEmpty() ? msup::TrainConfig().toJson() : projectTraining;
        // Every row of the settings table is a field of the form; the project keeps keys of newer
        // versions as read.
        for (const msup::TrainSetting& setting : msup::trainSettings())
            training.insert(setting.key, form.value(setting.key));
        // The dataset is the project's own; the automatic run folder (named after the time) is
        // not a setting.
        training.remove(QStringLiteral("dataset"));
        training.remove(QStringLiteral("dataset_format"));
        const QString automatic = m_trainingPanel->defaultOutputDir();
        const int stamp = 15; // yyyyMMdd-hhmmss
        const bool isAutomatic = config.outDir.size() == automatic.size()
            && config.outDir.left(automatic.size() - stamp) == automatic.left(automatic.size() - stamp);
        training.insert(QStringLiteral("out"), isAutomatic ? QString() : config.outDir);
        return training;
    }

    msup::Project MainWindow::currentProject() const
    {
        return m_projectController->currentProject();
    }

    void MainWindow::captureProject(msup::Project& p) const
    {
        p.training = capturedTrainingJson(p.training);

        QJsonObject view = p.view; // keys of newer versions are kept
        const int tab = int(m_currentTab);
        if (tab >= 0 && tab < int(std::size(kTabNames)))
            view.insert(QStringLiteral("tab"), QLatin1String(kTabNames[tab]));
        view.insert(QStringLiteral("label_opacity"), m_datasetPanel->overlayOpacity());
        view.insert(QStringLiteral("label_outline"), m_datasetPanel->outlineMode());
        view.insert(QStringLiteral("prediction_opacity"), m_predictionPanel->overlayOpacity());
        // While the project's dataset is being opened, the panel still shows the previous one.
        if (!m_projectController->isOpening() && m_datasetPanel->hasDataset()) {
            p.split = m_datasetPanel->splitFilter();
            view.insert(QStringLiteral("search"), m_datasetPanel->searchText());
            const msup::Dataset& ds = m_datasetPanel->dataset();
            const int i = m_datasetPanel->currentIndex();
            if (i >= 0 && i < ds.samples.size())
                view.insert(QStringLiteral("sample"), ds.samples[i].id);
            else
                view.remove(QStringLiteral("sample"));
            QJsonArray colors;
            for (const QColor& color : m_datasetPanel->classColors())
                colors.append(color.name());
            view.insert(QStringLiteral("class_colors"), colors);
            // Reviewed marks and edited images (annotation).
            p.images = m_datasetPanel->imageStates();
            if (m_maskStore)
                m_maskStore->syncEditedStates(&p.images);
        }
        p.view = view;
    }

    bool MainWindow::isProjectModified()
    {
        return m_projectController->isModified();
    }

    void MainWindow::updateWindowTitle()
    {
        const QString path = m_projectController->projectPath();
        const bool modified = m_projectController->modifiedMark();
        if (path.isEmpty() && !modified) {
            setWindowTitle(tr("MaskSup Studio"));
            setWindowModified(false);
            return;
        }
        const QString name = path.isEmpty() ? tr("Untitled project") : QFileInfo(path).completeBaseName();
        //: %1 is the project's name; [*] is where Qt shows the unsaved-changes mark.
        setWindowTitle(tr("%1[*] — MaskSup Studio").arg(name));
        setWindowModified(modified);
    }

    QStringList MainWindow::recentProjects() const
    {
        return ProjectController::recent(ProjectController::Recent::Projects);
    }

    QStringList MainWindow::recentDatasets() const
    {
        return ProjectController::recent(ProjectController::Recent::Datasets);
    }

    void MainWindow::refreshRecentProjects()
    {
        fillRecentMenu(m_recentMenu, ProjectController::Recent::Projects, tr("No recent projects"),
            [this](const QString& file) { openProject(file); });
    }

    void MainWindow::refreshRecentDatasets()
    {
        fillRecentMenu(m_recentDatasetsMenu, ProjectController::Recent::Datasets, tr("No recent datasets"),
            [this](const QString& path) { importDataset(path); }); // with its report, as Ctrl+O
    }

    void MainWindow::fillRecentMenu(QMenu* menu, ProjectController::Recent list, const QString& emptyText,
        const std::function<void(const QString&)>& open)
    {
        const QStringList recent = m_projectController->pruneRecent(list);
        menu->clear();
        if (recent.isEmpty()) {
            menu->addAction(emptyText)->setEnabled(false);
            return;
        }
        for (int i = 0; i < recent.size(); ++i) {
            const QString path = recent[i];
            const QFileInfo info(path);
            QAction* action = menu->addAction(
                tr("&%1 %2").arg(i + 1).arg(info.isDir() ? info.fileName() : info.completeBaseName()));
            action->setToolTip(QDir::toNativeSeparators(path));
            action->setStatusTip(QDir::toNativeSeparators(path));
            connect(action, &QAction::triggered, this, [open, path] { open(path); });
        }
        menu->addSeparator();
        connect(menu->addAction(tr("&Clear list")), &QAction::triggered, this,
            [this, menu, list, emptyText, open] {
                ProjectController::clearRecent(list);
                fillRecentMenu(menu, list, emptyText, open);
            });
    }

    bool MainWindow::openProject(const QString& path)
    {
        return m_projectController->open(path);
    }

    void MainWindow::applyProjectFile(const msup::Project& project, const QString& path)
    {
        m_runsPanel->setRunFolders(project.runFolders);
        if (!project.training.isEmpty()) {
            try {
                const msup::TrainConfig training
                    = msup::TrainConfig::fromJson(project.training, msup::TrainConfig());
                training.validateSettings(); // the same ranges as the CLI and the form
                m_trainingPanel->setConfig(training);
            } catch (const std::exception& e) {
                showError(tr("Open project"),
                    tr("The training settings of “%1” could not be applied; the form keeps its values.")
                        .arg(QDir::toNativeSeparators(path)),
                    QString::fromLocal8Bit(e.what()));
            }
        }
        applyProjectView(project, false);
    }

    void MainWindow::applyProjectView(const msup::Project& project, bool afterDataset)
    {
        const QJsonObject& view = project.view;
        if (!afterDataset) {
            const QString tab = view.value(QStringLiteral("tab")).toString();
            for (int i = 0; i < int(std::size(kTabNames)); ++i)
                if (tab == QLatin1String(kTabNames[i]) && i < m_panelDocks.size())
                    showTab(Tab(i));
            if (view.value(QStringLiteral("label_opacity")).isDouble())
                m_datasetPanel->setOverlayOpacity(view.value(QStringLiteral("label_opacity")).toDouble());
            if (view.value(QStringLiteral("label_outline")).isBool())
                m_datasetPanel->setOutlineMode(view.value(QStringLiteral("label_outline")).toBool());
            if (view.value(QStringLiteral("prediction_opacity")).isDouble())
                m_predictionPanel->setOverlayOpacity(
                    view.value(QStringLiteral("prediction_opacity")).toDouble());
            return;
        }
        if (!m_datasetPanel->hasDataset())
            return;
        if (!project.split.isEmpty())
            m_datasetPanel->setSplitFilter(project.split);
        const QString search = view.value(QStringLiteral("search")).toString();
        if (!search.isEmpty())
            m_datasetPanel->setSearchText(search);
        // The class colours the user chose, while the dataset has as many classes.
        QVector<QColor> colors;
        for (const QJsonValue& name : view.value(QStringLiteral("class_colors")).toArray())
            colors << QColor(name.toString());
        if (std::all_of(colors.begin(), colors.end(), [](const QColor& c) { return c.isValid(); }))
            m_datasetPanel->setClassColors(colors);
        m_datasetPanel->setImageStates(project.images);
        if (m_maskStore)
            m_datasetPanel->setEditedIds(m_maskStore->editedIds());
        const QString sample = view.value(QStringLiteral("sample")).toString();
        if (!sample.isEmpty()) {
            const msup::Dataset& ds = m_datasetPanel->dataset();
            for (int i = 0; i < ds.samples.size(); ++i) {
                if (ds.samples[i].id == sample) {
                    m_datasetPanel->setCurrentIndex(i);
                    break;
                }
            }
        }
    }

    bool MainWindow::saveProjectTo(const QString& path)
    {
        return m_projectController->saveTo(path);
    }

    bool MainWindow::saveProject()
    {
        return m_projectController->save();
    }

    bool MainWindow::saveProjectAs()
    {
        return m_projectController->saveAs();
    }

    QString MainWindow::suggestedProjectFile() const
    {
        const QString name = m_datasetPanel->hasDataset() ? m_datasetPanel->datasetName() : tr("project");
        const QString folder = m_datasetPanel->hasDataset()
            ? QFileInfo(m_datasetPanel->dataset().root).absolutePath()
            : QDir::homePath();
        return QDir(folder).filePath(name);
    }

    bool MainWindow::newProject()
    {
        return m_projectController->newProject();
    }

    bool MainWindow::autosaveNow()
    {
        return m_projectController->autosaveNow();
    }

} // namespace ui
} // namespace msup
