"""Exact duplicates among a dataset's images: the same file bytes under two names.

A copy saved twice (``IMG_0001.jpg`` and ``IMG_0001 copy.jpg``) is one picture: a random split can
put it in train and in val, and the validation score then counts an image the model learned. The
check is cheap: files are grouped by size first (one ``stat`` each) and only files of a size shared
with another are hashed. Near-duplicates (the same scene a few seconds apart) are the scene split's
business (`fosp_core.data.splits`), not this module's.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping

__all__ = ["SAME_FILE", "duplicates_text", "duplicates_words", "exact_duplicates", "file_digest", "group_splits",
           "keep_together"]

_CHUNK = 1 << 20


def file_digest(path: str | os.PathLike) -> str:
    """BLAKE2b hex digest of a file's bytes (read in 1 MiB chunks)."""
    digest = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def exact_duplicates(files: Mapping[str, str | os.PathLike]) -> list[list[str]]:
    """Groups of ids whose files hold the same bytes, from {id: file}; each group sorted, groups in
    the order of their first id; ids alone in their group are left out. A file that cannot be read
    is in no group (its reader says why elsewhere)."""
    by_size: dict[int, list[str]] = {}
    for sample_id, path in files.items():
        try:
            by_size.setdefault(os.stat(path).st_size, []).append(sample_id)
        except OSError:
            continue
    by_digest: dict[str, list[str]] = {}
    for ids in by_size.values():
        if len(ids) < 2:
            continue
        for sample_id in ids:
            try:
                by_digest.setdefault(file_digest(files[sample_id]), []).append(sample_id)
            except OSError:
                continue
    groups = [sorted(ids) for ids in by_digest.values() if len(ids) > 1]
    order = {sample_id: k for k, sample_id in enumerate(files)}
    return sorted(groups, key=lambda group: min(order[i] for i in group))


def keep_together(splits: Mapping[str, list[str]], groups: list[list[str]]) -> dict[str, list[str]]:
    """`splits` with each group of duplicates in one split: the split of the group's member listed
    first (splits in their order, then members in theirs); the others move there, each split kept
    sorted when it was. Splits without a duplicate are returned as they were."""
    where = {sample_id: name for name, members in splits.items() for sample_id in members}
    out = {name: list(members) for name, members in splits.items()}
    rank = {sample_id: k for k, sample_id in enumerate(i for members in splits.values() for i in members)}
    for group in groups:
        placed = [i for i in group if i in where]
        if len({where[i] for i in placed}) < 2:
            continue
        home = where[min(placed, key=rank.__getitem__)]
        for sample_id in placed:
            if where[sample_id] != home:
                out[where[sample_id]].remove(sample_id)
                out[home].append(sample_id)
        if splits[home] == sorted(splits[home]):
            out[home].sort()
    return out


def duplicates_text(groups: list[list[str]], limit: int = 8) -> str:
    """'a = b, c = d = e' for the first `limit` groups, '... (N groups)' after."""
    text = ", ".join(" = ".join(group) for group in groups[:limit])
    return text + (f", ... ({len(groups)} groups)" if len(groups) > limit else "")


SAME_FILE = "exact duplicates, the same image file under two names"


def group_splits(groups: list[list[str]], splits: Mapping[str, list[str]]) -> list[list[str]]:
    """Per group of `groups`, the names of the `splits` ({name: ids}) holding one of its ids, in the
    splits' order (one name: the group was kept in one split)."""
    held = {name: set(members) for name, members in splits.items()}
    return [[name for name, members in held.items() if members.intersection(group)] for group in groups]


def duplicates_words(groups: list[list[str]], where: list[list[str]] | None = None, *, hint: str = "",
                     named: int = 8) -> str:
    """What the export and the conversion (the Export dialog, ``fosp project export``, ``fosp dataset
    convert``) say of the exact duplicates `groups` written, one wording for all three. `where` is
    per group the splits it was written in (`group_splits`; None, or not one per group: nothing is
    said of splits). Every group in one split: "(each kept in one split)"; else the groups in more
    than one split (kept source splits are written as they were) named with their splits, the first
    `named` of them, and `hint` (how to keep them together, in the caller's words) after the reason."""
    text = SAME_FILE
    known = where is not None and len(where) == len(groups)
    apart = [f"{' = '.join(group)} in {' and '.join(names)}"
             for group, names in zip(groups, where or [], strict=False) if len(names) > 1] if known else []
    if known and not apart:
        text += " (each kept in one split)"
    text += f": {duplicates_text(groups)}"
    if apart:
        more = f" and {len(apart) - named} more" if len(apart) > named else ""
        text += (f"; not kept in one split (the source's splits, as they were{'; ' + hint if hint else ''}): "
                 f"{', '.join(apart[:named])}{more}")
    return text
