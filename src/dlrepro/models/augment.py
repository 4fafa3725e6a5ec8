"""Data augmentation as a layer: active in training mode only, like dropout.

Put in front of a model it augments every training batch on the device, while evaluation (and
so the training error that decides "zero training error") sees the images unchanged.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class Augment(nn.Module):
    """Random translations by up to ``shift`` pixels (edges replicated) and, with ``flip``,
    random horizontal flips, drawn per image from torch's global generator."""

    def __init__(self, shift: int = 0, flip: bool = False):
        super().__init__()
        if shift < 0:
            raise ValueError(f"shift must be >= 0, got {shift}")
        self.shift = shift
        self.flip = flip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training:
            return x
        if self.shift:
            x = self.translate(x)
        if self.flip:
            mirrored = torch.rand(x.shape[0], device=x.device) < 0.5
            x = torch.where(mirrored[:, None, None, None], x.flip(3), x)
        return x

    def translate(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        s = self.shift
        padded = F.pad(x, (s, s, s, s), mode="replicate")
        dy = torch.randint(0, 2 * s + 1, (n,), device=x.device)
        dx = torch.randint(0, 2 * s + 1, (n,), device=x.device)
        rows = (dy[:, None] + torch.arange(h, device=x.device))[:, None, :, None]
        cols = (dx[:, None] + torch.arange(w, device=x.device))[:, None, None, :]
        images = torch.arange(n, device=x.device)[:, None, None, None]
        channels = torch.arange(c, device=x.device)[None, :, None, None]
        return padded[images, channels, rows, cols]

    def extra_repr(self) -> str:
        return f"shift={self.shift}, flip={self.flip}"
