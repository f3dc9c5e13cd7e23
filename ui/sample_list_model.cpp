#include "ui/sample_list_model.h"

#include "core/data/image_io.h"
#include "ui/job_runner.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QMutex>
#include <QMutexLocker>
#include <QPainter>
#include <QStyle>
#include <QThread>
#include <QTimer>

#include <algorithm>

namespace msup {
namespace ui {

    struct ThumbnailResult {
        int generation = 0;
        int row = -1;
        QImage image; // kThumbnailSize² canvas, the image centred on it
        QString error;
    };

    struct ClassPresence {
        int generation = 0;
        int row = -1;
        QBitArray classes; // null when the labels could not be read
    };

    // What a class scan has found and the model has not taken yet (filled by the scan's threads,
    // taken on each progress report and at the end).
    struct ClassScanBuffer {
        QMutex mutex;
        QVector<ClassPresence> ready;
    };

    namespace {

        constexpr int kSize = SampleListModel::kThumbnailSize;

        // The classes present in a sample's labels; none for labels that cannot be read (the
        // sample then never matches a class filter).
        QBitArray classesIn(const msup::Dataset& dataset, int row)
        {
            const int classes = dataset.numClasses();
            try {
                const cv::Mat labels = msup::loadLabels(dataset, dataset.samples[row]);
                QBitArray present(classes);
                for (int y = 0; y < labels.rows; ++y) {
                    const uchar* p = labels.ptr(y);
                    for (int x = 0; x < labels.cols; ++x)
                        if (p[x] < classes)
                            present.setBit(p[x]);
                }
                return present;
            } catch (...) {
                return QBitArray(classes);
            }
        }
        constexpr int kMaxQueued = 512; // older requests are dropped (the rows scrolled away)
        constexpr int kDefaultCache = 2000; // thumbnails, ~37 KB each

        // Thumbnails keep a square canvas so the grid stays regular whatever the aspect ratio.
        QImage squareThumbnail(const QImage& image)
        {
            QImage canvas(kSize, kSize, QImage::Format_ARGB32_Premultiplied);
            canvas.fill(Qt::transparent);
            QPainter painter(&canvas);
            const QImage scaled = image.scaled(kSize, kSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
            painter.drawImage((kSize - scaled.width()) / 2, (kSize - scaled.height()) / 2, scaled);
            painter.end();
            return canvas;
        }

        QIcon makePlaceholder()
        {
            QPixmap pixmap(kSize, kSize);
            pixmap.fill(Qt::transparent);
            QPainter painter(&pixmap);
            painter.setPen(Qt::NoPen);
            painter.setBrush(QColor(0x80, 0x80, 0x80, 0x60));
            painter.drawRoundedRect(QRectF(8, 8, kSize - 16, kSize - 16), 6, 6);
            return QIcon(pixmap);
        }

        QString describeSample(const msup::Sample& sample)
        {
            QString text = QDir::toNativeSeparators(sample.imagePath);
            if (sample.frame >= 0)
                text = SampleListModel::tr("%1, frame %2").arg(text).arg(sample.frame);
            return text;
        }

    } // namespace

    SampleListModel::SampleListModel(QObject* parent)
        : QAbstractListModel(parent)
        , m_pumpTimer(new QTimer(this))
        , m_scanRunner(new JobRunner(this))
        , m_classesTimer(new QTimer(this))
    {
        m_cache.setMaxCost(kDefaultCache);
        // Thumbnails use their own threads (one runner per slot, half the cores), so they neither
        // wait behind nor delay the selected sample's decoding (global pool); the class scan leaves
        // a core to both.
        const int slots = std::max(1, QThread::idealThreadCount() / 2);
        for (int i = 0; i < slots; ++i) {
            auto* runner = new JobRunner(this);
            m_thumbnailSlots.push_back({ runner, -1, 0 });
            connect(runner, &JobRunner::failed, this, [this, i](const QString& message) {
                ThumbnailResult failure;
                failure.row = m_thumbnailSlots[i].row;
                failure.generation = m_thumbnailSlots[i].generation;
                failure.error = message;
                onThumbnailDecoded(failure);
            });
            connect(runner, &JobRunner::cancelled, this, &SampleListModel::pumpThumbnails); // a slot is free
        }

        // Requests arrive from data() while the view paints: collect them, decode after the paint.
        m_pumpTimer->setSingleShot(true);
        m_pumpTimer->setInterval(0);
        connect(m_pumpTimer, &QTimer::timeout, this, &SampleListModel::pumpThumbnails);

        m_classesTimer->setSingleShot(true);
        m_classesTimer->setInterval(100);
        connect(m_classesTimer, &QTimer::timeout, this, &SampleListModel::classesUpdated);

        connect(m_scanRunner, &JobRunner::progress, this, [this](int done, int total) {
            if (!m_scanning)
                return;
            takeClassPresence();
            Q_EMIT classScanProgress(done, total);
        });
    }

