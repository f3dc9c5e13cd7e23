// Precompiled header for the targets that include LibTorch: parsing <torch/torch.h> costs ~30 s
// per translation unit on a 2-core machine, so it is parsed once per target.
#pragma once
#include <torch/torch.h>
