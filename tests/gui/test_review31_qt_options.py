"""Qt's own command-line options reach Qt whole (review of this session's start-up checks).

`fosp-studio -style fusion IMAGE` (QApplication's documented `-style`): argparse's parse_known_args took
`fusion` for a path to open and left `-style` alone to Qt, which then left it too, so the new unknown
option check refused a legitimate command line ('unknown option -style', exit 2); without that check
the window said it could not open 'fusion'. Likewise `-platform offscreen`, `-stylesheet FILE`, ...
`-platformtheme NAME` chooses no platform: with no display it is still the one-line message."""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

import app.main
from app.main_args import parse_args


@pytest.mark.parametrize(("argv", "paths", "qt"), [
    (["-style", "fusion", "a.png"], ["a.png"], ["-style", "fusion"]),
    (["a.png", "-platform", "offscreen"], ["a.png"], ["-platform", "offscreen"]),
    (["--stylesheet", "look.qss", "-reverse", "b"], ["b"], ["--stylesheet", "look.qss", "-reverse"]),
    (["-style=fusion", "a.png"], ["a.png"], ["-style=fusion"]),
    (["--", "-style", "fusion"], ["-style", "fusion"], []),  # after --: paths, whatever they look like
    # paths after an option of ours or Qt's went to Qt, which left them: never opened, without a word
    (["a.png", "--theme", "light", "b.png"], ["a.png", "b.png"], []),
    (["a.png", "-reverse", "b.png", "c"], ["a.png", "b.png", "c"], ["-reverse"]),
])
def test_qt_options_keep_their_values(argv: list[str], paths: list[str], qt: list[str]) -> None:
    args, qt_args = parse_args(argv)
    assert [str(p) for p in args.paths] == paths
    assert qt_args == qt


def test_a_platform_theme_is_no_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert app.main.no_display(["-platformtheme", "gtk3"])
    assert not app.main.no_display(["-platform", "offscreen"])


# A real `python main.py -style fusion IMAGE --screenshot OUT.png` (it was refused, exit 2) is the run of
# tests/unit/test_startup_messages.py::test_a_screenshot_smaller_than_the_window_can_be_says_its_size_and_prints_no_plugin_noise:
# one process with the default model for its facets (a start costs ~4 s of the 2-core CI's time).


class _Left:
    """A stand-in QApplication: what Qt left of the arguments."""

    def __init__(self, left: list[str]) -> None:
        self._left = left

    def arguments(self) -> list[str]:
        return ["fosp-studio", *self._left]


def test_a_file_named_like_an_option_is_said_how_to_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """`fosp-studio -smoke.jpg` with such a file there: 'unknown option -smoke.jpg (fosp-studio --help lists
    them)' left the user looking for an option; it says how to name the file."""
    monkeypatch.chdir(tmp_path)
    cv2.imwrite(str(tmp_path / "-smoke.jpg"), np.full((8, 8, 3), 120, np.uint8))
    assert app.main.unknown_option(_Left(["-smoke.jpg"]), ["-smoke.jpg"])  # type: ignore[arg-type]
    assert capsys.readouterr().err == ("fosp-studio: unknown option -smoke.jpg (to open the file -smoke.jpg, "
                                       "write ./-smoke.jpg or put -- before it)\n")
    assert app.main.unknown_option(_Left(["--nope"]), ["--nope"])  # type: ignore[arg-type]
    assert capsys.readouterr().err == "fosp-studio: unknown option --nope (fosp-studio --help lists them)\n"