    SampleListModel::~SampleListModel()
    {
        // The runners wait for their running jobs (one image each) when destroyed.
        stopWork();
    }

    void SampleListModel::stopWork()
    {
        ++m_generation;
        for (const ThumbnailSlot& slot : m_thumbnailSlots)
            slot.runner->cancel();
        m_queue.clear();
        m_inFlight.clear();
        m_pumpTimer->stop();
        m_scanning = false;
        m_scanRunner->cancel();
        m_classesTimer->stop();
    }

    void SampleListModel::clear()
    {
        setDataset(msup::Dataset());
    }

    void SampleListModel::setDataset(const msup::Dataset& dataset)
    {
        beginResetModel();
        stopWork();
        m_dataset = dataset;
        m_cache.clear();
        m_requested.clear();
        m_failed.clear();
        m_decoded = 0;
        m_classes = QVector<QBitArray>(dataset.samples.size());
        m_classesKnown = 0;
        m_states = QVector<quint8>(dataset.samples.size(), 0);
        m_reviewedCount = 0;
        m_editedCount = 0;
        m_suggested.clear();
        m_rank = QVector<int>(dataset.samples.size(), -1);
        m_uncertainty = QVector<double>(dataset.samples.size(), 0.0);
        endResetModel();
    }

    int SampleListModel::rowCount(const QModelIndex& parent) const
    {
        return parent.isValid() ? 0 : int(m_dataset.samples.size());
    }

    QVariant SampleListModel::data(const QModelIndex& index, int role) const
    {
        if (!index.isValid() || index.row() >= m_dataset.samples.size())
            return {};
        const int row = index.row();
        const msup::Sample& sample = m_dataset.samples[row];
        switch (role) {
        case Qt::DisplayRole:
            return sample.id;
        case Qt::ToolTipRole: {
            QString tip = describeSample(sample);
            if (!sample.split.isEmpty())
                tip += QLatin1Char('\n') + tr("Split: %1").arg(sample.split);
            if (!sample.info.isEmpty())
                tip += QLatin1Char('\n') + sample.info;
            if (isReviewed(row))
                tip += QLatin1Char('\n') + tr("Reviewed");
            if (isEdited(row))
                tip += QLatin1Char('\n') + tr("Edited: its mask was corrected by hand");
            if (suggestionRank(row) >= 0)
                tip += QLatin1Char('\n')
                    + tr("Suggested to annotate: %1 of %2 (mean uncertainty %3)")
                          .arg(suggestionRank(row) + 1)
                          .arg(m_suggested.size())
                          .arg(uncertainty(row), 0, 'f', 3);
            const auto failed = m_failed.constFind(row);
            if (failed != m_failed.constEnd())
                tip += QLatin1Char('\n') + failed.value();
            return tip;
        }
        case Qt::DecorationRole: {
            if (const QPixmap* pixmap = m_cache.object(row))
                return *pixmap;
            if (m_failed.contains(row)) {
                if (m_warning.isNull())
                    m_warning = QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
                return m_warning;
            }
            requestThumbnail(row);
            if (m_placeholder.isNull())
                m_placeholder = makePlaceholder();
            return m_placeholder;
        }
        case SampleIndexRole:
            return row;
        case SplitRole:
            return sample.split;
        case ClassesKnownRole:
            return classesKnown(row);
        case ClassesRole:
            return classesPresent(row);
        case ReviewedRole:
            return isReviewed(row);
        case EditedRole:
            return isEdited(row);
        case SuggestionRankRole:
            return suggestionRank(row);
        case UncertaintyRole:
            return suggestionRank(row) >= 0 ? QVariant(uncertainty(row)) : QVariant();
        default:
            return {};
        }
    }

    void SampleListModel::requestThumbnail(int row) const
    {
        if (m_inFlight.contains(row))
            return;
        m_requested.insert(row);
        const auto it = std::find(m_queue.begin(), m_queue.end(), row);
        if (it != m_queue.end())
            m_queue.erase(it);
        m_queue.push_back(row);
        while (int(m_queue.size()) > kMaxQueued)
            m_queue.pop_front();
        if (!m_pumpTimer->isActive())
            m_pumpTimer->start();
    }

