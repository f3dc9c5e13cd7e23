#include "core/data/formats/format_registry.h"

namespace msup {

namespace formats {
// Each defined in its own file of this folder and named once in format_list.h.
#define MSUP_DATASET_FORMAT(name) extern const DatasetFormat name;
#include "core/data/formats/format_list.h"
#undef MSUP_DATASET_FORMAT
} // namespace formats

const std::vector<const DatasetFormat*>& datasetFormats()
{
    // The registry: format_list.h, one line per format, in detection order.
    static const std::vector<const DatasetFormat*> registry = {
#define MSUP_DATASET_FORMAT(name) &formats::name,
#include "core/data/formats/format_list.h"
#undef MSUP_DATASET_FORMAT
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
