"""The Export dialog on a full disk and on a folder it may not write (session 36, helper X): what it tells the user,
and that nothing is left half-written (an earlier export kept whole, no temporary folder beside it).

Simulated as the other export tests do (an OSError raised by the writer: `errno.ENOSPC`, `EROFS`, `EACCES`; the
tests run as any user, root included, where a chmod would not refuse). Found: a read-only destination (a mounted
read-only card, a folder of another user's) was said as "cannot write in DIR: Read-only file system", with no word
of what was left or what to do (a full disk says both); and a full disk met after the export removed a dead
export's copy beside the destination lost its "free some space there" (the error's cause was the writer's own
error, not the OSError)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
import pytest

from app.annotation.export_dialog import ExportDialog
from fosp_core.annotation.project import Project
from fosp_core.data import smokeseg
from tests.unit.test_export_report_cleaned import dead_export_beside

LEFT = "the destination is left as it was"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    from PIL import Image

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    photos = tmp_path / "photos"
    photos.mkdir()
    rng = np.random.default_rng(3)
    for k in range(3):
        Image.fromarray(rng.integers(0, 255, (8, 12, 3), np.uint8)).save(photos / f"p{k}.png")
    project = Project.open(photos)
    for image_id in project.ids:
        project.save_mask(image_id, np.ones((8, 12), np.uint8), "edited")
    yield project
    project.close()


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _export(qtbot, project: Project, dst: Path, replace: bool = False) -> ExportDialog:  # noqa: ANN001
    dialog = ExportDialog(project, dst)
    qtbot.addWidget(dialog)
    dialog.overwrite.setChecked(replace)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.report is not None or dialog.error is not None, timeout=20000)
    return dialog


def _refusing(monkeypatch: pytest.MonkeyPatch, module: object, name: str, code: int, at: int = 1) -> None:
    real, calls = getattr(module, name), [0]

    def refused(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls[0] += 1
        if calls[0] == at:
            raise OSError(code, os.strerror(code), str(args[0]) if args else None)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, refused)


@pytest.mark.parametrize(("code", "said"), [
    (errno.EROFS, "Read-only file system"), (errno.EACCES, "Permission denied"), (errno.EPERM, "not permitted")])
def test_a_folder_it_may_not_write_says_what_was_left_and_what_to_do(qtbot, project: Project, tmp_path: Path,  # noqa: ANN001
                                                                     monkeypatch: pytest.MonkeyPatch, code: int,
                                                                     said: str) -> None:
    out = tmp_path / "card" / "out"
    out.parent.mkdir()
    _refusing(monkeypatch, smokeseg.tempfile, "mkdtemp", code)  # where the writer first writes: beside DST
    dialog = _export(qtbot, project, out)
    assert dialog.report is None and dialog.windowTitle().endswith("failed")
    assert said in dialog.error, dialog.error
    assert f"{LEFT}: choose a folder you may write to" in dialog.error, dialog.error  # was: the OS's words alone
    assert dialog.error_label.text() == dialog.error and not dialog.error_label.isHidden()
    assert os.listdir(out.parent) == []  # nothing made


def test_a_read_only_earlier_export_is_kept_whole(qtbot, project: Project, tmp_path: Path,  # noqa: ANN001
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace an earlier export whose folder refuses to be moved aside (read-only): kept whole, said."""
    out = tmp_path / "out"
    assert _export(qtbot, project, out).report is not None
    first, beside = _files(out), sorted(os.listdir(tmp_path))
    _refusing(monkeypatch, smokeseg, "replace_file", errno.EROFS)
    dialog = _export(qtbot, project, out, replace=True)
    assert dialog.report is None and f"{LEFT}: choose a folder you may write to" in dialog.error, dialog.error
    assert _files(out) == first and sorted(os.listdir(tmp_path)) == beside


@pytest.mark.skipif(os.name != "posix", reason="a dead writer is told by its pid on POSIX")
def test_a_full_disk_after_a_dead_exports_copy_was_removed_still_says_what_to_do(
        qtbot, project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    out = tmp_path / "out"
    assert _export(qtbot, project, out).report is not None
    first = _files(out)
    debris = dead_export_beside(out)
    _refusing(monkeypatch, smokeseg, "_write_one", errno.ENOSPC, at=2)
    dialog = _export(qtbot, project, out, replace=True)
    assert not debris.exists()  # removed first, and said
    assert "disk full" in dialog.error and "removed a dead export's unfinished copy" in dialog.error, dialog.error
    assert f"{LEFT}: free some space there or choose another folder" in dialog.error, dialog.error  # was: lost
    assert _files(out) == first
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".out.")], os.listdir(tmp_path)


def test_a_full_disk_says_it_as_before(qtbot, project: Project, tmp_path: Path,  # noqa: ANN001
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    _refusing(monkeypatch, smokeseg, "_write_splits", errno.ENOSPC)  # the last write before the move
    dialog = _export(qtbot, project, out)
    assert dialog.error == (f"{out}: cannot write the dataset: disk full; {LEFT}: free some space there or "
                            "choose another folder")
    assert not out.exists() and not [n for n in os.listdir(tmp_path) if n.startswith(".out.")]


def test_a_destination_it_may_not_list_is_said_in_words(qtbot, project: Project, tmp_path: Path,  # noqa: ANN001
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A destination folder that cannot be listed (another user's, a share refusing it) was said as Python's
    "[Errno 13] Permission denied: '…/out'"."""
    from app.annotation import export_worker

    out = tmp_path / "out"
    out.mkdir()
    (out / "JPEGImages").mkdir()  # an earlier export's, say

    def unlistable(folder: object) -> list[str]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder))

    monkeypatch.setattr(export_worker, "foreign_names", unlistable)
    dialog = _export(qtbot, project, out, replace=True)
    assert dialog.report is None and "[Errno" not in dialog.error, dialog.error
    assert dialog.error == f"{out} cannot be read (Permission denied): choose another folder", dialog.error
    assert sorted(p.name for p in out.iterdir()) == ["JPEGImages"]
