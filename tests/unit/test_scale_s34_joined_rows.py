"""Images joining an open project (`Project.add_listed`: added to its folder, opened again) made the rows
captured for its background rewrites stale (`CapturedRows`: an entry past the rows' end), so the next
rewrite captured the values of every entry again on the saving thread (the GUI thread in the app; 30 000
images: ~0.1-0.3 s). The project only appends entries: the joined ones are captured by themselves. The
work is counted (entries captured), never timed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation import compaction_rows
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_files import PROJECT_FILE

N = 40


def _image(path: Path, value: int) -> None:
    cv2.imwrite(str(path), np.full((12, 16, 3), value, np.uint8))


def test_joined_images_are_captured_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "imgs"
    folder.mkdir()
    for i in range(N):
        _image(folder / f"a{i:03d}.jpg", i)
    captured: list[int] = []
    real = compaction_rows.snapshot

    def spied(entries):  # noqa: ANN001, ANN202
        captured.append(len(entries))
        return real(entries)

    monkeypatch.setattr(compaction_rows, "snapshot", spied)
    with Project.open(folder) as project:
        project.compact_in_background = True
        assert captured == [N]
        for name in ("b1.jpg", "b2.jpg"):
            _image(folder / name, 200)
        os.utime(folder, ns=(0, os.stat(folder).st_mtime_ns + 1))
        changes = project.add_listed(sorted(folder.iterdir()))
        assert sorted(changes.added) == ["b1", "b2"]
        project.set_status("b2", Status.REVIEWED)
        project.set_status("a003", Status.REVIEWED)
        project._start_rewrite()  # a background rewrite falling due  # noqa: SLF001
        assert project.finish_compaction(wait=True) and project.compaction_error is None
        assert sum(captured) <= N + 2  # was N + (N + 2): every entry captured again
        written = json.loads((project.folder / PROJECT_FILE).read_text(encoding="utf-8"))
        status = {image["id"]: image["status"] for image in written["images"]}
        assert len(status) == N + 2
        assert status["b2"] == status["a003"] == "reviewed" and status["b1"] == "unlabeled"


def test_rows_not_ending_where_the_entries_do_are_taken_again() -> None:
    from fosp_core.annotation.entries import ImageEntry

    entries = [ImageEntry(f"e{i}", f"e{i}.jpg") for i in range(5)]
    rows = compaction_rows.CapturedRows(entries)
    entries[4] = ImageEntry("other", "other.jpg")  # replaced behind its back, then one appended
    entries.append(ImageEntry("e5", "e5.jpg"))
    taken = rows.take(entries)
    assert [row[0] for row in taken] == ["e0", "e1", "e2", "e3", "other", "e5"]
