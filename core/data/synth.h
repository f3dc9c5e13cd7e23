#pragma once

#include <QString>

#include <cstdint>
#include <functional>

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
// `progress(done, total)` is called after each pair; returning false cancels. Throws msup::Error
// when the folder cannot be written. Returns the number of pairs written.
int writeSynthDataset(const SynthOptions& options, const std::function<bool(int, int)>& progress = {});

bool parseSynthKind(const QString& text, SynthKind* kind);

} // namespace msup
