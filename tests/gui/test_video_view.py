"""The video view driven through the real main window, offscreen: open, seek, play, predictions,
painting a frame, keyframes, carry, export, and bad files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from app.services import CollectingErrorReporter
from app.video.timeline_widget import format_time
from fosp_core.annotation import tools
from fosp_core.io.masks import read_mask
from fosp_core.video.testclip import corrupt_mjpeg_frames, write_clip

torch.set_num_threads(1)


def fake_model(rgb: np.ndarray) -> np.ndarray:
    """A stand-in network: grey (unsaturated) pixels are 'smoke'."""
    spread = rgb.max(axis=2).astype(np.float32) - rgb.min(axis=2)
    return np.clip(1.0 - spread / 60.0, 0.0, 1.0)


@pytest.fixture()
def clip(tmp_path: Path) -> Path:
    return write_clip(tmp_path / "clip.mp4", frames=24, fps=24.0)


def _open(qtbot, window, path: Path) -> None:
    window.video.state_root = Path(window.services.settings.fileName()).parent / "video-state"
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([path], remember=False)


def test_open_seek_step_and_readouts(qtbot, make_window, clip: Path) -> None:
    window = make_window(show=True)
    _open(qtbot, window, clip)
    video = window.video
    assert video.active and video.timeline_dock.isVisible() and not window.image_dock.isVisible()
    assert not window.action_filter.isEnabled() and not window.action_goto.isEnabled()  # image mode's
    assert video.shown_index == 0 and window.canvas.image_shape == (120, 160)
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == 17):
        video.timeline.slider.setValue(17)
    assert video.timeline.frame_label.text().split() == ["frame", "17", "/", "23"]
    assert "0:00.708" in video.timeline.time_label.text()
    marker = int(window.canvas.base.image[2:14, 2:14].mean())
    assert abs(marker - (17 * 7) % 256) <= 3  # the frame on screen is frame 17
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == 5):
        video.timeline.frame_box.setValue(5)  # jump to frame
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == 6):
        next(a for a in video.actions if a.text() == "Next Frame").trigger()
    x = video.timeline.plot.getPlotItem().vb.mapViewToScene(__import__("pyqtgraph").Point(20, 0.5)).x()
    assert video.timeline.frame_at_scene_x(x) == 20  # click-to-seek maps plot x to the frame


def test_play_reaches_the_end(qtbot, make_window, clip: Path) -> None:
    window = make_window(show=True)
    _open(qtbot, window, clip)
    video = window.video
    video.toggle_play()
    assert video.playback.playing
    qtbot.waitUntil(lambda: video.shown_index == 23 and not video.playback.playing, timeout=10_000)


def test_predictions_arrive_and_plots_fill(qtbot, make_window, clip: Path) -> None:
    window = make_window(show=True)
    _open(qtbot, window, clip)
    video = window.video
    # state, not waitSignal: the worker thread keeps emitting after frame 0 (predicting ahead), and
    # a queued emission reaching a finished blocker's slot has crashed pytest-qt under PySide6
    video.set_model(fake_model, "fake")
    qtbot.waitUntil(lambda: 0 in video.cache and video.overlay.prob_item.isVisible(), timeout=10_000)
    video.predict_whole()
    qtbot.waitUntil(lambda: not video.worker.whole_running and video.panel.predict_all_button.isEnabled(),
                    timeout=20_000)
    video._update_curves()
    area, peak = video.cache.summary_arrays()
    assert not np.isnan(area).any() and (peak > 0.5).all()
    _, ys = video.timeline.peak_curve.getData()
    assert np.isfinite(ys).all()
    video.panel.smoothing.setChecked(True)
    assert video.probability() is not None



def _predicting(qtbot, make_window, clip: Path):  # noqa: ANN202
    """(window, video mode, frame 0's map) once the stand-in model has predicted frame 0."""
    window = make_window(show=True)
    _open(qtbot, window, clip)
    video = window.video
    video.set_model(fake_model, "fake")
    qtbot.waitUntil(lambda: 0 in video.cache, timeout=10_000)
    return window, video, video.cache.get(0).copy()


def test_region_rule_of_the_model_panel_applies_to_frames(qtbot, make_window, clip: Path) -> None:
    window, video, raw = _predicting(qtbot, make_window, clip)
    assert (raw > 0.5).any()
    # mean:1 keeps no region (no region's mean probability is above 1): every flagged pixel goes
    window.analysis.settings.set_keep("mean:1")
    assert "regions with a mean probability above 1" in video.panel.model_label.text().replace("\u200b", "")
    qtbot.waitUntil(lambda: video.cache.model_key.endswith("|mean:1@0.5") and 0 in video.cache, timeout=10_000)
    ruled = video.cache.get(0)
    assert not (ruled > 0.5).any()
    np.testing.assert_array_equal(ruled[raw <= 0.5], raw[raw <= 0.5])  # the rest stays a probability map
    qtbot.waitUntil(lambda: video.probability() is not None, timeout=10_000)
    assert not (video.probability() > 0.5).any()  # what the overlay and the tools are given
    window.analysis.settings.set_keep("plain")
    qtbot.waitUntil(lambda: video.cache.model_key.endswith("|plain") and 0 in video.cache, timeout=10_000)
    np.testing.assert_array_equal(video.cache.get(0), raw)
    assert video.panel.model_label.text() == "fake"


def test_threshold_of_the_model_panel_applies_to_frames(qtbot, make_window, clip: Path) -> None:
    window, video, raw = _predicting(qtbot, make_window, clip)
    area_05 = video.cache.summary_arrays()[0][0]
    assert area_05 == pytest.approx((raw > 0.5).mean(), abs=2e-3)
    # plain: the area curve follows the threshold from the summaries; the maps are not predicted again
    key = video.cache.model_key
    window.analysis.settings.set_threshold(0.2)
    assert video.cache.model_key == key and 0 in video.cache
    assert video.cache.summary_arrays()[0][0] == pytest.approx((raw > 0.2).mean(), abs=2e-3)
    assert video.cache.summary_arrays()[0][0] > area_05
    _, ys = video.timeline.area_curve.getData()
    assert ys[0] == pytest.approx(min(1.0, 10 * (raw > 0.2).mean()), abs=2e-2)
    # under a rule the threshold shapes the regions: the frames are predicted again once it rests
    window.analysis.settings.set_keep("core:0.95")
    qtbot.waitUntil(lambda: video.cache.model_key.endswith("|core:0.95@0.2") and 0 in video.cache, timeout=10_000)
    window.analysis.settings.set_threshold(0.3)
    window.analysis.settings.set_threshold(0.4)
    assert video.cache.model_key.endswith("@0.2")  # not yet: the slider may still be moving
    qtbot.waitUntil(lambda: video.cache.model_key.endswith("|core:0.95@0.4") and 0 in video.cache, timeout=10_000)
    from fosp_core.metrics.decision import apply_rule, parse_rule

    expected = apply_rule(raw, parse_rule("core:0.95"), 0.4)
    np.testing.assert_allclose(video.cache.get(0), expected, atol=1e-3)  # the cache holds float16


def test_paint_keyframe_carry_and_export(qtbot, make_window, clip: Path, tmp_path: Path) -> None:
    window = make_window(show=True)
    _open(qtbot, window, clip)
    video = window.video
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == 3):
        video.seek(3)
    assert tools.brush(video.document, [(80, 60), (90, 60)], 8)  # the frame's document, saved on commit
    video.toggle_keyframe()
    assert video.panel.keyframe_list.count() == 1
    assert len(video.timeline.keyframe_marks.data) == 1 and len(video.timeline.edited_marks.data) == 1
    video.seek(4)
    video.carry()
    assert video.document.mask.sum() > 0 and video.annotations.edited == {3, 4}
    with qtbot.waitSignal(video.export_finished, timeout=20_000) as blocker:
        video.export([3, 4, 5], tmp_path / "out")
    report = blocker.args[0]
    assert report.frames == [3, 4] and report.skipped == [(5, "no mask")]
    assert read_mask(tmp_path / "out" / "SegmentationClass" / "clip_000003.png").max() == 1
    assert (tmp_path / "out" / "JPEGImages" / "clip_000004.jpg").is_file()


