#pragma once

#include "core/annot/label_delta.h"

#include <QString>
#include <opencv2/core.hpp>

namespace msup {

// The crash journal of one image being edited: an append-only file of label deltas, each written,
// flushed and fsync'ed before append() returns, so a crash (or a kill) loses at most the stroke in
// progress. The journal holds the edits made since the last save; it is replayed on top of the saved
// state when the image is reopened, and emptied when the image is saved.
//
// File layout (little endian): the header "MSUPJRN1", width, height and the checksum of the saved
// map the journal starts from (uint32; 0 = not recorded); then one record per
// delta: "DLTA", x, y, w, h (int32), payload size (uint32), payload (zlib: the rect's "before" then
// "after" bytes), CRC-32 of everything before it in the record. A torn last record (crash while
// writing) fails its size or CRC check and is dropped on replay, as is anything after it.
//
// Undo and redo are ordinary deltas: journal an undo as the inverted delta (appendUndo()).
class LabelJournal {
public:
    // The journal at `path` (nothing is opened or created yet).
    explicit LabelJournal(QString path);
    ~LabelJournal();
    LabelJournal(const LabelJournal&) = delete;
    LabelJournal& operator=(const LabelJournal&) = delete;

    QString path() const { return m_path; }

    // Appends one delta for a label map of `mapSize` (CV_8UC1): the file is created with its header
    // when missing or empty, the record is written, flushed and synced to disk. An empty delta is not
    // written. Throws msup::Error naming the file when it cannot be written, or when the journal on
    // disk was started for a map of another size.
    // `baseChecksum` (checksum() of the saved map the edits start from) goes into the header of a
    // new journal, so that replaying it on another saved state is detected.
    void append(const LabelDelta& delta, cv::Size mapSize, quint32 baseChecksum = 0);
    // Appends the inverse of `delta` (its "after" pixels back to "before"): what an undo journals.
    void appendUndo(const LabelDelta& delta, cv::Size mapSize, quint32 baseChecksum = 0);

    // Number of complete records on disk (0 when there is no journal).
    int recordCount() const;
    // True when the file exists and holds at least one complete record.
    bool hasRecords() const { return recordCount() > 0; }

    // Applies every complete record, in order, to `labels` (CV_8UC1 of the journal's size) and
    // returns how many were applied. When `labels` is not the saved state the journal started from
    // (its checksum differs from the header's) or a record's "before" pixels do not match, the
    // journal belongs to another saved state: replay stops and throws msup::Error (labels then hold
    // the records applied so far). A torn tail is ignored (and cut off by the next append()).
    int replay(cv::Mat& labels) const;

    // Empties the journal (after a save): the file is removed. Throws msup::Error when it cannot be.
    void clear();

    // The inverse of a delta (before and after swapped).
    static LabelDelta inverted(const LabelDelta& delta);
    // A checksum (CRC-32, never 0) of a CV_8UC1 map's pixels, for the journal header.
    static quint32 checksum(const cv::Mat& labels);
    // Size of the file header: a journal file larger than this holds records (or a torn one).
    static constexpr int kHeaderSize = 20;

private:
    QString m_path;
    // What this object last wrote: the valid size of the file and the map size, so appends do not
    // re-read the file (-1: not known, read it).
    qint64 m_validBytes = -1;
    cv::Size m_mapSize;
};

} // namespace msup
