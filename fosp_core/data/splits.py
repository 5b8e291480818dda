"""A validation split of the real SMOKE5K images that cannot flatter: held out by scene, not by image.

Neighbouring frames of one camera are near-duplicates, so a per-image random split would put the
same scene on both sides and report numbers the model cannot reach on a new camera. Images are
grouped into scenes by three rules, merged with union-find:

1. FIgLib names ``<unix time>_<+-seconds from ignition>`` share a fire when ``time - offset`` is
   equal. The offset is counted per camera (the SmokeSeg ids of one fire seen by three cameras give
   three values, minutes apart), so long names ``<date>_<fire>_<camera>__<time>_<offset>`` also share
   a fire when their ``<date>_<fire>`` is equal: one fire = one scene, even across its cameras.
2. ``FrameNNNN`` names are runs of one video: all of them form one scene.
3. Everything (the random-looking ids and web photos included) is linked to every image that looks
   like the same view: the correlation of 32x24 gradient-magnitude thumbnails above
   ``EDGE_LINK`` or of 32x24 intensity thumbnails above ``INTENSITY_LINK``.

Whole scenes are drawn at random (seeded) into validation until ``val_fraction`` of the images is
reached. Scenes of fires that appear in the SmokeSeg validation images are forced into validation.
Finally a **buffer**: every training image whose view still correlates above ``BUFFER_LINK`` with a
validation image is dropped from training (not moved), so no near-identical pair straddles the
split. The synthetic SMOKE5K images (``<digits>_<digits>``, from SYN70K) are never validation
images; they are training-only.

:func:`hold_out_scenes` splits the training side again the same way: a *pick* pool of whole
training scenes to choose runs on, and the *fit* photos those runs train on (stage 32,
``bench/make_pick_split.py``; the lists ``smoke5k-scene-{pick,fit}.txt`` are committed).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from fosp_core.io.images import read_image

SYNTHETIC_NAME = re.compile(r"^\d+_\d+$")
FIGLIB_NAME = re.compile(r"^(?:.*__)?(\d{9,11})_([+-]\d+)$")
# The long FIgLib form names the fire and the camera: <date>_<fire>_<camera>__<time>_<offset>.
FIGLIB_FIRE_NAME = re.compile(r"^(\d{8}_.+)_[^_]+__\d{9,11}_[+-]\d+$")
VIDEO_FRAME_NAME = re.compile(r"^Frame\d+$")

EDGE_LINK = 0.80
INTENSITY_LINK = 0.95
BUFFER_LINK = 0.70


@dataclass
class SceneSplit:
    """The result: names (file stems) of SMOKE5K images per role, and how they were grouped."""

    train: list[str]
    val: list[str]
    buffer: list[str]
    synthetic: list[str]
    scene_of: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        n_scenes_val = len({self.scene_of[n] for n in self.val})
        n_scenes = len(set(self.scene_of.values()))
        return (
            f"real images: {len(self.train) + len(self.val) + len(self.buffer)} in {n_scenes} scenes; "
            f"val {len(self.val)} ({n_scenes_val} scenes), train {len(self.train)}, "
            f"buffer (dropped from train) {len(self.buffer)}; synthetic (train only) {len(self.synthetic)}"
        )


def fire_key(name: str) -> str | None:
    """Fire identity of a FIgLib-style name (`1528757586_+00180` or `<date>_<cam>__<time>_<off>`)."""
    m = FIGLIB_NAME.match(name)
    if not m:
        return None
    return f"fire:{int(m.group(1)) - int(m.group(2))}"


def fire_name_key(name: str) -> str | None:
    """Fire identity of a long FIgLib name (`20200829_inside-Mexico_cp-s-mobo-c__1598724896_+01080`
    -> `firename:20200829_inside-Mexico`), the same for every camera; None for other names."""
    m = FIGLIB_FIRE_NAME.match(name)
    return f"firename:{m.group(1)}" if m else None


def view_signatures(paths: Sequence[Path]) -> tuple[np.ndarray, np.ndarray]:
    """Per image: a normalised 32x24 gradient-magnitude thumbnail and a normalised intensity one.

    Returns two float32 arrays of shape (N, 768) with zero mean and unit variance per row, so a
    dot product / 768 is a correlation coefficient.
    """
    if not paths:
        return np.zeros((0, 768), np.float32), np.zeros((0, 768), np.float32)
    edges, inten = [], []
    for path in paths:
        rgb = read_image(path).rgb
        gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
        small = cv2.resize(gray, (128, 96), interpolation=cv2.INTER_AREA)
        small = cv2.GaussianBlur(small, (0, 0), 1.5)
        gx = cv2.Sobel(small, cv2.CV_32F, 1, 0)
        gy = cv2.Sobel(small, cv2.CV_32F, 0, 1)
        mag = cv2.resize(np.sqrt(gx * gx + gy * gy), (32, 24), interpolation=cv2.INTER_AREA).ravel()
        thumb = cv2.resize(small, (32, 24), interpolation=cv2.INTER_AREA).ravel()
        edges.append(_standardise(mag))
        inten.append(_standardise(thumb))
    return np.stack(edges), np.stack(inten)


def _standardise(v: np.ndarray) -> np.ndarray:
    return ((v - v.mean()) / (v.std() + 1e-6)).astype(np.float32)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def smoke5k_scene_split(
    root: str | Path,
    val_fraction: float = 0.15,
    seed: int = 0,
    force_val_fires: Iterable[str] = (),
) -> SceneSplit:
    """Split the real images of a SMOKE5K folder (``img/`` + ``gt/``) by scene.

    Args:
        root: the SMOKE5K folder.
        val_fraction: share of the real images to hold out (whole scenes, so approximate).
        seed: scene draw seed.
        force_val_fires: names whose fire (see :func:`fire_key`) must be on the validation side,
            e.g. the SmokeSeg validation ids, so a fire held out there is not trained on here.
    """
    img_dir = Path(root) / "img"
    if not img_dir.is_dir():
        raise FileNotFoundError(f"not a SMOKE5K folder (no img/): {root}")
    files = {p.stem: p for p in sorted(img_dir.iterdir()) if p.suffix.lower() in (".jpg", ".jpeg", ".png")}
    stems = sorted(files)
    synthetic = [s for s in stems if SYNTHETIC_NAME.match(s)]
    real = [s for s in stems if not SYNTHETIC_NAME.match(s)]
    paths = [files[s] for s in real]  # the listed file itself, whatever the case of its extension
    edge, inten = view_signatures(paths)
    n = len(real)
    uf = _UnionFind(n)

    # rules 1 and 2: names
    first_of: dict[str, int] = {}
    for i, name in enumerate(real):
        video = "video:Frame" if VIDEO_FRAME_NAME.match(name) else None
        for key in (fire_key(name) or video, fire_name_key(name)):
            if key is None:
                continue
            if key in first_of:
                uf.union(first_of[key], i)
            else:
                first_of[key] = i

    # rule 3: look-alike views
    dim = float(edge.shape[1])
    edge_corr = edge @ edge.T / dim
    inten_corr = inten @ inten.T / dim
    linked = np.triu((edge_corr > EDGE_LINK) | (inten_corr > INTENSITY_LINK), 1)
    for i, j in zip(*np.nonzero(linked), strict=True):
        uf.union(int(i), int(j))

    scene_ids = [uf.find(i) for i in range(n)]
    scenes: dict[int, list[int]] = {}
    for i, sid in enumerate(scene_ids):
        scenes.setdefault(sid, []).append(i)

    force_val_fires = list(force_val_fires)
    forced_fires = {k for k in (fire_key(x) for x in force_val_fires) if k}
    forced_fires |= {k for k in (fire_name_key(x) for x in force_val_fires) if k}
    forced = {scene_ids[i] for i, name in enumerate(real)
              if fire_key(name) in forced_fires or fire_name_key(name) in forced_fires}
    val_scenes = draw_scenes({s: len(m) for s, m in scenes.items()}, val_fraction * n, seed, forced)

    is_val = np.array([scene_ids[i] in val_scenes for i in range(n)])
    near_val = (edge_corr[:, is_val] > BUFFER_LINK).any(axis=1) if is_val.any() else np.zeros(n, bool)
    train = [real[i] for i in range(n) if not is_val[i] and not near_val[i]]
    buffer = [real[i] for i in range(n) if not is_val[i] and near_val[i]]
    val = [real[i] for i in range(n) if is_val[i]]
    return SceneSplit(
        train=train, val=val, buffer=buffer, synthetic=synthetic,
        scene_of={real[i]: scene_ids[i] for i in range(n)},
    )


def draw_scenes(sizes: dict[int, int], target: float, seed: int, forced: Iterable[int] = ()) -> set[int]:
    """Scene ids drawn whole, in a seeded random order, until their images reach `target`.

    `sizes` is {scene id: image count}; `forced` scenes are taken first. A scene holding more than
    half of `target` is never drawn, so one giant scene cannot swallow the held-out side.
    """
    rng = np.random.default_rng(seed)
    order = [int(s) for s in rng.permutation(sorted(sizes))]
    chosen: set[int] = set(forced)
    count = sum(sizes[s] for s in chosen)
    for sid in order:
        if count >= target:
            break
        if sid in chosen or sizes[sid] > 0.5 * target:
            continue
        chosen.add(sid)
        count += sizes[sid]
    return chosen


def hold_out_scenes(names: Sequence[str], scene_of: dict[str, int], edge: np.ndarray, fraction: float,
                    seed: int) -> tuple[list[str], list[str], list[str]]:
    """Split `names` again by scene: (kept, held out, buffer), each sorted.

    Whole scenes (`scene_of`, as :func:`smoke5k_scene_split` grouped them) are drawn into the held-out
    side until `fraction` of the names; `edge` holds the names' gradient signatures (rows in the order
    of `names`, :func:`view_signatures`), and every kept name whose view correlates above
    ``BUFFER_LINK`` with a held-out one goes to the buffer instead, as the validation split does.
    Used for a selection pool of training scenes that a stage's runs never train on (stage 32).
    """
    if len(names) != len(edge):
        raise ValueError(f"{len(names)} names but {len(edge)} signatures")
    sizes: dict[int, int] = {}
    for name in names:
        sizes[scene_of[name]] = sizes.get(scene_of[name], 0) + 1
    held_scenes = draw_scenes(sizes, fraction * len(names), seed)
    is_held = np.array([scene_of[name] in held_scenes for name in names])
    if is_held.any():
        near = (edge @ edge[is_held].T / float(edge.shape[1]) > BUFFER_LINK).any(axis=1)
    else:
        near = np.zeros(len(names), bool)
    kept = sorted(n for n, h, b in zip(names, is_held, near, strict=True) if not h and not b)
    held = sorted(n for n, h in zip(names, is_held, strict=True) if h)
    buffer = sorted(n for n, h, b in zip(names, is_held, near, strict=True) if not h and b)
    return kept, held, buffer


def image_path(img_dir: Path, stem: str) -> Path:
    for ext in (".jpg", ".jpeg", ".png", ".JPG"):
        p = img_dir / f"{stem}{ext}"
        if p.exists():
            return p
    for p in sorted(img_dir.iterdir()):  # .PNG, .JPEG, .Jpg ...
        if p.stem == stem and p.suffix.lower() in (".jpg", ".jpeg", ".png"):
            return p
    raise FileNotFoundError(f"no image for {stem} in {img_dir}")


# The committed split lists (so every session and machine trains and validates on the same images).
SPLITS_DIR = Path(__file__).resolve().parents[1] / "configs" / "splits"


def write_split_files(split: SceneSplit, folder: Path = SPLITS_DIR, prefix: str = "smoke5k") -> list[Path]:
    """Write `<prefix>-{train,val,buffer}.txt` (one name per line, sorted) plus a checksum line."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for role in ("train", "val", "buffer"):
        names = sorted(getattr(split, role))
        p = folder / f"{prefix}-scene-{role}.txt"
        p.write_text("\n".join(names) + "\n")
        written.append(p)
    written.append(write_scene_map(split, folder, prefix))
    return written


