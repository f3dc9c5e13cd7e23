#include "ui/dataset_panel.h"

#include "core/data/image_io.h"
#include "core/io/overlay.h"
#include "core/train/suggestions.h"
#include "core/train/training_session.h"
#include "ui/background_task.h"
#include "ui/format.h"
#include "ui/image_view.h"
#include "ui/job_runner.h"
#include "ui/label_image.h"
#include "ui/prediction_panel.h"
#include "ui/sample_dataset_dialog.h"
#include "ui/sample_list_model.h"
#include "ui/widgets.h"

#include <QAction>
#include <QCheckBox>
#include <QColorDialog>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMessageBox>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSlider>
#include <QStandardItemModel>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace msup {
namespace ui {

    namespace {

        constexpr int kThumbnailSize = SampleListModel::kThumbnailSize;
        const QSize kCellSize(kThumbnailSize + 16, kThumbnailSize + 28);

        // Every cell has the grid's size: the view lays out thousands of rows without asking the
        // model for their thumbnails (only painted rows are asked, and thus decoded). Reviewed and
        // edited samples get a mark in the thumbnail's top corners.
        class ThumbnailDelegate : public QStyledItemDelegate {
        public:
            using QStyledItemDelegate::QStyledItemDelegate;
            QSize sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const override
            {
                return kCellSize - QSize(4, 4);
            }
            void paint(QPainter* painter, const QStyleOptionViewItem& option,
                const QModelIndex& index) const override
            {
                QStyledItemDelegate::paint(painter, option, index);
                const bool reviewed = index.data(SampleListModel::ReviewedRole).toBool();
                const bool edited = index.data(SampleListModel::EditedRole).toBool();
                const int rank = index.data(SampleListModel::SuggestionRankRole).toInt();
                if (!reviewed && !edited && rank < 0)
                    return;
                painter->save();
                painter->setRenderHint(QPainter::Antialiasing);
                const int d = 16;
                if (rank >= 0) {
                    // The place in the "annotate these next" ranking, bottom left of the thumbnail.
                    QFont font = painter->font();
                    font.setBold(true);
                    font.setPixelSize(11);
                    painter->setFont(font);
                    const QString text = QString::number(rank + 1);
                    const int w = std::max(d, QFontMetrics(font).horizontalAdvance(text) + 8);
                    const QRectF badge(
                        option.rect.left() + 6, option.rect.top() + 4 + kThumbnailSize - d, w, d);
                    painter->setPen(QPen(QColor(255, 255, 255, 200), 1));
                    painter->setBrush(QColor(0x6a, 0x3d, 0x9a));
                    painter->drawRoundedRect(badge, d / 2.0, d / 2.0);
                    painter->setPen(Qt::white);
                    painter->drawText(badge, Qt::AlignCenter, text);
                }
                if (reviewed) {
                    // A green disc with a tick, top left.
                    const QRectF disc(option.rect.left() + 6, option.rect.top() + 4, d, d);
                    painter->setPen(QPen(QColor(255, 255, 255, 200), 1));
                    painter->setBrush(QColor(0x2e, 0x9d, 0x4a));
                    painter->drawEllipse(disc);
                    painter->setPen(QPen(Qt::white, 2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
                    const QPointF o = disc.topLeft();
                    painter->drawPolyline(
                        QPolygonF { o + QPointF(4, 8.5), o + QPointF(7, 11.5), o + QPointF(12, 5) });
                }
                if (edited) {
                    // An orange disc with a pencil stroke, top right.
                    const QRectF disc(option.rect.right() - 6 - d, option.rect.top() + 4, d, d);
                    painter->setPen(QPen(QColor(255, 255, 255, 200), 1));
                    painter->setBrush(QColor(0xe0, 0x8a, 0x00));
                    painter->drawEllipse(disc);
                    painter->setPen(QPen(Qt::white, 2.5, Qt::SolidLine, Qt::RoundCap));
                    const QPointF o = disc.topLeft();
                    painter->drawLine(o + QPointF(4.5, 11.5), o + QPointF(11.5, 4.5));
                    painter->setPen(QPen(Qt::white, 1.5, Qt::SolidLine, Qt::RoundCap));
                    painter->drawLine(o + QPointF(4, 12), o + QPointF(5.5, 12));
                }
                painter->restore();
            }
        };

        enum class SwatchKind { Filled, Unpainted, Void };

        QIcon swatch(const QColor& color, SwatchKind kind)
        {
            QPixmap pixmap(16, 16);
            pixmap.fill(Qt::transparent);
            QPainter painter(&pixmap);
            const QRect box(1, 1, 13, 13);
            if (kind == SwatchKind::Void) {
                // Void is never painted: a checkerboard, like a transparent layer.
                for (int y = 0; y < 2; ++y)
                    for (int x = 0; x < 2; ++x)
                        painter.fillRect(QRect(1 + 7 * x, 1 + 7 * y, 7, 7),
                            (x + y) % 2 ? QColor(0x60, 0x60, 0x60) : QColor(0xd0, 0xd0, 0xd0));
            } else if (kind == SwatchKind::Filled) {
                painter.fillRect(box, color);
            }
            painter.setPen(
                kind == SwatchKind::Unpainted ? QPen(color.lighter(150), 2) : QPen(QColor(0, 0, 0, 0x90)));
            painter.drawRect(box);
            return QIcon(pixmap);
        }

        // Where the image of a sample is stored, for the info line.
        QString sampleFileName(const msup::Sample& sample)
        {
            const QString name = QFileInfo(sample.imagePath).fileName();
            if (sample.frame >= 0)
                return DatasetPanel::tr("%1, frame %2").arg(name).arg(sample.frame);
            return name;
        }

    } // namespace

    struct LoadedSample {
        int generation = 0;
        int index = -1;
        QString imagePath;
        QImage rgb;
        QImage labels; // class indices as Grayscale8
        QVector<qint64> labelCounts; // pixels per label value (256)
        QString labelError;
        QString error;
        int instances = -1; // object instances in the annotation (GLaS), -1 when not applicable
    };

    DatasetPanel::DatasetPanel(QWidget* parent)
        : QWidget(parent)
        , m_loader(std::make_unique<LatestTaskRunner<LoadedSample>>(
              this, [this](const LoadedSample& loaded) { onSampleLoaded(loaded); }))
    {
        buildSamplesWidget();
        buildView();
        clearDataset();
    }

    DatasetPanel::~DatasetPanel()
    {
        // The samples widget may have been moved into a dock: it is owned by its new parent, and
        // it shows the models owned here. Detach the view before the models go.
        if (m_thumbnails)
            m_thumbnails->setModel(nullptr);
    }

