"""The Focus Map's and the foreground energies' tooltips and legends said they were "computed at 1/16 of the
size" ("at 1/4 of the size"...): of the network's input, not of the image. At the default input (the image
scaled to 512 px) a 1024 x 768 photo's Focus Map has a value per 32 image pixels, a 1920 x 1080 frame's
per 60: an analyst reading "1/16" looked for 16-pixel cells. They now say of what: what the network sees
(Model panel ▸ Input)."""

from __future__ import annotations

from app.analysis.legend import meaning, plain_words
from fosp_core.analysis.layers import LayerStack


def test_the_maps_say_their_scale_is_the_networks_input() -> None:
    stack = LayerStack()
    for name in ("focus map", "foreground energy /4", "foreground energy /32"):
        words = meaning(stack[name])
        assert "of the size" not in words and "what the network sees" in words and "Input" in words, words
    assert meaning(stack["foreground energy /8"], short=True) == "foreground energy at 1/8 of the network's input"
    assert "of the size" not in plain_words(stack["foreground energy /16"])
