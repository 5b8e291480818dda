"""Durable file writes and the project lock.

`atomic_write`, `StorageError` and `PreviousFile` live in `fosp_core.annotation.file_writes` (the
durable writes; re-exported here); `append_record` appends a journal line durably.

`ProjectLock` is a lock file holding ``{"pid": N, "host": H, "created": t, "user": U}`` (and, on Linux,
``"boot"``: the boot id, ``"start"``: the process's start time in clock ticks since boot; on Windows
``"start"`` alone: its creation time, a FILETIME), created
atomically (written to a temporary file, then hard-linked into place, which fails when a lock
exists; on a drive without hard links - FAT32 or exFAT, SMB - an exclusive create with its bytes in one
write, a lock found empty read again for a moment before it counts as stale: `_being_written`). A lock whose process no longer runs on this host is stale and is taken over; so is one
written before the last reboot, or whose pid now belongs to a process started at another time (pids
are reused). A lock naming this very process is live only while one of its `ProjectLock`s still
finds it at its own path: a project folder moved or renamed while open took its lock along, and
reopening it where it is now takes that lock over. Looking at a lock and taking it over is one step for all processes of the machine
(`folder_guard`, an ``flock`` of the project folder): processes starting together on a stale lock
end with one holder, not one each.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from fosp_core.annotation.entries import read_json
from fosp_core.annotation.file_writes import PreviousFile, StorageError, atomic_write
from fosp_core.annotation.file_writes import write_error as _write_error
from fosp_core.annotation.lock_files import cannot_link, create_exclusive, folder_guard
from fosp_core.io.atomic import append_durable, full_fsync

__all__ = ["LockInfo", "PreviousFile", "ProjectLock", "StorageError", "append_record", "atomic_write", "pid_alive", "process_start"]


def append_record(path: str | os.PathLike, line: bytes, *, durable: bool = True) -> None:
    """Append one line to a journal durably (`fosp_core.io.atomic.append_durable`, `durable` as
    there); a failure leaves the file as it was and raises `StorageError`."""
    path = Path(path)
    try:
        append_durable(path, line, durable=durable)
    except OSError as exc:
        raise _write_error(path, exc) from exc


def pid_alive(pid: int) -> bool:
    """Whether process `pid` runs on this machine (zombies count as dead)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_alive(pid)  # os.kill(pid, 0) there is TerminateProcess: it would end it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _windows_pid_alive(pid: int) -> bool:
    """Whether process `pid` runs (Windows): it opens and has no exit code yet; one that cannot be
    opened for lack of rights runs (as another user)."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # type: ignore[attr-defined]  # ERROR_ACCESS_DENIED
    try:
        code = wintypes.DWORD()
        return not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)) or code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _windows_process_start(pid: int) -> int:
    """Process `pid`'s creation time (Windows, ``GetProcessTimes``) as a FILETIME number; 0 where it
    cannot be read (no such process, no rights, any failure: the lock is then checked as before)."""
    try:
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        kernel32.OpenProcess.restype = wintypes.HANDLE
        kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return 0
        try:
            times = [wintypes.FILETIME() for _ in range(4)]  # creation, exit, kernel, user
            if not kernel32.GetProcessTimes(handle, *map(ctypes.byref, times)):
                return 0
            return (times[0].dwHighDateTime << 32) | times[0].dwLowDateTime
        finally:
            kernel32.CloseHandle(handle)
    except Exception:  # noqa: BLE001 - unknown: 0, the lock checked by its pid alone
        return 0


def _boot_id() -> str:
    """This boot's id (Linux), "" where unknown."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return ""


def process_start(pid: int) -> int:
    """When process `pid` started: in clock ticks since boot (Linux), its creation time as a FILETIME
    (Windows: 100 ns steps since 1601); 0 where unknown."""
    if sys.platform == "win32":
        return _windows_process_start(pid)
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[19])  # field 22 of proc(5), counted after the ")" ending the name
    except (OSError, IndexError, ValueError):
        return 0


