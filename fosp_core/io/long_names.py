"""Names derived from a user's file name that must still fit in one file name (255 bytes).

A file system takes names of up to 255 bytes (ext4, XFS, btrfs, APFS; counted in UTF-8 here: a name
of 100 emoji is 400 bytes). An image may be named right up to that limit, and every file named after
it - the recovery log ``<id>.png.recovery``, a set-aside copy ``.<name>.<random>.tmp``, a rescued
mask ``<id>.<time>.<pid>.png`` - would then be longer, and could never be written ("File name too
long"), so the save failed and the edit stayed in memory only.

`fit_name` gives such a derived name: the old form ``head + stem + tail`` whenever it fits (so the
files of that form already on disk are found as before), else a short form
``head + <stem cut> + "~" + <12 hex digits of the stem's SHA-256> + tail`` of at most 255 bytes.
The short form keeps the tail (``.png.recovery``): the code that lists such files by their ending
finds them, and `IdsOfStems` (`digest_of`, `long_ids`) maps the short stem back to the image it was made for
(the cut part alone could be any image's). A stem already in short form keeps its digest when it is
cut again (``<id>.png.recovery`` set aside as ``….unapplied``), so it maps back to the same id - but only
a derived name's stem: an image id is a user's name, which may end in ``~`` and 12 hex digits too (a
dataset exported from long ids, imported again), and names derived from ids must be one per id
(``keep_digest=False``: the recovery log's, `fosp_core.annotation.recovery_records.log_path`). Kept, two
such ids alike in their first ~230 bytes and their last 13 took one log name: one image's crash log was
applied to the other. Logs named so by earlier versions are still found (`legacy_log_path`, `long_ids`).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable

__all__ = ["DIGEST_LEN", "NAME_MAX", "IdsOfStems", "digest_of", "fit_name", "fits", "long_ids", "name_bytes",
           "name_digest", "too_long"]

#: the longest file name (bytes) the usual file systems take
NAME_MAX = 255
#: hex digits of the stem's SHA-256 in a short form
DIGEST_LEN = 12
#: the longest tail (with head) a derived name adds to a stem here; `long_ids` looks at the stems that
#: could need a short form with one of them
LONGEST_TAIL = 48

_SHORT = re.compile(rf"~([0-9a-f]{{{DIGEST_LEN}}})$")


def name_bytes(name: str) -> int:
    """The length of `name` in bytes as the file system gets it (UTF-8; undecodable bytes kept)."""
    return len(os.fsencode(name))


def fits(name: str) -> bool:
    """Whether `name` is short enough for one file name (`NAME_MAX` bytes)."""
    return name_bytes(name) <= NAME_MAX


def name_digest(stem: str) -> str:
    """The digest a short form of `stem` carries (``<cut>~<digest>``)."""
    return hashlib.sha256(os.fsencode(stem)).hexdigest()[:DIGEST_LEN]


def fit_name(stem: str, tail: str = "", head: str = "", *, keep_digest: bool = True) -> str:
    """``head + stem + tail`` when it fits in `NAME_MAX` bytes, else its short form (module doc):
    the stem cut (whole characters) and ``~<digest>`` put after it, the head and tail kept.
    `keep_digest`: a stem in short form (``<cut>~<digest>``, a derived name cut again) keeps its digest;
    False for a stem that is a user's name (an image id): its digest is always its own SHA-256's, so
    different stems never share a short form."""
    full = head + stem + tail
    if fits(full):
        return full
    match = _SHORT.search(stem) if keep_digest else None
    base, digest = (stem[:match.start()], match.group(1)) if match else (stem, name_digest(stem))
    room = NAME_MAX - name_bytes(f"{head}~{digest}{tail}")
    if room < 0:
        raise ValueError(f"a derived name's head and tail are too long: {head!r}, {tail!r}")
    while name_bytes(base) > room:
        base = base[:max(0, min(len(base) - 1, room))]  # whole characters: a cut UTF-8 sequence would not encode back
    return f"{head}{base}~{digest}{tail}"


def digest_of(stem: str) -> str | None:
    """The digest of a short form's stem (``<cut>~<digest>``), None for a stem not in short form."""
    match = _SHORT.search(stem)
    return match.group(1) if match else None


def long_ids(ids: Iterable[str]) -> dict[str, str]:
    """digest -> id of the `ids` long enough that a name derived from them may take the short form
    (``id`` + a tail of up to `LONGEST_TAIL` bytes over `NAME_MAX`): what maps a short form's stem back."""
    own: dict[str, str] = {}
    kept: dict[str, str] = {}  # an id in short form's own digest: what earlier versions named its logs with
    shared: set[str] = set()  # such a digest of several ids: a name so made is none of them known
    for i in ids:
        if len(i) * 4 + LONGEST_TAIL > NAME_MAX and name_bytes(i) + LONGEST_TAIL > NAME_MAX:
            own[name_digest(i)] = i
            if (digest := digest_of(i)) is not None:
                if kept.setdefault(digest, i) != i:
                    shared.add(digest)
    return {d: i for d, i in kept.items() if d not in shared} | own  # an id's own digest first


class IdsOfStems:
    """The image id each stem of a listing's derived names stands for (`id_of`): a stem in short form
    (``<cut>~<digest>``) the id among `ids()` whose digest it carries, any other stem (or a digest of none
    of them) itself. `ids` is called, and `long_ids` made, once, at the first short stem: most listings
    meet none."""

    def __init__(self, ids: Callable[[], Iterable[str]]) -> None:
        self._ids = ids
        self._by_digest: dict[str, str] | None = None

    def id_of(self, stem: str) -> str:
        """The id `stem` stands for (see the class doc)."""
        digest = digest_of(stem)
        if digest is None:
            return stem
        if self._by_digest is None:
            self._by_digest = long_ids(self._ids())
        return self._by_digest.get(digest, stem)


def too_long(name: str, what: str = "its name", verb: str = "would be") -> str | None:
    """Why a file cannot be named `name`, the user's own name being too long for it (a mask file
    ``<id>.png`` of an image ``a.jpeg`` beside ``a.png``, whose id is ``a_jpeg``), None when it can.
    `what`: the file, as the sentence names it; `verb`: "is" once a write was refused for it."""
    if fits(name):
        return None
    return (f"{what} {verb} {name_bytes(name)} bytes long, more than the {NAME_MAX} a file name may have: "
            "give the image a shorter name")
