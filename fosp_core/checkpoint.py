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

Which file and reading it (``resolve_checkpoint``, ``read_checkpoint``, ``read_metadata``, the
errors) live in :mod:`fosp_core.checkpoint_files`, re-exported here. ``.pth`` / ``.pt`` / ``.bin`` /
``.ckpt`` files are read only through ``torch.load(weights_only=True)``; a pickle that tries to
import or run anything else is refused with ``UnsafeCheckpointError``.

Metadata keys (all strings): ``format`` = "fosp-checkpoint", ``format_version`` (an integer),
``kind`` ("model" or "inpainter"), ``model_name``, ``config`` (JSON), ``dtype``, ``fosp_core_version``;
``extra_metadata`` entries are added as given (non-strings JSON-encoded).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import save_file
from torch import Tensor, nn

from fosp_core import __version__
from fosp_core.checkpoint_files import (
    EXPECTED_CHECKPOINT,
    TRAIN_STATE_FORMAT,
    CheckpointError,
    UnsafeCheckpointError,
    is_safetensors,
    read_checkpoint,
    read_header_metadata,
    read_metadata,
    resolve_checkpoint,
    run_folder_weights,
)
from fosp_core.io.atomic import atomic_target
from fosp_core.model.config import ModelConfig
from fosp_core.model.keymap import map_mit_state_dict

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "EXPECTED_CHECKPOINT",
    "CheckpointError",
    "UnsafeCheckpointError",
    "load_checkpoint",
    "load_inpainter_weights",
    "load_pretrained_backbone",
    "load_state_into",
    "read_checkpoint",
    "read_metadata",
    "resolve_checkpoint",
    "run_folder_weights",
    "save_checkpoint",
]

FORMAT_NAME = "fosp-checkpoint"
FORMAT_VERSION = 1
_RESERVED = ("format", "format_version", "kind", "model_name", "config", "dtype", "fosp_core_version")
_INPAINTER_NOT_MODEL = (
    "inpainter weights ({name}), not a FoSp model: a model is a run's best.safetensors or a `fosp train-export` "
    "file; an inpainter goes into a recipe as model.inpainter={path} (in Python: load_inpainter_weights)"
)
# config fields that do not change the weights' layout (a checkpoint may differ in these)
_RUNTIME_FIELDS = ("name", "tau", "drop_path_rate", "dropout", "loss_focus", "loss_side", "loss_main", "loss", "beta")


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
    try:
        with atomic_target(path) as tmp:
            save_file(tensors, str(tmp), metadata=meta)
    except SafetensorError as exc:
        raise _write_error(path, exc) from exc
    return path


_OS_ERROR = re.compile(r"\(os error (\d+)\)")


def _write_error(path: Path, exc: SafetensorError) -> Exception:
    """The OSError (errno kept, naming `path`) that safetensors' writer reports as a SafetensorError
    ("Error while serializing: I/O error: No space left on device (os error 28)"): a full or failing
    disk must reach callers as the OSError they handle. Any other SafetensorError is returned as is."""
    found = _OS_ERROR.search(str(exc))
    if found is None:
        return exc
    code = int(found.group(1))
    return OSError(code, os.strerror(code), str(path))


# ------------------------------------------------------------------------------------------ read
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


def _strict_load(
    module: nn.Module, tensors: Mapping[str, Tensor], path: Path, what: str, assign: bool = False
) -> None:
    """Strict load with a message listing missing / unexpected / mis-shaped keys, tensors of the
    wrong kind (integer or bool where the model holds floats, or the reverse) and non-finite
    weights; casts float precisions (fp16 files load into fp32 models). ``assign``: the (cast)
    tensors become the module's, as `load_state_dict(assign=True)` (a module built on meta)."""
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
    # assign: copies all the same, in fresh (64-byte aligned) memory as the model's own would be: a tensor read
    # from a file lies at the file's offsets, where CPU kernels take other paths and round differently
    cast = {k: tensors[k].to(dtype=own[k].dtype, copy=assign) for k in own}
    module.load_state_dict(cast, strict=True, assign=assign)


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
def load_state_into(model: nn.Module, path: str | Path, *, assign: bool = False) -> dict[str, str]:
    """Load ``path`` into ``model`` strictly; returns the file's metadata.

    Raises CheckpointError when the file is of another variant (naming both), or when keys are missing,
    unexpected or mis-shaped (listing them). ``assign=True`` (a model built on the meta device): the
    file's tensors become the model's parameters and buffers, new objects; without it they are copied
    into the model's own (an optimiser made before keeps them).
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
            if file_kind == "inpainter":
                raise CheckpointError(f"{path}: {_INPAINTER_NOT_MODEL.format(name=meta.get('model_name'), path=path)}")
            raise CheckpointError(f"{path}: holds a {file_kind} ({meta.get('model_name')}), not a {model_kind}")
        found = _meta_config(path, meta) or {}
        diff = _arch_diff(json.loads(json.dumps(config.to_dict())), found, config)
        if diff:
            what = (f"a {name!r} of another configuration" if meta.get("model_name") == name
                    else f"model {meta.get('model_name')!r}, expected a {name!r} checkpoint")
            raise CheckpointError(f"{path}: checkpoint of {what}; differences: {'; '.join(diff)}")
    _strict_load(model, tensors, path, f"model {name!r}", assign)
    return meta


def load_checkpoint(path: str | Path, device: str | torch.device = "cpu") -> nn.Module:
    """The model saved in ``path``, rebuilt from its metadata (variant and config), in eval mode."""
    from fosp_core.model.registry import build_from_config
    from fosp_core.model.weight_init import on_meta_device, set_constants, weights_to_be_loaded

    path = Path(path)
    meta = read_header_metadata(path) if path.is_file() and is_safetensors(path) else read_checkpoint(path)[1]
    _check_format(path, meta)
    if meta.get("format") == TRAIN_STATE_FORMAT:
        raise CheckpointError(
            f"{path}: a training state of `fosp train` (optimiser, schedule and raw weights), not a model "
            f"checkpoint: open the run's best.safetensors ({path.parent / 'best.safetensors'}), or write "
            f"weights with `fosp train-export {path.parent} OUT.safetensors`"
        )
    if meta.get("kind") == "inpainter":
        raise CheckpointError(f"{path}: {_INPAINTER_NOT_MODEL.format(name=meta.get('model_name'), path=path)}")
    if meta.get("kind", "model") != "model" or "config" not in meta:
        raise CheckpointError(
            f"{path}: not a FoSp checkpoint (weights saved by another tool?): give {EXPECTED_CHECKPOINT}. "
            f"Details: it has no FoSp model config in its metadata (kind={meta.get('kind')!r}); in Python, "
            "build the model with build_model(name) and load_state_into(model, path)"
        )
    found = _meta_config(path, meta) or {}
    try:
        config = ModelConfig.from_dict(found, strict=False)
        with weights_to_be_loaded(), on_meta_device():  # every weight is assigned below: no memory, no draw first
            model = build_from_config(config)
    except (ValueError, TypeError, RuntimeError) as exc:  # wrong field types reach torch as these
        raise CheckpointError(f"{path}: metadata field 'config' is invalid ({exc})") from exc
    load_state_into(model, path, assign=True)
    set_constants(model)
    return model.to(device).eval()


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
    if meta.get("kind") == "model" and not any(k.startswith("inpainter.") for k in tensors):
        raise CheckpointError(
            f"{path}: a model checkpoint ({meta.get('model_name')}) with no inpainter in it, not inpainter "
            "weights; give a `fosp train-inpainter` run's best.safetensors or a FoSp checkpoint that has one"
        )
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
