"""Small synthetic ISO-BMFF (MP4/MOV) files for the box walker's tests: boxes built byte by byte,
with sizes that can lie (0 = to the end, 1 = a 64-bit size after the type, too small, too large)."""

from __future__ import annotations

import struct

__all__ = ["FTYP", "box", "hdlr", "large_box", "movie", "trak"]


def box(kind: bytes, *children: bytes, size: int | None = None) -> bytes:
    """A box of `kind` holding `children` (concatenated); `size` overrides the true 32-bit size."""
    body = b"".join(children)
    return struct.pack(">I4s", 8 + len(body) if size is None else size, kind) + body


def large_box(kind: bytes, *children: bytes, size: int | None = None) -> bytes:
    """A box whose 32-bit size is 1 and whose true size (or `size`) follows its type as 64 bits."""
    body = b"".join(children)
    return struct.pack(">I4sQ", 1, kind, 16 + len(body) if size is None else size) + body


def hdlr(handler: bytes) -> bytes:
    """A handler box (full box: version and flags, pre_defined, then the handler type) naming `handler`."""
    return box(b"hdlr", bytes(8), handler, bytes(12), b"name\x00")


def trak(handler: bytes) -> bytes:
    """A track whose media is of `handler` (b"vide", b"soun", ...)."""
    return box(b"trak", box(b"tkhd", bytes(84)), box(b"mdia", box(b"mdhd", bytes(24)), hdlr(handler),
                                                     box(b"minf", box(b"dinf", bytes(8)))))


FTYP = box(b"ftyp", b"isom", bytes(4), b"isomiso2avc1mp41")


def movie(*handlers: bytes) -> bytes:
    """A movie box with one track per handler."""
    return box(b"moov", box(b"mvhd", bytes(100)), *(trak(h) for h in handlers))
