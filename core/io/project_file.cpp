#include "core/io/project_file.h"

#include "core/base/error.h"
#include "core/io/atomic_file.h"
#include "core/io/bounded_read.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

#include <cmath>
#include <cstdio>

namespace msup {

namespace {

    const QString kKind = QStringLiteral("masksup-project");

    // The keys this version reads; any other top-level key is kept in Project::extra.
    const QStringList kKnownKeys = {
        QStringLiteral("kind"),
        QStringLiteral("version"),
        QStringLiteral("dataset"),
        QStringLiteral("split"),
        QStringLiteral("training"),
        QStringLiteral("runs"),
        QStringLiteral("presets"),
        QStringLiteral("view"),
        QStringLiteral("images"),
    };
    const QStringList kDatasetKeys = { QStringLiteral("path"), QStringLiteral("format") };
    const QStringList kImageKeys = { QStringLiteral("reviewed"), QStringLiteral("edited") };

    const char* typeName(const QJsonValue& v)
    {
        switch (v.type()) {
        case QJsonValue::Null:
            return "null";
        case QJsonValue::Bool:
            return "true/false";
        case QJsonValue::Double:
            return "a number";
        case QJsonValue::String:
            return "a string";
        case QJsonValue::Array:
            return "an array";
        case QJsonValue::Object:
            return "an object";
        case QJsonValue::Undefined:
            break;
        }
        return "missing";
    }

    // Reads project keys, throwing msup::Error that names the file and the key.
    class Reader {
    public:
        explicit Reader(const QString& path)
            : m_path(path.toStdString())
        {
        }

        [[noreturn]] void wrongType(const QString& key, const char* expected, const QJsonValue& v) const
        {
            throw Error("key '" + key.toStdString() + "' must be " + expected + ", not " + typeName(v),
                m_path, "Fix that key or remove it (the project opens with its default).");
        }

        // The value at `key`: undefined when missing or null, else of `type` or an error naming the
        // key `name` and what it must be.
        QJsonValue typed(const QJsonObject& o, const QString& key, const QString& name, QJsonValue::Type type,
            const char* expected) const
        {
            const QJsonValue v = o.value(key);
            if (v.isUndefined() || v.isNull())
                return QJsonValue(QJsonValue::Undefined);
            if (v.type() != type)
                wrongType(name, expected, v);
            return v;
        }

        QString string(
            const QJsonObject& o, const QString& key, const QString& name, const QString& fallback = {}) const
        {
            const QJsonValue v = typed(o, key, name, QJsonValue::String, "a string");
            return v.isUndefined() ? fallback : v.toString();
        }

        // A missing or null key reads as false, an empty object, an empty array.
        bool boolean(const QJsonObject& o, const QString& key, const QString& name) const
        {
            return typed(o, key, name, QJsonValue::Bool, "true or false").toBool();
        }

        QJsonObject object(const QJsonObject& o, const QString& key, const QString& name) const
        {
            return typed(o, key, name, QJsonValue::Object, "an object").toObject();
        }

        QJsonArray array(const QJsonObject& o, const QString& key, const QString& name) const
        {
            return typed(o, key, name, QJsonValue::Array, "an array").toArray();
        }

        const std::string& path() const { return m_path; }

    private:
        std::string m_path;
    };

    QJsonObject withoutKeys(QJsonObject o, const QStringList& keys)
    {
        for (const QString& key : keys)
            o.remove(key);
        return o;
    }

