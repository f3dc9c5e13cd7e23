// masksup masks: random streak-and-hole masks.
#include "command.h"
#include "common.h"

#include "cli_progress.h"

#include "core/base/error.h"
#include "core/base/rng.h"
#include "core/io/atomic_file.h"
#include "core/masks/hole_generator.h"

#include <QDir>

#include <algorithm>

namespace msup::cli {

namespace {

    int run(CommandLine& c)
    {
        c.option(QStringLiteral("count"), QStringLiteral("Number of masks."), QStringLiteral("N"),
            QStringLiteral("16"));
        c.option(QStringLiteral("size"), QStringLiteral("Mask side in pixels, or WxH."), QStringLiteral("S"),
            QStringLiteral("224"));
        c.option(QStringLiteral("ratio"),
            QStringLiteral("Hole ratio: high (0.5-0.6), low (0.01-0.1) or A-B."), QStringLiteral("R"),
            QStringLiteral("high"));
        c.seedOption(QStringLiteral("Random seed."));
        c.option(QStringLiteral("out"), QStringLiteral("Output folder."), QStringLiteral("DIR"));
        if (!c.parse())
            return kExitOk;
        const int count = c.integer(QStringLiteral("count"), 1, 1000000);
        int w = 0, h = 0;
        const QString size = c.value(QStringLiteral("size"));
        const QStringList wh = size.split(QLatin1Char('x'));
        bool okW = false, okH = false;
        w = wh.value(0).toInt(&okW);
        h = wh.size() == 2 ? wh[1].toInt(&okH) : (okH = okW, w);
        if (!okW || !okH || wh.size() > 2 || w < 16 || h < 16 || w > 8192 || h > 8192)
            throw UsageError { QStringLiteral(
                "masks: --size expects S or WxH with sides from 16 to 8192, got '%1'")
                                   .arg(size) };
        HoleRatioRange range;
        try {
            range = HoleRatioRange::parse(c.value(QStringLiteral("ratio")).toStdString());
        } catch (const Error& e) {
            throw UsageError { QStringLiteral("masks: ") + QString::fromStdString(e.what()) };
        }
        const std::uint64_t seed = c.seed();
        const QString dir = c.required(QStringLiteral("out"));
        ensureWritableDir(dir);
        const HoleGenerator gen(range);
        TerminalProgress bar(QStringLiteral("masks"));
        double sum = 0, lo = 1, hi = 0;
        for (int i = 0; i < count; ++i) {
            if (bar.isCancelled()) {
                bar.clear();
                err(QStringLiteral("masks: interrupted after %1 of %2 masks (in %3)")
                        .arg(i)
                        .arg(count)
                        .arg(QDir(dir).absolutePath()));
                return kExitInterrupted;
            }
            const cv::Mat m = gen.generate(w, h, Rng::derive(seed, 0x3a5c, static_cast<std::uint64_t>(i)));
            const double r = holeRatio(m);
            sum += r;
            lo = std::min(lo, r);
            hi = std::max(hi, r);
            const QString path
                = QDir(dir).filePath(QStringLiteral("mask_%1.png").arg(i, 5, 10, QLatin1Char('0')));
            writeMatAtomic(path, m);
            bar.report(i + 1, count);
        }
        bar.clear();
        out() << QStringLiteral(
            "wrote %1 masks %2x%3 to %4; hole ratio requested (%5, %6], got min %7 mean %8 max %9\n")
                     .arg(count)
                     .arg(w)
                     .arg(h)
                     .arg(QDir(dir).absolutePath())
                     .arg(range.lo)
                     .arg(range.hi)
                     .arg(lo, 0, 'f', 4)
                     .arg(sum / count, 0, 'f', 4)
                     .arg(hi, 0, 'f', 4);
        return kExitOk;
    }

} // namespace

extern const Command masksCommand { "masks", "Write random streak-and-hole masks (PNG, 255 = hole).",
    "masksup masks --count N --size S --ratio high|low|A-B --seed S --out DIR",
    "Write random free-form streak-and-hole masks (PNG, 255 = hole).", &run };

} // namespace msup::cli