@dataclass(frozen=True)
class LockInfo:
    """Who holds a lock: process id, host name, creation time (unix seconds; 0: unknown), and where
    known the boot id, the process's start (ticks since boot; Windows: a FILETIME; 0: unknown) and
    the user's login name ("": unknown, a lock of an older version)."""

    pid: int
    host: str
    created: float = 0.0
    boot: str = ""
    start: int = 0
    user: str = ""

    def describe(self) -> str:
        """For the user: "locked by pid N on host H (user U, since 2026-05-04 09:12)", then what to
        do: close it there (this very process: its other window) and take it over or run the command
        again; a lock of another computer says that its use cannot be checked, and how to take it over."""
        text = f"locked by pid {self.pid} on host {self.host}"
        known = [f"user {self.user}"] if self.user else []
        if self.since:
            known.append(f"since {self.since}")
        if known:
            text += f" ({', '.join(known)})"
        if self.elsewhere:
            text += ("; it is another computer, whose programs cannot be checked from here: if FoSp Studio "
                     "no longer runs there, take the project over: Annotate ▸ Take Over… in FoSp Studio here, "
                     "or `fosp project take-over PROJECT`")
        elif self.pid == os.getpid():
            text += "; that is this very program, in another window: edit the project there, or close it there and choose Annotate ▸ Take Over… here"  # noqa: E501
        elif not self.start_checked:  # its number alone (macOS, an older version's lock, a start not comparable)
            text += (f"; process {self.pid} of this computer runs, but whether it is FoSp Studio cannot be told from "
                     f"here: to edit the project here, close it there (quit FoSp Studio), then choose Annotate ▸ Take "
                     f"Over… in FoSp Studio, or run the command again. If no FoSp Studio or fosp command runs here, "
                     f"process {self.pid} is another program that got its number after a crash: delete the project's "
                     f"lock file, then open the project again")
        else:
            text += (f"; a program of this computer that still runs: to edit the project here, close it there "
                     f"(quit FoSp Studio, or end process {self.pid}), then choose Annotate ▸ Take Over… in "
                     f"FoSp Studio, or run the command again")
        return text

    @property
    def start_checked(self) -> bool:
        """Whether process `pid` running now is the one that wrote the lock, as far as its start tells: recorded
        in this boot (Windows: no boot id) and read now, the same. False where it cannot be told (no start
        recorded, another boot's ticks or a boot unknown, the process's start unreadable now: ``hidepid``)."""
        return bool(self.start) and self.boot == _own_ids()[0] and process_start(self.pid) == self.start

    @property
    def since(self) -> str:
        """When the lock was taken, local time "2026-05-04 09:12"; "" when unknown."""
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(self.created)) if self.created > 0 else ""

    @property
    def elsewhere(self) -> bool:
        """Written on another computer: whether its process still runs cannot be checked from here
        (such a lock is only taken over when the user says so: ``break_lock``)."""
        return self.host != socket.gethostname()


def _user() -> str:
    """This process's login name, "" where unknown."""
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # not in the password database (containers); no pwd (Windows)
        return ""


def _own_ids() -> tuple[str, int]:
    """(boot id, start) this process records in its locks: on Linux both or neither, on Windows its start
    alone (a creation time, no boot id), elsewhere neither."""
    boot, start = _boot_id(), process_start(os.getpid())
    if not (boot and start) and not (sys.platform == "win32" and start):
        return "", 0
    return boot, start


