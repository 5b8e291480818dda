"""The default colours of the canvas layers tell the layers apart. The error map's false positives
were drawn in the prediction mask's red (255, 60, 60 and 255, 64, 64: ΔE00 under 1), so with both
shown an analyst could not tell a false positive from a predicted pixel without the legend. Then the
prediction mask's red and the ground truth's green were 10.3 ΔE00 apart to a deuteranope, the
annotation mask's red-orange and the prediction mask's red 0.0 to a tritanope (both on the canvas in
model-assisted labelling), the annotation's yellow ignore band and the τ contour's yellow 1.2. Now
every two default colours (the analysis layers', the annotation mask's smoke and ignore) are at
least 20 ΔE00 apart with normal colour vision and to protanopes, deuteranopes and tritanopes."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from fosp_core.analysis.layers import (
    ANNOTATION_IGNORE,
    ANNOTATION_SMOKE,
    ERROR_COLORS,
    SOLID_COLORS,
    LayerStack,
)
from tests.unit.colour_vision import VISIONS, delta_e2000, lab, seen_apart

#: ΔE00 two default colours are at least apart: different colours at a glance (1 is barely noticeable).
APART = 20.0


def _defaults() -> dict[str, tuple[int, int, int]]:
    """What each binary or error layer and the annotation mask draw in by default: name (FP, FN for
    the error map) -> RGB. Any of them can be on the canvas at once."""
    colours = {"annotation smoke": ANNOTATION_SMOKE, "annotation ignore": ANNOTATION_IGNORE}
    for layer in LayerStack():
        if layer.kind == "binary":
            colours[layer.name] = SOLID_COLORS[layer.colormap]
        elif layer.kind == "error":
            fp, fn = ERROR_COLORS[layer.colormap]
            colours[f"{layer.name} FP"], colours[f"{layer.name} FN"] = fp, fn
    return colours


@pytest.mark.parametrize(("lab1", "lab2", "expected"), [  # Sharma, Wu & Dalal (2005), Table 1
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (50.0, 3.2592, 0.3350), 1.0000),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
])
def test_the_colour_distance_is_ciede2000(lab1, lab2, expected) -> None:  # noqa: ANN001
    assert delta_e2000(np.array(lab1), np.array(lab2)) == pytest.approx(expected, abs=1e-4)


def test_the_dichromat_simulations_merge_what_they_should() -> None:
    """The simulations are the right way round: red and green (the prediction mask's and the ground
    truth's) look alike to a deuteranope, unlike to normal vision."""
    red, green = SOLID_COLORS["red"], SOLID_COLORS["green"]
    normal = delta_e2000(lab(red), lab(green))
    assert delta_e2000(lab(red, "deuteranopia"), lab(green, "deuteranopia")) < normal / 4
    assert set(VISIONS) == {"normal", "protanopia", "deuteranopia", "tritanopia"}


def test_the_error_map_s_default_colours_stand_apart_from_every_default_layer_colour() -> None:
    colours = _defaults()
    error = [name for name in colours if name.startswith("error map")]
    assert len(error) == 2 and len(colours) > 4
    near = {(a, b): seen_apart(colours[a], colours[b]) for a, b in combinations(colours, 2) if a in error or b in error}
    too_near = {pair: found for pair, found in near.items() if found[0] < APART}
    assert not too_near, too_near  # (ΔE00, the vision it is smallest with)


def test_the_default_layer_colours_are_pairwise_distinct_with_every_colour_vision() -> None:
    colours = _defaults()
    assert len(colours) == 8
    near = {(a, b): seen_apart(colours[a], colours[b]) for a, b in combinations(colours, 2)}
    too_near = {pair: found for pair, found in near.items() if found[0] < APART}
    assert not too_near, too_near  # (ΔE00, the vision it is smallest with)


def test_the_annotation_mask_draws_in_the_checked_colours() -> None:
    from app.annotation.mask_layer import IGNORE_RGBA, SMOKE_RGBA, mask_lut

    assert SMOKE_RGBA[:3] == ANNOTATION_SMOKE and IGNORE_RGBA[:3] == ANNOTATION_IGNORE
    lut = mask_lut()
    assert tuple(lut[1, :3]) == ANNOTATION_SMOKE and tuple(lut[255, :3]) == ANNOTATION_IGNORE
