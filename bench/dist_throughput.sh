#!/usr/bin/env bash
# Data-parallel training throughput on this machine: one process with T threads against N processes
# with T/N threads each (masksup train --nproc N), the same data, the same global batch (a step
# takes the same images), CPU. Measured end to end with the CLI, from the runs' own metrics.
#   bench/dist_throughput.sh [BUILD_DIR] [WORK_DIR]
#   THREADS=2 NPROC=2 IMAGES=160 SIZE=96 WIDTH=8 BATCH=8 EPOCHS=4 REPEATS=3 bench/dist_throughput.sh
# Writes one JSON object per line on stdout (a summary on stderr):
#   {"figure":"dist_throughput", "processes":P, "threads_per_process":T, "global_batch":B,
#    "images_per_second":[one per repeat], "median":..., "cores":...}
# images_per_second is the training throughput of the epochs after the first (the first decodes
# the images), from metrics.jsonl, median over those epochs; validation is left out. Run it with
# nothing else running: on 2 cores either setting may win.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "${1:-$here/../build}" && pwd)"
work="${2:-$(mktemp -d)}"
masksup="$build/bin/masksup"
threads=${THREADS:-2} nproc=${NPROC:-2} images=${IMAGES:-160} size=${SIZE:-96} width=${WIDTH:-8}
batch=${BATCH:-8} epochs=${EPOCHS:-4} repeats=${REPEATS:-3}
py=/usr/bin/python3
mkdir -p "$work"
[ -d "$work/ds" ] || "$masksup" synth --kind glands --count "$images" --size "$size" --seed 3 --out "$work/ds" >/dev/null
measure() { # processes
  local p=$1 rates=()
  for r in $(seq 1 "$repeats"); do
    rm -rf "$work/run-$p"
    "$masksup" train --dataset "$work/ds" --out "$work/run-$p" --epochs "$epochs" --batch-size $((batch / p)) \
      --image-size "$size" --width "$width" --threads "$threads" --nproc "$p" --device cpu --seed 1 \
      --val-fraction 0.1 >/dev/null 2>&1
    rates+=("$("$py" -c '
import json, statistics, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(statistics.median(l["images_per_second"] for l in lines[1:]))' "$work/run-$p/metrics.jsonl")")
  done
  "$py" - "$p" "$((threads / p))" "$batch" "$(nproc)" "${rates[@]}" <<'PY'
import json, statistics, sys
p, t, b, cores = (int(x) for x in sys.argv[1:5])
rates = [round(float(x), 2) for x in sys.argv[5:]]
print(json.dumps({"figure": "dist_throughput", "processes": p, "threads_per_process": t, "global_batch": b,
                  "images_per_second": rates, "median": statistics.median(rates), "cores": cores}))
print(f"{p} process(es) x {t} thread(s): {statistics.median(rates):.1f} images/s (median of {rates})",
      file=sys.stderr)
PY
}
measure 1
measure "$nproc"
