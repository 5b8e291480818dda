"""The Model panel's choices kept between sessions, in the window's settings (as the tools' and the
worklist's are): the mask threshold, the regions rule, the chosen checkpoint and its Focus τ, the Device,
Precision and Input.

Not kept, the threshold came back as 0.5 after a session at 0.6: the scores kept in the saved summaries
(at 0.6) no longer matched and Run on All ran every image again. A kept checkpoint whose file is gone
falls back to the default model, with a status-bar note saying so; the default model is kept as ""
(whatever the default is then). τ is kept with the checkpoint it was set for and taken back at that
checkpoint's first load only (another checkpoint loads at the τ it was trained at, as before).

A kept GPU is known to be here only once the devices are listed (:mod:`app.analysis.panel_kept_devices`): until
then it waits (:attr:`PanelKept.waits_for_devices`; the controller's first load waits with it), and one that
is not here falls back to "auto" with a note, the kept choice left as it is for a session where it is back. A
kept "cpu" with fp16 (which the panel once offered there) runs at fp32 with a note, and fp32 is kept in its place
(the CPU never computes in fp16: the note once). A kept value this version does not offer (an Input size, a
device name) is ignored.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from app.analysis.panel_kept_devices import KeptDevice, cpu_note, read_kept, settle
from fosp_core.analysis.settings import AnalysisSettings

_KEY = "analysis/"
#: (the settings' field, its key)
_FIELDS = (("threshold", _KEY + "threshold"), ("keep", _KEY + "regions"))
_CHECKPOINT, _TAU, _TAU_FOR = _KEY + "checkpoint", _KEY + "tau", _KEY + "tau_checkpoint"
_DEVICE, _PRECISION, _INPUT = _KEY + "device", _KEY + "precision", _KEY + "input"


class PanelKept:
    """Restores `settings` from `store` (:meth:`restore`) and keeps every later change there."""

    def __init__(self, settings: AnalysisSettings, store: QSettings, default: Path | None) -> None:
        self.settings, self.store, self.default = settings, store, default
        self._tau: tuple[str, float] | None = None  # (checkpoint, τ) to take back at its first load
        self._device: KeptDevice | None = None  # a kept device (and precision) waiting for the devices' list
        self._settling = False  # the kept device's fallback is being set: not stored over the kept choice

    def restore(self) -> str:
        """Set the kept threshold, rule and checkpoint (before the panel binds to them) and keep later
        changes; returns a note for the status bar ("" when none)."""
        s, store = self.settings, self.store
        for name, key in _FIELDS:
            value = store.value(key)
            try:
                if value is not None:
                    getattr(s, f"set_{name}")(float(value) if name == "threshold" else str(value))
            except (TypeError, ValueError):
                pass  # a hand-edited settings file: keep the default
        try:
            s.set_input(str(store.value(_INPUT, s.input)))
        except ValueError:
            pass  # an Input this version does not offer: the default
        device, precision, self._device = read_kept(store.value(_DEVICE), store.value(_PRECISION))
        s.set_device(device or s.device)
        s.set_precision(precision or s.precision)
        note = cpu_note(store.value(_DEVICE), store.value(_PRECISION))  # fp16 kept with the CPU: said once
        if note:
            store.setValue(_PRECISION, s.precision)
        kept = str(store.value(_CHECKPOINT, "") or "")
        if kept and Path(kept).is_file():
            s.set_checkpoint(Path(kept))
        elif kept:
            fallback = f"the default model ({self.default.name})" if self.default else "no model"
            note = " ".join(n for n in (note, f"The model last used, {kept}, was not found: using {fallback}.") if n)
        try:
            tau_for, tau = str(store.value(_TAU_FOR, "") or ""), store.value(_TAU)
            if tau_for and tau is not None and s.checkpoint is not None and tau_for == str(s.checkpoint):
                self._tau = (tau_for, float(tau))
        except (TypeError, ValueError):
            pass
        s.events.changed.connect(self._store)
        return note

    @property
    def waits_for_devices(self) -> bool:
        """Whether the kept device (or precision) waits for the devices' list (:meth:`devices_known`)."""
        return self._device is not None

    def devices_known(self, listed: list[str] | None) -> str:
        """The devices are `listed` (names; None: not yet): set the kept device and precision waiting for them,
        or what is here in place of one that is not; returns a note for the status bar ("" when none)."""
        kept = self._device
        if kept is None or listed is None:
            return ""
        self._device = None
        device, precision, note = settle(kept, listed)
        self._settling = bool(note)  # a fallback: the kept choice stays for a session where it is back
        try:
            self.settings.set_device(device)
            self.settings.set_precision(precision)
        finally:
            self._settling = False
        return note

    def first_tau(self, checkpoint: Path | None, trained: float) -> float:
        """The τ to set as `checkpoint` loads in place of the one it was trained at: the kept one at the
        first load of the checkpoint it was kept for (once)."""
        kept, self._tau = self._tau, None
        return kept[1] if kept is not None and checkpoint is not None and kept[0] == str(checkpoint) else trained

    def _store(self, name: str) -> None:
        s, store = self.settings, self.store
        if name == "threshold":
            store.setValue(_KEY + "threshold", s.threshold)
        elif name == "keep":
            store.setValue(_KEY + "regions", s.keep)
        elif name == "checkpoint":
            chosen = s.checkpoint
            store.setValue(_CHECKPOINT, "" if chosen is None or chosen == self.default else str(chosen))
        elif name in ("device", "precision", "input"):
            if name == "device":
                self._device = None  # chosen now: no kept one waits any more
            if not self._settling:
                store.setValue({"device": _DEVICE, "precision": _PRECISION, "input": _INPUT}[name], getattr(s, name))
        elif name == "tau" and s.checkpoint is not None:
            store.setValue(_TAU, s.tau)
            store.setValue(_TAU_FOR, str(s.checkpoint))
