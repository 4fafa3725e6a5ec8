"""Fully connected networks on flattened inputs (one hidden layer for S6, deeper for S11)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn


class MLP(nn.Sequential):
    """Flatten, then ``hidden`` widths of Linear (+ ReLU unless ``relu=False``, + dropout), then the classes.

    ``layers`` holds the Linear modules in order, so studies can read or copy weights per layer.
    """

    def __init__(self, in_features: int, hidden: Sequence[int], n_classes: int, dropout: float = 0.0,
                 relu: bool = True):
        modules: list[nn.Module] = [nn.Flatten()]
        widths = [in_features, *hidden]
        for fan_in, fan_out in zip(widths, widths[1:]):
            modules.append(nn.Linear(fan_in, fan_out))
            if relu:
                modules.append(nn.ReLU())
            if dropout > 0:
                modules.append(nn.Dropout(dropout))
        modules.append(nn.Linear(widths[-1], n_classes))
        super().__init__(*modules)

    @property
    def layers(self) -> list[nn.Linear]:
        return [module for module in self if isinstance(module, nn.Linear)]


def composed_linear_map(model: MLP):
    """(W, b) with ``model(x) == x W^T + b``, for an MLP without ReLU (``relu=False``, no dropout in
    eval): its layers compose into the one linear classifier it can only be (S11)."""
    if any(isinstance(module, nn.ReLU) for module in model):
        raise ValueError("only an MLP built with relu=False composes into one linear map")
    with torch.no_grad():
        weight, bias = None, None
        for layer in model.layers:
            weight = layer.weight if weight is None else layer.weight @ weight
            bias = layer.bias if bias is None else layer.weight @ bias + layer.bias
    return weight.clone(), bias.clone()


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def one_hidden_layer_parameters(in_features: int, hidden: int, n_classes: int) -> int:
    """(d + 1) H + (H + 1) K: weights and biases of a one-hidden-layer network."""
    return (in_features + 1) * hidden + (hidden + 1) * n_classes


def strongest_hidden_units(output_weight, per_class: int = 1):
    """For each class (row of the output layer's weight, classes x hidden), the ``per_class`` hidden
    units with the largest weight into it, strongest first: the units that matter most to that class."""
    import numpy as np

    weight = np.asarray(output_weight)
    if not 1 <= per_class <= weight.shape[1]:
        raise ValueError(f"per_class must be between 1 and the {weight.shape[1]} hidden units, got {per_class}")
    return np.argsort(-weight, axis=1, kind="stable")[:, :per_class]


def hidden_unit_images(model: MLP, image_shape: tuple[int, int, int], per_class: int = 1):
    """(units, images): the strongest hidden units per class and their input weights as H x W images
    (channels averaged), classes x per_class x H x W, for a one-hidden-layer MLP on images."""
    first, last = model.layers[0], model.layers[-1]
    units = strongest_hidden_units(last.weight.detach().cpu().numpy(), per_class)
    height, width, channels = image_shape
    weights = first.weight.detach().cpu().numpy().reshape(-1, height, width, channels).mean(axis=-1)
    return units, weights[units]
