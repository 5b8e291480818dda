"""An annotator's whole day in one window: what each export, image or video leaves behind stays
bounded (counts of Qt objects, not times); see bench/bench_all_day.py for the day itself."""

from __future__ import annotations

from pathlib import Path

from app.annotation.export_dialog import ExportDialog
from tests.gui.annotation_helpers import demo_window, drag, key
from tests.gui.settled_counts import qobject_count, settled


def _qobjects(qtbot, window) -> int:  # noqa: ANN001
    """The window's Qt objects once the export's aftermath (deleteLater, layout animations) is over."""
    return settled(qtbot, lambda: qobject_count(window))


def test_each_export_leaves_no_dialog_behind(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    """Every File > Export made a new dialog, a child of the window never deleted: 38 Qt objects (25
    widgets) more per export for the rest of the day."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    counts = []
    for n in range(4):
        dialog = window.annotation.open_export_dialog()
        assert dialog is not None
        dialog.dst.setText(str(tmp_path / f"out{n}"))
        with qtbot.waitSignal(dialog.exported, timeout=20000):
            dialog.start()
        assert not dialog.isVisible()
        counts.append(_qobjects(qtbot, window))
    assert len(window.findChildren(ExportDialog)) == 1  # the last one (its report is read by training)
    assert counts[1] == counts[2] == counts[3] <= counts[0], counts  # (the first export's pool signals go)


def test_images_visited_leave_counts_flat(qtbot, make_window, demo_dir: Path, tmp_path: Path,
                                          tiny_checkpoint: Path) -> None:
    """Twelve visits (predicted, accepted, brushed, undone, redone, reviewed) over the four demo images:
    after the first round the window's Qt objects, scene items, threads and file descriptors stay as
    they were, and the caches stay within their bounds."""
    import os
    import threading

    from fosp_core.annotation.document import Status
    from fosp_core.annotation.recent import RECENT_DOCUMENTS
    from tests.gui.annotation_helpers import copy_demo
    from tests.gui.tiny_model import WAIT_MS, ready_window

    window, ctl = ready_window(qtbot, make_window, tiny_checkpoint, [copy_demo(demo_dir, tmp_path / "demo")],
                               projects_root=tmp_path / "projects")
    window.show()
    controller = window.annotation.controller
    rows = []
    for visit in range(12):
        window.session.set_current(visit % 4)
        qtbot.waitUntil(lambda: controller.document is not None and controller.image_path == window.session.current_path,
                        timeout=WAIT_MS)
        ctl.run_current()  # (a result cached is shown again, nothing runs)
        qtbot.waitUntil(lambda: controller.document.probability is not None, timeout=WAIT_MS)
        controller.accept_prediction()
        key(window, "B")
        drag(window, [(100, 100), (150, 120)])
        controller.undo()
        controller.redo()
        controller.set_status(Status.REVIEWED)
        qtbot.wait(20)
        if visit % 4 == 3:
            controller.project.finish_saves(wait=True)  # no PNG being written (its file open) as we count
            qtbot.wait(200)  # a running loop: deferred deletions and animations done
            fds = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0  # (Linux only)
            rows.append((_qobjects(qtbot, window), len(window.canvas.scene().items()), threading.active_count(), fds))
    assert rows[1] == rows[2], rows
    assert len(controller.open_documents.recent) <= RECENT_DOCUMENTS and not controller.open_documents.held
    assert ctl.cache.nbytes <= ctl.cache.max_bytes and len(controller._probabilities) == 1
