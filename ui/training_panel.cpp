#include "ui/training_panel.h"

#include "core/masks/hole_generator.h"
#include "core/train/model_store.h"
#include "core/train/run_folder.h"
#include "core/train/train_settings.h"
#include "core/train/training_worker.h"
#include "ui/chart_legend.h"
#include "ui/error_analysis_view.h"
#include "ui/format.h"
#include "ui/job_runner.h"
#include "ui/path_field.h"
#include "ui/settings_form.h"
#include "ui/training_charts.h"
#include "ui/widgets.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/qcustomplot_include.h"

namespace msup {
namespace ui {

    namespace {

        constexpr int kReplotIntervalMs = 250;

        // A device setting in the device list: itself when listed, else cuda:N <-> cuda (the list
        // has either one "cuda" entry or one entry per GPU).
        void selectDevice(QComboBox* combo, const QString& device)
        {
            int index = combo->findData(device);
            if (index < 0 && device == QLatin1String("cuda"))
                index = combo->findData(QStringLiteral("cuda:0"));
            if (index < 0 && device.startsWith(QLatin1String("cuda:")))
                index = combo->findData(QStringLiteral("cuda"));
            if (index >= 0)
                combo->setCurrentIndex(index);
        }

        // The epochs a resumed run's checkpoint completed, from its metrics (read off the GUI thread).
        QVector<msup::EpochMetrics> readRunHistory(const QString& runDir, const QString& checkpoint)
        {
            int doneEpochs = 0;
            try {
                doneEpochs = msup::readCheckpointInfo(checkpoint).epoch;
            } catch (const std::exception&) {
                return {};
            }
            const msup::RunFolder folder(runDir);
            QStringList classNames;
            for (const QJsonValue& name : folder.readConfig().value(QStringLiteral("classes")).toArray())
                classNames << name.toString();
            QVector<msup::EpochMetrics> epochs;
            for (const QJsonObject& o : folder.scanMetrics()) {
                const int epoch = o.value(QStringLiteral("epoch")).toInt();
                if (epoch < 1 || epoch > doneEpochs || !o.contains(QStringLiteral("val_miou")))
                    continue;
                msup::EpochMetrics m = msup::EpochMetrics::fromJson(o);
                m.classNames = classNames;
                epochs << m;
            }
            return epochs;
        }

    } // namespace

    QString formatDuration(double seconds)
    {
        if (!std::isfinite(seconds) || seconds < 0)
            return QCoreApplication::translate("msup::ui::TrainingPanel", "unknown");
        const qint64 total = qRound64(seconds);
        const qint64 hours = total / 3600;
        const qint64 minutes = (total % 3600) / 60;
        const qint64 secs = total % 60;
        if (hours > 0)
            return QCoreApplication::translate("msup::ui::TrainingPanel", "%1 h %2 min")
                .arg(hours)
                .arg(minutes, 2, 10, QLatin1Char('0'));
        if (minutes > 0)
            return QCoreApplication::translate("msup::ui::TrainingPanel", "%1 min %2 s")
                .arg(minutes)
                .arg(secs, 2, 10, QLatin1Char('0'));
        return QCoreApplication::translate("msup::ui::TrainingPanel", "%1 s").arg(secs);
    }

    TrainingPanel::TrainingPanel(QWidget* parent)
        : QWidget(parent)
        , m_controller(new msup::TrainingController(this))
    {
        m_settings = new SettingsForm(this);
        m_fitRunner = new JobRunner(this);
        buildForm();
        buildChart();
        bindBasicSettings();
        connect(m_settings, &SettingsForm::edited, this, &TrainingPanel::onSettingEdited);
        connect(m_settings, &SettingsForm::refused, this, [this](const QString&, const QString& reason) {
            m_formProblemLabel->setText(reason);
            m_formProblemLabel->setVisible(true);
        });

        connect(m_controller, &msup::TrainingController::started, this, &TrainingPanel::onStarted);
        connect(m_controller, &msup::TrainingController::status, this, &TrainingPanel::onStatus);
        connect(m_controller, &msup::TrainingController::progress, this, &TrainingPanel::onProgress);
        connect(m_controller, &msup::TrainingController::pairSkipped, this, &TrainingPanel::pairSkipped);
        connect(
            m_controller, &msup::TrainingController::epochFinished, this, &TrainingPanel::onEpochFinished);
        connect(m_controller, &msup::TrainingController::failed, this, &TrainingPanel::onFailed);
        connect(m_controller, &msup::TrainingController::finished, this, &TrainingPanel::onFinished);
        connect(
            m_controller, &msup::TrainingController::pausedChanged, this, &TrainingPanel::onPausedChanged);

        m_historyRunner = new JobRunner(this);
        m_replotTimer = new QTimer(this);
        m_replotTimer->setInterval(kReplotIntervalMs);
        connect(m_replotTimer, &QTimer::timeout, this, &TrainingPanel::onReplotTimer);

        setDataset({}, {});
        setState(State::Idle);
        setConfig(msup::TrainConfig());
    }

    // The controller is a child: its destructor stops the run within one batch and joins the thread.
    TrainingPanel::~TrainingPanel() = default;

