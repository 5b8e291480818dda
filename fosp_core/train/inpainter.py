"""Inpainter pre-training (`fosp train-inpainter`): masked reconstruction of smoke-free pixels.

The Separation module needs an inpainter that fills a hole with plausible *background*. It is
trained here on real images with free-form (brush-stroke) and block holes, and the loss never
rewards painting smoke: labelled smoke (grown by `inpainter.smoke_dilate` pixels, so soft plume
edges count too) and ignore/padding pixels are excluded from the targets, inside and outside the
hole. Loss (on the [-1, 1] scale): mean L1 over valid hole pixels + `valid_weight` x mean L1 over
valid known pixels.

Validation: the first `inpainter.val_images` validation images (long side `train.val_size`) with
fixed seeded holes; reported as `hole_l1` (mean absolute error of valid hole pixels, 0-255 scale),
`psnr` (dB over the same pixels) and `known_l1`. The best checkpoint (highest `psnr` by default)
is `best.safetensors` in the run folder: inpainter weights and their config in the metadata, the
file `model.inpainter` of a FoSp config takes (loaded frozen).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import torch
from torch import nn

from fosp_core.train.config import Config
from fosp_core.train.data import Source, iter_eval_samples, resize_for_eval
from fosp_core.train.evaluate import unread_line
from fosp_core.train.tasks import Autocast


def random_holes(h: int, w: int, rng: np.random.Generator, kinds: Sequence[str],
                 ratio_range: tuple[float, float]) -> np.ndarray:
    """A uint8 HxW hole mask (1 = missing) covering about U(ratio_range) of the image.

    "freeform": thick random polylines (brush strokes, width 3-12 % of the short side);
    "block": axis-aligned rectangles (sides 10-50 % of the image). Shapes are added until the
    target coverage is reached (at most 30).
    """
    hole = np.zeros((h, w), np.uint8)
    target = float(rng.uniform(*ratio_range))
    short = min(h, w)
    for _ in range(30):
        kind = kinds[int(rng.integers(len(kinds)))]
        if kind == "block":
            bh, bw = int(rng.uniform(0.1, 0.5) * h), int(rng.uniform(0.1, 0.5) * w)
            y, x = int(rng.integers(0, max(1, h - bh))), int(rng.integers(0, max(1, w - bw)))
            hole[y:y + bh, x:x + bw] = 1
        else:
            width = max(2, int(rng.uniform(0.03, 0.12) * short))
            y, x = float(rng.uniform(0, h)), float(rng.uniform(0, w))
            angle = float(rng.uniform(0, 2 * math.pi))
            for _ in range(int(rng.integers(3, 9))):
                angle += float(rng.normal(0, 0.8))
                length = float(rng.uniform(0.1, 0.35) * short)
                ny = float(np.clip(y + length * math.sin(angle), 0, h - 1))
                nx = float(np.clip(x + length * math.cos(angle), 0, w - 1))
                cv2.line(hole, (int(x), int(y)), (int(nx), int(ny)), 1, width)
                cv2.circle(hole, (int(nx), int(ny)), width // 2, 1, -1)
                y, x = ny, nx
        if hole.mean() >= target:
            break
    return hole


def target_weights(masks: torch.Tensor, dilate: int) -> torch.Tensor:
    """1 where a pixel may serve as a reconstruction target: not (dilated) smoke, not ignore/padding.

    masks: int64/uint8 BxHxW 0/1/255 -> float Bx1xHxW.
    """
    smoke = (masks == 1).float()[:, None]
    if dilate > 0:
        k = 2 * dilate + 1
        smoke = torch.nn.functional.max_pool2d(smoke, k, stride=1, padding=dilate)
    return (1.0 - smoke) * (masks != 255).float()[:, None]


def reconstruction_errors(rgb: torch.Tensor, images: torch.Tensor, hole: torch.Tensor,
                          valid: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(mean L1 over valid hole pixels, mean L1 over valid known pixels), per-pixel channel means,
    on the 0-255 scale. All inputs Bx?xHxW float."""
    err = (rgb.float() - images.float()).abs().mean(dim=1, keepdim=True)
    in_hole, known = hole * valid, (1.0 - hole) * valid
    return ((err * in_hole).sum() / in_hole.sum().clamp(min=1.0),
            (err * known).sum() / known.sum().clamp(min=1.0))


