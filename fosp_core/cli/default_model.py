"""The checkpoint a `fosp` command runs when none is given: the bundled default model, the first
``fosp-default.safetensors`` on the model search path (`fosp_core.paths.find_model`: $FOSP_MODELS,
the user's cache, the app's resources). `fosp predict` and `fosp eval` both take it from here, so
they run the same model and say the same when there is none."""

from __future__ import annotations

from pathlib import Path

from fosp_core import paths

__all__ = ["NoDefaultModelError", "default_checkpoint"]


class NoDefaultModelError(LookupError):
    """No default model on the model search path; the message says where it looked."""


def default_checkpoint() -> Path:
    """The default model's file (what `--checkpoint` defaults to); NoDefaultModelError naming the
    folders searched and the flag to pass instead."""
    found = paths.find_model()
    if found is None:
        raise NoDefaultModelError(
            f"no default model found (looked for {paths.DEFAULT_MODEL_FILE} in "
            f"{', '.join(str(p) for p in paths.model_search_path())}); pass --checkpoint FILE")
    return found
