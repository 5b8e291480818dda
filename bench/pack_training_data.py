"""Pack the training data small enough to travel to a lent GPU machine (64 MiB a call).

    python bench/pack_training_data.py /work/shared/data .pack/data --max-side 512 --synthetic 800

Writes a copy of a data root with the same layout, so a recipe runs on it with only `data.root`
changed: SMOKE5K's real images of the scene splits (`--splits`, default scene-train)
downscaled so the long side is at most `--max-side` (area interpolation, JPEG `--quality`; masks
nearest-neighbour to the same size, PNG), a fixed random sample of `--synthetic` of SMOKE5K's
synthetic images (seed 0), and the SmokeSeg samples unchanged. It prints what it wrote and the
total size. The output folder must be git-ignored (it is data, never part of the repository).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fosp_core.data.splits import SYNTHETIC_NAME  # noqa: E402
from fosp_core.train.data import resize_for_eval  # noqa: E402

SPLITS_DIR = ROOT / "fosp_core" / "configs" / "splits"


def shrink(image: np.ndarray, mask: np.ndarray, max_side: int) -> tuple[np.ndarray, np.ndarray]:
    """The image as validation resizes it (long side `max_side`), the mask nearest-neighbour to match."""
    image = resize_for_eval(image, max_side)
    return image, cv2.resize(mask, image.shape[1::-1], interpolation=cv2.INTER_NEAREST)


def pack_pair(src: Path, dst: Path, name: str, max_side: int, quality: int) -> None:
    """One image/mask pair; a pair already small enough is copied byte for byte (no second JPEG loss)."""
    image = cv2.imread(str(src / "img" / f"{name}.jpg"), cv2.IMREAD_COLOR)
    mask = cv2.imread(str(src / "gt" / f"{name}.png"), cv2.IMREAD_GRAYSCALE)
    if image is None or mask is None:
        raise SystemExit(f"cannot read the pair {name} under {src}")
    if max(image.shape[:2]) <= max_side:
        shutil.copyfile(src / "img" / f"{name}.jpg", dst / "img" / f"{name}.jpg")
        shutil.copyfile(src / "gt" / f"{name}.png", dst / "gt" / f"{name}.png")
        return
    image, mask = shrink(image, mask, max_side)
    cv2.imwrite(str(dst / "img" / f"{name}.jpg"), image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    cv2.imwrite(str(dst / "gt" / f"{name}.png"), mask, [cv2.IMWRITE_PNG_COMPRESSION, 9])


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="the data root (smoke5k-train/, smokeseg-samples/)")
    parser.add_argument("out", type=Path, help="the packed copy (created; must not exist)")
    parser.add_argument("--max-side", type=int, default=512)
    parser.add_argument("--quality", type=int, default=85)
    parser.add_argument("--synthetic", type=int, default=800, help="how many SMOKE5K synthetic images")
    parser.add_argument("--splits", default="scene-train", help="SMOKE5K scene splits to keep")
    args = parser.parse_args()
    if args.out.exists():
        raise SystemExit(f"{args.out} exists; remove it first")
    src, dst = args.data / "smoke5k-train", args.out / "smoke5k-train"
    (dst / "img").mkdir(parents=True)
    (dst / "gt").mkdir()
    names: list[str] = []
    for split in args.splits.split(","):
        listed = (SPLITS_DIR / f"smoke5k-{split}.txt").read_text().split()
        names += listed
        print(f"smoke5k-train [{split}]: {len(listed)} real images")
    synthetic = sorted(p.stem for p in (src / "img").glob("*.jpg") if SYNTHETIC_NAME.match(p.stem))
    chosen = sorted(random.Random(0).sample(synthetic, min(args.synthetic, len(synthetic))))
    print(f"smoke5k-train synthetic: {len(chosen)} of {len(synthetic)}")
    for i, name in enumerate(names + chosen):
        pack_pair(src, dst, name, args.max_side, args.quality)
        if i % 500 == 499:
            print(f"  {i + 1} pairs", flush=True)
    shutil.copytree(args.data / "smokeseg-samples", args.out / "smokeseg-samples")
    for sub in sorted(p for p in args.out.iterdir() if p.is_dir()):
        print(f"{sub.name}: {folder_size(sub) / 2**20:.1f} MiB")
    print(f"total: {folder_size(args.out) / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
