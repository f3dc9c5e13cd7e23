// masksup synth: a procedural sample dataset.
#include "command.h"
#include "common.h"

#include "cli_progress.h"

#include "core/data/synth.h"
#include "core/io/atomic_file.h"

#include <QDir>

namespace msup::cli {

namespace {

    int run(CommandLine& c)
    {
        c.option(QStringLiteral("kind"),
            QStringLiteral(
                "glands (binary, Kvasir-SEG layout) or scenes (6 classes, NYUDv2 RefineNet layout)."),
            QStringLiteral("kind"), QStringLiteral("glands"));
        c.option(QStringLiteral("count"), QStringLiteral("Number of image/mask pairs."), QStringLiteral("N"),
            QStringLiteral("24"));
        c.option(QStringLiteral("size"), QStringLiteral("Image side in pixels (32..4096)."),
            QStringLiteral("S"), QStringLiteral("256"));
        c.seedOption(QStringLiteral("Random seed."), 1);
        c.option(QStringLiteral("out"), QStringLiteral("Output folder."), QStringLiteral("DIR"));
        if (!c.parse())
            return kExitOk;
        SynthOptions o;
        if (!parseSynthKind(c.value(QStringLiteral("kind")), &o.kind))
            throw UsageError { QStringLiteral("synth: --kind must be glands or scenes, got '%1'")
                                   .arg(c.value(QStringLiteral("kind"))) };
        o.count = c.integer(QStringLiteral("count"), 1, 100000);
        o.size = c.integer(QStringLiteral("size"), 32, 4096);
        o.seed = c.seed();
        o.outDir = c.required(QStringLiteral("out"));
        ensureWritableDir(o.outDir);
        TerminalProgress bar(QStringLiteral("pairs"));
        const int n = writeSynthDataset(o, bar);
        bar.clear();
        if (n < o.count) { // stopped by Ctrl+C
            err(QStringLiteral("synth: interrupted after %1 of %2 pairs (in %3)")
                    .arg(n)
                    .arg(o.count)
                    .arg(QDir(o.outDir).absolutePath()));
            return kExitInterrupted;
        }
        out() << QStringLiteral("wrote %1 %2 pairs (%3x%3, seed %4) to %5\n")
                     .arg(n)
                     .arg(c.value(QStringLiteral("kind")))
                     .arg(o.size)
                     .arg(o.seed)
                     .arg(QDir(o.outDir).absolutePath());
        return kExitOk;
    }

} // namespace

extern const Command synthCommand { "synth",
    "Write a procedural sample dataset (glands: binary; scenes: 6 classes).",
    "masksup synth --kind glands|scenes --count N --size S --seed S --out DIR",
    "Write a procedural sample dataset, deterministic by seed.", &run };

} // namespace msup::cli
