"""Whole-mask tools over an `AnnotationDocument`: threshold, accept prediction, clean-up.

Each function is one undo step and changes only pixels whose value differs (the document stores
only changed tiles). Masks are uint8 (H, W), 0 background, 1 smoke, 255 ignore; probability maps
float32 (H, W) in [0, 1]. Clean-up operations work on the smoke class and leave ignore (255)
pixels as they are. Every function returns True when the mask changed.
"""

from __future__ import annotations

import cv2
import numpy as np

from fosp_core.annotation.document import AnnotationDocument, Status
from fosp_core.annotation.history import Patch, Rect, bounding_box, clip_rect, union_rect
from fosp_core.annotation.prediction_profile import PredictionProfile
from fosp_core.annotation.prepared import PreparedStep, tile_patches
from fosp_core.data.types import BACKGROUND, IGNORE, SMOKE

__all__ = [
    "accept_prediction",
    "copy_mask",
    "dilate",
    "erode",
    "fill_holes",
    "prediction_bounds",
    "prediction_mask",
    "prediction_step",
    "remove_specks",
    "smooth",
    "threshold_to_mask",
]


def _probability(doc: AnnotationDocument) -> np.ndarray:
    if doc.probability is None:
        raise ValueError("this tool needs the document's probability map (run the model first)")
    return doc.probability


def prediction_bounds(probability: np.ndarray, threshold: float = 0.5, *,
                      profile: PredictionProfile | None = None) -> Rect | None:
    """Bounding (y0, y1, x0, x1) of the pixels where p > threshold of a float (H, W) probability, or
    None where there is none. Reads the map as row and column maxima (no full-size temporary), or
    takes them from `profile` (the map's `PredictionProfile`, read once for every threshold: the
    same answer without reading the map); a NaN in the maxima (NaN > threshold is False, but a row's
    max with a NaN is NaN) falls back to the comparison."""
    probability = np.asanyarray(probability)
    if profile is not None and profile.shape == probability.shape and not profile.has_nan:
        return profile.bounds(threshold)
    row_max = probability.max(axis=1)
    if np.isnan(row_max).any():
        return bounding_box(probability > threshold)
    rows = np.flatnonzero(row_max > threshold)
    if rows.size == 0:
        return None
    y0, y1 = int(rows[0]), int(rows[-1]) + 1
    cols = np.flatnonzero(probability[y0:y1].max(axis=0) > threshold)
    return (y0, y1, int(cols[0]), int(cols[-1]) + 1)


def _nonzero_bounds(mask: np.ndarray) -> Rect | None:
    """Bounding rectangle of the non-zero pixels of a uint8 (H, W) mask (smoke or ignore), or None
    (row and column maxima: no full-size temporary)."""
    rows = np.flatnonzero(mask.max(axis=1))
    if rows.size == 0:
        return None
    y0, y1 = int(rows[0]), int(rows[-1]) + 1
    cols = np.flatnonzero(mask[y0:y1].max(axis=0))
    return (y0, y1, int(cols[0]), int(cols[-1]) + 1)


