#pragma once

#include "core/base/progress.h"

#include <QString>

#include <cstdint>

namespace msup {

enum class SynthKind {
    Glands, // binary gland-like tissue, written in the Kvasir-SEG layout (images/, masks/)
    Scenes // multi-class (6 classes, imbalanced) scenes in the RefineNet NYUDv2 layout
};

struct SynthOptions {
    SynthKind kind = SynthKind::Glands;
    int count = 24;
    int size = 256;
    std::uint64_t seed = 1;
    QString outDir;
};

// Writes a procedural dataset, deterministic by seed (identical bytes for identical options).
// Reports progress after each pair and stops there once cancelled. Throws msup::Error when the
// folder cannot be written. Returns the number of pairs written.
int writeSynthDataset(const SynthOptions& options, Progress& progress = noProgress());

bool parseSynthKind(const QString& text, SynthKind* kind);

} // namespace msup
