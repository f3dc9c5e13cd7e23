#!/usr/bin/env bash
# Disk full, for real: trains into a 3 MB tmpfs, fills it, resumes, and checks that masksup stops
# cleanly (exit 1, never a signal) naming the file and the free space, with last.pt still loadable
# and metrics.jsonl / config.json intact. Then the same folder read-only. Needs root (mount); the
# CTest tst_diskfull does the same where mount is permitted and otherwise uses RLIMIT_FSIZE.
#   scripts/check-disk-full.sh [path/to/masksup]     (default: build/bin/masksup)
set -euo pipefail
cd "$(dirname "$0")/.."
M="$(realpath "${1:-build/bin/masksup}")"
W="$(mktemp -d)"
FS="$W/fs"
mkdir -p "$FS"
cleanup() { umount "$FS" 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mount -t tmpfs -o size=3m tmpfs "$FS" || { echo "SKIP: mounting a tmpfs is not permitted here"; exit 0; }
"$M" synth --kind glands --count 8 --size 64 --seed 2 --out "$W/data" > /dev/null
"$M" train --dataset "$W/data" --out "$FS/run" --width 4 --image-size 32 --batch-size 3 --epochs 1 \
    --device cpu --threads 1 > /dev/null 2>&1 || fail "the first epoch did not train"
cp "$FS/run/config.json" "$W/config.before"
cp "$FS/run/checkpoints/last.pt" "$W/last.before"
# Fill the filesystem, leaving less than a checkpoint.
avail=$(df -B1 --output=avail "$FS" | tail -1)
keep=$(( $(stat -c %s "$FS/run/checkpoints/last.pt") / 2 ))
head -c $(( avail > keep ? avail - keep : 0 )) /dev/zero > "$FS/filler" 2>/dev/null || true

check_stopped() { # $1: what the message must contain
    local code=0
    "$M" train --resume "$FS/run" --epochs 3 > "$W/out" 2> "$W/err" || code=$?
    [ "$code" -eq 1 ] || { cat "$W/err" >&2; fail "exit code $code, expected 1"; }
    grep -q "$1" "$W/err" || { cat "$W/err" >&2; fail "the message does not say '$1'"; }
    grep -q " free of .* on $FS" "$W/err" || { cat "$W/err" >&2; fail "the message does not give the free space"; }
    cmp -s "$FS/run/checkpoints/last.pt" "$W/last.before" || fail "last.pt changed"
    "$M" evaluate --checkpoint "$FS/run/checkpoints/last.pt" --dataset "$W/data" --json > /dev/null \
        || fail "last.pt does not load"
    python3 - "$FS/run/metrics.jsonl" "$FS/run/config.json" <<'PY' || fail "metrics.jsonl or config.json damaged"
import json, sys
lines = [l for l in open(sys.argv[1]).read().split("\n") if l.strip()]
assert [json.loads(l)["epoch"] for l in lines][:1] == [1], lines
json.load(open(sys.argv[2]))
PY
    sed 's/^/  /' "$W/err" | tail -1
}
echo "full disk:"
check_stopped "No space left on device"
echo "read-only folder:"
rm -f "$FS/filler"
mount -o remount,ro "$FS"
check_stopped "Read-only file system"
echo "OK"
