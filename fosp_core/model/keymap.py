"""Key maps from foreign MiT checkpoints onto ``MixVisionTransformer`` keys (like timm's
``checkpoint_filter_fn``).

Accepted namings (ImageNet MiT weights as users own them):

* Hugging Face files (``nvidia/mit-b*`` on the Hub, or anything written by ``save_pretrained``):
  ``[segformer.]encoder.patch_embeddings.{i}.{proj,layer_norm}``,
  ``[segformer.]encoder.block.{i}.{j}.{layer_norm_1,attention.self.{query,key,value,sr,layer_norm},
  attention.output.dense,layer_norm_2,mlp.{dense1,dwconv.dwconv,dense2}}``,
  ``[segformer.]encoder.layer_norm.{i}``; a ``classifier.*`` or ``decode_head.*`` is dropped.
* transformers >= 5 in-memory names (``stages.{i}.blocks.{j}.attention.q_proj`` ...), in case a
  user saved a raw ``state_dict()``.
* mmseg (``mit_b*_2022*.pth``): ``[backbone.]layers.{i}.0.{projection,norm}``,
  ``layers.{i}.1.{j}.{norm1,attn.attn.{in_proj_weight,in_proj_bias,out_proj},attn.sr,attn.norm,norm2,
  ffn.layers.{0,1,4}}``, ``layers.{i}.2``.
* official NVlabs (``mit_b*.pth``): ``patch_embed{n}.{proj,norm}``, ``block{n}.{j}.{norm1,attn.{q,kv,
  proj,sr,norm},norm2,mlp.{fc1,dwconv.dwconv,fc2}}``, ``norm{n}``, ``head.*`` (dropped).

The result is a state dict for the backbone (keys relative to the backbone module).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from torch import Tensor

__all__ = ["detect_mit_format", "map_mit_state_dict"]

_STRIP_PREFIXES = ("module.", "model.", "segformer.", "backbone.", "encoder.")


def detect_mit_format(keys: list[str]) -> str:
    """One of ``fosp``, ``hf``, ``hf5``, ``mmseg``, ``official``; raises ValueError otherwise."""
    joined = "\n".join(keys)
    if re.search(r"(^|\.)patch_embeddings\.\d+\.proj\.", joined, re.M) and "attention.self." in joined:
        return "hf"
    if re.search(r"(^|\.)stages\.\d+\.blocks\.\d+\.attention\.q_proj\.", joined, re.M):
        return "hf5"
    if re.search(r"(^|\.)stages\.\d+\.blocks\.\d+\.attention\.query\.", joined, re.M):
        return "fosp"
    if re.search(r"(^|\.)layers\.\d+\.1\.\d+\.attn\.attn\.in_proj_weight", joined, re.M):
        return "mmseg"
    if re.search(r"(^|\.)block\d\.\d+\.attn\.q\.weight", joined, re.M):
        return "official"
    raise ValueError(
        "not a MiT checkpoint this project knows: expected Hugging Face "
        "('encoder.block.0.0.attention.self.query.weight'), mmseg ('layers.0.1.0.attn.attn.in_proj_weight') "
        f"or official ('block1.0.attn.q.weight') key names; first keys: {keys[:5]}"
    )


def _strip(key: str, anchor: str) -> str | None:
    """Drop any prefix before the first occurrence of ``anchor`` (a regex); None if absent."""
    m = re.search(anchor, key)
    return None if m is None else key[m.start() :]


def _map_hf(sd: Mapping[str, Tensor]) -> dict[str, Tensor]:
    out: dict[str, Tensor] = {}
    for key, val in sd.items():
        if "encoder." not in key:
            continue  # classifier.*, decode_head.*
        k = key.split("encoder.", 1)[1]
        if m := re.fullmatch(r"patch_embeddings\.(\d+)\.(proj|layer_norm)\.(weight|bias)", k):
            out[f"stages.{m[1]}.patch_embed.{m[2]}.{m[3]}"] = val
        elif m := re.fullmatch(r"layer_norm\.(\d+)\.(weight|bias)", k):
            out[f"stages.{m[1]}.layer_norm.{m[2]}"] = val
        elif m := re.fullmatch(r"block\.(\d+)\.(\d+)\.(.+)", k):
            i, j, rest = m[1], m[2], m[3]
            rest = (
                rest.replace("attention.self.", "attention.")
                .replace("attention.output.dense.", "attention.proj.")
                .replace("mlp.dwconv.dwconv.", "mlp.dwconv.")
            )
            out[f"stages.{i}.blocks.{j}.{rest}"] = val
    return out


def _map_hf5(sd: Mapping[str, Tensor]) -> dict[str, Tensor]:
    renames = [
        ("patch_embeddings.", "patch_embed."),
        ("layernorm_before.", "layer_norm_1."),
        ("layernorm_after.", "layer_norm_2."),
        ("attention.q_proj.", "attention.query."),
        ("attention.k_proj.", "attention.key."),
        ("attention.v_proj.", "attention.value."),
        ("attention.o_proj.", "attention.proj."),
        ("attention.sequence_reduction.sequence_reduction.", "attention.sr."),
        ("attention.sequence_reduction.layer_norm.", "attention.layer_norm."),
        ("mlp.fc1.", "mlp.dense1."),
        ("mlp.dwconv.dwconv.", "mlp.dwconv."),
        ("mlp.fc2.", "mlp.dense2."),
    ]
    out: dict[str, Tensor] = {}
    for key, val in sd.items():
        k = _strip(key, r"stages\.\d")
        if k is None:
            continue
        for old, new in renames:
            k = k.replace(old, new)
        out[k] = val
    return out


def _map_mmseg(sd: Mapping[str, Tensor]) -> dict[str, Tensor]:
    out: dict[str, Tensor] = {}
    for key, val in sd.items():
        k = _strip(key, r"layers\.\d")
        if k is None:
            continue
        if m := re.fullmatch(r"layers\.(\d+)\.0\.(projection|norm)\.(weight|bias)", k):
            name = "proj" if m[2] == "projection" else "layer_norm"
            out[f"stages.{m[1]}.patch_embed.{name}.{m[3]}"] = val
        elif m := re.fullmatch(r"layers\.(\d+)\.2\.(weight|bias)", k):
            out[f"stages.{m[1]}.layer_norm.{m[2]}"] = val
        elif m := re.fullmatch(r"layers\.(\d+)\.1\.(\d+)\.(.+)", k):
            p = f"stages.{m[1]}.blocks.{m[2]}."
            rest = m[3]
            if rest in ("attn.attn.in_proj_weight", "attn.attn.in_proj_bias"):
                kind = "weight" if rest.endswith("weight") else "bias"
                q, kk, v = val.chunk(3, dim=0)
                out[p + f"attention.query.{kind}"] = q
                out[p + f"attention.key.{kind}"] = kk
                out[p + f"attention.value.{kind}"] = v
                continue
            table = {
                "norm1.": "layer_norm_1.",
                "norm2.": "layer_norm_2.",
                "attn.attn.out_proj.": "attention.proj.",
                "attn.sr.": "attention.sr.",
                "attn.norm.": "attention.layer_norm.",
                "ffn.layers.0.": "mlp.dense1.",
                "ffn.layers.1.": "mlp.dwconv.",
                "ffn.layers.4.": "mlp.dense2.",
            }
            for old, new in table.items():
                if rest.startswith(old):
                    name = new + rest[len(old) :]
                    if name.startswith(("mlp.dense1.weight", "mlp.dense2.weight")) and val.ndim == 4:
                        val = val[:, :, 0, 0]  # 1x1 conv -> linear
                    out[p + name] = val
                    break
    return out


def _map_official(sd: Mapping[str, Tensor]) -> dict[str, Tensor]:
    out: dict[str, Tensor] = {}
    for key, val in sd.items():
        k = _strip(key, r"(patch_embed|block|norm)\d")
        if k is None:
            continue
        if m := re.fullmatch(r"patch_embed(\d)\.(proj|norm)\.(weight|bias)", k):
            name = "proj" if m[2] == "proj" else "layer_norm"
            out[f"stages.{int(m[1]) - 1}.patch_embed.{name}.{m[3]}"] = val
        elif m := re.fullmatch(r"norm(\d)\.(weight|bias)", k):
            out[f"stages.{int(m[1]) - 1}.layer_norm.{m[2]}"] = val
        elif m := re.fullmatch(r"block(\d)\.(\d+)\.(.+)", k):
            p = f"stages.{int(m[1]) - 1}.blocks.{m[2]}."
            rest = m[3]
            if rest.startswith("attn.kv."):
                kind = rest[len("attn.kv.") :]
                kk, v = val.chunk(2, dim=0)
                out[p + f"attention.key.{kind}"] = kk
                out[p + f"attention.value.{kind}"] = v
                continue
            table = {
                "norm1.": "layer_norm_1.",
                "norm2.": "layer_norm_2.",
                "attn.q.": "attention.query.",
                "attn.proj.": "attention.proj.",
                "attn.sr.": "attention.sr.",
                "attn.norm.": "attention.layer_norm.",
                "mlp.fc1.": "mlp.dense1.",
                "mlp.dwconv.dwconv.": "mlp.dwconv.",
                "mlp.fc2.": "mlp.dense2.",
            }
            for old, new in table.items():
                if rest.startswith(old):
                    out[p + new + rest[len(old) :]] = val
                    break
    return out


def _map_fosp(sd: Mapping[str, Tensor]) -> dict[str, Tensor]:
    out: dict[str, Tensor] = {}
    for key, val in sd.items():
        k = _strip(key, r"stages\.\d")
        if k is not None and not key.startswith(("inpainter.", "decode_head.", "focus.", "fusion.")):
            out[k] = val
    return out


_MAPPERS = {"hf": _map_hf, "hf5": _map_hf5, "mmseg": _map_mmseg, "official": _map_official, "fosp": _map_fosp}


def map_mit_state_dict(sd: Mapping[str, Tensor]) -> tuple[dict[str, Tensor], str]:
    """Foreign MiT state dict -> (backbone state dict in this project's names, detected format).

    Unwraps ``{"state_dict": ...}`` / ``{"model": ...}`` containers; drops classifier and decode-head
    tensors. Raises ValueError on an unknown naming.
    """
    for wrapper in ("state_dict", "model"):
        if wrapper in sd and isinstance(sd[wrapper], Mapping):
            sd = sd[wrapper]  # type: ignore[assignment]
    tensors = {k: v for k, v in sd.items() if isinstance(v, Tensor)}
    kind = detect_mit_format(list(tensors))
    return _MAPPERS[kind](tensors), kind
