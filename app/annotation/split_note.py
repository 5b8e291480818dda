"""The Export dialog's note on small splits: with a handful of photos the default 0.8 / 0.1 / 0.1
split draws one or two val and test images (6 photos: 1 and 1), and a fine-tune's validation score,
which picks the weights it keeps, then rests on them. Said in one line under the split, before the
export; the split itself is left as the user set it. A split that leaves no image in train (the
demo's source splits put all 4 in val) is said first: a fine-tune has nothing to learn from. No Qt here."""

from __future__ import annotations

from collections.abc import Sequence

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.export import check_ratios, split_counts
from fosp_core.train.small_data import FEW_VAL_IMAGES

__all__ = ["split_note", "split_sizes"]


def split_sizes(entries: Sequence[ImageEntry], reviewed_only: bool,
                splits: str | tuple[float, ...]) -> dict[str, int]:
    """How many images each split would get: the images the export takes (every one with a mask, or
    the reviewed ones; by status, nothing read), split by `splits` ("keep": their source splits, none
    -> train; else ratios, sized as `export_smokeseg` sizes them). Images whose mask turns out
    unreadable at the export are counted here."""
    chosen = [e for e in entries if e.status != Status.UNLABELED and (not reviewed_only or e.status == Status.REVIEWED)]
    if splits == "keep":
        sizes: dict[str, int] = {}
        for entry in chosen:
            sizes[entry.split or "train"] = sizes.get(entry.split or "train", 0) + 1
        return sizes
    try:
        ratios = check_ratios(splits)
    except ValueError:
        return {}
    return dict(zip(("train", "val", "test"), split_counts(len(chosen), ratios), strict=False))


def split_note(sizes: dict[str, int], kept: bool = False) -> str:
    """One line when no image would be in train, or the val or test split would hold 1 to
    `FEW_VAL_IMAGES` - 1 images, else "". `kept`: the source's splits are kept (no share to raise:
    the way on is new splits by ratio)."""
    total = sum(sizes.values())
    empty = _no_train(sizes, total, kept)
    few = [(name, sizes.get(name, 0)) for name in ("val", "test") if 0 < sizes.get(name, 0) < FEW_VAL_IMAGES]
    if empty or not few:
        return empty
    held = " and ".join(f"{n} {name} image{'' if n == 1 else 's'}" for name, n in few)
    rest = "it" if len(few) == 1 and few[0][1] == 1 else "them"
    way = "choose New splits by ratio with a larger share for them" if kept else "raise their share"
    return (f"{held} of {total}: a fine-tune's validation score (which picks the weights it keeps) and a "
            f"check of the result rest on {rest} and may say little; label more images, or {way}, "
            f"for at least {FEW_VAL_IMAGES} each.")


def _no_train(sizes: dict[str, int], total: int, kept: bool) -> str:
    """The warning when `total` images would leave none in train, else ""."""
    if total == 0 or sizes.get("train", 0) > 0:
        return ""
    held = [(name, n) for name, n in sizes.items() if n]
    where = f"all {held[0][1]} in {held[0][0]}" if len(held) == 1 and held[0][1] > 1 else \
        " and ".join(f"{n} in {name}" for name, n in held)
    way = "choose New splits by ratio" if kept else "give train a share"
    source = "the source's splits put " if kept else ""
    return (f"No image would be in train ({source}{where}): a fine-tune would have nothing to learn from; "
            f"{way}.")
