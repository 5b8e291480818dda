"""What a new user sees when `fosp-studio` cannot start as asked (read as one would, offscreen):

- no display (an ssh session, a container; `DISPLAY` and `WAYLAND_DISPLAY` unset, no platform chosen):
  Qt aborted (exit 134, a core dump) after "could not connect to display ... Reinstalling the
  application may fix this problem", which it will not. Now one line says why and what to do instead.
- the screenshot-only options (`--run-model`, `--checkpoint`, `--layers`, `--regions`, `--compare`,
  `--size`) without `--screenshot` were ignored without a word: the window opened and no model ran.
- `--screenshot FOLDER` rendered the whole window, then said "could not write FOLDER".
- each `--screenshot` printed the offscreen platform's "This plugin does not support
  propagateSizeHints()" (and "... raise()") among the lines that report problems.
- `--size` out of range (0x0 silently clamped; 40000x30000 killed by the kernel), or below the window's
  smallest (saved larger without a word); an unknown option (a typo left to Qt, which ignored it);
  --layers/--regions/--compare without --run-model (ignored); a --checkpoint run folder (said to be "no
  such file"); a --screenshot whose folder cannot be made (mkdir's traceback after the render).

`app.main.main` runs here with `create_app` replaced by a stand-in that stops it, so no window is made."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

import app.main
from app.main_args import MAX_SCREENSHOT_SIDE

ROOT = Path(__file__).resolve().parents[2]


class _Built(Exception):
    """The stand-in create_app's: main got as far as building the app."""


@pytest.fixture()
def entry(monkeypatch: pytest.MonkeyPatch) -> None:
    def create_app(argv: object = None) -> None:
        raise _Built

    monkeypatch.setattr(app.main, "create_app", create_app)
    monkeypatch.setattr(app.main, "apply_default_wait_policy", lambda: None)  # this process's environment stays


