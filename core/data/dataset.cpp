#include "core/data/dataset.h"

#include "core/base/error.h"
#include "core/data/formats/format_registry.h"
#include "core/io/atomic_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <functional>

namespace msup {

QString formatName(const DatasetFormat* format)
{
    return format ? QString::fromLatin1(format->name) : QStringLiteral("unknown");
}

QString DatasetProblem::toString() const
{
    QString s = (severity == Severity::Error ? QStringLiteral("error: ") : QStringLiteral("warning: ")) + file
        + QStringLiteral(": ") + message;
    if (!fix.isEmpty())
        s += QStringLiteral(" ") + fix;
    return s;
}

namespace {
    QDir checkedDir(const QString& path)
    {
        const QFileInfo info(path);
        if (!info.exists())
            throw Error("folder does not exist", path.toStdString(),
                "Choose the folder you downloaded or generated (it holds images/ and masks/).");
        if (!info.isDir())
            throw Error("is a file, not a dataset folder", path.toStdString(),
                "Choose the folder that holds the images and masks.");
        QDir dir(info.absoluteFilePath());
        if (!dir.isReadable())
            throw Error("folder cannot be read", path.toStdString(), "Check its permissions.");
        return dir;
    }

    // What a folder of the format must contain, for messages: "GLaS: train_N.bmp with ...".
    std::string layoutOf(const DatasetFormat& f)
    {
        return std::string(f.title) + ": " + f.layout;
    }

    Dataset indexWith(const DatasetFormat& f, const QDir& dir, int classes)
    {
        Dataset ds = f.index(dir, classes);
        ds.format = &f;
        if (ds.formatSpec.isEmpty())
            ds.formatSpec = formatName(&f);
        return ds;
    }

    // Tries `dir`, then its sub-folders (a parent holding exactly one dataset folder, e.g. the
    // unzipped download). Returns false when no candidate (or more than one) matches.
    bool detectIn(const QDir& dir, const std::function<bool(const DatasetFormat&)>& allowed, Dataset* out,
        int classes = 0)
    {
        for (const DatasetFormat* f : datasetFormats())
            if (allowed(*f) && f->detect(dir)) {
                *out = indexWith(*f, dir, classes);
                return true;
            }
        int hits = 0;
        for (const QFileInfo& sub : dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            const QDir d(sub.absoluteFilePath());
            for (const DatasetFormat* f : datasetFormats())
                if (allowed(*f) && f->detect(d)) {
                    if (++hits == 1)
                        *out = indexWith(*f, d, classes);
                    break;
                }
        }
        return hits == 1;
    }

    Dataset checkedNotEmpty(Dataset ds)
    {
        if (ds.samples.isEmpty())
            throw Error("no image/mask pairs found", ds.root.toStdString(),
                ds.problems.isEmpty() ? std::string("The folders are empty: add images and their masks.")
                                      : ("First problem: " + ds.problems.front().toString().toStdString()));
        return ds;
    }

    // A dataset given as one file (the NYUDv2 .mat), read by the format that takes such a file.
    Dataset openFile(const DatasetFormat& f, const QString& path, int classes)
    {
        Dataset ds = f.indexFile(path, classes);
        ds.format = &f;
        return checkedNotEmpty(ds);
    }

    const DatasetFormat* fileFormat(const QString& path)
    {
        for (const DatasetFormat* f : datasetFormats())
            if (f->detectFile && f->detectFile(path))
                return f;
        return nullptr;
    }

