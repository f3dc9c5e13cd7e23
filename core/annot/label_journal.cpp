#include "core/annot/label_journal.h"

#include "core/base/crc32.h"
#include "core/base/error.h"
#include "core/io/atomic_file.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QtEndian>

#include <cstring>
#include <utility>

#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

namespace msup {

namespace {

    const QByteArray kHeaderMagic = QByteArrayLiteral("MSUPJRN1");
    const QByteArray kRecordMagic = QByteArrayLiteral("DLTA");
    constexpr int kHeaderSize = LabelJournal::kHeaderSize; // magic, width, height, base checksum
    constexpr int kRecordHead = 4 + 4 * 4 + 4; // magic, rect, payload size

    void putU32(QByteArray& out, quint32 v)
    {
        char b[4];
        qToLittleEndian(v, b);
        out.append(b, 4);
    }

    quint32 getU32(const char* p)
    {
        return qFromLittleEndian<quint32>(p);
    }

    struct Record {
        cv::Rect rect;
        QByteArray payload; // compressed before + after
    };

    // The complete records of a journal file, and the byte size of its valid part.
    struct Scan {
        bool exists = false;
        cv::Size size;
        quint32 baseChecksum = 0;
        QVector<Record> records;
        qint64 validBytes = 0;
        bool badHeader = false;
    };

    Scan scanFile(const QString& path, bool keepPayload)
    {
        Scan s;
        QFile f(path);
        if (!f.exists())
            return s;
        s.exists = true;
        if (!f.open(QIODevice::ReadOnly))
            throw Error("crash journal cannot be read", path.toStdString(), "Check its permissions.");
        const QByteArray bytes = f.readAll();
        if (bytes.isEmpty())
            return s;
        if (bytes.size() < kHeaderSize || !bytes.startsWith(kHeaderMagic)) {
            s.badHeader = bytes.size() >= kHeaderSize; // a torn header is an empty journal
            return s;
        }
        s.size = cv::Size(int(getU32(bytes.constData() + 8)), int(getU32(bytes.constData() + 12)));
        s.baseChecksum = getU32(bytes.constData() + 16);
        qint64 pos = kHeaderSize;
        s.validBytes = pos;
        while (pos + kRecordHead + 4 <= bytes.size()) {
            const char* p = bytes.constData() + pos;
            if (std::memcmp(p, kRecordMagic.constData(), 4) != 0)
                break;
            const int x = int(getU32(p + 4)), y = int(getU32(p + 8)), w = int(getU32(p + 12)),
                      h = int(getU32(p + 16));
            const quint32 payload = getU32(p + 20);
            if (pos + kRecordHead + qint64(payload) + 4 > bytes.size())
                break;
            const quint32 crc = getU32(p + kRecordHead + payload);
            if (crc != crc32(p, std::size_t(kRecordHead) + payload))
                break;
            if (w <= 0 || h <= 0 || x < 0 || y < 0 || x + w > s.size.width || y + h > s.size.height)
                break;
            Record r;
            r.rect = cv::Rect(x, y, w, h);
            if (keepPayload)
                r.payload = QByteArray(p + kRecordHead, qsizetype(payload));
            s.records.push_back(std::move(r));
            pos += kRecordHead + payload + 4;
            s.validBytes = pos;
        }
        return s;
    }

