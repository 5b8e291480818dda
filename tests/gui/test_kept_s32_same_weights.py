"""The analysis view's model id (the key of its results cache, score book, kept scores' look and Run on
All Images' "already done") named the checkpoint by its path: opening a copy of the same weights (a
plain copy, or the same weights exported again under another name: other metadata, another file digest)
recomputed every image and showed none of the scores the original had just made. The id now names the
weights (`fosp_core.annotation.prelabel_weights.weights_digest`) with the device, precision and network
input; a checkpoint whose weights are not known (not a safetensors file) keeps the path-based id.
Real demo photos and labels, the tiny model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.analysis.inference_worker import LoadedModel, _Engine
from tests.gui.annotation_helpers import copy_demo
from tests.gui.project_window import project_window
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint, spy_runs


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def _copy(checkpoint: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(checkpoint, folder / "copy-of-tiny.safetensors"))


def _exported(_checkpoint: Path, folder: Path) -> Path:
    """The same weights (seed 0) written again with other metadata: another file, the same model."""
    folder.mkdir(parents=True, exist_ok=True)
    return save_tiny_checkpoint(folder / "exported-again.safetensors", metadata={"card": "re-exported"})


def _loaded(path: Path) -> LoadedModel:
    engine, got = _Engine(64), []
    engine.loaded.connect(lambda _id, model: got.append(model))
    engine.failed.connect(lambda _id, _path, message: pytest.fail(message))
    engine.load(1, path, "cpu", "fp32", "default")
    assert len(got) == 1
    return got[0]


@pytest.mark.parametrize("make", [_copy, _exported])
def test_a_copy_of_the_weights_is_the_same_model(qapp, checkpoint: Path, tmp_path: Path, make) -> None:  # noqa: ANN001, ARG001
    original, other = _loaded(checkpoint), _loaded(make(checkpoint, tmp_path / "elsewhere"))
    assert original.weights and original.weights == other.weights
    assert original.model_id == other.model_id, (original.model_id, other.model_id)  # was path-based
    assert original.model_id.endswith("|cpu|fp32|64"), original.model_id  # device, precision, input kept


def test_other_weights_and_other_settings_are_other_models(qapp, checkpoint: Path, tmp_path: Path) -> None:  # noqa: ANN001, ARG001
    other = _loaded(save_tiny_checkpoint(tmp_path / "seed1.safetensors", seed=1))
    assert other.model_id != _loaded(checkpoint).model_id
    engine, got = _Engine(96), []
    engine.loaded.connect(lambda _id, model: got.append(model))
    engine.load(1, checkpoint, "cpu", "fp32", "default")
    assert got[0].model_id != _loaded(checkpoint).model_id  # another input size: another model


def test_weights_not_known_keep_the_path_based_id(qapp, checkpoint: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001, ARG001
    from app.analysis import inference_worker

    monkeypatch.setattr(inference_worker, "weights_digest", lambda _path: "")
    model = _loaded(checkpoint)
    assert model.model_id.startswith(str(checkpoint.resolve()) + "@"), model.model_id


def _run_all_scored(qtbot, ctl) -> tuple[list[Path], float, int]:  # noqa: ANN001
    """Run on all at the panel's τ, waited for: (the images, that τ, how many the box scores)."""
    request = run_all(qtbot, ctl)
    assert request is not None
    qtbot.waitUntil(lambda: request not in ctl._runs and not ctl._runs, timeout=WAIT_MS * 3)
    paths = list(ctl.window.session.paths)
    tau = ctl.settings.tau
    qtbot.waitUntil(lambda: set(ctl.scores.book.ran(ctl.model.model_id, tau)) >= set(paths), timeout=WAIT_MS)
    ctl.scores.update(ctl.model.model_id, ctl.prediction, None)  # (the box follows on a timer)
    scored = ctl.scores.table.scored
    assert scored == len(paths)
    return paths, tau, scored