    void DatasetPanel::buildSamplesWidget()
    {
        m_samplesWidget = new QWidget(this);
        m_samplesWidget->setObjectName(QStringLiteral("samplesWidget"));
        auto* layout = new QVBoxLayout(m_samplesWidget);
        layout->setContentsMargins(4, 4, 4, 4);

        m_summaryLabel = textLabel(QStringLiteral("datasetSummaryLabel"), m_samplesWidget);
        layout->addWidget(m_summaryLabel);

        m_search = new QLineEdit(m_samplesWidget);
        m_search->setObjectName(QStringLiteral("sampleSearchEdit"));
        m_search->setClearButtonEnabled(true);
        m_search->setPlaceholderText(tr("Search by name (Ctrl+F)"));
        m_search->setToolTip(tr("Show only the samples whose name contains this text (any case)"));
        layout->addWidget(m_search);
        auto* find = new QShortcut(QKeySequence::Find, m_samplesWidget);
        find->setContext(Qt::WindowShortcut);
        connect(find, &QShortcut::activated, this, [this] {
            m_search->setFocus(Qt::ShortcutFocusReason);
            m_search->selectAll();
        });

        auto* filters = new QHBoxLayout;
        m_splitCombo = new QComboBox(m_samplesWidget);
        m_splitCombo->setObjectName(QStringLiteral("splitFilterCombo"));
        m_splitCombo->setToolTip(tr("Show one official split of the dataset"));
        m_classCombo = new QComboBox(m_samplesWidget);
        m_classCombo->setObjectName(QStringLiteral("classFilterCombo"));
        m_classCombo->setToolTip(tr("Show only the samples whose labels contain this class (the "
                                    "label maps are scanned in the background the first time)"));
        m_classCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        m_classCombo->setMinimumContentsLength(8);
        filters->addWidget(m_splitCombo, 1);
        filters->addWidget(m_classCombo, 1);
        layout->addLayout(filters);

        buildReviewRow(layout);
        buildSuggestRow(layout);

        auto* counts = new QHBoxLayout;
        m_countLabel = new QLabel(m_samplesWidget);
        m_countLabel->setObjectName(QStringLiteral("sampleCountLabel"));
        m_scanLabel = new QLabel(m_samplesWidget);
        m_scanLabel->setObjectName(QStringLiteral("classScanLabel"));
        m_scanLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        counts->addWidget(m_countLabel, 1);
        counts->addWidget(m_scanLabel);
        layout->addLayout(counts);

        m_model = new SampleListModel(this);
        m_filter = new SampleFilterModel(this);
        m_filter->setSourceModel(m_model);

        m_thumbnails = new QListView(m_samplesWidget);
        m_thumbnails->setObjectName(QStringLiteral("thumbnailList"));
        m_thumbnails->setItemDelegate(new ThumbnailDelegate(m_thumbnails));
        m_thumbnails->setViewMode(QListView::IconMode);
        m_thumbnails->setIconSize(QSize(kThumbnailSize, kThumbnailSize));
        m_thumbnails->setGridSize(kCellSize);
        m_thumbnails->setResizeMode(QListView::Adjust);
        m_thumbnails->setMovement(QListView::Static);
        m_thumbnails->setLayoutMode(QListView::Batched);
        m_thumbnails->setBatchSize(500);
        m_thumbnails->setUniformItemSizes(true);
        m_thumbnails->setWordWrap(false);
        m_thumbnails->setTextElideMode(Qt::ElideMiddle);
        m_thumbnails->setSelectionMode(QAbstractItemView::SingleSelection);
        m_thumbnails->setMinimumWidth(2 * kCellSize.width() + 24);
        m_thumbnails->setToolTip(tr("Samples of the dataset. Select one to view it with its labels, "
                                    "its masked versions and its prediction."));
        m_thumbnails->setModel(m_filter);
        connect(m_thumbnails->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });
        layout->addWidget(m_thumbnails, 1);

        connect(m_search, &QLineEdit::textChanged, this, [this](const QString& text) {
            m_filter->setSearchText(text);
            selectFirstIfNone();
        });
        connect(m_splitCombo, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int) {
            m_filter->setSplit(m_splitCombo->currentData().toString());
            selectFirstIfNone();
            Q_EMIT splitFilterChanged(splitFilter());
        });
        connect(m_classCombo, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &DatasetPanel::onClassFilterChosen);
        for (auto signal : { &QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved })
            connect(m_filter, signal, this, &DatasetPanel::updateCounts);
        connect(m_filter, &QAbstractItemModel::modelReset, this, &DatasetPanel::updateCounts);
        connect(m_filter, &QAbstractItemModel::layoutChanged, this, &DatasetPanel::updateCounts);
        connect(m_model, &SampleListModel::thumbnailsIdle, this, &DatasetPanel::thumbnailsFinished);
        connect(m_model, &SampleListModel::classesUpdated, this, &DatasetPanel::onClassesUpdated);
        connect(m_model, &SampleListModel::classScanProgress, this, [this](int done, int total) {
            m_scanLabel->setText(tr("Scanning classes %1/%2…").arg(done).arg(total));
            m_scanLabel->setVisible(true);
        });
        connect(m_model, &SampleListModel::classScanFinished, this, [this] {
            m_scanLabel->clear();
            m_scanLabel->setVisible(false);
            onClassesUpdated();
            Q_EMIT classScanFinished();
        });

        auto* problemsRow = new QHBoxLayout;
        m_problemsLabel = new QLabel(m_samplesWidget);
        m_problemsLabel->setObjectName(QStringLiteral("problemsLabel"));
        m_problemsLabel->setWordWrap(true);
        m_problemsButton = pushButton(tr("Details…"), QStringLiteral("problemsButton"),
            tr("List every file skipped while indexing and how to fix it"), m_samplesWidget, this,
            &DatasetPanel::showProblems);
        problemsRow->addWidget(m_problemsLabel, 1);
        problemsRow->addWidget(m_problemsButton);
        layout->addLayout(problemsRow);
    }

