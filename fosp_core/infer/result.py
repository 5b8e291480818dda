"""Typed inference results: every map over the input image's full resolution (H, W); of a
letterboxed prediction, every map but the probability (the foreground energies, side outputs, Focus
Map, τ hole and separated background) is held at the network's grid (:class:`GridMap`) and read at
that resolution on demand."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fosp_core.infer.gridmap import GridMap

DEFAULT_THRESHOLD = 0.5

# Names accepted in Predictor.predict(need=...): which optional maps to compute.
# The smoke probability is always computed.
NEED_FOCUS = "focus"  # Focus Map (sigmoid of the focus logits)
NEED_HOLE = "hole"  # the tau hole mask the separation module used
NEED_BACKGROUND = "background"  # separated background (RGB completion of branch N)
NEED_FOREGROUND = "foreground"  # foreground-feature energy per stride
NEED_SIDE = "side"  # side outputs g32/g16/g8/g4 as probabilities
ALL_NEEDS: frozenset[str] = frozenset({NEED_FOCUS, NEED_HOLE, NEED_BACKGROUND, NEED_FOREGROUND, NEED_SIDE})
DEFAULT_NEEDS: frozenset[str] = frozenset({NEED_FOCUS, NEED_HOLE})
# Prediction's field names taken for the need they fill (need=["focus_map", "background"]).
NEED_ALIASES: dict[str, str] = {"focus_map": NEED_FOCUS, "foreground_energy": NEED_FOREGROUND, "side_maps": NEED_SIDE}


def normalize_needs(need: str | frozenset[str] | set[str] | tuple[str, ...] | list[str] | None) -> frozenset[str]:
    """Validate a `need` argument: None -> DEFAULT_NEEDS, "all" -> ALL_NEEDS, else a set of names
    (NEED_* or the Prediction field they fill: focus_map, foreground_energy, side_maps)."""
    if need is None:
        return DEFAULT_NEEDS
    if isinstance(need, str):
        need = ALL_NEEDS if need == "all" else {n.strip() for n in need.split(",") if n.strip()}
    out = frozenset(NEED_ALIASES.get(n, n) for n in need) - {"probability", "prob", "mask"}
    unknown = out - ALL_NEEDS
    if unknown:
        raise ValueError(f"unknown outputs {sorted(unknown)}; choose from {sorted(ALL_NEEDS)}")
    return out


@dataclass
class Prediction:
    """What the network says about one RGB image, all arrays at the image's size (H, W).

    probability: float32 (H, W) in [0, 1], smoke probability.
    focus_map: float32 (H, W) in [0, 1], the Focus Map (computed at stride 16, upsampled), or None.
    hole: bool (H, W), True where the Focus Map exceeded tau (region removed for branch N), or None.
    background: uint8 (H, W, 3) RGB, separated background (inpainted branch N), or None.
        These three are a :class:`~fosp_core.infer.gridmap.GridMap` in a letterboxed prediction
        (``full()`` / ``np.asarray`` is the old array bit for bit; 3 MB at any size where an
        8000 x 6000 photo's arrays were 384 MB), arrays in a tiled one.
    foreground_energy: stride (32, 16, 8, 4) -> float32 (H, W) map, per-pixel RMS over channels of the
        foreground features F^F_i = beta*|F^N_i - F^A_i|; empty when not requested/available. Held as
        a :class:`~fosp_core.infer.gridmap.GridMap` (the network's grid, a few hundred KB whatever
        the image's size; ``full()`` / ``np.asarray`` for the (H, W) array, ``m[y, x]`` for one
        value); an ndarray (H, W) is accepted too.
    side_maps: "g32", "g16", "g8", "g4" -> float32 (H, W) side-output probabilities (GridMap, as above).
    tau: the Focus threshold used (None when the model has no separation stage).
    tiled: True when the map was assembled from overlapping tiles at native resolution.
    """

    probability: np.ndarray
    focus_map: np.ndarray | GridMap | None = None
    hole: np.ndarray | GridMap | None = None
    background: np.ndarray | GridMap | None = None
    foreground_energy: dict[int, GridMap | np.ndarray] = field(default_factory=dict)
    side_maps: dict[str, GridMap | np.ndarray] = field(default_factory=dict)
    tau: float | None = None
    tiled: bool = False

    def __repr__(self) -> str:  # the maps' names, not their millions of values
        maps = [n for n in ("focus_map", "hole", "background") if getattr(self, n) is not None]
        maps += [f"foreground_energy{sorted(self.foreground_energy)}"] if self.foreground_energy else []
        maps += [f"side_maps{sorted(self.side_maps)}"] if self.side_maps else []
        return (f"Prediction(shape={self.shape}, smoke_ratio={self.smoke_ratio():.4f}, tau={self.tau}, "
                f"tiled={self.tiled}, maps=[{', '.join(maps)}])")

    @property
    def shape(self) -> tuple[int, int]:
        """(H, W) of the input image."""
        return (int(self.probability.shape[0]), int(self.probability.shape[1]))

    def mask(self, threshold: float = DEFAULT_THRESHOLD, keep: str = "plain") -> np.ndarray:
        """Binary smoke mask, uint8 (H, W) with 1 = smoke (probability > threshold, the rule of
        `fosp eval`), 0 elsewhere. keep: which regions of that mask stay
        (`fosp_core.metrics.decision`: "plain" = all, "core:T", "mean:T", "area:A").
        Pure numpy: changing the threshold or the rule never runs the network."""
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be in [0, 1], got {threshold}")
        if keep == "plain":
            return (self.probability > threshold).astype(np.uint8)
        from fosp_core.metrics.decision import keep_regions

        return keep_regions(self.probability, keep, threshold).astype(np.uint8)

    def smoke_ratio(self, threshold: float = DEFAULT_THRESHOLD, keep: str = "plain") -> float:
        """Share of pixels predicted as smoke at `threshold` (in the regions `keep` keeps)."""
        return float(np.count_nonzero(self.mask(threshold, keep))) / float(self.probability.size)

    def confidence(self) -> float:
        """Mean distance of the probability from 0.5, scaled to [0, 1] (1 = fully certain)."""
        return float(np.mean(np.abs(self.probability - 0.5)) * 2.0)
