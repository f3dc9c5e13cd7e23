#include "ui/robustness_panel.h"

#include "core/io/csv.h"

#include "core/base/rng.h"
#include "core/data/image_io.h"
#include "core/data/validation.h"
#include "core/io/atomic_file.h"
#include "core/io/overlay.h"
#include "core/masks/hole_generator.h"
#include "core/masks/mask_set.h"
#include "core/train/evaluator.h"
#include "core/train/output_guard.h"
#include "core/train/predictor.h"
#include "core/train/run_folder.h"
#include "core/train/train_config.h"
#include "core/train/training_session.h"
#include "ui/chart_legend.h"
#include "ui/format.h"
#include "ui/job_runner.h"
#include "ui/label_image.h"
#include "ui/path_field.h"
#include "ui/widgets.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include "ui/qcustomplot_include.h"

namespace msup {
namespace ui {

    // What one evaluation runs on (copied once, shared by its checkpoint jobs).
    struct RobustnessRequest {
        QStringList checkpoints;
        QStringList labels;
        QString dataset;
        QString split;
        QString device;
        QString maskFolder;
        QVector<std::pair<double, double>> levels;
        std::uint64_t seed = 0;
        bool examples = true;
    };

    namespace {

        const char* const kDefaultRatios = "0,0.1,0.2,0.3,0.4,0.5,0.6";
        constexpr int kExampleSize = 128;

        // "run_20240101" for RUN/checkpoints/best.pt, "run_20240101 (last.pt)" for another file
        // of the run, "folder/model.pt" for a checkpoint outside a run folder.
        QString checkpointLabel(const QString& path)
        {
            const QFileInfo info(path);
            const QDir dir = info.absoluteDir();
            if (dir.dirName() == QLatin1String("checkpoints")) {
                const QString run = QFileInfo(QFileInfo(dir.absolutePath()).absolutePath()).fileName();
                if (info.fileName() == QLatin1String("best.pt"))
                    return run;
                return QStringLiteral("%1 (%2)").arg(run, info.fileName());
            }
            return dir.dirName() + QLatin1Char('/') + info.fileName();
        }

        QString intervalText(double lo, double hi)
        {
            if (hi <= 0)
                return QCoreApplication::translate("msup::ui::RobustnessPanel", "none (clean)");
            return QStringLiteral("(%1, %2]").arg(QLocale().toString(lo), QLocale().toString(hi));
        }

        // The message of an error while evaluating `checkpoint`, naming the file when the
        // engine's message does not already name it (e.g. a dataset that does not match).
        QString errorFor(const QString& checkpoint, const QString& what)
        {
            if (what.contains(checkpoint))
                return what;
            return QDir::toNativeSeparators(checkpoint) + QStringLiteral(": ") + what;
        }

        QImage thumbnail(const QImage& image)
        {
            if (image.isNull())
                return {};
            return image.scaled(kExampleSize, kExampleSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        }

        // Example predictions of one checkpoint for the first usable image of the split, one per
        // level. The masks are those robustnessCurve draws for that image (position n in the split:
        // seed derived from (seed, 0x70b, level, n)), so the examples show masks that were evaluated.
        void computeExamples(
            RobustnessRun& run, const RobustnessRequest& request, const msup::Progress& progress)
        {
            msup::Predictor predictor(run.checkpoint, request.device);
            const msup::CheckpointInfo& info = predictor.info();
            const msup::Dataset ds = msup::openDatasetForCheckpoint(request.dataset, info);
            const QVector<int> samples = msup::evaluationSamples(ds, run.checkpoint, info, request.split);
            if (samples.isEmpty())
                return;
            // The first image of the split that can be decoded (robustnessCurve skips the others).
            cv::Mat rgb;
            int position = 0;
            for (; position < samples.size() && rgb.empty(); ++position) {
                try {
                    rgb = msup::loadSampleImage(ds, ds.samples[samples[position]]);
                } catch (const std::exception&) {
                    rgb = cv::Mat();
                }
            }
            if (rgb.empty())
                return;
            --position;
            run.exampleImage = ds.samples[samples[position]].id;
            const int size = info.config.imageSize;
            cv::Mat small;
            cv::resize(rgb, small, cv::Size(size, size), 0, 0, cv::INTER_AREA);
            const QImage smallImage = msup::rgbToQImage(small);
            const msup::OverlayOptions options
                = msup::overlayOptionsFor(int(info.classNames.size()), info.ignoreIndex, 0.5);
            for (int k = 0; k < request.levels.size(); ++k) {
                if (progress.isCancelled())
                    return;
                const auto [lo, hi] = request.levels[k];
                RobustnessExample example;
                example.lo = lo;
                example.hi = hi;
                cv::Mat holes;
                if (hi > 0) {
                    std::unique_ptr<msup::MaskSource> source;
                    if (request.maskFolder.isEmpty())
                        source = std::make_unique<msup::HoleGenerator>(msup::HoleRatioRange { lo, hi });
                    else
                        source = std::make_unique<msup::MaskSet>(
                            msup::MaskSet::load(request.maskFolder, msup::HoleRatioRange { lo, hi }));
                    holes = source->generate(size, size,
                        msup::Rng::derive(request.seed, 0x70b, std::uint64_t(k), std::uint64_t(position)));
                    example.holeRatio = msup::holeRatio(holes);
                }
                const cv::Mat labels = predictor.predict(rgb, holes);
                example.masked = thumbnail(holes.empty() ? smallImage : applyHoles(smallImage, holes));
                example.prediction = thumbnail(msup::colorOverlay(rgb, labels, info.classColors, options));
                run.examples << example;
            }
        }

        const QColor kRunColors[] = { QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28),
            QColor(0x2c, 0xa0, 0x2c), QColor(0xff, 0x7f, 0x0e), QColor(0x94, 0x67, 0xbd),
            QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2), QColor(0x17, 0xbe, 0xcf) };

    } // namespace

