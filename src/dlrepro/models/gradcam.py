"""Grad-CAM heat maps (Selvaraju et al. 2017) through captum's LayerGradCam.

captum's implementation is used rather than a hand-written one, as for S3's guided backpropagation:
it weights a layer's activation maps by their spatially averaged gradients of the class score and
keeps the positive part; the coarse map is then upsampled (bilinear) to the image's own size.
"""

from __future__ import annotations

import copy

import torch
from torch import nn


def grad_cam(model: nn.Module, layer: str, inputs: torch.Tensor, targets: torch.Tensor,
             size: tuple[int, int]) -> torch.Tensor:
    """N x H x W maps in [0, 1] (each scaled by its maximum; all zero stays zero) of ``targets``'
    scores at ``model``'s submodule ``layer`` (e.g. ``layer4`` of a ResNet), ``size`` = (H, W).

    The model is copied with non-in-place ReLUs and in eval mode; the caller's model is left untouched.
    """
    from captum.attr import LayerAttribution, LayerGradCam

    network = copy.deepcopy(model).eval()
    for module in network.modules():
        if isinstance(module, nn.ReLU):
            module.inplace = False
    modules = dict(network.named_modules())
    if layer not in modules or layer == "":
        raise ValueError(f"the network has no layer {layer!r}; use one of {[n for n in modules if n][:12]}")
    attributions = LayerGradCam(network, modules[layer]).attribute(inputs, target=targets, relu_attributions=True)
    maps = LayerAttribution.interpolate(attributions.detach(), size, "bilinear").squeeze(1)
    peak = maps.flatten(1).amax(1).clamp(min=1e-12).view(-1, 1, 1)
    return maps / peak
