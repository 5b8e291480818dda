"""Exporting chosen frames of the open video to a SmokeSeg dataset: the dialog, the work on a
thread (with its own reader, never the display's) and the report to the user. Closing the window
while an export runs asks first, as the image Export does (`app.annotation.export_close`: No keeps both going);
once the close goes on, the export stops after the frame being written and is waited for
(:meth:`VideoExporter.shutdown`; it let the export go on up to a minute, asking nothing, then stopped it), the
destination left as it was (the writer moves the dataset into place only once it is complete). The report says
the dead exports' unfinished copies the writer removed beside the destination, in the image export's words
(`cleaned_words`), in a message box too (the status bar's line passes). The export's reader is read only once
its frame index is in (a long file's packet scan: a read before it fails as 'still being indexed'); the
window's close stops that wait too."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox

from app.annotation.export_close import ExportCloseGuard
from app.annotation.export_dialog import cleaned_words
from app.annotation.free_folder import free_destination
from app.quiet_notice import tell_quietly
from app.relay import ValueRelay
from app.video.export_dialog import VideoExportDialog
from fosp_core.video.export import VideoExportReport, choose_frames, destination_problem, export_frames
from fosp_core.video.reader import open_video, wait_for_index
from fosp_core.video.splits import DEFAULT_GAP_S, DEFAULT_VIDEO_RATIOS, VideoSplits
from fosp_core.video.timeline import VideoAnnotations

__all__ = ["VideoExporter", "default_destination", "describe", "plain_destination", "skipped_text"]

STOP_WAIT_S = 10.0  # a stopped export ends after its current frame; never hold the closing window longer
SHOW_REPORT_MS = 8000
SHOW_NOTE_MS = 20000  # no val split although one was asked for: long enough to be read


def plain_destination(notes: VideoAnnotations) -> Path:
    """``<stem>-smokeseg`` beside the video (of the file, or of an image sequence's folder); reads nothing."""
    return notes.video.parent / f"{notes.stem}-smokeseg"


def default_destination(notes: VideoAnnotations) -> Path:
    """The free folder of :func:`plain_destination` (``-2``, ``-3``, … when taken), in the home folder when
    nobody may write beside the video (a shared read-only data folder, which root could write into all the
    same): `app.annotation.free_folder.free_destination`. Reads the disk: the dialog has it probed off the GUI
    thread (`VideoExportDialog`'s ``suggest_free``)."""
    return free_destination(plain_destination(notes))


def describe(report: VideoExportReport) -> str:
    """The outcome in one line: frames per split, the gap, the frames skipped, why a split asked
    for was not made and the dead exports' copies removed beside it."""
    parts = ", ".join(f"{name} {len(frames)}" for name, frames in report.splits.items())
    text = f"Exported {len(report.frames)} frame(s) to {report.dst} ({parts})"
    if report.gap:
        text += f"; {len(report.gap)} left out as the gap between the splits"
    if report.skipped:
        text += f"; {len(report.skipped)} skipped ({skipped_text(report.skipped)})"
    if report.notes:
        where = "all in train: " if list(report.splits) == ["train"] else ""
        text += f" \u2014 {where}{'; '.join(report.notes)}"
    if report.cleaned:  # the app sets up no logging: the writer's warning reaches nobody
        text += f"; {cleaned_words(report)}"
    return text


def skipped_text(skipped: list[tuple[int, str]], shown: int = 5) -> str:
    """The skipped frames by reason, the first `shown` of each named: 'frame 60: no mask', 'no mask:
    frames 0, 10, 20, 30, 40 and 5 more; cut short: frame 7'."""
    if len(skipped) == 1:
        return f"frame {skipped[0][0]}: {skipped[0][1]}"
    by_reason: dict[str, list[int]] = {}
    for frame, reason in skipped:
        by_reason.setdefault(reason, []).append(frame)
    parts = []
    for reason, frames in by_reason.items():
        named = ", ".join(str(f) for f in frames[:shown])
        more = f" and {len(frames) - shown} more" if len(frames) > shown else ""
        parts.append(f"{reason}: frame{'s' if len(frames) > 1 else ''} {named}{more}")
    return "; ".join(parts)


class _Stopped(Exception):
    """The window closes and the export could not finish in time (raised between frames)."""


class _ExportJob:
    """One export on its thread: `run` opens its own reader, waits for its frame index, exports, and tells
    the outcome (a report, or the error's words) on `relay`; `stop` set: it ends between frames, telling
    nothing (the window is closing). Holds no object of the window (`app.relay`)."""

    def __init__(self, relay: ValueRelay, stop: threading.Event, indexing: threading.Event, video: Path,
                 notes: VideoAnnotations, frames: list[int], dst: Path, options: dict[str, Any]) -> None:
        self.relay, self.stop, self.indexing = relay, stop, indexing
        self.over = threading.Event()  # the outcome told (or stopped): nothing more is written
        self.video, self.notes, self.frames, self.dst, self.options = video, notes, frames, dst, options

    def _check(self, _done: int, _total: int | None) -> None:
        if self.stop.is_set():
            raise _Stopped

    def run(self) -> None:
        """The export, on its thread."""
        try:
            reader = open_video(self.video, cache_bytes=0, decoders=1)  # frames in order
            try:
                self.indexing.set()
                try:
                    if not wait_for_index(reader, lambda: not self.stop.is_set()):
                        raise _Stopped
                finally:
                    self.indexing.clear()
                self._tell(export_frames(reader, self.notes, self.frames, self.dst, progress=self._check,
                                         **self.options))
            finally:
                reader.close()
        except _Stopped:
            return  # the writer removed its partial folder; the window is closing
        except Exception as exc:  # noqa: BLE001 - reported to the user
            self._tell(getattr(exc, "reason", None) or str(exc))
        finally:
            self.over.set()

    def _tell(self, outcome: VideoExportReport | str) -> None:
        self.over.set()  # before the window hears of it: a close then asks nothing
        self.relay.done.emit(outcome)


class VideoExporter(QObject):
    """Export frames of a video (see module doc). Signal: finished(report or error message)."""

    finished = Signal(object)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._threads: list[threading.Thread] = []
        self._jobs: list[_ExportJob] = []  # those not over yet, as last looked at
        self._stop = threading.Event()
        self._indexing = threading.Event()  # set while an export waits for its reader's frame index
        #: what the export's thread emits its outcome on, held by it too: never this object, which the window's
        #: close deletes while a thread `shutdown` no longer waits for may still emit (`app.relay`)
        self._relay = ValueRelay()
        self._relay.done.connect(self.finished, Qt.ConnectionType.QueuedConnection)
        self.finished.connect(self._on_finished)
        self.close_guard = ExportCloseGuard(self, window)  # the window's close asks while `exporting`

    @property
    def exporting(self) -> bool:
        """An export runs (its thread alive) and has not been told to stop."""
        return not self._stop.is_set() and any(not job.over.is_set() for job in self._jobs)

    @property
    def waiting_for_index(self) -> bool:
        """An export is waiting for its reader's frame index (a long video's packet scan)."""
        return self._indexing.is_set()

    def dialog(self, notes: VideoAnnotations, video: Path) -> None:
        """Ask which frames, where, how split and at what size, then export them."""
        counts = {"keyframes": len(notes.keyframes), "edited": len(notes.edited)}
        dialog = VideoExportDialog(plain_destination(notes), counts, self.window,  # default_destination, probed
                                   check=lambda dst: destination_problem(notes, dst), suggest_free=True)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            c = dialog.choice()
            self.export(notes, video, choose_frames(notes, c.kind, c.every), c.dst, c.resize_to, c.overwrite,
                        splits=c.splits, gap_s=c.gap_s)

    def export(self, notes: VideoAnnotations, video: Path, frames: list[int], dst: Path,
               resize_to: int | None = None, overwrite: bool = False, *,
               splits: VideoSplits = DEFAULT_VIDEO_RATIOS, gap_s: float = DEFAULT_GAP_S) -> None:
        """Export `frames` of `video` (masks from `notes`) to `dst` on a thread (replacing what is there
        only with `overwrite`), split by time with `splits` ratios and `gap_s` seconds between the
        splits (None: everything in train); `finished` tells the outcome."""
        self.window.statusBar().showMessage(f"Exporting {len(frames)} frame(s)…")
        job = _ExportJob(self._relay, self._stop, self._indexing, video, notes, frames, dst,
                         {"splits": splits, "gap_s": gap_s, "resize_to": resize_to, "overwrite": overwrite})
        thread = threading.Thread(target=job.run, name="video-export", daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        self._jobs = [j for j in self._jobs if not j.over.is_set()] + [job]
        thread.start()

    def shutdown(self, timeout_s: float = 0.0) -> None:
        """The window closes (asked first while an export runs: module doc): exports in flight may finish within
        `timeout_s` in all (none by default: the user agreed to stop them); one still running then stops after its
        current frame, is waited for (`STOP_WAIT_S` at most) and leaves no partial dataset behind."""
        deadline = time.monotonic() + timeout_s
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._stop.set()
        for thread in self._threads:
            thread.join(STOP_WAIT_S)
        self._threads = []

    def _on_finished(self, result: VideoExportReport | str) -> None:
        if isinstance(result, str):
            tell_quietly(self.window, "Export failed", result)  # the export's thread ended: the keys stay the video's
            return
        long_enough = SHOW_NOTE_MS if result.notes or result.cleaned else SHOW_REPORT_MS
        self.window.statusBar().showMessage(describe(result), long_enough)
        if result.cleaned:  # a dead export's copy removed: said where the user looks until read, as images' dialog does
            tell_quietly(self.window, "Export Video Frames to SmokeSeg - done", describe(result),
                         QMessageBox.Icon.Information)
