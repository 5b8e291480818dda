"""What an image file's bytes and header say before (or instead of) decoding it: whether a JPEG's
scan ends, whether a PNG's EXIF follows its pixels or a chunk of it is damaged, how many bits its samples
have. Helpers of :mod:`fosp_core.io.images`."""

from __future__ import annotations

import struct
import zlib

from PIL import Image


def png_has_late_exif(im: Image.Image) -> bool:
    """An eXIf chunk after the first IDAT (chunk headers read from `im.fp`, no decode)."""
    fp = im.fp
    if fp is None or not im.tile:
        return False
    pos = im.tile[0][2] - 8  # the first IDAT chunk's header
    while True:
        fp.seek(pos)
        header = fp.read(8)
        if len(header) < 8:
            return False
        length, kind = struct.unpack(">I4s", header)
        if kind == b"eXIf":
            return True
        if kind == b"IEND":
            return False
        pos += 12 + length


def sample_bits(im: Image.Image) -> int:
    """16 when the file's samples are 16-bit (Pillow's raw mode says ``;16``), else 8."""
    for tile in im.tile:
        args = tile[3]
        raw_mode = args if isinstance(args, str) else args[0] if isinstance(args, tuple) and args else None
        if isinstance(raw_mode, str) and ";16" in raw_mode:
            return 16
    return 8


def jpeg_scan_ends(data: bytes) -> bool:
    """False when no end-of-image marker follows the start of the first scan.

    The segments before the scan (APPn - an EXIF thumbnail is a whole JPEG -, COM, tables ...)
    carry their length and are stepped over; in the entropy-coded data after it a 0xFF byte is
    always followed by 0x00 or a restart marker, so 0xFF 0xD9 there is the end of the image. A
    file whose end was replaced by zeros has none; data after the marker (phones add some) is fine.
    """
    pos, size = 2, len(data)
    while pos + 4 <= size:
        if data[pos] != 0xFF:
            return True  # not a marker where one belongs: the decoder will say what is wrong
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
        elif marker == 0xDA:  # start of scan
            return data.find(b"\xff\xd9", pos) != -1
        elif 0xD0 <= marker <= 0xD8 or marker == 0x01:  # markers without a length
            pos += 2
        else:
            pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
    return False


#: the most a deflate stream inflates: a 258-byte match in 2 bits (1032:1), with room for its headers
_DEFLATE_MAX_RATIO = 1032
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # colour type -> samples a pixel
_RAW_BITS = {"1": 1, "L": 8, "P": 8, "LA": 16, "RGB": 24, "BGR": 24, "RGBA": 32, "RGBX": 32, "BGRA": 32,
             "BGRX": 32, "CMYK": 32, "I": 32, "F": 32}
_INFLATE_STEP = 1 << 20  # bytes inflated at a time when a PNG's stream must be followed to its end


def cut_short(im: Image.Image, data: bytes) -> bool:
    """Whether the file `data` (opened as `im`, not decoded) holds less than its header promises:
    checked before the decoder allocates the decoded image (a 20000 x 20000 PNG cut short had its
    1.6 GB allocated before the read failed). Exact where the headers give the data's size (BMP,
    PPM and other raw layouts, TIFF strips and tiles, a PNG's chunks; a PNG whose chunks do not end
    has its stream inflated, the output counted, not kept); a bound for compressed data (a PNG's
    deflate stream inflates at most 1032:1, a Huffman JPEG codes each 8 x 8 block of a component in
    at least a bit). False where nothing is known (the decoder then says what is wrong)."""
    fmt = im.format
    if fmt == "PNG":
        return _png_cut_short(data)
    if fmt in ("JPEG", "MPO"):
        return _jpeg_cut_short(data)
    if fmt == "TIFF":
        return _tiff_cut_short(im, len(data))
    return any(_raw_tile_cut_short(tile, len(data)) for tile in im.tile if tile[0] == "raw")


def _raw_tile_cut_short(tile: tuple, size: int) -> bool:
    (x0, y0, x1, y1), offset, args = tile[1], tile[2], tile[3]
    rawmode, stride = (args, 0) if isinstance(args, str) else (args[0], args[1] if len(args) > 1 else 0)
    bits = _RAW_BITS.get(rawmode) or (16 if rawmode.startswith("I;16") else None)
    row = _ceil((x1 - x0) * bits, 8) if bits else None
    stride = stride or row
    if stride is None or stride <= 0 or y1 <= y0:
        return False
    return offset + stride * (y1 - y0 - 1) + (row or stride) > size


def _tiff_cut_short(im: Image.Image, size: int) -> bool:
    tags = getattr(im, "tag_v2", {})
    for offsets_tag, counts_tag in ((273, 279), (324, 325)):  # strips, tiles
        offsets, counts = tags.get(offsets_tag), tags.get(counts_tag)
        if offsets is None or counts is None:
            continue
        offsets = offsets if isinstance(offsets, tuple) else (offsets,)
        counts = counts if isinstance(counts, tuple) else (counts,)
        if any(int(o) + int(c) > size for o, c in zip(offsets, counts, strict=False)):
            return True
    return False


