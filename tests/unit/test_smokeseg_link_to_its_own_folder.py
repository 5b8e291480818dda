"""SmokeSeg writer, a destination that is a symbolic link to a folder holding the link itself
(``~/exports/current -> ~/exports``, or ``-> ~``): the writer writes where a link leads (f7c1422), so
replacing it (overwrite) replaced that whole folder - every other file in it deleted, the link with
them - where the user ticked 'Replace the destination' for ``current``. Such a link is refused now,
before anything is written; a link to a file is refused as before."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.data.smokeseg import SmokeSegWriteError, write_smokeseg
from fosp_core.data.types import Sample


def _samples(ids: str) -> list[Sample]:
    image = np.full((16, 16, 3), 90, np.uint8)
    mask = np.zeros((16, 16), np.uint8)
    mask[4:8, 4:8] = 1
    return [Sample(i, image, mask) for i in ids]


@pytest.mark.parametrize("up", [0, 1], ids=["its-folder", "above-it"])
def test_a_link_to_the_folder_that_holds_it_is_refused(tmp_path: Path, up: int) -> None:
    home = tmp_path / "home"
    exports = home / "exports"
    exports.mkdir(parents=True)
    (home / "thesis.tex").write_text("years of work")
    (exports / "notes.txt").write_text("kept")
    link = exports / "current"
    link.symlink_to(exports if up == 0 else home, target_is_directory=True)
    with pytest.raises(SmokeSegWriteError, match="holds the link itself"):
        write_smokeseg(_samples("ab"), link, overwrite=True)
    assert (home / "thesis.tex").read_text() == "years of work" and (exports / "notes.txt").read_text() == "kept"
    assert link.is_symlink()
    assert sorted(p.name for p in exports.iterdir()) == ["current", "notes.txt"]
    assert sorted(p.name for p in home.iterdir()) == ["exports", "thesis.tex"]


def test_a_link_to_a_file_is_refused_and_the_file_kept(tmp_path: Path) -> None:
    (tmp_path / "data.bin").write_bytes(b"keep me")
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "data.bin")
    with pytest.raises(SmokeSegWriteError, match="not a folder"):
        write_smokeseg(_samples("ab"), link, overwrite=True)
    assert (tmp_path / "data.bin").read_bytes() == b"keep me" and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.bin", "out"]
