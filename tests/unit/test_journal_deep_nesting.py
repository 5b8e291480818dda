"""A journal line (or a ``project.json``) nested deeper than Python's JSON reader goes - garbage such as a
run of ``[`` where a page was damaged - raised RecursionError out of the opening: the project could not be
opened at all, with "maximum recursion depth exceeded" for a reason, and every good line after it unread.
Such a line is now skipped as any torn one (by every reader of the journal: the lines applied, the highest
generation, the generations a power loss may bring back, the upgrade check), and such a ``project.json`` is
refused as JSON that does not parse, naming the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ProjectFormatError
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_compaction import journal_max_generation
from fosp_core.annotation.project_files import JOURNAL_FILE, PROJECT_FILE, unsure_generations
from fosp_core.annotation.project_upgrade import bare_lines
from tests.demo_photos import demo_photo_links

DEEP = b"[" * 200_000


def _journal_of_two_saves(tmp_path: Path) -> tuple[Path, Path, list[bytes]]:
    """(images, a copy of the project as a kill leaves it, the journal's two lines)."""
    images, location = tmp_path / "photos", tmp_path / "project"
    demo_photo_links(images, 3)
    Project.open(images, location).close()
    project = Project.open(images, location)
    project.set_status(project.ids[0], Status.REVIEWED)
    project.set_status(project.ids[2], Status.EDITED)
    copy = tmp_path / "copy"
    shutil.copytree(location, copy)
    project.close()
    (copy / "lock").unlink()
    lines = (copy / JOURNAL_FILE).read_bytes().splitlines()
    assert len(lines) == 2
    return images, copy, lines


def test_a_line_nested_too_deep_is_skipped_and_the_next_applied(tmp_path: Path) -> None:
    images, copy, lines = _journal_of_two_saves(tmp_path)
    journal = copy / JOURNAL_FILE
    journal.write_bytes(lines[0] + b"\n" + DEEP + b"\n" + lines[1] + b"\n")
    assert journal_max_generation(journal) >= 0
    assert unsure_generations(copy, 0) is not None
    assert bare_lines(journal) == 0
    with Project.open(images, copy) as project:
        assert [e.status for e in project.entries] == [Status.REVIEWED, Status.UNLABELED, Status.EDITED]


def test_a_project_file_nested_too_deep_is_refused_naming_it(tmp_path: Path) -> None:
    images, copy, _ = _journal_of_two_saves(tmp_path)
    (copy / PROJECT_FILE).write_bytes(DEEP)
    with pytest.raises(ProjectFormatError, match="not valid JSON"):
        Project.open(images, copy)


def test_a_recovery_log_and_a_lock_nested_too_deep_do_not_stop_the_opening(tmp_path: Path) -> None:
    """The same garbage in a recovery log (set aside, told, as any log that cannot be read) and in the
    lock (taken for garbage: stale)."""
    from fosp_core.annotation.recovery import log_path

    images, copy, _ = _journal_of_two_saves(tmp_path)
    with Project.open(images, copy) as project:
        first = project.ids[0]
        project.save_mask(first, np.zeros(project.entry(first).size or (8, 8), np.uint8), Status.EDITED)
        log = log_path(project.mask_path(first))
    log.write_bytes(DEEP + b"\n")
    (copy / "lock").write_bytes(DEEP)
    with Project.open(images, copy) as project:
        assert not project.read_only
        assert [p.image_id for p in project.recovery_problems] == [first]
        assert [u.image_id for u in project.unapplied_logs()] == [first]
