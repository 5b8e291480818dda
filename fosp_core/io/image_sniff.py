"""What a file named like an image really is, from its first bytes, when no image decoder knows it.

:func:`not_an_image` gives the words after "it is ..." for a video renamed ``.png`` (MP4/MOV, Matroska/WebM,
AVI), an iPhone photo renamed ``.jpg`` (HEIC/HEIF, which Pillow and OpenCV here cannot decode), an AVIF
picture that does not decode (damaged), a camera raw (Canon CR3), a PDF, a
ZIP archive, and any text (:func:`fosp_core.io.media_sniff.describe_text`: a Git LFS pointer, an HTML page,
a note); None for other bytes (the reader then says the file may be corrupt). The mirror of
:func:`fosp_core.io.media_sniff.not_a_video`.
"""

from __future__ import annotations

from fosp_core.io.media_sniff import HEAD_BYTES, describe_text

__all__ = ["HEAD_BYTES", "not_an_image"]

_OPEN_AS_VIDEO = "; open it as a video (a video file's name ends .mp4, .mov, .mkv, .avi ...)"
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})
_AUDIO_BRANDS = frozenset({b"M4A ", b"M4B ", b"M4P ", b"F4A "})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})  # a picture (an animated one: avis); a whole one decodes
_RAW_BRANDS = frozenset({b"crx "})  # Canon CR3


def _iso_kind(head: bytes) -> str | None:
    """An ISO base media file (``....ftyp<brand>``): HEIF photo, AVIF picture, camera raw, audio or
    video, by its major brand."""
    if head[4:8] != b"ftyp" or len(head) < 12:
        return None
    brand = head[8:12]
    if brand in _HEIF_BRANDS:
        return ("an HEIC/HEIF photo (the iPhone's format), which FoSp Studio cannot decode: "
                "convert it to JPEG or PNG (most photo apps export it)")
    if brand in _AVIF_BRANDS:
        return ("an AVIF picture that could not be decoded (damaged or cut short?): "
                "save it again as JPEG or PNG")
    if brand in _RAW_BRANDS:
        return "a camera raw file (Canon CR3), not an image: export it as JPEG or PNG from the camera's software"
    if brand in _AUDIO_BRANDS:
        return "an audio file (MP4 audio), not an image"
    return "a video (MP4/MOV)" + _OPEN_AS_VIDEO


def not_an_image(head: bytes, whole: bool = True) -> str | None:
    """What the first bytes `head` of a file that no image decoder reads are, as the words after
    "it is": a video, an HEIC photo, a PDF, a ZIP archive or text (see the module docstring); None for
    anything else. whole: `head` is the whole file (False: cut at a read limit)."""
    iso = _iso_kind(head)
    if iso is not None:
        return iso
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "a video (Matroska/WebM)" + _OPEN_AS_VIDEO
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return "a video (AVI)" + _OPEN_AS_VIDEO
    if head.startswith(b"%PDF-"):
        return "a PDF document, not an image (export its pages as PNG or JPEG)"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "a ZIP archive, not an image (unpack it and open the folder)"
    return describe_text(head, whole=whole, what="image")
