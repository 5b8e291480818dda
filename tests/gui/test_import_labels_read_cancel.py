"""Import Labels while its source is still being read (a big COCO/CVAT file: seconds of parsing):
Cancel ends the import at once, nothing imported, and the read is given up (it asks the job's stop
between the elements it parses); closing the window does not wait for the read. Closing the window
while the smoke labels are asked for starts nothing afterwards. No timings: which job is running,
what the read did, what was written."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from app.annotation import import_job
from fosp_core.annotation.labels import image_size
from fosp_core.annotation.project import Project
from tests.gui.annotation_helpers import demo_window

SAFETY_S = 20  # only so that a broken build cannot hang the suite; no assertion depends on it


def write_coco(path: Path, project: Project, names: tuple[str, ...] = ("smoke",)) -> Path:
    """A COCO file with a triangle of each label in `names` on every image of `project`."""
    images, annotations = [], []
    for i, entry in enumerate(project.entries):
        h, w = image_size(project.image_path(entry.id))
        images.append({"id": i, "file_name": Path(entry.image).name, "height": h, "width": w})
        for c, _name in enumerate(names):
            annotations.append({"id": len(annotations), "image_id": i, "category_id": c + 1, "iscrowd": 0,
                                "segmentation": [[10, 10, w / 2, 12, w / 3, h / 2]]})
    categories = [{"id": c + 1, "name": n} for c, n in enumerate(names)]
    path.write_text(json.dumps({"images": images, "annotations": annotations, "categories": categories}))
    return path


class _HeldRead:
    """`read_foreign` as the import job calls it, held until `release`: then the real read, with the
    job's stop; `outcome` says whether it read the file or gave up."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started, self.released, self.ended = threading.Event(), threading.Event(), threading.Event()
        self.outcome = ""
        real = import_job.read_foreign

        def held(source: Path, cancelled=None):  # noqa: ANN001, ANN202
            self.started.set()
            self.released.wait(SAFETY_S)
            try:
                found = real(source, cancelled) if cancelled is not None else real(source)
                self.outcome = "read"
                return found
            except BaseException as exc:
                self.outcome = type(exc).__name__
                raise
            finally:
                self.ended.set()

        monkeypatch.setattr(import_job, "read_foreign", held)


def _mask_files(project: Project) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (project.folder / "masks").glob("*.png")}


def _import_held(qtbot, make_window, demo_dir: Path, tmp_path: Path,  # noqa: ANN001, ANN202
                 monkeypatch: pytest.MonkeyPatch):
    """A demo window, a COCO file of its project, the project's mask files before, and its reads held."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    project = window.annotation.worklist.project
    coco = write_coco(tmp_path / "instances.json", project)
    return window, project, coco, _mask_files(project), _HeldRead(monkeypatch)


def test_cancel_while_reading_ends_the_import_at_once_and_the_read_is_given_up(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window, project, coco, before, read = _import_held(qtbot, make_window, demo_dir, tmp_path, monkeypatch)
    ui = window.annotation
    ended: list[object] = []
    ui.imports.ended.connect(ended.append)
    assert ui.start_import(coco)
    job = ui.imports.job
    assert read.started.wait(SAFETY_S)
    ui.imports.dialog.findChild(QPushButton).click()  # the user's Cancel, the read not done
    assert ui.imports.job is None and ui.imports.dialog is None and ended == [None]  # free at once
    assert "nothing imported" in window.statusBar().currentMessage()
    assert ui.controller.document is not None  # the tools have their document again
    read.released.set()
    assert read.ended.wait(SAFETY_S)
    job.thread.join(SAFETY_S)
    qtbot.wait(50)  # what the abandoned job signalled is delivered (and dropped)
    assert read.outcome == "ReadCancelled"  # given up, not read to the end
    assert ended == [None] and _mask_files(project) == before
    assert ui.start_import(coco) and ui.imports.wait() is not None  # a new import runs as usual


def test_closing_the_window_while_reading_does_not_wait_for_the_read(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window, project, coco, before, read = _import_held(qtbot, make_window, demo_dir, tmp_path, monkeypatch)
    ui = window.annotation
    assert ui.start_import(coco)
    job = ui.imports.job
    assert read.started.wait(SAFETY_S)
    window.close()
    assert not read.ended.is_set() and job.thread.is_alive()  # closed with the read still going
    read.released.set()
    job.thread.join(SAFETY_S)
    assert read.outcome == "ReadCancelled" and _mask_files(project) == before


def test_closing_the_window_while_the_labels_are_asked_starts_nothing(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    ui = window.annotation
    project = ui.worklist.project
    coco = write_coco(tmp_path / "instances.json", project, ("plume", "haze"))
    before = _mask_files(project)
    asked: list[list[str]] = []

    def ask(_parent, _source: str, labels: list[str]) -> list[str]:  # noqa: ANN001
        asked.append(list(labels))
        window.close()  # the window goes while the question is open (quit, logout)
        return ["plume"]

    monkeypatch.setattr("app.annotation.ask_smoke_labels", ask)
    assert ui.start_import(coco)
    qtbot.waitUntil(lambda: bool(asked), timeout=SAFETY_S * 1000)
    qtbot.wait(50)
    assert asked == [["plume", "haze"]]
    assert ui.imports.job is None  # no second job on the closed project
    for thread in threading.enumerate():
        if thread.name == "fosp-import-labels":
            thread.join(SAFETY_S)
    assert _mask_files(project) == before