def test_bad_files_leave_the_app_working(qtbot, make_window, tmp_path: Path, clip: Path) -> None:
    reporter = CollectingErrorReporter()
    window = make_window(error_reporter=reporter, show=True)
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.mkv"
    junk.write_bytes(bytes(range(256)) * 64)
    window.open_paths([empty], remember=False)  # probed on a worker: reported once it failed there
    qtbot.waitUntil(lambda: len(reporter.errors) == 1, timeout=10_000)
    window.open_paths([junk], remember=False)
    qtbot.waitUntil(lambda: len(reporter.errors) == 2, timeout=10_000)
    assert [e.path.name for e in reporter.errors] == ["empty.mp4", "junk.mkv"]
    assert "empty" in reporter.errors[0].reason and "not a readable video" in reporter.errors[1].reason
    assert not window.video.active
    _open(qtbot, window, clip)  # still works afterwards


def test_corrupt_frames_are_skipped_during_playback(qtbot, make_window, tmp_path: Path) -> None:
    good = write_clip(tmp_path / "good.avi", frames=16, fps=32.0, fourcc="MJPG")
    bad = corrupt_mjpeg_frames(good, [4, 9], tmp_path / "bad.avi")
    window = make_window(show=True)
    _open(qtbot, window, bad)
    video = window.video
    video.toggle_play()
    qtbot.waitUntil(lambda: video.shown_index == 15 and not video.playback.playing, timeout=10_000)
    for frame in (4, 9):  # reported (the player may have dropped one of them, so seek explicitly)
        with qtbot.waitSignal(video.fetcher.frame_failed, timeout=5000):
            video.seek(frame)
    assert {4, 9} <= video.failed_frames and "could not be decoded" in video.panel.info_label.text()