    Dataset openAs(const QString& path, const DatasetFormat& format, int classes)
    {
        if (format.detectFile && format.detectFile(path))
            return openFile(format, path, classes);
        const QDir dir = checkedDir(path);
        Dataset ds;
        if (!detectIn(
                dir, [&format](const DatasetFormat& f) { return &f == &format; }, &ds, classes))
            throw Error("is not a " + formatName(&format).toStdString() + " folder",
                dir.absolutePath().toStdString(), "Expected " + layoutOf(format) + ".");
        return checkedNotEmpty(ds);
    }
} // namespace

bool isDatasetRoot(const QString& path, Dataset* out)
{
    const QFileInfo info(path);
    if (!info.isDir() || !info.isReadable())
        return false;
    const QDir dir(info.absoluteFilePath());
    try {
        for (const DatasetFormat* f : datasetFormats())
            if (f->detect(dir)) {
                Dataset ds = indexWith(*f, dir, 0);
                if (ds.samples.isEmpty())
                    return false;
                if (out)
                    *out = std::move(ds);
                return true;
            }
    } catch (const std::exception&) {
        // An unreadable or damaged layout is no dataset to protect here.
    }
    return false;
}

Dataset openDataset(const QString& path)
{
    if (const DatasetFormat* f = fileFormat(path))
        return openFile(*f, path, 0);
    const QDir dir = checkedDir(path);
    Dataset ds;
    if (!detectIn(
            dir, [](const DatasetFormat&) { return true; }, &ds)) {
        std::string layouts;
        for (const DatasetFormat* f : datasetFormats())
            layouts += "\n  - " + layoutOf(*f);
        throw Error("no dataset recognised.", dir.absolutePath().toStdString(),
            "A dataset folder has one of these layouts:" + layouts);
    }
    return checkedNotEmpty(ds);
}

Dataset openDataset(const QString& path, const QString& format)
{
    if (format.isEmpty() || format == QLatin1String("auto"))
        return openDataset(path);
    int classes = 0;
    const DatasetFormat* f = findDatasetFormat(format, &classes);
    if (!f)
        throw Error("unknown dataset format '" + format.toStdString() + "': use auto, "
            + datasetFormatNamesText().toStdString());
    return openAs(path, *f, classes);
}

bool readClassesJson(const QString& file, QStringList* names, QVector<QColor>* colors, QString* error)
{
    constexpr qint64 kMaxClassesJsonBytes = 1 << 20;
    constexpr int kMaxClasses = 255;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot be read");
        return false;
    }
    if (f.size() > kMaxClassesJsonBytes) {
        *error = QStringLiteral("is %1 bytes, more than a class list needs (at most %2)")
                     .arg(f.size())
                     .arg(kMaxClassesJsonBytes);
        return false;
    }
    QJsonParseError pe;
    const auto doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError) {
        *error = QStringLiteral("invalid JSON at offset %1: %2").arg(pe.offset).arg(pe.errorString());
        return false;
    }
    const auto arr = doc.object().value(QStringLiteral("classes")).toArray();
    if (arr.size() < 2) {
        *error = QStringLiteral("needs a \"classes\" array with at least two entries");
        return false;
    }
    // Label masks are 8-bit and 255 is the void (ignore) index: class indices are 0..254.
    if (arr.size() > kMaxClasses) {
        *error
            = QStringLiteral("lists %1 classes, but masks hold class indices 0..%2 (255 is void): at most %3 "
                             "classes")
                  .arg(arr.size())
                  .arg(kMaxClasses - 1)
                  .arg(kMaxClasses);
        return false;
    }
    names->clear();
    colors->clear();
    for (const auto& v : arr) {
        const auto o = v.toObject();
        const QString name = o.value(QStringLiteral("name")).toString();
        const QColor color(o.value(QStringLiteral("color")).toString());
        if (name.isEmpty() || !color.isValid()) {
            *error = QStringLiteral("every class needs a \"name\" and a \"color\" like \"#ff0000\"");
            return false;
        }
        const qsizetype twice = names->indexOf(name);
        if (twice >= 0) {
            *error = QStringLiteral("the class name '%1' appears twice (classes %2 and %3)")
                         .arg(name)
                         .arg(twice)
                         .arg(names->size());
            return false;
        }
        *names << name;
        *colors << color;
    }
    return true;
}

void writeClassesJson(const QString& file, const QStringList& names, const QVector<QColor>& colors)
{
    QJsonArray arr;
    for (int i = 0; i < names.size(); ++i)
        arr.append(QJsonObject {
            { QStringLiteral("name"), names[i] }, { QStringLiteral("color"), colors.value(i).name() } });
    writeFileAtomic(file, QJsonDocument(QJsonObject { { QStringLiteral("classes"), arr } }).toJson());
}

} // namespace msup
