"""A huge but cheap PNG for tests that need a decode to take a while (seconds) without spending
seconds (or gigabytes) to make it.

The pixel rows all carry the same bytes under the Paeth filter (the slowest to undo), and the
deflate stream is one fully flushed block of rows repeated: it is written in a fraction of a
second, while a decoder still has to inflate and unfilter every row.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

_ROWS_PER_BLOCK = 64


def write_big_png(path: Path, width: int, height: int) -> Path:
    """Write an RGB 8-bit PNG of `width` x `height` to `path` (a few MB for 8000 x 8000)."""
    if height % _ROWS_PER_BLOCK:
        raise ValueError(f"height must be a multiple of {_ROWS_PER_BLOCK}")
    row = bytes([4]) + bytes((i * 7) % 251 for i in range(width * 3))  # filter 4 = Paeth
    block = row * _ROWS_PER_BLOCK
    deflate = zlib.compressobj(1, zlib.DEFLATED, -15)  # raw deflate: blocks can be repeated
    body = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)  # no history past this
    repeats = height // _ROWS_PER_BLOCK
    adler = 1
    for _ in range(repeats):
        adler = zlib.adler32(block, adler)
    final = zlib.compressobj(1, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)  # an empty last block
    idat = b"\x78\x01" + body * repeats + final + struct.pack(">I", adler)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path
