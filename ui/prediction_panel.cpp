#include "ui/prediction_panel.h"

#include "core/data/image_io.h"
#include "core/io/atomic_file.h"
#include "core/io/overlay.h"
#include "core/train/batch_export.h"
#include "core/train/predictor.h"
#include "core/train/training_session.h"
#include "ui/background_task.h"
#include "ui/format.h"
#include "ui/image_view.h"
#include "ui/inference_options_box.h"
#include "ui/job_runner.h"
#include "ui/label_image.h"
#include "ui/widgets.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHash>
#include <QJsonDocument>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QMutex>
#include <QMutexLocker>
#include <QPainter>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSlider>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace msup {
namespace ui {

    namespace {

        const QString kDisplayModeKey = QStringLiteral("prediction/displayMode");
        const QString kComparisonModeKey = QStringLiteral("prediction/comparisonMode");
        const QString kRecentCheckpointsKey = QStringLiteral("prediction/recentCheckpoints");
        const QString kLastImageFolderKey = QStringLiteral("prediction/lastImageFolder");
        constexpr int kMaxRecentCheckpoints = 10;
        constexpr int kOutlineThickness = 2;

        // Identifies a checkpoint file as it is now: a run that overwrites its best.pt changes it.
        QString checkpointKey(const QString& checkpoint, const QString& device)
        {
            const QFileInfo fi(checkpoint);
            return fi.absoluteFilePath() + QLatin1Char('|') + QString::number(fi.size()) + QLatin1Char('|')
                + QString::number(fi.lastModified().toMSecsSinceEpoch()) + QLatin1Char('|') + device;
        }

        // The label maps of one checkpoint depend on the inference too: part of the cache key.
        QString predictionKey(
            const QString& checkpoint, const QString& device, const msup::InferenceOptions& inference)
        {
            return checkpointKey(checkpoint, device) + QLatin1Char('|')
                + QString::fromUtf8(QJsonDocument(inference.toJson()).toJson(QJsonDocument::Compact));
        }

        QString displayModeName(PredictionPanel::DisplayMode mode)
        {
            switch (mode) {
            case PredictionPanel::DisplayMode::Uncertainty:
                return QStringLiteral("uncertainty");
            case PredictionPanel::DisplayMode::Outline:
                return QStringLiteral("outline");
            case PredictionPanel::DisplayMode::Errors:
                return QStringLiteral("errors");
            case PredictionPanel::DisplayMode::Fill:
                break;
            }
            return QStringLiteral("fill");
        }

        QPixmap swatch(const QColor& color)
        {
            QPixmap pixmap(14, 14);
            pixmap.fill(Qt::transparent);
            QPainter painter(&pixmap);
            painter.setPen(QColor(0, 0, 0, 120));
            painter.setBrush(color);
            painter.drawRect(QRect(0, 0, 13, 13));
            return pixmap;
        }

        // Left and right images next to each other (heights may differ: the lower one is padded).
        QImage sideBySide(const QImage& left, const QImage& right)
        {
            if (right.isNull())
                return left;
            if (left.isNull())
                return right;
            QImage out(
                left.width() + right.width(), std::max(left.height(), right.height()), QImage::Format_RGB888);
            out.fill(Qt::black);
            QPainter painter(&out);
            painter.setCompositionMode(QPainter::CompositionMode_Source);
            painter.drawImage(QPoint(0, 0), left);
            painter.drawImage(QPoint(left.width(), 0), right);
            return out;
        }

    } // namespace

    // Loading a checkpoint reads the whole file and rebuilds the network: do it once, and again
    // only when the checkpoint file (path, size, modification time) or the device changes, e.g.
    // when a run overwrites its best.pt. Predictor is not thread-safe: the mutex serialises use.
    struct PredictorCache {
        QMutex mutex;
        QString key;
        std::unique_ptr<msup::Predictor> predictor;

        // Call with `mutex` held.
        msup::Predictor& get(const QString& checkpoint, const QString& device)
        {
            const QString key = checkpointKey(checkpoint, device);
            if (!predictor || key != this->key) {
                predictor.reset();
                predictor = std::make_unique<msup::Predictor>(checkpoint, device);
                this->key = key;
            }
            return *predictor;
        }
    };

    // Label maps already predicted, by checkpoint (as checkpointKey()) and image file, so that
    // stepping back to an image of an opened folder shows it at once. Bounded by size: the oldest
    // maps are forgotten first.
    struct LabelCache {
        static constexpr qint64 kBudgetBytes = qint64(512) << 20;
        mutable QMutex mutex;
        QHash<QString, QImage> labels;
        QHash<QString, QImage> uncertainty; // Grayscale8, 255 = 1
        QStringList order;
        qint64 bytes = 0;
        QHash<QString, msup::CheckpointInfo> infos;

        static QString key(const QString& checkpointKey, const QString& image)
        {
            return checkpointKey + QLatin1Char('\n') + QFileInfo(image).absoluteFilePath();
        }
        bool find(const QString& ckKey, const QString& image, QImage* map, msup::CheckpointInfo* info,
            QImage* uncertaintyMap = nullptr) const
        {
            const QMutexLocker lock(&mutex);
            const auto it = labels.constFind(key(ckKey, image));
            if (it == labels.constEnd() || !infos.contains(ckKey))
                return false;
            if (map)
                *map = *it;
            if (uncertaintyMap)
                *uncertaintyMap = uncertainty.value(key(ckKey, image));
            if (info)
                *info = infos.value(ckKey);
            return true;
        }
        void insert(const QString& ckKey, const QString& image, const QImage& map,
            const QImage& uncertaintyMap, const msup::CheckpointInfo& info)
        {
            const QMutexLocker lock(&mutex);
            infos.insert(ckKey, info);
            const QString k = key(ckKey, image);
            if (labels.contains(k))
                return;
            labels.insert(k, map);
            uncertainty.insert(k, uncertaintyMap);
            order << k;
            bytes += map.sizeInBytes() + uncertaintyMap.sizeInBytes();
            while (bytes > kBudgetBytes && order.size() > 1) {
                const QString oldest = order.takeFirst();
                bytes -= labels.value(oldest).sizeInBytes() + uncertainty.value(oldest).sizeInBytes();
                labels.remove(oldest);
                uncertainty.remove(oldest);
            }
        }
    };

    namespace {

        // Labels of one image with one checkpoint: from the cache when that checkpoint file already
        // segmented that image file (`image` empty: an in-memory image, never cached); else `rgb`
        // (decoded by `load` when empty) is predicted. Throws; sets *checkpointFailed when the
        // checkpoint could not be loaded.
        template <typename Load>
        QImage labelsFor(PredictorCache& predictors, LabelCache& cache, const QString& checkpoint,
            const QString& device, const msup::InferenceOptions& inference, const QString& image,
            cv::Mat& rgb, const Load& load, msup::CheckpointInfo* info, bool* checkpointFailed,
            QImage* uncertainty)
        {
            const QString ckKey = predictionKey(checkpoint, device, inference);
            QImage map;
            if (!image.isEmpty() && cache.find(ckKey, image, &map, info, uncertainty))
                return map;
            if (rgb.empty())
                rgb = load();
            QMutexLocker lock(&predictors.mutex);
            if (!image.isEmpty() && cache.find(ckKey, image, &map, info, uncertainty)) // predicted meanwhile
                return map;
            msup::Predictor* predictor = nullptr;
            try {
                predictor = &predictors.get(checkpoint, device);
            } catch (...) {
                *checkpointFailed = true;
                throw;
            }
            *info = predictor->info();
            const msup::PredictionMaps maps = predictor->run(rgb, inference, msup::kUncertainty);
            map = msup::gray8ToQImage(maps.labels);
            cv::Mat level;
            maps.uncertainty.convertTo(level, CV_8UC1, 255.0); // saturating: [0, 1] → 0 .. 255
            const QImage uncertaintyMap = msup::gray8ToQImage(level);
            if (uncertainty)
                *uncertainty = uncertaintyMap;
            if (!image.isEmpty())
                cache.insert(ckKey, image, map, uncertaintyMap, *info);
            return map;
        }

    } // namespace

    struct PredictionResult {
        int requestId = 0;
        QString checkpoint;
        QString compareCheckpoint;
        QString imagePath;
        bool hasInfo = false;
        msup::CheckpointInfo info;
        bool hasInfoB = false;
        msup::CheckpointInfo infoB;
        QImage rgb;
        QImage labels; // Grayscale8 class indices
        QImage labelsB; // the same with the compared checkpoint
        QImage uncertainty; // Grayscale8 per-pixel uncertainty of run A (255 = 1)
        QImage uncertaintyB;
        QImage truth; // Grayscale8 ground truth of a dataset sample
        int truthIgnore = 255;
        QString truthError;
        QString errorB;
        QString error;
    };

