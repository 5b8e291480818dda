"""SmokeSeg ids for file stems: the stem itself, or, for a stem with white space, the stem with
each run of white space made ``_`` (``_2``, ``_3`` ... when that id is taken).

A SmokeSeg split file holds one id per line and readers take its first field, so an id cannot hold
white space; ``IMG 0001.jpg`` and ``smoke plume 1.png`` are common names. `fosp dataset convert`
renames them with this rule, as the project export does (`fosp_core.annotation.export`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["smokeseg_ids"]

_WHITE_SPACE = re.compile(r"\s+")


def smokeseg_ids(ids: Sequence[str]) -> dict[str, str]:
    """id -> SmokeSeg id for each of `ids` (unique): unchanged without white space, else white
    space runs made ``_`` and, when that id is already one of the results, ``_2``, ``_3`` ...
    appended. Ids without white space keep their name first; the renamed follow in order."""
    out = {i: i for i in ids if not _WHITE_SPACE.search(i)}
    taken = set(out.values())
    for sample_id in ids:
        if sample_id in out:
            continue
        base = _WHITE_SPACE.sub("_", sample_id)
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}_{n}", n + 1
        taken.add(candidate)
        out[sample_id] = candidate
    return out
