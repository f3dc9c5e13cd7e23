#!/bin/bash
# Builds the libFuzzer targets (tests/fuzz, clang, ASan+UBSan) in build-fuzz/ and runs each for
# SECONDS seconds on a copy of its seed corpus (tests/fuzz/corpus/<corpus>). Findings are written
# to build-fuzz/findings/<target>/; copy each into tests/fuzz/crashes/<corpus>/ once fixed, so that
# tst_fuzz_replay keeps replaying it. Prints executions/s and coverage (libFuzzer's "cov" and "ft")
# for each target at the end.
#   scripts/fuzz.sh 60            # one minute each
#   JOBS=2 scripts/fuzz.sh 600    # ten minutes each, two worker processes
set -euo pipefail
SECONDS_EACH=${1:-60}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
CXX=${FUZZ_CXX:-clang++}
cmake -S "$ROOT/tests/fuzz" -B "$BUILD" -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"${BUILD_JOBS:-2}" >/dev/null
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export QT_QPA_PLATFORM=offscreen
status=0
summary=""
# target:corpus folders (the torch_zip target reads .pth files and checkpoints)
for spec in pickle:pickle torch_zip:pth,checkpoint project:project; do
  target=${spec%%:*}
  work="$BUILD/corpus/$target"
  findings="$BUILD/findings/$target"
  mkdir -p "$work" "$findings"
  IFS=, read -ra folders <<< "${spec#*:}"
  for f in "${folders[@]}"; do
    [ -d "$ROOT/tests/fuzz/corpus/$f" ] && cp -n "$ROOT/tests/fuzz/corpus/$f/"* "$work/" 2>/dev/null || true
    [ -d "$ROOT/tests/fuzz/crashes/$f" ] && cp -n "$ROOT/tests/fuzz/crashes/$f/"* "$work/" 2>/dev/null || true
  done
  log="$BUILD/$target.log"
  echo "== fuzz_$target: $SECONDS_EACH s (log: $log)"
  if ! "$BUILD/fuzz_$target" "$work" -max_total_time="$SECONDS_EACH" -max_len=1048576 -rss_limit_mb=2048 \
      -timeout=20 -print_final_stats=1 -artifact_prefix="$findings/" ${JOBS:+-jobs=$JOBS -workers=$JOBS} >"$log" 2>&1; then
    echo "   FINDING: see $log and $findings/"
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
  line=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -1 || true)
  cov=$(echo "$line" | grep -o 'cov: [0-9]*' || true)
  ft=$(echo "$line" | grep -o 'ft: [0-9]*' || true)
  rate=$(( runs / (SECONDS_EACH > 0 ? SECONDS_EACH : 1) ))
  summary+="fuzz_$target: $runs executions (~$rate/s), $cov, $ft, corpus $(ls "$work" | wc -l) files"$'\n'
done
echo
echo "$summary"
exit $status
