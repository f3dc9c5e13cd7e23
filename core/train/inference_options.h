#pragma once
// How a Predictor runs a network over an image (no Torch: the GUI and the CLI fill it in).

#include "core/base/error.h"

#include <QJsonObject>
#include <QString>

#include <string>

namespace msup {

struct InferenceOptions {
    enum class Mode {
        Resize, // the whole image resized to the training size, labels resized back (nearest)
        Tiles, // the image at its own resolution (times `scale`) in overlapping tiles of the training size
    };
    Mode mode = Mode::Resize;
    double scale = 1.0; // Tiles: the image is scaled by this first (1 = native resolution)
    double overlap = 0.5; // Tiles: the share of a tile's side that its neighbour covers again
    bool flipTta = false; // average the probabilities over the image and its three flips

    static constexpr double kMinScale = 0.1;
    static constexpr double kMaxScale = 4.0;
    static constexpr double kMaxOverlap = 0.9;

    bool operator==(const InferenceOptions& o) const
    {
        return mode == o.mode && scale == o.scale && overlap == o.overlap && flipTta == o.flipTta;
    }
    bool operator!=(const InferenceOptions& o) const { return !(*this == o); }

    // Throws msup::Error saying which value is out of range.
    void check() const
    {
        if (!(scale >= kMinScale && scale <= kMaxScale))
            throw Error("the inference scale must lie between 0.1 and 4 (got " + std::to_string(scale) + ")");
        if (!(overlap >= 0 && overlap <= kMaxOverlap))
            throw Error("the tile overlap must lie between 0 and 0.9 (got " + std::to_string(overlap) + ")");
    }

    // "resize", "tiles" — the words of `--inference`.
    static QString modeName(Mode m)
    {
        return m == Mode::Tiles ? QStringLiteral("tiles") : QStringLiteral("resize");
    }
    static bool modeFromName(const QString& name, Mode* m)
    {
        if (name == QLatin1String("resize"))
            *m = Mode::Resize;
        else if (name == QLatin1String("tiles"))
            *m = Mode::Tiles;
        else
            return false;
        return true;
    }
    // {"mode": "tiles", "scale": 1, "overlap": 0.5, "tta": "flip"} (scale and overlap with tiles only).
    QJsonObject toJson() const
    {
        QJsonObject o { { QStringLiteral("mode"), modeName(mode) },
            { QStringLiteral("tta"), flipTta ? QStringLiteral("flip") : QStringLiteral("none") } };
        if (mode == Mode::Tiles) {
            o.insert(QStringLiteral("scale"), scale);
            o.insert(QStringLiteral("overlap"), overlap);
        }
        return o;
    }
    // One line for reports and logs, e.g. "tiles at 1× (overlap 0.5), flip TTA".
    QString describe() const
    {
        QString s = mode == Mode::Tiles
            ? QStringLiteral("tiles at %1× (overlap %2)").arg(scale, 0, 'g', 3).arg(overlap, 0, 'g', 3)
            : QStringLiteral("resized to the training size");
        if (flipTta)
            s += QStringLiteral(", flip TTA");
        return s;
    }
};

} // namespace msup
