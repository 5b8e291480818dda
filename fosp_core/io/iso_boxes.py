"""The boxes of an ISO base media file (MP4, MOV, M4V, 3GP): one walker for every reader of them.

A box starts with a 32-bit big-endian size and a four-character type; size 1 means a 64-bit size
follows the type (a 16-byte header), size 0 that the box runs to the end of the file (here: of the
region walked, its parent's content). :func:`read_boxes` lists the boxes directly inside a region and
says why the walk stopped (:class:`Stop`), so a caller that looks for one box and a caller that checks
the file is whole read the same sizes the same way:

* a size smaller than its own header (0-7, or a 64-bit size below 16) is not a box: the walk stops,
  ``Stop.BAD_SIZE``;
* fewer bytes than a header (8, or 16 with a 64-bit size) where a box begins: ``Stop.CUT``;
* a box that claims more than the region holds is listed, its end clipped to the region's:
  ``Stop.OVERRUN`` (the file was cut short, or the size is a lie);
* a box of size 0 ends the walk at the region's end: ``Stop.OPEN``;
* boxes that fill the region exactly: ``Stop.END``.

No box type is special (a ``uuid`` box's extended type is part of its content here).
"""

from __future__ import annotations

import enum
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

__all__ = ["Box", "BoxList", "Stop", "read_boxes"]


class Stop(enum.Enum):
    """Why a walk over a region's boxes ended."""

    END = "end"  # the boxes fill the region exactly
    OPEN = "open"  # the last box has size 0: it runs to the region's end, its true size unknown
    OVERRUN = "overrun"  # the last box claims more bytes than the region holds
    CUT = "cut"  # the region (or the file) ends inside a box header
    BAD_SIZE = "bad size"  # a size smaller than its own header: not boxes, or corrupt


@dataclass(frozen=True)
class Box:
    """One box: its type and byte offsets in the file.

    start: offset of its header; content: offset of its content (start + 8, or + 16 with a 64-bit
    size); end: offset just after it, clipped to the region walked (see ``declared_end``);
    declared_end: start + its size as written (None for size 0: to the end).
    """

    kind: bytes
    start: int
    content: int
    end: int
    declared_end: int | None

    @property
    def content_size(self) -> int:
        """Bytes of content within the region walked."""
        return self.end - self.content


@dataclass(frozen=True)
class BoxList:
    """The boxes directly inside a region, in file order, and why the walk stopped."""

    boxes: tuple[Box, ...]
    stop: Stop

    def __iter__(self) -> Iterator[Box]:
        return iter(self.boxes)

    def __len__(self) -> int:
        return len(self.boxes)

    def of(self, kind: bytes) -> list[Box]:
        """The boxes of type `kind`, in file order."""
        return [b for b in self.boxes if b.kind == kind]

    def first(self, kind: bytes) -> Box | None:
        """The first box of type `kind`, None when there is none."""
        return next((b for b in self.boxes if b.kind == kind), None)


def read_boxes(f: BinaryIO, start: int, end: int) -> BoxList:
    """The boxes directly inside bytes ``start..end`` of the binary file `f` (the whole file: 0 and its
    size; a box's children: ``box.content`` and ``box.end``). Reads only the headers, never past `end`.

    Raises OSError only as reading `f` does."""
    boxes: list[Box] = []
    offset = start
    while offset < end:
        f.seek(offset)
        header = f.read(min(16, end - offset))
        if len(header) < 8:
            return BoxList(tuple(boxes), Stop.CUT)
        size, kind = struct.unpack(">I4s", header[:8])
        header_size = 8
        if size == 1:
            if len(header) < 16:
                return BoxList(tuple(boxes), Stop.CUT)
            size, header_size = struct.unpack(">Q", header[8:16])[0], 16
        elif size == 0:
            boxes.append(Box(kind, offset, offset + 8, end, None))
            return BoxList(tuple(boxes), Stop.OPEN)
        if size < header_size:
            return BoxList(tuple(boxes), Stop.BAD_SIZE)
        declared_end = offset + size
        boxes.append(Box(kind, offset, offset + header_size, min(end, declared_end), declared_end))
        if declared_end > end:
            return BoxList(tuple(boxes), Stop.OVERRUN)
        offset = declared_end
    return BoxList(tuple(boxes), Stop.END)
