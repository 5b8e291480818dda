"""The default colours of the canvas layers tell the layers apart. The error map's false positives
were drawn in the prediction mask's red (255, 60, 60 and 255, 64, 64: ΔE00 under 1), so with both
shown an analyst could not tell a false positive from a predicted pixel without the legend. Then the
prediction mask's red and the ground truth's green were 10.3 ΔE00 apart to a deuteranope, the
annotation mask's red-orange and the prediction mask's red 0.0 to a tritanope (both on the canvas in
model-assisted labelling), the annotation's yellow ignore band and the τ contour's yellow 1.2. Now
every two default colours (the analysis layers', the annotation mask's smoke and ignore) are at
least 20 ΔE00 apart with normal colour vision and to protanopes, deuteranopes and tritanopes, except
pairs a line style tells apart (:data:`TOLD_APART_BY_STYLE`).

The layers are drawn over photos that are mostly sky, cloud, haze and grey smoke: the ground truth's
sky blue (140, 230, 254) as a 45 % fill was 2.9 ΔE00 from the smoke of a demo image to a deuteranope
(5.9 even opaque), so it all but vanished there. Each mask-like layer, drawn as the canvas draws it by
default, must now stand :data:`OVER_BACKGROUND` ΔE00 from the sky, smoke and terrain of every demo
image with every colour vision.

The prediction mask's rose fill at 45 % was 3.9 ΔE00 from a demo image's grey smoke to a protanope:
where the mask ends over smoke was hard to see. It is now edged with a solid line in a darker shade of
its colour, its strongest cue, which must stand out like the ground truth's outline; that shade is one
more default colour, APART from every other layer's.

The annotation mask's fill at its default 50 % was 7.7 ΔE00 from a demo image's terrain (red, to a
protanope) and 6.0 from its smoke (cream, to a tritanope), and no fill colour could do better. Each
region is now edged at full opacity in its own colour (app/annotation/mask_edge.py), which stands
out like the prediction mask's edge."""

from __future__ import annotations

from functools import cache
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from fosp_core.analysis.layers import (
    ANNOTATION_IGNORE,
    ANNOTATION_SMOKE,
    ERROR_COLORS,
    SOLID_COLORS,
    LayerStack,
    outline_colour,
)
from fosp_core.analysis.results import read_label
from fosp_core.annotation.tool_state import ToolState
from fosp_core.io.images import read_image
from tests.unit.colour_vision import VISIONS, delta_e2000, lab, seen_apart

#: ΔE00 two default colours are at least apart: different colours at a glance (1 is barely noticeable).
APART = 20.0
#: Pairs of default colours allowed closer than APART, because they are drawn in distinct line
#: styles: (layer, layer) -> how. Lime and yellow look alike to dichromats (1 ΔE00 to a tritanope);
#: the ground truth's dashed outline over a light fill and the τ contour's thin solid line do not.
TOLD_APART_BY_STYLE = {("ground truth", "τ contour"): "dashed outline over a light fill vs a thin solid line"}
#: ΔE00 a mask-like layer, blended over a background at the opacity the canvas draws it with, stands
#: from the bare background at least, with every colour vision. 10: the scale colour_vision.py gives
#: for "different colours at a glance"; a JND (~1) is for flat patches side by side, and a region or
#: a thin line over a textured photo of sky and smoke needs several times that to be found at once.
#: The old sky-blue ground truth: 2.9.
OVER_BACKGROUND = 10.0
DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"


def _defaults() -> dict[str, tuple[int, int, int]]:
    """What each binary or error layer and the annotation mask draw in by default: name (FP, FN for
    the error map; "<layer> edge" for an outline in a shade of its layer's colour) -> RGB. Any of them
    can be on the canvas at once."""
    colours = {"annotation smoke": ANNOTATION_SMOKE, "annotation ignore": ANNOTATION_IGNORE}
    for layer in LayerStack():
        if layer.kind == "binary":
            colours[layer.name] = SOLID_COLORS[layer.colormap]
            if (line := layer.outline_rgb()) is not None and line != colours[layer.name]:
                colours[f"{layer.name} edge"] = line
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


def _same_layer(a: str, b: str) -> bool:
    """A layer's fill and its edge (drawn together, the edge a shade of the fill)."""
    return a.removesuffix(" edge") == b.removesuffix(" edge")


