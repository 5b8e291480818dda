"""The Export dialog's note on small splits: with a handful of photos the default 0.8 / 0.1 / 0.1
split draws one or two val and test images (6 photos: 1 and 1), and a fine-tune's validation score,
which picks the weights it keeps, then rests on them. Said in one line under the split, before the
export; the split itself is left as the user set it. A split that leaves no image in train (the
demo's source splits put all 4 in val, kept) is said first: a fine-tune has nothing to learn from. New splits
drawn because the source's would leave train empty (the dialog's default then, as ``fosp project export``'s) say
so in the command line's words (`no_train_reason`); a split with images in train and none in val (one image, a
val share of 0, kept splits listing none in val) says that the fine-tune has nothing to choose its best weights
on (`no_val_words`, ``fosp project export``'s warning). No Qt here."""

from __future__ import annotations

from collections.abc import Sequence

from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.export import no_train_reason, no_val_words
from fosp_core.annotation.export_tally import planned_tally
from fosp_core.train.small_data import FEW_VAL_IMAGES

__all__ = ["split_note", "split_sizes"]


def split_sizes(entries: Sequence[ImageEntry], reviewed_only: bool,
                splits: str | tuple[float, ...]) -> dict[str, int]:
    """How many images each split would get: the images the export takes (every one with a mask, or
    the reviewed ones; by status, nothing read), split by `splits` ("keep": their source splits, none
    -> train; else ratios) by the export's own planner (`fosp_core.annotation.export_tally.planned_tally`).
    Images whose mask turns out unreadable at the export are counted here."""
    return {name: split.images for name, split in planned_tally(entries, reviewed_only, splits).items()}


def split_note(sizes: dict[str, int], kept: bool = False, drawn_for: str = "") -> str:
    """One line when no image would be in train, else what holds of: new splits drawn because the source's would
    leave train empty (`drawn_for`: `kept_without_train`'s words, "all 4 in val"), no image in val, the val or
    test split holding 1 to `FEW_VAL_IMAGES` - 1 images; "" when none. `kept`: the source's splits are kept
    (no share to raise: the way on is new splits by ratio)."""
    total = sum(sizes.values())
    empty = _no_train(sizes, total, kept)
    if empty:
        return empty
    parts = [f"New splits by ratio, since {no_train_reason(drawn_for)}; choose Keep the source dataset's splits "
             "to keep them anyway."] if drawn_for and not kept else []
    no_val = total > 0 and not sizes.get("val", 0)
    if no_val:
        way = "label more images" if total == 1 else "choose New splits by ratio" if kept else "give val a share"
        words = no_val_words(would=True)  # "val would hold no image: ...", the command line's words
        parts.append(f"{words[:1].upper()}{words[1:]}; {way}.")
    few = [(name, sizes.get(name, 0)) for name in ("val", "test") if 0 < sizes.get(name, 0) < FEW_VAL_IMAGES]
    if few:
        held = " and ".join(f"{n} {name} image{'' if n == 1 else 's'}" for name, n in few)
        rest = "it" if len(few) == 1 and few[0][1] == 1 else "them"
        way = "choose New splits by ratio with a larger share for them" if kept else "raise their share"
        parts.append(f"{held} of {total}: a fine-tune's validation score (which picks the weights it keeps) and a "
                     f"check of the result rest on {rest} and may say little; label more images, or {way}, "
                     f"for at least {FEW_VAL_IMAGES} each.")
    return " ".join(parts)


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