    void TrainingPanel::buildForm()
    {
        auto* layout = new QHBoxLayout(this);

        auto* left = new QVBoxLayout;
        left->addWidget(buildPresetRow());
        auto* formBox = new QGroupBox(tr("Run settings"), this);
        auto* form = new QFormLayout(formBox);
        form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
        buildModelRows(form, formBox);
        buildDeviceRows(form, formBox);
        buildRunRows(form, formBox);
        left->addWidget(formBox);
        left->addWidget(buildAdvancedSection());
        left->addLayout(buildConfigButtons());
        m_formProblemLabel = errorLabel(QStringLiteral("formProblemLabel"), this);
        left->addWidget(m_formProblemLabel);
        left->addLayout(buildRunButtons());
        buildProgress(left);

        auto* leftWidget = new QWidget(this);
        leftWidget->setLayout(left);
        leftWidget->setMaximumWidth(480);
        // The settings column scrolls (the Advanced section is long) instead of growing the window.
        auto* scroll = new QScrollArea(this);
        scroll->setObjectName(QStringLiteral("settingsScroll"));
        scroll->setWidget(leftWidget);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        scroll->setMinimumWidth(
            leftWidget->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width());
        scroll->setMaximumWidth(480 + scroll->verticalScrollBar()->sizeHint().width());
        layout->addWidget(scroll);
        WheelGuard::install(leftWidget);
    }

    void TrainingPanel::buildModelRows(QFormLayout* form, QWidget* formBox)
    {
        m_modelCombo = new QComboBox(formBox);
        m_modelCombo->setObjectName(QStringLiteral("modelCombo"));
        m_modelCombo->addItem(tr("U-Net"), QStringLiteral("unet"));
        m_modelCombo->addItem(tr("U-Net++"), QStringLiteral("unetpp"));
        m_modelCombo->addItem(tr("LeViT-UNet-128s"), QStringLiteral("levit128s"));
        m_modelCombo->addItem(tr("LeViT-UNet-192"), QStringLiteral("levit192"));
        m_modelCombo->addItem(
            tr("LeViT-UNet-384 (the paper's GLaS and polyp model)"), QStringLiteral("levit384"));
        m_modelCombo->setToolTip(tr("Segmentation network"));
        connect(m_modelCombo, &QComboBox::currentIndexChanged, this, [this] { setState(m_state); });
        form->addRow(tr("&Model:"), m_modelCombo);

        m_widthSpin = new IntSpinBox(formBox);
        m_widthSpin->setObjectName(QStringLiteral("widthSpin"));
        m_widthSpin->setRange(msup::TrainLimits::widthMin, msup::TrainLimits::widthMax);
        m_widthSpin->setValue(16);
        m_widthSpin->setToolTip(tr("Channels of the first U-Net level (doubled at each level). "
                                   "Small widths train fast on a CPU."));
        form->addRow(tr("&Width:"), m_widthSpin);

        m_modeCombo = new QComboBox(formBox);
        m_modeCombo->setObjectName(QStringLiteral("modeCombo"));
        m_modeCombo->addItem(tr("Baseline (segmentation loss only)"), QStringLiteral("baseline"));
        m_modeCombo->addItem(tr("+ context branch"), QStringLiteral("context"));
        m_modeCombo->addItem(tr("MaskSup (context + task similarity)"), QStringLiteral("masksup"));
        m_modeCombo->setCurrentIndex(2);
        m_modeCombo->setToolTip(tr("The three ablation modes of the paper"));
        form->addRow(tr("M&ode:"), m_modeCombo);

        m_epochsSpin = new IntSpinBox(formBox);
        m_epochsSpin->setObjectName(QStringLiteral("epochsSpin"));
        m_epochsSpin->setRange(msup::TrainLimits::epochsMin, msup::TrainLimits::epochsMax);
        m_epochsSpin->setValue(10);
        form->addRow(tr("&Epochs:"), m_epochsSpin);

        m_batchSpin = new IntSpinBox(formBox);
        m_batchSpin->setObjectName(QStringLiteral("batchSizeSpin"));
        m_batchSpin->setRange(msup::TrainLimits::batchSizeMin, msup::TrainLimits::batchSizeMax);
        m_batchSpin->setValue(8);
        form->addRow(tr("&Batch size:"), m_batchSpin);

        m_imageSizeSpin = new IntSpinBox(formBox);
        m_imageSizeSpin->setObjectName(QStringLiteral("imageSizeSpin"));
        m_imageSizeSpin->setRange(msup::TrainLimits::imageSizeMin, msup::TrainLimits::imageSizeMax);
        m_imageSizeSpin->setSingleStep(16);
        m_imageSizeSpin->setValue(224);
        m_imageSizeSpin->setSuffix(tr(" px"));
        m_imageSizeSpin->setToolTip(tr("Images are resized to this square size for training (the "
                                       "paper uses 224; 128 is a sensible choice on a CPU)."));
        form->addRow(tr("&Image size:"), m_imageSizeSpin);
    }

