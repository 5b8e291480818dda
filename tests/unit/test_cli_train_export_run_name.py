"""`fosp train-export ft-budj OUT` (a typo of the run name `ft-budget`) said 'ft-budj: no
best.safetensors or last.pt; is this a run folder?', naming neither where it looked (the runs
folder) nor the runs there."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.cli import main


def test_a_run_name_not_found_says_where_it_looked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    runs = tmp_path / "cache" / "runs"
    for name in ("ft-budget", "my-finetune"):
        (runs / name).mkdir(parents=True)
        (runs / name / "last.pt").write_bytes(b"")
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    assert main(["train-export", "ft-budj", "out.safetensors"]) == 2
    err = capsys.readouterr().err
    assert f"no run ft-budj here nor in the runs folder {runs}" in err, err
    assert "did you mean ft-budget?" in err, err
    assert "runs there: ft-budget, my-finetune" in err, err
    assert not (tmp_path / "out.safetensors").exists()
