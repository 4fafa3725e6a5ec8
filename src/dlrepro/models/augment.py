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


# The image changes of the artist practical's robustness test (S4), on float N x C x H x W images
# in [-0.5, 0.5] (black -0.5, mid grey 0). "Strength" is one number per change: pixels for
# translated, an offset for brightened/darkened, a factor above 1 for the contrasts.
PERTURBATIONS = ("translated", "brightened", "darkened", "high_contrast", "low_contrast", "flipped", "inverted")
LOW, HIGH = -0.5, 0.5


def translate(x: torch.Tensor, dy: int, dx: int) -> torch.Tensor:
    """Images moved down by ``dy`` and right by ``dx`` pixels (negative: up, left), black filling in."""
    h, w = x.shape[-2:]
    out = torch.full_like(x, LOW)
    out[..., max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
        x[..., max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return out


def perturb(x: torch.Tensor, name: str, shift: int = 5, brightness: float = 0.25,
            contrast: float = 2.0) -> torch.Tensor:
    """``x`` changed as ``name`` says (one of PERTURBATIONS), staying in [-0.5, 0.5]."""
    if name == "translated":
        return translate(x, shift, shift)
    if name == "brightened":
        return (x + brightness).clamp(LOW, HIGH)
    if name == "darkened":
        return (x - brightness).clamp(LOW, HIGH)
    if name == "high_contrast":
        return (x * contrast).clamp(LOW, HIGH)
    if name == "low_contrast":
        return x / contrast
    if name == "flipped":
        return x.flip(-1)
    if name == "inverted":
        return -x
    raise ValueError(f"unknown perturbation {name!r}; expected one of {PERTURBATIONS}")


class RandomPerturbation(nn.Module):
    """Training-time augmentation with the robustness test's changes: each image of a training batch
    is left as it is or gets one of ``names`` at random (translations in a random direction, up to
    ``shift`` pixels); evaluation sees the images unchanged. Draws come from torch's global generator."""

    def __init__(self, names: tuple[str, ...] = PERTURBATIONS, shift: int = 5, brightness: float = 0.25,
                 contrast: float = 2.0):
        super().__init__()
        unknown = set(names) - set(PERTURBATIONS)
        if unknown:
            raise ValueError(f"unknown perturbations {sorted(unknown)}; expected some of {PERTURBATIONS}")
        self.names = tuple(names)
        self.strengths = {"shift": shift, "brightness": brightness, "contrast": contrast}

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or not self.names:
            return x
        choice = torch.randint(0, len(self.names) + 1, (x.shape[0],), device=x.device)  # 0: unchanged
        out = x.clone()
        for i, name in enumerate(self.names, start=1):
            rows = choice == i
            if not rows.any():
                continue
            if name == "translated":
                s = self.strengths["shift"]
                dy, dx = torch.randint(-s, s + 1, (2,)).tolist()
                out[rows] = translate(x[rows], dy, dx)
            else:
                out[rows] = perturb(x[rows], name, **self.strengths)
        return out

    def extra_repr(self) -> str:
        return f"names={self.names}, {self.strengths}"