    void DatasetPanel::buildReviewRow(QVBoxLayout* layout)
    {
        auto* row = new QHBoxLayout;
        m_reviewCombo = new QComboBox(m_samplesWidget);
        m_reviewCombo->setObjectName(QStringLiteral("reviewFilterCombo"));
        m_reviewCombo->setToolTip(
            tr("Show the samples by review state: reviewed, not reviewed yet, edited by "
               "hand, unlabelled (no labelled pixel; the label maps are scanned in "
               "the background the first time), or suggested to annotate (the ranked "
               "images, most uncertain first)"));
        using F = SampleFilterModel::ReviewFilter;
        m_reviewCombo->addItem(tr("All images"), int(F::All));
        m_reviewCombo->addItem(tr("Reviewed"), int(F::Reviewed));
        m_reviewCombo->addItem(tr("Not reviewed"), int(F::NotReviewed));
        m_reviewCombo->addItem(tr("Edited"), int(F::Edited));
        m_reviewCombo->addItem(tr("Unlabelled"), int(F::Unlabelled));
        m_reviewCombo->addItem(tr("Suggested to annotate"), int(F::Suggested));
        connect(m_reviewCombo, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &DatasetPanel::onReviewFilterChosen);

        m_markReviewedAction = new QAction(tr("Mark reviewed"), this);
        m_markReviewedAction->setObjectName(QStringLiteral("markReviewedAction"));
        m_markReviewedAction->setCheckable(true);
        m_markReviewedAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
        m_markReviewedAction->setShortcutContext(Qt::WindowShortcut);
        m_markReviewedAction->setToolTip(tr("Mark the selected image as reviewed, or not (Ctrl+M)"));
        m_markReviewedAction->setEnabled(false);
        connect(m_markReviewedAction, &QAction::triggered, this,
            [this](bool checked) { setReviewed(m_currentSample, checked); });
        m_samplesWidget->addAction(m_markReviewedAction);
        m_reviewButton = new QToolButton(m_samplesWidget);
        m_reviewButton->setObjectName(QStringLiteral("markReviewedButton"));
        m_reviewButton->setDefaultAction(m_markReviewedAction);
        m_reviewButton->setToolButtonStyle(Qt::ToolButtonTextOnly);

        m_reviewLabel = new QLabel(m_samplesWidget);
        m_reviewLabel->setObjectName(QStringLiteral("reviewCountLabel"));
        m_reviewLabel->setToolTip(tr("Images marked as reviewed, and images whose mask was edited by hand"));
        row->addWidget(m_reviewCombo, 1);
        row->addWidget(m_reviewButton);
        layout->addLayout(row);
        layout->addWidget(m_reviewLabel);
    }

    void DatasetPanel::buildSuggestRow(QVBoxLayout* layout)
    {
        m_suggestAction = new QAction(tr("Suggest images to annotate…"), this);
        m_suggestAction->setObjectName(QStringLiteral("suggestImagesAction"));
        connect(m_suggestAction, &QAction::triggered, this, &DatasetPanel::suggestImages);
        m_suggestButton = new QToolButton(m_samplesWidget);
        m_suggestButton->setObjectName(QStringLiteral("suggestImagesButton"));
        m_suggestButton->setDefaultAction(m_suggestAction);
        m_suggestButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
        layout->addWidget(m_suggestButton, 0, Qt::AlignLeft);

        // Progress on a row of its own: the button keeps its whole text while a ranking runs.
        auto* progressRow = new QHBoxLayout;
        m_suggestProgress = new QProgressBar(m_samplesWidget);
        m_suggestProgress->setObjectName(QStringLiteral("suggestProgressBar"));
        m_suggestProgress->setVisible(false);
        m_suggestCancel = new QPushButton(tr("Cancel"), m_samplesWidget);
        m_suggestCancel->setObjectName(QStringLiteral("suggestCancelButton"));
        m_suggestCancel->setToolTip(tr("Stop ranking; the images ranked so far are kept"));
        m_suggestCancel->setVisible(false);
        progressRow->addWidget(m_suggestProgress, 1);
        progressRow->addWidget(m_suggestCancel);
        layout->addLayout(progressRow);

        m_suggestLabel = new QLabel(m_samplesWidget);
        m_suggestLabel->setObjectName(QStringLiteral("suggestLabel"));
        m_suggestLabel->setWordWrap(true);
        m_suggestLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_suggestLabel->setVisible(false);
        layout->addWidget(m_suggestLabel);

        m_suggestRunner = new JobRunner(this);
        bindProgress(m_suggestRunner, m_suggestProgress, m_suggestCancel);
        connect(m_suggestRunner, &JobRunner::progress, this, [this](int done, int total, const QString&) {
            m_suggestProgress->setFormat(tr("Ranking %1/%2").arg(done).arg(total));
        });
        connect(m_suggestRunner, &JobRunner::failed, this, [this](const QString& message) {
            m_suggestError = message;
            updateSuggestAction();
            updateSuggestText();
            Q_EMIT suggestFinished(message);
        });
        connect(m_suggestRunner, &JobRunner::cancelled, this, [this] {
            updateSuggestAction();
            updateSuggestText();
            Q_EMIT suggestFinished({});
        });
    }

    void DatasetPanel::setSuggestCheckpoint(const QString& path)
    {
        m_suggestCheckpoint = path;
        updateSuggestAction();
    }

    bool DatasetPanel::isSuggesting() const
    {
        return m_suggestRunner->isRunning();
    }

    void DatasetPanel::updateSuggestAction()
    {
        const bool running = m_suggestRunner->isRunning();
        m_suggestAction->setEnabled(m_hasDataset && !m_suggestCheckpoint.isEmpty() && !running);
        QString tip;
        if (m_suggestCheckpoint.isEmpty())
            tip = tr("Needs a trained model: train one, or open a checkpoint (File ▸ Open checkpoint…)");
        else
            tip = tr("Rank the images not marked reviewed by how unsure %1 is about them, most uncertain "
                     "first (mean uncertainty of its prediction)")
                      .arg(PredictionPanel::runName(m_suggestCheckpoint));
        m_suggestAction->setToolTip(tip);
        m_suggestButton->setToolTip(tip);
        // The filter entry exists only while there is a ranking to show.
        if (auto* items = qobject_cast<QStandardItemModel*>(m_reviewCombo->model())) {
            const int entry = m_reviewCombo->findData(int(SampleFilterModel::ReviewFilter::Suggested));
            if (QStandardItem* item = items->item(entry)) {
                const bool ranked = !m_model->suggestedRows().isEmpty();
                item->setEnabled(ranked);
                item->setToolTip(
                    ranked ? QString() : tr("Rank the images first: Suggest images to annotate…"));
            }
        }
    }

    void DatasetPanel::suggestImages()
    {
        if (!m_hasDataset || m_suggestCheckpoint.isEmpty() || m_suggestRunner->isRunning())
            return;
        msup::SuggestOptions options;
        options.checkpoint = m_suggestCheckpoint;
        options.dataset = m_dataset.root;
        options.device
            = msup::TrainingSession::cudaAvailable() ? QStringLiteral("cuda") : QStringLiteral("cpu");
        for (int row = 0; row < m_dataset.samples.size(); ++row)
            if (m_model->isReviewed(row))
                options.exclude.insert(m_dataset.samples[row].id);
        const int generation = m_generation;
        const QString checkpoint = m_suggestCheckpoint;
        m_suggestError.clear();
        m_suggestRunner->start<msup::SuggestResult>(
            [options](msup::Progress& progress) { return msup::suggestImagesToAnnotate(options, progress); },
            [this, generation, checkpoint](const msup::SuggestResult& result) {
                if (generation == m_generation)
                    applySuggestions(result, checkpoint);
                updateSuggestAction();
                updateSuggestText();
                Q_EMIT suggestFinished({});
            },
            JobRunner::OnCancel::DeliverResult);
        updateSuggestAction();
        updateSuggestText();
    }

