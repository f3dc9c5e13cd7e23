#include "core/io/atomic_file.h"

#include "core/base/error.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QImageWriter>
#include <QSaveFile>
#include <QTemporaryFile>

namespace msup {

void writeFileAtomic(const QString& path, const QByteArray& bytes)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        throw Error("cannot be written: " + f.errorString().toStdString(), path.toStdString(),
            "Choose a folder you can write to.");
    if (f.write(bytes) != bytes.size() || !f.commit())
        throw Error("could not be written completely: " + f.errorString().toStdString(), path.toStdString(),
            "Check free disk space; the previous file is unchanged.");
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

void ensureWritableDir(const QString& dir)
{
    if (dir.isEmpty())
        throw Error("no output folder given", "", "Pass an output folder.");
    if (QFileInfo(dir).exists() && !QFileInfo(dir).isDir())
        throw Error("exists and is not a folder", dir.toStdString(), "Choose another output folder.");
    if (!QDir().mkpath(dir))
        throw Error("folder cannot be created", dir.toStdString(),
            "Choose a folder you can write to (check permissions).");
    QTemporaryFile probe(QDir(dir).filePath(QStringLiteral(".write-test-XXXXXX")));
    if (!probe.open())
        throw Error("folder is not writable", dir.toStdString(),
            "Choose a folder you can write to (check permissions and free space).");
}

} // namespace msup
