#!/usr/bin/env bash
# One-command GPU check: builds the LibTorch-only engine and masksup-gpucheck (CMake option
# MASKSUP_ENGINE_ONLY: no Qt, OpenCV, QCustomPlot, matio or Google Benchmark), runs it and the
# PyTorch baseline (tools/gpucheck/pytorch_baseline.py) on the same device, and writes one JSON with
# both reports, our images/s over each PyTorch way of training, and the issue's goals met or not.
#
#   scripts/gpu-check.sh [--device cuda|cpu] [--quick] [--out FILE.json] [--build-dir DIR]
#
# Needs python3 with torch (and Pillow), CMake, a C++17 compiler; ninja when present, else make.
# LibTorch comes from python3 -c 'import torch; print(torch.utils.cmake_prefix_path)'; where that
# prefix has no TorchConfig.cmake (Debian's python3-torch), the system's LibTorch is used
# (/usr/lib/<arch>/cmake/Torch, Debian's libtorch-dev). Set PYTHON to choose the interpreter.
# Exit codes: 0 done and every correctness check passed, 1 a check failed or a step broke, 2 bad
# command line.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }

DEVICE="" QUICK=0 OUT="" BUILD_DIR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --device) [ $# -ge 2 ] || { echo "gpu-check: --device needs cuda or cpu" >&2; exit 2; }; DEVICE=$2; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --out) [ $# -ge 2 ] || { echo "gpu-check: --out needs a file name" >&2; exit 2; }; OUT=$2; shift 2 ;;
    --build-dir) [ $# -ge 2 ] || { echo "gpu-check: --build-dir needs a folder" >&2; exit 2; }; BUILD_DIR=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "gpu-check: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
case "$DEVICE" in "" | cuda | cpu) ;; *) echo "gpu-check: --device must be cuda or cpu (got '$DEVICE')" >&2; exit 2 ;; esac
BUILD_DIR=${BUILD_DIR:-$ROOT/build-gpucheck}
OUT=${OUT:-$BUILD_DIR/gpu-check.json}
mkdir -p "$BUILD_DIR" "$(dirname "$OUT")"
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
OUT=$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
T_START=$(now)

# A Python with torch: $PYTHON, else python3, else the system's /usr/bin/python3 (Debian's
# python3-torch is installed there, while a python3 earlier on PATH may be another one).
PY=""
for cand in ${PYTHON:-} python3 /usr/bin/python3; do
  if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import torch' >/dev/null 2>&1; then PY=$(command -v "$cand"); break; fi
done
if [ -z "$PY" ]; then
  echo "gpu-check: no python3 with torch found (tried \${PYTHON:-}, python3, /usr/bin/python3). Install PyTorch" \
    "(Debian: apt install python3-torch python3-pil) or set PYTHON=/path/to/python3." >&2
  exit 1
fi
if ! "$PY" -c 'import PIL' >/dev/null 2>&1; then
  echo "gpu-check: $PY has torch but not Pillow (PIL), which the PyTorch baseline needs. Install it" \
    "(Debian: apt install python3-pil; pip: pip install pillow)." >&2
  exit 1
fi
if [ -z "$DEVICE" ]; then
  DEVICE=$("$PY" -c 'import torch; print("cuda" if torch.cuda.is_available() else "cpu")')
fi
if [ "$DEVICE" = cuda ] && ! "$PY" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)'; then
  echo "gpu-check: --device cuda, but $PY's torch ($("$PY" -c 'import torch; print(torch.__version__)')) sees no" \
    "CUDA GPU. Run it on the GPU machine, or use --device cpu." >&2
  exit 1
fi

# LibTorch: PyTorch's own CMake prefix, else the system's.
PREFIX=$("$PY" -c 'import torch; print(torch.utils.cmake_prefix_path)')
TORCH_DIR="" TORCH_FROM=""
if [ -f "$PREFIX/Torch/TorchConfig.cmake" ]; then
  TORCH_DIR=$PREFIX/Torch TORCH_FROM="torch.utils.cmake_prefix_path of $PY"
