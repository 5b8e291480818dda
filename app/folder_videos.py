"""The videos of the folder last opened, as links in the status bar: a folder of images and clips opens its
images, and each of its videos is one click away (a video opens alone, in video mode). The links stay
while that folder's images or one of its videos are shown, and go when another folder or images open."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from app.open_words import HOW_TO_OPEN_A_VIDEO

__all__ = ["FolderVideos"]


class FolderVideos(QLabel):
    """"Videos here: a.mp4 · b.mp4 · c.mp4 +2": the first :attr:`SHOWN` videos of the folder opened as
    links, the rest named in the tooltip; hidden when there are none.

    Signals: open_video(Path) when a link is clicked."""

    SHOWN = 3
    open_video = Signal(object)  # Path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.setContentsMargins(6, 0, 6, 0)
        self.videos: list[Path] = []
        self.linkActivated.connect(self._on_link)
        self.hide()

    def set_videos(self, videos: Sequence[Path]) -> None:
        """Show links to `videos` (those of the folder just opened); none: hide."""
        self.videos = list(videos)
        if not self.videos:
            self.clear()
            self.setToolTip("")
            self.hide()
            return
        links = " · ".join(f'<a href="{i}">{html.escape(v.name)}</a>' for i, v in enumerate(self.videos[:self.SHOWN]))
        more = f" +{len(self.videos) - self.SHOWN:,}" if len(self.videos) > self.SHOWN else ""
        label = "Video here" if len(self.videos) == 1 else "Videos here"
        self.setText(f"{label}: {links}{more}")
        listed = "\n".join(v.name for v in self.videos[:30]) + ("\n…" if len(self.videos) > 30 else "")
        self.setToolTip(f"Videos in {self.videos[0].parent}: click one to open it "
                        f"(or {HOW_TO_OPEN_A_VIDEO})\n{listed}")
        self.show()

    def _on_link(self, href: str) -> None:
        index = int(href)
        if 0 <= index < len(self.videos):
            self.open_video.emit(self.videos[index])
