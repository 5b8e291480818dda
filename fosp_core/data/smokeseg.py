"""Write datasets in exactly the SmokeSeg format (Pascal VOC layout), atomically.

    DST/JPEGImages/<id>.jpg                       RGB JPEG
    DST/SegmentationClass/<id>.png                8-bit palette PNG, 0 background, 1 smoke,
                                                  255 ignore, VOC colour map ((0,0,0), (128,0,0), ...)
    DST/ImageSets/Segmentation/<split>.txt        ids, one per line, "\\n", no extension
    DST/ImageSets/Segmentation/test_small.txt     the test ids by smoke pixel ratio delta:
                       test_medium.txt            small delta < 0.5 %, medium 0.5 % <= delta < 2.5 %,
                       test_large.txt             large delta >= 2.5 % (written when a "test" split exists)

The whole dataset is written into a temporary sibling folder and moved into place at the end, so
DST is either absent/old or complete, never half-written.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from fosp_core.data.export_folder import foreign_names, refusal_reason
from fosp_core.data.smokeseg_debris import (
    DeadExport,
    Listing,
    listing_beside,
    old_prefix,
    remove_dead_exports,
    settle_old_copies,
    tmp_prefix,
    with_debris,
)
from fosp_core.data.types import SMOKE, Sample
from fosp_core.folder_in_the_way import in_the_way_words
from fosp_core.io.atomic import replace_file
from fosp_core.io.masks import encode_mask_png
from fosp_core.metrics.buckets import BUCKETS, size_bucket
from fosp_core.windows_names import path_too_long_words, windows_name_problem

__all__ = ["SmokeSegWriteError", "exported_jpeg", "write_smokeseg", "resize_sample", "JPEG_QUALITY", "check_id"]

JPEG_QUALITY = 95
SPLIT_SUBDIR = Path("ImageSets") / "Segmentation"
ProgressFn = Callable[[int, "int | None"], None]
log = logging.getLogger(__name__)


class SmokeSegWriteError(Exception):
    """A SmokeSeg dataset could not be written; carries the path and the reason."""

    def __init__(self, path: str | os.PathLike, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


def check_id(sample_id: str) -> str | None:
    """Why `sample_id` cannot be a SmokeSeg id (None when it can): ids are file stems and
    lines of the split files."""
    if not sample_id:
        return "empty id"
    if any(c.isspace() for c in sample_id):
        return "ids must not contain white space (split files are one id per line)"
    if "/" in sample_id or "\\" in sample_id or sample_id in (".", ".."):
        return "ids must not contain path separators"
    if sample_id.startswith("."):
        return "ids must not start with a dot"
    if os.name == "nt" and (problem := windows_name_problem(f"{sample_id}.jpg")) is not None:
        return problem  # CON, NUL, a ':' (an NTFS stream): no such file here (`portable_id` renames them)
    return None


def resize_sample(image: np.ndarray, mask: np.ndarray | None, size: int) -> tuple[np.ndarray, np.ndarray | None]:
    """Resize an RGB uint8 HxWx3 image (area when shrinking, bilinear when enlarging) and its
    uint8 HxW mask (nearest neighbour, so 0/1/255 stay exact) to size x size."""
    h, w = image.shape[:2]
    interp = cv2.INTER_AREA if size * size < h * w else cv2.INTER_LINEAR
    image = cv2.resize(image, (size, size), interpolation=interp)
    if mask is not None:
        mask = cv2.resize(mask, (size, size), interpolation=cv2.INTER_NEAREST_EXACT)
    return image, mask


def _copyable_jpeg(source: Path | None, image: np.ndarray) -> bool:
    """True when the source file is a plain upright JPEG of exactly this size (copy its bytes
    instead of re-encoding, which would lose quality)."""
    if source is None or Path(source).suffix.lower() not in (".jpg", ".jpeg") or not Path(source).is_file():
        return False
    try:
        with Image.open(source) as im:
            if im.format != "JPEG" or im.mode != "RGB":
                return False
            if int(im.getexif().get(0x0112, 1) or 1) != 1:
                return False
            return im.size == (image.shape[1], image.shape[0])
    except Exception:
        return False


def _encode_jpeg(image: np.ndarray, path: Path) -> bytes:
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise SmokeSegWriteError(path, f"image must be RGB uint8 HxWx3, got {image.dtype} {image.shape}")
    bgr = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2BGR)
    ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise SmokeSegWriteError(path, "JPEG encoding failed")
    return buf.tobytes()


def exported_jpeg(image: np.ndarray, source: Path | None, path: Path) -> bytes | None:
    """The JPEG an export writes for RGB uint8 (H, W, 3) `image`, read from the file `source` and not
    resized: None when it copies that file's bytes (a plain upright JPEG of this size: `_copyable_jpeg`),
    else its bytes re-encoded at :data:`JPEG_QUALITY`. Raises SmokeSegWriteError (naming `path`) for an
    image that is not RGB uint8 or cannot be encoded."""
    return None if _copyable_jpeg(source, image) else _encode_jpeg(image, path)


def _through_link(dst: Path) -> Path:
    """The folder a dataset at `dst` is written to: `dst`, or the folder it leads to when it is a
    symbolic link (the link stays and leads to the new dataset: replacing the link itself would put the
    data beside it, not where it leads, and leave the old dataset's link behind). A link that leads
    nowhere (its drive not mounted, its folder deleted) is refused: nothing is made there; so is one that
    leads to the folder it lies in or above (replacing that would delete everything beside the link)."""
    if not dst.is_symlink():
        return dst
    target = Path(os.path.realpath(dst))
    if not target.exists():
        raise SmokeSegWriteError(dst, f"is a symbolic link to {target}, which does not exist: create that "
                                      "folder or choose another")
    if Path(os.path.realpath(dst.parent)).is_relative_to(target):  # replacing it deletes all beside the link
        raise SmokeSegWriteError(dst, f"is a symbolic link to {target}, a folder that holds the link itself: "
                                      "the export would replace that whole folder; choose another")
    return target


def _prepare_destination(dst: Path, overwrite: bool) -> None:
    if dst.exists() and not dst.is_dir():
        raise SmokeSegWriteError(dst, "exists and is not a folder")
    if (in_the_way := in_the_way_words(dst.parent)) is not None:  # mkdir said "File exists", naming neither
        raise SmokeSegWriteError(dst, f"{in_the_way}; choose another folder")
    try:
        foreign = foreign_names(dst)
    except OSError as exc:
        raise SmokeSegWriteError(dst, f"cannot read the folder: {exc.strerror or exc}") from exc
    if foreign:  # overwrite or not: replacing the folder would delete them
        raise SmokeSegWriteError(dst, refusal_reason(foreign, overwrite))
    if dst.is_dir() and any(dst.iterdir()) and not overwrite:
        raise SmokeSegWriteError(dst, "folder is not empty (pass overwrite=True / --overwrite to replace it)")


def _process_umask() -> int:
    """This process's umask, read without changing it where Linux tells it (``os.umask`` sets it
    to read it: another thread creating a file meanwhile would get the wrong mode)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _folder_mode(dst: Path) -> int:
    """The mode of the dataset's folder: that of the folder it replaces (an empty one the user made
    for it, or the dataset overwritten), else what ``mkdir`` gives (0777 less the umask), as its
    subfolders get."""
    if dst.is_dir():
        return stat.S_IMODE(dst.stat().st_mode)
    return 0o777 & ~_process_umask()


