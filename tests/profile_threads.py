"""Which threads read probability maps into `PredictionProfile`s: a test's spy on
`PredictionProfile.of` (the unit tests of the profile cache and the GUI test of Shift+A share it)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from fosp_core.annotation.prediction_profile import PredictionProfile


def record_profile_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now until the test ends, every `PredictionProfile.of` call appends the name of the thread
    that made it to the returned list (and reads the map as before)."""
    threads: list[str] = []
    of = PredictionProfile.of.__func__

    def recorded(cls: type[PredictionProfile], probability: np.ndarray) -> PredictionProfile:
        threads.append(threading.current_thread().name)
        return of(cls, probability)

    monkeypatch.setattr(PredictionProfile, "of", classmethod(recorded))
    return threads
