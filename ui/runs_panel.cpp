#include "ui/runs_panel.h"

#include "core/io/csv.h"

#include "core/io/atomic_file.h"
#include "core/train/evaluator.h"
#include "core/train/output_guard.h"
#include "core/train/run_folder.h"
#include "ui/chart_legend.h"
#include "ui/format.h"
#include "ui/job_runner.h"
#include "ui/training_panel.h"
#include "ui/widgets.h"

#include <QAbstractTableModel>
#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QHelpEvent>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include "ui/qcustomplot_include.h"

namespace msup {
namespace ui {

    namespace {

        const QColor kRunColors[] = { QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28),
            QColor(0x2c, 0xa0, 0x2c), QColor(0xff, 0x7f, 0x0e), QColor(0x94, 0x67, 0xbd),
            QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2), QColor(0x17, 0xbe, 0xcf) };

        QString cleanFolder(const QString& folder)
        {
            return QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
        }

        QString csvNumber(double v)
        {
            return QString::number(v, 'g', QLocale::FloatingPointShortest);
        }

        // A run folder that could not be read at all (no config yet, or gone).
        bool isUnreadable(const msup::RunSummary& run)
        {
            return run.model.isEmpty() && run.epochsPlanned == 0 && !run.problems.isEmpty();
        }

        // A row listed by setRunFolders and not read yet (readRun always sets the planned epochs or
        // a problem): not watched until it is read.
        bool isPlaceholder(const msup::RunSummary& run)
        {
            return run.epochsPlanned == 0 && run.problems.isEmpty();
        }

