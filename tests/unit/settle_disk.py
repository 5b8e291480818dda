"""A simulated disk and save thread for the journal-fsync fuzz (`test_journal_settle_fuzz`).

`Disk` wraps ``os.fsync``: it records, per file path, the inode and size each fsync made durable,
and can fail the save thread's journal fsync (EIO). `Disk.crash_copy` copies a project's images
folder as a crash would leave it: ``kill`` (everything written stays: the page cache outlives the
process) or ``power`` (each journal and recovery log cut back to its last fsynced size, one never
fsynced gone; PNGs and ``project.json`` are written by `atomic_write`, fsynced before they are in
place). `Gate` holds every background save job (`fosp_core.annotation.mask_saves._write`) until the
test lets one through (`step`) or all (`opened`), and tells the test which commits a PNG job's log
fsync made durable. Linux only (a file's path is read from ``/proc/self/fd``).

Mask folders: each fsync of a ``masks`` folder records which recovery logs are entries of it; a power
loss brings back a log removed (or replaced by a new one) since, with what its last fsync made durable (a
removal is durable only once its folder is fsynced), and drops a log that no fsync of its folder saw (its
creation is not durable: the log's own fsync makes its bytes durable, not its entry in the folder). Two threads fsyncing one file: the durable size kept
is the larger (the later-ending fsync may have looked at the file before the other's append); two
threads fsyncing one folder: the record kept is that of the fsync which looked at the folder last (the
later-ending one may have looked before the other thread removed a log or replaced ``project.json``).

Files are told apart by (path, inode): the disk keeps every journal and recovery log it saw (fsynced,
or an entry of a folder fsynced) open while it lives, so that a file removed since cannot give its inode
to a new one at the same path (the file system reuses a freed inode at once), which the power model took
for the file fsynced before: a log never fsynced was kept, cut to the old one's size.

Folders: `fail_folder` makes every fsync of that folder (the project's ``.fosp``) fail with EIO (as
`fosp_core.io.atomic.fsync_dir` sees it: the rename or the new entry in place, maybe not durable).
Each fsync of a folder that works records what it made durable there: the bytes ``project.json``
then held and the journal's inode. A power loss leaves ``project.json`` as the last such fsync saw
it (a rewrite renamed into place since, its folder fsync failed, is undone) and drops a journal
whose creation no folder fsync made durable.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fosp_core.annotation import mask_saves
from fosp_core.annotation.project_files import JOURNAL_FILE, PROJECT_FILE
from fosp_core.annotation.recovery import RECOVERY_SUFFIX
from fosp_core.annotation.save_worker import MaskSaver, SaveJob

__all__ = ["Disk", "Gate"]

_REAL_FSYNC = os.fsync


class Disk:
    """What fsync made durable (see module doc); `fail_journal`: the save thread's next journal
    fsyncs fail with EIO (counted in `failed`)."""

    def __init__(self) -> None:
        self.durable: dict[str, tuple[int, int]] = {}  # path -> (inode, size) at its last fsync
        self.fail_journal = False
        self.failed = 0
        self.fail_folder: Path | None = None
        self.folder_failed = 0
        self.folders: dict[str, tuple[bytes | None, int | None]] = {}  # folder -> (project.json, journal inode)
        self.mask_logs: dict[str, dict[str, int]] = {}  # masks folder -> its logs' inodes at its last fsync
        self.log_bytes: dict[tuple[str, int], bytes] = {}  # (log path, inode) -> what its last fsync made durable
        self.log_entries: set[tuple[str, int]] = set()  # (log path, inode) an fsync of its folder saw: its creation durable
        self._lock = threading.Lock()
        self._looks = 0  # folder looks so far (each folder fsync's, in the order they looked)
        self._looked: dict[str, int] = {}  # folder -> the look its kept record came from
        self._held: dict[tuple[int, int], int] = {}  # (device, inode) -> a descriptor kept open: never reused
        weakref.finalize(self, _close_all, self._held)

    def _hold(self, fd: int | None = None, path: Path | None = None) -> int | None:
        """The inode of `fd` (or of the file at `path`, opened), kept open from now on (see module doc);
        None when `path` is gone."""
        try:
            own = os.dup(fd) if fd is not None else os.open(path, os.O_RDONLY)  # type: ignore[arg-type]
        except OSError:
            return None
        info = os.fstat(own)
        with self._lock:
            if (info.st_dev, info.st_ino) not in self._held:
                self._held[(info.st_dev, info.st_ino)] = own
                return info.st_ino
        os.close(own)
        return info.st_ino

    def fsync(self, fd: int) -> None:
        """``os.fsync`` as this disk does it."""
        try:
            path = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            path = ""
        info = os.fstat(fd)
        if (self.fail_journal and path.endswith(JOURNAL_FILE)
                and threading.current_thread().name == "fosp-mask-saves"):
            self.failed += 1
            raise OSError(errno.EIO, "Input/output error")
        if stat.S_ISDIR(info.st_mode):
            self._fsync_folder(fd, path)
            return
        _REAL_FSYNC(fd)
        if path.endswith((JOURNAL_FILE, RECOVERY_SUFFIX)) and stat.S_ISREG(info.st_mode):
            self._hold(fd)
        if path and stat.S_ISREG(info.st_mode):
            data = Path(path).read_bytes()[:info.st_size] if path.endswith(RECOVERY_SUFFIX) else b""
            with self._lock:  # two threads' fsyncs of one file: the later-ending one may have seen it shorter
                known = self.durable.get(path)
                if (known is None or known[0] != info.st_ino or info.st_size >= known[1]
                        or os.fstat(fd).st_size < known[1]):  # (shorter now: cut back, as a take-back does)
                    self.durable[path] = (info.st_ino, info.st_size)
                    if path.endswith(RECOVERY_SUFFIX):
                        self.log_bytes[(path, info.st_ino)] = data

    def _fsync_folder(self, fd: int, path: str) -> None:
        if self.fail_folder is not None and path == str(self.fail_folder):
            self.folder_failed += 1
            raise OSError(errno.EIO, "Input/output error")
        folder = Path(path)  # read first: what was in place before the fsync is durable after it
        with self._lock:  # two threads' fsyncs of one folder: the record of the one that looked last is kept
            self._looks += 1
            look = self._looks
        if folder.name == "masks":  # which logs are entries of it now (a removal undone by a power loss)
            logs = {p.name: inode for p in folder.glob(f"*{RECOVERY_SUFFIX}") if (inode := self._hold(path=p)) is not None}
            _REAL_FSYNC(fd)
            with self._lock:
                self.log_entries.update((str(folder / name), inode) for name, inode in logs.items())
                if self._looked.get(path, 0) < look:
                    self.mask_logs[path], self._looked[path] = logs, look
            return
        try:
            data: bytes | None = (folder / PROJECT_FILE).read_bytes()
        except OSError:
            data = None
        inode = self._hold(path=folder / JOURNAL_FILE)
        _REAL_FSYNC(fd)
        with self._lock:
            if self._looked.get(path, 0) < look:
                self.folders[path], self._looked[path] = (data, inode), look

    def crash_copy(self, images: Path, to: Path, how: str) -> Path:
        """`images` (its project in ``.fosp``) copied to `to` as a crash of kind `how` ("kill",
        "power") leaves it; the lock left out (its holder is gone). Returns `to`."""
        shutil.copytree(images, to, ignore=shutil.ignore_patterns("lock"))
        if how == "kill":
            return to
        project = images / ".fosp"
        with self._lock:
            settled = self.folders.get(str(project))
        if settled is not None and settled[0] is not None:
            (to / ".fosp" / PROJECT_FILE).write_bytes(settled[0])  # as the last folder fsync that worked saw it
        logs = sorted((project / "masks").glob(f"*{RECOVERY_SUFFIX}")) if (project / "masks").is_dir() else []
        for source in [project / JOURNAL_FILE, *logs]:
            try:
                inode = os.stat(source).st_ino
            except FileNotFoundError:
                continue
            copy = to / source.relative_to(images)
            with self._lock:
                known = self.durable.get(str(source))
            entry_lost = source.name == JOURNAL_FILE and settled is not None and settled[1] != inode
            if source.name.endswith(RECOVERY_SUFFIX):  # created since its folder's last fsync: not in it after a power loss
                entry_lost = (str(source), inode) not in self.log_entries
            if known is None or known[0] != inode or entry_lost:
                copy.unlink()  # never fsynced, or its creation never made durable: not on the disk after a power loss
            else:
                with open(copy, "r+b") as fh:
                    fh.truncate(known[1])
        masks = project / "masks"
        with self._lock:
            entries = dict(self.mask_logs.get(str(masks), {}))
        for name, inode in entries.items():  # removed (or replaced) since the folder's last fsync: back
            source = masks / name
            with contextlib.suppress(FileNotFoundError):
                if os.stat(source).st_ino == inode:
                    continue
            with self._lock:
                data = self.log_bytes.get((str(source), inode))
            if data is not None:
                (to / source.relative_to(images)).write_bytes(data)
        return to


def _close_all(held: dict[tuple[int, int], int]) -> None:
    for fd in held.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    held.clear()


class Gate:
    """Holds each background save job before it writes (see module doc). `log_synced(image_id)` is
    called on the save thread as a PNG job passes, before its recovery log's fsync."""

    def __init__(self, log_synced: Callable[[str], None]) -> None:
        self._cond = threading.Condition()
        self._permits = 0
        self._open = False
        self._inside = 0
        self._waiting: SaveJob | None = None
        self._log_synced = log_synced
        self._real = mask_saves._write

    def write(self, job: SaveJob) -> None:
        """`mask_saves._write` held at the gate."""
        with self._cond:
            self._waiting = job
            while not (self._open or self._permits):
                self._cond.wait()
            if not self._open:
                self._permits -= 1
            self._waiting = None
            self._inside += 1
        try:
            if job.settles is None:
                self._log_synced(job.image_id)
            self._real(job)
        finally:
            with self._cond:
                self._inside -= 1
                self._cond.notify_all()

    def step(self, saver: MaskSaver | None) -> None:
        """Let the next job through and wait until it ended (nothing when none waits)."""
        if saver is None or not saver.busy():
            return
        with self._cond:
            self._permits += 1
            self._cond.notify_all()
        self.settle(saver)

    @contextmanager
    def opened(self, saver: Callable[[], MaskSaver | None]) -> Iterator[None]:
        """Every job let through while the block runs (a wait for saves); afterwards, the one then
        running has ended."""
        with self._cond:
            self._open = True
            self._cond.notify_all()
        try:
            yield
        finally:
            with self._cond:
                self._open = False
            self.settle(saver())

    def settle(self, saver: MaskSaver | None) -> None:
        """Until no job is past the gate and the save thread is idle or held at it."""
        if saver is None:
            return
        while True:
            with self._cond:
                while self._inside or self._permits:
                    self._cond.wait(0.05)
                waiting = self._waiting
            running = saver._running
            if running is None or running is waiting:
                return
            time.sleep(0.001)
