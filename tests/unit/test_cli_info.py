"""`fosp info` lists versions, the CPU device and the model search path."""

from __future__ import annotations

import json

from fosp_core.cli import main


def test_info_json_lists_cpu_and_search_path(capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("FOSP_MODELS", str(tmp_path))
    assert main(["info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert any(d["type"] == "cpu" and d["threads"] >= 1 for d in info["devices"])
    assert info["model_search_path"][0] == str(tmp_path)
    assert info["packages"]["torch"]


def test_info_text(capsys) -> None:
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "compute devices:" in out and "cpu" in out


def test_no_command_prints_help(capsys) -> None:
    assert main([]) == 2
    assert "usage: fosp" in capsys.readouterr().out