    RobustnessPanel::RobustnessPanel(QWidget* parent)
        : QWidget(parent)
        , m_runner(new JobRunner(this))
    {
        connect(
            m_runner, &JobRunner::progress, this, [this](int done, int total) { showProgress(done, total); });
        connect(m_runner, &JobRunner::failed, this, [this](const QString& message) {
            onRunDone({}, errorFor(m_request->checkpoints[m_jobIndex], message));
            evaluateCheckpoint(m_jobIndex + 1);
        });
        connect(m_runner, &JobRunner::cancelled, this, [this] { onAllDone(true); });

        auto* layout = new QHBoxLayout(this);
        auto* splitter = new QSplitter(Qt::Horizontal, this);
        layout->addWidget(splitter);

        auto* left = new QWidget(splitter);
        auto* leftLayout = new QVBoxLayout(left);
        leftLayout->setContentsMargins(0, 0, 0, 0);
        buildInputs(leftLayout);
        splitter->addWidget(left);

        auto* right = new QWidget(splitter);
        auto* rightLayout = new QVBoxLayout(right);
        rightLayout->setContentsMargins(0, 0, 0, 0);
        buildResults(rightLayout);
        splitter->addWidget(right);
        splitter->setStretchFactor(0, 0);
        splitter->setStretchFactor(1, 1);

        onRatiosChanged();
        updateButtons();
    }

    // The evaluation stops after the current image: the runner cancels and waits for it.
    RobustnessPanel::~RobustnessPanel() = default;

    void RobustnessPanel::buildInputs(QVBoxLayout* layout)
    {
        auto* box = new QGroupBox(tr("Robustness under masking"), this);
        auto* boxLayout = new QVBoxLayout(box);

        auto* intro = new QLabel(tr("Evaluates checkpoints on images whose pixels are hidden by masks "
                                    "of increasing hole ratio. The masks depend only on the seed, so "
                                    "every checkpoint (e.g. a baseline and a MaskSup run) sees the "
                                    "same masks."),
            box);
        intro->setWordWrap(true);
        boxLayout->addWidget(intro);
        buildCheckpointList(box, boxLayout);
        boxLayout->addLayout(buildSettingsForm(box));
        buildRunControls(box, boxLayout);
        layout->addWidget(box, 1);
    }

    void RobustnessPanel::buildCheckpointList(QWidget* box, QVBoxLayout* boxLayout)
    {
        auto* checkpointsCaption = new QLabel(tr("&Checkpoints:"), box);
        boxLayout->addWidget(checkpointsCaption);
        m_checkpointList = new QListWidget(box);
        m_checkpointList->setObjectName(QStringLiteral("checkpointList"));
        m_checkpointList->setSelectionMode(QAbstractItemView::ExtendedSelection);
        m_checkpointList->setToolTip(tr("The checkpoints to compare, each named after its run folder; "
                                        "hover an entry for its path"));
        m_checkpointList->setMinimumHeight(80);
        checkpointsCaption->setBuddy(m_checkpointList);
        connect(m_checkpointList, &QListWidget::itemSelectionChanged, this, &RobustnessPanel::updateButtons);
        boxLayout->addWidget(m_checkpointList, 1);

        auto* listButtons = new QHBoxLayout;
        m_addButton = pushButton(tr("&Add…"), QStringLiteral("addCheckpointButton"),
            tr("Add checkpoints (.pt files, e.g. RUN/checkpoints/best.pt)"), box, this,
            &RobustnessPanel::addCheckpoints);
        m_removeButton = pushButton(tr("Re&move"), QStringLiteral("removeCheckpointButton"),
            tr("Remove the selected checkpoints from the list"), box, this,
            &RobustnessPanel::removeCheckpoints);
        listButtons->addWidget(m_addButton);
        listButtons->addWidget(m_removeButton);
        listButtons->addStretch(1);
        boxLayout->addLayout(listButtons);
    }