    void DatasetPanel::cancelSuggestions()
    {
        if (m_suggestRunner->isRunning()) {
            m_suggestCancel->setEnabled(false);
            m_suggestRunner->cancel();
        }
    }

    void DatasetPanel::applySuggestions(const msup::SuggestResult& result, const QString& checkpoint)
    {
        // The ranking names samples of the dataset as the checkpoint's run opens it: match by id.
        QHash<QString, int> rowOf;
        for (int row = 0; row < m_dataset.samples.size(); ++row)
            rowOf.insert(m_dataset.samples[row].id, row);
        QVector<int> rows;
        QVector<double> uncertainty;
        for (const msup::AnnotationSuggestion& s : result.ranked) {
            const int row = rowOf.value(s.id, -1);
            if (row < 0)
                continue;
            rows << row;
            uncertainty << s.meanUncertainty;
        }
        m_model->setSuggestions(rows, uncertainty);
        m_suggestedWith = checkpoint;
        m_suggestCandidates = result.candidates;
        m_suggestCancelled = result.cancelled;
        m_suggestSkipped = result.skipped;
        updateSuggestAction();
        if (!rows.isEmpty() && reviewFilter() == SampleFilterModel::ReviewFilter::Suggested) {
            m_filter->refilter(); // the new ranking, in its order
            selectFirstIfNone();
            updateCounts();
        } else if (!rows.isEmpty()) {
            setReviewFilter(SampleFilterModel::ReviewFilter::Suggested);
        } else if (reviewFilter() == SampleFilterModel::ReviewFilter::Suggested)
            setReviewFilter(SampleFilterModel::ReviewFilter::All);
        updateSuggestText();
        Q_EMIT suggestionsChanged();
    }

    void DatasetPanel::clearSuggestions()
    {
        const bool had = !m_model->suggestedRows().isEmpty() || !m_suggestedWith.isEmpty();
        m_model->clearSuggestions();
        m_suggestedWith.clear();
        m_suggestError.clear();
        m_suggestCandidates = 0;
        m_suggestCancelled = false;
        m_suggestSkipped.clear();
        if (reviewFilter() == SampleFilterModel::ReviewFilter::Suggested)
            setReviewFilter(SampleFilterModel::ReviewFilter::All);
        updateSuggestAction();
        updateSuggestText();
        if (had)
            Q_EMIT suggestionsChanged();
    }

    QString DatasetPanel::suggestionsText() const
    {
        return m_suggestLabel->text();
    }

    void DatasetPanel::updateSuggestText()
    {
        QStringList lines;
        QStringList tip;
        const int ranked = int(m_model->suggestedRows().size());
        if (m_suggestRunner->isRunning()) {
            lines << tr("Ranking the images not reviewed with %1…")
                         .arg(PredictionPanel::runName(m_suggestCheckpoint));
        } else if (!m_suggestError.isEmpty()) {
            lines << tr("Could not rank the images: %1").arg(m_suggestError);
        }
        if (!m_suggestedWith.isEmpty()) {
            const QString run = PredictionPanel::runName(m_suggestedWith);
            QString line = m_suggestCancelled
                ? tr("Cancelled: %1 of %n image(s) ranked by %2, most uncertain first", nullptr,
                    m_suggestCandidates)
                      .arg(ranked)
                      .arg(run)
                : tr("%n image(s) ranked by %1, most uncertain first", nullptr, ranked).arg(run);
            if (ranked > 0)
                line += QStringLiteral(" · ") + tr("%n to review", nullptr, suggestedToReviewCount());
            lines << line;
            tip << tr("Ranked with %1").arg(QDir::toNativeSeparators(m_suggestedWith))
                << tr("An image's score is the mean uncertainty of the prediction over its pixels (0: sure, "
                      "1: unsure).");
            const int skipped = int(m_suggestSkipped.size());
            if (skipped > 0) {
                QStringList files;
                for (int i = 0; i < skipped; ++i) {
                    const QString entry = tr("%1: %2").arg(
                        QFileInfo(m_suggestSkipped[i].file).fileName(), m_suggestSkipped[i].reason);
                    if (i < 3)
                        files << entry;
                    tip << entry;
                }
                QString line
                    = tr("%n image(s) skipped: %1", nullptr, skipped).arg(files.join(QStringLiteral("; ")));
                if (skipped > 3)
                    line += QLatin1Char(' ') + tr("… and %n more", nullptr, skipped - 3);
                lines << line;
            }
        }
        m_suggestLabel->setText(lines.join(QLatin1Char('\n')));
        m_suggestLabel->setToolTip(tip.join(QLatin1Char('\n')));
        m_suggestLabel->setVisible(!lines.isEmpty());
    }

    QVector<int> DatasetPanel::suggestedSamples() const
    {
        return m_model->suggestedRows();
    }

    int DatasetPanel::suggestionRank(int index) const
    {
        return m_model->suggestionRank(index);
    }

    double DatasetPanel::suggestionUncertainty(int index) const
    {
        return m_model->uncertainty(index);
    }

    int DatasetPanel::nextSuggested(int index, int step) const
    {
        const QVector<int>& ranked = m_model->suggestedRows();
        if (ranked.isEmpty() || step == 0)
            return -1;
        const int rank = m_model->suggestionRank(index);
        const int from = rank >= 0 ? rank : (step > 0 ? -1 : int(ranked.size()));
        for (int r = from + (step > 0 ? 1 : -1); r >= 0 && r<ranked.size(); r += step> 0 ? 1 : -1)
            if (!m_model->isReviewed(ranked[r]))
                return ranked[r];
        return -1;
    }

    int DatasetPanel::suggestedToReviewCount() const
    {
        const QVector<int>& ranked = m_model->suggestedRows();
        return int(std::count_if(
            ranked.begin(), ranked.end(), [this](int row) { return !m_model->isReviewed(row); }));
    }

    bool DatasetPanel::isReviewed(int index) const
    {
        return m_model->isReviewed(index);
    }

    bool DatasetPanel::isEdited(int index) const
    {
        return m_model->isEdited(index);
    }

    int DatasetPanel::reviewedCount() const
    {
        return m_model->reviewedCount();
    }

    int DatasetPanel::editedCount() const
    {
        return m_model->editedCount();
    }

    void DatasetPanel::setReviewed(int index, bool reviewed)
    {
        if (index < 0 || index >= m_model->rowCount() || m_model->isReviewed(index) == reviewed) {
            afterStateChange(); // keeps the action's check mark in step
            return;
        }
        m_model->setReviewed(index, reviewed);
        storeState(index);
        afterStateChange();
        Q_EMIT imageStatesChanged();
    }

