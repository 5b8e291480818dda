"""The Export dialog's note on small splits: with a handful of photos the default 0.8 / 0.1 / 0.1
split draws one or two val and test images (6 photos: 1 and 1), and a fine-tune's validation score,
which picks the weights it keeps, then rests on them. Said in one line under the split, before the
export; the split itself is left as the user set it. No Qt here."""

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
    """One line when the val or test split would hold 1 to `FEW_VAL_IMAGES` - 1 images, else "".
    `kept`: the source's splits are kept (no share to raise: the way on is new splits by ratio)."""
    few = [(name, sizes.get(name, 0)) for name in ("val", "test") if 0 < sizes.get(name, 0) < FEW_VAL_IMAGES]
    if not few:
        return ""
    total = sum(sizes.values())
    held = " and ".join(f"{n} {name} image{'' if n == 1 else 's'}" for name, n in few)
    rest = "it" if len(few) == 1 and few[0][1] == 1 else "them"
    way = "choose New splits by ratio with a larger share for them" if kept else "raise their share"
    return (f"{held} of {total}: a fine-tune's validation score (which picks the weights it keeps) and a "
            f"check of the result rest on {rest} and may say little; label more images, or {way}, "
            f"for at least {FEW_VAL_IMAGES} each.")
