"""`python main.py --screenshot OUT.png` (the README's main-window picture) grabs the window once the
default model has loaded: it grabbed while the model loaded on the inference thread, so six runs of
the same command on the demo gave three different pictures (the panel before the load, the metrics
note drawn over the table's last row, the Model dock scrolled with the model's name elided)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from app.main_window import MainWindow


def test_the_screenshot_waits_for_the_default_model(qapp, capsys: pytest.CaptureFixture[str],  # noqa: ANN001
                                                    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                    demo_dir: Path) -> None:
    from app.main import take_screenshot
    from fosp_core.paths import find_model

    if find_model() is None:
        pytest.skip("no default model")
    seen: list[tuple[bool, bool]] = []
    grab = MainWindow.grab

    def recording_grab(window: MainWindow, *args: object):  # noqa: ANN202 - QWidget.grab's QPixmap
        seen.append((window.analysis.model is not None, window.analysis.panel.run_button.isEnabled()))
        return grab(window, *args)

    monkeypatch.setattr(MainWindow, "grab", recording_grab)
    gc.disable()  # collected below, where no Qt lock is held (as tests/e2e/test_screenshot.py)
    try:
        code = take_screenshot(qapp, tmp_path / "shot.png", [demo_dir], (1280, 800), timeout_s=120)
    finally:
        gc.collect()
        gc.enable()
    assert code == 0, capsys.readouterr().err
    assert seen == [(True, True)]  # one grab, of the model in and the panel's Run on it