def _open_up(tmp: Path, dst: Path) -> None:
    """Give the temporary folder the dataset's mode (`_folder_mode`); on a file system without
    Unix modes (FAT, exFAT: chmod refused) its mount options decide, and the export goes on."""
    try:
        os.chmod(tmp, _folder_mode(dst))
    except OSError:
        pass


def _move_into_place(tmp: Path, dst: Path, overwrite: bool) -> None:
    old: Path | None = None
    emptied = False
    if dst.is_dir():
        if any(dst.iterdir()):
            if not overwrite:  # appeared while writing
                raise SmokeSegWriteError(dst, "folder became non-empty while writing; not replaced")
            if (foreign := foreign_names(dst)):  # put there while writing: never deleted
                raise SmokeSegWriteError(dst, f"{refusal_reason(foreign, overwrite)} (they appeared while writing)")
            old = Path(tempfile.mkdtemp(prefix=old_prefix(dst), dir=dst.parent))  # settled if killed
            os.rmdir(old)
            replace_file(dst, old)  # Windows: a file of it held open (a scan, a sync client) is waited for, then said
        else:
            os.rmdir(dst)
            emptied = True
    try:
        replace_file(tmp, dst)
    except OSError:  # (a full disk, a file held open): the destination left as it was, as the error says
        _put_back(old, dst, emptied)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _put_back(old: Path | None, dst: Path, emptied: bool) -> None:
    """The new dataset could not be renamed to `dst`: the old one moved aside (`old`) back in its place, or the
    empty folder the user made for it made again (`emptied`). One that cannot be is left to the next export
    (`settle_old_copies` puts an old dataset back)."""
    try:
        if old is not None:
            replace_file(old, dst)
        elif emptied:
            dst.mkdir()
    except OSError:
        pass


