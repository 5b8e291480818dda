"""Analysis view defects found by working through it as an analyst would, each pinned by a test:
running while another model loads, changing the model during "Run on all", a device fallback in the
middle of a run, the τ of a checkpoint trained at another τ, the hover readout after the image or τ
changed under a still mouse."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from app.analysis.controller import AnalysisController
from app.analysis.readouts import hover_text
from fosp_core.analysis.results import model_id as make_model_id
from fosp_core.infer import Predictor
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import INPUT, WAIT_MS, ready_window, save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def _slow_predictor(ctl: AnalysisController, seconds: float) -> None:
    """Make every network call of the loaded predictor take at least `seconds` (a long run)."""
    predictor = ctl.worker._engine.predictor
    real = predictor.predict

    def slow(*args, **kwargs):  # noqa: ANN202
        time.sleep(seconds)
        return real(*args, **kwargs)

    predictor.predict = slow


def test_run_asked_for_while_another_model_loads_runs_with_it(qtbot, make_window, checkpoint, demo_dir,
                                                              tmp_path) -> None:
    """Ctrl+R (or a τ change) while the Input choice reloads the model used to fail with "no model is
    loaded: open a checkpoint first" in an error dialog; it now runs once the new model is ready."""
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], tmp_path / "projects")
    ctl.settings.set_input("384")  # reloads the model on the worker thread (tiles would take ~10 s here)
    assert ctl.action_run.isEnabled()  # the menu action (Ctrl+R) is still there while loading
    ctl.run_current()
    qtbot.waitUntil(lambda: ctl.prediction is not None, timeout=WAIT_MS)
    assert ctl.errors == []
    assert ctl.model is not None and ctl.model.model_id.endswith("|384")
    assert not ctl.panel.status_label.text().startswith("no model")


def test_tau_moved_while_another_model_loads(qtbot, make_window, checkpoint, demo_dir, tmp_path) -> None:
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], tmp_path / "projects")
    request = ctl.run_current()
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None, timeout=WAIT_MS)
    ctl.settings.set_input("384")
    ctl.settings.set_tau(0.4)
    ctl._on_tau_settled()  # the debounce timer fires before the model is back
    qtbot.waitUntil(lambda: ctl.model.model_id.endswith("|384") and ctl.prediction is not None, timeout=WAIT_MS)
    assert ctl.errors == []
    assert ctl.prediction is ctl.cache.get(ctl._key(window.session.current_path))  # the new model, τ 0.4


def test_changing_the_model_during_run_all_does_not_wait_for_the_old_run(qtbot, make_window, checkpoint,
                                                                        shared_data, tmp_path) -> None:
    """Changing Input/device/precision/checkpoint during "Run on all" used to queue the new model behind
    every remaining image of the old run (27 s on the 30 samples with the default model, minutes on a
    folder), with "loading…" shown the whole time; the old run is now cancelled after its current image."""
    images = sorted((shared_data / "smokeseg-samples" / "JPEGImages").glob("*.jpg"))[:8]
    window, ctl = ready_window(qtbot, make_window, checkpoint, images, tmp_path / "projects")
    _slow_predictor(ctl, 0.4)
    old = ctl.model.model_id
    request = run_all(qtbot, ctl)
    qtbot.waitUntil(lambda: len(ctl.cache) >= 1, timeout=WAIT_MS)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_input("tiled")
    assert ctl.model.model_id != old
    assert len(ctl.cache.for_model(old, ctl.settings.tau)) <= 3  # not all 8: the old run stopped early
    qtbot.waitUntil(lambda: request not in ctl._runs and not ctl.panel.progress.isVisible(), timeout=WAIT_MS)
    assert ctl.errors == []
    assert ctl.panel.run_all_button.isEnabled()


def test_device_fallback_in_the_middle_of_run_all_keeps_going(qtbot, make_window, checkpoint, demo_dir,
                                                              tmp_path) -> None:
    """Out of GPU memory on the first image moves the model to the CPU (its id changes); the rest of the
    same "Run on all" used to fail with "no model is loaded: open a checkpoint first"."""
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], tmp_path / "projects")
    engine = ctl.worker._engine
    predictor = engine.predictor
    gpu_id = make_model_id(checkpoint, "cuda:0", "fp16")
    engine.model_id = gpu_id  # pretend the model was loaded on a GPU...
    ctl.model = ctl.model.__class__(gpu_id, ctl.model.info, "cuda:0")
    real = predictor.predict

    def predict_with_fallback(*args, **kwargs):  # noqa: ANN202
        if not predictor.fallbacks:  # ...that runs out of memory on the first image
            predictor.fallbacks.append("out of memory on cuda:0 at batch size 1; continuing on the CPU (fp32)")
        return real(*args, **kwargs)

    predictor.predict = predict_with_fallback
    count = len(window.session)
    request = run_all(qtbot, ctl)
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 2)
    assert not [e for e in ctl.errors if "no model" in e], ctl.errors
    assert len(ctl.cache) == count
    assert ctl.model.model_id == engine.model_id != gpu_id  # the view follows the model to the CPU
    assert np.isfinite(ctl.prediction.probability).all()