    void TrainingPanel::buildDeviceRows(QFormLayout* form, QWidget* formBox)
    {
        m_deviceCombo = new QComboBox(formBox);
        m_deviceCombo->setObjectName(QStringLiteral("deviceCombo"));
        m_deviceCombo->addItem(tr("Automatic"), QStringLiteral("auto"));
        m_deviceCombo->addItem(tr("CPU"), QStringLiteral("cpu"));
        setCudaDevices({}); // one "CUDA GPU" entry until the main window lists the GPUs
        form->addRow(tr("&Device:"), m_deviceCombo);
        m_settings->bind(
            QStringLiteral("device"), m_deviceCombo, [this] { return m_deviceCombo->currentData(); },
            [this](const QVariant& v) {
                // Chosen again when the GPU list arrives later (setCudaDevices).
                m_requestedDevice = v.toString();
                selectDevice(m_deviceCombo, m_requestedDevice);
            });
        connect(m_deviceCombo, &QComboBox::currentIndexChanged, m_settings,
            [this] { m_settings->notifyEdited(QStringLiteral("device")); });

        m_ampCombo = new QComboBox(formBox);
        m_ampCombo->setObjectName(QStringLiteral("ampCombo"));
        m_ampCombo->addItem(tr("Automatic"), QStringLiteral("auto"));
        m_ampCombo->setItemData(0,
            tr("bf16 on GPUs that support it (no gradient scaler), fp16 with a gradient scaler on other "
               "CUDA GPUs, off on the CPU"),
            Qt::ToolTipRole);
        m_ampCombo->addItem(tr("bf16"), QStringLiteral("bf16"));
        m_ampCombo->setItemData(
            1, tr("bfloat16 autocast (CUDA GPUs that support it, e.g. Ampere and newer)"), Qt::ToolTipRole);
        m_ampCombo->addItem(tr("fp16"), QStringLiteral("fp16"));
        m_ampCombo->setItemData(
            2, tr("float16 autocast with a gradient scaler (CUDA only)"), Qt::ToolTipRole);
        m_ampCombo->addItem(tr("Off"), QStringLiteral("off"));
        m_ampCombo->setItemData(3, tr("Full float32 precision everywhere"), Qt::ToolTipRole);
        m_ampCombo->setToolTip(tr("Mixed precision: faster training and less GPU memory. Automatic uses bf16 "
                                  "where the GPU supports it, else fp16 with a gradient scaler, and is off "
                                  "on the CPU."));
        form->addRow(tr("Mi&xed precision:"), m_ampCombo);

        m_channelsLastCheck = new QCheckBox(tr("Channels-last memory layout (CUDA)"), formBox);
        m_channelsLastCheck->setObjectName(QStringLiteral("channelsLastCheck"));
        m_channelsLastCheck->setToolTip(
            tr("Run the network in NHWC layout, often faster on GPUs with tensor "
               "cores (slower on the CPU). Can be changed when a run is resumed."));
        form->addRow(QString(), m_channelsLastCheck);
    }

    void TrainingPanel::buildRunRows(QFormLayout* form, QWidget* formBox)
    {
        m_seedSpin = new IntSpinBox(formBox);
        m_seedSpin->setObjectName(QStringLiteral("seedSpin"));
        m_seedSpin->setRange(0, std::numeric_limits<int>::max());
        m_seedSpin->setValue(0);
        m_seedSpin->setToolTip(tr("Seeds the split, the weights, the batches and the masks"));
        form->addRow(tr("&Seed:"), m_seedSpin);

        m_learningRateSpin = new RealSpinBox(formBox);
        m_learningRateSpin->setObjectName(QStringLiteral("learningRateSpin"));
        m_learningRateSpin->setRange(msup::TrainLimits::learningRateMin, msup::TrainLimits::learningRateMax);
        m_learningRateSpin->setValue(1e-4);
        m_learningRateSpin->setToolTip(tr("Adam learning rate (the paper: 0.0001)"));
        form->addRow(tr("&Learning rate:"), m_learningRateSpin);

        m_holeRatioCombo = new QComboBox(formBox);
        m_holeRatioCombo->setObjectName(QStringLiteral("holeRatioCombo"));
        // Items, labels and binding come from the settings table (bindSettings).
        m_holeRatioCombo->setToolTip(tr("Share of pixels the masks remove: “high” (50–60 %), "
                                        "“low” (1–10 %) or “A-B”, e.g. 0.2-0.3"));
        form->addRow(tr("&Hole ratio:"), m_holeRatioCombo);

        // Masks corrected by hand (Annotate panel) replace the originals of the edited images.
        m_correctionsCheck = new QCheckBox(formBox);
        m_correctionsCheck->setObjectName(QStringLiteral("useCorrectionsCheck"));
        m_correctionsCheck->setToolTip(
            tr("Train and validate with the masks corrected in the Annotate panel "
               "(the corrections folder) instead of the originals of those images"));
        form->addRow(tr("Corrections:"), m_correctionsCheck);
        setCorrections(QString(), 0);

        m_outDirField = new PathField(PathField::Kind::Folder, tr("Run folder"),
            QStringLiteral("outputDirEdit"), QStringLiteral("browseOutputButton"), formBox);
        m_outDirField->lineEdit()->setToolTip(
            tr("Run folder: %1, %2, %3 and %4/ are written here. Leave empty for a "
               "new dated folder.")
                .arg(msup::RunFolder::fileName(msup::RunFile::Config),
                    msup::RunFolder::fileName(msup::RunFile::Split),
                    msup::RunFolder::fileName(msup::RunFile::Metrics),
                    msup::RunFolder::fileName(msup::RunFile::Checkpoints)));
        m_outDirField->setStartFolder(
            [] { return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation); });
        connect(m_outDirField->lineEdit(), &QLineEdit::textEdited, this,
            [this](const QString& text) { m_outDirAuto = text.trimmed().isEmpty(); });
        connect(m_outDirField, &PathField::chosen, this, [this] { m_outDirAuto = false; });
        auto* outLabel = new QLabel(tr("&Run folder:"), formBox);
        outLabel->setBuddy(m_outDirField->lineEdit());
        form->addRow(outLabel, m_outDirField);
    }

