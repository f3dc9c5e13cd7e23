#pragma once
// The options of 'masksup train' and the settings they give (train.cpp runs the session).

#include "common.h"

#include "core/train/train_config.h"

namespace msup::cli {

// Declares every option of 'masksup train', in the order its --help lists them.
void addTrainOptions(CommandLine& c);

struct TrainSetup {
    TrainConfig config;
    QString resumeCheckpoint; // the run's last.pt with --resume; empty for a new run
};

// The settings from the parsed flags: the defaults, then --preset, then --config FILE, then the
// flags given; with --resume the run's own config, of which only the runtime flags (--epochs,
// --device, --amp, ...) may change. Throws UsageError naming the flag, msup::Error for a bad file.
TrainSetup trainSetupFromFlags(const CommandLine& c);

} // namespace msup::cli
