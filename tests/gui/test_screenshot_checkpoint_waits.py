"""``--screenshot --run-model --checkpoint FILE`` waits for FILE's model and runs it, whatever else the
inference thread finishes first.

Found in the analyst's day of session 29 (task I): ``python main.py --screenshot out.png --run-model
--checkpoint second.safetensors photo.png`` exited 1 with "the model did not load": the window
starts loading the default model (and listing the devices) as it opens, and the screenshot waited
for the inference thread's next ``done`` - one of those - instead of the load it asked for; had the
default model been in by then, the capture would have shown the default model's result under the
other checkpoint's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.analysis.screenshot import run_model_for_screenshot
from tests.gui.tiny_model import INPUT, WAIT_MS, save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("models")
    return (save_tiny_checkpoint(folder / "default.safetensors", seed=0),
            save_tiny_checkpoint(folder / "second.safetensors", seed=1))


def test_run_model_waits_for_the_checkpoint_asked_for(qtbot, make_window, checkpoints, demo_dir, tmp_path) -> None:
    default, second = checkpoints
    window = make_window(default_model=default)  # starts loading the default model at once
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    image = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    window.open_paths([image], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    problems = run_model_for_screenshot(window, second, ["prediction mask"], None, WAIT_MS / 1000)
    assert problems == []
    assert ctl.loaded_checkpoint()[0] == second
    assert ctl.prediction is not None
    assert ctl.prediction is ctl.cache.get(ctl._key(image.resolve()))
    assert ctl.model.checkpoint is not None and ctl.model.checkpoint.resolve() == second.resolve()
    assert ctl.model.weights and ctl.model.weights in ctl.model.model_id  # (named by its weights)


def test_the_wait_follows_the_controllers_public_model_state(qtbot, make_window, checkpoints, demo_dir,
                                                             tmp_path) -> None:
    """The screenshot waits on `model_state` / `model_state_changed` (it polled the controller's private
    `_load_request`): asked for another checkpoint while the default one loads, it returns once that
    one is ready, and its run is done (`running`)."""
    import inspect

    from app.analysis import screenshot

    assert "._" not in inspect.getsource(screenshot)  # nothing private of the controller read
    default, second = checkpoints
    window = make_window(default_model=default)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    states: list[str] = []
    ctl.model_state_changed.connect(states.append)
    assert ctl.model_state == "loading"  # the default model, asked as the window opened
    image = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    window.open_paths([image], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    assert run_model_for_screenshot(window, second, ["prediction mask"], None, WAIT_MS / 1000) == []
    assert ctl.model_state == "ready" and states == ["ready"]  # loading all along, then ready once
    assert ctl.loaded_checkpoint()[0] == second and ctl.prediction is not None
