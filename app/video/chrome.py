"""The window furniture of the video view: its docks, its frame actions, the File menu entry, and the
switch of the window between image mode and video mode (:class:`ModeSwitch`).

Plain builders over a `QMainWindow`; `app.video.mode.VideoMode` calls them once and keeps what they
return.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QGraphicsObject, QMainWindow, QMenu, QScrollArea, QWidget

from app.analysis.dock_split import dock_extent
from app.analysis.layer_list import MIN_ROWS
from app.analysis.overlays import OVERLAY_PREFIX
from app.icons import icon
from app.panels import scrolling
from app.shortcut_sheet import GROUP_PROPERTY, TEXT_PROPERTY
from app.video.image_menus import image_dock_toggles, image_project_actions
from app.video.panel import VideoPanel
from app.video.timeline_widget import PLOT_LEAST_HEIGHT, PLOT_ROOMY_HEIGHT

if TYPE_CHECKING:
    from app.host import AppWindow

__all__ = ["EXPORT_VIEW_IS_FOR_IMAGES", "FEW_ROWS", "NOTHING_TO_CANCEL", "ModeSwitch", "add_hidden_dock",
           "add_open_sequence_action", "create_frame_actions"]

#: What Export View's keys say in video mode ({keys}: " (Ctrl+E)", the video export's keys, or "").
EXPORT_VIEW_IS_FOR_IMAGES = ("Export View is for images, not video frames: the Video panel's Export frames…{keys} "
                             "exports frames to SmokeSeg")

#: What Cancel Inference's keys (Ctrl+.) say in video mode with no whole-video run to cancel.
NOTHING_TO_CANCEL = "Nothing to cancel: no whole-video prediction is running"

#: The Layers list's rows (of :data:`~app.analysis.layer_list.MIN_ROWS`) it gives up for the Video panel's first
#: actions where the Timeline is at its least height already (a short window: 125 % scale on 1366 x 768).
FEW_ROWS = 3

ActionSpec = tuple[str, Sequence[str], Callable[[], object]]
"""(text, shortcuts as portable key strings, slot) of one frame action."""


def add_hidden_dock(window: QMainWindow, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea,
                    scroll: bool = False) -> QDockWidget:
    """A hidden dock called `name` holding `widget` (inside a scroll area when `scroll`, so a tall
    panel never forces the window taller)."""
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(scrolling(widget, title) if scroll else widget)
    window.addDockWidget(area, dock)
    dock.hide()
    return dock


def create_frame_actions(window: QMainWindow, specs: Sequence[ActionSpec]) -> list[QAction]:
    """Window-wide actions (disabled until a video opens) with their shortcuts."""
    actions = []
    for text, keys, slot in specs:
        action = QAction(text, window)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False, s=slot: s())
        action.setEnabled(False)
        action.setProperty(GROUP_PROPERTY, "Video")  # where Help > Keyboard Shortcuts lists it
        window.addAction(action)
        actions.append(action)
    return actions


def add_open_sequence_action(window: QMainWindow, slot: Callable[[], object]) -> QAction:
    """"Open Image Sequence as Video…", put in the File menu before its recent-files submenu."""
    action = QAction(icon("fa6s.photo-film"), "Open Image Sequence as Video…", window)
    action.triggered.connect(lambda _checked=False: slot())
    recent = getattr(window, "recent_menu", None)
    if recent is not None and recent.menuAction().parent() is not None:
        file_menu = window.menuBar().actions()[0].menu()
        file_menu.insertAction(recent.menuAction(), action)
    return action


class ModeSwitch:
    """Puts the window in video mode and back: the Timeline and Video docks in place of the image list
    (and of the Worklist dock, which says nothing of a video; the Layers dock shows the frame's layers), the frame actions on and the
    image session's actions off, and the image Export's keys (Ctrl+E, or as remapped) on the video's
    export meanwhile (a QShortcut, not a second action with those keys, which the shortcut dialog would
    call a clash).

    The image's analysis is put away too: its layers on the canvas (they would lie over the frame), its
    run actions and Model panel buttons and its layer keys (they would run the model on the image behind
    the video and draw it there) and the metrics table (images scored against their labels: it took the Model
    dock's room, cut off at its foot at 125 % on 1366 x 768) are hidden, not disabled, which the analysis view never undoes (it
    enables them as its model and images change); Run on All Images' keys (Ctrl+Shift+R) predict the
    whole video meanwhile, and Cancel Inference's (Ctrl+.) cancel that run (not the image runs behind it),
    or say there is none (:data:`NOTHING_TO_CANCEL`). So are its figures: the compare grid (its dock, open
    again afterwards if it was, and its Ctrl+Shift+G) and the Export View and Export Compare Grid actions, which would write the image behind the video
    (Export View's keys say so: :data:`EXPORT_VIEW_IS_FOR_IMAGES`)."""

    def __init__(self, window: AppWindow, timeline_dock: QDockWidget, panel_dock: QDockWidget,
                 frame_actions: Sequence[QAction], export: Callable[[], object],
                 predict_whole: Callable[[], object] | None = None,
                 cancel_whole: Callable[[], object] | None = None) -> None:
        self.window = window
        self.timeline_dock, self.panel_dock = timeline_dock, panel_dock
        self.frame_actions = list(frame_actions)
        self.dock_actions = [timeline_dock.toggleViewAction(), panel_dock.toggleViewAction()]
        self._list_docks_under_view()
        self._put_away: list[QDockWidget] = []  # image docks hidden while a video is open
        self._images_shown: bool | None = None  # whether the Images dock was shown before the video (None: no video)
        self._hidden: list[QAction | QWidget | QGraphicsObject] = []  # the image analysis's, hidden meanwhile
        self.export_shortcut = self._shortcut(export, "Export Frames")
        self.predict_shortcut = self._shortcut(predict_whole, "Predict Whole Video")
        panel = panel_dock.findChild(VideoPanel)
        self._whole_cancel = panel.cancel_button if panel is not None else None  # on while a run can stop
        self._cancel_whole = cancel_whole
        self.cancel_shortcut = self._shortcut(self._cancel_or_say_why if cancel_whole else None,
                                              "Cancel Whole-Video Prediction")
        self.view_shortcut = self._shortcut(self._export_view_says_why)
        switch = weakref.ref(self)  # (the dock's connection keeps no ModeSwitch, nor through it the window)

        def raised(visible: bool) -> None:  # its tab raised again: the Model tab shares the column its own way
            if visible and (this := switch()) is not None:
                QTimer.singleShot(0, this.panel_dock, this._give_panel_room)

        panel_dock.visibilityChanged.connect(raised)

    def _list_docks_under_view(self) -> None:
        """The Timeline and Video docks' show/hide actions under View, after the Images dock's, seen
        while a video is open: the docks can be closed (their ×) and came back only with another video."""
        images = self.window.image_dock.toggleViewAction()
        menus = [m for m in images.associatedObjects() if isinstance(m, QMenu)]
        for action in self.dock_actions:
            action.setVisible(False)
            if menus:
                menus[0].addAction(action)

    def _shortcut(self, slot: Callable[[], object] | None, text: str = "") -> QShortcut:
        """A window-wide QShortcut, off; `text`: Help ▸ Keyboard Shortcuts lists it under Video while on."""
        shortcut = QShortcut(self.window)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.setEnabled(False)
        if text:
            shortcut.setProperty(TEXT_PROPERTY, text)
            shortcut.setProperty(GROUP_PROPERTY, "Video")
        if slot is not None:
            shortcut.activated.connect(slot)
        return shortcut

    def _cancel_or_say_why(self) -> None:
        """Ctrl+. in video mode: cancel the whole-video run while the Video panel's Cancel is on (a run under
        way, or asked for while its model loads), else say there is none, as the image's Cancel Inference,
        off then, says it (it did nothing, silently)."""
        button = self._whole_cancel
        if button is not None and not button.isEnabled():
            self.window.statusBar().showMessage(NOTHING_TO_CANCEL, 5000)
        elif self._cancel_whole is not None:
            self._cancel_whole()

    def _export_view_says_why(self) -> None:
        keys = self.export_shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)
        self.window.statusBar().showMessage(EXPORT_VIEW_IS_FOR_IMAGES.format(keys=f" ({keys})" if keys else ""),
                                            8000)

    def image_analysis(self) -> list[QAction | QWidget | QGraphicsObject]:
        """What of the image's analysis acts on or shows the image (see class doc)."""
        analysis = getattr(self.window, "analysis", None)
        if analysis is None:
            return []
        overlays = [self.window.canvas.overlay(OVERLAY_PREFIX + layer.name) for layer in analysis.layers]
        return [analysis.action_run, analysis.action_run_all, analysis.action_cancel, *analysis.layer_actions.values(),
                analysis.action_export_view, analysis.action_export_grid, analysis.grid_dock.toggleViewAction(),
                analysis.panel.run_button, analysis.panel.run_all_button, analysis.metrics,  # (images vs labels)
                *[o for o in overlays if o is not None]]

    def _image_docks(self) -> list[QDockWidget]:
        """Docks about the image session that say nothing of a video (Worklist, the compare grid); the
        Layers dock stays: it shows the frame's layers (:mod:`app.video.frame_layers`)."""
        w = self.window
        analysis, annotation = getattr(w, "analysis", None), getattr(w, "annotation", None)
        docks = [getattr(annotation, "worklist_dock", None), getattr(analysis, "grid_dock", None)]
        return [d for d in docks if d is not None]

    def image_actions(self) -> list[QAction]:
        """Actions on the image session, off in video mode (besides Next/Previous Image, which the window
        keeps off): N / Shift+N would change the hidden image and bring the arrows back; Export to SmokeSeg
        and Import Labels would work on the image project put away behind the video."""
        w = self.window
        actions = getattr(getattr(w, "annotation", None), "actions", None)
        project = [actions.next_unreviewed, actions.previous_unreviewed, actions.first_image, actions.last_image,
                   actions.import_labels, actions.export] if actions is not None else []  # Home / End: frames
        return [w.action_filter, w.action_goto, *project, *image_project_actions(w)]  # Pre-label All, Run on All Again

    def enter(self) -> None:
        """Video mode (again, for a second video: the docks put away stay so)."""
        w = self.window
        w.canvas.show_placeholder(False)
        if self._images_shown is None:  # a second video: as it was before the first
            self._images_shown = w.image_dock.isVisible()
        w.image_dock.hide()
        if not self._put_away:  # a second video keeps the first one's list
            self._put_away = [d for d in self._image_docks() if d.isVisible()]
        for dock in self._put_away:  # the Video panel takes the column's height
            dock.hide()
        self.timeline_dock.show()
        for action in self.dock_actions:
            action.setVisible(True)
        right = [d for d in w.findChildren(QDockWidget) if d is not self.panel_dock and d.isVisible()
                 and w.dockWidgetArea(d) == Qt.DockWidgetArea.RightDockWidgetArea]
        if right:  # tabbed before it shows: shown first, it stacked under the column for a moment and
            w.tabifyDockWidget(right[0], self.panel_dock)  # the window grew (1024 x 640 to 659) for good
        self.panel_dock.show()
        self.panel_dock.raise_()
        w.resizeDocks([self.timeline_dock], [200], Qt.Orientation.Vertical)
        QTimer.singleShot(0, self.panel_dock, self._give_panel_room)  # once the column is laid out
        for action in (w.action_next, w.action_previous, *self.image_actions()):
            action.setEnabled(False)  # the arrow keys step frames now; the image list is put away
        annotation = getattr(getattr(w, "annotation", None), "actions", None)
        keys = annotation.export.shortcuts() if annotation is not None else []
        self.export_shortcut.setKey(keys[0] if keys else QKeySequence())
        self.export_shortcut.setEnabled(bool(keys))
        analysis = getattr(w, "analysis", None)
        for shortcut, action in ((self.predict_shortcut, "action_run_all"), (self.cancel_shortcut, "action_cancel")):
            keys = getattr(analysis, action).shortcuts() if analysis is not None else []
            shortcut.setKey(keys[0] if keys else QKeySequence())
            shortcut.setEnabled(bool(keys))
        keys = analysis.action_export_view.shortcuts() if analysis is not None else []
        self.view_shortcut.setKeys(keys)
        self.view_shortcut.setEnabled(bool(keys))
        # a second video: what the first put away stays so, and what showed up since goes too
        shown = [*image_dock_toggles(w), *self.image_analysis()]  # View ▸ Images (N), Annotate ▸ Worklist too
        self._hidden += [part for part in shown if part.isVisible() and part not in self._hidden]
        for part in self._hidden:
            part.setVisible(False)
        for action in self.frame_actions:
            action.setEnabled(True)

    def _give_panel_room(self, settle: bool = True) -> None:
        """The Video panel's tab group as tall as the panel asks, taken from the Layers dock under it
        down to :data:`~app.analysis.layer_list.MIN_ROWS` whole rows of its list: left to Qt, the list
        showed every row and the panel ~150 px at 1366 x 768, Predict whole video out of view. Then from the
        Timeline, its plot down to :data:`~app.video.timeline_widget.PLOT_ROOMY_HEIGHT` for the whole panel,
        and to :data:`~app.video.timeline_widget.PLOT_LEAST_HEIGHT` for its first actions (Model…, Predict
        whole video, Cancel, Accept prediction and Toggle keyframe; a run's progress bar under them is shown
        as it starts: VideoPanel.show_progress): at 1024 x 640 Predict whole video lay under the panel's
        125 px view. Then from the Layers list down to :data:`FEW_ROWS` for those first actions: at 125 %
        display scale on a 1366 x 768 screen (1093 x 614 logical pixels) they lay under the panel's view.
        Done at the panel's tab raised too (the Model tab's own split gives the Layers list its rows back), and
        once more after a change (`settle`: the docks' first layout, still moving, sometimes undid a part)."""
        area, analysis = self.panel_dock.widget(), getattr(self.window, "analysis", None)
        if not isinstance(area, QScrollArea) or area.widget() is None or analysis is None:
            return
        layers, rows = analysis.layer_dock, analysis.layer_list.list
        if not layers.isVisible() or layers.isFloating() or layers.y() <= self.panel_dock.y():
            return
        content = area.widget()
        height = content.heightForWidth(area.viewport().width()) if content.hasHeightForWidth() else -1
        wanted = max(height, content.sizeHint().height()) - area.viewport().height()  # as its area lays it
        row = max(1, rows.sizeHintForRow(0))
        spare = rows.height() - analysis.layer_list.rows_height(MIN_ROWS)  # the list's pixels over its few rows
        give = min(max(0, wanted), max(0, spare))
        give -= (spare - give) % row  # the list keeps whole rows
        w = self.window
        timeline = self.timeline_dock
        least = timeline.minimumSizeHint().height()  # its plot at PLOT_LEAST_HEIGHT
        roomy = least + PLOT_ROOMY_HEIGHT - PLOT_LEAST_HEIGHT
        take = min(max(0, wanted - give), max(0, timeline.height() - roomy))
        panel = self.panel_dock.findChild(VideoPanel)
        if panel is not None:  # under its roomy height only for the panel's first actions: the view's foot at
            first = panel.progress.mapTo(content, QPoint(0, 0)).y() - area.viewport().height()  # the progress bar
            take += min(max(0, first - give - take), max(0, timeline.height() - take - least))
            short = max(0, first - give - take)  # then the Layers list down to FEW_ROWS, whole rows
            few = max(0, rows.height() - give - analysis.layer_list.rows_height(FEW_ROWS))
            if short > 0 and few > 0:  # its least height until the window shows images again (show_images)
                rows.setMinimumHeight(analysis.layer_list.rows_height(FEW_ROWS))
                give += min(-(-short // row) * row, few - few % row)
        kept = dock_extent(w, layers)  # the Layers dock's place before the Timeline gives any
        if take > 0:  # the Timeline down to its least height: the column above it grows (13 px at 1024 x 640)
            w.resizeDocks([timeline], [timeline.height() - take], Qt.Orientation.Vertical)
            layout = w.layout()
            if layout is not None:
                layout.activate()
        if give > 0 or take > 0:
            column = dock_extent(w, self.panel_dock) + dock_extent(w, layers)  # the Timeline's pixels in it
            w.resizeDocks([self.panel_dock, layers], [column - (kept - give), kept - give], Qt.Orientation.Vertical)
            if settle:  # once more when laid out: it changes nothing where the first actions are in view
                QTimer.singleShot(0, self.panel_dock, lambda: self._give_panel_room(settle=False))
                return
        QTimer.singleShot(0, self.panel_dock, self._first_actions_in_view)

    def _first_actions_in_view(self) -> None:
        """The panel scrolled by what its first actions still lack once the column gave all it could (a file
        cut short: its warning under the name, four lines at 125 % on 1366 x 768): their foot, the progress
        bar's top, at the view's foot; the name and warning partly above it (the status bar says them too)."""
        area, panel = self.panel_dock.widget(), self.panel_dock.findChild(VideoPanel)
        if not isinstance(area, QScrollArea) or area.widget() is None or panel is None or not area.isVisible():
            return
        foot = panel.progress.mapTo(area.widget(), QPoint(0, 0)).y() - area.viewport().height()
        bar = area.verticalScrollBar()
        if foot > bar.value():
            bar.setValue(foot)

    def frames_on(self) -> None:
        """The frame actions and the export keys work again (the video held behind a preview shown again:
        :mod:`app.video.preview`); the keys :meth:`enter` left empty stay off."""
        for action in self.frame_actions:
            action.setEnabled(True)
        for shortcut in (self.export_shortcut, self.predict_shortcut, self.cancel_shortcut, self.view_shortcut):
            shortcut.setEnabled(bool(shortcut.keys()))

    def frames_off(self) -> None:
        """No video open: the frame actions and the export keys do nothing."""
        for action in self.frame_actions:
            action.setEnabled(False)
        self.export_shortcut.setEnabled(False)
        self.predict_shortcut.setEnabled(False)
        self.cancel_shortcut.setEnabled(False)
        self.view_shortcut.setEnabled(False)

    def show_images(self) -> None:
        """The image mode's docks and actions again (the window saves this layout on closing)."""
        w = self.window
        self.timeline_dock.hide()
        self.panel_dock.hide()
        for action in self.dock_actions:
            action.setVisible(False)
        if self._images_shown is not False:  # closed by the user before the video: it stays closed
            w.image_dock.show()
        self._images_shown = None
        for action in self.image_actions():
            action.setEnabled(True)
        for dock in self._put_away:
            dock.show()
        self._put_away = []
        analysis = getattr(w, "analysis", None)
        if analysis is not None:  # the Layers list's few rows again (the Video panel's first actions took some)
            analysis.layer_list.list.setMinimumHeight(analysis.layer_list.rows_height(MIN_ROWS))
        for part in self._hidden:
            part.setVisible(True)
        self._hidden = []
