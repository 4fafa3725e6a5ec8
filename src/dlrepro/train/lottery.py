"""S12 lottery tickets (Frankle & Carbin 2019): iterative magnitude pruning with rewinding.

Round 0 trains the dense network: an MLP (LeNet-300-100) or Frankle & Carbin's Conv-2 / Conv-4. Each
further round prunes ``prune_fraction`` of the weights still remaining in every fully connected layer
(``conv_fraction`` in every convolution, ``output_fraction`` in the output layer; biases are kept) by their trained
magnitude, rewinds the survivors to their values at ``rewind_epoch`` (0: the initialisation) and
retrains: the winning ticket. Two controls train each round's sparsity from scratch: the ticket's
masks with a fresh random initialisation (``random_reinit``) and random masks of the same per-layer
sparsity on the original initialisation (``random_pruning``). Masks are ``torch.nn.utils.prune``'s:
a forward pre-hook multiplies ``weight_orig`` by ``weight_mask``, so a pruned weight stays zero
through training without any change to the engine.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from torch import nn
from torch.nn.utils import prune

from dlrepro.data.dataset import load_dataset
from dlrepro.models.mlp import MLP
from dlrepro.models.small_cnn import CONV_STAGES, ConvFC
from dlrepro.train.engine import TrainConfig, train

ARMS = ("winning_ticket", "random_reinit", "random_pruning")
Split = tuple[torch.Tensor, torch.Tensor]


@dataclass
class ImageData:
    train: Split
    val: Split
    test: Split
    n_classes: int
    image_shape: tuple[int, int, int]  # height, width, channels

    @property
    def in_features(self) -> int:
        return math.prod(self.image_shape)


@dataclass(frozen=True)
class PruningRates:
    """Fractions of the remaining weights pruned per round: fully connected layers, the output layer, convolutions."""
    fc: float
    output: float
    conv: float = 0.1


def load_images(dataset_dir: str | Path, max_train: int | None, val_fraction: float, seed: int,
                flatten: bool = True) -> ImageData:
    """Images in [0, 1], flattened (for an MLP) or channels first (for a convnet): a seeded validation part
    held out of the training split (for the early-stopping iteration), a seeded subset of ``max_train`` of
    the rest, and the test split."""
    dataset = load_dataset(dataset_dir)
    images, index = dataset.split("train")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(index))
    n_val = max(1, round(val_fraction * len(index)))
    val_rows, train_rows = np.sort(order[:n_val]), np.sort(order[n_val:][:max_train])
    test_images, test_index = dataset.split("test")
    if len(train_rows) == 0 or len(test_index) == 0:
        raise ValueError(f"{dataset_dir} needs a train split larger than its validation part and a test split")
    labels = index["label"].to_numpy()

    image_shape = tuple(images.shape[1:]) if images.ndim == 4 else (*images.shape[1:], 1)

    def split(rows_images, rows_labels) -> Split:
        pixels = np.asarray(rows_images, dtype=np.float32).reshape(len(rows_images), *image_shape) / 255.0
        inputs = pixels.reshape(len(pixels), -1) if flatten else pixels.transpose(0, 3, 1, 2)
        return torch.from_numpy(np.ascontiguousarray(inputs)), torch.tensor(np.asarray(rows_labels), dtype=torch.int64)

    return ImageData(train=split(images[train_rows], labels[train_rows]), val=split(images[val_rows], labels[val_rows]),
                     test=split(test_images, test_index["label"].to_numpy()), n_classes=len(dataset.classes),
                     image_shape=image_shape)


def network_builder(network: str, hidden: Sequence[int], data: ImageData) -> Callable[[], nn.Module]:
    """A function returning a fresh ``network`` (mlp with ``hidden`` widths, conv2 or conv4) for ``data``."""
    if network == "mlp":
        return lambda: MLP(data.in_features, hidden, data.n_classes)
    return lambda: ConvFC(data.image_shape, data.n_classes, CONV_STAGES[network])


def prune_magnitude(model: nn.Module, rates: PruningRates) -> None:
    """Prune a fraction of each layer's remaining weights, those of smallest magnitude: ``rates.conv`` of a
    convolution's, ``rates.fc`` of a hidden fully connected layer's, ``rates.output`` of the output layer's."""
    layers = model.layers
    for layer in layers:
        amount = rates.output if layer is layers[-1] else rates.conv if isinstance(layer, nn.Conv2d) else rates.fc
        prune.l1_unstructured(layer, "weight", amount=amount)


def masks_of(model: nn.Module) -> list[torch.Tensor]:
    return [getattr(layer, "weight_mask", torch.ones_like(layer.weight)).detach().clone() for layer in model.layers]


def apply_masks(model: nn.Module, masks: Sequence[torch.Tensor]) -> None:
    for layer, mask in zip(model.layers, masks):
        prune.custom_from_mask(layer, "weight", mask)


def random_masks(masks: Sequence[torch.Tensor], generator: torch.Generator) -> list[torch.Tensor]:
    """Masks keeping as many weights per layer as ``masks`` do, at random places."""
    shuffled = []
    for mask in masks:
        order = torch.randperm(mask.numel(), generator=generator)
        flat = torch.zeros(mask.numel())
        flat[order[: int(mask.sum())]] = 1.0
        shuffled.append(flat.view_as(mask))
    return shuffled


