"""SmokeSeg ids for file stems: the stem itself, or, for a stem with white space, the stem with
each run of white space made ``_`` (``_2``, ``_3`` ... when that id is taken).

The one rule of every writer of SmokeSeg ids: `fosp dataset convert` and the project export
(`fosp_core.annotation.export`). SmokeSeg's own ids hold no white space (tools that read the
split files line by line, and file names passed around in shell scripts, trip on them), while
``IMG 0001.jpg`` and ``smoke plume 1.png`` are common names. A renamed id is compared to the others
without case, so ``A B`` next to ``a_b`` becomes ``A_B_2``: two files that differ only by case are
one file on macOS and Windows.

An id is also a file name on every system the dataset may be copied to (`portable_id`): a character
Windows refuses in a file name (``<>:"|?*``, control characters; ``12:30:05.jpg`` from a camera) becomes
``_``, and a name Windows keeps for a device (``CON``, ``NUL``, ``AUX``, ``PRN``, ``COM1``..., ``LPT1``...,
any case, before the first dot) gets a ``_`` after it: ``con.jpg`` is exported as ``con_``, not written
into the console device there (or refused half way through an export).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fosp_core.windows_names import NOT_ON_WINDOWS, WINDOWS_DEVICES, windows_name_problem

__all__ = ["free_id", "portable_id", "renamed_why", "smokeseg_ids", "taken_ids", "without_white_space"]

_WHITE_SPACE = re.compile(r"\s+")


def without_white_space(sample_id: str) -> str:
    """`sample_id` with each run of white space made ``_`` (the id itself when it has none)."""
    return _WHITE_SPACE.sub("_", sample_id)


def portable_id(sample_id: str) -> str:
    """`sample_id` as a SmokeSeg id that is a file name on every system: white space runs made ``_``
    (`without_white_space`), characters Windows refuses made ``_``, and a Windows device name before the
    first dot followed by ``_`` (``con`` -> ``con_``, ``NUL.x`` -> ``NUL_.x``); the id itself when fine."""
    base = NOT_ON_WINDOWS.sub("_", without_white_space(sample_id))
    head, dot, rest = base.partition(".")
    if head.casefold() in WINDOWS_DEVICES:
        base = f"{head}_{dot}{rest}"
    return base


def renamed_why(sample_id: str) -> str:
    """Why `smokeseg_ids` renamed `sample_id`, for the user: "SmokeSeg ids hold no white space", or why Windows
    could not hold it as a file name (a dataset is copied between systems), or that its id was taken."""
    if _WHITE_SPACE.search(sample_id):
        return "SmokeSeg ids hold no white space"
    if (problem := windows_name_problem(sample_id)) is not None:
        return f"{problem}; SmokeSeg ids are file names on every system"
    return "that id was taken"


def free_id(base: str, taken: set[str]) -> str:
    """`base`, else ``base_2``, ``base_3`` ..., the first that is not in `taken` compared without
    case; `taken` holds case-folded ids, and the one returned is added (folded)."""
    candidate, n = base, 2
    while candidate.casefold() in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate.casefold())
    return candidate


def smokeseg_ids(ids: Sequence[str]) -> dict[str, str]:
    """id -> SmokeSeg id for each of `ids` (unique): unchanged when it is a portable file name, else
    `portable_id` (white space runs made ``_``, Windows' refused characters ``_``, a device name
    followed by ``_``) and, when that id is already one of the results (without case), ``_2``,
    ``_3`` ... appended (`free_id`). Ids that need no change keep their name first; the renamed
    follow in order."""
    out = {i: i for i in ids if portable_id(i) == i}
    taken = {i.casefold() for i in out.values()}
    for sample_id in ids:
        if sample_id not in out:
            out[sample_id] = free_id(portable_id(sample_id), taken)
    return out


def taken_ids(ids: dict[str, str]) -> set[str]:
    """The case-folded SmokeSeg ids of a `smokeseg_ids` result: what `free_id` compares to, to
    name one more id later (an image whose mask turned up after the ids were planned)."""
    return {i.casefold() for i in ids.values()}
