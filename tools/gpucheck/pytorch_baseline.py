#!/usr/bin/env python3
"""PyTorch baselines for masksup-gpucheck: the same models and the same MaskSup loss as MaskSup
Studio's C++ (core/nn/unet.cpp, core/nn/levit_unet.cpp, core/nn/masksup_loss.cpp), trained in two ways:

  reference-fed   as the reference code feeds data: PNG files decoded with PIL and resized every
                  step, a DataLoader with workers, float32 (the reference code has no mixed precision)
  best-practice   bf16 autocast (CUDA), channels_last, data resident on the device (uint8,
                  normalised there), no host synchronisation per step, fused Adam where available,
                  torch.compile where it works

Writes one JSON (--out) in the style of masksup-gpucheck's report. PyTorch and Pillow only.
Usage: pytorch_baseline.py [--device cuda|cpu] [--quick] [--out FILE.json] [--ours GPUCHECK.json]
"""

import argparse
import collections
import json
import math
import os
import platform
import random
import shutil
import sys
import tempfile
import threading
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

IGNORE = 255
SEED = 20240614


# ----------------------------------------------------------------------------------------------
# Models, ported from core/nn (same module and parameter names, same parameter counts)

class ConvBlock(nn.Module):
    def __init__(self, cin, mid, cout):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, mid, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(mid)
        self.conv2 = nn.Conv2d(mid, cout, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(cout)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(x)))


def up_to(x, like):
    return F.interpolate(x, size=like.shape[2:], mode="bilinear", align_corners=True)


class UNet(nn.Module):
    def __init__(self, cin=3, classes=1, width=32):
        super().__init__()
        f = [width * m for m in (1, 2, 4, 8, 16)]
        self.conv0_0 = ConvBlock(cin, f[0], f[0])
        self.conv1_0 = ConvBlock(f[0], f[1], f[1])
        self.conv2_0 = ConvBlock(f[1], f[2], f[2])
        self.conv3_0 = ConvBlock(f[2], f[3], f[3])
        self.conv4_0 = ConvBlock(f[3], f[4], f[4])
        self.conv3_1 = ConvBlock(f[3] + f[4], f[3], f[3])
        self.conv2_2 = ConvBlock(f[2] + f[3], f[2], f[2])
        self.conv1_3 = ConvBlock(f[1] + f[2], f[1], f[1])
        self.conv0_4 = ConvBlock(f[0] + f[1], f[0], f[0])
        self.final = nn.Conv2d(f[0], classes, 1)

    def forward(self, x):
        x0_0 = self.conv0_0(x)
        x1_0 = self.conv1_0(F.max_pool2d(x0_0, 2, 2))
        x2_0 = self.conv2_0(F.max_pool2d(x1_0, 2, 2))
        x3_0 = self.conv3_0(F.max_pool2d(x2_0, 2, 2))
        x4_0 = self.conv4_0(F.max_pool2d(x3_0, 2, 2))
        x3_1 = self.conv3_1(torch.cat([x3_0, up_to(x4_0, x3_0)], 1))
        x2_2 = self.conv2_2(torch.cat([x2_0, up_to(x3_1, x2_0)], 1))
        x1_3 = self.conv1_3(torch.cat([x1_0, up_to(x2_2, x1_0)], 1))
        x0_4 = self.conv0_4(torch.cat([x0_0, up_to(x1_3, x0_0)], 1))
        return self.final(x0_4)


class UNetPlusPlus(nn.Module):
    def __init__(self, cin=3, classes=1, width=32):
        super().__init__()
        f = [width * m for m in (1, 2, 4, 8, 16)]
        for i in range(5):
            setattr(self, f"conv{i}_0", ConvBlock(cin if i == 0 else f[i - 1], f[i], f[i]))
        for j in range(1, 5):
            for i in range(5 - j):
                setattr(self, f"conv{i}_{j}", ConvBlock(j * f[i] + f[i + 1], f[i], f[i]))
        self.final = nn.Conv2d(f[0], classes, 1)

    def forward(self, x):
        nodes = {}
        for i in range(5):
            nodes[i, 0] = getattr(self, f"conv{i}_0")(x if i == 0 else F.max_pool2d(nodes[i - 1, 0], 2, 2))
            for k in range(i - 1, -1, -1):
                j = i - k
                inputs = [nodes[k, m] for m in range(j)] + [up_to(nodes[k + 1, j - 1], nodes[k, 0])]
                nodes[k, j] = getattr(self, f"conv{k}_{j}")(torch.cat(inputs, 1))
        return self.final(nodes[0, 4])


