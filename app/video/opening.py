"""Opening a video in the video view: now (:meth:`VideoOpening.open`, scripts) or on the opener's thread
(:meth:`VideoOpening.open_async`, the window's opens: the video panel and the status bar say what opens,
Cancel and Esc drop it, the latest open wins), and a file that cannot be opened reported to the user.

:class:`VideoOpening` is a part of :class:`~app.video.mode.VideoMode` (a mixin, as
:class:`~app.video.navigation.FrameNavigation`): what a video shows once opened is VideoMode's
``_show_opened``; a long file's frame 0 is shown while its packets are indexed (:mod:`app.video.preview`,
window opens only). Both opens wait for the reader's frame index before the video is shown
(:func:`~fosp_core.video.reader.wait_for_index`), never in a read the frame decoder makes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from app.video.open_worker import OpenedVideo, prepare_video
from fosp_core.home_folder import expanded, no_home_text
from fosp_core.session import OpenError
from fosp_core.video.numbering_check import check_reader
from fosp_core.video.reader import VideoOpenError, wait_for_index
from fosp_core.video.timeline import VideoAnnotationError

if TYPE_CHECKING:
    from app.esc_cancel import EscCancel
    from app.host import AppWindow
    from app.video.open_worker import VideoOpener
    from app.video.panel import VideoPanel
    from app.video.preview import Frame0Preview
    from app.video.resume import LastFrames
    from fosp_core.annotation.storage import LockInfo
    from fosp_core.video.reader import FrameReader

__all__ = ["VideoOpening"]


class VideoOpening:
    """Opening a video (see module doc); VideoMode sets these attributes."""

    window: AppWindow
    opener: VideoOpener
    esc: EscCancel
    panel: VideoPanel
    preview: Frame0Preview
    reader: FrameReader | None
    #: Where video annotations are kept (None: ``.fosp/`` next to the video).
    state_root: Path | None
    last_frames: LastFrames
    #: The open under way on the opener: (request id, path, what to do once the video is shown).
    _opening: tuple[int, Path, Callable[[], object] | None] | None
    #: The video shown, resolved where it was opened (`OpenedVideo.resolved`: the recent list takes it); None: none
    opened_resolved: Path | None = None

    if TYPE_CHECKING:  # VideoMode's
        def _show_opened(self, opened: OpenedVideo) -> None: ...

    @property
    def opening(self) -> Path | None:
        """The video being opened on the opener (its file probed), None when none is."""
        return self._opening[1] if self._opening is not None else None

    def open(self, path: str | Path) -> bool:
        """Open a video file or image-sequence folder now (the GUI thread waits: scripts, screenshots)
        and switch the window to video mode. A file that cannot be opened is reported (the window stays
        as it was); returns success. A lock of another computer is not asked about (read-only, Take Over…
        offered). The window's own opens use :meth:`open_async`."""
        path = expanded(path)
        if (no_home := no_home_text(path)) and not path.exists():  # "~nosuchuser/a.mp4": kept as typed
            self._report_open_error(path, no_home)
            return False
        self.cancel_open()
        try:
            # taking_over: no Take Over question (a script or a screenshot waits here: no one would answer it)
            opened = prepare_video(path, self.state_root, self.opener.owner, taking_over=True)
            wait_for_index(opened.reader)  # here, not in a read the frame decoder makes (open_worker doc)
        except (VideoOpenError, VideoAnnotationError) as exc:
            self._report_open_error(path, exc.reason)
            return False
        self._resolved_as(opened)
        self._show_opened(opened)
        self._tell_numbering(opened)
        return True

    def open_async(self, path: str | Path, then: Callable[[], object] | None = None,
                   break_lock: bool | LockInfo = False, taking_over: bool = False) -> None:
        """Open a video file or image-sequence folder on the opener's thread; the window stays as it is
        and responsive meanwhile (the video panel and the status bar say what opens; opening anything
        else, Cancel or Esc drops it; the same file again leaves its open be; the video already open behind it
        only cancels it: shown again as it was, not opened again; both told in memory, nothing resolved here: the same
        path as given, or the shown video's as resolved where it opened, while a link to either, named otherwise,
        opens as any other file). Once done the window switches to video
        mode and calls `then()`; a file that cannot be opened is reported as by :meth:`open`. Its annotation
        folder is locked for this window (`VideoOpener.owner`); `break_lock`, `taking_over`: Take Over's
        (`app.video.lock_view`: the video shown opened again, whatever else is opening)."""
        path = expanded(path)
        if (no_home := no_home_text(path)) and not path.exists():  # "~nosuchuser/a.mp4": kept as typed
            self._report_open_error(path, no_home)
            return
        opening = None if taking_over else self._opening  # Take Over's reopening is never one of these two
        asked = path.absolute()  # told apart in memory, not resolved here (a share that stopped answering holds it)
        if opening is not None and opening[1].absolute() == asked:  # File > Open Recent, again
            self._opening = (opening[0], opening[1], then)  # its scan goes on (not again from packet 0)
            self.window.statusBar().showMessage(f"Already opening {path.name}…", 4000)
            return
        if opening is not None and self.reader is not None and asked in self._shown_as():
            self.cancel_open()  # the video open behind it (a preview's, or the window's): shown again as it was
            self.window.statusBar().showMessage(f"{path.name} is open; opening {opening[1].name} cancelled", 4000)
            if then is not None:
                then()
            return
        self.cancel_open()
        request = self.opener.open(path, partial(prepare_video, state_root=self.state_root, owner=self.opener.owner,
                                                 break_lock=break_lock, taking_over=taking_over,
                                                 remembered=self.last_frames.videos()))
        if request:
            self._opening = (request, path, then)
            self.panel.set_opening(path.name)
            self.window.statusBar().showMessage(f"Opening video {path.name}…")
            self.esc.start()

    def _shown_as(self) -> tuple[Path, ...]:
        """The video shown as it was asked for (absolute, not resolved) and as resolved on its open's thread."""
        assert self.reader is not None
        return (self.reader.meta.path.absolute(), *((self.opened_resolved,) if self.opened_resolved else ()))

    def cancel_open(self, say: bool = False) -> None:
        """Drop the open under way (its thread closes what it opened); `say`: tell the status bar."""
        if self._opening is None:
            return
        path = self._opening[1]
        self._opening = None
        self.opener.cancel()
        self.panel.set_opening(None)
        self.esc.stop()
        self.preview.cancel()  # frame 0 of it shown: what was open before comes back
        self.window.statusBar().showMessage(f"Opening {path.name} cancelled" if say else "", 4000)

    def _take(self, request_id: int) -> tuple[int, Path, Callable[[], object] | None] | None:
        """The open under way, now over, if `request_id` is it (else None: a request dropped)."""
        opening = self._opening
        if opening is None or opening[0] != request_id:
            return None
        self._opening = None
        self.panel.set_opening(None)
        self.esc.stop()
        return opening

    def _on_open_done(self, request_id: int, opened: OpenedVideo) -> None:
        opening = self._take(request_id)
        if opening is None:  # dropped after its thread's last look: closed off this thread (it joins the scan)
            opened.annotations.release_lock()  # its folder's lock (fosp_core.video.folder_lock)
            self.opener.close_later(opened.reader.close)
            return
        self._resolved_as(opened)
        self._show_opened(opened)
        self._tell_numbering(opened)
        if opening[2] is not None:
            opening[2]()

    def _resolved_as(self, opened: OpenedVideo) -> None:
        """The video about to be shown is `opened.resolved` (resolved on the opening thread): its last frame and
        the recent list take it, not looking at the disk again here."""
        self.opened_resolved = opened.resolved
        self.last_frames.resolved_as(opened.path, opened.resolved)

    def _tell_numbering(self, opened: OpenedVideo) -> None:
        """Say which saved masks may lie on another picture or past the file's readable end (the panel, the
        status bar, a non-modal notice); nothing is deleted or moved. In memory only: a few ms. And where the
        video's labels are kept when its folder is read-only (the panel, the status bar)."""
        lines = check_reader(opened.annotations, opened.reader).lines()
        self.panel.set_numbering_notice(opened.path.name, lines)
        kept = opened.kept_where  # looked at on the opening thread
        self.panel.set_kept_where(kept)
        bar = self.window.statusBar()
        # after the masks to check, or after the "Opened video ..." line (its resume frame, its remarks)
        said = [f"{opened.path.name}: " + "; ".join(lines)] if lines else [bar.currentMessage() or opened.path.name]
        if kept is not None:
            said.append(f"{kept[:1].lower()}{kept[1:]}")
        if lines or kept is not None:
            bar.showMessage(" · ".join(said), 0 if lines else 15000)

    def _on_probed(self, request_id: int, path: Path, frame: object) -> None:
        """The open under way is a long file, probed, its packets still being indexed: show its frame 0."""
        if self._opening is not None and self._opening[0] == request_id:
            self.preview.enter(path, frame)  # type: ignore[arg-type] - RGB uint8 (open_worker)

    def _on_open_failed(self, request_id: int, path: Path, reason: str) -> None:
        if self._take(request_id) is not None:
            self.preview.cancel()
            self._report_open_error(path, reason)

    def _report_open_error(self, path: Path, reason: str) -> None:
        self.window.services.error_reporter.report(self.window, [OpenError(path, reason)])
        self.window.statusBar().showMessage(f"Could not open {path.name}: {reason}", 8000)
