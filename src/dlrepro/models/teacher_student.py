"""One-hidden-layer networks for the teacher-student setting (S12, Livni et al. 2014)."""

from __future__ import annotations

import torch
from torch import nn

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


class TwoLayerNet(nn.Sequential):
    """inputs -> ``hidden`` units with ``activation`` -> ``outputs``: the teacher and every student."""

    def __init__(self, inputs: int, hidden: int, outputs: int, activation: str = "relu"):
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation {activation!r}; expected one of {sorted(ACTIVATIONS)}")
        super().__init__(nn.Linear(inputs, hidden), ACTIVATIONS[activation](), nn.Linear(hidden, outputs))


class Teacher(nn.Module):
    """A fixed random network labelling inputs by the sign of its score against ``threshold``.

    The threshold is the median score of the inputs it was fitted on (``fit_threshold``), so the two
    classes are balanced whatever the random weights.
    """

    def __init__(self, inputs: int, hidden: int, activation: str, seed: int):
        super().__init__()
        generator = torch.Generator().manual_seed(seed)
        self.net = TwoLayerNet(inputs, hidden, 1, activation)
        with torch.no_grad():
            first, last = self.net[0], self.net[2]
            first.weight.copy_(torch.randn(first.weight.shape, generator=generator) / inputs**0.5)
            first.bias.copy_(torch.randn(first.bias.shape, generator=generator) * 0.1)
            last.weight.copy_(torch.randn(last.weight.shape, generator=generator) / hidden**0.5)
            last.bias.zero_()
        self.register_buffer("threshold", torch.zeros(()))

    @torch.no_grad()
    def score(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).squeeze(1)

    @torch.no_grad()
    def fit_threshold(self, x: torch.Tensor) -> None:
        self.threshold.copy_(self.score(x).median())

    @torch.no_grad()
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Class labels (int64): 1 where the score exceeds the threshold."""
        return (self.score(x) > self.threshold).long()
