"""The picture writers of the developer tools save in the format their file's suffix names, and refuse a
suffix no writer knows before any work: the compare grid (``--screenshot --run-model --compare grid.jpg``,
Analysis ▸ Export Compare Grid…), ``python -m app.annotation.screenshot OUT`` and ``python -m
app.training.screenshot OUT`` wrote PNG data whatever the name (grid.jpg held a PNG), and a name like
shot.xyz was written as a PNG too (the training tool after a whole fine-tune)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtGui import QImage

from app.analysis.compare_grid import CompareGrid
from app.analysis.grid_export import GridExport
from app.main_args import parse_args, usage_problem
from fosp_core.infer.result import Prediction
from tests.gui.test_analysis_figures_alone import _image, _shown, _Window

ROOT = Path(__file__).resolve().parents[2]
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG"


def _grid_export(qtbot, tmp_path: Path) -> GridExport:  # noqa: ANN001
    grid = CompareGrid()
    qtbot.addWidget(grid)
    grid.resize(800, 240)
    shown = _shown(Prediction(probability=np.linspace(0, 1, 48, dtype=np.float32).reshape(6, 8)))
    dock = SimpleNamespace(isVisible=lambda: True)
    return GridExport(_Window(_image(tmp_path / "plume.png")), shown, grid, dock, lambda _text: None)


def test_the_compare_grid_is_written_in_its_suffixs_format(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    export = _grid_export(qtbot, tmp_path)
    for name, magic in (("grid.jpg", JPEG_MAGIC), ("grid.JPEG", JPEG_MAGIC), ("grid.png", PNG_MAGIC)):
        assert export.write(tmp_path / name), export.failure
        assert (tmp_path / name).read_bytes()[:len(magic)] == magic, name
        assert not QImage(str(tmp_path / name)).isNull()


def test_the_compare_grid_refuses_an_unknown_suffix(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    export = _grid_export(qtbot, tmp_path)
    assert not export.write(tmp_path / "grid.xyz")
    assert ".xyz" in export.failure and ".png" in export.failure and ".jpg" in export.failure, export.failure
    assert not (tmp_path / "grid.xyz").exists()


def test_the_command_line_refuses_a_compare_grid_of_an_unknown_suffix(tmp_path: Path) -> None:
    args, _ = parse_args(["--screenshot", str(tmp_path / "shot.png"), "--run-model", "--compare",
                          str(tmp_path / "grid.xyz")])
    problem = usage_problem(args)
    assert problem is not None and problem.startswith(f"--compare {tmp_path / 'grid.xyz'}: cannot write .xyz"), problem
    args, _ = parse_args(["--screenshot", str(tmp_path / "shot.png"), "--run-model", "--compare", str(tmp_path)])
    assert usage_problem(args) == f"--compare {tmp_path} is a folder: name the picture file to write"
    args, _ = parse_args(["--screenshot", str(tmp_path / "shot.png"), "--run-model", "--compare",
                          str(tmp_path / "grid.jpg")])
    assert usage_problem(args) is None


def _tool(module: str, *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FOSP_CACHE": str(tmp_path / "cache"),
           "HOME": str(tmp_path / "home")}
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_annotation_screenshot_is_written_in_its_suffixs_format(tmp_path: Path) -> None:
    out = tmp_path / "shots" / "annotation.jpg"
    done = _tool("app.annotation.screenshot", str(out), tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert out.read_bytes()[:3] == JPEG_MAGIC
    assert QImage(str(out)).width() == 1400


def _refused(module: str, *args: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """(exit code, stderr) of the tool's `main(args)` called in this process, as `python -m module` runs it,
    with no app allowed to start (a refusal comes before any work; the tools' runs as processes are
    test_the_annotation_screenshot_is_written_in_its_suffixs_format and tests/gui/test_finetune_screenshot.py)."""
    import importlib

    import app.main

    def no_app(*_args: object) -> None:
        raise AssertionError(f"{module} started the app before refusing")

    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(app.main, "create_app", no_app)
    capsys.readouterr()
    code = importlib.import_module(module).main(list(args))
    return code, capsys.readouterr().err


@pytest.mark.parametrize("module", ["app.annotation.screenshot", "app.training.screenshot"])
def test_a_screenshot_tool_refuses_an_unknown_suffix_before_any_work(module: str, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "shot.xyz"
    args = (str(out), "--iterations", "1") if module.startswith("app.training") else (str(out),)
    code, err = _refused(module, *args, tmp_path=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2, err
    assert f"{out}: cannot write .xyz pictures" in err, err
    assert not out.exists() and not (tmp_path / "cache").exists()


def test_a_picture_with_alpha_is_saved_as_a_jpeg(tmp_path: Path) -> None:
    from app.picture_format import save_picture

    image = QImage(20, 10, QImage.Format.Format_ARGB32)
    image.fill(0x80FF0000)
    assert save_picture(image, tmp_path / "half.jpg")
    assert (tmp_path / "half.jpg").read_bytes()[:3] == JPEG_MAGIC
    assert not save_picture(image, tmp_path / "half.xyz") and not (tmp_path / "half.xyz").exists()


def test_the_annotation_screenshot_refuses_a_folder_before_any_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _refused("app.annotation.screenshot", str(tmp_path), tmp_path=tmp_path, monkeypatch=monkeypatch,
                         capsys=capsys)
    assert code == 2, err
    assert f"{tmp_path} is a folder: name the picture file to write" in err, err
