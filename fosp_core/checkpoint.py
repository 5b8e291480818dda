"""Model checkpoints: safetensors with the model name, config and format version in the metadata.

* ``save_checkpoint(model, path, extra_metadata=None, dtype=None)`` writes atomically (temp file +
  ``os.replace``); ``dtype=torch.float16`` stores floating tensors in half precision.
* ``load_checkpoint(path, device="cpu")`` rebuilds the right variant from the metadata.
* ``load_state_into(model, path)`` loads strictly: missing, unexpected and mis-shaped keys are listed
  in the error; a checkpoint of another variant is refused by name. fp16 files load into fp32 models.
* ``load_pretrained_backbone(model, path)`` starts the MiT backbone from ImageNet weights in Hugging
  Face, mmseg or official naming (``fosp_core.model.keymap``).
* ``load_inpainter_weights(model, path)`` loads a separately pre-trained inpainter (its own file, or
  the ``inpainter.*`` part of a FoSp checkpoint).
* ``resolve_checkpoint(path)`` is the file a user means: a run folder gives its weights (and a note
  saying which), a folder without any is refused naming the file to give.

``.pth`` / ``.pt`` / ``.bin`` / ``.ckpt`` files are read only through ``torch.load(weights_only=True)``;
a pickle that tries to import or run anything else is refused with ``UnsafeCheckpointError``.

Metadata keys (all strings): ``format`` = "fosp-checkpoint", ``format_version`` (an integer),
``kind`` ("model" or "inpainter"), ``model_name``, ``config`` (JSON), ``dtype``, ``fosp_core_version``;
``extra_metadata`` entries are added as given (non-strings JSON-encoded).
"""

from __future__ import annotations

import dataclasses
import json
import pickle
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save_file
from torch import Tensor, nn

from fosp_core import __version__
from fosp_core.io.atomic import atomic_target
from fosp_core.model.config import ModelConfig
from fosp_core.model.keymap import map_mit_state_dict

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "CheckpointError",
    "UnsafeCheckpointError",
    "load_checkpoint",
    "load_inpainter_weights",
    "load_pretrained_backbone",
    "load_state_into",
    "read_checkpoint",
    "read_metadata",
    "resolve_checkpoint",
    "save_checkpoint",
]

FORMAT_NAME = "fosp-checkpoint"
FORMAT_VERSION = 1
_RESERVED = ("format", "format_version", "kind", "model_name", "config", "dtype", "fosp_core_version")
_PICKLE_SUFFIXES = (".pth", ".pt", ".bin", ".ckpt")
TRAIN_STATE_FORMAT = "fosp-train-state"  # fosp_core.train.state.STATE_FORMAT (train imports this module)
# config fields that do not change the weights' layout (a checkpoint may differ in these)
_RUNTIME_FIELDS = ("name", "tau", "drop_path_rate", "dropout", "loss_focus", "loss_side", "loss_main", "loss", "beta")


class CheckpointError(ValueError):
    """A checkpoint that cannot be read or does not fit the model; the message names path and field."""


class UnsafeCheckpointError(CheckpointError):
    """A pickle checkpoint that wants to import or run code (refused, nothing was executed)."""


# ------------------------------------------------------------------------------------------ save
def save_checkpoint(
    model: nn.Module,
    path: str | Path,
    extra_metadata: Mapping[str, Any] | None = None,
    dtype: torch.dtype | None = None,
) -> Path:
    """Write ``model.state_dict()`` to ``path`` (safetensors) atomically; returns the path.

    ``model`` needs ``name`` and ``config`` (a FoSp model or an Inpainter). ``dtype`` (e.g.
    torch.float16) converts floating tensors; integer buffers keep their type.
    """
    path = Path(path)
    config = getattr(model, "config", None)
    name = getattr(model, "name", None)
    if config is None or name is None or not hasattr(config, "to_dict"):
        raise TypeError("save_checkpoint needs a model with `name` and `config` (build it with build_model)")
    kind = "model" if isinstance(config, ModelConfig) else "inpainter"
    tensors: dict[str, Tensor] = {}
    for key, value in model.state_dict().items():
        t = value.detach().to("cpu")
        if dtype is not None and t.is_floating_point():
            t = t.to(dtype)
        tensors[key] = t.contiguous().clone()
    meta = {
        "format": FORMAT_NAME,
        "format_version": str(FORMAT_VERSION),
        "kind": kind,
        "model_name": str(name),
        "config": json.dumps(config.to_dict(), sort_keys=True),
        "dtype": str(
            dtype or next((t.dtype for t in tensors.values() if t.is_floating_point()), torch.float32)
        ),
        "fosp_core_version": __version__,
    }
    for key, value in (extra_metadata or {}).items():
        if key in _RESERVED:
            raise ValueError(f"extra_metadata key {key!r} is reserved ({', '.join(_RESERVED)})")
        meta[str(key)] = value if isinstance(value, str) else json.dumps(value)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_target(path) as tmp:
        save_file(tensors, str(tmp), metadata=meta)
    return path


