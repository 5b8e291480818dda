"""What the compare grid's panels are and what it says over them (:mod:`app.analysis.compare_grid`): the
columns, laid out like the paper's Fig. 7, their titles (with the ground truth's colour and the mask's
threshold and region rule a figure cut from the window still needs), and the layer whose colours the
separated foreground takes. No Qt."""

from __future__ import annotations

from fosp_core.analysis.layers import GROUND_TRUTH_COLOUR, SOLID_COLORS, Layer, LayerStack
from fosp_core.analysis.settings import keep_words
from fosp_core.metrics.report import setting_text

__all__ = ["COLUMNS", "COMPARE_TIP", "FOREGROUND_WORDS", "GT_RGB", "KEYED", "column_titles", "foreground_layer"]

#: What Analysis ▸ Compare (Fig. 7) does, in plain words first, the paper reference second.
COMPARE_TIP = ("Show the image's result in five panels side by side: the image, where the model looked for smoke "
               "(Focus Map) with the labelled smoke (ground truth), the scene it pictured without the smoke "
               "(separated background), what it took for smoke in front of it (separated foreground), and the "
               "smoke it found (prediction); they zoom and pan together, and Export Compare Grid… saves them as "
               "one picture, PNG or JPEG.\nLaid out as the paper's Fig. 7.")
COLUMNS: tuple[str, ...] = ("image", "Focus Map & ground truth", "separated background",
                            "separated foreground", "prediction")
#: The ground truth's outline, as the canvas draws it (fosp_core.analysis.layers.GROUND_TRUTH_*).
GT_RGB = SOLID_COLORS[GROUND_TRUTH_COLOUR]
_GT_WORDS = f"dashed, {GROUND_TRUTH_COLOUR} green"  # what the titles call it
#: The columns with a colour key under them (scalar maps).
KEYED: tuple[str, ...] = (COLUMNS[1], COLUMNS[3])
#: What the separated-foreground panel shows: every stride's energy over its own maximum, averaged.
FOREGROUND_WORDS = ("foreground, relative", "each stride's foreground energy over its own maximum, averaged: "
                    "1 is the most any stride found")


def foreground_layer(layers: LayerStack) -> Layer:
    """The foreground-energy layer whose colours the separated-foreground panel takes: the topmost one
    shown on the canvas, else the topmost (the finest stride)."""
    energies = [layer for layer in layers if layer.name.startswith("foreground energy")]
    shown = [layer for layer in energies if layer.visible]
    return (shown or energies)[-1]


def column_titles(threshold: float | None, keep: str = "plain", labelled: bool = False,
                  tau: float | None = None) -> tuple[str, ...]:
    """The titles over the panels (rich text, two lines at most, so a narrow dock keeps its panels
    wide), saying what a figure cut from its window still needs: the ground truth's colour
    (`labelled`: it is drawn), the mask's `threshold` and region rule `keep` (None: no prediction
    shown) and the Focus `tau` the result was made at (None: its model has none), over the separated
    background (the hole it fills is the Focus Map above τ); the colours' range is in the keys under
    the panels."""
    focus = "Focus Map" + (f"<br>& ground truth ({_GT_WORDS})" if labelled else "")
    prediction, background = "prediction", "separated background"
    if threshold is not None:
        rule = "" if keep == "plain" else f", {keep_words(keep)}"
        prediction += f"<br>(threshold {setting_text(threshold)}{rule})"  # the Model panel's words for the rule
        if tau is not None:
            background += f"<br>(Focus τ {tau:.2f})"  # the Model panel's Focus τ, as it shows it
    return ("image", focus, background, "separated foreground<br>(relative)", prediction)
