"""The Annotate dock: tool buttons, brush size, wand tolerance, threshold, mask opacity and outline.

The widgets hold no truth: they write to the controller's `ToolState` and follow its ``changed``
events under a signal blocker. The status line, the dock's first, shows the current image's workflow status. Only the
radius box takes the keyboard focus (to type a size, taken on Enter), and Enter or Esc (which drops
what was typed) in it hands the focus back to the canvas, whose keys (tools, undo, Space to pan) the
other widgets never take.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDockWidget,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.annotation.actions import AnnotationActions
from app.annotation.prediction_hint import OPEN_CHECKPOINT, dock_lead, shown_keys
from app.annotation.status_words import has_dataset_label, image_status_words
from app.esc_keys_back import EscKeysBack
from app.panels import scrolling, show_wholly
from app.theme import current_theme, theme_events
from fosp_core.annotation.document import Status
from fosp_core.annotation.tool_state import MAX_RADIUS, MIN_RADIUS, Tool

__all__ = ["ToolDock"]

_COLUMNS = 6  # 11 tools in two rows (three at 4 columns: the dock scrolled at 1024 x 640), in one where they fit
_TIGHT = 3  # the body's margin above and under, and the space between its parts
_SIDE = 6  # the body's margin left and right: 11 tools (24 px, 2 apart) in one row in a 298 px body
_VALUE_INDENT = 4  # a value label's text starts where the radius box's does (its frame and margin)


def _slider(maximum: int) -> QSlider:
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(0, maximum)
    slider.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # Tab reaches it (its arrows set it); a click leaves the keys
    return slider


def _wrappable(name: str) -> str:
    """`name` as rich text: escaped, with a place to wrap after each ``_ . +`` (a camera's file name
    has no spaces, and one that cannot wrap widens the dock's body past its edge)."""
    return re.sub(r"([_.+])", "\\1\u200b", html.escape(name))


class SteadyLabel(QLabel):
    """A wrapped label that keeps the tallest height its texts needed at its width: the Annotate dock's status
    line is its first line, and a prediction arriving (its 'no prediction yet' lines gone) or the next image
    moved the tools under it up and down ~40 px, under a mouse aiming at them. A new width starts again."""

    def __init__(self) -> None:
        super().__init__()
        self._width, self._tallest = -1, 0

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self._steady()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._steady()

    def _steady(self) -> None:
        width = self.width()
        if width != self._width:  # another width wraps otherwise: forget the tallest
            self._width, self._tallest = width, 0
            self.setMinimumHeight(0)
        need = self.heightForWidth(width) if width > 0 else self.sizeHint().height()
        self._tallest = max(self._tallest, need)
        if self.minimumHeight() != self._tallest:
            self.setMinimumHeight(self._tallest)


def _button(action) -> QToolButton:  # noqa: ANN001 - a QAction
    button = QToolButton()
    button.setDefaultAction(action)
    button.setAutoRaise(True)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space belongs to the canvas (pan)
    return button


class ToolDock(QDockWidget):
    """See module doc."""

    def __init__(self, actions: AnnotationActions, parent: QWidget | None = None) -> None:
        super().__init__("Annotate", parent)
        self.setObjectName("annotate_dock")
        self.actions = actions
        self.state = actions.controller.state
        self._follows_model = False  # its status said again as the window's model comes and goes (`_follow_model`)
        body = QWidget(self)
        grid = QGridLayout()
        grid.setSpacing(2)
        self._tool_grid, self._tool_buttons = grid, [_button(actions.tools[tool]) for tool in Tool]
        self._place_tools(_COLUMNS)
        edits = QHBoxLayout()
        for action in (actions.undo, actions.redo, actions.accept, actions.copy_previous, actions.fill_holes,
                       actions.specks, actions.dilate, actions.erode, actions.smooth):
            edits.addWidget(_button(action))
        edits.addStretch(1)

        self.radius = QSpinBox()
        self.radius.setRange(MIN_RADIUS, MAX_RADIUS)
        self.radius.setSuffix(" px")
        self.radius.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.radius.setKeyboardTracking(False)  # a typed size counts on Enter, not digit by digit
        self.radius.editingFinished.connect(self._typed_radius)
        # Esc drops what was typed (the tool state's radius shown again), as a click on its arrows
        # hands the keys back to the canvas: the tool keys, [ ] and Ctrl+Z went to the box
        self._esc_back = EscKeysBack(self.radius, self._keys_to_canvas, value=lambda: self.state.radius,
                                     clicks=True)
        self.radius_slider = _slider(MAX_RADIUS)
        self.radius_slider.setRange(MIN_RADIUS, 150)
        self._radius_tip()  # names the keys in force: a remapped [ ] was still said "[ and ]"
        for action in (actions.smaller, actions.larger):
            action.changed.connect(self._radius_tip)
        self.tolerance = _slider(100)
        self.threshold = _slider(1000)  # 0.001 steps, as the Model panel's mask threshold
        self.threshold.setToolTip("Mask threshold of Accept Prediction, Threshold to Mask and the threshold "
                                  "brush; the Model panel's mask threshold is the same value")
        self.tolerance.setToolTip("Wand: how far from the clicked pixel's smoke probability (0 to 1) a "
                                  "neighbour's may be and still join the region")
        self.opacity = _slider(100)
        self.opacity.setToolTip("How opaque the mask is drawn over the image (0 %: not drawn, outline "
                                "included); Annotate ▸ Show Mask hides it")
        self.outline = QCheckBox("Outline only")
        self.outline.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # O toggles it from the canvas too
        self.outline.setToolTip(actions.outline.toolTip())  # its action's words and key, as remapped
        actions.outline.changed.connect(lambda: self.outline.setToolTip(actions.outline.toolTip()))
        self.tolerance_label, self.threshold_label, self.opacity_label = QLabel(), QLabel(), QLabel()
        # one column of values as wide as the radius box: the sliders one length, the values at one x
        # (the labels were 36 px, the box ~70: a ragged column, Brush radius's slider shorter)
        value_width = self.radius.sizeHint().width()
        self.radius.setFixedWidth(value_width)
        for label in (self.tolerance_label, self.threshold_label, self.opacity_label):
            label.setFixedWidth(value_width)
            label.setIndent(_VALUE_INDENT)
        form = QFormLayout()
        size_row = QHBoxLayout()
        size_row.addWidget(self.radius_slider, 1)
        size_row.addWidget(self.radius)
        self.radius_slider.setAccessibleName("Brush radius")
        self.radius.setAccessibleName("Brush radius in pixels")
        form.addRow("Brush radius", size_row)
        form.addRow(*self._with_label("Wand tolerance", self.tolerance, self.tolerance_label))
        form.addRow(*self._with_label("Threshold", self.threshold, self.threshold_label))
        form.addRow(*self._with_label("Mask opacity", self.opacity, self.opacity_label))
        form.addRow("", self.outline)
        self.status_label = SteadyLabel()
        self.status_label.setWordWrap(True)
        self.status_label.linkActivated.connect(lambda _link: actions.take_over.trigger())  # its only link
        # what it says never sets the dock's width (a name with nowhere to wrap is cut, the tools stay)
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(body)
        # at 125 % on 1366 x 768 Outline only lay ~50 px under the view's foot: the style's margins (9) and spaces
        # (6 between the parts, 4 between the sliders) made tight, the tools in one row where they fit (`_fit_tools`)
        layout.setContentsMargins(_SIDE, _TIGHT, _SIDE, _TIGHT)
        layout.setSpacing(_TIGHT)
        form.setVerticalSpacing(2)
        # first: at the dock's foot, under the sliders, it was the part a short screen scrolled out of view
        # (~70 px at 125 % on 1366 x 768), though it is read after each key press
        layout.addWidget(self.status_label)
        layout.addLayout(grid)
        layout.addLayout(edits)
        layout.addLayout(form)
        layout.addStretch(1)
        self.setWidget(scrolling(body, "Annotate tools"))  # never sets the height of the docks tabbed with it (Model)
        body.installEventFilter(self)  # its width (the area's): the tools in one row where they fit (`_fit_tools`)

        self.radius.valueChanged.connect(self.state.set_radius)
        self.radius_slider.valueChanged.connect(self.state.set_radius)
        self.tolerance.valueChanged.connect(lambda v: self.state.set_tolerance(v / 100.0))
        self.threshold.valueChanged.connect(lambda v: self.state.set_threshold(v / 1000.0))
        self.opacity.valueChanged.connect(lambda v: self.state.set_opacity(v / 100.0))
        self.outline.toggled.connect(self.state.set_outline)
        self.state.changed.connect(lambda _name: self.sync())
        actions.controller.state_changed.connect(self.show_status)
        actions.controller.document_changed.connect(self.show_status)
        actions.toggle_mask.toggled.connect(self.show_status)  # "mask hidden (M shows it)" while it is
        theme_events().changed.connect(self.show_status)  # its notes' colours are the theme's
        self.sync()
        self.show_status()

    def _radius_tip(self) -> None:
        """The radius box's and slider's tooltip, with the keys Smaller / Larger Brush have now ("[ and ]" by default;
        Annotation Shortcuts… may change or clear them)."""
        keys = [shown_keys(action) for action in (self.actions.smaller, self.actions.larger)]
        said = " and ".join(k for k in keys if k)
        change = f"{said} or Ctrl+wheel change it" if said else "Ctrl+wheel changes it"
        for widget in (self.radius, self.radius_slider):
            widget.setToolTip(f"Brush radius in image pixels; over the image, {change}")

    def _place_tools(self, columns: int) -> None:
        """The tool buttons in rows of `columns`."""
        for button in self._tool_buttons:
            self._tool_grid.removeWidget(button)
        for i, button in enumerate(self._tool_buttons):
            self._tool_grid.addWidget(button, i // columns, i % columns)
        self._columns = columns
        area, body = self.widget(), self._tool_grid.parentWidget()
        focus = QApplication.focusWidget()
        if isinstance(area, QScrollArea) and body is not None and focus is not None and body.isAncestorOf(focus):
            body.layout().activate()  # a Tab into the dock behind the Model tab raised it, wider: the focused control
            show_wholly(area, focus)  # was scrolled into view where it lay before the tools moved to one row

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        area = self.widget()
        if event.type() == QEvent.Type.Resize and isinstance(area, QScrollArea) and watched is area.widget():
            self._fit_tools()
        return False

    def _fit_tools(self) -> None:
        """Every tool in one row where the dock's view is wide enough (a row of the dock's height saved: at 125 %
        on 1366 x 768 Outline only lay under the view's foot), else in rows of :data:`_COLUMNS`. The area's width
        beside a scroll bar, whether one is shown or not: the view's own width changed as one came and went (the dock
        raised by a Tab into it), and the tools moving between one row and two moved the control Tab had scrolled
        into view out of it; the body's is never under its tools' (a row too wide was cut at the view's edge)."""
        area, spacing = self.widget(), self._tool_grid.spacing()
        room = area.width() - area.verticalScrollBar().sizeHint().width() - 2 * _SIDE + spacing
        one_row = len(self._tool_buttons) * (self._tool_buttons[0].sizeHint().width() + spacing) <= room
        columns = len(self._tool_buttons) if one_row else _COLUMNS
        if columns != self._columns:
            self._place_tools(columns)

    def _keys_to_canvas(self) -> None:
        self.actions.controller.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def _typed_radius(self) -> None:
        """Enter in the radius box (not a click elsewhere, which also finishes the edit): the keys go
        back to the canvas."""
        if self.radius.hasFocus():
            self._keys_to_canvas()

    @staticmethod
    def _with_label(title: str, slider: QSlider, label: QLabel) -> tuple[str, QHBoxLayout]:
        row = QHBoxLayout()
        slider.setAccessibleName(title)  # a row of a layout is nobody's buddy: its title is said this way
        row.addWidget(slider, 1)
        row.addWidget(label)
        return title, row

    def sync(self) -> None:
        """Show the state's values (without writing them back)."""
        s = self.state
        for widget, value in ((self.radius, s.radius), (self.radius_slider, s.radius),
                              (self.tolerance, round(s.tolerance * 100)), (self.threshold, round(s.threshold * 1000)),
                              (self.opacity, round(s.opacity * 100))):
            with QSignalBlocker(widget):
                widget.setValue(value)
        with QSignalBlocker(self.outline):
            self.outline.setChecked(s.outline)
        self.tolerance_label.setText(f"{s.tolerance:.2f}")
        shown = f"{s.threshold:.3f}"  # the Model panel's step is 0.001: "0.50", "0.505"
        self.threshold_label.setText(shown[:-1] if shown.endswith("0") else shown)
        self.opacity_label.setText(f"{s.opacity * 100:.0f}%")

    def _status_words(self, image_id: str, status: Status) -> str:
        """`image_id`'s status in the dock's words: "dataset label only: …" for an unlabelled image with a label of
        its dataset (`app.annotation.status_words.image_status_words`)."""
        project = self.actions.controller.project
        label = has_dataset_label(project, image_id)
        return image_status_words(status, label, bool(project is not None and project.read_only))

    def _follow_model(self) -> None:
        """Say the status again when the window's model comes or goes (``analysis.model_state_changed``: "no model
        loaded (…)" or "Ctrl+R runs the model") and when it starts or ends a run of the image shown
        (``running_changed``: "the model is running on it"), once the window has its analysis view (built after
        the tools)."""
        analysis = getattr(self.window(), "analysis", None)
        signals = [getattr(analysis, name, None) for name in ("model_state_changed", "running_changed")]
        if signals[0] is not None and not self._follows_model:
            self._follows_model = True
            for signal in filter(None, signals):
                signal.connect(self.show_status)

    def _running_here(self) -> bool:
        """Whether the window's model runs on the image shown now (``analysis.running_on``)."""
        window = self.window()
        running_on = getattr(getattr(window, "analysis", None), "running_on", None)
        shown = getattr(getattr(window, "session", None), "current_path", None)
        return callable(running_on) and bool(running_on(shown))

    def show_status(self) -> None:
        self._follow_model()
        controller = self.actions.controller
        doc, project = controller.document, controller.project
        if doc is None and controller.attached:
            self.status_label.setText(f"No mask to edit for {_wrappable(str(controller.attached_key))}.")
            return
        if doc is None and len(controller.session) == 0:
            self.status_label.setText("No image open. Open images or a folder (File menu) to paint their "
                                      "smoke masks.")
            return
        if doc is None and controller.opening.reading is not None:
            self.status_label.setText(f"<b>{_wrappable(controller.opening.reading)}</b>: reading its saved mask… "
                                      "the tools wait for it.")
            return
        if doc is None or (project is None and not controller.attached):
            self.status_label.setText("No annotation project for this image.")
            return
        theme = current_theme()  # rich text names colours: the theme's now
        if controller.attached:
            text = f"<b>{_wrappable(str(controller.attached_key))}</b>"
        else:
            text = f"<b>{_wrappable(doc.image_id)}</b>: {html.escape(self._status_words(doc.image_id, doc.status))}"
        if doc.probability is None:
            keys = controller.run_model_keys()
            run = f" ({keys} runs the model)" if keys and not controller.attached else " (run the model)"
            if not controller.attached and controller.hint.model_missing():  # the run key would not help: how to get one
                run = f", no model loaded ({OPEN_CHECKPOINT})"  # short: longer, it cut the dock at 1024 x 640
            elif not controller.attached and self._running_here():  # Ctrl+R pressed: not told to start what runs
                run = " (the model is running on it)"
            lead = dock_lead(None if controller.attached else doc)  # under "predicted": its mask is a model's
            text += (f"<br><span style='color:{theme.placeholder.name()}'>{lead}{run}: the wand, the threshold brush and "
                     "Accept Prediction need one</span>")
        if project is not None and project.read_only:
            text += (f"<br><span style='color:{theme.warning_name}'>read-only: "
                     f"{html.escape(str(project.read_only_reason))}</span>")
            if self.actions.take_over.isEnabled():
                text += " <a href='take-over'>Take Over…</a>"
        if controller.attached and controller.attached_read_only is not None:  # a video another program holds
            text += (f"<br><span style='color:{theme.warning_name}'>read-only: "
                     f"{html.escape(controller.attached_read_only)}</span>")
        if hidden := controller.mask_view.dock_words():  # M pressed: edits go on unseen (hidden_mask)
            text += f"<br><span style='color:{theme.warning_name}'>{html.escape(hidden)}</span>"
        self.status_label.setText(text)
