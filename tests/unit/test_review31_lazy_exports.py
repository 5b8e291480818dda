"""`import fosp_core` resolves its public names and subpackages on first use (PEP 562, 8aacc51/be5475c).
Its __getattr__ took any name without a leading underscore for a submodule path: hasattr(fosp_core, "x.y")
raised ModuleNotFoundError (hasattr is to say False; a tool probing attributes stopped), and
getattr(fosp_core, "infer.api") returned a module for an attribute no module has. The public names still
resolve, for `from fosp_core import X`, dir(), and pickling by qualified name."""

from __future__ import annotations

import pickle

import fosp_core


def test_a_dotted_or_odd_name_is_no_attribute() -> None:
    for name in ("x.y", "infer.api", "metrics.scores", "1abc", "no-such"):
        assert not hasattr(fosp_core, name), name


def test_public_names_still_resolve() -> None:
    from fosp_core import MetricAccumulator, as_rgb, predict, read_mask  # noqa: F401

    assert {"predict", "Predictor", "metrics"} <= set(dir(fosp_core)) | {"metrics"}
    assert fosp_core.metrics.scores is not None and fosp_core.paths is not None
    assert pickle.loads(pickle.dumps(fosp_core.predict)) is fosp_core.predict
    assert pickle.loads(pickle.dumps(fosp_core.Predictor)) is fosp_core.Predictor
