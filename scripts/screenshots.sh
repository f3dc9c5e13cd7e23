#!/usr/bin/env bash
# Regenerates the README's screenshots (docs/screenshot.png and docs/screenshots/<panel>.png) from
# the real application: a fresh settings folder, the built-in glands sample, a short CPU training,
# then one window capture per panel. Runs under Xvfb when xvfb-run is installed, else with Qt's
# offscreen platform. Usage: scripts/screenshots.sh [EPOCHS] (default 6).
set -euo pipefail
cd "$(dirname "$0")/.."
epochs="${1:-6}"
studio=build/bin/masksup-studio
[ -x "$studio" ] || { echo "build first: scripts/build.sh (or cmake --build build)" >&2; exit 1; }
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
mkdir -p docs/screenshots
run=(env XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home" LANG=C.UTF-8 LANGUAGE=en)
if command -v xvfb-run >/dev/null 2>&1; then
  run+=(QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x820x24")
else
  run+=(QT_QPA_PLATFORM=offscreen)
fi
"${run[@]}" "$studio" --language en --screenshot "docs/screenshots/{tab}.png" \
  --screenshot-tab dataset,annotation,masks,training,training-advanced,prediction,runs,log,errors --screenshot-train "$epochs"
cp docs/screenshots/training.png docs/screenshot.png
echo "screenshots in docs/screenshots/"
