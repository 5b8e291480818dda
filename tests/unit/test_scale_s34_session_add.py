"""A folder or dataset opened again hands the session every path it lists, all open already: `ImageSession.add`
told which were new by a dict keyed by `Path`, whose hash and equality are Python methods: three Python calls
a path, ~0.1-0.25 s on the GUI thread at 30 000 images (bench/bench_dataset_reopen.py, cProfile). It keys by
the path's text now (C's hash and equality). And a name filter set while images were added matched every
name again at each add; now only the added ones. The work is counted (calls), never timed."""

from __future__ import annotations

import pathlib
from pathlib import Path

import pytest

from fosp_core import session as session_module
from fosp_core.session import ImageSession

N = 2000


def _paths(root: Path, n: int, prefix: str = "img") -> list[Path]:
    return [root / f"{prefix}{i:05d}.jpg" for i in range(n)]


def _count_path_calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls = {"n": 0}
    for name in ("__hash__", "__eq__"):
        real = getattr(pathlib.PurePath, name)

        def counted(self, *args, _real=real):  # noqa: ANN001, ANN002, ANN202
            calls["n"] += 1
            return _real(self, *args)

        monkeypatch.setattr(pathlib.PurePath, name, counted)
    return calls


def test_adding_open_paths_again_makes_no_python_call_a_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = ImageSession()
    listed = _paths(tmp_path, N)
    assert session.add(listed, resolved=True, names=[p.name for p in listed]) == listed
    again = [Path(str(p)) for p in listed]  # a new listing: equal paths, other objects (the open's worker made them)
    calls = _count_path_calls(monkeypatch)
    assert session.add(again, resolved=True, names=[p.name for p in again]) == []
    assert calls["n"] < 10  # was 3 x N: a Path's hash twice and its equality once, for each
    monkeypatch.undo()
    new = tmp_path / "new.jpg"
    assert session.add([*again, new], resolved=True) == [new]
    assert len(session) == N + 1 and session.index_of(new) == N and session.index_of(listed[7]) == 7
    assert new in session and listed[3] in session and str(new) not in session


def test_paths_given_twice_in_one_add_open_once(tmp_path: Path) -> None:
    session = ImageSession()
    a, b = tmp_path / "a.jpg", tmp_path / "b.jpg"
    assert session.add([a, b, Path(str(a))], resolved=True, names=["a.jpg", "b.jpg", "a.jpg"]) == [a, b]
    assert session.names == ("a.jpg", "b.jpg")
    assert session.add([str(b), str(tmp_path / "c.jpg")], resolved=True) == [tmp_path / "c.jpg"]
    assert session.names == ("a.jpg", "b.jpg", "c.jpg") and session.index_of(tmp_path / "c.jpg") == 2


def test_an_add_under_a_name_filter_matches_the_added_names_only(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    session = ImageSession()
    session.add(_paths(tmp_path, N), resolved=True)
    session.set_filter("img0001")
    listed = session.visible_indices()
    assert listed == tuple(range(10, 20))
    tested = {"n": 0}
    real = session_module.name_matcher

    def counting(pattern: str):  # noqa: ANN202
        test = real(pattern)

        def counted(name: str) -> bool:
            tested["n"] += 1
            return test(name)
        return counted

    monkeypatch.setattr(session_module, "name_matcher", counting)
    session.add([tmp_path / "img0001x.jpg", tmp_path / "other.jpg"], resolved=True)
    assert tested["n"] == 2  # was N + 2: every name matched again
    assert session.visible_indices() == (*range(10, 20), N)
