"""The worklist's name filter over a project's entries (`app.annotation.worklist_step.within_name_filter`), made
at every change of the Images list's filter now that the worklist lists what it lets through (s37): each entry's
name went through `fosp_core.session.name_matcher`'s test, Python calls a name (0.3-0.4 s on the GUI thread at
100 000 entries, a loaded 2-core machine). The project's names are now case-folded once and each term tested over
all of them in C; what it lists is the same as `name_matcher` says. The work is counted, never timed."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from app.annotation import worklist_step
from fosp_core.annotation.entries import ImageEntry
from fosp_core.session import name_matcher

NAMES = ["20200822_BrattonFire_lp-s.jpg", "20180706_West_lp-n.JPG", "inside-Mexico_cp-s.png", "ValleyFire [1].jpg",
         "STRASSE_Straße.jpg", "a?b*c.jpg", "sub.dir.name.tif", "x" * 40 + ".jpg", "Ünïcode_fire.jpeg"]
PATTERNS = ["fire", "FIRE lp", "2020*_lp", "lp-?", "[vw]", "*", "?", "straße", "STRASSE", "ünï", ".jpg fire",
            "nowhere", "   ", "[1]", "a?b", "x*x*x", "sub.dir", "e_f", "lp  fire  2020"]


@dataclass(eq=False)
class _Project:
    entries: list[ImageEntry] = field(default_factory=list)


def _project() -> _Project:
    return _Project([ImageEntry(id=f"id{i}", image=f"folder/sub/{name}") for i, name in enumerate(NAMES)])


@pytest.mark.parametrize("pattern", PATTERNS)
def test_it_lists_what_the_sessions_name_test_lists(pattern: str) -> None:
    project = _project()
    matches = name_matcher(pattern)
    expected = [e.id for e in project.entries if matches(e.image.rsplit("/", 1)[-1])]
    assert [e.id for e in worklist_step.within_name_filter(project.entries, pattern, None, project)] == expected
    keep = "id2"
    with_kept = [e.id for e in project.entries if e.id in expected or e.id == keep]
    got = worklist_step.within_name_filter(project.entries, pattern, keep, project)
    assert [e.id for e in got] == with_kept


def test_a_projects_names_are_not_tested_one_python_call_a_name(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}

    def counted(pattern: str):  # noqa: ANN202
        test = name_matcher(pattern)

        def counting(name: str) -> bool:
            calls["n"] += 1
            return test(name)
        return counting

    monkeypatch.setattr(worklist_step, "name_matcher", counted)
    project = _Project([ImageEntry(id=f"id{i}", image=f"JPEGImages/cam{i % 7}_{i:05d}.jpg") for i in range(2000)])
    listed = worklist_step.within_name_filter(project.entries, "cam3", None, project)
    assert len(listed) == sum(1 for i in range(2000) if i % 7 == 3)
    assert calls["n"] == 0  # was 2 000: one a name
