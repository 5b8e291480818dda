"""The Model panel's loads (N2, session 37).

* A device picked that does not compute in the precision chosen (the CPU, fp16 chosen on a GPU) moved the
  precision to fp32 first, and the controller loaded the model on every settings change: one wasted load at
  fp32 on the OLD device before the load on the CPU. The same with a kept GPU and precision set once the
  devices are known (the device, then the precision: two loads). One user action now asks for one load.
* A load answered after a newer one was asked for is stale: a stale success was dropped, a stale failure was
  shown (the panel said model A failed while B loaded). It is dropped too.
* A stale load that succeeded on the inference thread replaced the model there though the view dropped it;
  when the newer load then failed, the view kept "the model you had open" while the thread ran the stale one:
  every run failed with "the model changed since this run was asked for". The thread no longer puts a
  superseded load in place, and the view puts its model back where one came in all the same.
* With no model open, a checkpoint that failed stayed named in the panel and kept for the next start (which
  failed again): the default model opens in its place, else none is named; while another checkpoint loaded,
  the details described the one before; a load's reason without a full stop ran into "The model you had
  open, …"; the checkpoint open chosen again (rewritten since) loaded nothing.
"""

from __future__ import annotations

import shutil
import time
import types
from pathlib import Path

import pytest
import torch
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog

import app.analysis.device_list as device_list
import app.analysis.inference_worker as inference_worker
from app.analysis.checkpoint_label import NO_MODEL_TEXT
from app.analysis.inference_worker import InferenceWorker
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint

#: the devices a machine with one CUDA GPU lists (`device_choices`), faked
WITH_GPU = [("auto", "Automatic"), ("cuda:0", "GPU 0"), ("cpu", "CPU")]