class InpainterTask:
    """Trains a standalone `fosp_core.model.inpainter.Inpainter` (see the module doc)."""

    kind = "inpainter"

    def __init__(self, cfg: Config):
        self.cfg = cfg

    def build(self, cfg: Config, log: Callable[[str], None]) -> nn.Module:
        from fosp_core.model.inpainter import Inpainter, InpainterConfig

        icfg = InpainterConfig.from_dict(dict(cfg.inpainter.overrides))
        model = Inpainter(icfg)
        if cfg.model.init_from:
            from fosp_core.train.model_io import StartError, load_inpainter_weights

            path = Path(cfg.model.init_from).expanduser()
            if not path.is_file():
                raise StartError(f"{cfg.source or 'config'}: model.init_from = {cfg.model.init_from!r}: no such file")
            load_inpainter_weights(model, path)
            log(f"inpainter weights from {path}")
        return model

    def prepare_train(self, model: nn.Module) -> None:
        model.train()

    def holes(self, shape: tuple[int, int, int], key: tuple[int, ...]) -> torch.Tensor:
        """Bx1xHxW float holes drawn from a generator seeded by (seed, *key)."""
        b, h, w = shape
        rng = np.random.default_rng([self.cfg.train.seed, 0x1A, *key])
        ic = self.cfg.inpainter
        holes = [random_holes(h, w, rng, ic.hole_kinds, ic.hole_ratio) for _ in range(b)]
        return torch.from_numpy(np.stack(holes)).float()[:, None]

    def loss(self, model: nn.Module, images: torch.Tensor, masks: torch.Tensor,
             key: tuple[int, int, int]) -> tuple[torch.Tensor, dict[str, float]]:
        b, _, h, w = images.shape
        hole = self.holes((b, h, w), key).to(images.device)
        valid = target_weights(masks, self.cfg.inpainter.smoke_dilate)
        out = model(images, hole, need_features=False)
        hole_l1, known_l1 = reconstruction_errors(out.rgb, images, hole, valid)
        total = (hole_l1 + self.cfg.inpainter.valid_weight * known_l1) / 127.5
        return total, {"hole_l1": float(hole_l1.detach()), "known_l1": float(known_l1.detach())}

    @torch.inference_mode()
    def validate(self, model: nn.Module, sources: Sequence[Source], cfg: Config, device: torch.device,
                 autocast: Autocast) -> tuple[dict[str, float], str]:
        was = model.training
        model.eval()
        sums = np.zeros(3)  # abs error sum in holes, squared error sum in holes, pixel count
        known_sum = np.zeros(2)
        n = 0
        unread: list[tuple[str, str]] = []  # (source, why) of the images that could not be read: said
        try:
            for i, (_, sample) in enumerate(iter_eval_samples(sources, cfg.inpainter.val_images, left_out=unread)):
                image = resize_for_eval(sample.image, cfg.train.val_size)
                mask = cv2.resize(sample.mask, image.shape[1::-1], interpolation=cv2.INTER_NEAREST)  # type: ignore[arg-type]
                h, w = mask.shape
                rng = np.random.default_rng([0x5EED, i])
                hole = torch.from_numpy(random_holes(h, w, rng, cfg.inpainter.hole_kinds, cfg.inpainter.hole_ratio))
                x = torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1))).float()[None].to(device)
                hole_t = hole.float()[None, None].to(device)
                valid = target_weights(torch.from_numpy(mask)[None].long(), cfg.inpainter.smoke_dilate).to(device)
                with autocast():
                    out = model(x, hole_t, need_features=False)
                err = (out.rgb.float().clamp(0, 255) - x).abs().mean(dim=1, keepdim=True)
                sq = ((out.rgb.float().clamp(0, 255) - x) ** 2).mean(dim=1, keepdim=True)
                w_hole, w_known = hole_t * valid, (1 - hole_t) * valid
                sums += [float((err * w_hole).sum()), float((sq * w_hole).sum()), float(w_hole.sum())]
                known_sum += [float((err * w_known).sum()), float(w_known.sum())]
                n += 1
        finally:
            model.train(was)
        hole_l1 = sums[0] / max(sums[2], 1.0)
        mse = sums[1] / max(sums[2], 1.0)
        psnr = 10 * math.log10(255.0**2 / mse) if mse > 0 else float("inf")
        metrics = {"hole_l1": round(float(hole_l1), 4), "psnr": round(float(psnr), 3),
                   "known_l1": round(float(known_sum[0] / max(known_sum[1], 1.0)), 4), "images": n}
        table = (f"inpainter reconstruction on {n} held-out images (fixed holes, smoke excluded): "
                 f"hole L1 {hole_l1:.2f}/255, PSNR {psnr:.2f} dB, known L1 {metrics['known_l1']:.2f}/255"
                 + unread_line([f"{source}: {why}" for source, why in unread]))
        return metrics, table

    def save_weights(self, model: nn.Module, path: Path, metadata: dict[str, Any]) -> None:
        save_inpainter(model, path, metadata)


def save_inpainter(model: nn.Module, path: Path, metadata: dict[str, Any] | None = None) -> None:
    """Atomically write inpainter weights with `fosp_core.checkpoint.save_checkpoint` (kind "inpainter",
    its config in the metadata): the file `model.inpainter` of a FoSp recipe takes."""
    from fosp_core.train.model_io import save_weights

    save_weights(model, path, metadata)
