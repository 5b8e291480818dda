"""A Run on All started before a video opens pauses while the video is open: it kept running behind
the video (its results cached, never shown), holding the CPU while the user played the video. The image
being predicted when the video opens finishes; the model panel says the run is paused; back in image
mode the run goes on with the images left (none is predicted twice)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.video.testclip import write_clip
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, hold_first_image, ready_window, save_tiny_checkpoint, spy_runs
from tests.gui.video_helpers import open_video


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def test_run_on_all_pauses_behind_a_video_and_goes_on_back_in_image_mode(qtbot, make_window, tiny: Path,  # noqa: ANN001
                                                                         demo_dir: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    window, ctl = ready_window(qtbot, make_window, tiny, [demo_dir], projects_root=tmp_path / "projects")
    paths = list(window.session.paths)
    asked = spy_runs(ctl, monkeypatch)
    started, release = hold_first_image(ctl, monkeypatch)
    run_all(qtbot, ctl)
    assert started.wait(10)  # the first image is being predicted until the video is open
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=4), tmp_path)
    release.set()
    qtbot.waitUntil(lambda: not ctl._runs, timeout=WAIT_MS)
    qtbot.wait(50)  # (had it gone on, the next images' results would be arriving)
    assert list(ctl.cache.for_model(ctl.model.model_id, ctl.settings.tau)) == paths[:1]  # the image in progress; the rest wait
    assert "paused" in ctl.panel.status_label.text()
    assert ctl.prediction is None  # nothing of the images over the frame

    window.video.leave()
    qtbot.waitUntil(lambda: ctl.panel.status_label.text() == f"Run on All Images goes on: {len(paths) - 1} images left",
                    timeout=WAIT_MS)  # once its plan (on its worker) arrives
    qtbot.waitUntil(lambda: len(ctl.cache) == len(paths) and not ctl._runs, timeout=WAIT_MS)
    assert asked == [paths, paths[1:]]  # the images left, once


def test_back_in_image_mode_before_the_paused_run_s_image_is_done_runs_it_once(qtbot, make_window, tiny: Path,  # noqa: ANN001
                                                                              demo_dir: Path, tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Back to images while the image in progress still runs: the run went on at once, that image (no result
    yet) among the images left, and it was predicted twice."""
    window, ctl = ready_window(qtbot, make_window, tiny, [demo_dir], projects_root=tmp_path / "projects")
    paths = list(window.session.paths)
    asked = spy_runs(ctl, monkeypatch)
    started, release = hold_first_image(ctl, monkeypatch)
    run_all(qtbot, ctl)
    assert started.wait(10)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=4), tmp_path)
    window.video.leave()  # the first image is still being predicted
    release.set()
    qtbot.waitUntil(lambda: len(ctl.cache) == len(paths) and not ctl._runs, timeout=WAIT_MS)
    assert asked == [paths, paths[1:]]  # the images left, once (was: [paths, paths])
    assert ctl.panel.status_label.text().startswith("Model ready")


def test_leaving_the_video_by_opening_other_images_goes_on_over_the_paused_run_s_images_only(
        qtbot, make_window, tiny: Path, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The paused run was over the images open when it started, as a run that no video paused: other
    images opened to leave the video are a new context, run only when the user asks (they were run too,
    when the run went on after they were open: once its image in progress was done, or a model loaded)."""
    window, ctl = ready_window(qtbot, make_window, tiny, [demo_dir], projects_root=tmp_path / "projects")
    paths = list(window.session.paths)
    other = tmp_path / "other"
    other.mkdir()
    for path in paths[:2]:
        shutil.copy(path, other / f"copy_{path.name}")
    asked = spy_runs(ctl, monkeypatch)
    started, release = hold_first_image(ctl, monkeypatch)
    run_all(qtbot, ctl)
    assert started.wait(10)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=4), tmp_path)
    window.open_paths([other], remember=False)  # leaves the video, the first image still being predicted
    assert not window.video.active and len(window.session) == len(paths) + 2
    release.set()
    qtbot.waitUntil(lambda: len(asked) == 2 and not ctl._runs, timeout=WAIT_MS)
    qtbot.wait(50)
    assert asked == [paths, paths[1:]]  # the paused run's images left, none of the other folder
    assert not any(path.parent == other.resolve() for path in ctl.cache.for_model(ctl.model.model_id, ctl.settings.tau))