    // Flushes and syncs an appended record; false when the disk did not take it.
    bool syncToDisk(QFile& f)
    {
        if (!f.flush())
            return false;
#ifdef Q_OS_WIN
        return ::_commit(f.handle()) == 0;
#else
        return ::fsync(f.handle()) == 0;
#endif
    }

} // namespace

LabelJournal::LabelJournal(QString path)
    : m_path(std::move(path))
{
}

LabelJournal::~LabelJournal() = default;

LabelDelta LabelJournal::inverted(const LabelDelta& delta)
{
    return { delta.rect, delta.after, delta.before };
}

quint32 LabelJournal::checksum(const cv::Mat& labels)
{
    quint32 crc = 0;
    for (int y = 0; y < labels.rows; ++y) {
        const char* row = reinterpret_cast<const char*>(labels.ptr(y));
        crc = crc32(row, std::size_t(labels.cols) * labels.elemSize()) ^ (crc * 31u + quint32(y));
    }
    return crc == 0 ? 1 : crc;
}

void LabelJournal::appendUndo(const LabelDelta& delta, cv::Size mapSize, quint32 baseChecksum)
{
    append(inverted(delta), mapSize, baseChecksum);
}

void LabelJournal::append(const LabelDelta& delta, cv::Size mapSize, quint32 baseChecksum)
{
    if (delta.isEmpty())
        return;
    if (delta.before.type() != CV_8UC1 || delta.after.type() != CV_8UC1
        || delta.before.size() != delta.rect.size() || delta.after.size() != delta.rect.size()
        || (delta.rect & cv::Rect(0, 0, mapSize.width, mapSize.height)) != delta.rect)
        throw Error("a label delta that does not fit its map cannot be journaled", m_path.toStdString());
    Scan s;
    if (m_validBytes >= 0 && QFileInfo(m_path).size() >= m_validBytes) {
        s.validBytes = m_validBytes;
        s.size = m_mapSize;
    } else {
        s = scanFile(m_path, false);
    }
    if (s.badHeader)
        throw Error("is not a MaskSup crash journal", m_path.toStdString(),
            "Move the file away; a new journal is started then.");
    if (s.validBytes > 0 && s.size != mapSize)
        throw Error("crash journal was started for a label map of another size", m_path.toStdString(),
            "Save or discard the image's edits, or remove the file.");
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QFile f(m_path);
    if (!f.open(QIODevice::ReadWrite))
        throw writeFailure(
            m_path, QStringLiteral("crash journal cannot be opened for writing"), f.errorString());
    QByteArray out;
    if (s.validBytes == 0) {
        // New (or torn header): start over with the header.
        if (!f.resize(0))
            throw Error("crash journal cannot be truncated", m_path.toStdString(), "Check its permissions.");
        out += kHeaderMagic;
        putU32(out, quint32(mapSize.width));
        putU32(out, quint32(mapSize.height));
        putU32(out, baseChecksum);
    } else if (f.size() != s.validBytes && !f.resize(s.validBytes)) {
        // A torn record from a crash: cut it off before appending.
        throw Error("crash journal cannot be repaired", m_path.toStdString(), "Check its permissions.");
    }
    const qsizetype n = qsizetype(delta.rect.area());
    QByteArray raw(n * 2, Qt::Uninitialized);
    const cv::Mat before = delta.before.isContinuous() ? delta.before : delta.before.clone();
    const cv::Mat after = delta.after.isContinuous() ? delta.after : delta.after.clone();
    std::memcpy(raw.data(), before.data, size_t(n));
    std::memcpy(raw.data() + n, after.data, size_t(n));
    const QByteArray payload = qCompress(raw, 1);
    const qsizetype start = out.size();
    out += kRecordMagic;
    putU32(out, quint32(delta.rect.x));
    putU32(out, quint32(delta.rect.y));
    putU32(out, quint32(delta.rect.width));
    putU32(out, quint32(delta.rect.height));
    putU32(out, quint32(payload.size()));
    out += payload;
    putU32(out, crc32(out.constData() + start, std::size_t(out.size() - start)));
    m_validBytes = -1; // unknown until the record is on disk
    if (!f.seek(s.validBytes) || f.write(out) != out.size() || !syncToDisk(f)) {
        // The records before this one stay valid: cut off what was written of it (a torn record
        // would be skipped when reading anyway).
        const QString reason = f.errorString();
        f.unsetError();
        f.resize(s.validBytes);
        throw writeFailure(m_path, QStringLiteral("crash journal cannot be written"), reason);
    }
    m_validBytes = s.validBytes + out.size();
    m_mapSize = mapSize;
}

int LabelJournal::recordCount() const
{
    return int(scanFile(m_path, false).records.size());
}

int LabelJournal::replay(cv::Mat& labels) const
{
    const Scan s = scanFile(m_path, true);
    if (s.badHeader)
        throw Error("is not a MaskSup crash journal", m_path.toStdString(),
            "Move the file away; the image opens without its unsaved strokes.");
    if (s.records.isEmpty())
        return 0;
    if (labels.type() != CV_8UC1 || labels.size() != s.size)
        throw Error("crash journal was written for a label map of another size", m_path.toStdString(),
            "The image or its mask changed since: the unsaved strokes cannot be recovered.");
    if (s.baseChecksum != 0 && checksum(labels) != s.baseChecksum)
        throw Error("crash journal does not start from the saved mask (it was saved or changed since)",
            m_path.toStdString(), "The unsaved strokes cannot be replayed on it.");
    int applied = 0;
    for (const Record& r : s.records) {
        const QByteArray raw = qUncompress(r.payload);
        const qsizetype n = qsizetype(r.rect.area());
        if (raw.size() != n * 2)
            throw Error("crash journal holds a damaged record", m_path.toStdString(),
                "The strokes before it were recovered.");
        const cv::Mat before(r.rect.height, r.rect.width, CV_8UC1, const_cast<char*>(raw.constData()));
        const cv::Mat after(r.rect.height, r.rect.width, CV_8UC1, const_cast<char*>(raw.constData() + n));
        if (cv::countNonZero(labels(r.rect) != before) != 0)
            throw Error("crash journal does not match the saved mask (stroke " + std::to_string(applied + 1)
                    + " starts from other pixels)",
                m_path.toStdString(), "The mask was changed since: the unsaved strokes cannot be replayed.");
        after.copyTo(labels(r.rect));
        ++applied;
    }
    return applied;
}

void LabelJournal::clear()
{
    m_validBytes = -1;
    if (QFileInfo::exists(m_path) && !QFile::remove(m_path))
        throw Error("crash journal cannot be removed", m_path.toStdString(), "Check its permissions.");
}

} // namespace msup
