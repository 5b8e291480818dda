"""Odd images, made on demand in a test's folder, and the picture every odd input is made of.

``IMAGES``: kind -> ``Odd(maker, expect)``, `expect` "ok" (read_image returns an upright RGB image of
`shape`) or a word the error must hold. `picture`, `cv2_write`, `truncated`, `zero_bytes` and
`text_as_jpg` also make the odd masks and videos of the sibling modules.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

H, W = 48, 64  # the height and width of every ordinary odd image


@dataclass(frozen=True)
class Odd:
    """How to make one odd input and what a reader should make of it: "ok" (read as RGB of
    `shape`) or a word of the error that names it."""

    make: Callable[[Path], Path]
    expect: str = "ok"
    shape: tuple[int, int] = (H, W)


def picture(h: int = H, w: int = W, seed: int = 0) -> np.ndarray:
    """An RGB uint8 picture with structure (a gradient and a bright square top-left)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    rgb = np.stack([x * 255 // max(w - 1, 1), y * 255 // max(h - 1, 1), (x + y) % 256], axis=-1)
    rgb = (rgb + rng.integers(0, 8, rgb.shape)).clip(0, 255).astype(np.uint8)
    rgb[: max(h // 4, 1), : max(w // 4, 1)] = 255
    return rgb


def good_image(folder: Path, name: str = "good.png", seed: int = 0) -> Path:
    path = folder / name
    Image.fromarray(picture(seed=seed)).save(path)
    return path


def _save(folder: Path, name: str, im: Image.Image, **kwargs: object) -> Path:
    path = folder / name
    im.save(path, **kwargs)
    return path


def cv2_write(folder: Path, name: str, arr: np.ndarray) -> Path:
    path = folder / name
    ok, buf = cv2.imencode(path.suffix, arr)
    assert ok, name
    path.write_bytes(buf.tobytes())
    return path


def _png16_gray(folder: Path) -> Path:
    return cv2_write(folder, "gray16.png", (picture()[:, :, 0].astype(np.uint16) * 257))


def _png16_rgb(folder: Path) -> Path:
    return cv2_write(folder, "rgb16.png", picture().astype(np.uint16) * 257)


def _tiff16(folder: Path) -> Path:
    return cv2_write(folder, "tiff16.tif", picture().astype(np.uint16) * 257)


def _tiff_float(folder: Path) -> Path:
    return cv2_write(folder, "float.tif", picture().astype(np.float32) / 255.0)


def _png_1bit(folder: Path) -> Path:
    return _save(folder, "bilevel.png", Image.fromarray(picture()[:, :, 0] > 127))


def _png_palette_transparent(folder: Path) -> Path:
    im = Image.fromarray(picture()).convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    return _save(folder, "palette_t.png", im, transparency=0)


def _png_gray_alpha(folder: Path) -> Path:
    return _save(folder, "gray_alpha.png", Image.fromarray(picture()).convert("LA"))


def _png_rgba(folder: Path) -> Path:
    return _save(folder, "rgba.png", Image.fromarray(picture()).convert("RGBA"))


def _jpeg_cmyk(folder: Path) -> Path:
    return _save(folder, "cmyk.jpg", Image.fromarray(picture()).convert("CMYK"), quality=95)


def _jpeg_progressive(folder: Path) -> Path:
    return _save(folder, "progressive.jpg", Image.fromarray(picture()), progressive=True, quality=95)


def _jpeg_oriented(orientation: int) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        im = Image.fromarray(picture())
        exif = im.getexif()
        exif[0x0112] = orientation
        return _save(folder, f"exif{orientation}.jpg", im, exif=exif, quality=95)
    return make


def _gif_animated(folder: Path) -> Path:
    frames = [Image.fromarray(picture(seed=i)).convert("P") for i in range(3)]
    return _save(folder, "anim.gif", frames[0], save_all=True, append_images=frames[1:], duration=50)


def _apng(folder: Path) -> Path:
    frames = [Image.fromarray(picture(seed=i)) for i in range(3)]
    return _save(folder, "anim.png", frames[0], save_all=True, append_images=frames[1:], duration=50)


def _tiff_multipage(folder: Path) -> Path:
    frames = [Image.fromarray(picture(seed=i)) for i in range(3)]
    return _save(folder, "pages.tif", frames[0], save_all=True, append_images=frames[1:])


def _webp(folder: Path) -> Path:
    return _save(folder, "webp.webp", Image.fromarray(picture()), quality=90)


def _webp_animated(folder: Path) -> Path:
    frames = [Image.fromarray(picture(seed=i)) for i in range(3)]
    return _save(folder, "anim.webp", frames[0], save_all=True, append_images=frames[1:], duration=50)


def _rgba_see_through(folder: Path) -> Path:
    """RGBA whose right half is fully transparent (a cut-out): composited over black."""
    rgba = np.dstack([picture(), np.zeros((H, W), np.uint8)])
    rgba[:, : W // 2, 3] = 255
    return _save(folder, "cutout.png", Image.fromarray(rgba, "RGBA"))


def _lying_name(name: str, fmt: str) -> Callable[[Path], Path]:
    """A `fmt` file under `name`, whose extension says another format."""
    def make(folder: Path) -> Path:
        return _save(folder, name, Image.fromarray(picture()), format=fmt)
    return make


def _link_loop(folder: Path) -> Path:
    path = folder / "loop.png"
    os.symlink(path, path)
    return path


def _bmp(folder: Path) -> Path:
    return _save(folder, "bmp.bmp", Image.fromarray(picture()))


def _one_pixel(folder: Path) -> Path:
    return _save(folder, "one.png", Image.fromarray(picture(1, 1)))


def _strip(folder: Path) -> Path:
    return _save(folder, "strip.png", Image.fromarray(picture(1, 20000)))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png_bomb(folder: Path) -> Path:
    """A PNG whose header claims 100 000 x 100 000 RGB pixels (30 GB decoded), a few bytes of data."""
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
    path = folder / "bomb.png"
    path.write_bytes(data + _png_chunk(b"IEND", b""))
    return path


def truncated(name: str, fmt: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        buf = io.BytesIO()
        Image.fromarray(picture(seed=3)).save(buf, fmt)
        path = folder / name
        path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
        return path
    return make


def zero_bytes(name: str) -> Callable[[Path], Path]:
    """A file `name` of 0 bytes (an image's or a video's extension, nothing in it)."""
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(b"")
        return path
    return make


def text_as_jpg(folder: Path) -> Path:
    path = folder / "notes.jpg"
    path.write_text("these are my notes, not a picture\n")
    return path


def _folder_as_png(folder: Path) -> Path:
    path = folder / "x.png"
    path.mkdir()
    return path


def _broken_link(folder: Path) -> Path:
    path = folder / "gone.png"
    os.symlink(folder / "nowhere" / "missing.png", path)
    return path


def _unreadable(folder: Path) -> Path:
    path = good_image(folder, "locked.png")
    path.chmod(0)
    return path


def _heic_as_jpg(folder: Path) -> Path:
    """An iPhone photo's first bytes (HEIF, brand heic) under a .jpg name: no decoder here reads it."""
    path = folder / "IMG_0001.jpg"
    path.write_bytes(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 64)
    return path


def _named(name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        return _save(folder, name, Image.fromarray(picture()))
    return make


def _non_utf8_name(folder: Path) -> Path:
    raw = os.fsencode(folder) + b"/caf\xe9-latin1.png"  # a Latin-1 name, not valid UTF-8
    buf = io.BytesIO()
    Image.fromarray(picture()).save(buf, "PNG")
    with open(raw, "wb") as fh:
        fh.write(buf.getvalue())
    return Path(os.fsdecode(raw))


#: Every odd image, by kind. An "ok" one reads as RGB uint8 of `shape` (upright); the others fail
#: with an error holding the word given.
IMAGES: dict[str, Odd] = {
    "png16_gray": Odd(_png16_gray),
    "png16_rgb": Odd(_png16_rgb),
    "tiff16": Odd(_tiff16),
    "tiff_float": Odd(_tiff_float),
    "png_1bit": Odd(_png_1bit),
    "png_palette_transparent": Odd(_png_palette_transparent),
    "png_gray_alpha": Odd(_png_gray_alpha),
    "png_rgba": Odd(_png_rgba),
    "jpeg_cmyk": Odd(_jpeg_cmyk),
    "jpeg_progressive": Odd(_jpeg_progressive),
    "jpeg_exif6": Odd(_jpeg_oriented(6), shape=(W, H)),
    "jpeg_exif8": Odd(_jpeg_oriented(8), shape=(W, H)),
    "gif_animated": Odd(_gif_animated),
    "apng": Odd(_apng),
    "tiff_multipage": Odd(_tiff_multipage),
    "webp": Odd(_webp),
    "webp_animated": Odd(_webp_animated),
    "rgba_see_through": Odd(_rgba_see_through),
    "png_named_jpg": Odd(_lying_name("png_inside.jpg", "PNG")),
    "jpeg_named_png": Odd(_lying_name("jpeg_inside.png", "JPEG")),
    "bmp": Odd(_bmp),
    "one_pixel": Odd(_one_pixel, shape=(1, 1)),
    "strip_1x20000": Odd(_strip, shape=(1, 20000)),
    "long_name": Odd(_named("n" * 240 + ".png")),
    "spaces_unicode_name": Odd(_named("fumée sur la crête 山火 .png")),
    "non_utf8_name": Odd(_non_utf8_name),
    "emoji_name": Odd(_named("smoke 🔥 fumée.png")),
    "png_bomb": Odd(_png_bomb, "too large"),
    "jpeg_truncated": Odd(truncated("cut.jpg", "JPEG"), "truncated"),
    "png_truncated": Odd(truncated("cut.png", "PNG"), "truncated"),
    "zero_bytes": Odd(zero_bytes("empty.jpg"), "empty"),
    "text_as_jpg": Odd(text_as_jpg, "not a recognised image"),
    "heic_as_jpg": Odd(_heic_as_jpg, "an HEIC/HEIF photo"),
    "folder_as_png": Odd(_folder_as_png, "folder"),
    "broken_symlink": Odd(_broken_link, "is a broken link"),
    "link_loop": Odd(_link_loop, "leads back to itself"),
    "unreadable": Odd(_unreadable, "permission denied"),
}

#: The bad images among IMAGES (a reader must refuse them), and those a folder listing shows.
BAD_IMAGES = [k for k, odd in IMAGES.items() if odd.expect != "ok"]


def mixed_folder(folder: Path, bad: list[str] | None = None) -> tuple[list[Path], list[Path]]:
    """Two good images (``a_good.png``, ``z_good.jpg``) around the `bad` kinds of IMAGES (default:
    the truncated ones, the empty one and the text file named .jpg); returns (good, bad) paths."""
    folder.mkdir(parents=True, exist_ok=True)
    good = [good_image(folder, "a_good.png", 1), folder / "z_good.jpg"]
    Image.fromarray(picture(seed=2)).save(good[1], quality=95)
    kinds = bad if bad is not None else ["jpeg_truncated", "png_truncated", "zero_bytes", "text_as_jpg"]
    return good, [IMAGES[k].make(folder) for k in kinds]


