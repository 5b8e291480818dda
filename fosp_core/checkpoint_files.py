"""Which checkpoint file a user means, and reading one: its tensors and metadata, safely.

* ``resolve_checkpoint(path)``: a file is itself; a run folder gives its weights
  (``run_folder_weights``) with a note saying which; a folder without any is refused naming the file
  to give.
* ``read_checkpoint(path)``: (tensors on CPU, metadata) from a safetensors file or a weights-only
  pickle; ``read_metadata(path)``: the metadata alone (a safetensors file's header only).
* ``CheckpointError`` / ``UnsafeCheckpointError``: what they raise.

``.pth`` / ``.pt`` / ``.bin`` / ``.ckpt`` files are read only through ``torch.load(weights_only=True)``;
a pickle that tries to import or run anything else is refused with ``UnsafeCheckpointError``.
Building and loading models from these files is :mod:`fosp_core.checkpoint`, which re-exports these
names.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Mapping
from pathlib import Path

import torch
from safetensors import SafetensorError, safe_open
from torch import Tensor

__all__ = [
    "TRAIN_STATE_FORMAT",
    "CheckpointError",
    "UnsafeCheckpointError",
    "is_safetensors",
    "read_checkpoint",
    "read_header_metadata",
    "read_metadata",
    "resolve_checkpoint",
    "run_folder_weights",
]

_PICKLE_SUFFIXES = (".pth", ".pt", ".bin", ".ckpt")
TRAIN_STATE_FORMAT = "fosp-train-state"  # fosp_core.train.state.STATE_FORMAT (train imports this module)


class CheckpointError(ValueError):
    """A checkpoint that cannot be read or does not fit the model; the message names path and field."""


class UnsafeCheckpointError(CheckpointError):
    """A pickle checkpoint that wants to import or run code (refused, nothing was executed)."""


# ------------------------------------------------------------------------------------------ read
def is_safetensors(path: Path) -> bool:
    """Whether `path` is read as safetensors: by its suffix, else by its header's opening brace."""
    if path.suffix == ".safetensors":
        return True
    if path.suffix in _PICKLE_SUFFIXES:
        return False
    with path.open("rb") as fh:
        head = fh.read(9)
    return len(head) == 9 and head[8:9] == b"{"


def read_checkpoint(path: str | Path) -> tuple[dict[str, Tensor], dict[str, str]]:
    """(tensors on CPU, metadata) from a safetensors file or a weights-only pickle."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: no such checkpoint file")
    if is_safetensors(path):
        try:
            with safe_open(str(path), framework="pt", device="cpu") as fh:
                meta = dict(fh.metadata() or {})
                tensors = {k: fh.get_tensor(k) for k in fh.keys()}
        except (SafetensorError, OSError, ValueError) as exc:
            raise CheckpointError(f"{path}: not a readable safetensors file ({exc})") from exc
        return tensors, meta
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        if "Unsupported operand" in str(exc):  # bytes that are no pickle at all (a JPEG named .pt)
            raise CheckpointError(f"{path}: not a PyTorch weights file (neither a torch archive nor a pickle)") from exc
        found = re.search(r"(?:Unsupported global|GLOBAL)[:\s]+([\w.]+)", str(exc))
        what = f" (it asks for {found.group(1)})" if found else ""
        raise UnsafeCheckpointError(
            f"{path}: refused to load a pickle that wants to import or run code{what}; only plain tensor "
            "files are accepted (torch.load(weights_only=True)). Convert trusted files to safetensors."
        ) from exc
    except Exception as exc:  # corrupt zip, truncated file, ...
        raise CheckpointError(f"{path}: not a readable PyTorch weights file ({exc})") from exc
    meta: dict[str, str] = {}
    if isinstance(obj, Mapping) and obj.get("format") == TRAIN_STATE_FORMAT:
        meta = {"format": TRAIN_STATE_FORMAT}  # a run's last.pt: its raw weights load, it names itself
    for wrapper in ("state_dict", "model", "module"):
        if isinstance(obj, Mapping) and isinstance(obj.get(wrapper), Mapping):
            obj = obj[wrapper]
    if not isinstance(obj, Mapping):
        raise CheckpointError(f"{path}: expected a dict of tensors, found {type(obj).__name__}")
    tensors = {str(k): v for k, v in obj.items() if isinstance(v, Tensor)}
    if not tensors:
        raise CheckpointError(f"{path}: holds no tensors")
    return tensors, meta


def run_folder_weights(folder: Path) -> list[str]:
    """The weights a run folder may hold, in the order a folder given as a checkpoint uses them: a
    fine-tune's export (fp16, with its card: `<run>.safetensors`, `model.safetensors` in runs made
    before exports were named after the run), then the run's best weights."""
    return list(dict.fromkeys([f"{folder.resolve().name}.safetensors", "model.safetensors", "best.safetensors"]))


def resolve_checkpoint(path: str | Path) -> tuple[Path, str]:
    """(the checkpoint file `path` means, a note for the user): a file is itself (no note); a run
    folder gives its weights (`run_folder_weights`), the note saying which file is used.

    Raises CheckpointError when nothing is at `path`, or for a folder without those weights, naming
    what to give instead: a .safetensors file inside it, or `fosp train-export` for a run that only
    holds its training state.
    """
    path = Path(path)
    if path.is_file():
        return path, ""
    if not path.exists():
        raise CheckpointError(f"{path}: no such file or folder")
    if not path.is_dir():
        raise CheckpointError(f"{path}: not a checkpoint file")
    for name in run_folder_weights(path):
        if (path / name).is_file():
            return path / name, f"{path} is a run folder: using its {name}"
    files = sorted(p for p in path.glob("*.safetensors") if p.is_file())
    if len(files) == 1:
        hint = f"give the file: {files[0]}"
    elif files:
        hint = f"give one of its files, e.g. {files[0]}"
    elif (path / "last.pt").is_file():
        hint = (f"the run holds only its training state (last.pt); write weights with "
                f"`fosp train-export {path} OUT.safetensors`")
    else:
        hint = "give a checkpoint file (.safetensors), e.g. a run folder's best.safetensors"
    raise CheckpointError(f"{path} is a folder, not a checkpoint file; {hint}")


def read_metadata(path: str | Path) -> dict[str, str]:
    """A checkpoint's metadata without its tensors (safetensors: the header only; a pickle is read
    whole); `CheckpointError` when the file is missing or unreadable."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: no such checkpoint file")
    return read_header_metadata(path) if is_safetensors(path) else read_checkpoint(path)[1]


def read_header_metadata(path: Path) -> dict[str, str]:
    try:
        with safe_open(str(path), framework="pt", device="cpu") as fh:
            return dict(fh.metadata() or {})
    except (SafetensorError, OSError, ValueError) as exc:
        raise CheckpointError(f"{path}: not a readable safetensors file ({exc})") from exc