    void SampleListModel::pumpThumbnails()
    {
        for (ThumbnailSlot& slot : m_thumbnailSlots) {
            if (slot.runner->isRunning())
                continue;
            int row = -1;
            while (row < 0 && !m_queue.empty()) {
                const int next = m_queue.back();
                m_queue.pop_back();
                if (next >= 0 && next < m_dataset.samples.size() && !m_cache.contains(next)
                    && !m_failed.contains(next) && !m_inFlight.contains(next))
                    row = next;
            }
            if (row < 0)
                break;
            m_inFlight.insert(row);
            const msup::Dataset dataset = m_dataset; // implicitly shared, cheap
            const int generation = m_generation;
            slot.row = row;
            slot.generation = generation;
            slot.runner->start<QImage>(
                [dataset, row](msup::Progress&) {
                    return squareThumbnail(
                        msup::rgbToQImage(msup::loadSampleImage(dataset, dataset.samples[row])));
                },
                [this, row, generation](const QImage& image) {
                    ThumbnailResult result;
                    result.generation = generation;
                    result.row = row;
                    result.image = image;
                    onThumbnailDecoded(result);
                });
        }
        if (m_inFlight.isEmpty() && m_queue.empty() && !m_requested.isEmpty())
            Q_EMIT thumbnailsIdle();
    }

    void SampleListModel::onThumbnailDecoded(const ThumbnailResult& result)
    {
        if (result.generation != m_generation)
            return;
        m_inFlight.remove(result.row);
        ++m_decoded;
        if (result.error.isEmpty())
            m_cache.insert(result.row, new QPixmap(QPixmap::fromImage(result.image)));
        else
            m_failed.insert(result.row, result.error);
        const QModelIndex changed = index(result.row);
        Q_EMIT dataChanged(changed, changed, { Qt::DecorationRole, Qt::ToolTipRole });
        pumpThumbnails();
    }

    bool SampleListModel::classesKnown(int row) const
    {
        return row >= 0 && row < m_classes.size() && !m_classes[row].isNull();
    }

    QBitArray SampleListModel::classesPresent(int row) const
    {
        return row >= 0 && row < m_classes.size() ? m_classes[row] : QBitArray();
    }

    void SampleListModel::setClassesPresent(int row, const QBitArray& classes)
    {
        if (row < 0 || row >= m_classes.size() || classes.isNull())
            return;
        if (m_classes[row].isNull())
            ++m_classesKnown;
        m_classes[row] = classes;
        const QModelIndex changed = index(row);
        Q_EMIT dataChanged(changed, changed, { ClassesKnownRole, ClassesRole });
        if (!m_classesTimer->isActive())
            m_classesTimer->start();
    }

    bool SampleListModel::isReviewed(int row) const
    {
        return row >= 0 && row < m_states.size() && (m_states[row] & Reviewed);
    }

    bool SampleListModel::isEdited(int row) const
    {
        return row >= 0 && row < m_states.size() && (m_states[row] & Edited);
    }

    void SampleListModel::setReviewed(int row, bool reviewed)
    {
        setStateBit(row, Reviewed, reviewed);
    }

    void SampleListModel::setEdited(int row, bool edited)
    {
        setStateBit(row, Edited, edited);
    }

    void SampleListModel::setStateBit(int row, quint8 bit, bool on)
    {
        if (row < 0 || row >= m_states.size() || bool(m_states[row] & bit) == on)
            return;
        m_states[row] = on ? quint8(m_states[row] | bit) : quint8(m_states[row] & ~bit);
        (bit == Reviewed ? m_reviewedCount : m_editedCount) += on ? 1 : -1;
        const QModelIndex changed = index(row);
        Q_EMIT dataChanged(
            changed, changed, { bit == Reviewed ? ReviewedRole : EditedRole, Qt::ToolTipRole });
    }

    void SampleListModel::setSuggestions(const QVector<int>& rows, const QVector<double>& uncertainty)
    {
        m_suggested.clear();
        m_rank.fill(-1);
        for (int i = 0; i < rows.size() && i < uncertainty.size(); ++i) {
            const int row = rows[i];
            if (row < 0 || row >= m_rank.size() || m_rank[row] >= 0)
                continue;
            m_rank[row] = int(m_suggested.size());
            m_uncertainty[row] = uncertainty[i];
            m_suggested << row;
        }
        if (rowCount() > 0)
            Q_EMIT dataChanged(
                index(0), index(rowCount() - 1), { SuggestionRankRole, UncertaintyRole, Qt::ToolTipRole });
    }

    void SampleListModel::clearSuggestions()
    {
        if (m_suggested.isEmpty())
            return;
        setSuggestions({}, {});
    }

    int SampleListModel::suggestionRank(int row) const
    {
        return row >= 0 && row < m_rank.size() ? m_rank[row] : -1;
    }

