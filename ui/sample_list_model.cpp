#include "ui/sample_list_model.h"

#include "core/data/image_io.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QPainter>
#include <QStyle>
#include <QTimer>
#include <QtConcurrent/QtConcurrentMap>
#include <QtConcurrent/QtConcurrentRun>

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

    namespace {

        constexpr int kSize = SampleListModel::kThumbnailSize;
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
        , m_scanWatcher(new QFutureWatcher<ClassPresence>(this))
        , m_classesTimer(new QTimer(this))
    {
        m_cache.setMaxCost(kDefaultCache);
        // Thumbnails use their own threads, so they neither wait behind nor delay the selected
        // sample's decoding (global pool); the class scan leaves a core to both.
        m_thumbnailPool.setMaxThreadCount(std::max(1, QThread::idealThreadCount() / 2));
        m_scanPool.setMaxThreadCount(std::max(1, QThread::idealThreadCount() - 1));

        // Requests arrive from data() while the view paints: collect them, decode after the paint.
        m_pumpTimer->setSingleShot(true);
        m_pumpTimer->setInterval(0);
        connect(m_pumpTimer, &QTimer::timeout, this, &SampleListModel::pumpThumbnails);

        m_classesTimer->setSingleShot(true);
        m_classesTimer->setInterval(100);
        connect(m_classesTimer, &QTimer::timeout, this, &SampleListModel::classesUpdated);

        connect(m_scanWatcher, &QFutureWatcher<ClassPresence>::resultReadyAt, this,
            [this](int i) { onClassPresence(m_scanWatcher->resultAt(i)); });
        connect(m_scanWatcher, &QFutureWatcher<ClassPresence>::progressValueChanged, this, [this](int done) {
            if (m_scanning)
                Q_EMIT classScanProgress(done, m_scanWatcher->progressMaximum());
        });
        connect(m_scanWatcher, &QFutureWatcher<ClassPresence>::finished, this, [this] {
            if (!m_scanning || m_scanWatcher->isCanceled())
                return;
            m_scanning = false;
            m_classesTimer->stop();
            Q_EMIT classesUpdated();
            Q_EMIT classScanFinished();
        });
    }

    SampleListModel::~SampleListModel()
    {
        stopWork();
        // The thread pools wait for their running jobs (one image each) when destroyed.
        m_scanWatcher->waitForFinished();
    }

    void SampleListModel::stopWork()
    {
        ++m_generation;
        m_thumbnailPool.clear();
        m_queue.clear();
        m_inFlight.clear();
        m_pumpTimer->stop();
        m_scanning = false;
        m_scanWatcher->cancel();
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
        const int slots = std::max(1, m_thumbnailPool.maxThreadCount());
        while (int(m_inFlight.size()) < slots && !m_queue.empty()) {
            const int row = m_queue.back();
            m_queue.pop_back();
            if (row < 0 || row >= m_dataset.samples.size() || m_cache.contains(row) || m_failed.contains(row)
                || m_inFlight.contains(row))
                continue;
            m_inFlight.insert(row);
            const msup::Dataset dataset = m_dataset; // implicitly shared, cheap
            const int generation = m_generation;
            auto* watcher = new QFutureWatcher<ThumbnailResult>(this);
            connect(watcher, &QFutureWatcher<ThumbnailResult>::finished, this, [this, watcher] {
                watcher->deleteLater();
                if (watcher->future().resultCount() > 0)
                    onThumbnailDecoded(watcher->result());
            });
            watcher->setFuture(QtConcurrent::run(&m_thumbnailPool, [dataset, row, generation]() {
                ThumbnailResult result;
                result.generation = generation;
                result.row = row;
                try {
                    const cv::Mat rgb = msup::loadSampleImage(dataset, dataset.samples[row]);
                    result.image = squareThumbnail(msup::rgbToQImage(rgb));
                } catch (const std::exception& e) {
                    result.error = QString::fromLocal8Bit(e.what());
                } catch (...) {
                    result.error = tr("The image could not be decoded.");
                }
                return result;
            }));
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
        m_scanWatcher->setFuture(QtConcurrent::mapped(&m_scanPool, rows, [dataset, generation](int row) {
            ClassPresence presence;
            presence.generation = generation;
            presence.row = row;
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
                presence.classes = present;
            } catch (...) {
                // Unreadable labels: known to contain no class (the sample never matches a filter).
                presence.classes = QBitArray(classes);
            }
            return presence;
        }));
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
        }
        return true;
    }

} // namespace ui
} // namespace msup
