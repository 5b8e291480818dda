"""Odd and hostile inputs, made on demand in a test's folder: images, masks, checkpoints, videos.

Each ``make_*`` function writes one file (or folder, link ...) of the named kind into `folder` and
returns its path; the tables below say, for each kind, what a reader should do with it:

* ``IMAGES``: kind -> ``Odd(maker, expect)``, `expect` "ok" (read_image returns an upright RGB
  image of `shape`) or a word the error must hold;
* ``MASKS``: mask files to import beside a 64x48 image;
* ``CHECKPOINTS``: kind -> maker, every one of them refused by the model loader;
* ``VIDEOS``: kind -> maker, every one of them unreadable as a video.

Sizes are tiny (a few KB, written in milliseconds) except where size is the point (the PNG whose
header claims 100 000 x 100 000 pixels is still a few hundred bytes).
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

__all__ = ["CHECKPOINTS", "H", "IMAGES", "MALICIOUS_MARKER", "MASKS", "VIDEOS", "W", "Odd", "good_image",
           "mask01", "mixed_folder", "picture", "tiny_checkpoint", "write_video"]

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


def _cv2_write(folder: Path, name: str, arr: np.ndarray) -> Path:
    path = folder / name
    ok, buf = cv2.imencode(path.suffix, arr)
    assert ok, name
    path.write_bytes(buf.tobytes())
    return path


def _png16_gray(folder: Path) -> Path:
    return _cv2_write(folder, "gray16.png", (picture()[:, :, 0].astype(np.uint16) * 257))


def _png16_rgb(folder: Path) -> Path:
    return _cv2_write(folder, "rgb16.png", picture().astype(np.uint16) * 257)


def _tiff16(folder: Path) -> Path:
    return _cv2_write(folder, "tiff16.tif", picture().astype(np.uint16) * 257)


def _tiff_float(folder: Path) -> Path:
    return _cv2_write(folder, "float.tif", picture().astype(np.float32) / 255.0)


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


def _truncated(name: str, fmt: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        buf = io.BytesIO()
        Image.fromarray(picture(seed=3)).save(buf, fmt)
        path = folder / name
        path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
        return path
    return make


def _zero_bytes(name: str) -> Callable[[Path], Path]:
    """A file `name` of 0 bytes (an image's or a video's extension, nothing in it)."""
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(b"")
        return path
    return make


def _text_as_jpg(folder: Path) -> Path:
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
    "bmp": Odd(_bmp),
    "one_pixel": Odd(_one_pixel, shape=(1, 1)),
    "strip_1x20000": Odd(_strip, shape=(1, 20000)),
    "long_name": Odd(_named("n" * 240 + ".png")),
    "spaces_unicode_name": Odd(_named("fumée sur la crête 山火 .png")),
    "non_utf8_name": Odd(_non_utf8_name),
    "png_bomb": Odd(_png_bomb, "too large"),
    "jpeg_truncated": Odd(_truncated("cut.jpg", "JPEG"), "truncated"),
    "png_truncated": Odd(_truncated("cut.png", "PNG"), "truncated"),
    "zero_bytes": Odd(_zero_bytes("empty.jpg"), "empty"),
    "text_as_jpg": Odd(_text_as_jpg, "not a recognised image"),
    "folder_as_png": Odd(_folder_as_png, "folder"),
    "broken_symlink": Odd(_broken_link, "not found"),
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


# ------------------------------------------------------------------------------------------ masks
def _mask01() -> np.ndarray:
    m = np.zeros((H, W), np.uint8)
    m[10:30, 20:50] = 1
    return m


def _mask_file(name: str, arr: np.ndarray) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        if arr.dtype == np.uint16:
            return _cv2_write(folder, name, arr)
        path = folder / name
        Image.fromarray(arr).save(path)
        return path
    return make


def _palette_mask(folder: Path) -> Path:
    im = Image.fromarray(_mask01(), "L").convert("P")
    im.putpalette([0, 0, 0, 128, 0, 0] + [0, 0, 0] * 254)  # VOC / SmokeSeg: 0 black, 1 dark red
    path = folder / "palette.png"
    im.save(path)
    return path


def _mask_with_alpha(folder: Path) -> Path:
    rgba = np.zeros((H, W, 4), np.uint8)
    rgba[..., 3] = 255
    rgba[_mask01() > 0, :3] = 255
    path = folder / "alpha.png"
    Image.fromarray(rgba, "RGBA").save(path)
    return path


def mask01() -> np.ndarray:
    """The mask every "ok" kind of MASKS holds: 0/1 uint8 (H, W), a 30x20 rectangle of 1."""
    return _mask01()


#: Mask files for a 64x48 image (W x H): kind -> Odd; "ok" ones import as `mask01()`,
#: the others are refused with the word given.
MASKS: dict[str, Odd] = {
    "values_0_1": Odd(_mask_file("m01.png", _mask01())),
    "values_0_255": Odd(_mask_file("m255.png", _mask01() * 255)),
    "palette": Odd(_palette_mask),
    "rgb": Odd(_mask_file("rgb.png", np.repeat((_mask01() * 255)[..., None], 3, axis=2))),
    "gray16": Odd(_mask_file("m16.png", _mask01().astype(np.uint16) * 65535)),
    "alpha": Odd(_mask_with_alpha),
    "wrong_size": Odd(_mask_file("small.png", np.zeros((10, 10), np.uint8)), "is 10x10, the image is 48x64"),
    "truncated": Odd(_truncated("cut_mask.png", "PNG"), "truncated"),
    "text": Odd(_text_as_jpg, "cannot decode"),
}


# ------------------------------------------------------------------------------------ checkpoints
MALICIOUS_MARKER = "PWNED_BY_PICKLE"


class _Exploit:
    """Unpickling this runs ``open(marker, "w")``: a loader that executes pickles creates the file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # noqa: ANN204
        return (open, (str(self.marker), "w"))


