"""A folder of many photos made cheaply: hard links of the demo's (copies where links are not allowed)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def linked_demo_folder(out: Path, demo_dir: Path, count: int, digits: int = 4) -> Path:
    """`count` photos `frame_<i, `digits` wide>.jpg` in `out` (made), cycling through the demo's JPEGImages."""
    out.mkdir(parents=True)
    photos = sorted((demo_dir / "JPEGImages").glob("*.jpg"))
    for i in range(count):
        target = out / f"frame_{i:0{digits}d}.jpg"
        try:
            os.link(photos[i % len(photos)], target)
        except OSError:
            shutil.copy(photos[i % len(photos)], target)
    return out
