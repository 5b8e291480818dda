"""An export must never delete what it exports from. `export_smokeseg(project, DST, overwrite=True)`
replaces DST whole; with DST the folder of the project's images (`PROJECT/JPEGImages`), of the labels it
imported (`PROJECT/SegmentationClass`) or of its masks (the app keeps projects apart from the images)
it deleted them: only a DST holding the images root or inside the project folder was refused (the
command line had its own fuller check, the app's Export dialog none). The video export had no check at
all: DST the video's folder deleted the video and its masks. Both refuse such a DST now, naming a file
they would have deleted, before anything is written; folders reached through a symlink count as what
they are."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.entries import ProjectError
from fosp_core.annotation.export import export_smokeseg
from fosp_core.annotation.project import Project
from fosp_core.data.datasets import open_dataset
from fosp_core.data.smokeseg import SmokeSegWriteError
from fosp_core.video.export import export_frames
from fosp_core.video.reader import open_video
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def demo(demo_dir: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(demo_dir, tmp_path / "demo", ignore=shutil.ignore_patterns(".fosp")))


@pytest.fixture
def project(demo: Path, tmp_path: Path):  # noqa: ANN201 - a generator fixture
    """The demo with its labels imported, the project kept apart from the images (as the app keeps it)."""
    with Project.open(demo, tmp_path / "projects" / "demo") as p:
        p.import_labels()
        yield p


@pytest.mark.parametrize("part", ["JPEGImages", "SegmentationClass"])
def test_export_over_the_projects_images_or_labels_is_refused(project: Project, demo: Path, part: str) -> None:
    before = _files(demo)
    with pytest.raises(ProjectError, match="choose another folder") as caught:
        export_smokeseg(project, demo / part, overwrite=True)
    assert str(demo / part) in str(caught.value)  # names a file it would have deleted
    assert _files(demo) == before


def test_export_over_the_projects_masks_is_refused(project: Project, tmp_path: Path) -> None:
    """The app keeps its projects under one folder (`projects_root`): a DST holding it held the masks."""
    before = _files(tmp_path / "projects")
    with pytest.raises(ProjectError, match=re.escape(str(project.folder))):
        export_smokeseg(project, tmp_path / "projects", overwrite=True)
    assert _files(tmp_path / "projects") == before


def test_export_through_a_symlink_is_refused(project: Project, demo: Path, tmp_path: Path) -> None:
    """A DST reached through a symlink (`link/JPEGImages`, link -> the dataset) or that is one (a link to
    the images folder) is the folder it leads to."""
    (tmp_path / "link").symlink_to(demo)
    (tmp_path / "images-link").symlink_to(demo / "JPEGImages")
    before = _files(demo)
    for dst in (tmp_path / "link" / "JPEGImages", tmp_path / "images-link"):
        with pytest.raises(ProjectError, match="choose another folder"):
            export_smokeseg(project, dst, overwrite=True)
    assert _files(demo) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo", "images-link", "link", "projects"]


def test_export_over_the_folder_an_image_links_to_is_refused(demo: Path, tmp_path: Path) -> None:
    """Images that are symlinks into another folder (a photo library): that folder holds the images."""
    library = tmp_path / "library"
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copytree(demo / "JPEGImages", library)
    for jpg in sorted(library.iterdir()):
        (photos / jpg.name).symlink_to(jpg)
    with Project.open(photos, tmp_path / "projects" / "photos") as project:
        project.import_labels(demo)
        with pytest.raises(ProjectError, match=re.escape(str(library))):
            export_smokeseg(project, library, overwrite=True)
        with pytest.raises(ProjectError, match=re.escape(str(photos))):  # deleting the links loses the images too
            export_smokeseg(project, photos, overwrite=True)
    assert len(list(library.iterdir())) == 4 and len(list(photos.iterdir())) == 4


def test_an_export_folder_inside_the_images_folder_is_still_allowed(project: Project, demo: Path) -> None:
    dst = demo / "exports" / "v1"
    assert export_smokeseg(project, dst).count == 4
    assert export_smokeseg(project, dst, overwrite=True).count == 4
    assert len(open_dataset(dst)) == 4 and len(list((demo / "JPEGImages").iterdir())) == 4


def _labelled_clip(folder: Path) -> tuple[Path, VideoAnnotations]:
    """A clip with masks on two frames, kept where the app keeps them (`folder/.fosp/video-clip`)."""
    folder.mkdir()
    clip = write_clip(folder / "clip.mp4", frames=12)
    notes = VideoAnnotations(clip, 12, (120, 160))
    mask = np.zeros(notes.shape, np.uint8)
    mask[10:30, 20:50] = 1
    for frame in (2, 5):
        notes.save_mask(frame, mask)
    return clip, notes


def test_video_export_over_the_video_or_its_masks_is_refused(tmp_path: Path) -> None:
    clip, notes = _labelled_clip(tmp_path / "videos")
    before = _files(tmp_path / "videos")
    reader = open_video(clip, cache_bytes=0, decoders=1)
    try:
        for dst, held in ((tmp_path / "videos", clip), (notes.folder, notes.folder),
                          (tmp_path / "videos" / ".fosp", notes.folder)):
            with pytest.raises(SmokeSegWriteError, match="choose another folder") as caught:
                export_frames(reader, notes, [2, 5], dst, overwrite=True)
            assert str(held) in caught.value.reason
        assert _files(tmp_path / "videos") == before
        report = export_frames(reader, notes, [2, 5], tmp_path / "videos" / "clip-smokeseg", splits=None)
    finally:
        reader.close()
    assert report.frames == [2, 5]  # a dataset beside the video, as the dialog proposes, stays allowed


def test_video_export_checks_the_destination_before_reading_any_frame(tmp_path: Path) -> None:
    """Refused at once, even where no frame could be written (no masks): the reason to act on first."""
    clip = write_clip(tmp_path / "clip.mp4", frames=12)
    notes = VideoAnnotations(clip, 12, (120, 160))
    reader = open_video(clip, cache_bytes=0, decoders=1)
    try:
        with pytest.raises(SmokeSegWriteError, match=re.escape(str(clip))):
            export_frames(reader, notes, [2], tmp_path, overwrite=True)
    finally:
        reader.close()
    assert clip.is_file() and os.path.getsize(clip) > 0
