#pragma once

#include "core/data/dataset.h"

#include <QAbstractListModel>
#include <QBitArray>
#include <QCache>
#include <QIcon>
#include <QPixmap>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QVector>

#include <deque>
#include <memory>
#include <vector>

class QTimer;

namespace msup {
namespace ui {

    struct ThumbnailResult;
    struct ClassPresence;
    struct ClassScanBuffer;
    class JobRunner;

    // The samples of a dataset as a list model for a virtualised thumbnail view. Nothing is decoded
    // up front: a thumbnail is decoded in the background the first time the view asks for a row's
    // decoration (i.e. when the row is painted), a placeholder shows meanwhile and dataChanged()
    // follows. The most recently requested rows are decoded first, requests for rows scrolled away
    // long ago are dropped, and decoded thumbnails live in a bounded cache, so a dataset of any size
    // opens at once and costs memory only for what was looked at.
    //
    // Which classes each sample's labels contain is not known from indexing: scanClasses() decodes
    // the label maps in the background (progress through classScanProgress) and caches the answer.
    class SampleListModel : public QAbstractListModel {
        Q_OBJECT
    public:
        enum Role {
            SampleIndexRole = Qt::UserRole + 1, // int: index in dataset.samples (= source row)
            SplitRole, // QString: official split, empty when none
            ClassesKnownRole, // bool: whether the label map was scanned
            ClassesRole, // QBitArray: classes present (empty while unknown)
            ReviewedRole, // bool: marked as reviewed (annotation)
            EditedRole, // bool: its mask was edited by hand (a correction, unsaved strokes or a saved edit)
            SuggestionRankRole, // int: place in the "annotate these next" ranking (0 = most uncertain), -1
                                // when not ranked
            UncertaintyRole // double: the ranking's mean uncertainty of the image; invalid when not ranked
        };

        static constexpr int kThumbnailSize = 96;

        explicit SampleListModel(QObject* parent = nullptr);
        ~SampleListModel() override;

        void setDataset(const msup::Dataset& dataset);
        void clear();
        const msup::Dataset& dataset() const { return m_dataset; }

        int rowCount(const QModelIndex& parent = {}) const override;
        QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

        // Thumbnails.
        int requestedThumbnailCount() const { return int(m_requested.size()); }
        int decodedThumbnailCount() const { return m_decoded; }
        int pendingThumbnailCount() const { return int(m_queue.size() + m_inFlight.size()); }
        bool hasThumbnail(int row) const { return m_cache.contains(row); }
        // Thumbnails kept in memory (least recently used ones are dropped beyond it).
        void setThumbnailCacheSize(int thumbnails) { m_cache.setMaxCost(qMax(1, thumbnails)); }
        int thumbnailCacheSize() const { return int(m_cache.maxCost()); }

        // Class presence.
        void scanClasses();
        bool isScanningClasses() const { return m_scanning; }
        int classesKnownCount() const { return m_classesKnown; }
        bool classesKnown(int row) const;
        QBitArray classesPresent(int row) const;
        // Records what a decoded label map contains (the selected sample's, decoded anyway).
        void setClassesPresent(int row, const QBitArray& classes);

        // Review state (annotation), per row; cleared by setDataset(). dataChanged() follows a change.
        bool isReviewed(int row) const;
        bool isEdited(int row) const;
        void setReviewed(int row, bool reviewed);
        void setEdited(int row, bool edited);
        int reviewedCount() const { return m_reviewedCount; }
        int editedCount() const { return m_editedCount; }

        // The images suggested to annotate next (msup::suggestImagesToAnnotate): rows most uncertain
        // first and their mean uncertainty (same length); cleared by setDataset() and clear().
        // dataChanged() follows for every row.
        void setSuggestions(const QVector<int>& rows, const QVector<double>& uncertainty);
        void clearSuggestions();
        const QVector<int>& suggestedRows() const { return m_suggested; }
        // 0 for the most uncertain image, -1 for one not ranked.
        int suggestionRank(int row) const;
        // -1 for an image not ranked.
        double uncertainty(int row) const;

