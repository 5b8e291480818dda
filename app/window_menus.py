"""The main window's own actions and menus: File (with Open Recent), View, Go and Help, built once by
the main window (:mod:`app.main_window`); the modes and controllers add theirs (Annotate, Analysis, the
video's entries) after. The actions are the window's attributes (``window.action_open``...), the menus too
(``window.file_menu``, ``window.recent_menu``), as the parts built later and the tests name them.

The functions work on the window through :class:`MenuWindow` (what they read of it and the attributes
they give it); they know nothing of the main window, which imports them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMenu, QMenuBar

from app.canvas import ZOOM_STEP, Canvas
from app.help_menu import HelpMenu
from app.icons import icon
from app.key_pan import PAN_ICONS, PAN_KEYS, pan_slot
from app.open_words import shown_path
from app.recent import RecentPaths
from app.recent_states import RecentStates
from app.services import Services
from app.theme_choice import ThemeChoice
from app.window_actions import window_action
from fosp_core.io.image_files import is_named_image_file
from fosp_core.session import ImageSession
from fosp_core.video.extensions import is_video_file

__all__ = ["MenuWindow", "create_actions", "create_menus", "fill_recent_menu"]


class MenuWindow(Protocol):
    """What the functions use of the window (a QMainWindow underneath: the actions' and menus' Qt parent),
    and the attributes they give it."""

    canvas: Canvas
    session: ImageSession
    services: Services
    recent: RecentPaths
    image_dock: QDockWidget
    # given by create_actions
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
    # given by create_menus
    file_menu: QMenu
    recent_menu: QMenu
    theme_choice: ThemeChoice
    help: HelpMenu

    def menuBar(self) -> QMenuBar: ...  # noqa: N802 (Qt's name)
    def close(self) -> bool: ...
    def open_files_dialog(self) -> None: ...
    def open_folder_dialog(self) -> None: ...
    def open_paths(self, paths: Sequence[str | Path], remember: bool = True, *,
                   background: bool | None = None) -> list[Path]: ...
    def rebuild_recent_menu(self) -> None: ...
    def go_to_image_dialog(self) -> None: ...
    def focus_filter(self) -> None: ...
    def show_shortcuts(self) -> object: ...


def create_actions(window: MenuWindow) -> None:
    """The window's actions with their keys (window-wide: they work with the menu bar hidden)."""
    w, canvas = window, window.canvas

    def action(text: str, icon_name: str | None, shortcuts: Sequence[str], slot: Callable[[], object],
               tip: str = "") -> QAction:
        return window_action(w, text, icon_name, shortcuts, slot, tip)

    w.action_open = action("&Open…", "fa6s.file-image", ["Ctrl+O"], w.open_files_dialog, "Open images or videos")
    w.action_open_folder = action("Open &Folder…", "fa6s.folder-open", ["Ctrl+Shift+O"], w.open_folder_dialog,
                                  "Open a folder or SmokeSeg dataset")
    w.action_quit = action("&Quit", "fa6s.right-from-bracket", ["Ctrl+Q"], w.close)
    w.action_fit = action("&Fit to Window", "fa6s.expand", ["F"], canvas.fit)
    w.action_actual = action("&Actual Size (1:1)", "fa6s.1", ["1"], canvas.actual_size)
    w.action_zoom_in = action("Zoom &In", "fa6s.magnifying-glass-plus", ["+", "=", "Ctrl++"],
                              lambda: canvas.zoom_by(ZOOM_STEP))
    w.action_zoom_out = action("Zoom &Out", "fa6s.magnifying-glass-minus", ["-", "Ctrl+-"],
                               lambda: canvas.zoom_by(1.0 / ZOOM_STEP))
    w.pan_actions = [action(text, PAN_ICONS[dx, dy], [key], pan_slot(canvas, dx, dy)) for text, key, dx, dy in PAN_KEYS]
    w.action_next = action("&Next Image", "fa6s.chevron-right", ["PgDown", "Right", "Down"], w.session.next)
    w.action_previous = action("&Previous Image", "fa6s.chevron-left", ["PgUp", "Left", "Up"], w.session.previous)
    w.action_goto = action("&Go to Image…", "fa6s.list-ol", ["Ctrl+G"], w.go_to_image_dialog,
                           "Go to an image by its number in the list")
    w.action_filter = action("&Filter by Name…", "fa6s.filter", ["Ctrl+F"], w.focus_filter,
                             "List only the images whose name matches")
    w.action_shortcuts = action("&Keyboard Shortcuts…", "fa6s.keyboard", ["F1", "Ctrl+/"], w.show_shortcuts,
                                "Every shortcut of the window, searchable")