# ------------------------------------------------------------------------------------------ read
def _is_safetensors(path: Path) -> bool:
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
    if _is_safetensors(path):
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


def _check_format(path: Path, meta: Mapping[str, str]) -> None:
    if not meta or meta.get("format") != FORMAT_NAME:
        return
    try:
        version = int(meta.get("format_version", "0"))
    except ValueError as exc:
        raise CheckpointError(f"{path}: bad format_version {meta.get('format_version')!r}") from exc
    if version > FORMAT_VERSION:
        raise CheckpointError(
            f"{path}: format_version {version} is newer than this FoSp Studio reads ({FORMAT_VERSION}); update it"
        )


def _describe(keys: list[str], limit: int = 12) -> str:
    shown = ", ".join(keys[:limit])
    return f"{shown}, ... ({len(keys)} in all)" if len(keys) > limit else shown


def _strict_load(module: nn.Module, tensors: Mapping[str, Tensor], path: Path, what: str) -> None:
    """Strict load with a message listing missing / unexpected / mis-shaped keys, tensors of the
    wrong kind (integer or bool where the model holds floats, or the reverse) and non-finite
    weights; casts float precisions (fp16 files load into fp32 models)."""
    own = module.state_dict()
    shared = sorted(set(own) & set(tensors))
    missing = sorted(set(own) - set(tensors))
    unexpected = sorted(set(tensors) - set(own))
    mismatched = [
        f"{k} (file {tuple(tensors[k].shape)}, model {tuple(own[k].shape)})"
        for k in shared
        if tuple(own[k].shape) != tuple(tensors[k].shape)
    ]
    wrong_kind = [
        f"{k} (file {tensors[k].dtype}, model {own[k].dtype})"
        for k in shared
        if own[k].is_floating_point() != tensors[k].is_floating_point()
    ]
    if missing or unexpected or mismatched or wrong_kind:
        parts = [f"{path}: does not fit {what}"]
        if missing:
            parts.append(f"missing keys: {_describe(missing)}")
        if unexpected:
            parts.append(f"unexpected keys: {_describe(unexpected)}")
        if mismatched:
            parts.append(f"shape mismatches: {_describe(mismatched)}")
        if wrong_kind:
            parts.append(f"dtype mismatches: {_describe(wrong_kind)}")
        raise CheckpointError("\n  ".join(parts))
    non_finite = [k for k in shared if tensors[k].is_floating_point() and not _all_finite(tensors[k])]
    if non_finite:
        raise CheckpointError(
            f"{path}: holds NaN or infinite weights (a diverged or corrupt file) in {_describe(non_finite)}"
        )
    cast = {k: tensors[k].to(dtype=own[k].dtype) for k in own}
    module.load_state_dict(cast, strict=True)


def _all_finite(t: Tensor) -> bool:
    """No NaN or inf in `t` (a float64 sum: NaN and inf survive it; 20x faster than isfinite)."""
    return bool(torch.isfinite(t.sum(dtype=torch.float64)))