def _asked_loads(monkeypatch: pytest.MonkeyPatch, load: bool = False) -> list[tuple[str, str, str]]:
    """(checkpoint name, device, precision) of every load asked of an inference worker from now on; the
    loads are made only where `load` (else each is asked of no thread: no answer comes)."""
    asked: list[tuple[str, str, str]] = []
    real = InferenceWorker.load_model
    ids = iter(range(10_000, 20_000))

    def spy(self, checkpoint, device, precision, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        asked.append((Path(checkpoint).name, device, precision))
        return real(self, checkpoint, device, precision, *args, **kwargs) if load else next(ids)

    monkeypatch.setattr(InferenceWorker, "load_model", spy)
    return asked


def _choose(combo, name: str) -> None:  # noqa: ANN001
    index = combo.findData(name)
    assert index >= 0, [combo.itemData(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)  # as a user's pick does (currentIndexChanged)


def test_the_cpu_picked_while_fp16_is_chosen_loads_once_on_the_cpu(qtbot, make_window, tmp_path,  # noqa: ANN001
                                                                   monkeypatch) -> None:
    window = make_window()
    ctl, panel = window.analysis, window.analysis.panel
    asked = _asked_loads(monkeypatch)
    panel.set_devices(WITH_GPU)
    ctl.settings.set_checkpoint(save_tiny_checkpoint(tmp_path / "tiny.safetensors"))
    _choose(panel.device_combo, "cuda:0")
    _choose(panel.precision_combo, "fp16")
    asked.clear()
    _choose(panel.device_combo, "cpu")  # fp16 gives way to fp32: one action, one load
    assert asked == [("tiny.safetensors", "cpu", "fp32")]
    assert window.statusBar().currentMessage() == "Precision fp16 is not available on the CPU: using fp32."
    assert ctl.model_state == "loading" and panel.status_label.text() == "Loading tiny.safetensors…"


def test_a_kept_gpu_and_precision_known_later_load_once(qtbot, make_window, settings_path, tmp_path,  # noqa: ANN001
                                                        monkeypatch) -> None:
    monkeypatch.setattr(device_list, "sys", types.SimpleNamespace(modules={}))  # listed on the thread, later
    monkeypatch.setattr(inference_worker, "device_choices", lambda: list(WITH_GPU))
    store = QSettings(str(settings_path), QSettings.Format.IniFormat)
    store.setValue("analysis/checkpoint", str(save_tiny_checkpoint(tmp_path / "mine.safetensors")))
    store.setValue("analysis/device", "cuda:0")
    store.setValue("analysis/precision", "fp16")
    store.sync()
    asked = _asked_loads(monkeypatch)
    window = make_window()
    ctl = window.analysis
    qtbot.waitUntil(lambda: ctl.panel.listed_devices() is not None, timeout=WAIT_MS)
    assert (ctl.settings.device, ctl.settings.precision) == ("cuda:0", "fp16")
    assert asked == [("mine.safetensors", "cuda:0", "fp16")]


def _broken(tmp_path: Path) -> Path:
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json")
    return broken


def test_a_load_that_fails_after_a_newer_one_was_asked_for_is_not_shown(qtbot, make_window, tmp_path,  # noqa: ANN001
                                                                        demo_dir) -> None:
    first = save_tiny_checkpoint(tmp_path / "first.safetensors")
    paths = [shutil.copy(demo_dir / "JPEGImages" / name, tmp_path / name)
             for name in sorted(p.name for p in (demo_dir / "JPEGImages").glob("*.jpg"))[:1]]
    window, ctl = ready_window(qtbot, make_window, first, [Path(p) for p in paths], tmp_path / "projects")
    chosen = save_tiny_checkpoint(tmp_path / "second.safetensors", seed=1)
    with qtbot.waitSignal(ctl.model_changed, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(_broken(tmp_path))  # A: fails on the thread, answered after B is asked
        ctl.settings.set_checkpoint(chosen)  # B
    qtbot.waitUntil(lambda: ctl._load_request is None, timeout=WAIT_MS)
    assert ctl.errors == [] and ctl.reports.dialog is None, ctl.errors
    assert ctl.settings.checkpoint == chosen and ctl.model is not None
    assert panel_line(ctl).startswith("Model ready"), panel_line(ctl)


def panel_line(ctl) -> str:  # noqa: ANN001
    return ctl.panel.status_label.text()


def test_a_newer_load_failing_after_a_stale_success_keeps_the_model_that_runs(qtbot, make_window, tmp_path,  # noqa: ANN001
                                                                               demo_dir) -> None:
    first = save_tiny_checkpoint(tmp_path / "first.safetensors")
    paths = [shutil.copy(demo_dir / "JPEGImages" / name, tmp_path / name)
             for name in sorted(p.name for p in (demo_dir / "JPEGImages").glob("*.jpg"))[:1]]
    window, ctl = ready_window(qtbot, make_window, first, [Path(p) for p in paths], tmp_path / "projects")
    kept = ctl.model
    ctl.settings.set_checkpoint(save_tiny_checkpoint(tmp_path / "second.safetensors", seed=1))  # A: loads
    ctl.settings.set_checkpoint(_broken(tmp_path))  # B: fails; the first model stays in use
    qtbot.waitUntil(lambda: ctl._load_request is None and bool(ctl.errors), timeout=WAIT_MS)
    assert len(ctl.errors) == 1 and "broken.safetensors" in ctl.errors[0], ctl.errors
    assert "The model you had open, first.safetensors, stays in use." in ctl.errors[0]
    qtbot.waitUntil(lambda: ctl._load_request is None and ctl.model_state == "ready", timeout=WAIT_MS)
    assert ctl.settings.checkpoint == first and ctl.model is not None
    assert ctl.model.model_id == kept.model_id
    request = ctl.run_current()  # the image shown has no result yet: it runs
    assert request is not None
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS)
    assert len(ctl.errors) == 1, ctl.errors  # no "the model changed since this run was asked for"
    assert ctl.prediction is not None and ctl.worker.calls == 1


def test_answers_of_a_load_under_way_as_a_newer_is_asked_are_dropped(qtbot, make_window, tmp_path,  # noqa: ANN001
                                                                      demo_dir) -> None:
    """The races the thread cannot settle: A was under way (or done, its answer not taken in yet) as B was
    asked for. A's failure is not shown; A's success put A in place on the thread: B failing loads the view's
    model there again, and it runs."""
    first = save_tiny_checkpoint(tmp_path / "first.safetensors")
    paths = [shutil.copy(demo_dir / "JPEGImages" / name, tmp_path / name)
             for name in sorted(p.name for p in (demo_dir / "JPEGImages").glob("*.jpg"))[:1]]
    window, ctl = ready_window(qtbot, make_window, first, [Path(p) for p in paths], tmp_path / "projects")
    kept, engine = ctl.model, ctl.worker._engine
    second = save_tiny_checkpoint(tmp_path / "second.safetensors", seed=1)
    ctl.settings.set_checkpoint(second)  # A, loaded on the thread before this thread takes its answer in
    deadline = time.monotonic() + WAIT_MS / 1000
    while engine.checkpoint != second and time.monotonic() < deadline:
        time.sleep(0.005)  # (no event handled here: the answer waits)
    assert engine.checkpoint == second
    asked = ctl._load_request
    ctl.settings.set_checkpoint(_broken(tmp_path))  # B: fails
    ctl.worker.failed.emit(asked, second, "cannot open second.safetensors: late")  # as a failure under way would
    qtbot.waitUntil(lambda: bool(ctl.errors) and ctl._load_request is None and ctl.model_state == "ready",
                    timeout=WAIT_MS)
    assert len(ctl.errors) == 1 and "broken.safetensors" in ctl.errors[0], ctl.errors
    assert ctl.settings.checkpoint == first and ctl.model.model_id == kept.model_id
    assert engine.model_id == kept.model_id  # loaded there again
    request = ctl.run_current()
    assert request is not None
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS)
    assert len(ctl.errors) == 1 and ctl.prediction is not None, ctl.errors


def test_a_failed_load_with_no_model_open_names_no_model_nor_keeps_the_file(qtbot, make_window, tmp_path,  # noqa: ANN001
                                                                            settings_path) -> None:
    """With no model open, a checkpoint that failed stayed the panel's, in bold, under "No model is open.",
    and was kept: the next start loaded it again and failed again."""
    window = make_window()
    ctl = window.analysis
    ctl.settings.set_checkpoint(_broken(tmp_path))
    qtbot.waitUntil(lambda: bool(ctl.errors) and ctl._load_request is None, timeout=WAIT_MS)
    assert "No model is open." in ctl.errors[0]
    assert ctl.settings.checkpoint is None and ctl.model_state == "none"
    assert ctl.panel.checkpoint_label.text() == NO_MODEL_TEXT and ctl.panel.checkpoint_label.toolTip() == ""
    assert not QSettings(str(settings_path), QSettings.Format.IniFormat).value("analysis/checkpoint")
    again = make_window().analysis
    assert again.settings.checkpoint is None and again.model_state == "none" and again.errors == []


def test_while_another_checkpoint_loads_the_details_of_the_one_before_are_not_shown(qtbot, make_window,  # noqa: ANN001
                                                                                     tmp_path, demo_dir) -> None:
    """The details (variant, parameters, device, what it computes in) described the model before under the
    name of the one loading; after a failed load they describe the model that stays."""
    first = save_tiny_checkpoint(tmp_path / "first.safetensors")
    window, ctl = ready_window(qtbot, make_window, first, [demo_dir / "JPEGImages"], tmp_path / "projects")
    panel = ctl.panel
    details = panel.info_label.text()
    assert "fosp-s" in details
    ctl.settings.set_checkpoint(_broken(tmp_path))
    assert panel.info_label.text() == "" and "fosp-s" not in panel.details_button.toolTip()
    qtbot.waitUntil(lambda: bool(ctl.errors) and ctl._load_request is None, timeout=WAIT_MS)
    assert panel.info_label.text() == details and ctl.settings.checkpoint == first
    ctl.settings.set_input("tiled")  # the same checkpoint: its details stay while it loads again
    assert panel.info_label.text() == details


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a GPU listed that cannot be loaded on (no CUDA here)")
def test_a_device_that_fails_says_so_in_whole_sentences(qtbot, make_window, tmp_path, demo_dir) -> None:  # noqa: ANN001
    """'… uses the best device present (cpu) The model you had open, …': the reason had no full stop."""
    first = save_tiny_checkpoint(tmp_path / "first.safetensors")
    window, ctl = ready_window(qtbot, make_window, first, [demo_dir / "JPEGImages"], tmp_path / "projects")
    ctl.panel.set_devices(WITH_GPU)
    _choose(ctl.panel.device_combo, "cuda:0")
    qtbot.waitUntil(lambda: bool(ctl.errors) and ctl._load_request is None, timeout=WAIT_MS)
    head = ctl.errors[0].split("\n\n", 1)[0]
    assert head.endswith(". The model you had open, first.safetensors, stays in use."), head
    assert ctl.panel.device_combo.currentData() == "auto" and ctl.model_state == "ready"


def test_the_checkpoint_open_chosen_again_after_it_was_rewritten_loads_its_new_weights(qtbot, make_window,  # noqa: ANN001
                                                                                       tmp_path, demo_dir,
                                                                                       monkeypatch) -> None:
    """A run trained again into the same file, opened again (Open…): the settings did not change, so nothing
    loaded and the old weights went on running under the file's name, silently."""
    path = save_tiny_checkpoint(tmp_path / "best.safetensors")
    window, ctl = ready_window(qtbot, make_window, path, [demo_dir / "JPEGImages"], tmp_path / "projects")
    before = ctl.model.model_id
    save_tiny_checkpoint(path, seed=1)  # trained again, into the same file
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))
    with qtbot.waitSignal(ctl.model_changed, timeout=WAIT_MS):
        ctl.action_open_model.trigger()
    assert ctl.model.model_id != before and ctl.settings.checkpoint == path and ctl.errors == []


