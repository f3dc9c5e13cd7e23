#pragma once

#include <QJsonObject>
#include <QString>

#include <cstdint>

namespace msup {

// Everything that defines a training run. Saved as RUN_DIR/config.json and inside checkpoints.
struct TrainConfig {
    QString datasetPath;
    QString datasetFormat; // empty or "auto" = detect; else a format name (glas, cvc-clinicdb, ...)
    QString outDir;
    QString model = QStringLiteral("unet"); // unet | unetpp (U-Net++, the paper's NYUDv2 model)
    int width = 16;
    // The reference NestedUNet's ReLU on the logits (unetpp only; set for imported reference weights).
    bool reluLogits = false;
    QString mode = QStringLiteral("masksup"); // baseline | context | masksup
    int epochs = 10;
    int batchSize = 8;
    int imageSize = 224;
    QString device = QStringLiteral("auto"); // auto | cpu | cuda | cuda:N
    std::uint64_t seed = 0;
    double learningRate = 1e-4;
    double weightDecay = 1e-5;
    double alphaSeg = 1.0, alphaContext = 1.0, alphaTasksim = 1.0;
    QString holeRatio = QStringLiteral("high");
    QString maskFolder; // empty = the generator; else a folder of mask images (white = hole)
    QString holeFill = QStringLiteral("zero"); // zero (mid-grey, the paper) | black | noise
    double valFraction = 0.2;
    QString augment = QStringLiteral("none"); // none | all | flip,rot90,scale,color
    int threads = 0; // CPU threads; 0 = all cores
    // Decoded, resized samples kept in memory (MiB; 0 = none) and optionally on disk (empty = off),
    // so that epochs after the first do not decode the files again.
    int cacheMemoryMb = 2048;
    QString cacheDir;

    QJsonObject toJson() const;
    // Missing keys keep their defaults; wrong types throw msup::Error.
    static TrainConfig fromJson(const QJsonObject& json);
    // Throws msup::Error with the offending field and the accepted values.
    void validate() const;
};

} // namespace msup
