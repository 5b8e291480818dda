"""Replacing an earlier export: the writer moves the old dataset aside, then renames the new one into place. When
that last rename failed (a full disk: a rename that needs a new directory block, ENOSPC; a file held open on
Windows), the new one was removed and the old one stayed under its temporary `.<name>.old-*` name: the destination
was gone, though the error (and the dialog: 'the destination is left as it was') said nothing of it, until a next
export put it back. Now the old dataset is put back at once; an empty folder the user made for it is made again."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
import pytest

from fosp_core.data import smokeseg
from fosp_core.data.smokeseg import SmokeSegWriteError, write_smokeseg
from fosp_core.data.types import Sample


def _samples(value: int) -> list[Sample]:
    image = np.full((8, 8, 3), value, np.uint8)
    mask = np.zeros((8, 8), np.uint8)
    mask[:3] = 1
    return [Sample("a", image, mask), Sample("b", image, mask)]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _failing_last_rename(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real = smokeseg.replace_file

    def replace(src: Path, dst: Path) -> None:
        if Path(src).name.startswith(".") and ".tmp" in Path(src).name:  # the new dataset into place
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(src))
        real(src, dst)

    monkeypatch.setattr(smokeseg, "replace_file", replace)


def test_a_failed_last_rename_puts_the_old_dataset_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_smokeseg(_samples(10), out)
    first = _files(out)
    _failing_last_rename(monkeypatch, tmp_path)
    with pytest.raises(SmokeSegWriteError, match="disk full"):
        write_smokeseg(_samples(200), out, overwrite=True)
    assert _files(out) == first  # was: out missing, the old dataset under .out.old-*
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_an_empty_folder_made_for_it_is_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    _failing_last_rename(monkeypatch, tmp_path)
    with pytest.raises(SmokeSegWriteError, match="disk full"):
        write_smokeseg(_samples(200), out)
    assert out.is_dir() and list(out.iterdir()) == []  # was: gone
    assert sorted(os.listdir(tmp_path)) == ["out"]