def test_the_thread_skips_a_load_superseded_by_a_newer_one(qtbot, tmp_path) -> None:  # noqa: ANN001
    """Two loads asked for in a row: the first is not made (or, under way, not put in place), only done."""
    first = save_tiny_checkpoint(tmp_path / "first.safetensors")
    second = save_tiny_checkpoint(tmp_path / "second.safetensors", seed=1)
    worker = InferenceWorker(input_size=64)
    answers: list[tuple[str, int]] = []
    for name in ("loaded", "failed", "done"):
        getattr(worker, name).connect(lambda request_id, *_rest, name=name: answers.append((name, request_id)))
    try:
        older = worker.load_model(first, "cpu", "fp32")
        newer = worker.load_model(second, "cpu", "fp32")
        qtbot.waitUntil(lambda: ("done", newer) in answers, timeout=WAIT_MS)
        assert [a for a in answers if a[1] == older] == [("done", older)], answers
        assert ("loaded", newer) in answers and worker._engine.checkpoint == second
    finally:
        worker.shutdown()


def test_a_kept_checkpoint_that_fails_at_start_gives_way_to_the_default_model(qtbot, make_window, tmp_path,  # noqa: ANN001
                                                                              settings_path) -> None:
    """With no model in use, a failed load named no model ("no default model — open a checkpoint") though the
    app has one: the default model loads in its place, and the message says so."""
    default = save_tiny_checkpoint(tmp_path / "default.safetensors")
    store = QSettings(str(settings_path), QSettings.Format.IniFormat)
    store.setValue("analysis/checkpoint", str(_broken(tmp_path)))  # damaged since the last session
    store.sync()
    ctl = make_window(default_model=default).analysis
    qtbot.waitUntil(lambda: ctl.model is not None and ctl._load_request is None, timeout=WAIT_MS)
    assert len(ctl.errors) == 1 and "broken.safetensors" in ctl.errors[0], ctl.errors
    head = ctl.errors[0].split("\n\n", 1)[0]
    assert head.endswith("The default model, default.safetensors, is opened in its place."), head
    assert ctl.settings.checkpoint == default and ctl.panel.checkpoint_label.text() == "<b>default.safetensors</b>"
    assert not QSettings(str(settings_path), QSettings.Format.IniFormat).value("analysis/checkpoint")


def test_the_rewritten_checkpoint_opened_again_takes_its_own_tau(qtbot, make_window, tmp_path, demo_dir,  # noqa: ANN001
                                                                 monkeypatch) -> None:
    """Other weights in the same file are another model: the τ they were trained at, as another file's."""
    path = save_tiny_checkpoint(tmp_path / "best.safetensors", tau=0.3)
    window, ctl = ready_window(qtbot, make_window, path, [demo_dir / "JPEGImages"], tmp_path / "projects")
    assert ctl.settings.tau == pytest.approx(0.3)
    save_tiny_checkpoint(path, seed=1, tau=0.6)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))
    with qtbot.waitSignal(ctl.model_changed, timeout=WAIT_MS):
        ctl.action_open_model.trigger()
    assert ctl.settings.tau == pytest.approx(0.6) and ctl.panel.tau.spin.value() == pytest.approx(0.6)
