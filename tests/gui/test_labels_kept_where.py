"""A folder that cannot be written keeps its labels in the user cache (its project, or its video's
annotation folder: ``fosp_core.annotation.project.default_location``); the opening says so, once: "Labels
of this folder are kept in ~/.cache/fosp/projects/… (the folder is read-only)", in the status bar and, for a
video, in its panel under the headline. Neither said where before.

The folder is made read-only by its permission bits (r-x for everyone): an ordinary user may not write it,
and for root, whom the bits do not stop, the app's own check (``writable_folder``) reads them as "nobody
writes here" as well, so the test means the same run as either."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.open_words import kept_elsewhere_text, shown_path
from fosp_core.annotation.project import default_location
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import state_folder
from tests.gui.annotation_helpers import copy_demo, open_and_wait

READ_ONLY = stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH


@contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """`folder` r-x for everyone while in the block (writable again after it, for tmp_path's removal)."""
    mode = folder.stat().st_mode
    os.chmod(folder, READ_ONLY)
    try:
        yield folder
    finally:
        os.chmod(folder, mode)


def test_a_read_only_image_folder_says_where_its_labels_are_kept(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                                 tmp_path: Path) -> None:
    photos = copy_demo(demo_dir, tmp_path / "photos")
    before = sorted(p.name for p in photos.iterdir())
    window = make_window(show=True)
    with read_only(photos):
        kept = default_location(photos.resolve())
        assert photos not in kept.parents  # the user cache (FOSP_CACHE: this test's)
        open_and_wait(qtbot, window, photos)
        project = window.annotation.controller.project
        assert project is not None and project.folder == kept
        qtbot.wait(50)  # what the shown document might say after the opening
        said = window.statusBar().currentMessage()
        assert f"labels of this folder are kept in {shown_path(kept)} (the folder is read-only)" in said, said
        assert said.startswith("Opened 4 images · "), said
        assert sorted(p.name for p in photos.iterdir()) == before  # nothing written beside the images
        window.annotation.controller.close()


def test_a_writable_folder_says_nothing_of_where(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                 tmp_path: Path) -> None:
    photos = copy_demo(demo_dir, tmp_path / "photos")
    assert kept_elsewhere_text(photos, photos / ".fosp") is None
    assert kept_elsewhere_text(photos, tmp_path / "elsewhere") is None  # writable: a location chosen
    with read_only(photos):
        assert kept_elsewhere_text(photos, tmp_path / "elsewhere") is not None


def test_a_video_in_a_read_only_folder_says_where_its_labels_are_kept(qtbot, make_window,  # noqa: ANN001
                                                                      tmp_path: Path) -> None:
    (tmp_path / "videos").mkdir()
    clip = write_clip(tmp_path / "videos" / "clip.mp4", frames=12)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = None  # the default: beside the video, or the user cache
    with read_only(clip.parent):
        kept = state_folder(clip)
        assert clip.parent not in kept.parents
        with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
            window.open_paths([clip], remember=False)
        panel = window.video.panel
        words = f"Labels of this video are kept in {shown_path(kept)} (the folder is read-only)"
        assert panel.kept_label.isVisible() and panel.kept_label.text().replace("\u200b", "") == words
        said = window.statusBar().currentMessage()
        assert said.startswith("Opened video clip.mp4: 12 frames") and said.endswith(f" · l{words[1:]}"), said
        assert window.video.annotations is not None and window.video.annotations.folder == kept
        assert sorted(p.name for p in clip.parent.iterdir()) == ["clip.mp4"]
