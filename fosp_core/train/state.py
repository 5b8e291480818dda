"""Training state on disk: atomic `.pt` files loadable with `torch.load(weights_only=True)`.

A state file holds plain containers of tensors and numbers only: the model and optimiser state
dicts, the scheduler state, the iteration, the RNG states of Python, NumPy and torch (CPU and
CUDA), the best validation score so far and free JSON-like extras. NumPy's RNG state is stored
as a tensor, never pickled, so loading needs no unpickling of arbitrary objects.

Writes go to a temporary file in the same folder, are flushed and fsync'ed, then `os.replace`d
over the destination: a crash or a full disk while saving leaves the previous file untouched and
no partial file behind.
"""

from __future__ import annotations

import dataclasses
import errno
import pickle
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch

from fosp_core.checkpoint import with_field_defaults
from fosp_core.checkpoint_files import (
    UnsafeCheckpointError,
    quiet_pickle_warnings,
    starts_as_safetensors,
    unpickling_error,
)
from fosp_core.checkpoint_files import (
    _text_error as text_file_error,  # a text file given as weights: its words
)
from fosp_core.io.atomic import TargetInUseError, write_atomic
from fosp_core.model.config import ModelConfig

STATE_FORMAT = "fosp-train-state"
STATE_VERSION = 1


class CheckpointSaveError(OSError):
    """Saving failed (disk full, permission...); the previous file at `path` is intact."""

    def __init__(self, path: Path, cause: OSError):
        kept = "the previous file is intact" if path.exists() else "no earlier file existed"
        if cause.errno == errno.ENOSPC:
            reason = "no space left on device"
        elif cause.strerror:  # the reason alone: no "[Errno N]", no temp file name
            reason = cause.strerror[:1].lower() + cause.strerror[1:]
        else:
            reason = str(cause)
        super().__init__(cause.errno, f"could not save {path}: {reason}; {kept}")
        self.path = path
        self.cause = cause

    def __str__(self) -> str:
        return str(self.strerror)

    def advice(self, again: str) -> str:
        """What to do before `again` ("run it again", a resume hint), for this failure's reason: free
        space for a full disk (or a quota), make the folder writable for a refusal, else check the disk."""
        if self.cause.errno in (errno.ENOSPC, errno.EDQUOT):
            return f"Free space and {again}"
        if isinstance(self.cause, TargetInUseError):  # Windows: the file held open, the folder is writable
            return f"Close the program that has {self.path} open and {again}"
        if self.cause.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return f"Make {self.path.parent} writable and {again}"
        return f"Check the disk of {self.path.parent} and {again}"


class StateError(ValueError):
    """A state file is unreadable, of another format, or does not fit the model being trained."""


