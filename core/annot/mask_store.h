#pragma once

#include "core/annot/label_delta.h"
#include "core/annot/label_journal.h"
#include "core/data/dataset.h"
#include "core/io/project_file.h"

#include <QDateTime>
#include <QHash>
#include <QMap>
#include <QString>
#include <QStringList>
#include <opencv2/core.hpp>

#include <memory>

namespace msup {

// Storage of hand-edited label maps (annotation): where an image's editable class map comes from,
// where it is saved, and the crash journal. Every label map here is CV_8UC1 holding class indices
// 0..K-1 and 255 for void / ignore pixels (the editor's convention, = Dataset::ignoreIndex).
//
// Two places to save:
//  - the corrections folder (the default): an overlay beside the dataset that never touches its
//    files. `<corrections>/labels/<id>.png` are lossless 8-bit palette PNGs of class indices (the
//    palette is the dataset's class colours, 255 = void), listed in `<corrections>/corrections.json`
//    (sample id -> file, the mask it replaces, when it was saved); crash journals live in
//    `<corrections>/journal/`. The default folder is the sibling `<dataset root>.corrections`, which
//    dataset detection does not take for dataset content.
//  - the dataset's own format (saveToDataset): the mask file is replaced atomically, the original is
//    kept once as `<mask file>.orig`; see MaskSession::save() for each encoding.
//
// Not thread-safe: use one MaskStore and its sessions from one thread (the GUI thread).

enum class SaveTarget {
    Corrections, // the corrections folder (default; the dataset is never modified)
    Dataset // the dataset's own mask file, in its own format (original kept as .orig)
};

// Where an editable label map came from.
enum class LabelSource {
    Correction, // the corrections folder
    GroundTruth, // the dataset's mask, decoded as the dataset layer decodes it
    Empty, // a new map (no mask file, or asked for)
    Prediction // a map given by the caller (a run's thresholded / argmax prediction)
};

// `<dataset root>.corrections` (for the NYUDv2 .mat: beside the folder that holds the .mat).
QString defaultCorrectionsDir(const Dataset& dataset);

// The file name (without folder) a sample's correction gets: the sample id with characters other
// than letters, digits, '.', '-' and '_' replaced by '_' (PraNet ids "Kvasir/1" -> "Kvasir_1").
QString correctionFileName(const Sample& sample);

// One entry of corrections.json.
struct CorrectionEntry {
    QString id; // sample id
    QString file; // absolute path of the class-map PNG
    QString mask; // the dataset mask it overlays, relative to the dataset root
    int frame = -1; // Sample::frame of that mask
    QDateTime saved; // UTC
};

// The corrections folder of one dataset and every image's edit state.
class MaskStore {
public:
    // `correctionsDir` empty: defaultCorrectionsDir(dataset). The folder is read (corrections.json)
    // when it exists and created only on the first save or journal write. Throws msup::Error when
    // corrections.json exists but cannot be read or parsed (naming the file and what to do).
    explicit MaskStore(Dataset dataset, const QString& correctionsDir = {});
    ~MaskStore();
    MaskStore(const MaskStore&) = delete;
    MaskStore& operator=(const MaskStore&) = delete;

    const Dataset& dataset() const { return m_dataset; }
    QString correctionsDir() const { return m_dir; }
    QString manifestPath() const;
    // Index of the sample with this id in dataset().samples, or -1.
    int indexOf(const QString& id) const;

    // --- Edit state --------------------------------------------------------------------------
    // A correction for this sample is listed (and its file exists).
    bool hasCorrection(const Sample& sample) const;
    CorrectionEntry correction(const Sample& sample) const; // empty id when none
    // Where this sample's correction is (or will be) written.
    QString correctionPath(const Sample& sample) const;
    // The sample's crash journal file (exists only while there are unsaved strokes).
    QString journalPath(const Sample& sample) const;
    bool hasJournal(const Sample& sample) const;
    // The sample's mask was saved in the dataset's own format (a .orig backup exists beside it).
    bool hasDatasetBackup(const Sample& sample) const;
    // Edited: a correction exists, the journal holds unsaved strokes, or the dataset's own mask was
    // overwritten by a save (backup present).
    bool isEdited(const Sample& sample) const;
    bool isEdited(const QString& id) const;
    // Ids of the edited samples, in dataset order, and their number.
    QStringList editedIds() const;
    int editedCount() const;
    // Every correction entry of the manifest (including ids the dataset does not have, e.g. after
    // files were removed from it).
    QVector<CorrectionEntry> corrections() const;

