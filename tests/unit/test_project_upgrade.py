"""Opening a project an older FoSp Studio left with its journal in the old format (the bare entry a
line, before journal generations: cbe3d35..0a8c535, left open by a crash or a kill) rewrites
``project.json`` and deletes ``changes.jsonl`` (the journal is folded in). That opening keeps a
backup of both beside them, once, never overwritten (``<name>.v1-journal0.bak``), and says so
(`Project.upgrade`, one line from the CLI); a project already current is not touched and nothing is
said. A backup that cannot be written leaves the project as it was, opened read-only."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation.project import Project
from fosp_core.cli import main

TAG = "v1-journal0"


def _old_project(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    """A project of 3 images as a version before generations left it after a kill: project.json
    without "journal", every image unlabeled there, its journal holding the saves as bare entries."""
    src, loc = tmp_path / "images", tmp_path / "project"
    src.mkdir(parents=True)
    for i in range(3):
        Image.fromarray(np.full((16, 24, 3), 40 * i, np.uint8)).save(src / f"img{i}.png")
    project = Project.open(src, loc)
    ids = list(project.ids)
    entries = [project.entry(i).to_json() for i in ids]
    project.close()
    changed = [dict(entries[0], status="reviewed", size=[16, 24], smoke_ratio=0.25),
               dict(entries[1], status="edited", size=[16, 24], smoke_ratio=0.5)]
    (loc / "changes.jsonl").write_text("".join(json.dumps(e) + "\n" for e in changed))
    return src, loc, ids


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name != "lock"}


def test_an_old_journal_is_backed_up_before_it_is_folded_and_the_opening_says_so(tmp_path: Path) -> None:
    src, loc, ids = _old_project(tmp_path)
    before = _files(loc)
    with Project.open(src, loc) as project:
        assert [project.entry(i).status.value for i in ids] == ["reviewed", "edited", "unlabeled"]
        upgrade = project.upgrade
        assert upgrade is not None
        assert upgrade.backups == (loc / f"project.json.{TAG}.bak", loc / f"changes.jsonl.{TAG}.bak")
        text = upgrade.describe()
        assert "\n" not in text and "older FoSp Studio" in text and f"project.json.{TAG}.bak" in text, text
    assert (loc / f"project.json.{TAG}.bak").read_bytes() == before["project.json"]
    assert (loc / f"changes.jsonl.{TAG}.bak").read_bytes() == before["changes.jsonl"]
    assert not (loc / "changes.jsonl").exists()  # folded, as before


def test_a_project_upgraded_once_is_not_backed_up_or_told_again(tmp_path: Path) -> None:
    src, loc, _ = _old_project(tmp_path)
    Project.open(src, loc).close()
    backup = loc / f"project.json.{TAG}.bak"
    kept, stamp = backup.read_bytes(), backup.stat().st_mtime_ns
    with Project.open(src, loc) as project:
        assert project.upgrade is None
    assert backup.read_bytes() == kept and backup.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in loc.glob("*.bak")) == [f"changes.jsonl.{TAG}.bak", f"project.json.{TAG}.bak"]


def test_a_backup_name_taken_already_is_never_overwritten(tmp_path: Path) -> None:
    src, loc, ids = _old_project(tmp_path)
    (loc / f"changes.jsonl.{TAG}.bak").write_bytes(b"the user's own\n")
    with Project.open(src, loc) as project:
        assert project.upgrade is not None
        assert project.upgrade.backups == (loc / f"project.json.{TAG}.bak", loc / f"changes.jsonl.{TAG}-2.bak")
        assert project.entry(ids[1]).status.value == "edited"
    assert (loc / f"changes.jsonl.{TAG}.bak").read_bytes() == b"the user's own\n"
    assert b'"edited"' in (loc / f"changes.jsonl.{TAG}-2.bak").read_bytes()


@pytest.mark.parametrize("left", ["closed", "killed"])
def test_a_current_project_is_not_touched_and_nothing_is_said(tmp_path: Path, left: str) -> None:
    src, loc = tmp_path / "images", tmp_path / "project"
    src.mkdir()
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(src / "a.png")
    project = Project.open(src, loc)
    project.set_status(project.ids[0], "reviewed")
    if left == "closed":
        project.close()
    else:  # a kill: the journal (generation lines) stays, the lock is let go by the dead process
        project.lock.release()
    with Project.open(src, loc) as project:
        assert project.upgrade is None
        assert project.entry(project.ids[0]).status.value == "reviewed"
    assert not list(loc.glob("*.bak"))


def test_a_read_only_opening_neither_backs_up_nor_folds(tmp_path: Path) -> None:
    src, loc, ids = _old_project(tmp_path)
    before = _files(loc)
    with Project.open(src, loc) as holder:  # the holder upgrades; a second opening reads only
        assert holder.upgrade is not None
        reader = Project.open(src, loc)
        assert reader.read_only and reader.upgrade is None
        reader.close()
    src2, loc2, _ = _old_project(tmp_path / "second")
    (loc2 / "lock").write_text(json.dumps({"pid": os.getppid(), "host": __import__("socket").gethostname(),
                                           "created": 0.0}))
    before = _files(loc2)
    with Project.open(src2, loc2) as reader:
        assert reader.read_only and reader.upgrade is None
        assert [reader.entry(i).status.value for i in ids] == ["reviewed", "edited", "unlabeled"]
    assert _files(loc2) == before and not list(loc2.glob("*.bak"))


def test_a_backup_that_cannot_be_written_leaves_the_project_as_it_was_read_only(tmp_path: Path,
                                                                                 monkeypatch) -> None:  # noqa: ANN001
    src, loc, ids = _old_project(tmp_path)
    before = _files(loc)

    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr("fosp_core.annotation.project_upgrade.write_atomic", full)
    with Project.open(src, loc) as project:
        assert project.read_only and project.upgrade is None
        assert "backup" in project.read_only_reason and "disk full" in project.read_only_reason
        assert [project.entry(i).status.value for i in ids] == ["reviewed", "edited", "unlabeled"]
    assert _files(loc) == before


def test_the_cli_says_it_in_one_line_and_not_for_a_current_project(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    src, loc, _ = _old_project(tmp_path)
    capsys.readouterr()
    assert main(["project", "status", str(loc)]) == 0
    out = capsys.readouterr()
    said = [line for line in out.err.splitlines() if "older FoSp Studio" in line]
    assert len(said) == 1 and f"project.json.{TAG}.bak" in said[0], out.err
    assert main(["project", "status", str(loc), "--json"]) == 0
    again = capsys.readouterr()
    assert "older FoSp Studio" not in again.err + again.out
    json.loads(again.out)  # stdout stays JSON
