"""ImageNet CNNs from torchvision (ResNet-18, VGG-19, AlexNet): the one place they are built.

Weights are ``imagenet`` (torchvision's weights API; the checkpoint is cached under
``$TORCH_HOME/hub/checkpoints``, so an offline machine works once the file is placed there),
``random`` (seeded initialisation) or the path of a state_dict file.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dlrepro.io import InputError

ARCHS = ("resnet18", "vgg19", "alexnet")
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
# The classification head, read from a weights file to rebuild fine-tuned models at their class count.
HEAD = {"resnet18": "fc.weight", "vgg16": "classifier.6.weight", "vgg19": "classifier.6.weight",
        "alexnet": "classifier.6.weight", "inception_v3": "fc.weight"}


def unit_float(images: torch.Tensor, image_size: int | None = None) -> torch.Tensor:
    """uint8 N x H x W x C -> float N x C x H x W in [0, 1], resized (bilinear, antialiased) to a square."""
    x = images.permute(0, 3, 1, 2).to(torch.float32, memory_format=torch.contiguous_format).div_(255.0)
    if image_size is not None and x.shape[-2:] != (image_size, image_size):
        x = F.interpolate(x, size=(image_size, image_size), mode="bilinear", antialias=True, align_corners=False)
    return x


def imagenet_input(x: torch.Tensor) -> torch.Tensor:
    """What ImageNet-trained CNNs expect of a [0, 1] float batch: three channels (gray repeated), ImageNet mean/std."""
    std = torch.tensor(IMAGENET_STD, device=x.device).view(1, 3, 1, 1)
    mean = torch.tensor(IMAGENET_MEAN, device=x.device).view(1, 3, 1, 1)
    # x / std - mean / std in one pass; a gray channel broadcasts to three without a copy
    return torch.addcmul(-mean / std, x, 1 / std)


def imagenet_model(arch: str) -> nn.Module:
    import torchvision  # here, not at the top: scattering jobs use this module's input helpers only

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
    import torchvision

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
    import torchvision

    if not path.is_file():
        raise InputError(f"weights file {path} not found; weights must be imagenet, random or a state_dict file")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # torch.load fails in many ways (KeyError, UnpicklingError, ...) on other files
        raise InputError(f"weights file {path} is not a state_dict torch.load(weights_only=True) can read "
                         f"({type(err).__name__}: {err}); give a file saved with torch.save(model.state_dict())") from None
    if isinstance(state, dict) and isinstance(state.get("model"), dict):
        state = state["model"]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise InputError(f"weights file {path} holds a {type(state).__name__}, not a state_dict of tensors")
    head = state.get(HEAD[arch])
    model = torchvision.models.get_model(arch, num_classes=head.shape[0] if head is not None else 1000)
    mismatch = state_dict_mismatch(model, state)
    if mismatch:
        raise InputError(f"weights file {path} does not fit {arch}: {mismatch}")
    model.load_state_dict(state)
    return model


def load_cnn(arch: str, weights: str, seed: int = 0) -> nn.Module:
    """The ImageNet-shaped network ``arch`` with ``weights``: imagenet, random or a state_dict path."""
    if weights == "imagenet":
        return imagenet_model(arch)
    if weights == "random":
        return random_model(arch, seed)
    return file_model(arch, Path(weights))


def replace_head(model: nn.Module, arch: str, n_classes: int) -> nn.Linear:
    """Swap the ImageNet classification layer for a new ``n_classes`` one and return it."""
    if arch == "resnet18":
        model.fc = nn.Linear(model.fc.in_features, n_classes)
        return model.fc
    model.classifier[-1] = nn.Linear(model.classifier[-1].in_features, n_classes)
    return model.classifier[-1]
