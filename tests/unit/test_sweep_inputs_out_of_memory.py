"""An image too big for the memory left (a 1 MB PNG that decodes to 430 MB, under the pixel limit):
the reader says it lacked the memory, with the picture's size and what it needs, and tries no other
decoder; it said "MemoryError: " (no words at all), after OpenCV had tried to allocate it again."""

from __future__ import annotations

import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path


def _zero_png(path: Path, width: int, height: int) -> Path:
    """A black RGB PNG of `width` x `height`, compressed ~1000:1."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    packer = zlib.compressobj(9)
    row = b"\0" * (1 + 3 * width)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


def test_an_image_larger_than_the_memory_left_is_said_to_be_so(tmp_path: Path) -> None:
    path = _zero_png(tmp_path / "huge black.png", 12_000, 12_000)
    script = textwrap.dedent(f"""
        import resource
        from fosp_core.io.images import ImageReadError, read_image
        size = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (size + (200 << 20), resource.getrlimit(resource.RLIMIT_AS)[1]))
        try:
            read_image({str(path)!r})
            print("read")
        except ImageReadError as exc:
            print("ImageReadError", exc.reason)
        except BaseException as exc:
            print("other", type(exc).__name__, exc)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)

    out = done.stdout.strip()
    assert out.startswith("ImageReadError not enough memory"), out + done.stderr
    assert "12000x12000" in out and "432 MB" in out, out
