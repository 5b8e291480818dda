"""Annotate > Export to SmokeSeg as a user would, from the window, on a folder of photos with unicode names (an
accent, a space, CJK, full-width letters, a decomposed accent) and three of them painted: to a folder of the user's
own files, twice to the same place, on a full disk, cancelled half way; each time the words said, what is left at
the destination and the project's own masks. What an export wrote is read back by `fosp dataset` (the round trip).

The dialog told a user whose folder held their own files (notes.txt) to "tick Replace", and Replace then deleted
them (the whole folder was replaced by the dataset): now such a folder is refused, Replace ticked or not, in words
that say Replace would delete them; a folder holding an earlier export is still replaced when asked."""

from __future__ import annotations

import errno
import os
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QDialogButtonBox

from app.annotation.export_dialog import ExportDialog
from fosp_core.cli import main as fosp
from fosp_core.data import smokeseg
from fosp_core.data.datasets import open_dataset
from tests.gui.annotation_helpers import drag, key, open_and_wait

NAMES = ["fumée été.jpg", "煙_雲.jpg", "ＳＭＯＫＥ.jpg", "cafe\u0301.jpg"]  # the window's first three painted


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    """A window on a folder of the demo's photos named `NAMES`, three of them painted (saved)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    photos = tmp_path / "photos ünï"
    photos.mkdir()
    for src, name in zip(sorted((demo_dir / "JPEGImages").glob("*.jpg")), NAMES, strict=True):
        shutil.copyfile(src, photos / name)
    win = make_window(show=True)
    win.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, win, photos)
    controller = win.annotation.controller
    for i in range(3):
        key(win, "B")
        drag(win, [(100, 100 + 40 * i), (200, 120 + 40 * i)])
        win.session.next()
        qtbot.waitUntil(lambda i=i: controller.document is not None
                        and controller.image_path == win.session.paths[i + 1], timeout=10000)
    return win


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _project_files(window) -> dict[str, bytes]:  # noqa: ANN001
    folder = Path(window.annotation.worklist.project.folder)
    return {k: v for k, v in _files(folder).items() if k.endswith(".png")}  # the masks (a journal may grow)


def _export(qtbot, window, dst: Path | str, *, replace: bool = False, wait: bool = True):  # noqa: ANN001, ANN202
    dialog: ExportDialog = window.annotation.open_export_dialog()
    qtbot.waitUntil(lambda: not dialog.probing)
    dialog.dst.setText(str(dst))
    dialog.overwrite.setChecked(replace)
    reports: list[object] = []
    dialog.exported.connect(reports.append)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    if wait:
        qtbot.waitUntil(lambda: bool(reports) or dialog.error is not None, timeout=60000)
    return dialog, reports


def test_a_folder_of_ones_own_files_is_never_replaced(qtbot, window, tmp_path: Path) -> None:  # noqa: ANN001
    mine = tmp_path / "Documents"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes")
    beside = sorted(os.listdir(tmp_path))
    for replace in (False, True):
        dialog, reports = _export(qtbot, window, mine, replace=replace)
        assert reports == [] and dialog.error is not None
        assert dialog.error == (f"{mine} holds files that are not an export's (e.g. notes.txt): choose another "
                                "folder (Replace would delete them)")  # was: "... or tick “Replace ...”"
        assert dialog.overwrite.text() in dialog.error or "Replace" in dialog.error
        dialog.reject()
        assert _files(mine) == {"notes.txt": b"my notes"}  # was: replaced by the dataset with Replace ticked
    assert sorted(os.listdir(tmp_path)) == beside  # no temporary folder left


def test_twice_to_one_place_then_replaced_and_read_back(qtbot, window, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    masks, beside = _project_files(window), sorted(os.listdir(tmp_path))
    out = tmp_path / "export ünï"
    dialog, reports = _export(qtbot, window, out)
    assert dialog.error is None and len(reports) == 1
    first = _files(out)
    dialog, reports = _export(qtbot, window, out)  # the same place again: an earlier export there
    assert dialog.error == (f"{out} is not empty: choose another folder or tick \u201c{dialog.overwrite.text()}"
                            "\u201d")
    assert _files(out) == first
    dialog.overwrite.setChecked(True)  # the way out it names
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dialog.report is not None or dialog.error is not None, timeout=60000)
    assert dialog.error is None and _files(out).keys() == first.keys()
    assert sorted(os.listdir(tmp_path)) == sorted([*beside, out.name])  # no old copy, no temporary folder
    assert "Exported 3 images to" in window.statusBar().currentMessage()
    assert _project_files(window) == masks  # the project's own masks untouched
    data = open_dataset(out)  # read back: the ids, and each mask as the project holds it
    project = window.annotation.worklist.project
    by_id = {e.id.replace(" ", "_"): e.id for e in project.entries if project.load_mask(e.id) is not None}
    assert {s.id for s in data} == set(by_id) and len(by_id) == 3 and data.skipped == []
    for sample in data:
        np.testing.assert_array_equal(sample.mask, project.load_mask(by_id[sample.id]))
    capsys.readouterr()
    assert fosp(["dataset", "stats", str(out)]) == 0
    said = capsys.readouterr().out
    assert "layout: smokeseg" in said and "images: 3" in said


def test_a_full_disk_leaves_the_earlier_export_and_says_what_to_do(qtbot, window, tmp_path: Path,  # noqa: ANN001
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    _export(qtbot, window, out)[0].reject()
    first, masks, beside = _files(out), _project_files(window), sorted(os.listdir(tmp_path))
    real, calls = smokeseg._write_one, [0]

    def full(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - the disk fills at the second image
        calls[0] += 1
        if calls[0] == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)

    monkeypatch.setattr(smokeseg, "_write_one", full)
    dialog, reports = _export(qtbot, window, out, replace=True)
    assert reports == [] and dialog.windowTitle().endswith("failed")
    assert dialog.error == (f"{out}: cannot write the dataset: disk full; the destination is left as it was: free "
                            "some space there or choose another folder")
    assert _files(out) == first and _project_files(window) == masks
    assert sorted(os.listdir(tmp_path)) == beside  # no temporary folder left


def test_cancel_half_way_shows_progress_leaves_nothing_and_says_so(qtbot, window, tmp_path: Path,  # noqa: ANN001
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    entered, gate = threading.Event(), threading.Event()
    real, calls = smokeseg._write_one, [0]

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - the second image takes its time
        calls[0] += 1
        if calls[0] == 2:
            entered.set()
            gate.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(smokeseg, "_write_one", slow)
    out, beside = tmp_path / "out", sorted(os.listdir(tmp_path))
    dialog, _reports = _export(qtbot, window, out, wait=False)
    qtbot.waitUntil(entered.is_set, timeout=20000)
    qtbot.waitUntil(lambda: dialog.progress.value() == 1, timeout=20000)
    assert dialog.progress.isVisible() and dialog.progress.maximum() == 3
    cancelled: list[bool] = []
    dialog.worker.signals.cancelled.connect(lambda: cancelled.append(True))
    dialog.reject()
    gate.set()
    qtbot.waitUntil(lambda: bool(cancelled), timeout=20000)
    assert window.statusBar().currentMessage() == f"Export cancelled: nothing written to {out}"  # was: silence
    assert not out.exists()
    assert sorted(os.listdir(tmp_path)) == beside  # no temporary folder left


def test_a_blank_or_relative_destination_is_refused_before_anything_is_written(qtbot, window, tmp_path: Path,  # noqa: ANN001
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A blank destination wrote into the folder the app was started from ('.: folder became non-empty while
    writing'), "   " made a folder named three spaces there, and "out" an export there: a place the user never
    sees. Now each is refused, nothing written, with what to type."""
    started_in = tmp_path / "started in"
    started_in.mkdir()
    monkeypatch.chdir(started_in)
    for typed in ("", "   ", "out", "sub/out"):
        dialog, reports = _export(qtbot, window, typed)  # type: ignore[arg-type]
        assert reports == [] and dialog.worker is None and dialog.error is not None
        if typed.strip():
            beside = Path(window.annotation.worklist.project.images_root).parent / typed
            assert dialog.error == (f"{typed} is not a full path: type the folder's whole path (e.g. {beside}) or "
                                    "press Browse\u2026")
        else:
            assert dialog.error == "Type the folder to export to, or press Browse\u2026"
        dialog.reject()
    assert os.listdir(started_in) == []


def test_a_folder_of_ones_own_files_browsed_to_is_refused_at_once(qtbot, window, tmp_path: Path,  # noqa: ANN001
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Browsing to such a folder said nothing until Export (only the project's own files were looked for): the
    refusal, which holds with Replace ticked or not, now comes as soon as the folder is checked."""
    from PySide6.QtWidgets import QFileDialog

    mine = tmp_path / "Documents"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes")
    dialog: ExportDialog = window.annotation.open_export_dialog()
    qtbot.waitUntil(lambda: not dialog.probing)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: str(mine))
    dialog._browse()
    qtbot.waitUntil(lambda: dialog.error is not None, timeout=20000)  # was: no error until Export
    assert dialog.error_label.text() == (f"{mine} holds files that are not an export's (e.g. notes.txt): choose "
                                         "another folder (Replace would delete them)")
    dialog.reject()
    assert _files(mine) == {"notes.txt": b"my notes"}
