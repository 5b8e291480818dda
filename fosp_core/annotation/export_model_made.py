"""The masks of an export that a model made and nobody reviewed (status predicted), counted and said.

Model-assisted labelling pre-labels every image, a person corrects some: an export of every image with a mask
then takes the model's own unreviewed masks as training labels too, and a fine-tune on it learns the model's
mistakes back. The export still takes them (pseudo-labels can be meant), but says so: ``fosp project export``'s
lines, the Export dialog's note before and its summary after (`ExportReport.model_made`)."""

from __future__ import annotations

from collections.abc import Iterable

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry

__all__ = ["CLI_HINT", "DIALOG_HINT", "model_made", "model_made_words"]

#: how to leave them out, from the command line and in the app
CLI_HINT = "review them (R in the app) or export with --reviewed-only to leave them out"
DIALOG_HINT = "review them (R) or tick Reviewed images only to leave them out"


def model_made(entries: Iterable[ImageEntry]) -> list[str]:
    """Ids of the entries whose mask a model made and nobody reviewed or edited (status PREDICTED), in
    order; by status, nothing read."""
    return [e.id for e in entries if e.status == Status.PREDICTED]


def model_made_words(count: int, hint: str, *, will: bool = False) -> str:
    """"2 of them are a model's masks nobody reviewed (status predicted): a fine-tune learns their mistakes
    back; <hint>" (`will`: "2 of the images to export are ...", said before the export); "" for none."""
    if not count:
        return ""
    which = "of the images to export" if will else "of them"
    verb = "is" if count == 1 else "are"
    masks = "a model's mask" if count == 1 else "a model's masks"
    return (f"{count} {which} {verb} {masks} nobody reviewed (status predicted): a fine-tune on this export "
            f"learns {'its' if count == 1 else 'their'} mistakes back; {hint}")