    QLayout* TrainingPanel::buildRunButtons()
    {
        auto* buttons = new QHBoxLayout;
        m_startButton = new QPushButton(tr("Start training"), this);
        m_startButton->setObjectName(QStringLiteral("startButton"));
        m_startButton->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
        connect(m_startButton, &QPushButton::clicked, this, [this] { startTraining(); });
        m_stopButton = new QPushButton(tr("Stop"), this);
        m_stopButton->setObjectName(QStringLiteral("stopButton"));
        m_stopButton->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
        m_stopButton->setToolTip(tr("Stop after the current batch; the last completed epoch's "
                                    "checkpoint is kept"));
        connect(m_stopButton, &QPushButton::clicked, this, &TrainingPanel::stopTraining);
        m_pauseButton = new QPushButton(tr("Pause"), this);
        m_pauseButton->setObjectName(QStringLiteral("pauseButton"));
        m_pauseButton->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
        m_pauseButton->setCheckable(true);
        m_pauseButton->setToolTip(tr("Hold the run between two batches (Ctrl+P); resuming continues exactly "
                                     "as if it had never paused"));
        // One checkable action carries the state and the Ctrl+P shortcut; the button mirrors it.
        m_pauseAction = new QAction(style()->standardIcon(QStyle::SP_MediaPause), tr("&Pause"), this);
        m_pauseAction->setObjectName(QStringLiteral("pauseAction"));
        m_pauseAction->setCheckable(true);
        m_pauseAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
        m_pauseAction->setShortcutContext(Qt::WindowShortcut);
        m_pauseAction->setStatusTip(tr("Hold the run between two batches, or let it go on (Ctrl+P)"));
        m_pauseAction->setToolTip(m_pauseAction->statusTip());
        addAction(m_pauseAction);
        connect(m_pauseButton, &QPushButton::toggled, m_pauseAction, &QAction::setChecked);
        connect(m_pauseAction, &QAction::toggled, this, &TrainingPanel::setPauseRequested);
        buttons->addWidget(m_startButton, 1);
        buttons->addWidget(m_pauseButton, 1);
        buttons->addWidget(m_stopButton, 1);
        return buttons;
    }

    void TrainingPanel::buildProgress(QVBoxLayout* left)
    {
        // Two bars: the current epoch's batches, and the whole run's.
        auto* bars = new QFormLayout;
        m_epochProgressBar = new QProgressBar(this);
        m_epochProgressBar->setObjectName(QStringLiteral("epochProgressBar"));
        m_epochProgressBar->setRange(0, 1);
        m_epochProgressBar->setValue(0);
        m_epochProgressBar->setToolTip(tr("Batches done in the current epoch"));
        m_progressBar = new QProgressBar(this);
        m_progressBar->setObjectName(QStringLiteral("runProgressBar"));
        m_progressBar->setRange(0, 1);
        m_progressBar->setValue(0);
        m_progressBar->setToolTip(tr("Batches done in the whole run"));
        bars->addRow(tr("Epoch:"), m_epochProgressBar);
        bars->addRow(tr("Run:"), m_progressBar);
        left->addLayout(bars);

        m_progressLabel = new QLabel(this);
        m_progressLabel->setObjectName(QStringLiteral("progressLabel"));
        m_progressLabel->setWordWrap(true);
        left->addWidget(m_progressLabel);

        m_epochLabel = new QLabel(this);
        m_epochLabel->setObjectName(QStringLiteral("epochLabel"));
        m_epochLabel->setWordWrap(true);
        left->addWidget(m_epochLabel);

        m_statusLabel = textLabel(QStringLiteral("trainingStatusLabel"), this);
        left->addWidget(m_statusLabel);
        left->addStretch(1);
    }