    double SampleListModel::uncertainty(int row) const
    {
        return suggestionRank(row) >= 0 ? m_uncertainty[row] : -1.0;
    }

    void SampleListModel::scanClasses()
    {
        if (m_scanning)
            return;
        QVector<int> rows;
        for (int row = 0; row < m_classes.size(); ++row)
            if (m_classes[row].isNull())
                rows << row;
        if (rows.isEmpty()) {
            Q_EMIT classScanFinished();
            return;
        }
        m_scanning = true;
        const msup::Dataset dataset = m_dataset;
        const int generation = m_generation;
        Q_EMIT classScanProgress(0, int(rows.size()));
        auto buffer = std::make_shared<ClassScanBuffer>();
        m_scanBuffer = buffer;
        const int threads = std::max(1, QThread::idealThreadCount() - 1);
        m_scanRunner->start<int>(
            [dataset, generation, rows, buffer, threads](msup::Progress& progress) {
                JobRunner::parallelFor(
                    int(rows.size()),
                    [&](int i) {
                        ClassPresence presence;
                        presence.generation = generation;
                        presence.row = rows[i];
                        presence.classes = classesIn(dataset, rows[i]);
                        const QMutexLocker lock(&buffer->mutex);
                        buffer->ready << presence;
                    },
                    progress, threads);
                return int(rows.size());
            },
            [this](int) {
                takeClassPresence();
                m_scanning = false;
                m_classesTimer->stop();
                Q_EMIT classesUpdated();
                Q_EMIT classScanFinished();
            });
    }

    void SampleListModel::takeClassPresence()
    {
        QVector<ClassPresence> ready;
        {
            const QMutexLocker lock(&m_scanBuffer->mutex);
            ready.swap(m_scanBuffer->ready);
        }
        for (const ClassPresence& presence : std::as_const(ready))
            onClassPresence(presence);
    }

    void SampleListModel::onClassPresence(const ClassPresence& presence)
    {
        if (presence.generation != m_generation)
            return;
        setClassesPresent(presence.row, presence.classes);
    }

    // --- SampleFilterModel ---

    SampleFilterModel::SampleFilterModel(QObject* parent)
        : QSortFilterProxyModel(parent)
    {
        // Thumbnails arriving must not re-run the filter; refilter() does it when classes change.
        setDynamicSortFilter(false);
        setSortRole(SampleListModel::SuggestionRankRole);
    }

    void SampleFilterModel::setSearchText(const QString& text)
    {
        const QString trimmed = text.trimmed();
        if (trimmed == m_search)
            return;
        m_search = trimmed;
        refilter();
    }

    void SampleFilterModel::setSplit(const QString& split)
    {
        if (split == m_split)
            return;
        m_split = split;
        refilter();
    }

    void SampleFilterModel::setClassFilter(int classIndex)
    {
        classIndex = std::max(-1, classIndex);
        if (classIndex == m_class)
            return;
        m_class = classIndex;
        refilter();
    }

    void SampleFilterModel::setReviewFilter(ReviewFilter filter)
    {
        if (filter == m_review)
            return;
        m_review = filter;
        refilter();
    }

    void SampleFilterModel::refilter()
    {
        invalidateRowsFilter();
        // The suggested images in rank order; every other filter keeps the dataset's order.
        sort(m_review == ReviewFilter::Suggested ? 0 : -1);
    }

    bool SampleFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
    {
        const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
        if (!m_search.isEmpty()
            && !index.data(Qt::DisplayRole).toString().contains(m_search, Qt::CaseInsensitive))
            return false;
        if (!m_split.isEmpty() && index.data(SampleListModel::SplitRole).toString() != m_split)
            return false;
        if (m_class >= 0) {
            const QBitArray classes = index.data(SampleListModel::ClassesRole).toBitArray();
            if (classes.isNull() || m_class >= classes.size() || !classes.testBit(m_class))
                return false;
        }
        switch (m_review) {
        case ReviewFilter::All:
            break;
        case ReviewFilter::Reviewed:
            return index.data(SampleListModel::ReviewedRole).toBool();
        case ReviewFilter::NotReviewed:
            return !index.data(SampleListModel::ReviewedRole).toBool();
        case ReviewFilter::Edited:
            return index.data(SampleListModel::EditedRole).toBool();
        case ReviewFilter::Unlabelled: {
            if (index.data(SampleListModel::EditedRole).toBool())
                return false;
            const QBitArray classes = index.data(SampleListModel::ClassesRole).toBitArray();
            return !classes.isNull() && classes.count(true) == 0;
        }
        case ReviewFilter::Suggested:
            return index.data(SampleListModel::SuggestionRankRole).toInt() >= 0;
        }
        return true;
    }

} // namespace ui
} // namespace msup
