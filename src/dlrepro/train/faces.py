"""S3 networks trained with the engine: one-hidden-layer MLPs on face pixels, a fully connected
classifier on frozen AlexNet conv4 activations, and AlexNet fine-tuned with a new head.

Every run writes the engine's per-epoch table (``metrics.parquet``), its trained weights
(``model.pt``, read again for the hidden-unit images and the saliency maps) and returns the
summary the study's table is built from.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch

from dlrepro.features.store import read_features
from dlrepro.io import InputError
from dlrepro.models.mlp import MLP, count_parameters
from dlrepro.train.checkpoint import save_weights
from dlrepro.train.engine import TrainConfig, tensors_from_numpy, train
from dlrepro.train.finetune import finetune, train_val_test

VAL_FRACTION = 0.1  # carved from train (seeded) only for a dataset without a val split


def unit_pixels(images: torch.Tensor) -> torch.Tensor:
    """uint8 faces -> float in [0, 1], the MLP's input (it flattens them itself)."""
    return images.float().div_(255.0)


def seeded_mlp(in_features: int, hidden: int, n_classes: int, seed: int) -> MLP:
    """A one-hidden-layer network whose initial weights come from ``seed`` alone."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return MLP(in_features, (hidden,), n_classes)


def final_accuracies(metrics) -> dict[str, float]:
    """Accuracy on each split after the last epoch (the weights the run keeps); NaN for a split not run."""
    last = metrics.iloc[-1]
    return {f"{split}_accuracy": 1.0 - float(last[f"{split}_error"]) if f"{split}_error" in last else math.nan
            for split in ("train", "val", "test")}


def _fit(model: torch.nn.Module, data: dict, config: TrainConfig, out_dir: Path, transform=None) -> dict[str, Any]:
    out_dir = Path(out_dir)
    result = train(model, data, config, out_dir / "metrics.parquet", transform=transform)
    save_weights(model, out_dir / "model.pt")
    return {**final_accuracies(result.metrics), "epochs": len(result.metrics), "n_train": len(data["train"][1]),
            "n_test": len(data["test"][1]), "parameters": count_parameters(model), "train_config": config.fingerprint()}


def fit_pixel_mlp(dataset_dir: str | Path, hidden: int, config: TrainConfig, out_dir: str | Path) -> dict[str, Any]:
    """Train a one-hidden-layer MLP of ``hidden`` ReLU units on the dataset's pixels (scaled to [0, 1])."""
    data, classes = train_val_test(dataset_dir, VAL_FRACTION, config.seed)
    height, width, channels = data["train"][0].shape[1:]
    model = seeded_mlp(height * width * channels, hidden, len(classes), config.seed)
    summary = _fit(model, data, config, Path(out_dir), unit_pixels)
    return {"dataset": Path(dataset_dir).name, "kind": "mlp", "input": f"{height}x{width}x{channels} pixels",
            "hidden": hidden, "weight_decay": config.weight_decay, "image_shape": [height, width, channels],
            "classes": classes, **summary}


def standardised_splits(features_path: str | Path) -> tuple[dict, int]:
    """The feature table's splits as float tensors, each feature standardised with train's mean and std."""
    matrix, index = read_features(features_path)
    split = index["split"].to_numpy()
    train_rows = split == "train"
    if not train_rows.any() or not (split == "test").any():
        raise InputError(f"{features_path}: needs train and test rows; extract it from a dataset with both")
    mean = matrix[train_rows].mean(axis=0)
    std = matrix[train_rows].std(axis=0)
    scaled = (matrix - mean) / np.where(std > 0, std, 1.0)
    labels = index["label"].to_numpy()
    data = {name: tensors_from_numpy(scaled[split == name], labels[split == name]) for name in ("train", "val", "test")}
    if len(data["val"][1]) == 0:
        data["val"] = None
    return data, matrix.shape[1]


def fit_feature_classifier(features_path: str | Path, classes: list[str], hidden: int, config: TrainConfig,
                           out_dir: str | Path) -> dict[str, Any]:
    """Train a fully connected classifier (one hidden layer of ``hidden`` units) on frozen features."""
    data, dim = standardised_splits(features_path)
    model = seeded_mlp(dim, hidden, len(classes), config.seed)
    summary = _fit(model, data, config, Path(out_dir))
    return {"features": Path(features_path).stem, "kind": "features_fc", "input": f"{dim} conv4 activations",
            "hidden": hidden, "weight_decay": config.weight_decay, "classes": classes, **summary}


def fine_tune_alexnet(dataset_dir: str | Path, weights: str, mode: str, image_size: int, config: TrainConfig,
                      out_dir: str | Path) -> dict[str, Any]:
    """AlexNet with a new head for the dataset's people, trained alone (last_layer) or with every weight
    (full), by S1's fine-tuning; the trained network is kept as an AlexNet state_dict with that head."""
    out_dir = Path(out_dir)
    result = finetune(dataset_dir, "alexnet", weights, mode, image_size, config, out_dir / "metrics.parquet",
                      out_dir, VAL_FRACTION, model_path=out_dir / "model.pt")
    accuracies = final_accuracies(pd.read_parquet(out_dir / "metrics.parquet"))
    return {"dataset": result["dataset"], "kind": f"alexnet_{mode}", "mode": mode, "weights": weights,
            "input": f"{image_size}x{image_size}x3 pixels", "classes": result["classes"], **accuracies,
            "test_accuracy": result["accuracy"], "epochs": result["epochs"], "n_train": result["n_train"],
            "n_test": result["n_test"], "fit_time_s": result["fit_time_s"]}
