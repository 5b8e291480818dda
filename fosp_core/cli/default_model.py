"""The checkpoint a `fosp` command runs when none is given, and what a given ``--checkpoint`` means:
`fosp_core.checkpoint_resolve` (shared with the library, which does not import the command line);
its names are re-exported here, where `fosp predict`, `fosp eval` and `fosp train-export` take them."""

from __future__ import annotations

from fosp_core.checkpoint_resolve import (
    NoDefaultModelError,
    checkpoint_file,
    default_checkpoint,
    passed_over_note,
    run_of_name,
)

__all__ = ["NoDefaultModelError", "checkpoint_file", "default_checkpoint", "passed_over_note", "run_of_name"]
