"""A failed save and a file that could not be opened travel as different types to the error reporter
(`SaveProblem` and `LostEdits` against `OpenError`), so the reporters tell them apart by type, never by
their words: an image whose name begins "Could not save" is still a file that could not be opened,
and a reworded (translated) save message is still a save problem."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from app.save_problems import LostEdits, SaveProblem
from app.services import CollectingErrorReporter, DialogErrorReporter
from fosp_core.session import OpenError
from tests.gui.annotation_helpers import demo_window, drag, key
from tests.unit.disk_faults import Faults


def _problem(folder: Path) -> SaveProblem:
    error = OpenError(folder / "masks" / "img01.png", "cannot write: disk full")
    return SaveProblem("img01", error, folder, ("img01",), (error.reason,))


def test_an_image_named_like_a_save_message_that_fails_is_an_open_error(tmp_path: Path) -> None:
    """The message for an image whose size changed on disk begins with its id: for an image named
    "Could not save the whales.jpg" it read as a failed save (printed without "cannot open")."""
    image = tmp_path / "Could not save the whales.jpg"
    reason = ("Could not save the whales: the image is 256 x 256 now, its edits not saved were made at "
              "512 x 512: they are kept (saved as they were with the next save that works), not shown on the new image")
    reporter = CollectingErrorReporter()
    reporter.report(None, [OpenError(image, reason)])
    assert reporter.lines() == [f"cannot open {image}: {reason}"]


def test_a_reworded_save_problem_is_still_a_save_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The words may change (a translation): the reporter goes by the type."""
    monkeypatch.setattr(SaveProblem, "text", lambda self: f"Speichern von {self.image} fehlgeschlagen: Datenträger voll")
    reporter = CollectingErrorReporter()
    problem = _problem(tmp_path)
    reporter.report_save_problem(None, problem)
    assert reporter.lines() == [f"Speichern von img01 fehlgeschlagen: Datenträger voll ({problem.error.path})"]
    assert reporter.save_problems == [problem] and reporter.errors == []


def test_the_collecting_reporter_keeps_each_kind_apart_in_the_order_told(tmp_path: Path) -> None:
    reporter = CollectingErrorReporter()
    broken = OpenError(tmp_path / "broken.jpg", "not an image")
    problem = _problem(tmp_path)
    lost = LostEdits("img02", OpenError(tmp_path / "masks" / "img02.png", "cannot write: disk full"))
    reporter.report(None, [broken])
    reporter.report_save_problem(None, problem)
    reporter.report_lost_edits(None, [lost])
    assert reporter.errors == [broken] and reporter.save_problems == [problem] and reporter.lost == [lost]
    assert reporter.told == [broken, problem, lost]
    assert reporter.lines()[2] == \
        f"Could not save img02: cannot write: disk full - its last edits are lost ({tmp_path / 'masks' / 'img02.png'})"


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a write's file in /proc/self/fd")
def test_edits_lost_at_close_are_told_as_lost_edits(qtbot, make_window, demo_dir: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing the annotation while a save still fails loses the edit: told as `LostEdits` (their own
    words, the mask file), not as a file that could not be opened."""
    reporter = CollectingErrorReporter()
    window = demo_window(qtbot, make_window, demo_dir, tmp_path, error_reporter=reporter)
    controller = window.annotation.controller
    project, image_id = controller.project, controller.document.image_id
    faults = Faults(monkeypatch)
    faults.fail(f"{image_id}.png", "write", errno.ENOSPC)
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])
    told = len(reporter.told)
    window.annotation.close()  # without asking: the edit cannot be saved
    faults.clear()
    assert reporter.told[told:] == reporter.lost and reporter.errors == []
    [lost] = reporter.lost
    assert lost.image == image_id and lost.error.path == project.mask_path(image_id)
    assert lost.text() == f"Could not save {image_id}: cannot write: disk full - its last edits are lost"


def test_the_dialog_tells_lost_edits_as_not_saved_not_as_not_opened(qtbot, tmp_path: Path) -> None:
    """Edits lost used to go to the "Could not open 1 item." message."""
    reporter = DialogErrorReporter()
    mask = tmp_path / "masks" / "img02.png"
    reporter.report_lost_edits(None, [LostEdits("img02", OpenError(mask, "cannot write: disk full"))])
    dialog = reporter.save_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert reporter.dialog is None and dialog.isVisible()
    assert dialog.text() == "Could not save img02: cannot write: disk full - its last edits are lost"
    assert str(mask) in dialog.informativeText()
    dialog.close()