    void DatasetPanel::setEdited(int index, bool edited)
    {
        if (index < 0 || index >= m_model->rowCount() || m_model->isEdited(index) == edited)
            return;
        m_model->setEdited(index, edited);
        storeState(index);
        afterStateChange();
        Q_EMIT imageStatesChanged();
    }

    void DatasetPanel::setEditedIds(const QStringList& ids)
    {
        const QSet<QString> edited(ids.begin(), ids.end());
        bool changed = false;
        for (int row = 0; row < m_dataset.samples.size(); ++row) {
            const bool e = edited.contains(m_dataset.samples[row].id);
            if (m_model->isEdited(row) == e)
                continue;
            m_model->setEdited(row, e);
            storeState(row);
            changed = true;
        }
        afterStateChange();
        if (changed)
            Q_EMIT imageStatesChanged();
    }

    void DatasetPanel::setImageStates(const QMap<QString, msup::ProjectImageState>& states)
    {
        m_states = states;
        applyStatesToModel();
        afterStateChange();
    }

    void DatasetPanel::applyStatesToModel()
    {
        for (int row = 0; row < m_dataset.samples.size(); ++row) {
            const msup::ProjectImageState state = m_states.value(m_dataset.samples[row].id);
            m_model->setReviewed(row, state.reviewed);
            m_model->setEdited(row, state.edited);
        }
    }

    // Records a sample's state in the project map; samples back to the default state leave it.
    void DatasetPanel::storeState(int index)
    {
        const QString id = m_dataset.samples[index].id;
        msup::ProjectImageState state = m_states.value(id);
        state.reviewed = m_model->isReviewed(index);
        state.edited = m_model->isEdited(index);
        if (!state.reviewed && !state.edited && state.extra.isEmpty())
            m_states.remove(id);
        else
            m_states.insert(id, state);
    }

    void DatasetPanel::afterStateChange()
    {
        if (m_filter->reviewFilter() != SampleFilterModel::ReviewFilter::All) {
            m_filter->refilter();
            selectFirstIfNone();
        }
        m_markReviewedAction->setEnabled(m_hasDataset && m_currentSample >= 0);
        m_markReviewedAction->setChecked(m_model->isReviewed(m_currentSample));
        m_reviewLabel->setText(m_hasDataset
                ? tr("Reviewed: %1 · Edited: %2").arg(m_model->reviewedCount()).arg(m_model->editedCount())
                : QString());
        updateCounts();
        updateSuggestAction();
        updateSuggestText();
    }

    void DatasetPanel::setReviewFilter(SampleFilterModel::ReviewFilter filter)
    {
        const int index = m_reviewCombo->findData(int(filter));
        m_reviewCombo->setCurrentIndex(index >= 0 ? index : 0);
    }

    SampleFilterModel::ReviewFilter DatasetPanel::reviewFilter() const
    {
        return m_filter->reviewFilter();
    }

    void DatasetPanel::onReviewFilterChosen(int comboIndex)
    {
        const auto filter = SampleFilterModel::ReviewFilter(m_reviewCombo->itemData(comboIndex).toInt());
        if (filter == SampleFilterModel::ReviewFilter::Unlabelled
            && m_model->classesKnownCount() < m_model->rowCount())
            m_model->scanClasses(); // once; the answers are kept for the dataset
        m_filter->setReviewFilter(filter);
        selectFirstIfNone();
        updateCounts();
    }

    void DatasetPanel::buildView()
    {
        auto* layout = new QVBoxLayout(this);
        m_sampleLabel = textLabel(QStringLiteral("sampleLabel"), this);
        layout->addWidget(m_sampleLabel);

        auto* middle = new QHBoxLayout;
        m_view = new ImageView(this);
        m_view->setObjectName(QStringLiteral("datasetImageView"));
        middle->addWidget(m_view, 1);

        auto* legendColumn = new QVBoxLayout;
        auto* legendCaption = new QLabel(tr("Classes"), this);
        m_legend = new QListWidget(this);
        m_legend->setObjectName(QStringLiteral("classLegend"));
        m_legend->setSelectionMode(QAbstractItemView::NoSelection);
        m_legend->setFocusPolicy(Qt::NoFocus);
        m_legend->setIconSize(QSize(16, 16));
        m_legend->setFixedWidth(190);
        m_legend->setToolTip(tr("Class colours; the classes present in this image are in bold. Double "
                                "click a class to change its colour."));
        connect(m_legend, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) {
            const int c = m_legend->row(item);
            if (c < 0 || c >= m_dataset.classNames.size())
                return; // the void entry
            const QColor chosen = QColorDialog::getColor(m_dataset.classColors.value(c, QColor(Qt::gray)),
                this, tr("Colour of “%1”").arg(m_dataset.classNames[c]));
            if (!chosen.isValid())
                return;
            QVector<QColor> colors = m_dataset.classColors;
            colors.resize(m_dataset.classNames.size(), QColor(Qt::gray));
            colors[c] = chosen;
            setClassColors(colors);
        });
        legendCaption->setBuddy(m_legend);
        legendColumn->addWidget(legendCaption);
        legendColumn->addWidget(m_legend, 1);
        middle->addLayout(legendColumn);
        layout->addLayout(middle, 1);

