"""The Video panel's words: the smoothing box said "1 frames"; a wrapped model name broke at the dot
of its extension ("Loading fosp-default." / "safetensors…")."""

from __future__ import annotations

from app.video.panel import ZERO_WIDTH_SPACE, VideoPanel, breakable


def test_the_smoothing_box_counts_frames_in_words(qtbot) -> None:  # noqa: ANN001
    panel = VideoPanel()
    qtbot.addWidget(panel)
    box = panel.smoothing_radius
    box.setValue(1)
    assert box.text() == "1 frame"
    box.setValue(3)
    assert box.text() == "3 frames"
    box.setValue(1)
    assert box.text() == "1 frame"


def test_a_long_name_never_breaks_at_its_extension() -> None:
    for text, ext in (("Loading fosp-default.safetensors…", ".safetensors…"),
                      ("run_2026-12-07_lr1e-4_batch8_best.safetensors", ".safetensors"),
                      ("hpwren-los-pinos-2019-10-06.mp4", ".mp4")):
        broken = breakable(text)
        assert broken.replace(ZERO_WIDTH_SPACE, "") == text
        assert ZERO_WIDTH_SPACE in broken  # long: it may still break, in its stem
        dot = broken.rindex(".")
        assert ZERO_WIDTH_SPACE not in broken[dot - 1:], broken.split(ZERO_WIDTH_SPACE)  # "default.safetensors" whole
        assert broken.endswith(ext)
