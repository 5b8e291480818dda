"""What the window says about opening: the Open dialog's title and file filters (it opens images and
videos alike), and the status bar's words after a folder is opened ("Opened 4 images · the folder's video opens
alone: click it at the right or use File ▸ Open Video from This Folder"): a video opens alone, not with the
folder's images; links to them are at the right of the status bar and all of them are in that File menu entry
(:class:`~app.folder_videos.FolderVideos`). Plain text, no widgets."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from fosp_core.annotation.project import writable_folder
from fosp_core.io.image_files import NAMED_ONLY_EXTENSIONS
from fosp_core.io.images import IMAGE_EXTENSIONS
from fosp_core.open_paths import gifs_left_out
from fosp_core.video.reader import VIDEO_EXTENSIONS

__all__ = ["FOLDER_VIDEOS_MENU", "HOW_TO_OPEN_A_VIDEO", "OPEN_DIALOG_TITLE", "kept_elsewhere_text", "kept_where_looked",
           "look_kept_where", "open_dialog_filters", "opened_text", "say_kept_where_again", "shown_path",
           "videos_hint"]

#: The title of File ▸ Open…'s dialog.
OPEN_DIALOG_TITLE = "Open Images or Videos"

#: The File menu entry listing the videos of the folder opened (``app.folder_videos.MENU_TITLE`` without
#: its "&").
FOLDER_VIDEOS_MENU = "Open Video from This Folder"

#: How a video is opened, as the status bar tells it.
HOW_TO_OPEN_A_VIDEO = "File ▸ Open… (Ctrl+O) or drop it on the window"


def _patterns(extensions: Sequence[str]) -> str:
    return " ".join(f"*{ext}" for ext in extensions)


def open_dialog_filters() -> str:
    """The Open dialog's filters, ";;"-separated: images and videos (the first, chosen), images only,
    videos only, all files."""
    return ";;".join((
        f"Images and videos ({_patterns((*IMAGE_EXTENSIONS, *NAMED_ONLY_EXTENSIONS, *VIDEO_EXTENSIONS))})",
        f"Images ({_patterns((*IMAGE_EXTENSIONS, *NAMED_ONLY_EXTENSIONS))})",
        f"Videos ({_patterns(VIDEO_EXTENSIONS)})",
        "All files (*)",
    ))


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' if n != 1 else ''}"


def videos_hint(videos: Sequence[Path]) -> str:
    """"the folder's video opens alone: click it at the right or use File ▸ Open Video from This Folder"
    (several: "the folder's 3 videos open alone: click one ..."); the links at the right and that menu
    are :class:`~app.folder_videos.FolderVideos`'s. "" for none."""
    if not videos:
        return ""
    where = f"File ▸ {FOLDER_VIDEOS_MENU}"
    if len(videos) == 1:
        return f"the folder's video opens alone: click it at the right or use {where}"
    return f"the folder's {len(videos):,} videos open alone: click one at the right or use {where}"


def opened_text(images: int, videos: Sequence[Path] = (), gifs: Sequence[Path] = ()) -> str:
    """The status bar's message after an open: "Opened 4 images", and the videos of the opened folders
    after a "·" when there are any (see :func:`videos_hint`), then their GIFs, left out
    (`fosp_core.open_paths.gifs_left_out`); no image: the videos alone."""
    hint = videos_hint(videos)
    if not images:
        return hint[:1].upper() + hint[1:]
    hints = [h for h in (hint, gifs_left_out(gifs)) if h]
    return " · ".join([f"Opened {_count(images, 'image')}", *hints])


def shown_path(path: Path) -> str:
    """`path` as the user reads it: ``~/…`` inside the home folder, else in full."""
    path = Path(path)
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def kept_elsewhere_text(source: Path, kept: Path, what: str = "this folder") -> str | None:
    """"Labels of this folder are kept in ~/.cache/fosp/projects/photos-1a2b3c4d5e (the folder is read-only)":
    said once when `source` (a folder of images, or the folder of a video: `what` "this video") cannot be
    written, so its labels (`kept`: its project or video annotation folder) are kept in the user cache instead
    of beside it (``fosp_core.annotation.project.default_location``). None when they are beside it, or when
    the folder may be written (a location chosen elsewhere)."""
    source, kept = Path(source), Path(kept)
    if kept == source or source in kept.parents or writable_folder(source):
        return None
    return f"Labels of {what} are kept in {shown_path(kept)} (the folder is read-only)"


#: (source, kept, what) -> `kept_elsewhere_text` as an open's worker looked at it (`look_kept_where`), until the GUI
#: thread takes it (`kept_where_looked`); any thread
_looked: dict[tuple[Path, Path, str], str | None] = {}
#: what `kept_where_looked` last answered for each, for `say_kept_where_again`
_said: dict[tuple[Path, Path, str], str | None] = {}
_looked_lock = threading.Lock()


def look_kept_where(source: Path, kept: Path, what: str = "this folder") -> str | None:
    """`kept_elsewhere_text`, looked at here (an open's worker: `writable_folder` stats the folder, which a share that
    stopped answering holds) and kept for `kept_where_looked` on the GUI thread, which then says it without a look
    at the disk."""
    text = kept_elsewhere_text(source, kept, what)
    with _looked_lock:
        _looked[(Path(source), Path(kept), what)] = text
    return text


def kept_where_looked(source: Path, kept: Path, what: str = "this folder") -> str | None:
    """`kept_elsewhere_text` as `look_kept_where` found it (taken once), or as `say_kept_where_again` gave it back;
    looked at here when it was neither (a project opened otherwise)."""
    key = (Path(source), Path(kept), what)
    with _looked_lock:
        if key in _looked:
            _said[key] = text = _looked.pop(key)
            return text
    text = kept_elsewhere_text(source, kept, what)
    with _looked_lock:
        _said[key] = text
    return text


def say_kept_where_again(source: Path, kept: Path, what: str = "this folder") -> None:
    """The project kept in `kept` for `source` is opened again as it was (Take Over's reopening, on a thread of its
    own, `app.annotation.take_over_wait`, not an open's worker: nothing looked at the folder for it); called on the GUI
    thread once it is handed over: `kept_where_looked` answers what it said last for it, without a look at the
    folder."""
    key = (Path(source), Path(kept), what)
    with _looked_lock:
        if key in _said:
            _looked[key] = _said[key]
