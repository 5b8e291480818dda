"""The analysis view's docks and its Analysis menu, built once by the controller.

The Model and Layers docks share the right-hand column with the other docks there (as tabs); the
compare grid docks at the bottom, under the canvas beside that column (:mod:`app.analysis.grid_corner`),
hidden until asked for (Ctrl+Shift+G). Alt+Up / Alt+Down step the
mask threshold (:func:`threshold_step`). In video mode :class:`app.video.chrome.ModeSwitch` hides the
run actions, the grid and the figure exports (they would act on the image behind the video).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QDockWidget,
    QMainWindow,
    QMenu,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.analysis.dock_split import ColumnSplit
from app.analysis.grid_corner import GridCorner
from app.analysis.layer_list import MIN_ROWS, LayerList
from app.analysis.legend import plain_words
from app.analysis.model_panel import ModelPanel
from app.annotation.prediction_hint import model_missing, no_model_words
from app.icons import icon
from app.keys_say_why import keys_say_why
from app.panels import scrolling
from fosp_core.analysis.layers import LayerStack
from fosp_core.analysis.settings import AnalysisSettings

__all__ = ["EXPORT_GRID_TIP", "EXPORT_VIEW_NEEDS", "EXPORT_VIEW_TIP", "export_view_needs", "NOTHING_TO_CANCEL", "THRESHOLD_STEP", "AnalysisDocks", "AnalysisMenu", "build_docks", "build_menu",
           "enable_run", "threshold_step"]

#: How far Alt+Up / Alt+Down move the mask threshold.
THRESHOLD_STEP = 0.05

#: Run on This Image / Run on All Images with nothing open (File ▸ Open… picks image files, a folder needs Open Folder…)
NOTHING_OPEN = "open an image or a folder first (File ▸ Open… or Open Folder…)"
NO_MODEL = "needs a model: open a checkpoint (Open… above)"
MODEL_LOADING = "waits for the model to load"
#: What Cancel Inference's keys (Ctrl+.) say while it is off.
NOTHING_TO_CANCEL = "Nothing to cancel: no run of the model is under way"
#: What Export View's keys say while the action waits for a result (a model loaded or loading: `export_view_needs`).
EXPORT_VIEW_NEEDS = "Export View needs a result: run the model (Ctrl+R) first"
EXPORT_GRID_TIP = ("Save the compare grid of this image (its five panels, the paper's Fig. 7) as one picture, "
                   "PNG or JPEG as its name says")
EXPORT_VIEW_TIP = "Save the image with the layers shown, as drawn, at the image's own size, as one picture"


def export_view_needs(window: object) -> str:
    """What Export View's keys say while it waits for a result: `EXPORT_VIEW_NEEDS` ("run the model (Ctrl+R)
    first"), but with no model loaded, where Ctrl+R only says to open one, how to get one ("Export View needs a
    result: no model loaded (Analysis ▸ Open Checkpoint…)": `app.annotation.prediction_hint.no_model_words`), and
    while the model runs on the image shown (Ctrl+R pressed a moment before) that its result is coming."""
    if model_missing(window):
        return f"Export View needs a result: {no_model_words(window)}"
    running_on = getattr(getattr(window, "analysis", None), "running_on", None)
    if callable(running_on) and running_on(getattr(getattr(window, "session", None), "current_path", None)):
        return "Export View needs a result: the model is running on this image (its result comes in a few seconds)"
    return EXPORT_VIEW_NEEDS


@dataclass(frozen=True)
class AnalysisDocks:
    """The docks; `cancel`: the Model panel's Cancel, shown while a run can be cancelled."""

    model: QDockWidget
    layers: QDockWidget
    grid: QDockWidget
    cancel: QAbstractButton | None = None


@dataclass(frozen=True)
class AnalysisMenu:
    """The menu's actions; `layers` toggles each layer by name (checkable, with its shortcut)."""

    run: QAction
    run_all: QAction
    cancel: QAction
    open_model: QAction
    export_grid: QAction
    layers: dict[str, QAction]
    menu: QMenu | None = None
    threshold_up: QAction | None = None
    threshold_down: QAction | None = None
    export_view: QAction | None = None


def threshold_step(value: float, direction: int, step: float = THRESHOLD_STEP) -> float:
    """The next multiple of `step` above `value` (`direction` 1) or below it (-1), within 0..1: a
    threshold off the steps (0.487) lands on one (0.5), then moves a step at a time."""
    steps = value / step
    nearest = round(steps)
    if abs(steps - nearest) < 1e-6:
        steps = nearest + direction
    else:
        steps = math.floor(steps) + (1 if direction > 0 else 0)
    return min(1.0, max(0.0, round(steps * step, 6)))


