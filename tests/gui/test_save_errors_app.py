"""A full disk in the window: a failed autosave is told in the status bar and to the error
reporter with the file and the reason, the edit stays on the canvas, and once there is room again
the next save - of any image - saves it too, before the window closes or anything crashes."""

from __future__ import annotations

import errno
from pathlib import Path

import numpy as np
import pytest

from app.services import CollectingErrorReporter
from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import demo_window, drag, key
from tests.unit.disk_faults import Faults

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a write's file in /proc/self/fd")


@pytest.fixture()
def reporter() -> CollectingErrorReporter:
    return CollectingErrorReporter()


@pytest.fixture()
def window(qtbot, make_window, reporter, demo_dir: Path, tmp_path: Path):
    win = demo_window(qtbot, make_window, demo_dir, tmp_path, error_reporter=reporter)
    return win


def _next_image(qtbot, window) -> None:  # noqa: ANN001 - qtbot fixture
    controller, before = window.annotation.controller, window.session.current_index
    key(window, "PgDown")
    qtbot.waitUntil(lambda: controller.document is not None and window.session.current_index == before + 1
                    and controller.image_path == window.session.current_path, timeout=10000)


def test_a_save_failed_on_a_full_disk_is_told_and_saved_with_the_next_save(qtbot, window, reporter,
                                                                           monkeypatch) -> None:
    controller = window.annotation.controller
    project, doc = controller.project, controller.document
    image_id = doc.image_id
    faults = Faults(monkeypatch)
    faults.fail(f"{image_id}.png", "half", errno.ENOSPC)
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])
    assert faults.hits
    message = window.statusBar().currentMessage()
    assert f"Could not save {image_id}: cannot write: disk full" in message and "the edit is kept" in message
    assert reporter.save_problems and reporter.save_problems[-1].error.path == project.mask_path(image_id)
    assert "disk full" in reporter.save_problems[-1].text() and not reporter.errors
    assert doc.mask[300, 150] == 1 and doc.status == Status.EDITED and not project.is_saved(doc)
    # nothing written, but the commit is the project's state: its log holds it (as a project opened again shows)
    assert not project.mask_path(image_id).exists() and project.entry(image_id).status == Status.EDITED
    assert np.array_equal(project.load_mask(image_id), doc.mask)  # the log applied: a document read again keeps the edit

    faults.clear()  # room again; the annotator goes on with the next image
    _next_image(qtbot, window)
    other = controller.document
    drag(window, [(100, 100), (150, 100)])
    assert project.is_saved(other)
    # the first image's edit is on disk now, not only when its document is let go or the window closes
    assert project.is_saved(doc)
    saved = project.load_mask(image_id)
    assert saved is not None and saved[300, 150] == 1
    assert project.entry(image_id).status == Status.EDITED
