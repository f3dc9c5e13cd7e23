#!/usr/bin/python3
"""Checks MaskSup Studio's weights against PyTorch and the reference code's network classes.

Run with Debian's python3-torch (not a pyenv/venv python without torch):

  # a checkpoint exported by masksup: torch.load, load_state_dict(strict=True), same probabilities
  masksup export-weights --checkpoint best.pt --out model.pth
  masksup predict --checkpoint best.pt --input image.png --out pred/ --save-probabilities
  /usr/bin/python3 scripts/check_pth_export.py check --pth model.pth --model unet --classes 1 \\
      --width 32 --image image.png --probabilities pred/image_prob.npy

  # reference weights for 'masksup import-weights' (random, seeded; BatchNorm statistics settled)
  /usr/bin/python3 scripts/check_pth_export.py save-reference --model levit192 --classes 2 \\
      --image-size 32 --out levit192.pth

The image must be the model's input size (S×S), so that masksup does not resize it; it is fed as
masksup feeds it: RGB, x / 127.5 - 1 in float32. `check` prints one line with the largest
difference of the probabilities (sigmoid for one channel, softmax otherwise) and exits 0 when it is
at most --tolerance (1e-5), 1 otherwise, and 77 when torch, numpy or PIL cannot be imported.

The networks: the reference UNet / NestedUNet of pytorch-nested-unet (scripts/make_pth_fixture.py,
with a configurable base width; NestedUNet's forward is relu(final(x)), --no-relu-logits compares
final(x)) and a re-implementation of LeViT-UNet's LeViT_UNet_128s / _192 / _384
(hasibzunair/masksup-segmentation models/LeViTUNet*.py) with its module structure and so its
state_dict: the transformer is one nn.Sequential "blocks" sliced into block_1..block_3, and the 192
variant keeps "blocks" registered (its state_dict names each transformer tensor twice), the others
delete it; attention biases are gathered into `ab` when the model is put in eval mode.
"""

import argparse
import itertools
import os
import sys

try:
    import numpy as np
    import torch
    from PIL import Image
    from torch import nn
    import torch.nn.functional as F
except ImportError as error:  # the CTest test reports this as skipped
    print("SKIP: %s (install Debian's python3-torch and python3-pil, run /usr/bin/python3)" % error)
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_pth_fixture import NestedUNet, UNet  # noqa: E402

# LeViT specifications (levit.py): C embed dims, D key dim, N heads, X depths.
LEVIT = {
    "levit128s": ((128, 256, 384), 16, (4, 6, 8), (2, 3, 4)),
    "levit192": ((192, 288, 384), 32, (3, 5, 6), (4, 4, 4)),
    "levit384": ((384, 512, 768), 32, (6, 9, 12), (4, 4, 4)),
}


class Conv2d_BN(nn.Sequential):
    def __init__(self, a, b, ks=1, stride=1, pad=0, bn_weight_init=1.0):
        super().__init__()
        self.add_module("c", nn.Conv2d(a, b, ks, stride, pad, bias=False))
        bn = nn.BatchNorm2d(b)
        nn.init.constant_(bn.weight, bn_weight_init)
        nn.init.constant_(bn.bias, 0)
        self.add_module("bn", bn)


class Linear_BN(nn.Sequential):
    def __init__(self, a, b, bn_weight_init=1.0):
        super().__init__()
        self.add_module("c", nn.Linear(a, b, bias=False))
        bn = nn.BatchNorm1d(b)
        nn.init.constant_(bn.weight, bn_weight_init)
        nn.init.constant_(bn.bias, 0)
        self.add_module("bn", bn)

    def forward(self, x):
        linear, bn = self._modules.values()
        x = linear(x)
        return bn(x.flatten(0, 1)).reshape_as(x)


class Residual(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, x):
        return x + self.m(x)  # drop path only acts while training


def bias_index_table(query_points, key_points, stride):
    offsets, idxs = {}, []
    for p1 in query_points:
        for p2 in key_points:
            offset = (abs(p1[0] * stride - p2[0]), abs(p1[1] * stride - p2[1]))
            idxs.append(offsets.setdefault(offset, len(offsets)))
    return torch.LongTensor(idxs).view(len(query_points), len(key_points)), len(offsets)


