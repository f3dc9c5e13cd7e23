// Scene labels (NYUDv2 as Light-Weight-RefineNet stores it): NNNNNN.png + NNNNNN_mask.png palette
// PNGs, indices = classes, 255 = void.
#include "core/data/formats/format_registry.h"
#include "core/data/formats/format_support.h"

#include "core/data/palette.h"

namespace msup::formats {
namespace {
    bool isSceneFolder(const QDir& d)
    {
        return !d.entryList({ QStringLiteral("*_mask.png") }, QDir::Files).isEmpty();
    }

    Dataset indexScenes(const QDir& dir, int)
    {
        Dataset ds = newDataset(dir, LabelEncoding::ClassIndex);
        ds.ignoreIndex = 255;
        loadClassesOrDefault(ds, nyu40Names(), vocPalette(40));
        pairBySuffix(ds, dir, QStringLiteral("_mask.png"));
        sortNaturally(ds.samples, {});
        return ds;
    }
} // namespace

extern const DatasetFormat sceneLabels { "scene-labels", "scene labels", "NNNNNN.png with NNNNNN_mask.png",
    isSceneFolder, indexScenes };

} // namespace msup::formats
