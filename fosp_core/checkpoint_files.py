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
names. torch is imported only by the readers that need it (a pickle's ``torch.load``; safetensors
imports it itself), so the app's messages about checkpoints import this module without torch.
"""

from __future__ import annotations

import contextlib
import json
import pickle
import pickletools
import re
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from safetensors import SafetensorError, safe_open

from fosp_core.io.links import dead_link_reason

if TYPE_CHECKING:
    from torch import Tensor

__all__ = [
    "EXPECTED_CHECKPOINT",
    "TRAIN_STATE_FORMAT",
    "CheckpointError",
    "UnsafeCheckpointError",
    "is_safetensors",
    "quiet_pickle_warnings",
    "read_checkpoint",
    "read_header_metadata",
    "read_metadata",
    "resolve_checkpoint",
    "run_folder_weights",
    "starts_as_safetensors",
    "unpickling_error",
]

_PICKLE_SUFFIXES = (".pth", ".pt", ".bin", ".ckpt")
_TORCH_HEADS = (b"PK\x03\x04", b"\x80")  # torch.save's zip archive; a pickle (protocol 2 or later)
TRAIN_STATE_FORMAT = "fosp-train-state"  # fosp_core.train.state.STATE_FORMAT (train imports this module)
#: What a model checkpoint is, in a user's words (the app's and the CLI's messages for another kind of file).
EXPECTED_CHECKPOINT = ("a FoSp checkpoint (a fosp-s, fosp, fosp-b0…b5 or segformer-b0…b5 model) made by "
                       "`fosp train` (a run's best.safetensors) or `fosp train-export`")


class CheckpointError(ValueError):
    """A checkpoint that cannot be read or does not fit the model; the message names path and field."""


class UnsafeCheckpointError(CheckpointError):
    """A pickle checkpoint that wants to import or run code (refused, nothing was executed)."""


# ------------------------------------------------------------------------------------------ read
def is_safetensors(path: Path) -> bool:
    """Whether `path` is read as safetensors: by its first bytes (a safetensors header's opening brace
    after its 8-byte length; a torch archive's zip or a pickle's protocol byte), else by its suffix. A
    FoSp checkpoint renamed ``.pt`` and a ``torch.save`` file renamed ``.safetensors`` get the right reader."""
    head = _head(path)
    if _safetensors_head(head):
        return True
    if head.startswith(_TORCH_HEADS):
        return False
    return path.suffix not in _PICKLE_SUFFIXES


def starts_as_safetensors(path: Path) -> bool:
    """Whether `path` starts as a safetensors file does (an 8-byte header length, then its JSON's brace),
    whatever its name; False when it cannot be read (its reader says what is wrong)."""
    return _safetensors_head(_head(path))


def _head(path: Path) -> bytes:
    """The first 9 bytes of `path` (b"" when it cannot be read: the reader says what is wrong)."""
    try:
        with path.open("rb") as fh:
            return fh.read(9)
    except OSError:
        return b""


def _safetensors_head(head: bytes) -> bool:
    return len(head) == 9 and head[8:9] == b"{"


def read_checkpoint(path: str | Path) -> tuple[dict[str, Tensor], dict[str, str]]:
    """(tensors on CPU, metadata) from a safetensors file or a weights-only pickle."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: {_no_file_reason(path)}")
    _refuse_empty(path)
    if is_safetensors(path):
        try:
            with safe_open(str(path), framework="pt", device="cpu") as fh:
                meta = dict(fh.metadata() or {})
                tensors = {k: fh.get_tensor(k) for k in fh.keys()}
        except (SafetensorError, OSError, ValueError) as exc:
            raise _unreadable_safetensors(path, exc) from exc
        return tensors, meta
    import torch

    try:
        # an open file, not its name: torch hands a name ending .safetensors to safetensors
        with quiet_pickle_warnings(), path.open("rb") as fh:
            obj = torch.load(fh, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        raise _text_error(path, "PyTorch weights") or unpickling_error(path, exc) from exc
    except Exception as exc:  # corrupt zip, truncated file, ...
        raise _text_error(path, "PyTorch weights") or CheckpointError(
            f"{path}: damaged or not a PyTorch weights file (cut short by a copy that stopped?) ({exc})") from exc
    meta: dict[str, str] = {}
    if isinstance(obj, Mapping) and obj.get("format") == TRAIN_STATE_FORMAT:
        meta = {"format": TRAIN_STATE_FORMAT}  # a run's last.pt: its raw weights load, it names itself
    for wrapper in ("state_dict", "model", "module"):
        if isinstance(obj, Mapping) and isinstance(obj.get(wrapper), Mapping):
            obj = obj[wrapper]
    if not isinstance(obj, Mapping):
        raise CheckpointError(f"{path}: expected a dict of tensors, found {type(obj).__name__}")
    tensors = {str(k): v for k, v in obj.items() if isinstance(v, torch.Tensor)}
    if not tensors:
        raise CheckpointError(f"{path}: holds no tensors")
    return tensors, meta


#: Globals a pickle of plain tensors asks for; any other one is code the file wants imported or run.
_TENSOR_GLOBALS = ("torch.", "collections.OrderedDict")
_STRING_OPS = frozenset({"SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8", "UNICODE", "SHORT_BINSTRING",
                         "BINSTRING", "STRING"})
_SCAN_OPS = 1_000_000  # opcodes looked at when telling a pickle from other bytes (error path only)


@contextlib.contextmanager
def quiet_pickle_warnings() -> Iterator[None]:
    """A block without torch's 'Detected pickle protocol N' warning, which `unpickling_error`
    turns into the user's one line instead."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Detected pickle protocol", category=UserWarning)
        yield


def unpickling_error(path: Path, exc: pickle.UnpicklingError) -> CheckpointError:
    """The one-line error for a file `torch.load(weights_only=True)` refused: a pickle that asks for
    code (`UnsafeCheckpointError`, naming what it asks for), a pickle of tensors in a protocol that
    loader does not read (Python's `pickle.dump` default), or bytes that are no pickle at all."""
    text = str(exc)
    if "Unsupported operand" in text:
        scanned = _scan_pickle(path)
        if scanned is None:  # bytes that are no pickle at all (a JPEG named .pt)
            return CheckpointError(f"{path}: not a PyTorch weights file (neither a torch archive nor a pickle)")
        protocol, asked = scanned
        foreign = [name for name in asked if not name.startswith(_TENSOR_GLOBALS)]
        if not foreign:
            return CheckpointError(
                f"{path}: a plain pickle (protocol {protocol}, as pickle.dump writes) that the safe loader "
                "cannot read; re-save the weights with torch.save(state_dict, path), or as safetensors")
        found: str | None = foreign[0]
    else:
        # torch says "Unsupported global: GLOBAL io.open was not an allowed global ..."
        match = re.search(r"(?:Unsupported global:\s*(?:GLOBAL\s+)?|GLOBAL\s+)([\w.]+)", text)
        found = match.group(1) if match else None
    what = f" (it asks for {found})" if found else ""
    return UnsafeCheckpointError(
        f"{path}: refused to load a pickle that wants to import or run code{what}; only plain tensor "
        "files are accepted (torch.load(weights_only=True)). Convert trusted files to safetensors."
    )


def _scan_pickle(path: Path) -> tuple[int, list[str]] | None:
    """(protocol, the globals it asks for, as ``module.name``) of the pickle in `path`, read with
    `pickletools.genops` (nothing is imported or run), or None when the bytes are no pickle."""
    protocol, asked, memo, strings = 0, [], {}, []
    last: object = None
    try:
        with path.open("rb") as fh:
            for count, (op, arg, _pos) in enumerate(pickletools.genops(fh)):
                name, pushed = op.name, None
                if name == "PROTO":
                    protocol = int(arg)
                elif name == "GLOBAL":
                    asked.append(str(arg).replace(" ", "."))
                elif name == "STACK_GLOBAL" and len(strings) >= 2:
                    asked.append(f"{strings[-2]}.{strings[-1]}")
                elif name in _STRING_OPS:
                    pushed = str(arg)
                elif name == "MEMOIZE":
                    memo[len(memo)] = last
                elif name in ("PUT", "BINPUT", "LONG_BINPUT"):
                    memo[arg] = last
                elif name in ("GET", "BINGET", "LONG_BINGET"):
                    pushed = memo.get(arg)
                if isinstance(pushed, str):
                    strings.append(pushed)
                if name not in ("MEMOIZE", "PUT", "BINPUT", "LONG_BINPUT"):
                    last = pushed
                if count >= _SCAN_OPS:
                    break
    except (ValueError, EOFError, OSError, UnicodeDecodeError):
        return None
    return protocol, asked


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
    if not path.exists():  # a link that leads nowhere is listed by the system: say what it is
        raise CheckpointError(f"{path}: {dead_link_reason(path) or 'no such file or folder'}")
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
    elif runs := _runs_in(path):
        hint = f"it is a folder of runs: give one run, e.g. {runs[0]}"
    else:
        hint = "give a checkpoint file (.safetensors), e.g. a run folder's best.safetensors"
    raise CheckpointError(f"{path} is a folder, not a checkpoint file; {hint}")


def _runs_in(folder: Path) -> list[Path]:
    """The run folders directly under `folder` that hold weights (`run_folder_weights`), sorted."""
    try:
        subfolders = sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:
        return []
    return [sub for sub in subfolders if any((sub / name).is_file() for name in run_folder_weights(sub))]


def read_metadata(path: str | Path) -> dict[str, str]:
    """A checkpoint's metadata without its tensors (safetensors: the header only; a pickle is read
    whole); `CheckpointError` when the file is missing or unreadable."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: {_no_file_reason(path)}")
    return read_header_metadata(path) if is_safetensors(path) else read_checkpoint(path)[1]


def _no_file_reason(path: Path) -> str:
    """Why `path`, not a file, is no checkpoint: a link leading nowhere, a folder (``x.safetensors/``) or
    nothing there."""
    if path.is_dir():
        return "is a folder, not a checkpoint file; give a checkpoint file (.safetensors), e.g. a run folder's best.safetensors"
    return dead_link_reason(path) or "no such checkpoint file"


def _text_error(path: Path, what: str) -> CheckpointError | None:
    """The error for a text file given as weights (notes, a config, a path list), quoting its first
    line; None for any other bytes. torch's own words for one depend on the bytes it happens to hold
    ('KeyError: 105', 'pop from empty list')."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    if not head or b"\0" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a character cut at the 4096th byte is still text
            return None
        text = head[: exc.start].decode("utf-8")
    if any(not (c.isprintable() or c in "\t\r\n\f") for c in text):
        return None
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = first if len(first) <= 40 else first[:39] + "…"
    return CheckpointError(f"{path}: a text file, not {what}" + (f" (it begins {first!r})" if first else ""))


def _refuse_empty(path: Path) -> None:
    """CheckpointError for a file of 0 bytes (a copy that never ran: the readers' own words were
    'header too small' or an empty '()') and for one this user may not read (chmod 000)."""
    try:
        empty = path.stat().st_size == 0
    except OSError:
        return  # the reader says what is wrong
    if empty:
        raise CheckpointError(f"{path}: the file is empty (0 bytes), not a checkpoint")
    try:
        with open(path, "rb"):
            pass
    except PermissionError:  # the readers said 'not a readable safetensors file (Permission denied ...)'
        raise CheckpointError(f"{path}: permission denied: this user may not read the file (its owner can "
                              "allow it: chmod a+r)") from None
    except OSError:
        return  # the reader says what is wrong


def read_header_metadata(path: Path) -> dict[str, str]:
    _refuse_empty(path)
    try:
        with safe_open(str(path), framework="pt", device="cpu") as fh:
            return dict(fh.metadata() or {})
    except (SafetensorError, OSError, ValueError) as exc:
        raise _unreadable_safetensors(path, exc) from exc


def _unreadable_safetensors(path: Path, exc: Exception) -> CheckpointError:
    """The error for a file the safetensors reader refused (`exc`): a text file, one cut short, or else
    the reader's own words."""
    text = _text_error(path, "safetensors weights")
    if text is not None:
        return text
    cut = _safetensors_cut_short(path)
    if cut is not None:
        return CheckpointError(f"{path}: not a readable safetensors file: the file is cut short ({cut}): an "
                               "unfinished copy or download? Copy it again from where it came from")
    return CheckpointError(f"{path}: not a readable safetensors file ({exc})")


_HEADER_LIMIT = 100_000_000  # the safetensors reader's own bound on a header


def _safetensors_cut_short(path: Path) -> str | None:
    """How a file that starts as safetensors does (its 8-byte header length, then ``{``) is shorter than it
    says - its header, or the tensors its header lists, run past the end - or None."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(9)
            if not _safetensors_head(head):
                return None
            length = int.from_bytes(head[:8], "little")
            if 8 + length > size:
                return f"its header announces {length:,} bytes, the file holds {size:,} bytes"
            if length > _HEADER_LIMIT:
                return None
            fh.seek(8)
            header = json.loads(fh.read(length))
    except (OSError, ValueError):
        return None
    if not isinstance(header, dict):
        return None
    ends = [entry["data_offsets"][1] for name, entry in header.items()
            if name != "__metadata__" and isinstance(entry, dict) and isinstance(entry.get("data_offsets"), list)
            and len(entry["data_offsets"]) == 2 and isinstance(entry["data_offsets"][1], int)]
    needed = 8 + length + max(ends, default=0)
    if needed > size:
        return f"its tensors need {needed:,} bytes, the file holds {size:,} bytes"
    return None
