"""Activations of a torchvision CNN layer as features (ResNet-18, VGG-19, AlexNet)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models.feature_extraction import create_feature_extractor

from dlrepro.features.extractor import Extractor
from dlrepro.features.settings import CNN_LAYERS
from dlrepro.models.torchvision_nets import load_cnn


class LayerOutput(nn.Module):
    """The network truncated at one layer; feature maps globally average-pooled when ``pool``."""

    def __init__(self, model: nn.Module, node: str, pool: bool):
        super().__init__()
        self.body = create_feature_extractor(model, return_nodes={node: "out"})
        self.pool = pool

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.body(x)["out"]
        return F.adaptive_avg_pool2d(out, 1) if self.pool else out


def cnn_extractor(
    arch: str, layer: str, weights: str, image_size: int, device: torch.device, seed: int
) -> Extractor:
    """Features of ``layer`` for images resized to ``image_size``, in ImageNet normalisation."""
    node, reduce = CNN_LAYERS[arch][layer]
    model = LayerOutput(load_cnn(arch, weights, seed), node, pool=reduce == "pool")
    extractor = Extractor(model=model, device=device, image_size=image_size, imagenet_input=True, amp=True)
    try:
        extractor.forward(extractor.prepare(torch.zeros(1, image_size, image_size, 3, dtype=torch.uint8).numpy()))
    except RuntimeError as err:
        raise ValueError(f"{arch} up to {layer} cannot take {image_size}x{image_size} images ({err}); "
                         "raise image_size") from err
    return extractor
