"""Mask files: read any usual encoding into 0/1/255, write SmokeSeg palette PNGs.

Every mask in memory is a uint8 HxW array: 0 background, 1 smoke, 255 ignore
(`fosp_core.data.types`). On disk, SmokeSeg stores it as an 8-bit palette PNG whose pixel values
are those indices, with the Pascal VOC colour map as palette (index 0 (0,0,0), 1 (128,0,0), ...,
255 (224,224,192)); `write_mask_png` writes exactly those bytes (Pillow's default PNG encoder,
byte-identical to the files of the authors' release).

Encodings `read_mask` recognises (decided per file, from the file's mode and its values):

- palette PNG (mode P): the indices are the classes; 0, 1 and 255 allowed, anything else is an
  error (a multi-class VOC mask is not a smoke mask).
- grayscale (L, I;16, I, 1):
  values within {0, 1, 255} and some 1 present -> 0/1 with 255 ignore;
  values within {0, 255} (no 1) -> 0/255 binary (SMOKE5K): 255 is smoke;
  any other values (soft or JPEG-damaged masks) -> smoke where value >= half the range; when no
  value reaches half the range (class indices such as 0/1/2, a 16-bit 0/1000 mask) it is an error,
  not a silently empty mask.
- colour (RGB/RGBA, alpha ignored): black is background, the VOC ignore colour (224,224,192) is
  ignore, `smoke_color` is smoke; without `smoke_color`, a single remaining colour is smoke
  (more than one is an error naming them). A colour file whose three channels are equal
  everywhere is read as grayscale.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, UnidentifiedImageError

from fosp_core.data.types import BACKGROUND, IGNORE, SMOKE
from fosp_core.io.atomic import write_atomic
from fosp_core.io.decoder_words import reading
from fosp_core.io.image_headers import PNG_SIGNATURE, png_damage, png_without_damaged_ancillary
from fosp_core.io.image_sniff import not_an_image
from fosp_core.io.images import MAX_PIXELS  # also sets Pillow's bomb limit, whoever reads first
from fosp_core.mask_warnings import NotAMaskWarning, warn_caller

__all__ = [
    "MaskReadError",
    "MaskWriteError",
    "VOC_PALETTE",
    "IGNORE_COLOR",
    "SMOKE_COLOR",
    "read_mask",
    "decode_mask",
    "write_mask_png",
    "encode_mask_png",
]

SMOKE_COLOR = (128, 0, 0)
IGNORE_COLOR = (224, 224, 192)


class MaskReadError(Exception):
    """A mask file could not be read or decoded; carries the path and the reason."""

    def __init__(self, path: str | os.PathLike, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


class MaskWriteError(Exception):
    """A mask could not be written; carries the path and the reason."""

    def __init__(self, path: str | os.PathLike, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


def _voc_palette() -> list[int]:
    """The Pascal VOC colour map: 256 RGB triples, flattened (768 ints).

    Class index bits are spread over the colour channels from the most significant bit down:
    bit 0 of the index -> red, bit 1 -> green, bit 2 -> blue, then the next three bits one
    position lower, and so on.
    """
    palette: list[int] = []
    for index in range(256):
        r = g = b = 0
        c = index
        for shift in range(7, -1, -1):
            r |= (c & 1) << shift
            g |= ((c >> 1) & 1) << shift
            b |= ((c >> 2) & 1) << shift
            c >>= 3
        palette.extend((r, g, b))
    return palette


VOC_PALETTE: list[int] = _voc_palette()


def _classes_from_gray(values: np.ndarray, full_scale: int, path: str | os.PathLike = "<memory>") -> np.ndarray:
    """Map a grayscale array (any unsigned range up to `full_scale`) to 0/1/255 uint8; a photo read as a
    soft mask warns (`_warn_photo`)."""
    present = np.flatnonzero(np.bincount(values.ravel(), minlength=2)) if full_scale <= 255 else np.unique(values)
    present_set = {int(v) for v in present}
    if full_scale <= 255 and present_set <= {0, 1, 255} and 1 in present_set:
        return values.astype(np.uint8, copy=False)
    if present_set <= {0, full_scale}:
        return np.where(values == full_scale, SMOKE, BACKGROUND).astype(np.uint8)
    if present_set <= {0, 1}:  # 16-bit 0/1
        return values.astype(np.uint8)
    half = (full_scale + 1) // 2
    if max(present_set) < half:  # nothing would be smoke: class indices (0/1/2...), not a soft mask
        shown = sorted(present_set)[:8]
        raise ValueError(f"grayscale values {shown} are all below {half}, so no pixel would be smoke; "
                         "expected 0/1 (255 ignore), 0/255 or a soft mask (smoke >= half the range)")
    mask = (values >= half).astype(np.uint8)
    if len(present_set) > PHOTO_LEVELS:
        _warn_photo(values, full_scale, len(present_set), mask, path)
    return mask


#: more grey levels than this, and mostly mid-grey: a photo, not a (soft, blurred or JPEG-saved) mask
PHOTO_LEVELS = 16
#: the share of mid-grey pixels (over 1/8 of the range away from both ends) of a photo: a mask saved as
#: JPEG or blurred has under 2 % there, the demo's photos in grey 85-96 %
PHOTO_MID_SHARE = 0.25


def _warn_photo(values: np.ndarray, full_scale: int, levels: int, mask: np.ndarray,
                path: str | os.PathLike) -> None:
    """Warn (`NotAMaskWarning`) when grayscale `values` read as a soft mask look like a photo: many grey
    levels, a quarter of the pixels or more mid-grey. What is read does not change."""
    low, high = full_scale // 8, full_scale - full_scale // 8
    mid = float(np.count_nonzero((values > low) & (values < high))) / max(values.size, 1)
    if mid < PHOTO_MID_SHARE:
        return
    warn_caller(f"{path}: read as a soft mask (smoke where the value is at least half the range: "
                f"{float(np.count_nonzero(mask)) / max(mask.size, 1):.0%} of the pixels), but it has {levels} grey "
                f"levels and {mid:.0%} of its pixels are mid-grey: it looks like a photo, not a mask. Read a photo "
                f"with fosp_core.read_image; {MASK_FILE_WORDS[0].lower()}{MASK_FILE_WORDS[1:]}", NotAMaskWarning,
                None if str(path) == "<memory>" else path)


def decode_mask(image: Image.Image, *, smoke_color: tuple[int, int, int] | None = None,
                path: str | os.PathLike = "<memory>") -> np.ndarray:
    """Decode an opened Pillow image into a uint8 HxW mask of 0/1/255 (see module doc)."""
    mode = image.mode
    if mode == "P":
        indices = np.array(image, dtype=np.uint8)
        # OpenCV's histogram reads the uint8 indices as they are (np.bincount made an int64 copy:
        # 8 bytes a pixel, 1.9 s for 8000x6000 on the GUI thread when an image is reopened)
        counts = cv2.calcHist([indices], [0], None, [256], [0, 256]).ravel()
        bad = [int(i) for i in np.flatnonzero(counts) if i not in (BACKGROUND, SMOKE, IGNORE)]
        if bad:
            raise MaskReadError(path, f"palette indices {bad[:8]} are not 0 (background), 1 (smoke) "
                                      "or 255 (ignore)")
        return indices
    try:
        if mode in ("L", "LA", "1"):
            gray = np.asarray(image.convert("L") if mode != "L" else image, dtype=np.uint8)
            return _classes_from_gray(gray, 255, path)
        if mode in ("I;16", "I;16B", "I;16L", "I"):
            arr = np.asarray(image)
            if arr.min() < 0 or arr.max() > 65535:
                raise MaskReadError(path, f"integer mask values {arr.min()}..{arr.max()} out of 0..65535")
            if arr.max() <= 255:
                return _classes_from_gray(arr.astype(np.uint8), 255, path)
            return _classes_from_gray(arr.astype(np.uint16), 65535, path)
        if mode in ("RGB", "RGBA", "RGBX"):
            rgb = np.asarray(image.convert("RGB") if mode != "RGB" else image, dtype=np.uint8)
            return _classes_from_rgb(rgb, smoke_color, path)
    except ValueError as exc:
        raise MaskReadError(path, str(exc)) from None
    raise MaskReadError(path, f"unsupported image mode {mode!r} for a mask")


#: more colours than this besides black and ignore: a photo, not a colour mask of a few classes
PHOTO_COLOURS = 16
#: what a mask file is, for a file that is none
MASK_FILE_WORDS = ("A mask file is a PNG of one value per pixel: 0 background and 1 or 255 smoke (grayscale "
                   "or palette, 255 ignore beside 1), or black background and one smoke colour.")


def _classes_from_rgb(rgb: np.ndarray, smoke_color: tuple[int, int, int] | None,
                      path: str | os.PathLike) -> np.ndarray:
    if smoke_color is None and np.array_equal(rgb[..., 0], rgb[..., 1]) and np.array_equal(rgb[..., 1], rgb[..., 2]):
        return _classes_from_gray(np.ascontiguousarray(rgb[..., 0]), 255, path)
    code = (rgb[..., 0].astype(np.uint32) << 16) | (rgb[..., 1].astype(np.uint32) << 8) | rgb[..., 2]
    colours, inverse = np.unique(code.ravel(), return_inverse=True)

    def pack(c: tuple[int, int, int]) -> int:
        return (int(c[0]) << 16) | (int(c[1]) << 8) | int(c[2])

    black, ignore = pack((0, 0, 0)), pack(IGNORE_COLOR)
    others = [int(c) for c in colours if c not in (black, ignore)]
    if smoke_color is not None:
        smoke = pack(smoke_color)
        stray = [c for c in others if c != smoke]
        if stray:
            raise MaskReadError(path, "colours other than black, the ignore colour and the smoke colour "
                                      f"{tuple(smoke_color)}: {[_unpack(c) for c in stray[:6]]}")
    elif len(others) > PHOTO_COLOURS:  # no choice of one colour would help: say what the file is
        raise MaskReadError(path, f"{len(others)} colours: this looks like a photo (or a colour mask saved as "
                                  f"JPEG), not a mask. {MASK_FILE_WORDS}")
    elif len(others) > 1:
        raise MaskReadError(path, f"{len(others)} colours besides black and ignore "
                                  f"({[_unpack(c) for c in others[:6]]}); pass smoke_color to choose")
    else:
        smoke = others[0] if others else -1
    lut = np.full(len(colours), BACKGROUND, dtype=np.uint8)
    lut[colours == smoke] = SMOKE
    lut[colours == ignore] = IGNORE
    return lut[inverse].reshape(rgb.shape[:2])


def _unpack(code: int) -> tuple[int, int, int]:
    return (code >> 16) & 255, (code >> 8) & 255, code & 255


_TOO_LARGE = f"mask too large (more than {MAX_PIXELS:,} pixels; a damaged or hostile header?)"


def read_mask(path: str | os.PathLike, *, smoke_color: tuple[int, int, int] | None = None) -> np.ndarray:
    """Read a mask file in any usual encoding (see module doc).

    Returns uint8 HxW with 0 background, 1 smoke, 255 ignore. Raises MaskReadError(path, reason)
    for a missing, unreadable or ambiguous file.
    """
    path = Path(path)
    with reading(path):  # Pillow's warnings of it: said after a mask, dropped with an error
        return _read_mask(path, smoke_color)


def _read_mask(path: Path, smoke_color: tuple[int, int, int] | None) -> np.ndarray:
    data = _mask_bytes(path)  # once: a PNG's chunks are checked (damage) before Pillow decodes them
    try:
        if (why := _not_a_mask_file(data)) is not None:
            raise MaskReadError(path, why)
        if data.startswith(PNG_SIGNATURE):  # a damaged text or EXIF chunk: skipped, as libpng does
            data = png_without_damaged_ancillary(data)
        with Image.open(io.BytesIO(data)) as image:  # over twice the limit: DecompressionBombError
            if image.width * image.height > MAX_PIXELS:  # Pillow only warns up to twice its limit
                raise MaskReadError(path, _TOO_LARGE)
            image.load()
            return decode_mask(image, smoke_color=smoke_color, path=path)
    except MaskReadError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # not OSError
        raise MaskReadError(path, _TOO_LARGE) from None
    except UnidentifiedImageError:  # its words name a BytesIO
        what = not_an_image(data[:4096], whole=len(data) <= 4096)
        raise MaskReadError(path, f"cannot decode: not a recognised image format{f': the file is {what}' if what else ''}") from None
    except (OSError, ValueError, SyntaxError) as exc:  # Pillow raises these for broken files
        raise MaskReadError(path, f"cannot decode: {exc}") from exc


def _mask_bytes(path: Path) -> bytes:
    """The bytes of the mask file `path`; MaskReadError in `read_image`'s words when it cannot be read
    (Python's "[Errno 13] Permission denied: 'PATH'" named the path twice, after "cannot decode")."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise MaskReadError(path, "file not found") from None
    except IsADirectoryError:
        raise MaskReadError(path, "is a folder, not a mask file") from None
    except PermissionError:
        # Windows says "permission denied" for opening a folder: ask the file system only now, so that
        # a mask that reads costs no extra stat (test_scrubbing_asks_the_file_system_nothing_about_mask_files)
        if path.is_dir():
            raise MaskReadError(path, "is a folder, not a mask file") from None
        raise MaskReadError(path, "permission denied") from None
    except OSError as exc:
        raise MaskReadError(path, f"cannot read file ({exc.strerror or exc})") from None


def _not_a_mask_file(data: bytes) -> str | None:
    """Why the bytes `data` are no mask to decode (empty, a PNG damaged inside), or None."""
    if not data:
        return "the file is empty (0 bytes)"
    if data.startswith(PNG_SIGNATURE):
        return png_damage(data)  # Pillow would read a damaged IDAT as a mask of other pixels
    return None


def _check_mask(mask: np.ndarray, path: str | os.PathLike) -> np.ndarray:
    mask = np.asarray(mask)
    if mask.ndim != 2:
        raise MaskWriteError(path, f"mask must be HxW, got shape {mask.shape}")
    if mask.dtype != np.uint8:
        if mask.dtype == bool:
            mask = mask.astype(np.uint8)
        else:
            raise MaskWriteError(path, f"mask must be uint8 (0/1/255), got {mask.dtype}")
    mask = np.ascontiguousarray(mask)
    if _has_other_values(mask):
        # only now say which: OpenCV's histogram (float32 counts lose precision above 2^24, never
        # their being non-zero)
        counts = cv2.calcHist([mask], [0], None, [256], [0, 256]).ravel()
        bad = [int(v) for v in np.flatnonzero(counts) if v not in (BACKGROUND, SMOKE, IGNORE)]
        raise MaskWriteError(path, f"mask values {bad[:8]} are not 0, 1 or 255")
    return mask


_CHECK_CHUNK_BYTES = 256 * 1024  # a block of rows that stays in the CPU's cache


def _has_other_values(mask: np.ndarray) -> bool:
    """Whether a uint8 HxW mask holds a value other than 0, 1 and 255, on every autosave.

    Adding 254 (mod 256) maps 0, 1, 255 to 254, 255, 253 and every other value 2..254 to 0..252, so
    a block's minimum tells. Blocks of rows about 256 KiB, through one reused buffer (0.3 MB traced):
    1.3 ms on 4000x3000 where OpenCV's whole histogram took 22-29 ms and three ``mask == v`` 10 ms
    with 12 MB at once (bench/bench_mask_check.py, load 0.8); stops at the first bad block.
    """
    height, width = mask.shape
    rows = max(1, _CHECK_CHUNK_BYTES // max(width, 1))
    buffer = np.empty((min(rows, height), width), np.uint8)
    shifted = np.uint8(254)  # 0 -> 254, 1 -> 255, 255 -> 253, 2..254 -> 0..252
    for top in range(0, height, rows):
        block = mask[top:top + rows]
        out = buffer[:block.shape[0]]
        np.add(block, shifted, out=out)
        if out.size and int(out.min()) < 253:
            return True
    return False


def encode_mask_png(mask: np.ndarray, compress_level: int = 6) -> bytes:
    """The SmokeSeg palette-PNG bytes of a uint8 HxW 0/1/255 mask. compress_level: zlib's, 0-9;
    1 encodes a 4000×3000 mask about 2.5× faster than the default 6 into a file about 3× larger
    (still tens of KiB: masks are long runs), what saving after every stroke wants."""
    mask = _check_mask(mask, "<memory>")
    height, width = mask.shape
    image = Image.frombytes("P", (width, height), mask.tobytes())
    image.putpalette(VOC_PALETTE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=compress_level)
    return buffer.getvalue()


def write_mask_png(path: str | os.PathLike, mask: np.ndarray) -> Path:
    """Write a uint8 HxW 0/1/255 mask as a SmokeSeg palette PNG, atomically (temp + os.replace).

    Returns the path written. Raises MaskWriteError for a bad mask or an unwritable folder.
    """
    path = Path(path)
    mask = _check_mask(mask, path)
    data = encode_mask_png(mask)
    atomic_write_bytes(path, data, error=MaskWriteError)
    return path


def atomic_write_bytes(path: Path, data: bytes, *, error: type[Exception] = OSError) -> None:
    """Write bytes to `path` atomically (`fosp_core.io.atomic`); an OSError becomes
    `error(path, reason)` (plain OSError keeps errno and names the path)."""
    path = Path(path)
    try:
        write_atomic(path, data)
    except OSError as exc:
        if error is OSError:
            raise OSError(exc.errno, f"cannot write {path}: {exc.strerror or exc}") from exc
        raise error(path, f"cannot write: {exc.strerror or exc}") from exc
