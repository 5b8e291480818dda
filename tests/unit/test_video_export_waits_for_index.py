"""`fosp video export` waits for the video's frame index before its first read: on a long file (its packet
scan still running) the reads failed as 'still being indexed' and the frames were reported left out. While
it waits more than a second it says so; Ctrl+C during the wait is an interrupt as anywhere else (130).
Also: the export's choice of frames makes no file-system call for a frame's mask."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.cli import main
from fosp_core.cli import video as cli_video
from fosp_core.data.datasets import open_dataset
from fosp_core.video.export import export_frames
from fosp_core.video.reader import VideoFileReader, open_video
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations
from tests.held_scan import HeldScan

LABELLED = list(range(0, 24, 4))


def _labelled(tmp_path: Path) -> Path:
    """A 2 s clip at 12 fps with masks on LABELLED, kept where the app keeps them."""
    clip = write_clip(tmp_path / "clip.mp4", frames=24, fps=12.0)
    notes = VideoAnnotations(clip, 24, (120, 160))
    mask = np.zeros(notes.shape, np.uint8)
    mask[10:30, 20:50] = 1
    for frame in LABELLED:
        notes.save_mask(frame, mask)
    return clip


def test_export_of_a_video_still_being_indexed_leaves_no_frame_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    clip = _labelled(tmp_path)
    held = HeldScan(monkeypatch)
    waits = held.release_when_waited_for(monkeypatch)
    monkeypatch.setattr(cli_video, "SAY_INDEXING_AFTER_S", 0.0)  # the wait counts as long: it is said
    assert main(["video", "export", str(clip), str(tmp_path / "out"), "--all-train"]) == 0
    out, err = capsys.readouterr()
    assert held.raised == [] and "left out" not in out, out
    assert open_dataset(tmp_path / "out", "train").ids == [f"clip_{f:06d}" for f in LABELLED]
    assert waits and "indexing clip.mp4" in err


def test_ctrl_c_while_waiting_for_the_index_is_an_interrupt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    clip = _labelled(tmp_path)
    HeldScan(monkeypatch)  # never released: the reader's close stops it
    closed: list[Path] = []
    close = VideoFileReader.close
    monkeypatch.setattr(VideoFileReader, "close", lambda r: (closed.append(r.path), close(r))[1])

    def interrupted(_reader: VideoFileReader, _timeout: float = 0.0) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr(VideoFileReader, "wait_indexed", interrupted)
    assert main(["video", "export", str(clip), str(tmp_path / "out")]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert closed == [clip] and not (tmp_path / "out").exists()


def test_choosing_the_frames_to_export_stats_no_mask_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every frame of a long video (--frames every 1) was checked with a stat of its mask file; the
    annotations know which frames have one (VideoAnnotations.has_mask)."""
    clip = _labelled(tmp_path)
    notes = VideoAnnotations(clip, 24, (120, 160))
    checked: list[Path] = []
    is_file = Path.is_file
    monkeypatch.setattr(Path, "is_file", lambda p: (checked.append(p), is_file(p))[1])
    reader = open_video(clip, cache_bytes=0, decoders=1)
    try:
        report = export_frames(reader, notes, range(24), tmp_path / "out", splits=None)
    finally:
        reader.close()
    assert report.frames == LABELLED and {r for _, r in report.skipped} == {"no mask"}
    assert [p for p in checked if p.parent == notes.mask_folder] == []
