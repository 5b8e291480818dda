"""A Run on all plan that arrives stale (the threshold moved while it was made) while a video is open: it
was made again at once (`run_all`), which waits for image mode without a word (`RunPlanner.defer`), so the
panel kept "Planning… Run on All looks at …" with its busy bar and Cancel for the whole video session. A
video open is now looked at first: the run waits, the panel says it is paused (as for a plan still fresh),
and image mode plans it at the panel's settings then. The plan held on its worker by a gate."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.held_plan import held_plan, run_all_window
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def test_a_stale_plan_arriving_in_video_mode_says_it_is_paused(qtbot, make_window, tiny, demo_dir,  # noqa: ANN001
                                                               tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from fosp_core.video.testclip import write_clip
    from tests.gui.video_helpers import open_video

    window, ctl = run_all_window(qtbot, make_window, tiny, demo_dir, tmp_path)
    paths = list(window.session.paths)
    gate, asked, told = held_plan(qtbot, ctl, monkeypatch)
    ctl.settings.set_threshold(0.7)  # the plan under way asked at 0.5: stale when it comes
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=4), tmp_path)
    gate.let_go(qtbot)
    assert asked == [] and told == [] and not ctl.planning.pending  # it waits for image mode
    text = ctl.panel.status_label.text()
    assert "paused while a video is open" in text, text  # it said "Planning… Run on All looks at …"
    assert not ctl.panel.cancel_button.isVisibleTo(window)  # no bar nor Cancel for a plan nobody makes
    with qtbot.waitSignal(ctl.planning.planned, timeout=WAIT_MS):
        window.video.leave()  # image mode: planned at the panel's threshold now, and run
    assert told[0] is not None and asked == [paths]
    qtbot.waitUntil(lambda: not ctl._runs, timeout=WAIT_MS * 3)
