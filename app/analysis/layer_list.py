"""A napari-like layer list for the analysis layers: checkboxes for visibility, a colour key per row,
and opacity and colormap controls and a legend (:mod:`app.analysis.legend`) for the selected layer.
Binds both ways to a :class:`~fosp_core.analysis.LayerStack`; it shows the top layer first (drawing
order reversed)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from app.analysis.legend import LayerLegend, meaning, missing_words, plain_words
from app.analysis.swatch import SWATCH_SIZE, swatch_icon
from app.analysis.upsampler import LayerUpsampler, made_stats
from app.theme import HINT_STYLE
from fosp_core.analysis.layers import LayerStack
from fosp_core.analysis.settings import AnalysisSettings, keep_words
from fosp_core.metrics.report import setting_text

_NAME_ROLE = Qt.ItemDataRole.UserRole
#: Rows the Layers list keeps in view however short the window (below every row it scrolls).
MIN_ROWS = 5
#: What the list says while the shown image has no result: its rows are greyed, and why.
EMPTY_TEXT = "The model's maps of this image show here once it has run: Run on This Image (Ctrl+R)."
#: The same while no model is open (Run on this image is disabled until one is). Two lines in the Layers dock at
#: 125 % on 1366 x 768: four, with Analysis ▸ Open Checkpoint… too, took two of the list's rows.
NO_MODEL_EMPTY_TEXT = "Open a model first (Open… in the Model panel): its maps of the image show here."
#: The same while a model loads (the Model panel's Run waits for it; Ctrl+R asks for the run it then starts). Two
#: lines at 125 % on 1366 x 768: three moved the list under up a line as the default model came in.
LOADING_EMPTY_TEXT = "The model is still loading (Ctrl+R runs it once ready): its maps of this image show here."
#: The same while the model runs on the image shown (Ctrl+R pressed, or its result run again as it was shown).
RUNNING_EMPTY_TEXT = "The model is running on this image: its maps show here once it is done."

#: Added to a layer's row while its map is brought to the image's size on a worker.
DRAWING_SUFFIX = "(drawing…)"


def mask_words(threshold: float, keep: str = "plain") -> str:
    """What the prediction mask keeps, as its legend says it: "mask: probability > 0.50", then the region
    rule in the compare grid title's words (", regions with a core above 0.7") when one is on."""
    rule = keep_words(keep)
    return f"mask: probability > {setting_text(threshold)}" + (f", {rule}" if rule else "")


class LayerRows(QListWidget):
    """The list's rows: a resize keeps the selected row in view. It was scrolled to while the list was
    taller (the window opening, the note above rewrapping as the model loads) and was left below the
    list's edge: at 1366 x 768 the ticked *probability* row, the one Opacity and the colour map act on, was
    not shown."""

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        item = self.currentItem()
        if item is not None:
            self.scrollToItem(item)  # EnsureVisible: no scroll when it is shown already