def test_a_checkpoint_trained_at_another_tau_runs_at_its_tau(qtbot, make_window, checkpoint, demo_dir,
                                                           tmp_path) -> None:
    """The Model panel kept τ 0.15 whatever checkpoint was opened, so a model trained at another τ
    (``model.tau=``) scored differently in the metrics box than in ``fosp eval`` / ``fosp predict``, which
    use the checkpoint's τ (the default model with τ 0.4 in its config: F_β 30.7 in the panel, 28.9 in
    ``fosp eval``). Opening a checkpoint now sets the panel's τ to its own; a device or input change
    keeps the τ the user chose."""
    other = save_tiny_checkpoint(tmp_path / "tau04.safetensors", tau=0.4)
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], tmp_path / "projects")
    assert ctl.settings.tau == pytest.approx(0.15)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(other)
    assert ctl.settings.tau == pytest.approx(0.4) and ctl.panel.tau.spin.value() == pytest.approx(0.4)
    request = ctl.run_current()
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None, timeout=WAIT_MS)
    rgb = window.session.current_image.rgb
    expected = Predictor(other, device="cpu", input_size=INPUT).predict(rgb, need="all")  # as fosp predict
    assert ctl.prediction.tau == pytest.approx(expected.tau) == pytest.approx(0.4)
    np.testing.assert_array_equal(ctl.prediction.hole, expected.hole)
    ctl.settings.set_tau(0.25)  # the user's τ...
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_input("384")  # not "tiled": its full-resolution re-run held the teardown ~4 s
    assert ctl.settings.tau == pytest.approx(0.25)  # ...stays for the same checkpoint


def test_an_image_shown_after_tau_moved_catches_up_with_tau(qtbot, make_window, checkpoint, demo_dir,
                                                             tmp_path) -> None:
    """Run on all at τ 0.15, move τ to 0.5 (the image shown re-runs), go to the next image: it showed its
    τ 0.15 result (hole, τ contour, "this image" scores) under a panel and a metrics note saying τ 0.50,
    and nothing said so. It now re-runs at the panel's τ, as the image shown when τ moved did."""
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], tmp_path / "projects")
    request = run_all(qtbot, ctl)
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS)
    ctl.settings.set_tau(0.5)
    qtbot.waitUntil(lambda: not ctl._tau_timer.isActive() and not ctl._runs
                    and ctl.prediction.tau == pytest.approx(0.5), timeout=WAIT_MS)
    window.session.set_current(1)
    qtbot.waitUntil(lambda: window.session.current_index == 1 and window.session.current_image is not None,
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: ctl.prediction is not None and ctl.prediction.tau == pytest.approx(0.5),
                    timeout=WAIT_MS)
    assert ctl.prediction is ctl.cache.get(ctl._key(window.session.current_path))
    qtbot.waitUntil(lambda: ctl.metrics.value("total", "n") == "2", timeout=WAIT_MS)  # both images at τ 0.5


def test_catching_up_with_tau_does_not_retry_a_failure(qtbot, make_window, checkpoint, demo_dir, tmp_path) -> None:
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], tmp_path / "projects")
    request = ctl.run_current()
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None, timeout=WAIT_MS)
    predictor = ctl.worker._engine.predictor

    def broken(*_args, **_kwargs):  # noqa: ANN202
        raise RuntimeError("the device went away")

    predictor.predict = broken
    ctl.settings.set_tau(0.5)
    ctl._show_current()  # as after switching back to it: shown at τ 0.15, the panel says 0.5
    qtbot.waitUntil(lambda: not ctl._tau_timer.isActive() and not ctl._runs, timeout=WAIT_MS)
    qtbot.wait(300)
    assert not ctl._runs and len(ctl.errors) <= 2  # the timer's run and the catch-up's, not an endless loop


def test_hover_readout_follows_the_image_under_a_still_mouse(qtbot, make_window, checkpoint, demo_dir,
                                                             tmp_path) -> None:
    """The status bar's "p … focus … bg RGB …" was computed only when the mouse moved: after Page Down
    (or a τ re-run) it kept showing the previous image's values at that pixel, and after going to an
    image without a result it kept them too, as if that image had been run."""
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], tmp_path / "projects")
    request = ctl.run_current()
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None, timeout=WAIT_MS)
    ctl.canvas.hovered.emit(40, 30)
    first = ctl.hover_label.text()
    assert first == hover_text(ctl.arrays, 40, 30, ctl.label) and first.startswith("p ")
    window.session.set_current(1)  # no result yet
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    assert ctl.prediction is None
    assert ctl.hover_label.text() == ""
    request = ctl.run_current()
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None, timeout=WAIT_MS)
    second = ctl.hover_label.text()
    assert second == hover_text(ctl.arrays, 40, 30, ctl.label) != first  # this image's values, the mouse never moved
    ctl.canvas.left.emit()  # the mouse left the image: nothing to read until it comes back
    window.session.set_current(0)
    qtbot.waitUntil(lambda: ctl.prediction is not None and window.session.current_index == 0, timeout=WAIT_MS)
    assert ctl.hover_label.text() == ""
