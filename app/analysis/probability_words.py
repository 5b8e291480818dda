"""The probability under the mouse as the hover readout writes it (:func:`app.analysis.readouts.
hover_text`), never contradicting the mask beside it: the mask holds the pixels whose probability is
above the threshold (``p > threshold``, :meth:`fosp_core.infer.result.Prediction.mask`), so a value
printed to 3 decimals that lands on the threshold or across it ("p 0.500 not in mask" for 0.4996 at
threshold 0.50) gets the digits that keep it on its own side ("p 0.4996"), and one closer than
:data:`MOST_DIGITS` can tell says on which side it lies ("p < 0.500")."""

from __future__ import annotations

import numpy as np

__all__ = ["MOST_DIGITS", "probability_text"]

#: The most decimals the readout prints (a float32 probability has about 7 significant digits).
MOST_DIGITS = 6
_DIGITS = 3  # the readout's usual decimals


def _side(value: float, threshold: float) -> int:
    return (value > threshold) - (value < threshold)


def probability_text(p: float | np.floating, threshold: float | None = None) -> str:
    """"p 0.912": probability `p` to 3 decimals, or with as many more (up to :data:`MOST_DIGITS`) as it
    takes to stand on the same side of the mask `threshold` as `p` does (and equal to it only where `p`
    is), compared as the mask compares them (in `p`'s own precision: a float32 map's mask compares
    with float32(threshold)); "p < 0.500" / "p > 0.500" where even those digits cannot tell. None: no
    mask threshold known, 3 decimals."""
    value = float(p)
    if threshold is None or not np.isfinite(value):
        return f"p {value:.{_DIGITS}f}"
    # the side the mask puts it on: NumPy compares a float32 map with the threshold cast to float32
    cast = p.dtype.type(threshold) if isinstance(p, np.floating) else threshold
    side = _side(value, float(cast))
    for digits in range(_DIGITS, MOST_DIGITS + 1):
        text = f"{value:.{digits}f}"
        if _side(float(text), threshold) == side:
            return f"p {text}"
    return f"p {'<' if side < 0 else '>' if side > 0 else '='} {threshold:.{_DIGITS}f}"
