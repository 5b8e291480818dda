"""The analysis layer stack: which maps of a prediction are shown, and how (no Qt).

Every layer has a fixed name (distinct from the annotation layers: the model's thresholded mask is
"prediction mask", never "mask"), a kind that says how its array is drawn, and user state:
visibility, opacity (0..1) and a colormap name (a pyqtgraph colormap for scalar maps, a solid
colour name for binary ones). :func:`layer_arrays` turns a :class:`~fosp_core.infer.Prediction`
(+ optional ground-truth label) into the array each layer shows.

Kinds and their arrays:
    "scalar": float32 (H, W), drawn through the colormap between ``levels``.
    "binary": bool/uint8 (H, W), 1 drawn in the solid colour, 0 transparent.
    "rgb": uint8 (H, W, 3), drawn as is.
    "error": uint8 (H, W), 0 = nothing, 1 = false positive, 2 = false negative (two colours).
"""

from __future__ import annotations

import colorsys
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from fosp_core.analysis.results import error_map, tau_contour
from fosp_core.infer.result import Prediction
from fosp_core.session import Event

#: Colormaps offered for scalar layers (pyqtgraph names).
SCALAR_COLORMAPS: tuple[str, ...] = ("inferno", "viridis", "magma", "plasma", "cividis", "turbo", "CET-L1")
#: Solid colours offered for binary layers (name -> RGB). The defaults (rose, lime, black, yellow) and
#: the annotation mask's colours below are chosen together: every two of them that can be on the
#: canvas at once are at least 20 ΔE00 apart with normal colour vision and to protanopes,
#: deuteranopes and tritanopes (tests/unit/test_layers_colours.py measures them), except the ground
#: truth's lime and the τ contour's yellow, which dichromats see alike: a line style tells those two
#: apart (the ground truth a dashed outline over a light fill, the τ contour a thin solid line).
#: Eight colours that far apart leave no room for the old red-and-green pair: a dichromat sees both
#: as a dull yellow.
SOLID_COLORS: dict[str, tuple[int, int, int]] = {
    "rose": (236, 116, 132), "lime": (112, 248, 0), "black": (0, 0, 0), "yellow": (239, 216, 56),
    "sky": (140, 230, 254), "red": (255, 64, 64), "green": (64, 220, 90), "blue": (70, 140, 255),
    "cyan": (40, 230, 230), "magenta": (240, 80, 240), "white": (255, 255, 255),
}
#: Colour pairs for the error layer: (false positives, false negatives). The default, violet/plum,
#: stays apart from the other layers' default colours and from each other, also for protanopes,
#: deuteranopes and tritanopes (an electric violet and a dark plum: the two differ in lightness where
#: a dichromat sees both as blue), and at the layer's 70 % it stands 10 ΔE00 from a demo image's sky,
#: smoke and terrain with every colour vision (the old violet (190, 100, 255) was 5.7 from the sky,
#: the old navy (20, 60, 170) 9.6); red/blue's false positives were the prediction mask's old red.
ERROR_COLORS: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "violet/plum": ((104, 0, 255), (72, 0, 104)),
    "red/blue": ((255, 60, 60), (60, 140, 255)),
    "magenta/green": ((240, 80, 240), (64, 220, 90)),
    "orange/cyan": ((255, 150, 30), (40, 230, 230)),
}
#: The annotation mask's colours (app/annotation/mask_layer.py), drawn over the analysis layers (the
#: prediction mask beside the label being drawn, in model-assisted labelling): smoke in red, the
#: ignore band (255) in cream, as PASCAL VOC draws its void band.
ANNOTATION_SMOKE: tuple[int, int, int] = (216, 0, 4)
ANNOTATION_IGNORE: tuple[int, int, int] = (247, 255, 235)
#: The annotation mask's edge: each region is edged, inside, with a band this many image pixels wide
#: in its colour at full opacity, over its fill at the user's opacity (50 % by default). At 50 % no
#: colour stands 10 ΔE00 from every demo background with every colour vision (red 7.7 over terrain,
#: cream 6.0 over smoke); opaque, the red stands 16.4 and the cream 12.4 (test_layers_colours.py).
ANNOTATION_EDGE_WIDTH = 2


@dataclass(frozen=True)
class Outline:
    """A layer's outline, drawn over its fill along the edges of its mask: a line `width` screen
    pixels wide at any zoom, dashed with `dash` (dash and gap lengths in line widths, Qt's
    ``QPen.setDashPattern`` convention; () = solid), in the layer's colour with its HSV saturation and
    value scaled by `shade` ((1, 1): the colour itself; :func:`outline_colour`). `line`: the mask is
    itself a thin line (the τ contour's ring of pixels), traced once along the outside of each piece
    rather than around both of its sides."""

    width: float = 2.0
    dash: tuple[float, ...] = ()
    shade: tuple[float, float] = (1.0, 1.0)
    line: bool = False


