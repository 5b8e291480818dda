"""Where an annotation project lives and the names of its files (see `fosp_core.annotation.project`).

`default_location` chooses the project folder of a source (``<source>/.fosp``, or the user cache
for shipped images and folders not to be written: `writable_folder`); `files_signature` tells
whether another process saved since the files were read; `SavedMasks` which document mask each
mask file holds; `remove_stale_temps` deletes what a crashed writer left; `unsure_generations` which
``project.json`` generations a power loss may bring back at an opening.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import stat
import threading
import time
from pathlib import Path

from fosp_core.annotation.entries import journal_lines, read_json
from fosp_core.io.atomic import fsync_dir
from fosp_core.io.long_names import fit_name
from fosp_core.paths import RESOURCES, cache_dir

__all__ = ["JOURNAL_FILE", "PROJECT_DIR", "PROJECT_FILE", "SavedMasks", "default_location", "file_signature",
           "files_signature", "folder_names", "one_folder", "remove_stale_temps", "unsure_generations", "writable_folder"]

PROJECT_DIR = ".fosp"
PROJECT_FILE = "project.json"
JOURNAL_FILE = "changes.jsonl"


def file_signature(path: Path) -> tuple[int, int, int] | None:
    """(inode, size, mtime in ns) of a file, None when it is missing: changes when it is written
    (an atomic write makes a new inode)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def files_signature(folder: Path) -> tuple[tuple[int, int, int] | None, ...]:
    """`file_signature` of ``project.json`` and the journal: changes when another process saves
    (a journal line, a rewritten project.json)."""
    return tuple(file_signature(folder / name) for name in (PROJECT_FILE, JOURNAL_FILE))


class SavedMasks:
    """Which document mask each image's mask file holds, as far as this project saved or read it:
    image id -> (`AnnotationDocument.mask_version`, the file's `file_signature` then).

    `holds` is true only while the file is the one remembered, unchanged since: a save of the
    image's mask by any path `forget`s it first and a file replaced behind the project's back has
    another signature, so a status change is never saved beside a mask it was not given to.
    """

    def __init__(self) -> None:
        self._held: dict[str, tuple[int, tuple[int, int, int]]] = {}

    def remember(self, image_id: str, mask_version: int, signature: tuple[int, int, int] | None) -> None:
        """The file had `signature` (taken before reading it, or after writing it) holding the mask
        of `mask_version`; None (no file) remembers nothing."""
        if signature is None:
            self._held.pop(image_id, None)
        else:
            self._held[image_id] = (mask_version, signature)

    def forget(self, image_id: str) -> None:
        self._held.pop(image_id, None)

    def holds(self, image_id: str, mask_version: int, path: Path) -> bool:
        """Whether the file at `path` is still the one remembered with the mask of `mask_version`."""
        held = self._held.get(image_id)
        return held is not None and held[0] == mask_version and held[1] == file_signature(path)


def folder_names(folder: Path) -> list[str]:
    """The names in `folder` (one listing), [] when it is no folder or cannot be listed: an opening lists
    ``masks/`` once for its recovery, its stale temporary files and its conflicted copies."""
    try:
        return os.listdir(folder)
    except OSError:
        return []


def remove_stale_temps(folder: Path, masks_names: list[str] | None = None) -> None:
    """Delete temporary files a crashed writer left in the project `folder` (only while holding
    its lock); `masks_names`: ``masks/``'s listing when the caller has it (`folder_names`)."""
    for sub in (folder, folder / "masks", folder / "predictions"):
        if masks_names is not None and sub.name == "masks":
            temps = [sub / n for n in masks_names if n.startswith(".") and n.endswith(".tmp") and len(n) > 4]
        else:
            temps = list(sub.glob(".*.tmp"))
        for tmp in temps:
            try:
                tmp.unlink()
            except OSError:
                pass


def unsure_generations(folder: Path, generation: int) -> list[int]:
    """At an opening that holds the lock of the project at `folder` (its ``project.json`` of
    `generation`): the other generations whose ``project.json`` a power loss may bring back, which
    the journal lines written from now on name too (`Project._append`). None once a fsync of the
    folder works (the file found is durable then); when it fails (an earlier session's rewrite may be
    in place and not durable), every other generation the journal's lines name: the file before such
    a rewrite is one of them whenever a line was written after it."""
    try:
        fsync_dir(folder)
        return []
    except OSError:
        pass
    try:
        data = (folder / JOURNAL_FILE).read_bytes()
    except OSError:
        return []
    found: set[int] = set()
    for line in journal_lines(data):
        try:
            value = read_json(line).get("generation")
        except (ValueError, AttributeError):
            continue  # torn by a crash
        if isinstance(value, int) and not isinstance(value, bool) and value != generation:
            found.add(value)
    return sorted(found)