class CachedBiases(nn.Module):
    """The reference's train(mode): in eval mode the gathered biases are kept in self.ab."""

    def train(self, mode=True):
        super().train(mode)
        if mode and hasattr(self, "ab"):
            del self.ab
        elif not mode:
            with torch.no_grad():
                self.ab = self.attention_biases[:, self.attention_bias_idxs]
        return self

    def biases(self):
        return self.attention_biases[:, self.attention_bias_idxs] if self.training else self.ab


class Attention(CachedBiases):
    def __init__(self, dim, key_dim, num_heads, attn_ratio, resolution):
        super().__init__()
        self.num_heads, self.key_dim = num_heads, key_dim
        self.scale = key_dim ** -0.5
        self.d = attn_ratio * key_dim
        self.dh = self.d * num_heads
        self.qkv = Linear_BN(dim, self.dh + 2 * key_dim * num_heads)
        self.proj = nn.Sequential(nn.Hardswish(), Linear_BN(self.dh, dim, bn_weight_init=0))
        points = list(itertools.product(range(resolution), range(resolution)))
        idxs, count = bias_index_table(points, points, 1)
        self.attention_biases = nn.Parameter(torch.zeros(num_heads, count))
        self.register_buffer("attention_bias_idxs", idxs)

    def forward(self, x):
        b, n, _ = x.shape
        q, k, v = self.qkv(x).view(b, n, self.num_heads, -1).split([self.key_dim, self.key_dim, self.d], dim=3)
        q, k, v = q.permute(0, 2, 1, 3), k.permute(0, 2, 1, 3), v.permute(0, 2, 1, 3)
        attn = ((q @ k.transpose(-2, -1)) * self.scale + self.biases()).softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n, self.dh))


class Subsample(nn.Module):
    def __init__(self, stride, resolution):
        super().__init__()
        self.stride, self.resolution = stride, resolution

    def forward(self, x):
        b, _, c = x.shape
        r = self.resolution
        return x.view(b, r, r, c)[:, :: self.stride, :: self.stride].reshape(b, -1, c)


class AttentionSubsample(CachedBiases):
    def __init__(self, in_dim, out_dim, key_dim, num_heads, attn_ratio, stride, resolution, resolution_):
        super().__init__()
        self.num_heads, self.key_dim = num_heads, key_dim
        self.scale = key_dim ** -0.5
        self.d = attn_ratio * key_dim
        self.dh = self.d * num_heads
        self.resolution_2 = resolution_ ** 2
        nh_kd = key_dim * num_heads
        self.kv = Linear_BN(in_dim, self.dh + nh_kd)
        self.q = nn.Sequential(Subsample(stride, resolution), Linear_BN(in_dim, nh_kd))
        self.proj = nn.Sequential(nn.Hardswish(), Linear_BN(self.dh, out_dim))
        keys = list(itertools.product(range(resolution), range(resolution)))
        queries = list(itertools.product(range(resolution_), range(resolution_)))
        idxs, count = bias_index_table(queries, keys, stride)
        self.attention_biases = nn.Parameter(torch.zeros(num_heads, count))
        self.register_buffer("attention_bias_idxs", idxs)

    def forward(self, x):
        b, n, _ = x.shape
        k, v = self.kv(x).view(b, n, self.num_heads, -1).split([self.key_dim, self.d], dim=3)
        k, v = k.permute(0, 2, 1, 3), v.permute(0, 2, 1, 3)
        q = self.q(x).view(b, self.resolution_2, self.num_heads, self.key_dim).permute(0, 2, 1, 3)
        attn = ((q @ k.transpose(-2, -1)) * self.scale + self.biases()).softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, -1, self.dh))


def mlp(dim, hidden):
    return Residual(nn.Sequential(Linear_BN(dim, hidden), nn.Hardswish(), Linear_BN(hidden, dim, bn_weight_init=0)))


