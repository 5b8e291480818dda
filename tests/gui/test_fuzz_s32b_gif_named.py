"""The app refused a GIF opened by name ("Could not open 1 item. plume.gif: not an image file type (.gif)")
though `fosp predict plume.gif` reads it, and opened a folder's images leaving its GIFs out without a word.
A named GIF now opens as `fosp predict` reads it (its first frame, the note saying so); a folder's stay out
(its project never held them) and the opening's status line says so once, naming them."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from app.services import CollectingErrorReporter

from .conftest import WindowFactory


def _gif(path: Path, frames: int = 3) -> Path:
    images = [Image.new("RGB", (48, 32), (40 * i, 90, 60)).convert("P") for i in range(frames)]
    images[0].save(path, save_all=True, append_images=images[1:], duration=50)
    return path


def test_a_named_gif_opens_with_the_frames_note(qtbot, make_window: WindowFactory, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    gif = _gif(folder / "plume.gif")
    reporter = CollectingErrorReporter()
    window = make_window(error_reporter=reporter)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    bar = window.statusBar()
    window.open_paths([gif], remember=False)
    note = "plume.gif: animated GIF, 3 frames: the first is used"
    qtbot.waitUntil(lambda: note in bar.currentMessage(), timeout=10000)
    image = window.session.current_image
    assert image is not None and image.path == gif.resolve() and window.canvas.image_shape[:2] == (32, 48)
    assert reporter.errors == []


def test_a_folder_says_once_that_its_gifs_are_left_out(qtbot, make_window: WindowFactory, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    Image.new("RGB", (48, 32), (10, 20, 30)).save(folder / "a.jpg")
    _gif(folder / "plume.gif")
    reporter = CollectingErrorReporter()
    window = make_window(error_reporter=reporter)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    bar = window.statusBar()
    said: list[str] = []
    bar.messageChanged.connect(said.append)
    window.open_paths([folder], remember=False)
    qtbot.waitUntil(lambda: bar.currentMessage().startswith("Opened 1 image"), timeout=10000)
    assert [p.name for p in window.session.paths] == ["a.jpg"]
    told = [text for text in said if "plume.gif" in text]
    assert len(told) == 1 and "Opened 1 image · " in told[0] and "open it by its name" in told[0], said
    assert reporter.errors == []


def test_a_named_gif_joins_no_project(qtbot, make_window: WindowFactory, tmp_path: Path) -> None:
    """Its folder's project open (the folder opened before), the GIF opened by name is shown, not added to it:
    a project's images are those a folder lists."""
    folder = tmp_path / "in"
    folder.mkdir()
    Image.new("RGB", (48, 32), (10, 20, 30)).save(folder / "a.jpg")
    gif = _gif(folder / "plume.gif")
    reporter = CollectingErrorReporter()
    window = make_window(error_reporter=reporter)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([folder], remember=False)
    qtbot.waitUntil(lambda: window.annotation.controller.project is not None, timeout=10000)
    project = window.annotation.controller.project
    window.open_paths([gif], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None
                    and window.session.current_image.path == gif.resolve(), timeout=10000)
    qtbot.wait(100)
    assert project.ids == ["a"]
    assert window.annotation.controller.registry.lookup(gif) is None
    assert reporter.errors == []
