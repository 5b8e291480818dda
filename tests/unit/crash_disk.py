"""The parent side of the crash tests: what a killed worker (`tests.unit.crash_worker`,
`tests.gui.app_crash_worker`, `tests.unit.recovery_crash_worker`) left on disk and whether it is
what the worker's lines allow.

`mask_hash` / `smoke_ratio` name a mask the way the workers print it; `disk_state` reads a project
folder without opening (and so repairing) it, recovery logs applied as opening would;
`stray_files` lists what a crash left that is not the project's; `Model` takes the worker's P, S and
C lines and checks a disk state against them. `make_images` makes the small images of a test
project.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fosp_core.annotation.entries import apply_changes, journal_generation, parse_project
from fosp_core.annotation.mask_intents import resolve_intents
from fosp_core.annotation.recovery import apply_records, log_path, read_log
from fosp_core.io.masks import read_mask

__all__ = ["HASH_NONE", "ImageModel", "Model", "disk_state", "make_images", "mask_hash", "smoke_ratio",
           "stray_files"]

HASH_NONE = "-"


def mask_hash(mask: np.ndarray | None) -> str:
    """A short digest of a uint8 (H, W) mask's shape and bytes; `HASH_NONE` for no mask."""
    if mask is None:
        return HASH_NONE
    mask = np.ascontiguousarray(mask, dtype=np.uint8)
    return hashlib.sha1(repr(mask.shape).encode() + mask.tobytes()).hexdigest()[:16]


def smoke_ratio(mask: np.ndarray | None) -> str:
    """The share of smoke pixels as the project stores it (repr, exact through JSON); "-" for none."""
    if mask is None:
        return HASH_NONE
    return repr(float(np.count_nonzero(np.asarray(mask) == 1)) / float(mask.size))


def make_images(folder: Path, seed: int, count: int = 5) -> Path:
    """`count` small random PNG images of different sizes in `folder` (made), for a project."""
    import cv2

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for i in range(count):
        h, w = int(rng.integers(24, 72)), int(rng.integers(24, 72))
        image = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        image[h // 3: 2 * h // 3] //= 4  # a darker band, some structure
        assert cv2.imwrite(str(folder / f"img{i:02d}.png"), image)
    return folder


#: the files a project folder may hold; anything else (a temp file after opening) is a stray
_KNOWN = {"project.json", "changes.jsonl", "lock"}


def disk_state(project_dir: Path) -> dict[str, tuple[str, str, str]]:
    """What a reader finds on disk, without opening (and so repairing) the project: each image's
    (mask hash, status, smoke ratio) as its mask file, ``project.json`` and the journal say, or, where
    a background save left a recovery log, as that log rebuilds them over the mask file
    (`fosp_core.annotation.recovery`, what opening the project applies)."""
    header, entries = parse_project(project_dir / "project.json")
    apply_changes(project_dir / "changes.jsonl", entries, journal_generation(header))
    # a save killed after its PNG, before its state line: its journalled intent gives the new state (337d5636)
    resolve_intents(entries, lambda image_id: project_dir / "masks" / f"{image_id}.png")
    states = {}
    for entry in entries:
        path = project_dir / "masks" / f"{entry.id}.png"
        mask = read_mask(path) if path.is_file() else None  # decodes: never a torn file
        if mask is not None and entry.size is not None:
            assert tuple(entry.size) == mask.shape, f"{entry.id}: size {entry.size}, mask {mask.shape}"
        ratio = HASH_NONE if entry.smoke_ratio is None else repr(float(entry.smoke_ratio))
        records = read_log(log_path(path))
        if records:
            mask, status = apply_records(mask, records)
            states[entry.id] = (mask_hash(mask), status, smoke_ratio(mask))
            continue
        states[entry.id] = (mask_hash(mask), entry.status.value, ratio)
    return states


def stray_files(project_dir: Path) -> list[Path]:
    """Files that are not the project's own (temporary files left by a crash)."""
    out = []
    for path in project_dir.rglob("*"):
        if path.is_dir():
            continue
        rel = path.relative_to(project_dir)
        if len(rel.parts) == 1 and rel.name in _KNOWN:
            continue
        if len(rel.parts) == 2 and rel.parts[0] in ("masks", "predictions") and rel.suffix == ".png" \
                and not rel.name.startswith("."):
            continue
        out.append(rel)
    return out


@dataclass
class ImageModel:
    """What the parent knows of one image: the last committed (mask hash, status, smoke ratio) and
    the save in flight when the worker died (None)."""

    committed: tuple[str, str, str] = (HASH_NONE, "unlabeled", HASH_NONE)
    pending: tuple[str, str, str] | None = None
    mask_save: bool = False  # the pending save writes the mask first


@dataclass
class Model:
    images: dict[str, ImageModel] = field(default_factory=dict)
    commits: int = 0
    torn: int = 0  # crashes that left an unfinished save's mask under the old state

    def feed(self, lines: list[str]) -> list[str]:
        """Take a worker's P, S and C lines (in order); returns inconsistencies in them."""
        problems = []
        for line in lines:
            kind, *rest = line.split()
            if kind in ("P", "S"):
                image = self.images.setdefault(rest[0], ImageModel())
                ratio = rest[3] if kind == "P" else image.committed[2]
                image.pending, image.mask_save = (rest[1], rest[2], ratio), kind == "P"
            elif kind == "C":
                image = self.images.setdefault(rest[0], ImageModel())
                if image.pending is not None:
                    image.committed, image.pending = image.pending, None
                if (rest[1], rest[2]) != image.committed[:2]:
                    problems.append(f"commit {line!r} is not what was saved: {image.committed}")
                self.commits += 1
        return problems

    def check(self, on_disk: dict[str, tuple[str, str, str]]) -> list[str]:
        """Problems of the disk state {id: (mask hash, status, smoke ratio)} against the model; the
        model then takes the disk state as the committed one (for the next round)."""
        problems = []
        for image_id, state in on_disk.items():
            image = self.images.setdefault(image_id, ImageModel())
            allowed = [image.committed]
            if image.pending is not None:
                allowed.append(image.pending)  # the save in flight finished
                if image.mask_save:  # or wrote its mask, not yet its state
                    allowed.append((image.pending[0], *image.committed[1:]))
            if state not in allowed:
                problems.append(f"{image_id}: on disk (mask, status, smoke ratio) {state}, committed "
                                f"{image.committed}, in flight {image.pending}")
                continue
            self.torn += state not in (image.committed, image.pending)
            image.committed, image.pending = state, None
        return problems