    Q_SIGNALS:
        // Every requested thumbnail is decoded (or failed) and nothing is waiting.
        void thumbnailsIdle();
        void classScanProgress(int done, int total);
        void classScanFinished();
        // Some samples' class presence became known (batched, at most every 100 ms).
        void classesUpdated();

    private:
        void requestThumbnail(int row) const;
        void pumpThumbnails();
        void onThumbnailDecoded(const ThumbnailResult& result);
        void onClassPresence(const ClassPresence& presence);
        void takeClassPresence();
        void stopWork();

        msup::Dataset m_dataset;
        int m_generation = 0;

        // Thumbnails: mutable because the view's data() requests are what drives decoding.
        mutable QCache<int, QPixmap> m_cache;
        mutable std::deque<int> m_queue; // newest request at the back
        mutable QSet<int> m_requested;
        mutable QHash<int, QString> m_failed;
        mutable QIcon m_placeholder;
        mutable QIcon m_warning;
        QSet<int> m_inFlight;
        QTimer* m_pumpTimer = nullptr;
        struct ThumbnailSlot {
            JobRunner* runner; // decodes one thumbnail at a time
            int row; // the one it decodes (or decoded last)
            int generation;
        };
        std::vector<ThumbnailSlot> m_thumbnailSlots;
        int m_decoded = 0;

        enum StateBit : quint8 { Reviewed = 1, Edited = 2 };
        void setStateBit(int row, quint8 bit, bool on);
        QVector<quint8> m_states; // per row: StateBit flags
        int m_reviewedCount = 0;
        int m_editedCount = 0;

        QVector<int> m_suggested; // rows, most uncertain first
        QVector<int> m_rank; // per row: index in m_suggested, -1 when not ranked
        QVector<double> m_uncertainty; // per row: mean uncertainty when ranked

        QVector<QBitArray> m_classes; // per row; null = not scanned yet
        int m_classesKnown = 0;
        bool m_scanning = false;
        JobRunner* m_scanRunner = nullptr;
        std::shared_ptr<ClassScanBuffer> m_scanBuffer; // of the scan under way
        QTimer* m_classesTimer = nullptr;
    };

    // Filters the samples by name (case-insensitive substring of the id), official split, class
    // present in the labels and review state. Samples whose classes are not scanned yet are hidden
    // while a class (or the unlabelled) filter is active and appear as the scan finds them. The
    // "suggested" filter shows the ranked images in rank order (most uncertain first); the others
    // keep the dataset's order.
    class SampleFilterModel : public QSortFilterProxyModel {
        Q_OBJECT
    public:
        enum class ReviewFilter {
            All,
            Reviewed,
            NotReviewed,
            Edited,
            Unlabelled, // not edited, and its labels hold no class (no mask, unreadable or all void)
            Suggested // in the "annotate these next" ranking, in rank order
        };

        explicit SampleFilterModel(QObject* parent = nullptr);

        void setSearchText(const QString& text);
        QString searchText() const { return m_search; }
        // Empty for every split.
        void setSplit(const QString& split);
        QString split() const { return m_split; }
        // -1 for every class.
        void setClassFilter(int classIndex);
        int classFilter() const { return m_class; }
        void setReviewFilter(ReviewFilter filter);
        ReviewFilter reviewFilter() const { return m_review; }
        bool isFiltering() const
        {
            return !m_search.isEmpty() || !m_split.isEmpty() || m_class >= 0 || m_review != ReviewFilter::All;
        }
        // Re-evaluates every row (after class presence became known).
        void refilter();

    protected:
        bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

    private:
        QString m_search;
        QString m_split;
        int m_class = -1;
        ReviewFilter m_review = ReviewFilter::All;
    };

} // namespace ui
} // namespace msup
