"""What an image file's bytes and header say before (or instead of) decoding it: whether a JPEG's
scan ends, whether a PNG's EXIF follows its pixels, how many bits its samples have. Helpers of
:mod:`fosp_core.io.images`."""

from __future__ import annotations

import struct

from PIL import Image


def png_has_late_exif(im: Image.Image) -> bool:
    """An eXIf chunk after the first IDAT (chunk headers read from `im.fp`, no decode)."""
    fp = im.fp
    if fp is None or not im.tile:
        return False
    pos = im.tile[0][2] - 8  # the first IDAT chunk's header
    while True:
        fp.seek(pos)
        header = fp.read(8)
        if len(header) < 8:
            return False
        length, kind = struct.unpack(">I4s", header)
        if kind == b"eXIf":
            return True
        if kind == b"IEND":
            return False
        pos += 12 + length


def sample_bits(im: Image.Image) -> int:
    """16 when the file's samples are 16-bit (Pillow's raw mode says ``;16``), else 8."""
    for tile in im.tile:
        args = tile[3]
        raw_mode = args if isinstance(args, str) else args[0] if isinstance(args, tuple) and args else None
        if isinstance(raw_mode, str) and ";16" in raw_mode:
            return 16
    return 8


def jpeg_scan_ends(data: bytes) -> bool:
    """False when no end-of-image marker follows the start of the first scan.

    The segments before the scan (APPn - an EXIF thumbnail is a whole JPEG -, COM, tables ...)
    carry their length and are stepped over; in the entropy-coded data after it a 0xFF byte is
    always followed by 0x00 or a restart marker, so 0xFF 0xD9 there is the end of the image. A
    file whose end was replaced by zeros has none; data after the marker (phones add some) is fine.
    """
    pos, size = 2, len(data)
    while pos + 4 <= size:
        if data[pos] != 0xFF:
            return True  # not a marker where one belongs: the decoder will say what is wrong
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
        elif marker == 0xDA:  # start of scan
            return data.find(b"\xff\xd9", pos) != -1
        elif 0xD0 <= marker <= 0xD8 or marker == 0x01:  # markers without a length
            pos += 2
        else:
            pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
    return False