@torch.no_grad()
def rewind(model: nn.Module, weights: Sequence[tuple[torch.Tensor, torch.Tensor]]) -> None:
    """Set every layer's (unmasked) weights and biases back to ``weights``; the masks stay."""
    for layer, (weight, bias) in zip(model.layers, weights):
        getattr(layer, "weight_orig", layer.weight).copy_(weight)
        layer.bias.copy_(bias)
        if prune.is_pruned(layer):  # the masked weight, as the next forward pass would recompute it
            layer.weight = layer.weight_orig * layer.weight_mask


def layer_weights(model: nn.Module) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """A copy of each layer's (unmasked) weight and bias."""
    return [(getattr(layer, "weight_orig", layer.weight).detach().clone(), layer.bias.detach().clone())
            for layer in model.layers]


def remaining_fraction(masks: Sequence[torch.Tensor]) -> float:
    return float(sum(mask.sum() for mask in masks) / sum(mask.numel() for mask in masks))


def early_stopping(metrics: pd.DataFrame) -> pd.Series:
    """The epoch of lowest validation loss (Frankle & Carbin's early-stopping iteration)."""
    return metrics.loc[metrics["val_loss"].idxmin()]


def imp_trial(data: ImageData, fresh_model: Callable[[], nn.Module], config: TrainConfig, rounds: int,
              rates: PruningRates, rewind_epoch: int, arms: Sequence[str], trial: int) -> list[dict]:
    """One trial (one initialisation) of iterative magnitude pruning and its controls; one row per trained network."""
    seed = config.seed * 100_003 + trial
    run_config = replace(config, seed=seed)
    steps_per_epoch = math.ceil(len(data.train[1]) / config.batch_size)
    generator = torch.Generator().manual_seed(seed)
    splits = {"train": data.train, "val": data.val, "test": data.test}
    rows = []
    with tempfile.TemporaryDirectory() as scratch:

        def fit(model: nn.Module, arm: str, round_: int, keep=None) -> None:
            metrics = train(model, splits, run_config, Path(scratch) / "metrics.parquet", after_epoch=keep).metrics
            best = early_stopping(metrics)
            rows.append({"trial": trial, "arm": arm, "round": round_, "remaining": remaining_fraction(masks_of(model)),
                         "early_stop_epoch": int(best["epoch"]),
                         "early_stop_iteration": int(best["epoch"]) * steps_per_epoch,
                         "test_accuracy": 1 - float(best["test_error"]),
                         "final_test_accuracy": 1 - float(metrics["test_error"].iloc[-1]),
                         "val_loss": float(best["val_loss"])})

        torch.manual_seed(seed)
        ticket = fresh_model()
        rewind_to = layer_weights(ticket) if rewind_epoch == 0 else None

        def keep_rewind_point(model: nn.Module, epoch: int) -> None:
            nonlocal rewind_to
            if epoch == rewind_epoch:
                rewind_to = layer_weights(model)

        fit(ticket, "winning_ticket", 0, keep_rewind_point)
        if rewind_to is None:
            raise ValueError(f"rewind_epoch={rewind_epoch} is past the {config.epochs} training epochs")
        for round_ in range(1, rounds + 1):
            prune_magnitude(ticket, rates)
            masks = masks_of(ticket)
            rewind(ticket, rewind_to)
            fit(ticket, "winning_ticket", round_)
            if "random_reinit" in arms:
                torch.manual_seed(seed + 7919 * round_)
                reinit = fresh_model()
                apply_masks(reinit, masks)
                fit(reinit, "random_reinit", round_)
            if "random_pruning" in arms:
                shuffled = fresh_model()
                apply_masks(shuffled, random_masks(masks, generator))
                rewind(shuffled, rewind_to)
                fit(shuffled, "random_pruning", round_)
    return rows


def lottery_study(dataset_dir: str | Path, settings: dict, seed: int) -> pd.DataFrame:
    """Every trial of ``s12.lottery`` on a dataset: one row per trained network, with the setting it shares."""
    network = settings["network"]
    data = load_images(dataset_dir, settings["max_train"], settings["val_fraction"], seed, flatten=network == "mlp")
    config = TrainConfig(**settings["train"], seed=seed, progress=False)
    rates = PruningRates(settings["prune_fraction"], settings["output_fraction"], settings["conv_fraction"])
    rows = []
    for trial in range(settings["trials"]):
        rows += imp_trial(data, network_builder(network, settings["hidden"], data), config, settings["rounds"], rates,
                          settings["rewind_epoch"], settings["controls"], trial)
    model = f"mlp-{'-'.join(map(str, settings['hidden']))}" if network == "mlp" else network
    setting = {"n_train": len(data.train[1]), "model": model} | {
        key: settings[key] for key in ("prune_fraction", "output_fraction", "conv_fraction", "rewind_epoch")}
    return pd.DataFrame(rows).assign(**setting)


def lottery_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Mean over trials per arm and round: weights remaining, test accuracy and iteration at early stopping."""
    dense = runs[runs["round"] == 0]
    rows = pd.concat([runs] + [dense.assign(arm=arm) for arm in ARMS if arm != "winning_ticket"
                               and arm in set(runs["arm"])])
    grouped = rows.groupby(["arm", "round"])
    return pd.DataFrame({
        "trials": grouped["trial"].count(),
        "remaining_percent": 100 * grouped["remaining"].mean(),
        "test_accuracy": grouped["test_accuracy"].mean(),
        "test_accuracy_std": grouped["test_accuracy"].std().fillna(0.0),
        "early_stop_iteration": grouped["early_stop_iteration"].mean(),
    }).reset_index()
