"""Colour keys of the analysis layers: a swatch per row of the layer list (:func:`key_image`) and,
under it, the legend of the selected layer (:class:`LayerLegend`): its colour bar with the values
at its ends for a scalar map, its colours named for the others, and what the layer is.

The ends of a scalar bar are the levels the canvas draws the layer between (:func:`~app.analysis.
render.display_array`): 0 and 1 for the probability and the Focus Map, 0 and the shown image's own
maximum for a foreground energy (so a colour is worth something else on each image).
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Collection
from functools import lru_cache

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QResizeEvent, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.analysis.colour_bar import BarFrame, ColourBar
from app.analysis.render import SCALAR_FADE, display_array, lookup_table
from app.theme import HINT_STYLE
from fosp_core.analysis.layers import ERROR_COLORS, SOLID_COLORS, Layer
from fosp_core.metrics.report import setting_text

__all__ = ["FRAME", "KEY_SIZE", "LayerLegend", "colour_mark", "key_image", "meaning", "plain_words", "scale_ends"]

KEY_SIZE = (28, 12)  # a layer list row's swatch, in pixels
_BAR_HEIGHT = 10
#: The line around a colour key (a row's swatch, a legend's mark), one grey for both themes: 3.5:1 on
#: the dark dock (45, 45, 48) and 4.2:1 on its list (30, 30, 32), 3.3:1 on the light dock (240, 240,
#: 240) and 3.9:1 on its list (white), so a dark colour (the hole's black, the error map's plum) or a
#: light one still shows as a key (WCAG 1.4.11's 3:1; (110, 110, 110) was 2.7:1 on the dark dock, the
#: dark theme's (150, 150, 150) 2.6:1 on the light one).
FRAME = QColor(128, 128, 128)
_MARK_SIZE = 10  # a legend's colour mark, frame included, in pixels

#: What each layer is: (short, for the legend line; long, for tooltips).
_MEANINGS = {
    "separated background": ("the image inpainted without its Focus region",
                             "the image with the Focus region (Focus Map above τ) removed and inpainted: "
                             "what the network takes for the scene without smoke (RGB)"),
    "probability": ("smoke probability", "the model's smoke probability per pixel"),
    "focus map": ("Focus Map", "the Focus Map: where the network looks for smoke, computed at 1/16 of what the "
                               "network sees (Model panel ▸ Input): a value per 16 of its pixels, more of an "
                               "image larger than it"),
    "hole": ("Focus Map above τ", "the Focus region removed before inpainting: Focus Map above τ, as the model cut "
                                  "it at its input size (Model panel ▸ Input), so along its edge a pixel or so off "
                                  "the Focus Map shown here above τ; the hover readout says 'in hole'"),
    "prediction mask": ("probability above the mask threshold",
                        "smoke as predicted: probability above the mask threshold (and the Regions rule): "
                        "a light fill edged with a solid line in a darker shade of its colour"),
    "ground truth": ("labelled smoke: dashed outline, light fill",
                     "smoke as labelled (the image's label file): a dashed outline over a light fill"),
    "τ contour": ("outline of the Focus region",
                  "the outline of the Focus region (Focus Map = τ): its edge pixels, traced by a thin solid line "
                  "that stays at any zoom; zoomed in, the pixels themselves show as a band"),
    "error map": ("", "the prediction mask against the ground truth (ignored label pixels left out)"),
}


#: What each layer shows, in a first-time user's words (a tooltip's first line; the paper's after it).
_PLAIN = {
    "separated background": "The scene as the model imagines it without the smoke",
    "probability": "How sure the model is that each pixel is smoke (bright: sure)",
    "focus map": "Where the model looked hardest for smoke (bright: hardest)",
    "hole": "The part of the image the model hid to picture the scene behind the smoke",
    "prediction mask": "The smoke the model found",
    "ground truth": "The smoke as labelled by hand",
    "error map": "Where the model and the label disagree: smoke it made up, smoke it missed",
    "τ contour": "The edge of the part the model hid (where it looked hardest for smoke)",
}


def plain_words(layer: Layer) -> str:
    """What `layer` shows, in one sentence without the paper's terms (a tooltip's first line)."""
    if layer.name.startswith("foreground energy"):
        stride = layer.name.rsplit("/", 1)[-1]
        return (f"What stands out from the scene behind it, as the model sees it (bright: most; "
                f"{'fine' if stride == '4' else 'coarser'} detail, 1/{stride} of the network's input)")
    return _PLAIN.get(layer.name, layer.name)


def meaning(layer: Layer, short: bool = False) -> str:
    """What `layer` shows, in a sentence (`short`: a few words, "" where its colours say it)."""
    if layer.name.startswith("foreground energy"):
        stride = layer.name.rsplit("/", 1)[-1]
        return (f"foreground energy at 1/{stride} of the network's input" if short else
                f"foreground-feature energy at 1/{stride} of what the network sees (Model panel ▸ Input): where "
                f"the image and its inpainted background differ in the network's features (β·|F^N − F^A|, RMS "
                f"over channels)")
    return _MEANINGS.get(layer.name, (layer.name, layer.name))[0 if short else 1]


def no_map_words(what: str, focus: bool) -> str:
    """Why a result has no `what` ("Focus Map", "separated background"...): the model that made it has
    no such stage (the app asks for every map it shows). `focus`: it made a Focus Map, so it lacks the
    Separation module only (ablation rows (b), (c)); else it is a SegFormer baseline (row (a))."""
    return f"This model has no {what}: " + ("it has no Separation module" if focus else "a SegFormer baseline")


#: The layers of a model's own stages, by the name of what a model without that stage lacks.
_STAGE_MAPS = {"focus map": "Focus Map", "hole": "Focus region (τ hole)", "τ contour": "Focus region (τ hole)",
               "separated background": "separated background"}


#: Why a result shown has no ground truth: an image's is a label file found beside it
#: (fosp_core.analysis.results.find_label), a video frame's its painted mask (app.video.frame_truth).
NO_TRUTH_WORDS = ("no ground truth for this picture: an image's is its label file (named like it, in "
                  "SegmentationClass beside JPEGImages, gt beside img, of its size); a video frame's, its painted mask")


def missing_words(name: str, shown: Collection[str]) -> str:
    """Why layer `name` is not among the layers `shown` of a result: its model has no such stage
    (:func:`no_map_words`), or, for the ground truth and the error map, the picture has no ground truth
    (:data:`NO_TRUTH_WORDS`); "" where it is shown and where no result is (`shown` empty)."""
    if not shown or name in shown:
        return ""
    if name == "ground truth":
        return NO_TRUTH_WORDS[0].upper() + NO_TRUTH_WORDS[1:]
    if name == "error map":
        return f"No error map: {NO_TRUTH_WORDS}"
    what = "foreground energy" if name.startswith("foreground energy") else _STAGE_MAPS.get(name)
    return "" if what is None else no_map_words(what, "focus map" in shown)


#: The short words of the layers cut at τ, with the τ of the result shown ({tau}, to the panel's step).
_AT_TAU = {"hole": "Focus Map above τ\u00a0{tau}", "τ contour": "outline of the Focus region, τ\u00a0{tau}"}


def _named_colours(layer: Layer, tau: float | None = None, mask: str = "") -> list[tuple[tuple[int, int, int], str]]:
    """(colour, what it marks) for a binary or error layer; `tau`: the τ the shown result was made at;
    `mask`: the prediction mask's words at the threshold and rule in force ("" : its general words)."""
    if layer.kind == "binary":
        colour, line = SOLID_COLORS[layer.colormap], layer.outline_rgb()
        words = meaning(layer, short=True)
        if tau is not None and layer.name in _AT_TAU:
            words = _AT_TAU[layer.name].format(tau=setting_text(tau))
        if mask and layer.name == "prediction mask":
            words = mask
        named = [(colour, words)]
        return named if line is None or line == colour else [*named, (line, "its edge")]
    if layer.kind == "error":
        fp, fn = ERROR_COLORS[layer.colormap]
        return [(fp, "false positive"), (fn, "false negative")]
    return []