class Conv2dReLU(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class DecoderBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = Conv2dReLU(cin, cout)
        self.conv2 = Conv2dReLU(cout, cout)
        self.up = nn.UpsamplingBilinear2d(scale_factor=2)

    def forward(self, x):
        return self.conv2(self.conv1(self.up(x)))


class LeViTUNet(nn.Module):
    """LeViT_UNet_128s / _192 / _384 (registration order and names as the reference's)."""

    def __init__(self, variant, img_size=224, in_chans=3, num_classes=1):
        super().__init__()
        embed_dim, key_dim, num_heads, depth = LEVIT[variant]
        n = embed_dim[0]
        self.cnn_b1 = nn.Sequential(Conv2d_BN(in_chans, n // 8, 3, 2, 1), nn.Hardswish())
        self.cnn_b2 = nn.Sequential(Conv2d_BN(n // 8, n // 4, 3, 2, 1), nn.Hardswish())
        self.cnn_b3 = nn.Sequential(Conv2d_BN(n // 4, n // 2, 3, 2, 1), nn.Hardswish())
        self.cnn_b4 = nn.Sequential(Conv2d_BN(n // 2, n, 3, 2, 1))
        self.decoderBlock_1 = DecoderBlock(n + sum(embed_dim), 512)
        self.decoderBlock_2 = DecoderBlock(n // 2 + 512, 256)
        self.decoderBlock_3 = DecoderBlock(n // 4 + 256, 128)
        self.segmentation_head = nn.Sequential(
            nn.Conv2d(n // 8 + 128, num_classes, kernel_size=3, padding=1), nn.UpsamplingBilinear2d(scale_factor=2)
        )
        blocks, ends = [], []
        resolution = img_size // 16
        for i in range(3):
            for _ in range(depth[i]):
                blocks.append(Residual(Attention(embed_dim[i], key_dim, num_heads[i], 2, resolution)))
                blocks.append(mlp(embed_dim[i], 2 * embed_dim[i]))
            ends.append(len(blocks))
            if i < 2:  # the shrink to the next stage: key dim D, C[i] / D heads, attn ratio 4, stride 2
                resolution_ = (resolution - 1) // 2 + 1
                blocks.append(
                    AttentionSubsample(
                        embed_dim[i], embed_dim[i + 1], key_dim, embed_dim[i] // key_dim, 4, 2, resolution, resolution_
                    )
                )
                resolution = resolution_
                blocks.append(mlp(embed_dim[i + 1], 2 * embed_dim[i + 1]))
        self.blocks = nn.Sequential(*blocks)
        self.block_1 = self.blocks[0 : ends[0]]
        self.block_2 = self.blocks[ends[0] : ends[1]]
        self.block_3 = self.blocks[ends[1] :]
        if variant != "levit192":  # LeViTUNet192.py leaves `del self.blocks` commented out
            del self.blocks
        self.up = nn.UpsamplingBilinear2d(scale_factor=2)

    @staticmethod
    def to_map(x):
        b, length = x.shape[0], x.shape[1]
        r = int(length ** 0.5)
        return x.reshape(b, r, r, -1).permute(0, 3, 1, 2)

    def forward(self, x):
        x_cnn_1 = self.cnn_b1(x)
        x_cnn_2 = self.cnn_b2(x_cnn_1)
        x_cnn_3 = self.cnn_b3(x_cnn_2)
        x_cnn = self.cnn_b4(x_cnn_3)
        x = self.block_1(x_cnn.flatten(2).transpose(1, 2))
        x_r_1 = self.to_map(x)
        x = self.block_2(x)
        x_r_2_up = self.up(self.to_map(x))
        x = self.block_3(x)
        x_r_3_up = self.up(self.up(self.to_map(x)))
        if x_r_2_up.shape != x_r_3_up.shape:
            x_r_3_up = F.interpolate(x_r_3_up, size=x_r_2_up.shape[2:], mode="bilinear", align_corners=True)
        d = self.decoderBlock_1(torch.cat([x_cnn, torch.cat([x_r_1, x_r_2_up, x_r_3_up], dim=1)], dim=1))
        d = self.decoderBlock_2(torch.cat([d, x_cnn_3], dim=1))
        d = self.decoderBlock_3(torch.cat([d, x_cnn_2], dim=1))
        return self.segmentation_head(torch.cat([d, x_cnn_1], dim=1))


class PreReLU(nn.Module):
    """NestedUNet's final(x) without the forward's ReLU (a model trained without it)."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net.raw_logits(x)


def build(args):
    if args.model == "unet":
        return UNet(num_classes=args.classes, width=args.width)
    if args.model == "unetpp":
        return NestedUNet(num_classes=args.classes, width=args.width)
    return LeViTUNet(args.model, img_size=args.image_size, num_classes=args.classes)


def load_plain_state_dict(path):
    try:
        state_dict = torch.load(path, map_location="cpu", weights_only=True)
    except TypeError:  # a PyTorch before 1.13 has no weights_only
        state_dict = torch.load(path, map_location="cpu")
    if not isinstance(state_dict, dict) or not all(isinstance(v, torch.Tensor) for v in state_dict.values()):
        raise SystemExit("%s: not a plain state_dict of tensors (%s)" % (path, type(state_dict).__name__))
    return state_dict


def check(args):
    torch.set_num_threads(1)
    state_dict = load_plain_state_dict(args.pth)
    model = build(args)
    model.load_state_dict(state_dict, strict=True)
    model.eval()  # after loading: the reference LeViT gathers its attention biases here
    net = PreReLU(model) if args.model == "unetpp" and not args.relu_logits else model
    rgb = np.asarray(Image.open(args.image).convert("RGB"))
    if rgb.shape[0] != rgb.shape[1] or (args.model.startswith("levit") and rgb.shape[0] != args.image_size):
        raise SystemExit("%s: %dx%d, not the model's input size" % (args.image, rgb.shape[1], rgb.shape[0]))
    x = torch.from_numpy(rgb.copy()).permute(2, 0, 1).unsqueeze(0).to(torch.float32).div(127.5).sub(1.0)
    with torch.no_grad():
        logits = net(x)
        p = torch.sigmoid(logits) if logits.shape[1] == 1 else torch.softmax(logits, dim=1)
    ours = torch.from_numpy(np.load(args.probabilities, allow_pickle=False))
    if tuple(ours.shape) != tuple(p.shape[1:]):
        raise SystemExit("shapes differ: PyTorch %s, masksup %s" % (tuple(p.shape[1:]), tuple(ours.shape)))
    delta = (p[0] - ours).abs().max().item()
    ok = delta <= args.tolerance
    print(
        "%s %s: %d tensors loaded with strict=True, max |dp| = %.3g (tolerance %g) %s"
        % (args.model, args.pth, len(state_dict), delta, args.tolerance, "ok" if ok else "FAILED")
    )
    return 0 if ok else 1


def save_reference(args):
    torch.manual_seed(args.seed)
    model = build(args)
    with torch.no_grad():
        for name, tensor in model.named_parameters():
            if name.endswith("attention_biases"):
                tensor.normal_(0, 0.3)
            elif tensor.dim() == 1 and name.endswith("weight"):  # BatchNorm scales (some start at 0)
                tensor.uniform_(0.5, 1.5)
    # A few training-mode passes, so that the BatchNorm running statistics are not the defaults.
    model.train()
    generator = torch.Generator().manual_seed(args.seed + 1)
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(2, 3, args.image_size, args.image_size, generator=generator) * 1.5 + 0.3)
    model.eval()
    torch.save(model.state_dict(), args.out)
    print("%s: %s, %d tensors" % (args.out, args.model, len(model.state_dict())))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("check", "save-reference"):
        p = sub.add_parser(name)
        p.add_argument("--model", required=True, choices=["unet", "unetpp"] + sorted(LEVIT))
        p.add_argument("--classes", type=int, required=True)
        p.add_argument("--width", type=int, default=32, help="unet, unetpp: base width")
        p.add_argument("--image-size", type=int, default=224, help="LeViT: the input size it is built for")
    c = sub.choices["check"]
    c.add_argument("--pth", required=True)
    c.add_argument("--image", required=True)
    c.add_argument("--probabilities", required=True, help="masksup predict --save-probabilities' .npy")
    c.add_argument("--no-relu-logits", dest="relu_logits", action="store_false")
    c.add_argument("--tolerance", type=float, default=1e-5)
    s = sub.choices["save-reference"]
    s.add_argument("--out", required=True)
    s.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    return check(args) if args.command == "check" else save_reference(args)


if __name__ == "__main__":
    sys.exit(main())