def _a_copy_serves_them(qtbot, ctl, monkeypatch, copy: Path, ran: tuple[list[Path], float, int],  # noqa: ANN001
                        what: str) -> None:
    """`copy` (the same weights in another file: `what`) loaded in the panel keeps the τ and shows the
    scores of the run `ran`; nothing runs again, not even Run on all."""
    paths, tau, scored = ran
    asked = spy_runs(ctl, monkeypatch)  # (wraps the spy of the copy before, if any: each sees every run)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(copy)
    assert ctl.model.checkpoint == copy
    assert ctl.settings.tau == tau, what  # (was the checkpoint's τ again: the user's τ's scores were not shown)
    qtbot.wait(400)  # the kept scores' look (150 ms after the load) and the image shown's catch-up
    qtbot.waitUntil(lambda: not ctl._runs, timeout=WAIT_MS)
    assert asked == [], (what, asked)  # the shown image's result of the original is this model's
    assert ctl.prediction is not None, what
    assert set(ctl.scores.book.ran(ctl.model.model_id, tau)) >= set(paths), what
    ctl.scores.update(ctl.model.model_id, ctl.prediction, None)
    assert ctl.scores.table.scored == scored, what  # the folder metrics of the original's run, all of them
    assert run_all(qtbot, ctl) is None, (what, ctl.panel.status_label.text())  # every image already done
    assert asked == [], (what, asked)


def test_kept_scores_show_for_a_copy_and_nothing_runs_again(qtbot, make_window, checkpoint, demo_dir, tmp_path,  # noqa: ANN001
                                                            monkeypatch) -> None:  # noqa: ANN001
    """A plain copy, then the same weights exported again, then - after the user moved τ to 0.3 and ran all
    again - another copy: each keeps the user's τ (as a device or input change does; another checkpoint takes
    its own) and shows the scores already made. One window and first run for the three (they were three
    parametrized tests, each paying them)."""
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    ran = _run_all_scored(qtbot, ctl)
    _a_copy_serves_them(qtbot, ctl, monkeypatch, _copy(checkpoint, tmp_path / "models"), ran, "a copy")
    _a_copy_serves_them(qtbot, ctl, monkeypatch, _exported(checkpoint, tmp_path / "models"), ran, "exported again")
    ctl.settings.set_tau(0.3)
    ran = _run_all_scored(qtbot, ctl)
    assert ran[1] == 0.3
    _a_copy_serves_them(qtbot, ctl, monkeypatch, _copy(checkpoint, tmp_path / "models-2"), ran, "a copy, τ moved")
    window.close()


def test_scores_kept_before_the_weights_were_named_still_show(qtbot, make_window, checkpoint, demo_dir,  # noqa: ANN001
                                                              tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """Summaries kept by a session whose model was named by its path (its stamps without the weights'
    digest) are read by the weights-named model of the same file: their stamps name the file's digest
    (`prelabel.same_model`), their scores are this run's; Run on all leaves every image out."""
    from app.analysis import inference_worker

    demo = copy_demo(demo_dir, tmp_path / "demo")
    with monkeypatch.context() as before:
        before.setattr(inference_worker, "weights_digest", lambda _path: "")  # as before 8712f86e
        window, ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
        old_id = ctl.model.model_id
        request = run_all(qtbot, ctl)
        qtbot.waitUntil(lambda: request not in ctl._runs and not ctl._runs, timeout=WAIT_MS * 3)
        project = window.annotation.controller.project
        qtbot.waitUntil(lambda: all("scores" in (project.entry(i).prediction or {}) for i in project.ids),
                        timeout=WAIT_MS)
        assert not any("weights" in project.entry(i).prediction["model"] for i in project.ids)
        window.close()

    second, ctl2 = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    assert ctl2.model.model_id != old_id and ctl2.model.weights
    paths = set(second.session.paths)
    qtbot.waitUntil(lambda: set(ctl2.scores.book.ran(ctl2.model.model_id, ctl2.settings.tau)) >= paths,
                    timeout=WAIT_MS)  # the kept scores' look gave them back
    asked = spy_runs(ctl2, monkeypatch)
    assert run_all(qtbot, ctl2) is None, ctl2.panel.status_label.text()
    assert asked == []
    second.close()