def outline_colour(rgb: tuple[int, int, int], outline: Outline) -> tuple[int, int, int]:
    """The colour `outline` is drawn in for a layer of colour `rgb` (8-bit sRGB): its HSV saturation
    and value multiplied by ``outline.shade`` (clipped to 0..1), its hue kept."""
    saturation, value = outline.shade
    if (saturation, value) == (1.0, 1.0):
        return rgb
    h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))
    shaded = colorsys.hsv_to_rgb(h, min(1.0, s * saturation), min(1.0, v * value))
    r, g, b = (round(c * 255) for c in shaded)
    return (r, g, b)


#: How the ground truth is drawn, on the canvas, in an exported view and in the compare grid: a
#: dashed lime outline (the field's green for ground truth) over a light fill, so neither its colour
#: alone nor a fill over sky, smoke and haze has to carry it. Lime is the green that stands out most
#: from the demo images' sky, smoke and terrain with every colour vision (test_layers_colours.py:
#: its outline at least 15.1 ΔE00 from each, where the old sky-blue fill was 2.9).
GROUND_TRUTH_COLOUR = "lime"
GROUND_TRUTH_OUTLINE = Outline(width=2.5, dash=(3.0, 2.0))
GROUND_TRUTH_FILL = 0.25  # the fill's alpha, as a share of the layer's opacity
#: How the prediction mask is drawn: its rose fill at 45 % (as before) edged with a solid line 2
#: screen pixels wide in a dark shade of its colour (HSV value x 0.6, saturation x 0.85: rose
#: (236, 116, 132) -> (142, 80, 89)), under the ground truth's dashed one. The fill alone was 3.9
#: ΔE00 from a demo image's grey smoke to a protanope: where the mask ends over smoke was hard to see.
#: The line is at least 12.5 ΔE00 from the demo images' sky, smoke and terrain with every colour
#: vision and 20 from the other layers' colours (test_layers_colours.py). Darker, not more
#: saturated: a more saturated rose comes within 14 of the annotation mask's red to a protanope.
PREDICTION_COLOUR = "rose"
PREDICTION_OUTLINE = Outline(width=2.0, shade=(0.85, 0.6))
PREDICTION_FILL = 0.45  # the fill's alpha, as a share of the layer's opacity (its old opacity)
#: The τ contour, a one-pixel ring of the Focus region, is also traced as a solid line 1.5 screen
#: pixels wide: below 100 % zoom the display shows block means of the image, in which a one-pixel
#: line mostly averages away (transparent); the line stays at any zoom.
TAU_OUTLINE = Outline(width=1.5, line=True)

STRIDES: tuple[int, ...] = (32, 16, 8, 4)


@dataclass
class Layer:
    """One analysis layer: name, kind, display state and its keyboard toggle (Alt+key, so plain
    letters stay free for the annotation tools)."""

    name: str
    kind: str
    visible: bool = False
    opacity: float = 0.6
    colormap: str = "inferno"
    shortcut: str = ""
    levels: tuple[float, float] | None = (0.0, 1.0)  # None = from the data (min..max)
    outline: Outline | None = None  # binary layers: also drawn as an outline of the mask
    fill: float = 1.0  # binary layers: the fill's alpha as a share of the opacity (the outline's is 1)

    def outline_rgb(self) -> tuple[int, int, int] | None:
        """The colour of this layer's outline (None: it has none): :func:`outline_colour`."""
        if self.outline is None or self.kind != "binary":
            return None
        return outline_colour(SOLID_COLORS[self.colormap], self.outline)

    def colormap_choices(self) -> tuple[str, ...]:
        """Colormap names that make sense for this layer's kind."""
        if self.kind == "scalar":
            return SCALAR_COLORMAPS
        if self.kind == "binary":
            return tuple(SOLID_COLORS)
        if self.kind == "error":
            return tuple(ERROR_COLORS)
        return ()


