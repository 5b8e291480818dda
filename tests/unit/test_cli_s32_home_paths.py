"""A path given as ``"~/out.json"`` (quoted in a script, from Windows' cmd or PowerShell, from a tool that
passes words as they are: no shell expanded it) made a folder named ``~`` in the working folder and wrote
there, while the user looked in their home. `fosp` reads a word starting with ``~`` or ``~user`` as the
shell would have, in every subcommand (the option's ``--json=~/x`` form too)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.cli import main


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home ü"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return home


def test_paths_under_the_home_are_the_homes(home: Path, demo_dir: Path) -> None:
    shutil.copytree(demo_dir, home / "demo")
    assert main(["dataset", "stats", "~/demo", "--json", "~/stats/a.json"]) == 0
    assert (home / "stats" / "a.json").is_file()
    assert main(["dataset", "stats", "~/demo", "--json=~/stats/b.json"]) == 0
    assert (home / "stats" / "b.json").is_file()
    assert not (Path.cwd() / "~").exists()


def test_only_words_starting_with_a_tilde_change(home: Path) -> None:
    from fosp_core.cli import expand_home

    words = ["~", "~/a b", "--json=~/x.json", "a~/b", "train.name=~x", "--keep", "core:0.7", "./~/c", "-"]
    assert expand_home(words) == [str(home), str(home / "a b"), f"--json={home / 'x.json'}", "a~/b",
                                  "train.name=~x", "--keep", "core:0.7", "./~/c", "-"]
    assert expand_home(["~no-such-user-k/x"]) == ["~no-such-user-k/x"]  # as the shell leaves it
