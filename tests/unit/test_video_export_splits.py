"""A video export's train / val split: every frame went to train, so a fine-tune on it had no
validation at all. Frames are now split by time (train first, the last frames val) with a gap between
the blocks, since neighbouring frames are near-identical and a random split would flatter."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.data.datasets import open_dataset
from fosp_core.video.export import export_frames
from fosp_core.video.reader import FrameReader, open_video
from fosp_core.video.splits import DEFAULT_GAP_S, DEFAULT_VIDEO_RATIOS, plan_video_splits
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations, frame_id

FPS = 12.0  # write_clip's rate: frame i is shown at i / FPS s


def _labelled_clip(tmp_path: Path, frames: int, labelled: list[int]) -> tuple[FrameReader, VideoAnnotations]:
    clip = write_clip(tmp_path / "clip.mp4", frames=frames, fps=FPS)
    reader = open_video(clip, cache_bytes=0, decoders=1)
    notes = VideoAnnotations(clip, reader.meta.frame_count, (reader.meta.height, reader.meta.width),
                             folder=tmp_path / "state")
    mask = np.zeros(notes.shape, np.uint8)
    mask[10:30, 20:50] = 1
    for frame in labelled:
        notes.save_mask(frame, mask)
    return reader, notes


def _split_ids(dst: Path, split: str) -> list[str]:
    path = dst / "ImageSets" / "Segmentation" / f"{split}.txt"
    return path.read_text().split() if path.is_file() else []


def test_a_video_export_has_a_val_split_of_its_last_frames_apart_from_train(tmp_path: Path) -> None:
    labelled = list(range(0, 48, 2))  # 24 frames over 4 s
    reader, notes = _labelled_clip(tmp_path, 48, labelled)
    try:
        report = export_frames(reader, notes, labelled, tmp_path / "out")
    finally:
        reader.close()
    train, val = report.splits["train"], report.splits["val"]
    assert val == labelled[-len(val):]  # the end of the video, in one block
    assert len(val) == round(len(labelled) * DEFAULT_VIDEO_RATIOS[1] / sum(DEFAULT_VIDEO_RATIOS))
    assert (min(val) - max(train)) / FPS >= DEFAULT_GAP_S  # no train frame is a near twin of a val frame
    assert sorted(train + val + report.gap) == labelled and report.frames == sorted(train + val)
    assert not set(report.gap) & {f for f, _ in report.skipped}
    assert open_dataset(tmp_path / "out", "val").ids == [frame_id("clip", f) for f in val]
    assert open_dataset(tmp_path / "out", "train").ids == [frame_id("clip", f) for f in train]
    assert not (tmp_path / "out" / "JPEGImages" / f"{frame_id('clip', report.gap[0])}.jpg").exists()


def test_everything_in_train_is_still_there_to_choose(tmp_path: Path) -> None:
    labelled = list(range(0, 48, 4))
    reader, notes = _labelled_clip(tmp_path, 48, labelled)
    try:
        report = export_frames(reader, notes, labelled, tmp_path / "out", splits=None)
    finally:
        reader.close()
    assert report.splits == {"train": labelled} and not report.gap and not report.notes
    assert _split_ids(tmp_path / "out", "train") == [frame_id("clip", f) for f in labelled]
    assert not (tmp_path / "out" / "ImageSets" / "Segmentation" / "val.txt").exists()


def test_the_val_share_and_the_gap_can_be_chosen(tmp_path: Path) -> None:
    labelled = list(range(0, 48, 2))
    reader, notes = _labelled_clip(tmp_path, 48, labelled)
    try:
        report = export_frames(reader, notes, labelled, tmp_path / "out", splits=(0.5, 0.5), gap_s=0.0)
    finally:
        reader.close()
    assert report.splits == {"train": labelled[:12], "val": labelled[12:]} and not report.gap


@pytest.mark.parametrize(("labelled", "train", "val"), [
    ([5], [5], []),                    # one frame: nothing to validate on; it trains
    ([2, 5], [2, 5], []),              # a quarter second apart: val would be train's twin
    ([0, 30], [0], [30]),              # 2.5 s apart: one each
    ([0, 3, 30, 33], [0, 3], [33]),    # 30 is within the gap before 33: left out
])
def test_a_video_with_very_few_exported_frames_still_exports(tmp_path: Path, labelled: list[int],
                                                             train: list[int], val: list[int]) -> None:
    reader, notes = _labelled_clip(tmp_path, 36, labelled)
    try:
        report = export_frames(reader, notes, labelled, tmp_path / "out")
    finally:
        reader.close()
    assert report.splits.get("train") == train and report.splits.get("val", []) == val
    assert bool(report.notes) == (not val)  # the user is told why there is no val split
    assert not val or "no val split" not in " ".join(report.notes)
    assert all("no val split" in note for note in report.notes)
    assert open_dataset(tmp_path / "out").ids == [frame_id("clip", f) for f in sorted(train + val)]


def test_a_three_way_split_keeps_each_block_apart() -> None:
    frames = list(range(100))
    plan = plan_video_splits(frames, (0.8, 0.1, 0.1), gap_s=5)
    assert len(plan.splits["val"]) == len(plan.splits["test"]) == 10  # val and test keep their share
    assert min(plan.splits["val"]) - max(plan.splits["train"]) >= 5
    assert min(plan.splits["test"]) - max(plan.splits["val"]) >= 5
    assert sorted(sum(plan.splits.values(), []) + plan.gap) == frames


def test_too_few_frames_for_a_test_split_still_give_a_val_split() -> None:
    plan = plan_video_splits(list(range(10)), (0.8, 0.1, 0.1), gap_s=5)
    assert list(plan.splits) == ["train", "val"] and plan.splits["val"] == [9]
    assert len(plan.notes) == 1 and plan.notes[0].startswith("no test split")


def test_frame_times_not_numbers_decide_the_gap() -> None:
    """A variable-rate video: frames 10..19 are shown within a second, so the gap is counted in time."""
    times = {f: f * 0.1 if f < 10 else 1.0 + (f - 10) * 0.01 for f in range(20)}
    plan = plan_video_splits(range(20), (0.5, 0.5), time_of=times.__getitem__, gap_s=0.35)
    assert plan.splits["val"] == list(range(10, 20)) and plan.gap == [7, 8, 9]


@pytest.mark.parametrize("bad", [(0.8,), (0.5, 0.3, 0.1, 0.1), (0.8, -0.2), (0.0, 0.0)])
def test_bad_ratios_are_refused_in_words(bad: tuple[float, ...]) -> None:
    with pytest.raises(ValueError, match="split ratios must be 2 or 3 non-negative numbers"):
        plan_video_splits([1, 2, 3], bad)


def test_a_fine_tune_on_a_video_export_validates(tmp_path: Path) -> None:
    """What `fosp train` / the Fine-tune dialog make of the export: a recipe with a val set."""
    from fosp_core.train.config import load_config
    from fosp_core.train.finetune import FineTuneRequest, plan_finetune
    from tests.unit.test_train_support import save_tiny_checkpoint

    labelled = list(range(0, 48, 3))
    reader, notes = _labelled_clip(tmp_path, 48, labelled)
    try:
        report = export_frames(reader, notes, labelled, tmp_path / "clip-smokeseg")
    finally:
        reader.close()
    plan = plan_finetune(FineTuneRequest(dataset=tmp_path / "clip-smokeseg",
                                         init_from=save_tiny_checkpoint(tmp_path / "tiny.safetensors"),
                                         iterations=2, crop=64, batch_size=2, device="cpu", name="ft",
                                         runs_dir=str(tmp_path / "runs")))
    assert (plan.train_images, plan.val_images) == (len(report.splits["train"]), len(report.splits["val"]))
    assert plan.val_images > 0 and not plan.val_in_train
    cfg = load_config(plan.recipe)
    assert [s.split for s in cfg.data.val] == ["val"] and cfg.train.val_every > 0
