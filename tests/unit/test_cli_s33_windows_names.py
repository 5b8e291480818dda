"""A run's name and the destinations typed on the command line were not checked against the names Windows cannot
hold (``CON``, ``NUL``, ``COM1``, ``aux.json``, a ``:``, a trailing dot or space): a run named so could not be
copied to Windows (runs are shared; the app lists them), and there a write failed in the OS's words, which name
nothing useful ('The system cannot find the file specified'), or went to a device.

A run name is refused on every platform (a run folder must open on Windows too; the name is the user's choice,
easily another); a typed destination only on Windows (elsewhere ``aux.json`` is a file like any other, maybe one
there already), faked here through `fosp_core.windows_names.on_windows` (pathlib follows ``os.name`` itself)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core import windows_names
from fosp_core.cli import main, output_file_problem, write_json_file
from fosp_core.cli.predict_paths import out_dir_problem, video_out_problem
from fosp_core.train.config import ConfigError, load_config

DEVICE = "is a name Windows keeps for a device"


@pytest.mark.parametrize(("name", "said"), [
    ("CON", f"CON {DEVICE}"), ("nul.run", f"nul {DEVICE}"), ("com1", f"com1 {DEVICE}"),
    ("a:b", "Windows refuses the character ':'"), ("run.", "trailing dot or space"), ("run ", "trailing dot or space"),
    ("a\\b", "a path separator (/ or \\) names another folder"),
])
def test_a_run_name_windows_cannot_hold_is_refused_everywhere(name: str, said: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_config("small-cpu", [f"name={name!r}" if name.endswith(" ") else f"name={name}"])
    text = str(error.value)
    assert f"'name' must be a folder name that opens on Windows too (runs are copied between machines), got {name!r}: " \
           in text and said in text, text


def test_a_plain_run_name_passes() -> None:
    assert load_config("small-cpu", ["name=my-finetune.v2"]).name == "my-finetune.v2"


def test_train_ssl_refuses_such_a_name(capsys) -> None:
    assert main(["train-ssl", "--name", "aux", "--iterations", "1"]) == 2
    err = capsys.readouterr().err
    assert f"--name 'aux': aux {DEVICE} (no file may be called so there); a run's folder must open on Windows" in err, err


@pytest.fixture()
def windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(windows_names, "on_windows", lambda: True)


def test_typed_destinations_are_refused_on_windows(tmp_path: Path, windows: None) -> None:
    said = output_file_problem(tmp_path / "aux.json", "--json out")
    assert said == f"--json out: aux.json: aux {DEVICE} (no file may be called so there); choose another name", said
    assert write_json_file(tmp_path / "a:b" / "r.json", {}) is not None and not (tmp_path / "a:b").exists()
    assert "NUL" in (out_dir_problem(tmp_path / "NUL" / "masks") or "")
    assert "trailing dot" in (video_out_problem(tmp_path / "overlay.mp4.") or "")
    assert out_dir_problem(tmp_path / "masks") is None and output_file_problem(tmp_path / "r.json", "x") is None


def test_the_commands_say_it_before_any_work(tmp_path: Path, demo_dir: Path, windows: None, capsys) -> None:
    cases = [
        (["eval", "--dataset", str(demo_dir), "--predictions", str(tmp_path), "--json", str(tmp_path / "con.json")],
         "con.json: con"),
        (["predict", str(demo_dir / "JPEGImages"), "--out", str(tmp_path / "prn")], "prn: prn"),
        (["train-export", str(tmp_path), str(tmp_path / "lpt1.safetensors")], "lpt1.safetensors: lpt1"),
        (["dataset", "convert", str(demo_dir), str(tmp_path / "aux")], "aux: aux"),
        (["dataset", "stats", str(demo_dir), "--json", str(tmp_path / "s?.json")], "Windows refuses the character '?'"),
    ]
    for argv, said in cases:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert said in err and "choose another name" in err, (argv, err)


def test_elsewhere_such_a_destination_is_a_file_like_any_other(tmp_path: Path) -> None:
    assert output_file_problem(tmp_path / "aux.json", "--json out") is None
    assert out_dir_problem(tmp_path / "con") is None


def test_a_runs_folder_windows_cannot_make_is_refused_there(tmp_path: Path, windows: None, capsys) -> None:
    with pytest.raises(ConfigError) as error:
        load_config("small-cpu", [f"runs_dir={str(tmp_path / 'aux')!r}"])
    assert "'runs_dir' names a folder Windows cannot make, aux: aux is a name Windows keeps" in str(error.value)
    assert main(["train", "small-cpu", "--runs-dir", str(tmp_path / "runs:1")]) == 2
    assert "runs:1: Windows refuses the character ':'" in capsys.readouterr().err
    assert main(["train-ssl", "--runs-dir", str(tmp_path / "com2"), "--iterations", "1"]) == 2
    assert f"--runs-dir {tmp_path / 'com2'}: com2: com2 {DEVICE}" in capsys.readouterr().err