        auto* controls = new QHBoxLayout;
        auto* opacityCaption = new QLabel(tr("Label opacity:"), this);
        m_opacitySlider = opacitySlider(QStringLiteral("labelOpacitySlider"),
            tr("0 %: image only; 100 %: label colours only"), 240, opacityCaption, this);
        m_opacityValue = new QLabel(this);
        m_opacityValue->setMinimumWidth(40);
        connect(m_opacitySlider, &QSlider::valueChanged, this, [this](int value) {
            m_opacityValue->setText(tr("%1 %").arg(value));
            updateOverlay();
        });
        m_opacityValue->setText(tr("%1 %").arg(m_opacitySlider->value()));
        m_outlineCheck = new QCheckBox(tr("Outline"), this);
        m_outlineCheck->setObjectName(QStringLiteral("outlineCheck"));
        // O acts while the focus is in this panel or in the samples list (not window-wide: the
        // Annotate and Prediction panels use O too, and docks can be shown side by side).
        for (QWidget* scope : { static_cast<QWidget*>(this), m_samplesWidget }) {
            auto* outlineKey = new QShortcut(QKeySequence(Qt::Key_O), scope);
            outlineKey->setContext(Qt::WidgetWithChildrenShortcut);
            connect(outlineKey, &QShortcut::activated, m_outlineCheck, &QCheckBox::toggle);
        }
        m_outlineCheck->setToolTip(tr("Draw only the class boundaries instead of filled regions (O)"));
        connect(m_outlineCheck, &QCheckBox::toggled, this, [this] { updateOverlay(); });
        controls->addWidget(opacityCaption);
        controls->addWidget(m_opacitySlider);
        controls->addWidget(m_opacityValue);
        controls->addSpacing(16);
        controls->addWidget(m_outlineCheck);
        controls->addStretch(1);
        layout->addLayout(controls);
    }

    QString DatasetPanel::datasetName() const
    {
        if (!m_hasDataset)
            return {};
        return QFileInfo(QDir::cleanPath(m_dataset.root)).fileName();
    }

    void DatasetPanel::clearDataset()
    {
        ++m_generation;
        m_loader->dropPending();
        // A ranking belongs to the dataset it was made for: stop it, and forget the one shown.
        cancelSuggestions();
        clearSuggestions();
        m_dataset = msup::Dataset();
        m_hasDataset = false;
        m_currentSample = -1;
        m_model->clear();
        resetFilters();
        m_currentImage = QImage();
        m_rgb = cv::Mat();
        m_labels = cv::Mat();
        m_labelCounts.clear();
        m_instances = -1;
        m_labelError.clear();
        m_summaryLabel->setText(tr("No dataset open. Use File ▸ Open dataset… or drop a folder here."));
        m_sampleLabel->clear();
        m_view->clear(tr("No dataset open"));
        afterStateChange();
        updateClassLegend();
        updateProblems();
    }

    void DatasetPanel::setClassColors(const QVector<QColor>& colors)
    {
        if (!m_hasDataset || colors.size() != m_dataset.classNames.size() || colors == m_dataset.classColors)
            return;
        m_dataset.classColors = colors;
        for (int i = 0; i < colors.size() && i + 1 < m_classCombo->count(); ++i)
            m_classCombo->setItemIcon(i + 1, swatch(colors[i], SwatchKind::Filled));
        updateOverlay();
        updateClassLegend();
        Q_EMIT classColorsChanged(colors);
    }

    void DatasetPanel::resetFilters()
    {
        const QSignalBlocker searchBlocker(m_search);
        const QSignalBlocker splitBlocker(m_splitCombo);
        const QSignalBlocker classBlocker(m_classCombo);
        const QSignalBlocker reviewBlocker(m_reviewCombo);
        m_search->clear();
        m_splitCombo->clear();
        m_splitCombo->addItem(tr("All splits"), QString());
        for (const QString& split : std::as_const(m_dataset.officialSplits))
            m_splitCombo->addItem(split, split);
        m_splitCombo->setVisible(m_hasDataset && !m_dataset.officialSplits.isEmpty());
        m_classCombo->clear();
        m_classCombo->addItem(tr("All classes"), -1);
        for (int i = 0; i < m_dataset.classNames.size(); ++i) {
            const QColor color = m_dataset.classColors.value(i, QColor(Qt::gray));
            m_classCombo->addItem(swatch(color, SwatchKind::Filled), m_dataset.classNames[i], i);
        }
        m_classCombo->setEnabled(m_hasDataset && !m_dataset.classNames.isEmpty());
        m_search->setEnabled(m_hasDataset);
        m_filter->setSearchText({});
        m_filter->setSplit({});
        m_filter->setClassFilter(-1);
        m_reviewCombo->setCurrentIndex(0);
        m_reviewCombo->setEnabled(m_hasDataset);
        m_filter->setReviewFilter(SampleFilterModel::ReviewFilter::All);
        m_scanLabel->clear();
        m_scanLabel->setVisible(false);
    }

    void DatasetPanel::setDataset(const msup::Dataset& dataset)
    {
        clearDataset();
        m_dataset = dataset;
        m_hasDataset = true;

        m_summaryLabel->setText(
            tr("<b>%1</b><br>%2 · %n sample(s) · %3 classes", nullptr, int(dataset.samples.size()))
                .arg(datasetName().toHtmlEscaped(), datasetFormatText(dataset).toHtmlEscaped())
                .arg(dataset.numClasses()));
        m_summaryLabel->setToolTip(QDir::toNativeSeparators(dataset.root));

        // Indexing only: no image is decoded until its row is shown.
        m_model->setDataset(dataset);
        applyStatesToModel();
        resetFilters();
        afterStateChange();
        updateClassLegend();
        updateProblems();
        if (!dataset.samples.isEmpty())
            m_thumbnails->setCurrentIndex(m_filter->index(0, 0));
        else
            m_view->clear(tr("This dataset has no usable image/label pairs (see the problems list)."));
    }

    int DatasetPanel::thumbnailCount() const
    {
        return m_filter->rowCount();
    }

    int DatasetPanel::decodedThumbnailCount() const
    {
        return m_model->decodedThumbnailCount();
    }

    int DatasetPanel::requestedThumbnailCount() const
    {
        return m_model->requestedThumbnailCount();
    }

    bool DatasetPanel::thumbnailsDone() const
    {
        return m_hasDataset && m_model->pendingThumbnailCount() == 0;
    }

    void DatasetPanel::setSearchText(const QString& text)
    {
        m_search->setText(text);
    }

    QString DatasetPanel::searchText() const
    {
        return m_search->text();
    }

    void DatasetPanel::setSplitFilter(const QString& split)
    {
        const int index = m_splitCombo->findData(split);
        m_splitCombo->setCurrentIndex(index >= 0 ? index : 0);
    }

    QString DatasetPanel::splitFilter() const
    {
        return m_filter->split();
    }

    void DatasetPanel::setClassFilter(int classIndex)
    {
        const int index = m_classCombo->findData(classIndex);
        m_classCombo->setCurrentIndex(index >= 0 ? index : 0);
    }

    int DatasetPanel::classFilter() const
    {
        return m_filter->classFilter();
    }

    bool DatasetPanel::isScanningClasses() const
    {
        return m_model->isScanningClasses();
    }

    QVector<int> DatasetPanel::visibleSamples() const
    {
        QVector<int> samples;
        const int rows = m_filter->rowCount();
        samples.reserve(rows);
        for (int row = 0; row < rows; ++row)
            samples << m_filter->mapToSource(m_filter->index(row, 0)).row();
        return samples;
    }

    int DatasetPanel::visibleSampleCount() const
    {
        return m_filter->rowCount();
    }

    void DatasetPanel::onClassFilterChosen(int comboIndex)
    {
        const int classIndex = m_classCombo->itemData(comboIndex).toInt();
        if (classIndex >= 0 && m_model->classesKnownCount() < m_model->rowCount())
            m_model->scanClasses(); // once; the answers are kept for the dataset
        m_filter->setClassFilter(classIndex);
        selectFirstIfNone();
    }

    void DatasetPanel::onClassesUpdated()
    {
        if (m_filter->classFilter() >= 0
            || m_filter->reviewFilter() == SampleFilterModel::ReviewFilter::Unlabelled) {
            m_filter->refilter();
            selectFirstIfNone();
        }
        updateCounts();
    }

    void DatasetPanel::selectFirstIfNone()
    {
        if (m_thumbnails->currentIndex().isValid() || m_filter->rowCount() == 0)
            return;
        // Prefer the sample already shown when the filters let it through.
        const QModelIndex shown = m_filter->mapFromSource(m_model->index(m_currentSample));
        m_thumbnails->setCurrentIndex(shown.isValid() ? shown : m_filter->index(0, 0));
    }

    void DatasetPanel::updateCounts()
    {
        if (!m_hasDataset) {
            m_countLabel->clear();
            return;
        }
        const int total = m_model->rowCount();
        const int shown = m_filter->rowCount();
        m_countLabel->setText(tr("%1 of %n sample(s)", nullptr, total).arg(shown));
    }

    void DatasetPanel::setCurrentIndex(int index)
    {
        if (index < 0 || index >= m_model->rowCount())
            return;
        QModelIndex proxy = m_filter->mapFromSource(m_model->index(index));
        if (!proxy.isValid()) {
            // Hidden by the filters: show everything again rather than refuse.
            resetFilters();
            updateCounts();
            proxy = m_filter->mapFromSource(m_model->index(index));
        }
        m_thumbnails->setCurrentIndex(proxy);
        m_thumbnails->scrollTo(proxy);
    }

    QString DatasetPanel::currentImagePath() const
    {
        const int index = currentIndex();
        if (index < 0 || index >= m_dataset.samples.size())
            return {};
        return m_dataset.samples[index].imagePath;
    }

    void DatasetPanel::onCurrentChanged(const QModelIndex& current)
    {
        if (!current.isValid())
            return; // filtered out: the sample stays on show until another is chosen
        const int row = m_filter->mapToSource(current).row();
        if (row < 0 || row >= m_dataset.samples.size() || row == m_currentSample)
            return;
        m_currentSample = row;
        m_markReviewedAction->setEnabled(true);
        m_markReviewedAction->setChecked(m_model->isReviewed(row));
        const msup::Sample sample = m_dataset.samples[row];
        m_sampleLabel->setText(tr("%1 — loading…").arg(sample.id));
        Q_EMIT currentSampleChanged(row, sample.imagePath);

        const msup::Dataset dataset = m_dataset;
        const int generation = m_generation;
        m_loader->request([dataset, sample, generation, row]() {
            LoadedSample loaded;
            loaded.generation = generation;
            loaded.index = row;
            loaded.imagePath = sample.imagePath;
            cv::Mat rgb;
            try {
                rgb = msup::loadSampleImage(dataset, sample);
                loaded.rgb = msup::rgbToQImage(rgb);
            } catch (const std::exception& e) {
                loaded.error = QString::fromLocal8Bit(e.what());
                return loaded;
            }
            try {
                const cv::Mat labels = msup::loadLabels(dataset, sample, QSize(rgb.cols, rgb.rows));
                loaded.labels = msup::gray8ToQImage(labels);
                loaded.labelCounts = labelHistogram(labels);
                loaded.instances = msup::countInstances(dataset, sample);
            } catch (const std::exception& e) {
                loaded.labelError = QString::fromLocal8Bit(e.what());
            }
            return loaded;
        });
    }

    void DatasetPanel::onSampleLoaded(const LoadedSample& loaded)
    {
        if (loaded.generation != m_generation)
            return;
        if (loaded.index != m_currentSample)
            return; // the selection moved on; its own load is on the way
        const QString id = loaded.index >= 0 && loaded.index < m_dataset.samples.size()
            ? m_dataset.samples[loaded.index].id
            : QString();
        if (!loaded.error.isEmpty()) {
            m_currentImage = QImage();
            m_rgb = cv::Mat();
            m_labels = cv::Mat();
            m_labelCounts.clear();
            m_instances = -1;
            m_sampleLabel->setText(tr("%1 — unreadable").arg(id));
            m_view->clear(loaded.error);
            updateClassLegend();
            showError(tr("Could not read the image of sample “%1”.").arg(id),
                loaded.error + QStringLiteral("\n\n")
                    + tr("Check that the file is a complete, readable image, or remove this "
                         "pair from the dataset folder and open it again."));
            return;
        }
        m_currentImage = loaded.rgb;
        m_rgb = msup::qImageToRgb(loaded.rgb);
        m_labels = msup::qImageToGray8(loaded.labels);
        m_labelCounts = loaded.labelCounts;
        m_instances = loaded.instances;
        m_labelError = loaded.labelError;
        if (!m_labels.empty()) {
            QBitArray present(m_dataset.numClasses());
            for (int c = 0; c < present.size() && c < m_labelCounts.size(); ++c)
                present.setBit(c, m_labelCounts[c] > 0);
            m_model->setClassesPresent(loaded.index, present);
        }
        updateSampleText();
        m_sampleLabel->setToolTip(QDir::toNativeSeparators(loaded.imagePath));
        updateOverlay();
        updateClassLegend();
        if (!m_labelError.isEmpty())
            showError(tr("Could not read the labels of sample “%1”.").arg(id),
                m_labelError + QStringLiteral("\n\n")
                    + tr("The image is shown without labels. Fix or replace the label file, "
                         "then open the dataset again."));
        Q_EMIT currentImageLoaded(loaded.rgb, loaded.imagePath);
    }

    void DatasetPanel::updateSampleText()
    {
        if (m_currentSample < 0 || m_currentSample >= m_dataset.samples.size() || m_currentImage.isNull())
            return;
        const msup::Sample& sample = m_dataset.samples[m_currentSample];
        // First line: the image and the facts its format provides (official split, GLaS grade, gland
        // instances); second line: its file and the classes its labels contain.
        QString text
            = tr("%1 — %2 × %3 px").arg(sample.id).arg(m_currentImage.width()).arg(m_currentImage.height());
        if (!sample.split.isEmpty())
            text += QStringLiteral(" — ") + tr("split %1").arg(sample.split);
        if (!sample.info.isEmpty())
            text += QStringLiteral(" — ") + sample.info;
        if (m_instances >= 0)
            text += QStringLiteral(" — ") + tr("%n instance(s)", nullptr, m_instances);
        text += QLatin1Char('\n') + tr("File: %1").arg(sampleFileName(sample));
        if (!m_labelError.isEmpty()) {
            text += QStringLiteral(" — ") + tr("labels unreadable: %1").arg(m_labelError);
        } else {
            const QStringList present = presentClassNames();
            text += QStringLiteral(" — ")
                + (present.isEmpty() ? tr("no labelled pixel")
                                     : tr("classes present: %1").arg(present.join(QStringLiteral(", "))));
        }
        m_sampleLabel->setText(text);
    }

    double DatasetPanel::overlayOpacity() const
    {
        return m_opacitySlider->value() / 100.0;
    }

    void DatasetPanel::setOverlayOpacity(double opacity)
    {
        m_opacitySlider->setValue(qRound(qBound(0.0, opacity, 1.0) * 100));
    }

    bool DatasetPanel::outlineMode() const
    {
        return m_outlineCheck->isChecked();
    }

    void DatasetPanel::setOutlineMode(bool outline)
    {
        m_outlineCheck->setChecked(outline);
    }

    QImage DatasetPanel::overlayImage() const
    {
        return m_view->image();
    }

    void DatasetPanel::updateOverlay()
    {
        if (m_rgb.empty())
            return;
        if (m_labels.empty()) {
            m_view->setImage(m_currentImage);
            return;
        }
        // The one overlay policy of every view (binary: background unpainted; void never painted).
        msup::OverlayOptions options
            = msup::overlayOptionsFor(m_dataset.numClasses(), m_dataset.ignoreIndex, overlayOpacity());
        options.outlineThickness = outlineMode() ? 2 : 0;
        try {
            m_view->setImage(msup::colorOverlay(m_rgb, m_labels, m_dataset.classColors, options));
        } catch (const std::exception& e) {
            m_view->setImage(m_currentImage);
            m_sampleLabel->setText(m_sampleLabel->text() + QStringLiteral(" — ")
                + tr("overlay failed: %1").arg(QString::fromLocal8Bit(e.what())));
        }
    }

    QStringList DatasetPanel::presentClassNames() const
    {
        QStringList names;
        if (m_labels.empty())
            return names;
        for (int i = 0; i < m_dataset.classNames.size() && i < m_labelCounts.size(); ++i)
            if (m_labelCounts[i] > 0)
                names << m_dataset.classNames[i];
        return names;
    }

    QStringList DatasetPanel::legendEntries() const
    {
        return itemTexts(m_legend);
    }

    void DatasetPanel::updateClassLegend()
    {
        m_legend->clear();
        if (!m_hasDataset)
            return;
        const bool haveLabels = !m_labels.empty() && m_labelCounts.size() == 256;
        const qint64 total = haveLabels ? qint64(m_labels.total()) : 0;
        const msup::OverlayOptions options
            = msup::overlayOptionsFor(m_dataset.numClasses(), m_dataset.ignoreIndex, overlayOpacity());
        QFont bold = m_legend->font();
        bold.setBold(true);
        const QColor absentColor = palette().color(QPalette::Disabled, QPalette::Text);
        auto share = [total](qint64 pixels) {
            return formatNumber(total > 0 ? 100.0 * double(pixels) / double(total) : 0.0, 1);
        };
        for (int i = 0; i < m_dataset.classNames.size(); ++i) {
            const QColor color = m_dataset.classColors.value(i, QColor(Qt::gray));
            const bool painted = !(options.skipBackground && i == 0);
            auto* item
                = new QListWidgetItem(swatch(color, painted ? SwatchKind::Filled : SwatchKind::Unpainted),
                    m_dataset.classNames[i], m_legend);
            QString tip = tr("Class %1: %2").arg(i).arg(m_dataset.classNames[i]);
            if (!painted)
                tip += QLatin1Char('\n') + tr("Not painted over the image (the background of a binary task)");
            if (haveLabels) {
                const qint64 pixels = m_labelCounts[i];
                if (pixels > 0) {
                    item->setFont(bold);
                    tip += QLatin1Char('\n') + tr("%1 % of this image").arg(share(pixels));
                } else {
                    item->setForeground(absentColor);
                    tip += QLatin1Char('\n') + tr("Not in this image");
                }
            }
            item->setToolTip(tip);
        }
        const int ignore = m_dataset.ignoreIndex;
        if (haveLabels && ignore >= 0 && ignore < 256) {
            // Void: the ignore index plus any out-of-range label, never painted nor trained on.
            qint64 voidPixels = 0;
            for (int v = m_dataset.numClasses(); v < 256; ++v)
                voidPixels += m_labelCounts[v];
            if (voidPixels > 0) {
                auto* item = new QListWidgetItem(swatch(Qt::black, SwatchKind::Void), tr("void"), m_legend);
                item->setFont(bold);
                item->setToolTip(tr("Unlabelled pixels (label %1): not painted, not trained on").arg(ignore)
                    + QLatin1Char('\n') + tr("%1 % of this image").arg(share(voidPixels)));
            }
        }
    }

    void DatasetPanel::updateProblems()
    {
        const int count = m_hasDataset ? int(m_dataset.problems.size()) : 0;
        m_problemsButton->setVisible(count > 0);
        if (count == 0) {
            m_problemsLabel->setText(m_hasDataset ? tr("No problems found.") : QString());
            m_problemsLabel->setToolTip({});
            return;
        }
        m_problemsLabel->setText(QStringLiteral("<span style=\"color:#c0392b\">⚠</span> ")
            + tr("%n problem(s) found while indexing", nullptr, count));
        QStringList lines;
        for (int i = 0; i < count && i < 15; ++i)
            lines << m_dataset.problems[i].toString();
        if (count > 15)
            lines << tr("… and %n more", nullptr, count - 15);
        m_problemsLabel->setToolTip(lines.join(QLatin1Char('\n')));
    }

    void DatasetPanel::showProblems()
    {
        if (!m_hasDataset || m_dataset.problems.isEmpty())
            return;
        QStringList lines;
        int errors = 0;
        for (const msup::DatasetProblem& problem : std::as_const(m_dataset.problems)) {
            if (problem.severity == msup::DatasetProblem::Severity::Error)
                ++errors;
            lines << problem.toString();
        }
        QMessageBox* box = closableMessage(this, QMessageBox::Information, tr("Dataset problems"),
            tr("%n problem(s) were found while indexing “%1”.", nullptr, int(m_dataset.problems.size()))
                .arg(QDir::toNativeSeparators(m_dataset.root)),
            tr("%n of them made a pair unusable; those pairs are not in the sample list.", nullptr, errors));
        box->setDetailedText(lines.join(QLatin1Char('\n')));
        box->open();
    }

    void DatasetPanel::showError(const QString& text, const QString& details)
    {
        // One error box at a time, so browsing a folder of broken files does not pile up dialogs.
        if (m_errorBox) {
            m_errorBox->setText(text);
            m_errorBox->setInformativeText(details);
            return;
        }
        m_errorBox = closableMessage(this, QMessageBox::Warning, tr("Unreadable sample"), text, details);
        connect(m_errorBox, &QObject::destroyed, this, [this] { m_errorBox = nullptr; });
        m_errorBox->open();
    }

} // namespace ui
} // namespace msup
