"""The compare grid's titles did not say the Focus τ its panels were made at (session 36's review, an analyst
comparing τ on the demo): Export Compare Grid… of the same image at τ 0.15 and at τ 0.40 wrote two figures whose
separated background, separated foreground and prediction differ (the hole the model cuts is Focus Map > τ) under
the very same titles, though the titles are there to say what a figure cut from the window still needs (its
threshold and region rule were said). The separated background's title now says the τ of the result shown; a
model without a τ (SegFormer) gets none."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from app.analysis.compare_grid import column_titles
from fosp_core.infer.result import Prediction


def test_the_titles_say_tau() -> None:
    titles = column_titles(0.5, "plain", tau=0.4)
    assert "τ 0.40" in titles[2], titles  # the separated background: the hole is Focus Map > τ
    assert "τ" not in column_titles(0.5, "plain")[2]  # no τ (a model without one): nothing said
    assert "τ" not in column_titles(None, tau=0.4)[2]  # no result shown: no setting of one


def test_the_grid_shown_says_the_tau_of_its_result(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    h, w = 24, 32
    path = tmp_path / "plume.png"
    Image.fromarray(np.full((h, w, 3), 90, np.uint8)).save(path)
    window = make_window(show=True)  # the grid is drawn while its dock is visible
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([path], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10000)
    ctl = window.analysis
    ctl.grid_dock.toggleViewAction().trigger()  # Analysis ▸ Compare (Fig. 7)
    rng = np.random.default_rng(0)
    for tau in (0.15, 0.4):
        ctl._show(Prediction(probability=rng.random((h, w), np.float32), focus_map=rng.random((h, w), np.float32),
                             background=np.full((h, w, 3), 80, np.uint8), tau=tau))
        qtbot.waitUntil(lambda tau=tau: f"τ {tau:.2f}" in ctl.grid.titles()[2], timeout=5000)  # was: never said
