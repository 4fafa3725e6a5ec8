"""VGG-style CNNs for S11 (Simonyan & Zisserman 2015): stages of 3x3 convolutions, each stage
closed by 2x2 max pooling, then [a hidden layer and] the class scores."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class VGGSpec:
    """``widths``: channels of each stage; ``depth``: 3x3 conv + ReLU layers per stage."""

    widths: tuple[int, ...] = (32, 64)
    depth: int = 1
    batch_norm: bool = False
    hidden: int = 0

    def __post_init__(self):
        object.__setattr__(self, "widths", tuple(self.widths))
        if not self.widths or min(self.widths) < 1 or self.depth < 1 or self.hidden < 0:
            raise ValueError(f"VGG needs positive widths and depth and hidden >= 0, got {list(self.widths)}, "
                             f"depth {self.depth}, hidden {self.hidden}")


def build_vgg(spec: VGGSpec, image_shape: tuple[int, int, int], n_classes: int) -> nn.Sequential:
    """The network of ``spec`` for H x W x C images; each stage halves the side (which must stay >= 1)."""
    height, width, channels = image_shape
    if min(height, width) < 2 ** len(spec.widths):
        raise ValueError(f"{len(spec.widths)} pooling stages need images of at least {2 ** len(spec.widths)} px, "
                         f"got {height}x{width}")
    layers: list[nn.Module] = []
    c_in = channels
    for c_out in spec.widths:
        for _ in range(spec.depth):
            layers.append(nn.Conv2d(c_in, c_out, 3, padding=1, bias=not spec.batch_norm))
            if spec.batch_norm:
                layers.append(nn.BatchNorm2d(c_out))
            layers.append(nn.ReLU(inplace=True))
            c_in = c_out
        layers.append(nn.MaxPool2d(2))
    features = nn.Sequential(*layers, nn.Flatten())
    with torch.no_grad():
        n_features = features(torch.zeros(1, channels, height, width)).shape[1]
    head: list[nn.Module] = []
    if spec.hidden:
        head += [nn.Linear(n_features, spec.hidden), nn.ReLU(inplace=True)]
        n_features = spec.hidden
    return nn.Sequential(features, *head, nn.Linear(n_features, n_classes))