    struct BatchResult {
        int done = 0;
        int total = 0;
        bool cancelled = false;
        QStringList failures; // "file: reason"
        QString error; // the checkpoint could not be loaded
    };

    PredictionPanel::PredictionPanel(QWidget* parent)
        : QWidget(parent)
        , m_device(msup::TrainingSession::cudaAvailable() ? QStringLiteral("cuda") : QStringLiteral("cpu"))
        , m_batchRunner(new JobRunner(this))
        , m_runner(std::make_unique<LatestTaskRunner<PredictionResult>>(
              this, [this](const PredictionResult& result) { onResult(result); }))
        , m_predictors(std::make_shared<PredictorCache>())
        , m_comparePredictors(std::make_shared<PredictorCache>())
        , m_labelCache(std::make_shared<LabelCache>())
    {
        m_hiddenErrors = QVector<bool>(5, false);
        const QSettings settings;
        const QString mode = settings.value(kDisplayModeKey).toString();
        m_preferredMode = mode == QLatin1String("outline") ? DisplayMode::Outline
            : mode == QLatin1String("errors")              ? DisplayMode::Errors
            : mode == QLatin1String("uncertainty")         ? DisplayMode::Uncertainty
                                                           : DisplayMode::Fill;
        const QString comparison = settings.value(kComparisonModeKey).toString();
        m_comparisonMode = comparison == QLatin1String("side-by-side") ? ComparisonMode::SideBySide
            : comparison == QLatin1String("swipe")                     ? ComparisonMode::Swipe
                                                                       : ComparisonMode::Single;
        connect(m_batchRunner, &JobRunner::progress, this, [this](int done) { onBatchProgress(done); });
        connect(m_batchRunner, &JobRunner::failed, this, [this](const QString& message) {
            BatchResult failure;
            failure.done = m_batchDone;
            failure.total = m_batchTotal;
            failure.error = message;
            onBatchFinished(failure);
        });

        setAcceptDrops(true);
        buildUi();
        refreshCheckpointCombos();
        updateDisplayButtons();
        updateInfo();
        updateViews();
    }

    // The batch runner stops the worker after its current image and waits for it; the worker holds
    // its own copies of what it uses.
    PredictionPanel::~PredictionPanel() = default;

    void PredictionPanel::buildUi()
    {
        auto* layout = new QVBoxLayout(this);
        layout->addLayout(buildActionRow());
        layout->addLayout(buildRunRow());
        m_inference = new InferenceOptionsBox(QStringLiteral("prediction"), Qt::Horizontal, this);
        m_inference->loadSettings();
        connect(m_inference, &InferenceOptionsBox::changed, this, [this] {
            m_inference->saveSettings();
            predict();
        });
        layout->addWidget(m_inference);

        m_checkpointLabel = textLabel(QStringLiteral("checkpointLabel"), this);
        layout->addWidget(m_checkpointLabel);
        m_imageLabel = textLabel(QStringLiteral("predictionImageLabel"), this);
        layout->addWidget(m_imageLabel);

        auto* splitter = new QSplitter(Qt::Horizontal, this);
        splitter->setChildrenCollapsible(false);
        buildImageList(splitter);
        QWidget* views = buildViews(splitter);
        QWidget* legendBox = buildLegend(splitter);
        splitter->addWidget(m_imageListBox);
        splitter->addWidget(views);
        splitter->addWidget(legendBox);
        splitter->setStretchFactor(0, 0);
        splitter->setStretchFactor(1, 1);
        splitter->setStretchFactor(2, 0);
        splitter->setSizes({ 160, 600, 240 });
        layout->addWidget(splitter, 1);

        layout->addLayout(buildDisplayControls());
        buildShortcuts();
    }

    QLayout* PredictionPanel::buildActionRow()
    {
        // Row 1: inputs, actions, progress of the opened images.
        auto* buttons = new QHBoxLayout;
        m_openImageButton = pushButton(tr("Open images…"), QStringLiteral("openImageButton"),
            tr("Segment image files that are not in the dataset (you can also drop files or folders "
               "on this panel)"),
            this, this, &PredictionPanel::openImage);
        m_openFolderButton = pushButton(tr("Open folder…"), QStringLiteral("openFolderButton"),
            tr("Segment every image of a folder in the background"), this, this,
            &PredictionPanel::openFolder);
        m_predictButton = pushButton(tr("Predict"), QStringLiteral("predictButton"),
            tr("Segment the image on show again"), this, this, &PredictionPanel::predict);
        m_exportButton = pushButton(tr("Export overlay…"), QStringLiteral("exportOverlayButton"),
            tr("Save the image with the predicted classes as PNG  [Ctrl+E]"), this, this,
            &PredictionPanel::exportOverlay);
        m_progress = new QProgressBar(this);
        m_progress->setObjectName(QStringLiteral("predictAllProgress"));
        m_progress->setFormat(tr("%v of %m images"));
        m_progress->setMaximumWidth(220);
        m_progress->setVisible(false);
        m_cancelButton = pushButton(tr("Cancel"), QStringLiteral("predictAllCancelButton"),
            tr("Stop predicting the opened images after the current one  [Esc]"), this, this,
            &PredictionPanel::cancelPredictAll);
        m_cancelButton->setVisible(false);
        buttons->addWidget(m_openImageButton);
        buttons->addWidget(m_openFolderButton);
        buttons->addWidget(m_predictButton);
        buttons->addWidget(m_exportButton);
        buttons->addStretch(1);
        buttons->addWidget(m_progress);
        buttons->addWidget(m_cancelButton);
        return buttons;
    }

    QLayout* PredictionPanel::buildRunRow()
    {
        // Row 2: the checkpoints of run A and of the run compared with it.
        auto* runs = new QHBoxLayout;
        // A run's combo of recent checkpoints, the buddy of its caption.
        auto checkpointCombo = [this](const QString& objectName, const QString& toolTip, QLabel* caption) {
            auto* combo = new QComboBox(this);
            combo->setObjectName(objectName);
            combo->setToolTip(toolTip);
            combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
            combo->setMinimumContentsLength(18);
            caption->setBuddy(combo);
            return combo;
        };
        auto* runCaption = new QLabel(tr("&Run:"), this);
        m_checkpointCombo = checkpointCombo(QStringLiteral("checkpointCombo"),
            tr("The checkpoint that segments the images (recent ones listed)"), runCaption);
        connect(m_checkpointCombo, QOverload<int>::of(&QComboBox::activated), this, [this](int index) {
            const QString path = m_checkpointCombo->itemData(index).toString();
            if (!path.isEmpty() && path != m_checkpoint)
                setCheckpoint(path);
        });
        m_openCheckpointButton = pushButton(tr("Open checkpoint…"), QStringLiteral("openCheckpointButton"),
            tr("Choose a checkpoint (.pt) written by a run"), this, this, &PredictionPanel::openCheckpoint);
        auto* compareCaption = new QLabel(tr("Compare &with:"), this);
        m_compareCombo = checkpointCombo(QStringLiteral("compareCombo"),
            tr("A second run's checkpoint, shown side by side or as a swipe"), compareCaption);
        connect(m_compareCombo, QOverload<int>::of(&QComboBox::activated), this, [this](int index) {
            const QString path = m_compareCombo->itemData(index).toString();
            if (path != m_compareCheckpoint)
                setCompareCheckpoint(path);
        });
        m_compareButton = pushButton(tr("Compare with…"), QStringLiteral("compareButton"),
            tr("Choose a second checkpoint to compare with the first"), this, this,
            &PredictionPanel::openCompareCheckpoint);
        runs->addWidget(runCaption);
        runs->addWidget(m_checkpointCombo, 1);
        runs->addWidget(m_openCheckpointButton);
        runs->addSpacing(16);
        runs->addWidget(compareCaption);
        runs->addWidget(m_compareCombo, 1);
        runs->addWidget(m_compareButton);
        return runs;
    }

