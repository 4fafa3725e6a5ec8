"""A small convolutional classifier whose width is one number, for width sweeps."""

from __future__ import annotations

import torch
from torch import nn


def conv_block(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True))


class SmallCNN(nn.Module):
    """Three 3x3 conv-BN-ReLU blocks of ``width``, ``2 width``, ``4 width`` channels with 2x2
    max pooling after the last two, global average pooling, [dropout,] a linear classifier.

    Global pooling makes it work on any image size from 4x4 up (8x8 digits, 32x32 CIFAR-10), and
    the parameter count grows with ``width`` squared.
    """

    def __init__(self, in_channels: int, n_classes: int, width: int = 32, dropout: float = 0.0):
        super().__init__()
        if width < 1:
            raise ValueError(f"width must be at least 1, got {width}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must lie in [0, 1), got {dropout}")
        self.features = nn.Sequential(
            conv_block(in_channels, width),
            conv_block(width, 2 * width),
            nn.MaxPool2d(2),
            conv_block(2 * width, 4 * width),
            nn.MaxPool2d(2),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(4 * width, n_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))
