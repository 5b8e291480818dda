"""Writing predictions to disk, atomically (temporary file in the same folder + os.replace).

Layout under an output folder (one sub-folder per kind, files named by image id):

    masks/<id>.png        SmokeSeg palette PNG, 0 background / 1 smoke  (fosp eval --predictions OUT/masks)
    prob/<id>.png         8-bit grayscale smoke probability x 255, marked   (fosp eval --predictions OUT/prob)
                          as such (fosp_core.metrics.prob_png) so no reader takes it for a 0/1 mask
    focus/<id>.png        8-bit grayscale Focus Map x 255
    background/<id>.png   RGB separated background
    overlay/<id>.jpg      RGB image with the mask tinted red (videos: overlay/<video stem>.mp4)
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from fosp_core.infer.gridmap import full_size
from fosp_core.infer.result import NEED_BACKGROUND, NEED_FOCUS, Prediction

SAVE_KINDS: tuple[str, ...] = ("mask", "prob", "focus", "background", "overlay")
_FOLDERS = {"mask": "masks", "prob": "prob", "focus": "focus", "background": "background", "overlay": "overlay"}
_SUFFIX = {"mask": ".png", "prob": ".png", "focus": ".png", "background": ".png", "overlay": ".jpg"}


class OutputWriteError(Exception):
    """An output file could not be written (the path and the reason)."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        # the atomic writer's reason starts "cannot write: ", as this message does: said once
        self.reason = reason.removeprefix("cannot write: ")
        reason = self.reason
        super().__init__(f"cannot write {self.path}: {reason}")


def parse_save(text: str) -> tuple[str, ...]:
    """"mask,prob" -> ("mask", "prob"); raises ValueError naming unknown kinds."""
    kinds = tuple(dict.fromkeys(k.strip().lower() for k in text.split(",") if k.strip()))
    aliases = {"masks": "mask", "probability": "prob", "bg": "background", "focus_map": "focus"}
    kinds = tuple(dict.fromkeys(aliases.get(k, k) for k in kinds))
    unknown = [k for k in kinds if k not in SAVE_KINDS]
    if unknown or not kinds:
        raise ValueError(f"--save: unknown {', '.join(unknown) or 'empty list'}; choose from {','.join(SAVE_KINDS)}")
    return kinds


def needs_for(kinds: tuple[str, ...]) -> frozenset[str]:
    """Predictor `need` set for the requested output kinds."""
    need = set()
    if "focus" in kinds:
        need.add(NEED_FOCUS)
    if "background" in kinds:
        need.add(NEED_BACKGROUND)
    return frozenset(need)


def output_path(out_dir: Path, kind: str, image_id: str) -> Path:
    return out_dir / _FOLDERS[kind] / f"{image_id}{_SUFFIX[kind]}"


def output_name_problem(path: Path) -> str | None:
    """On Windows, why an output named after its input file (``con.jpg`` -> ``masks/con.png``) cannot be
    written there (a device's name, a ``:`` ...: the OS's words name nothing useful, or the write goes to
    the device), else None; None elsewhere, where such a name is a file like any other."""
    from fosp_core.windows_names import on_windows, windows_name_problem

    if not on_windows() or (problem := windows_name_problem(path.name)) is None:
        return None
    return f"{problem}; the name comes from the input file: rename it (a copy) to predict it"


def video_overlay_path(out_dir: Path, video: Path) -> Path:
    return out_dir / _FOLDERS["overlay"] / f"{video.stem}.mp4"


def kind_folder(out_dir: Path, kind: str) -> Path:
    return out_dir / _FOLDERS[kind]


def atomic_write(path: Path, data: bytes) -> None:
    """Write bytes through a temporary file next to `path`; no partial file is ever left behind."""
    from fosp_core.io.masks import atomic_write_bytes

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, data, error=OutputWriteError)


def _encode(ext: str, image: np.ndarray, params: list[int] | None = None) -> bytes:
    ok, buf = cv2.imencode(ext, image, params or [])
    if not ok:
        raise OutputWriteError(Path(f"<{ext}>"), "image encoding failed")
    return buf.tobytes()


def to_gray8(values: np.ndarray) -> np.ndarray:
    """float [0, 1] (H, W) -> uint8 (H, W), value x 255 rounded."""
    return np.clip(np.rint(values * 255.0), 0, 255).astype(np.uint8)


def write_prediction(out_dir: Path, image_id: str, rgb: np.ndarray, pred: Prediction,
                     kinds: tuple[str, ...], threshold: float, keep: str = "plain") -> list[Path]:
    """Write the requested kinds ("overlay" as a JPEG here; videos use OverlayVideoWriter).
    The mask and overlay are `pred.mask(threshold, keep)`; "prob" is the raw probability.
    Returns the paths written. Raises OutputWriteError (or MaskWriteError) when a file cannot be written,
    on Windows before any is written when the id is a name no file may have there (`output_name_problem`)."""
    from fosp_core.io.masks import MaskWriteError, write_mask_png

    written: list[Path] = []
    first = output_path(out_dir, kinds[0], image_id) if kinds else None  # every kind's name is the id's
    if first is not None and (problem := output_name_problem(first)) is not None:
        raise OutputWriteError(first, problem)  # before any is written (Windows only)
    for kind in kinds:
        path = output_path(out_dir, kind, image_id)
        if kind == "mask":
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                write_mask_png(path, pred.mask(threshold, keep))
            except MaskWriteError as exc:
                raise OutputWriteError(path, getattr(exc, "reason", str(exc))) from exc
        elif kind == "prob":  # marked: a map of 0s and 1s (all under 1.5/255) is no 0/1 mask
            from fosp_core.metrics.prob_png import mark_probability

            atomic_write(path, mark_probability(_encode(".png", to_gray8(pred.probability))))
        elif kind == "focus":
            if pred.focus_map is None:
                continue  # models without a Focus module (SegFormer)
            atomic_write(path, _encode(".png", to_gray8(full_size(pred.focus_map))))
        elif kind == "background":
            if pred.background is None:
                continue
            atomic_write(path, _encode(".png", cv2.cvtColor(full_size(pred.background), cv2.COLOR_RGB2BGR)))
        elif kind == "overlay":
            from fosp_core.infer.video import overlay

            img = overlay(rgb, pred.mask(threshold, keep))
            atomic_write(path, _encode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90]))
        written.append(path)
    return written
