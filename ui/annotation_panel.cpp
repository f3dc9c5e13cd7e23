#include "ui/annotation_panel.h"

#include "core/annot/mask_ops.h"
#include "core/annot/mask_store.h"
#include "core/base/error.h"
#include "core/data/palette.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPainter>
#include <QPixmap>
#include <QProgressDialog>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTimer>
#include <QToolBar>
#include <QUndoCommand>
#include <QUndoGroup>
#include <QUndoStack>
#include <QUndoView>
#include <QVBoxLayout>

#include <exception>

namespace msup {
namespace ui {

    // One edit on an image's undo stack. The edit is already applied when it is pushed, so the
    // first redo() (QUndoStack::push calls it) does nothing.
    class LabelEditCommand : public QUndoCommand {
    public:
        LabelEditCommand(AnnotationPanel* panel, LabelDelta delta, const QString& text)
            : QUndoCommand(text)
            , m_panel(panel)
            , m_delta(std::move(delta))
        {
        }
        void redo() override
        {
            if (m_pushed) {
                m_pushed = false;
                return;
            }
            m_panel->replay(m_delta, true);
        }
        void undo() override { m_panel->replay(m_delta, false); }

    private:
        AnnotationPanel* m_panel;
        LabelDelta m_delta;
        bool m_pushed = true;
    };

    namespace {
        constexpr int kSourceEmpty = 0;
        constexpr int kSourceGroundTruth = 1;
        constexpr int kSourcePrediction = 2;

        LabelSource sourceOf(int index)
        {
            switch (index) {
            case kSourceGroundTruth:
                return LabelSource::GroundTruth;
            case kSourcePrediction:
                return LabelSource::Prediction;
            default:
                return LabelSource::Empty;
            }
        }

        // FNV-1a of a label map: tells whether an image comes back with the labels it was left with
        // (then its undo history still applies).
        quint64 fingerprint(const cv::Mat& labels)
        {
            quint64 h = 1469598103934665603ull ^ quint64(labels.cols) ^ (quint64(labels.rows) << 32);
            for (int y = 0; y < labels.rows; ++y) {
                const uchar* row = labels.ptr<uchar>(y);
                for (int x = 0; x < labels.cols; ++x)
                    h = (h ^ row[x]) * 1099511628211ull;
            }
            return h;
        }

        QIcon swatch(const QColor& color)
        {
            QPixmap pixmap(16, 16);
            pixmap.fill(Qt::transparent);
            QPainter painter(&pixmap);
            painter.setPen(QColor(0, 0, 0, 160));
            painter.setBrush(color.isValid() ? color : QColor(Qt::white));
            painter.drawRect(0, 0, 15, 15);
            if (!color.isValid()) { // void: hatched
                painter.setPen(QPen(Qt::black, 1));
                for (int i = -16; i < 16; i += 4)
                    painter.drawLine(i, 16, i + 16, 0);
            }
            return QIcon(pixmap);
        }

        const QColor kVoidColor(255, 255, 255);
    } // namespace

    AnnotationPanel::AnnotationPanel(QWidget* parent)
        : QWidget(parent)
    {
        m_undoGroup = new QUndoGroup(this);
        m_canvas = new AnnotationCanvas(this);
        createActions();
        buildUi();
        m_autosaveTimer = new QTimer(this);
        m_autosaveTimer->setInterval(60 * 1000);
        connect(m_autosaveTimer, &QTimer::timeout, this, [this] { saveIfDirty(); });
        m_autosaveTimer->start();
        connect(m_canvas, &AnnotationCanvas::editCommitted, this, &AnnotationPanel::onEditCommitted);
        connect(m_canvas, &AnnotationCanvas::brushRadiusChanged, this, &AnnotationPanel::syncSizeUi);
        connect(m_canvas, &AnnotationCanvas::hoveredPixelChanged, this, [this](const QPoint& p, int label) {
            if (label < 0) {
                m_hoverLabel->clear();
                return;
            }
            const QString name = label == kVoidLabel
                ? tr("void")
                : (label < m_names.size() ? m_names[label] : QString::number(label));
            m_hoverLabel->setText(tr("(%1, %2): %3").arg(p.x()).arg(p.y()).arg(name));
        });
        connect(m_undoGroup, &QUndoGroup::cleanChanged, this, [this] { updateActions(); });
        setClasses({ tr("background"), tr("foreground") }, {});
        updateActions();
    }

    AnnotationPanel::~AnnotationPanel()
    {
        // The store outlives the panel or was detached; a last save keeps the journal empty.
        if (m_store && m_session) {
            try {
                m_session->saveIfDirty(saveTarget());
            } catch (const std::exception&) {
                // The journal still holds the strokes: they are replayed when the image reopens.
            }
        }
    }