def _no_display(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")


@pytest.mark.usefixtures("entry")
def test_no_display_is_said_in_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _no_display(monkeypatch)
    assert app.main.main([]) == 1  # was Qt's abort (134)
    err = capsys.readouterr().err
    assert err.startswith("fosp-studio: no display") and "--screenshot" in err and err.count("\n") == 1, err


@pytest.mark.usefixtures("entry")
@pytest.mark.parametrize("argv", [["--screenshot", "out.png"], ["-platform", "offscreen"], ["-platform=vnc"]])
def test_no_display_is_fine_offscreen_or_on_a_chosen_platform(monkeypatch: pytest.MonkeyPatch,
                                                               argv: list[str]) -> None:
    _no_display(monkeypatch)
    with pytest.raises(_Built):
        app.main.main(argv)


@pytest.mark.usefixtures("entry")
@pytest.mark.parametrize("env", [{"DISPLAY": ":0"}, {"WAYLAND_DISPLAY": "wayland-0"}, {"QT_QPA_PLATFORM": "vnc"}])
def test_a_display_or_a_chosen_platform_starts(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    _no_display(monkeypatch)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(_Built):
        app.main.main([])


@pytest.mark.usefixtures("entry")
@pytest.mark.parametrize("option", [["--run-model"], ["--checkpoint", "m.safetensors"], ["--layers", "hole"],
                                    ["--regions", "core:0.7"], ["--compare", "grid.png"], ["--size", "640x480"]])
def test_screenshot_options_without_screenshot_are_refused(monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str],
                                                           option: list[str]) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert app.main.main(option) == 2  # was a window, the option ignored
    err = capsys.readouterr().err
    assert err == f"fosp-studio: {option[0]} only works with --screenshot OUT.png\n", err


@pytest.mark.usefixtures("entry")
def test_a_screenshot_into_a_folder_is_refused_before_rendering(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert app.main.main(["--screenshot", str(tmp_path)]) == 2  # was a whole render, then "could not write"
    err = capsys.readouterr().err
    assert err == f"fosp-studio: --screenshot {tmp_path} is a folder: name the picture file to write\n", err


def _screenshot(tmp_path: Path, *options: str, qt: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """A real `python main.py QT IMAGE --screenshot OUT.png OPTIONS` (the default model loads, as for a user;
    `qt`: Qt's own options, before the image)."""
    image = tmp_path / "sky.jpg"
    cv2.imwrite(str(image), np.full((48, 64, 3), 120, np.uint8))
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(FOSP_CACHE=str(tmp_path / "cache"), FOSP_CONFIG=str(tmp_path / "config"), HOME=str(tmp_path),
               XDG_CACHE_HOME=str(tmp_path / "xdg"))
    done = subprocess.run([sys.executable, "main.py", *qt, str(image), "--screenshot", str(tmp_path / "out.png"),
                           *options], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "out.png").is_file()
    return done


def test_a_screenshot_smaller_than_the_window_can_be_says_its_size_and_prints_no_plugin_noise(tmp_path: Path) -> None:
    """--size 10x10 saved a 446x444 picture (the window's smallest) as if it were 10x10. The same run prints
    none of the offscreen platform's noise (was "This plugin does not support propagateSizeHints()"), and
    takes Qt's `-style fusion` before the image (tests/gui/test_review31_qt_options.py: it was refused, exit
    2), one process for the three: a start with the default model costs ~4 s of the 2-core CI's time. A
    screenshot of the window's own size says its path alone: tests/e2e/test_screenshot.py::test_screenshot_of_the_demo."""
    done = _screenshot(tmp_path, "--size", "10x10", qt=("-style", "fusion"))  # exit 0: -style fusion taken
    assert "fusion" not in done.stderr, done.stderr  # neither "unknown option -style" nor "cannot open 'fusion'"
    assert "This plugin does not support" not in done.stderr, done.stderr  # was propagateSizeHints()
    height, width = cv2.imread(str(tmp_path / "out.png")).shape[:2]
    assert width > 10 and height > 10
    assert done.stdout == (f"screenshot saved to {tmp_path / 'out.png'} ({width}x{height}: "
                           f"the window cannot be smaller than that)\n"), done.stdout


@pytest.mark.usefixtures("entry")
@pytest.mark.parametrize("size", ["0x0", "1280x0", "40000x30000", "1280x9000"])
def test_a_screenshot_size_out_of_range_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   size: str) -> None:
    """0x0 saved a window of its own minimum size without a word; 40000x30000 grew until the kernel
    killed the process (137: a 4.8 GB grab)."""
    assert app.main.main(["--size", size, "--screenshot", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err
    assert err == f"fosp-studio: --size {size}: each side must be 1 to {MAX_SCREENSHOT_SIDE} pixels\n"


@pytest.mark.usefixtures("entry")
def test_a_screenshot_size_in_range_goes_on(tmp_path: Path) -> None:
    with pytest.raises(_Built):
        app.main.main(["--size", f"{MAX_SCREENSHOT_SIDE}x1", "--screenshot", str(tmp_path / "x.png")])


@pytest.mark.parametrize("screenshot", [False, True])
def test_an_unknown_option_is_named(tmp_path: Path, screenshot: bool) -> None:
    """`--screnshot out.png` (a typo): argparse left the option to Qt, which ignored it, and the window
    opened saying it "cannot open out.png". What neither argparse nor Qt takes is now named (exit 2)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FOSP_CACHE": str(tmp_path / "cache"),
           "FOSP_CONFIG": str(tmp_path / "config"), "HOME": str(tmp_path)}
    argv = ["--screnshot", str(tmp_path / "out.png"), "-style", "fusion"]
    if screenshot:
        argv += ["--screenshot", str(tmp_path / "real.png")]
    try:
        done = subprocess.run([sys.executable, "main.py", *argv], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=90)
    except subprocess.TimeoutExpired:
        pytest.fail("the window opened")  # before: it did, and waited for its user
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stderr.splitlines()[-1] == "fosp-studio: unknown option --screnshot (fosp-studio --help lists them)"
    assert not (tmp_path / "real.png").exists()


@pytest.mark.usefixtures("entry")
@pytest.mark.parametrize("option", [["--layers", "hole"], ["--regions", "core:0.7"], ["--compare", "grid.png"]])
def test_run_model_options_without_run_model_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         option: list[str]) -> None:
    """`--screenshot OUT --compare GRID` wrote no grid and said nothing (it needs --run-model)."""
    assert app.main.main([*option, "--screenshot", str(tmp_path / "x.png")]) == 2
    assert capsys.readouterr().err == f"fosp-studio: {option[0]} only works with --run-model\n"


@pytest.fixture()
def screenshot_args(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The `analysis` namespace main hands to take_screenshot (stand-ins for the app and the render)."""
    seen: list[object] = []
    monkeypatch.setattr(app.main, "create_app", lambda argv=None: None)
    monkeypatch.setattr(app.main, "unknown_option", lambda app_, qt_args: False)
    monkeypatch.setattr(app.main, "quiet_offscreen_platform", lambda: None)
    monkeypatch.setattr(app.main, "apply_default_wait_policy", lambda: None)
    monkeypatch.setattr(app.main, "take_screenshot", lambda *a, analysis=None, **k: seen.append(analysis) or 0)
    return seen


def test_a_run_folder_checkpoint_gives_its_weights(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   screenshot_args: list[object]) -> None:
    """`--checkpoint RUN_FOLDER`, as `fosp predict --checkpoint` takes it: it said "there is no such file
    (moved or deleted?)" of the folder, after the whole render."""
    run = tmp_path / "runs" / "my-finetune"
    run.mkdir(parents=True)
    (run / "best.safetensors").write_bytes(b"weights")
    assert app.main.main(["--run-model", "--checkpoint", str(run), "--screenshot", str(tmp_path / "x.png")]) == 0
    assert [args.checkpoint for args in screenshot_args] == [run / "best.safetensors"]  # type: ignore[attr-defined]
    assert f"{run} is a run folder: using its best.safetensors" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["empty-folder", "missing.safetensors"])
def test_a_checkpoint_that_is_no_file_is_refused_before_rendering(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                  screenshot_args: list[object], name: str) -> None:
    path = tmp_path / name
    if name == "empty-folder":
        path.mkdir()
    assert app.main.main(["--run-model", "--checkpoint", str(path), "--screenshot", str(tmp_path / "x.png")]) == 2
    assert screenshot_args == []
    err = capsys.readouterr().err
    assert err.startswith(f"fosp-studio: --checkpoint: {path}") and err.count("\n") == 1, err
    assert ("is a folder, not a checkpoint file" if name == "empty-folder" else "no such file or folder") in err


@pytest.mark.usefixtures("entry")
def test_a_screenshot_whose_folder_cannot_be_made_is_refused_before_rendering(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--screenshot A_FILE/out.png`: a traceback (FileExistsError from mkdir) after the whole render."""
    (tmp_path / "afile").write_text("x")
    out = tmp_path / "afile" / "out.png"
    assert app.main.main(["--screenshot", str(out)]) == 2
    assert capsys.readouterr().err == f"fosp-studio: --screenshot {out}: {tmp_path / 'afile'} is a file, not a folder\n"


@pytest.mark.usefixtures("entry")
def test_a_screenshots_new_folder_is_made_first(tmp_path: Path) -> None:
    out = tmp_path / "new" / "deeper" / "out.png"
    with pytest.raises(_Built):
        app.main.main(["--screenshot", str(out)])
    assert out.parent.is_dir()