class LayerList(QWidget):
    """The layer list; `available` layers (those the current prediction provides) are enabled;
    `legend` explains the selected one. `measured`: a map's maximum the legend waited for came."""

    measured = Signal()

    def __init__(self, stack: LayerStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stack = stack
        self.list = LayerRows()
        self.list.setAccessibleName("Layers")
        self.list.setAlternatingRowColors(False)
        self.icon_size = QSize(SWATCH_SIZE)  # the swatch and its frame
        self.list.setIconSize(self.icon_size)
        self._items: dict[str, QListWidgetItem] = {}
        self._arrays: dict[str, np.ndarray] = {}
        self._available: set[str] = set()  # the layers the shown result provides (their rows not greyed)
        self._tau: float | None = None  # the τ the shown result was made at
        self._measurer: LayerUpsampler | None = None  # makes a map's maximum for the legend off this thread
        self._measuring: object | None = None  # the map it is making
        self._measure_token = 0
        self._tips: dict[str, str] = {}  # a row's tooltip, before why its map is missing
        self._mask = ""  # the prediction mask's legend words at the threshold and rule in force (follow_rule)
        for layer in reversed(list(stack)):
            keys = QKeySequence(layer.shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            item = QListWidgetItem(layer.name)
            item.setData(_NAME_ROLE, layer.name)
            about = f"{layer.name}: {meaning(layer)}"  # the paper's words, after the plain ones
            self._tips[layer.name] = f"{plain_words(layer)}\n{about}" + (f" (toggle with {keys})" if keys else "")
            item.setToolTip(self._tips[layer.name])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            self.list.addItem(item)
            self._items[layer.name] = item
            self._show_key(layer.name)
        # a few rows at least (a large font on a short screen: the window fits it); every row where the
        # Model dock above keeps its run buttons and metrics (app.analysis.dock_split sets the split)
        self.list.setMinimumHeight(self.rows_height(MIN_ROWS))
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setToolTip("Opacity of the selected layer")
        self.opacity.setAccessibleName("Layer opacity")
        self.opacity_value = QLabel()  # "45%": the slider's value
        self.opacity_value.setMinimumWidth(self.opacity_value.fontMetrics().horizontalAdvance("100%"))
        self.colormap = QComboBox()
        self.colormap.setToolTip("Colormap of the selected layer")
        self.colormap.setAccessibleName("Layer colormap")
        # opacity and colours on one row: the legend under them costs no height the metrics above need
        looks = QHBoxLayout()
        looks.addWidget(QLabel("Opacity"))
        looks.addWidget(self.opacity, 1)
        looks.addWidget(self.opacity_value)
        looks.addWidget(self.colormap, 1)
        self.legend = LayerLegend()
        self.empty_note = QLabel(NO_MODEL_EMPTY_TEXT)  # shown while no layer has anything to draw
        self.empty_note.setWordWrap(True)
        self.empty_note.setStyleSheet(HINT_STYLE)
        self.empty_note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.empty_note)
        layout.addWidget(self.list, 1)
        layout.addLayout(looks)
        layout.addWidget(self.legend)

        self.list.itemChanged.connect(self._on_item_changed)
        self.list.currentItemChanged.connect(lambda *_: self._show_selected())
        self.opacity.valueChanged.connect(self._on_opacity)
        self.colormap.currentTextChanged.connect(self._on_colormap)
        stack.events.changed.connect(self._on_layer_changed)
        for layer in stack:
            self._on_layer_changed(layer.name, "visible")
        self.list.setCurrentItem(self._items["probability"])
        self.set_available(set())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        """The layout's least size with the empty note as tall as its words wrap at the width it has: a
        wrapped label's own least height is one line, and at its least height (the Layers dock under the
        Video panel at 1024 x 640) the list, kept at its few rows, overlapped the Opacity row."""
        hint = super().minimumSizeHint()
        note = self.empty_note
        if note.isHidden():
            return hint
        margins = self.contentsMargins()
        width = max(1, self.width() - margins.left() - margins.right()
                    - self.layout().contentsMargins().left() - self.layout().contentsMargins().right())
        extra = note.heightForWidth(width) - note.minimumSizeHint().height()
        return QSize(hint.width(), hint.height() + max(0, extra))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        """A new width wraps the empty note anew: the least height (:meth:`minimumSizeHint`) follows."""
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()

    def rows_height(self, rows: int | None = None) -> int:
        """The list's height (pixels) that shows `rows` rows whole, unscrolled; every row where None."""
        count = self.list.count() if rows is None else min(rows, self.list.count())
        return self.list.sizeHintForRow(0) * count + 2 * self.list.frameWidth()

    @property
    def selected(self) -> str | None:
        """Name of the selected layer."""
        item = self.list.currentItem()
        return None if item is None else str(item.data(_NAME_ROLE))

    def select(self, name: str) -> None:
        self.list.setCurrentItem(self._items[name])

    @property
    def measuring(self) -> bool:
        """Whether the selected layer's legend waits for its map's maximum (made on the worker)."""
        name = self.selected
        return self._measuring is not None and name is not None and self._arrays.get(name) is self._measuring

    def item(self, name: str) -> QListWidgetItem:
        """The row of layer `name`."""
        return self._items[name]

    def set_model_state(self, model: str) -> None:
        """Say in the empty note what comes next for `model` ("ready", "loading" or "none", as
        :func:`app.analysis.chrome.enable_run`): run it, wait for it, or open one first."""
        texts = {"ready": EMPTY_TEXT, "loading": LOADING_EMPTY_TEXT, "running": RUNNING_EMPTY_TEXT}
        self.empty_note.setText(texts.get(model, NO_MODEL_EMPTY_TEXT))

    def follow_rule(self, settings: AnalysisSettings) -> None:
        """Say in the prediction mask's legend the threshold and region rule of `settings`, again each time
        they move (image or video: the mask is cut at them in both)."""
        def moved(name: str = "threshold") -> None:
            if name in ("threshold", "keep"):
                self._mask = mask_words(settings.threshold, settings.keep)
                self._show_legend()

        settings.events.changed.connect(moved)
        self.destroyed.connect(lambda _obj=None, e=settings.events.changed, f=moved: e.disconnect(f))
        moved()

    def set_arrays(self, arrays: dict[str, np.ndarray], tau: float | None = None) -> None:
        """The layer arrays shown now (name → array; empty: no result) of a result made at `tau`:
        those layers are available, and the legend gives the range the selected one is drawn over
        (and the τ the hole was cut at)."""
        self._arrays = arrays
        self._tau = tau if arrays else None
        self.set_available(set(arrays))
        for name, item in self._items.items():  # a map the model has not says why (legend.missing_words)
            missing = missing_words(name, arrays)
            item.setToolTip(f"{missing}\n{self._tips[name]}" if missing else self._tips[name])
        self.empty_note.setHidden(bool(arrays))
        self._show_legend()

    def set_drawing(self, name: str, busy: bool) -> None:
        """Say on layer `name`'s row that its map is being drawn (`busy`: made off the GUI thread,
        :mod:`app.analysis.deferred_overlays`), or no longer."""
        item = self._items.get(name)
        if item is not None:
            with QSignalBlocker(self.list):
                item.setText(f"{name} {DRAWING_SUFFIX}" if busy else name)

    def set_available(self, names: set[str]) -> None:
        """Grey out layers that the current result does not provide (the palette's PlaceholderText; the
        others in the list's own text colour), again in the new colours when the theme changes."""
        self._available = set(names)
        self._colour_rows()

    def _colour_rows(self) -> None:
        """Colour the rows from the palette of now: a brush set on a row is kept as it is, so a theme
        switched later left #9a9a9a (dark's grey) on the light list's white, 2.9:1."""
        grey = self.palette().placeholderText()  # (the list, a child, takes the new palette after this widget)
        with QSignalBlocker(self.list):
            for name, item in self._items.items():
                if name in self._available:
                    item.setData(Qt.ItemDataRole.ForegroundRole, None)  # the list's Text, whatever the theme
                else:
                    item.setForeground(grey)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        """Recolour the greyed rows when the palette changes (:func:`app.theme.apply_theme`)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_available"):  # (not while made)
            self._colour_rows()

    # --- widgets -> model ----------------------------------------------------------------------
    def _on_item_changed(self, item: QListWidgetItem) -> None:
        self.stack.set_visible(str(item.data(_NAME_ROLE)), item.checkState() == Qt.CheckState.Checked)

    def _on_opacity(self, value: int) -> None:
        self.opacity_value.setText(f"{value}%")
        if self.selected is not None:
            self.stack.set_opacity(self.selected, value / 100.0)

    def _on_colormap(self, text: str) -> None:
        if self.selected is not None and text:
            self.stack.set_colormap(self.selected, text)

    # --- model -> widgets ----------------------------------------------------------------------
    def _on_layer_changed(self, name: str, what: str) -> None:
        layer = self.stack[name]
        if what == "visible":
            with QSignalBlocker(self.list):
                self._items[name].setCheckState(Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked)
        else:
            if what == "colormap":
                self._show_key(name)
            if name == self.selected:
                self._show_selected()

    def _show_key(self, name: str) -> None:
        self._items[name].setIcon(swatch_icon(self.stack[name]))  # at the screen's device pixels

    def measure_with(self, upsampler: LayerUpsampler) -> None:
        """Make the maximum a legend needs of a map held at the network's grid on `upsampler`'s worker
        (the legend says "max" until it comes); without it, on this thread."""
        self._measurer = LayerUpsampler(self, share=upsampler)
        self._measurer.ready.connect(self._measured)

    def _measured(self, _token: int, name: str, source: object, _full: object) -> None:
        if source is self._measuring:
            self._measuring = None
            if self.selected == name and self._arrays.get(name) is source:
                self._show_legend()
            self.measured.emit()

    def _show_legend(self) -> None:
        name = self.selected
        layer = None if name is None else self.stack[name]
        array = self._arrays.get(name or "")
        if (layer is not None and array is not None and self._measurer is not None and layer.kind == "scalar"
                and layer.levels is None and not made_stats(array)):  # its maximum: made on the worker
            if self._measuring is not array:  # (another one asked before is skipped if not begun)
                self._measuring = array
                self._measure_token += 1
                self._measurer.set_current(self._measure_token)
                self._measurer.request(self._measure_token, layer.name, array)  # type: ignore[arg-type]
            array = None
        self.legend.set_layer(layer, array, self._tau, missing_words(name or "", self._arrays), self._mask)

    def _show_selected(self) -> None:
        name = self.selected
        if name is None:
            return
        layer = self.stack[name]
        with QSignalBlocker(self.opacity), QSignalBlocker(self.colormap):
            self.opacity.setValue(round(layer.opacity * 100))
            self.opacity_value.setText(f"{self.opacity.value()}%")
            self.colormap.clear()
            choices = layer.colormap_choices()
            self.colormap.addItems(list(choices))
            self.colormap.setEnabled(bool(choices))
            if choices:
                self.colormap.setCurrentText(layer.colormap)
        self._show_legend()
