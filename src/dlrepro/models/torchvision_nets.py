"""ImageNet CNNs from torchvision (ResNet-18, VGG-19, AlexNet): the one place they are built.

``weights`` is ``imagenet`` (torchvision's weights API), ``random`` (seeded initialisation) or the
path of a local state_dict file, for machines that cannot download weights.
"""

from __future__ import annotations

from pathlib import Path

import torch
import torchvision
from torch import nn

ARCHS = ("resnet18", "vgg19", "alexnet")
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def build(arch: str, weights: str = "imagenet", seed: int = 0) -> nn.Module:
    """The ImageNet-shaped network ``arch`` with the requested weights."""
    if arch not in ARCHS:
        raise ValueError(f"unknown arch {arch!r}; expected one of {ARCHS}")
    torch.manual_seed(seed)
    if weights == "imagenet":
        return getattr(torchvision.models, arch)(weights="IMAGENET1K_V1")
    model = getattr(torchvision.models, arch)(weights=None)
    if weights != "random":
        if not Path(weights).is_file():
            raise FileNotFoundError(f"weights {weights!r} is neither imagenet, random nor a state_dict file")
        try:
            model.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
        except RuntimeError as err:
            raise ValueError(f"{weights} is not a {arch} state_dict: {str(err).splitlines()[0]}") from err
    return model


def replace_head(model: nn.Module, arch: str, n_classes: int) -> nn.Linear:
    """Swap the 1000-class ImageNet layer for a new ``n_classes`` one and return it."""
    if arch == "resnet18":
        model.fc = nn.Linear(model.fc.in_features, n_classes)
        return model.fc
    model.classifier[-1] = nn.Linear(model.classifier[-1].in_features, n_classes)
    return model.classifier[-1]
