#!/usr/bin/python3
"""Writes a GLaS-layout (Warwick QU) folder of synthetic gland images at 775x522, seeded: pink
stroma with many small glands (a dark purple rim of nuclei around a pale lumen), each an instance id
in the 8-bit palettised <name>_anno.bmp, and Grade.csv. Used by bench/inference_figures.sh to compare
resized and tiled inference on images larger than the training size (the real GLaS images are not
in ../shared: see its PROVENANCE.md).

usage: glas_like.py OUT_DIR [--train N] [--test N] [--seed S]
"""
import argparse
import os

import numpy as np
from PIL import Image


def make(rng, w=775, h=522):
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.empty((h, w, 3), np.float32)
    img[...] = (226, 170, 200)
    img += rng.normal(0, 9, (h, w, 1))  # stroma texture
    anno = np.zeros((h, w), np.uint8)
    gid = 0
    for _ in range(rng.integers(25, 45)):
        cx, cy = rng.uniform(20, w - 20), rng.uniform(20, h - 20)
        a, b = rng.uniform(9, 26), rng.uniform(7, 18)
        t = rng.uniform(0, np.pi)
        dx, dy = xx - cx, yy - cy
        u = (dx * np.cos(t) + dy * np.sin(t)) / a
        v = (-dx * np.sin(t) + dy * np.cos(t)) / b
        r = u * u + v * v
        inside = (r <= 1) & (anno == 0)
        if inside.sum() < 40:
            continue
        gid += 1
        anno[inside] = gid
        rim = inside & (r > 0.45)
        img[rim] = (120, 60, 140) + rng.normal(0, 12, (int(rim.sum()), 3))
        lumen = inside & (r <= 0.45)
        img[lumen] = (245, 225, 238) + rng.normal(0, 6, (int(lumen.sum()), 3))
    return np.clip(img, 0, 255).astype(np.uint8), anno


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--train", type=int, default=24)
    p.add_argument("--test", type=int, default=8)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    rows = ["name,patient ID, grade (GlaS), grade (Sirinukunwattana et al. 2015)"]
    names = [f"train_{i}" for i in range(1, a.train + 1)] + [f"testA_{i}" for i in range(1, a.test + 1)]
    for name in names:
        img, anno = make(rng)
        Image.fromarray(img).save(os.path.join(a.out, name + ".bmp"))
        im = Image.fromarray(anno, mode="L").convert("P")
        im.putpalette([v for i in range(256) for v in (i, i, i)])
        im.save(os.path.join(a.out, name + "_anno.bmp"))
        rows.append(f"{name},1, benign, healthy")
    with open(os.path.join(a.out, "Grade.csv"), "w", newline="") as f:
        f.write("\r\n".join(rows))


if __name__ == "__main__":
    main()
