"""The PNG of a video frame's mask, encoded for a save on every commit: the SmokeSeg palette PNG that
:func:`fosp_core.io.masks.encode_mask_png` writes (same pixels, same palette; Pillow, OpenCV and
:func:`~fosp_core.io.masks.read_mask` read it), made without Pillow's copies and per-row filter choice.

Rows go to zlib with PNG filter 0 ("none": a mask is long runs of one index, which deflate's
run-length strategy packs well) in blocks of about 256 KiB through one buffer, so the encoder holds
no copy of the whole mask (Pillow's held two: ``tobytes`` and its own image). On 4K and 4000×3000 masks
it is a little faster than Pillow at zlib level 1, into a file 3-4 times smaller
(bench/bench_video_frame_save.py, docs/benchmarks-video.md).
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

from fosp_core.io.masks import VOC_PALETTE, _check_mask

__all__ = ["encode_frame_mask_png"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PLTE = bytes(VOC_PALETTE[:768]).ljust(768, b"\x00")
_BLOCK_BYTES = 256 * 1024


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_frame_mask_png(mask: np.ndarray, level: int = 1) -> bytes:
    """Palette-PNG bytes of a uint8 (H, W) 0/1/255 mask (index 0 background, 1 smoke, 255 ignore; the
    VOC palette). Raises :class:`~fosp_core.io.masks.MaskWriteError` for another shape, dtype or value,
    as encode_mask_png does. `level`: zlib's, 0-9."""
    mask = _check_mask(mask, "<memory>")
    height, width = mask.shape
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8-bit indices, palette
    packer = zlib.compressobj(level, zlib.DEFLATED, 15, 9, zlib.Z_RLE)
    rows = max(1, _BLOCK_BYTES // (width + 1))
    buffer = np.zeros((min(rows, height), width + 1), np.uint8)  # column 0: each row's filter byte, 0
    parts = []
    for top in range(0, height, rows):
        block = mask[top:top + rows]
        out = buffer[:block.shape[0]]
        out[:, 1:] = block
        parts.append(packer.compress(memoryview(out)))  # leading rows of a C-ordered buffer: contiguous
    parts.append(packer.flush())
    return b"".join((_SIGNATURE, _chunk(b"IHDR", header), _chunk(b"PLTE", _PLTE),
                     _chunk(b"IDAT", b"".join(parts)), _chunk(b"IEND", b"")))