def create_menus(window: MenuWindow) -> None:
    """File, View, Go and Help, from the actions :func:`create_actions` made."""
    w = window
    bar = w.menuBar()
    file_menu = w.file_menu = bar.addMenu("&File")
    file_menu.addAction(w.action_open)
    file_menu.addAction(w.action_open_folder)
    w.recent_menu = QMenu("Open &Recent", w)
    w.recent_menu.setIcon(icon("fa6s.clock-rotate-left"))
    w.recent_menu.aboutToShow.connect(w.rebuild_recent_menu)
    file_menu.addMenu(w.recent_menu)
    file_menu.addSeparator()
    file_menu.addAction(w.action_quit)
    view_menu = bar.addMenu("&View")
    for action in (w.action_fit, w.action_actual, w.action_zoom_in, w.action_zoom_out):
        view_menu.addAction(action)
    view_menu.addSeparator()
    view_menu.addActions(w.pan_actions)  # Ctrl+Shift+arrows (app.key_pan)
    view_menu.addSeparator()
    view_menu.addAction(w.image_dock.toggleViewAction())
    view_menu.addSeparator()
    w.theme_choice = ThemeChoice(w, view_menu, w.services.settings)  # View ▸ Theme
    go_menu = bar.addMenu("&Go")
    go_menu.addAction(w.action_previous)
    go_menu.addAction(w.action_next)
    go_menu.addAction(w.action_goto)
    go_menu.addSeparator()
    go_menu.addAction(w.action_filter)
    w.help = HelpMenu(w, bar.addMenu("&Help"), w.action_shortcuts)  # Getting Started, Model Card
    fill_recent_menu(w)


def fill_recent_menu(window: MenuWindow) -> None:
    """File ▸ Open Recent from the stored recent paths: a name another entry shares says its folder too
    ('demo — ~/site-a'), an '&' in a name is kept (not an Alt key), a path gone is greyed.

    Built at once from what is known of each path: the paths are checked again on workers
    (:class:`app.recent_states.RecentStates`; a stat on a share that no longer answers held the GUI thread),
    and an entry is put right when its answer comes, the menu open or not. A path not answered yet is
    shown as it was last found, or, never found yet, as a file or folder by its name, enabled, its tip
    saying "checking…" (chosen, it is opened, and the open says so if it is not there)."""
    menu = window.recent_menu
    menu.clear()
    paths = window.recent.paths()
    states = _recent_states(window)
    states.refresh(paths)
    names = [path.name for path in paths]
    for path in paths:
        text = path.name if names.count(path.name) == 1 else f"{path.name} — {shown_path(path.parent)}"
        action = menu.addAction(text.replace("&", "&&"))  # two "demo" folders: which is which
        action.setData(str(path))
        _show_state(action, path, states)
        action.triggered.connect(lambda _checked=False, p=path: window.open_paths([p]))
    if paths:
        menu.addSeparator()
        menu.addAction("Clear Recent", window.recent.clear)
    else:
        menu.addAction("No recent files").setEnabled(False)


def _recent_states(window: MenuWindow) -> RecentStates:
    """The recent paths' checker, a child of the Open Recent menu (made with it: gone with it), told of
    each path added and putting the menu's entry of each path answered right."""
    menu = window.recent_menu
    states = menu.findChild(RecentStates)
    if states is None:
        states = RecentStates(menu)
        states.changed.connect(lambda text: _answered(menu, states, text))
        window.recent.listen(states.refresh)
    return states


def _answered(menu: QMenu, states: RecentStates, text: str) -> None:
    for action in menu.actions():
        if action.data() == text:
            _show_state(action, Path(text), states)


def _show_state(action: QAction, path: Path, states: RecentStates) -> None:
    """`action`'s icon, tips and whether it is enabled from what is known of `path`."""
    state = states.state(path)
    is_dir = state.is_dir if state is not None else not (is_named_image_file(path) or is_video_file(path))
    action.setIcon(icon("fa6s.folder" if is_dir else "fa6s.image"))
    tip = f"{path} (checking…)" if state is None else str(path) if state.exists else f"{path} (not found)"
    action.setToolTip(tip)
    action.setStatusTip(tip)
    action.setEnabled(state is None or state.exists)
