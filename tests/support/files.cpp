#include "tests/support/files.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSettings>
#include <QStandardPaths>

namespace msup::test {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString& path, const QByteArray& bytes)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return false;
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size() && f.flush();
}

QByteArray fileHash(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

QStringList filesIn(const QString& dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << QDir(dir).relativeFilePath(it.next());
    files.sort();
    return files;
}

QHash<QString, QByteArray> folderBytes(const QString& dir)
{
    QHash<QString, QByteArray> bytes;
    for (const QString& file : filesIn(dir))
        bytes.insert(file, readAll(QDir(dir).filePath(file)));
    return bytes;
}

QJsonObject readJsonObject(const QString& path)
{
    return QJsonDocument::fromJson(readAll(path)).object();
}

bool writeJsonObject(const QString& path, const QJsonObject& object)
{
    return writeAll(path, QJsonDocument(object).toJson());
}

QList<QJsonObject> jsonLines(const QString& path)
{
    QList<QJsonObject> lines;
    for (const QByteArray& line : readAll(path).split('\n'))
        if (!line.trimmed().isEmpty())
            lines << QJsonDocument::fromJson(line).object();
    return lines;
}

QString sharedDir(const QString& sub)
{
    const QString root = QStringLiteral(MASKSUP_SHARED_DIR);
    return sub.isEmpty() ? QDir::cleanPath(root) : QDir::cleanPath(root + QLatin1Char('/') + sub);
}

void isolateSettings(const QString& suite)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("MaskSupTest"));
    QCoreApplication::setApplicationName(suite);
    QSettings().clear();
}

} // namespace msup::test