def prediction_mask(probability: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """uint8 (H, W) mask from a float (H, W) probability: 1 where p > threshold, else 0 (compared
    only inside :func:`prediction_bounds`)."""
    probability = np.asarray(probability)
    out = np.zeros(probability.shape, np.uint8)
    rect = prediction_bounds(probability, threshold)
    if rect is not None:
        y0, y1, x0, x1 = rect
        out[y0:y1, x0:x1] = probability[y0:y1, x0:x1] > threshold
    return out


def threshold_to_mask(doc: AnnotationDocument, threshold: float, rect: Rect | None = None) -> bool:
    """Inside `rect` (y0, y1, x0, x1; None = whole image) set smoke where p > threshold and background
    elsewhere, keeping ignore pixels. Over the whole image of a document whose mask only a model made
    (UNLABELED or PREDICTED) the mask is the model's again: the status is PREDICTED, as Accept Prediction
    leaves it, in the same undo step (EDITED would make it a person's label: ground truth to Compare,
    passed over by Pre-label's replacing); an EDITED document stays EDITED and a REVIEWED one becomes EDITED,
    as by any edit (the document's own rule: a person's mask, changed since its review)."""
    prob = _probability(doc)
    area = clip_rect(rect or (0, doc.height, 0, doc.width), doc.shape)
    if area is None:
        return False
    y0, y1, x0, x1 = area
    old = doc.mask[y0:y1, x0:x1]
    new = np.where(old == IGNORE, IGNORE, prob[y0:y1, x0:x1] > threshold).astype(np.uint8)
    changed = new != old
    if not changed.any():
        return False
    model_only = rect is None and doc.status in (Status.UNLABELED, Status.PREDICTED)
    with doc.history_block("threshold to mask"):
        doc.apply_patch(area, new, changed, label="threshold to mask")
        if model_only:
            doc.set_status(Status.PREDICTED)
    return True


def accept_prediction(doc: AnnotationDocument, threshold: float = 0.5, *,
                      profile: PredictionProfile | None = None) -> bool:
    """Replace the whole mask by the model's prediction (p > threshold), ignore pixels included; the
    image is then PREDICTED (its mask comes from the model, nobody edited it), in the same undo step.

    An UNLABELED image is recorded even when the mask does not change (the model saw no smoke, the
    mask is all background): accepting says "smoke-free", so the step sets PREDICTED, the project
    saves the empty mask and the export includes the image. An image already labelled whose mask
    equals the prediction keeps its status (nothing to record). Returns whether a step was recorded.
    `profile`: the probability map's `PredictionProfile` when one was read already (the app reads
    it on a worker when the prediction arrives), so the map is read only inside the box that
    changes; the result is the same without it. The step is `prediction_step`'s, committed at once
    (the app prepares it on a worker for a huge photo); inside an open step it joins that step.
    """
    probability = _probability(doc)
    if doc.in_step:
        with doc.history_block("accept prediction"):
            changed = _take_prediction(doc, probability, threshold, profile)
            if changed or doc.status == Status.UNLABELED:
                doc.set_status(Status.PREDICTED)
                changed = True
        return changed
    step = prediction_step(doc.mask, probability, threshold, version=doc.mask_version, status=doc.status,
                           profile=profile)
    return step is not None and doc.commit_prepared(step)


def prediction_step(mask: np.ndarray, probability: np.ndarray, threshold: float, *, version: int,
                    status: Status, profile: PredictionProfile | None = None) -> PreparedStep | None:
    """Accept Prediction's undo step for a document whose uint8 (H, W) `mask` is at `version` with
    `status`: the patches that set it to ``probability > threshold`` (0/1, ignore pixels included)
    and the status PREDICTED; None when there is nothing to record (no pixel changes and the image
    is labelled already). Only reads `mask` and the float (H, W) `probability` (and only inside the
    union of the prediction's and the mask's bounding boxes: outside it both are 0), so a worker
    may prepare it while the GUI thread goes on; `AnnotationDocument.commit_prepared` records it."""
    area = union_rect(prediction_bounds(probability, threshold, profile=profile), _nonzero_bounds(mask))
    patches: list[Patch] = []
    values = None
    if area is not None:
        y0, y1, x0, x1 = area
        new = (probability[y0:y1, x0:x1] > threshold).view(np.uint8)
        patches = tile_patches(mask, area, new)
        changed = PreparedStep("", version, tuple(patches)).rect
        if changed is not None:  # written whole when it lands (its unchanged pixels get their own value)
            values = new[changed[0] - y0:changed[1] - y0, changed[2] - x0:changed[3] - x0]
    if not patches and status != Status.UNLABELED:
        return None
    return PreparedStep("accept prediction", version, tuple(patches), Status.PREDICTED, values)


def _take_prediction(doc: AnnotationDocument, probability: np.ndarray, threshold: float,
                     profile: PredictionProfile | None = None) -> bool:
    """Set the mask to ``p > threshold`` (0/1, ignore pixels included) as ``replace_mask`` would:
    the same pixels, the same changed rectangle, one patch. Outside the union of the prediction's
    and the mask's bounding boxes both are 0, so only that union is compared; inside it the changed
    rectangle is written whole (its unchanged pixels get their own value), a copy instead of a
    masked assignment."""
    mask = doc.mask
    area = union_rect(prediction_bounds(probability, threshold, profile=profile), _nonzero_bounds(mask))
    if area is None:
        return False
    y0, y1, x0, x1 = area
    new = (probability[y0:y1, x0:x1] > threshold).view(np.uint8)
    changed = bounding_box(new != mask[y0:y1, x0:x1])
    if changed is None:
        return False
    cy0, cy1, cx0, cx1 = changed
    doc.apply_patch((y0 + cy0, y0 + cy1, x0 + cx0, x0 + cx1), new[cy0:cy1, cx0:cx1], label="accept prediction")
    return True


def copy_mask(doc: AnnotationDocument, mask: np.ndarray, *, source: str = "another image") -> bool:
    """Replace the whole mask by `mask` (0/1/255, the document's size), e.g. the previous frame's
    as a starting point for this one. A mask of another size raises ValueError naming `source`."""
    mask = np.asarray(mask)
    if mask.shape != doc.shape:
        raise ValueError(f"the mask of {source} is {mask.shape[1]}×{mask.shape[0]} px and this image is "
                         f"{doc.shape[1]}×{doc.shape[0]} px")
    return doc.replace_mask(mask.astype(np.uint8, copy=True), label="copy mask")


def _with_smoke(mask: np.ndarray, smoke: np.ndarray) -> np.ndarray:
    """`mask` with its 0/1 pixels set from bool `smoke`; ignore pixels kept."""
    return np.where(mask == IGNORE, IGNORE, smoke).astype(np.uint8)


def fill_holes(doc: AnnotationDocument, max_area: int | None = None) -> bool:
    """Fill holes in the smoke: 4-connected regions of non-smoke pixels that do not touch the image
    border (at most `max_area` pixels when given). Their background pixels become smoke; ignore
    pixels inside stay ignore."""
    rect = _smoke_window(doc, 1)  # holes lie inside the smoke's bounding box; outside is one border ring
    if rect is None:
        return False
    y0, y1, x0, x1 = rect
    window = doc.mask[y0:y1, x0:x1]
    non_smoke = (window != SMOKE).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(non_smoke, connectivity=4)
    if count <= 1:
        return False
    is_hole = np.ones(count, bool)
    is_hole[0] = False  # label 0 = smoke pixels
    for edge in (labels[0], labels[-1], labels[:, 0], labels[:, -1]):
        is_hole[np.unique(edge)] = False
    if max_area is not None:
        is_hole &= stats[:, cv2.CC_STAT_AREA] <= max_area
    if not is_hole.any():
        return False
    new = window.copy()
    new[is_hole[labels] & (window == BACKGROUND)] = SMOKE
    return _apply_window(doc, rect, new, "fill holes")


def remove_specks(doc: AnnotationDocument, min_pixels: int, value: int = SMOKE) -> bool:
    """Remove 8-connected regions of `value` (smoke by default; 255 for ignore specks) smaller than
    `min_pixels`, setting them to background."""
    rect = _value_window(doc, value)
    if rect is None:
        return False
    y0, y1, x0, x1 = rect
    window = doc.mask[y0:y1, x0:x1]
    count, labels, stats, _ = cv2.connectedComponentsWithStats((window == value).astype(np.uint8),
                                                               connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] < min_pixels
    small[0] = False  # label 0 = everything else
    if not small.any():
        return False
    new = window.copy()
    new[small[labels]] = BACKGROUND
    return _apply_window(doc, rect, new, "remove specks")


def _disk(px: int) -> np.ndarray:
    """uint8 (2px+1, 2px+1) disc: offsets with dx^2 + dy^2 <= px^2, the brush's footprint (OpenCV's
    MORPH_ELLIPSE is wider: for px = 2 it holds (2, 1), 2.24 px away)."""
    d = np.arange(-px, px + 1)
    return (d[:, None] ** 2 + d[None, :] ** 2 <= px * px).astype(np.uint8)


def _smoke_window(doc: AnnotationDocument, margin: int) -> Rect | None:
    """Bounding rectangle of the smoke grown by `margin` (clipped), or None without smoke: the
    morphological tools only need to look there (early smoke is small in a large image)."""
    return _value_window(doc, SMOKE, margin)


def _value_window(doc: AnnotationDocument, value: int, margin: int = 0) -> Rect | None:
    smoke = doc.mask == value
    rows = np.flatnonzero(smoke.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(smoke[rows[0]:rows[-1] + 1].any(axis=0))
    return clip_rect((int(rows[0]) - margin, int(rows[-1]) + 1 + margin,
                      int(cols[0]) - margin, int(cols[-1]) + 1 + margin), doc.shape)


def _apply_window(doc: AnnotationDocument, rect: Rect, new: np.ndarray, label: str) -> bool:
    y0, y1, x0, x1 = rect
    changed = new != doc.mask[y0:y1, x0:x1]
    if not changed.any():
        return False
    doc.apply_patch(rect, new, changed, label=label)
    return True


def dilate(doc: AnnotationDocument, px: int) -> bool:
    """Grow the smoke by `px` pixels (disk) into background; ignore pixels are not overwritten."""
    rect = _smoke_window(doc, px + 1) if px > 0 else None
    if rect is None:
        return False
    y0, y1, x0, x1 = rect
    window = doc.mask[y0:y1, x0:x1]
    grown = cv2.dilate((window == SMOKE).astype(np.uint8), _disk(px)).astype(bool)
    return _apply_window(doc, rect, _with_smoke(window, grown), f"dilate {px}px")


def erode(doc: AnnotationDocument, px: int) -> bool:
    """Shrink the smoke by `px` pixels (disk); freed pixels become background. The image border does
    not erode the smoke (pixels outside count as smoke)."""
    rect = _smoke_window(doc, 1) if px > 0 else None
    if rect is None:
        return False
    y0, y1, x0, x1 = rect
    window = doc.mask[y0:y1, x0:x1]
    shrunk = cv2.erode((window == SMOKE).astype(np.uint8), _disk(px), borderType=cv2.BORDER_REPLICATE)
    return _apply_window(doc, rect, _with_smoke(window, shrunk.astype(bool)), f"erode {px}px")


def smooth(doc: AnnotationDocument, px: float) -> bool:
    """Smooth the smoke outline: Gaussian blur of the smoke indicator (sigma = `px`), kept where >= 0.5.
    Removes jags and details smaller than about `px`; ignore pixels kept."""
    rect = _smoke_window(doc, int(np.ceil(4 * px)) + 1) if px > 0 else None
    if rect is None:
        return False
    y0, y1, x0, x1 = rect
    window = doc.mask[y0:y1, x0:x1]
    smoke = (window == SMOKE).astype(np.float32)
    blurred = cv2.GaussianBlur(smoke, (0, 0), sigmaX=float(px), borderType=cv2.BORDER_REPLICATE)
    return _apply_window(doc, rect, _with_smoke(window, blurred >= 0.5), "smooth")
