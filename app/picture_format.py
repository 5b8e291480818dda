"""The picture format a file's name asks for, as Qt's image writers know them, and a save in it: the
window's --screenshot, the compare grid (--compare, Analysis ▸ Export Compare Grid…) and the developer
screenshot tools (``python -m app.annotation.screenshot``, ``python -m app.training.screenshot``) save
in the format their suffix names (shot.jpg: a JPEG; they wrote PNG data whatever the name) and refuse,
before any work, a suffix no writer knows, or one whose writer does not keep a picture whole in colour
(:data:`NOT_PICTURES`: icons, 1-bit and grey formats)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage, QImageWriter, QPixmap

__all__ = ["NO_ALPHA", "format_problem", "out_problem", "picture_format", "save_picture", "unknown_suffix",
           "writable_formats"]

#: Formats that hold no alpha channel: a picture is made opaque RGB before it is written in one
NO_ALPHA = frozenset({"jpg", "jpeg", "jfif", "bmp", "ppm"})

#: Qt writes these, but not a view or a window as it is: icons (ico, cur: scaled down to 256 px; icns: to a
#: 256 px square), black and white (xbm, wbmp, pbm: OpenCV's PBM writer refuses colour) or grey (pgm).
NOT_PICTURES = frozenset({"ico", "cur", "icns", "xbm", "wbmp", "pbm", "pgm"})


def writable_formats() -> list[str]:
    """The picture formats Qt writes here ("bmp", "jpg", "png", ...: its image plugins') that keep a
    picture whole, at its size and in colour (not :data:`NOT_PICTURES`), sorted."""
    names = (bytes(name.data()).decode("ascii").lower() for name in QImageWriter.supportedImageFormats())
    return sorted(name for name in names if name not in NOT_PICTURES)


def picture_format(out: Path) -> str:
    """The format to save `out` in: the one its suffix names ("jpg" for shot.JPG), "png" for a name
    without a suffix, "" when Qt cannot write that suffix."""
    suffix = Path(out).suffix.lower().removeprefix(".")
    if not suffix:
        return "png"
    return suffix if suffix in writable_formats() else ""


def format_problem(out: Path, what: str) -> str | None:
    """None when `out`'s suffix names a format Qt writes, else the line saying so, starting with `what`
    (the option, or the path itself)."""
    return None if picture_format(out) else f"{what}: {unknown_suffix(out)}"


def out_problem(out: Path, what: str) -> str | None:
    """None when a picture can be written at `out` as far as its name tells (no folder there, a suffix
    Qt writes), else the line saying why, starting with `what`: checked before the work it ends."""
    if Path(out).is_dir():
        return f"{what} is a folder: name the picture file to write"
    return format_problem(out, what)


def unknown_suffix(out: Path) -> str:
    """What to say of `out`, whose suffix no writer knows: "cannot write .xyz pictures; name one of ..."."""
    return (f"cannot write {Path(out).suffix} pictures; name one of "
            f"{', '.join('.' + name for name in writable_formats())} (no suffix: PNG)")


def save_picture(picture: QImage | QPixmap, out: Path, kind: str = "") -> bool:
    """Save `picture` to `out` in `kind` (default: the format `out`'s suffix names); a format without
    alpha (JPEG, BMP, ...) gets the picture as opaque RGB. False when nothing was written (an unknown
    suffix, the writer's refusal)."""
    kind = kind or picture_format(out)
    if not kind:
        return False
    image = picture.toImage() if isinstance(picture, QPixmap) else picture
    if kind in NO_ALPHA and image.hasAlphaChannel():
        image = image.convertToFormat(QImage.Format.Format_RGB32)
    return image.save(str(out), kind.upper())
