"""The worklist's sort reads each entry's number once.

`sort_entries` runs on every worklist refresh (3-4 per stroke, review or image turned: bench/
bench_big_folder_day.py), over every entry of the project; for any key but the name it read each entry's
number twice (`sort_value` once to sort the entries that have one, again to find those that have none):
2 000 images, 4 000 reads a refresh. Counted here; the order is pinned too."""

from __future__ import annotations

import pytest

import fosp_core.annotation.worklist as worklist
from fosp_core.annotation.entries import ImageEntry


def _entries(n: int) -> list[ImageEntry]:
    out = []
    for i in range(n):
        summary = None if i % 3 == 0 else {"uncertainty": (i * 7 % 11) / 44, "uncertain_share": i / n}
        out.append(ImageEntry(id=f"img_{i:04d}", image=f"img_{i:04d}.jpg", prediction=summary))
    return out


@pytest.mark.parametrize("key", ["uncertainty", "uncertain_share", "smoke_size", "error"])
def test_each_entry_is_read_once(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    entries = _entries(300)
    expected = worklist.sort_entries(entries, key)
    reads: list[str] = []
    real = worklist.sort_value

    def counted(entry: ImageEntry, k: str) -> float | None:
        reads.append(entry.id)
        return real(entry, k)

    monkeypatch.setattr(worklist, "sort_value", counted)
    assert worklist.sort_entries(entries, key) == expected
    assert len(reads) == len(entries)


def test_the_order_is_by_value_then_project_order_with_the_entries_without_one_last() -> None:
    entries = _entries(30)
    got = [e.id for e in worklist.sort_entries(entries, "uncertainty")]
    known = [e for e in entries if e.prediction is not None]
    want = sorted(known, key=lambda e: (-e.prediction["uncertainty"], entries.index(e)))
    assert got == [e.id for e in want] + [e.id for e in entries if e.prediction is None]
    ascending = [e.id for e in worklist.sort_entries(entries, "uncertainty", descending=False)]
    want_up = sorted(known, key=lambda e: (e.prediction["uncertainty"], entries.index(e)))
    assert ascending == [e.id for e in want_up] + [e.id for e in entries if e.prediction is None]