def test_the_default_layer_colours_are_pairwise_distinct_with_every_colour_vision() -> None:
    colours = _defaults()
    assert len(colours) == 9 and "prediction mask edge" in colours
    near = {(a, b): seen_apart(colours[a], colours[b]) for a, b in combinations(colours, 2) if not _same_layer(a, b)}
    too_near = {pair: found for pair, found in near.items() if found[0] < APART and pair not in TOLD_APART_BY_STYLE}
    assert not too_near, too_near  # (ΔE00, the vision it is smallest with)


def test_pairs_told_apart_by_line_style_are_drawn_in_distinct_styles() -> None:
    """The pairs excused from APART really differ in how they are drawn: the ground truth with a
    dashed outline over a fill lighter than its line, the τ contour as a thinner solid line over its
    own pixels."""
    stack = LayerStack()
    assert set(TOLD_APART_BY_STYLE) == {("ground truth", "τ contour")}
    truth, tau = stack["ground truth"], stack["τ contour"]
    assert truth.outline is not None and len(truth.outline.dash) >= 2 and truth.outline.width >= 2
    assert 0 < truth.fill <= 0.5
    assert tau.outline is not None and tau.outline.dash == () and tau.outline.width < truth.outline.width
    assert tau.fill == 1 and tau.opacity == 1


def test_the_prediction_mask_is_edged_with_a_solid_line_in_a_darker_shade_of_its_colour() -> None:
    """Its edge is told from the ground truth's (dashed, lime) and the τ contour's (thin, yellow) by
    its style and its colour, and follows a colour the user picks for the layer."""
    stack = LayerStack()
    mask = stack["prediction mask"]
    assert mask.outline is not None and mask.outline.dash == () and 1.5 <= mask.outline.width <= 2
    assert mask.opacity == 1 and 0.3 <= mask.fill * mask.opacity <= 0.5  # a light fill, as the old 45 %
    rose, edge = lab(SOLID_COLORS[mask.colormap]), lab(mask.outline_rgb())
    assert edge[0] < rose[0] - 15  # darker (CIE L*)
    assert delta_e2000(rose, edge) >= 10  # a shade told from the fill at a glance
    assert mask.outline.width < stack["ground truth"].outline.width
    assert mask.outline.width > stack["τ contour"].outline.width
    stack.set_colormap("prediction mask", "blue")
    assert mask.outline_rgb() == outline_colour(SOLID_COLORS["blue"], mask.outline) != SOLID_COLORS["blue"]


