"""An animated PNG or a multi-page TIFF opened in the app says, once, that its first frame is shown
(it was shown silently): the status bar keeps the opening's line and adds the note."""

from __future__ import annotations

from pathlib import Path

from PIL import Image


def _save_frames(path: Path, n: int) -> Path:
    frames = [Image.new("RGB", (48, 32), (30 * i, 90, 60)) for i in range(n)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    return path


def test_an_animated_png_says_its_first_frame_is_used_once(qtbot, make_window, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _save_frames(folder / "a_plume.png", 5)
    _save_frames(folder / "b_pages.tif", 3)
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    bar = window.statusBar()
    said: list[str] = []
    bar.messageChanged.connect(said.append)
    window.open_paths([folder], remember=False)
    note = "a_plume.png: animated APNG, 5 frames: the first is used"
    qtbot.waitUntil(lambda: note in bar.currentMessage(), timeout=10000)
    window.action_next.trigger()
    tiff = "b_pages.tif: multi-page TIFF, 3 pages: the first is used"
    qtbot.waitUntil(lambda: tiff in bar.currentMessage(), timeout=10000)
    window.action_previous.trigger()
    qtbot.waitUntil(lambda: window.session.current_image is not None
                    and window.session.current_image.path.name == "a_plume.png", timeout=10000)
    qtbot.wait(50)
    assert sum(note in text for text in said) == 1  # said once, not at every showing
    assert f"Opened 2 images · {note}" in said  # the opening's line kept
    assert said[-1] == tiff  # the next file's note replaces the first's, not added to it
