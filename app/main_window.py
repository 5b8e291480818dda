"""The FoSp Studio main window: menus, toolbar, canvas, image list, status bar (its readouts:
:mod:`app.status_readouts`).

The window owns an :class:`~fosp_core.session.ImageSession` (the truth about what is open) and
binds its widgets to it; decoding runs on an :class:`~app.loader.ImageLoader`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QImage,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMenu,
)

from app.action_tips import keys_in_tips
from app.analysis.controller import AnalysisController
from app.annotation import AnnotationUI
from app.annotation.prelabel_runs import install_prelabel
from app.annotation.worklist_summaries import WorklistSummaries
from app.arrows_stay import ArrowsStay
from app.canvas import ZOOM_STEP, Canvas
from app.esc_keys_back import EscToCanvas
from app.frame_notes import FrameNotes
from app.help_menu import HelpMenu
from app.icons import app_icon, icon
from app.image_list import ImagesPanel
from app.key_pan import PAN_ICONS, PAN_KEYS, pan_slot
from app.loader import ImageLoader
from app.open_words import OPEN_DIALOG_TITLE, open_dialog_filters, shown_path
from app.opening import Opener
from app.recent import RecentPaths
from app.services import APPLICATION, Services
from app.shortcut_modes import say_why_off_with_a_video
from app.shortcut_sheet import ShortcutSheet
from app.status_readouts import StatusReadouts
from app.theme_choice import ThemeChoice
from app.training import TrainingUI
from app.video.mode import VideoMode
from app.window_actions import window_action, window_toolbar
from fosp_core.io.images import LoadedImage
from fosp_core.session import ImageSession, OpenError

_LAST_DIR_KEY = "dialogs/last_dir"
_GEOMETRY_KEY = "window/geometry"
_STATE_KEY = "window/state"
_OPEN_ERRORS_SAID = "Could not open"  # + "3 items" in the status bar


class MainWindow(QMainWindow):
    """The main window. Build it with :class:`~app.services.Services`; nothing global is read."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.session = ImageSession()
        self.recent = RecentPaths(services.settings)
        self.loader = ImageLoader(self, threads=services.loader_threads)
        self._image_request: int | None = None
        self._requested_path: Path | None = None
        self._errors_told = 0  # the open errors the status bar's message counts

        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.canvas = Canvas(self)
        self.setCentralWidget(self.canvas)
        self.images_panel = ImagesPanel(self.session, self)
        self.image_list = self.images_panel.list
        self.image_dock = QDockWidget("Images", self)
        self.image_dock.setObjectName("images_dock")
        self.image_dock.setWidget(self.images_panel)
        self.image_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.image_dock)

        self._create_actions()
        self._create_menus()
        self._create_toolbar()
        self._create_status_bar()
        self.opener = Opener(self)  # lists big folders on a worker, progress in the status bar
        self.file_menu.insertMenu(self.recent_menu.menuAction(), self.opener.folder_videos.menu)  # every video
        self._bind()
        self.annotation = AnnotationUI(self, self.canvas, self.session, services)  # masks, tools, worklist
        self.analysis = AnalysisController(self)  # model panel, analysis layers, compare grid
        # the worklist sorts by each result's summary, made on the inference thread
        self.worklist_summaries = WorklistSummaries(self.annotation.controller, self.analysis.worker)
        self.analysis.planner.ran_before = self.worklist_summaries.ran_before  # reopened: the shown image runs
        self.prelabel = install_prelabel(self)  # Annotate ▸ Pre-label All…; Run on all skips images summarised
        self.video = VideoMode(self)  # timeline, playback, per-frame predictions and masks
        self.training = TrainingUI(self)  # fine-tune on a labelled dataset, in its own process
        say_why_off_with_a_video(self)  # Ctrl+G, Ctrl+F, N: off while a video is open, and say so
        keys_in_tips(self)  # the keyed actions whose makers left their keys out of their tooltips
        self.esc_to_canvas = EscToCanvas(self, self.canvas)  # Esc in a dock's list, slider...: keys back
        self.arrows_stay = ArrowsStay(self.canvas, skip=(self.image_list,))  # a focused slider's arrows: its own
        self.shortcut_sheet: ShortcutSheet | None = None  # Help > Keyboard Shortcuts, while open
        self._update_title()
        self._update_navigation()
        # once the right-hand docks are in: made first, their width (growing with the font) came out of it
        self.resizeDocks([self.image_dock], [260], Qt.Orientation.Horizontal)
        self.resize(1280, 800)
        self._restore_geometry()

    # --- building ------------------------------------------------------------------------------
    def _action(self, text: str, icon_name: str | None, shortcuts: Sequence[QKeySequence | str],
                slot: Callable[[], object], tip: str = "") -> QAction:
        return window_action(self, text, icon_name, shortcuts, slot, tip)

    def _create_actions(self) -> None:
        self.action_open = self._action("&Open…", "fa6s.file-image", ["Ctrl+O"], self.open_files_dialog,
                                        "Open images or videos")
        self.action_open_folder = self._action("Open &Folder…", "fa6s.folder-open", ["Ctrl+Shift+O"],
                                               self.open_folder_dialog, "Open a folder or SmokeSeg dataset")
        self.action_quit = self._action("&Quit", "fa6s.right-from-bracket", ["Ctrl+Q"], self.close)
        self.action_fit = self._action("&Fit to Window", "fa6s.expand", ["F"], self.canvas.fit)
        self.action_actual = self._action("&Actual Size (1:1)", "fa6s.1", ["1"], self.canvas.actual_size)
        self.action_zoom_in = self._action("Zoom &In", "fa6s.magnifying-glass-plus", ["+", "=", "Ctrl++"],
                                           lambda: self.canvas.zoom_by(ZOOM_STEP))
        self.action_zoom_out = self._action("Zoom &Out", "fa6s.magnifying-glass-minus", ["-", "Ctrl+-"],
                                            lambda: self.canvas.zoom_by(1.0 / ZOOM_STEP))
        self.pan_actions = [self._action(text, PAN_ICONS[dx, dy], [key], pan_slot(self.canvas, dx, dy))
                            for text, key, dx, dy in PAN_KEYS]
        self.action_next = self._action("&Next Image", "fa6s.chevron-right", ["PgDown", "Right", "Down"],
                                        self.session.next)
        self.action_previous = self._action("&Previous Image", "fa6s.chevron-left", ["PgUp", "Left", "Up"],
                                            self.session.previous)
        self.action_goto = self._action("&Go to Image…", "fa6s.list-ol", ["Ctrl+G"], self.go_to_image_dialog,
                                        "Go to an image by its number in the list")
        self.action_filter = self._action("&Filter by Name…", "fa6s.filter", ["Ctrl+F"], self.focus_filter,
                                          "List only the images whose name matches")
        self.action_shortcuts = self._action("&Keyboard Shortcuts…", "fa6s.keyboard", ["F1", "Ctrl+/"],
                                             self.show_shortcuts, "Every shortcut of the window, searchable")

    def _create_menus(self) -> None:
        bar = self.menuBar()
        file_menu = self.file_menu = bar.addMenu("&File")
        file_menu.addAction(self.action_open)
        file_menu.addAction(self.action_open_folder)
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.setIcon(icon("fa6s.clock-rotate-left"))
        self.recent_menu.aboutToShow.connect(self.rebuild_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)
        view_menu = bar.addMenu("&View")
        for action in (self.action_fit, self.action_actual, self.action_zoom_in, self.action_zoom_out):
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addActions(self.pan_actions)  # Ctrl+Shift+arrows (app.key_pan)
        view_menu.addSeparator()
        view_menu.addAction(self.image_dock.toggleViewAction())
        view_menu.addSeparator()
        self.theme_choice = ThemeChoice(self, view_menu, self.services.settings)  # View ▸ Theme
        go_menu = bar.addMenu("&Go")
        go_menu.addAction(self.action_previous)
        go_menu.addAction(self.action_next)
        go_menu.addAction(self.action_goto)
        go_menu.addSeparator()
        go_menu.addAction(self.action_filter)
        self.help = HelpMenu(self, bar.addMenu("&Help"), self.action_shortcuts)  # Getting Started, Model Card
        self.rebuild_recent_menu()

    def _create_toolbar(self) -> None:
        window_toolbar(self, (self.action_open, self.action_open_folder, None, self.action_previous, self.action_next,
                              None, self.action_fit, self.action_actual, self.action_zoom_in, self.action_zoom_out))

    def _create_status_bar(self) -> None:
        self.readouts = StatusReadouts(self.statusBar(), self.canvas, self.session)  # place, pixel, size, zoom
        r = self.readouts
        self.position_label, self.pixel_label, self.size_label, self.zoom_label = r.position, r.pixel, r.size, r.zoom

    def _bind(self) -> None:
        events = self.session.events
        events.current_changed.connect(self._on_current_changed)
        events.image_changed.connect(self._on_image_changed)
        events.entries_changed.connect(self._update_navigation)
        events.filter_changed.connect(lambda _pattern: self._update_navigation())
        self.images_panel.finished.connect(lambda: self.canvas.setFocus(Qt.FocusReason.OtherFocusReason))
        self.image_list.picked.connect(lambda _index: self.video.leave())  # an image chosen: image mode
        events.errors_added.connect(self._on_errors_added)
        self._frame_notes = FrameNotes(self.statusBar())  # "animated GIF, 12 frames: the first is used"
        self.loader.image_loaded.connect(self._on_image_loaded)
        self.loader.thumbnail_ready.connect(self._on_thumbnail_ready)
        self.image_list.thumbnails_wanted.connect(self._request_thumbnails)
        self.loader.failed.connect(self._on_load_failed)

    # --- opening -------------------------------------------------------------------------------
    def open_paths(self, paths: Sequence[str | Path], remember: bool = True, *,
                   background: bool | None = None) -> list[Path]:
        """Open image files, folders and SmokeSeg datasets; the first opened image becomes current
        (in a folder opened before: the image last shown from it).

        Paths that cannot be opened are reported through the services' error reporter; the rest
        still open. Files are decoded on worker threads, so unreadable images are reported when
        their decode fails. A big folder is listed on a worker thread, with its progress and a
        Cancel button in the status bar (see :mod:`app.opening`; `background` chooses). Returns the
        image paths newly added to the session; [] while the open goes on in the background
        (``self.opener.opened`` tells when it is done).
        """
        return self.opener.open(paths, remember, background)

    def open_files_dialog(self) -> None:
        """Ask for images or videos and open them."""
        files, _ = QFileDialog.getOpenFileNames(self, OPEN_DIALOG_TITLE, self._last_dir(), open_dialog_filters())
        if files:
            self._remember_dir(Path(files[0]).parent)
            self.open_paths(files)

    def open_folder_dialog(self) -> None:
        """Ask for a folder (or SmokeSeg dataset) and open its images."""
        folder = QFileDialog.getExistingDirectory(self, "Open Folder or SmokeSeg Dataset", self._last_dir())
        if folder:
            self._remember_dir(Path(folder))
            self.open_paths([folder])

    def rebuild_recent_menu(self) -> None:
        """Fill File > Open Recent from the stored recent paths."""
        self.recent_menu.clear()
        paths = self.recent.paths()
        names = [path.name for path in paths]
        for path in paths:
            text = path.name if names.count(path.name) == 1 else f"{path.name} — {shown_path(path.parent)}"
            action = self.recent_menu.addAction(icon("fa6s.folder" if path.is_dir() else "fa6s.image"),
                                                text.replace("&", "&&"))  # two "demo" folders: which is which
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.setEnabled(path.exists())
            action.setData(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_paths([p]))
        if paths:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear Recent", self.recent.clear)
        else:
            self.recent_menu.addAction("No recent files").setEnabled(False)

    def _last_dir(self) -> str:
        return str(self.services.settings.value(_LAST_DIR_KEY, str(Path.home())))

    def _remember_dir(self, folder: Path) -> None:
        self.services.settings.setValue(_LAST_DIR_KEY, str(folder))

    # --- drag and drop -------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)

    # --- session -> widgets --------------------------------------------------------------------
    def _on_current_changed(self, _index: int) -> None:
        path = self.session.current_path
        self._update_title()
        self._update_navigation()
        self.opener.remember_current()
        if path is None:
            self._image_request, self._requested_path = None, None
        elif self.session.current_image is None and path != self._requested_path:
            self._requested_path = path
            self._image_request = self.loader.request_image(path)

    def _on_image_changed(self, image: LoadedImage | None) -> None:
        if self.video.active:  # the canvas shows a frame; leaving video mode shows the image
            return
        if image is not None:
            self._requested_path = None
            self.canvas.set_image(image.rgb)
            self.size_label.setText(f"{image.width} × {image.height} px")
        elif self.session.current_path is None:  # nothing open any more
            self.canvas.set_image(None)
            self.size_label.clear()
            self.zoom_label.clear()
        # else: the next image is decoding; the previous one stays up (no flash, zoom kept)

    def _on_image_loaded(self, request_id: int, image: LoadedImage) -> None:
        if request_id == self._image_request:  # anything else is a stale request: drop it
            self.session.set_current_image(image)
            self._frame_notes.shown(image)

    def _request_thumbnails(self, paths: list[Path]) -> None:
        if self.loader.closed:  # the window is closing; a list timer may still fire
            return
        for path in paths:
            self.loader.request_thumbnail(path)

    def _on_thumbnail_ready(self, _request_id: int, path: Path, thumbnail: QImage) -> None:
        self.image_list.list_model.set_thumbnail(path, thumbnail)

    def _on_load_failed(self, request_id: int, path: Path, reason: str) -> None:
        if request_id == self._image_request:
            self._requested_path = None
        self.session.mark_failed(path, reason)

    def _on_errors_added(self, errors: list[OpenError]) -> None:
        self.services.error_reporter.report(self, errors)
        bar = self.statusBar()  # while its message is up, it counts as the message box does: all of them
        told = self._errors_told if bar.currentMessage().startswith(_OPEN_ERRORS_SAID) else 0
        self._errors_told = told + len(errors)
        bar.showMessage(f"{_OPEN_ERRORS_SAID} {self._errors_told} item{'s' if self._errors_told != 1 else ''}", 5000)

    def _in_video(self) -> bool:
        video = getattr(self, "video", None)  # made after the first navigation update
        return video is not None and video.active

    def _update_title(self) -> None:
        if self._in_video():  # the video's name stays up
            return
        path = self.session.current_path
        self.setWindowTitle(APPLICATION if path is None else f"{APPLICATION} — {path.name}")

    def _update_navigation(self) -> None:
        index, count = self.session.current_index, len(self.session)
        in_video = self._in_video()  # the arrow keys step frames there: Next/Previous Image stay off
        self.canvas.show_placeholder(count == 0 and not in_video)
        self.action_previous.setEnabled(not in_video and self.session.has_previous())
        self.action_next.setEnabled(not in_video and self.session.has_next())
        if not count:
            self.image_dock.setWindowTitle("Images")
        elif self.session.filter:
            self.image_dock.setWindowTitle(f"Images ({len(self.session.visible_indices())} of {count})")
        else:
            self.image_dock.setWindowTitle(f"Images ({count})")
        self.position_label.setText(f"{index + 1} / {count}" if index >= 0 else "")

    def go_to_image_dialog(self) -> None:
        """Go ▸ Go to Image (Ctrl+G): ask for a number (1 … N, the place among all open images,
        as the status bar shows it) and make that image current."""
        count = len(self.session)
        if not count:
            self.statusBar().showMessage("No images open", 3000)
            return
        number, ok = QInputDialog.getInt(self, "Go to Image", f"Image number (1–{count}):",
                                         self.session.current_index + 1, 1, count)
        if ok:
            self.session.set_current(number - 1)

    def focus_filter(self) -> None:
        """Go ▸ Filter by Name (Ctrl+F): show the Images dock and put the cursor in its filter box."""
        self.image_dock.show()
        self.image_dock.raise_()
        self.images_panel.focus_filter()

    # --- misc ----------------------------------------------------------------------------------
    def show_shortcuts(self) -> ShortcutSheet:
        """Open Help ▸ Keyboard Shortcuts (non-modal; one sheet at a time) and return it."""
        if self.shortcut_sheet is not None:  # a child of the window: deleted, else one more per opening
            self.shortcut_sheet.close()
            self.shortcut_sheet.deleteLater()
        self.shortcut_sheet = ShortcutSheet(self)
        self.shortcut_sheet.show()
        return self.shortcut_sheet

    def _restore_geometry(self) -> None:
        geometry = self.services.settings.value(_GEOMETRY_KEY)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.services.settings.value(_STATE_KEY)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        # edits, or a video's keyframe and edited marks, not saved: Retry / Discard / Cancel
        if not self.annotation.controller.confirm_close(self):
            event.ignore()
            return
        if not self.video.confirm_close():  # the images' Discard, if answered, is void: the window stays
            self.annotation.controller.open_documents.close_cancelled()
            event.ignore()
            return
        self.analysis.shutdown()  # the inference thread: only once the close is not cancelled
        self.opener.shutdown()  # an open under way is dropped; its worker closes what it opened
        self.loader.shutdown()
        self.annotation.close()  # finish strokes, release project locks
        self.video.shutdown()
        self.training.shutdown()  # a running fine-tune saves its state and stops
        self.services.settings.setValue(_GEOMETRY_KEY, self.saveGeometry())
        self.services.settings.setValue(_STATE_KEY, self.saveState())
        super().closeEvent(event)
