#include "core/train/output_guard.h"

#include "core/base/error.h"
#include "core/data/dataset.h"
#include "core/io/atomic_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace msup {

namespace {

    QString cleanAbsolute(const QString& path)
    {
        const QFileInfo fi(path);
        const QString canonical = fi.canonicalFilePath();
        return QDir::cleanPath(canonical.isEmpty() ? fi.absoluteFilePath() : canonical);
    }

    bool isInside(const QString& path, const QString& root)
    {
        return path == root
            || path.startsWith(root.endsWith(QLatin1Char('/')) ? root : root + QLatin1Char('/'));
    }

    QString firstNames(const QStringList& paths)
    {
        QStringList shown;
        for (int i = 0; i < paths.size() && i < 3; ++i)
            shown << QDir::toNativeSeparators(paths[i]);
        QString text = shown.join(QStringLiteral(", "));
        if (paths.size() > 3)
            text += QStringLiteral(" and %1 more").arg(paths.size() - 3);
        return text;
    }

} // namespace

QString OutputFolder::manifestName()
{
    return QStringLiteral(".masksup-outputs.json");
}

QString OutputFolder::suggestedFolderFor(const QString& datasetRoot, const QString& suffix)
{
    const QFileInfo fi(QDir::cleanPath(datasetRoot));
    return fi.absoluteDir().filePath(fi.fileName() + QLatin1Char('-') + suffix);
}

QString OutputFolder::enclosingDataset(const QString& dir)
{
    const QString target = cleanAbsolute(dir);
    QString level = target;
    // Our own output folder may hold files that look like a layout (NNNNNN_mask.png): a folder with
    // a manifest is never taken for a dataset root.
    const bool ownFolder = QFileInfo::exists(QDir(target).filePath(manifestName()));
    // The folder itself and three levels up, each asked only whether it is a dataset root (its own
    // layout, not its sub-folders: an output folder in a home folder or /tmp must not index them).
    for (int up = 0; up < 4 && !level.isEmpty(); ++up) {
        Dataset ds;
        if (isDatasetRoot(level, &ds)) {
            const QString root = cleanAbsolute(ds.root);
            if (isInside(target, root) && !(ownFolder && root == target))
                return root;
        }
        const QString parent = QFileInfo(level).absolutePath();
        if (parent == level)
            break;
        level = parent;
    }
    return {};
}

OutputFolder::OutputFolder(const QString& dir, const QString& command, const QString& suggestionSuffix)
    : m_dir(cleanAbsolute(dir))
    , m_command(command)
    , m_suffix(suggestionSuffix)
{
    const QString dataset = enclosingDataset(m_dir);
    if (!dataset.isEmpty()) {
        const QString where = (m_dir == dataset ? QStringLiteral("is the dataset %1")
                                                : QStringLiteral("is inside the dataset %1"))
                                  .arg(QDir::toNativeSeparators(dataset));
        const QString why
            = QStringLiteral(": %1 never writes into a dataset's folders (its images, masks and "
                             "annotations would be mixed with outputs or replaced)")
                  .arg(command);
        throw Error(QString(where + why).toStdString(), QDir::toNativeSeparators(m_dir).toStdString(),
            QStringLiteral("Choose an output folder outside it, e.g. %1")
                .arg(QDir::toNativeSeparators(suggestedFolderFor(dataset, m_suffix)))
                .toStdString());
    }
    QFile f(QDir(m_dir).filePath(manifestName()));
    if (f.open(QIODevice::ReadOnly)) {
        // Bounded: the manifest lists file names only. A damaged manifest protects nothing, so it
        // counts as empty (every existing file is then refused, the safe side).
        const QByteArray bytes = f.read(64 << 20);
        const QJsonArray files
            = QJsonDocument::fromJson(bytes).object().value(QStringLiteral("files")).toArray();
        for (const QJsonValue& v : files) {
            const QJsonObject o = v.toObject();
            const QString name = o.value(QStringLiteral("name")).toString();
            if (!name.isEmpty() && !name.contains(QLatin1Char('/')) && !name.contains(QLatin1Char('\\')))
                m_manifest.insert(name, o.value(QStringLiteral("command")).toString());
        }
    }
}

int OutputFolder::claim(const QStringList& paths, const QStringList& inputs)
{
    QSet<QString> inputSet;
    for (const QString& in : inputs)
        inputSet.insert(cleanAbsolute(in));
    QStringList foreign, overInputs;
    int replaced = 0;
    for (const QString& p : paths) {
        const QString path = cleanAbsolute(p);
        const QString name = QFileInfo(path).fileName();
        if (inputSet.contains(path)) {
            overInputs << path;
            continue;
        }
        const QFileInfo fi(path);
        if (fi.exists() || fi.isSymLink()) {
            if (!m_manifest.contains(name) || fi.isDir() || fi.isSymLink())
                foreign << path;
            else
                ++replaced;
        }
    }
    const QString suggestion = QDir::toNativeSeparators(QFileInfo(m_dir).absoluteDir().filePath(
        QFileInfo(m_dir).fileName() + QStringLiteral("-") + m_suffix));
    if (!overInputs.isEmpty())
        throw Error(QStringLiteral("%1 would replace its own input(s): %2")
                        .arg(m_command, firstNames(overInputs))
                        .toStdString(),
            QDir::toNativeSeparators(m_dir).toStdString(),
            QStringLiteral("Choose another output folder, e.g. %1").arg(suggestion).toStdString());
    if (!foreign.isEmpty())
        throw Error(QStringLiteral("%1 would replace %2 file(s) it did not write: %3; nothing was written")
                        .arg(m_command)
                        .arg(foreign.size())
                        .arg(firstNames(foreign))
                        .toStdString(),
            QDir::toNativeSeparators(m_dir).toStdString(),
            QStringLiteral(
                "Choose an empty or new output folder, e.g. %1 (masksup replaces only the files it "
                "wrote itself, listed in %2).")
                .arg(suggestion, manifestName())
                .toStdString());
    for (const QString& p : paths)
        m_claimed << QFileInfo(cleanAbsolute(p)).fileName();
    return replaced;
}

void OutputFolder::commit()
{
    for (const QString& name : m_claimed)
        m_manifest.insert(name, m_command);
    QStringList names = m_manifest.keys();
    names.sort();
    QJsonArray files;
    for (const QString& name : names)
        files.append(QJsonObject {
            { QStringLiteral("name"), name }, { QStringLiteral("command"), m_manifest.value(name) } });
    const QJsonObject o { { QStringLiteral("about"),
                              QStringLiteral(
                                  "Files MaskSup Studio wrote into this folder; only these are ever "
                                  "replaced by its later outputs.") },
        { QStringLiteral("files"), files } };
    ensureWritableDir(m_dir);
    writeFileAtomic(QDir(m_dir).filePath(manifestName()), QJsonDocument(o).toJson());
}

} // namespace msup
