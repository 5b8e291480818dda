"""Where `fosp predict` reads and writes: its inputs (files, folders, globs; a folder's GIFs left out and
said) with their output ids, and the checks of its output folder and video before the model is loaded."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["collect_inputs", "expand_glob", "gifs_by_folder", "gifs_not_in_project", "gifs_skipped", "make_out_dir", "out_dir_problem", "unique_ids", "video_out_problem"]

_GLOB_CHARS = set("*?[")


@dataclass
class _Inputs:
    images: list[Path] = field(default_factory=list)
    videos: list[Path] = field(default_factory=list)
    gifs: dict[Path, list[Path]] = field(default_factory=dict)  # folder -> its GIFs, left out (read when named)


def collect_inputs(specs: list[str]) -> _Inputs:
    """Expand files, folders (their images and videos; a SmokeSeg root uses JPEGImages/) and globs.
    Raises FileNotFoundError for a literal path that does not exist."""
    from fosp_core.infer.video import is_video_file
    from fosp_core.io.image_files import NAMED_ONLY_EXTENSIONS, list_images_and
    from fosp_core.io.images import is_image_file, list_images
    from fosp_core.io.links import dead_link_reason

    found = _Inputs()

    def add_file(p: Path) -> None:
        (found.videos if is_video_file(p) else found.images).append(p)

    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            folder = path / "JPEGImages" if not list_images(path) and (path / "JPEGImages").is_dir() else path
            dead: list[Path] = []  # image-named links reaching no file: each fails, said as the reader says it
            images, gifs = list_images_and(folder, NAMED_ONLY_EXTENSIONS, dead=dead)
            found.images.extend(sorted([*images, *dead]))
            if gifs:
                found.gifs[folder] = gifs
            found.videos.extend(sorted(p for p in folder.iterdir() if p.is_file() and is_video_file(p)
                                       and not p.name.startswith(".")))
        elif path.exists():
            add_file(path)
        elif _GLOB_CHARS & set(spec):
            for m in expand_glob(spec):
                if m.is_file() and (is_image_file(m) or is_video_file(m)):
                    add_file(m)
        else:
            dead = dead_link_reason(path)  # a link loop or a broken link: say so, not "no such file"
            raise FileNotFoundError(f"{spec}: {dead}" if dead else f"no such file or folder: {spec}")
    found.images = list(dict.fromkeys(found.images))
    found.videos = list(dict.fromkeys(found.videos))
    return found


def gifs_skipped(folder: Path, gifs: list[Path], to: str = "predict") -> str:
    """The line saying a folder's GIFs were left out, counted, the first three named: a folder lists none
    (`fosp_core.io.image_files.NAMED_ONLY_EXTENSIONS`, as the app's open), a GIF named is read (its first frame)
    - `to` it: "predict", "compare on" (`fosp compare`)."""
    one = len(gifs) == 1
    return (f"note: {folder}: {_counted_gifs(gifs, 'skipped')}: a folder lists no GIF; "
            f"name {'it' if one else 'one'} to {to} its first frame")


def gifs_by_folder(gifs: list[Path]) -> dict[Path, list[Path]]:
    """`gifs` (`collect_image_paths(..., gifs=)`'s, a flat list) grouped by their folder, in order."""
    grouped: dict[Path, list[Path]] = {}
    for gif in gifs:
        grouped.setdefault(gif.parent, []).append(gif)
    return grouped


def _counted_gifs(gifs: list[Path], done: str) -> str:
    """"2 GIFs skipped (a.gif, b.gif)" (`done`: "skipped"), the first three named."""
    names = ", ".join(g.name for g in gifs[:3]) + (f" and {len(gifs) - 3:,} more" if len(gifs) > 3 else "")
    return f"{len(gifs):,} GIF{'' if len(gifs) == 1 else 's'} {done} ({names})"


def gifs_not_in_project(folder: Path, gifs: list[Path]) -> str:
    """The line of `fosp project init` for a folder's GIFs: a project holds none (its entries are the folder's
    listing), the app opens one by its name."""
    return (f"note: {folder}: {_counted_gifs(gifs, 'left out of the project')}: a project holds no GIF; the app opens "
            f"{'it' if len(gifs) == 1 else 'one'} by its name (its first frame)")


def expand_glob(spec: str) -> list[Path]:
    """The paths matching a glob, sorted; ``**`` matches any depth of folders but does not enter
    symbolic links to folders (``glob.glob`` does: a link loop made it run for ever), and names
    starting with a dot match only a pattern part that does."""
    parts = Path(spec).parts
    first = next(i for i, part in enumerate(parts) if _GLOB_CHARS & set(part))
    root = Path(*parts[:first]) if first else Path()
    pattern = parts[first:]
    if pattern[-1] == "**":
        pattern = (*pattern, "*")  # files at any depth, as glob.glob's trailing "**"
    hidden_ok = any(part.startswith(".") for part in pattern)
    return sorted(
        m for m in root.glob(str(Path(*pattern)))
        if hidden_ok or not any(part.startswith(".") for part in m.relative_to(root).parts)
    )


def unique_ids(paths: list[Path]) -> list[str]:
    """Output ids: the file stem; a stem seen before gets its folder name as prefix (and a counter).
    Compared without case, as ``annotation.labels.unique_ids`` does: ``Smoke.jpg`` and ``smoke.png``
    would write one file on macOS and Windows."""
    ids: list[str] = []
    seen: set[str] = set()
    for p in paths:
        candidate = p.stem
        if candidate.casefold() in seen:
            candidate = f"{p.parent.name}_{p.stem}"
        base, n = candidate, 2
        while candidate.casefold() in seen:
            candidate, n = f"{base}_{n}", n + 1
        seen.add(candidate.casefold())
        ids.append(candidate)
    return ids


def out_dir_problem(out: Path) -> str | None:
    """None when `out` is a writable folder or could be made one, else the reason. Creates
    nothing that stays: a run that fails to start (a bad checkpoint) leaves no folder behind. Asked as
    a project's folder is (`writable_folder`: on Windows, where ``os.access`` says yes for every folder,
    an empty folder is made and removed at once)."""
    from fosp_core.annotation.project_files import PROJECT_FILE, writable_folder
    from fosp_core.windows_names import destination_problem

    if (bad_name := destination_problem(out)) is not None:  # Windows: a folder called AUX, a ':' in it ...
        return bad_name

    if out.exists() and not out.is_dir():
        return "it is a file, not a folder; name a folder for the outputs"
    if (out / PROJECT_FILE).is_file():  # OUT/masks/<id>.png would be the project's own masks, behind its back
        return ("it is an annotation project's folder, whose masks are the project's own (made in the app or by "
                "`fosp project prelabel`); name another folder")
    existing = out
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is a file, not a folder"
    if not writable_folder(existing):
        return f"{existing}: permission denied (no folder can be made there)"
    return None


def make_out_dir(out: Path) -> str | None:
    """Create `out` (and its missing parents) and probe it with a temporary file; None when it can
    be written, else the reason (the folders it created are removed again)."""
    created = [p for p in (out, *out.parents) if not p.exists()]
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".fosp-write-test.", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        for folder in created:  # deepest first
            try:
                folder.rmdir()
            except OSError:
                pass
        return exc.strerror or str(exc)
    return None


def video_out_problem(path: Path | None) -> str | None:
    """None when `path` can name the overlay video (a file with a video suffix), else the reason."""
    from fosp_core.infer.video import is_video_file
    from fosp_core.windows_names import destination_problem

    if path is None:
        return None
    if (bad_name := destination_problem(path)) is not None:
        return bad_name
    if path.is_dir():
        return "is a folder; name the video file, e.g. overlay.mp4"
    if not is_video_file(path):
        return "not a video file name; end it in .mp4 (or .avi)"
    return None
