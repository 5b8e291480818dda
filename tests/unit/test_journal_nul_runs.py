"""NULs in the journal never swallow the line after them. After a failed fsync the kernel may drop a
journal page, so the file can hold a run of NULs where lines were, running straight into the next good
line with no newline between (``...\\n\\0\\0\\0{"generation": ...}\\n``). The readers split at newlines
only, so that good line read as ``\\0\\0\\0{...}``, was no JSON, and its save was lost at opening. A
real journal written by a project's saves, copied as a crash leaves it (no lock) and NULs written into
it; the copy is opened as the app opens it."""

from __future__ import annotations

import shutil
from pathlib import Path

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_compaction import journal_max_generation
from fosp_core.annotation.project_files import JOURNAL_FILE
from tests.demo_photos import demo_photo_links


def _journal_of_three_saves(tmp_path: Path) -> tuple[Path, Path, list[bytes], list[str]]:
    """(images, a copy of the project as a kill leaves it, the journal's three lines, the ids saved)."""
    images, location = tmp_path / "photos", tmp_path / "project"
    demo_photo_links(images, 4)
    Project.open(images, location).close()
    project = Project.open(images, location)
    ids = project.ids[:3]
    for image_id, status in zip(ids, [Status.REVIEWED, Status.EDITED, Status.REVIEWED], strict=True):
        project.set_status(image_id, status)
    copy = tmp_path / "copy"
    shutil.copytree(location, copy)
    project.close()
    (copy / "lock").unlink()
    lines = (copy / JOURNAL_FILE).read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) == 4
    return images, copy, lines[:3], ids


def _statuses(images: Path, location: Path) -> list[Status]:
    with Project.open(images, location) as project:
        return [e.status for e in project.entries]


def test_a_nul_run_that_replaced_a_line_does_not_swallow_the_next(tmp_path: Path) -> None:
    images, copy, lines, _ = _journal_of_three_saves(tmp_path)
    # the 2nd line and its newline dropped to NULs: the 3rd follows the run directly
    (copy / JOURNAL_FILE).write_bytes(lines[0] + b"\n" + b"\0" * (len(lines[1]) + 1) + lines[2] + b"\n")
    assert _statuses(images, copy) == [Status.REVIEWED, Status.UNLABELED, Status.REVIEWED, Status.UNLABELED]


def test_a_page_of_nuls_over_a_line_s_end_keeps_the_next_line(tmp_path: Path) -> None:
    """A page's worth of NULs over the end of a line and its newline: that line is torn (skipped), the
    one after the NULs is applied."""
    images, copy, lines, _ = _journal_of_three_saves(tmp_path)
    torn = lines[1][: len(lines[1]) // 2]
    (copy / JOURNAL_FILE).write_bytes(lines[0] + b"\n" + torn + b"\0" * 4096 + lines[2] + b"\n")
    assert _statuses(images, copy) == [Status.REVIEWED, Status.UNLABELED, Status.REVIEWED, Status.UNLABELED]


def test_the_highest_generation_is_read_past_nuls(tmp_path: Path) -> None:
    """A new ``project.json`` generation must be above every line's, those after NULs too."""
    _, copy, lines, _ = _journal_of_three_saves(tmp_path)
    later = lines[2].replace(b'{"generation": 0,', b'{"generation": 9,', 1)
    assert later != lines[2]
    journal = copy / JOURNAL_FILE
    journal.write_bytes(lines[0] + b"\n" + b"\0" * 100 + later + b"\n")
    assert journal_max_generation(journal) >= 9
