"""An annotator's day (bench/bench_annotator_day.py): the view's actions repeated all day (analysis
layers shown, hidden and re-weighted, the mask's opacity, zoom, pan, a theme switch, images changed
and run) leave the window's Qt objects and the canvas's scene items as they were after the first round,
and start no thread that round did not have, but for a pool growing to its size (counts, not times)."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

from app.loader import _IMAGE_THREADS
from app.theme import current_theme
from tests.gui import theme_helpers
from tests.gui.annotation_helpers import copy_demo, drag
from tests.gui.settled_counts import qobject_count, settled
from tests.gui.tiny_model import WAIT_MS, ready_window

restore_theme = theme_helpers.restore_theme  # the theme switched here is put back for the next tests


#: Threads the app starts when first needed, up to a bound, and keeps (idle) a while or for good: when
#: depends on timing, so a loaded machine may start one in any round. The app's one display-pyramid
#: renderer (app.display_pyramid: one for the whole app); the image decoders (app.loader: the image
#: asked for and one superseded decode not stopped yet). More of them than that is growth.
POOL_SIZES = {"display-pyramid": 1, "fosp-image-decode": _IMAGE_THREADS}
Counts = tuple[int, int, tuple[tuple[str, int], ...]]



def _now(window) -> Counts:  # noqa: ANN001
    threads = Counter(thread.name for thread in threading.enumerate())
    objects = qobject_count(window)
    return objects, len(window.canvas.scene().items()), tuple(sorted(threads.items()))


def _grown(first: Counts, later: Counts) -> dict[str, int]:
    """The threads (by name: count) `later` has more of than `first` and than their pool's size."""
    before = dict(first[2])
    return {name: n for name, n in later[2] if n > max(before.get(name, 0), POOL_SIZES.get(name, 0))}


def _counts(qtbot, window) -> Counts:  # noqa: ANN001
    """The window's QObjects, scene items and threads (by name) once the round's aftermath is over: a
    running loop (timers, layout requests; the main window's dock and toolbar geometry animations, made
    afresh at each relayout, stop and deleteLater themselves), then the posted events and deferred
    deletions sent, again until the counts stop changing. Under load a fixed 100 ms left 9 of those
    animations alive now and then (808 vs 799). What is kept from a round (a leak) stays, counted."""
    window.annotation.controller.open_documents.flush()
    return settled(qtbot, lambda: _now(window))


def test_view_actions_all_day_leave_counts_flat(qtbot, make_window, demo_dir: Path, tmp_path: Path,
                                                 tiny_checkpoint: Path, restore_theme) -> None:  # noqa: ANN001
    window, ctl = ready_window(qtbot, make_window, tiny_checkpoint, [copy_demo(demo_dir, tmp_path / "demo")],
                               projects_root=tmp_path / "projects")
    window.show()
    controller, layers = window.annotation.controller, window.analysis.layers
    rows = []
    for round_ in range(4):
        for index in range(4):
            window.session.set_current(index)
            qtbot.waitUntil(lambda: controller.document is not None
                            and controller.image_path == window.session.current_path, timeout=WAIT_MS)
            request = ctl.run_current()
            if request is not None:
                qtbot.waitUntil(lambda request=request: request not in ctl._runs, timeout=WAIT_MS)
            for name in layers.names:
                layers.toggle(name)
                layers.set_opacity(name, 0.3 + 0.1 * index)
                layers.toggle(name)
            window.annotation.tool_dock.opacity.setValue(40 + 10 * index)
            window.annotation.actions.toggle_mask.trigger()
            window.annotation.actions.toggle_mask.trigger()
            for action in (window.action_zoom_in, window.action_zoom_in, window.action_zoom_out, window.action_fit):
                action.trigger()
            for action in window.pan_actions:
                action.trigger()
            h, w = controller.document.shape
            drag(window, [(w * 0.5, h * 0.5), (w * 0.4, h * 0.45)], settle=False)  # the navigate tool: a pan
        if round_ == 1:
            window.theme_choice.choose("light" if current_theme().name == "dark" else "dark", keep=False)
        rows.append(_counts(qtbot, window))
    assert [row[:2] for row in rows[1:]] == [rows[1][:2]] * 3, rows  # QObjects, scene items: flat
    assert not _grown(rows[1], rows[2]) and not _grown(rows[1], rows[3]), rows  # threads: none more
