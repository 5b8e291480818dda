"""Windows: an export killed while replacing a dataset leaves the old one aside (``.DST.old-...``); the next
export puts it back as DST when DST is missing or an empty folder. Put back with ``os.rename``, which on POSIX
replaces an empty folder - but Windows' rename never replaces a folder (FileExistsError): with an empty DST
(a folder the user made again for the export) the old dataset stayed aside for good, each later export
'settling' it in vain. Simulated: ``os`` as `smokeseg_debris` sees it on Windows, whose rename refuses an
existing destination; the writer that moved it aside is dead."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fosp_core.annotation import storage
from fosp_core.data import smokeseg_debris
from fosp_core.data.smokeseg_debris import old_prefix, settle_old_copies


class _Windows:
    name = "nt"

    def rename(self, src: object, dst: object) -> None:
        if os.path.lexists(dst):  # type: ignore[arg-type]
            raise FileExistsError(17, "Cannot create a file when that file already exists", str(src), None, str(dst))
        os.rename(src, dst)  # type: ignore[arg-type]

    def __getattr__(self, attr: str) -> object:
        return getattr(os, attr)


def test_the_old_dataset_comes_back_over_an_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dst = tmp_path / "smokeseg"
    old = tmp_path / f"{old_prefix(dst)}ab12cd34"
    (old / "JPEGImages").mkdir(parents=True)
    (old / "JPEGImages" / "a.jpg").write_bytes(b"jpeg")
    dst.mkdir()  # empty: made again by the user
    monkeypatch.setattr(storage, "pid_alive", lambda pid: False)  # the writer that moved it aside is gone
    monkeypatch.setattr(smokeseg_debris, "os", _Windows())
    done = settle_old_copies(dst)
    assert [d.fate for d in done] == ["restored"], done
    assert (dst / "JPEGImages" / "a.jpg").read_bytes() == b"jpeg" and not old.exists()


def test_a_folder_with_something_in_it_is_not_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dst = tmp_path / "smokeseg"
    old = tmp_path / f"{old_prefix(dst)}ab12cd34"
    old.mkdir()
    dst.mkdir()
    monkeypatch.setattr(storage, "pid_alive", lambda pid: False)
    monkeypatch.setattr(smokeseg_debris, "os", _Windows())
    monkeypatch.setattr(smokeseg_debris, "_state", lambda folder: "empty")  # something appeared after the look
    (dst / "new.txt").write_text("x")
    assert settle_old_copies(dst) == [] and old.is_dir() and (dst / "new.txt").is_file()