    QString projectDir(const QString& projectPath)
    {
        return projectPath.isEmpty() ? QString() : QFileInfo(projectPath).absolutePath();
    }

} // namespace

QString projectRelativePath(const QString& baseDir, const QString& path)
{
    if (path.isEmpty())
        return path;
    const QString clean = QDir::cleanPath(QDir::fromNativeSeparators(path));
    if (baseDir.isEmpty() || QDir::isRelativePath(clean))
        return clean;
    const QString base = QDir::cleanPath(QDir(baseDir).absolutePath());
    const QString rel = QDir(base).relativeFilePath(clean);
    if (rel.isEmpty() || rel == QLatin1String("."))
        return QStringLiteral(".");
    if (QDir::isAbsolutePath(rel) || rel == QLatin1String("..") || rel.startsWith(QLatin1String("../")))
        return clean;
    return rel;
}

QString projectAbsolutePath(const QString& baseDir, const QString& path)
{
    if (path.isEmpty())
        return path;
    const QString p = QDir::fromNativeSeparators(path);
    if (QDir::isAbsolutePath(p) || baseDir.isEmpty())
        return QDir::cleanPath(p);
    return QDir::cleanPath(QDir(baseDir).absoluteFilePath(p));
}

QByteArray Project::toJson(const QString& projectPath) const
{
    const QString dir = projectDir(projectPath);
    QJsonObject o = extra;
    o.insert(QStringLiteral("kind"), kKind);
    o.insert(QStringLiteral("version"), version);

    QJsonObject dataset = datasetExtra;
    dataset.insert(QStringLiteral("path"), projectRelativePath(dir, datasetPath));
    dataset.insert(
        QStringLiteral("format"), datasetFormat.isEmpty() ? QStringLiteral("auto") : datasetFormat);
    o.insert(QStringLiteral("dataset"), dataset);
    o.insert(QStringLiteral("split"), split);
    o.insert(QStringLiteral("training"), training);

    QJsonArray runs;
    for (const QString& run : runFolders)
        runs.append(projectRelativePath(dir, run));
    o.insert(QStringLiteral("runs"), runs);

    QJsonObject presetObject;
    for (auto it = presets.cbegin(); it != presets.cend(); ++it)
        presetObject.insert(it.key(), it.value());
    o.insert(QStringLiteral("presets"), presetObject);
    o.insert(QStringLiteral("view"), view);

    QJsonObject imageObject;
    for (auto it = images.cbegin(); it != images.cend(); ++it) {
        QJsonObject state = it.value().extra;
        state.insert(QStringLiteral("reviewed"), it.value().reviewed);
        state.insert(QStringLiteral("edited"), it.value().edited);
        imageObject.insert(it.key(), state);
    }
    o.insert(QStringLiteral("images"), imageObject);
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

Project Project::fromJson(const QByteArray& bytes, const QString& path)
{
    const Reader r(path);
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &pe);
    if (pe.error != QJsonParseError::NoError) {
        const int line = int(bytes.left(pe.offset).count('\n')) + 1;
        throw Error("is not a valid project file: " + pe.errorString().toStdString() + " at line "
                + std::to_string(line),
            r.path(), "The file is damaged; open the previous copy or fix the JSON at that line.");
    }
    if (!doc.isObject())
        throw Error("is not a MaskSup Studio project: the file holds a JSON "
                + std::string(doc.isArray() ? "array" : "value") + ", not an object",
            r.path(), "Open a .masksup file saved by MaskSup Studio.");
    const QJsonObject o = doc.object();

    const QString kind = r.string(o, QStringLiteral("kind"), QStringLiteral("kind"), kKind);
    if (kind != kKind)
        throw Error("is not a MaskSup Studio project (kind '" + kind.toStdString() + "')", r.path(),
            "Open a .masksup file saved by MaskSup Studio.");

    const QJsonValue versionValue = o.value(QStringLiteral("version"));
    if (versionValue.isUndefined())
        throw Error("has no project format version (key 'version')", r.path(),
            "Open a .masksup file saved by MaskSup Studio.");
    const double v = versionValue.toDouble(-1);
    if (!versionValue.isDouble() || v != std::floor(v))
        r.wrongType(QStringLiteral("version"), "an integer", versionValue);
    // The version is a double from the file: print it as one (1e300 does not fit a long long).
    char versionText[32];
    std::snprintf(versionText, sizeof versionText, "%.15g", v);
    if (v > kFormatVersion)
        throw Error("was written by a newer MaskSup Studio (project format version "
                + std::string(versionText) + "; this version reads version " + std::to_string(kFormatVersion)
                + ")",
            r.path(), "Update MaskSup Studio to open it.");
    if (v < 1)
        throw Error("has an unknown project format version " + std::string(versionText), r.path(),
            "Open a .masksup file saved by MaskSup Studio.");

    const QString dir = projectDir(path);
    Project p;
    p.version = int(v);

    const QJsonObject dataset = r.object(o, QStringLiteral("dataset"), QStringLiteral("dataset"));
    p.datasetPath
        = projectAbsolutePath(dir, r.string(dataset, QStringLiteral("path"), QStringLiteral("dataset.path")));
    p.datasetFormat = r.string(
        dataset, QStringLiteral("format"), QStringLiteral("dataset.format"), QStringLiteral("auto"));
    if (p.datasetFormat.isEmpty())
        p.datasetFormat = QStringLiteral("auto");
    p.datasetExtra = withoutKeys(dataset, kDatasetKeys);

    p.split = r.string(o, QStringLiteral("split"), QStringLiteral("split"));
    p.training = r.object(o, QStringLiteral("training"), QStringLiteral("training"));

    const QJsonArray runs = r.array(o, QStringLiteral("runs"), QStringLiteral("runs"));
    for (int i = 0; i < runs.size(); ++i) {
        if (!runs[i].isString())
            r.wrongType(QStringLiteral("runs[%1]").arg(i), "a string (a run folder)", runs[i]);
        p.runFolders << projectAbsolutePath(dir, runs[i].toString());
    }

    const QJsonObject presets = r.object(o, QStringLiteral("presets"), QStringLiteral("presets"));
    for (auto it = presets.begin(); it != presets.end(); ++it) {
        if (!it.value().isObject())
            r.wrongType(QStringLiteral("presets.") + it.key(), "an object of training keys", it.value());
        p.presets.insert(it.key(), it.value().toObject());
    }

    p.view = r.object(o, QStringLiteral("view"), QStringLiteral("view"));

    const QJsonObject images = r.object(o, QStringLiteral("images"), QStringLiteral("images"));
    for (auto it = images.begin(); it != images.end(); ++it) {
        const QString name = QStringLiteral("images.") + it.key();
        if (!it.value().isObject())
            r.wrongType(name, "an object ({\"reviewed\": .., \"edited\": ..})", it.value());
        const QJsonObject state = it.value().toObject();
        ProjectImageState s;
        s.reviewed = r.boolean(state, QStringLiteral("reviewed"), name + QStringLiteral(".reviewed"));
        s.edited = r.boolean(state, QStringLiteral("edited"), name + QStringLiteral(".edited"));
        s.extra = withoutKeys(state, kImageKeys);
        p.images.insert(it.key(), s);
    }

    p.extra = withoutKeys(o, kKnownKeys);
    return p;
}

bool Project::operator==(const Project& other) const
{
    return toJson() == other.toJson();
}

void saveProject(const QString& path, const Project& project)
{
    if (path.isEmpty())
        throw Error("no project file given", "", "Choose where to save the project.");
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir))
        throw Error("folder cannot be created", dir.toStdString(), "Choose a folder you can write to.");
    writeFileAtomic(path, project.toJson(path));
}

Project loadProject(const QString& path)
{
    if (!QFile::exists(path))
        throw Error("does not exist", path.toStdString(), "The project may have been moved or deleted.");
    // A project with thousands of reviewed images is a few MB; QJsonDocument bounds its nesting.
    // Never read more than the cap (a wrong path, /dev/zero).
    const QByteArray bytes
        = readFileCapped(path, qint64(256) << 20, "a project file", "Check that you may read the file.",
            "It is not a MaskSup Studio project, or it is damaged: open the previous copy.");
    return Project::fromJson(bytes, path);
}

} // namespace msup