def write_smokeseg(samples: Iterable[Sample], dst: Path, *,
                   splits: dict[str, list[str]] | Callable[[list[str]], dict[str, list[str]]] | None = None,
                   resize_to: int | None = None, overwrite: bool = False,
                   progress: ProgressFn | None = None, cleaned: Callable[[DeadExport], None] | None = None) -> Path:
    """Write labelled samples as a SmokeSeg dataset at `dst` and return `dst`.

    samples: Sample with RGB uint8 HxWx3 image and uint8 HxW 0/1/255 mask of the same size; ids
        unique and usable as file names. A sample whose `source` is an upright JPEG of the same
        size is copied byte for byte (no re-encoding); others are encoded at JPEG quality 95.
    splits: split name -> ids (written in the given order to ImageSets/Segmentation/<name>.txt);
        every listed id must be among the samples. None writes train.txt with every id. When a
        "test" split is present and test_small/medium/large are not given, they are derived by delta.
        A callable is given the ids written, in order, once every sample is, and returns them
        (a writer of samples chosen as they are read plans its splits then).
    resize_to: make every image resize_to x resize_to (aspect ratio not kept, as in SmokeSeg);
        masks resized nearest-neighbour.
    overwrite: replace a non-empty `dst` that holds an earlier export; otherwise SmokeSegWriteError. A `dst`
        holding anything else (`fosp_core.data.export_folder.foreign_names`: a notes.txt, a .git) is refused
        whether or not overwrite is given, naming up to 3 of those files: nothing is deleted.
    A `dst` that is a symbolic link is written through: the folder it leads to gets the dataset, the
    link stays; one that leads nowhere, or to a folder holding the link, is refused.
    The temporary folders of earlier exports to `dst` killed mid-way are removed first, once their
    writer is gone (`fosp_core.data.smokeseg_debris`; never one a live export is writing), and the old
    dataset one killed while replacing `dst` had moved aside is put back (`dst` missing) or removed (`dst`
    in place): each handed to `cleaned` (the folder, the bytes it held, what was done: the caller says it)
    and logged (a warning when there is no `cleaned`). A SmokeSegWriteError after that says it too.
    progress: called as progress(done, total) after each sample (total None for plain iterables).
    """
    given = Path(dst)
    told: list[DeadExport] = []

    def tell(found: list[DeadExport], dst: Path) -> None:
        for debris in found:
            # a warning when nobody takes them (it reaches stderr even unconfigured); the caller says them else
            log.log(logging.INFO if cleaned is not None else logging.WARNING, "%s, left by an export to %s "
                    "that was killed before it finished", _done_words[debris.fate].format(debris.path), dst)
            told.append(debris)
            if cleaned is not None:
                cleaned(debris)

    try:
        target = Path(os.path.realpath(given)) if given.is_symlink() else given
        listing = listing_beside(target)  # once, for both kinds of dead exports' folders
        tell(settle_old_copies(target, listing), target)  # a dead export's old dataset, before DST is looked at
        dst = _through_link(given)  # written where a symbolic link leads, the link kept
        _write(samples, dst, splits, resize_to, overwrite, progress, lambda found: tell(found, dst),
               listing if dst.parent == target.parent else None)
    except SmokeSegWriteError as exc:  # said with what was settled before it failed
        if not told:
            raise
        raise SmokeSegWriteError(exc.path, with_debris(exc.reason, told)) from exc
    return given


_done_words = {"unfinished": "removed {}", "old": "removed {}, the old dataset moved aside",
               "restored": "put back {} in its place (the old dataset moved aside)"}