def _png_cut_short(data: bytes) -> bool:
    if len(data) < 33:
        return True
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    pixel_bytes = height * ((width * depth * _PNG_CHANNELS.get(colour, 1) + 7) // 8)
    pos, size, idat, ended = 8, len(data), [], False
    while pos + 8 <= size:
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if not kind.isalpha():
            break  # zeros or garbage where a chunk belongs
        if pos + 12 + length > size:
            return kind == b"IDAT" or not idat  # pixel data runs past the end
        if kind == b"IDAT":
            idat.append((pos + 8, length))
        elif kind == b"IEND":
            ended = True
            break
        pos += 12 + length
    if sum(length for _, length in idat) * _DEFLATE_MAX_RATIO < pixel_bytes:
        return True
    return not ended and not _inflates_whole(data, idat)


def _inflates_whole(data: bytes, idat: list[tuple[int, int]]) -> bool:
    """Whether the zlib stream of the IDAT chunks ends (its output counted, not kept)."""
    inflater = zlib.decompressobj()
    try:
        for start, length in idat:
            pending = data[start:start + length]
            while pending and not inflater.eof:
                inflater.decompress(pending, _INFLATE_STEP)
                pending = inflater.unconsumed_tail
    except zlib.error:
        return False
    return inflater.eof


def _jpeg_cut_short(data: bytes) -> bool:
    pos, size = 2, len(data)
    while pos + 4 <= size:
        if data[pos] != 0xFF:
            return False
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker == 0xDA or 0xD0 <= marker <= 0xD8 or marker == 0x01:
            return False  # a scan before any frame header, or no length: the decoder will say
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2, 0xC5, 0xC6):  # Huffman, DCT (not lossless, not arithmetic)
            return _jpeg_blocks(data[pos + 4:pos + 2 + length]) > 8 * size
        pos += 2 + length
    return False


def _jpeg_blocks(frame: bytes) -> int:
    """The 8 x 8 blocks of a frame header's largest component (0 when the header is short)."""
    if len(frame) < 6:
        return 0
    height, width, count = struct.unpack(">HHB", frame[1:6])
    factors = [(frame[7 + 3 * i] >> 4, frame[7 + 3 * i] & 15) for i in range(count) if 8 + 3 * i <= len(frame)]
    if not factors:
        return 0
    h_max, v_max = max(h for h, _ in factors) or 1, max(v for _, v in factors) or 1
    return max(_ceil(_ceil(width * h, h_max), 8) * _ceil(_ceil(height * v, v_max), 8) for h, v in factors)


def _ceil(a: int, b: int) -> int:
    return -(-a // b)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_damage(data: bytes) -> str | None:
    """Why the PNG `data` is damaged inside - a critical chunk (IHDR, PLTE, IDAT, IEND: upper-case first
    letter) whose CRC does not match its bytes, as a flipped bit of a bad copy or a failing disk leaves it
    - or None. Pillow checks no IDAT's CRC and stops before the zlib checksum, so such a file decoded to
    garbled rows without a word; libpng refuses it, and skips a damaged ancillary chunk (text, EXIF), as
    this does. Chunks running past the end, or into zeros that fill the file to its end (an unfinished
    copy), are left to `cut_short` (truncated). One CRC pass over the file, through a memoryview (no
    copy): about 2 GB/s."""
    view = memoryview(data)
    pos, size, index = len(PNG_SIGNATURE), len(data), {}
    while pos + 12 <= size:
        length, kind = struct.unpack(">I4s", view[pos:pos + 8])
        if not kind.isalpha() or pos + 12 + length > size:
            return None  # garbage or cut short: not for this check to tell
        index[kind] = index.get(kind, 0) + 1
        if kind[:1].isupper():
            stored = int.from_bytes(view[pos + 8 + length:pos + 12 + length], "big")
            if zlib.crc32(view[pos + 4:pos + 8 + length]) != stored and not _zeros_from(data, pos + 12 + length):
                which = kind.decode("ascii") + (f" #{index[kind]}" if kind == b"IDAT" else "")
                return (f"the file is damaged: its PNG chunk {which} fails its checksum (CRC), as a bad copy "
                        "or a failing disk leaves it; copy it again from where it came from")
        if kind == b"IEND":
            return None
        pos += 12 + length
    return None


def png_without_damaged_ancillary(data: bytes) -> bytes:
    """The PNG `data` with each ancillary chunk (lower-case first letter: text, EXIF, ...: nothing of the
    pixels) that fails its CRC left out, as libpng skips it (Pillow refuses the whole file for one);
    `data` itself when none does. Only those chunks' CRCs are computed (the pixels' are `png_damage`'s)."""
    view = memoryview(data)
    pos, size, cut = len(PNG_SIGNATURE), len(data), []
    while pos + 12 <= size:
        length, kind = struct.unpack(">I4s", view[pos:pos + 8])
        end = pos + 12 + length
        if not kind.isalpha() or end > size or kind == b"IEND":
            break
        if kind[:1].islower() and zlib.crc32(view[pos + 4:end - 4]) != int.from_bytes(view[end - 4:end], "big"):
            cut.append((pos, end))
        pos = end
    if not cut:
        return data
    kept, at = [], 0
    for start, end in cut:
        kept.append(view[at:start])
        at = end
    return b"".join([*kept, view[at:]])


def _zeros_from(data: bytes, end: int) -> bool:
    """Whether the bytes of `data` are zeros from before `end` to the end of the file (an unfinished copy
    padded to its length: truncated, not damaged)."""
    return len(data.rstrip(b"\0")) < end
