"""What a user opened, as image paths: files, folders and datasets expanded, paths resolved.

:func:`collect_image_paths` turns files, folders and SmokeSeg / SMOKE5K datasets into resolved image
paths and the errors (:class:`OpenError`) met on the way (and, asked, the videos the folders hold, from
the same listing: a video opens alone); :func:`split_video_paths` sets videos apart;
:func:`resolve_paths` / :func:`resolve_texts` resolve many paths, each folder once. Plain Python, no
Qt; :mod:`fosp_core.session` (the image session) re-exports these names.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from fosp_core.home_folder import expanded, no_home_text
from fosp_core.io.image_files import (
    NAMED_ONLY_EXTENSIONS,
    PROGRESS_EVERY,
    is_named_image_file,
    list_images_and,
)
from fosp_core.io.links import dead_link_reason

#: Folder of a Pascal-VOC / SmokeSeg dataset that holds the RGB images.
SMOKESEG_IMAGE_DIR = "JPEGImages"


@dataclass(frozen=True)
class OpenError:
    """Something the user asked to open that could not be opened: its path and why."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path.name}: {self.reason}"


class _Resolver:
    """``realpath`` of many paths, each folder resolved once: a big folder's files then cost one
    ``lstat`` each instead of a walk of their whole path. A path that is itself a symbolic link is
    resolved in full (``os.path.realpath``: a link that leads to itself is returned as far as it resolves)."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def text(self, raw: str | os.PathLike) -> str:
        text = os.path.expanduser(os.fspath(raw))
        folder, name = os.path.split(text)
        if name in ("", ".", "..") or os.path.islink(text):
            return os.path.realpath(text)  # Path.resolve raises RuntimeError on a link loop before Python 3.13
        parent = self._folders.get(folder)
        if parent is None:
            parent = self._folders[folder] = os.path.realpath(folder or os.curdir)
        return text if parent == folder else os.path.join(parent, name)


def resolve_texts(paths: Iterable[str | os.PathLike]) -> Iterator[str]:
    """``str(Path(p).expanduser().resolve())`` of each path, in order, without making `Path`
    objects (see :class:`_Resolver`)."""
    resolver = _Resolver()
    return (resolver.text(raw) for raw in paths)


def resolve_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """``Path(p).expanduser().resolve()`` of each path, in order, resolving each folder once
    (100 000 files: about 0.5 s instead of 3). A `Path` that is already resolved is returned as is."""
    resolver = _Resolver()
    for raw in paths:
        text = resolver.text(raw)
        yield raw if isinstance(raw, Path) and text == raw.__fspath__() else Path(text)


def _smoke5k_images(folder: Path) -> tuple[list[Path], list[OpenError]]:
    """The images of a SMOKE5K-style dataset (``img/`` + ``gt/``, or subsets of them), in the
    dataset's order, and the items it leaves out, each an error naming its files (two files for one
    id, a broken link); ([], []) for any other folder."""
    from fosp_core.data.datasets import DatasetError, detect_layout, open_dataset

    try:
        if detect_layout(folder) != "smoke5k":
            return [], []
        # every image, those without a mask too: an image to label (its project lists it as well)
        dataset = open_dataset(folder, on_error="skip", check_sizes=False, keep_unlabelled=True)
    except DatasetError:
        return [], []
    left_out = [OpenError(folder / sample_id, f"not opened: {reason}") for sample_id, reason in dataset.skipped]
    return [entry.image for entry in dataset.entries], left_out


def _smokeseg_kept(root: Path, images: list[Path], resolver: _Resolver) -> tuple[list[Path], list[OpenError]]:
    """`images` (those of the SmokeSeg dataset `root`'s ``JPEGImages/``, resolved) less the files of
    the items the dataset leaves out (two files for one id, a broken link:
    `~fosp_core.data.datasets.smokeseg_left_out`), and an error for each, naming its files: its
    project has no document for them."""
    from fosp_core.data.datasets import smokeseg_left_out

    left_out = smokeseg_left_out(root)
    if not left_out:
        return images, []
    ids = {sample_id for sample_id, _ in left_out}
    drop: set[str] = set()
    keep: set[str] = set()  # a link of the clash may point at a file listed under its own name: kept
    folder = root / SMOKESEG_IMAGE_DIR
    base = os.path.realpath(folder)
    with os.scandir(folder) as scan:  # the entry says which is a link: no stat for the others
        for entry in scan:
            if os.path.splitext(entry.name)[0] in ids:
                drop.add(resolver.text(entry.path))
            else:
                keep.add(resolver.text(entry.path) if entry.is_symlink() else os.path.join(base, entry.name))
    drop -= keep
    kept = [path for path in images if os.fspath(path) not in drop]
    return kept, [OpenError(root / sample_id, f"not opened: {reason}") for sample_id, reason in left_out]


def _in_dataset_project(folder: Path) -> bool:
    """Whether the folder `folder` opened itself is a SmokeSeg dataset's ``JPEGImages/`` that its dataset's project
    annotates (`fosp_core.annotation.source_choice.folder_source`, at the default place: not a project made for the
    folder before that holds work), so that the items that project leaves out are named, as when the dataset is
    opened. Only a folder named so as given is asked (no look at the disk for any other)."""
    if folder.name != SMOKESEG_IMAGE_DIR:
        return False
    from fosp_core.annotation.source_choice import folder_source  # the annotation layer, above this module

    return folder_source(folder) != folder


def _no_images(videos: list[Path], gifs: Sequence[Path] = ()) -> str:
    """Why a folder opened nothing: it has no images (and, when it has, the videos it holds, or its GIFs)."""
    if not videos:
        return "the folder contains no image files" + (f"; {gifs_left_out(gifs)}" if gifs else "")
    names = ", ".join(v.name for v in videos[:3]) + (f" and {len(videos) - 3:,} more" if len(videos) > 3 else "")
    count = f"{len(videos):,} video{'s' if len(videos) != 1 else ''}"
    return f"the folder contains no image files; it holds {count} ({names}): a video opens on its own, not with a folder"


#: Up to this many dead links of a folder are told one by one; more are one line on the folder.
DEAD_LINKS_TOLD = 3


def _dead_links(folder: Path, dead: list[Path]) -> list[OpenError]:
    """The errors telling a folder's image-named links that reach no file (`dead`): each one, or for
    more than DEAD_LINKS_TOLD one line on the folder with the first one's reason."""
    reasons = [(p, dead_link_reason(p) or "a link that reaches no file") for p in dead[:DEAD_LINKS_TOLD + 1]]
    if len(dead) <= DEAD_LINKS_TOLD:
        return [OpenError(p, reason) for p, reason in reasons]
    return [OpenError(folder, f"{len(dead):,} image files are links that reach no file (a drive not mounted, "
                              f"files moved?), e.g. {reasons[0][1]}")]


def gifs_left_out(gifs: Sequence[Path]) -> str:
    """"the folder's GIF plume.gif is not listed: open it by its name (its first frame)" (several: "the
    folder's 3 GIFs are not listed (a.gif, b.gif, c.gif): open one by its name ..."); "" for none."""
    if not gifs:
        return ""
    if len(gifs) == 1:
        return f"the folder's GIF {gifs[0].name} is not listed: open it by its name (its first frame)"
    names = ", ".join(g.name for g in gifs[:3]) + (f" and {len(gifs) - 3:,} more" if len(gifs) > 3 else "")
    return f"the folder's {len(gifs):,} GIFs are not listed ({names}): open one by its name (its first frame)"


def collect_image_paths(paths: Iterable[str | Path], *, progress: Callable[[int], object] | None = None,
                        videos: list[Path] | None = None,
                        gifs: list[Path] | None = None) -> tuple[list[Path], list[OpenError]]:
    """Expand what a user opened into image file paths.

    A file with an image extension, or a GIF (:data:`~fosp_core.io.image_files.NAMED_ONLY_EXTENSIONS`),
    is taken as is (its content is checked when decoded); a folder contributes its images (sorted, not
    recursive; never its GIFs); a SmokeSeg/VOC dataset folder (one
    that has ``JPEGImages/``) contributes the images of ``JPEGImages/``, and a SMOKE5K-style one
    (``img/`` + ``gt/``, or subsets of them) the images of its ``img/`` folders. Missing paths, files
    that are not images by name, unreadable folders, folders without images and paths in the home of a
    user who is not here (``~nosuchuser/photos``, kept as typed) become :class:`OpenError` entries.

    progress: called now and then (every few thousand directory entries or files) with the number
        of image paths found so far; it may raise to abandon the collection (the exception
        propagates). The app shows the count and cancels this way.

    videos: when given, the video files (:data:`~fosp_core.video.reader.VIDEO_EXTENSIONS`) directly in
        the folders listed are appended to it, sorted by name in each folder, from the same ``scandir``
        pass as their images (they are not opened: a video opens alone). A folder without images
        names the videos it holds in its error, asked or not.

    gifs: when given, the GIFs directly in the folders listed (left out of them: see
        :data:`~fosp_core.io.image_files.NAMED_ONLY_EXTENSIONS`) are appended to it, from the same pass, for
        the caller to say (:func:`gifs_left_out`). A folder without images names them in its error.

    Returns (image paths, resolved, in the order given, without duplicates; errors).
    """
    from fosp_core.video.reader import VIDEO_EXTENSIONS

    found: list[Path] = []
    errors: list[OpenError] = []
    besides: list[Path] = []
    resolver = _Resolver()

    def report(more: int) -> None:
        if progress is not None:
            progress(len(found) + more)

    for number, raw in enumerate(paths, 1):
        if number % PROGRESS_EVERY == 0:
            report(0)
        path = expanded(raw)
        if (no_home := no_home_text(path)) and not os.path.lexists(path):  # "~nosuchuser/photos": kept as
            errors.append(OpenError(path, no_home))  # typed (expanduser raised); a "~draft.png" here opens
            continue
        if path.is_dir():
            folder = path / SMOKESEG_IMAGE_DIR if (path / SMOKESEG_IMAGE_DIR).is_dir() else path
            dead: list[Path] = []  # image-named links reaching no file: told, never listed
            try:  # resolved while listing: a folder's files cost no system call each
                images, beside = list_images_and(folder, (*VIDEO_EXTENSIONS, *NAMED_ONLY_EXTENSIONS), resolve=True,
                                                 progress=report, dead=dead)
                gif_files = [p for p in beside if p.suffix.lower() in NAMED_ONLY_EXTENSIONS]
                beside = [p for p in beside if p.suffix.lower() not in NAMED_ONLY_EXTENSIONS]
                if not images:
                    images, left_out = _smoke5k_images(path)
                    images = [Path(resolver.text(p)) for p in images]
                    errors.extend(left_out)
                elif folder != path:  # SmokeSeg: the items its project leaves out are named, not listed
                    images, left_out = _smokeseg_kept(path, images, resolver)
                    errors.extend(left_out)
                elif _in_dataset_project(path):  # its JPEGImages/ opened itself: the same
                    images, left_out = _smokeseg_kept(path.parent, images, resolver)
                    errors.extend(left_out)
            except OSError as exc:
                errors.append(OpenError(path, f"cannot read the folder ({exc.strerror or exc})"))
                continue
            errors.extend(_dead_links(folder, dead))
            if not images and not dead:
                errors.append(OpenError(path, _no_images(beside, gif_files)))
            elif gifs is not None:
                gifs.extend(gif_files)
            found.extend(images)
            besides.extend(beside)
        elif path.is_file():
            if is_named_image_file(path):
                found.append(Path(resolver.text(path)))
            else:
                errors.append(OpenError(path, f"not an image file type ({path.suffix or 'no extension'})"))
        else:  # a link that leads nowhere is listed by the system: say what it is
            errors.append(OpenError(path, dead_link_reason(path) or "no such file or folder"))
    report(0)
    unique = list(dict.fromkeys(found))  # also hashes every path once, here (a worker thread in the app)
    if videos is not None:
        videos.extend(dict.fromkeys(besides))
    return unique, errors


def split_video_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[str | Path]]:
    """Separate video files (by extension: .mp4, .avi, .mkv, .mov, ...) from everything else.

    Returns (video paths, the other paths unchanged), each in the order given. The app opens a video
    in its video view; the rest goes through :func:`collect_image_paths`.
    """
    from fosp_core.video.reader import is_video_path

    videos: list[Path] = []
    rest: list[str | Path] = []
    for raw in paths:
        if is_video_path(raw) and not expanded(raw).is_dir():  # "~nosuchuser/a.mp4": as typed (the video
            videos.append(expanded(raw))  # open says why it names nothing)
        else:
            rest.append(raw)
    return videos, rest