# LeViT-UNet (core/nn/levit_unet.h describes the layout and the reference it follows).
LEVIT = {
    "levit128s": ((128, 256, 384), 16, (4, 6, 8), (2, 3, 4), 0.0),
    "levit192": ((192, 288, 384), 32, (3, 5, 6), (4, 4, 4), 0.0),
    "levit384": ((384, 512, 768), 32, (6, 9, 12), (4, 4, 4), 0.1),
}


class Conv2dBN(nn.Module):
    def __init__(self, a, b, k, stride, pad, bn_weight_init=1.0):
        super().__init__()
        self.c = nn.Conv2d(a, b, k, stride, pad, bias=False)
        self.bn = nn.BatchNorm2d(b)
        nn.init.constant_(self.bn.weight, bn_weight_init)
        nn.init.zeros_(self.bn.bias)

    def forward(self, x):
        return self.bn(self.c(x))


class LinearBN(nn.Module):
    def __init__(self, a, b, bn_weight_init=1.0):
        super().__init__()
        self.c = nn.Linear(a, b, bias=False)
        self.bn = nn.BatchNorm1d(b)
        nn.init.constant_(self.bn.weight, bn_weight_init)
        nn.init.zeros_(self.bn.bias)

    def forward(self, x):
        y = self.c(x)
        return self.bn(y.flatten(0, 1)).reshape_as(y)


class Subsample(nn.Module):
    def __init__(self, stride, resolution):
        super().__init__()
        self.stride, self.resolution = stride, resolution

    def forward(self, x):
        b, _, c = x.shape
        r = self.resolution
        return x.reshape(b, r, r, c)[:, :: self.stride, :: self.stride].reshape(b, -1, c)


def bias_indices(q_res, k_res, stride):
    offsets = {}
    idxs = []
    for qy in range(q_res):
        for qx in range(q_res):
            for ky in range(k_res):
                for kx in range(k_res):
                    off = (abs(qy * stride - ky), abs(qx * stride - kx))
                    idxs.append(offsets.setdefault(off, len(offsets)))
    return torch.tensor(idxs, dtype=torch.int64).view(q_res * q_res, k_res * k_res), len(offsets)


class Attention(nn.Module):
    def __init__(self, dim, key_dim, heads, attn_ratio, resolution):
        super().__init__()
        self.heads, self.key_dim = heads, key_dim
        self.d = attn_ratio * key_dim
        self.dh = self.d * heads
        self.scale = key_dim ** -0.5
        self.qkv = LinearBN(dim, self.dh + 2 * key_dim * heads)
        self.proj = nn.Sequential(nn.Hardswish(), LinearBN(self.dh, dim, 0.0))
        idxs, n = bias_indices(resolution, resolution, 1)
        self.attention_biases = nn.Parameter(torch.zeros(heads, n))
        self.register_buffer("attention_bias_idxs", idxs)

    def forward(self, x):
        b, n, _ = x.shape
        q, k, v = self.qkv(x).view(b, n, self.heads, -1).split([self.key_dim, self.key_dim, self.d], dim=3)
        q, k, v = q.permute(0, 2, 1, 3), k.permute(0, 2, 1, 3), v.permute(0, 2, 1, 3)
        attn = q @ k.transpose(-2, -1) * self.scale + self.attention_biases[:, self.attention_bias_idxs]
        attn = attn.softmax(-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n, self.dh))


