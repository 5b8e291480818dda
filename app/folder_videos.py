"""The videos of the folder last opened, as links in the status bar and as a menu: a folder of images and
clips opens its images, and each of its videos is one click (or a few keys) away (a video opens alone, in
video mode). The links stay while that folder's images or one of its videos are shown, and go when
another folder or images open.

Keyboard: the links take the focus (Tab reaches them, Tab moves from one to the next, Enter opens the one
focused), and every video of the folder, not only the :attr:`FolderVideos.SHOWN` linked, is an entry of
:attr:`FolderVideos.menu` ("Open Video from This Folder", which the window puts in its File menu: Alt+F,
V); the "+2 more…" link pops that menu up where the links are. A video opened from the links (or from the
menu they pop up) gives the keys to the canvas (the window's central widget), as one opened from the File
menu: they stayed on the links, where Enter opened it again and the frame keys did nothing."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QWidget

from app.icons import icon
from app.open_words import FOLDER_VIDEOS_MENU, HOW_TO_OPEN_A_VIDEO

__all__ = ["LINK_CHARS", "LINK_LEAST", "MENU_TITLE", "MORE_HREF", "FolderVideos", "short_name", "short_names"]

#: The menu's title, as the File menu shows it ("&V": Alt+F, V opens it).
MENU_TITLE = FOLDER_VIDEOS_MENU.replace("Video", "&Video", 1)
#: The href of the "+2 more…" link, which pops up the menu of all the videos.
MORE_HREF = "more"
#: The most characters the links' names show together: one long camera name made the links 948 px wide
#: at 1366 px, and the message beside them was cut to "Opened 4 images ·" (the menu and the tooltip name
#: each video in full). The longest names are shortened first, none below LINK_LEAST characters.
LINK_CHARS = 90
LINK_LEAST = 20


def short_name(name: str, limit: int) -> str:
    """`name` in at most `limit` characters: its start, "…" and its end with the extension, or whole."""
    if len(name) <= limit:
        return name
    suffix = Path(name).suffix if len(Path(name).suffix) <= 6 else ""
    room = limit - len(suffix) - 1  # the "…"
    head = (room * 2 + 2) // 3
    tail = name[len(name) - len(suffix) - (room - head):] if room > head else suffix
    return f"{name[:head]}…{tail}"


def short_names(names: Sequence[str], budget: int = LINK_CHARS, least: int = LINK_LEAST) -> list[str]:
    """`names` in at most `budget` characters together: the longest shortened first (:func:`short_name`),
    none below `least`; names that fit are left whole."""
    lengths = [len(n) for n in names]
    cap = max(lengths, default=0)  # the longest a name may be: lowered until they fit (never below `least`)
    while cap > least and sum(min(n, cap) for n in lengths) > budget:
        cap -= 1
    return [short_name(n, cap) for n in names]


class FolderVideos(QLabel):
    """"Videos here: a.mp4 · b.mp4 · c.mp4 · +2 more…": the first :attr:`SHOWN` videos of the folder
    opened as links, "+2 more…" a link to :attr:`menu`, which lists them all; hidden when there are none.

    Signals: open_video(Path) when a link or an entry of the menu is chosen."""

    SHOWN = 3
    open_video = Signal(object)  # Path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                     | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click opens a video, it does not keep the keys
        self.setContentsMargins(6, 0, 6, 0)
        self.videos: list[Path] = []
        #: Every video of the folder, one entry each; disabled while there are none.
        self.menu = QMenu(MENU_TITLE, self)
        self.menu.setIcon(icon("fa6s.film"))  # as the File menu's other entries, an icon
        self.menu.setToolTipsVisible(True)
        self.linkActivated.connect(self._on_link)
        self.set_videos([])

    def set_videos(self, videos: Sequence[Path]) -> None:
        """Show links to `videos` (those of the folder just opened) and list them all in :attr:`menu`;
        none: hide the links and disable the menu."""
        self.videos = list(videos)
        self._fill_menu()
        if not self.videos:
            self.clear()
            self.setToolTip("")
            self.hide()
            return
        shown = short_names([v.name for v in self.videos[:self.SHOWN]])  # full names: the tooltip, the menu
        links = [f'<a href="{i}">{html.escape(name)}</a>' for i, name in enumerate(shown)]
        if len(self.videos) > self.SHOWN:
            links.append(f'<a href="{MORE_HREF}">+{len(self.videos) - self.SHOWN:,} more…</a>')
        label = "Video here" if len(self.videos) == 1 else "Videos here"
        self.setText(f"{label}: {' · '.join(links)}")
        listed = "\n".join(v.name for v in self.videos[:30]) + ("\n…" if len(self.videos) > 30 else "")
        self.setToolTip(f"Videos in {self.videos[0].parent}: click one to open it, or Tab to it and press "
                        f"Enter; all of them are in File ▸ {FOLDER_VIDEOS_MENU} "
                        f"(or {HOW_TO_OPEN_A_VIDEO})\n{listed}")
        self.show()

    def show_menu(self) -> None:
        """Pop up :attr:`menu` (every video) at the links, its first entry highlighted for the arrow keys."""
        if not self.videos:
            return
        first = self.menu.actions()[0]
        self.menu.popup(self.mapToGlobal(QPoint(0, 0)), first)
        self.menu.setActiveAction(first)

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Tabbed into: the first link has the focus (Shift+Tab: the last), so Enter opens it at once (a
        QLabel leaves its links unfocused until a second Tab)."""
        super().focusInEvent(event)
        if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
            super().focusNextPrevChild(event.reason() == Qt.FocusReason.TabFocusReason)

    def _fill_menu(self) -> None:
        self.menu.clear()
        for video in self.videos:
            action = self.menu.addAction(video.name.replace("&", "&&"))
            action.setToolTip(str(video))
            action.setStatusTip(str(video))
            action.triggered.connect(lambda _checked=False, v=video: self._open(v))
        self.menu.menuAction().setEnabled(bool(self.videos))
        self.menu.menuAction().setStatusTip(
            f"Open one of the {len(self.videos):,} videos of the folder opened" if self.videos
            else "The folder opened holds no video")

    def _on_link(self, href: str) -> None:
        if href == MORE_HREF:
            self.show_menu()
            return
        index = int(href)
        if 0 <= index < len(self.videos):
            self._open(self.videos[index])

    def _open(self, video: Path) -> None:
        """Ask for `video`; the keys leave the links for the canvas first (an error told meanwhile gives
        them back there)."""
        window = self.window()
        canvas = window.centralWidget() if isinstance(window, QMainWindow) else None
        if self.hasFocus() and canvas is not None:
            canvas.setFocus(Qt.FocusReason.OtherFocusReason)
        self.open_video.emit(video)
