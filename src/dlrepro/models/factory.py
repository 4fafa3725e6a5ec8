"""Build the studies' models from a kind name and a width."""

from __future__ import annotations

from torch import nn

from dlrepro.models.mlp import MLP
from dlrepro.models.small_cnn import SmallCNN

MODEL_KINDS = ("mlp", "cnn")


def build_model(kind: str, image_shape: tuple[int, int, int], n_classes: int, width: int, dropout: float = 0.0) -> nn.Module:
    """A fresh model for H x W x C images whose size is set by ``width``.

    ``mlp``: one hidden layer of ``width`` units (Zhang et al.'s MLP 1x512 at 512).
    ``cnn``: :class:`SmallCNN` with base width ``width``.
    """
    height, width_px, channels = image_shape
    if kind == "mlp":
        return MLP(height * width_px * channels, (width,), n_classes, dropout=dropout)
    if kind == "cnn":
        return SmallCNN(channels, n_classes, width=width, dropout=dropout)
    raise ValueError(f"unknown model kind {kind!r}; expected one of {MODEL_KINDS}")

