"""A SmokeSeg export to a destination named near the 255-byte limit (real folders): its hidden working
folders ``.{DST}.tmp-{host}.{pid}.{random}`` and ``.{DST}.old-…`` were too long (the fallback without
host and pid too, from 242 bytes on), so the export failed with "File name too long". DST is now cut to
``<cut>~<digest>`` there (`fosp_core.io.long_names`), and a later export still finds a dead export's
folder of that form."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from fosp_core.data.smokeseg import write_smokeseg
from fosp_core.data.smokeseg_debris import clean_dead_exports, old_prefix, tmp_prefix
from fosp_core.data.types import Sample
from fosp_core.io.long_names import NAME_MAX, name_bytes


def _samples(n: int = 2) -> list[Sample]:
    return [Sample(f"s{i}", np.full((16, 16, 3), 9 * i, np.uint8), np.eye(16, dtype=np.uint8)) for i in range(n)]


@pytest.mark.parametrize("name", ["d" * 255, "\U0001f525" * 63])
def test_export_to_a_longest_name_and_replace_it(tmp_path: Path, name: str) -> None:
    dst = tmp_path / name
    write_smokeseg(_samples(), dst)
    write_smokeseg(_samples(3), dst, overwrite=True)  # the old one moved aside first: ".{DST}.old-…"
    assert sorted(p.name for p in (dst / "JPEGImages").iterdir()) == ["s0.jpg", "s1.jpg", "s2.jpg"]
    assert [p.name for p in tmp_path.iterdir()] == [name]
    for prefix in (tmp_prefix(dst), old_prefix(dst)):
        assert name_bytes(prefix) + 8 <= NAME_MAX


def test_a_dead_exports_folder_of_a_long_name_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dst = tmp_path / ("d" * 250)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with monkeypatch.context() as patched:
        patched.setattr(os, "getpid", lambda: gone.pid)
        dead = tmp_path / (tmp_prefix(dst) + "dd00abcd")
    (dead / "JPEGImages").mkdir(parents=True)
    assert clean_dead_exports(dst) == [dead]
    assert not dead.exists()


def test_a_project_with_an_image_too_long_for_its_mask_exports_the_others(tmp_path: Path) -> None:
    """'<250 n>.jpeg' beside '<250 n>.png' (ids '…_jpeg', '…_png': mask names of 259 and 258 bytes): the
    export raised 'File name too long' checking their mask files; it now exports the others."""
    import cv2

    from fosp_core.annotation.document import Status
    from fosp_core.annotation.export import export_smokeseg
    from fosp_core.annotation.project import Project

    images = tmp_path / "images"
    images.mkdir()
    stem = "n" * 250
    for name in (stem + ".jpeg", stem + ".png", "a.jpg"):
        assert cv2.imwrite(str(images / name), np.full((8, 8, 3), 90, np.uint8))
    with Project.open(images, tmp_path / "project") as project:
        project.save_mask("a", np.eye(8, dtype=np.uint8), Status.EDITED)
        project.set_status(stem + "_jpeg", Status.REVIEWED)  # a status alone (R), no mask file
        export_smokeseg(project, tmp_path / "out")
    assert [p.name for p in (tmp_path / "out" / "SegmentationClass").iterdir()] == ["a.png"]
