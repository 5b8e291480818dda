"""Masks saved under the old frame numbering (time x fps before the packet scan was done) or past a cut-short
file's readable end are told, never moved: the numbering stamp in video.json and check_numbering."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from fosp_core.cli import main
from fosp_core.video.numbering_check import check_numbering, frames_text
from fosp_core.video.stream_index import StreamIndex
from fosp_core.video.timeline import NUMBERING, VideoAnnotations

FPS = 12.0
SLOTS = [t for t in range(30) if t not in (10, 11)]  # 12 fps, frames at 10/12 and 11/12 s dropped
GAP_INDEX = StreamIndex((0, 12, 22), tuple(t * 1000.0 / FPS for t in SLOTS))
WHOLE_INDEX = StreamIndex((0, 12, 24), tuple(t * 1000.0 / FPS for t in range(28)))
SHAPE = (8, 10)


def _notes(folder: Path, frames: int = 28) -> VideoAnnotations:
    return VideoAnnotations(folder / "clip.mp4", frames, SHAPE, folder=folder / "state")


def _old_save(folder: Path, masks: list[int], keyframes: list[int] | None = None, frames: int = 28) -> Path:
    """Annotations as saved before the stamp: masks on `masks`, a video.json without frame_numbering."""
    notes = _notes(folder, frames)
    for f in masks:
        notes.save_mask(f, np.ones(SHAPE, np.uint8))
    notes.keyframes = set(keyframes or [])
    notes.save_state()
    state = notes.folder / "video.json"
    data = json.loads(state.read_text())
    del data["frame_numbering"]
    data["from_a_plugin"] = {"kept": True}
    state.write_text(json.dumps(data))
    return state


def test_every_save_stamps_the_numbering_and_keeps_unknown_keys(tmp_path: Path) -> None:
    state = _old_save(tmp_path, [3])
    notes = _notes(tmp_path)
    assert notes.saved_numbering is None  # an old file reads as before
    report = check_numbering(notes, WHOLE_INDEX, FPS, 28)
    assert not report and report.lines() == []  # no gap, nothing past the end: nothing said
    notes.set_keyframe(5)
    data = json.loads(state.read_text())
    assert data["frame_numbering"] == NUMBERING and data["from_a_plugin"] == {"kept": True}
    assert "frames_to_check" not in data and _notes(tmp_path).saved_numbering == NUMBERING


def test_masks_after_a_gap_saved_unstamped_are_told_until_saved_again(tmp_path: Path) -> None:
    state = _old_save(tmp_path, [3, 9, 10, 20, 27])
    notes = _notes(tmp_path)
    report = check_numbering(notes, GAP_INDEX, FPS, 28)
    assert report.moved == (10, 20, 27) and report.past_end == ()  # frame 10 is slot 12's picture now
    assert "saved before 2026-12-06 under another frame numbering" in report.lines()[0]
    assert "3 masks (frames 10, 20, 27)" in report.lines()[0]
    notes.set_keyframe(1)  # any save: stamped, the frames to check kept with it
    assert json.loads(state.read_text())["frames_to_check"] == [10, 20, 27]
    again = _notes(tmp_path)
    assert check_numbering(again, GAP_INDEX, FPS, 28).moved == (10, 20, 27)  # told on every open
    again.save_mask(20, np.zeros(SHAPE, np.uint8))  # the annotator fixed frame 20
    assert check_numbering(_notes(tmp_path), GAP_INDEX, FPS, 28).moved == (10, 27)
    assert all(again.mask_path(f).is_file() for f in (3, 9, 10, 20, 27))  # nothing deleted or moved


def test_stamped_masks_after_a_gap_are_not_suspect(tmp_path: Path) -> None:
    notes = _notes(tmp_path)
    notes.save_mask(20, np.ones(SHAPE, np.uint8))  # saved under display order
    assert not check_numbering(_notes(tmp_path), GAP_INDEX, FPS, 28)


def test_masks_past_a_cut_files_end_are_told_and_kept(tmp_path: Path) -> None:
    state = _old_save(tmp_path, [2, 30, 50, 51, 52, 60, 63], keyframes=[2, 50], frames=64)
    notes = _notes(tmp_path, frames=7)  # the file now reads 7 frames
    report = check_numbering(notes, WHOLE_INDEX, FPS, 7)
    assert report.past_end == (30, 50, 51, 52, 60, 63) and report.moved == ()
    line = report.lines()[0]
    assert "6 masks (frames 30, 50, 51, 52, 60 … (6 in all))" in line and str(notes.mask_folder) in line
    notes.set_keyframe(4)
    data = json.loads(state.read_text())
    assert data["keyframes"] == [2, 4, 50] and 60 in data["edited"]  # marks past the end kept as they were
    assert notes.mask_path(63).is_file()


def test_frames_text() -> None:
    assert frames_text([4]) == "frame 4"
    assert frames_text(list(range(8)), listed=3) == "frames 0, 1, 2 … (8 in all)"


def test_video_export_warns_on_stderr_with_its_exit_code_unchanged(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.cut_clip import cut, write_h264_clip

    clip = cut(write_h264_clip(tmp_path / "whole.mp4", frames=36), tmp_path / "cut.mp4", 0.4)
    from fosp_core.video.reader import open_video, wait_for_index

    reader = open_video(clip, cache_bytes=0, decoders=1)
    try:
        wait_for_index(reader)
        readable, shape = reader.frames_in_file, (reader.meta.height, reader.meta.width)
    finally:
        reader.close()
    assert readable is not None and readable < 30  # the header still counts 36
    notes = VideoAnnotations(clip, 36, shape, folder=tmp_path / "state")
    for f in (1, 30):
        notes.save_mask(f, np.ones(shape, np.uint8))
    code = main(["video", "export", str(clip), str(tmp_path / "out"), "--frames", "edited", "--all-train",
                 "--annotations", str(tmp_path / "state")])
    out, err = capsys.readouterr()
    assert code == 0 and "1 mask (frame 30)" in err and "past the file's readable end" in err
    assert notes.mask_path(30).is_file()
    # the frames chosen are the readable ones (not frame 30, then 'left out' as cut short)
    assert "exported 1 edited frame(s)" in out and "left out" not in out, out
