"""What a background rewrite of ``project.json`` writes, made cheap for the thread that saves
(`fosp_core.annotation.project_compaction`).

The saving thread (the GUI thread in the app) keeps `CapturedRows`: each entry's field values as
a tuple, captured when its state is appended to the journal (or learnt when its document is read)
and at each inline rewrite. Starting a background rewrite then copies that list of tuples (a C-level
copy of pointers, ~1 ms at 100 000 images) instead of reading every entry's fields (~110 ms): no
work per entry on the saving thread. The tuples are never changed (a new one replaces an entry's),
so the worker thread reads them while saves go on without ever touching the live entries.

The worker turns rows into ``project.json`` lines with `encode_rows`, reusing the lines of the
previous rewrite's rows that are the same tuple objects (a save replaces its entry's tuple): after
the first rewrite only the entries saved since are encoded. It works in chunks and lets the saving
thread take Python's GIL between them (`pause`: a hint, not a hand-over; the 5 ms switch interval
still bounds the wait). In `bench/bench_compaction.py` at 100 000 images an idle event loop's 1 ms
timer is late by 3-6 ms during a rewrite (59-76 ms with the whole-project snapshot and encoding).
"""

from __future__ import annotations

import operator
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import compress
from typing import Any

from fosp_core.annotation.entries import ImageEntry, entry_json

__all__ = ["CHUNK", "CapturedRows", "EncodedRows", "encode_rows", "entry_line", "pause", "project_images", "snapshot"]

Row = tuple[Any, ...]
#: rows (and lines) handled between two pauses of the worker (under ~1 ms of work at 100 000 images)
CHUNK = 500

_FIELDS = operator.attrgetter(*ImageEntry.__slots__)


def snapshot(entries: list[ImageEntry]) -> list[Row]:
    """The entries' field values now (ImageEntry's slots, in order): later changes to the entries
    do not reach them (dicts are shared: the project replaces them, never changes them in place)."""
    return list(map(_FIELDS, entries))


def entry_line(entry: ImageEntry) -> bytes:
    """One entry's line of ``project.json``: indented, UTF-8, without its comma and newline."""
    return f"  {entry_json(entry)}".encode()


def pause() -> None:
    """Let another thread waiting for the GIL run (the worker calls it between chunks)."""
    time.sleep(0)


class CapturedRows:
    """The saving thread's copy of the entries' values (see module doc): a full capture now
    (`capture_all`), then one entry at a time (`capture`). `take` gives a rewrite its rows. An
    entry changed in place without being captured is written by the next inline rewrite, not by a
    background one: the project captures every entry it journals and every one it reads a
    document for."""

    def __init__(self, entries: list[ImageEntry], values: list[ImageEntry] | None = None) -> None:
        self._of = entries
        self._rows: list[Row] = []
        self.capture_all(entries, values)

    def capture_all(self, entries: list[ImageEntry], values: list[ImageEntry] | None = None) -> None:
        """Capture every entry (work per entry: at an inline rewrite, or when rows went stale); `values`:
        the entries as the journal holds them (the same images in the same order), default `entries`."""
        self._of, self._rows = entries, snapshot(entries if values is None else values)

    def capture(self, entries: list[ImageEntry], index: dict[str, int], entry: ImageEntry,
                value: ImageEntry | None = None) -> None:
        """Capture one entry's values now (`value`: the entry as the journal holds it, default `entry`).
        When it is not where `index` says (an entry replaced behind the project's back) the rows are
        stale: `take` captures all again. Entries appended since the last capture (images joined: the
        project only ever appends) are captured at `take`."""
        rows = self._rows
        i = index.get(entry.id)
        if i is not None and entries is self._of and i < len(entries) and entries[i] is entry:
            if i < len(rows):
                rows[i] = _FIELDS(entry if value is None else value)
            elif not self._extend(entries):  # appended: the rows up to it first
                self._of = None  # type: ignore[assignment]  # stale: taken again in full
        else:
            self._of = None  # type: ignore[assignment]  # stale: taken again in full

    def _extend(self, entries: list[ImageEntry]) -> bool:
        """Capture the entries appended past the rows (work for those only); False when the rows do not
        end where the entries' prefix does (not an append: stale)."""
        rows = self._rows
        if len(rows) > len(entries) or (rows and rows[-1][0] != entries[len(rows) - 1].id):
            return False
        rows += snapshot(entries[len(rows):])
        return True

    def take(self, entries: list[ImageEntry],
             journaled: Callable[[list[ImageEntry]], list[ImageEntry]] | None = None) -> list[Row]:
        """The rows for a rewrite of `entries` now: a copy of the list (no work per entry unless the
        rows went stale; the entries appended since the last capture captured now). `journaled`: the
        entries as the journal holds them, what is captured (`capture_all`'s `values`)."""
        stale = entries is not self._of
        if not stale and len(self._rows) != len(entries):
            stale = not self._extend(entries if journaled is None else journaled(entries))
        if stale:
            self.capture_all(entries, None if journaled is None else journaled(entries))
        return list(self._rows)


@dataclass(frozen=True)
class EncodedRows:
    """Rows and their ``project.json`` lines (`entry_line`), position by position."""

    rows: list[Row]
    lines: list[bytes]


def encode_rows(rows: list[Row], previous: EncodedRows | None) -> EncodedRows:
    """The lines of `rows` (the worker thread): the previous rewrite's line where the row is the
    same tuple object, else encoded now; `pause` between chunks."""
    old_rows, old_lines = (previous.rows, previous.lines) if previous is not None else ([], [])
    n = len(rows)
    lines = old_lines[:n] + [b""] * (n - len(old_lines))
    for start in range(0, n, CHUNK):  # which rows changed, found at C speed, a chunk at a time
        stop = min(start + CHUNK, n)
        changed = list(compress(range(start, stop), map(operator.is_not, rows[start:stop], old_rows[start:stop])))
        changed += range(max(start, len(old_rows)), stop)  # past the previous rows' end
        for i in changed:
            lines[i] = entry_line(ImageEntry(*rows[i]))
        pause()
    return EncodedRows(rows, lines)


def project_images(encoded: EncodedRows) -> list[bytes]:
    """The entries' part of ``project.json`` in chunks (`fosp_core.annotation.entries.project_parts`
    takes them), joined a chunk at a time with a `pause` between chunks."""
    parts = []
    for start in range(0, len(encoded.lines), CHUNK):
        parts.append(b",\n".join(encoded.lines[start:start + CHUNK]))
        pause()
    return parts
