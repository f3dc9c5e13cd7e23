#!/usr/bin/env python3
"""Writes the crafted inputs of tests/fuzz/corpus (standard library only).

    python3 tests/fuzz/make_crafted.py [tests/fuzz/corpus]

Each file reproduces one finding of issue 13 (or a nearby one) in a few kilobytes; inputs that
must be big (a pickle nested 100,000 deep) are generated at run time by tst_fuzz_replay and
tst_cli instead. Seeds from real files (tests/data/*.pth) are copied as they are.
"""

import io
import os
import shutil
import struct
import sys
import zipfile
import zlib

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
# A MaskSup Studio checkpoint to derive the damaged ones from (corpus/checkpoint), e.g. the best.pt of
#   masksup train --dataset GLANDS --out RUN --model unet --width 1 --epochs 1 --image-size 32
CHECKPOINT = sys.argv[2] if len(sys.argv) > 2 else None
DATA = os.path.join(os.path.dirname(__file__), "..", "data")


def binint(v):
    if 0 <= v < 256:
        return b"K" + bytes([v])
    if -(2**31) <= v < 2**31:
        return b"J" + struct.pack("<i", v)
    return b"\x8a\x08" + struct.pack("<q", v)


def ustr(s):
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def tensor(key, numel, offset, size, stride, storage="FloatStorage"):
    """torch._utils._rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict())"""
    p = b"ctorch._utils\n_rebuild_tensor_v2\n("
    p += b"(" + ustr("storage") + b"ctorch\n" + storage.encode() + b"\n" + ustr(key) + ustr("cpu") + binint(numel) + b"tQ"
    p += binint(offset) + b"(" + b"".join(binint(s) for s in size) + b"t"
    p += b"(" + b"".join(binint(s) for s in stride) + b"t"
    p += b"\x89ccollections\nOrderedDict\n)Rt" + b"R"
    return p


def state_dict(entries):
    """An OrderedDict of name -> pickled value."""
    p = b"\x80\x02ccollections\nOrderedDict\n)R("
    for name, value in entries:
        p += ustr(name) + value
    return p + b"u."


def pth(name, pkl, records, method=zipfile.ZIP_STORED, patch=None):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr("archive/data.pkl", pkl, compress_type=zipfile.ZIP_STORED)
        z.writestr("archive/byteorder", "little", compress_type=zipfile.ZIP_STORED)
        for rname, data in records:
            z.writestr("archive/data/" + rname, data)
        z.writestr("archive/version", "3\n", compress_type=zipfile.ZIP_STORED)
    data = bytearray(buf.getvalue())
    if patch:
        patch(data)
    write("pth", name, bytes(data))


def write(target, name, data):
    os.makedirs(os.path.join(OUT, target), exist_ok=True)
    with open(os.path.join(OUT, target, name), "wb") as f:
        f.write(data)


floats = struct.pack("<4f", 1, 2, 3, 4)
# final.weight of the reference UNet with 1 class, width 2 (import --model unet --classes 1 --width 2
# --allow-partial writes a checkpoint from it).
W = lambda off=0, numel=4: tensor("0", numel, off, [1, 2, 1, 1], [2, 1, 1, 1])

# A valid one (seed): one tensor of 4 floats.
pth("valid_small.pth", state_dict([("final.weight", W())]), [("0", floats)])
# storage_offset near 2^63: the old extent check overflowed (crash or heap bytes copied).
# (final.weight of a UNet with 1 class, width 2: [1, 2, 1, 1]; imported with --allow-partial the
# old code copied the two floats before the storage's buffer into the checkpoint.)
for i, off in enumerate([2**63 - 1, 2**63 - 2, 2**62, 2**63 - 4 * 2**20]):
    pth("storage_offset_2p63_%d.pth" % i,
        state_dict([("final.weight", tensor("0", 4, off, [1, 2, 1, 1], [2, 1, 1, 1]))]), [("0", floats)])
# sizes × strides overflowing int64.
pth("stride_overflow.pth", state_dict([("w", tensor("0", 4, 0, [2**32, 2**32], [2**40, 1]))]), [("0", floats)])
# a stride-0 view of one element with 2^40 elements (a huge allocation from a tiny file).
pth("stride0_huge.pth", state_dict([("w", tensor("0", 1, 0, [2**20, 2**20], [0, 0]))]), [("0", floats)])
# numel × element size overflowing (the old code allocated numel first).
pth("numel_overflow.pth", state_dict([("w", tensor("0", 2**62, 0, [4], [1]))]), [("0", floats)])
# a record shorter than the storage it declares.
pth("short_record.pth", state_dict([("w", tensor("0", 400, 0, [400], [1]))]), [("0", floats)])
# a record that is missing.
pth("missing_record.pth", state_dict([("w", tensor("7", 4, 0, [4], [1]))]), [("0", floats)])
# a flipped byte in a tensor record (stale CRC): the old import wrote the wrong weight, exit 0.
def flip(data):
    i = bytes(data).index(floats)
    data[i + 1] ^= 0x40
