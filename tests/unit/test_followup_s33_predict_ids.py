"""fosp predict's output ids stay apart when compared without case (macOS and Windows file systems)."""

from __future__ import annotations

from pathlib import Path

from fosp_core.cli.predict_paths import unique_ids


def test_ids_differing_only_in_case_stay_apart() -> None:
    ids = unique_ids([Path("d/Smoke.jpg"), Path("d/smoke.png")])
    assert len({i.casefold() for i in ids}) == 2, ids
    assert ids[0] == "Smoke"


def test_a_prefixed_id_taken_in_another_case_gets_a_counter() -> None:
    ids = unique_ids([Path("d/a.jpg"), Path("D/a.png"), Path("x/d_A.jpg"), Path("d/A.png")])
    assert len({i.casefold() for i in ids}) == 4, ids


def test_ids_as_before_without_clashes() -> None:
    assert unique_ids([Path("a/x.jpg"), Path("b/x.jpg"), Path("c/y.png")]) == ["x", "b_x", "y"]
