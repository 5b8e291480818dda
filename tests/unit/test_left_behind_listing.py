"""`fosp_core.video.left_behind.find_left_behind` lists the masks of a sibling annotation folder only once
its ``video.json`` says it is a candidate (a video no longer there, the same frame count): the annotation
folders of the videos still beside it - most of them, each maybe thousands of masks - are not listed."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from fosp_core.io.masks import encode_mask_png
from fosp_core.video import left_behind
from fosp_core.video.left_behind import find_left_behind


def _annotations(base: Path, name: str, video: Path, frame_count: int, masks: int) -> Path:
    folder = base / f"video-{name}"
    (folder / "masks").mkdir(parents=True)
    (folder / "video.json").write_text(json.dumps({"video": str(video), "frame_count": frame_count,
                                                   "keyframes": []}), encoding="utf-8")
    png = encode_mask_png(np.zeros((6, 8), np.uint8))
    for i in range(masks):
        (folder / "masks" / f"{name}_{i:06d}.png").write_bytes(png)
    return folder


def test_only_the_folders_of_videos_gone_are_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = tmp_path / ".fosp"
    here = tmp_path / "here.mp4"
    here.write_bytes(b"x")
    _annotations(base, "here", here, 12, 3)  # a video still there
    _annotations(base, "other", tmp_path / "other.mp4", 30, 3)  # gone, another frame count
    gone = _annotations(base, "gone", tmp_path / "gone.mp4", 12, 2)  # gone, the same: the one found
    own = base / "video-new"
    own.mkdir()
    listed: list[str] = []
    glob = Path.glob

    def counted(self: Path, pattern: str):  # noqa: ANN202
        listed.append(self.parent.name)
        return glob(self, pattern)

    monkeypatch.setattr(left_behind.Path, "glob", counted)
    found = find_left_behind(own, 12, (6, 8))
    assert [(f.folder, f.masks) for f in found] == [(gone, 2)]
    assert listed == ["video-gone"]
