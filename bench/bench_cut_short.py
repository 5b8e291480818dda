"""Benchmark: reading image files cut short, without (before) and with `image_headers.cut_short`
(after): the memory the failed read took and its wall time.

    python bench/bench_cut_short.py [--rounds 2]

Files (written once under ``/tmp/fosp-cut``): a 20000 x 20000 PNG with a few bytes of pixel data
(the pixel limit exactly), and the 8000x6000 photo of ``bench/huge_photos.py`` as PNG and BMP cut
at half. Each read runs in a fresh process; **VmPeak** and **VmHWM** (virtual and resident peaks)
above the values before the read, MB; before and after interleaved, median over rounds. Every read
must fail "truncated".
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
FOLDER = Path("/tmp/fosp-cut")
FILES = ("at-limit-20000x20000.png", "photo-8000x6000-half.png", "photo-8000x6000-half.bmp")


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def write_files() -> None:
    import cv2
    from huge_photos import photo

    FOLDER.mkdir(parents=True, exist_ok=True)
    if not (FOLDER / FILES[0]).exists():
        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        ihdr = struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0)
        (FOLDER / FILES[0]).write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                                        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))
    if not (FOLDER / FILES[1]).exists():
        bgr = cv2.cvtColor(photo("ckakldp3vdjmg0b12dcxe2tgz", 8000, 6000)[0], cv2.COLOR_RGB2BGR)
        for name, ext in ((FILES[1], ".png"), (FILES[2], ".bmp")):
            ok, data = cv2.imencode(ext, bgr, [cv2.IMWRITE_PNG_COMPRESSION, 1] if ext == ".png" else [])
            assert ok
            (FOLDER / name).write_bytes(data.tobytes()[: len(data) // 2])


def measure(name: str, variant: str) -> dict[str, float]:
    from fosp_core.io import images
    from fosp_core.io.images import ImageReadError, read_image

    if variant == "before":
        images.cut_short = lambda im, data: False
    Path("/proc/self/clear_refs").write_text("5")
    vm, rss = _status("VmPeak"), _status("VmRSS")
    start = time.perf_counter()
    try:
        read_image(FOLDER / name)
        reason = "read"
    except ImageReadError as exc:
        reason = exc.reason
    wall = time.perf_counter() - start
    assert "truncated" in reason, reason
    return {"vm": _status("VmPeak") - vm, "rss": _status("VmHWM") - rss, "wall": wall * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)))
        return
    write_files()
    runs: dict[tuple[str, str], list[dict[str, float]]] = {}
    for _ in range(args.rounds):
        for name in FILES:
            for variant in ("before", "after"):
                out = subprocess.run([sys.executable, __file__, "--child", name, variant], check=True,
                                     capture_output=True, text=True).stdout
                runs.setdefault((name, variant), []).append(json.loads(out.strip().splitlines()[-1]))
    print(f"load average {os.getloadavg()[0]:.1f}; {args.rounds} rounds, median")
    print("| read_image (fails 'truncated') | VmPeak MB | VmHWM MB | wall ms |")
    print("|---|---:|---:|---:|")
    for (name, variant), rows in runs.items():
        med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
        print(f"| {name} {variant} | {med['vm']:.0f} | {med['rss']:.0f} | {med['wall']:.0f} |")


if __name__ == "__main__":
    main()
