"""S1 fine-tuning: an ImageNet CNN with a new head trained on a normalised dataset.

``last_layer`` trains the new head on a frozen backbone (kept in eval mode, so batch-norm
statistics and dropout match the frozen-feature extractors); ``full`` trains every weight.
A frozen backbone hands its head the same vectors every epoch, so ``last_layer`` computes them once
and trains the head on them: one forward pass through the network instead of one per epoch.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from dlrepro.data.dataset import load_dataset
from dlrepro.metrics.classification import classification_metrics
from dlrepro.models.torchvision_nets import imagenet_input, load_cnn, replace_head, unit_float
from dlrepro.train.checkpoint import save_weights, state_key
from dlrepro.train.engine import BatchTransform, TrainConfig, as_tensors, predict, train

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


Tensors = tuple[torch.Tensor, torch.Tensor]


def head_inputs(model: HeadOnly, split: Tensors, config: TrainConfig, transform: BatchTransform) -> Tensors:
    """``split`` as the vectors the frozen network hands its head (float32, on the CPU), in order."""
    captured = []
    hook = model.head.register_forward_pre_hook(lambda module, args: captured.append(args[0].float().cpu()))
    try:
        predict(model, split, config, transform)
    finally:
        hook.remove()
    return torch.cat(captured), split[1]


def imagenet_transform(image_size: int) -> BatchTransform:
    """uint8 N x H x W x C batch -> normalised float N x 3 x size x size (gray repeated to RGB)."""

    def transform(images: torch.Tensor) -> torch.Tensor:
        return imagenet_input(unit_float(images, image_size))

    return transform


def build_finetune_model(arch: str, weights: str, n_classes: int, mode: str, seed: int) -> nn.Module:
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
    model = load_cnn(arch, weights, seed)
    # The new head's weights come from the seed, not from whatever the process drew before.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        head = replace_head(model, arch, n_classes)
    return HeadOnly(model, head) if mode == "last_layer" else model


def train_val_test(dataset_dir: str | Path, val_fraction: float, seed: int) -> tuple[dict, list[str]]:
    """The dataset's splits as uint8 tensors; without a val split, a seeded one is carved from train."""
    dataset = load_dataset(dataset_dir)
    parts = {name: dataset.split(name) for name in ("train", "val", "test")}
    data = {name: as_tensors(images, index["label"].to_numpy()) for name, (images, index) in parts.items()}
    if len(data["val"][1]) == 0:
        images, labels = data["train"]
        order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(seed))
        n_val = max(1, round(val_fraction * len(labels)))
        data["val"] = images[order[:n_val]], labels[order[:n_val]]
        data["train"] = images[order[n_val:]], labels[order[n_val:]]
    return data, dataset.classes


def finetune(dataset_dir: str | Path, arch: str, weights: str, mode: str, image_size: int, config: TrainConfig,
             curves_path: str | Path, checkpoint_dir: str | Path, val_fraction: float = 0.1,
             model_path: str | Path | None = None) -> dict[str, Any]:
    """Fine-tune and evaluate on test; returns the metrics.json content (accuracy, top5, confusion, ...).

    ``model_path``: where to save the trained network's state_dict (the bare CNN with its new head,
    which ``load_cnn(arch, model_path)`` rebuilds), for studies that look inside it afterwards.

    A killed run resumes from ``checkpoint_dir/checkpoint-<key>.pt``, keyed by the settings, the
    dataset's (and a weights file's) content and dlrepro's code; once the run succeeds, every
    checkpoint there is removed, so nothing outlives the inputs it was trained on.
    """
    data, classes = train_val_test(dataset_dir, val_fraction, config.seed)
    model = build_finetune_model(arch, weights, len(classes), mode, config.seed)
    transform = imagenet_transform(image_size)
    settings = {"train": config.fingerprint(), "arch": arch, "weights": weights, "mode": mode,
                "image_size": image_size, "val_fraction": val_fraction}
    inputs = [dataset_dir] + ([] if weights in ("imagenet", "random") else [weights])
    checkpoint = Path(checkpoint_dir) / f"checkpoint-{state_key(settings, inputs)}.pt"
    started = time.perf_counter()
    trained = model
    if isinstance(model, HeadOnly):
        data = {name: head_inputs(model, split, config, transform) for name, split in data.items()}
        trained, transform = model.head, None
    result = train(trained, data, config, curves_path, checkpoint, transform)
    fit_time = time.perf_counter() - started
    outputs, targets = predict(trained, data["test"], config, transform)
    if model_path is not None:
        save_weights(model.model if isinstance(model, HeadOnly) else model, model_path)
    for stale in Path(checkpoint_dir).glob("checkpoint-*.pt"):
        stale.unlink()
    scores = outputs.numpy()
    metrics = classification_metrics(targets.numpy(), scores.argmax(axis=1), scores, np.arange(len(classes)))
    return metrics | {"dataset": Path(dataset_dir).name, "arch": arch, "mode": mode, "weights": weights,
                      "fit_time_s": fit_time,
                      "n_train": len(data["train"][1]), "n_test": len(targets), "epochs": len(result.metrics),
                      "best_epoch": result.best_epoch, "stop_reason": result.stop_reason, "classes": classes}
