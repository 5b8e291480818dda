"""Links to the bundled demo's real photos (``resources/demo``, in every clone), as many as a test wants:
for the tests that need more real photos than the demo's four (kills mid-way through a batch), which
read ``../shared/data``'s SMOKE5K before and so were skipped in a fresh clone."""

from __future__ import annotations

from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"


def demo_photo_links(folder: Path, n: int, masks: Path | None = None) -> list[Path]:
    """`n` links made in `folder` (created) to the demo's photos in turn, each under a name of its own
    (``demo00_<stem>.jpg``, ...: sorted in that order); with `masks`, each one's label (the demo's
    ``SegmentationClass`` PNG) linked there as ``<link stem>.png``. Returns the links, in order."""
    photos = sorted((DEMO / "JPEGImages").glob("*.jpg"))
    folder.mkdir(parents=True, exist_ok=True)
    if masks is not None:
        masks.mkdir(parents=True, exist_ok=True)
    links = []
    for i in range(n):
        photo = photos[i % len(photos)]
        link = folder / f"demo{i:02d}_{photo.name}"
        link.symlink_to(photo)
        if masks is not None:
            (masks / f"{link.stem}.png").symlink_to(DEMO / "SegmentationClass" / f"{photo.stem}.png")
        links.append(link)
    return links
