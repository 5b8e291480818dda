"""The one ISO-BMFF box walker (:func:`fosp_core.io.iso_boxes.read_boxes`): offsets, 64-bit sizes, and
why a walk stops, on small synthetic files and, where present, on the real videos."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from fosp_core.io.iso_boxes import Box, Stop, read_boxes
from tests.conftest import SHARED_DATA
from tests.iso_box_files import FTYP, box, large_box, movie

VIDEOS = SHARED_DATA / "videos"


def _walk(data: bytes, start: int = 0, end: int | None = None) -> tuple[list[tuple[bytes, int, int, int]], Stop]:
    found = read_boxes(io.BytesIO(data), start, len(data) if end is None else end)
    return [(b.kind, b.start, b.content, b.end) for b in found], found.stop


def test_boxes_that_fill_the_file() -> None:
    data = FTYP + box(b"free") + box(b"mdat", bytes(10))
    assert _walk(data) == ([(b"ftyp", 0, 8, 32), (b"free", 32, 40, 40), (b"mdat", 40, 48, 58)], Stop.END)


def test_an_empty_region_has_no_boxes() -> None:
    assert _walk(b"") == ([], Stop.END)
    assert _walk(FTYP, 8, 8) == ([], Stop.END)


def test_size_one_reads_a_64_bit_size_after_the_type() -> None:
    data = large_box(b"mdat", bytes(10)) + box(b"free")
    assert _walk(data) == ([(b"mdat", 0, 16, 26), (b"free", 26, 34, 34)], Stop.END)
    huge = large_box(b"mdat", bytes(10), size=2**64 - 1)
    found = read_boxes(io.BytesIO(huge), 0, len(huge))
    assert found.stop is Stop.OVERRUN and found.boxes == (Box(b"mdat", 0, 16, 26, 2**64 - 1),)


def test_size_zero_runs_to_the_end_of_the_region() -> None:
    data = FTYP + box(b"mdat", bytes(10), size=0) + box(b"free")  # the free box is mdat's content
    found = read_boxes(io.BytesIO(data), 0, len(data))
    assert found.stop is Stop.OPEN
    assert found.boxes[-1] == Box(b"mdat", 32, 40, len(data), None)


@pytest.mark.parametrize(("tail", "stop"), [
    (b"\x00\x00\x00", Stop.CUT),  # fewer bytes than a header
    (b"\x00\x00\x00\x01mdat\x00\x00\x00", Stop.CUT),  # a 64-bit size cut off
    (box(b"free", size=7), Stop.BAD_SIZE),  # smaller than its header
    (large_box(b"free", size=15), Stop.BAD_SIZE),  # smaller than its 16-byte header
    (box(b"mdat", bytes(4), size=100), Stop.OVERRUN),
])
def test_why_a_walk_stops(tail: bytes, stop: Stop) -> None:
    boxes, stopped = _walk(FTYP + tail)
    assert stopped is stop
    assert boxes[0] == (b"ftyp", 0, 8, 32)
    assert len(boxes) == (2 if stop is Stop.OVERRUN else 1)
    if stop is Stop.OVERRUN:
        assert boxes[1] == (b"mdat", 32, 40, 32 + len(tail))  # clipped to the region


def test_a_region_ends_where_its_parent_does() -> None:
    """Children are read within the parent's content, never from the bytes after it."""
    moov = box(b"moov", box(b"mvhd", bytes(4)), box(b"trak", bytes(40), size=1000))
    data = FTYP + moov + box(b"mdat", bytes(64))
    parent = read_boxes(io.BytesIO(data), 0, len(data)).first(b"moov")
    assert parent is not None and (parent.content, parent.end) == (40, 40 + len(moov) - 8)
    children = read_boxes(io.BytesIO(data), parent.content, parent.end)
    assert [b.kind for b in children] == [b"mvhd", b"trak"] and children.stop is Stop.OVERRUN
    assert children.boxes[1].end == parent.end and children.boxes[1].declared_end == children.boxes[1].start + 1000
    # a 64-bit header that does not fit in its parent is cut, even though the file goes on after it
    tight = box(b"moov", b"\x00\x00\x00\x01mdat") + box(b"free", bytes(16))
    inner = read_boxes(io.BytesIO(tight), 8, 16)
    assert inner.boxes == () and inner.stop is Stop.CUT


def test_a_region_past_the_end_of_the_file_is_cut() -> None:
    assert _walk(FTYP, 0, 100) == ([(b"ftyp", 0, 8, 32)], Stop.CUT)


def test_first_and_of_pick_by_type() -> None:
    data = FTYP + movie(b"soun", b"vide")
    moov = read_boxes(io.BytesIO(data), 0, len(data)).first(b"moov")
    assert moov is not None and moov.content_size == len(data) - 32 - 8
    children = read_boxes(io.BytesIO(data), moov.content, moov.end)
    assert len(children.of(b"trak")) == 2 and children.first(b"mvhd") is children.boxes[0]
    assert children.first(b"udta") is None and children.of(b"udta") == []


@pytest.mark.skipif(not VIDEOS.is_dir(), reason=f"needs the shared data folder {SHARED_DATA} (absent in a fresh clone)")
@pytest.mark.parametrize("video", sorted(VIDEOS.glob("*.mp4")) if VIDEOS.is_dir() else [Path("absent.mp4")],
                         ids=lambda p: p.name)
def test_real_videos_walk_to_their_end(video: Path) -> None:
    size = os.path.getsize(video)
    with open(video, "rb") as f:
        top = read_boxes(f, 0, size)
        assert top.stop is Stop.END and top.boxes[-1].end == size
        assert top.boxes[0].kind == b"ftyp" and top.first(b"moov") is not None and top.first(b"mdat") is not None
        moov = top.first(b"moov")
        assert moov is not None
        inside = read_boxes(f, moov.content, moov.end)
        assert inside.stop is Stop.END and inside.of(b"trak")