    void PredictionPanel::buildImageList(QSplitter* splitter)
    {
        // The opened images.
        m_imageListBox = new QWidget(splitter);
        auto* listLayout = new QVBoxLayout(m_imageListBox);
        listLayout->setContentsMargins(0, 0, 0, 0);
        m_imageList = new QListWidget(m_imageListBox);
        m_imageList->setObjectName(QStringLiteral("predictionImageList"));
        m_imageList->setToolTip(tr("Opened images: ✓ marks the ones predicted  [PgUp/PgDn]"));
        connect(m_imageList, &QListWidget::currentRowChanged, this, [this](int row) {
            if (row >= 0 && row < m_images.size())
                showImage(m_images[row]);
        });
        auto* stepRow = new QHBoxLayout;
        // An arrow that steps through the list; its name is what screen readers say.
        auto stepButton = [this](const QString& objectName, Qt::ArrowType arrow, const QString& toolTip,
                              const QString& name, void (PredictionPanel::*step)()) {
            auto* button = new QToolButton(m_imageListBox);
            button->setObjectName(objectName);
            button->setArrowType(arrow);
            button->setToolTip(toolTip);
            button->setAccessibleName(name);
            connect(button, &QToolButton::clicked, this, step);
            return button;
        };
        m_previousButton = stepButton(QStringLiteral("previousImageButton"), Qt::UpArrow,
            tr("Previous image  [PgUp]"), tr("Previous image"), &PredictionPanel::previousImage);
        m_nextButton = stepButton(QStringLiteral("nextImageButton"), Qt::DownArrow, tr("Next image  [PgDn]"),
            tr("Next image"), &PredictionPanel::nextImage);
        stepRow->addWidget(m_previousButton);
        stepRow->addWidget(m_nextButton);
        stepRow->addStretch(1);
        listLayout->addWidget(m_imageList, 1);
        listLayout->addLayout(stepRow);
        m_imageListBox->setVisible(false);
    }

    QWidget* PredictionPanel::buildViews(QSplitter* splitter)
    {
        // The views: A (and B side by side).
        auto* views = new QWidget(splitter);
        auto* viewsLayout = new QHBoxLayout(views);
        viewsLayout->setContentsMargins(0, 0, 0, 0);
        viewsLayout->setSpacing(4);
        m_view = new ImageView(views);
        m_view->setObjectName(QStringLiteral("predictionView"));
        m_view->setInteractive(true);
        m_view->setToolTip(tr("Wheel or +/− to zoom, drag to pan, double-click or 0 to fit; in swipe "
                              "mode drag the divider or press ←/→"));
        m_viewB = new ImageView(views);
        m_viewB->setObjectName(QStringLiteral("predictionCompareView"));
        m_viewB->setInteractive(true);
        m_viewB->setToolTip(m_view->toolTip());
        m_viewB->setVisible(false);
        viewsLayout->addWidget(m_view, 1);
        viewsLayout->addWidget(m_viewB, 1);
        // Side by side, zoom and pan follow each other.
        connect(m_view, &ImageView::viewportChanged, m_viewB,
            [this](double zoom, const QPointF& center) { m_viewB->setViewport(zoom, center); });
        connect(m_viewB, &ImageView::viewportChanged, m_view,
            [this](double zoom, const QPointF& center) { m_view->setViewport(zoom, center); });
        return views;
    }

    QWidget* PredictionPanel::buildLegend(QSplitter* splitter)
    {
        // The legend, and the focus class of error mode.
        auto* legendBox = new QWidget(splitter);
        auto* legendLayout = new QVBoxLayout(legendBox);
        legendLayout->setContentsMargins(0, 0, 0, 0);
        auto* legendCaption = new QLabel(tr("&Legend:"), legendBox);
        m_legend = new QListWidget(legendBox);
        m_legend->setObjectName(QStringLiteral("predictionLegend"));
        m_legend->setToolTip(tr("Untick a class to leave it unpainted (Space toggles the selected row)"));
        legendCaption->setBuddy(m_legend);
        connect(m_legend, &QListWidget::itemChanged, this, &PredictionPanel::onLegendItemChanged);
        m_focusCaption = new QLabel(tr("&Focus:"), legendBox);
        m_focusCombo = new QComboBox(legendBox);
        m_focusCombo->setObjectName(QStringLiteral("focusClassCombo"));
        m_focusCombo->setToolTip(tr("Error mode: compare one class with the rest, or every class"));
        m_focusCaption->setBuddy(m_focusCombo);
        connect(m_focusCombo, QOverload<int>::of(&QComboBox::activated), this,
            [this](int index) { setFocusClass(m_focusCombo->itemData(index).toInt()); });
        auto* focusRow = new QHBoxLayout;
        focusRow->addWidget(m_focusCaption);
        focusRow->addWidget(m_focusCombo, 1);
        legendLayout->addWidget(legendCaption);
        legendLayout->addWidget(m_legend, 1);
        legendLayout->addLayout(focusRow);
        return legendBox;
    }

    QLayout* PredictionPanel::buildDisplayControls()
    {
        // Bottom row: display mode, opacity, comparison mode, result.
        auto* controls = new QHBoxLayout;
        m_displayGroup = new QButtonGroup(this);
        m_displayGroup->setExclusive(true);
        auto makeModeButton = [this, controls](const QString& text, const QString& name, Qt::Key key,
                                  const QString& tip, DisplayMode mode) {
            auto* button = new QToolButton(this);
            button->setText(text);
            button->setObjectName(name);
            button->setCheckable(true);
            button->setToolTip(tip);
            // Single keys act while the focus is in this panel only, so that another panel's keys
            // (the dataset panel's O) and typing elsewhere are left alone.
            auto* shortcut = new QShortcut(QKeySequence(key), this);
            shortcut->setContext(Qt::WidgetWithChildrenShortcut);
            connect(shortcut, &QShortcut::activated, button, [button] {
                if (button->isEnabled())
                    button->click();
            });
            m_displayGroup->addButton(button, int(mode));
            controls->addWidget(button);
            return button;
        };
        m_fillButton = makeModeButton(tr("Fill"), QStringLiteral("fillModeButton"), Qt::Key_F,
            tr("Paint every pixel with its predicted class  [F]"), DisplayMode::Fill);
        m_outlineButton = makeModeButton(tr("Outline"), QStringLiteral("outlineModeButton"), Qt::Key_O,
            tr("Paint only the boundaries of the predicted regions  [O]"), DisplayMode::Outline);
        m_errorsButton = makeModeButton(
            tr("Errors"), QStringLiteral("errorModeButton"), Qt::Key_E, QString(), DisplayMode::Errors);
        m_uncertaintyButton
            = makeModeButton(tr("Uncertainty"), QStringLiteral("uncertaintyModeButton"), Qt::Key_U,
                tr("Heat map of the per-pixel uncertainty: black certain, pale yellow unsure (normalised "
                   "entropy; "
                   "with flip TTA, where the passes disagree)  [U]"),
                DisplayMode::Uncertainty);
        connect(m_displayGroup, &QButtonGroup::idClicked, this, [this](int id) {
            if (!setDisplayMode(DisplayMode(id)))
                updateDisplayButtons();
        });
        controls->addSpacing(16);
        auto* opacityCaption = new QLabel(tr("Prediction opacity:"), this);
        m_opacitySlider = opacitySlider(QStringLiteral("predictionOpacitySlider"),
            tr("0 %: the image only, 100 %: the class colours only"), 200, opacityCaption, this);
        connect(m_opacitySlider, &QSlider::valueChanged, this, &PredictionPanel::updateOverlay);
        controls->addWidget(opacityCaption);
        controls->addWidget(m_opacitySlider);
        controls->addSpacing(16);
        auto* comparisonCaption = new QLabel(tr("&View:"), this);
        m_comparisonCombo = new QComboBox(this);
        m_comparisonCombo->setObjectName(QStringLiteral("comparisonModeCombo"));
        m_comparisonCombo->addItem(tr("Single"), int(ComparisonMode::Single));
        m_comparisonCombo->addItem(tr("Side by side"), int(ComparisonMode::SideBySide));
        m_comparisonCombo->addItem(tr("Swipe"), int(ComparisonMode::Swipe));
        m_comparisonCombo->setToolTip(
            tr("How two runs are compared: run A alone, both side by side, or a swipe divider  [M]"));
        m_comparisonCombo->setCurrentIndex(int(m_comparisonMode));
        comparisonCaption->setBuddy(m_comparisonCombo);
        connect(m_comparisonCombo, QOverload<int>::of(&QComboBox::activated), this, [this](int index) {
            setComparisonMode(ComparisonMode(m_comparisonCombo->itemData(index).toInt()));
        });
        controls->addWidget(comparisonCaption);
        controls->addWidget(m_comparisonCombo);
        m_resultLabel = new QLabel(this);
        m_resultLabel->setObjectName(QStringLiteral("predictionResultLabel"));
        m_resultLabel->setWordWrap(true);
        controls->addSpacing(16);
        controls->addWidget(m_resultLabel, 1);
        return controls;
    }

