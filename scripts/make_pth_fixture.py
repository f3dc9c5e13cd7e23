#!/usr/bin/python3
"""Writes the PyTorch weight-import fixtures of tests/tst_import.cpp (tests/data/).

Run with Debian's python3-torch (not a pyenv/venv python):

    sudo apt-get install -y python3-torch
    /usr/bin/python3 scripts/make_pth_fixture.py [OUT_DIR]   # default: tests/data

The networks are the reference code's (pytorch-nested-unet's VGGBlock / UNet / NestedUNet as used by
hasibzunair/masksup-segmentation, models/unetplusplus.py), with a configurable base width so that
the fixtures stay small. Files written:

  unetpp_w4_c3.pth            NestedUNet(num_classes=3), width 4: torch.save(model.state_dict())
  unet_w2_c1.pth              UNet(num_classes=1), width 2, same way
  legacy_format.pth           a tiny state_dict saved in the legacy (non-zip) torch.save format
  input_1x3x64x64.npy         the input both networks were run on (torch.manual_seed(1); randn)
  unetpp_w4_c3_logits.npy     NestedUNet output in eval mode: relu(final(x0_4)), as the reference
  unetpp_w4_c3_raw_logits.npy final(x0_4) without the ReLU (checks the pre-ReLU values too)
  unet_w2_c1_logits.npy       UNet output in eval mode

The .npy files are NumPy format 1.0, little-endian float32, C order. The C++ test needs none of
this script's dependencies.
"""

import os
import sys

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


class VGGBlock(nn.Module):
    def __init__(self, in_channels, middle_channels, out_channels):
        super().__init__()
        self.relu = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(in_channels, middle_channels, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(middle_channels)
        self.conv2 = nn.Conv2d(middle_channels, out_channels, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(out_channels)

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(out)))


def filters(width):
    return [width, 2 * width, 4 * width, 8 * width, 16 * width]


class Encoder(nn.Module):
    """What UNet and NestedUNet share: pooling, upsampling and the backbone column conv0_0..conv4_0,
    made first (as in the reference) so that the seeded weights and the state_dict order match."""

    def __init__(self, input_channels, width):
        super().__init__()
        f = filters(width)
        self.pool = nn.MaxPool2d(2, 2)
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
        self.conv0_0 = VGGBlock(input_channels, f[0], f[0])
        self.conv1_0 = VGGBlock(f[0], f[1], f[1])
        self.conv2_0 = VGGBlock(f[1], f[2], f[2])
        self.conv3_0 = VGGBlock(f[2], f[3], f[3])
        self.conv4_0 = VGGBlock(f[3], f[4], f[4])


class UNet(Encoder):
    def __init__(self, num_classes, input_channels=3, width=32):
        super().__init__(input_channels, width)
        f = filters(width)
        self.conv3_1 = VGGBlock(f[3] + f[4], f[3], f[3])
        self.conv2_2 = VGGBlock(f[2] + f[3], f[2], f[2])
        self.conv1_3 = VGGBlock(f[1] + f[2], f[1], f[1])
        self.conv0_4 = VGGBlock(f[0] + f[1], f[0], f[0])
        self.final = nn.Conv2d(f[0], num_classes, kernel_size=1)

    def forward(self, input):
        x0_0 = self.conv0_0(input)
        x1_0 = self.conv1_0(self.pool(x0_0))
        x2_0 = self.conv2_0(self.pool(x1_0))
        x3_0 = self.conv3_0(self.pool(x2_0))
        x4_0 = self.conv4_0(self.pool(x3_0))
        x3_1 = self.conv3_1(torch.cat([x3_0, self.up(x4_0)], 1))
        x2_2 = self.conv2_2(torch.cat([x2_0, self.up(x3_1)], 1))
        x1_3 = self.conv1_3(torch.cat([x1_0, self.up(x2_2)], 1))
        x0_4 = self.conv0_4(torch.cat([x0_0, self.up(x1_3)], 1))
        return self.final(x0_4)


