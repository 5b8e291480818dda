"""What a pre-label says, the same in ``fosp project prelabel`` and the app's Pre-label All: how many
masks were new and how many replaced a model-only mask ("12 new, 30 replaced"), and, when there is
nothing to pre-label, that the masks only a model made can be replaced and how (`nothing_words`), or that they are
this model's at these settings already (`made_already`: a replacing run would change nothing)."""

from __future__ import annotations

from fosp_core.annotation.prelabel import PrelabelCounts

__all__ = ["images", "made_already", "new_and_replaced", "nothing_words"]


def images(n: int) -> str:
    """"1 image", "3 images"."""
    return f"{n} image{'s' * (n != 1)}"


def new_and_replaced(new: int, replaced: int) -> str:
    """"12 new, 30 replaced" (a model-only mask replaced by this model's)."""
    return f"{new} new, {replaced} replaced"


def nothing_words(counts: PrelabelCounts, option: str) -> str:
    """What follows "nothing to pre-label: every image has a mask already" when some masks only a model
    made (status predicted): how many ("it" of a single image, "1 of them", "both", "all 4", "3 of them"), and
    that `option` (the app's question's box, the command line's flag) replaces them; "" when none."""
    n, total = counts.predicted, counts.total
    if not n:
        return ""
    if n == 1:  # the only image, or one among several: never "1 of them ... replaces those"
        which, it = ("it", "it") if total == 1 else ("1 of them", "that one")
        return f"; {which} was made by a model only (status predicted): {option} replaces {it} with this model's"
    which = ("both" if n == 2 else f"all {n}") if n == total else f"{n} of them"
    it = "them" if n == total else "those"
    return f"; {which} were made by a model only (status predicted): {option} replaces {it} with this model's"


def made_already(count: int, others: int = 0) -> str:
    """Why the `count` masks only a model made are not to be replaced: they are this model's at these settings
    (`fosp_core.annotation.prelabel.made_by`: a pre-label with it wrote them), "; the 4 made by a model only (status
    predicted) are this model's at these settings already: nothing to replace (another checkpoint or other settings
    replace them)"; with `others` model-only masks of another model besides (said before, `nothing_words`), "; the 3
    others made by a model only are this model's at these settings already". "" when `count` is 0."""
    if not count:
        return ""
    verb = "is" if count == 1 else "are"
    if others:
        return f"; the {count} other{'s' * (count != 1)} made by a model only {verb} this model's at these settings already"
    return (f"; the {count} made by a model only (status predicted) {verb} this model's at these settings already: "
            f"nothing to replace (another checkpoint or other settings replace {'it' if count == 1 else 'them'})")