def _malicious_pt(folder: Path) -> Path:
    path = folder / "evil.pt"
    path.write_bytes(pickle.dumps({"weight": _Exploit(folder / MALICIOUS_MARKER)}))
    return path


def _malicious_torch_zip(folder: Path) -> Path:
    import torch

    path = folder / "evil_zip.pth"
    torch.save({"weight": _Exploit(folder / MALICIOUS_MARKER)}, path)
    return path


def tiny_checkpoint(path: Path) -> Path:
    """A valid fosp-s checkpoint (seed 0) at `path`: the base the broken ones are made from."""
    import torch

    from fosp_core.checkpoint import save_checkpoint
    from fosp_core.model import build_model

    torch.manual_seed(0)
    return save_checkpoint(build_model("fosp-s").eval(), path)


def _rewrite(base: Path, path: Path, tensors: Callable[[dict], dict] = lambda t: t,
             meta: Callable[[dict], dict] = lambda m: m) -> Path:
    """`base` written again at `path`, its tensors and metadata changed by the functions given."""
    from safetensors.torch import load_file, save_file

    from fosp_core.checkpoint import read_metadata

    save_file(tensors(load_file(str(base))), str(path), metadata=meta(read_metadata(base)))
    return path


def _truncated_safetensors(folder: Path, base: Path) -> Path:
    path = folder / "cut.safetensors"
    path.write_bytes(base.read_bytes()[: base.stat().st_size // 2])
    return path


def _narrower(tensors: dict) -> dict:
    key = next(k for k, v in tensors.items() if v.ndim == 4)
    return {**tensors, key: tensors[key][:, :1].contiguous()}


def _wrong_shapes(folder: Path, base: Path) -> Path:
    return _rewrite(base, folder / "shapes.safetensors", tensors=_narrower)


def _empty_ckpt(folder: Path, base: Path) -> Path:
    path = folder / "empty.safetensors"
    path.write_bytes(b"")
    return path


def _empty_pt(folder: Path, base: Path) -> Path:
    path = folder / "empty.pt"
    path.write_bytes(b"")
    return path


def _other_variant(folder: Path, base: Path) -> Path:
    """The weights without the Focus head (as a SegFormer's) under fosp-s's metadata."""
    return _rewrite(base, folder / "variant.safetensors",
                    tensors=lambda t: {k: v for k, v in t.items() if not k.startswith("focus.")})


def _bad_config_fields(folder: Path, base: Path) -> Path:
    """Metadata whose config has fields of the wrong type ("channels": "wide")."""
    import json

    def meta(m: dict) -> dict:
        return {**m, "config": json.dumps({**json.loads(m["config"]), "channels": "wide"})}
    return _rewrite(base, folder / "fields.safetensors", meta=meta)


def _image_as_ckpt(folder: Path, base: Path) -> Path:
    path = folder / "photo.safetensors"
    buf = io.BytesIO()
    Image.fromarray(picture()).save(buf, "JPEG")
    path.write_bytes(buf.getvalue())
    return path


def _malicious(make: Callable[[Path], Path]) -> Callable[[Path, Path], Path]:
    return lambda folder, base: make(folder)


#: Checkpoints every loader must refuse with a CheckpointError naming the file and holding the word
#: given: kind -> (maker(folder, base), word); `base` is a valid `tiny_checkpoint`.
CHECKPOINTS: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "truncated_safetensors": (_truncated_safetensors, "not a readable safetensors file"),
    "wrong_shapes": (_wrong_shapes, "shape mismatches"),
    "malicious_pickle": (_malicious(_malicious_pt), "it asks for io.open"),
    "malicious_torch_zip": (_malicious(_malicious_torch_zip), "it asks for io.open"),
    "empty_safetensors": (_empty_ckpt, "the file is empty (0 bytes)"),
    "empty_pt": (_empty_pt, "the file is empty (0 bytes)"),
    "other_variant": (_other_variant, "missing keys: focus."),
    "config_wrong_fields": (_bad_config_fields, "channels"),
    "jpeg_named_safetensors": (_image_as_ckpt, "not a readable safetensors file"),
}


# ----------------------------------------------------------------------------------------- videos
def write_video(path: Path, frames: int, size: tuple[int, int] = (W, H)) -> Path:
    """An mp4 (mp4v) of `frames` frames of `size` (width, height)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10.0, size)
    for i in range(frames):
        writer.write(np.ascontiguousarray(picture(size[1], size[0], seed=i)[:, :, ::-1]))
    writer.release()
    return path


def _truncated_mp4(folder: Path) -> Path:
    full = write_video(folder / "full.mp4", 10)
    path = folder / "cut.mp4"
    path.write_bytes(full.read_bytes()[: full.stat().st_size // 3])
    full.unlink()
    return path


def _image_as_mp4(folder: Path) -> Path:
    path = folder / "photo.mp4"
    Image.fromarray(picture()).save(path, "JPEG")
    return path


def _audio_only(folder: Path) -> Path:
    import av

    path = folder / "sound.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("aac", rate=8000)
        stream.layout = "mono"
        samples = np.zeros((1, 1024), np.float32)
        for _ in range(4):
            frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
            frame.sample_rate = 8000
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


#: Videos that are no video (a reader must refuse them with a message naming the file).
VIDEOS: dict[str, Callable[[Path], Path]] = {
    "truncated_mp4": _truncated_mp4,
    "zero_byte_mp4": _zero_bytes("empty.mp4"),
    "image_as_mp4": _image_as_mp4,
    "audio_only": _audio_only,
}
