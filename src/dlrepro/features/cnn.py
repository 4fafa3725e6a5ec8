"""Activations of a torchvision CNN layer as features (ResNet-18, VGG-19, AlexNet).

Weights are ``imagenet`` (torchvision's weights API; the checkpoint is cached under
``$TORCH_HOME/hub/checkpoints``, so an offline machine works once the file is placed there),
``random`` (seeded initialisation) or the path of a state_dict file.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import torch
import torch.nn.functional as F
import torchvision
from torch import nn
from torchvision.models.feature_extraction import create_feature_extractor

from dlrepro.features.extractor import Extractor
from dlrepro.features.settings import CNN_LAYERS

# The classification head, read from a weights file to rebuild fine-tuned models at their class count.
HEAD = {"resnet18": "fc.weight", "vgg19": "classifier.6.weight", "alexnet": "classifier.6.weight"}


class LayerOutput(nn.Module):
    """The network truncated at one layer; feature maps globally average-pooled when ``pool``."""

    def __init__(self, model: nn.Module, node: str, pool: bool):
        super().__init__()
        self.body = create_feature_extractor(model, return_nodes={node: "out"})
        self.pool = pool

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.body(x)["out"]
        return F.adaptive_avg_pool2d(out, 1) if self.pool else out


def imagenet_model(arch: str) -> nn.Module:
    weights = torchvision.models.get_model_weights(arch)["IMAGENET1K_V1"]
    try:
        return torchvision.models.get_model(arch, weights=weights)
    except (OSError, RuntimeError, pickle.UnpicklingError) as err:
        checkpoints = Path(torch.hub.get_dir()) / "checkpoints"
        raise ValueError(
            f"could not load ImageNet weights for {arch} ({weights.url}): {err}. Offline? Put "
            f"{Path(weights.url).name} into {checkpoints} (or set TORCH_HOME to a folder whose "
            "hub/checkpoints holds it), or use weights: <path to a state_dict file>"
        ) from err


def random_model(arch: str, seed: int) -> nn.Module:
    """Torchvision's default initialisation drawn from ``seed``, leaving the global RNG untouched."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return torchvision.models.get_model(arch, weights=None)


def state_dict_mismatch(model: nn.Module, state: dict) -> str:
    """A short account of how ``state`` differs from the model's own state_dict ('' if it fits)."""
    own = model.state_dict()
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    shapes = sorted(k for k in set(own) & set(state) if tuple(own[k].shape) != tuple(state[k].shape))
    parts = [f"{len(keys)} {what} (e.g. {keys[0]})" for what, keys in
             (("missing keys", missing), ("unexpected keys", unexpected), ("shape mismatches", shapes)) if keys]
    return "; ".join(parts)


def file_model(arch: str, path: Path) -> nn.Module:
    """A model from a state_dict file (or a checkpoint dict holding it under ``model``)."""
    if not path.is_file():
        raise FileNotFoundError(f"weights file {path} not found; weights must be imagenet, random or a state_dict file")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError) as err:
        raise ValueError(f"weights file {path} is not a state_dict torch.load(weights_only=True) can read: {err}") from err
    if isinstance(state, dict) and isinstance(state.get("model"), dict):
        state = state["model"]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ValueError(f"weights file {path} holds a {type(state).__name__}, not a state_dict of tensors")
    head = state.get(HEAD[arch])
    model = torchvision.models.get_model(arch, num_classes=head.shape[0] if head is not None else 1000)
    mismatch = state_dict_mismatch(model, state)
    if mismatch:
        raise ValueError(f"weights file {path} does not fit {arch}: {mismatch}")
    model.load_state_dict(state)
    return model


def load_cnn(arch: str, weights: str, seed: int) -> nn.Module:
    if weights == "imagenet":
        return imagenet_model(arch)
    if weights == "random":
        return random_model(arch, seed)
    return file_model(arch, Path(weights))


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
