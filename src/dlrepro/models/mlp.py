"""Fully connected classifier on flattened images."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn


class MLP(nn.Module):
    """Flatten, then ``Linear -> ReLU [-> Dropout]`` per hidden width, then a linear classifier.

    Parameters
    ----------
    in_features:
        Input size after flattening (H * W * C).
    n_classes:
        Number of output logits.
    hidden:
        Width of each hidden layer; ``(512,)`` is Zhang et al.'s MLP 1x512.
    dropout:
        Dropout probability after each hidden layer (0 disables it).
    """

    def __init__(self, in_features: int, n_classes: int, hidden: Sequence[int] = (512,), dropout: float = 0.0):
        super().__init__()
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must lie in [0, 1), got {dropout}")
        layers: list[nn.Module] = [nn.Flatten()]
        width = in_features
        for out in hidden:
            layers += [nn.Linear(width, out), nn.ReLU(inplace=True)]
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            width = out
        layers.append(nn.Linear(width, n_classes))
        self.layers = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)
