"""Run on all's plan is made on a worker thread (`app.analysis.run_all_planning`): the label files'
``stat``s and the saved summaries' look-ups are not the GUI thread's (seconds on a network drive or
over 10 000 images, a frozen window, when they were); the run starts when the plan arrives. The panel
says "Planning…" meanwhile, with Cancel; a Cancel, a second Run on all, another model or more images
opened meanwhile drop the plan under way. Real demo photos, the tiny model; the plan held on its
worker by a gate (no sleeping: events and waitSignal/waitUntil)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

import app.analysis.readouts as readouts
import app.analysis.run_plan as run_plan
import app.annotation.worklist_summaries as worklist_summaries
from tests.gui.held_plan import held_plan, run_all_window
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint, spy_runs


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def _recorder(monkeypatch: pytest.MonkeyPatch, module: object, name: str,
              raising: bool = True) -> list[threading.Thread]:
    """The thread of each call of `module`.`name` with something to look at, from now on."""
    threads: list[threading.Thread] = []
    real: Callable | None = getattr(module, name, None)

    def recorded(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if args and args[0]:
            threads.append(threading.current_thread())
        assert real is not None
        return real(*args, **kwargs)

    if real is not None or raising:
        monkeypatch.setattr(module, name, recorded)
    return threads


def test_run_on_all_plans_on_its_worker_and_the_gui_thread_looks_at_no_file(
        qtbot, make_window, tiny, demo_dir, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    window, ctl = run_all_window(qtbot, make_window, tiny, demo_dir, tmp_path)
    paths = list(window.session.paths)
    ctl.cache.clear()  # every image to plan (the one shown ran as it opened)
    ctl.scores.book.clear()
    labels = _recorder(monkeypatch, run_plan, "label_stamps", raising=False)
    labels += _recorder(monkeypatch, readouts, "label_stamps")  # where the plan looked before
    summaries = _recorder(monkeypatch, worklist_summaries, "file_stamp")
    project = window.annotation.controller.project
    for entry in project.entries:  # each with a summary of another model: looked at, and run
        entry.prediction = {"uncertainty": 0.1, "model": {"digest": "other", "tau": None, "threshold": 0.5,
                                                          "keep": ctl.settings.keep}}
    asked, spied = spy_runs(ctl, monkeypatch), []
    predict = ctl.worker.predict
    monkeypatch.setattr(ctl.worker, "predict", lambda *a, **k: spied.append((*labels, *summaries)) or predict(*a, **k))
    ctl.action_run_all.trigger()  # Ctrl+Shift+R
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    assert asked == [paths]
    main, planned = threading.main_thread(), spied[0]  # the plan's look-ups: those before the run started
    assert len(planned) >= 2 and all(t is not main for t in planned), planned  # labels, summaries' labels
    assert ctl.planning.lane.threads[-1].name.startswith("fosp-run-all-plan")
    qtbot.waitUntil(lambda: not ctl._runs, timeout=WAIT_MS * 3)
    assert ctl.panel.status_label.text().startswith("Model ready")


def test_cancel_while_run_on_all_plans_drops_its_plan(qtbot, make_window, tiny, demo_dir, tmp_path,  # noqa: ANN001
                                                       monkeypatch) -> None:  # noqa: ANN001
    window, ctl = run_all_window(qtbot, make_window, tiny, demo_dir, tmp_path)
    gate, asked, told = held_plan(qtbot, ctl, monkeypatch)
    assert ctl.panel.status_label.text().startswith("Planning…") and ctl.planning.pending
    assert ctl.panel.cancel_button.isVisibleTo(window) and asked == []  # Cancel at hand, nothing run yet
    ctl.cancel()  # the Cancel button (panel.cancel) and Analysis ▸ Cancel Inference
    assert told == [None] and not ctl.planning.pending  # said at once, not when the look-up ends
    assert ctl.panel.status_label.text() == "Run on All Images cancelled while it planned: nothing ran"
    assert not ctl.panel.cancel_button.isVisibleTo(window)
    gate.let_go(qtbot)
    assert asked == [] and told == [None] and not ctl._runs  # the plan, come late, started nothing


def test_a_second_run_on_all_while_planning_drops_the_first_plan(qtbot, make_window, tiny, demo_dir,  # noqa: ANN001
                                                                  tmp_path, monkeypatch) -> None:  # noqa: ANN001
    window, ctl = run_all_window(qtbot, make_window, tiny, demo_dir, tmp_path)
    paths = list(window.session.paths)
    gate, asked, told = held_plan(qtbot, ctl, monkeypatch)
    assert ctl.run_all()  # again, while the first plan is held: queued behind it on the worker
    gate.let_go(qtbot)
    qtbot.waitUntil(lambda: bool(told), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not ctl._runs, timeout=WAIT_MS * 3)
    for _ in range(5):
        QApplication.processEvents()
    assert asked == [paths] and len(told) == 1  # one run, of the second plan; the first said nothing
    assert len(gate.threads) == 2  # the first plan's look-up (held, its answer dropped), then the second's


def test_another_model_while_planning_drops_the_plan(qtbot, make_window, tiny, demo_dir, tmp_path,  # noqa: ANN001
                                                     monkeypatch) -> None:  # noqa: ANN001
    window, ctl = run_all_window(qtbot, make_window, tiny, demo_dir, tmp_path)
    old = ctl.model.model_id
    gate, asked, told = held_plan(qtbot, ctl, monkeypatch)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_input("tiled")  # the same checkpoint at another input: another model id
    assert ctl.model.model_id != old
    gate.let_go(qtbot)
    qtbot.waitUntil(lambda: bool(told), timeout=WAIT_MS)
    assert told == [None] and asked == []  # the old model's plan ran nothing
    assert not ctl.panel.cancel_button.isVisibleTo(window)
    assert ctl.panel.status_label.text().startswith("Model ready")


def test_images_opened_while_planning_are_planned_again_over_every_image(
        qtbot, make_window, tiny, demo_dir, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    window, ctl = run_all_window(qtbot, make_window, tiny, demo_dir, tmp_path)
    first = list(window.session.paths)
    other = tmp_path / "other"
    other.mkdir()
    for path in first[:2]:
        (other / f"copy_{path.name}").write_bytes(path.read_bytes())
    gate, asked, told = held_plan(qtbot, ctl, monkeypatch)
    window.open_paths([other], remember=False)  # another folder while the plan is held
    assert len(window.session) == len(first) + 2
    gate.let_go(qtbot)
    qtbot.waitUntil(lambda: bool(told), timeout=WAIT_MS)
    assert told[0] is not None and len(told) == 1
    assert asked == [list(window.session.paths)]  # the stale plan (the first folder's) dropped, made again
    assert len(gate.threads) == 2
    qtbot.waitUntil(lambda: not ctl._runs, timeout=WAIT_MS * 3)


def test_a_threshold_moved_while_planning_plans_again_at_the_new_one(qtbot, make_window, tiny, demo_dir,  # noqa: ANN001
                                                                      tmp_path, monkeypatch) -> None:  # noqa: ANN001
    window, ctl = run_all_window(qtbot, make_window, tiny, demo_dir, tmp_path)
    paths = list(window.session.paths)
    gate, asked, told = held_plan(qtbot, ctl, monkeypatch)
    ctl.settings.set_threshold(0.7)  # the plan under way asked at 0.5
    gate.let_go(qtbot)
    qtbot.waitUntil(lambda: bool(told), timeout=WAIT_MS)
    assert len(gate.threads) == 2 and len(told) == 1 and told[0] is not None  # planned again, one run
    assert asked == [paths]
    qtbot.waitUntil(lambda: not ctl._runs, timeout=WAIT_MS * 3)


def test_a_plan_that_cannot_look_at_the_labels_says_so_and_runs_nothing(qtbot, make_window, tiny, demo_dir,  # noqa: ANN001
                                                                         tmp_path, monkeypatch) -> None:  # noqa: ANN001
    window, ctl = run_all_window(qtbot, make_window, tiny, demo_dir, tmp_path)
    ctl.cache.clear()
    ctl.scores.book.clear()
    asked = spy_runs(ctl, monkeypatch)

    def unreachable(_paths):  # noqa: ANN001, ANN202 - a network drive gone away
        raise OSError(112, "Host is down")

    monkeypatch.setattr(run_plan, "label_stamps", unreachable)
    with qtbot.waitSignal(ctl.planning.planned, timeout=WAIT_MS) as planned:
        assert ctl.run_all()
    assert planned.args == [None] and asked == [] and not ctl.planning.pending
    text = ctl.panel.status_label.text()
    assert text.startswith("Run on All Images could not look at the images' labels") and "Host is down" in text, text
    assert not ctl.panel.cancel_button.isVisibleTo(window)


def test_a_video_opened_while_planning_holds_the_run_until_image_mode(qtbot, make_window, tiny, demo_dir,  # noqa: ANN001
                                                                       tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from fosp_core.video.testclip import write_clip
    from tests.gui.video_helpers import open_video

    window, ctl = run_all_window(qtbot, make_window, tiny, demo_dir, tmp_path)
    paths = list(window.session.paths)
    gate, asked, told = held_plan(qtbot, ctl, monkeypatch)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=4), tmp_path)
    gate.let_go(qtbot)
    assert asked == [] and told == [] and not ctl.planning.pending  # it waits, as one asked for now would
    assert "paused while a video is open" in ctl.panel.status_label.text()
    with qtbot.waitSignal(ctl.planning.planned, timeout=WAIT_MS):
        window.video.leave()  # image mode: planned again, and run
    assert told[0] is not None and asked == [paths]
    qtbot.waitUntil(lambda: not ctl._runs, timeout=WAIT_MS * 3)