    void PredictionPanel::buildShortcuts()
    {
        auto* cancel = new QShortcut(QKeySequence(Qt::Key_Escape), this);
        cancel->setContext(Qt::WidgetWithChildrenShortcut);
        connect(cancel, &QShortcut::activated, this, &PredictionPanel::cancelPredictAll);
        auto* cycle = new QShortcut(QKeySequence(Qt::Key_M), this);
        cycle->setContext(Qt::WidgetWithChildrenShortcut);
        connect(cycle, &QShortcut::activated, this,
            [this] { setComparisonMode(ComparisonMode((int(m_comparisonMode) + 1) % 3)); });
        auto* next = new QShortcut(QKeySequence(Qt::Key_PageDown), this);
        next->setContext(Qt::WidgetWithChildrenShortcut);
        connect(next, &QShortcut::activated, this, &PredictionPanel::nextImage);
        auto* previous = new QShortcut(QKeySequence(Qt::Key_PageUp), this);
        previous->setContext(Qt::WidgetWithChildrenShortcut);
        connect(previous, &QShortcut::activated, this, &PredictionPanel::previousImage);
    }

    bool PredictionPanel::isBusy() const
    {
        return m_runner->isBusy();
    }

    // ---- Checkpoints -------------------------------------------------------------------------

    QString PredictionPanel::runName(const QString& checkpointPath)
    {
        if (checkpointPath.isEmpty())
            return {};
        const QFileInfo fi(checkpointPath);
        const QDir dir = fi.dir();
        if (dir.dirName() == QLatin1String("checkpoints")) {
            QDir run = dir;
            if (run.cdUp())
                return tr("%1 (%2)").arg(run.dirName(), fi.completeBaseName());
        }
        return fi.fileName();
    }

    void PredictionPanel::rememberCheckpoint(const QString& path)
    {
        if (path.isEmpty())
            return;
        QSettings settings;
        QStringList recent = settings.value(kRecentCheckpointsKey).toStringList();
        const QString absolute = QFileInfo(path).absoluteFilePath();
        recent.removeAll(absolute);
        recent.prepend(absolute);
        while (recent.size() > kMaxRecentCheckpoints)
            recent.removeLast();
        settings.setValue(kRecentCheckpointsKey, recent);
    }

    void PredictionPanel::refreshCheckpointCombos()
    {
        QStringList recent = QSettings().value(kRecentCheckpointsKey).toStringList();
        for (const QString& current : { m_compareCheckpoint, m_checkpoint }) {
            if (!current.isEmpty()) {
                recent.removeAll(QFileInfo(current).absoluteFilePath());
                recent.prepend(QFileInfo(current).absoluteFilePath());
            }
        }
        auto fill = [&recent](QComboBox* combo, const QString& current, const QString& none) {
            const QSignalBlocker block(combo);
            combo->clear();
            combo->addItem(none, QString());
            for (const QString& path : recent) {
                combo->addItem(runName(path), path);
                combo->setItemData(combo->count() - 1, QDir::toNativeSeparators(path), Qt::ToolTipRole);
            }
            const int index = current.isEmpty() ? 0 : combo->findData(QFileInfo(current).absoluteFilePath());
            combo->setCurrentIndex(std::max(0, index));
        };
        fill(m_checkpointCombo, m_checkpoint, tr("No checkpoint"));
        fill(m_compareCombo, m_compareCheckpoint, tr("No comparison"));
    }

    void PredictionPanel::setCheckpoint(const QString& path)
    {
        m_checkpoint = path;
        m_hasInfo = false;
        clearPrediction();
        rememberCheckpoint(path);
        refreshCheckpointCombos();
        updateInfo();
        updateViews();
        Q_EMIT checkpointChanged(path);
        Q_EMIT exportAvailable(false);
        predict();
        if (!m_images.isEmpty())
            startPredictAll();
    }

    void PredictionPanel::setCompareCheckpoint(const QString& path)
    {
        m_compareCheckpoint = path;
        m_hasInfoB = false;
        m_infoB = {};
        m_labelsB = cv::Mat();
        m_overlayB = QImage();
        rememberCheckpoint(path);
        refreshCheckpointCombos();
        if (!path.isEmpty() && m_comparisonMode == ComparisonMode::Single)
            setComparisonMode(ComparisonMode::SideBySide);
        updateInfo();
        updateViews();
        Q_EMIT compareCheckpointChanged(path);
        predict();
        if (!m_images.isEmpty() && !path.isEmpty())
            startPredictAll();
    }

    QString PredictionPanel::chooseCheckpoint(const QString& title, const QString& near)
    {
        // Beside the checkpoint shown, else in the app's runs folder.
        const QString start = near.isEmpty()
            ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/runs")
            : QFileInfo(near).absolutePath();
        return QFileDialog::getOpenFileName(
            this, title, start, tr("MaskSup checkpoints (*.pt);;All files (*)"));
    }

    void PredictionPanel::openCheckpoint()
    {
        const QString path = chooseCheckpoint(tr("Open checkpoint"), m_checkpoint);
        if (!path.isEmpty())
            setCheckpoint(path);
    }

    void PredictionPanel::openCompareCheckpoint()
    {
        const QString path = chooseCheckpoint(tr("Compare with checkpoint"),
            m_compareCheckpoint.isEmpty() ? m_checkpoint : m_compareCheckpoint);
        if (!path.isEmpty())
            setCompareCheckpoint(path);
    }

    // ---- Images ------------------------------------------------------------------------------

    void PredictionPanel::clearPrediction()
    {
        m_labels = cv::Mat();
        m_labelsB = cv::Mat();
        m_rgb = cv::Mat();
        m_overlayA = QImage();
        m_overlayB = QImage();
        m_errorCounts = {};
    }

    void PredictionPanel::setImage(const QImage& rgb, const QString& name)
    {
        m_inputImage = rgb;
        m_imagePath = name;
        m_hasSample = false;
        m_truth = cv::Mat();
        {
            const QSignalBlocker block(m_imageList);
            m_imageList->setCurrentRow(-1);
        }
        updateInfo();
        if (!m_checkpoint.isEmpty() && !rgb.isNull())
            predict();
    }

    void PredictionPanel::setImagePath(const QString& path)
    {
        if (path == m_imagePath && m_inputImage.isNull() && !m_hasSample)
            return;
        m_inputImage = QImage();
        m_imagePath = path;
        m_hasSample = false;
        m_truth = cv::Mat();
        {
            const QSignalBlocker block(m_imageList);
            m_imageList->setCurrentRow(m_images.indexOf(path));
        }
        if (path.isEmpty()) {
            // A new dataset: the previous prediction belongs to an image of the old one.
            ++m_requestId;
            clearPrediction();
            Q_EMIT exportAvailable(false);
        }
        updateInfo();
        updateDisplayButtons();
        if (!m_checkpoint.isEmpty() && !path.isEmpty())
            predict();
    }

    void PredictionPanel::setDatasetSample(const msup::Dataset& dataset, int index)
    {
        if (index < 0 || index >= dataset.samples.size()) {
            setImagePath({});
            return;
        }
        const msup::Sample& sample = dataset.samples[index];
        m_inputImage = QImage();
        m_hasSample = true;
        m_sampleDataset = dataset;
        m_sampleIndex = index;
        m_imagePath = sample.frame >= 0 ? QDir(dataset.root).filePath(QStringLiteral("frame_") + sample.id)
                                        : sample.imagePath;
        m_truth = cv::Mat();
        {
            const QSignalBlocker block(m_imageList);
            m_imageList->setCurrentRow(-1);
        }
        updateInfo();
        updateDisplayButtons();
        if (!m_checkpoint.isEmpty())
            predict();
    }

    void PredictionPanel::setGroundTruth(const cv::Mat& labels, int ignoreIndex)
    {
        if (!labels.empty() && labels.type() != CV_8UC1)
            return;
        m_truth = labels.clone();
        m_truthIgnore = ignoreIndex;
        if (m_truth.empty() || (!m_labels.empty() && m_truth.size() != m_labels.size()))
            m_truth = cv::Mat();
        updateDisplayButtons();
        updateOverlay();
    }

    void PredictionPanel::showImage(const QString& path)
    {
        m_inputImage = QImage();
        m_hasSample = false;
        m_truth = cv::Mat();
        m_imagePath = path;
        updateInfo();
        updateDisplayButtons();
        if (!m_checkpoint.isEmpty())
            predict();
    }