    void AnnotationPanel::createActions()
    {
        const auto make = [this](const QString& text, const QKeySequence& key, const QString& tip) {
            auto* action = new QAction(text, this);
            action->setShortcut(key);
            action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
            action->setToolTip(
                key.isEmpty() ? tip : tr("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
            addAction(action);
            return action;
        };
        m_toolGroup = new QActionGroup(this);
        m_toolGroup->setExclusive(true);
        m_brushAction
            = make(tr("Brush"), QKeySequence(Qt::Key_B), tr("Paint the selected class with a round brush"));
        m_eraserAction = make(
            tr("Eraser"), QKeySequence(Qt::Key_E), tr("Erase to background (or void, see Eraser below)"));
        m_fillAction = make(tr("Fill"), QKeySequence(Qt::Key_F),
            tr("Flood fill: the clicked region of one class becomes the selected class"));
        m_polygonAction = make(tr("Polygon"), QKeySequence(Qt::Key_P),
            tr("Polygon / lasso fill: click points or drag a lasso; Enter or a double click closes, Esc "
               "cancels"));
        const std::pair<QAction*, AnnotationTool> tools[]
            = { { m_brushAction, AnnotationTool::Brush }, { m_eraserAction, AnnotationTool::Eraser },
                  { m_fillAction, AnnotationTool::FloodFill }, { m_polygonAction, AnnotationTool::Polygon } };
        for (const auto& [action, tool] : tools) {
            action->setCheckable(true);
            m_toolGroup->addAction(action);
            connect(action, &QAction::triggered, this, [this, tool = tool] { m_canvas->setTool(tool); });
        }
        m_brushAction->setChecked(true);

        m_fillHolesAction = make(tr("Fill holes"), QKeySequence(Qt::Key_H),
            tr("Fill the background holes enclosed by the selected class"));
        connect(m_fillHolesAction, &QAction::triggered, this, [this] {
            if (m_canvas->currentClass() == 0 || m_canvas->currentClass() == kVoidLabel)
                setStatus(tr("Select a class other than background and void to fill its holes."));
            else if (!m_canvas->fillHoles(m_canvas->currentClass()))
                setStatus(tr("No holes enclosed by this class."));
        });
        m_fillHolesAllAction = make(tr("Fill holes (all classes)"), QKeySequence(Qt::SHIFT | Qt::Key_H),
            tr("Fill the background holes enclosed by any single class"));
        connect(m_fillHolesAllAction, &QAction::triggered, this, [this] {
            if (!m_canvas->fillHoles(-1))
                setStatus(tr("No enclosed holes."));
        });

        m_undoAction = m_undoGroup->createUndoAction(this, tr("Undo"));
        m_undoAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Z));
        m_undoAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_undoAction->setToolTip(
            tr("Undo the last edit (%1)").arg(m_undoAction->shortcut().toString(QKeySequence::NativeText)));
        addAction(m_undoAction);
        m_redoAction = m_undoGroup->createRedoAction(this, tr("Redo"));
        m_redoAction->setShortcuts(
            { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y) });
        m_redoAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_redoAction->setToolTip(
            tr("Redo (%1)").arg(m_redoAction->shortcut().toString(QKeySequence::NativeText)));
        addAction(m_redoAction);

        m_saveAction = make(tr("Save mask"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S),
            tr("Save this image's mask (the project's Ctrl+S saves it too)"));
        connect(m_saveAction, &QAction::triggered, this, [this] { save(); });
        m_outlineAction = make(tr("Outline"), QKeySequence(Qt::Key_O), tr("Show only the class boundaries"));
        m_outlineAction->setCheckable(true);
        connect(m_outlineAction, &QAction::toggled, m_canvas, &AnnotationCanvas::setOutlineMode);
        m_fitAction = make(tr("Fit"), QKeySequence(Qt::CTRL | Qt::Key_0), tr("Fit the image to the view"));
        connect(m_fitAction, &QAction::triggered, m_canvas, &AnnotationCanvas::fitToWindow);
        m_actualSizeAction
            = make(tr("1:1"), QKeySequence(Qt::CTRL | Qt::Key_1), tr("One image pixel per screen pixel"));
        connect(m_actualSizeAction, &QAction::triggered, m_canvas, &AnnotationCanvas::zoomActualSize);
        m_reviewedAction = make(
            tr("Reviewed"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_R), tr("Mark this image as reviewed"));
        connect(m_reviewedAction, &QAction::triggered, this, [this] {
            m_reviewedCheck->toggle();
            Q_EMIT reviewedChanged(m_sampleId, m_reviewedCheck->isChecked());
        });

