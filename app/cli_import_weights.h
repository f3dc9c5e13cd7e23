#pragma once

#include <QStringList>

// `masksup import-weights`: converts a state_dict saved by Python's torch.save (the reference code's
// UNet / NestedUNet) into a MaskSup Studio checkpoint. `args` are the arguments after the command
// name. Returns 0 on success, 1 when the import fails (the message, file and hint on stderr), 2 for
// a bad command line (with the usage on stderr).
int cmdImportWeights(const QStringList& args);
