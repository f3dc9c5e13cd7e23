#pragma once

#include "core/base/progress.h"
#include "core/masks/hole_generator.h"

#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>

namespace msup {

// A folder of mask images used instead of the generator, e.g. the NVIDIA irregular mask set of
// Liu et al. 2018 (white = hole). Every file is decoded once when the set is loaded to measure its
// hole ratio (pixels >= 128 are holes); only masks whose ratio lies in the requested interval
// (lo, hi] are kept. generate() picks one of them by seed and resizes it with nearest neighbour.
class MaskSet : public MaskSource {
public:
    struct Entry {
        QString path;
        double ratio = 0; // at the file's own size
    };

    // Throws msup::Error naming the folder when it does not exist, holds no image, or none of its
    // masks has a ratio in the interval (the message gives the ratios found). Unreadable files are
    // skipped and listed in skipped(). Progress is reported from the calling thread between chunks;
    // once cancelled, loading stops with msup::Error "cancelled".
    static MaskSet load(
        const QString& folder, const HoleRatioRange& range, Progress& progress = noProgress());

    cv::Mat generate(int width, int height, std::uint64_t seed) const override;
    std::string describe() const override;

    const QString& folder() const { return m_folder; }
    const HoleRatioRange& range() const { return m_range; }
    const QVector<Entry>& entries() const { return m_entries; } // the masks kept, in name order
    int scanned() const { return m_scanned; } // image files read
    const QStringList& skipped() const { return m_skipped; } // "file: why" for unreadable files

private:
    QString m_folder;
    HoleRatioRange m_range;
    QVector<Entry> m_entries;
    int m_scanned = 0;
    QStringList m_skipped;
};

} // namespace msup