    // --- Loading ------------------------------------------------------------------------------
    // The dataset's own mask decoded like training decodes it (loadLabels), corrections ignored.
    cv::Mat loadGroundTruth(const Sample& sample) const;
    // The saved correction. Throws msup::Error when there is none or it is unreadable, of the wrong
    // size, or holds an index that is neither a class nor 255.
    cv::Mat loadCorrection(const Sample& sample) const;
    // The saved state: the correction when there is one, else the ground truth, else (no mask file,
    // e.g. an unlabelled image) an empty map. `source` (optional) says which.
    cv::Mat loadSaved(const Sample& sample, LabelSource* source = nullptr) const;
    // A map of the sample's image size filled with `fill` (0 = background, 255 = void).
    cv::Mat emptyLabels(const Sample& sample, uchar fill = 0) const;
    // The image size of a sample, from its file header (the NYUDv2 .mat frame: decoded).
    cv::Size imageSize(const Sample& sample) const;
    // Checks a caller's map (a prediction) fits the sample: CV_8UC1, the image's size, indices that
    // are classes or 255. Throws msup::Error saying what is wrong.
    void checkLabels(const Sample& sample, const cv::Mat& labels) const;

    // --- Saving (prefer MaskSession, which also handles the journal) ---------------------------
    // Writes `labels` as the sample's correction (atomic) and records it in corrections.json.
    // Returns the file written.
    QString saveCorrection(const Sample& sample, const cv::Mat& labels);
    // Removes the sample's correction (file and manifest entry), e.g. to revert to the ground truth.
    void removeCorrection(const Sample& sample);
    // Writes `labels` into the dataset's own mask file (see MaskSession::save()). The sample's
    // maskPath in dataset() is updated when the file changes name (a JPEG mask replaced by a PNG).
    // A correction of the sample is removed, since the dataset now holds the edit. Returns the
    // file written.
    QString saveToDataset(const Sample& sample, const cv::Mat& labels);

    // --- Project file -------------------------------------------------------------------------
    // Sets `edited` of every sample's state from isEdited(), keeping `reviewed` and unknown keys;
    // samples that are neither edited nor reviewed (and have no unknown keys) are removed from the
    // map so the project stays small. Returns true when anything changed.
    bool syncEditedStates(QMap<QString, ProjectImageState>* images) const;

private:
    void readManifest();
    void writeManifest() const;
    const Sample& checkedSample(const Sample& sample) const;

    Dataset m_dataset;
    QString m_dir;
    QMap<QString, CorrectionEntry> m_entries; // by sample id
    QHash<QString, int> m_indexById;
};

// One image open for editing: its current label map, its journal, and saving.
//
// Typical use by the editor:
//   MaskSession s(store, sample);              // saved state + journal replayed (recoveredStrokes())
//   editor.setLabels(s.labels().clone());
//   s.startFrom(LabelSource::Prediction, map); // optional; returns a delta to push on the undo stack
//   s.commit(strokeDelta);                     // after every stroke: applied + journaled (fsync)
//   s.commitUndo(delta); s.commit(delta);      // undo / redo
//   s.saveIfDirty();                           // on image switch and every minute
class MaskSession {
public:
    // Loads the saved state of `sample` (correction > ground truth > empty) and, when the sample's
    // journal holds strokes not saved yet (a crash), replays them on top: recoveredStrokes() says
    // how many. A journal that does not fit the saved state (a record's "before" pixels differ)
    // is set aside as `<journal>.stale` and the saved state is used; recoveryProblem() says so.
    MaskSession(MaskStore& store, const Sample& sample);