def atomic_write(path: Path, write: Callable[[Any], None]) -> None:
    """Call `write(fileobj)` on a temp file beside `path`, fsync, then atomically replace `path`
    (`fosp_core.io.atomic`). Raises `CheckpointSaveError` on any OSError (`path` is untouched).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, write)
    except OSError as exc:
        raise CheckpointSaveError(path, exc) from exc


def atomic_write_text(path: Path, text: str) -> None:
    """Atomically write a UTF-8 text file (see `atomic_write`)."""
    atomic_write(path, lambda f: f.write(text.encode("utf-8")))


# --------------------------------------------------------------------------------------------- RNG


def rng_state() -> dict[str, Any]:
    """Python, NumPy (legacy global) and torch RNG states as tensors / plain containers."""
    np_state = np.random.get_state(legacy=False)
    assert isinstance(np_state, dict)
    py_version, py_internal, py_gauss = random.getstate()
    out: dict[str, Any] = {
        "python": {"version": py_version, "internal": torch.tensor(py_internal, dtype=torch.int64),
                   "gauss": py_gauss},
        "numpy": {
            "key": torch.from_numpy(np_state["state"]["key"].astype(np.int64)),
            "pos": int(np_state["state"]["pos"]),
            "has_gauss": int(np_state["has_gauss"]),
            "gauss": float(np_state["gauss"]),
        },
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        out["cuda"] = torch.cuda.get_rng_state_all()
    return out


def set_rng_state(state: dict[str, Any]) -> None:
    """Restore what `rng_state()` captured."""
    py = state["python"]
    random.setstate((py["version"], tuple(int(x) for x in py["internal"].tolist()), py["gauss"]))
    npst = state["numpy"]
    np.random.set_state(
        {
            "bit_generator": "MT19937",
            "state": {"key": npst["key"].numpy().astype(np.uint32), "pos": npst["pos"]},
            "has_gauss": npst["has_gauss"],
            "gauss": npst["gauss"],
        }
    )
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        cuda_states = state["cuda"]
        if len(cuda_states) == torch.cuda.device_count():
            torch.cuda.set_rng_state_all(cuda_states)


# ------------------------------------------------------------------------------------ state files


class _Writes:
    """A binary file's `write` and `flush` that remember the first OSError they raised: torch.save's zip
    writer turns it into a RuntimeError ("unexpected pos 64 vs 0"), which hid a full disk."""

    def __init__(self, f: Any) -> None:
        self.f, self.error = f, None

    def write(self, data: Any) -> int:
        try:
            return self.f.write(data)
        except OSError as exc:
            self.error = self.error or exc
            raise

    def flush(self) -> None:
        try:
            self.f.flush()
        except OSError as exc:
            self.error = self.error or exc
            raise


def save_state(path: Path, state: dict[str, Any], save: Callable[[Any, Any], None] | None = None) -> None:
    """Atomically write a training state dict (see module doc). `save` defaults to `torch.save`.
    Raises CheckpointSaveError for a write that failed (a full disk), whatever `save` made of it."""
    payload = {"format": STATE_FORMAT, "version": STATE_VERSION, **state}
    saver = save or torch.save

    def write(f: Any) -> None:
        writes = _Writes(f)
        try:
            saver(payload, writes)
        except Exception:
            if writes.error is not None:
                raise writes.error from None
            raise
        if writes.error is not None:  # a write failed and the saver went on: the file is incomplete
            raise writes.error
    atomic_write(Path(path), write)


def load_state(path: Path) -> dict[str, Any]:
    """Read a training state written by `save_state` (weights_only=True: no arbitrary unpickling)."""
    path = Path(path)
    if not path.is_file():
        raise StateError(f"no training state at {path}")
    if starts_as_safetensors(path):  # a model checkpoint given for a state (best.safetensors for last.pt)
        raise StateError(f"{path}: a model checkpoint (weights only), not a training state: --resume-from takes "
                         f"a run's last.pt (or its folder); to train from these weights, pass model.init_from={path}")
    try:
        # an open file, not its name: torch hands a name ending .safetensors to safetensors
        with quiet_pickle_warnings(), path.open("rb") as fh:
            state = torch.load(fh, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:  # a pickle that asks for code, one torch cannot read safely, junk
        err = unpickling_error(path, exc)
        if isinstance(err, UnsafeCheckpointError):
            raise StateError(str(err)) from exc
        raise _text_state_error(path) or StateError(
            f"{path}: not a readable training state ({str(err).removeprefix(f'{path}: ')})") from exc
    except Exception as exc:  # noqa: BLE001 - any failure to read is reported the same way
        raise _text_state_error(path) or StateError(
            f"{path}: not a readable training state ({type(exc).__name__}: {exc})") from exc
    if not isinstance(state, dict) or state.get("format") != STATE_FORMAT:
        raise StateError(f"{path}: not a FoSp training state (format {state.get('format') if isinstance(state, dict) else None!r})")
    if int(state.get("version", 0)) > STATE_VERSION:
        raise StateError(f"{path}: training state version {state['version']} is newer than this fosp "
                         f"({STATE_VERSION}); update fosp")
    return state


def _text_state_error(path: Path) -> StateError | None:
    """The error for a text file given as a training state (notes, a config, a path list), quoting its first line
    (`checkpoint_files`' words for one given as weights); None for any other bytes. torch's own words for one
    depend on the bytes it holds ('KeyError: 105', 'pop from empty list', a plain pickle's advice)."""
    text = text_file_error(path, "a readable training state")
    return None if text is None else StateError(f"{text}: a training state is a run's last.pt, which fosp train writes")


def _other_model_advice(path: Path) -> str:
    """What a user does about a state saved for another model than the config's."""
    recorded = path.parent / "config.toml"
    own = (f"the model keys of the run's {recorded}" if recorded.is_file() else "the model it was saved for")
    return f"a training state continues only with its own model: resume with {own}, or start a new run (another name=...)"


def _shown(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def check_model_matches(state: dict[str, Any], model_name: str, model_config: dict[str, Any] | None,
                        path: Path) -> None:
    """Raise `StateError` when a state was saved for another variant/config than the model at hand,
    naming each difference (the state's value, the config's) and what to do."""
    saved = state.get("model_name")
    if saved is not None and saved != model_name:
        raise StateError(f"{path}: training state of variant {saved!r}, but the config trains {model_name!r}; "
                         + _other_model_advice(path))
    saved_cfg = state.get("model_config")
    if saved_cfg is not None and model_config is not None:
        if set(model_config) == {f.name for f in dataclasses.fields(ModelConfig)}:
            saved_cfg = with_field_defaults(saved_cfg, ModelConfig)  # fields added since it was saved
        diff = sorted(k for k in set(saved_cfg) | set(model_config) if saved_cfg.get(k) != model_config.get(k))
        if diff:
            said = "; ".join(f"{k}: state {_shown(saved_cfg.get(k))}, config {_shown(model_config.get(k))}"
                             for k in diff)
            raise StateError(f"{path}: training state of another model configuration ({said}); "
                             + _other_model_advice(path))