else
  for d in /usr/lib/*-linux-gnu/cmake/Torch /usr/lib/cmake/Torch /usr/local/lib/cmake/Torch; do
    if [ -f "$d/TorchConfig.cmake" ]; then
      TORCH_DIR=$d TORCH_FROM="the system's LibTorch ($PREFIX has no Torch/TorchConfig.cmake, as Debian's python3-torch)"
      break
    fi
  done
fi
if [ -z "$TORCH_DIR" ]; then
  echo "gpu-check: no TorchConfig.cmake under $PREFIX/Torch nor in /usr/lib/*/cmake/Torch. Install a PyTorch" \
    "that ships it (pip's torch does) or LibTorch (Debian: apt install libtorch-dev)." >&2
  exit 1
fi
echo "gpu-check: python $PY (torch $("$PY" -c 'import torch; print(torch.__version__)')), device $DEVICE"
echo "gpu-check: LibTorch from $TORCH_FROM: $TORCH_DIR"

GEN=()
command -v ninja >/dev/null 2>&1 && GEN=(-G Ninja)
# A build folder configured with another generator cannot be reused: start it afresh.
if [ -f "$BUILD_DIR/CMakeCache.txt" ]; then
  cached=$(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "$BUILD_DIR/CMakeCache.txt")
  want=$([ ${#GEN[@]} -gt 0 ] && echo Ninja || echo "Unix Makefiles")
  [ "$cached" = "$want" ] || rm -rf "$BUILD_DIR/CMakeCache.txt" "$BUILD_DIR/CMakeFiles"
fi
LAUNCHER=()
command -v ccache >/dev/null 2>&1 && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
JOBS=${JOBS:-$(nproc)}

# NCCL's header for the distributed check: pip's PyTorch brings it in the nvidia-nccl wheel.
NCCL=()
nccl_dir=$("$PY" -c 'import nvidia.nccl, os; print(os.path.join(list(nvidia.nccl.__path__)[0], "include"))' 2>/dev/null || true)
[ -n "$nccl_dir" ] && [ -f "$nccl_dir/nccl.h" ] && NCCL=(-DMASKSUP_NCCL_INCLUDE_DIR="$nccl_dir")

T0=$(now)
cmake -S "$ROOT" -B "$BUILD_DIR" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release -DMASKSUP_ENGINE_ONLY=ON \
  -DTorch_DIR="$TORCH_DIR" "${LAUNCHER[@]}" "${NCCL[@]}" >"$BUILD_DIR/configure.log" 2>&1 || {
  tail -30 "$BUILD_DIR/configure.log" >&2
  echo "gpu-check: configuring failed (log: $BUILD_DIR/configure.log)" >&2
  exit 1
}
CONFIGURE_S=$(since "$T0")
grep -h "Distributed training" "$BUILD_DIR/configure.log" | sed 's/^-- /gpu-check: /' || true
T0=$(now)
cmake --build "$BUILD_DIR" -j"$JOBS" --target masksup-gpucheck >"$BUILD_DIR/build.log" 2>&1 || {
  tail -40 "$BUILD_DIR/build.log" >&2
  echo "gpu-check: building masksup-gpucheck failed (log: $BUILD_DIR/build.log)" >&2
  exit 1
}
BUILD_S=$(since "$T0")
echo "gpu-check: configured in ${CONFIGURE_S} s, built masksup-gpucheck in ${BUILD_S} s ($JOBS jobs)"

QUICK_ARG=()
[ "$QUICK" = 1 ] && QUICK_ARG=(--quick)
OURS=$BUILD_DIR/gpucheck-ours.json
PYJSON=$BUILD_DIR/gpucheck-pytorch.json
rm -f "$OURS" "$PYJSON"

T0=$(now)
set +e
"$BUILD_DIR/bin/masksup-gpucheck" --device "$DEVICE" "${QUICK_ARG[@]}" --out "$OURS"
OURS_RC=$?
set -e
OURS_S=$(since "$T0")
if [ ! -s "$OURS" ]; then
  echo "gpu-check: masksup-gpucheck wrote no report (exit code $OURS_RC)" >&2
  exit 1
fi
echo "gpu-check: masksup-gpucheck ran in ${OURS_S} s (exit code $OURS_RC)"

T0=$(now)
set +e
PYTHONUNBUFFERED=1 "$PY" "$ROOT/tools/gpucheck/pytorch_baseline.py" --device "$DEVICE" "${QUICK_ARG[@]}" \
  --ours "$OURS" --out "$PYJSON"
PY_RC=$?
set -e
PY_S=$(since "$T0")
echo "gpu-check: PyTorch baseline ran in ${PY_S} s (exit code $PY_RC)"

TOTAL_S=$(since "$T_START")
"$PY" "$ROOT/tools/gpucheck/merge_report.py" "$OURS" "$PYJSON" "$OUT" --meta \
  "libtorch_dir=$TORCH_DIR" "libtorch_from=$TORCH_FROM" "python=$PY" \
  "times_s={\"configure\": $CONFIGURE_S, \"build\": $BUILD_S, \"masksup_gpucheck\": $OURS_S, \"pytorch_baseline\": $PY_S, \"total\": $TOTAL_S}" \
  "masksup_gpucheck_exit_code=$OURS_RC" "pytorch_baseline_exit_code=$PY_RC"
echo "gpu-check: configure ${CONFIGURE_S} s, build ${BUILD_S} s, masksup-gpucheck ${OURS_S} s, PyTorch ${PY_S} s," \
  "total ${TOTAL_S} s"
echo "gpu-check: report $OUT"
if [ "$OURS_RC" -ne 0 ]; then
  echo "gpu-check: a correctness check FAILED (see \"correctness\" under \"ours\" in $OUT)" >&2
  exit 1
fi
if [ "$PY_RC" -ne 0 ]; then
  echo "gpu-check: the PyTorch baseline failed (exit code $PY_RC); its part of $OUT is missing" >&2
  exit 1
fi
exit 0
