"""Tiny training configs over the bundled demo samples, shared by the training tests (no tests here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fosp_core.train.config import Config, config_from_dict

# fosp-s (MiT-B0) with a narrow decoder and a tiny inpainter: a few tenths of a second per step at 64 px.
TINY_MODEL: dict[str, Any] = {
    "channels": 16,
    "inpainter": {"widths": [8, 16, 16, 32], "feature_channels": [16, 16, 16, 8], "context_dilations": [1]},
}
TINY_INPAINTER: dict[str, Any] = {"widths": [8, 8, 16, 16], "feature_channels": [8, 8, 8, 8],
                                  "context_dilations": [1]}


def tiny_config_dict(demo_dir: Path, runs: Path, **sections: dict[str, Any]) -> dict[str, Any]:
    """A complete config dict: demo data, 64 px crops, batch 2, CPU fp32, no progress line."""
    raw: dict[str, Any] = {
        "name": "tiny",
        "runs_dir": str(runs),
        "model": {"name": "fosp-s", "overrides": TINY_MODEL},
        "data": {"root": str(demo_dir.parent), "crop": 64, "scale": 96, "ratio_range": [0.75, 1.25],
                 "workers": 0, "train": [{"path": demo_dir.name}], "val": []},
        "optim": {"lr": 1e-3, "warmup_iters": 2},
        "train": {"iterations": 4, "batch_size": 2, "log_every": 1, "val_every": 0, "save_every": 2,
                  "val_size": 96, "device": "cpu", "precision": "fp32", "threads": 1, "progress": False},
        "inpainter": {"overrides": TINY_INPAINTER, "val_images": 2},
    }
    for key, value in sections.items():
        if isinstance(value, dict) and isinstance(raw.get(key), dict):
            raw[key] = {**raw[key], **value}
        else:
            raw[key] = value
    return raw


def tiny_config(demo_dir: Path, runs: Path, **sections: dict[str, Any]) -> Config:
    return config_from_dict(tiny_config_dict(demo_dir, runs, **sections), source="<test>")


def tiny_config_toml(demo_dir: Path, runs: Path, path: Path, **sections: dict[str, Any]) -> Path:
    """Write the tiny config as a TOML file (for CLI tests)."""
    from fosp_core.train.config import dump_toml

    path.write_text(dump_toml(tiny_config_dict(demo_dir, runs, **sections)))
    return path


def make_export(demo_dir: Path, out: Path) -> Path:
    """The demo samples as an exported SmokeSeg dataset at `out`: 3 train, 1 val."""
    import shutil

    shutil.copytree(demo_dir, out)
    ids = (demo_dir / "ImageSets" / "Segmentation" / "val.txt").read_text().split()
    (out / "ImageSets" / "Segmentation" / "train.txt").write_text("\n".join(ids[:3]) + "\n")
    (out / "ImageSets" / "Segmentation" / "val.txt").write_text(ids[3] + "\n")
    return out


_TINY_SAVED: list[tuple[bytes, Any]] = []
"""The first `save_tiny_checkpoint` of this process: (the file's bytes, torch's RNG state after the build)."""


def save_tiny_checkpoint(path: Path) -> Path:
    """A tiny fosp-s (seeded random weights) saved as a FoSp checkpoint. Built once a process (~0.2 s of
    building and saving a 14 MB file, paid by ~50 tests): later calls write the same bytes (the same
    weights; a build's header order differs, its contents not) and leave torch's RNG as a build does."""
    import torch

    from fosp_core.io.atomic import atomic_target
    from fosp_core.model.registry import build_model
    from fosp_core.train import model_io
    from fosp_core.train.state import CheckpointSaveError

    torch.manual_seed(0)
    if not _TINY_SAVED:
        model_io.save_weights(build_model("fosp-s", **TINY_MODEL), path)
        _TINY_SAVED.append((Path(path).read_bytes(), torch.get_rng_state()))
        return path
    data, rng = _TINY_SAVED[0]
    path = Path(path)
    try:  # as save_weights does: atomically, a CheckpointSaveError when the disk says no
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_target(path) as tmp:
            tmp.write_bytes(data)
    except OSError as exc:
        raise CheckpointSaveError(path, exc) from exc
    torch.set_rng_state(rng)
    return path
