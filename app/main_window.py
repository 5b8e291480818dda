"""The FoSp Studio main window: menus (its own built by :mod:`app.window_menus`), toolbar, canvas, image
list, status bar (its readouts: :mod:`app.status_readouts`).

The window owns an :class:`~fosp_core.session.ImageSession` (the truth about what is open) and
binds its widgets to it; decoding runs on an :class:`~app.loader.ImageLoader`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QImage,
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
from app.annotation.close_waits import settle_before_close
from app.annotation.prelabel_runs import install_prelabel
from app.annotation.worklist_summaries import WorklistSummaries
from app.arrows_stay import ArrowsStay
from app.canvas import Canvas
from app.esc_keys_back import EscToCanvas
from app.frame_notes import FrameNotes
from app.help_menu import HelpMenu
from app.icons import app_icon
from app.image_list import ImagesPanel
from app.loader import ImageLoader
from app.open_words import OPEN_DIALOG_TITLE, open_dialog_filters
from app.opening import Opener
from app.recent import RecentPaths
from app.services import APPLICATION, Services
from app.shortcut_modes import say_why_off_with_a_video
from app.shortcut_sheet import ShortcutSheet
from app.status_readouts import StatusReadouts
from app.theme_choice import ThemeChoice
from app.training import TrainingUI
from app.video.mode import VideoMode
from app.window_actions import window_toolbar
from app.window_focus import install_window_focus
from app.window_menus import create_actions, create_menus, fill_recent_menu
from fosp_core.io.images import LoadedImage
from fosp_core.session import ImageSession, OpenError

_LAST_DIR_KEY = "dialogs/last_dir"
_GEOMETRY_KEY = "window/geometry"
_STATE_KEY = "window/state"
_OPEN_ERRORS_SAID = "Could not open"  # + "3 items" in the status bar


class MainWindow(QMainWindow):
    """The main window. Build it with :class:`~app.services.Services`; nothing global is read."""

    # its own actions and menus, made by app.window_menus
    action_open: QAction
    action_open_folder: QAction
    action_quit: QAction
    action_fit: QAction
    action_actual: QAction
    action_zoom_in: QAction
    action_zoom_out: QAction
    pan_actions: list[QAction]
    action_next: QAction
    action_previous: QAction
    action_goto: QAction
    action_filter: QAction
    action_shortcuts: QAction
    file_menu: QMenu
    recent_menu: QMenu
    theme_choice: ThemeChoice
    help: HelpMenu

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

        create_actions(self)  # File, View, Go, Help: app.window_menus
        create_menus(self)
        self._create_toolbar()
        self._create_status_bar()
        self.opener = Opener(self)  # lists big folders on a worker, progress in the status bar
        self.file_menu.insertMenu(self.recent_menu.menuAction(), self.opener.folder_videos.menu)  # every video
        self._bind()
        self.annotation = AnnotationUI(self, self.canvas, self.session, services)  # masks, tools, worklist
        # window-wide: a dock behind a tab shown when the focus enters it, the status bar said to a screen
        # reader, the keys to the image after an opening (before the video mode hears the opener)
        self.window_focus = install_window_focus(self, self.canvas, self.opener)
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
        """Fill File > Open Recent from the stored recent paths (:func:`app.window_menus.fill_recent_menu`)."""
        fill_recent_menu(self)

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
        if self.shortcut_sheet is not None and self.shortcut_sheet.isVisible():  # open: follows the actions itself
            self.shortcut_sheet.rebuild()  # the keys in force now (its own rebuild waits for the next turn)
            self.shortcut_sheet.raise_()  # brought forward, the search typed into it kept
            self.shortcut_sheet.activateWindow()
            return self.shortcut_sheet
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
        # saves held by a disk that does not answer, the images' and the open video's: asked once
        if not settle_before_close(self.annotation.controller, self, self.video.annotations,
                                   self.video.editor.leave_to_its_saves, self.video.editor.left_videos):
            event.ignore()
            return
        # edits, or a video's keyframe and edited marks, not saved: Retry / Discard / Cancel
        if not self.annotation.controller.confirm_close(self):
            event.ignore()
            return
        if not self.video.confirm_close():  # the images' Discard, if answered, is void: the window stays
            self.annotation.controller.open_documents.close_cancelled()
            event.ignore()
            return
        self.services.settings.setValue(_GEOMETRY_KEY, self.saveGeometry())  # as shown, before it hides
        self.hide()  # the waits below (an image, or a tile, being predicted) are not left frozen on screen
        self.analysis.shutdown()  # the inference thread: only once the close is not cancelled
        self.opener.shutdown()  # an open under way is dropped; its worker closes what it opened
        self.loader.shutdown()
        self.annotation.close()  # finish strokes, release project locks
        self.video.shutdown()
        self.training.shutdown()  # a running fine-tune saves its state and stops
        # the docks' state once video mode has given the image layout back (the hidden window keeps
        # each dock's own shown/hidden flag, which is what saveState records)
        self.services.settings.setValue(_STATE_KEY, self.saveState())
        super().closeEvent(event)
