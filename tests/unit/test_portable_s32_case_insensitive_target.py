"""macOS disks are case-insensitive, and ``Path.resolve`` there keeps the case typed: an export (`fosp project
export`, a video's export) to ``PROJECT/.FOSP/masks`` passed the check that refuses a destination inside the
project's own folder (``.fosp``, which holds its masks), because the two paths differ as text - and Replace
would then delete the masks. The check now also compares the folders themselves (device and inode).

Simulated: the second spelling is a link to the folder (one folder, two names, as ``.FOSP`` and ``.fosp`` are
on such a disk), and ``Path.resolve`` keeps the path as typed, as it does for another case on macOS."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fosp_core.annotation.export_target import inside_message


def _as_on_macos(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Path, "resolve", lambda self, strict=False: Path(os.path.abspath(self)))


def test_the_project_folder_spelled_in_another_case_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "photos" / ".fosp"
    (folder / "masks").mkdir(parents=True)
    other_case = tmp_path / "photos" / ".FOSP"
    other_case.symlink_to(folder, target_is_directory=True)
    with monkeypatch.context() as patched:
        _as_on_macos(patched)
        words = inside_message(other_case / "masks", folder, "the project's own folder")
        beside = inside_message(tmp_path / "photos" / "export", folder, "the project's own folder")
        new = inside_message(other_case / "new-export", folder, "the project's own folder")  # not made yet
    assert words is not None and "holds its masks" in words, words
    assert new is not None
    assert beside is None  # beside the project folder: fine
