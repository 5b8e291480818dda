"""The fingerprint of the images a run trains on (`fosp_core.trained_on`), made once per run (on a
thread beside its start: `fosp_core.train.fingerprint_job`).

`run_fingerprint(train sources, init_from, state)` hashes every image file the training sources
draw from; a fine-tune adds its starting weights' fingerprint (or notes that they have none); a
resumed run adds what its state recorded (data changed between the parts: both count). The
`Trainer` keeps it (`trained_on`), `last.pt` holds it, and every checkpoint it writes carries it in
its metadata (`with_fingerprint`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fosp_core.train.sources import Source
from fosp_core.trained_on import (
    METADATA_KEY,
    DigestCache,
    TrainedImages,
    checkpoint_trained_images,
    fingerprint,
)

__all__ = ["STATE_KEY", "from_state", "run_fingerprint", "with_fingerprint"]

#: Where `last.pt` keeps the fingerprint (its `to_metadata` text).
STATE_KEY = "trained_on"


def run_fingerprint(sources: Sequence[Source], init_from: str = "", before: TrainedImages | None = None,
                    resumed: bool = False, cache: DigestCache | None = None) -> TrainedImages:
    """The images `sources` train on (see the module doc). A source that does not name its image
    files makes the fingerprint incomplete. `before`: what a resumed run's state recorded (it holds
    the start's already, so `init_from` is then not read). `resumed` with no `before`: a state saved
    before fingerprints existed, whose earlier part may have trained on images not recorded: incomplete.
    `cache`: digests known already (a resumed run's digest file, `fingerprint_job`)."""
    paths: list[Path] = []
    complete = not (resumed and before is None)
    for source in sources:
        if source.image_paths is None:
            complete = False
        else:
            paths.extend(source.image_paths)
    found = fingerprint(dict.fromkeys(paths), complete=complete, cache=cache)
    if before is not None:
        return found.union(before)
    if init_from:
        start = checkpoint_trained_images(Path(init_from).expanduser())
        found = found.union(start) if start is not None else TrainedImages(found.hashes, found.complete, True)
    return found


def from_state(state: dict[str, Any]) -> TrainedImages | None:
    """The fingerprint a training state holds (None: it has none, e.g. saved before fingerprints)."""
    text = state.get(STATE_KEY)
    if not isinstance(text, str) or not text:
        return None
    try:
        return TrainedImages.from_metadata(text)
    except ValueError:
        return None


def with_fingerprint(metadata: dict[str, Any], trained: TrainedImages | None) -> dict[str, Any]:
    """`metadata` with the fingerprint under `fosp_core.trained_on.METADATA_KEY` (as it is without one)."""
    return metadata if trained is None else {**metadata, METADATA_KEY: trained.to_metadata()}