pth("stale_crc.pth", state_dict([("final.weight", W())]), [("0", floats)], patch=flip)
# a deflate bomb: 32 MiB of zeros in 32 KiB; torch.save never compresses.
pth("deflate_bomb.pth", state_dict([("final.weight", W())]), [("0", floats + b"\0" * (32 << 20))],
    method=zipfile.ZIP_DEFLATED)
# LONG_BINPUT with a huge memo key, LONG_BINGET of an undefined one.
pth("memo_huge_index.pth", b"\x80\x02}r\xff\xff\xff\xffj\xfe\xff\xff\xff.", [])
# nested 2,000 deep (the limit is 1,000): lists appended into lists.
pth("deep_nesting_2000.pth", b"\x80\x02" + b"]" * 2000 + b"a" * 1999 + b".", [])
# MARK nested 2,000 deep.
pth("deep_marks_2000.pth", b"\x80\x02" + b"(" * 2000 + b"N.", [])
# pickled code: os.system / builtins.eval are never called.
pth("os_system.pth", b"\x80\x02cos\nsystem\n" + ustr("touch /tmp/masksup-pwned") + b"\x85R.", [])
pth("eval.pth", b"\x80\x02cbuiltins\neval\n" + ustr("__import__('os').system('touch /tmp/masksup-pwned')") + b"\x85R.", [])
# a string longer than the data left.
pth("long_string.pth", b"\x80\x02X\xff\xff\xff\x7fabc.", [])
# a record reaching past the end of the file (central directory patched).
def grow(data):
    cd = bytes(data).rindex(b"PK\x01\x02")
    # the first central record is data.pkl: claim 1 GiB for it
    first = bytes(data).index(b"PK\x01\x02")
    struct.pack_into("<II", data, first + 20, 1 << 30, 1 << 30)
pth("record_past_end.pth", state_dict([("w", tensor("0", 4, 0, [4], [1]))]), [("0", floats)], patch=grow)
# the central directory says 65535 records.
def many(data):
    end = bytes(data).rindex(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 0xFFFF, 0xFFFF)
pth("record_count.pth", state_dict([("w", tensor("0", 4, 0, [4], [1]))]), [("0", floats)], patch=many)

# Raw pickles for the unpickler target.
write("pickle", "state_dict.pkl", state_dict([("w", tensor("0", 4, 0, [4], [1]))]))
write("pickle", "storage_offset_2p63.pkl", state_dict([("w", tensor("0", 4, 2**63 - 2, [4], [1]))]))
write("pickle", "memo_huge_index.pkl", b"\x80\x02}r\xff\xff\xff\xffh\x00.")
write("pickle", "deep_nesting_2000.pkl", b"\x80\x02" + b"]" * 2000 + b"a" * 1999 + b".")
write("pickle", "self_reference.pkl", b"\x80\x02]q\x00h\x00a.")
write("pickle", "long4.pkl", b"\x80\x02\x8b\xff\xff\xff\xff.")

def checkpoint_variants(src):
    """valid_best.pt as it is; stale_crc.pt: one byte of the largest tensor record flipped (its CRC
    now stale); short_record.pt: that record 4 bytes shorter than its storage, with sizes and CRC
    made consistent, so that only the size data.pkl declares tells."""
    data = bytearray(open(src, "rb").read())
    write("checkpoint", "valid_best.pt", bytes(data))
    z = zipfile.ZipFile(io.BytesIO(bytes(data)))
    rec = max((i for i in z.infolist() if "/data/" in i.filename), key=lambda i: i.file_size)
    name_len, extra_len = struct.unpack_from("<HH", data, rec.header_offset + 26)
    start = rec.header_offset + 30 + name_len + extra_len
    stale = bytearray(data)
    stale[start + rec.file_size // 2] ^= 0x01
    write("checkpoint", "stale_crc.pt", bytes(stale))
    short = bytearray(data)
    size = rec.file_size - 4
    crc = zlib.crc32(bytes(short[start:start + size])) & 0xFFFFFFFF
    struct.pack_into("<III", short, rec.header_offset + 14, crc, size, size)
    cd = bytes(short).index(b"PK\x01\x02" , bytes(short).rindex(b"PK\x05\x06") - 0x10000 if len(short) > 0x10000 else 0)
    while True:
        n = struct.unpack_from("<H", short, cd + 28)[0]
        if bytes(short[cd + 46:cd + 46 + n]).decode() == rec.filename:
            break
        m, c = struct.unpack_from("<HH", short, cd + 30)
        cd += 46 + n + m + c
    struct.pack_into("<III", short, cd + 16, crc, size, size)
    write("checkpoint", "short_record.pt", bytes(short))


if CHECKPOINT:
    checkpoint_variants(CHECKPOINT)

# Seeds from real files.
for name in ("unet_w2_c1.pth", "legacy_format.pth"):
    src = os.path.join(DATA, name)
    if os.path.exists(src):
        shutil.copy(src, os.path.join(OUT, "pth", name))