    QFormLayout* RobustnessPanel::buildSettingsForm(QWidget* box)
    {
        auto* form = new QFormLayout;
        form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

        m_datasetField = new PathField(PathField::Kind::Folder, tr("Dataset folder"),
            QStringLiteral("robustnessDatasetEdit"), QStringLiteral("browseDatasetButton"), box);
        m_datasetField->lineEdit()->setPlaceholderText(tr("dataset folder"));
        m_datasetField->lineEdit()->setToolTip(tr("The dataset to evaluate on; its classes must match the "
                                                  "checkpoints'"));
        m_datasetField->browseButton()->setToolTip(tr("Choose the dataset folder"));
        form->addRow(tr("&Dataset:"), m_datasetField);
        qobject_cast<QLabel*>(form->labelForField(m_datasetField))->setBuddy(m_datasetField->lineEdit());

        m_splitCombo = new QComboBox(box);
        m_splitCombo->setObjectName(QStringLiteral("robustnessSplitCombo"));
        m_splitCombo->setEditable(true);
        m_splitCombo->addItems({ QStringLiteral("val"), QStringLiteral("train"), QStringLiteral("all") });
        m_splitCombo->setToolTip(tr("“val”: each run's saved validation split, “train”, “all”, or an "
                                    "official split of the format (e.g. GLaS “testA”)"));
        form->addRow(tr("S&plit:"), m_splitCombo);

        m_ratiosEdit = new QLineEdit(QString::fromLatin1(kDefaultRatios), box);
        m_ratiosEdit->setObjectName(QStringLiteral("robustnessRatiosEdit"));
        m_ratiosEdit->setToolTip(tr("Increasing hole ratios from 0 to 1: 0 is the clean level, each "
                                    "later value r closes the interval (previous, r]"));
        connect(m_ratiosEdit, &QLineEdit::textChanged, this, &RobustnessPanel::onRatiosChanged);
        form->addRow(tr("&Hole ratios:"), m_ratiosEdit);
        m_ratiosErrorLabel = errorLabel(QStringLiteral("robustnessRatiosError"), box);
        form->addRow(QString(), m_ratiosErrorLabel);

        m_seedSpin = new QSpinBox(box);
        m_seedSpin->setObjectName(QStringLiteral("robustnessSeedSpin"));
        m_seedSpin->setRange(0, std::numeric_limits<int>::max());
        m_seedSpin->setValue(0);
        m_seedSpin->setToolTip(tr("Mask seed: the same seed gives the same masks for every checkpoint"));
        form->addRow(tr("&Seed:"), m_seedSpin);

        m_maskFolderField = new PathField(PathField::Kind::Folder, tr("Folder of mask images"),
            QStringLiteral("robustnessMaskFolderEdit"), QStringLiteral("browseMaskFolderButton"), box);
        m_maskFolderField->lineEdit()->setPlaceholderText(tr("empty = the generator"));
        m_maskFolderField->lineEdit()->setToolTip(
            tr("Optional: draw each level's masks from this folder of mask "
               "images (white = hole) instead of generating them"));
        m_maskFolderField->browseButton()->setToolTip(tr("Choose a folder of mask images"));
        form->addRow(tr("Mas&k folder:"), m_maskFolderField);
        qobject_cast<QLabel*>(form->labelForField(m_maskFolderField))
            ->setBuddy(m_maskFolderField->lineEdit());

        m_deviceCombo = new QComboBox(box);
        m_deviceCombo->setObjectName(QStringLiteral("robustnessDeviceCombo"));
        m_deviceCombo->addItem(tr("CPU"), QStringLiteral("cpu"));
        if (msup::TrainingSession::cudaAvailable())
            m_deviceCombo->addItem(tr("CUDA GPU"), QStringLiteral("cuda"));
        m_deviceCombo->setToolTip(tr("Where the checkpoints run"));
        form->addRow(tr("D&evice:"), m_deviceCombo);

        m_examplesCheck = new QCheckBox(tr("E&xample predictions"), box);
        m_examplesCheck->setObjectName(QStringLiteral("robustnessExamplesCheck"));
        m_examplesCheck->setChecked(true);
        m_examplesCheck->setToolTip(tr("Also show, for the split's first image, the masked input and "
                                       "the prediction at every level (the masks evaluated for it)"));
        form->addRow(QString(), m_examplesCheck);
        return form;
    }

    void RobustnessPanel::buildRunControls(QWidget* box, QVBoxLayout* boxLayout)
    {
        auto* runRow = new QHBoxLayout;
        m_runButton = pushButton(tr("Run"), QStringLiteral("runRobustnessButton"),
            tr("Evaluate every checkpoint at every hole ratio  [Ctrl+Shift+R]"), box, this,
            &RobustnessPanel::run);
        m_cancelButton = pushButton(tr("Cancel"), QStringLiteral("cancelRobustnessButton"),
            tr("Stop after the current image  [Esc]"), box, this, &RobustnessPanel::cancel);
        runRow->addWidget(m_runButton);
        runRow->addWidget(m_cancelButton);
        runRow->addStretch(1);
        boxLayout->addLayout(runRow);

        m_runAction = new QAction(tr("Run robustness evaluation"), this);
        m_runAction->setObjectName(QStringLiteral("runRobustnessAction"));
        m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
        m_runAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(m_runAction, &QAction::triggered, this, &RobustnessPanel::run);
        addAction(m_runAction);
        m_cancelAction = new QAction(tr("Cancel robustness evaluation"), this);
        m_cancelAction->setObjectName(QStringLiteral("cancelRobustnessAction"));
        m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
        m_cancelAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(m_cancelAction, &QAction::triggered, this, &RobustnessPanel::cancel);
        addAction(m_cancelAction);

        m_progress = new QProgressBar(box);
        m_progress->setObjectName(QStringLiteral("robustnessProgress"));
        m_progress->setRange(0, 1000);
        m_progress->setTextVisible(false);
        m_progress->setToolTip(tr("Progress over all checkpoints"));
        m_progress->hide();
        boxLayout->addWidget(m_progress);

        m_statusLabel = new QLabel(box);
        m_statusLabel->setObjectName(QStringLiteral("robustnessStatusLabel"));
        m_statusLabel->setWordWrap(true);
        m_statusLabel->setToolTip(tr("What the evaluation is doing, or what it did"));
        boxLayout->addWidget(m_statusLabel);

        m_errorLabel = errorLabel(QStringLiteral("robustnessErrorLabel"), box);
        m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_errorLabel->setToolTip(tr("Why the evaluation failed, with the file concerned"));
        boxLayout->addWidget(m_errorLabel);
    }