def _write(samples: Iterable[Sample], dst: Path,
           splits: dict[str, list[str]] | Callable[[list[str]], dict[str, list[str]]] | None,
           resize_to: int | None, overwrite: bool, progress: ProgressFn | None,
           tell: Callable[[list[DeadExport]], None], listing: Listing | None = None) -> None:
    """`write_smokeseg` at `dst` (a symbolic link followed), dead exports' unfinished copies handed to `tell`
    (found in `listing`, `dst`'s parent folder's as `write_smokeseg` read it; None: read here)."""
    _prepare_destination(dst, overwrite)
    if resize_to is not None and resize_to <= 0:
        raise SmokeSegWriteError(dst, f"resize_to must be positive, got {resize_to}")
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
        tell(remove_dead_exports(dst, listing))  # settling the old datasets renamed none of these
        tmp = Path(tempfile.mkdtemp(prefix=tmp_prefix(dst), dir=dst.parent))
        _open_up(tmp, dst)  # mkdtemp makes it 0700: the dataset would be closed to others
    except OSError as exc:
        raise SmokeSegWriteError(dst, f"cannot write in {dst.parent}: {exc.strerror or exc}") from exc
    total = len(samples) if hasattr(samples, "__len__") else None  # type: ignore[arg-type]
    try:
        (tmp / "JPEGImages").mkdir()
        (tmp / "SegmentationClass").mkdir()
        (tmp / SPLIT_SUBDIR).mkdir(parents=True)
        deltas: dict[str, float] = {}
        order: list[str] = []
        for done, sample in enumerate(samples, start=1):
            deltas[sample.id] = _write_one(sample, tmp, dst, deltas, resize_to)
            order.append(sample.id)
            if progress is not None:
                progress(done, total)
        _write_splits(tmp, dst, splits(order) if callable(splits) else splits, order, deltas)
        _move_into_place(tmp, dst, overwrite)
    except OSError as exc:  # disk full, folder made read-only while writing, ...
        shutil.rmtree(tmp, ignore_errors=True)
        reason = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        long = path_too_long_words(exc, os.fsdecode(exc.filename or "").replace(str(tmp), str(dst), 1))
        raise SmokeSegWriteError(dst, f"cannot write the dataset: {long or reason}") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write_one(sample: Sample, tmp: Path, dst: Path, seen: dict[str, float], resize_to: int | None) -> float:
    problem = check_id(sample.id)
    if problem:
        raise SmokeSegWriteError(dst, f"sample {sample.id!r}: {problem}")
    if sample.id in seen:
        raise SmokeSegWriteError(dst, f"sample {sample.id!r} appears twice")
    if sample.mask is None:
        raise SmokeSegWriteError(dst, f"sample {sample.id!r} has no mask (SmokeSeg needs labelled samples)")
    image, mask = sample.image, sample.mask
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise SmokeSegWriteError(dst, f"sample {sample.id!r}: image must be RGB uint8 HxWx3, got "
                                      f"{image.dtype} {image.shape}")
    if mask.shape != image.shape[:2]:
        raise SmokeSegWriteError(dst, f"sample {sample.id!r}: mask {mask.shape} does not match image "
                                      f"{image.shape[:2]}")
    resized = resize_to is not None and image.shape[:2] != (resize_to, resize_to)
    if resized:
        image, mask = resize_sample(image, mask, int(resize_to))  # type: ignore[arg-type]
    jpg_path = tmp / "JPEGImages" / f"{sample.id}.jpg"
    data = _encode_jpeg(image, dst) if resized else exported_jpeg(image, sample.source, dst)
    if data is None:
        shutil.copyfile(sample.source, jpg_path)  # type: ignore[arg-type]
    else:
        jpg_path.write_bytes(data)
    try:
        png = encode_mask_png(mask)  # type: ignore[arg-type]
    except Exception as exc:
        raise SmokeSegWriteError(dst, f"sample {sample.id!r}: {exc}") from exc
    (tmp / "SegmentationClass" / f"{sample.id}.png").write_bytes(png)
    return float(np.count_nonzero(mask == SMOKE)) / float(mask.size)  # type: ignore[union-attr]


def _write_splits(tmp: Path, dst: Path, splits: dict[str, list[str]] | None, order: list[str],
                  deltas: dict[str, float]) -> None:
    lists: dict[str, list[str]] = {"train": list(order)} if splits is None else {k: list(v) for k, v in splits.items()}
    for name, ids in lists.items():
        problem = check_id(name)
        if problem:
            raise SmokeSegWriteError(dst, f"split name {name!r}: {problem}")
        missing = [i for i in ids if i not in deltas]
        if missing:
            raise SmokeSegWriteError(dst, f"split {name!r} lists {len(missing)} id(s) that were not written, "
                                          f"e.g. {missing[:3]}")
        if len(set(ids)) != len(ids):
            raise SmokeSegWriteError(dst, f"split {name!r} lists an id twice")
    if "test" in lists and not any(f"test_{b}" in lists for b in BUCKETS):
        for bucket in BUCKETS:
            lists[f"test_{bucket}"] = [i for i in lists["test"] if size_bucket(deltas[i]) == bucket]
    for name, ids in lists.items():
        text = "".join(f"{i}\n" for i in ids)
        (tmp / SPLIT_SUBDIR / f"{name}.txt").write_text(text, encoding="utf-8", newline="\n")
