#!/usr/bin/env bash
# Installs the Debian packages MaskSup Studio needs, and only those that are missing, on Debian 12
# (bookworm: LibTorch 1.13, Qt 6.4) and Debian 13 (trixie: LibTorch 2.6, Qt 6.8). Idempotent: a
# second run installs nothing. Uses sudo when not run as root.
#   MASKSUP_TORCH=cuda scripts/install-deps.sh   # Debian 13: the CUDA LibTorch (contrib's
#                                                # libtorch-cuda-dev) instead of the CPU one
set -euo pipefail

release=unknown
[ -r /etc/os-release ] && release=$(. /etc/os-release && echo "${ID:-}-${VERSION_ID:-}")
case "$release" in
  debian-12 | debian-13) ;;
  *) echo "install-deps: this is '$release'; the package list is made for Debian 12 and 13, trying it anyway" >&2 ;;
esac
# LibTorch for the build and PyTorch for scripts/gpu-check.sh (and its CTest gpu_check_cpu_quick):
# the PyTorch baseline, and LibTorch's CMake prefix as PyTorch reports it. The CPU and CUDA variants
# conflict with each other, so both come as a pair (python3-torch needs the CPU libtorch2.x).
# Gloo's headers (libgloo-dev, or libgloo-cuda-dev for the CUDA LibTorch) let the build use c10d's
# ProcessGroupGloo for data-parallel training (masksup train --nproc N); NCCL's (libnccl-dev, in
# contrib) its ProcessGroupNCCL on GPUs. libtorch-dev does not depend on them.
torch="libtorch-dev python3-torch libgloo-dev"
if [ "${MASKSUP_TORCH:-cpu}" = cuda ]; then
  if [ "$release" != debian-13 ]; then
    echo "install-deps: MASKSUP_TORCH=cuda needs Debian 13 (libtorch-cuda-dev, in contrib); elsewhere use" \
      "the official LibTorch zip with -DCMAKE_PREFIX_PATH (README, 'NVIDIA GPU')" >&2
    exit 1
  fi
  # TorchConfig.cmake of a CUDA LibTorch looks for the CUDA toolkit (nvcc, headers) at configure time.
  torch="libtorch-cuda-dev nvidia-cuda-toolkit python3-torch-cuda libgloo-cuda-dev libnccl-dev"
fi

PACKAGES=(
  cmake g++ make pkg-config
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev
  libqcustomplot-dev libqcustomplot2.1-qt6
  $torch libopencv-dev
  libmatio-dev
  libbenchmark-dev
  libgl-dev libxkbcommon-dev
  python3-pil
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages are present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: missing packages (${missing[*]}) and not root; run as root or install sudo" >&2
    exit 1
  fi
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
