#include "core/data/formats/format_registry.h"

namespace msup {

namespace formats {
    // Each defined in its own file of this folder.
    extern const DatasetFormat glas, cvcClinicDb, praNet, generic, kvasirSeg, sceneLabels, nyudv2Mat,
        nyudv2Labels;
} // namespace formats

const std::vector<const DatasetFormat*>& datasetFormats()
{
    // The registry, one line per format, in detection order: generic (images/ and masks/ with a
    // classes.json or palette masks) before Kvasir-SEG (images/ and masks/ alone).
    static const std::vector<const DatasetFormat*> registry = {
        &formats::glas,
        &formats::cvcClinicDb,
        &formats::praNet,
        &formats::generic,
        &formats::kvasirSeg,
        &formats::sceneLabels,
        &formats::nyudv2Mat,
        &formats::nyudv2Labels,
    };
    return registry;
}

const DatasetFormat* findDatasetFormat(const QString& spec, int* classes)
{
    for (const DatasetFormat* f : datasetFormats()) {
        const QString name = QString::fromLatin1(f->name);
        int set = -1;
        if (spec == name)
            set = 0;
        else if (f->classSets && spec.startsWith(name)
            && (spec.mid(name.size()) == QLatin1String("-13")
                || spec.mid(name.size()) == QLatin1String("-40")))
            set = spec.right(2).toInt();
        if (set < 0)
            continue;
        if (classes)
            *classes = set;
        return f;
    }
    return nullptr;
}

QStringList datasetFormatNames()
{
    QStringList names;
    for (const DatasetFormat* f : datasetFormats()) {
        names << QString::fromLatin1(f->name);
        if (f->classSets)
            names << QString::fromLatin1(f->name) + QStringLiteral("-13");
    }
    return names;
}

QString datasetFormatNamesText()
{
    const QStringList names = datasetFormatNames();
    return names.mid(0, names.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" or ") + names.last();
}

} // namespace msup