def write_scene_map(split: SceneSplit, folder: Path = SPLITS_DIR, prefix: str = "smoke5k") -> Path:
    """Write `<prefix>-scene-val-scenes.txt`: `<name> <scene>` per validation image, where a scene is
    named by its first image (sorted), so the file reads the same whatever the union-find ids were.

    Scores that should count a scene once, not once per frame (a per-scene smoke-free-crop rate),
    read it with :func:`read_scene_map`.
    """
    members: dict[int, list[str]] = {}
    for name in split.val:
        members.setdefault(split.scene_of[name], []).append(name)
    label = {sid: min(names) for sid, names in members.items()}
    lines = [f"{name} {label[split.scene_of[name]]}" for name in sorted(split.val)]
    p = folder / f"{prefix}-scene-val-scenes.txt"
    p.write_text("\n".join(lines) + "\n")
    return p


def read_scene_map(prefix: str = "smoke5k", folder: Path = SPLITS_DIR) -> dict[str, str]:
    """{validation image name: scene name} of the committed split (see :func:`write_scene_map`)."""
    p = folder / f"{prefix}-scene-val-scenes.txt"
    if not p.is_file():
        raise FileNotFoundError(f"no committed scene map {p}")
    out = {}
    for line in p.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2:
            out[parts[0]] = parts[1]
    return out


def read_split_file(role: str, prefix: str = "smoke5k", folder: Path = SPLITS_DIR) -> list[str]:
    """Names of one role ('train', 'val' or 'buffer') of the committed scene split."""
    p = folder / f"{prefix}-scene-{role}.txt"
    if not p.is_file():
        raise FileNotFoundError(f"no committed split list {p}")
    return [line.strip() for line in p.read_text().splitlines() if line.strip()]


def names_digest(names: Iterable[str]) -> str:
    """Short digest of a name list, to record in model cards which split was used."""
    return hashlib.sha1("\n".join(sorted(names)).encode()).hexdigest()[:12]