    void RobustnessPanel::buildResults(QVBoxLayout* layout)
    {
        auto* tabs = new QTabWidget(this);
        tabs->setObjectName(QStringLiteral("robustnessResultTabs"));

        m_plot = new QCustomPlot(tabs);
        m_plot->setObjectName(QStringLiteral("robustnessPlot"));
        m_plot->setToolTip(tr("mIoU against the hole ratio (upper edge of each interval; 0 = clean), "
                              "one curve per checkpoint"));
        m_plot->setMinimumSize(360, 260);
        m_plot->xAxis->setLabel(tr("hole ratio (upper edge of the interval; 0 = clean)"));
        // Scored at the images' original size, like masksup evaluate (training's validation mIoU is
        // computed at the training size, hence slightly different figures).
        m_plot->yAxis->setLabel(tr("mIoU (at the original image size)"));
        m_plot->xAxis->setRange(0, 0.65);
        m_plot->yAxis->setRange(0, 1);
        m_plot->legend->setFont(font());
        placeLegendBelowPlot(m_plot, 3); // below the plot, never on the curves
        tabs->addTab(m_plot, tr("C&hart"));

        m_table = new QTableWidget(0, 6, tabs);
        m_table->setObjectName(QStringLiteral("robustnessTable"));
        m_table->setHorizontalHeaderLabels({ tr("Checkpoint"), tr("Hole ratio"), tr("Mean hole ratio"),
            tr("mIoU"), tr("Dice"), tr("Pixel accuracy") });
        m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        m_table->verticalHeader()->hide();
        m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        m_table->horizontalHeader()->setStretchLastSection(true);
        m_table->setToolTip(tr("The figures of every checkpoint at every hole-ratio interval"));
        tabs->addTab(m_table, tr("&Table"));

        auto* examplesPage = new QWidget(tabs);
        auto* examplesLayout = new QVBoxLayout(examplesPage);
        auto* exampleRow = new QHBoxLayout;
        auto* exampleCaption = new QLabel(tr("Checkpoint:"), examplesPage);
        m_exampleRunCombo = new QComboBox(examplesPage);
        m_exampleRunCombo->setObjectName(QStringLiteral("robustnessExampleRunCombo"));
        m_exampleRunCombo->setToolTip(tr("Whose predictions to show"));
        exampleCaption->setBuddy(m_exampleRunCombo);
        connect(m_exampleRunCombo, &QComboBox::currentIndexChanged, this, &RobustnessPanel::showExamples);
        exampleRow->addWidget(exampleCaption);
        exampleRow->addWidget(m_exampleRunCombo, 1);
        examplesLayout->addLayout(exampleRow);
        m_examplesLabel = new QLabel(examplesPage);
        m_examplesLabel->setObjectName(QStringLiteral("robustnessExamplesLabel"));
        m_examplesLabel->setWordWrap(true);
        examplesLayout->addWidget(m_examplesLabel);
        auto* scroll = new QScrollArea(examplesPage);
        scroll->setWidgetResizable(true);
        m_examplesWidget = new QWidget(scroll);
        m_examplesWidget->setObjectName(QStringLiteral("robustnessExamples"));
        m_examplesWidget->setToolTip(tr("Top: the input as the network sees it (holes mid-grey); bottom: "
                                        "its prediction over the image"));
        m_examplesGrid = new QGridLayout(m_examplesWidget);
        scroll->setWidget(m_examplesWidget);
        examplesLayout->addWidget(scroll, 1);
        tabs->addTab(examplesPage, tr("E&xamples"));
        layout->addWidget(tabs, 1);

        auto* exportRow = new QHBoxLayout;
        exportRow->addStretch(1);
        m_exportPlotButton = pushButton(tr("Export p&lot…"), QStringLiteral("exportPlotButton"),
            tr("Save the chart as a PNG image"), this, this, &RobustnessPanel::choosePlotFile);
        m_exportCsvButton = pushButton(tr("Export &CSV…"), QStringLiteral("exportCsvButton"),
            tr("Save the figures of all checkpoints as one CSV file: one line "
               "per checkpoint and hole-ratio interval, the first column "
               "“checkpoint” giving the checkpoint's path, then ratio_low, "
               "ratio_high, mean_hole_ratio, miou, dice, pixel_accuracy and "
               "iou_<class> as “masksup robustness --csv” writes them"),
            this, this, &RobustnessPanel::chooseCsvFile);
        exportRow->addWidget(m_exportPlotButton);
        exportRow->addWidget(m_exportCsvButton);
        layout->addLayout(exportRow);
    }

