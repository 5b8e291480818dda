"""A project left by a version before journal generations (changes.jsonl lines that are the bare
image entry, no ``"generation"``; project.json without ``"journal"``: the app closed without folding
the journal) opens with those saves: they were read as lines of another generation, skipped, and the
fold at opening then deleted them (every status the annotator set since the last fold was lost)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from fosp_core.annotation.project import Project


def _legacy_project(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    """A project of 3 images as a pre-generation version left it after a crash: project.json
    (no "journal" key) with every image unlabeled and the journal holding the saves (bare entries,
    as that version's dump_change wrote them)."""
    src, loc = tmp_path / "images", tmp_path / "project"
    src.mkdir()
    for i in range(3):
        Image.fromarray(np.full((16, 24, 3), 40 * i, np.uint8)).save(src / f"img{i}.png")
    project = Project.open(src, loc)
    ids = list(project.ids)
    entries = [project.entry(i).to_json() for i in ids]
    project.close()
    header = json.loads((loc / "project.json").read_text())
    assert "journal" not in header  # as the versions before generations wrote it
    changed = [dict(entries[0], status="reviewed", size=[16, 24], smoke_ratio=0.25),
               dict(entries[1], status="edited", size=[16, 24], smoke_ratio=0.5),
               dict(entries[2], status="reviewed")]
    (loc / "changes.jsonl").write_text("".join(json.dumps(e) + "\n" for e in changed))
    return src, loc, ids


def test_a_pre_generation_journal_is_applied_on_opening(tmp_path: Path) -> None:
    src, loc, ids = _legacy_project(tmp_path)
    with Project.open(src, loc) as project:
        assert [project.entry(i).status.value for i in ids] == ["reviewed", "edited", "reviewed"]
        assert project.entry(ids[0]).smoke_ratio == 0.25


def test_the_upgraded_project_keeps_the_saves_after_its_journal_is_folded(tmp_path: Path) -> None:
    src, loc, ids = _legacy_project(tmp_path)
    Project.open(src, loc).close()  # opening for writing folds the journal into project.json
    with Project.open(src, loc) as project:
        assert [project.entry(i).status.value for i in ids] == ["reviewed", "edited", "reviewed"]