class AttentionSubsample(nn.Module):
    def __init__(self, cin, cout, key_dim, heads, attn_ratio, stride, resolution):
        super().__init__()
        self.heads, self.key_dim = heads, key_dim
        self.d = attn_ratio * key_dim
        self.dh = self.d * heads
        self.scale = key_dim ** -0.5
        self.res_out = (resolution - 1) // stride + 1
        nh_kd = key_dim * heads
        self.kv = LinearBN(cin, self.dh + nh_kd)
        self.q = nn.Sequential(Subsample(stride, resolution), LinearBN(cin, nh_kd))
        self.proj = nn.Sequential(nn.Hardswish(), LinearBN(self.dh, cout))
        idxs, n = bias_indices(self.res_out, resolution, stride)
        self.attention_biases = nn.Parameter(torch.zeros(heads, n))
        self.register_buffer("attention_bias_idxs", idxs)

    def forward(self, x):
        b, n, _ = x.shape
        k, v = self.kv(x).view(b, n, self.heads, -1).split([self.key_dim, self.d], dim=3)
        k, v = k.permute(0, 2, 1, 3), v.permute(0, 2, 1, 3)
        n_out = self.res_out * self.res_out
        q = self.q(x).view(b, n_out, self.heads, self.key_dim).permute(0, 2, 1, 3)
        attn = q @ k.transpose(-2, -1) * self.scale + self.attention_biases[:, self.attention_bias_idxs]
        attn = attn.softmax(-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n_out, self.dh))


class Residual(nn.Module):
    def __init__(self, m, drop):
        super().__init__()
        self.m, self.drop = m, drop

    def forward(self, x):
        y = self.m(x)
        if self.training and self.drop > 0:
            keep = (torch.rand(x.size(0), 1, 1, device=x.device) >= self.drop).to(y.dtype) / (1 - self.drop)
            return x + y * keep
        return x + y


def mlp(dim, hidden):
    return nn.Sequential(LinearBN(dim, hidden), nn.Hardswish(), LinearBN(hidden, dim, 0.0))


def resize(x, h, w):
    if x.shape[2] == h and x.shape[3] == w:
        return x
    return F.interpolate(x, size=(h, w), mode="bilinear", align_corners=True)


def up2(x):
    return resize(x, 2 * x.shape[2], 2 * x.shape[3])