def default_layers() -> list[Layer]:
    """The analysis layers in drawing order (first = lowest), with their default state."""
    layers = [
        Layer("separated background", "rgb", opacity=1.0, colormap="", shortcut="Alt+B"),
        Layer("probability", "scalar", visible=True, opacity=0.5, colormap="inferno", shortcut="Alt+P"),
        Layer("focus map", "scalar", opacity=0.55, colormap="viridis", shortcut="Alt+M"),
    ]
    layers += [Layer(f"foreground energy /{s}", "scalar", opacity=0.6, colormap="magma",
                     shortcut=f"Alt+{i + 5}", levels=None) for i, s in enumerate(STRIDES)]
    layers += [
        Layer("hole", "binary", opacity=0.35, colormap="black", shortcut="Alt+O"),  # the region shaded
        Layer("prediction mask", "binary", opacity=1.0, colormap=PREDICTION_COLOUR, shortcut="Alt+K",
              outline=PREDICTION_OUTLINE, fill=PREDICTION_FILL),
        Layer("ground truth", "binary", opacity=1.0, colormap=GROUND_TRUTH_COLOUR, shortcut="Alt+L",
              outline=GROUND_TRUTH_OUTLINE, fill=GROUND_TRUTH_FILL),
        Layer("error map", "error", opacity=0.7, colormap="violet/plum", shortcut="Alt+R"),
        Layer("τ contour", "binary", visible=True, opacity=1.0, colormap="yellow", shortcut="Alt+U",
              outline=TAU_OUTLINE),
    ]
    return layers


@dataclass(frozen=True)
class LayerEvents:
    """changed(name, what): ``what`` is "visible", "opacity" or "colormap"."""

    changed: Event = field(default_factory=Event)


class LayerStack:
    """The analysis layers and their display state; widgets bind to it through :attr:`events`."""

    def __init__(self, layers: list[Layer] | None = None) -> None:
        self._layers = {layer.name: layer for layer in (layers or default_layers())}
        self.events = LayerEvents()

    def __iter__(self) -> Iterator[Layer]:
        return iter(self._layers.values())

    def __len__(self) -> int:
        return len(self._layers)

    def __getitem__(self, name: str) -> Layer:
        return self._layers[name]

    @property
    def names(self) -> list[str]:
        """Layer names in drawing order."""
        return list(self._layers)

    def set_visible(self, name: str, visible: bool) -> None:
        """Show or hide layer `name`."""
        layer = self._layers[name]
        if layer.visible != bool(visible):
            layer.visible = bool(visible)
            self.events.changed.emit(name, "visible")

    def toggle(self, name: str) -> None:
        """Flip the visibility of layer `name`."""
        self.set_visible(name, not self._layers[name].visible)

    def set_opacity(self, name: str, opacity: float) -> None:
        """Set layer `name`'s opacity, clamped to 0..1."""
        layer = self._layers[name]
        opacity = min(1.0, max(0.0, float(opacity)))
        if abs(layer.opacity - opacity) > 1e-6:
            layer.opacity = opacity
            self.events.changed.emit(name, "opacity")

    def set_colormap(self, name: str, colormap: str) -> None:
        """Set layer `name`'s colormap; raises ValueError for a name its kind does not offer."""
        layer = self._layers[name]
        choices = layer.colormap_choices()
        if colormap not in choices:
            raise ValueError(f"layer {name!r} offers colormaps {choices}, not {colormap!r}")
        if layer.colormap != colormap:
            layer.colormap = colormap
            self.events.changed.emit(name, "colormap")


def layer_arrays(prediction: Prediction, threshold: float, label: np.ndarray | None = None,
                 keep: str = "plain", codes: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The array each layer shows for `prediction` at mask `threshold`, keeping the regions of rule
    `keep` (:mod:`fosp_core.metrics.decision`; the probability layer stays the model's own map).

    Layers whose source the prediction lacks (e.g. no separation stage) and the label layers when
    `label` (uint8 (H, W), 0/1/255) is None are left out. codes: the label's
    :func:`~fosp_core.analysis.results.error_codes`, when the caller keeps them.
    """
    out: dict[str, np.ndarray] = {"probability": prediction.probability}
    if prediction.focus_map is not None:
        out["focus map"] = prediction.focus_map
    if prediction.hole is not None:
        out["hole"] = prediction.hole
        out["τ contour"] = tau_contour(prediction.hole)
    if prediction.background is not None:
        out["separated background"] = prediction.background
    for stride, energy in prediction.foreground_energy.items():
        out[f"foreground energy /{stride}"] = energy
    if label is not None:
        out["ground truth"] = label == 1
    out.update(thresholded_arrays(prediction, threshold, label, keep, codes))
    return out


def thresholded_arrays(prediction: Prediction, threshold: float, label: np.ndarray | None = None,
                       keep: str = "plain", codes: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Only the arrays of :func:`layer_arrays` that change with the mask threshold or the region rule
    (see :func:`threshold_dependent`): "prediction mask" and, with a `label`, "error map" - what a
    threshold move recomputes (a few ms at 1920×1080 where every layer took ~28 ms)."""
    mask = prediction.mask(threshold, keep)
    out = {"prediction mask": mask}
    if label is not None:
        out["error map"] = error_map(mask, label, codes)
    return out


def threshold_dependent(name: str) -> bool:
    """True for the layers whose array changes with the mask threshold (or region rule)."""
    return name in ("prediction mask", "error map")