    // --- inputs --------------------------------------------------------------------------------

    QStringList RobustnessPanel::checkpoints() const
    {
        QStringList paths;
        for (int i = 0; i < m_checkpointList->count(); ++i)
            paths << m_checkpointList->item(i)->data(Qt::UserRole).toString();
        return paths;
    }

    void RobustnessPanel::setCheckpoints(const QStringList& paths)
    {
        m_checkpointList->clear();
        for (const QString& path : paths)
            addCheckpoint(path);
        updateButtons();
    }

    void RobustnessPanel::addCheckpoint(const QString& path)
    {
        if (path.trimmed().isEmpty())
            return;
        const QString absolute = QFileInfo(path).absoluteFilePath();
        if (checkpoints().contains(absolute))
            return;
        auto* item = new QListWidgetItem(checkpointLabel(absolute), m_checkpointList);
        item->setData(Qt::UserRole, absolute);
        item->setToolTip(QDir::toNativeSeparators(absolute));
        refreshLabels();

        // A run's config names its dataset: a good default when none is set yet.
        if (datasetPath().isEmpty()) {
            const QDir checkpointDir = QFileInfo(absolute).absoluteDir();
            const msup::RunFolder run(QFileInfo(checkpointDir.absolutePath()).absolutePath());
            if (checkpointDir.dirName() == msup::RunFolder::fileName(msup::RunFile::Checkpoints)
                && QFileInfo(run.path(msup::RunFile::Config)).size() < (1 << 20)
                && run.has(msup::RunFile::Config)) {
                try {
                    const QJsonObject json = run.readConfig();
                    const QString dataset = msup::TrainConfig::fromJson(json).datasetPath;
                    if (!dataset.isEmpty() && QFileInfo::exists(dataset))
                        m_datasetField->setPath(dataset);
                } catch (const std::exception&) {
                    // Not a config we can read: leave the field empty.
                }
            }
        }
        updateButtons();
    }

    // Labels that would be the same (two runs of the same name in different folders) get a number.
    void RobustnessPanel::refreshLabels()
    {
        QStringList seen;
        for (int i = 0; i < m_checkpointList->count(); ++i) {
            QListWidgetItem* item = m_checkpointList->item(i);
            const QString base = checkpointLabel(item->data(Qt::UserRole).toString());
            QString label = base;
            for (int n = 2; seen.contains(label); ++n)
                label = QStringLiteral("%1 [%2]").arg(base).arg(n);
            seen << label;
            item->setText(label);
        }
    }

    QString RobustnessPanel::datasetPath() const
    {
        return m_datasetField->path();
    }

    void RobustnessPanel::setDatasetPath(const QString& path)
    {
        m_datasetField->setPath(path);
    }

    QString RobustnessPanel::split() const
    {
        return m_splitCombo->currentText().trimmed();
    }

    void RobustnessPanel::setSplit(const QString& split)
    {
        m_splitCombo->setCurrentText(split);
    }

    QString RobustnessPanel::ratiosText() const
    {
        return m_ratiosEdit->text();
    }

    void RobustnessPanel::setRatiosText(const QString& text)
    {
        m_ratiosEdit->setText(text); // onRatiosChanged validates
    }

    int RobustnessPanel::seed() const
    {
        return m_seedSpin->value();
    }

    void RobustnessPanel::setSeed(int seed)
    {
        m_seedSpin->setValue(seed);
    }

    QString RobustnessPanel::maskFolder() const
    {
        return m_maskFolderField->path();
    }

    void RobustnessPanel::setMaskFolder(const QString& folder)
    {
        m_maskFolderField->setPath(folder);
    }

    bool RobustnessPanel::examplesEnabled() const
    {
        return m_examplesCheck->isChecked();
    }

    void RobustnessPanel::setExamplesEnabled(bool enabled)
    {
        m_examplesCheck->setChecked(enabled);
    }

    void RobustnessPanel::onRatiosChanged()
    {
        try {
            msup::parseRobustnessRatios(m_ratiosEdit->text());
            m_ratiosError.clear();
        } catch (const std::exception& e) {
            m_ratiosError = QString::fromLocal8Bit(e.what());
        }
        m_ratiosErrorLabel->setText(m_ratiosError);
        m_ratiosErrorLabel->setVisible(!m_ratiosError.isEmpty());
        m_ratiosEdit->setStyleSheet(
            m_ratiosError.isEmpty() ? QString() : QStringLiteral("QLineEdit { color: #c0392b; }"));
        updateButtons();
    }

