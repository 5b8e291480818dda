"""A tiny stand-in with the FoSp calling convention (encode/decode, FoSpOutput-like result) that
counts its calls, so predictor logic (caching, tau, OOM retries) is tested in milliseconds.
The real model is exercised in test_infer_predictor.py."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class FakeOutput:
    logits: torch.Tensor
    focus_logits: torch.Tensor | None = None
    hole: torch.Tensor | None = None
    background: torch.Tensor | None = None
    foreground: list[torch.Tensor] = field(default_factory=list)
    side_logits: dict[str, torch.Tensor] = field(default_factory=dict)


class FakeFoSp(nn.Module):
    """Local (conv-only) so a tiled run of an image that fits one tile equals a direct run."""

    tau = 0.15

    def __init__(self, seed: int = 0) -> None:
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.stem = nn.Conv2d(3, 8, 4, stride=4)
        self.head = nn.Conv2d(8, 1, 3, padding=1)
        self.focus = nn.Conv2d(8, 1, 1)
        with torch.no_grad():
            for p in self.parameters():
                p.copy_(torch.randn(p.shape, generator=g) * 0.3)
        self.encode_calls = 0
        self.decode_calls = 0
        self.batch_sizes: list[int] = []

    def encode(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        self.encode_calls += 1
        self.batch_sizes.append(x.shape[0])
        f4 = torch.tanh(self.stem((x - 120.0) / 60.0))
        focus = self.focus(F.avg_pool2d(f4, 4))
        return {"f4": f4, "focus": focus}

    def decode(self, x: torch.Tensor, enc: dict[str, torch.Tensor], tau: float = 0.15,
               with_background: bool = True) -> FakeOutput:
        self.decode_calls += 1
        fm = torch.sigmoid(enc["focus"])
        hole16 = (fm > tau).float()
        hole = F.interpolate(hole16, size=x.shape[-2:], mode="nearest")
        f4 = enc["f4"] * (1 + F.interpolate(hole16, size=enc["f4"].shape[-2:], mode="nearest"))
        logits = self.head(f4)
        fg = [F.avg_pool2d(f4, k) for k in (8, 4, 2, 1)]
        side = {"g32": F.avg_pool2d(logits, 8), "g16": F.avg_pool2d(logits, 4), "g8": F.avg_pool2d(logits, 2),
                "g4": logits}
        bg = x * (1 - hole) if with_background else None
        return FakeOutput(logits, enc["focus"], hole, bg, fg, side)

    def forward(self, x: torch.Tensor) -> FakeOutput:
        return self.decode(x, self.encode(x))


def test_fake_model_shapes() -> None:
    m = FakeFoSp()
    out = m(torch.zeros(2, 3, 64, 96))
    assert out.logits.shape == (2, 1, 16, 24) and out.focus_logits.shape == (2, 1, 4, 6)
    assert out.background.shape == (2, 3, 64, 96)
