"""``fosp dataset convert`` and ``fosp dataset synth`` to where an earlier export was killed remove that
export's unfinished copy and said so only through the writer's logged warning (gone with logging off or
configured elsewhere); ``fosp project export`` and ``fosp video export`` print a line of their own (c6bb26c).
They now print the same line on stderr: once, with logging on or off."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.test_cli_export_cleans_dead_export import _fosp
from tests.unit.test_export_report_cleaned import dead_export_beside

pytestmark = pytest.mark.skipif(os.name != "posix", reason="a writer's liveness is read from its pid on POSIX")


def _said_once(stderr: str, dst: Path, debris: Path) -> None:
    said = [line for line in stderr.splitlines() if debris.name in line]
    assert said == [f"{dst}: removed a dead export's unfinished copy beside it: {debris.name}, 120.0 KB"], stderr


@pytest.mark.parametrize("logging", [True, False], ids=["logging", "logging-off"])
def test_convert_says_the_dead_exports_copy_it_removed(demo_dir: Path, tmp_path: Path, logging: bool) -> None:
    dst = tmp_path / "out"
    debris = dead_export_beside(dst)
    run = _fosp("dataset", "convert", str(demo_dir), str(dst), "--to", "smokeseg", logging=logging)
    assert run.returncode == 0, run.stderr
    assert not debris.exists() and (dst / "JPEGImages").is_dir()
    _said_once(run.stderr, dst, debris)


@pytest.mark.parametrize("logging", [True, False], ids=["logging", "logging-off"])
def test_synth_says_the_dead_exports_copy_it_removed(demo_dir: Path, tmp_path: Path, logging: bool) -> None:
    dst = tmp_path / "synth"
    debris = dead_export_beside(dst)
    run = _fosp("dataset", "synth", "--backgrounds", str(demo_dir), "--n", "2", "--size", "64", str(dst),
                logging=logging)
    assert run.returncode == 0, run.stderr
    assert not debris.exists() and (dst / "JPEGImages").is_dir()
    _said_once(run.stderr, dst, debris)
