"""The video's probability function as the Model panel would predict a frame: its Regions rule
(:func:`with_regions`) and its τ (:func:`with_tau`) put around the loaded model's plain function
(`fosp_core.infer.predictor.probability_fn`). Each wrapper keeps the function's ``predictor`` reachable, so
that a frame stops between its tiles (:mod:`app.video.tile_stop`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fosp_core.metrics.decision import apply_rule, parse_rule

if TYPE_CHECKING:
    import numpy as np

    from app.video.workers import ProbabilityFn

__all__ = ["with_regions", "with_tau"]


def with_regions(fn: ProbabilityFn, keep: str, threshold: float = 0.5) -> ProbabilityFn:
    """`fn` whose maps keep only the regions of the mask at `threshold` that the rule `keep` keeps (the
    dropped ones get probability 0, :func:`~fosp_core.metrics.decision.apply_rule`); `fn` itself for plain."""
    rule = parse_rule(keep)
    if rule.kind == "plain":
        return fn

    def regions(rgb: np.ndarray) -> np.ndarray:
        return apply_rule(fn(rgb), rule, threshold)

    regions.predictor = getattr(fn, "predictor", None)  # type: ignore[attr-defined]  # (stopped between tiles)
    return regions


def with_tau(fn: ProbabilityFn, tau: float | None) -> ProbabilityFn:
    """`fn` predicting at the Focus threshold `tau` (the Model panel's, which the user may have moved; the
    frame layers predict at it too); `fn` itself for None (the checkpoint's τ) or a function without a
    ``predictor`` (nothing to give τ to). Every call names its τ: the predictor is shared, and a call without
    one would take the last τ given."""
    predictor = getattr(fn, "predictor", None)
    if tau is None or predictor is None:
        return fn

    def at_tau(rgb: np.ndarray) -> np.ndarray:
        return predictor.predict_batch([rgb], tau=tau, need=())[0].probability

    at_tau.predictor = predictor  # type: ignore[attr-defined]
    return at_tau
