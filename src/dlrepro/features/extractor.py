"""The common shape of every feature extractor: preprocessing on the device, then a torch module.

An :class:`Extractor` is built once (filters, weights) and applied to batches of uint8
N x H x W x C images; it returns float32 N x D features.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def resolve_device(device: str) -> torch.device:
    """``auto`` picks CUDA when present; asking for CUDA without one is an error, not a fallback."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("device cuda requested but torch.cuda.is_available() is False; use --device cpu or auto")
    return torch.device(device)


@dataclass
class Extractor:
    """uint8 images -> float32 features via ``prepare`` then ``forward``.

    Parameters
    ----------
    model: maps a prepared N x C x H x W float batch to N x D.
    device: where preprocessing and the model run.
    image_size: resize to this square size first (bilinear, antialiased); None keeps the size.
    imagenet_input: replicate grayscale to 3 channels and apply ImageNet mean/std, as
        ImageNet-trained CNNs expect.
    amp: on CUDA, run the model under float16 autocast with channels_last inputs.
    """

    model: nn.Module
    device: torch.device
    image_size: int | None = None
    imagenet_input: bool = False
    amp: bool = False

    def __post_init__(self):
        self.model = self.model.eval().to(self.device)
        if self.fast_cuda:
            self.model = self.model.to(memory_format=torch.channels_last)

    @property
    def fast_cuda(self) -> bool:
        return self.amp and self.device.type == "cuda"

    def prepare(self, images: np.ndarray) -> torch.Tensor:
        """N x H x W x C uint8 -> N x C x H' x W' float on the device, scaled to [0, 1] and resized."""
        # a copy: batches sliced from the memory map are read-only
        x = torch.from_numpy(np.array(images, dtype=np.uint8)).to(self.device)
        x = x.permute(0, 3, 1, 2).to(torch.float32, memory_format=torch.contiguous_format).div_(255.0)
        if self.image_size is not None and x.shape[-2:] != (self.image_size, self.image_size):
            x = F.interpolate(x, size=(self.image_size, self.image_size), mode="bilinear", antialias=True,
                              align_corners=False)
        if self.imagenet_input:
            if x.shape[1] == 1:
                x = x.expand(-1, 3, -1, -1)
            mean = torch.tensor(IMAGENET_MEAN, device=self.device).view(1, 3, 1, 1)
            std = torch.tensor(IMAGENET_STD, device=self.device).view(1, 3, 1, 1)
            x = (x - mean) / std
        if self.fast_cuda:
            x = x.contiguous(memory_format=torch.channels_last)
        return x

    @torch.inference_mode()
    def forward(self, batch: torch.Tensor) -> torch.Tensor:
        """The model alone on a prepared batch: N x D float32."""
        with torch.autocast("cuda", dtype=torch.float16, enabled=self.fast_cuda):
            return self.model(batch).flatten(1).float()

    def __call__(self, images: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return self.forward(self.prepare(images)).cpu().numpy()