        m_nextSuggestedAction = make(tr("Next suggested"), QKeySequence(Qt::Key_N),
            tr("Open the next image of the suggested ranking that is not reviewed yet"));
        m_nextSuggestedAction->setObjectName(QStringLiteral("nextSuggestedAction"));
        connect(
            m_nextSuggestedAction, &QAction::triggered, this, [this] { Q_EMIT suggestedImageRequested(1); });
        m_previousSuggestedAction = make(tr("Previous suggested"), QKeySequence(Qt::SHIFT | Qt::Key_N),
            tr("Open the previous image of the suggested ranking that is not reviewed yet"));
        m_previousSuggestedAction->setObjectName(QStringLiteral("previousSuggestedAction"));
        connect(m_previousSuggestedAction, &QAction::triggered, this,
            [this] { Q_EMIT suggestedImageRequested(-1); });

        auto* smaller = make(tr("Smaller brush"), QKeySequence(Qt::Key_BracketLeft), tr("Smaller brush"));
        connect(smaller, &QAction::triggered, this, [this] {
            m_canvas->setBrushRadius(m_canvas->brushRadius() - std::max(1, m_canvas->brushRadius() / 10));
        });
        auto* larger = make(tr("Larger brush"), QKeySequence(Qt::Key_BracketRight), tr("Larger brush"));
        connect(larger, &QAction::triggered, this, [this] {
            m_canvas->setBrushRadius(m_canvas->brushRadius() + std::max(1, m_canvas->brushRadius() / 10));
        });
        for (int digit = 0; digit <= 9; ++digit) {
            auto* action = make(tr("Class %1").arg(digit), QKeySequence(Qt::Key(Qt::Key_0 + digit)), {});
            connect(action, &QAction::triggered, this, [this, digit] {
                if (digit < m_names.size())
                    selectClass(digit);
            });
        }
        auto* voidAction = make(tr("Void"), QKeySequence(Qt::Key_V), {});
        connect(voidAction, &QAction::triggered, this, [this] { selectClass(kVoidLabel); });
    }

    void AnnotationPanel::buildUi()
    {
        // Two rows, so that every action stays visible at usual widths (one row overflowed into a
        // » menu that hid Save mask, Fit and 1:1): the tools, then editing and view.
        m_toolBar = new QToolBar(this);
        m_toolBar->setObjectName(QStringLiteral("annotationToolBar"));
        m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
        m_toolBar->addActions({ m_brushAction, m_eraserAction, m_fillAction, m_polygonAction });
        m_toolBar->addSeparator();
        m_toolBar->addActions({ m_fillHolesAction, m_fillHolesAllAction });
        m_viewToolBar = new QToolBar(this);
        m_viewToolBar->setObjectName(QStringLiteral("annotationViewToolBar"));
        m_viewToolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
        m_viewToolBar->addAction(m_saveAction);
        m_viewToolBar->addSeparator();
        m_viewToolBar->addActions({ m_undoAction, m_redoAction });
        m_viewToolBar->addSeparator();
        m_viewToolBar->addActions({ m_fitAction, m_actualSizeAction, m_outlineAction });

        auto* side = new QWidget(this);
        auto* sideLayout = new QVBoxLayout(side);
        sideLayout->setContentsMargins(0, 0, 0, 0);

        auto* classBox = new QGroupBox(tr("Class"), side);
        auto* classLayout = new QVBoxLayout(classBox);
        m_classList = new QListWidget(classBox);
        m_classList->setToolTip(
            tr("The class the brush, fill and polygon paint (keys 1-9 and 0, V for void)"));
        classLayout->addWidget(m_classList);
        connect(m_classList, &QListWidget::currentRowChanged, this, [this](int row) {
            if (QListWidgetItem* item = m_classList->item(row))
                m_canvas->setCurrentClass(item->data(Qt::UserRole).toInt());
        });
        sideLayout->addWidget(classBox, 1);

        auto* form = new QFormLayout;
        m_sizeSpin = new QSpinBox(side);
        m_sizeSpin->setRange(0, AnnotationCanvas::kMaxBrushRadius);
        m_sizeSpin->setValue(m_canvas->brushRadius());
        m_sizeSpin->setSuffix(tr(" px"));
        m_sizeSpin->setToolTip(
            tr("Brush radius: the brush is 2 × radius + 1 pixels wide ([ and ], or Shift+wheel)"));
        connect(
            m_sizeSpin, qOverload<int>(&QSpinBox::valueChanged), m_canvas, &AnnotationCanvas::setBrushRadius);
        form->addRow(tr("Brush radius"), m_sizeSpin);
        m_eraserCombo = new QComboBox(side);
        m_eraserCombo->addItem(tr("Background"), 0);
        m_eraserCombo->addItem(tr("Void / ignore"), int(kVoidLabel));
        m_eraserCombo->setToolTip(tr("What the eraser paints"));
        connect(m_eraserCombo, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this] { m_canvas->setEraserLabel(m_eraserCombo->currentData().toInt()); });
        form->addRow(tr("Eraser"), m_eraserCombo);
        m_opacitySlider = new QSlider(Qt::Horizontal, side);
        m_opacitySlider->setRange(0, 100);
        m_opacitySlider->setValue(int(m_canvas->overlayOpacity() * 100));
        m_opacitySlider->setToolTip(tr("Opacity of the class colours over the image"));
        connect(m_opacitySlider, &QSlider::valueChanged, this,
            [this](int v) { m_canvas->setOverlayOpacity(v / 100.0); });
        form->addRow(tr("Opacity"), m_opacitySlider);
        auto* outline = new QCheckBox(tr("Outline view"), side);
        outline->setToolTip(m_outlineAction->toolTip());
        connect(outline, &QCheckBox::toggled, m_outlineAction, &QAction::setChecked);
        connect(m_outlineAction, &QAction::toggled, outline, &QCheckBox::setChecked);
        sideLayout->addLayout(form);
        sideLayout->addWidget(outline); // the whole width: its text is not cut in longer languages