    const Sample& sample() const { return m_sample; }
    // The current map (saved state + every commit). Callers may keep their own copy in step by
    // applying the same deltas.
    const cv::Mat& labels() const { return m_labels; }
    LabelSource source() const { return m_source; }
    int recoveredStrokes() const { return m_recovered; }
    QString recoveryProblem() const { return m_recoveryProblem; }

    // Replaces the whole map by a new starting point: the ground truth, an empty map (filled with
    // `fill`), or `prediction` (CV_8UC1, the image's size; the caller thresholds / takes the argmax).
    // Journaled like a stroke; returns the delta (push it on the undo stack; empty when nothing
    // changed). Throws msup::Error when the prediction does not fit.
    LabelDelta startFrom(LabelSource source, const cv::Mat& prediction = {}, uchar fill = 0);

    // Applies a stroke's delta to labels() and appends it to the journal (flushed and fsync'ed
    // before returning). Throws msup::Error when the journal cannot be written (the map is still
    // updated; the caller should tell the user that crash safety is lost).
    void commit(const LabelDelta& delta);
    // An undo: reverts `delta` in labels() and journals the inverted delta.
    void commitUndo(const LabelDelta& delta);

    // Edits not saved yet (the journal holds records).
    bool isDirty() const { return m_dirty; }
    // Saves labels() to the corrections folder (default) or the dataset's own format, then empties
    // the journal. Returns the file written.
    //
    // Dataset format by encoding:
    //  - binary masks (Kvasir-SEG, CVC-ClinicDB, PraNet, GLaS PNG): PNG/BMP/TIFF originals are
    //    rewritten losslessly in their own format with 0/255 (or 0/1 when the original used 0/1);
    //    a JPEG mask is never re-encoded: `<stem>.png` is written beside it and the JPEG renamed to
    //    `<stem>.jpg.orig` (the dataset layer prefers the PNG should both remain). Void pixels
    //    cannot be stored in a binary mask: refused (save to the corrections folder instead).
    //  - GLaS instance ids (8-bit palette BMP): pixels still foreground keep their instance id,
    //    erased pixels become 0, a newly painted connected component (8-connected) that touches
    //    exactly one kept gland grows it, any other gets a new id (max + 1, ...). Palette kept.
    //    Void refused.
    //  - class-index PNGs (Generic, scene labels, NYUDv2 0-based): same index, same palette (or
    //    greyscale when the original was greyscale); 255 = void.
    //  - NYUDv2 label PNGs (0 = void, 1..K): class c written as c + 1 and void as 0, 8- or 16-bit
    //    as the original.
    //  - the NYUDv2 .mat: refused (save to the corrections folder).
    // Throws msup::Error naming the file and what to do; on failure nothing is half-written and
    // the journal is kept.
    QString save(SaveTarget target = SaveTarget::Corrections);
    // save(target) when isDirty(); returns whether it saved.
    bool saveIfDirty(SaveTarget target = SaveTarget::Corrections);
    // Drops the unsaved edits: reloads the saved state and empties the journal.
    void discard();

private:
    MaskStore& m_store;
    Sample m_sample;
    cv::Mat m_labels;
    LabelSource m_source = LabelSource::Empty;
    LabelJournal m_journal;
    int m_recovered = 0;
    QString m_recoveryProblem;
    bool m_dirty = false;
    quint32 m_baseChecksum = 0; // of the saved state the journal starts from
};

// Training with corrections: for every sample of `dataset` that has a correction in
// `correctionsDir`, sets Sample::correctionPath so that loadLabels() (training, validation,
// evaluation) reads the corrected class map instead of the original mask. Returns how many samples
// were substituted. Throws msup::Error when the folder has no corrections.json (not a corrections
// folder) or it cannot be read.
int applyCorrections(Dataset& dataset, const QString& correctionsDir);

} // namespace msup
