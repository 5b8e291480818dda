"""Projects: create/reopen, format contract, autosave, import, locks, read-only, disk full."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation import project as project_module
from fosp_core.annotation import storage, tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import dump_change, journal_generation
from fosp_core.annotation.project import (
    Project,
    ProjectError,
    ProjectFormatError,
    ProjectReadOnlyError,
    ProjectSaveError,
)
from fosp_core.io import atomic as atomic_io
from fosp_core.io.masks import read_mask


@pytest.fixture()
def dataset(demo_dir, tmp_path) -> Path:
    dst = tmp_path / "demo"
    shutil.copytree(demo_dir, dst)
    return dst


@pytest.fixture()
def project(dataset):
    with Project.open(dataset) as p:
        yield p


def test_create_and_reopen(dataset, project):
    assert project.folder == (dataset / ".fosp").absolute()
    assert len(project.ids) == 4 and all(e.status == Status.UNLABELED for e in project.entries)
    assert all(e.split == "val" and e.label for e in project.entries)
    assert project.image_path(project.ids[0]).is_file()
    project.close()
    again = Project.open(dataset)
    assert again.ids == project.ids and not again.read_only
    again.close()


def test_project_file_contract(project):
    data = json.loads((project.folder / "project.json").read_text())
    assert data["format"] == "fosp-project" and data["version"] == 1
    assert data["images_root"] == ".."
    assert set(data["images"][0]) == {"id", "image", "status", "updated", "label", "split", "size",
                                      "smoke_ratio", "prediction"}
    assert data["images"][0]["image"].startswith("JPEGImages/")


def test_unknown_keys_are_kept(dataset, project):
    path = project.folder / "project.json"
    data = json.loads(path.read_text())
    data["future_thing"] = {"a": 1}
    data["images"][0]["reviewer"] = "ana"
    path.write_text(json.dumps(data))
    project.close()
    with Project.open(dataset) as p:
        p.set_status(p.ids[0], Status.REVIEWED)
    data = json.loads(path.read_text())
    assert data["future_thing"] == {"a": 1} and data["images"][0]["reviewer"] == "ana"
    assert data["images"][0]["status"] == "reviewed"


@pytest.mark.parametrize(("edit", "field"), [
    (lambda d: d.update(format="other"), "format"),
    (lambda d: d.update(version=99), "version"),
    (lambda d: d["images"][1].update(status="done"), "images[1].status"),
    (lambda d: d["images"][2].update(size=[0, 3]), "images[2].size"),
    (lambda d: d["images"][3].update(id=d["images"][0]["id"]), "images[3].id"),
])
def test_bad_project_file_names_the_field(dataset, project, edit, field):
    path = project.folder / "project.json"
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))
    project.close()
    with pytest.raises(ProjectFormatError) as info:
        Project.open(dataset)
    assert info.value.field == field and info.value.path == path


def test_autosave_after_each_commit_and_undo(dataset, project):
    image_id = project.ids[1]
    doc = project.open_document(image_id)
    tools.brush(doc, [(100, 100), (200, 150)], 6)
    assert project.is_saved(doc)
    np.testing.assert_array_equal(read_mask(project.mask_path(image_id)), doc.mask)
    assert project.entry(image_id).status == Status.EDITED
    doc.set_status(Status.REVIEWED)
    doc.undo()  # undoes the status
    doc.undo()  # undoes the stroke
    np.testing.assert_array_equal(read_mask(project.mask_path(image_id)), 0)
    project.close()
    with Project.open(dataset) as again:
        assert again.entry(image_id).status == Status.UNLABELED
        assert again.entry(image_id).size == (512, 512)


def test_the_history_event_comes_after_the_autosave(project):
    """Lists refresh on the document's "history" event (the app's worklist filters by status and
    sorts by smoke size): it must find the commit saved. It came before the save, so the worklist
    filtered and sorted by the entry as it was one edit earlier."""
    image_id = project.ids[1]
    doc = project.open_document(image_id)
    seen: list[tuple[Status, float | None, bool]] = []

    def on_event(event) -> None:  # noqa: ANN001 - a DocumentEvent
        if event.kind == "history":
            entry = project.entry(image_id)
            seen.append((entry.status, entry.smoke_ratio, project.is_saved(doc)))

    doc.events.connect(on_event)
    tools.brush(doc, [(100, 100), (200, 150)], 6)
    doc.set_status(Status.REVIEWED)
    doc.undo()
    assert [s[0] for s in seen] == [Status.EDITED, Status.REVIEWED, Status.EDITED]
    assert all(s[2] for s in seen) and seen[0][1] is not None and seen[0][1] > 0


def test_import_dataset_labels_and_wrong_size(dataset, project, tmp_path):
    report = project.import_labels()
    assert len(report.imported) == 4 and not report.skipped
    saved = json.loads((project.folder / "project.json").read_text())  # batch wrote the state once
    assert [e["status"] for e in saved["images"]] == ["edited"] * 4
    first = project.ids[0]
    expected = read_mask(dataset / "SegmentationClass" / f"{first}.png")
    np.testing.assert_array_equal(project.load_mask(first), expected)
    assert project.entry(first).status == Status.EDITED
    doc = project.open_document(first)
    tools.brush(doc, [(5, 5)], 3)
    folder = tmp_path / "pngs"
    folder.mkdir()
    for k, image_id in enumerate(project.ids):
        size = (512, 512) if k != 2 else (256, 512)
        Image.fromarray(np.full(size, 255 if k else 0, np.uint8)).save(folder / f"{image_id}.png")
    report = project.import_labels(folder)
    reasons = dict(report.skipped)
    assert "already edited" in reasons[first]
    assert "is 512x256, the image is 512x512" in reasons[project.ids[2]]  # width x height
    assert report.imported == [project.ids[1], project.ids[3]]
    assert (project.load_mask(project.ids[1]) == 1).all()
    np.testing.assert_array_equal(project.load_mask(project.ids[2]),
                                  read_mask(dataset / "SegmentationClass" / f"{project.ids[2]}.png"))


def test_plain_folder_and_chosen_location(tmp_path, demo_dir):
    images = tmp_path / "imgs"
    images.mkdir()
    for p in sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:2]:
        shutil.copy(p, images)
    where = tmp_path / "elsewhere" / "proj"
    with Project.open(images, location=where) as p:
        assert p.folder == where and len(p.ids) == 2 and p.entries[0].label is None
        assert p.image_path(p.ids[0]).is_file()
    with Project.open(where) as p:  # the project folder itself reopens it
        assert len(p.ids) == 2


def test_second_instance_is_read_only_with_owner(dataset, project):
    second = Project.open(dataset)
    assert second.read_only
    assert second.read_only_reason.startswith(f"locked by pid {os.getpid()} on host {storage.socket.gethostname()} (")
    with pytest.raises(ProjectReadOnlyError, match="locked by pid"):
        second.set_status(second.ids[0], Status.REVIEWED)
    doc = second.open_document(second.ids[0])
    tools.brush(doc, [(5, 5)], 3)  # editing in memory works, nothing is written
    assert not second.mask_path(second.ids[0]).exists()


def test_saves_go_to_the_journal_and_fold_into_project_json(dataset, project):
    state = project.folder / "project.json"
    journal = project.folder / "changes.jsonl"
    before = state.read_bytes()
    image_id = project.ids[1]
    doc = project.open_document(image_id)
    tools.brush(doc, [(100, 100)], 6)
    project.set_status(project.ids[2], Status.REVIEWED)
    assert state.read_bytes() == before  # a save appends a line instead of rewriting the file
    assert len(journal.read_bytes().splitlines()) == 2
    reader = Project.open(dataset)  # another instance (read-only) sees the journal's state
    assert reader.read_only
    assert reader.entry(image_id).status == Status.EDITED and reader.entry(image_id).smoke_ratio > 0
    assert reader.entry(project.ids[2]).status == Status.REVIEWED
    project.close()  # folds the journal into project.json
    assert not journal.exists()
    data = {e["id"]: e for e in json.loads(state.read_text())["images"]}
    assert data[image_id]["status"] == "edited" and data[project.ids[2]]["status"] == "reviewed"


def test_a_torn_journal_line_is_skipped_and_the_rest_applied(dataset, project):
    journal = project.folder / "changes.jsonl"
    project.set_status(project.ids[0], Status.REVIEWED)
    with open(journal, "ab") as fh:  # the last append of a crashed process, cut short
        fh.write(b'{"id": "' + project.ids[1].encode() + b'", "image": "JPEGIm')
    project.set_status(project.ids[2], Status.EDITED)  # appended after the torn line, not glued to it
    stale = project.entry(project.ids[3])
    stale.status = Status.REVIEWED  # a line left from before project.json was last written
    with open(journal, "ab") as fh:
        fh.write(dump_change(stale, journal_generation(project.header) - 1))
    stale.status = Status.UNLABELED
    project.lock.release()  # as if the process had died holding it
    project.lock = None
    with Project.open(dataset) as again:
        assert not again.read_only
        assert [again.entry(i).status for i in again.ids] == [Status.REVIEWED, Status.UNLABELED, Status.EDITED,
                                                             Status.UNLABELED]
        assert not journal.exists()  # opening for writing folded it into project.json
    with Project.open(dataset) as third:
        assert third.entry(third.ids[2]).status == Status.EDITED


def test_a_long_journal_is_folded_into_project_json(dataset, project, monkeypatch):
    monkeypatch.setattr(project_module, "JOURNAL_LIMIT", 3)
    journal = project.folder / "changes.jsonl"
    for status in (Status.REVIEWED, Status.EDITED, Status.REVIEWED):
        project.set_status(project.ids[0], status)
    assert len(journal.read_bytes().splitlines()) == 3
    project.set_status(project.ids[1], Status.REVIEWED)  # the fourth change rewrites project.json
    assert not journal.exists()
    data = json.loads((project.folder / "project.json").read_text())["images"]
    assert [data[0]["status"], data[1]["status"]] == ["reviewed", "reviewed"]


def test_lock_held_by_other_live_process(dataset, project):
    project.close()
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock = dataset / ".fosp" / "lock"
        lock.write_text(json.dumps({"pid": holder.pid, "host": storage.socket.gethostname(), "created": 0}))
        p = Project.open(dataset)
        assert p.read_only and p.locked_by.pid == holder.pid
        assert f"locked by pid {holder.pid} on host" in p.read_only_reason
    finally:
        holder.kill()
        holder.wait()
    p2 = Project.open(dataset)  # now stale: taken over
    assert not p2.read_only and p2.lock.took_over.pid == holder.pid
    assert json.loads(lock.read_text())["pid"] == os.getpid()
    p2.close()
    assert not lock.exists()


def test_garbage_lock_is_stale(dataset, project, monkeypatch):
    project.close()
    # an empty lock is read again for EMPTY_LOCK_WAIT_S (2 s) before it counts as stale: a tenth of a second
    # here (a lock being written read again: tests/unit/test_team_lock_without_links.py)
    monkeypatch.setattr(storage, "EMPTY_LOCK_WAIT_S", 0.1)
    (dataset / ".fosp" / "lock").write_text("")
    with Project.open(dataset) as p:
        assert not p.read_only


def test_unwritable_folder_opens_read_only(dataset, project, monkeypatch):
    project.close()

    def refuse(self):
        raise storage.StorageError(self.path.parent, "Read-only file system", errno.EROFS)

    monkeypatch.setattr(storage.ProjectLock, "_try_create", refuse)
    p = Project.open(dataset)
    assert p.read_only and "not writable" in p.read_only_reason
    with pytest.raises(ProjectReadOnlyError):
        p.save_mask(p.ids[0], np.zeros((512, 512), np.uint8))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores file permissions")
def test_really_read_only_folder(dataset, project):
    project.close()
    folder = dataset / ".fosp"
    os.chmod(folder, 0o555)
    try:
        p = Project.open(dataset)
        assert p.read_only
    finally:
        os.chmod(folder, 0o755)


def test_disk_full_mid_write_keeps_old_files(dataset, project, monkeypatch):
    image_id = project.ids[0]
    doc = project.open_document(image_id)
    tools.brush(doc, [(50, 50)], 10)
    saved_mask = read_mask(project.mask_path(image_id))
    saved_json = (project.folder / "project.json").read_bytes()
    saved_journal = (project.folder / "changes.jsonl").read_bytes()
    real_write = atomic_io._write_chunk

    def half_then_full(fd, data):
        if len(data) > 64:
            real_write(fd, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(atomic_io, "_write_chunk", half_then_full)
    failures = []
    project.events.connect(lambda ev: failures.append(ev) if ev[0] == "save_failed" else None)
    tools.brush(doc, [(300, 300)], 10)  # autosave fails: mask write hits ENOSPC
    assert failures and isinstance(failures[0][2], ProjectSaveError) and "disk full" in str(failures[0][2])
    assert not project.is_saved(doc)
    np.testing.assert_array_equal(read_mask(project.mask_path(image_id)), saved_mask)
    assert (project.folder / "project.json").read_bytes() == saved_json
    assert not [p for p in project.folder.rglob("*.tmp")]
    with pytest.raises(ProjectSaveError):
        project.set_status(image_id, Status.REVIEWED)
    assert project.entry(image_id).status == Status.EDITED
    assert (project.folder / "changes.jsonl").read_bytes() == saved_journal  # no torn line left
    monkeypatch.setattr(atomic_io, "_write_chunk", real_write)
    project.save_document(doc)  # retry after space was freed
    assert project.is_saved(doc)
    np.testing.assert_array_equal(read_mask(project.mask_path(image_id)), doc.mask)


def test_prediction_summary_and_predicted_status(project):
    image_id = project.ids[0]
    label = project.load_label(image_id)
    prob = (label == 1).astype(np.float32) * 0.9
    summary = project.set_prediction(image_id, prob, 0.5)
    assert summary["error_vs_label"] == pytest.approx(0.0)
    assert project.entry(image_id).status == Status.PREDICTED
    np.testing.assert_array_equal(project.load_mask(image_id), (label == 1).astype(np.uint8))
    doc = project.open_document(image_id)
    assert doc.probability is not None and abs(float(doc.probability.max()) - 0.9) < 0.01


def test_missing_project_without_create(tmp_path):
    with pytest.raises(ProjectError, match="no annotation project"):
        Project.open(tmp_path, create=False)


def test_shipped_demo_project_lives_in_the_cache(demo_dir, tmp_path, monkeypatch):
    """Opening the bundled demo never writes into the install folder; the work is still saved."""
    from fosp_core.annotation.project import Project

    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    project = Project.open(demo_dir)
    try:
        assert tmp_path / "cache" / "projects" in project.folder.parents
        assert not (demo_dir / ".fosp").exists()
        assert not project.read_only
    finally:
        project.close()
