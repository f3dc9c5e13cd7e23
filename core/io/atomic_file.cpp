#include "core/io/atomic_file.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QImageWriter>
#include <QLocale>
#include <QSaveFile>
#include <QStorageInfo>
#include <QTemporaryFile>

#include <opencv2/imgcodecs.hpp>

#include <cerrno>
#include <cstring>

#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

namespace msup {

namespace {
    QString sizeText(qint64 bytes)
    {
        return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
    }

    // fsync of an open file; false with errno set when the data could not be made durable.
    // Why a write failed: Qt's description, or the system's when Qt has none (a failed flush of
    // its buffer reports "Unknown error" while errno still says e.g. "File too large").
    QString reasonOf(const QFileDevice& f, int error)
    {
        const QString qt = f.errorString();
        if (error != 0 && (qt.isEmpty() || qt == QLatin1String("Unknown error")))
            return QString::fromLocal8Bit(std::strerror(error));
        return qt;
    }

    bool syncHandle(int fd)
    {
        if (fd < 0)
            return true;
#ifdef Q_OS_WIN
        return ::_commit(fd) == 0;
#else
        return ::fsync(fd) == 0;
#endif
    }
} // namespace

QString freeSpaceText(const QString& path)
{
    // The nearest existing folder: the file itself may not exist yet, nor its folder.
    QFileInfo fi(QFileInfo(path).absoluteFilePath());
    QString dir = fi.isDir() ? fi.absoluteFilePath() : fi.absolutePath();
    while (!QFileInfo(dir).exists()) {
        const QString up = QFileInfo(dir).absolutePath();
        if (up == dir)
            break;
        dir = up;
    }
    const QStorageInfo storage(dir);
    if (!storage.isValid() || storage.bytesTotal() <= 0)
        return QStringLiteral("free space unknown");
    return QStringLiteral("%1 free of %2 on %3")
        .arg(sizeText(storage.bytesAvailable()), sizeText(storage.bytesTotal()), storage.rootPath());
}

WriteError writeFailure(const QString& path, const QString& what, const QString& reason, bool previousKept)
{
    QString message = what;
    if (!reason.isEmpty())
        message += QStringLiteral(": ") + reason;
    message += QStringLiteral(" (") + freeSpaceText(path) + QLatin1Char(')');
    const QString hint = previousKept
        ? QStringLiteral("Free some disk space or choose a folder you can write to, then try again; "
                         "the previous version of the file is unchanged.")
        : QStringLiteral("Free some disk space or choose a folder you can write to, then try again.");
    return WriteError(
        message.toStdString(), QDir::toNativeSeparators(path).toStdString(), hint.toStdString());
}

void writeFileAtomic(const QString& path, const QByteArray& bytes)
{
    // Every step is checked. On a failure the temporary file is discarded (the QSaveFile goes out
    // of scope) before the free space is measured, and the previous file is left as it was.
    QString what, reason;
    {
        QSaveFile f(path);
        errno = 0;
        if (!f.open(QIODevice::WriteOnly)) {
            what = QStringLiteral("cannot be written");
            reason = reasonOf(f, errno);
        }
        qint64 done = 0;
        while (what.isEmpty() && done < bytes.size()) {
            const qint64 n = f.write(bytes.constData() + done, bytes.size() - done);
            if (n <= 0) {
                what = QStringLiteral("could not be written completely (%1 of %2 written)")
                           .arg(sizeText(done), sizeText(bytes.size()));
                reason = reasonOf(f, errno);
            }
            done += qMax<qint64>(n, 0);
        }
        if (what.isEmpty() && !f.flush()) {
            what = QStringLiteral("could not be written completely");
            reason = reasonOf(f, errno);
        }
        if (what.isEmpty() && !syncHandle(f.handle())) {
            const int e = errno;
            what = QStringLiteral("could not be flushed to the disk");
            reason = QString::fromLocal8Bit(std::strerror(e));
        }
        if (what.isEmpty() && !f.commit()) {
            what = QStringLiteral("could not be moved into place");
            reason = reasonOf(f, errno);
        }
        if (what.isEmpty())
            return;
        f.cancelWriting();
    }
    throw writeFailure(path, what, reason);
}

void writeImageAtomic(const QString& path, const QImage& image, const char* format)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, format);
    if (!writer.write(image))
        throw Error("image could not be encoded: " + writer.errorString().toStdString(), path.toStdString());
    writeFileAtomic(path, bytes);
}

void writeMatAtomic(const QString& path, const cv::Mat& image)
{
    std::vector<uchar> buf;
    bool ok = false;
    try {
        ok = cv::imencode("." + QFileInfo(path).suffix().toLower().toStdString(), image, buf);
    } catch (const cv::Exception& e) {
        throw Error(std::string("image could not be encoded: ") + e.what(), path.toStdString());
    }
    if (!ok)
        throw Error("image could not be encoded", path.toStdString());
    writeFileAtomic(path, QByteArray(reinterpret_cast<const char*>(buf.data()), qsizetype(buf.size())));
}

void ensureWritableDir(const QString& dir)
{
    if (dir.isEmpty())
        throw Error("no output folder given", "", "Pass an output folder.");
    if (QFileInfo(dir).exists() && !QFileInfo(dir).isDir())
        throw Error("exists and is not a folder", dir.toStdString(), "Choose another output folder.");
    if (!QDir().mkpath(dir))
        throw writeFailure(dir, QStringLiteral("folder cannot be created"), QString(), false);
    QTemporaryFile probe(QDir(dir).filePath(QStringLiteral(".write-test-XXXXXX")));
    if (!probe.open())
        throw writeFailure(dir, QStringLiteral("folder is not writable"), probe.errorString(), false);
}

} // namespace msup