def _dock(window: QMainWindow, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    window.addDockWidget(area, dock)
    return dock


def build_docks(window: QMainWindow, panel: QWidget, metrics: QWidget, layer_list: QWidget,
                grid: QWidget) -> AnalysisDocks:
    """Model dock (panel above metrics), Layers dock, hidden compare-grid dock."""
    model_box = QWidget()
    box_layout = QVBoxLayout(model_box)
    box_layout.setContentsMargins(0, 0, 0, 0)
    box_layout.setSpacing(0)
    box_layout.addWidget(panel)
    box_layout.addWidget(metrics)
    box_layout.addStretch(1)
    right = Qt.DockWidgetArea.RightDockWidgetArea
    area = scrolling(model_box, "Model")
    if isinstance(panel, ModelPanel):
        _DetailsFit(area, model_box, panel)
    docks = AnalysisDocks(_dock(window, "Model", "analysis_model_dock", area, right),
                          _dock(window, "Layers", "analysis_layers_dock", layer_list, right),
                          _dock(window, "Compare (Fig. 7)", "analysis_compare_dock", grid,
                                Qt.DockWidgetArea.BottomDockWidgetArea),
                          panel.cancel_button if isinstance(panel, ModelPanel) else None)
    docks.grid.hide()
    GridCorner(window, docks.grid)  # the grid under the canvas, not under the Model dock
    # share the right-hand column with other docks (annotation tools, worklist) as tabs
    others = [d for d in window.findChildren(QDockWidget)
              if d not in (docks.model, docks.layers, docks.grid) and window.dockWidgetArea(d) == right]
    for other, mine in zip(others, (docks.model, docks.layers), strict=False):
        window.tabifyDockWidget(other, mine)
        mine.raise_()
    # the Model dock tall enough for the panel, the metrics and their note, Layers for its rows; as the
    # window's height changes, ColumnSplit shares the column (Layers scrolls where both do not fit)
    rows = layer_list.minimumSizeHint().height()
    if isinstance(layer_list, LayerList):
        rows += layer_list.rows_height() - layer_list.rows_height(MIN_ROWS)
    window.resizeDocks([docks.model, docks.layers], [model_box.sizeHint().height() + 8, rows],
                       Qt.Orientation.Vertical)
    if isinstance(panel, ModelPanel) and isinstance(layer_list, LayerList):
        ColumnSplit(window, docks.model, model_box, panel, docks.layers, layer_list)
    return docks


class _DetailsFit(QObject):
    """Folds the Model panel's details where the dock is too short for the panel, its details and
    the metrics under them (a 1366x768 screen: the metrics were below the dock's edge), unfolds them
    where all fit (:meth:`ModelPanel.fit_details`). Runs when the dock's viewport changes height and
    when the box's content does (the model's description, the metrics note)."""

    def __init__(self, area: QScrollArea, box: QWidget, panel: ModelPanel) -> None:
        super().__init__(area)
        self.area, self.box, self.panel = area, box, panel
        self._height = -1
        area.viewport().installEventFilter(self)
        box.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if watched is self.box and kind == QEvent.Type.LayoutRequest:
            self.fit()
        elif kind == QEvent.Type.Resize and self.area.viewport().height() != self._height:
            self.fit()
        return False

    def fit(self) -> None:
        """Fold or unfold the details for the viewport's height now."""
        self._height = room = self.area.viewport().height()
        width = self.area.width()  # with or without a scroll bar: the fit must not depend on it
        box = self.box.heightForWidth(width) if self.box.hasHeightForWidth() else -1
        box = max(box, self.box.sizeHint().height())
        self.panel.fit_details(room, box if self.panel.details_shown() else box + self.panel.details_height())


def _action(window: QMainWindow, text: str, shortcut: str, slot: Callable[..., object],
            icon_name: str = "") -> QAction:
    action = QAction(icon(icon_name) if icon_name else QIcon(), text, window)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
        keys = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{text.replace('&', '').replace('…', '')} ({keys})")  # buttons show their key
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def _with_keys(tip: str, action: QAction) -> str:
    """`tip` and `action`'s key after it, as `_action` puts it ("… (Ctrl+Shift+E)")."""
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    return f"{tip} ({keys})" if keys else tip


def build_menu(window: QMainWindow, docks: AnalysisDocks, layers: LayerStack, settings: AnalysisSettings, *,
               run: Callable[[], object], run_all: Callable[[], object], cancel: Callable[[], object],
               open_model: Callable[[], object], export_grid: Callable[[], object],
               export_view: Callable[[], object]) -> AnalysisMenu:
    """The Analysis menu: run / run all / cancel, checkpoint, threshold steps, compare grid, figure
    exports, Show Layers (each layer's toggle), the docks' toggles (named as their docks: Model, Layers).
    Cancel Inference is on while the Model panel offers its Cancel (:class:`_CancelFollowsPanel`)."""
    bar = window.menuBar()
    menu = bar.addMenu("A&nalysis")
    menu.setToolTipsVisible(True)  # Compare (Fig. 7) and the layer toggles say what they show on hover
    help_menu = next((a for a in bar.actions() if a.menu() is not None and a.text() == "&Help"), None)
    if help_menu is not None:  # Help stays the last menu
        bar.insertMenu(help_menu, menu)
    actions = AnalysisMenu(
        _action(window, "&Run on This Image", "Ctrl+R", run, "fa6s.play"),
        _action(window, "Run on &All Images", "Ctrl+Shift+R", run_all, "fa6s.forward"),
        _action(window, "Cancel &Inference", "Ctrl+.", cancel, "fa6s.xmark"),
        _action(window, "&Open Checkpoint…", "", open_model, "fa6s.folder-open"),
        _action(window, "&Export Compare Grid…", "", export_grid, "fa6s.download"),
        {}, menu,
        _action(window, "Raise Mask &Threshold", "Alt+Up",
                lambda: settings.set_threshold(threshold_step(settings.threshold, 1))),
        _action(window, "Lower Mask T&hreshold", "Alt+Down",
                lambda: settings.set_threshold(threshold_step(settings.threshold, -1))),
        _action(window, "Export &View…", "Ctrl+Shift+E", export_view, "fa6s.image"))
    for action in (actions.run, actions.run_all, actions.cancel, None, actions.open_model,
                   actions.threshold_up, actions.threshold_down,
                   None, docks.grid.toggleViewAction(), actions.export_grid, actions.export_view, None):
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)
    actions.export_grid.setToolTip(EXPORT_GRID_TIP)  # the menu shows tips: each export says what it writes
    actions.export_view.setToolTip(_with_keys(EXPORT_VIEW_TIP, actions.export_view))
    for export in (actions.export_grid, actions.export_view):
        export.setEnabled(False)  # until the image shown has a result (the controller's _shown_changed)
    keys_say_why(window, actions.export_view, lambda: export_view_needs(window))
    docks.grid.toggleViewAction().setShortcut(QKeySequence("Ctrl+Shift+G"))
    if docks.cancel is not None:
        _CancelFollowsPanel(actions.cancel, docks.cancel)
    keys_say_why(window, actions.cancel, NOTHING_TO_CANCEL, 5000)
    layer_menu = menu.addMenu("Show &Layers")  # not "Layers": the Layers dock's toggle is that
    for layer in reversed(list(layers)):
        action = _action(window, layer.name, layer.shortcut, lambda _c=False, n=layer.name: layers.toggle(n))
        action.setToolTip(_with_keys(plain_words(layer), action))  # was its name again
        action.setCheckable(True)
        action.setChecked(layer.visible)
        layer_menu.addAction(action)
        actions.layers[layer.name] = action
    _shown_with_its_actions(layer_menu)  # video mode hides the layer keys: no empty submenu then
    menu.addSeparator()  # the docks' toggles, as under Annotate
    menu.addAction(docks.model.toggleViewAction())
    menu.addAction(docks.layers.toggleViewAction())
    return actions


