"""The common shape of every feature extractor: preprocessing on the device, then a torch module.

An :class:`Extractor` is built once (filters, weights) and applied to batches of uint8
N x H x W x C images; it returns float32 N x D features.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from dlrepro.models.torchvision_nets import imagenet_input, unit_float


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
        x = unit_float(torch.from_numpy(np.array(images, dtype=np.uint8)).to(self.device), self.image_size)
        if self.imagenet_input:
            x = imagenet_input(x)
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
