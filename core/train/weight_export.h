#pragma once

#include <QString>

namespace msup {

// A MaskSup Studio checkpoint back to PyTorch: the network's state_dict, as Python's
// torch.save(model.state_dict(), path) writes it, for the reference code's classes.
struct WeightExportOptions {
    QString checkpointPath; // a checkpoint written by masksup (train, import-weights)
    QString outputPath; // the .pth file to write
};

struct WeightExportReport {
    QString model; // unet | unetpp | levit128s | levit192 | levit384
    int outputChannels = 1;
    int width = 0; // unet, unetpp: the base width
    int imageSize = 224; // LeViT: the input size its attention biases are built for
    bool reluLogits = false; // unetpp: the checkpoint applies the reference NestedUNet's ReLU
    int tensors = 0; // state_dict entries (parameters and buffers)
    int aliases = 0; // of them, second names of one tensor (the reference LeViT_UNet_192's blocks.*)
    qint64 values = 0; // numbers in the file's storages
    qint64 bytes = 0; // the file's size
    bool replaced = false; // an earlier export of masksup was replaced
    QString outputPath; // absolute
    QString pythonClass; // how to build the reference network in Python, e.g. "UNet(num_classes=1)"
    QString pythonNote; // what else to know there (another width, image size, the ReLU), or empty
};

// Loads the checkpoint and writes its parameters and buffers (BatchNorm running statistics and
// counters, LeViT's attention-bias indices) under the reference code's names: a zip archive
// archive/{data.pkl, byteorder, data/<n>, version} whose data.pkl is a protocol-2 pickle of an
// OrderedDict of tensors (torch._utils._rebuild_tensor_v2 over persistent-id storages) and whose
// records are stored with their data 64-byte aligned, as torch.save writes them; torch.load reads
// it, also with weights_only=True, and the reference UNet / NestedUNet / LeViT_UNet_* take it with
// load_state_dict(strict=True). The file is written atomically through the output guard
// (output_guard.h): never over the checkpoint, never over a file masksup did not write, never into
// a dataset. Throws msup::Error naming the file: a missing or damaged checkpoint, a refused output,
// a failed write.
WeightExportReport exportPyTorchWeights(const WeightExportOptions& options);

} // namespace msup
