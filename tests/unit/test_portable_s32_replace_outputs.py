"""Windows: the two outputs moved into place by a rename of their own, not by `write_atomic`, failed at the
first refusal when another program held what they replace: a SmokeSeg export over an old dataset one of whose
files an antivirus scan or a sync client had open ('cannot write the dataset: The process cannot access the
file ...', after the whole dataset was written), and a prediction's overlay video over one open in a player.
Both now go through `fosp_core.io.atomic.replace_file`: tried again for a moment, then said as held open by
another program; nothing half-made is left (the temporary folder, the partial video) and the old one stays.
Windows is simulated: ``os.name`` and ``os.replace`` refusing as there, for the modules that rename."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from fosp_core.data import smokeseg
from fosp_core.data.smokeseg import SmokeSegWriteError, write_smokeseg
from fosp_core.data.types import Sample
from fosp_core.infer import video as infer_video
from fosp_core.infer.video import OverlayVideoWriter
from fosp_core.io import atomic
from fosp_core.io.atomic import IN_USE, TargetInUseError


class _Windows:
    """`os` on Windows whose ``replace`` is refused the first `held` times (all when None)."""

    name = "nt"

    def __init__(self, held: int | None) -> None:
        self.held, self.tries = held, 0

    def replace(self, src: object, dst: object) -> None:
        self.tries += 1
        if self.held is None or self.tries <= self.held:
            raise PermissionError(13, "The process cannot access the file because it is being used by another "
                                      "process", str(dst))
        os.replace(src, dst)  # type: ignore[arg-type]

    def __getattr__(self, attr: str) -> object:
        return getattr(os, attr)


def _windows(monkeypatch: pytest.MonkeyPatch, held: int | None, *modules: object) -> _Windows:
    fake = _Windows(held)
    monkeypatch.setattr(atomic, "_sleep", lambda seconds: None)
    for module in (atomic, *modules):
        monkeypatch.setattr(module, "os", fake)
    return fake


def _samples(ids: list[str]) -> list[Sample]:
    rng = np.random.default_rng(0)
    mask = np.zeros((16, 24), np.uint8)
    mask[3:9, 4:14] = 1
    return [Sample(i, rng.integers(0, 255, (16, 24, 3), np.uint8), mask) for i in ids]


def test_an_export_over_a_dataset_held_for_a_moment_replaces_it(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    dst = write_smokeseg(_samples(["old"]), tmp_path / "smokeseg")
    _windows(monkeypatch, 2, smokeseg)
    write_smokeseg(_samples(["new"]), dst, overwrite=True)
    assert sorted(p.name for p in (dst / "JPEGImages").iterdir()) == ["new.jpg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["smokeseg"]


def test_an_export_over_a_dataset_held_throughout_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dst = write_smokeseg(_samples(["old"]), tmp_path / "smokeseg")
    _windows(monkeypatch, None, smokeseg)
    with pytest.raises(SmokeSegWriteError) as caught:
        write_smokeseg(_samples(["new"]), dst, overwrite=True)
    assert IN_USE in caught.value.reason, caught.value.reason
    assert sorted(p.name for p in (dst / "JPEGImages").iterdir()) == ["old.jpg"]  # the old dataset stays
    assert sorted(p.name for p in tmp_path.iterdir()) == ["smokeseg"]  # no temporary folder left


def _video(path: Path, held: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    writer = OverlayVideoWriter(path, 5.0, (32, 24))
    for k in range(3):
        writer.write(np.full((24, 32, 3), 40 * k, np.uint8))
    _windows(monkeypatch, held, infer_video)
    writer.close()


def test_an_overlay_video_open_in_a_player_for_a_moment_is_replaced(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "clip_overlay.mp4"
    target.write_bytes(b"old video")
    _video(target, 1, monkeypatch)
    assert target.read_bytes() != b"old video" and [p.name for p in tmp_path.iterdir()] == [target.name]


def test_an_overlay_video_held_open_says_so_and_leaves_no_partial_file(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "clip_overlay.mp4"
    target.write_bytes(b"old video")
    with pytest.raises(TargetInUseError):
        _video(target, None, monkeypatch)
    assert target.read_bytes() == b"old video" and [p.name for p in tmp_path.iterdir()] == [target.name]
