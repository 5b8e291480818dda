"""The two readers of MP4/MOV boxes on the edge cases of box sizes: the "audio only" check
(:func:`fosp_core.io.media_sniff.has_no_video_stream`) and the "file cut short" check
(:func:`fosp_core.video.stream_index.container_is_whole`). Both walk boxes with one walker
(:mod:`fosp_core.io.iso_boxes`); these pin what each says for every way a size can lie."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from fosp_core.io.media_sniff import has_no_video_stream
from fosp_core.video.stream_index import container_is_whole
from tests.conftest import SHARED_DATA
from tests.iso_box_files import FTYP, box, hdlr, large_box, movie

VIDEOS = SHARED_DATA / "videos"
MDAT = box(b"mdat", bytes(64))


def _file(tmp_path: Path, data: bytes, name: str = "clip.mp4") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- has_no_video_stream -----------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "expected"), [
    (FTYP + movie(b"soun") + MDAT, True),
    (FTYP + movie(b"soun", b"vide") + MDAT, False),  # nested: the second track is video
    (FTYP + movie() + MDAT, False),  # no tracks: cannot tell
    (FTYP + MDAT, False),  # no movie box
    (FTYP + box(b"moov", box(b"trak", box(b"tkhd", bytes(84)))), False),  # a track with no media box
], ids=["audio only", "audio and video", "no track", "no moov", "no mdia"])
def test_tracks_and_handlers(tmp_path: Path, data: bytes, expected: bool) -> None:
    assert has_no_video_stream(_file(tmp_path, data)) is expected


@pytest.mark.parametrize(("data", "expected"), [
    (FTYP + movie(b"soun") + box(b"mdat", bytes(64), size=0), True),  # mdat to the end, after moov
    (FTYP + box(b"mdat", bytes(64), size=0) + movie(b"soun"), False),  # mdat to the end swallows moov
    (FTYP + box(b"moov", movie(b"soun")[8:], size=0), True),  # moov to the end of the file
], ids=["mdat last", "mdat first", "moov"])
def test_size_zero_runs_to_the_end(tmp_path: Path, data: bytes, expected: bool) -> None:
    assert has_no_video_stream(_file(tmp_path, data)) is expected


@pytest.mark.parametrize("data", [
    FTYP + large_box(b"mdat", bytes(64)) + movie(b"soun"),  # stepped over by its 64-bit size
    FTYP + large_box(b"moov", movie(b"soun")[8:]),
    FTYP + box(b"moov", box(b"mvhd", bytes(100)), large_box(b"trak", movie(b"soun")[8 + 108 + 8:])),
], ids=["mdat", "moov", "trak"])
def test_size_one_is_a_64_bit_size(tmp_path: Path, data: bytes) -> None:
    assert has_no_video_stream(_file(tmp_path, data)) is True


@pytest.mark.parametrize("data", [
    FTYP + b"\x00\x00\x00",  # fewer bytes than a header
    FTYP + b"\x00\x00\x00\x01mdat\x00\x00",  # a 64-bit size cut in two
    FTYP + box(b"free", size=4) + movie(b"soun"),  # smaller than its header: the walk stops there
    FTYP + large_box(b"free", size=12) + movie(b"soun"),  # a 64-bit size smaller than its 16-byte header
    FTYP + large_box(b"free", size=0) + movie(b"soun"),
], ids=["cut header", "cut 64-bit header", "size 4", "largesize 12", "largesize 0"])
def test_broken_headers_stop_the_walk(tmp_path: Path, data: bytes) -> None:
    assert has_no_video_stream(_file(tmp_path, data)) is False


def test_huge_declared_sizes_are_read_up_to_the_end_of_the_file(tmp_path: Path) -> None:
    """A movie box (or a track in it) that claims more bytes than the file holds: what is there is read."""
    moov = movie(b"soun")
    assert has_no_video_stream(_file(tmp_path, FTYP + box(b"moov", moov[8:], size=10**9))) is True
    assert has_no_video_stream(_file(tmp_path, FTYP + large_box(b"moov", moov[8:], size=2**64 - 1))) is True
    inner = box(b"moov", box(b"mvhd", bytes(100)), box(b"trak", movie(b"soun")[8 + 108 + 8:], size=10**6))
    assert has_no_video_stream(_file(tmp_path, FTYP + inner + MDAT)) is True


def test_a_handler_cut_short_names_no_handler(tmp_path: Path) -> None:
    """A file cut inside the only track's handler box said "the file has no video stream (audio only)":
    the handler type it read was b"" (past the end of the file), which is not b"vide"."""
    whole = FTYP + movie(b"vide")
    cut = whole[:whole.index(hdlr(b"vide")) + 8 + 4]  # the hdlr header and its version, no handler type
    assert has_no_video_stream(_file(tmp_path, cut)) is False
    half = whole[:whole.index(hdlr(b"vide")) + 8 + 8 + 2]  # half of the handler type
    assert has_no_video_stream(_file(tmp_path, half)) is False


@pytest.mark.parametrize("seed", range(40))
def test_garbage_says_nothing_and_raises_nothing(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 600)))
    if seed % 4 == 0:
        data = FTYP + data
    assert has_no_video_stream(_file(tmp_path, data)) in (False, True)
    assert container_is_whole(_file(tmp_path, data)) in (None, False, True)


@pytest.mark.parametrize("data", [b"", bytes(4096), b"\xff" * 4096, b"\x00\x00\x00\x08free" * 300])
def test_degenerate_files(tmp_path: Path, data: bytes) -> None:
    assert has_no_video_stream(_file(tmp_path, data)) is False


# --- container_is_whole ------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "expected"), [
    (FTYP + movie(b"vide") + MDAT, True),
    (FTYP + movie(b"vide") + MDAT + box(b"free"), True),
    (FTYP + movie(b"vide") + large_box(b"mdat", bytes(64)), True),
    (FTYP + movie(b"vide") + MDAT[:-1], False),  # the last box lacks a byte
    (FTYP + movie(b"vide") + box(b"mdat", bytes(64), size=2**32 - 1), False),  # a huge declared size
    (FTYP + movie(b"vide") + large_box(b"mdat", bytes(64), size=2**63), False),
    (FTYP + movie(b"vide") + MDAT + b"\x00\x00\x00", False),  # fewer bytes than a header after the last box
    (FTYP + movie(b"vide") + MDAT + b"\x00\x00\x00\x01mdat", False),  # a 64-bit size cut off
    (FTYP + movie(b"vide") + box(b"mdat", bytes(64), size=0), None),  # to the end: no size to check
    (FTYP + box(b"free", size=4) + movie(b"vide"), None),  # smaller than its header: not boxes
    (FTYP + large_box(b"free", bytes(8), size=12) + movie(b"vide"), None),  # smaller than its 16-byte header
    (FTYP + large_box(b"free", size=0) + movie(b"vide"), None),
], ids=["whole", "free at the end", "64-bit mdat", "last byte missing", "huge size", "huge 64-bit size",
        "cut header", "cut 64-bit header", "mdat size 0", "size 4", "largesize 12", "largesize 0"])
def test_top_level_sizes(tmp_path: Path, data: bytes, expected: bool | None) -> None:
    assert container_is_whole(_file(tmp_path, data)) is expected


def test_only_top_level_sizes_count(tmp_path: Path) -> None:
    """A track inside the movie box that claims more than the movie holds does not make the file cut."""
    moov = box(b"moov", box(b"mvhd", bytes(100)), box(b"trak", bytes(40), size=10**6))
    assert container_is_whole(_file(tmp_path, FTYP + moov + MDAT)) is True


def test_other_first_boxes_are_not_checked(tmp_path: Path) -> None:
    assert container_is_whole(_file(tmp_path, box(b"junk", bytes(16)) + MDAT)) is None
    assert container_is_whole(_file(tmp_path, box(b"moov", bytes(16)) + MDAT)) is True


# --- real videos ---------------------------------------------------------------------------------------

def _real_videos() -> list[Path]:
    return sorted(VIDEOS.glob("*.mp4")) if VIDEOS.is_dir() else []


@pytest.mark.skipif(not _real_videos(), reason=f"needs the shared data folder {SHARED_DATA} (absent in a fresh clone)")
@pytest.mark.parametrize("index", range(2))
def test_real_videos(index: int, tmp_path: Path) -> None:
    videos = _real_videos()
    if index >= len(videos):
        pytest.skip("fewer videos")
    video = videos[index]
    assert has_no_video_stream(video) is False
    assert container_is_whole(video) is True
    cut = tmp_path / "cut.mp4"
    with open(video, "rb") as f:
        cut.write_bytes(f.read(int(os.path.getsize(video) * 0.9)))
    assert container_is_whole(cut) is False
