"""The work of an image open (:mod:`app.opening`), on whichever thread runs it: listing the paths'
images (:func:`~fosp_core.session.collect_image_paths`), then opening or creating the annotation
projects of their sources (:func:`~app.annotation.projects.prepare_projects`; a folder opened alone
hands it its listing, so that the folder is not listed twice). On the worker, a dataset whose project is open
already and which the listing gives new images is read for them too
(:func:`~app.annotation.projects.read_ahead`; ``OpenOutcome.read``), so that their join on the GUI thread only
applies that reading.

:func:`gather` does it for one :class:`OpenRequest` and returns an :class:`OpenOutcome`; the GUI thread
calls it for a small open, :class:`OpenTask` on a worker thread (:func:`start_open`) for the others,
reporting through an :class:`OpenRelay` (queued signals) and stopping at its next progress call once
cancelled (then closing the projects it opened). Every open is the worker's, listing, look-ups and projects (a
disk slow to list, a share that stopped answering, must not hold the GUI thread): the GUI thread waits a moment
for a small one (:class:`AtOnce`: up to `few` images, no big dataset to read) and takes its outcome to apply at
once; past that moment, or for a bigger one, the outcome comes through the relay. The paths are looked at there
too (their folders resolved, the registry's look at them: ``OpenOutcome.looked``, the recent list's resolved
paths: ``OpenOutcome.remembered``), so that applying the outcome does not look at them again. No widgets, no
window: the :class:`~app.opening.Opener` applies the outcome.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from PySide6.QtCore import QThreadPool, QTimer, Signal

from app.annotation.projects import (
    LookedPath,
    OpenDataset,
    PreparedProject,
    close_prepared,
    is_utf8,
    prepare_projects,
    read_ahead,
)
from app.pool_jobs import start_job
from app.relay import Relay
from fosp_core.annotation.dataset_listing import DatasetItems, has_new
from fosp_core.home_folder import expanded
from fosp_core.session import OpenError, collect_image_paths

__all__ = [
    "PROGRESS_INTERVAL_S", "AtOnce", "Listing", "OpenOutcome", "OpenRelay", "OpenRequest", "OpenTask", "detach",
    "gather", "list_request", "start_open",
]

#: Shortest time between two progress updates from the worker (s).
PROGRESS_INTERVAL_S = 0.05

# Pools (with their relays) of shut-down openers whose worker was still running; waited for at
# interpreter exit. The relay is kept so that the worker's thread never drops its last reference. An entry
# is let go on the GUI thread once its pool is done (checked every DETACHED_CHECK_MS): before, each window
# closed while an open ran kept its pool and relay for the rest of the process.
_detached: list[tuple[QThreadPool, OpenRelay]] = []
#: How often a detached pool is asked whether its worker has ended (ms).
DETACHED_CHECK_MS = 100


@atexit.register
def _wait_for_detached_opens() -> None:
    while _detached:
        pool, _relay = _detached.pop()
        pool.waitForDone()


def detach(pool: QThreadPool, relay: OpenRelay) -> None:
    """The opener owning `pool` shut down while its worker still runs: the process waits for it at
    exit (the worker closes what it opened), and `relay` lives on until then, or until the GUI thread (this
    function's) sees the pool done and lets go of both."""
    _detached.append((pool, relay))
    QTimer.singleShot(DETACHED_CHECK_MS, partial(_let_go_when_done, pool))


def _let_go_when_done(pool: QThreadPool) -> None:
    """On the GUI thread: drop `pool`'s entry once its worker has ended (its task, which held the relay, is
    deleted by then: a pool counts a thread active until it deleted its runnable), else look again later."""
    if pool.activeThreadCount():
        QTimer.singleShot(DETACHED_CHECK_MS, partial(_let_go_when_done, pool))
        return
    _detached[:] = [entry for entry in _detached if entry[0] is not pool]


class Cancelled(Exception):
    """Raised by the worker's progress callback to abandon an open."""


@dataclass(frozen=True)
class Listing:
    """What :func:`list_request` found: the images, the errors, the videos beside them (not opened), and the
    folders' GIFs (not listed: they open by name)."""

    found: list[Path]
    errors: list[OpenError]
    videos: list[Path]
    gifs: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class OpenRequest:
    id: int
    paths: tuple[str | Path, ...]
    remember: bool
    what: str  # for the status bar: the name of the one path, or "N items"


@dataclass
class OpenOutcome:
    request: OpenRequest
    found: list[Path] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # of `found`, made here: not on the GUI thread
    errors: list[OpenError] = field(default_factory=list)
    projects: list[PreparedProject] = field(default_factory=list)
    cancelled: bool = False
    videos: list[Path] = field(default_factory=list)  # in the folders opened, not opened: a video opens alone
    gifs: list[Path] = field(default_factory=list)  # in the folders opened, not listed: a GIF opens by name
    #: {source: its dataset's items}, read on the worker for the new images of a dataset open already
    read: dict[Path, DatasetItems] = field(default_factory=dict)
    #: the folders among the paths, resolved (where they were looked at: on the worker for its opens)
    folders: list[Path] = field(default_factory=list)
    #: each path resolved, for the recent list (`request.remember`; looked at where the open ran)
    remembered: list[Path] = field(default_factory=list)
    #: {path (text): its source folder ...} as the registry looked at them where the open ran (`ProjectRegistry.look`)
    looked: dict[str, LookedPath] = field(default_factory=dict)


Sources = list[tuple[Path, Path | None]]


def gather(request: OpenRequest, pending: Callable[[], Sources], progress: Callable[[int], object],
           stage: Callable[[str], object]) -> OpenOutcome:
    """List the request's images, then open the projects of its sources (`pending`, asked for only once the
    listing is done); runs on any thread (the worker's, but for a screenshot's open)."""
    listing = list_request(request, progress)
    found, errors, videos = list(listing.found), list(listing.errors), list(listing.videos)
    progress(len(found))  # the last word before the project: a cancelled open stops here
    sources = pending() if found else []  # nothing to annotate: the window opens none (as before)
    if sources:
        stage(f"Opening the annotation project of {len(found):,} images …")
    names = [path.name for path in found]
    folders = [expanded(p).resolve() for p in request.paths if expanded(p).is_dir()]  # ~nosuchuser/x: as typed
    remembered = [_resolved(p) for p in request.paths] if request.remember else []
    return OpenOutcome(request, found, names, errors, prepare_projects(sources, _listed(request, sources, found)),
                       videos=videos, gifs=list(listing.gifs), folders=folders, remembered=remembered)


def _resolved(path: str | Path) -> Path:
    """`path` resolved as the recent list keeps it (`RecentPaths.add`); absolute where it cannot be (a link loop)."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(path).absolute()


def list_request(request: OpenRequest, progress: Callable[[int], object]) -> Listing:
    """The images of the request's paths (:func:`~fosp_core.session.collect_image_paths`, `progress` as
    there: it may raise to stop), less those whose names are no valid UTF-8 (each an error)."""
    videos: list[Path] = []  # beside the images of the folders: named in the status bar, not opened
    gifs: list[Path] = []  # in the folders, not listed: named in the status bar
    found, errors = collect_image_paths(request.paths, progress=progress, videos=videos, gifs=gifs)
    found, errors = _without_undecodable_names(found, errors)
    return Listing(found, errors, videos, gifs)


def _without_undecodable_names(found: list[Path], errors: list[OpenError]) -> tuple[list[Path], list[OpenError]]:
    """`found` less the files whose names are no valid UTF-8 (bytes of another encoding, e.g. a
    Latin-1 'caf\\xe9.png'), each told as an OpenError: the project file, UTF-8 JSON, cannot name
    them (creating it raised UnicodeEncodeError and the whole open failed)."""
    kept: list[Path] = []
    for path in found:
        if not is_utf8(path.name):  # prepare_projects leaves such names out of every project it makes
            shown = os.fsencode(path.name).decode("utf-8", "backslashreplace")
            errors = [*errors, OpenError(path.with_name(shown), "the file name is not valid UTF-8; rename the file "
                                         "to open it")]
            continue
        kept.append(path)
    return kept, errors


def _listed(request: OpenRequest, sources: Sources, found: list[Path]) -> dict[Path, list[Path]]:
    """{source: its listing} for :func:`prepare_projects` when the request is one folder: then
    `found` is all of that folder's images (its project is made from them, not listed again)."""
    if len(request.paths) != 1 or not sources:
        return {}
    path = expanded(request.paths[0])
    source = path.resolve()
    return {source: found} if path.is_dir() and any(s == source for s, _ in sources) else {}