@cache
def _backgrounds() -> dict[str, tuple[float, float, float]]:
    """The demo images' backgrounds: median RGB of the labelled smoke, of the top tenth (sky) and of
    the bottom tenth (terrain) of each."""
    out = {}
    for path in sorted((DEMO / "JPEGImages").glob("*.jpg")):
        rgb = read_image(path).rgb
        label = read_label(DEMO / "SegmentationClass" / f"{path.stem}.png", rgb.shape[:2])
        assert label is not None and (label == 1).any(), path
        rows = max(1, rgb.shape[0] // 10)
        name = path.stem.split("_")[1]
        for part, pixels in (("sky", rgb[:rows]), ("smoke", rgb[label == 1]), ("terrain", rgb[-rows:])):
            out[f"{name} {part}"] = tuple(np.median(pixels.reshape(-1, 3), axis=0))
    return out


def _over_background(rgb: tuple[int, int, int], alpha: float) -> tuple[float, str, str]:
    """(smallest ΔE00 of `rgb` blended at `alpha` over a demo background vs that background, the
    vision, the background)."""
    found = []
    for where, background in _backgrounds().items():
        blend = tuple(alpha * np.asarray(rgb, float) + (1 - alpha) * np.asarray(background))
        found += [(delta_e2000(lab(blend, v), lab(background, v)), v, where) for v in VISIONS]
    return min(found)


def _drawn(name: str) -> list[tuple[str, tuple[int, int, int], float]]:
    """How mask-like layer `name` is drawn by default: (cue, colour, alpha) of its strongest cue
    (the annotation mask's: its edge, from the tables app/annotation draws it with)."""
    if name.startswith("annotation"):
        from app.annotation.mask_edge import EDGE_IGNORE, EDGE_SMOKE
        from app.annotation.mask_layer import mask_lut

        table = mask_lut(ToolState().opacity)
        r, g, b, a = (int(v) for v in table[EDGE_SMOKE if name.endswith("smoke") else EDGE_IGNORE])
        return [("edge", (r, g, b), a / 255)]
    layer = LayerStack()[name.removesuffix(" FP").removesuffix(" FN")]
    if layer.kind == "error":
        return [("fill", ERROR_COLORS[layer.colormap][name.endswith(" FN")], layer.opacity)]
    line = layer.outline_rgb()
    if line is not None:
        return [("outline", line, layer.opacity)]
    return [("fill", SOLID_COLORS[layer.colormap], layer.opacity * layer.fill)]


def test_the_demo_backgrounds_are_sky_smoke_and_terrain() -> None:
    backgrounds = _backgrounds()
    assert len(backgrounds) == 12
    assert all(b > r for name, (r, _, b) in backgrounds.items() if name.endswith("sky"))  # blue sky
    assert all(sum(c) < 200 for name, c in backgrounds.items() if name.endswith("terrain"))


@pytest.mark.parametrize("name", [
    "ground truth",
    "prediction mask",  # its dark rose edge (its rose fill at 45 %: 3.9 over smoke)
    "error map FP",  # electric violet at 70 % (the old violet: 5.7 over sky)
    "error map FN",  # dark plum at 70 % (the old navy: 9.6 over sky)
    "annotation smoke",  # its opaque red edge (its red fill at 50 %: 7.7 over terrain)
    "annotation ignore",  # its opaque cream edge (its cream fill at 50 %: 6.0 over smoke)
])
def test_a_mask_like_layer_stands_out_from_sky_smoke_and_terrain(name: str) -> None:
    """Drawn as by default over the sky, the smoke and the terrain of every demo image, the layer's
    strongest cue is OVER_BACKGROUND ΔE00 from the bare background with every colour vision. The
    annotation mask's fill failed (red at 50 %: 7.7 over terrain, cream 6.0 over smoke), and no colour
    can fix it at its 50 %: of the sRGB colours in steps of 8, only 450 stand 10.5 ΔE00 from every
    demo background at 50 % (all dark blues and violets), and no two of them 20 apart fit beside the
    error map's colours. So it is edged at full opacity in its own colours (app/annotation/mask_edge.py),
    as the prediction mask is edged with a solid line."""
    for cue, colour, alpha in _drawn(name):
        found = _over_background(colour, alpha)
        assert found[0] >= OVER_BACKGROUND, (name, cue, colour, alpha, found)


def test_the_annotation_mask_draws_in_the_checked_colours() -> None:
    from app.annotation.mask_layer import IGNORE_RGBA, SMOKE_RGBA, mask_lut

    assert SMOKE_RGBA[:3] == ANNOTATION_SMOKE and IGNORE_RGBA[:3] == ANNOTATION_IGNORE
    lut = mask_lut()
    assert tuple(lut[1, :3]) == ANNOTATION_SMOKE and tuple(lut[255, :3]) == ANNOTATION_IGNORE


def test_the_annotation_mask_s_fill_is_translucent_and_its_edge_opaque_in_the_same_colours() -> None:
    """The fill takes the user's opacity (50 % by default) in its table; the edge, in the fill's
    colours, stays opaque: it is the cue checked against the backgrounds, and a colour of the palette
    already (no new pair to keep APART)."""
    from app.annotation.mask_edge import EDGE_IGNORE, EDGE_SMOKE, FILL_IGNORE, FILL_SMOKE
    from app.annotation.mask_layer import mask_lut

    table = mask_lut(ToolState().opacity)
    alpha = round(255 * ToolState().opacity)
    assert tuple(table[FILL_SMOKE]) == (*ANNOTATION_SMOKE, alpha) and alpha < 255
    assert tuple(table[FILL_IGNORE]) == (*ANNOTATION_IGNORE, alpha)
    assert tuple(table[EDGE_SMOKE]) == (*ANNOTATION_SMOKE, 255)
    assert tuple(table[EDGE_IGNORE]) == (*ANNOTATION_IGNORE, 255)
    assert set(np.flatnonzero(table[:, 3])) <= {FILL_SMOKE, FILL_IGNORE, EDGE_SMOKE, EDGE_IGNORE, 1, 255}
