#pragma once

#include <QString>
#include <QStringList>

namespace msup {

// Weights trained with the reference PyTorch code (pytorch-nested-unet's UNet / NestedUNet and
// LeViT-UNet's LeViT_UNet_128s / 192 / 384, as in hasibzunair/masksup-segmentation), saved in
// Python with torch.save(model.state_dict(), path).
struct WeightImportOptions {
    QString model = QStringLiteral("unetpp"); // unet | unetpp | levit128s | levit192 | levit384
    int classes = 1; // output channels: 1 for a binary task (sigmoid), K for K classes
    int width = 32; // unet, unetpp: base width w (channels w·[1,2,4,8,16]); the reference's nets use 32
    // unetpp only: ReLU on the logits, as the reference NestedUNet's forward (relu(final(x))).
    // Ignored (stored off) for unet.
    bool reluLogits = true;
    // The input size stored with the checkpoint (a multiple of 16). LeViT-UNet: the size the
    // network was built for (its attention biases depend on it; the reference's default is 224).
    int imageSize = 224;
    QString inputPath; // the .pth file
    QString outputPath; // the MaskSup Studio checkpoint to write
    // Write the checkpoint even when tensors are missing from the file or have other shapes: those
    // keep their initial values and are listed in the report.
    bool allowPartial = false;
};

struct WeightImportReport {
    QString model;
    int outputChannels = 1;
    int width = 32;
    bool reluLogits = false;
    QString container; // the key the state_dict was found under ("state_dict", "model"), or empty
    int strippedPrefixes = 0; // keys that lost a "module." prefix (nn.DataParallel)
    int aliasKeys = 0; // LeViT_UNet_192's blocks.* keys, second names of its block_K.* tensors
    int fileTensors = 0; // tensors in the state_dict
    int modelTensors = 0; // parameters and buffers of the model
    int loadedTensors = 0; // tensors copied into the model
    qint64 parameters = 0; // the model's parameter count
    qint64 loadedValues = 0; // numbers copied into the model (parameters and buffers)
    QStringList missingKeys; // in the model, not in the file (kept at their initial values)
    QStringList unexpectedKeys; // in the file, not in the model (ignored)
    QStringList shapeMismatches; // "key: model [a, b], file [c, d]" (only with allowPartial)
    QStringList warnings; // everything else worth knowing (converted types, skipped entries)
    QString outputPath;

    bool complete() const { return missingKeys.isEmpty() && shapeMismatches.isEmpty(); }
};

// The models weights can be imported for: unet, unetpp, levit128s, levit192, levit384.
QStringList importableModels();

// Reads a state_dict written by Python's torch.save (the zip format, PyTorch ≥ 1.6 default), also
// when it is wrapped in a dict under "state_dict" or "model" or its keys carry nn.DataParallel's
// "module." prefix; maps it onto the model's parameters and buffers (BatchNorm running statistics
// included), checks every shape, and writes a MaskSup Studio checkpoint (epoch 0) at
// options.outputPath. Throws msup::Error naming the file for: a missing file, a file that is not a
// zip-format torch.save file (a legacy one gets a hint to re-save it), a file that holds no dict of
// tensors, a shape mismatch (naming the key and both shapes), and missing keys, the last two unless
// options.allowPartial. Unexpected keys are only reported. LeViT_UNet_192's second names blocks.*
// of its block_K.* tensors are recognised as such (WeightImportReport::aliasKeys).
WeightImportReport importPyTorchWeights(const WeightImportOptions& options);

} // namespace msup
