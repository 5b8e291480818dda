"""The analysis view's id of a loaded model: the key of its results cache, its score book, the kept scores'
look (`app.analysis.kept_metrics`) and Run on All Images' "already done" (`app.analysis.run_plan`).

It named the checkpoint by its path and modification time (`fosp_core.analysis.results.model_id`): a copy
of the same weights, or the same weights exported again under another name, was another model, so opening
it ran every image again and showed none of the scores the original had made. The id now names the weights
(`fosp_core.annotation.prelabel_weights.weights_digest`, as pre-label stamps and kept scores do:
`fosp_core.annotation.prelabel.same_model`) and, as before, what changes the probabilities beside them:
the device, the precision and the network input ("weights:<digest>|cpu|fp32|512"). A checkpoint whose
weights are not known (a ``.pt`` file, one that is no safetensors) keeps the path-based id.
"""

from __future__ import annotations

from pathlib import Path

from fosp_core.analysis.results import model_id as path_model_id

__all__ = ["WEIGHTS_PREFIX", "analysis_model_id"]

#: how an id named by the weights begins (the part before the first "|" names the model's weights or file)
WEIGHTS_PREFIX = "weights:"


def analysis_model_id(checkpoint: str | Path, weights: str, device: str, precision: str, input: str = "default") -> str:
    """The id of `checkpoint` loaded on `device` at `precision` with network `input` (see the module doc):
    named by `weights` (its weights' digest; "": not known, the path-based id)."""
    if not weights:
        return path_model_id(checkpoint, device, precision, input)
    return f"{WEIGHTS_PREFIX}{weights}|{device}|{precision}" + ("" if input == "default" else f"|{input}")