def key_image(layer: Layer, width: int = KEY_SIZE[0], height: int = KEY_SIZE[1], scale: float = 1.0) -> QImage:
    """A `width` x `height` swatch of `layer`'s colours: its colour bar (scalar), its colour
    (binary), its two colours side by side (error), a grey ramp for an RGB picture. `scale`: device
    pixels per pixel of an edge and its dashes (a swatch drawn at a screen's device pixel ratio)."""
    if layer.kind == "scalar":
        table = lookup_table("scalar", layer.colormap, translucent=False)
        assert table is not None
        row = table[np.linspace(0, 255, width).round().astype(int), :3]
    elif layer.kind in ("binary", "error"):
        colours = [c for c, _ in _named_colours(layer)]
        row = np.array([colours[min(len(colours) - 1, x * len(colours) // width)] for x in range(width)], np.uint8)
    else:
        ramp = np.linspace(60, 220, width).astype(np.uint8)
        row = np.stack([ramp, ramp, ramp], axis=1)
    pixels = np.ascontiguousarray(np.broadcast_to(row, (height, width, 3)), np.uint8)
    line = layer.outline_rgb()
    if line is not None and layer.outline is not None:  # as drawn: its edges, dashed or not, over its fill
        rgb = SOLID_COLORS[layer.colormap]
        # An edge in the colour itself (the ground truth's) over a light fill shows how light; an edge
        # in a shade of it over the colour at full strength (the prediction mask's) shows both colours.
        fill = layer.fill if line == rgb else 1.0
        pixels = _outlined_key(rgb, fill, line, bool(layer.outline.dash), width, height, scale)
    return QImage(pixels.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


def _outlined_key(rgb: tuple[int, int, int], fill: float, line: tuple[int, int, int], dashed: bool,
                  width: int, height: int, scale: float = 1.0) -> np.ndarray:
    """uint8 (height, width, 3): `rgb` at alpha `fill` over the dock's dark grey, edged with a
    2-pixel line of colour `line`, `dashed` (3 on, 2 off along the top and bottom, as the canvas's
    dashes) or solid; pixels of `scale` device pixels (the line round(2 * scale) wide)."""
    dark = np.array((42, 42, 42), float)
    pixels = np.empty((height, width, 3), np.uint8)
    pixels[:] = np.rint(dark * (1 - fill) + np.asarray(rgb, float) * fill).astype(np.uint8)
    edge = max(1, round(2 * scale))
    dashes = (np.arange(width) // edge) % 5 < 3 if dashed else np.ones(width, bool)
    for rows in (slice(0, edge), slice(height - edge, height)):
        pixels[rows, dashes] = line
    pixels[:, :edge] = pixels[:, width - edge:] = line
    return pixels


@lru_cache(maxsize=64)
def colour_mark(rgb: tuple[int, int, int], ratio: float = 1.0) -> str:
    """Rich text of a small square of colour `rgb` framed by :data:`FRAME` (an inline PNG): a bare
    "■" in the hole's black or the error map's plum was lost on the dark dock (1.5:1). `ratio`: the
    device pixels per pixel of the screen it is shown on (its PNG holds that many, its frame
    round(`ratio`) wide: Qt draws it at its logical size a device pixel per pixel)."""
    side, line = round(_MARK_SIZE * ratio), max(1, round(ratio))
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(FRAME)
    painter = QPainter(image)
    painter.fillRect(line, line, side - 2 * line, side - 2 * line, QColor(*rgb))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    encoded = base64.b64encode(bytes(data.data())).decode("ascii")
    return f'<img src="data:image/png;base64,{encoded}" width="{_MARK_SIZE}" height="{_MARK_SIZE}">'


def _rich_item(rgb: tuple[int, int, int], words: str, ratio: float = 1.0) -> str:
    """Rich text of one legend item: the colour mark of `rgb` (at device pixel ratio `ratio`), then `words`."""
    return f"{colour_mark(rgb, ratio)}&nbsp;{html.escape(words)}"


def _one_line_width(rich: str, font: QFont) -> float:
    """The width in px `rich` takes laid out on one line in `font` (as a QLabel draws it): a
    QTextDocument laid out, about a millisecond; :class:`LayerLegend` keeps it by content."""
    doc = QTextDocument()
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setHtml(rich)
    return doc.idealWidth()


def _number(value: float) -> str:
    return f"{value:.3g}"


def scale_ends(layer: Layer, array: np.ndarray | None) -> tuple[str, str]:
    """The values at the ends of scalar `layer`'s colour bar, as its legend writes them, when it is
    drawn from `array` (None: no result shown): its levels ("0", "1"), or for a layer drawn up to its
    map's maximum, 0 and that maximum ("0", "3.2 (max)"; "0", "max" without an array)."""
    if array is None and layer.levels is None:
        return "0", "max"
    levels = layer.levels if array is None else display_array(layer, array)[1]
    assert levels is not None
    top = levels[1]
    if layer.levels is None and array is not None:  # the map's own maximum, also where it
        top = _data_max(array, top)  # is 0 (drawn over 0..1 then, so nothing shows)
    return _number(levels[0]), _number(top) + (" (max)" if layer.levels is None else "")


def _data_max(array: np.ndarray, drawn_top: float) -> float:
    """The largest value of `array`; `drawn_top` (the level it is drawn up to) where that is no
    finite number (an empty map, NaNs). A map of zeros is drawn between 0 and 1 (a level span of 0
    would divide by 0), but its maximum is 0, not 1."""
    top = float(np.max(array)) if array.size else math.nan
    return top if math.isfinite(top) else drawn_top


class LayerLegend(QWidget):
    """The selected layer's legend (see module doc): `bar` (a colour bar between `low` and `high`,
    for scalar maps) over `note` (the colours named, what the layer is)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = ColourBar(_BAR_HEIGHT)  # at the screen's device pixels
        self.low, self.high = QLabel(), QLabel()
        self.high.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.RichText)  # escaped words (&#x27;) read as words without a mark too
        self.note.setStyleSheet(HINT_STYLE)
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        scale = QHBoxLayout()
        scale.setContentsMargins(0, 0, 0, 0)
        scale.addWidget(self.low)
        scale.addWidget(BarFrame(self.bar, FRAME), 1)  # its ends show on either theme
        scale.addWidget(self.high)
        self._scale = QWidget()
        self._scale.setLayout(scale)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._scale)
        layout.addWidget(self.note)
        self._plain = ""
        self._shown_as: tuple[Layer | None, np.ndarray | None, float | None, str, str] = (None, None, None, "", "")
        self._rich: list[str] = []
        #: (the one-line text, the note's font) -> its width: a width change (a dock dragged wider,
        #: the window resized) compares numbers, where it laid out a QTextDocument every time
        self._one_line: tuple[str, str, float] | None = None

    def _one_line_width(self, rich: str) -> float:
        """:func:`_one_line_width` of `rich` in the note's font, laid out once per content and font."""
        font = self.note.font().key()
        if self._one_line is None or self._one_line[:2] != (rich, font):
            self._one_line = (rich, font, _one_line_width(rich, self.note.font()))
        return self._one_line[2]

    def _compose(self) -> None:
        """The note's items on one line where they fit the note's width, else one item a line: Qt
        wraps after an inline image, so a mark ended one line and its words began the next
        ("■ probability above the mask threshold ■" / "its edge" at 1366 x 768)."""
        one_line = "&nbsp;&nbsp; ".join(self._rich)
        fits = self._one_line_width(one_line) <= self.contentsRect().width()  # the note's, laid out later
        text = one_line if fits or len(self._rich) < 2 else "<br>".join(self._rich)
        if text != self.note.text():
            self.note.setText(text)

    def event(self, event: QEvent) -> bool:
        """Draw the colour marks again on a screen of another device pixel ratio."""
        if event.type() == QEvent.Type.DevicePixelRatioChange and self._shown_as[0] is not None:
            self.set_layer(*self._shown_as)
        return super().event(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Re-lay the note's items for the new width (:meth:`_compose`)."""
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._compose()

    def set_layer(self, layer: Layer | None, array: np.ndarray | None = None, tau: float | None = None,
                  missing: str = "", mask: str = "") -> None:
        """Explain `layer` (None: nothing), drawn from `array` (None: no result shown) of a result made
        at `tau` (None: unknown, or none shown): one line, the rest in its tooltip. `missing`: why the
        result has no such map (:func:`missing_words`), said instead of its scale. `mask`: what the
        prediction mask keeps at the settings in force ("mask: probability > 0.50"), said for its colour."""
        self._shown_as = (layer, array, tau, missing, mask)  # drawn again at another device pixel ratio
        if layer is not None and missing:
            self._scale.hide()
            self._rich = [html.escape(missing)]
            self._compose()
            self.note.setVisible(True)
            for widget in (self, self.bar, self.note):
                widget.setToolTip(f"{missing}\n{meaning(layer)}")
            self._plain = f"{missing}\n{meaning(layer)}"
            return
        if layer is None:
            self._scale.hide()
            self._rich = []
            self.note.clear()
            self._plain = ""
            return
        scalar = layer.kind == "scalar"
        self._scale.setVisible(scalar)
        tips = [meaning(layer)]
        plain: list[str] = []
        if scalar:
            self.bar.set_key(lambda width, height, ratio: key_image(layer, width, height, scale=ratio))
            low, high = scale_ends(layer, array)
            if array is not None or layer.levels is not None:
                levels = layer.levels if array is None else display_array(layer, array)[1]
                assert levels is not None
                fade = levels[0] + (levels[1] - levels[0]) * SCALAR_FADE / 255
                tips.append(f"On the image: transparent at {low}, fading in up to {_number(fade)}, opaque above.")
            if layer.levels is None:
                tips.append("Its colours run from 0 to the shown image's own maximum: compare images by the "
                            "numbers, not the colours.")
            self.low.setText(low)
            self.high.setText(high)
            plain.append(f"{low} … {high}")
        named = _named_colours(layer, tau, mask)
        rich = [_rich_item(c, what, self.devicePixelRatioF()) for c, what in named]
        plain += [f"■ {what}" for _, what in named]
        if layer.kind == "rgb":
            rich.append(html.escape(meaning(layer, short=True)))
            plain.append(meaning(layer, short=True))
        if layer.kind == "error":
            tips.append("False positive: predicted smoke, labelled background. "
                        "False negative: labelled smoke, not predicted.")
        self._rich = rich
        self._compose()
        self.note.setVisible(bool(rich))
        tip = "\n".join(tips)
        for widget in (self, self.bar, self.note):
            widget.setToolTip(tip)
        self._plain = "\n".join([*plain, *tips])

    def text(self) -> str:
        """What the legend says, as plain text (the bar's ends first)."""
        return self._plain
