"""The packet scan of a video (every packet read: an hour of 1080p holds 90,000) ran again at each start of
the app: `fosp_core.video.index_cache` kept its outcome for the process only. It is now kept on disk too
(`fosp_core.video.index_files`, under the user cache): a new process (here: the in-process cache cleared)
takes it without scanning, unless the file changed. Scans are counted, never timed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fosp_core.video import index_cache, index_files
from fosp_core.video.stream_index import scan_stream
from fosp_core.video.testclip import write_clip


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return write_clip(tmp_path / "clip.mp4", frames=30, fps=12.0)


def _scan_in_a_new_process(path: Path) -> tuple[object, int]:
    index_cache.clear()  # what the next run of the app starts with
    before = index_cache.scans_run()
    index = index_cache.shared_scan(path, scan_stream)
    return index, index_cache.scans_run() - before


def test_the_next_run_takes_the_index_from_disk(clip: Path) -> None:
    first, scans = _scan_in_a_new_process(clip)
    assert first is not None and scans == 1
    again, scans = _scan_in_a_new_process(clip)
    assert scans == 0  # before: 1 (scanned at every start)
    assert again == first


def test_a_changed_file_or_a_damaged_index_file_is_scanned(clip: Path, tmp_path: Path) -> None:
    first, _ = _scan_in_a_new_process(clip)
    stat = clip.stat()
    os.utime(clip, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # another version of the file
    _, scans = _scan_in_a_new_process(clip)
    assert scans == 1
    for saved in index_files.index_folder().glob("*.npz"):
        saved.write_bytes(b"not an npz")
    again, scans = _scan_in_a_new_process(clip)
    assert scans == 1 and again == first
