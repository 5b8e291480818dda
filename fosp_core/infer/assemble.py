"""Turn per-canvas network maps into a full-resolution :class:`Prediction`.

A *canvas* is one network input (letterboxed image or one tile). Map names (from the runner):
"logits", "focus_logits", "side_g32".. (logits, any stride), "hole" (0/1), "background" (RGB 0-255),
"fg32".."fg4" (foreground-feature energy). Logit maps are resampled and blended as logits and only
then squashed by the sigmoid.

The foreground energies and side outputs of a letterboxed image stay at the network's grid
(:class:`~fosp_core.infer.gridmap.GridMap`: at 8000 x 6000 the four energies took 768 MB at full
size); tiled predictions blend every map at full size, so theirs are held whole.
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
    return name.startswith("fg") or name.startswith("side_")


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
                    grid = np.ascontiguousarray(m[0].detach().float().cpu().numpy())
                    self._grids[name] = GridMap(grid, plan.letterbox, squash=name.startswith("side_"))
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
    energies ("fg<stride>") and side outputs ("side_<key>", logits) kept at the network's grid
    (letterboxed runs). Full-size energies and side outputs in `maps` (tiled runs) are held whole."""
    grids = grids or {}
    prob = _np(torch.sigmoid(maps["logits"][0]))
    focus = _np(torch.sigmoid(maps["focus_logits"][0])) if "focus_logits" in maps else None
    hole = _np(maps["hole"][0] >= 0.5) if "hole" in maps else None
    background = None
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