        // Lists are compared through hash sets: a project may list hundreds of thousands of runs, and
        // QStringList::contains in a loop made opening such a project quadratic (77 s for 200k).
        QSet<QString> toSet(const QStringList& list)
        {
            return QSet<QString>(list.cbegin(), list.cend());
        }

    } // namespace

    // The runs as table rows, in list order; sorting happens in a proxy over Qt::UserRole.
    class RunTableModel : public QAbstractTableModel {
    public:
        using ObjectCells = QHash<QString, RunsPanel::ObjectMetricsCell>;

        RunTableModel(const QVector<msup::RunSummary>* runs, const ObjectCells* objects, QObject* parent)
            : QAbstractTableModel(parent)
            , m_runs(runs)
            , m_objects(objects)
        {
        }

        static bool isObjectColumn(int column)
        {
            return column >= RunsPanel::ObjectF1Column && column <= RunsPanel::ObjectHausdorffColumn;
        }

        int rowCount(const QModelIndex& parent = {}) const override
        {
            return parent.isValid() ? 0 : int(m_runs->size());
        }
        int columnCount(const QModelIndex& parent = {}) const override
        {
            return parent.isValid() ? 0 : RunsPanel::ColumnCount;
        }

        QVariant headerData(int section, Qt::Orientation orientation, int role) const override
        {
            if (orientation == Qt::Horizontal && role == Qt::ToolTipRole
                && section == RunsPanel::BestMiouColumn)
                return RunsPanel::tr("Validation mIoU, computed on images resized to the training size; "
                                     "evaluate and robustness score at the images' original size, so "
                                     "their figures differ slightly");
            if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && isObjectColumn(section))
                return RunsPanel::tr(
                    "GlaS challenge object metrics of the best checkpoint on the validation split "
                    "(binary datasets, finished runs; at the images' original size, as evaluate). "
                    "Object F1: a predicted object is a true positive when it covers at least half of "
                    "the ground-truth object it overlaps most. Object Dice and object Hausdorff "
                    "(pixels): area-weighted over the objects of both sides, mean over the images.");
            if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
                return QAbstractTableModel::headerData(section, orientation, role);
            switch (section) {
            case RunsPanel::RunColumn:
                return RunsPanel::tr("Run");
            case RunsPanel::PresetColumn:
                return RunsPanel::tr("Preset");
            case RunsPanel::ModeColumn:
                return RunsPanel::tr("Mode");
            case RunsPanel::ModelColumn:
                return RunsPanel::tr("Model");
            case RunsPanel::EpochsColumn:
                return RunsPanel::tr("Epochs");
            case RunsPanel::BestMiouColumn:
                return RunsPanel::tr("Best mIoU");
            case RunsPanel::BestEpochColumn:
                return RunsPanel::tr("Best epoch");
            case RunsPanel::ObjectF1Column:
                return RunsPanel::tr("Object F1");
            case RunsPanel::ObjectDiceColumn:
                return RunsPanel::tr("Object Dice");
            case RunsPanel::ObjectHausdorffColumn:
                return RunsPanel::tr("Object Hausdorff");
            case RunsPanel::DurationColumn:
                return RunsPanel::tr("Duration");
            case RunsPanel::DeviceColumn:
                return RunsPanel::tr("Device");
            default:
                return {};
            }
        }

        QVariant data(const QModelIndex& index, int role) const override
        {
            if (!index.isValid() || index.row() >= m_runs->size())
                return {};
            const msup::RunSummary& run = m_runs->at(index.row());
            const bool hasEpochs = run.epochsDone > 0 && run.bestEpoch > 0;
            if (isObjectColumn(index.column()))
                return objectData(run, index.column(), role);
            switch (role) {
            case Qt::DisplayRole:
                switch (index.column()) {
                case RunsPanel::RunColumn:
                    return run.name;
                case RunsPanel::PresetColumn:
                    return run.preset;
                case RunsPanel::ModeColumn:
                    return run.mode;
                case RunsPanel::ModelColumn:
                    if (run.model.isEmpty())
                        return QString();
                    return run.width > 0 ? RunsPanel::tr("%1 w%2").arg(run.model).arg(run.width) : run.model;
                case RunsPanel::EpochsColumn:
                    return isUnreadable(run)
                        ? QString()
                        : QStringLiteral("%1/%2").arg(run.epochsDone).arg(run.epochsPlanned);
                case RunsPanel::BestMiouColumn:
                    return hasEpochs ? formatNumber(run.bestMiou, 4) : QStringLiteral("–");
                case RunsPanel::BestEpochColumn:
                    return hasEpochs ? QString::number(run.bestEpoch) : QStringLiteral("–");
                case RunsPanel::DurationColumn:
                    return run.epochsDone > 0 ? formatDuration(run.durationSeconds) : QStringLiteral("–");
                case RunsPanel::DeviceColumn:
                    // Mixed precision next to the device ("cuda:0 · bf16"); float32 is not named.
                    if (run.precision == QLatin1String("bf16") || run.precision == QLatin1String("fp16"))
                        return RunsPanel::tr("%1 · %2").arg(run.device, run.precision);
                    return run.device;
                default:
                    return {};
                }
            case Qt::UserRole: // sort key
                switch (index.column()) {
                case RunsPanel::EpochsColumn:
                    return run.epochsDone;
                case RunsPanel::BestMiouColumn:
                    return hasEpochs ? run.bestMiou : -1.0;
                case RunsPanel::BestEpochColumn:
                    return run.bestEpoch;
                case RunsPanel::DurationColumn:
                    return run.durationSeconds;
                default:
                    return data(index, Qt::DisplayRole).toString().toLower();
                }
            case Qt::UserRole + 1:
                return run.folder;
            case Qt::ToolTipRole: {
                QString tip = QDir::toNativeSeparators(run.folder);
                if (!run.robustness.isEmpty())
                    tip += QLatin1Char('\n')
                        + RunsPanel::tr("Robustness curve: %n level(s)", nullptr, int(run.robustness.size()));
                for (const QString& p : run.problems)
                    tip += QStringLiteral("\n• ") + p;
                return tip;
            }
            case Qt::TextAlignmentRole:
                if (index.column() >= RunsPanel::EpochsColumn && index.column() <= RunsPanel::DurationColumn)
                    return int(Qt::AlignRight | Qt::AlignVCenter);
                return int(Qt::AlignLeft | Qt::AlignVCenter);
            case Qt::ForegroundRole:
                if (isUnreadable(run))
                    return QColor(Qt::gray);
                return {};
            case Qt::FontRole:
                if (index.column() == RunsPanel::RunColumn && !run.isComplete()) {
                    QFont f;
                    f.setItalic(true); // still running, stopped early or unreadable
                    return f;
                }
                return {};
            default:
                return {};
            }
        }

        template <typename Change> void reset(Change change)
        {
            beginResetModel();
            change();
            endResetModel();
        }
        void beginAppend(int count)
        {
            beginInsertRows({}, int(m_runs->size()), int(m_runs->size()) + count - 1);
        }
        void endAppend() { endInsertRows(); }
        void rowChanged(int row)
        {
            Q_EMIT dataChanged(index(row, 0), index(row, RunsPanel::ColumnCount - 1));
        }

    private:
        // The object metric columns: empty for a run that is not binary, "–" until the run has
        // finished with a best checkpoint or when they could not be computed (the tooltip says why),
        // "…" while they are computed.
        QVariant objectData(const msup::RunSummary& run, int column, int role) const
        {
            using State = RunsPanel::ObjectMetricsCell::State;
            const auto found = m_objects->constFind(run.folder);
            const bool done = found != m_objects->cend() && found->state == State::Done;
            const msup::RunObjectMetrics& m = done ? found->metrics : msup::RunObjectMetrics();
            const double value = column == RunsPanel::ObjectF1Column ? m.objectF1
                : column == RunsPanel::ObjectDiceColumn              ? m.objectDice
                                                                     : m.objectHausdorff;
            switch (role) {
            case Qt::DisplayRole:
                if (!run.isBinary())
                    return QString();
                if (done)
                    return formatNumber(value, column == RunsPanel::ObjectHausdorffColumn ? 1 : 4);
                if (found != m_objects->cend() && found->state == State::Computing)
                    return QStringLiteral("…");
                return QStringLiteral("–");
            case Qt::UserRole: // sort key: runs without a value last (descending F1/Dice)
                if (!done)
                    return column == RunsPanel::ObjectHausdorffColumn ? std::numeric_limits<double>::max()
                                                                      : -1.0;
                return value;
            case Qt::UserRole + 1:
                return run.folder;
            case Qt::ToolTipRole:
                if (!run.isBinary())
                    return RunsPanel::tr("Object metrics are computed for binary datasets only.");
                if (done)
                    return RunsPanel::tr("%1 on the validation split (%n image(s)): %2 true positive, "
                                         "%3 false positive, %4 false negative object(s); per-image Dice: "
                                         "mean %5, median %6; HD95: mean %7 pixels",
                        nullptr, m.images)
                        .arg(msup::RunFolder::fileName(msup::RunFile::BestCheckpoint))
                        .arg(m.truePositives)
                        .arg(m.falsePositives)
                        .arg(m.falseNegatives)
                        .arg(formatNumber(m.diceMean, 4), formatNumber(m.diceMedian, 4),
                            formatNumber(m.hd95Mean, 1));
                if (found != m_objects->cend() && found->state == State::Computing)
                    return RunsPanel::tr("Evaluating the best checkpoint on the validation split…");
                if (found != m_objects->cend())
                    return RunsPanel::tr("The object metrics could not be computed: %1").arg(found->problem);
                return RunsPanel::tr("Computed once the run has finished with a best checkpoint.");
            case Qt::TextAlignmentRole:
                return int(Qt::AlignRight | Qt::AlignVCenter);
            default:
                return {};
            }
        }

        const QVector<msup::RunSummary>* m_runs;
        const ObjectCells* m_objects;
    };

    RunsPanel::RunsPanel(QWidget* parent)
        : QWidget(parent)
        , m_scanRunner(new JobRunner(this))
        , m_reportRunner(new JobRunner(this))
        , m_objectRunner(new JobRunner(this))
    {
        connect(m_scanRunner, &JobRunner::failed, this, [this](const QString& message) {
            m_pendingRefresh = 0;
            setStatus(tr("The runs could not be read: %1").arg(message));
            updateButtons();
            Q_EMIT refreshed();
        });
        connect(m_reportRunner, &JobRunner::progress, this, &RunsPanel::onReportProgress);
        connect(m_objectRunner, &JobRunner::failed, this, [this](const QString& message) {
            QSet<QString> failed;
            for (auto it = m_objectMetrics.begin(); it != m_objectMetrics.end(); ++it)
                if (it->state == ObjectMetricsCell::State::Computing) {
                    it->state = ObjectMetricsCell::State::Failed;
                    it->problem = message;
                    failed.insert(it.key());
                }
            showObjectMetricRows(failed);
            Q_EMIT objectMetricsUpdated();
        });
        connect(m_reportRunner, &JobRunner::failed, this,
            [this](const QString& message) { onReportDone(m_reportOut, msup::ReportResult(), message); });
        buildUi();
        m_watcher = new QFileSystemWatcher(this);
        connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &RunsPanel::onFolderChanged);
        m_rereadTimer = new QTimer(this);
        m_rereadTimer->setSingleShot(true);
        m_rereadTimer->setInterval(400);
        connect(m_rereadTimer, &QTimer::timeout, this, &RunsPanel::rereadChanged);
        // A run listed as soon as it starts has no folder or config yet: polled (a stat each)
        // until it has one, then watched.
        m_pollTimer = new QTimer(this);
        m_pollTimer->setInterval(2000);
        connect(m_pollTimer, &QTimer::timeout, this, [this] {
            for (const msup::RunSummary& run : m_runs)
                if (isUnreadable(run) && msup::RunFolder::isRunFolder(run.folder))
                    onFolderChanged(run.folder);
        });
        setStatus({});
        updateCharts();
        updateButtons();
    }

    // A report under way stops at its next step and writes nothing (its runner cancels and waits).
    RunsPanel::~RunsPanel() = default;

    bool RunsPanel::isExportingReport() const
    {
        return m_reportRunner->isRunning();
    }

    bool RunsPanel::isComputingObjectMetrics() const
    {
        return m_objectRunner->isRunning();
    }

    // ---- object metrics ----

    namespace {

        // When a run's object metrics are asked for again: its epochs or its best epoch changed.
        QString objectMetricsKey(const msup::RunSummary& run)
        {
            return QStringLiteral("%1/%2").arg(run.epochsDone).arg(run.bestEpoch);
        }

        struct ObjectMetricsJobResult {
            QString folder;
            bool ok = false;
            msup::RunObjectMetrics metrics;
            QString problem;
        };

    } // namespace

    void RunsPanel::showObjectMetricRows(const QSet<QString>& folders)
    {
        for (int row = 0; row < m_runs.size(); ++row)
            if (folders.contains(m_runs[row].folder))
                m_model->rowChanged(row);
    }

    // Shows or hides the columns, and reads or computes in one background job the metrics of the
    // finished binary runs that have none for their current epochs; another job follows when runs
    // were asked for while one ran.
    void RunsPanel::updateObjectMetrics()
    {
        const bool anyBinary = std::any_of(
            m_runs.cbegin(), m_runs.cend(), [](const msup::RunSummary& r) { return r.isBinary(); });
        for (int c = ObjectF1Column; c <= ObjectHausdorffColumn; ++c)
            m_table->setColumnHidden(c, !anyBinary);
        if (m_objectRunner->isRunning())
            return;
        QStringList wanted;
        for (const msup::RunSummary& run : m_runs) {
            if (!run.isBinary() || !run.isComplete() || !run.hasBest)
                continue;
            const QString key = objectMetricsKey(run);
            ObjectMetricsCell& cell = m_objectMetrics[run.folder];
            if (!cell.key.isEmpty() && cell.key == key)
                continue;
            cell.key = key;
            if (cell.state != ObjectMetricsCell::State::Done)
                cell.state = ObjectMetricsCell::State::Computing; // a value shown stays until replaced
            wanted << run.folder;
        }
        if (wanted.isEmpty())
            return;
        showObjectMetricRows(QSet<QString>(wanted.cbegin(), wanted.cend()));
        m_objectRunner->start<QVector<ObjectMetricsJobResult>>(
            [wanted](msup::Progress& progress) {
                QVector<ObjectMetricsJobResult> results;
                for (const QString& folder : wanted) {
                    if (progress.isCancelled())
                        break;
                    ObjectMetricsJobResult r { folder, false, {}, {} };
                    try {
                        r.metrics = msup::runObjectMetrics(folder, {}, QStringLiteral("cpu"), progress);
                        r.ok = true;
                    } catch (const std::exception& e) {
                        r.problem = QString::fromLocal8Bit(e.what());
                    }
                    results << r;
                }
                return results;
            },
            [this](const QVector<ObjectMetricsJobResult>& results) {
                QSet<QString> shown;
                for (const ObjectMetricsJobResult& r : results) {
                    ObjectMetricsCell& cell = m_objectMetrics[r.folder];
                    cell.state = r.ok ? ObjectMetricsCell::State::Done : ObjectMetricsCell::State::Failed;
                    cell.metrics = r.metrics;
                    cell.problem = r.problem;
                    shown.insert(r.folder);
                }
                showObjectMetricRows(shown);
                Q_EMIT objectMetricsUpdated();
                // Runs that finished or were added meanwhile.
                QTimer::singleShot(0, this, &RunsPanel::updateObjectMetrics);
            });
    }

    void RunsPanel::buildUi()
    {
        auto* layout = new QVBoxLayout(this);
        auto* splitter = new QSplitter(Qt::Vertical, this);
        splitter->setObjectName(QStringLiteral("runsSplitter"));
        layout->addWidget(splitter);

        auto* top = new QWidget(splitter);
        auto* topLayout = new QVBoxLayout(top);
        topLayout->setContentsMargins(0, 0, 0, 0);
        auto* buttons = new QHBoxLayout;
        m_addButton = new QPushButton(tr("&Add run folder…"), top);
        m_addButton->setObjectName(QStringLiteral("addRunButton"));
        m_addButton->setToolTip(tr("Add one run folder (the output folder of a training run)"));
        m_addAllButton = new QPushButton(tr("Add all runs &in folder…"), top);
        m_addAllButton->setObjectName(QStringLiteral("addAllRunsButton"));
        m_addAllButton->setToolTip(tr("Add every run folder found directly inside a folder"));
        m_removeButton = new QPushButton(tr("Re&move from list"), top);
        m_removeButton->setObjectName(QStringLiteral("removeRunButton"));
        m_removeButton->setToolTip(tr("Remove the selected runs from this list (their files are kept)"));
        m_refreshButton = new QPushButton(tr("Re&fresh"), top);
        m_refreshButton->setObjectName(QStringLiteral("refreshRunsButton"));
        m_refreshAction = new QAction(tr("Refresh runs"), this);
        m_refreshAction->setShortcut(QKeySequence(Qt::Key_F5));
        m_refreshAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(m_refreshAction);
        m_refreshButton->setToolTip(tr("Read every run folder again (%1)")
                                        .arg(m_refreshAction->shortcut().toString(QKeySequence::NativeText)));
        m_exportButton = new QPushButton(tr("&Export chart…"), top);
        m_exportButton->setObjectName(QStringLiteral("exportRunsChartButton"));
        auto* exportMenu = new QMenu(m_exportButton);
        connect(exportMenu->addAction(tr("mIoU per epoch as PNG…")), &QAction::triggered, this,
            [this] { chooseExport(Chart::Miou, true); });
        connect(exportMenu->addAction(tr("mIoU per epoch as CSV…")), &QAction::triggered, this,
            [this] { chooseExport(Chart::Miou, false); });
        exportMenu->addSeparator();
        connect(exportMenu->addAction(tr("Robustness under masking as PNG…")), &QAction::triggered, this,
            [this] { chooseExport(Chart::Robustness, true); });
        connect(exportMenu->addAction(tr("Robustness under masking as CSV…")), &QAction::triggered, this,
            [this] { chooseExport(Chart::Robustness, false); });
        m_exportButton->setMenu(exportMenu);
        m_reportAction = new QAction(tr("Export re&port…"), this);
        m_reportAction->setObjectName(QStringLiteral("exportRunReportAction"));
        m_reportAction->setToolTip(
            tr("Write an HTML or PDF report of the selected run: charts, final and best "
               "metrics, per-class IoU, confusion matrix, example predictions and, for a binary "
               "dataset, the object metrics"));
        connect(m_reportAction, &QAction::triggered, this, &RunsPanel::chooseReportExport);
        m_reportButton = pushButton(m_reportAction->text(), QStringLiteral("exportRunReportButton"),
            m_reportAction->toolTip(), top, this, &RunsPanel::chooseReportExport);
        buttons->addWidget(m_addButton);
        buttons->addWidget(m_addAllButton);
        buttons->addWidget(m_removeButton);
        buttons->addWidget(m_refreshButton);
        buttons->addStretch(1);
        buttons->addWidget(m_reportButton);
        buttons->addWidget(m_exportButton);
        topLayout->addLayout(buttons);

        m_model = new RunTableModel(&m_runs, &m_objectMetrics, this);
        m_proxy = new QSortFilterProxyModel(this);
        m_proxy->setSourceModel(m_model);
        m_proxy->setSortRole(Qt::UserRole);
        m_table = new QTableView(top);
        m_table->setObjectName(QStringLiteral("runsTable"));
        m_table->setModel(m_proxy);
        m_table->setSortingEnabled(true);
        m_table->sortByColumn(RunColumn, Qt::AscendingOrder);
        m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
        m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
        m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        m_table->setAlternatingRowColors(true);
        m_table->verticalHeader()->hide();
        m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        m_table->horizontalHeader()->setStretchLastSection(true);
        m_table->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(m_table, &QTableView::customContextMenuRequested, this, [this](const QPoint& pos) {
            if (!m_table->indexAt(pos).isValid())
                return;
            QMenu menu(this);
            menu.addAction(m_reportAction);
            menu.exec(m_table->viewport()->mapToGlobal(pos));
        });
        topLayout->addWidget(m_table, 1);
        m_hintLabel = new QLabel(top);
        m_hintLabel->setObjectName(QStringLiteral("runsHint"));
        m_hintLabel->setWordWrap(true);
        topLayout->addWidget(m_hintLabel);
        m_statusLabel = textLabel(QStringLiteral("runsStatus"), top);
        topLayout->addWidget(m_statusLabel);

        auto* charts = new QSplitter(Qt::Horizontal, splitter);
        m_miouChart = makeChart(QStringLiteral("runsMiouChart"), tr("epoch"));
        m_miouChart->setParent(charts);
        // Whole epochs on the x axis (1, 2, 5, 10, ...), never 1.5.
        QSharedPointer<QCPAxisTickerFixed> epochTicker(new QCPAxisTickerFixed);
        epochTicker->setTickStep(1);
        epochTicker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        m_miouChart->xAxis->setTicker(epochTicker);
        m_robustnessChart = makeChart(
            QStringLiteral("runsRobustnessChart"), tr("hole ratio (upper edge of the interval; 0 = clean)"));
        m_robustnessChart->setParent(charts);
        charts->addWidget(m_miouChart);
        charts->addWidget(m_robustnessChart);
        splitter->addWidget(top);
        splitter->addWidget(charts);
        splitter->setStretchFactor(0, 2);
        splitter->setStretchFactor(1, 3);

        connect(m_addButton, &QPushButton::clicked, this, &RunsPanel::chooseRunFolder);
        connect(m_addAllButton, &QPushButton::clicked, this, &RunsPanel::chooseParentFolder);
        connect(m_removeButton, &QPushButton::clicked, this, &RunsPanel::removeSelected);
        connect(m_refreshButton, &QPushButton::clicked, this, &RunsPanel::refresh);
        connect(m_refreshAction, &QAction::triggered, this, &RunsPanel::refresh);
        connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
            updateCharts();
            updateButtons();
        });
        connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
            const QString folder = index.data(Qt::UserRole + 1).toString();
            if (!folder.isEmpty())
                Q_EMIT runActivated(folder);
        });
    }

    QCustomPlot* RunsPanel::makeChart(const QString& objectName, const QString& xLabel)
    {
        auto* plot = new QCustomPlot(this);
        plot->setObjectName(objectName);
        plot->setMinimumSize(300, 220);
        plot->plotLayout()->insertRow(0);
        plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, QString()));
        plot->xAxis->setLabel(xLabel);
        plot->yAxis->setLabel(tr("mIoU"));
        plot->yAxis->setRange(0, 1);
        plot->legend->setFont(font());
        placeLegendBelowPlot(plot, 3); // below the plot, never on the curves
        plot->setMouseTracking(true);
        plot->installEventFilter(this);
        return plot;
    }

    // ---- the list of runs ----

    QStringList RunsPanel::runFolders() const
    {
        QStringList folders;
        for (const msup::RunSummary& run : m_runs)
            folders << run.folder;
        return folders;
    }

    void RunsPanel::addRunFolder(const QString& folder)
    {
        if (folder.isEmpty())
            return;
        const QString clean = cleanFolder(folder);
        if (runFolders().contains(clean))
            return;
        const msup::RunSummary run = msup::scanRuns({ clean }).first();
        m_model->beginAppend(1);
        m_runs << run;
        m_model->endAppend();
        updateWatcher();
        updateObjectMetrics();
        updateButtons();
        Q_EMIT runsChanged();
    }

    int RunsPanel::addRunsIn(const QString& parent)
    {
        QStringList found = msup::findRunFolders(parent);
        if (found.isEmpty() && msup::RunFolder::isRunFolder(parent))
            found << cleanFolder(parent);
        const QSet<QString> listed = toSet(runFolders());
        QStringList added;
        for (const QString& f : found)
            if (!listed.contains(f))
                added << f;
        if (added.isEmpty())
            return 0;
        if (added.size() > kAsyncThreshold) {
            // Many runs: listed at once, read in a background job (refresh), as setRunFolders does.
            QVector<msup::RunSummary> placeholders;
            placeholders.reserve(added.size());
            for (const QString& f : added) {
                msup::RunSummary r;
                r.folder = f;
                r.name = QFileInfo(f).fileName();
                r.bestMiou = std::nan("");
                placeholders << r;
            }
            m_model->beginAppend(int(placeholders.size()));
            m_runs += placeholders;
            m_model->endAppend();
            updateButtons();
            Q_EMIT runsChanged();
            refresh();
            return int(added.size());
        }
        const QVector<msup::RunSummary> runs = msup::scanRuns(added);
        m_model->beginAppend(int(runs.size()));
        m_runs += runs;
        m_model->endAppend();
        updateWatcher();
        updateObjectMetrics();
        updateButtons();
        Q_EMIT runsChanged();
        return int(added.size());
    }

    void RunsPanel::removeRunFolders(const QStringList& folders)
    {
        QSet<QString> gone;
        for (const QString& f : folders)
            gone.insert(cleanFolder(f));
        QVector<msup::RunSummary> kept;
        for (const msup::RunSummary& run : m_runs)
            if (!gone.contains(run.folder))
                kept << run;
        if (kept.size() == m_runs.size())
            return;
        QStringList keep = selectedFolders();
        keep.erase(
            std::remove_if(keep.begin(), keep.end(), [&](const QString& f) { return gone.contains(f); }),
            keep.end());
        setRuns(kept, keep);
        Q_EMIT runsChanged();
    }

    void RunsPanel::setRunFolders(const QStringList& folders)
    {
        QStringList clean;
        QSet<QString> seen;
        seen.reserve(folders.size());
        for (const QString& f : folders) {
            if (f.isEmpty())
                continue;
            const QString c = cleanFolder(f);
            if (!seen.contains(c)) {
                seen.insert(c);
                clean << c;
            }
        }
        if (clean == runFolders())
            return;
        // Placeholders first (the list is right at once), then read them (in a background job when many).
        QVector<msup::RunSummary> placeholders;
        for (const QString& f : clean) {
            msup::RunSummary r;
            r.folder = f;
            r.name = QFileInfo(f).fileName();
            r.bestMiou = std::nan("");
            placeholders << r;
        }
        setRuns(placeholders, {});
        refresh();
        Q_EMIT runsChanged();
    }

    void RunsPanel::refresh()
    {
        // Object metrics that could not be computed are tried again (e.g. a dataset moved back).
        for (ObjectMetricsCell& cell : m_objectMetrics)
            if (cell.state == ObjectMetricsCell::State::Failed)
                cell.key.clear();
        const QStringList folders = runFolders();
        const int generation = ++m_refreshGeneration;
        if (folders.size() <= kAsyncThreshold) {
            m_pendingRefresh = 0;
            setRuns(msup::scanRuns(folders), selectedFolders());
            updateButtons();
            Q_EMIT refreshed();
            return;
        }
        m_pendingRefresh = generation;
        setStatus(tr("Reading %n run(s)…", nullptr, int(folders.size())));
        updateButtons();
        // A newer start() replaces a scan still running (its result is dropped).
        m_scanRunner->start<QVector<msup::RunSummary>>(
            [folders](msup::Progress&) { return msup::scanRuns(folders); },
            [this, generation](const QVector<msup::RunSummary>& scanned) {
                if (generation != m_refreshGeneration)
                    return; // a newer (synchronous) refresh replaced this one
                m_pendingRefresh = 0;
                // Folders added or removed meanwhile: keep the current list, take what was read.
                QHash<QString, msup::RunSummary> read;
                for (const msup::RunSummary& r : scanned)
                    read.insert(r.folder, r);
                QVector<msup::RunSummary> runs = m_runs;
                for (msup::RunSummary& r : runs)
                    r = read.value(r.folder, r);
                setRuns(runs, selectedFolders());
                setStatus({});
                updateButtons();
                Q_EMIT refreshed();
            });
    }

    void RunsPanel::setRuns(const QVector<msup::RunSummary>& runs, const QStringList& keepSelection)
    {
        m_model->reset([&] { m_runs = runs; }); // the model reads m_runs
        setSelectedFolders(keepSelection);
        updateWatcher();
        updateObjectMetrics();
        updateCharts();
        updateButtons();
    }

    QStringList RunsPanel::selectedFolders() const
    {
        QStringList folders;
        const QModelIndexList rows = m_table->selectionModel()->selectedRows(RunColumn);
        for (const QModelIndex& index : rows)
            folders << index.data(Qt::UserRole + 1).toString();
        // In list order, so that colours and CSV rows do not depend on the click order.
        const QSet<QString> chosen = toSet(folders);
        QStringList ordered;
        if (chosen.isEmpty())
            return ordered;
        for (const msup::RunSummary& run : m_runs)
            if (chosen.contains(run.folder))
                ordered << run.folder;
        return ordered;
    }

    void RunsPanel::setSelectedFolders(const QStringList& folders)
    {
        QItemSelection selection;
        QSet<QString> clean;
        for (const QString& f : folders)
            clean.insert(cleanFolder(f));
        for (int row = 0; row < m_proxy->rowCount() && !clean.isEmpty(); ++row) {
            const QModelIndex index = m_proxy->index(row, 0);
            if (clean.contains(index.data(Qt::UserRole + 1).toString()))
                selection.select(index, m_proxy->index(row, ColumnCount - 1));
        }
        m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    }

    QAbstractItemModel* RunsPanel::tableModel() const
    {
        return m_proxy;
    }

    void RunsPanel::removeSelected()
    {
        removeRunFolders(selectedFolders());
    }

    void RunsPanel::chooseRunFolder()
    {
        const QString start
            = m_runs.isEmpty() ? QDir::homePath() : QFileInfo(m_runs.last().folder).absolutePath();
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Add run folder"), start);
        if (folder.isEmpty())
            return;
        if (!msup::RunFolder::isRunFolder(folder)) {
            setStatus(
                tr("%1 holds no %2: it is not a training run's folder. Choose the folder a "
                   "run wrote (its --out folder).")
                    .arg(QDir::toNativeSeparators(folder), msup::RunFolder::fileName(msup::RunFile::Config)));
            return;
        }
        addRunFolder(folder);
        setSelectedFolders(selectedFolders() << cleanFolder(folder));
        setStatus({});
    }

    void RunsPanel::chooseParentFolder()
    {
        const QString start
            = m_runs.isEmpty() ? QDir::homePath() : QFileInfo(m_runs.last().folder).absolutePath();
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Add all runs in folder"), start);
        if (folder.isEmpty())
            return;
        const int added = addRunsIn(folder);
        setStatus(added > 0 ? tr("%n run(s) added.", nullptr, added)
                            : tr("No new run folder (a sub-folder with a %1) in %2.")
                                  .arg(msup::RunFolder::fileName(msup::RunFile::Config),
                                      QDir::toNativeSeparators(folder)));
    }

    // ---- live runs ----

    void RunsPanel::updateWatcher()
    {
        // The unfinished runs, newest first (runs are appended as they start), at most
        // kMaxWatchedRuns: QFileSystemWatcher keeps its paths in lists (adding n paths is quadratic
        // inside Qt) and the system's inotify watches are limited; older unfinished runs (usually
        // interrupted ones) are re-read by refresh().
        QStringList wanted;
        for (auto it = m_runs.crbegin(); it != m_runs.crend() && wanted.size() < kMaxWatchedRuns; ++it)
            if (!it->isComplete() && !isPlaceholder(*it) && QFileInfo(it->folder).isDir())
                wanted << it->folder;
        const QStringList watched = m_watcher->directories();
        const QSet<QString> wantedSet = toSet(wanted), watchedSet = toSet(watched);
        QStringList gone;
        for (const QString& w : watched)
            if (!wantedSet.contains(w))
                gone << w;
        if (!gone.isEmpty())
            m_watcher->removePaths(gone);
        QStringList added;
        for (const QString& w : wanted)
            if (!watchedSet.contains(w))
                added << w;
        if (!added.isEmpty())
            m_watcher->addPaths(added);
        const bool poll = std::any_of(m_runs.cbegin(), m_runs.cend(), isUnreadable);
        if (poll && !m_pollTimer->isActive())
            m_pollTimer->start();
        else if (!poll)
            m_pollTimer->stop();
    }

    void RunsPanel::onFolderChanged(const QString& folder)
    {
        if (!m_changed.contains(folder))
            m_changed << folder;
        m_rereadTimer->start();
    }

    void RunsPanel::rereadChanged()
    {
        const QStringList changed = m_changed;
        m_changed.clear();
        const QSet<QString> selected = toSet(selectedFolders());
        QHash<QString, int> rowOf;
        rowOf.reserve(m_runs.size());
        for (int row = 0; row < m_runs.size(); ++row)
            rowOf.insert(m_runs[row].folder, row);
        bool chartsNeedUpdate = false;
        for (const QString& folder : changed) {
            const QString clean = cleanFolder(folder);
            const int row = rowOf.value(clean, -1);
            if (row >= 0) {
                m_runs[row] = msup::scanRuns({ clean }).first();
                m_model->rowChanged(row);
                chartsNeedUpdate = chartsNeedUpdate || selected.contains(clean);
            }
        }
        updateWatcher();
        updateObjectMetrics();
        if (chartsNeedUpdate)
            updateCharts();
    }

    // ---- charts ----

    QCustomPlot* RunsPanel::chart(Chart which) const
    {
        return which == Chart::Miou ? m_miouChart : m_robustnessChart;
    }

    void RunsPanel::updateCharts()
    {
        const QSet<QString> selected = toSet(selectedFolders());
        m_miouChart->clearGraphs();
        m_robustnessChart->clearGraphs();
        double maxEpoch = 1, maxRatio = 0.1;
        int withRobustness = 0;
        for (int i = 0; i < m_runs.size(); ++i) {
            const msup::RunSummary& run = m_runs[i];
            if (!selected.contains(run.folder))
                continue;
            const QColor color = kRunColors[i % int(std::size(kRunColors))];
            QVector<double> x, y;
            for (const msup::EpochPoint& p : run.curve)
                if (std::isfinite(p.valMiou)) {
                    x << p.epoch;
                    y << p.valMiou;
                    maxEpoch = std::max(maxEpoch, double(p.epoch));
                }
            QCPGraph* graph = m_miouChart->addGraph();
            graph->setName(run.name);
            graph->setProperty("runFolder", run.folder);
            graph->setPen(QPen(color, 2));
            graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, 6));
            graph->setData(x, y, true);
            if (run.robustness.isEmpty())
                continue;
            ++withRobustness;
            QVector<double> rx, ry;
            for (const auto& p : run.robustness) {
                rx << p.first;
                ry << p.second;
                maxRatio = std::max(maxRatio, p.first);
            }
            QCPGraph* rgraph = m_robustnessChart->addGraph();
            rgraph->setName(run.name);
            rgraph->setProperty("runFolder", run.folder);
            rgraph->setPen(QPen(color, 2));
            rgraph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, 6));
            rgraph->setData(rx, ry, true);
        }
        m_miouChart->xAxis->setRange(0.5, maxEpoch + 0.5);
        m_miouChart->yAxis->setRange(0, 1);
        m_robustnessChart->xAxis->setRange(-0.02, maxRatio + 0.05);
        m_robustnessChart->yAxis->setRange(0, 1);
        if (auto* title = qobject_cast<QCPTextElement*>(m_miouChart->plotLayout()->element(0, 0)))
            title->setText(tr("Validation mIoU per epoch (at the training size)"));
        if (auto* title = qobject_cast<QCPTextElement*>(m_robustnessChart->plotLayout()->element(0, 0)))
            title->setText(!selected.isEmpty() && withRobustness == 0
                    ? tr("mIoU under masking: no selected run has a %1")
                          .arg(msup::RunFolder::fileName(msup::RunFile::Robustness))
                    : tr("mIoU under masking, at the original size (RUN_DIR/%1)")
                          .arg(msup::RunFolder::fileName(msup::RunFile::Robustness)));
        m_miouChart->replot(QCustomPlot::rpQueuedReplot);
        m_robustnessChart->replot(QCustomPlot::rpQueuedReplot);

        if (m_runs.isEmpty())
            m_hintLabel->setText(
                tr("Add run folders (the output folders of training runs) to compare them."));
        else if (selected.size() < 2)
            m_hintLabel->setText(
                tr("Select two or more runs (Ctrl+click, Shift+click) to overlay their curves; double-click "
                   "a run to open it."));
        else
            m_hintLabel->setText(tr("%n run(s) selected.", nullptr, int(selected.size())));
    }

    QString RunsPanel::chartCsv(Chart which) const
    {
        const QCustomPlot* plot = chart(which);
        QString out = which == Chart::Miou ? QStringLiteral("run,epoch,val_miou\n")
                                           : QStringLiteral("run,hole_ratio,miou\n");
        for (int g = 0; g < plot->graphCount(); ++g) {
            const QCPGraph* graph = plot->graph(g);
            for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
                out += csvField(graph->name()) + QLatin1Char(',')
                    + (which == Chart::Miou ? QString::number(qRound(it->key)) : csvNumber(it->key))
                    + QLatin1Char(',') + csvNumber(it->value) + QLatin1Char('\n');
        }
        return out;
    }

    bool RunsPanel::exportChartCsv(Chart which, const QString& path)
    {
        try {
            msup::writeFileAtomic(path, chartCsv(which).toUtf8());
        } catch (const std::exception& e) {
            setStatus(QString::fromLocal8Bit(e.what()));
            return false;
        }
        setStatus(tr("CSV written to %1").arg(QDir::toNativeSeparators(path)));
        return true;
    }

    bool RunsPanel::exportChartPng(Chart which, const QString& path)
    {
        if (!chart(which)->savePng(path, 960, 600, 1.0, -1)) {
            setStatus(tr("%1: the chart could not be written. Choose a folder you can write to.")
                          .arg(QDir::toNativeSeparators(path)));
            return false;
        }
        setStatus(tr("Chart written to %1").arg(QDir::toNativeSeparators(path)));
        return true;
    }

    void RunsPanel::chooseExport(Chart which, bool png)
    {
        const QStringList selected = selectedFolders();
        const QString dir = selected.isEmpty() ? QDir::homePath() : selected.first();
        const QString base
            = which == Chart::Miou ? QStringLiteral("runs-miou") : QStringLiteral("runs-robustness");
        const QString path = png
            ? QFileDialog::getSaveFileName(this, tr("Export chart as PNG"),
                QDir(dir).filePath(base + QStringLiteral(".png")), tr("PNG images (*.png)"))
            : QFileDialog::getSaveFileName(this, tr("Export chart as CSV"),
                QDir(dir).filePath(base + QStringLiteral(".csv")), tr("CSV files (*.csv)"));
        if (path.isEmpty())
            return;
        if (png)
            exportChartPng(which, path);
        else
            exportChartCsv(which, path);
    }

    QString RunsPanel::pointToolTip(Chart which, const QPoint& pos) const
    {
        const QCustomPlot* plot = chart(which);
        double bestDistance = plot->selectionTolerance() + 0.5;
        QString tip;
        for (int g = 0; g < plot->graphCount(); ++g) {
            QCPGraph* graph = plot->graph(g);
            if (graph->dataCount() == 0)
                continue;
            // The nearest data point, in pixels (selectTest also measures the lines between points).
            for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) {
                const QPointF p = graph->coordsToPixels(it->key, it->value);
                const double d = std::hypot(p.x() - pos.x(), p.y() - pos.y());
                if (d < bestDistance) {
                    bestDistance = d;
                    tip = which == Chart::Miou
                        ? tr("%1 · epoch %2 · mIoU %3")
                              .arg(graph->name())
                              .arg(qRound(it->key))
                              .arg(formatNumber(it->value, 4))
                        : tr("%1 · hole ratio %2 · mIoU %3")
                              .arg(graph->name(), formatNumber(it->key, 2), formatNumber(it->value, 4));
                }
            }
        }
        return tip;
    }

    bool RunsPanel::eventFilter(QObject* watched, QEvent* event)
    {
        if (event->type() == QEvent::ToolTip && (watched == m_miouChart || watched == m_robustnessChart)) {
            auto* help = static_cast<QHelpEvent*>(event);
            const QString tip
                = pointToolTip(watched == m_miouChart ? Chart::Miou : Chart::Robustness, help->pos());
            if (tip.isEmpty())
                QToolTip::hideText();
            else
                QToolTip::showText(help->globalPos(), tip, static_cast<QWidget*>(watched));
            return true;
        }
        return QWidget::eventFilter(watched, event);
    }

    // ---- state ----

    void RunsPanel::updateButtons()
    {
        const bool hasSelection = m_table->selectionModel()->hasSelection();
        m_removeButton->setEnabled(hasSelection);
        m_refreshButton->setEnabled(!m_runs.isEmpty() && m_pendingRefresh == 0);
        m_refreshAction->setEnabled(m_refreshButton->isEnabled());
        m_exportButton->setEnabled(m_miouChart->graphCount() > 0);
        const bool oneRun = m_table->selectionModel()->selectedRows().size() == 1;
        m_reportAction->setEnabled(oneRun && !m_reportRunner->isRunning());
        m_reportButton->setEnabled(m_reportAction->isEnabled());
    }

    void RunsPanel::setStatus(const QString& text)
    {
        m_statusLabel->setText(text);
        m_statusLabel->setVisible(!text.isEmpty());
    }

    QString RunsPanel::statusText() const
    {
        return m_statusLabel->text();
    }

    // ---- run report ----

    void RunsPanel::chooseReportExport()
    {
        const QStringList selected = selectedFolders();
        if (selected.size() != 1) {
            setStatus(tr("Select one run to export its report."));
            return;
        }
        const QString run = selected.first();
        QString filter;
        QString path = QFileDialog::getSaveFileName(this, tr("Export run report"),
            QDir(run).filePath(QFileInfo(run).fileName() + QStringLiteral("-report.html")),
            tr("HTML report (*.html);;PDF report (*.pdf)"), &filter);
        if (path.isEmpty())
            return;
        const QString suffix = QFileInfo(path).suffix().toLower();
        if (suffix != QLatin1String("html") && suffix != QLatin1String("htm")
            && suffix != QLatin1String("pdf"))
            path += filter.contains(QLatin1String("pdf")) ? QStringLiteral(".pdf") : QStringLiteral(".html");

        msup::ReportOptions options;
        // A dataset that moved: ask for it, or leave the example predictions out.
        const QString dataset = msup::runDatasetPath(run);
        const msup::RunFolder files(run);
        const bool hasCheckpoint
            = files.has(msup::RunFile::BestCheckpoint) || files.has(msup::RunFile::LastCheckpoint);
        if (hasCheckpoint && !dataset.isEmpty() && !QFileInfo::exists(dataset)) {
            QMessageBox box(QMessageBox::Question, tr("Export run report"),
                tr("The run's dataset is no longer at %1. Locate it to show example predictions in the "
                   "report, "
                   "or export the report without them.")
                    .arg(QDir::toNativeSeparators(dataset)),
                QMessageBox::NoButton, this);
            QPushButton* locate = box.addButton(tr("&Locate dataset…"), QMessageBox::AcceptRole);
            QPushButton* without = box.addButton(tr("&Without examples"), QMessageBox::ActionRole);
            box.addButton(QMessageBox::Cancel);
            box.exec();
            if (box.clickedButton() == locate) {
                const QString folder = QFileDialog::getExistingDirectory(
                    this, tr("Locate the run's dataset"), QFileInfo(dataset).absolutePath());
                if (folder.isEmpty())
                    return;
                options.datasetRoot = folder;
            } else if (box.clickedButton() == without) {
                options.examples = 0;
            } else {
                return;
            }
        }
        startReport(run, path, options);
    }

    void RunsPanel::exportReport(const QString& runFolder, const QString& outPath)
    {
        startReport(runFolder, outPath, msup::ReportOptions());
    }

    void RunsPanel::startReport(
        const QString& runFolder, const QString& outPath, const msup::ReportOptions& options)
    {
        if (m_reportRunner->isRunning()) {
            setStatus(tr("A report is already being written; wait for it or cancel it."));
            return;
        }
        // Never into a dataset's folders (the save dialog has already asked about replacing).
        try {
            msup::OutputFolder(
                QFileInfo(outPath).absolutePath(), QStringLiteral("report"), QStringLiteral("reports"));
        } catch (const std::exception& e) {
            setStatus(tr("The report could not be written: %1").arg(QString::fromLocal8Bit(e.what())));
            Q_EMIT reportExported(QFileInfo(outPath).absoluteFilePath(), QString::fromLocal8Bit(e.what()));
            return;
        }
        m_reportRunName = QFileInfo(cleanFolder(runFolder)).fileName();
        const QString out = QFileInfo(outPath).absoluteFilePath();

        m_reportProgress = new QProgressDialog(
            tr("Writing the report of %1…").arg(m_reportRunName), tr("Cancel"), 0, 0, this);
        m_reportProgress->setObjectName(QStringLiteral("reportProgress"));
        m_reportProgress->setWindowTitle(tr("Export run report"));
        m_reportProgress->setMinimumDuration(400); // short reports finish without a flashing dialog
        m_reportProgress->setAutoClose(false);
        m_reportProgress->setAutoReset(false);
        connect(m_reportProgress, &QProgressDialog::canceled, m_reportRunner, &JobRunner::cancel);
        setStatus(tr("Writing the report of %1…").arg(m_reportRunName));
        m_reportOut = out;

        // A cancelled report still delivers its result (it says cancelled; nothing was written).
        m_reportRunner->start<msup::ReportResult>(
            [runFolder, out, options](
                msup::Progress& progress) { return msup::writeRunReport(runFolder, out, options, progress); },
            [this, out](const msup::ReportResult& result) { onReportDone(out, result, {}); },
            JobRunner::OnCancel::DeliverResult);
        updateButtons();
    }

    void RunsPanel::onReportDone(const QString& out, const msup::ReportResult& result, const QString& failure)
    {
        if (m_reportProgress) {
            m_reportProgress->disconnect(this);
            m_reportProgress->deleteLater();
            m_reportProgress = nullptr;
        }
        QString error = failure;
        if (error.isEmpty() && result.cancelled)
            error = tr("Report cancelled: nothing was written.");
        if (error.isEmpty()) {
            QString text = tr("Report written to %1 (%n example prediction(s)).", nullptr, result.examples)
                               .arg(QDir::toNativeSeparators(out));
            for (const QString& note : result.notes)
                text += QStringLiteral("\n• ") + note;
            setStatus(text);
        } else {
            setStatus(tr("The report could not be written: %1").arg(error));
        }
        updateButtons();
        Q_EMIT reportExported(out, error);
    }

    void RunsPanel::onReportProgress(int done, int total, const QString& what)
    {
        if (!m_reportProgress || total <= 0)
            return;
        m_reportProgress->setMaximum(total);
        m_reportProgress->setValue(std::min(done, total - 1));
        if (m_reportRunner->isCancelRequested()) {
            m_reportProgress->setLabelText(tr("Cancelling…"));
            return;
        }
        if (!what.isEmpty())
            m_reportProgress->setLabelText(tr("Report of %1: %2").arg(m_reportRunName, what));
    }

} // namespace ui
} // namespace msup
