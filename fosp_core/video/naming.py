"""What a video's frames are called and where its annotations live: a frame's sample id
(``<stem>_<frame:06d>``, :func:`frame_id`), the stem its files start with (cut to fit a file name,
:func:`frame_stem`) and the annotation folder (:func:`state_folder`, :func:`own_folder`), as
:class:`~fosp_core.video.timeline.VideoAnnotations` uses them."""

from __future__ import annotations

from pathlib import Path

from fosp_core.annotation.entries import read_json
from fosp_core.annotation.project import default_location
from fosp_core.io.long_names import fit_name
from fosp_core.video.state_saves import STATE_FILE

__all__ = ["frame_id", "frame_stem", "legacy_frame_stem", "own_folder", "state_folder"]


def frame_id(stem: str, index: int) -> str:
    """Sample id of a frame: ``<video-stem>_<frame:06d>``."""
    return f"{stem}_{index:06d}"


_LOG_TAIL = f"_{0:06d}.png.recovery"  # a frame's longest file name: its recovery log's


def frame_stem(stem: str) -> str:
    """The stem a video's frame names start with: `stem`, or its short form (``<cut>~<digest>``,
    `fosp_core.io.long_names`) when a frame's recovery log ``<stem>_<frame:06d>.png.recovery`` would be
    longer than a file name may be (no such file could ever be written: the old names are kept wherever
    they fit). The digest is always the SHA-256 of the whole `stem` (a user's file name, which may end in
    ``~`` and 12 hex digits itself): two videos whose names differ only in the part cut get two stems. Earlier
    versions kept such a name's own trailing digest (:func:`legacy_frame_stem`), so two such videos alike in
    their first ~220 bytes shared frame names; the frames they saved are still found under it
    (`VideoAnnotations` opens a mask folder that holds them with that stem, or, holding frames of both, merges
    them under that one, which earlier versions read too: `fosp_core.video.stem_merge`)."""
    return fit_name(stem, _LOG_TAIL, keep_digest=False)[:-len(_LOG_TAIL)]


def legacy_frame_stem(stem: str) -> str | None:
    """The frame stem earlier versions gave `stem` where it differs from :func:`frame_stem`'s (a name cut
    that ends in ``~`` and 12 hex digits: its own digest kept), else None."""
    old = fit_name(stem, _LOG_TAIL)[:-len(_LOG_TAIL)]
    return old if old != frame_stem(stem) else None


def state_folder(video: Path) -> Path:
    """Default annotation folder of a video file or image-sequence folder: inside the project
    folder of the folder holding it (``.fosp/`` beside it, or the user cache for shipped or
    unwritable folders; see :func:`fosp_core.annotation.project.default_location`)."""
    video = Path(video).absolute()
    if video.is_dir():
        return default_location(video) / "video"
    return own_folder(default_location(video.parent), video)


def own_folder(base: Path, video: Path, stem: str | None = None) -> Path:
    """``base/video-<stem>``, unless another video of that stem (``clip.mov`` beside ``clip.mp4``)
    saved its annotations there first: then ``base/video-<file name>``. A long stem is cut with its whole
    SHA-256 as its digest (as :func:`frame_stem`); earlier versions kept the digest of a stem in short form
    itself, so two such videos alike in their first ~240 bytes shared a folder: where this video has no
    folder under the new name and one under the name earlier versions gave it exists, that one is used."""
    video = Path(video)
    name = stem or video.stem
    new, old = fit_name(name, "", "video-", keep_digest=False), fit_name(name, "", "video-")  # a long name: cut
    folder = _named(Path(base), video, new)
    if old == new or folder.is_dir():
        return folder
    earlier = _named(Path(base), video, old)
    return earlier if earlier.is_dir() else folder


def _named(base: Path, video: Path, name: str) -> Path:
    """``base/name``, or ``base/video-<file name>`` where the folder's state names another video."""
    folder = base / name
    try:
        saved = read_json((folder / STATE_FILE).read_bytes()).get("video")
    except (OSError, ValueError, AttributeError):
        return folder
    if isinstance(saved, str) and saved and Path(saved).name != video.name:
        return base / fit_name(video.name, "", "video-")
    return folder