def _meta_config(path: Path, meta: Mapping[str, str]) -> dict[str, Any] | None:
    """The metadata's ``config`` as a dict (None when absent); CheckpointError when it is not a
    JSON object."""
    if not meta.get("config"):
        return None
    try:
        found = json.loads(meta["config"])
    except json.JSONDecodeError as exc:
        raise CheckpointError(f"{path}: metadata field 'config' is not JSON ({exc})") from exc
    if not isinstance(found, dict):
        raise CheckpointError(f"{path}: metadata field 'config' is not a JSON object ({type(found).__name__})")
    return found


def with_field_defaults(found: Mapping[str, Any], config_type: Any) -> dict[str, Any]:
    """`found` (a saved config dict) with every field of the dataclass `config_type` that it does
    not name set to that field's default: a file written before a field existed holds the default."""
    defaults = {f.name: f.default for f in dataclasses.fields(config_type)
                if f.default is not dataclasses.MISSING and f.name not in found}
    return {**defaults, **found}


def _arch_diff(expected: Mapping[str, Any], found: Mapping[str, Any], config: Any = None) -> list[str]:
    """The architecture fields that differ (fields the file does not name count as defaults)."""
    if config is not None and dataclasses.is_dataclass(config):
        found = with_field_defaults(found, type(config))
    keys = sorted((set(expected) | set(found)) - set(_RUNTIME_FIELDS))
    return [
        f"{k}: model {expected.get(k)!r}, file {found.get(k)!r}"
        for k in keys
        if expected.get(k) != found.get(k)
    ]


# ------------------------------------------------------------------------------------------ load
def load_state_into(model: nn.Module, path: str | Path) -> dict[str, str]:
    """Load ``path`` into ``model`` strictly; returns the file's metadata.

    Raises CheckpointError when the file is of another variant (naming both), or when keys are missing,
    unexpected or mis-shaped (listing them).
    """
    path = Path(path)
    tensors, meta = read_checkpoint(path)
    _check_format(path, meta)
    name = getattr(model, "name", type(model).__name__)
    config = getattr(model, "config", None)
    if meta.get("config") and config is not None and hasattr(config, "to_dict"):
        model_kind = "model" if isinstance(config, ModelConfig) else "inpainter"
        file_kind = meta.get("kind", "model")
        if file_kind != model_kind:
            hint = " (use load_inpainter_weights for an inpainter file)" if file_kind == "inpainter" else ""
            raise CheckpointError(
                f"{path}: holds a {file_kind} ({meta.get('model_name')}), not a {model_kind}{hint}"
            )
        found = _meta_config(path, meta) or {}
        diff = _arch_diff(json.loads(json.dumps(config.to_dict())), found, config)
        if diff:
            raise CheckpointError(
                f"{path}: checkpoint of model {meta.get('model_name')!r}, expected a {name!r} checkpoint; "
                f"differences: {'; '.join(diff)}"
            )
    _strict_load(model, tensors, path, f"model {name!r}")
    return meta


def load_checkpoint(path: str | Path, device: str | torch.device = "cpu") -> nn.Module:
    """The model saved in ``path``, rebuilt from its metadata (variant and config), in eval mode."""
    from fosp_core.model.registry import build_from_config

    path = Path(path)
    meta = _read_meta(path) if path.is_file() and _is_safetensors(path) else read_checkpoint(path)[1]
    _check_format(path, meta)
    if meta.get("format") == TRAIN_STATE_FORMAT:
        raise CheckpointError(
            f"{path}: a training state of `fosp train` (optimiser, schedule and raw weights), not a model "
            f"checkpoint: open the run's best.safetensors ({path.parent / 'best.safetensors'}), or write "
            f"weights with `fosp train-export {path.parent} OUT.safetensors`"
        )
    if meta.get("kind", "model") != "model" or "config" not in meta:
        raise CheckpointError(
            f"{path}: has no FoSp model config in its metadata (kind={meta.get('kind')!r}); build the model "
            "with build_model(name) and load it with load_state_into(model, path)"
        )
    found = _meta_config(path, meta) or {}
    try:
        config = ModelConfig.from_dict(found, strict=False)
        model = build_from_config(config)
    except (ValueError, TypeError, RuntimeError) as exc:  # wrong field types reach torch as these
        raise CheckpointError(f"{path}: metadata field 'config' is invalid ({exc})") from exc
    load_state_into(model, path)
    return model.to(device).eval()


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
    return _read_meta(path) if _is_safetensors(path) else read_checkpoint(path)[1]


