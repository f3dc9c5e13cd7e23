#!/usr/bin/env bash
# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer in its own folder
# (build-asan/, Debug with -O1) and runs the whole CTest suite there, leak checking on.
# Leaks inside system libraries (LibTorch/OpenMP thread pools, fontconfig, Mesa/Qt's platform
# plugins…) are suppressed by the committed file tests/sanitizers/lsan.supp; a leak in our own code
# fails the run. Not part of CI (a full sanitizer build takes ~40 minutes on 2 cores).
#
#   scripts/check-sanitizers.sh            # build + run every suite
#   scripts/check-sanitizers.sh -R tst_cli # extra arguments go to ctest
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-$(nproc)}"
BUILD="${SANITIZER_BUILD_DIR:-build-asan}"
flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Debug "${launcher[@]}" \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" -DMASKSUP_BUILD_BENCH=OFF
cmake --build "$BUILD" -j"$JOBS"

supp="$PWD/tests/sanitizers"
# detect_leaks=1: our own leaks fail the run; the suppressions name library frames only.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=0:allocator_may_return_null=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp"
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "$BUILD" --output-on-failure -j"$JOBS" --timeout 3600 "$@"
