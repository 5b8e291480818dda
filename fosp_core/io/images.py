"""The one image reader used everywhere in FoSp Studio.

`read_image(path)` returns RGB uint8 HxWx3 plus metadata, whatever the file holds:

- JPEG, PNG, TIFF, BMP, WebP (and anything else Pillow or OpenCV decodes);
- 8-bit and 16-bit samples (16-bit is scaled to 8-bit by taking the high byte, i.e. ``v >> 8``;
  32-bit integer / float samples are rescaled from their own min..max);
- grayscale (replicated to three channels), palette (expanded through its palette);
- RGBA / LA: **composited over black** (``rgb * alpha``), the usual choice for camera frames whose
  alpha is almost always fully opaque; ``LoadedImage.had_alpha`` records that there was one;
- EXIF orientation is applied, so the array is upright as viewers show it (:func:`image_size`
  gives the same upright size from the header alone);
- non-ASCII paths.

Anything that is not a readable image - a missing file, an empty or truncated file (also one
padded with zeros to its full length, as unfinished copies are), a PNG damaged inside (a chunk
failing its CRC: :func:`~fosp_core.io.image_headers.png_damage`), a text file named ``.jpg`` -
raises :class:`ImageReadError` with the path and a human-readable reason. The reader never returns
None and never lets a decoder crash the caller. A read may be cancelled from another thread (the
`cancelled` callback): it then raises :class:`ReadCancelled` within a block of decoded data.

Threads: the reader is thread-safe, and safe in daemon threads (the app's decode workers, left
running at exit): Pillow and numpy are C, and the few OpenCV (C++) calls are fenced at exit by
:func:`fosp_core.io.exit_fence.native_code`.

Parts in their own modules: listing a folder's image files (`image_files`), converting decoded
pixels of any layout to RGB (`image_pixels`), reading facts from the file bytes (`image_headers`).
"""

from __future__ import annotations

import errno
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from fosp_core.io.decoder_words import reading
from fosp_core.io.exit_fence import native_code
from fosp_core.io.image_files import (
    IMAGE_EXTENSIONS,
    PROGRESS_EVERY,
    is_image_file,
    list_image_names,
    list_images,
)
from fosp_core.io.image_headers import (
    PNG_SIGNATURE,
    cut_short,
    jpeg_scan_ends,
    png_damage,
    png_has_late_exif,
    png_without_damaged_ancillary,
    sample_bits,
)
from fosp_core.io.image_pixels import composite_over_black, gray_to_rgb, pil_to_rgb, rescale_to_uint8
from fosp_core.io.image_sniff import HEAD_BYTES, not_an_image
from fosp_core.io.links import dead_link_reason
from fosp_core.io.opencv_logs import quiet_opencv

__all__ = ["IMAGE_EXTENSIONS", "MAX_PIXELS", "ImageReadError", "LoadedImage", "ReadCancelled", "exif_orientation",
           "frames_note", "image_size", "read_image", "read_size",
           # their home is fosp_core.io.image_files; imported from here too
           "PROGRESS_EVERY", "is_image_file", "list_image_names", "list_images"]

