"""Recovery logs another process is still saving (the app holds the project; its PNG writes are
pending): a project opened read-only beside it neither applies nor deletes them, says which images
have them (`Project.pending_logs`) and reads their newest masks and statuses; ``fosp project
status`` and ``fosp project export`` (another process) see the newest masks and say that saves are
pending. And a commit whose record cannot be appended (disk full, EIO) is told as not saved, its
edit kept in the document, as the synchronous save did."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from fosp_core.annotation import mask_saves, tools
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.storage import StorageError
from fosp_core.cli import main
from fosp_core.io.masks import read_mask
from tests.unit.crash_worker import make_images, mask_hash

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def app_project(tmp_path: Path, held: threading.Event) -> Iterator[tuple[Project, list]]:
    """The 'app': a writable project saving in the background, image 0 saved once (its mask file
    there), then edited and reviewed with the PNG write held; yields it and [doc]."""
    folder = make_images(tmp_path / "images", seed=11, count=3)
    project = Project.open(folder)
    doc = project.open_document(project.ids[0])
    tools.brush(doc, [(3.0, 3.0), (9.0, 6.0)], 2.5)  # saved in the commit: the mask file exists
    project.save_in_background = True
    tools.brush(doc, [(12.0, 14.0), (20.0, 18.0)], 3.0)
    doc.set_status("reviewed")
    assert log_path(project.mask_path(doc.image_id)).is_file()
    yield project, [doc]
    held.set()
    project.close()


def test_a_read_only_project_shows_pending_logs_without_applying_or_deleting_them(
        app_project: tuple[Project, list]) -> None:
    project, (doc,) = app_project
    log = log_path(project.mask_path(doc.image_id))
    data, png = log.read_bytes(), project.mask_path(doc.image_id).read_bytes()
    reader = Project.open(project.folder)
    try:
        assert reader.read_only
        assert reader.pending_logs == [doc.image_id] and reader.recovered == []
        assert mask_hash(reader.load_mask(doc.image_id)) == mask_hash(doc.mask)
        assert reader.entry(doc.image_id).status.value == "reviewed"
        assert mask_hash(reader.open_document(doc.image_id).mask) == mask_hash(doc.mask)
    finally:
        reader.close()
    assert log.read_bytes() == data and project.mask_path(doc.image_id).read_bytes() == png


def test_cli_status_counts_pending_commits_and_says_so(app_project: tuple[Project, list],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    project, (doc,) = app_project
    assert main(["project", "status", str(project.folder), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["status"]["reviewed"] == 1
    assert info["pending_saves"] == [doc.image_id]
    assert main(["project", "status", str(project.folder)]) == 0
    assert "1 image(s) with edits not yet in their mask files" in capsys.readouterr().out


def test_cli_export_in_another_process_has_the_newest_mask(app_project: tuple[Project, list],
                                                          tmp_path: Path) -> None:
    project, (doc,) = app_project
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    dst = tmp_path / "export"
    cli = "import sys; from fosp_core.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run([sys.executable, "-c", cli, "project", "export", str(project.folder), str(dst),
                           "--all-train", "--reviewed-only"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    exported = sorted(dst.rglob("*.png"))
    masks = [p for p in exported if "SegmentationClass" in p.parts]
    assert [p.stem for p in masks] == [doc.image_id]
    assert mask_hash(read_mask(masks[0])) == mask_hash(doc.mask)
    assert "not yet in their mask files" in proc.stderr
    assert log_path(project.mask_path(doc.image_id)).is_file()  # the app's log untouched


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
def test_a_record_that_cannot_be_appended_is_a_commit_not_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              held: threading.Event, err: int) -> None:
    folder = make_images(tmp_path / "images", seed=12, count=2)
    with Project.open(folder) as project:
        project.save_in_background = True
        doc = project.open_document(project.ids[0])
        tools.brush(doc, [(4.0, 4.0)], 2.0)  # logged; its PNG held
        log = log_path(project.mask_path(doc.image_id))
        before = log.read_bytes()
        events: list[tuple] = []
        project.events.connect(events.append)
        real = mask_saves.append_record

        def failing(path: Path, line: bytes, **kwargs: object) -> None:
            raise StorageError(path, f"cannot write: {os.strerror(err)}", err)

        monkeypatch.setattr(mask_saves, "append_record", failing)
        tools.brush(doc, [(15.0, 15.0), (18.0, 9.0)], 3.0)
        want = doc.mask.copy()
        assert [e[:2] for e in events] == [("save_failed", doc.image_id)]
        assert not project.is_saved(doc) and mask_hash(doc.mask) == mask_hash(want)
        assert log.read_bytes() == before
        monkeypatch.setattr(mask_saves, "append_record", real)
        held.set()
        project.finish_saves(wait=True)
        project.save_document(doc)  # the retry the app makes after a save that worked
        assert project.is_saved(doc)
    with Project.open(folder) as again:
        assert mask_hash(again.load_mask(doc.image_id)) == mask_hash(want)