def conv2d_relu(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class DecoderBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = conv2d_relu(cin, cout)
        self.conv2 = conv2d_relu(cout, cout)

    def forward(self, x):
        return self.conv2(self.conv1(up2(x)))


class LeViTUNet(nn.Module):
    def __init__(self, name="levit384", cin=3, classes=1, image_size=224):
        super().__init__()
        embed, key_dim, heads, depth, drop = LEVIT[name]
        self.image_size = image_size
        n = embed[0]
        self.cnn_b1 = nn.Sequential(Conv2dBN(cin, n // 8, 3, 2, 1), nn.Hardswish())
        self.cnn_b2 = nn.Sequential(Conv2dBN(n // 8, n // 4, 3, 2, 1), nn.Hardswish())
        self.cnn_b3 = nn.Sequential(Conv2dBN(n // 4, n // 2, 3, 2, 1), nn.Hardswish())
        self.cnn_b4 = nn.Sequential(Conv2dBN(n // 2, n, 3, 2, 1))
        resolution = image_size // 16
        index = 0
        self.res = []
        for i in range(3):
            stage = collections.OrderedDict()
            dim = embed[i]
            if i > 0:
                shrink = AttentionSubsample(embed[i - 1], dim, key_dim, embed[i - 1] // key_dim, 4, 2, resolution)
                resolution = shrink.res_out
                stage[str(index)] = shrink
                stage[str(index + 1)] = Residual(mlp(dim, 2 * dim), drop)
                index += 2
            for _ in range(depth[i]):
                stage[str(index)] = Residual(Attention(dim, key_dim, heads[i], 2, resolution), drop)
                stage[str(index + 1)] = Residual(mlp(dim, 2 * dim), drop)
                index += 2
            self.res.append(resolution)
            setattr(self, f"block_{i + 1}", nn.Sequential(stage))
        total = sum(embed)
        self.decoderBlock_1 = DecoderBlock(n + total, 512)
        self.decoderBlock_2 = DecoderBlock(n // 2 + 512, 256)
        self.decoderBlock_3 = DecoderBlock(n // 4 + 256, 128)
        self.segmentation_head = nn.Sequential(nn.Conv2d(n // 8 + 128, classes, 3, padding=1))

    def forward(self, x):
        b = x.shape[0]
        x1 = self.cnn_b1(x)
        x2 = self.cnn_b2(x1)
        x3 = self.cnn_b3(x2)
        xc = self.cnn_b4(x3)

        def to_map(t, r):
            return t.reshape(b, r, r, -1).permute(0, 3, 1, 2)

        t = xc.flatten(2).transpose(1, 2)
        t = self.block_1(t)
        xr1 = to_map(t, self.res[0])
        t = self.block_2(t)
        xr2 = up2(to_map(t, self.res[1]))
        t = self.block_3(t)
        xr3 = up2(up2(to_map(t, self.res[2])))
        xr3 = resize(xr3, xr2.shape[2], xr2.shape[3])
        xr2 = resize(xr2, xr1.shape[2], xr1.shape[3])
        xr3 = resize(xr3, xr1.shape[2], xr1.shape[3])
        d = self.decoderBlock_1(torch.cat([xc, xr1, xr2, xr3], 1))
        d = self.decoderBlock_2(torch.cat([d, x3], 1))
        d = self.decoderBlock_3(torch.cat([d, x2], 1))
        return up2(self.segmentation_head(torch.cat([d, x1], 1)))


# The paper presets' models, labelled as masksup-gpucheck labels them.
def paper_models(image_size):
    return [
        ("unet-w16", lambda: UNet(classes=1, width=16), 1, False),
        ("unet-w32", lambda: UNet(classes=1, width=32), 1, False),
        ("unetpp-w32-40cls", lambda: UNetPlusPlus(classes=40, width=32), 40, True),
        ("levit384", lambda: LeViTUNet("levit384", classes=1, image_size=image_size), 1, False),
    ]


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


# ----------------------------------------------------------------------------------------------
# The MaskSup loss and step (core/nn/masksup_loss.cpp)

def segmentation_loss(logits, target):
    if logits.shape[1] == 1:
        valid = (target != IGNORE).unsqueeze(1).to(logits.dtype)
        t = target.clamp(0, 1).unsqueeze(1).to(logits.dtype)
        per_pixel = F.binary_cross_entropy_with_logits(logits, t, reduction="none")
        return (per_pixel * valid).sum() / valid.sum().clamp_min(1.0)
    total = F.cross_entropy(logits, target, ignore_index=IGNORE, reduction="sum")
    return total / (target != IGNORE).sum().clamp_min(1).to(total.dtype)


def probabilities(logits):
    return torch.sigmoid(logits) if logits.shape[1] == 1 else torch.softmax(logits, 1)


def masksup_loss(clean, masked, target):
    seg = segmentation_loss(clean, target)
    context = segmentation_loss(masked, target)
    tasksim = F.mse_loss(probabilities(clean), probabilities(masked))
    return seg + context + tasksim


def make_optimizer(model, sgd, device, fused):
    if sgd:
        return torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    if fused:
        try:
            return torch.optim.Adam(model.parameters(), lr=1e-4, weight_decay=1e-5, fused=True)
        except (TypeError, RuntimeError):
            pass
    return torch.optim.Adam(model.parameters(), lr=1e-4, weight_decay=1e-5)


def train_step(model, optimizer, images, holes, target, autocast_dtype, concat):
    """One MaskSup step: clean and masked (holes → 0, the paper's fill) branches, loss in float32."""
    optimizer.zero_grad(set_to_none=True)
    masked = images * (1.0 - holes)
    ctx = torch.autocast("cuda", dtype=autocast_dtype) if autocast_dtype is not None else _null()
    with ctx:
        if concat:
            both = model(torch.cat([images, masked], 0))
            clean, hole = both[: images.shape[0]], both[images.shape[0]:]
        else:
            clean, hole = model(images), model(masked)
    loss = masksup_loss(clean.float(), hole.float(), target)
    loss.backward()
    optimizer.step()
    return loss


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


# ----------------------------------------------------------------------------------------------
# Data

def hole_mask(size, rng, lo=0.5, hi=0.6):
    """Discs and strokes until the hole ratio reaches a target in (lo, hi] (as masksup-gpucheck)."""
    ys = torch.arange(size, dtype=torch.float32).view(size, 1).expand(size, size)
    xs = torch.arange(size, dtype=torch.float32).view(1, size).expand(size, size)
    mask = torch.zeros(size, size, dtype=torch.bool)
    target = rng.uniform(lo, hi)
    ratio = 0.0
    for _ in range(400):
        if ratio >= target:
            break
        room = max(target - ratio, 0.002)
        rmax = max(1.5, min(size / 6.0, math.sqrt(room * size * size / math.pi) + 1))
        radius = rng.uniform(max(1.0, rmax / 3), rmax)
        ax, ay = rng.uniform(0, size), rng.uniform(0, size)
        if rng.random() < 0.5:
            bx, by = ax, ay
        else:
            angle, length = rng.uniform(0, 2 * math.pi), rng.uniform(size / 8, size / 2)
            bx, by, radius = ax + length * math.cos(angle), ay + length * math.sin(angle), max(1.0, radius / 2)
        dx, dy = bx - ax, by - ay
        len2 = dx * dx + dy * dy
        t = ((xs - ax) * dx + (ys - ay) * dy).div(len2).clamp(0, 1) if len2 > 0 else torch.zeros_like(xs)
        shape = (ax + t * dx - xs) ** 2 + (ay + t * dy - ys) ** 2 <= radius * radius
        nxt = mask | shape
        r = nxt.float().mean().item()
        if r > hi:
            continue
        mask, ratio = nxt, r
    return mask.to(torch.uint8)


def mask_bytes(mask):
    return bytes(mask.flatten().tolist())


def write_png_dataset(folder, count, width, height, classes_max, hole_masks):
    """Synthetic PNGs like natural data (smooth images, blocky label maps, so that they compress as
    real ones do): RGB images, label maps (0..classes_max-1, ~2% void 255), hole masks (0/255)."""
    rng = random.Random(SEED)
    to_class = bytes((i % classes_max) if i < 251 else IGNORE for i in range(256))
    os.makedirs(folder, exist_ok=True)
    sw, sh = max(1, width // 8), max(1, height // 8)
    for i in range(count):
        small = Image.frombytes("RGB", (sw, sh), rng.randbytes(sw * sh * 3))
        small.resize((width, height), Image.BILINEAR).save(os.path.join(folder, f"img{i:04d}.png"))
        lab = Image.frombytes("L", (sw, sh), rng.randbytes(sw * sh).translate(to_class))
        lab.resize((width, height), Image.NEAREST).save(os.path.join(folder, f"lab{i:04d}.png"))
    for j, m in enumerate(hole_masks):
        size = m.shape[-1]
        Image.frombytes("L", (size, size), mask_bytes(m * 255)).save(os.path.join(folder, f"hole{j:04d}.png"))


class PngDataset(torch.utils.data.Dataset):
    """As the reference code reads data: open, decode and resize every sample, every step."""

    def __init__(self, folder, count, size, classes, holes):
        self.folder, self.count, self.size, self.classes, self.holes = folder, count, size, classes, holes

    def __len__(self):
        return self.count

    def __getitem__(self, i):
        s = self.size
        img = Image.open(os.path.join(self.folder, f"img{i:04d}.png")).convert("RGB").resize((s, s), Image.BILINEAR)
        lab = Image.open(os.path.join(self.folder, f"lab{i:04d}.png")).resize((s, s), Image.NEAREST)
        hole = Image.open(os.path.join(self.folder, f"hole{i % self.holes:04d}.png")).resize((s, s), Image.NEAREST)
        image = torch.frombuffer(bytearray(img.tobytes()), dtype=torch.uint8).view(s, s, 3).permute(2, 0, 1)
        image = image.float() / 127.5 - 1.0
        label = torch.frombuffer(bytearray(lab.tobytes()), dtype=torch.uint8).view(s, s).long()
        if self.classes == 1:
            label = torch.where(label == IGNORE, label, label % 2)
        holes = torch.frombuffer(bytearray(hole.tobytes()), dtype=torch.uint8).view(1, s, s).float() / 255.0
        return image, label, holes


# ----------------------------------------------------------------------------------------------
# Measuring

class BusySampler:
    """GPU utilisation via torch.cuda.utilization() (NVML), sampled every 10 ms; None if unavailable."""

    def __init__(self, enabled):
        self.enabled = enabled
        if enabled:
            try:
                torch.cuda.utilization()
            except Exception:
                self.enabled = False

    def start(self):
        self.samples, self.running = [], True
        if self.enabled:
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()

    def _run(self):
        while self.running:
            try:
                self.samples.append(torch.cuda.utilization())
            except Exception:
                return
            time.sleep(0.01)

    def stop(self):
        self.running = False
        if self.enabled:
            self.thread.join()
        return sum(self.samples) / (100.0 * len(self.samples)) if self.samples else None


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def timed_loop(plan, device, busy, step_fn):
    t0 = time.perf_counter()
    for i in range(plan["warmup"]):
        step_fn(i)
    sync(device)
    warm = time.perf_counter() - t0
    busy.start()
    t0 = time.perf_counter()
    steps = 0
    last = None
    while steps < plan["max_steps"] and (steps < plan["min_steps"] or time.perf_counter() - t0 < plan["min_seconds"]):
        last = step_fn(plan["warmup"] + steps)
        steps += 1
    sync(device)
    seconds = time.perf_counter() - t0
    share = busy.stop()
    loss = float(last) if last is not None else None
    return steps, seconds, warm, share, loss


def run_reference(name, make, classes, sgd, batch, plan, device, folder, busy, workers):
    torch.manual_seed(SEED)
    model = make().to(device).train()
    opt = make_optimizer(model, sgd, device, fused=False)
    dataset = PngDataset(folder, plan["files"], plan["image_size"], classes, plan["hole_files"])
    # Workers are started once (persistent), before the busy sampler's thread exists: forking a
    # process that runs threads can deadlock. Every sample is still decoded and resized every step.
    loader = torch.utils.data.DataLoader(dataset, batch_size=batch, shuffle=True, num_workers=workers,
                                         drop_last=True, pin_memory=device.type == "cuda",
                                         persistent_workers=workers > 0)
    state = {"it": iter(loader)}

    def step(_):
        try:
            images, labels, holes = next(state["it"])
        except StopIteration:  # a new epoch, as the reference's loop starts one
            state["it"] = iter(loader)
            images, labels, holes = next(state["it"])
        images, labels, holes = images.to(device), labels.to(device), holes.to(device)
        loss = train_step(model, opt, images, holes, labels, None, False)
        return loss.item()  # the reference logs every step's loss

    steps, seconds, warm, share, loss = timed_loop(plan, device, busy, step)
    return {"model": name, "batch": batch, "image_size": plan["image_size"], "amp": "off", "branches": "separate",
            "data": f"PNG {plan['source_size'][0]}x{plan['source_size'][1]} decoded + resized by PIL every step, "
                    f"DataLoader with {workers} workers (persistent), shuffled, pinned on CUDA",
            "images_per_second": steps * batch / seconds, "step_ms": 1000 * seconds / steps, "timed_steps": steps,
            "timed_seconds": seconds, "warmup_steps": plan["warmup"], "warmup_seconds": warm,
            "gpu_busy_share": share, "last_loss": loss, "parameters": parameter_count(model)}


def run_best(name, make, classes, sgd, batch, plan, device, busy, compile_model):
    torch.manual_seed(SEED)
    model = make().to(device).train()
    cuda = device.type == "cuda"
    model = model.to(memory_format=torch.channels_last)
    opt = make_optimizer(model, sgd, device, fused=cuda)
    g = torch.Generator().manual_seed(SEED + batch)
    n = 4 * batch
    s = plan["image_size"]
    images8 = torch.randint(0, 256, (n, 3, s, s), generator=g, dtype=torch.uint8).to(device)
    labels8 = torch.randint(0, 2 if classes == 1 else classes, (n, s, s), generator=g, dtype=torch.uint8)
    labels8[torch.rand(n, s, s, generator=g) < 0.02] = IGNORE
    labels8 = labels8.to(device)
    rng = random.Random(SEED)
    bank = torch.stack([hole_mask(s, rng) for _ in range(16)])
    holes8 = bank[torch.arange(n) % 16].unsqueeze(1).to(device)
    dtype = torch.bfloat16 if cuda else None
    compiled = None
    fn = model
    if compile_model:
        fn = torch.compile(model)
        compiled = {"compile": "torch.compile (default mode)"}

    def step(i):
        k = (i % 4) * batch
        images = (images8[k:k + batch].float() / 127.5 - 1.0).contiguous(memory_format=torch.channels_last)
        return train_step(fn, opt, images, holes8[k:k + batch].float(), labels8[k:k + batch].long(), dtype, False)

    steps, seconds, warm, share, loss_t = timed_loop(plan, device, busy, step)
    r = {"model": name, "batch": batch, "image_size": s, "amp": "bf16" if cuda else "off (bf16 autocast: CUDA only)",
         "branches": "separate", "data": "resident on the device (uint8), normalised there; no sync per step",
         "channels_last": True, "fused_adam": cuda and not sgd, "torch_compile": bool(compile_model),
         "images_per_second": steps * batch / seconds, "step_ms": 1000 * seconds / steps, "timed_steps": steps,
         "timed_seconds": seconds, "warmup_steps": plan["warmup"], "warmup_seconds": warm,
         "gpu_busy_share": share, "last_loss": float(loss_t) if loss_t is not None else None}
    if compiled:
        r["warmup_includes_compile"] = True
    return r


def make_plan(device, quick):
    if device.type == "cuda":
        p = {"image_size": 224, "batches": [8, 64], "source_size": (512, 384), "warmup": 3,
             "min_steps": 3 if quick else 5, "max_steps": 30 if quick else 60, "min_seconds": 0.4 if quick else 0.6,
             "models": ["unet-w16", "levit384"] if quick else None}
    else:
        p = {"image_size": 64 if quick else 128, "batches": [2] if quick else [4],
             "source_size": (96, 72) if quick else (256, 192), "warmup": 1, "min_steps": 2 if quick else 3,
             "max_steps": 2 if quick else 3, "min_seconds": 0.0, "models": None}
    p["files"] = 4 * max(p["batches"])
    p["hole_files"] = 16
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", choices=["cuda", "cpu"], default=None)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default=None)
    ap.add_argument("--ours", default=None, help="masksup-gpucheck's JSON, to compare parameter counts")
    ap.add_argument("--workers", type=int, default=None, help="DataLoader workers (default: min(8, cores))")
    args = ap.parse_args()
    started = time.perf_counter()
    name = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        print("pytorch_baseline.py: --device cuda, but this PyTorch sees no CUDA GPU; use --device cpu",
              file=sys.stderr)
        return 1
    device = torch.device(name)
    cuda = device.type == "cuda"
    if cuda:
        torch.backends.cudnn.benchmark = True
    torch.set_num_threads(os.cpu_count() or 1)
    plan = make_plan(device, args.quick)
    workers = args.workers if args.workers is not None else min(8, os.cpu_count() or 1)
    busy = BusySampler(cuda)
    has_compile = hasattr(torch, "compile")
    report = {
        "tool": "pytorch_baseline.py",
        "quick": args.quick,
        "machine": {"device": name, "python": platform.python_version(), "torch_version": torch.__version__,
                    "cuda_version": torch.version.cuda, "cpu_count": os.cpu_count(),
                    "gpu": torch.cuda.get_device_name(0) if cuda else None,
                    "gpu_busy_method": ("torch.cuda.utilization() (NVML) sampled every 10 ms" if busy.enabled
                                        else "unavailable") if cuda else None},
        "plan": {k: v for k, v in plan.items() if k != "models"},
        "loss": "masksup: BCE/CE on clean + masked branch (holes -> 0) + MSE of probabilities; float32 loss",
        "torch_compile": ("available" if has_compile else "not available (this PyTorch has no torch.compile)"),
    }
    models = [m for m in paper_models(plan["image_size"]) if plan["models"] is None or m[0] in plan["models"]]
    params = {}
    for label, make, _, _ in models:
        params[label] = parameter_count(make())
    report["parameters"] = params
    if args.ours:
        try:
            with open(args.ours) as f:
                ours = json.load(f).get("parameters", {})
            report["parameters_match"] = {k: {"python": v, "ours": ours.get(k), "equal": ours.get(k) == v}
                                          for k, v in params.items()}
        except (OSError, ValueError) as e:
            report["parameters_match"] = {"error": f"{args.ours}: {e}"}
    print("parameters: " + ", ".join(f"{k} {v:,}" for k, v in params.items()))

    folder = tempfile.mkdtemp(prefix="masksup-gpucheck-png-")
    try:
        t0 = time.perf_counter()
        w, h = plan["source_size"]
        rng = random.Random(SEED)
        masks = [hole_mask(max(w, h), rng) for _ in range(plan["hole_files"])]
        write_png_dataset(folder, plan["files"], w, h, 40, masks)
        report["png_dataset"] = {"images": plan["files"], "size": [w, h], "hole_masks": plan["hole_files"],
                                 "hole_ratio_mean": sum(float(m.float().mean()) for m in masks) / len(masks),
                                 "seconds": time.perf_counter() - t0}
        ref, best = [], []
        print(f"{'model':18} {'batch':>5} {'feed':14} {'images/s':>10} {'step ms':>8} {'busy':>6}")

        def show(r, feed):
            b = r.get("gpu_busy_share")
            print(f"{r['model']:18} {r['batch']:5d} {feed:14} {r['images_per_second']:10.1f} {r['step_ms']:8.1f} "
                  f"{'-' if b is None else f'{100 * b:.0f}%':>6}", flush=True)

        for label, make, classes, sgd in models:
            for batch in plan["batches"]:
                for kind in ("reference", "best", "best-compiled"):
                    try:
                        if kind == "reference":
                            r = run_reference(label, make, classes, sgd, batch, plan, device, folder, busy, workers)
                            ref.append(r)
                        elif kind == "best":
                            r = run_best(label, make, classes, sgd, batch, plan, device, busy, False)
                            best.append(r)
                        else:
                            # torch.compile: CUDA, full run, batch 64 only, and only started within the
                            # first 120 s of this script (compiling takes tens of seconds per model;
                            # the whole check must stay within 8 minutes).
                            if not (has_compile and cuda and not args.quick and batch == max(plan["batches"])):
                                continue
                            if time.perf_counter() - started > 120:
                                best.append({"model": label, "batch": batch, "torch_compile": True,
                                             "skipped": "time budget of the check spent"})
                                continue
                            r = run_best(label, make, classes, sgd, batch, plan, device, busy, True)
                            best.append(r)
                        show(r, kind)
                    except Exception as e:  # out of memory, compile failure: record and go on
                        msg = str(e).split("\n")[0][:300]
                        entry = {"model": label, "batch": batch, "error": msg}
                        (ref if kind == "reference" else best).append(entry)
                        print(f"{label:18} {batch:5d} {kind:14} error: {msg}", flush=True)
                    if cuda:
                        torch.cuda.empty_cache()
        report["reference_fed"] = ref
        report["best_practice"] = best
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report["seconds"] = time.perf_counter() - started
    text = json.dumps(report, indent=2)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
        print(f"report: {args.out}")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
