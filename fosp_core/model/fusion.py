"""Domain Fusion module, paper section 3.4 and Fig. 4.

Coarse to fine, stage k = 1..4 over strides 32, 16, 8, 4: the origin feature enhanced by the Focus Map
(f * FM + f), the registered foreground feature of that stride and the previous fusion output
(resized to this stride) are concatenated and fused by an "MLP" (1x1 conv + BN + ReLU) to 256*k
channels. Then 1x1 conv (1024 -> 256) + BN + ReLU, dropout 0.1 and a 1x1 classifier give one smoke
logit at stride 4.

Computation: a 1x1 conv over cat(a, b, up(prev)) equals W_ab * cat(a, b) + up(W_p * prev) exactly for
bilinear upsampling, so the wide previous-fusion term is computed at the coarser stride. Parameters
and state-dict are those of the plain concat-then-conv form (``stages.{k}.conv.weight``).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from fosp_core.model.ops import ConvBNReLU, conv1x1, resize

__all__ = ["DomainFusion"]


class DomainFusion(nn.Module):
    """``forward(origin, foreground)``: both lists [s4, s8, s16, s32] with the backbone widths
    ``in_channels`` = (C4, C8, C16, C32); returns logits (B, 1, H4, W4) at stride 4.
    """

    def __init__(
        self, in_channels: tuple[int, int, int, int], channels: int = 256, dropout: float = 0.1,
        norm: str = "bn",
    ) -> None:
        super().__init__()
        coarse_to_fine = list(reversed(in_channels))
        self.stages = nn.ModuleList(
            ConvBNReLU(2 * c + channels * k, channels * (k + 1), norm) for k, c in enumerate(coarse_to_fine)
        )
        self.final = ConvBNReLU(channels * len(coarse_to_fine), channels, norm)
        self.dropout = nn.Dropout2d(dropout)
        self.classifier = nn.Conv2d(channels, 1, 1)

    def _folded(self, stage: ConvBNReLU) -> tuple[Tensor, Tensor | None]:
        if stage.training or not stage.foldable:
            return stage.conv.weight[:, :, 0, 0], None
        return stage.folded()  # BN folded into the conv (eval)

    def forward(self, origin: list[Tensor], foreground: list[Tensor]) -> Tensor:
        prev: Tensor | None = None
        n = len(origin)
        # the tiled last stage needs the norms folded into the convs (BatchNorm in eval mode)
        tiled = not torch.is_grad_enabled() and not self.training and self.final.foldable
        for k, stage in enumerate(self.stages):
            a, b = origin[n - 1 - k], foreground[n - 1 - k]
            weight, bias = self._folded(stage)
            c = a.shape[1] + b.shape[1]
            w_ab, w_prev = weight[:, :c].contiguous(), weight[:, c:].contiguous()
            ab = torch.cat([a, b], dim=1)
            if prev is None:
                z = conv1x1(ab, w_ab, bias)
            else:
                # the (folded) bias rides on the coarse term: resizing a constant keeps it constant
                coarse = conv1x1(prev, w_prev, bias)
                if tiled and k == n - 1:
                    return self._last_stage_tiled(ab, w_ab, coarse)
                z = conv1x1(ab, w_ab).add_(resize(coarse, ab.shape[-2:]))
            if bias is None:
                z = stage.bn(z)
            prev = torch.relu_(z)
        assert prev is not None
        final = self.final(prev)
        return conv1x1(self.dropout(final), self.classifier.weight, self.classifier.bias)

    def _last_stage_tiled(self, ab: Tensor, w_ab: Tensor, coarse: Tensor) -> Tensor:
        """Inference path of the finest stage + final conv + classifier, in bands of rows.

        The widest map (256*4 channels at stride 4) then never exists whole: each band stays in cache
        and no huge buffer is allocated. Bilinear resizing is separable: rows are blended here with
        PyTorch's source-index rule, columns by ``F.interpolate`` (rows unchanged), which matches the
        untiled path up to float rounding.
        """
        bsz, c_ab, h4, w4 = ab.shape
        h8, w8, cz = coarse.shape[2], coarse.shape[3], coarse.shape[1]
        ab_hwc = ab.permute(0, 2, 3, 1).contiguous()  # (B, H4, W4, C): a view for channels-last input
        coarse_hwc = coarse.permute(0, 2, 3, 1).contiguous()  # (B, H8, W8, Cz)
        w_final, b_final = self.final.folded()
        w_cls = self.classifier.weight[:, :, 0, 0]
        w_ab_t, w_final_t = w_ab.t().contiguous(), w_final.t().contiguous()
        logits = ab.new_empty((bsz, h4, w4, 1))
        rows = max(1, (1 << 19) // max(1, bsz * w4 * cz // 4))
        scale = h8 / h4
        for r0 in range(0, h4, rows):
            r1 = min(h4, r0 + rows)
            src = ((torch.arange(r0, r1, dtype=torch.float32, device=ab.device) + 0.5) * scale - 0.5).clamp_(min=0.0)
            i0 = src.floor().long().clamp_(max=h8 - 1)
            i1 = (i0 + 1).clamp_(max=h8 - 1)
            lam = (src - i0.to(src.dtype)).to(coarse.dtype).view(1, -1, 1, 1)
            band = coarse_hwc.index_select(1, i0)  # (B, r, W8, Cz)
            band = band.add_(coarse_hwc.index_select(1, i1).sub_(band).mul_(lam))
            if w8 != w4:
                band = F.interpolate(
                    band.permute(0, 3, 1, 2), size=(r1 - r0, w4), mode="bilinear", align_corners=False
                )
                band = band.permute(0, 2, 3, 1)
            n = bsz * (r1 - r0) * w4
            z = torch.mm(ab_hwc[:, r0:r1].reshape(n, c_ab), w_ab_t).add_(band.reshape(n, cz)).relu_()
            y = torch.addmm(b_final, z, w_final_t).relu_()
            logits[:, r0:r1] = F.linear(y, w_cls, self.classifier.bias).view(bsz, r1 - r0, w4, 1)
        return logits.permute(0, 3, 1, 2)