    void PredictionPanel::openImage()
    {
        const QString start = QSettings().value(kLastImageFolderKey, QDir::homePath()).toString();
        const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Open images"), start,
            tr("Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff);;All files (*)"));
        if (paths.isEmpty())
            return;
        QSettings().setValue(kLastImageFolderKey, QFileInfo(paths.first()).absolutePath());
        openImages(paths);
    }

    void PredictionPanel::openFolder()
    {
        const QString start = QSettings().value(kLastImageFolderKey, QDir::homePath()).toString();
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Open a folder of images"), start);
        if (folder.isEmpty())
            return;
        QSettings().setValue(kLastImageFolderKey, folder);
        openImages({ folder });
    }

    void PredictionPanel::openImages(const QStringList& filesOrFolders)
    {
        QVector<msup::ExportSkip> problems;
        const QStringList images = msup::collectExportImages(filesOrFolders, &problems);
        if (images.isEmpty()) {
            QStringList reasons;
            for (const msup::ExportSkip& p : problems)
                reasons << QDir::toNativeSeparators(p.file) + QStringLiteral(": ") + p.reason;
            showError(tr("No image to open."),
                reasons.join(QLatin1Char('\n')) + QStringLiteral("\n\n")
                    + tr("Choose PNG, JPEG, BMP or TIFF files, or a folder that holds some."));
            return;
        }
        cancelPredictAll();
        m_images = images;
        {
            const QSignalBlocker block(m_imageList);
            m_imageList->clear();
            for (const QString& path : images) {
                auto* item = new QListWidgetItem(QFileInfo(path).fileName(), m_imageList);
                item->setToolTip(QDir::toNativeSeparators(path));
            }
        }
        m_imageListBox->setVisible(true);
        m_imageList->setCurrentRow(0); // shows (and predicts) the first one
        if (!m_checkpoint.isEmpty())
            startPredictAll();
    }

    int PredictionPanel::currentImageIndex() const
    {
        if (m_hasSample || !m_inputImage.isNull())
            return -1;
        return m_imageList->currentRow() >= 0 ? m_imageList->currentRow() : -1;
    }

    void PredictionPanel::setCurrentImageIndex(int index)
    {
        if (index < 0 || index >= m_images.size())
            return;
        if (index == m_imageList->currentRow() && m_imagePath == m_images[index] && !m_hasSample)
            return;
        if (index == m_imageList->currentRow())
            showImage(m_images[index]);
        else
            m_imageList->setCurrentRow(index);
    }

    void PredictionPanel::nextImage()
    {
        if (m_images.isEmpty())
            return;
        const int current = currentImageIndex();
        setCurrentImageIndex(current < 0 ? 0 : std::min<int>(current + 1, m_images.size() - 1));
    }

    void PredictionPanel::previousImage()
    {
        if (m_images.isEmpty())
            return;
        const int current = currentImageIndex();
        setCurrentImageIndex(current < 0 ? 0 : std::max(current - 1, 0));
    }

    bool PredictionPanel::hasPredictionFor(const QString& imagePath) const
    {
        if (m_checkpoint.isEmpty())
            return false;
        const msup::InferenceOptions inference = m_inference->options();
        if (!m_labelCache->find(
                predictionKey(m_checkpoint, m_device, inference), imagePath, nullptr, nullptr))
            return false;
        return m_compareCheckpoint.isEmpty()
            || m_labelCache->find(
                predictionKey(m_compareCheckpoint, m_device, inference), imagePath, nullptr, nullptr);
    }

    void PredictionPanel::dragEnterEvent(QDragEnterEvent* event)
    {
        if (!event->mimeData()->hasUrls())
            return;
        for (const QUrl& url : event->mimeData()->urls()) {
            if (!url.isLocalFile())
                return;
        }
        event->acceptProposedAction();
    }

    void PredictionPanel::dropEvent(QDropEvent* event)
    {
        QStringList images;
        QString checkpoint;
        for (const QUrl& url : event->mimeData()->urls()) {
            const QString path = url.toLocalFile();
            if (QFileInfo(path).suffix().compare(QLatin1String("pt"), Qt::CaseInsensitive) == 0)
                checkpoint = path;
            else
                images << path;
        }
        event->acceptProposedAction();
        if (!checkpoint.isEmpty())
            setCheckpoint(checkpoint);
        if (!images.isEmpty())
            openImages(images);
    }

    // ---- Predicting --------------------------------------------------------------------------

    void PredictionPanel::predict()
    {
        if (m_checkpoint.isEmpty())
            return;
        const QString checkpoint = m_checkpoint;
        const QString compare = m_compareCheckpoint;
        const QString imagePath = m_imagePath;
        const QImage inputImage = m_inputImage;
        const bool hasSample = m_hasSample;
        const msup::Dataset dataset = hasSample ? m_sampleDataset : msup::Dataset();
        const int sampleIndex = m_sampleIndex;
        const QString device = m_device;
        const int requestId = ++m_requestId;
        m_resultLabel->setText(imagePath.isEmpty() ? tr("Reading the checkpoint…") : tr("Predicting…"));
        m_predictButton->setEnabled(false);
        m_runner->request([checkpoint, compare, imagePath, inputImage, hasSample, dataset, sampleIndex,
                              device, requestId, inference = m_inference->options(), cacheA = m_predictors,
                              cacheB = m_comparePredictors, labels = m_labelCache]() {
            PredictionResult result;
            result.requestId = requestId;
            result.checkpoint = checkpoint;
            result.compareCheckpoint = compare;
            result.imagePath = imagePath;
            bool checkpointFailed = false;
            try {
                if (imagePath.isEmpty() && inputImage.isNull()) {
                    result.info = msup::readCheckpointInfo(checkpoint);
                    result.hasInfo = true;
                    return result;
                }
                cv::Mat rgb;
                if (!inputImage.isNull())
                    rgb = msup::qImageToRgb(inputImage);
                else if (hasSample)
                    rgb = msup::loadSampleImage(dataset, dataset.samples[sampleIndex]);
                else
                    rgb = msup::loadImageRgb(imagePath);
                result.rgb = msup::rgbToQImage(rgb);
                if (hasSample) {
                    try {
                        result.truth = msup::gray8ToQImage(msup::loadLabels(
                            dataset, dataset.samples[sampleIndex], QSize(rgb.cols, rgb.rows)));
                        result.truthIgnore = dataset.ignoreIndex;
                    } catch (const std::exception& e) {
                        result.truthError = QString::fromLocal8Bit(e.what());
                    }
                }
                const QString cacheName = inputImage.isNull() ? imagePath : QString();
                auto noLoad = [] { return cv::Mat(); };
                result.labels = labelsFor(*cacheA, *labels, checkpoint, device, inference, cacheName, rgb,
                    noLoad, &result.info, &checkpointFailed, &result.uncertainty);
                result.hasInfo = true;
                if (!compare.isEmpty()) {
                    try {
                        bool failedB = false;
                        result.labelsB = labelsFor(*cacheB, *labels, compare, device, inference, cacheName,
                            rgb, noLoad, &result.infoB, &failedB, &result.uncertaintyB);
                        result.hasInfoB = true;
                    } catch (const std::exception& e) {
                        result.errorB = QString::fromLocal8Bit(e.what());
                    }
                }
            } catch (const std::exception& e) {
                result.error = QString::fromLocal8Bit(e.what());
                // An unreadable image is not a checkpoint problem: say which one failed.
                if (!checkpointFailed && !result.hasInfo) {
                    try {
                        result.info = msup::readCheckpointInfo(checkpoint);
                        result.hasInfo = true;
                    } catch (const std::exception&) {
                    }
                }
            }
            return result;
        });
    }

    void PredictionPanel::onResult(const PredictionResult& result)
    {
        m_predictButton->setEnabled(!m_checkpoint.isEmpty());
        if (result.requestId != m_requestId)
            return;
        if (!result.error.isEmpty()) {
            m_resultLabel->setText(tr("Prediction failed."));
            const bool checkpointProblem = !result.hasInfo;
            showError(checkpointProblem
                    ? tr("Could not load the checkpoint “%1”.")
                          .arg(QDir::toNativeSeparators(result.checkpoint))
                    : tr("Could not segment the image “%1”.").arg(QDir::toNativeSeparators(result.imagePath)),
                result.error + QStringLiteral("\n\n")
                    + (checkpointProblem ? tr("Choose a checkpoint written by MaskSup Studio (a .pt file in "
                                              "the checkpoints folder of a run) with Open checkpoint….")
                                         : tr("Check that the image file is complete and readable, or open "
                                              "another image.")));
            Q_EMIT predictionFailed(result.error);
            return;
        }
        m_info = result.info;
        m_hasInfo = result.hasInfo;
        m_infoB = result.infoB;
        m_hasInfoB = result.hasInfoB;
        if (!result.rgb.isNull()) {
            m_rgb = msup::qImageToRgb(result.rgb);
            m_labels = msup::qImageToGray8(result.labels);
            m_labelsB = msup::qImageToGray8(result.labelsB);
            auto toUnit = [](const QImage& levels) {
                cv::Mat u;
                if (!levels.isNull())
                    msup::qImageToGray8(levels).convertTo(u, CV_32FC1, 1.0 / 255);
                return u;
            };
            m_uncertainty = toUnit(result.uncertainty);
            m_uncertaintyB = toUnit(result.uncertaintyB);
            m_shownImagePath = result.imagePath;
            if (!result.truth.isNull()) {
                m_truth = msup::qImageToGray8(result.truth);
                m_truthIgnore = result.truthIgnore;
            } else if (!m_truth.empty() && m_truth.size() != m_labels.size()) {
                m_truth = cv::Mat();
            }
        }
        updateInfo();
        rebuildFocusCombo();
        updateDisplayButtons();
        updateOverlay();
        if (!result.errorB.isEmpty())
            m_resultLabel->setText(
                tr("Could not predict with the compared checkpoint “%1”: %2")
                    .arg(QDir::toNativeSeparators(result.compareCheckpoint), result.errorB));
        else if (!result.truthError.isEmpty())
            m_resultLabel->setText(tr("No ground truth for error mode: %1").arg(result.truthError));
        if (!m_labels.empty()) {
            Q_EMIT exportAvailable(true);
            Q_EMIT predictionReady(result.imagePath);
        }
    }

    void PredictionPanel::startPredictAll()
    {
        if (m_checkpoint.isEmpty() || m_images.isEmpty())
            return;
        m_batchRunning = true;
        m_batchDone = 0;
        m_batchTotal = int(m_images.size());
        for (int i = 0; i < m_imageList->count() && i < m_images.size(); ++i) {
            m_imageList->item(i)->setData(Qt::UserRole, false);
            m_imageList->item(i)->setText(QFileInfo(m_images[i]).fileName());
        }
        m_progress->setRange(0, m_batchTotal);
        m_progress->setValue(0);
        m_progress->setVisible(true);
        m_cancelButton->setVisible(true);
        m_cancelButton->setEnabled(true);
        Q_EMIT batchProgress(0, m_batchTotal);

        const QStringList images = m_images;
        const QString checkpoint = m_checkpoint;
        const QString compare = m_compareCheckpoint;
        const QString device = m_device;
        // A previous run is overtaken: it stops after its current image and its result is dropped.
        // A cancelled run still delivers its result (how many images were predicted).
        m_batchRunner->start<BatchResult>(
            [images, checkpoint, compare, device, inference = m_inference->options(), cacheA = m_predictors,
                cacheB = m_comparePredictors, labels = m_labelCache](msup::Progress& progress) {
                BatchResult result;
                result.total = int(images.size());
                for (const QString& image : images) {
                    if (progress.isCancelled()) {
                        result.cancelled = true;
                        break;
                    }
                    cv::Mat rgb;
                    auto load = [&image] { return msup::loadImageRgb(image); };
                    bool checkpointFailed = false;
                    try {
                        msup::CheckpointInfo info;
                        labelsFor(*cacheA, *labels, checkpoint, device, inference, image, rgb, load, &info,
                            &checkpointFailed, nullptr);
                        if (!compare.isEmpty())
                            labelsFor(*cacheB, *labels, compare, device, inference, image, rgb, load, &info,
                                &checkpointFailed, nullptr);
                    } catch (const std::exception& e) {
                        // An image that cannot be read is listed; a checkpoint that cannot be loaded
                        // ends the run with its error (and the count of images done).
                        if (checkpointFailed) {
                            result.error = QString::fromLocal8Bit(e.what());
                            break;
                        }
                        result.failures << QFileInfo(image).fileName() + QStringLiteral(": ")
                                + QString::fromLocal8Bit(e.what());
                    }
                    ++result.done;
                    progress.report(result.done, result.total);
                }
                return result;
            },
            [this](const BatchResult& result) { onBatchFinished(result); },
            JobRunner::OnCancel::DeliverResult);
    }

    void PredictionPanel::cancelPredictAll()
    {
        if (!m_batchRunning)
            return;
        m_batchRunner->cancel();
        m_cancelButton->setEnabled(false);
        m_resultLabel->setText(tr("Cancelling after the current image…"));
    }

    void PredictionPanel::onBatchProgress(int done)
    {
        if (!m_batchRunning || done == m_batchDone)
            return;
        m_batchDone = done;
        m_progress->setValue(done);
        const msup::InferenceOptions inference = m_inference->options();
        const QString keyA = predictionKey(m_checkpoint, m_device, inference);
        const QString keyB = m_compareCheckpoint.isEmpty()
            ? QString()
            : predictionKey(m_compareCheckpoint, m_device, inference);
        for (int i = 0; i < m_imageList->count() && i < m_images.size(); ++i) {
            QListWidgetItem* item = m_imageList->item(i);
            if (item->data(Qt::UserRole).toBool() || !m_labelCache->find(keyA, m_images[i], nullptr, nullptr)
                || (!keyB.isEmpty() && !m_labelCache->find(keyB, m_images[i], nullptr, nullptr)))
                continue;
            item->setData(Qt::UserRole, true);
            item->setText(QStringLiteral("✓ ") + QFileInfo(m_images[i]).fileName());
        }
        Q_EMIT batchProgress(done, m_batchTotal);
    }

    void PredictionPanel::onBatchFinished(const BatchResult& result)
    {
        onBatchProgress(result.done);
        m_batchRunning = false;
        m_batchDone = result.done;
        m_progress->setValue(result.done);
        m_progress->setVisible(false);
        m_cancelButton->setVisible(false);
        if (!result.error.isEmpty()) {
            m_resultLabel->setText(tr("Predicting the opened images failed."));
        } else if (result.cancelled) {
            m_resultLabel->setText(
                tr("Cancelled: %1 of %2 images predicted.").arg(result.done).arg(result.total));
        } else if (!result.failures.isEmpty()) {
            m_resultLabel->setText(tr("%1 of %2 images predicted; %3 could not be read.")
                                       .arg(result.done - result.failures.size())
                                       .arg(result.total)
                                       .arg(result.failures.size()));
            m_resultLabel->setToolTip(result.failures.join(QLatin1Char('\n')));
        } else {
            m_resultLabel->setText(tr("All %1 images predicted.").arg(result.total));
        }
        Q_EMIT batchProgress(result.done, result.total);
        Q_EMIT batchFinished(result.done, result.total, result.cancelled);
        if (!result.error.isEmpty())
            showError(tr("Could not load the checkpoint to predict the opened images."), result.error);
    }

    // ---- Display -----------------------------------------------------------------------------

    double PredictionPanel::overlayOpacity() const
    {
        return m_opacitySlider->value() / 100.0;
    }

    void PredictionPanel::setOverlayOpacity(double opacity)
    {
        m_opacitySlider->setValue(qRound(qBound(0.0, opacity, 1.0) * 100));
    }

    PredictionPanel::DisplayMode PredictionPanel::displayMode() const
    {
        if (m_preferredMode == DisplayMode::Errors && !isErrorModeAvailable())
            return DisplayMode::Fill;
        return m_preferredMode;
    }

    bool PredictionPanel::setDisplayMode(DisplayMode mode)
    {
        if (mode == DisplayMode::Errors && !isErrorModeAvailable())
            return false;
        const DisplayMode before = displayMode();
        m_preferredMode = mode;
        QSettings().setValue(kDisplayModeKey, displayModeName(mode));
        updateDisplayButtons();
        updateOverlay();
        if (displayMode() != before)
            Q_EMIT displayModeChanged(displayMode());
        return true;
    }

    void PredictionPanel::updateDisplayButtons()
    {
        const bool available = isErrorModeAvailable();
        m_errorsButton->setEnabled(available);
        if (available)
            m_errorsButton->setToolTip(tr("Colour each pixel by how the prediction compares with the ground "
                                          "truth: true positives green, false positives red, false "
                                          "negatives blue  [E]"));
        else if (!m_hasSample && m_truth.empty())
            m_errorsButton->setToolTip(tr("Error mode needs ground truth: select a sample of the dataset "
                                          "(opened image files have no labels)."));
        else
            m_errorsButton->setToolTip(
                tr("Error mode needs ground truth and a prediction: wait for both, or check the labels."));
        QAbstractButton* button = m_displayGroup->button(int(displayMode()));
        if (button && !button->isChecked()) {
            const QSignalBlocker block(m_displayGroup);
            button->setChecked(true);
        }
    }

    void PredictionPanel::setClassHidden(int classIndex, bool hidden)
    {
        if (classIndex < 0 || classIndex > 255)
            return;
        if (m_hiddenClasses.size() <= classIndex)
            m_hiddenClasses.resize(classIndex + 1, false);
        m_hiddenClasses[classIndex] = hidden;
        updateOverlay();
    }

    bool PredictionPanel::isClassHidden(int classIndex) const
    {
        return classIndex >= 0 && classIndex < m_hiddenClasses.size() && m_hiddenClasses[classIndex];
    }

    void PredictionPanel::setErrorHidden(int errorCode, bool hidden)
    {
        if (errorCode < 0 || errorCode >= m_hiddenErrors.size())
            return;
        m_hiddenErrors[errorCode] = hidden;
        updateOverlay();
    }

    bool PredictionPanel::isErrorHidden(int errorCode) const
    {
        return errorCode >= 0 && errorCode < m_hiddenErrors.size() && m_hiddenErrors[errorCode];
    }

    void PredictionPanel::setFocusClass(int classIndex)
    {
        m_focusClass = classIndex < 0 ? -1 : classIndex;
        const int index = m_focusCombo->findData(m_focusClass);
        if (index >= 0) {
            const QSignalBlocker block(m_focusCombo);
            m_focusCombo->setCurrentIndex(index);
        }
        updateOverlay();
    }

    void PredictionPanel::rebuildFocusCombo()
    {
        const int classes = int(m_info.classNames.size());
        if (m_focusCombo->count() == classes + 1)
            return;
        const QSignalBlocker block(m_focusCombo);
        m_focusCombo->clear();
        m_focusCombo->addItem(tr("All classes"), -1);
        for (int c = 0; c < classes; ++c) {
            const QColor color = c < m_info.classColors.size() ? m_info.classColors[c] : QColor(Qt::gray);
            m_focusCombo->addItem(QIcon(swatch(color)), m_info.classNames[c], c);
        }
        if (m_focusClass >= classes)
            m_focusClass = -1;
        m_focusCombo->setCurrentIndex(std::max(0, m_focusCombo->findData(m_focusClass)));
    }

    void PredictionPanel::setComparisonMode(ComparisonMode mode)
    {
        m_comparisonMode = mode;
        {
            const QSignalBlocker block(m_comparisonCombo);
            m_comparisonCombo->setCurrentIndex(m_comparisonCombo->findData(int(mode)));
        }
        const char* names[] = { "single", "side-by-side", "swipe" };
        QSettings().setValue(kComparisonModeKey, QString::fromLatin1(names[int(mode)]));
        updateViews();
    }

    double PredictionPanel::swipePosition() const
    {
        return m_view->swipePosition();
    }

    void PredictionPanel::setSwipePosition(double fraction)
    {
        m_view->setSwipePosition(fraction);
    }

    QImage PredictionPanel::overlayFor(const cv::Mat& labels, const cv::Mat& uncertainty,
        const msup::CheckpointInfo& info, bool hasInfo, msup::ErrorCounts* counts) const
    {
        if (m_rgb.empty() || labels.empty() || !hasInfo)
            return {};
        const DisplayMode mode = displayMode();
        if (mode == DisplayMode::Uncertainty && uncertainty.size() == m_rgb.size())
            return msup::uncertaintyOverlay(m_rgb, uncertainty, overlayOpacity());
        if (mode == DisplayMode::Errors) {
            // errorOverlay()'s drawing, with the error kinds the legend hides left unpainted.
            const cv::Mat codes = msup::errorCodes(
                m_truth, labels, int(info.classNames.size()), m_focusClass, m_truthIgnore, counts);
            msup::OverlayOptions options;
            options.opacity = overlayOpacity();
            options.skipBackground = true;
            options.ignoreIndex = msup::ErrorIgnored;
            options.hidden = m_hiddenErrors;
            return msup::colorOverlay(m_rgb, codes, msup::errorColors(), options);
        }
        msup::OverlayOptions options
            = msup::overlayOptionsFor(int(info.classNames.size()), info.ignoreIndex, overlayOpacity());
        options.hidden = m_hiddenClasses;
        if (mode == DisplayMode::Outline)
            options.outlineThickness = kOutlineThickness;
        return msup::colorOverlay(m_rgb, labels, info.classColors, options);
    }

    QImage PredictionPanel::overlayImage() const
    {
        return m_labels.empty() ? QImage() : m_overlayA;
    }

    QImage PredictionPanel::shownImage() const
    {
        if (m_overlayA.isNull())
            return {};
        const bool comparing = !m_overlayB.isNull();
        switch (m_comparisonMode) {
        case ComparisonMode::SideBySide:
            return comparing ? sideBySide(m_view->image(), m_viewB->image()) : m_view->image();
        case ComparisonMode::Swipe:
            return m_view->composedImage();
        case ComparisonMode::Single:
            break;
        }
        return m_view->image();
    }

    void PredictionPanel::updateOverlay()
    {
        if (m_rgb.empty() || m_labels.empty())
            return;
        try {
            m_errorCounts = {};
            m_overlayA = overlayFor(m_labels, m_uncertainty, m_info, m_hasInfo, &m_errorCounts);
            m_overlayB = m_labelsB.size() == m_labels.size()
                ? overlayFor(m_labelsB, m_uncertaintyB, m_infoB, m_hasInfoB, nullptr)
                : QImage();
        } catch (const std::exception& e) {
            m_resultLabel->setText(tr("Overlay failed: %1").arg(QString::fromLocal8Bit(e.what())));
            return;
        }

        // Share of the image each predicted class of run A covers.
        const QVector<qint64> counts = labelHistogram(m_labels);
        const double total = std::max<double>(1.0, double(m_labels.total()));
        m_classShare.clear();
        for (int c = 0; c < int(m_info.classNames.size()); ++c)
            m_classShare << (c < counts.size() ? 100.0 * counts[c] / total : 0.0);
        rebuildLegend();
        updateViews();
        const DisplayMode mode = displayMode();
        if (mode == DisplayMode::Errors) {
            const qint64 valid = m_errorCounts.truePositive + m_errorCounts.falsePositive
                + m_errorCounts.falseNegative + m_errorCounts.wrongClass;
            // The legend's words: right / wrong class for all classes of a multi-class task,
            // true / false positive and false negative for a binary task or one class in focus.
            QString text = tr("No labelled pixel to compare in this image.");
            if (valid > 0 && m_legendMultiClassAll)
                text = tr("Errors of %1: %2 px right class, %3 px wrong class")
                           .arg(runNameA())
                           .arg(m_errorCounts.truePositive)
                           .arg(m_errorCounts.wrongClass);
            else if (valid > 0)
                text = tr("Errors of %1: %2 px true positive, %3 px false positive, %4 px false negative")
                           .arg(runNameA())
                           .arg(m_errorCounts.truePositive)
                           .arg(m_errorCounts.falsePositive)
                           .arg(m_errorCounts.falseNegative);
            m_resultLabel->setText(text);
        } else if (mode == DisplayMode::Uncertainty && !m_uncertainty.empty()) {
            m_resultLabel->setText(
                tr("Uncertainty of %1: mean %2 (black 0 = certain, pale yellow 1 = unsure)")
                    .arg(runNameA())
                    .arg(cv::mean(m_uncertainty)[0], 0, 'f', 3));
        } else {
            m_resultLabel->setText(m_labelsB.empty()
                    ? tr("Predicted with %1.").arg(runNameA())
                    : tr("Predicted with %1 and %2.").arg(runNameA(), runNameB()));
        }
    }

    void PredictionPanel::updateViews()
    {
        const bool comparing = !m_compareCheckpoint.isEmpty();
        const bool sideBySide = comparing && m_comparisonMode == ComparisonMode::SideBySide;
        const bool swipe = comparing && m_comparisonMode == ComparisonMode::Swipe;
        m_viewB->setVisible(sideBySide);
        if (m_overlayA.isNull()) {
            m_view->setSwipeImage({});
            if (m_checkpoint.isEmpty())
                m_view->clear(tr("No prediction yet"));
            else if (m_imagePath.isEmpty() && m_inputImage.isNull())
                m_view->clear(tr("No image selected"));
            else
                m_view->clear(tr("Predicting…"));
            m_viewB->clear(comparing ? tr("Predicting…") : QString());
        } else {
            m_view->setImage(m_overlayA);
            m_view->setSwipeImage(swipe ? m_overlayB : QImage());
            if (m_overlayB.isNull())
                m_viewB->clear(tr("Predicting…"));
            else
                m_viewB->setImage(m_overlayB);
            m_viewB->setViewport(m_view->zoom(), m_view->center());
        }
        const QString nameA = runNameA();
        const QString nameB = runNameB();
        if (swipe)
            m_view->setCaptions(tr("A: %1").arg(nameA), tr("B: %1").arg(nameB));
        else if (sideBySide)
            m_view->setCaptions(tr("A: %1").arg(nameA));
        else
            m_view->setCaptions(comparing ? tr("A: %1").arg(nameA) : QString());
        m_viewB->setCaptions(tr("B: %1").arg(nameB));
        m_exportButton->setEnabled(!m_overlayA.isNull());
    }

    void PredictionPanel::rebuildLegend()
    {
        const bool errors = displayMode() == DisplayMode::Errors;
        const int classes = int(m_info.classNames.size());
        const bool multiClassAll = errors && classes > 2 && m_focusClass < 0;
        m_focusCombo->setEnabled(errors);
        m_focusCaption->setEnabled(errors);
        QString signature
            = errors ? QStringLiteral("errors %1|").arg(multiClassAll) : QStringLiteral("classes|");
        signature += m_info.classNames.join(QLatin1Char('\n'));
        for (const QColor& color : m_info.classColors)
            signature += color.name();
        if (signature != m_legendSignature) {
            if (m_info.classNames != m_legendClassNames)
                m_hiddenClasses = QVector<bool>(classes, false);
            m_legendClassNames = m_info.classNames;
            m_legendSignature = signature;
            m_legendErrors = errors;
            m_legendMultiClassAll = multiClassAll;
            const QSignalBlocker block(m_legend);
            m_legend->clear();
            if (errors) {
                const QVector<QColor> colors = msup::errorColors();
                QVector<int> codes;
                if (multiClassAll)
                    codes = { msup::ErrorTruePositive, msup::ErrorWrongClass };
                else
                    codes = { msup::ErrorTruePositive, msup::ErrorFalsePositive, msup::ErrorFalseNegative };
                for (int code : codes) {
                    auto* item = new QListWidgetItem(QIcon(swatch(colors[code])), QString(), m_legend);
                    item->setData(Qt::UserRole, code);
                    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
                    item->setCheckState(isErrorHidden(code) ? Qt::Unchecked : Qt::Checked);
                }
            } else {
                const bool binary = classes <= 2;
                for (int c = 0; c < classes; ++c) {
                    const QColor color
                        = c < m_info.classColors.size() ? m_info.classColors[c] : QColor(Qt::gray);
                    auto* item = new QListWidgetItem(QIcon(swatch(color)), QString(), m_legend);
                    item->setData(Qt::UserRole, c);
                    if (binary && c == 0) {
                        item->setFlags(Qt::ItemIsSelectable);
                        item->setToolTip(tr("The background of a two-class task is never painted"));
                    } else {
                        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
                        item->setCheckState(isClassHidden(c) ? Qt::Unchecked : Qt::Checked);
                    }
                }
            }
        }
        updateLegendText();
    }

    void PredictionPanel::updateLegendText()
    {
        const QSignalBlocker block(m_legend);
        for (int row = 0; row < m_legend->count(); ++row) {
            QListWidgetItem* item = m_legend->item(row);
            const int id = item->data(Qt::UserRole).toInt();
            if (m_legendErrors) {
                QString name;
                qint64 count = 0;
                switch (id) {
                case msup::ErrorTruePositive:
                    name = m_legendMultiClassAll ? tr("Right class") : tr("True positive");
                    count = m_errorCounts.truePositive;
                    break;
                case msup::ErrorFalsePositive:
                    name = tr("False positive");
                    count = m_errorCounts.falsePositive;
                    break;
                case msup::ErrorFalseNegative:
                    name = tr("False negative");
                    count = m_errorCounts.falseNegative;
                    break;
                default:
                    name = tr("Wrong class");
                    count = m_errorCounts.wrongClass;
                    break;
                }
                item->setText(tr("%1 — %2 px").arg(name).arg(count));
            } else {
                const QString name
                    = id < m_info.classNames.size() ? m_info.classNames[id] : QString::number(id);
                const double share = id < m_classShare.size() ? m_classShare[id] : 0.0;
                item->setText(tr("%1 — %2 %").arg(name, formatNumber(share, 1)));
            }
        }
    }

    void PredictionPanel::onLegendItemChanged(QListWidgetItem* item)
    {
        const int id = item->data(Qt::UserRole).toInt();
        const bool hidden = item->checkState() != Qt::Checked;
        if (m_legendErrors)
            setErrorHidden(id, hidden);
        else
            setClassHidden(id, hidden);
    }

    QStringList PredictionPanel::legendEntries() const
    {
        return itemTexts(m_legend);
    }

    void PredictionPanel::updateInfo()
    {
        m_predictButton->setEnabled(!m_checkpoint.isEmpty() && !m_runner->isBusy());
        m_exportButton->setEnabled(!m_labels.empty());
        if (m_checkpoint.isEmpty()) {
            m_checkpointLabel->setText(tr("No checkpoint yet: train a model (Training tab) or open a "
                                          "checkpoint."));
        } else if (!m_hasInfo) {
            m_checkpointLabel->setText(tr("Checkpoint: %1").arg(QDir::toNativeSeparators(m_checkpoint)));
        } else {
            m_checkpointLabel->setText(
                tr("Checkpoint: %1 — %2, width %3, mode %4, %5 px, epoch %6, validation mIoU %7, "
                   "classes: %8 (runs on %9)")
                    .arg(QDir::toNativeSeparators(m_checkpoint), m_info.config.model)
                    .arg(m_info.config.width)
                    .arg(m_info.config.mode)
                    .arg(m_info.config.imageSize)
                    .arg(m_info.epoch)
                    .arg(formatNumber(m_info.valMiou, 4))
                    .arg(m_info.classNames.join(QStringLiteral(", ")), m_device));
        }
        if (!m_compareCheckpoint.isEmpty() && m_hasInfoB)
            m_checkpointLabel->setText(m_checkpointLabel->text() + QLatin1Char('\n')
                + tr("Compared with: %1 — %2, epoch %3, validation mIoU %4")
                      .arg(QDir::toNativeSeparators(m_compareCheckpoint), m_infoB.config.model)
                      .arg(m_infoB.epoch)
                      .arg(formatNumber(m_infoB.valMiou, 4)));
        const bool noImage = m_imagePath.isEmpty() && m_inputImage.isNull();
        m_imageLabel->setText(noImage ? tr("No image selected: select a sample, or open images or a folder.")
                                      : tr("Image: %1").arg(QDir::toNativeSeparators(m_imagePath)));
        if (m_labels.empty()) {
            m_overlayA = QImage();
            m_overlayB = QImage();
            updateViews();
        }
    }

    // ---- Export ------------------------------------------------------------------------------

    void PredictionPanel::exportOverlay()
    {
        const QImage overlay = shownImage();
        if (overlay.isNull()) {
            showError(tr("There is no prediction to export yet."),
                tr("Select an image and a checkpoint, wait for the prediction, then export."));
            return;
        }
        const QFileInfo source(m_shownImagePath);
        const QString suggested = QDir(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
                                      .filePath(source.completeBaseName() + QStringLiteral("-overlay.png"));
        QString path
            = QFileDialog::getSaveFileName(this, tr("Export overlay"), suggested, tr("PNG images (*.png)"));
        if (path.isEmpty())
            return;
        if (QFileInfo(path).suffix().isEmpty())
            path += QStringLiteral(".png");
        exportOverlayTo(path);
    }

    bool PredictionPanel::exportOverlayTo(const QString& path)
    {
        const QImage overlay = shownImage();
        if (overlay.isNull())
            return false;
        try {
            msup::writeImageAtomic(path, overlay, "PNG");
        } catch (const std::exception& e) {
            showError(tr("Could not export the overlay to “%1”.").arg(QDir::toNativeSeparators(path)),
                QString::fromLocal8Bit(e.what()) + QStringLiteral("\n\n")
                    + tr("Choose a folder you can write to and try again."));
            return false;
        }
        m_resultLabel->setText(tr("Overlay saved to %1").arg(QDir::toNativeSeparators(path)));
        return true;
    }

    void PredictionPanel::showError(const QString& text, const QString& details)
    {
        closableMessage(this, QMessageBox::Warning, tr("Prediction"), text, details)->open();
    }

} // namespace ui
} // namespace msup