def default_location(source: str | os.PathLike) -> Path:
    """Where the project of `source` lives when no location is chosen.

    ``source/.fosp`` beside the images (or where a project already is), except for images the app
    ships (the bundled demo) and folders that are not to be written (`writable_folder`): their
    project goes to ``<cache>/projects/<name>-<hash>``, so the work is still saved and the install
    folder or a read-only shared folder is never written. The hash is of the path: the same folder
    reached under another path finds the project made for it there (`_made_for`).
    """
    source = Path(source).absolute()
    beside = source / PROJECT_DIR
    shipped = source == RESOURCES or RESOURCES in source.parents
    if not shipped and (beside.is_dir() or writable_folder(source)):
        return beside
    digest = hashlib.sha1(str(source).encode("utf-8")).hexdigest()[:10]
    keyed = cache_dir() / "projects" / fit_name(source.name or "root", f"-{digest}")  # a long name: cut
    if keyed.exists() or shipped:
        return keyed
    return _made_for(source, keyed) or keyed


#: how long `_made_for` waits for the images folders of the cache projects of a folder of the same name to answer
#: (all at once): one on a mount that stopped answering (a share gone) is passed over, not waited for for good
SAME_FOLDER_WAIT_S = 3.0


def _made_for(source: Path, keyed: Path) -> Path | None:
    """The cache project made for the folder `source` reached under another path (a symlinked parent, a bind
    mount, the share mounted again elsewhere while still mounted there), or None: among the cache projects
    of a folder of the same name, in any case (``<name>-<digest>``), the one whose images root is `source` itself (the
    same device and inode: `os.path.samefile`), the oldest where several are (one found before kept). Each images
    root is looked at on a thread of its own, all waited for `SAME_FOLDER_WAIT_S` in all: one that has not
    answered by then (its drive hung) is not this folder's."""
    stem = keyed.name.rsplit("-", 1)[0].casefold()  # without case: Windows' and macOS's disks ignore it
    try:
        candidates = sorted(p for p in keyed.parent.iterdir() if p.name.rsplit("-", 1)[0].casefold() == stem)
    except OSError:
        return None
    headers: list[tuple[float, Path, Path]] = []  # (created, project folder, its images root)
    for folder in candidates:
        try:
            header = read_json((folder / PROJECT_FILE).read_bytes())
            root = Path(header["images_root"])
            created = header.get("created")
            headers.append((created if isinstance(created, (int, float)) else 0.0, folder,
                            root if root.is_absolute() else folder / root))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue  # unreadable or damaged: not this one
    same = _same_folders([root for _, _, root in headers], source, SAME_FOLDER_WAIT_S)
    found = [(created, folder) for (created, folder, _), one in zip(headers, same, strict=True) if one]
    return min(found)[1] if found else None


def _same_folders(roots: list[Path], source: Path, timeout: float) -> list[bool]:
    """Whether each of `roots` is the folder `source` (`one_folder`), each looked at on a daemon thread, all
    waited for `timeout` seconds in all; one not answered by then, or that cannot be looked at, is not."""
    answers: list[bool] = [False] * len(roots)
    ended = [threading.Event() for _ in roots]

    def look(index: int) -> None:
        try:
            answers[index] = one_folder(roots[index], source)
        except OSError:
            pass  # its folder not there now: not this one
        finally:
            ended[index].set()

    for index in range(len(roots)):
        threading.Thread(target=look, args=(index,), name="fosp-same-folder", daemon=True).start()
    deadline = time.monotonic() + timeout
    for event in ended:
        event.wait(max(0.0, deadline - time.monotonic()))
    return [answer and event.is_set() for answer, event in zip(answers, ended, strict=True)]


def one_folder(one: Path, other: Path) -> bool:
    """Whether `one` and `other` are one folder by their device and inode (`os.path.samefile`), never where the
    inode is 0: Python's ``st_ino`` identifies a file only when non-zero (a drive without file ids - FAT,
    exFAT, some SMB servers and cloud drives - gives 0 for every file: any two folders there were one); there,
    by their paths with links resolved. Raises OSError when either cannot be looked at."""
    first, second = os.stat(one), os.stat(other)
    if first.st_ino != 0:
        return os.path.samestat(first, second)
    return os.path.realpath(one) == os.path.realpath(other)


def writable_folder(folder: str | os.PathLike) -> bool:
    """Whether a project folder may be created in `folder`, checked without writing anything there.

    No when this user may not write it (``os.access``), when it lies on a file system mounted
    read-only (``ST_RDONLY``), or, for root, whom ``os.access`` lets write anywhere, when its
    permission bits let nobody write it (a folder shared read-only, r-x for everyone). A probe file
    would be no test for root: it is written (and left behind if the process dies) exactly where the
    folder's owner said nobody writes. On Windows ``os.access`` says every folder is writable (it reads
    the read-only attribute, which folders ignore; their ACLs decide): there an empty folder is made and
    removed at once (`_can_make_folder`).
    """
    folder = Path(folder)
    try:
        mode = folder.stat().st_mode
        if not stat.S_ISDIR(mode) or not os.access(folder, os.W_OK):
            return False
        if os.name == "nt":
            return _can_make_folder(folder)
        if hasattr(os, "statvfs") and os.statvfs(folder).f_flag & os.ST_RDONLY:
            return False
    except OSError:
        return False
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    return True


def _can_make_folder(folder: Path) -> bool:
    """Whether a folder can be made in `folder` (Windows: the ACLs' answer), by making an empty one with a
    name of its own and removing it at once."""
    probe = folder / f".fosp-probe-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        os.mkdir(probe)
    except OSError:
        return False
    with contextlib.suppress(OSError):
        os.rmdir(probe)
    return True