        auto* startBox = new QGroupBox(tr("Start from"), side);
        auto* startLayout = new QVBoxLayout(startBox);
        m_startCombo = new QComboBox(startBox);
        m_startCombo->addItem(tr("Empty mask"), kSourceEmpty);
        m_startCombo->addItem(tr("Ground truth"), kSourceGroundTruth);
        m_startCombo->addItem(tr("Prediction"), kSourcePrediction);
        m_startCombo->setToolTip(tr("The starting point that replaces this image's mask (undoable)"));
        startLayout->addWidget(m_startCombo);
        auto* startButtons = new QVBoxLayout; // one above the other: each gets the whole width
        m_startButton = new QPushButton(tr("Apply"), startBox);
        m_startButton->setToolTip(tr("Replace this image's mask by the chosen starting point (undoable)"));
        connect(m_startButton, &QPushButton::clicked, this, &AnnotationPanel::startFromSelected);
        m_batchButton = new QPushButton(tr("Apply to all unedited"), startBox);
        m_batchButton->setToolTip(
            tr("Start every image that has not been edited yet from the chosen source and save it"));
        connect(m_batchButton, &QPushButton::clicked, this, &AnnotationPanel::applyToAllUnedited);
        startButtons->addWidget(m_startButton);
        startButtons->addWidget(m_batchButton);
        startLayout->addLayout(startButtons);
        sideLayout->addWidget(startBox);

        auto* saveForm = new QFormLayout;
        m_saveTargetCombo = new QComboBox(side);
        m_saveTargetCombo->addItem(tr("Corrections folder"), int(SaveTarget::Corrections));
        m_saveTargetCombo->addItem(tr("Dataset files"), int(SaveTarget::Dataset));
        m_saveTargetCombo->setToolTip(
            tr("Corrections folder: beside the dataset, which stays untouched (default). "
               "Dataset files: the mask files themselves, in their own format (originals kept as .orig)"));
        saveForm->addRow(tr("Save to"), m_saveTargetCombo);
        sideLayout->addLayout(saveForm);
        m_reviewedCheck = new QCheckBox(tr("Reviewed"), side);
        m_reviewedCheck->setToolTip(m_reviewedAction->toolTip());
        connect(m_reviewedCheck, &QCheckBox::clicked, this,
            [this](bool on) { Q_EMIT reviewedChanged(m_sampleId, on); });
        sideLayout->addWidget(m_reviewedCheck);
        // The walk through the images suggested to annotate (the samples list ranks them).
        auto* suggestBox = new QGroupBox(tr("Suggested to annotate"), side);
        auto* suggestLayout = new QVBoxLayout(suggestBox);
        m_suggestionLabel = new QLabel(suggestBox);
        m_suggestionLabel->setObjectName(QStringLiteral("suggestionWalkLabel"));
        m_suggestionLabel->setWordWrap(true);
        suggestLayout->addWidget(m_suggestionLabel);
        auto* walkButtons = new QHBoxLayout;
        const std::pair<QAction*, QString> walk[]
            = { { m_previousSuggestedAction, tr("Previous", "suggested image") },
                  { m_nextSuggestedAction, tr("Next", "suggested image") } };
        for (const auto& [action, text] : walk) {
            auto* button = new QPushButton(text, suggestBox);
            button->setObjectName(action->objectName() + QStringLiteral("Button"));
            button->setToolTip(action->toolTip());
            connect(button, &QPushButton::clicked, action, &QAction::trigger);
            connect(action, &QAction::changed, button,
                [button, action = action] { button->setEnabled(action->isEnabled()); });
            walkButtons->addWidget(button);
        }
        suggestLayout->addLayout(walkButtons);
        sideLayout->addWidget(suggestBox);
        setSuggestionWalk({});