class NestedUNet(Encoder):
    """U-Net++ without deep supervision; forward returns relu(final(x0_4)) as the reference."""

    def __init__(self, num_classes=1, input_channels=3, width=32):
        super().__init__(input_channels, width)
        f = filters(width)
        self.conv0_1 = VGGBlock(f[0] + f[1], f[0], f[0])
        self.conv1_1 = VGGBlock(f[1] + f[2], f[1], f[1])
        self.conv2_1 = VGGBlock(f[2] + f[3], f[2], f[2])
        self.conv3_1 = VGGBlock(f[3] + f[4], f[3], f[3])
        self.conv0_2 = VGGBlock(f[0] * 2 + f[1], f[0], f[0])
        self.conv1_2 = VGGBlock(f[1] * 2 + f[2], f[1], f[1])
        self.conv2_2 = VGGBlock(f[2] * 2 + f[3], f[2], f[2])
        self.conv0_3 = VGGBlock(f[0] * 3 + f[1], f[0], f[0])
        self.conv1_3 = VGGBlock(f[1] * 3 + f[2], f[1], f[1])
        self.conv0_4 = VGGBlock(f[0] * 4 + f[1], f[0], f[0])
        self.final = nn.Conv2d(f[0], num_classes, kernel_size=1)

    def features(self, input):
        x0_0 = self.conv0_0(input)
        x1_0 = self.conv1_0(self.pool(x0_0))
        x0_1 = self.conv0_1(torch.cat([x0_0, self.up(x1_0)], 1))
        x2_0 = self.conv2_0(self.pool(x1_0))
        x1_1 = self.conv1_1(torch.cat([x1_0, self.up(x2_0)], 1))
        x0_2 = self.conv0_2(torch.cat([x0_0, x0_1, self.up(x1_1)], 1))
        x3_0 = self.conv3_0(self.pool(x2_0))
        x2_1 = self.conv2_1(torch.cat([x2_0, self.up(x3_0)], 1))
        x1_2 = self.conv1_2(torch.cat([x1_0, x1_1, self.up(x2_1)], 1))
        x0_3 = self.conv0_3(torch.cat([x0_0, x0_1, x0_2, self.up(x1_2)], 1))
        x4_0 = self.conv4_0(self.pool(x3_0))
        x3_1 = self.conv3_1(torch.cat([x3_0, self.up(x4_0)], 1))
        x2_2 = self.conv2_2(torch.cat([x2_0, x2_1, self.up(x3_1)], 1))
        x1_3 = self.conv1_3(torch.cat([x1_0, x1_1, x1_2, self.up(x2_2)], 1))
        return self.conv0_4(torch.cat([x0_0, x0_1, x0_2, x0_3, self.up(x1_3)], 1))

    def raw_logits(self, input):
        return self.final(self.features(input))

    def forward(self, input):
        return F.relu(self.raw_logits(input))


def write_npy(path, array):
    np.save(path, np.ascontiguousarray(array, dtype="<f4"), allow_pickle=False)


def settle_batch_norm(model):
    """A couple of training-mode passes so the BatchNorm running statistics are not the defaults."""
    model.train()
    generator = torch.Generator().manual_seed(2)
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(2, 3, 64, 64, generator=generator) * 1.5 + 0.3)
    model.eval()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "tests", "data")
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    torch.manual_seed(1)
    x = torch.randn(1, 3, 64, 64)
    write_npy(os.path.join(out_dir, "input_1x3x64x64.npy"), x.numpy())

    torch.manual_seed(0)
    unetpp = NestedUNet(num_classes=3, width=4)
    settle_batch_norm(unetpp)
    torch.save(unetpp.state_dict(), os.path.join(out_dir, "unetpp_w4_c3.pth"))
    with torch.no_grad():
        write_npy(os.path.join(out_dir, "unetpp_w4_c3_logits.npy"), unetpp(x).numpy())
        write_npy(os.path.join(out_dir, "unetpp_w4_c3_raw_logits.npy"), unetpp.raw_logits(x).numpy())

    torch.manual_seed(0)
    unet = UNet(num_classes=1, width=2)
    settle_batch_norm(unet)
    torch.save(unet.state_dict(), os.path.join(out_dir, "unet_w2_c1.pth"))
    with torch.no_grad():
        write_npy(os.path.join(out_dir, "unet_w2_c1_logits.npy"), unet(x).numpy())

    # The pre-1.6 torch.save format (a pickle stream, not a zip), which the importer must refuse
    # with a hint to re-save.
    legacy = {"final.weight": torch.zeros(1, 4, 1, 1), "final.bias": torch.zeros(1)}
    torch.save(legacy, os.path.join(out_dir, "legacy_format.pth"), _use_new_zipfile_serialization=False)

    for name in sorted(os.listdir(out_dir)):
        print("%-30s %8d bytes" % (name, os.path.getsize(os.path.join(out_dir, name))))


if __name__ == "__main__":
    main()
