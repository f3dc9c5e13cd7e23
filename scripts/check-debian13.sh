#!/usr/bin/env bash
# Builds and tests MaskSup Studio on Debian 13 (trixie: LibTorch 2.6, Qt 6.8, OpenCV 4.10) inside a
# chroot made with debootstrap, using the project's own scripts/install-deps.sh there.
#
#   scripts/check-debian13.sh                 # CPU LibTorch: build everything, run the whole CTest
#                                             # suite, build the .deb with CPack, install it with apt
#                                             # into a clean trixie root and run it from there
#   scripts/check-debian13.sh --cuda          # CUDA LibTorch (libtorch-cuda-dev, CUDA 12.4): build
#                                             # and link every target (tests that need a GPU skip)
#   scripts/check-debian13.sh --root DIR      # where the roots live (default ~/.cache/masksup-debian13)
#   scripts/check-debian13.sh --skip-tests    # build only (and package, without --cuda)
#
# Needs root (debootstrap, chroot, bind mounts) and the Debian mirror; not part of CI (a first run
# downloads ~1.5 GB, ~5 GB with --cuda, and builds for ~10 minutes on 2 cores). The repository is
# bind-mounted read-only at /src; build folders stay inside the root (/build/cpu, /build/cuda).
# Results and timings go to stdout and to DIR/results-<cpu|cuda>.txt.
#
# --cuda and cuDNN: Debian's libtorch-cuda-2.6 depends on nvidia-cudnn, an installer package that
# downloads cuDNN from NVIDIA while it installs, which fails without that network. For a compile and
# link check the script installs a local placeholder package named nvidia-cudnn instead (it holds
# nothing), and links with -Wl,--allow-shlib-undefined so that libtorch_cuda.so's references to the
# absent libcudnn are not resolved at link time. Every symbol of our own code is still resolved, so
# the check still fails on any missing symbol of ours. Such binaries cannot run; on a GPU machine
# install nvidia-cudnn for real (it needs the network) or use the official LibTorch zip.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
shared="$repo/../shared"
root_dir="${HOME:-/root}/.cache/masksup-debian13"
cuda=0
skip_tests=0
while [ $# -gt 0 ]; do
  case "$1" in
    --cuda) cuda=1 ;;
    --root) root_dir="$2"; shift ;;
    --root=*) root_dir="${1#--root=}" ;;
    --skip-tests) skip_tests=1 ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check-debian13: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$(id -u)" -ne 0 ]; then
  echo "check-debian13: needs root (debootstrap, chroot and bind mounts); run it with sudo" >&2
  exit 2
fi

# The mirror this machine already uses (deb822 or one-line sources), else Debian's own.
mirror=$(grep -hoE '^URIs: *http[^ ]*/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 |
  sed 's/^URIs: *//') || true
[ -n "$mirror" ] || mirror=$(grep -hoE '^deb +http[^ ]*/debian/? ' /etc/apt/sources.list 2>/dev/null |
  head -n1 | awk '{print $2}') || true
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

flavour=cpu
[ "$cuda" -eq 1 ] && flavour=cuda
root="$root_dir/$flavour"
results="$root_dir/results-$flavour.txt"
mkdir -p "$root_dir"
: >"$results"
say() { echo "check-debian13: $*" | tee -a "$results"; }
timed() { # timed LABEL COMMAND...: runs it, records the wall time and the outcome
  local label=$1 t0 rc
  shift
  t0=$(date +%s)
  set +e
  "$@"
  rc=$?
  set -e
  say "$label: $([ $rc -eq 0 ] && echo ok || echo "FAILED (exit $rc)") in $(($(date +%s) - t0)) s"
  return $rc
}

ensure_apt() {
  apt-get -qq update >/dev/null || true
  command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}

make_root() { # make_root DIR: a minimal trixie root with contrib and non-free
  local dir=$1
  [ -x "$dir/usr/bin/apt-get" ] && return 0
  rm -rf "$dir"
  debootstrap --variant=minbase --components=main,contrib,non-free trixie "$dir" "$mirror" >"$dir.debootstrap.log" 2>&1 ||
    { tail -n 20 "$dir.debootstrap.log"; return 1; }
  cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
}

mounts=()
bind() { # bind SRC DST [ro|rec]
  mkdir -p "$2"
  if [ "${3:-}" = rec ]; then mount --rbind "$1" "$2"; else mount --bind "$1" "$2"; fi
  [ "${3:-}" = ro ] && mount -o remount,bind,ro "$2"
  mounts+=("$2")
}
cleanup() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
enter() { # enter ROOT: proc, dev, the repository (read-only) and shared/ inside ROOT
  bind /proc "$1/proc"
  bind /dev "$1/dev" rec # with /dev/pts: tst_cli runs train on a pseudo-terminal
  bind "$repo" "$1/src" ro
  [ -d "$shared" ] && bind "$shared" "$1/shared" ro
  return 0
}
in_root() { # in_root ROOT COMMAND: runs a bash command inside ROOT
  local r=$1
  shift
  chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
    QT_QPA_PLATFORM=offscreen bash -c "$*"
}

say "Debian 13 ($flavour) in $root, mirror $mirror"
ensure_apt
timed "debootstrap trixie" make_root "$root"
enter "$root"

