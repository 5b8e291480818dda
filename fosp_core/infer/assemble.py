"""Turn per-canvas network maps into a full-resolution :class:`Prediction`.

A *canvas* is one network input (letterboxed image or one tile). Map names (from the runner):
"logits", "side_g32".. (logits, any stride), "focus_map" (the Focus Map, 0-1), "hole" (0/1),
"background" (RGB 0-255), "fg32".."fg4" (foreground-feature energy). Logit maps are resampled and
blended as logits and only then squashed by the sigmoid; the Focus Map is resampled as the
probability it is, as the model resamples it to cut its τ hole. ("focus_logits", from a model that
gives only those, is squashed after resampling.)

The foreground energies, side outputs, Focus Map, τ hole and separated background of a letterboxed
image stay at the network's grid (:class:`~fosp_core.infer.gridmap.GridMap`: at 8000 x 6000 the four
energies took 768 MB at full size, the Focus Map 192, the background 144, the hole 48); only the
probability (the mask threshold's map) is made at full size. Tiled predictions blend every map at full
size, so theirs are held whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from fosp_core.infer.device_errors import is_out_of_memory
from fosp_core.infer.devices import release_memory
from fosp_core.infer.gridmap import GridMap
from fosp_core.infer.result import Prediction
from fosp_core.infer.tiling import Letterbox, Tile, TileAccumulator, maps_from_letterbox

LOGIT_MAPS = ("logits", "focus_logits")


@dataclass
class Plan:
    """How one image becomes canvases: a letterbox (one canvas) or a list of tiles."""

    height: int
    width: int
    letterbox: Letterbox | None = None
    tiles: list[Tile] | None = None

    @property
    def count(self) -> int:
        return 1 if self.tiles is None else len(self.tiles)


def _on_grid(name: str) -> bool:
    """Maps a letterboxed prediction keeps at the network's grid (GridMap), not at the image's size."""
    return name.startswith("fg") or name.startswith("side_") or name in _HELD_AS


#: The maps that were full-size arrays before session 27, held at the grid as (kind, squash, unit): read
#: whole (``banded=False``) where a reader draws them, so their pixels stay bit-identical.
#: ("focus_map": a probability, clamped to [0, 1] after interpolation as build_prediction does;
#: "focus_logits": a model that gives only logits, their sigmoid.)
_HELD_AS = {"focus_map": ("float", False, True), "focus_logits": ("float", True, False),
            "hole": ("mask", False, False), "background": ("rgb", False, False)}


def _grid_map(name: str, m: torch.Tensor, geom: Letterbox) -> GridMap:
    grid = m.detach().float().cpu().numpy()
    if name not in _HELD_AS:
        return GridMap(np.ascontiguousarray(grid[0]), geom, squash=name.startswith("side_"))
    kind, squash, unit = _HELD_AS[name]
    if kind == "mask":  # nearest picks grid values, so the threshold can come first: one byte a cell
        return GridMap(np.ascontiguousarray(grid[0] >= 0.5), geom, kind=kind, banded=False)
    return GridMap(np.ascontiguousarray(grid if kind == "rgb" else grid[0]), geom, squash=squash, kind=kind,
                   unit=unit, banded=False)


def _mode(name: str) -> str:
    return "nearest" if name == "hole" else "bilinear"


class Assembler:
    """Collects the maps of every canvas of one image and builds its Prediction."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._maps: dict[str, torch.Tensor] = {}
        self._grids: dict[str, GridMap] = {}
        self._acc: dict[str, TileAccumulator] = {}
        self._seen = 0

    def add(self, k: int, maps: dict[str, torch.Tensor]) -> None:
        """maps of canvas k: name -> (C, h, w) tensor at any stride of the canvas."""
        plan = self.plan
        if plan.tiles is None:
            assert plan.letterbox is not None
            for name, m in maps.items():
                if _on_grid(name):
                    self._grids[name] = _grid_map(name, m, plan.letterbox)
                else:
                    self._maps[name] = _full_size(m, plan.letterbox, _mode(name))
        else:
            t = plan.tiles[k]
            for name, m in maps.items():
                acc = self._acc.get(name)
                if acc is None:
                    acc = self._acc[name] = TileAccumulator(m.shape[0], plan.height, plan.width)
                acc.add(m, t, _mode(name))
        self._seen += 1

    @property
    def complete(self) -> bool:
        return self._seen >= self.plan.count

    def finish(self, tau: float | None) -> Prediction:
        maps = self._maps if self.plan.tiles is None else {n: a.result() for n, a in self._acc.items()}
        self._acc.clear()
        return build_prediction(maps, tau, tiled=self.plan.tiles is not None, grids=self._grids)


def _on_accelerator(t: torch.Tensor) -> bool:
    return t.device.type != "cpu"


def _full_size(m: torch.Tensor, geom: Letterbox, mode: str) -> torch.Tensor:
    """`m` resized to the image on its device, on the CPU (fp32) when that device runs out of memory:
    a huge image's full-size maps can outgrow a GPU that ran the network at 512 px."""
    try:
        return maps_from_letterbox(m, geom, mode).cpu()
    except (RuntimeError, MemoryError) as exc:
        if not (_on_accelerator(m) and is_out_of_memory(exc)):
            raise
    release_memory(m.device)
    return maps_from_letterbox(m.cpu(), geom, mode)


def _np(t: torch.Tensor) -> np.ndarray:
    return np.ascontiguousarray(t.numpy())


def build_prediction(maps: dict[str, torch.Tensor], tau: float | None, tiled: bool = False,
                     grids: dict[str, GridMap] | None = None) -> Prediction:
    """maps: name -> (C, H, W) float32 CPU tensors at full image resolution; grids: name -> the
    energies ("fg<stride>"), side outputs ("side_<key>", logits), Focus Map, hole and background
    kept at the network's grid (letterboxed runs). Full-size energies and side outputs in `maps`
    (tiled runs) are held whole; a full-size Focus Map, hole and background stay arrays."""
    grids = grids or {}
    prob = _np(torch.sigmoid(maps["logits"][0]))
    focus: np.ndarray | GridMap | None = grids.get("focus_map", grids.get("focus_logits"))
    if "focus_map" in maps:
        focus = _np(maps["focus_map"][0].clamp(0, 1))
    elif "focus_logits" in maps:
        focus = _np(torch.sigmoid(maps["focus_logits"][0]))
    hole: np.ndarray | GridMap | None = grids.get("hole")
    if "hole" in maps:
        hole = _np(maps["hole"][0] >= 0.5)
    background: np.ndarray | GridMap | None = grids.get("background")
    if "background" in maps:
        background = _np(maps["background"].clamp(0, 255).round().to(torch.uint8).permute(1, 2, 0))
    energy = {int(n[2:]): GridMap.whole(_np(m[0])) for n, m in maps.items() if n.startswith("fg")}
    side = {n[5:]: GridMap.whole(_np(torch.sigmoid(m[0]))) for n, m in maps.items() if n.startswith("side_")}
    energy.update({int(n[2:]): g for n, g in grids.items() if n.startswith("fg")})
    side.update({n[5:]: g for n, g in grids.items() if n.startswith("side_")})
    return Prediction(
        probability=prob,
        focus_map=focus,
        hole=hole,
        background=background,
        foreground_energy=dict(sorted(energy.items(), reverse=True)),
        side_maps=side,
        tau=tau,
        tiled=tiled,
    )
