"""Whether the Model panel's kept Device and Precision (:mod:`app.analysis.panel_kept`) can be used here.

The window is built before torch is in (:mod:`app.analysis.device_list`), so which GPUs there are is known
only once the devices are listed. A kept "cpu" (with a precision the CPU computes in) or "auto" at fp32 is
used at once; a kept GPU ("cuda:N", "mps"), or a precision other than fp32 for whatever "auto" picks, waits
for the list (:func:`settle`): a GPU that is not here falls back to "auto" and a precision that the device
does not compute in to fp32, with a note saying so. A kept "cpu" with fp16 (which the panel offered on the CPU
before its Precision box followed the Device box: :mod:`app.analysis.panel_precisions`) is used at fp32, with
that note too (:func:`cpu_note`). A name that is no device or precision is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.analysis.panel_precisions import COMPUTES_IN as _COMPUTES_IN
from app.analysis.panel_precisions import fallback_note
from fosp_core.analysis.settings import device_words
from fosp_core.infer.devices import PRECISIONS  # no torch with it

_DEVICE = re.compile(r"auto|cpu|mps|cuda:\d+")


@dataclass(frozen=True)
class KeptDevice:
    """A kept device ("auto", "cpu", "cuda:N", "mps") and precision that wait for the devices' list."""

    device: str
    precision: str


def read_kept(device: object, precision: object) -> tuple[str | None, str | None, KeptDevice | None]:
    """(device to use now or None, precision to use now or None, what waits for the devices' list or None)
    from the values a settings file holds (anything: a hand-edited file); None = the default."""
    name = str(device).strip().lower() if device is not None else ""
    name = name if _DEVICE.fullmatch(name) else ""
    chosen = str(precision).strip().lower() if precision is not None else ""
    chosen = chosen if chosen in PRECISIONS else ""
    if name == "cpu" or (name in ("", "auto") and chosen in ("", "fp32")):
        fits = chosen in _COMPUTES_IN["cpu"] if name == "cpu" else True
        return name or None, (chosen if fits else "") or None, None
    return None, None, KeptDevice(name or "auto", chosen or "fp32")


def cpu_note(device: object, precision: object) -> str:
    """The note for a kept "cpu" with a precision the CPU does not compute in (which :func:`read_kept`
    leaves for the default, fp32); "" for any other (or no) kept pair."""
    name = str(device).strip().lower() if device is not None else ""
    chosen = str(precision).strip().lower() if precision is not None else ""
    dropped = name == "cpu" and chosen in PRECISIONS and chosen not in _COMPUTES_IN["cpu"]
    return fallback_note(chosen, "cpu") if dropped else ""


def settle(kept: KeptDevice, listed: Sequence[str]) -> tuple[str, str, str]:
    """(device, precision, note for the status bar: "" when all is as kept) for `kept` on a machine whose
    devices are `listed` (names, "auto" first, as :func:`fosp_core.analysis.settings.device_choices`:
    CUDA GPUs, MPS, then the CPU; "auto" picks the first)."""
    device, notes = kept.device, []
    if device != "auto" and device not in listed:
        device = "auto"
    runs_on = device if device != "auto" else next((name for name in listed if name != "auto"), "cpu")
    if device != kept.device:
        notes.append(f"The device last used, {device_words(kept.device)}, is not available here"
                     f": using {device_words('auto')} ({device_words(runs_on)}).")
    precision = kept.precision
    if precision not in _COMPUTES_IN.get(runs_on.split(":")[0], PRECISIONS):
        notes.append(fallback_note(precision, runs_on))
        precision = "fp32"
    return device, precision, " ".join(notes)
