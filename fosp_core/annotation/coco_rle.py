"""COCO run-length encoding, read without pycocotools.

A COCO RLE is ``{"size": [height, width], "counts": ...}``: run lengths over the image taken column
by column (Fortran order), starting with a run of background (0 when the first pixel is smoke).
``counts`` is a list of ints (uncompressed RLE, iscrowd annotations of the original files) or a
string (compressed: the cocoapi's ``rleToString``). Each count of the string is written in groups
of 5 bits, lowest first, each group a character ``48 + bits`` with bit 0x20 set while more groups
follow; the last group's 0x10 bit is the sign. From the fourth count on, the string holds the
difference to the count two places before (the previous run of the same value).
"""

from __future__ import annotations

import numpy as np

__all__ = ["RleError", "decode_counts", "rle_counts"]


class RleError(ValueError):
    """Counts that are no RLE of the size given; the message says why."""


def decode_counts(text: str) -> list[int]:
    """The run lengths of a compressed COCO RLE string (``rleFrString`` of the cocoapi)."""
    counts: list[int] = []
    value, shift, pos = 0, 0, 0
    for pos, char in enumerate(text):
        code = ord(char) - 48
        if not 0 <= code < 64:
            raise RleError(f"character {char!r} at {pos} is not of a compressed RLE")
        value |= (code & 0x1F) << shift
        shift += 5
        if code & 0x20:
            continue
        if code & 0x10:  # negative: sign-extend the groups read
            value -= 1 << shift
        if len(counts) > 2:
            value += counts[-2]
        counts.append(value)
        value, shift = 0, 0
    if shift:
        raise RleError(f"the string ends inside a count (at {pos})")
    return counts


def rle_counts(counts: object, height: int, width: int) -> np.ndarray:
    """Checked run lengths (int64) of a COCO RLE's ``counts`` (a list of ints or a compressed
    string) over a (height, width) image; raises RleError for negative runs or runs that do not
    cover the image exactly."""
    if isinstance(counts, str):
        runs = decode_counts(counts)
    elif isinstance(counts, list) and all(isinstance(c, int) and not isinstance(c, bool) for c in counts):
        runs = counts
    else:
        raise RleError("counts is neither a list of integers nor a compressed string")
    out = np.asarray(runs, np.int64)
    if out.size and out.min() < 0:
        raise RleError(f"a negative run ({int(out.min())})")
    total = int(out.sum())
    if total != height * width:
        raise RleError(f"the runs cover {total} pixels, the size {height}x{width} has {height * width}")
    return out