def test_image_opens_back_in_image_mode(qtbot, make_window, clip: Path, demo_dir: Path) -> None:
    window = make_window(show=True)
    image_docks = [window.analysis.layer_dock, window.annotation.worklist_dock]
    assert all(d.isVisible() for d in image_docks)
    _open(qtbot, window, clip)
    # the image session's Worklist says nothing of a video: the Video panel takes the column; the Layers
    # dock stays, for the frame's layers (app.video.frame_layers)
    assert not window.annotation.worklist_dock.isVisible() and window.analysis.layer_dock.isVisible()
    assert window.video.panel_dock.isVisible()
    _open(qtbot, window, clip)  # a second video keeps it put away
    assert not window.annotation.worklist_dock.isVisible()
    image = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    with qtbot.waitSignal(window.loader.image_loaded,
                          timeout=10_000):
        window.open_paths([image], remember=False)
    assert not window.video.active and not window.video.timeline_dock.isVisible()
    assert all(d.isVisible() for d in image_docks)
    assert window.image_dock.isVisible() and window.action_filter.isEnabled() and window.action_goto.isEnabled()


def test_closing_waits_for_a_model_still_loading(qtbot, make_window, clip: Path, monkeypatch) -> None:
    import threading
    import time

    import fosp_core.infer.predictor as predictor

    started = threading.Event()

    def slow_model(*_args, **_kwargs):
        started.set()
        time.sleep(0.5)
        return fake_model

    monkeypatch.setattr(predictor, "probability_fn", slow_model)
    window = make_window(show=True)
    _open(qtbot, window, clip)
    window.video.load_model(clip)  # any path: the stand-in loader ignores it
    assert started.wait(5)
    threads = list(window.video.models._threads)
    assert threads and threads[-1].is_alive()
    window.video.shutdown()  # what closing the window does: the load finishes before the process may exit
    assert not any(t.is_alive() for t in threads)


def test_real_video(qtbot, make_window, shared_data: Path) -> None:
    window = make_window(show=True)
    _open(qtbot, window, shared_data / "videos" / "hpwren-los-pinos-2019-10-06.mp4")
    video = window.video
    assert video.frame_count == 156 and window.canvas.image_shape == (720, 960)
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == 120):
        video.seek(120)
    video.set_model(fake_model, "fake")
    qtbot.waitUntil(lambda: 120 in video.cache, timeout=20_000)
    video.toggle_play()
    qtbot.waitUntil(lambda: video.shown_index >= 122, timeout=10_000)
    video.toggle_play()
    assert tools.brush(video.document, [(400, 300)], 8)
    video.annotations.finish_saves(wait=True)  # the PNG is written by the timeline's save thread
    assert video.annotations.mask_path(video.index).is_file()


def test_variable_frame_rate_file(qtbot, make_window, tmp_path: Path) -> None:
    pytest.importorskip("av", reason="PyAV (the dev extra) is needed to write a variable-frame-rate video")
    from tests.vfr_clip import FRAMES, marker_of, write_vfr_clip

    path = tmp_path / "vfr.mp4"
    stamps = write_vfr_clip(path)
    window = make_window(show=True)
    _open(qtbot, window, path)
    video = window.video
    assert video.frame_count == FRAMES and "variable frame rate" in video.panel.info_label.text()
    for frame in (33, 7, 38):  # jumps back and forth land on the right frames
        with qtbot.waitSignal(video.frame_shown, timeout=10_000, check_params_cb=lambda i, f=frame: i == f):
            video.timeline.frame_box.setValue(frame)
        assert abs(marker_of(window.canvas.base.image) - (frame * 7) % 256) <= 3
    assert video.reader.stream_index(wait=10.0) is not None
    video.timeline.set_position(38)
    own = format_time((stamps[38] - stamps[0]) / 1000.0)
    assert own != format_time(38 / video.reader.meta.fps)
    assert video.timeline.time_label.text().startswith(own)  # the frame's own time, as the warning says
