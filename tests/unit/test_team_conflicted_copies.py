"""A project shared through Dropbox (Nextcloud, Syncthing...) opened on two computers at once: the sync
tool keeps the second version of a file both changed beside it, as a conflicted copy. Before, the
project read only its own names and said nothing: the other computer's saves (a journal's lines, a
mask) sat beside the project, in no image's state, and nobody knew. Now every opening finds them
(`Project.conflicts`) and says what they are and what to do (`conflicts_words`); nothing is applied."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import cv2
import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_conflicts import conflicted_copies, conflicts_words


def _project(tmp_path: Path) -> Path:
    folder = tmp_path / "imgs"
    folder.mkdir()
    for name in "ab":
        cv2.imwrite(str(folder / f"{name}.jpg"), np.full((20, 30, 3), 90, np.uint8))
    with Project.open(folder) as project:
        project.save_mask("a", np.ones((20, 30), np.uint8), Status.EDITED)
    return folder / ".fosp"


def test_the_copies_of_a_dropbox_conflict_are_found_and_named(tmp_path: Path) -> None:
    fosp = _project(tmp_path)
    journal = fosp / "changes (Bob's conflicted copy 2026-12-07).jsonl"
    journal.write_text(json.dumps({"generation": 1, "entry": {"id": "b", "image": "b.jpg", "status": "reviewed"}}) + "\n")
    mask = fosp / "masks" / "a (Bob's conflicted copy 2026-12-07).png"
    shutil.copy(fosp / "masks" / "a.png", mask)
    with Project.open(fosp.parent) as project:
        assert project.conflicts == sorted([journal, mask])
        assert project.entry("b").status == Status.UNLABELED  # not applied: which version is right is the team's
        words = conflicts_words(project.folder, project.conflicts)
    assert words.startswith(f"2 conflicted copies in {fosp}") and "changes (Bob's conflicted copy" in words
    assert "not in the project" in words and "one computer at a time" in words


def test_other_sync_tools_names_and_plain_names(tmp_path: Path) -> None:
    fosp = _project(tmp_path)
    names = ["project.sync-conflict-20261207-101500-ABCDEF7.json", "project_conflict-20261207-101500.json",
             "masks/a.Conflict.png", "masks/b (conflicted copy 2026-12-07 101500).png"]
    for name in names:
        (fosp / name).write_bytes(b"x")
    (fosp / "masks" / "conflict.png").write_bytes(b"x")  # an image named so is no conflicted copy
    assert conflicted_copies(fosp) == sorted(fosp / name for name in names)
    assert conflicted_copies(tmp_path / "nowhere") == []
