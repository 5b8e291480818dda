"""Probability PNGs that say what they are, so a reader never takes one for a 0/1 mask.

An 8-bit probability map of a confident "no smoke" holds only the values 0 and 1 (every pixel under
1.5/255), the same bytes as a grayscale 0/1 mask; `fosp_core.metrics.evaluate.read_prediction` reads a
plain file of 0s and 1s as a mask. `mark_probability` adds a PNG text chunk ``fosp`` =
``probability`` to an encoded PNG (`fosp predict --save prob` writes it); `is_probability_png` and
`PROBABILITY_INFO` tell a reader the file holds probability x 255 (or x 65535), whatever its values.
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

__all__ = ["PROBABILITY_INFO", "is_probability_png", "mark_probability"]

#: The text chunk's (key, value), as Pillow's ``Image.info`` holds it.
PROBABILITY_INFO = ("fosp", "probability")
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_IHDR_END = len(_SIGNATURE) + 4 + 4 + 13 + 4  # length, type, 13 bytes of data, CRC


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def mark_probability(png: bytes) -> bytes:
    """The PNG bytes `png` with a ``tEXt`` chunk ``fosp`` = ``probability`` right after its header
    (ValueError when `png` is not a PNG)."""
    if not png.startswith(_SIGNATURE) or png[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    key, value = PROBABILITY_INFO
    text = _chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1"))
    return png[:_IHDR_END] + text + png[_IHDR_END:]


def is_probability_png(info: dict | str | os.PathLike) -> bool:
    """Whether a PNG says it holds a probability map: `info` is an opened image's ``Image.info``
    or the file's path."""
    if not isinstance(info, dict):
        from PIL import Image

        with Image.open(Path(info)) as im:
            info = dict(im.info)
    key, value = PROBABILITY_INFO
    return info.get(key) == value