    void TrainingPanel::buildChart()
    {
        m_chart = new QCustomPlot(this);
        m_chart->setObjectName(QStringLiteral("lossChart"));
        m_chart->setMinimumSize(360, 240);
        m_chart->setNoAntialiasingOnDrag(true);

        auto addGraph = [this](QCPAxis* valueAxis, const QString& name, const QColor& color, qreal width) {
            QCPGraph* graph = m_chart->addGraph(m_chart->xAxis, valueAxis);
            graph->setName(name);
            graph->setPen(QPen(color, width));
            graph->setAdaptiveSampling(true);
            return graph;
        };
        m_lossGraph = addGraph(m_chart->yAxis, tr("loss"), QColor(0x22, 0x22, 0x22), 2.0);
        m_segGraph = addGraph(m_chart->yAxis, tr("loss_seg"), QColor(0x1f, 0x77, 0xb4), 1.2);
        m_contextGraph = addGraph(m_chart->yAxis, tr("loss_context"), QColor(0xff, 0x7f, 0x0e), 1.2);
        m_tasksimGraph = addGraph(m_chart->yAxis, tr("loss_tasksim"), QColor(0x2c, 0xa0, 0x2c), 1.2);
        m_miouGraph
            = addGraph(m_chart->yAxis2, tr("validation mIoU (training size)"), QColor(0xd6, 0x27, 0x28), 2.0);
        m_miouGraph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 7));

        m_chart->xAxis->setLabel(tr("Epoch"));
        m_chart->yAxis->setLabel(tr("Loss"));
        // Validation runs on images resized to the training size, evaluate and robustness at the
        // original size (slightly different figures): the mIoU curve's legend entry says which.
        m_chart->yAxis2->setLabel(tr("Validation mIoU"));
        m_chart->yAxis2->setVisible(true);
        m_chart->yAxis2->setRange(0, 1);
        m_chart->xAxis->setRange(0, 1);
        m_chart->yAxis->setRange(0, 1);
        m_chart->legend->setFont(font());

        // Smoothed copies of the four loss terms (exponential moving average); the raw series stay
        // visible, faint, and out of the legend.
        for (QCPGraph* raw : { m_lossGraph, m_segGraph, m_contextGraph, m_tasksimGraph }) {
            QCPGraph* smooth = addGraph(m_chart->yAxis, raw->name(), raw->pen().color(), raw->pen().widthF());
            QColor faint = raw->pen().color();
            faint.setAlpha(60);
            raw->setPen(QPen(faint, 1.0));
            raw->removeFromLegend();
            m_smoothGraphs << smooth;
        }
        // Below the plot, never on the curves; hidden while the chart is empty.
        placeLegendBelowPlot(m_chart, 5);
        m_chart->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
        m_chart->setToolTip(tr("Loss per batch: smoothed (bold) over the raw values (faint). Wheel zooms, "
                               "drag pans, double click resets."));
        connect(m_chart, &QCustomPlot::mouseDoubleClick, this, [this] {
            m_chartDirty = true;
            onReplotTimer();
        });

        m_charts = new TrainingCharts(this);
        m_charts->setObjectName(QStringLiteral("trainingCharts"));
        connect(m_charts, &TrainingCharts::confusionCellClicked, this, &TrainingPanel::showErrorAnalysis);
        auto* splitter = new QSplitter(Qt::Vertical, this);
        splitter->addWidget(m_chart);
        splitter->addWidget(m_charts);
        splitter->setStretchFactor(0, 1);
        splitter->setStretchFactor(1, 1);
        qobject_cast<QHBoxLayout*>(layout())->addWidget(splitter, 1);
    }

    void TrainingPanel::setDataset(const QString& root, const QString& name, int samples)
    {
        m_datasetRoot = root;
        m_datasetName = name;
        m_datasetSamples = samples;
        if (m_outDirAuto)
            m_outDirField->lineEdit()->setPlaceholderText(root.isEmpty() ? QString() : defaultOutputDir());
        setState(m_state);
    }

    QString TrainingPanel::defaultOutputDir() const
    {
        const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        const QString name = m_datasetName.isEmpty() ? QStringLiteral("run") : m_datasetName;
        return QDir(base).filePath(QStringLiteral("runs/") + name + QLatin1Char('-')
            + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss")));
    }

    QString TrainingPanel::outputDir() const
    {
        const QString text = m_outDirField->lineEdit()->text().trimmed();
        return text.isEmpty() ? defaultOutputDir() : QDir::cleanPath(text);
    }

    void TrainingPanel::setCudaDevices(const std::vector<msup::engine::CudaDevice>& devices)
    {
        const QString current = m_deviceCombo->currentData().toString();
        const QSignalBlocker blocker(m_deviceCombo);
        while (m_deviceCombo->count() > 2) // Automatic, CPU stay
            m_deviceCombo->removeItem(m_deviceCombo->count() - 1);
        if (devices.empty()) {
            m_deviceCombo->addItem(tr("CUDA GPU"), QStringLiteral("cuda"));
            if (!msup::TrainingSession::cudaAvailable()) {
                if (auto* model = qobject_cast<QStandardItemModel*>(m_deviceCombo->model())) {
                    if (QStandardItem* item = model->item(2)) {
                        item->setEnabled(false);
                        item->setToolTip(tr("No CUDA device is available to this build"));
                    }
                }
            }
        } else {
            for (const msup::engine::CudaDevice& d : devices) {
                m_deviceCombo->addItem(tr("GPU %1: %2 · %3 GiB")
                                           .arg(d.index)
                                           .arg(QString::fromStdString(d.name))
                                           .arg(formatNumber(double(d.totalBytes) / double(1ll << 30), 0)),
                    QStringLiteral("cuda:%1").arg(d.index));
                m_deviceCombo->setItemData(m_deviceCombo->count() - 1,
                    tr("cuda:%1 · compute capability %2.%3").arg(d.index).arg(d.major).arg(d.minor),
                    Qt::ToolTipRole);
            }
        }
        // The setting asked for (a project's cuda:1) when it is listed now, else what was chosen.
        selectDevice(m_deviceCombo, current);
        if (!m_requestedDevice.isEmpty() && m_deviceCombo->findData(m_requestedDevice) >= 0)
            selectDevice(m_deviceCombo, m_requestedDevice);
        if (m_deviceCombo->currentData().toString() != current)
            Q_EMIT configEdited();
    }

    void TrainingPanel::setCorrections(const QString& dir, int editedCount)
    {
        m_correctionsDir = dir;
        const bool available = !dir.isEmpty() && editedCount > 0;
        m_correctionsCheck->setText(available
                ? tr("Use corrected masks (%n edited image(s))", "", editedCount)
                : tr("Use corrected masks (none yet)"));
        if (!available)
            m_correctionsCheck->setChecked(false);
        m_correctionsCheck->setEnabled(available);
    }

    bool TrainingPanel::usesCorrections() const
    {
        return m_correctionsCheck->isChecked();
    }

    void TrainingPanel::setUseCorrections(bool use)
    {
        m_correctionsCheck->setChecked(use && m_correctionsCheck->isEnabled());
    }

    bool TrainingPanel::startTraining()
    {
        if (m_state != State::Idle || isProbingFit())
            return false;
        if (m_datasetRoot.isEmpty()) {
            showWarning(tr("No dataset is open."),
                tr("Open a dataset folder (File ▸ Open dataset…) before starting a run."));
            return false;
        }
        if (m_outDirAuto)
            m_outDirField->lineEdit()->clear(); // a fresh dated folder for every run
        msup::TrainConfig cfg = config();
        try {
            cfg.validate();
            msup::HoleRatioRange::parse(cfg.holeRatio.toStdString());
        } catch (const std::exception& e) {
            showWarning(tr("The run settings are not valid."),
                QString::fromLocal8Bit(e.what()) + QStringLiteral("\n\n")
                    + tr("Correct the setting and press Start again."));
            return false;
        }
        const QDir outDir(cfg.outDir);
        if (!m_outDirAuto && outDir.exists()
            && !outDir.entryList(QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty()) {
            const auto answer = QMessageBox::question(this, tr("Run folder not empty"),
                tr("The run folder “%1” already contains files. Its metrics and checkpoints will be "
                   "replaced. Continue?")
                    .arg(QDir::toNativeSeparators(cfg.outDir)));
            if (answer != QMessageBox::Yes)
                return false;
        }
        if (!m_outDirAuto)
            m_outDirField->lineEdit()->setText(QDir::toNativeSeparators(cfg.outDir));
        else
            m_outDirField->lineEdit()->setPlaceholderText(cfg.outDir);
        return probeFitThenBegin(cfg);
    }

    bool TrainingPanel::resumeTraining(const QString& runDir, int totalEpochs)
    {
        if (m_state != State::Idle)
            return false;
        msup::TrainConfig cfg;
        QString checkpoint;
        try {
            cfg = msup::TrainingSession::configForResume(runDir);
            checkpoint = msup::TrainingSession::lastCheckpointOf(runDir);
            if (totalEpochs > 0)
                cfg.epochs = totalEpochs;
            cfg.validate();
        } catch (const std::exception& e) {
            showWarning(tr("This run cannot be resumed."),
                QString::fromLocal8Bit(e.what()) + QStringLiteral("\n\n")
                    + tr(
                        "Choose a run folder that holds checkpoints/last.pt (a run started by MaskSup Studio "
                        "or masksup train)."));
            return false;
        }
        if (!QFileInfo::exists(cfg.datasetPath)) {
            showWarning(tr("The run's dataset is missing."),
                tr("The run trained on %1, which no longer exists. Move the dataset back, then resume.")
                    .arg(QDir::toNativeSeparators(cfg.datasetPath)));
            return false;
        }
        if (!beginRun(cfg, checkpoint))
            return false;
        // The epochs the checkpoint completed, from the run's metrics, off the GUI thread (later
        // lines, if any, are recomputed by the resumed run).
        m_historyRunner->start<QVector<msup::EpochMetrics>>(
            [runDir, checkpoint](msup::Progress&) { return readRunHistory(runDir, checkpoint); },
            [this](QVector<msup::EpochMetrics> epochs) { showHistory(epochs); });
        m_statusLabel->setText(tr("Resuming %1…").arg(QDir::toNativeSeparators(runDir)));
        return true;
    }

    bool TrainingPanel::beginRun(const msup::TrainConfig& cfg, const QString& resumeCheckpoint)
    {
        m_historyRunner->cancel(); // an earlier resume's history is not this run's
        clearChart();
        m_epochs = cfg.epochs;
        m_imageSize = cfg.imageSize;
        m_failed = false;
        m_bestMiou = -1;
        m_bestEpoch = 0;
        m_lastResult = msup::TrainResult();
        const bool withContext = cfg.mode != QLatin1String("baseline");
        const bool withTasksim = cfg.mode == QLatin1String("masksup");
        // The raw series stay out of the legend; the smoothed ones (indices 2, 3) are listed when shown.
        m_contextGraph->setVisible(withContext);
        m_tasksimGraph->setVisible(withTasksim);
        m_smoothGraphs[2]->setVisible(withContext);
        m_smoothGraphs[3]->setVisible(withTasksim);
        for (QCPGraph* graph : { m_smoothGraphs[2], m_smoothGraphs[3] }) {
            if (graph->visible())
                graph->addToLegend();
            else
                graph->removeFromLegend();
        }
        m_chart->xAxis->setRange(0, cfg.epochs);
        m_chartDirty = true;

        if (!m_controller->start(cfg, resumeCheckpoint)) {
            showWarning(tr("A run is already in progress."),
                tr("Stop it, or wait for it to finish, before starting another one."));
            return false;
        }
        m_statusLabel->setText(tr("Starting…"));
        m_progressLabel->setText(tr("Preparing the run in %1").arg(QDir::toNativeSeparators(cfg.outDir)));
        m_epochLabel->clear();
        m_hasProgress = false;
        m_paused = false;
        m_liveEpochs = 0;
        m_progressBar->setRange(0, 0); // busy until the first batch tells the total
        m_epochProgressBar->setRange(0, 0);
        setState(State::Starting);
        m_replotTimer->start();
        return true;
    }

    void TrainingPanel::stopTraining()
    {
        if (m_state != State::Starting && m_state != State::Running)
            return;
        m_controller->stop();
        m_statusLabel->setText(tr("Stopping after the current batch…"));
        setState(State::Stopping);
    }

    void TrainingPanel::setState(State state)
    {
        const bool changed = state != m_state;
        m_state = state;
        const bool idle = state == State::Idle;
        m_startButton->setEnabled(idle && !m_datasetRoot.isEmpty() && !isProbingFit());
        m_startButton->setToolTip(
            m_datasetRoot.isEmpty() ? tr("Open a dataset first") : tr("Train on %1").arg(m_datasetName));
        m_stopButton->setEnabled(state == State::Starting || state == State::Running);
        m_pauseButton->setEnabled(state == State::Running);
        m_pauseAction->setEnabled(state == State::Running);
        if (state != State::Running && m_pauseAction->isChecked())
            m_pauseAction->setChecked(false); // a stopped or finished run is not paused
        if (state == State::Idle)
            m_paused = false;
        // LeViT-UNet has fixed widths.
        m_widthSpin->setEnabled(
            idle && !m_modelCombo->currentData().toString().startsWith(QLatin1String("levit")));
        for (const msup::TrainSetting& setting : msup::trainSettings())
            if (QWidget* w = m_settings->editor(setting.key);
                w && w != m_widthSpin && w != m_correctionsCheck)
                w->setEnabled(idle);
        for (QWidget* w : std::initializer_list<QWidget*> {
                 m_outDirField->browseButton(), m_presetCombo, m_advancedBox, m_loadConfigButton })
            w->setEnabled(idle);
        if (changed)
            Q_EMIT stateChanged(state);
    }

    void TrainingPanel::setPauseRequested(bool paused)
    {
        m_pauseButton->setChecked(paused);
        m_pauseButton->setText(paused ? tr("Resume") : tr("Pause"));
        const QIcon icon = style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause);
        m_pauseButton->setIcon(icon);
        m_pauseAction->setText(paused ? tr("&Resume") : tr("&Pause"));
        m_pauseAction->setIcon(icon);
        if (paused)
            m_controller->pause();
        else
            m_controller->resume();
    }

    void TrainingPanel::onPausedChanged(bool paused)
    {
        if (m_state == State::Idle || paused == m_paused)
            return;
        m_paused = paused;
        if (paused) {
            m_statusLabel->setText(tr("Paused. Resume continues exactly where the run stopped."));
        } else if (!m_lastResult.runDir.isEmpty()) {
            m_statusLabel->setText(tr("Run folder: %1").arg(QDir::toNativeSeparators(m_lastResult.runDir)));
        }
        // No speed or ETA while held: they would be stale.
        if (m_hasProgress)
            m_progressLabel->setText(paused
                    ? progressText(m_lastProgress, false) + QStringLiteral(" · ") + tr("paused")
                    : progressText(m_lastProgress, true));
        Q_EMIT pausedChanged(paused);
    }

    QString TrainingPanel::progressText(const msup::BatchProgress& p, bool withSpeed) const
    {
        const QString base = tr("Epoch %1/%2 · batch %3/%4 · loss %5")
                                 .arg(p.epoch)
                                 .arg(p.epochs)
                                 .arg(p.batch)
                                 .arg(std::max(1, p.batchesPerEpoch))
                                 .arg(formatNumber(p.loss, 4));
        if (!withSpeed)
            return base;
        return base + QStringLiteral(" · ")
            + tr("%1 images/s · ETA %2")
                  .arg(formatNumber(p.imagesPerSecond, 1))
                  .arg(formatDuration(p.etaSeconds));
    }

    void TrainingPanel::showHistory(const QVector<msup::EpochMetrics>& epochs)
    {
        for (msup::EpochMetrics m : epochs) {
            // Each epoch's mean losses at its end (per-batch values are not kept in the run folder).
            const double values[4] = { m.loss, m.lossSeg, m.lossContext, m.lossTasksim };
            QCPGraph* raw[4] = { m_lossGraph, m_segGraph, m_contextGraph, m_tasksimGraph };
            for (int i = 0; i < 4; ++i) {
                raw[i]->addData(m.epoch, values[i]);
                m_smoothGraphs[i]->addData(m.epoch, values[i]);
            }
            m_miouGraph->addData(m.epoch, m.valMiou);
            if (m_liveEpochs > 0)
                m.confusion.clear(); // the run's own newer epoch keeps the matrix
            m_charts->addEpoch(m);
            if (m.valMiou > m_bestMiou) {
                m_bestMiou = m.valMiou;
                m_bestEpoch = m.epoch;
            }
        }
        m_chartDirty = true;
        onReplotTimer();
        Q_EMIT historyLoaded(int(epochs.size()));
    }

    void TrainingPanel::clearChart()
    {
        for (QCPGraph* graph : { m_lossGraph, m_segGraph, m_contextGraph, m_tasksimGraph, m_miouGraph })
            graph->data()->clear();
        for (QCPGraph* graph : m_smoothGraphs)
            graph->data()->clear();
        m_charts->clear();
        m_chartDirty = true;
        onReplotTimer();
    }

    int TrainingPanel::lossPointCount() const
    {
        return m_lossGraph->dataCount();
    }

    int TrainingPanel::miouPointCount() const
    {
        return m_miouGraph->dataCount();
    }

    void TrainingPanel::onStarted(const QString& runDir)
    {
        if (m_state == State::Starting)
            setState(State::Running);
        m_lastResult.runDir = runDir;
        m_statusLabel->setText(tr("Run folder: %1").arg(QDir::toNativeSeparators(runDir)));
        Q_EMIT trainingStarted(runDir);
    }

    void TrainingPanel::onStatus(const QString& message)
    {
        m_statusLabel->setText(message);
    }

    void TrainingPanel::onProgress(const msup::BatchProgress& p)
    {
        if (m_state == State::Starting)
            setState(State::Running);
        const int perEpoch = std::max(1, p.batchesPerEpoch);
        const double x = (p.epoch - 1) + double(p.batch) / perEpoch;
        m_lossGraph->addData(x, p.loss);
        m_segGraph->addData(x, p.lossSeg);
        m_contextGraph->addData(x, p.lossContext);
        m_tasksimGraph->addData(x, p.lossTasksim);
        const double values[4] = { p.loss, p.lossSeg, p.lossContext, p.lossTasksim };
        for (int i = 0; i < 4; ++i) {
            QCPGraph* g = m_smoothGraphs[i];
            // EMA with a window of about 20 batches, started at the first value.
            const double previous = g->data()->isEmpty() ? values[i] : (g->data()->constEnd() - 1)->value;
            g->addData(x, previous + 0.1 * (values[i] - previous));
        }
        m_chartDirty = true;

        if (m_epochProgressBar->maximum() != perEpoch)
            m_epochProgressBar->setRange(0, perEpoch);
        m_epochProgressBar->setValue(std::min(perEpoch, p.batch));
        const int total = std::max(1, p.epochs * perEpoch);
        if (m_progressBar->maximum() != total)
            m_progressBar->setRange(0, total);
        m_progressBar->setValue(std::min(total, (p.epoch - 1) * perEpoch + p.batch));
        m_lastProgress = p;
        m_hasProgress = true;
        m_progressLabel->setText(progressText(p, !m_paused));
        Q_EMIT batchProgress(p);
    }

    void TrainingPanel::onEpochFinished(const msup::EpochMetrics& m)
    {
        ++m_liveEpochs;
        m_miouGraph->addData(m.epoch, m.valMiou);
        m_charts->addEpoch(m);
        m_chartDirty = true;
        if (m.valMiou > m_bestMiou) {
            m_bestMiou = m.valMiou;
            m_bestEpoch = m.epoch;
        }
        m_epochLabel->setText(
            tr("Epoch %1: mean loss %2 · validation mIoU %3 · Dice %4 · pixel accuracy %5 · "
               "%6 — best mIoU %7 (epoch %8); validation at the training size, %9 px (evaluate and "
               "robustness score at the original size)")
                .arg(m.epoch)
                .arg(formatNumber(m.loss, 4))
                .arg(formatNumber(m.valMiou, 4))
                .arg(formatNumber(m.valDice, 4))
                .arg(formatNumber(m.valPixelAccuracy, 4))
                .arg(formatDuration(m.seconds))
                .arg(formatNumber(m_bestMiou, 4))
                .arg(m_bestEpoch)
                .arg(m_imageSize));
    }

    void TrainingPanel::onFailed(const QString& message)
    {
        m_failed = true;
        m_replotTimer->stop();
        m_chartDirty = true;
        onReplotTimer();
        m_progressBar->setRange(0, 1);
        m_progressBar->setValue(0);
        m_epochProgressBar->setRange(0, 1);
        m_epochProgressBar->setValue(0);
        m_statusLabel->setText(tr("Training failed: %1").arg(message));
        if (m_hasProgress)
            m_progressLabel->setText(progressText(m_lastProgress, false));
        setState(State::Idle);
        closableMessage(this, QMessageBox::Critical, tr("Training failed"),
            tr("The training run stopped with an error."), message)
            ->open();
        Q_EMIT trainingFailed(message);
    }

    void TrainingPanel::onFinished(const msup::TrainResult& result)
    {
        m_replotTimer->stop();
        m_chartDirty = true;
        onReplotTimer();
        if (m_failed) {
            // failed() already reported this run and reset the panel.
            setState(State::Idle);
            return;
        }
        m_lastResult = result;
        // The last batch without its speed and ETA (stale once the run ended); a stopped run's
        // unfinished epoch is not kept, so its batch is not shown beside "Stopped after N epochs".
        if (result.stopped || !m_hasProgress)
            m_progressLabel->clear();
        else
            m_progressLabel->setText(progressText(m_lastProgress, false));
        if (m_progressBar->maximum() == 0)
            m_progressBar->setRange(0, 1);
        if (m_epochProgressBar->maximum() == 0)
            m_epochProgressBar->setRange(0, 1);
        if (!result.stopped) {
            m_progressBar->setValue(m_progressBar->maximum());
            m_epochProgressBar->setValue(m_epochProgressBar->maximum());
        }
        const QString best = result.bestCheckpoint.isEmpty()
            ? tr("no checkpoint")
            : tr("best mIoU %1 at epoch %2").arg(formatNumber(result.bestMiou, 4)).arg(result.bestEpoch);
        m_statusLabel->setText(
            (result.stopped ? tr("Stopped after %n epoch(s); %1.", nullptr, result.epochsCompleted)
                            : tr("Finished %n epoch(s); %1.", nullptr, result.epochsCompleted))
                .arg(best)
            + QLatin1Char(' ') + tr("Run folder: %1").arg(QDir::toNativeSeparators(result.runDir)));
        setState(State::Idle);
        Q_EMIT trainingFinished(result);
    }

    void TrainingPanel::onReplotTimer()
    {
        if (!m_chartDirty)
            return;
        m_chartDirty = false;
        double xMax = std::max(1, m_epochs);
        bool found = false;
        QCPRange valueRange;
        for (QCPGraph* graph : { m_lossGraph, m_segGraph, m_contextGraph, m_tasksimGraph }) {
            if (!graph->visible() || graph->dataCount() == 0)
                continue;
            bool ok = false;
            const QCPRange r = graph->getValueRange(ok);
            if (!ok)
                continue;
            valueRange = found
                ? QCPRange(std::min(valueRange.lower, r.lower), std::max(valueRange.upper, r.upper))
                : r;
            found = true;
            bool keyOk = false;
            const QCPRange keys = graph->getKeyRange(keyOk);
            if (keyOk)
                xMax = std::max(xMax, keys.upper);
        }
        m_chart->xAxis->setRange(0, xMax);
        if (found)
            m_chart->yAxis->setRange(
                std::min(0.0, valueRange.lower), std::max(valueRange.upper * 1.05, 1e-3));
        m_chart->yAxis2->setRange(0, 1);
        m_chart->replot(QCustomPlot::rpQueuedReplot);
        ++m_replotCount;
    }

    void TrainingPanel::showErrorAnalysis(int truth, int prediction)
    {
        // The run being trained, or the last one (its checkpoints and validation errors).
        if (m_lastResult.runDir.isEmpty())
            return;
        if (!m_errorAnalysis)
            m_errorAnalysis = new ErrorAnalysisView(this);
        m_errorAnalysis->analyse(m_lastResult.runDir, truth, prediction);
        m_errorAnalysis->show();
        m_errorAnalysis->raise();
        m_errorAnalysis->activateWindow();
    }

    void TrainingPanel::showWarning(const QString& text, const QString& details)
    {
        closableMessage(this, QMessageBox::Warning, tr("Training"), text, details)->open();
    }

} // namespace ui
} // namespace msup
