"""A checkpoint the app could not open, said in plain words: a headline (what the file is not, what the
app expects) and, after a blank line, the technical reason as 'Details: …' (the error dialog shows it
under Show Details…, the panel's line only the headline). The controller adds to the headline which
model stays in use."""

from __future__ import annotations

from pathlib import Path

from fosp_core.checkpoint_files import EXPECTED_CHECKPOINT, CheckpointError, UnsafeCheckpointError

__all__ = ["DETAILS", "headline", "load_failure_text", "with_headline_note"]

#: What separates a message's headline from its details.
DETAILS = "\n\nDetails: "

#: (words the technical reason holds, what the file is in plain words), first match wins.
_WHAT_IT_IS: tuple[tuple[str, str], ...] = (
    ("not a FoSp checkpoint (weights saved by another tool", "it holds another tool's weights, not a FoSp checkpoint"),
    ("no such checkpoint file", "there is no such file (moved or deleted?)"),
    ("is a folder, not a checkpoint file", "it is a folder that holds no checkpoint (no run's weights in it)"),
    ("is a link that leads back to itself", "it is a link that leads back to itself, not a file"),
    ("is a broken link", "it is a link to a file that is not there (a drive not mounted, or the file moved?)"),
    ("a text file, not", "it is a text file, not a FoSp checkpoint"),
    ("the file is empty", "the file is empty (0 bytes), not a FoSp checkpoint"),
    ("a training state of `fosp train`", "it is a training run's state, not a FoSp checkpoint: open the run's "
                                         "best.safetensors beside it"),
    ("inpainter weights", "it holds inpainter weights only, not a FoSp checkpoint"),
    ("permission denied: this user may not read", "this user may not read the file (its owner can allow it)"),
    ("the file is cut short", "it is cut short (an unfinished copy or download?): copy it again"),
    ("not a readable safetensors file", "it is damaged or another kind of file, not a FoSp checkpoint it can read"),
    ("not a PyTorch weights file", "it is damaged or another kind of file, not a FoSp checkpoint it can read"),
    ("is newer than this FoSp Studio reads", "it was made by a newer FoSp Studio: update FoSp Studio to open it"),
    ("NaN or infinite weights", "its weights hold NaN or infinite values (a training run that diverged, or a "
                                "damaged file)"),
)


def _what_it_is(exc: BaseException) -> str:
    if isinstance(exc, UnsafeCheckpointError):
        return "it would run code when opened, so it was not opened: not a FoSp checkpoint"
    text = str(exc)
    for words, plain in _WHAT_IT_IS:
        if words in text:
            return plain
    if isinstance(exc, CheckpointError):
        return "its weights or settings do not fit a FoSp model (a damaged or edited FoSp checkpoint?)"
    return "it could not be opened as a FoSp checkpoint"


def load_failure_text(path: Path, exc: BaseException, technical: str) -> str:
    """'cannot open <name>: <what it is>. The app opens <a FoSp checkpoint …>.' then DETAILS and
    `technical` (the error as the CLI says it, its folder included)."""
    return (f"cannot open {path.name}: {_what_it_is(exc)}. FoSp Studio opens {EXPECTED_CHECKPOINT}."
            f"{DETAILS}{technical}")


def headline(message: str) -> str:
    """`message` without its details."""
    return message.split(DETAILS, 1)[0]


def with_headline_note(message: str, note: str) -> str:
    """`message` with `note` (a sentence) added to its headline, before its details."""
    head, sep, details = message.partition(DETAILS)
    return f"{head} {note}{sep}{details}"