def _read_meta(path: Path) -> dict[str, str]:
    try:
        with safe_open(str(path), framework="pt", device="cpu") as fh:
            return dict(fh.metadata() or {})
    except (SafetensorError, OSError, ValueError) as exc:
        raise CheckpointError(f"{path}: not a readable safetensors file ({exc})") from exc


def load_pretrained_backbone(model: nn.Module, path: str | Path) -> dict[str, Any]:
    """Initialise ``model.backbone`` (or ``model`` itself if it is a MiT) from ImageNet MiT weights.

    Accepts Hugging Face (``nvidia/mit-b*`` files, ``save_pretrained`` output, with or without the
    ``segformer.`` prefix and a classifier), mmseg and official ``mit_b*.pth`` naming. Returns
    {"format": detected naming, "tensors": number loaded}.
    """
    path = Path(path)
    backbone = getattr(model, "backbone", model)
    tensors, _ = read_checkpoint(path)
    try:
        mapped, kind = map_mit_state_dict(tensors)
    except ValueError as exc:
        raise CheckpointError(f"{path}: {exc}") from exc
    widths = tuple(
        mapped[f"stages.{i}.patch_embed.proj.weight"].shape[0]
        for i in range(4)
        if f"stages.{i}.patch_embed.proj.weight" in mapped
    )
    depths = tuple(
        1
        + max((int(m[1]) for k in mapped if (m := re.match(rf"stages\.{i}\.blocks\.(\d+)\.", k))), default=-1)
        for i in range(4)
    )
    cfg = getattr(backbone, "cfg", None)
    if cfg is not None and (widths != tuple(cfg.embed_dims) or depths != tuple(cfg.depths)):
        raise CheckpointError(
            f"{path}: holds a MiT with widths {widths} and depths {depths} ({kind} naming), but the model's "
            f"backbone has widths {tuple(cfg.embed_dims)} and depths {tuple(cfg.depths)}"
        )
    _strict_load(backbone, mapped, path, f"the MiT backbone ({kind} naming, after key mapping)")
    return {"format": kind, "tensors": len(mapped)}


def load_inpainter_weights(model: nn.Module, path: str | Path) -> dict[str, str]:
    """Load pre-trained inpainter weights into ``model.inpainter`` (or into ``model`` if it is one).

    ``path`` is an inpainter file (``save_checkpoint(inpainter, ...)``) or a FoSp checkpoint (its
    ``inpainter.*`` tensors are used). The inpainter stays frozen inside FoSp.
    """
    path = Path(path)
    target = model.inpainter if hasattr(model, "inpainter") else model
    if target is None:
        raise CheckpointError(
            f"model {getattr(model, 'name', '?')!r} has no inpainter (its config has separation=False)"
        )
    tensors, meta = read_checkpoint(path)
    _check_format(path, meta)
    meta_cfg = _meta_config(path, meta)
    if any(k.startswith("inpainter.") for k in tensors):
        tensors = {k[len("inpainter.") :]: v for k, v in tensors.items() if k.startswith("inpainter.")}
        meta_cfg = meta_cfg.get("inpainter") if meta_cfg is not None else None
        if meta_cfg is not None and not isinstance(meta_cfg, dict):
            raise CheckpointError(f"{path}: metadata field 'config.inpainter' is not a JSON object")
    own_cfg = getattr(target, "config", None)
    if meta_cfg is not None and own_cfg is not None and hasattr(own_cfg, "to_dict"):
        own = json.loads(json.dumps(own_cfg.to_dict()))
        diff = [
            f"{k}: model {own.get(k)!r}, file {meta_cfg.get(k)!r}"
            for k in own
            if own.get(k) != meta_cfg.get(k)
        ]
        if diff:
            raise CheckpointError(
                f"{path}: inpainter of another configuration; differences: {'; '.join(diff)}"
            )
    _strict_load(target, tensors, path, f"the inpainter {getattr(target, 'name', '')!r}")
    return meta
