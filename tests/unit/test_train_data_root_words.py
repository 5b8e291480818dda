"""`fosp train small-cpu` run from another folder than the repository's said
'…/small-cpu.toml: data.train.0.path: /home/me/shared/data/smoke5k-train does not exist (data.root =
'../shared/data')': a relative data.root is read from the folder the command runs in, which the
line did not say, nor how to point it at the data. It says both now."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.cli import main


def test_a_relative_data_root_says_where_it_was_read_and_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert main(["train", "small-cpu", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "does not exist (data.root = '../shared/data'" in err, err
    assert f"relative to the folder the command runs in, {work}" in err, err
    assert "data.root=DIR" in err, err
    assert not (tmp_path / "cache" / "runs").exists()


def test_an_absolute_data_root_is_said_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    assert main(["train", "small-cpu", f"data.root={tmp_path / 'nothing'}", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"does not exist (data.root = '{tmp_path / 'nothing'}'; pass data.root=DIR" in err, err
    assert "relative to" not in err, err
