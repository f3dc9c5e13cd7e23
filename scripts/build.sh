#!/usr/bin/env bash
# Configures and builds everything into build/ (Release). Extra arguments go to CMake's configure
# step, e.g. scripts/build.sh -DCMAKE_PREFIX_PATH=/opt/libtorch for the CUDA LibTorch.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-$(nproc)}"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build build -j"$JOBS"
