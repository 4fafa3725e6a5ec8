"""S11, MLP and VGG baselines: sweeps of fully connected networks (depth x width, with ReLU and
without) and of VGG-style CNNs (convolutions per stage), each run through the shared engine on a
dataset's train split and scored on its test split; one table row per network."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from torch import nn

from dlrepro.data.dataset import load_dataset
from dlrepro.io import InputError, write_csv
from dlrepro.models.mlp import MLP, count_parameters
from dlrepro.models.vgg import VGGSpec, build_vgg
from dlrepro.train.engine import Split, TrainConfig, as_tensors, train

ACTIVATIONS = ("relu", "linear")


class Scaled(nn.Module):
    """uint8 N x H x W x C batches -> float N x C x H x W in [0, 1]."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.permute(0, 3, 1, 2).float() / 255.0


def load_image_splits(dataset_dir: str | Path) -> tuple[dict[str, tuple[torch.Tensor, torch.Tensor]], list[str],
                                                         tuple[int, int, int]]:
    """(train and test splits as uint8 image and label tensors, class names, H x W x C)."""
    dataset = load_dataset(dataset_dir)
    split, labels = dataset.index["split"].to_numpy(), dataset.index["label"].to_numpy()
    data = {name: as_tensors(np.asarray(dataset.images[split == name]), labels[split == name])
            for name in ("train", "test")}
    missing = [name for name, (_, y) in data.items() if len(y) == 0]
    if missing:
        raise InputError(f"{dataset_dir}: no {' or '.join(missing)} images; S10 and S11 need both splits")
    return data, dataset.classes, tuple(dataset.images.shape[1:])


def fit_run(model: nn.Module, data: dict[str, Split], train_settings: dict, seed: int, metrics_path: Path,
            transform: Callable | None = None) -> dict:
    """Train ``model`` (seeded by the caller) by the engine; its size, final accuracies and time."""
    config = TrainConfig(**train_settings, seed=seed, progress=False)
    started = time.process_time()
    result = train(model, data, config, metrics_path, transform=transform)
    last = result.metrics.iloc[-1]
    return {"parameters": count_parameters(model), "epochs": int(last["epoch"]),
            "train_accuracy": 1 - float(last["train_error"]), "test_accuracy": 1 - float(last["test_error"]),
            "cpu_seconds": round(time.process_time() - started, 2)}


def write_table(rows: list[dict], path: Path) -> pd.DataFrame:
    table = pd.DataFrame(rows)
    write_csv(table, path)
    return table


def mlp_sweep(dataset_dir: str | Path, settings: dict, seed: int, out_dir: str | Path) -> pd.DataFrame:
    """Every depth x width x activation of s11.mlp; writes <name>.parquet per run and runs.csv."""
    out_dir = Path(out_dir)
    data, classes, shape = load_image_splits(dataset_dir)
    rows = []
    for activation in settings["activations"]:
        for depth in settings["depths"]:
            for width in settings["widths"]:
                name = f"mlp-{activation}-d{depth}-w{width}"
                torch.manual_seed(seed)
                model = MLP(int(np.prod(shape)), [width] * depth, len(classes), relu=activation == "relu")
                run = fit_run(model, data, settings["train"], seed, out_dir / f"{name}.parquet", Scaled())
                rows.append({"model": name, "family": "mlp", "activation": activation, "depth": depth,
                             "width": width, "dataset": Path(dataset_dir).name, "n_train": len(data["train"][1])}
                            | run)
    return write_table(rows, out_dir / "runs.csv")


def vgg_sweep(dataset_dir: str | Path, settings: dict, seed: int, out_dir: str | Path) -> pd.DataFrame:
    """A VGG-style CNN per depth of s11.vgg (convolutions per stage); writes <name>.parquet and runs.csv."""
    out_dir = Path(out_dir)
    data, classes, shape = load_image_splits(dataset_dir)
    rows = []
    for depth in settings["depths"]:
        spec = VGGSpec(settings["widths"], depth, settings["batch_norm"], settings["hidden"])
        name = f"vgg-d{depth}"
        torch.manual_seed(seed)
        model = build_vgg(spec, shape, len(classes))
        run = fit_run(model, data, settings["train"], seed, out_dir / f"{name}.parquet", Scaled())
        rows.append({"model": name, "family": "vgg", "activation": "relu", "depth": depth,
                     "width": "-".join(map(str, spec.widths)), "dataset": Path(dataset_dir).name,
                     "n_train": len(data["train"][1])} | run)
    return write_table(rows, out_dir / "runs.csv")
