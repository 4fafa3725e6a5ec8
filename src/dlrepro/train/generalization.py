"""S5, Zhang et al. 2017: fit a randomised copy of a dataset to zero training error and record
how long it takes, then tabulate the runs.

One run = one data variant x one model x one regularisation setting, trained by the shared
engine until the training error is exactly zero (or ``max_epochs``). Images stay uint8 N x H x W
x C in memory; the per-batch transform normalises them on the device with the training set's
per-channel mean and standard deviation of that variant.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from torch import nn

from dlrepro.data.dataset import load_dataset, subsample
from dlrepro.data.variants import channel_moments, make_variant, parse_corruption
from dlrepro.device import resolve_device
from dlrepro.models.augment import Augment
from dlrepro.models.factory import build_model
from dlrepro.models.mlp import count_parameters
from dlrepro.train.checkpoint import save_weights
from dlrepro.train.engine import TrainConfig, as_tensors, train


@dataclass(frozen=True)
class Regularisation:
    """Explicit regularisers of one run; all zero/False is the unregularised baseline."""

    weight_decay: float = 0.0
    dropout: float = 0.0
    shift: int = 0
    flip: bool = False


@dataclass
class VariantData:
    train: tuple[torch.Tensor, torch.Tensor]
    test: tuple[torch.Tensor, torch.Tensor]
    n_classes: int
    image_shape: tuple[int, int, int]
    mean: np.ndarray
    std: np.ndarray


def load_variant(dataset_dir: str | Path, variant: str, max_train: int | None, seed: int) -> VariantData:
    """The dataset's train (seeded subset of ``max_train``) and test splits turned into ``variant``."""
    dataset = load_dataset(dataset_dir)
    keep = subsample(dataset.index["split"].to_numpy(), {"train": max_train}, seed)
    split = dataset.index["split"].to_numpy()[keep]
    images, labels = dataset.images[keep], dataset.index["label"].to_numpy()[keep]
    train_rows, test_rows = split == "train", split == "test"
    if not train_rows.any() or not test_rows.any():
        raise ValueError(f"{dataset_dir} needs both a train and a test split")
    train_xy, test_xy = make_variant(
        variant,
        (images[train_rows], labels[train_rows]),
        (images[test_rows], labels[test_rows]),
        len(dataset.classes),
        seed,
    )
    mean, std = channel_moments(train_xy[0])
    return VariantData(
        train=as_tensors(*train_xy),
        test=as_tensors(*test_xy),
        n_classes=len(dataset.classes),
        image_shape=tuple(images.shape[1:]),
        mean=mean,
        std=std,
    )


class Normalise(nn.Module):
    """uint8 N x H x W x C batches -> float N x C x H x W with zero mean and unit variance per channel."""

    def __init__(self, mean: np.ndarray, std: np.ndarray):
        super().__init__()
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32).view(1, -1, 1, 1))
        self.register_buffer("std", torch.as_tensor(np.maximum(std, 1e-6), dtype=torch.float32).view(1, -1, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x.permute(0, 3, 1, 2).float() - self.mean) / self.std


def zero_error_time(metrics: pd.DataFrame) -> tuple[int | None, float | None]:
    """First epoch with exactly zero training error and the seconds spent up to its end
    (training plus the engine's per-epoch evaluation), or (None, None) if never reached."""
    reached = metrics.index[metrics["train_error"] == 0]
    if len(reached) == 0:
        return None, None
    first = reached[0]
    return int(metrics.loc[first, "epoch"]), float(metrics.loc[:first, "time_s"].sum())


def fit_variant(
    dataset_dir: str | Path,
    variant: str,
    kind: str,
    width: int,
    regularisation: Regularisation,
    config: TrainConfig,
    out_dir: str | Path,
    max_train: int | None = None,
) -> dict:
    """Train one run to zero training error; writes ``metrics.parquet``, the initial and trained
    weights ``init.pt`` and ``weights.pt`` (S12 measures their norms) in ``out_dir`` (with a resumable
    ``checkpoint.pt`` while it runs) and returns the run's summary."""
    out_dir = Path(out_dir)
    data = load_variant(dataset_dir, variant, max_train, config.seed)
    torch.manual_seed(config.seed)
    model = build_model(kind, data.image_shape, data.n_classes, width, dropout=regularisation.dropout)
    parameters = count_parameters(model)
    save_weights(model, out_dir / "init.pt")
    network = model
    if regularisation.shift or regularisation.flip:
        model = nn.Sequential(Augment(regularisation.shift, regularisation.flip), model)
    device = resolve_device(config.device)
    checkpoint = out_dir / "checkpoint.pt"
    started = time.perf_counter()
    result = train(
        model,
        {"train": data.train, "test": data.test},
        config,
        out_dir / "metrics.parquet",
        checkpoint,
        transform=Normalise(data.mean, data.std).to(device),
    )
    save_weights(network, out_dir / "weights.pt")
    checkpoint.unlink(missing_ok=True)
    epochs, seconds = zero_error_time(result.metrics)
    last = result.metrics.iloc[-1]
    return {
        "variant": variant,
        "corruption": label_corruption(variant),
        "kind": kind,
        "width": width,
        "parameters": parameters,
        **asdict(regularisation),
        "n_train": len(data.train[1]),
        "n_test": len(data.test[1]),
        "epochs_run": int(last["epoch"]),
        "stop_reason": result.stop_reason,
        "epochs_to_zero_error": epochs,
        "seconds_to_zero_error": seconds,
        "seconds_total": time.perf_counter() - started,
        **{key: float(last[key]) for key in ("train_loss", "train_error", "test_loss", "test_error")},
        "device": str(device),
        "train_config": config.fingerprint(),
    }


def label_corruption(variant: str) -> float | None:
    """Fraction p of resampled training labels (0 for true labels, 1 for random), None for pixel variants."""
    if variant == "true_labels":
        return 0.0
    if variant == "random_labels":
        return 1.0
    return parse_corruption(variant)


def fit_table(summaries: list[dict]) -> pd.DataFrame:
    """One row per run with the time to fit, plus the slowdown relative to true labels
    (same model and regularisation): epochs to zero error divided by true labels' epochs."""
    columns = ["model", "regularisation", "variant", "parameters", "epochs_to_zero_error", "seconds_to_zero_error",
               "epochs_run", "train_error", "test_error", "test_loss"]
    table = pd.DataFrame(summaries)[columns]
    baseline = table[table["variant"] == "true_labels"].set_index(["model", "regularisation"])["epochs_to_zero_error"]
    keys = pd.MultiIndex.from_frame(table[["model", "regularisation"]])
    table["slowdown_vs_true_labels"] = table["epochs_to_zero_error"].to_numpy(dtype=float) / baseline.reindex(keys).to_numpy(dtype=float)
    return table.sort_values(["model", "regularisation", "epochs_to_zero_error"], na_position="last").reset_index(drop=True)
