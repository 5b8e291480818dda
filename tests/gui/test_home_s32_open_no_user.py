"""Opening a path typed in the home of a user who is not here (``~nosuchuser/photos``: a shell leaves it as
typed) raised Python's "Could not determine home directory." RuntimeError from `collect_image_paths` on the
GUI thread, and at start-up it stopped the app (a traceback, exit 134). Now it is an open error saying in plain
words that the home folder does not exist, and whatever else was opened with it opens."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

from app.services import CollectingErrorReporter
from fosp_core.session import collect_image_paths

from .conftest import WindowFactory

NO_USER = "~no-such-user-s32x/photos"


def test_the_library_tells_a_home_of_no_user() -> None:
    found, errors = collect_image_paths([NO_USER])
    assert found == []
    assert [str(e.path) for e in errors] == [NO_USER]  # as typed
    assert "the home folder of a user no-such-user-s32x, which does not exist here" in errors[0].reason
    assert "~/no-such-user-s32x/photos" in errors[0].reason


def test_the_window_tells_it_and_opens_the_rest(qtbot, make_window: WindowFactory, tmp_path: Path) -> None:
    image = tmp_path / "a.png"
    Image.new("RGB", (8, 6)).save(image)
    reporter = CollectingErrorReporter()
    window = make_window(error_reporter=reporter)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"

    window.open_paths([NO_USER, image], remember=True)
    assert window.opener.wait(30)

    assert list(window.session.paths) == [image.resolve()]
    assert [str(e.path) for e in reporter.errors] == [NO_USER]
    assert "does not exist here" in reporter.errors[0].reason
    assert NO_USER not in map(str, window.recent.paths())  # a path that failed is not remembered
    window.open_paths([NO_USER])  # alone: nothing found, told again, nothing raised
    assert window.opener.wait(30)
    assert len(reporter.errors) == 2


def test_the_app_starts_with_it(tmp_path: Path) -> None:
    """The start-up path (`app.main.main`, as `fosp-studio '~nosuchuser/photos'`), through --screenshot: the
    window opens, the path told, no traceback."""
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "QT_QPA_PLATFORM": "offscreen"}
    out = tmp_path / "shot.png"
    done = subprocess.run([sys.executable, "-m", "app.main", "--screenshot", str(out), NO_USER], env=env,
                          capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parents[2])
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr  # as for any path that cannot be opened: it is told
    assert out.is_file()
    assert "the home folder of a user no-such-user-s32x, which does not exist here" in done.stderr, done.stderr


def test_a_video_in_the_home_of_no_user_is_told(qtbot, make_window: WindowFactory, tmp_path: Path) -> None:
    """``fosp-studio '~nosuchuser/a.mp4'``: a video opens on its own path (app/video/opening.py), which
    raised the same RuntimeError; now told as the images are, the window left as it was."""
    reporter = CollectingErrorReporter()
    window = make_window(error_reporter=reporter)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    video = "~no-such-user-s32x/a.mp4"

    window.open_paths([video])  # on the opener's thread (the window's own open)
    assert window.video.open(video) is False  # the GUI thread waits (a screenshot)

    assert [str(e.path) for e in reporter.errors] == [video, video]
    assert all("the home folder of a user no-such-user-s32x" in e.reason for e in reporter.errors)
    assert not window.video.active