def _read_lock(path: Path) -> LockInfo | None:
    """The lock's owner; None when the file is unreadable or garbage (treated as stale): no process number or
    host. A creation time or start that is no usable number, a boot id that is no text, is unknown (0, ""): the
    holder is still checked by its number (a lock taken over for a damaged field could be a live FoSp Studio's)."""
    try:
        data = read_json(path.read_text(encoding="utf-8"))  # too deeply nested: ValueError, garbage
        pid, host = int(data["pid"]), str(data["host"])
        created, boot, start = data.get("created"), data.get("boot"), data.get("start")
        return LockInfo(pid, host, float(created) if _number(created) and 0 < created < 1e11 else 0.0,
                        boot if isinstance(boot, str) else "",  # not 'None': another boot's, taken for stale
                        start if _number(start) and isinstance(start, int) and start > 0 else 0,
                        str(data.get("user", "")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _number(value: object) -> bool:
    """A JSON number (not a bool, not NaN)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


#: the locks this process holds now (see `_held_here`), kept by `ProjectLock` under `_HELD_GUARD`
_HELD: set[ProjectLock] = set()
_HELD_GUARD = threading.Lock()


def _held_here(owner: LockInfo) -> bool:
    """Whether a `ProjectLock` of this process holds the lock `owner` (written by this process) at
    its own path: not when the lock file was moved away with its folder."""
    with _HELD_GUARD:
        held = [lock for lock in _HELD if lock.me == owner]
    return any(_read_lock(lock.path) == owner for lock in held)


def _holder_alive(owner: LockInfo, me: LockInfo) -> bool:
    """Whether the process that wrote a lock may still run: on another host, always (it cannot be
    asked); here, when it was written in this boot and its pid runs a process started then; this
    very process, while it holds that lock where it took it (`_held_here`)."""
    if owner.host != me.host:
        return True
    if owner.boot and me.boot and owner.boot != me.boot:
        return False  # written before the last reboot
    if owner.pid == me.pid and owner.boot == me.boot:
        return _held_here(owner)
    if not pid_alive(owner.pid):
        return False
    return not (owner.start and owner.boot == me.boot and process_start(owner.pid) not in (0, owner.start))


#: how long a lock file found empty is read again before it counts as stale: an exclusive create there
#: (`create_exclusive`) makes the file before its bytes are written
EMPTY_LOCK_WAIT_S = 2.0


def _being_written(path: Path) -> LockInfo | None:
    """The lock at `path`, read again for up to `EMPTY_LOCK_WAIT_S` while it is an empty file (another
    process's `_create_exclusive` between its create and its write); None when it stays empty or
    unreadable (stale), or is gone."""
    deadline = time.monotonic() + EMPTY_LOCK_WAIT_S
    while time.monotonic() < deadline:
        try:
            if path.stat().st_size:
                return _read_lock(path)
        except OSError:
            return None
        time.sleep(0.02)
    return None


class ProjectLock:
    """The lock file of a project folder (``<project>/lock``).

    `acquire()` returns None when this process now holds the lock, or the `LockInfo` of the live
    holder. Raises StorageError when the folder is not writable. ``break_lock``: True takes the
    lock whoever holds it; a `LockInfo` (the holder the user was shown and chose to take over from)
    takes it only from that holder, so a lock taken meanwhile by another process is not broken.
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.held = False
        boot, start = _own_ids()
        self.me = LockInfo(os.getpid(), socket.gethostname(), time.time(), boot, start, _user())
        self.took_over: LockInfo | None = None  # the stale lock replaced by acquire(), if any

    def _payload(self) -> bytes:
        data: dict[str, object] = {"pid": self.me.pid, "host": self.me.host, "created": self.me.created,
                                   "user": self.me.user}
        if self.me.boot:
            data["boot"] = self.me.boot
        if self.me.start:
            data["start"] = self.me.start
        return json.dumps(data).encode()

    def acquire(self, *, break_lock: bool | LockInfo = False) -> LockInfo | None:
        with folder_guard(self.path.parent):  # no other process decides between our look and our write
            for _ in range(3):
                if self._try_create():
                    if _read_lock(self.path) == self.me:  # an exclusive create may have been replaced meanwhile
                        self._hold()
                        return None
                    continue
                if not self.path.exists():
                    continue  # released since: create it
                owner = _read_lock(self.path) or _being_written(self.path)
                live = owner is not None and _holder_alive(owner, self.me)
                forced = break_lock is True or (isinstance(break_lock, LockInfo) and owner == break_lock)
                if live and not forced:
                    return owner
                # stale (dead process on this host, or unreadable) or forced: replace it, then re-check
                self.took_over = owner or LockInfo(-1, "?")
                atomic_write(self.path, self._payload())
                if _read_lock(self.path) == self.me:
                    self._hold()
                    return None
            return _read_lock(self.path) or LockInfo(-1, "?")

    def _hold(self) -> None:
        self.held = True
        with _HELD_GUARD:
            _HELD.add(self)

    def _try_create(self) -> bool:
        try:
            fd, tmp = tempfile.mkstemp(prefix=".lock.", suffix=".tmp", dir=self.path.parent)
        except OSError as exc:
            raise StorageError(self.path.parent, f"folder is not writable: {exc.strerror or exc}",
                               exc.errno) from exc
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(self._payload())
                fh.flush()
                full_fsync(fh.fileno())  # F_FULLFSYNC on macOS: out of the drive's cache
            try:
                os.link(tmp, self.path)
            except OSError as exc:
                if not cannot_link(exc):
                    raise
                return create_exclusive(self.path, self._payload())  # FAT, exFAT, SMB: no hard links
            return True
        except FileExistsError:
            return False
        except OSError as exc:
            raise StorageError(self.path, f"cannot create the lock: {exc.strerror or exc}", exc.errno) from exc
        finally:
            try:
                os.unlink(tmp)
            except OSError:
                pass

    def taken_by(self) -> LockInfo | None:
        """Who holds the lock now when this process held it and another took it over since (Take
        Over… elsewhere, ``fosp project take-over``): the lock file names another (one unreadable:
        ``LockInfo(-1, "?")``); None while it names this lock, when it was never held, or when there
        is no lock file (the project folder moved or deleted: its saves fail and say so)."""
        if not self.held:
            return None
        owner = _read_lock(self.path)
        if owner is None and not self.path.exists():
            return None
        return None if owner == self.me else (owner or LockInfo(-1, "?"))

    def release(self) -> None:
        """Remove the lock when this process holds it: looked at and removed under `folder_guard`, as every
        taking of it is (a take-over between the look and the removal lost its lock: two writers)."""
        if not self.held:
            return
        self.held = False
        with _HELD_GUARD:
            _HELD.discard(self)
        with folder_guard(self.path.parent):
            if _read_lock(self.path) == self.me:
                try:
                    self.path.unlink()
                except OSError:
                    pass