# Large but legitimate frames (e.g. 8K panoramas) must open; Pillow's default bomb guard is 89 MP.
MAX_PIXELS = 400_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageReadError(Exception):
    """An image file could not be read. Carries the path and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"cannot read image {self.path}: {reason}")


class ReadCancelled(BaseException):  # noqa: N818 - a signal, like asyncio.CancelledError
    """A read was given up because its `cancelled` callback said so. A BaseException (as
    asyncio.CancelledError is) so that no ``except Exception`` on the way, Pillow's or a caller's,
    takes it for a decoding error."""


@dataclass(frozen=True)
class LoadedImage:
    """A decoded image.

    rgb: RGB uint8 array, shape (H, W, 3), C-contiguous, upright (EXIF orientation applied).
    path: the file it came from.
    format: container format as detected ("JPEG", "PNG", ...).
    mode: the file's pixel layout before conversion (Pillow mode names: "RGB", "L", "P",
        "RGBA", "I;16", ... or "cv2:<dtype>x<channels>" when OpenCV decoded it).
    bit_depth: bits per sample in the file (8 or 16, 32 for float/int32 files).
    had_alpha: the file had an alpha channel (composited over black).
    exif_orientation: the EXIF orientation tag (1 = upright), applied to `rgb`.
    frames: frames (animated GIF/PNG/WebP) or pages (TIFF) in the file; only the first is read.
    """

    rgb: np.ndarray
    path: Path
    format: str
    mode: str
    bit_depth: int
    had_alpha: bool
    exif_orientation: int
    frames: int = 1

    @property
    def note(self) -> str | None:
        """What the user is told of a file with several frames or pages ("animated GIF, 12 frames:
        the first is used"); None for a single picture."""
        return frames_note(self.format, self.frames)

    @property
    def height(self) -> int:
        return int(self.rgb.shape[0])

    @property
    def width(self) -> int:
        return int(self.rgb.shape[1])


def read_image(path: str | Path, *, min_side: int | None = None,
               cancelled: Callable[[], bool] | None = None) -> LoadedImage:
    """Read any supported image file as RGB uint8 HxWx3 (see the module docstring for the rules).

    min_side: for previews (thumbnails): a JPEG may then be decoded at 1/2, 1/4 or 1/8 of its size,
        the smallest scale that keeps both sides at least `min_side` pixels (libjpeg's scaled
        decode: several times faster than a full decode, and still reads the whole file, so a
        truncated one still fails). Other formats decode in full. None: always in full.
    cancelled: asked (from this thread) before each block of compressed data is decoded and
        between the steps after; once it returns True the read stops with ReadCancelled.

    Raises:
        ImageReadError: the file is missing, empty, truncated, corrupt or not an image.
        ReadCancelled: `cancelled` returned True.
    """
    path = Path(path)
    with reading(path):  # Pillow's warnings of it: said after a picture, dropped with an error
        return _read_image(path, min_side, cancelled or _never)


def _read_image(path: Path, min_side: int | None, check: Callable[[], bool]) -> LoadedImage:
    _check_cancelled(check)
    data = _read_bytes(path)
    if data.startswith(PNG_SIGNATURE) and (damage := png_damage(data)) is not None:
        raise ImageReadError(path, damage)  # before Pillow (it reads such pixels) and OpenCV (libpng prints)
    if data.startswith(PNG_SIGNATURE):  # a damaged text or EXIF chunk: skipped, as libpng does (Pillow refuses)
        data = png_without_damaged_ancillary(data)
    try:
        return _decode_with_pillow(path, data, min_side, check)
    except ImageReadError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow read the size from the header: no other decoder may try (it would allocate it).
        raise ImageReadError(path, _too_large_reason()) from None
    except MemoryError:  # under the pixel limit, over the memory left: OpenCV would allocate it again
        raise ImageReadError(path, _no_memory_reason(path)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        pillow_reason = _pillow_reason(exc)
    except Exception as exc:  # a decoder bug must not crash the caller
        pillow_reason = f"{type(exc).__name__}: {exc}"
    # Some files Pillow cannot handle (e.g. float RGB TIFF) decode fine with OpenCV.
    _check_cancelled(check)
    decoded = _decode_with_opencv(path, data)
    if decoded is not None:
        return decoded
    if pillow_reason == _UNRECOGNISED:  # say what the file is, when its bytes tell (a video, a note)
        what = not_an_image(data[:HEAD_BYTES], whole=len(data) <= HEAD_BYTES)
        if what is not None:
            pillow_reason = f"not a recognised image format: the file is {what}"
    raise ImageReadError(path, pillow_reason)


def image_size(path: str | Path) -> tuple[int, int] | None:
    """(height, width) of the array :func:`read_image` returns for `path`, from the header (no
    decode): EXIF orientation counted as read_image applies it. None where Pillow cannot read the
    header (read_image then says why, or decodes the file with OpenCV)."""
    try:
        with reading(path, say=False), Image.open(path) as im:  # Pillow's words: the full read's
            width, height = im.size
            if _header_orientation(im) in (5, 6, 7, 8):
                width, height = height, width
    except Exception:  # any reader error: the real decode reports it
        return None
    return height, width


def read_size(path: str | Path) -> tuple[int, int]:
    """(height, width) of the array :func:`read_image` returns for `path`: from the header
    (:func:`image_size`), else from decoding it (OpenCV reads some files whose header Pillow cannot).
    Raises ImageReadError, with read_image's reason, when it cannot be read."""
    size = image_size(path)
    if size is not None:
        return size
    height, width = read_image(path).rgb.shape[:2]
    return int(height), int(width)


def _header_orientation(im: Image.Image) -> int:
    """The EXIF orientation read_image will apply that `im.size` (from the header) lacks.

    Pillow's TIFF reader turns the pixels upright itself and reports the upright size already. A
    PNG's EXIF may follow the pixel data, where Pillow only finds it by decoding the image: the
    chunk list is walked instead, and the image decoded only when an eXIf chunk is there.
    """
    if im.format == "TIFF":
        return 1
    if im.format == "PNG" and "exif" not in im.info and not png_has_late_exif(im):
        return 1
    return exif_orientation(im)


def _never() -> bool:
    return False


def _check_cancelled(cancelled: Callable[[], bool]) -> None:
    """Raise ReadCancelled when `cancelled()` is True."""
    if cancelled():
        raise ReadCancelled


class _CancellableData(io.BytesIO):
    """The file's bytes as Pillow reads them, a block at a time: each read asks `cancelled`."""

    def __init__(self, data: bytes, cancelled: Callable[[], bool]) -> None:
        super().__init__(data)
        self._cancelled = cancelled

    def read(self, size: int | None = -1) -> bytes:
        _check_cancelled(self._cancelled)
        return super().read(size)


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():  # (Windows says "permission denied" for opening a folder)
        raise ImageReadError(path, "is a folder, not an image file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImageReadError(path, dead_link_reason(path) or "file not found") from None
    except IsADirectoryError:
        raise ImageReadError(path, "is a folder, not an image file") from None
    except PermissionError:
        raise ImageReadError(path, "permission denied") from None
    except OSError as exc:
        dead = dead_link_reason(path) if exc.errno == errno.ELOOP else None  # a link leading back to itself
        raise ImageReadError(path, dead or f"cannot read file ({exc.strerror or exc})") from None
    if not data:
        raise ImageReadError(path, "the file is empty (0 bytes)")
    return data


_TRUNCATED = "the file is truncated (incomplete image data)"
_UNRECOGNISED = "not a recognised image format (the file may be corrupt or not an image)"


def _pillow_reason(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, UnidentifiedImageError):
        return _UNRECOGNISED
    if "truncated" in text.lower():
        return _TRUNCATED
    return f"corrupt or unsupported image data ({text})"


def _too_large_reason() -> str:
    return f"image too large (more than {MAX_PIXELS:,} pixels)"


def _no_memory_reason(path: Path) -> str:
    size = image_size(path)
    if size is None:
        return "not enough memory to decode it: close other programs or open a smaller copy"
    height, width = size
    return (f"not enough memory to decode it ({width}x{height} pixels, {width * height * 3 / 1e6:,.0f} MB as RGB): "
            "close other programs or open a smaller copy")


def _decode_with_pillow(path: Path, data: bytes, min_side: int | None,
                        cancelled: Callable[[], bool]) -> LoadedImage:
    im = Image.open(_CancellableData(data, cancelled))  # over twice the limit: DecompressionBombError
    if im.width * im.height > MAX_PIXELS:  # Pillow only warns up to twice its limit
        raise ImageReadError(path, _too_large_reason())
    fmt = im.format or "unknown"
    if fmt in ("JPEG", "MPO") and not jpeg_scan_ends(data):
        raise ImageReadError(path, _TRUNCATED)  # e.g. zeros where the rest of the file should be
    if cut_short(im, data):  # before Pillow allocates the decoded image (1.6 GB at the pixel limit)
        raise ImageReadError(path, _TRUNCATED)
    file_bits = sample_bits(im)  # before any decode: decoding clears `im.tile`
    frames = _frame_count(im)
    orientation = exif_orientation(im)
    if min_side is not None and fmt == "JPEG":
        im.draft(im.mode, (min_side, min_side))  # the scale keeps both sides >= min_side
    im.load()  # forces a full decode: truncated files raise here
    _check_cancelled(cancelled)
    mode = im.mode
    if orientation not in (0, 1):
        im = ImageOps.exif_transpose(im)
        _check_cancelled(cancelled)
    rgb, bit_depth, had_alpha = pil_to_rgb(im)
    if bit_depth == 8 and file_bits == 16:  # 16-bit RGB(A)/LA: Pillow kept the high byte
        bit_depth = 16
    return LoadedImage(
        rgb=rgb, path=path, format=fmt, mode=mode, bit_depth=bit_depth,
        had_alpha=had_alpha, exif_orientation=orientation or 1, frames=frames,
    )


def _frame_count(im: Image.Image) -> int:
    """Frames (or pages) in the file; 1 when Pillow cannot tell."""
    try:
        return max(1, int(getattr(im, "n_frames", 1) or 1))
    except Exception:  # a damaged frame table must not stop the first frame from opening
        return 1


def frames_note(fmt: str, frames: int) -> str | None:
    """"animated GIF, 12 frames: the first is used" / "multi-page TIFF, 3 pages: the first is used";
    None for one frame."""
    if frames <= 1 or fmt == "MPO":  # a phone's MPO photo holds previews: the first is the photo
        return None
    if fmt == "TIFF":
        return f"multi-page TIFF, {frames} pages: the first is used"
    kind = {"PNG": "APNG", "WEBP": "WebP"}.get(fmt, fmt)
    return f"animated {kind}, {frames} frames: the first is used"


def exif_orientation(im: Image.Image) -> int:
    """The EXIF orientation tag of the opened `im` (1 = upright; 1 too when its EXIF is malformed)."""
    try:
        return int(im.getexif().get(0x0112, 1) or 1)
    except Exception:  # malformed EXIF must not stop the image from opening
        return 1


def _decode_with_opencv(path: Path, data: bytes) -> LoadedImage | None:
    """Fallback decoder. OpenCV returns partial images for truncated JPEGs, so this path only
    serves formats Pillow rejected outright (checked: JPEGs must end with the EOI marker)."""
    with native_code(), quiet_opencv():  # libtiff's complaints of a damaged TIFF: our error says why
        return _opencv_decode(path, data)


def _opencv_decode(path: Path, data: bytes) -> LoadedImage | None:
    buf = np.frombuffer(data, dtype=np.uint8)
    if data[:2] == b"\xff\xd8" and not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        return None
    try:
        arr = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)
    except cv2.error:
        return None
    if arr is None or arr.size == 0:
        return None
    if arr.shape[0] * arr.shape[1] > MAX_PIXELS:
        raise ImageReadError(path, _too_large_reason())
    channels = 1 if arr.ndim == 2 else arr.shape[2]
    mode = f"cv2:{arr.dtype}x{channels}"
    if arr.dtype == np.uint16:
        bit_depth = 16
        if channels != 4:  # the blend over black takes the high byte itself, a band at a time
            arr = (arr >> 8).astype(np.uint8)
    elif arr.dtype == np.uint8:
        bit_depth = 8
    else:
        bit_depth = 32
        arr = rescale_to_uint8(arr.astype(np.float64))
    had_alpha = False
    if arr.ndim == 2:
        rgb = gray_to_rgb(arr)
    elif arr.shape[2] == 1:
        rgb = gray_to_rgb(arr[:, :, 0])
    elif arr.shape[2] == 4:
        had_alpha = True
        rgb = composite_over_black(arr, bgr=True)
    else:
        rgb = np.ascontiguousarray(cv2.cvtColor(arr[:, :, :3], cv2.COLOR_BGR2RGB))
    return LoadedImage(
        rgb=rgb, path=path, format=path.suffix.lstrip(".").upper() or "unknown", mode=mode,
        bit_depth=bit_depth, had_alpha=had_alpha, exif_orientation=1,
    )