if [ "$cuda" -eq 1 ]; then
  # The placeholder for the cuDNN installer package (see the header), then the CUDA LibTorch.
  # Its version sorts above the archive's (epoch 99) and it is held, so apt never replaces it.
  in_root "$root" 'if [ "$(dpkg-query -W -f="\${Version}" nvidia-cudnn 2>/dev/null)" != "99:0~placeholder" ]; then
      dpkg --purge --force-depends nvidia-cudnn >/dev/null 2>&1
      mkdir -p /tmp/cudnn-placeholder/DEBIAN
      printf "Package: nvidia-cudnn\nVersion: 99:0~placeholder\nArchitecture: amd64\nMaintainer: MaskSup Studio check <none>\nDescription: placeholder so that libtorch-cuda-dev installs offline (check-debian13.sh --cuda)\n" \
        >/tmp/cudnn-placeholder/DEBIAN/control
      dpkg-deb --build /tmp/cudnn-placeholder /tmp/nvidia-cudnn.deb >/dev/null && dpkg -i /tmp/nvidia-cudnn.deb >/dev/null
      apt-mark hold nvidia-cudnn >/dev/null
      dpkg --configure -a >/dev/null 2>&1 || true
    fi'
  timed "install-deps (with libtorch-cuda-dev)" in_root "$root" 'cd /src && MASKSUP_TORCH=cuda scripts/install-deps.sh >/tmp/install-deps.log 2>&1 || { tail -n 30 /tmp/install-deps.log; exit 1; }'
  # The GPU architectures the package was built for, read off the library itself.
  arch=$(in_root "$root" 'cuobjdump --list-elf /usr/lib/x86_64-linux-gnu/libtorch_cuda.so 2>/dev/null |
    grep -oE "sm_[0-9]+a?" | sort -uV | tr "\n" " "; echo "(PTX: $(cuobjdump --list-ptx /usr/lib/x86_64-linux-gnu/libtorch_cuda.so 2>/dev/null |
    grep -oE "sm_[0-9]+a?" | sort -uV | tr "\n" " "))"' || true)
  [ -n "$arch" ] && say "CUDA architectures in libtorch_cuda.so: $arch"
  cmake_extra='-DCMAKE_EXE_LINKER_FLAGS=-Wl,--allow-shlib-undefined -DCMAKE_SHARED_LINKER_FLAGS=-Wl,--allow-shlib-undefined'
else
  timed "install-deps" in_root "$root" 'cd /src && scripts/install-deps.sh >/tmp/install-deps.log 2>&1 || { tail -n 30 /tmp/install-deps.log; exit 1; }'
  cmake_extra=''
fi
in_root "$root" 'dpkg-query -W -f="\${Package} \${Version}\n" libtorch-dev libtorch-cuda-dev qt6-base-dev libopencv-dev g++ cmake 2>/dev/null' |
  sed 's/^/  /' | tee -a "$results"

build=/build/$flavour
timed "configure" in_root "$root" "cmake -S /src -B $build -DCMAKE_BUILD_TYPE=Release -DMASKSUP_SHARED_DIR=/shared $cmake_extra >/tmp/configure.log 2>&1 || { tail -n 40 /tmp/configure.log; exit 1; }"
in_root "$root" "grep -h 'Distributed training' /tmp/configure.log" | sed 's/^-- /  /' | tee -a "$results"
timed "build every target" in_root "$root" "cmake --build $build -j$(nproc) 2>&1 | tee /tmp/build.log | grep -E 'error|warning:' ; test \${PIPESTATUS[0]} -eq 0"
warnings=$(in_root "$root" "grep -c 'warning:' /tmp/build.log" || true)
say "compiler warnings: ${warnings:-0}"

if [ "$skip_tests" -eq 0 ] && [ "$cuda" -eq 1 ] && ! in_root "$root" 'ldconfig -p | grep -q libcudnn'; then
  say "ctest: skipped: cuDNN is the placeholder package here, so no binary linked with libtorch_cuda can load (a compile and link check; see the top of this script)"
  skip_tests=1
fi
if [ "$skip_tests" -eq 0 ]; then
  timed "ctest (whole suite)" in_root "$root" "set -o pipefail; ctest --test-dir $build --output-on-failure -j$(nproc) --timeout 900 2>&1 | tail -n 40"
fi

if [ "$cuda" -eq 0 ]; then
  # The .deb, installed with apt (dependencies from its own Depends) into a clean root.
  in_root "$root" 'apt-get install -y -qq --no-install-recommends dpkg-dev file >/dev/null' # dpkg-shlibdeps
  timed "cpack (.deb)" in_root "$root" "cd $build && cpack -G DEB >/tmp/cpack.log 2>&1 || { tail -n 30 /tmp/cpack.log; exit 1; }"
  deb=$(ls -t "$root$build"/masksup-studio-*.deb | head -n1)
  say "package: $(basename "$deb") ($(du -h "$deb" | cut -f1)); Depends: $(dpkg-deb -f "$deb" Depends | cut -c1-300)…"
  clean="$root_dir/clean"
  rm -rf "$clean" "$clean.debootstrap.log"
  timed "debootstrap clean trixie" make_root "$clean"
  bind /proc "$clean/proc"
  bind /dev "$clean/dev" rec
  cp "$deb" "$clean/tmp/masksup-studio.deb"
  timed "apt install ./masksup-studio.deb" in_root "$clean" 'apt-get -qq update && apt-get install -y -qq --no-install-recommends /tmp/masksup-studio.deb >/tmp/install.log 2>&1 || { tail -n 30 /tmp/install.log; exit 1; }'
  timed "installed: masksup --help" in_root "$clean" 'masksup --help >/dev/null'
  timed "installed: masksup synth + train" in_root "$clean" 'cd /tmp && masksup synth --kind glands --count 8 --size 64 --seed 1 --out /tmp/g >/dev/null &&
    masksup train --dataset /tmp/g --model unet --width 8 --epochs 1 --batch-size 4 --image-size 64 --device cpu --out /tmp/run | tail -n 3'
  timed "installed: masksup-studio --help" in_root "$clean" 'masksup-studio --help >/dev/null'
fi
say "done; results in $results"