        m_statusLabel = new QLabel(side);
        m_statusLabel->setWordWrap(true);
        m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
        sideLayout->addWidget(m_statusLabel);
        m_hoverLabel = new QLabel(side);
        m_hoverLabel->setObjectName(QStringLiteral("annotationPixelLabel"));
        m_hoverLabel->setToolTip(tr("The pixel under the mouse and its class"));
        sideLayout->addWidget(m_hoverLabel);

        auto* historyBox = new QGroupBox(tr("History"), side);
        auto* historyLayout = new QVBoxLayout(historyBox);
        m_undoView = new QUndoView(m_undoGroup, historyBox);
        m_undoView->setEmptyLabel(tr("<opened>"));
        m_undoView->setUniformItemSizes(true); // the model is reset on every edit: keep that O(1)
        m_undoView->setToolTip(tr("Every edit of this image; click an entry to go back to it"));
        historyLayout->addWidget(m_undoView);
        sideLayout->addWidget(historyBox, 1);
        side->setMinimumWidth(220);
        side->setMaximumWidth(320);

        auto* centre = new QVBoxLayout;
        centre->setContentsMargins(0, 0, 0, 0);
        centre->setSpacing(0);
        centre->addWidget(m_toolBar);
        centre->addWidget(m_viewToolBar);
        centre->addWidget(m_canvas, 1);
        auto* layout = new QHBoxLayout(this);
        layout->addLayout(centre, 1);
        layout->addWidget(side);
    }

    void AnnotationPanel::setClasses(const QStringList& names, const QVector<QColor>& colors)
    {
        m_names = names;
        m_colors = colors;
        // Classes without a colour get the application's default palette entry.
        QVector<QColor> palette = colors;
        const QVector<QColor> defaults = defaultPalette(int(names.size()));
        for (int i = int(palette.size()); i < names.size(); ++i)
            palette.push_back(defaults.value(i));
        m_colors = palette;
        m_canvas->setClassColors(palette, names.size() > 2, kVoidColor);
        refreshClassList();
    }

    void AnnotationPanel::refreshClassList()
    {
        const int current = m_canvas->currentClass();
        const QSignalBlocker block(m_classList);
        m_classList->clear();
        for (int i = 0; i < m_names.size(); ++i) {
            const QString key = i <= 9 ? QString::number(i) : QString();
            auto* item = new QListWidgetItem(swatch(m_colors.value(i)),
                key.isEmpty() ? m_names[i] : tr("%1  %2").arg(key, m_names[i]), m_classList);
            item->setData(Qt::UserRole, i);
        }
        auto* voidItem = new QListWidgetItem(swatch(QColor()), tr("V  void / ignore"), m_classList);
        voidItem->setData(Qt::UserRole, int(kVoidLabel));
        selectClass(
            current < m_names.size() || current == kVoidLabel ? current : (m_names.size() > 1 ? 1 : 0));
    }

    void AnnotationPanel::selectClass(int label)
    {
        for (int row = 0; row < m_classList->count(); ++row) {
            if (m_classList->item(row)->data(Qt::UserRole).toInt() == label) {
                m_classList->setCurrentRow(row);
                break;
            }
        }
        m_canvas->setCurrentClass(label);
        if (m_canvas->tool() == AnnotationTool::Eraser) { // picking a class means painting it
            m_brushAction->setChecked(true);
            m_canvas->setTool(AnnotationTool::Brush);
        }
    }

    void AnnotationPanel::syncSizeUi(int radius)
    {
        const QSignalBlocker block(m_sizeSpin);
        m_sizeSpin->setValue(radius);
    }

    // --- images -----------------------------------------------------------------------------

    void AnnotationPanel::setStore(MaskStore* store)
    {
        if (store == m_store)
            return;
        clearSample();
        m_store = store;
        updateActions();
    }

    void AnnotationPanel::setSaveTarget(SaveTarget target)
    {
        m_saveTargetCombo->setCurrentIndex(m_saveTargetCombo->findData(int(target)));
    }

    SaveTarget AnnotationPanel::saveTarget() const
    {
        return SaveTarget(m_saveTargetCombo->currentData().toInt());
    }

    void AnnotationPanel::activateStack(const QString& id, const cv::Mat& labels)
    {
        QUndoStack*& stack = m_stacks[id];
        const quint64 print = fingerprint(labels);
        if (stack && m_leftWith.value(id) != print) {
            // The image came back with other labels than it was left with: its history no longer
            // applies.
            stack->clear();
        }
        if (!stack) {
            stack = new QUndoStack(m_undoGroup);
            m_undoGroup->addStack(stack);
        }
        m_undoGroup->setActiveStack(stack);
    }

    bool AnnotationPanel::setSample(const QImage& image, const Sample& sample)
    {
        if (!m_store) {
            setStatus(tr("No mask storage is open for this dataset."), true);
            return false;
        }
        clearSample();
        try {
            m_session = std::make_unique<MaskSession>(*m_store, sample);
            m_canvas->setImageAndLabels(image, m_session->labels());
        } catch (const std::exception& e) {
            m_session.reset();
            m_canvas->clear();
            setStatus(tr("Cannot open the mask of %1: %2").arg(sample.id, QString::fromUtf8(e.what())), true);
            updateActions();
            return false;
        }
        m_sampleId = sample.id;
        activateStack(m_sampleId, m_canvas->labels());
        QString status;
        if (m_session->recoveredStrokes() > 0)
            status = tr("Recovered %n unsaved edit(s) from the crash journal.", nullptr,
                m_session->recoveredStrokes());
        if (!m_session->recoveryProblem().isEmpty())
            status = m_session->recoveryProblem();
        setStatus(status, !m_session->recoveryProblem().isEmpty());
        updateActions();
        return true;
    }

    bool AnnotationPanel::setSample(const QImage& image, const QString& sampleId, const cv::Mat& labels)
    {
        clearSample();
        try {
            m_canvas->setImageAndLabels(image, labels);
        } catch (const std::exception& e) {
            m_canvas->clear();
            setStatus(tr("Cannot edit the mask of %1: %2").arg(sampleId, QString::fromUtf8(e.what())), true);
            updateActions();
            return false;
        }
        m_sampleId = sampleId;
        activateStack(m_sampleId, m_canvas->labels());
        setStatus({});
        updateActions();
        return true;
    }

    void AnnotationPanel::clearSample()
    {
        if (m_sampleId.isEmpty())
            return;
        saveIfDirty();
        m_leftWith[m_sampleId] = fingerprint(m_canvas->labels());
        m_undoGroup->setActiveStack(nullptr);
        m_session.reset();
        m_sampleId.clear();
        m_prediction = cv::Mat();
        m_canvas->clear();
        {
            const QSignalBlocker block(m_reviewedCheck);
            m_reviewedCheck->setChecked(false);
        }
        updateActions();
    }

    const cv::Mat& AnnotationPanel::labels() const
    {
        return m_canvas->labels();
    }

    QUndoStack* AnnotationPanel::undoStack() const
    {
        return m_undoGroup->activeStack();
    }

    void AnnotationPanel::setLabels(const cv::Mat& labels, const QString& text)
    {
        if (!hasSample() || labels.empty() || labels.type() != CV_8UC1
            || labels.size() != m_canvas->labels().size()) {
            setStatus(tr("The new mask does not fit this image."), true);
            return;
        }
        const LabelDelta delta = makeLabelDelta(m_canvas->labels(), labels);
        if (delta.isEmpty())
            return;
        m_canvas->applyDelta(delta);
        onEditCommitted(delta, text.isEmpty() ? tr("Replace mask") : text);
    }

    void AnnotationPanel::setPrediction(const cv::Mat& prediction)
    {
        m_prediction = prediction.empty() ? cv::Mat() : prediction.clone();
        updateActions();
    }

    void AnnotationPanel::setPredictionProvider(std::function<cv::Mat(const Sample&)> provider)
    {
        m_predictionProvider = std::move(provider);
        updateActions();
    }

    // --- edits ------------------------------------------------------------------------------

    void AnnotationPanel::onEditCommitted(const LabelDelta& delta, const QString& text)
    {
        if (delta.isEmpty() || !hasSample())
            return;
        if (m_session) {
            try {
                m_session->commit(delta); // journaled (fsync) before the next stroke can start
            } catch (const std::exception& e) {
                setStatus(tr("The crash journal cannot be written (%1): save soon, a crash would lose the "
                             "unsaved edits.")
                              .arg(QString::fromUtf8(e.what())),
                    true);
            }
        }
        pushEdit(delta, text);
        Q_EMIT edited(m_sampleId);
    }

    void AnnotationPanel::pushEdit(const LabelDelta& delta, const QString& text)
    {
        if (QUndoStack* stack = undoStack())
            stack->push(new LabelEditCommand(this, delta, text));
        updateActions();
    }

    void AnnotationPanel::replay(const LabelDelta& delta, bool forward)
    {
        if (forward)
            m_canvas->applyDelta(delta);
        else
            m_canvas->revertDelta(delta);
        if (m_session) {
            try {
                if (forward)
                    m_session->commit(delta);
                else
                    m_session->commitUndo(delta);
            } catch (const std::exception& e) {
                setStatus(
                    tr("The crash journal cannot be written (%1).").arg(QString::fromUtf8(e.what())), true);
            }
        }
        updateActions();
        Q_EMIT edited(m_sampleId);
    }

    bool AnnotationPanel::startFrom(LabelSource source)
    {
        if (!hasSample())
            return false;
        const QString text = source == LabelSource::GroundTruth ? tr("Start from ground truth")
            : source == LabelSource::Prediction                 ? tr("Start from prediction")
                                                                : tr("Start from an empty mask");
        if (source == LabelSource::Prediction && m_prediction.empty()) {
            setStatus(tr("No prediction for this image: run a model on it first."), true);
            return false;
        }
        if (m_session) {
            LabelDelta delta;
            try {
                delta = m_session->startFrom(source, m_prediction);
            } catch (const std::exception& e) {
                setStatus(QString::fromUtf8(e.what()), true);
                return false;
            }
            if (!delta.isEmpty()) {
                m_canvas->applyDelta(delta);
                pushEdit(delta, text);
                Q_EMIT edited(m_sampleId);
            }
            return true;
        }
        if (source == LabelSource::GroundTruth) {
            setStatus(tr("The ground truth is only available with the dataset's mask storage."), true);
            return false;
        }
        const cv::Mat next = source == LabelSource::Prediction
            ? m_prediction
            : cv::Mat(m_canvas->labels().size(), CV_8UC1, cv::Scalar(0));
        setLabels(next, text);
        return true;
    }

    void AnnotationPanel::startFromSelected()
    {
        startFrom(sourceOf(m_startCombo->currentData().toInt()));
    }

    void AnnotationPanel::applyToAllUnedited()
    {
        const LabelSource source = sourceOf(m_startCombo->currentData().toInt());
        if (!m_store)
            return;
        const int unedited = int(m_store->dataset().samples.size()) - m_store->editedCount();
        if (QMessageBox::question(this, tr("Apply to all unedited images"),
                tr("Start %n unedited image(s) from \"%1\" and save them?", nullptr, unedited)
                    .arg(m_startCombo->currentText()))
            != QMessageBox::Yes)
            return;
        startUneditedFrom(source);
    }

    int AnnotationPanel::startUneditedFrom(LabelSource source)
    {
        if (!m_store) {
            setStatus(tr("No mask storage is open for this dataset."), true);
            return 0;
        }
        if (source == LabelSource::Prediction && !m_predictionProvider) {
            setStatus(tr("No model to predict with: choose a run's checkpoint first."), true);
            return 0;
        }
        const QVector<Sample> samples = m_store->dataset().samples;
        QProgressDialog progress(
            tr("Applying the starting point..."), tr("Cancel"), 0, int(samples.size()), this);
        progress.setWindowModality(Qt::WindowModal);
        progress.setMinimumDuration(800);
        QStringList changed;
        QStringList failures;
        for (int i = 0; i < samples.size(); ++i) {
            progress.setValue(i);
            if (progress.wasCanceled())
                break;
            const Sample& sample = samples[i];
            if (m_store->isEdited(sample))
                continue;
            try {
                const cv::Mat prediction
                    = source == LabelSource::Prediction ? m_predictionProvider(sample) : cv::Mat();
                if (source == LabelSource::Prediction && prediction.empty())
                    continue;
                if (sample.id == m_sampleId && m_session) {
                    // The open image: one undoable edit, saved like the others.
                    const LabelDelta delta = m_session->startFrom(source, prediction);
                    if (delta.isEmpty())
                        continue;
                    m_canvas->applyDelta(delta);
                    pushEdit(delta, tr("Start from (all unedited images)"));
                    m_session->save(saveTarget());
                    if (QUndoStack* stack = undoStack())
                        stack->setClean();
                    Q_EMIT edited(m_sampleId);
                } else {
                    MaskSession session(*m_store, sample);
                    if (session.startFrom(source, prediction).isEmpty())
                        continue;
                    session.save(saveTarget());
                }
                changed << sample.id;
            } catch (const std::exception& e) {
                failures << tr("%1: %2").arg(sample.id, QString::fromUtf8(e.what()));
            }
        }
        progress.setValue(int(samples.size()));
        if (failures.isEmpty())
            setStatus(tr("%n image(s) started from the chosen source.", nullptr, int(changed.size())));
        else
            setStatus(tr("%n image(s) started; %1 failed: %2", nullptr, int(changed.size()))
                          .arg(failures.size())
                          .arg(failures.mid(0, 3).join(QLatin1String("; "))),
                true);
        if (!changed.isEmpty())
            Q_EMIT batchApplied(changed);
        return int(changed.size());
    }

    // --- state ------------------------------------------------------------------------------

    void AnnotationPanel::setReviewed(bool reviewed)
    {
        const QSignalBlocker block(m_reviewedCheck);
        m_reviewedCheck->setChecked(reviewed);
    }

    bool AnnotationPanel::isReviewed() const
    {
        return m_reviewedCheck->isChecked();
    }

    bool AnnotationPanel::isDirty() const
    {
        if (m_session)
            return m_session->isDirty();
        const QUndoStack* stack = undoStack();
        return stack && !stack->isClean();
    }

    bool AnnotationPanel::saveIfDirty()
    {
        if (!m_session || !m_session->isDirty())
            return true;
        return writeMask(false);
    }

    bool AnnotationPanel::save()
    {
        if (!m_session) {
            setStatus(tr("No mask storage is open for this dataset."), true);
            return false;
        }
        return writeMask(isVisible());
    }

    bool AnnotationPanel::writeMask(bool dialogOnError)
    {
        try {
            const QString file = m_session->save(saveTarget());
            if (QUndoStack* stack = undoStack())
                stack->setClean();
            setStatus(tr("Saved %1").arg(file));
            Q_EMIT saved(m_sampleId, file);
            return true;
        } catch (const std::exception& e) {
            setStatus(tr("Cannot save the mask: %1").arg(QString::fromUtf8(e.what())), true);
            if (dialogOnError)
                QMessageBox::warning(this, tr("Save mask"), QString::fromUtf8(e.what()));
            return false;
        }
    }

    void AnnotationPanel::setAutosaveInterval(int milliseconds)
    {
        if (milliseconds <= 0) {
            m_autosaveTimer->stop();
            return;
        }
        m_autosaveTimer->setInterval(milliseconds);
        m_autosaveTimer->start();
    }

    QString AnnotationPanel::statusText() const
    {
        return m_statusLabel->text();
    }

    void AnnotationPanel::setStatus(const QString& text, bool error)
    {
        m_statusLabel->setText(text);
        m_statusLabel->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
    }

    void AnnotationPanel::setSuggestionWalk(const SuggestionWalk& walk)
    {
        m_nextSuggestedAction->setEnabled(walk.total > 0 && walk.hasNext);
        m_previousSuggestedAction->setEnabled(walk.total > 0 && walk.hasPrevious);
        QString text;
        if (walk.total <= 0)
            text = tr("No ranking yet: use “Suggest images to annotate…” under the samples.");
        else if (walk.rank > 0)
            text = tr("Suggested %1 of %2").arg(walk.rank).arg(walk.total);
        else
            text = tr("Not among the %n suggested image(s)", nullptr, walk.total);
        if (walk.total > 0)
            text += QStringLiteral(" · ") + tr("%n to review", nullptr, walk.toReview);
        m_suggestionLabel->setText(text);
        m_suggestionLabel->setToolTip(
            walk.source.isEmpty() ? QString() : tr("Ranked by %1").arg(walk.source));
    }

    QString AnnotationPanel::suggestionText() const
    {
        return m_suggestionLabel->text();
    }

    void AnnotationPanel::updateActions()
    {
        const bool open = hasSample();
        for (QAction* action : { m_fillHolesAction, m_fillHolesAllAction, m_fitAction, m_actualSizeAction })
            action->setEnabled(open);
        m_saveAction->setEnabled(open && m_session);
        m_startButton->setEnabled(open);
        m_batchButton->setEnabled(m_store != nullptr);
        m_saveTargetCombo->setEnabled(m_store != nullptr);
        m_reviewedCheck->setEnabled(open);
        m_reviewedAction->setEnabled(open);
        if (auto* model = qobject_cast<QStandardItemModel*>(m_startCombo->model())) {
            if (QStandardItem* gt = model->item(m_startCombo->findData(kSourceGroundTruth)))
                gt->setEnabled(m_session != nullptr);
            if (QStandardItem* pred = model->item(m_startCombo->findData(kSourcePrediction)))
                pred->setEnabled(!m_prediction.empty() || (m_store && m_predictionProvider));
        }
    }

} // namespace ui
} // namespace msup
