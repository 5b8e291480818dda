"""A batch (an import of labels, predictions saved in bulk) ends with one ``project.json`` rewrite.
When that rewrite failed (a nearly full disk) the batch's saves went to the journal and
`Project.compaction_error` was set, but no event said so: the app told the annotator only at the
next save or project open. The end of a batch now emits the rewrite's outcome, "compaction_failed"
(with the error) or "compacted", as the end of a background rewrite does."""

from __future__ import annotations

import errno
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project, ProjectSaveError
from tests.unit.crash_worker import disk_state, make_images, mask_hash
from tests.unit.disk_faults import Faults

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a write's file in /proc/self/fd")


def _masks(project: Project, ids: list[str], value: int) -> list[np.ndarray]:
    masks = []
    for n, image_id in enumerate(ids):
        mask = np.zeros(project.open_document(image_id, autosave=False).shape, np.uint8)
        mask[: n + value, : n + 2] = 1
        masks.append(mask)
    return masks


def test_the_end_of_a_batch_tells_whether_its_rewrite_failed(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    with Project.open(make_images(tmp_path / "images", seed=5, count=3)) as project:
        ids = project.ids
        events: list[tuple] = []
        project.events.connect(events.append)
        faults = Faults(monkeypatch)
        faults.fail("project.json", "half", errno.ENOSPC)
        masks = _masks(project, ids, 2)
        with project.batch():
            for image_id, mask in zip(ids, masks, strict=True):
                project.save_mask(image_id, mask, Status.PREDICTED)
            assert events == []  # nothing is told before the batch's end
        assert faults.hits
        error = project.compaction_error
        assert isinstance(error, ProjectSaveError) and "disk full" in error.reason
        assert events == [("compaction_failed", "", error)]
        state = disk_state(project.folder)  # every mask saved, its state in the journal
        assert [state[i][0] for i in ids] == [mask_hash(m) for m in masks]

        faults.clear()  # room again: the next batch's rewrite works and says so
        with project.batch():
            project.save_mask(ids[0], _masks(project, ids[:1], 4)[0], Status.PREDICTED)
        assert project.compaction_error is None
        assert events[1:] == [("compacted", "", None)]
        assert not (project.folder / "changes.jsonl").exists()


def test_import_labels_ends_by_telling_a_failed_rewrite(demo_dir: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    with Project.open(demo_dir, tmp_path / "project") as project:
        events: list[tuple] = []
        project.events.connect(events.append)
        Faults(monkeypatch).fail("project.json", "write", errno.ENOSPC)
        report = project.import_labels()
        assert report.imported
        assert [e[0] for e in events] == ["compaction_failed"] and events[0][2] is project.compaction_error
