#!/usr/bin/env bash
# Tiled vs resized inference and the "annotate next" ranking, measured end to end with the CLI.
#   bench/inference_figures.sh [BUILD_DIR] [WORK_DIR]   (defaults: build, a temporary folder)
# Writes one JSON object per line on stdout (and a summary on stderr):
#   {"figure":"evaluate", "inference":..., "tta":..., "miou":..., "object_f1":..., "seconds_per_image":...}
#   {"figure":"suggest", "images":1000, "inference":..., "seconds":..., "images_per_second":...}
# The dataset: bench/scripts/glas_like.py (GLaS layout, 775x522, seeded; needs python3-numpy and
# python3-pil); a U-Net (width 8) trained at 128x128 for 15 epochs on its 24 train images; testA (8
# images) evaluated. The ranking: 1,000 synthetic 256x256 gland images (masksup synth).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "${1:-$here/../build}" && pwd)"
work="${2:-$(mktemp -d)}"
masksup="$build/bin/masksup"
py=/usr/bin/python3
mkdir -p "$work"
[ -d "$work/glas" ] || "$py" "$here/scripts/glas_like.py" "$work/glas" --train 24 --test 8 --seed 1
if [ ! -f "$work/run/checkpoints/best.pt" ]; then
  "$masksup" train --dataset "$work/glas" --out "$work/run" --model unet --width 8 --image-size 128 \
    --epochs 15 --batch-size 4 --lr 3e-3 --seed 0 --threads 2 --device cpu >&2
fi
ckpt="$work/run/checkpoints/best.pt"
now() { date +%s.%N; }
evaluate() { # label, then evaluate flags
  local t0 t1 json
  t0=$(now)
  json=$("$masksup" evaluate --checkpoint "$ckpt" --dataset "$work/glas" --split testA --json "$@")
  t1=$(now)
  "$py" - "$t0" "$t1" "$*" <<PY
import json, sys
o = json.loads('''$json''')
t0, t1, flags = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
inf = o["inference"]
print(json.dumps({"figure": "evaluate", "flags": flags, "inference": inf["mode"], "scale": inf.get("scale"),
    "tta": inf["tta"], "images": o["images"], "miou": round(o["miou"], 4),
    "object_f1": round(o.get("object_f1", float("nan")), 4), "object_dice": round(o.get("object_dice", float("nan")), 4),
    "seconds_per_image": round((t1 - t0) / o["images"], 3)}))
PY
}
evaluate --inference resize
evaluate --inference resize --tta flip
evaluate --inference tiles --scale 1
evaluate --inference tiles --scale 0.5
evaluate --inference tiles --scale 0.25
evaluate --inference tiles --scale 0.25 --tta flip
[ -d "$work/many" ] || "$masksup" synth --kind glands --count 1000 --size 256 --seed 3 --out "$work/many" >/dev/null
suggest() {
  local t0 t1
  t0=$(now)
  "$masksup" suggest --checkpoint "$ckpt" --dataset "$work/many" --count 10 --json "$@" >/dev/null
  t1=$(now)
  "$py" -c "import json,sys; s=float(sys.argv[2])-float(sys.argv[1]); print(json.dumps({'figure':'suggest','images':1000,'flags':sys.argv[3],'seconds':round(s,2),'images_per_second':round(1000/s,1)}))" "$t0" "$t1" "$*"
}
suggest --inference resize
suggest --inference resize --tta flip
