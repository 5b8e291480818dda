"""`fosp video export`: the command line's way to a video's labelled frames, split by time as the
app's dialog splits them (there was no command at all: a video's labels reached SmokeSeg only through
the app, and only with every frame in train)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.cli import main
from fosp_core.data.datasets import open_dataset
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations


def _labelled(tmp_path: Path, frames: list[int], keyframes: list[int] = ()) -> Path:
    """A 4 s clip at 12 fps with masks on `frames`, kept where the app keeps them."""
    clip = write_clip(tmp_path / "clip.mp4", frames=48, fps=12.0)
    notes = VideoAnnotations(clip, 48, (120, 160))
    mask = np.zeros(notes.shape, np.uint8)
    mask[10:30, 20:50] = 1
    for frame in frames:
        notes.save_mask(frame, mask)
    for frame in keyframes:
        notes.set_keyframe(frame)
    return clip


def test_export_splits_by_time_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clip = _labelled(tmp_path, list(range(0, 48, 4)))
    assert main(["video", "export", str(clip), str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    val = open_dataset(tmp_path / "out", "val").ids
    train = open_dataset(tmp_path / "out", "train").ids
    assert val == ["clip_000040", "clip_000044"] and train[-1] == "clip_000028"
    assert "train 8, val 2" in out and "2 left out as the gap" in out


def test_all_train_share_and_gap_are_chosen_by_flags(tmp_path: Path) -> None:
    clip = _labelled(tmp_path, list(range(0, 48, 4)), keyframes=[0, 20, 44])
    assert main(["video", "export", str(clip), str(tmp_path / "a"), "--frames", "edited", "--all-train"]) == 0
    assert len(open_dataset(tmp_path / "a", "train")) == 12
    assert not (tmp_path / "a" / "ImageSets" / "Segmentation" / "val.txt").exists()
    assert main(["video", "export", str(clip), str(tmp_path / "b"), "--frames", "edited",
                 "--split", "0.5,0.5", "--gap", "0"]) == 0
    assert len(open_dataset(tmp_path / "b", "val")) == 6
    assert main(["video", "export", str(clip), str(tmp_path / "c")]) == 0  # keyframes, as the dialog
    assert open_dataset(tmp_path / "c").ids == ["clip_000000", "clip_000020", "clip_000044"]
    assert open_dataset(tmp_path / "c", "val").ids == ["clip_000044"]


def test_too_few_frames_export_all_in_train_and_say_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clip = _labelled(tmp_path, [7])
    assert main(["video", "export", str(clip), str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "no val split" in out and "every frame is in train" in out
    assert open_dataset(tmp_path / "out", "train").ids == ["clip_000007"]


@pytest.mark.parametrize(("flags", "code", "said"), [
    (["--split", "0.8"], 2, "--split wants 2 or 3 non-negative ratios"),
    (["--split", "a,b"], 2, "--split wants numbers"),
    (["--gap", "-1"], 2, "--gap must be 0 or more"),
    (["--frames", "every", "--every", "1", "--all-train", "--annotations", "{tmp}/nothing"], 3,
     "has a mask (the masks of clip.mp4 are read from {tmp}/nothing/masks)"),
])
def test_bad_flags_and_nothing_to_export_are_told(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  flags: list[str], code: int, said: str) -> None:
    clip = _labelled(tmp_path, [7])
    flags = [f.replace("{tmp}", str(tmp_path)) for f in flags]
    assert main(["video", "export", str(clip), str(tmp_path / "out"), *flags]) == code
    assert said.replace("{tmp}", str(tmp_path)) in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_missing_video_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["video", "export", str(tmp_path / "none.mp4"), str(tmp_path / "out")]) == 2
    assert "no such video" in capsys.readouterr().err