class OpenRelay(Relay):
    """Carries the worker's messages to the GUI thread (queued signals). Parentless and held by
    the task: it outlives a window closed while its open still runs."""

    progress = Signal(int, str)  # request id, status text
    done = Signal(object)  # OpenOutcome


class _Progress:
    """A worker's progress callback: raises `Cancelled` once `cancel` is set, else tells the count found, every
    `PROGRESS_INTERVAL_S` at most."""

    def __init__(self, relay: OpenRelay, request: OpenRequest, cancel: threading.Event) -> None:
        self._relay, self._request, self._cancel = relay, request, cancel
        self._last = 0.0

    def __call__(self, found: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        now = time.monotonic()
        if now - self._last >= PROGRESS_INTERVAL_S:
            self._last = now
            self._relay.progress.emit(self._request.id, f"Opening {self._request.what} … {found:,} images found")


class AtOnce:
    """The GUI thread's wait for a small open on the worker (an :class:`OpenTask` given it): the worker
    offers (:meth:`offer`) the outcome of an open of up to `few` images (none joining a dataset of more, whose reading
    takes seconds) and the GUI thread takes it (:meth:`take`) to apply at once; one bigger, or not done when the GUI
    thread stops waiting, goes through the relay instead, as any open on the worker (`decided` is set as soon
    as that is known)."""

    def __init__(self, few: int) -> None:
        self.few = few
        self.decided = threading.Event()
        self._lock = threading.Lock()
        self._outcome: OpenOutcome | None = None
        self._failure: Exception | None = None  # what stopped the open (raised where it is taken, as if run there)
        self._left = False  # the GUI thread stopped waiting, or the open is too big: the relay tells

    def leave(self) -> None:
        """On the worker: the open is not for the GUI thread to apply at once (too big)."""
        with self._lock:
            self._left = True
        self.decided.set()

    def offer(self, outcome: OpenOutcome, failure: Exception | None = None) -> bool:
        """On the worker: hand `outcome` (or `failure`, what stopped the open) to the waiting GUI thread; False
        when it is not waiting for it any more."""
        with self._lock:
            if self._left:
                return False
            self._outcome, self._failure = outcome, failure
        self.decided.set()
        return True

    def take(self, timeout_s: float) -> OpenOutcome | None:
        """On the GUI thread: the outcome, waited for `timeout_s` at most; None: it comes through the relay. Raises
        what stopped the open (offered), as an open here raised it."""
        self.decided.wait(timeout_s)
        with self._lock:
            self._left = self._outcome is None
            outcome, failure = self._outcome, self._failure
        if failure is not None:
            raise failure
        return outcome

    def too_big(self, found: Sequence[Path], datasets: Sequence[OpenDataset]) -> bool:
        """Whether an open that found `found` is too big to apply at once: more than `few` images, or one joining
        a dataset of more (open already) with a new image."""
        return len(found) > self.few or any(len(d.entries) > self.few and has_new(d.entries, d.images_root, found)
                                            for d in datasets)


def start_open(pool: QThreadPool, task: OpenTask) -> None:
    """Run `task` on `pool`, handed as a function (`app.pool_jobs.start_job`: a ``QRunnable`` may be kept by
    its pool, with its request, sources and relay)."""
    start_job(pool, task)


class OpenTask:
    """One open on a worker thread (:func:`start_open`): :func:`gather`, then the reading of `datasets` (open
    already) for their new images (:func:`~app.annotation.projects.read_ahead`) and the registry's `look` at the
    paths, reported through `relay`, or handed to the GUI thread waiting for it (`at_once`); `cancel` set: it
    stops at its next progress call, and what it opened is closed."""

    def __init__(self, relay: OpenRelay, request: OpenRequest, sources: Sources | Callable[[], Sources],
                 cancel: threading.Event,
                 datasets: Sequence[OpenDataset] | Callable[[], Sequence[OpenDataset]] = (),
                 look: Callable[[], dict[str, LookedPath]] = dict, at_once: AtOnce | None = None) -> None:
        self._relay, self._request, self._cancel = relay, request, cancel
        #: which projects to open, and which datasets open already the images join, asked here once listed (the
        #: registry's `pending` and `open_datasets`: each path's folder looked at, which a share that does not
        #: answer holds), or given
        self._pending: Callable[[], Sources] = sources if callable(sources) else (lambda: sources)
        self._datasets: Callable[[], Sequence[OpenDataset]] = datasets if callable(datasets) else (lambda: datasets)
        self._look, self._at_once = look, at_once
        self._progress = _Progress(relay, request, cancel)

    def _found(self, found: int) -> None:
        if self._at_once is not None and found > self._at_once.few:
            self._at_once.leave()  # too many to apply at once: the GUI thread stops waiting
        self._progress(found)

    def run(self) -> None:
        """The open, on the pool thread; ends with ``relay.done(outcome)``."""
        request = self._request

        def stage(text: str) -> None:
            self._relay.progress.emit(request.id, text)

        failure: Exception | None = None
        try:
            outcome = gather(request, self._pending, self._found, stage)
        except Cancelled:
            outcome = OpenOutcome(request, cancelled=True)
        except Exception as exc:  # never let a worker die silently: the open reports it
            outcome = OpenOutcome(request, errors=[OpenError(Path(request.paths[0]), f"{type(exc).__name__}: {exc}")])
            failure = exc
        if outcome.found and not self._cancel.is_set():
            try:  # the projects gathered are handed over all the same
                datasets = tuple(self._datasets())
                if self._at_once is not None and self._at_once.too_big(outcome.found, datasets):
                    self._at_once.leave()  # a big dataset to read for the join: the GUI thread stops waiting
                outcome.read = read_ahead(datasets, outcome.found, stage) if datasets else {}
            except Exception:  # noqa: BLE001 - not read here: the join reads the dataset itself, as without
                outcome.read = {}
        if not outcome.cancelled:
            try:
                outcome.looked = self._look()
            except Exception:  # noqa: BLE001 - not looked at here: the GUI thread looks, as without
                outcome.looked = {}
        if self._cancel.is_set():  # nobody takes these any more (the window may be gone)
            close_prepared(outcome.projects)
            outcome.projects, outcome.cancelled = [], True
        if self._at_once is None or not self._at_once.offer(outcome, failure):
            self._relay.done.emit(outcome)
