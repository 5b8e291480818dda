"""A process killed (SIGKILL) in the middle of Import Labels: the masks it wrote before are there
on reopening with their imported status, not "unlabeled" beside a mask file (the import's batch
wrote the states only at its end, so a kill left k masks on disk and every image unlabeled). A real
subprocess on real photos and their masks (the bundled demo's, linked 8 times: runs in a fresh clone);
the kill comes after the k-th mask is said written, no timing."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from tests.demo_photos import demo_photo_links
from tests.killed_child import kill_when_said

CHILD = """
import sys, time
from pathlib import Path
from fosp_core.annotation.project import Project
images, location, masks, stop_at = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
with Project.open(images, location) as project:
    def progress(done, total):
        if done == stop_at:
            print("written", done, flush=True)
            time.sleep(600)  # killed here
    project.import_labels(masks, progress=progress)
"""


@pytest.mark.parametrize("killed_after", [1, 5])
def test_masks_imported_before_a_kill_keep_their_status(tmp_path: Path, killed_after: int) -> None:
    images, masks = tmp_path / "photos", tmp_path / "gt"
    demo_photo_links(images, 8, masks)
    location = tmp_path / "project"
    Project.open(images, location).close()
    kill_when_said(CHILD, [str(images), str(location), str(masks), str(killed_after)], ["written", str(killed_after)])
    with Project.open(images, location) as project:
        with_mask = [e.id for e in project.entries if project.load_mask(e.id) is not None]
        statuses = {e.id: e.status for e in project.entries}
    assert len(with_mask) == killed_after
    assert {i: statuses[i] for i in with_mask} == dict.fromkeys(with_mask, Status.EDITED)
    assert sorted(s for i, s in statuses.items() if i not in with_mask) == [Status.UNLABELED] * (8 - killed_after)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a write's file in /proc/self/fd")
def test_an_import_whose_journal_cannot_grow_still_imports_every_mask(demo_dir: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Each mask's journal line is only insurance against a kill: a journal that cannot be written
    (disk full for it) must not stop the import, whose batch writes ``project.json`` at its end."""
    from tests.foreign_files import demo_project
    from tests.unit.disk_faults import Faults

    project, names = demo_project(demo_dir, tmp_path)
    labels = demo_dir / "SegmentationClass"
    try:
        faults = Faults(monkeypatch)
        faults.fail("changes.jsonl", "write", errno.ENOSPC)
        report = project.import_labels(labels)
        faults.clear()
        assert report.imported == [Path(n).stem for n in names] and not report.failed
    finally:
        project.close()
    with Project.open(tmp_path / "images", tmp_path / "project", create=False) as again:
        assert [e.status for e in again.entries] == [Status.EDITED] * len(names)
