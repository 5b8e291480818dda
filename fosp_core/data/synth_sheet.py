"""Contact sheets of synthetic samples, for judging the realism of `fosp_core.data.synth` output."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from fosp_core.data.types import Sample


def make_contact_sheet(samples: Sequence[Sample], *, cols: int = 4, tile: int = 256) -> np.ndarray:
    """Contact sheet (RGB uint8) of synthetic samples for judging realism.

    Each tile: the composite downscaled to `tile` px with a thin outline of the mask (red) and its
    delta, above a strip that shows the plume region at native resolution with no outline.
    """
    tiles = []
    for smp in samples:
        img, mask = smp.image, (smp.mask == 1).astype(np.uint8)
        h, w = img.shape[:2]
        top = cv2.resize(img, (tile, tile * h // w), interpolation=cv2.INTER_AREA)
        small = cv2.resize(mask, (top.shape[1], top.shape[0]), interpolation=cv2.INTER_NEAREST)
        contours, _ = cv2.findContours(small, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        top = np.ascontiguousarray(top)
        cv2.drawContours(top, contours, -1, (255, 40, 40), 1, cv2.LINE_AA)
        label = f"d={100 * smp.smoke_ratio():.2f}%"
        cv2.rectangle(top, (0, 0), (8 + 8 * len(label), 16), (0, 0, 0), -1)
        cv2.putText(top, label, (3, 12), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (255, 255, 255), 1, cv2.LINE_AA)
        sh = tile // 2
        ys, xs = np.nonzero(mask)
        cy, cx = (int(ys.mean()), int(xs.mean())) if len(ys) else (h // 2, w // 2)
        y0 = int(np.clip(cy - sh // 2, 0, max(h - sh, 0)))
        x0 = int(np.clip(cx - tile // 2, 0, max(w - tile, 0)))
        strip = np.zeros((sh, tile, 3), np.uint8)
        crop = img[y0 : y0 + sh, x0 : x0 + tile]
        strip[: crop.shape[0], : crop.shape[1]] = crop
        tiles.append(np.concatenate([top, np.full((2, tile, 3), 255, np.uint8), strip], axis=0))
    if not tiles:
        return np.zeros((tile, tile, 3), np.uint8)
    th = max(t.shape[0] for t in tiles)
    blank = np.full((th, tile, 3), 255, np.uint8)
    rows = []
    for r in range(0, len(tiles), cols):
        row = [np.pad(t, ((0, th - t.shape[0]), (0, 0), (0, 0)), constant_values=255) for t in tiles[r : r + cols]]
        row += [blank] * (cols - len(row))
        sep = np.full((th, 4, 3), 255, np.uint8)
        rows.append(np.concatenate([x for t in row for x in (t, sep)][:-1], axis=1))
        rows.append(np.full((4, rows[-1].shape[1], 3), 255, np.uint8))
    return np.concatenate(rows[:-1], axis=0)