    void RobustnessPanel::addCheckpoints()
    {
        QString start = QDir::homePath();
        const QStringList current = checkpoints();
        if (!current.isEmpty())
            start = QFileInfo(current.last()).absolutePath();
        const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("Add checkpoints"), start, tr("Checkpoints (*.pt);;All files (*)"));
        for (const QString& file : files)
            addCheckpoint(file);
    }

    void RobustnessPanel::removeCheckpoints()
    {
        const QList<QListWidgetItem*> selected = m_checkpointList->selectedItems();
        for (QListWidgetItem* item : selected)
            delete item;
        refreshLabels();
        updateButtons();
    }

    void RobustnessPanel::updateButtons()
    {
        const bool running = isRunning();
        m_runButton->setEnabled(!running);
        m_runAction->setEnabled(!running);
        m_cancelButton->setEnabled(running);
        m_cancelAction->setEnabled(running);
        m_addButton->setEnabled(!running);
        m_removeButton->setEnabled(!running && !m_checkpointList->selectedItems().isEmpty());
        m_exportPlotButton->setEnabled(!running && !m_runs.isEmpty());
        m_exportCsvButton->setEnabled(!running && !m_runs.isEmpty());
    }

    void RobustnessPanel::setError(const QString& message)
    {
        m_lastError = message;
        m_errorLabel->setText(message);
        m_errorLabel->setVisible(!message.isEmpty());
    }

    // --- the evaluation ------------------------------------------------------------------------

    void RobustnessPanel::run()
    {
        if (isRunning())
            return;
        // Checked here, so that nothing starts on inputs that cannot work.
        RobustnessRequest request;
        request.checkpoints = checkpoints();
        if (request.checkpoints.isEmpty()) {
            setError(tr("Add at least one checkpoint (a .pt file of a training run, e.g. "
                        "RUN/checkpoints/best.pt)."));
            return;
        }
        for (const QString& checkpoint : std::as_const(request.checkpoints)) {
            if (!QFileInfo(checkpoint).isFile()) {
                setError(tr("%1: the checkpoint file does not exist. Remove it from the list or train "
                            "the run again.")
                             .arg(QDir::toNativeSeparators(checkpoint)));
                return;
            }
        }
        for (int i = 0; i < m_checkpointList->count(); ++i)
            request.labels << m_checkpointList->item(i)->text();
        request.dataset = datasetPath();
        if (request.dataset.isEmpty()) {
            setError(tr("Choose the dataset to evaluate on (Browse…)."));
            return;
        }
        if (!QFileInfo::exists(request.dataset)) {
            setError(
                tr("%1: the dataset folder does not exist.").arg(QDir::toNativeSeparators(request.dataset)));
            return;
        }
        try {
            request.levels = msup::parseRobustnessRatios(m_ratiosEdit->text());
        } catch (const std::exception& e) {
            setError(tr("Hole ratios: %1").arg(QString::fromLocal8Bit(e.what())));
            return;
        }
        request.maskFolder = maskFolder();
        if (!request.maskFolder.isEmpty() && !QFileInfo(request.maskFolder).isDir()) {
            setError(tr("%1: the mask folder does not exist. Clear the field to use the generator.")
                         .arg(QDir::toNativeSeparators(request.maskFolder)));
            return;
        }
        request.split = split().isEmpty() ? QStringLiteral("val") : split();
        request.device = m_deviceCombo->currentData().toString();
        request.seed = static_cast<std::uint64_t>(m_seedSpin->value());
        request.examples = m_examplesCheck->isChecked();

        clearResults();
        setError({});
        m_errors.clear();
        m_request = std::make_shared<const RobustnessRequest>(request);
        m_running = true;
        m_jobCheckpoints = int(request.checkpoints.size());
        m_progress->setValue(0);
        m_progress->show();
        updateButtons();
        Q_EMIT started();
        evaluateCheckpoint(0);
    }

    // One job per checkpoint, one after the other: each delivers its curve (or its error) before
    // the next starts.
    void RobustnessPanel::evaluateCheckpoint(int index)
    {
        if (index >= m_request->checkpoints.size()) {
            onAllDone(false);
            return;
        }
        m_jobIndex = index;
        showProgress(0, 0);
        const std::shared_ptr<const RobustnessRequest> request = m_request;
        m_runner->start<RobustnessRun>(
            [request, index](msup::Progress& progress) {
                RobustnessRun entry;
                entry.checkpoint = request->checkpoints[index];
                entry.label = request->labels.value(index, checkpointLabel(entry.checkpoint));
                entry.result
                    = msup::robustnessOfCheckpoint(entry.checkpoint, request->dataset, request->split,
                        request->levels, request->seed, request->device, request->maskFolder, progress);
                if (request->examples && !progress.isCancelled()) {
                    // Examples that cannot be drawn are reported beside the curve, which stands.
                    try {
                        computeExamples(entry, *request, progress);
                    } catch (const std::exception& e) {
                        entry.exampleError = QString::fromLocal8Bit(e.what());
                    }
                }
                return entry;
            },
            [this, index](const RobustnessRun& entry) {
                onRunDone(entry, {});
                evaluateCheckpoint(index + 1);
            });
    }

    void RobustnessPanel::cancel()
    {
        if (!m_running)
            return;
        m_runner->cancel();
        m_statusLabel->setText(tr("Cancelling…"));
    }

    void RobustnessPanel::showProgress(int done, int total)
    {
        if (!m_running || m_runner->isCancelRequested())
            return;
        const int index = m_jobIndex;
        const double part = total > 0 ? double(done) / total : 0.0;
        m_progress->setValue(int(1000.0 * (index + part) / std::max(1, m_jobCheckpoints)));
        const QString label
            = m_checkpointList->count() > index ? m_checkpointList->item(index)->text() : QString();
        if (total > 0)
            m_statusLabel->setText(tr("Checkpoint %1 of %2 (%3): %4 of %5 predictions")
                                       .arg(index + 1)
                                       .arg(m_jobCheckpoints)
                                       .arg(label)
                                       .arg(done)
                                       .arg(total));
        else
            m_statusLabel->setText(
                tr("Checkpoint %1 of %2 (%3): loading…").arg(index + 1).arg(m_jobCheckpoints).arg(label));
    }

    void RobustnessPanel::onRunDone(const RobustnessRun& run, const QString& error)
    {
        if (!error.isEmpty()) {
            m_errors << error;
            setError(m_errors.join(QLatin1Char('\n')));
            return;
        }
        m_runs << run;
        addToChart(run);
        addToTable(run);
        m_exampleRunCombo->addItem(run.label);
        if (m_exampleRunCombo->count() == 1)
            showExamples(0);
        Q_EMIT runFinished(int(m_runs.size()) - 1);
    }

    void RobustnessPanel::onAllDone(bool cancelled)
    {
        m_running = false;
        m_progress->hide();
        if (cancelled) {
            m_errors << tr("Robustness evaluation cancelled.");
            setError(m_errors.join(QLatin1Char('\n')));
        }
        if (!m_runs.isEmpty()) {
            const msup::RobustnessResult& r = m_runs.first().result;
            m_statusLabel->setText(tr("%1 of %2 checkpoints evaluated on %3 images of the “%4” split, "
                                      "mask seed %5.")
                                       .arg(m_runs.size())
                                       .arg(m_jobCheckpoints)
                                       .arg(r.images)
                                       .arg(r.split)
                                       .arg(r.seed)
                + (r.skipped.isEmpty() ? QString()
                                       : QLatin1Char('\n')
                            + tr("%n pair(s) could not be decoded and were left out: %1", nullptr,
                                int(r.skipped.size()))
                                  .arg(msup::describeSkippedPairs(r.skipped))));
        } else {
            m_statusLabel->setText(cancelled ? tr("Cancelled.") : tr("No checkpoint could be evaluated."));
        }
        updateButtons();
        Q_EMIT finished();
    }

    // --- results -------------------------------------------------------------------------------

    QVector<double> RobustnessPanel::miouCurve(int run) const
    {
        QVector<double> curve;
        if (run < 0 || run >= m_runs.size())
            return curve;
        for (const msup::RobustnessLevel& level : m_runs[run].result.levels)
            curve << level.confusion.meanIoU();
        return curve;
    }

    QVector<double> RobustnessPanel::ratioAxis(int run) const
    {
        QVector<double> axis;
        if (run < 0 || run >= m_runs.size())
            return axis;
        for (const msup::RobustnessLevel& level : m_runs[run].result.levels)
            axis << (level.hi <= 0 ? 0.0 : level.hi);
        return axis;
    }

    void RobustnessPanel::clearResults()
    {
        m_runs.clear();
        m_plot->clearGraphs();
        m_plot->replot();
        m_table->setRowCount(0);
        {
            const QSignalBlocker block(m_exampleRunCombo);
            m_exampleRunCombo->clear();
        }
        showExamples(-1);
        updateButtons();
    }

    void RobustnessPanel::addToChart(const RobustnessRun& run)
    {
        const int index = m_plot->graphCount();
        QCPGraph* graph = m_plot->addGraph();
        const QColor color = kRunColors[index % int(std::size(kRunColors))];
        graph->setName(run.label);
        graph->setPen(QPen(color, 2));
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, 7));
        const QVector<double> x = ratioAxis(int(m_runs.size()) - 1);
        const QVector<double> y = miouCurve(int(m_runs.size()) - 1);
        graph->setData(x, y, true);
        double maxX = 0.1;
        for (int g = 0; g < m_plot->graphCount(); ++g)
            for (auto it = m_plot->graph(g)->data()->constBegin(); it != m_plot->graph(g)->data()->constEnd();
                 ++it)
                maxX = std::max(maxX, it->key);
        m_plot->xAxis->setRange(-0.02, maxX + 0.05);
        m_plot->yAxis->setRange(0, 1);
        m_plot->replot();
    }

    void RobustnessPanel::addToTable(const RobustnessRun& run)
    {
        for (const msup::RobustnessLevel& level : run.result.levels) {
            const int row = m_table->rowCount();
            m_table->insertRow(row);
            const QString cells[6] = { run.label, intervalText(level.lo, level.hi),
                level.hi <= 0 ? QStringLiteral("–") : formatNumber(level.meanHoleRatio, 3),
                formatNumber(level.confusion.meanIoU(), 4), formatNumber(level.confusion.meanDice(), 4),
                formatNumber(level.confusion.pixelAccuracy(), 4) };
            for (int c = 0; c < 6; ++c) {
                auto* item = new QTableWidgetItem(cells[c]);
                if (c == 0)
                    item->setToolTip(QDir::toNativeSeparators(run.checkpoint));
                else
                    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                m_table->setItem(row, c, item);
            }
        }
    }

    void RobustnessPanel::showExamples(int run)
    {
        while (QLayoutItem* item = m_examplesGrid->takeAt(0)) {
            delete item->widget();
            delete item;
        }
        if (run < 0 || run >= m_runs.size()) {
            m_examplesLabel->setText(tr("Run an evaluation to see example predictions."));
            return;
        }
        const RobustnessRun& r = m_runs[run];
        if (!r.exampleError.isEmpty()) {
            m_examplesLabel->setText(tr("No example predictions: %1").arg(r.exampleError));
            return;
        }
        if (r.examples.isEmpty()) {
            m_examplesLabel->setText(tr("Example predictions were switched off for this run."));
            return;
        }
        m_examplesLabel->setText(tr("Image “%1”: the input as the network sees it (top) and the "
                                    "prediction (bottom) at each hole ratio.")
                                     .arg(r.exampleImage));
        for (int k = 0; k < r.examples.size(); ++k) {
            const RobustnessExample& e = r.examples[k];
            auto* caption = new QLabel(e.hi <= 0
                    ? intervalText(0, 0)
                    : QStringLiteral("%1\n%2 %")
                          .arg(intervalText(e.lo, e.hi), formatNumber(100 * e.holeRatio, 1)),
                m_examplesWidget);
            caption->setAlignment(Qt::AlignCenter);
            auto* masked = new QLabel(m_examplesWidget);
            masked->setObjectName(QStringLiteral("exampleMasked%1").arg(k));
            masked->setPixmap(QPixmap::fromImage(e.masked));
            masked->setToolTip(tr("Input at %1 (as the network sees it)").arg(intervalText(e.lo, e.hi)));
            auto* prediction = new QLabel(m_examplesWidget);
            prediction->setObjectName(QStringLiteral("examplePrediction%1").arg(k));
            prediction->setPixmap(QPixmap::fromImage(e.prediction));
            prediction->setToolTip(tr("Prediction at %1").arg(intervalText(e.lo, e.hi)));
            m_examplesGrid->addWidget(caption, 0, k, Qt::AlignCenter);
            m_examplesGrid->addWidget(masked, 1, k, Qt::AlignCenter);
            m_examplesGrid->addWidget(prediction, 2, k, Qt::AlignCenter);
        }
        m_examplesGrid->setRowStretch(3, 1);
        m_examplesGrid->setColumnStretch(int(r.examples.size()), 1);
    }

    // --- export --------------------------------------------------------------------------------

    QString RobustnessPanel::csvText() const
    {
        QString out;
        QString header;
        for (const RobustnessRun& run : m_runs) {
            const QStringList lines = run.result.toCsv().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
            if (lines.isEmpty())
                continue;
            // All runs share one header when their classes agree (they are checked against the
            // same dataset); a different header is repeated before its rows.
            const QString runHeader = QStringLiteral("checkpoint,") + lines.first();
            if (runHeader != header) {
                out += runHeader + QLatin1Char('\n');
                header = runHeader;
            }
            for (int i = 1; i < lines.size(); ++i)
                out += csvField(run.checkpoint) + QLatin1Char(',') + lines[i] + QLatin1Char('\n');
        }
        return out;
    }

    bool RobustnessPanel::exportCsv(const QString& path)
    {
        try {
            // Never into a dataset's folders (the save dialog has already asked about replacing).
            msup::OutputFolder(
                QFileInfo(path).absolutePath(), QStringLiteral("robustness"), QStringLiteral("results"));
            msup::writeFileAtomic(path, csvText().toUtf8());
            m_statusLabel->setText(tr("CSV written to %1").arg(QDir::toNativeSeparators(path)));
            return true;
        } catch (const std::exception& e) {
            setError(QString::fromLocal8Bit(e.what()));
            return false;
        }
    }

    bool RobustnessPanel::exportPlot(const QString& path)
    {
        if (!m_plot->savePng(path, 960, 600, 1.0, -1)) {
            setError(tr("%1: the chart could not be written. Choose a folder you can write to.")
                         .arg(QDir::toNativeSeparators(path)));
            return false;
        }
        m_statusLabel->setText(tr("Chart written to %1").arg(QDir::toNativeSeparators(path)));
        return true;
    }

    void RobustnessPanel::chooseCsvFile()
    {
        const QString start
            = QDir(datasetPath().isEmpty() ? QDir::homePath() : QFileInfo(datasetPath()).absolutePath())
                  .filePath(msup::RunFolder::fileName(msup::RunFile::Robustness));
        const QString path
            = QFileDialog::getSaveFileName(this, tr("Export CSV"), start, tr("CSV files (*.csv)"));
        if (!path.isEmpty())
            exportCsv(path);
    }

    void RobustnessPanel::choosePlotFile()
    {
        const QString start
            = QDir(datasetPath().isEmpty() ? QDir::homePath() : QFileInfo(datasetPath()).absolutePath())
                  .filePath(QStringLiteral("robustness.png"));
        const QString path
            = QFileDialog::getSaveFileName(this, tr("Export plot"), start, tr("PNG images (*.png)"));
        if (!path.isEmpty())
            exportPlot(path);
    }

} // namespace ui
} // namespace msup
