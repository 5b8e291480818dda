"""`worklist.sort_value` is the one reading of the number an entry sorts by: `sort_entries` sorts by it and
the app's worklist (`app.annotation.worklist_panel`, its "No image listed has ... yet" note) asks it whether
any entry has one. The panel had its own copy of the rule (`_sort_value_known`); both now agree by
construction, and these tests pin the rule for every sort key."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from fosp_core.annotation import worklist
from fosp_core.annotation.entries import ImageEntry

NUMERIC_KEYS = [k for k in worklist.SORT_KEYS if k != "name"]
SUMMARY = {"uncertainty": 0.2, "uncertain_share": 0.1, "smoke_ratio": 0.3, "error_vs_label": 0.4}


def _entries() -> list[ImageEntry]:
    """Every mix of a mask's smoke ratio and a prediction summary holding or lacking each number."""
    out = []
    for i, (mask, held) in enumerate(itertools.product((None, 0.5), itertools.product((False, True),
                                                                                      repeat=len(SUMMARY)))):
        prediction = {k: (v if keep else None) for (k, v), keep in zip(SUMMARY.items(), held, strict=True)}
        out.append(ImageEntry(id=f"e{i:02d}", image=f"e{i:02d}.png", smoke_ratio=mask,
                              prediction=prediction if any(held) else None))
    return out


def _expected(entry: ImageEntry, key: str) -> float | None:
    """The rule as the module doc and the panel's former copy stated it."""
    prediction = entry.prediction or {}
    if key == "smoke_size":
        return entry.smoke_ratio if entry.smoke_ratio is not None else prediction.get("smoke_ratio")
    return prediction.get("error_vs_label" if key == "error" else key)


@pytest.mark.parametrize("key", NUMERIC_KEYS)
def test_sort_value_is_the_documented_number(key: str) -> None:
    for entry in _entries():
        assert worklist.sort_value(entry, key) == _expected(entry, key), (key, entry)


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("key", NUMERIC_KEYS)
def test_sort_entries_puts_the_entries_with_a_sort_value_first(key: str, descending: bool) -> None:
    entries = _entries()
    known = [e.id for e in entries if worklist.sort_value(e, key) is not None]
    assert 0 < len(known) < len(entries)

    order = [e.id for e in worklist.sort_entries(entries, key, descending=descending)]

    assert sorted(order[: len(known)]) == sorted(known)
    values = [worklist.sort_value(e, key) for e in worklist.sort_entries(entries, key, descending=descending)]
    assert values[: len(known)] == sorted(values[: len(known)], reverse=descending)


def test_the_worklist_panel_has_no_copy_of_the_rule() -> None:
    source = (Path(__file__).parents[2] / "app" / "annotation" / "worklist_panel.py").read_text(encoding="utf-8")
    assert "_sort_value_known" not in source and "worklist.sort_value(" in source
