#!/usr/bin/env python3
"""Merges masksup-gpucheck's report and pytorch_baseline.py's into one JSON with the ratios and the
issue's goals (scripts/gpu-check.sh runs it). Standard library only.

Usage: merge_report.py OURS.json PYTORCH.json OUT.json [--meta KEY=VALUE ...]
"""

import json
import sys

GOAL_REFERENCE = 5.0  # ours ≥ 5× the reference-fed PyTorch images/s
GOAL_BEST = 0.8  # ours ≥ 0.8× best-practice PyTorch
GOAL_BUSY = 0.9  # GPU busy ≥ 90% of wall time


def ok_runs(runs):
    return [r for r in runs if "images_per_second" in r]


def best_of(runs):
    runs = ok_runs(runs)
    return max(runs, key=lambda r: r["images_per_second"]) if runs else None


def describe(r):
    if r is None:
        return None
    parts = [r.get("amp", ""), r.get("branches", ""), r.get("data", "")]
    if r.get("channels_last"):
        parts.append("channels_last")
    if r.get("torch_compile"):
        parts.append("torch.compile")
    return ", ".join(p for p in parts if p)


def merge(ours, py, meta):
    cuda = ours.get("machine", {}).get("device") == "cuda"
    our_runs = ours.get("throughput", {}).get("runs", [])
    keys = []
    for r in our_runs:
        k = (r["model"], r["batch"])
        if k not in keys:
            keys.append(k)
    ref = py.get("reference_fed", [])
    best = py.get("best_practice", [])
    comparison = []
    for model, batch in keys:
        mine = [r for r in our_runs if r["model"] == model and r["batch"] == batch]
        row = {"model": model, "batch": batch}
        ref_run = best_of([r for r in ref if r.get("model") == model and r.get("batch") == batch])
        bp_run = best_of([r for r in best if r.get("model") == model and r.get("batch") == batch])
        row["reference_fed_images_per_second"] = ref_run and ref_run["images_per_second"]
        row["best_practice_images_per_second"] = bp_run and bp_run["images_per_second"]
        row["best_practice_run"] = describe(bp_run)
        per_precision = {}
        for amp in ("off", "bf16", "fp16"):
            top = best_of([r for r in mine if r.get("amp") == amp])
            if top is None:
                continue
            entry = {"images_per_second": top["images_per_second"], "run": describe(top),
                     "gpu_busy_share": top.get("gpu_busy_share")}
            if ref_run:
                entry["ratio_vs_reference_fed"] = top["images_per_second"] / ref_run["images_per_second"]
            # Best practice trains in bf16 on CUDA, float32 on the CPU: compare like with like.
            if bp_run and (amp == "bf16" or (not cuda and amp == "off")):
                entry["ratio_vs_best_practice"] = top["images_per_second"] / bp_run["images_per_second"]
            per_precision[amp] = entry
        row["ours"] = per_precision
        top = best_of(mine)
        row["ours_best"] = {"images_per_second": top and top["images_per_second"], "run": describe(top),
                            "gpu_busy_share": top and top.get("gpu_busy_share")}
        host = best_of([r for r in mine if r.get("data") == "host"])
        row["ours_host_fed_best"] = {"images_per_second": host and host["images_per_second"], "run": describe(host),
                                     "gpu_busy_share": host and host.get("gpu_busy_share")}
        comparison.append(row)

    goals = {}
    if not cuda:
        note = "not applicable (CPU run: the goals are for an H100)"
        goals = {k: {"status": note} for k in ("reference_fed_5x", "best_practice_0.8x", "gpu_busy_90pct")}
    else:
        def judge(values, threshold, what):
            missing = [k for k, v in values if v is None]
            low = [f"{k}: {v:.2f}" for k, v in values if v is not None and v < threshold]
            if not values or missing:
                return {"status": "not measured", "missing": missing, "threshold": threshold, "what": what}
            return {"status": "met" if not low else "not met", "threshold": threshold, "what": what,
                    "below": low, "values": {k: v for k, v in values}}

        def label(row):
            return f"{row['model']} b{row['batch']}"

        ref_vals, bp_vals, busy_vals = [], [], []
        for row in comparison:
            top = row["ours_best"]["images_per_second"]
            ref_ips = row["reference_fed_images_per_second"]
            bp_ips = row["best_practice_images_per_second"]
            ref_vals.append((label(row), top / ref_ips if top and ref_ips else None))
            bp_vals.append((label(row), top / bp_ips if top and bp_ips else None))
            busy_vals.append((label(row), row["ours_best"]["gpu_busy_share"]))
        goals["reference_fed_5x"] = judge(ref_vals, GOAL_REFERENCE,
                                          "ours (best run) / reference-fed PyTorch, every model and batch")
        goals["best_practice_0.8x"] = judge(bp_vals, GOAL_BEST,
                                            "ours (best run) / best-practice PyTorch (best of eager and compiled)")
        goals["gpu_busy_90pct"] = judge(busy_vals, GOAL_BUSY, "GPU busy share of ours' best run")

    params = {}
    for k, v in ours.get("parameters", {}).items():
        p = py.get("parameters", {}).get(k)
        params[k] = {"ours": v, "pytorch": p, "equal": p == v}
    return {
        "tool": "scripts/gpu-check.sh",
        **meta,
        "device": ours.get("machine", {}).get("device"),
        "quick": ours.get("quick"),
        "correctness_passed": ours.get("correctness_passed"),
        "parameters_equal": all(e["equal"] for e in params.values()) if params else None,
        "parameters": params,
        "goals": goals,
        "comparison": comparison,
        "ours": ours,
        "pytorch": py,
    }


def fmt(v, spec=".1f"):
    return "-" if v is None else format(v, spec)


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    meta = {}
    rest = argv[4:]
    if rest and rest[0] == "--meta":
        for item in rest[1:]:
            k, _, v = item.partition("=")
            try:
                meta[k] = json.loads(v)
            except ValueError:
                meta[k] = v
    with open(argv[1]) as f:
        ours = json.load(f)
    try:
        with open(argv[2]) as f:
            py = json.load(f)
    except (OSError, ValueError) as e:
        py = {"error": f"{argv[2]}: {e}"}
    merged = merge(ours, py, meta)
    with open(argv[3], "w") as f:
        json.dump(merged, f, indent=2)
        f.write("\n")
    print(f"\n{'model':18} {'batch':>5} {'ours best':>10} {'ref-fed':>9} {'best-pr.':>9} {'×ref':>6} {'×best':>6} "
          f"{'busy':>5}  ours' best run")
    for row in merged["comparison"]:
        top = row["ours_best"]["images_per_second"]
        ref = row["reference_fed_images_per_second"]
        bp = row["best_practice_images_per_second"]
        busy = row["ours_best"]["gpu_busy_share"]
        print(f"{row['model']:18} {row['batch']:5d} {fmt(top):>10} {fmt(ref):>9} {fmt(bp):>9} "
              f"{fmt(top / ref if top and ref else None, '.2f'):>6} {fmt(top / bp if top and bp else None, '.2f'):>6} "
              f"{('-' if busy is None else f'{100 * busy:.0f}%'):>5}  {row['ours_best']['run']}")
    print(f"\ncorrectness: {'passed' if merged['correctness_passed'] else 'FAILED'}; parameter counts equal to "
          f"PyTorch's: {merged['parameters_equal']}")
    for k, g in merged["goals"].items():
        print(f"goal {k}: {g['status']}" + (f" (below: {', '.join(g['below'])})" if g.get("below") else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
