"""S1 fine-tuning: an ImageNet CNN with a new head trained on a normalised dataset.

``last_layer`` trains the new head on a frozen backbone (kept in eval mode, so batch-norm
statistics and dropout match the frozen-feature extractors); ``full`` trains every weight.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.metrics import confusion_matrix
from torch import nn

from dlrepro.data.dataset import load_dataset
from dlrepro.models.torchvision_nets import IMAGENET_MEAN, IMAGENET_STD, build, replace_head
from dlrepro.train.checkpoint import settings_digest
from dlrepro.train.engine import BatchTransform, TrainConfig, predict, train

MODES = ("last_layer", "full")


class HeadOnly(nn.Module):
    """Wraps a network so that only ``head`` trains: everything else is frozen and stays in eval mode."""

    def __init__(self, model: nn.Module, head: nn.Module):
        super().__init__()
        self.model, self.head = model, head
        model.requires_grad_(False)
        head.requires_grad_(True)

    def train(self, mode: bool = True):
        super().train(False)
        self.head.train(mode)
        return self

    def forward(self, inputs):
        return self.model(inputs)


def imagenet_transform(image_size: int) -> BatchTransform:
    """uint8 N x H x W x C batch -> normalised float N x 3 x size x size (gray repeated to RGB)."""
    mean = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)

    def transform(images: torch.Tensor) -> torch.Tensor:
        x = images.permute(0, 3, 1, 2).float().div(255.0)
        if x.shape[1] == 1:
            x = x.expand(-1, 3, -1, -1)
        x = F.interpolate(x, size=(image_size, image_size), mode="bilinear", align_corners=False, antialias=True)
        return (x - mean.to(x.device)) / std.to(x.device)

    return transform


def build_finetune_model(arch: str, weights: str, n_classes: int, mode: str, seed: int) -> nn.Module:
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
    model = build(arch, weights, seed)
    head = replace_head(model, arch, n_classes)
    return HeadOnly(model, head) if mode == "last_layer" else model


def split_tensors(images: np.ndarray, labels: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    return torch.from_numpy(np.array(images, dtype=np.uint8)), torch.tensor(labels, dtype=torch.int64)


def train_val_test(dataset_dir: str | Path, val_fraction: float, seed: int) -> tuple[dict, list[str]]:
    """The dataset's splits as uint8 tensors; without a val split, a seeded one is carved from train."""
    dataset = load_dataset(dataset_dir)
    parts = {name: dataset.split(name) for name in ("train", "val", "test")}
    data = {name: split_tensors(images, index["label"].to_numpy()) for name, (images, index) in parts.items()}
    if len(data["val"][1]) == 0:
        images, labels = data["train"]
        order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(seed))
        n_val = max(1, round(val_fraction * len(labels)))
        data["val"] = images[order[:n_val]], labels[order[:n_val]]
        data["train"] = images[order[n_val:]], labels[order[n_val:]]
    return data, dataset.classes


def finetune(dataset_dir: str | Path, arch: str, weights: str, mode: str, image_size: int, config: TrainConfig,
             curves_path: str | Path, checkpoint_dir: str | Path, val_fraction: float = 0.1) -> dict[str, Any]:
    """Fine-tune and evaluate on test; returns the metrics.json content (accuracy, top5, confusion, ...)."""
    data, classes = train_val_test(dataset_dir, val_fraction, config.seed)
    model = build_finetune_model(arch, weights, len(classes), mode, config.seed)
    transform = imagenet_transform(image_size)
    settings = {"train": config.fingerprint(), "arch": arch, "weights": weights, "mode": mode,
                "image_size": image_size, "val_fraction": val_fraction}
    started = time.perf_counter()
    result = train(model, data, config, curves_path,
                   Path(checkpoint_dir) / f"checkpoint-{settings_digest(settings)}.pt", transform)
    fit_time = time.perf_counter() - started
    outputs, targets = predict(model, data["test"], config, transform)
    top5 = None
    if len(classes) > 5:
        top5 = float((outputs.topk(5, dim=1).indices == targets[:, None]).any(dim=1).float().mean())
    predicted = outputs.argmax(dim=1).numpy()
    return {"arch": arch, "mode": mode, "weights": weights, "accuracy": float((predicted == targets.numpy()).mean()),
            "top5": top5, "fit_time_s": fit_time, "n_train": len(data["train"][1]), "n_test": len(targets),
            "epochs": len(result.metrics), "best_epoch": result.best_epoch, "stop_reason": result.stop_reason,
            "classes": classes,
            "confusion_matrix": confusion_matrix(targets.numpy(), predicted, labels=range(len(classes))).tolist()}