class _CancelFollowsPanel(QObject):
    """Analysis ▸ Cancel Inference (Ctrl+.) on exactly while the Model panel shows its Cancel: an image
    run, a Run on all planning or running (``ModelPanel.set_busy``, which the runs call as they start and
    end); off, it was on with nothing to cancel. The button's own show and hide, not its being on screen
    (a closed Model dock keeps the keys)."""

    def __init__(self, action: QAction, button: QAbstractButton) -> None:
        super().__init__(action)
        self.action, self.button = action, button
        button.installEventFilter(self)
        self.follow()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in (QEvent.Type.ShowToParent, QEvent.Type.HideToParent):
            self.follow()
        return False

    def follow(self) -> None:
        self.action.setEnabled(not self.button.isHidden())


def _shown_with_its_actions(submenu: QMenu) -> None:
    """`submenu`'s entry in its menu shown while one of its actions is (a video open hides them all)."""
    entry = submenu.menuAction()

    def follow() -> None:
        entry.setVisible(any(a.isVisible() for a in submenu.actions()))

    for action in submenu.actions():
        action.visibleChanged.connect(follow)
    follow()


def enable_run(action: QAction, button: QAbstractButton, tip: str, *, image_open: bool, model: str) -> None:
    """Enable a run `action` (menu, keys) when an image is open, its Model panel `button` when a
    `model` ("ready", "loading" or "none") is ready too; their tooltips, `tip` ("Run on This Image
    (Ctrl+R)") when on, add what they wait for. The keys stay on while a model loads: the run
    starts once it is ready."""
    action.setEnabled(image_open)
    action.setToolTip(tip if image_open else f"{tip}: {NOTHING_OPEN}")
    button.setEnabled(image_open and model == "ready")
    why = [] if image_open else [NOTHING_OPEN]
    if model != "ready":
        why.append(MODEL_LOADING if model == "loading" else NO_MODEL)
    button.setToolTip(f"{tip}: {'; '.join(why)}" if why else tip)
