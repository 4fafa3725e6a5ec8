"""Guided backpropagation saliency (Springenberg et al. 2015) through captum's GuidedBackprop.

captum's implementation is used rather than a hand-written one: it is the reference one in the
PyTorch ecosystem, overrides every ReLU's backward pass by hooks without changing the network,
and is tested upstream. Guided backpropagation lets a gradient pass a ReLU only where both the
ReLU's input and the gradient arriving from above are positive, so the map shows the pixels
that raise the class score.
"""

from __future__ import annotations

import copy
import warnings

import torch
from torch import nn


def guided_backprop(model: nn.Module, inputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Guided-backpropagation gradient of each input's ``targets`` class score, shaped like ``inputs``.

    The model is copied with non-in-place ReLUs (captum's hooks cannot follow in-place ones, which
    torchvision's AlexNet uses) and put in eval mode; the caller's model is left untouched.
    """
    from captum.attr import GuidedBackprop

    network = copy.deepcopy(model).eval()
    for module in network.modules():
        if isinstance(module, nn.ReLU):
            module.inplace = False
    network.requires_grad_(False)
    inputs = inputs.detach().clone().requires_grad_(True)
    with warnings.catch_warnings():  # captum announces the hooks it sets on every ReLU, on every call
        warnings.filterwarnings("ignore", message="Setting backward hooks on ReLU")
        return GuidedBackprop(network).attribute(inputs, target=targets).detach()


def saliency_image(gradient: torch.Tensor) -> torch.Tensor:
    """A C x H x W guided gradient as an H x W map in [0, 1]: the positive part, largest over channels,
    scaled by its maximum (all zero stays zero)."""
    positive = gradient.clamp(min=0).amax(dim=0)
    peak = positive.max()
    return positive / peak if peak > 0 else positive
