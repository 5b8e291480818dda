"""The Timeline dock during a frame-0 preview (:mod:`app.video.preview`): the new video's timeline, limited
to frame 0 (the only frame whose number is certain before its packets are indexed) and saying how far the
index got, in place of the timeline of the video open before (kept as it was, behind, and shown again on
Cancel) or of nothing (from images, the dock shown meanwhile). Disabled: its buttons, keys and plot would
act on the video behind. The index in, the video's own timeline shows its full readable count."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget

from app.video.timeline_widget import TimelineWidget

__all__ = ["IndexingTimeline", "indexing_words"]


def indexing_words(done: int, total: int) -> str:
    """'indexing…', with how far: the share of the header's frame count (at most 99 % until it is in), or
    the packets read when the header counts none."""
    if total > 0:
        return f"indexing… {min(99, done * 100 // total)}%"
    return f"indexing… {done:,} packets".replace(",", "\u202f") if done > 0 else "indexing…"


class IndexingTimeline(TimelineWidget):
    """A one-frame timeline that says the video is being indexed (module doc)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("video_indexing_timeline")
        self.slider.setAccessibleName("Video position (frame 0 while indexing)")

    def start(self) -> None:
        """Frame 0 of a video just probed: nothing indexed yet."""
        self.set_video(1, self.fps)
        self.setEnabled(False)
        self.set_progress(0, 0)

    def set_progress(self, done: int, total: int) -> None:
        """`done` packets of the header's `total` frames indexed."""
        words = indexing_words(done, total)
        self.frame_label.setText(f"frame 0 / {words}")
        self.time_label.setText(f"0:00.000 / {words}")


def show_indexing(stack: QStackedWidget) -> IndexingTimeline:
    """Show the `stack`'s IndexingTimeline (made on first use: a pyqtgraph plot is not free), started."""
    found = [w for w in (stack.widget(i) for i in range(stack.count())) if isinstance(w, IndexingTimeline)]
    timeline = found[0] if found else IndexingTimeline()
    if not found:
        stack.addWidget(timeline)
    timeline.start()
    stack.setCurrentWidget(timeline)
    return timeline
