"""S6 double descent (Belkin et al. 2019): one-hidden-layer networks swept across n x K parameters.

The sweep runs the widths in increasing order. Below the interpolation threshold (parameters
< n K) each network starts from the previous, smaller trained one (Belkin's weight reuse: its
units copied, the new weights drawn from N(0, 0.01)); from the threshold on, each starts from a
fresh Glorot initialisation. Reuse makes the sweep a chain, so it runs as one job; each width
keeps its own engine checkpoint, so a killed sweep resumes at the width it stopped in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from torch import nn

from dlrepro.data.dataset import load_dataset
from dlrepro.io import atomic_output
from dlrepro.models.mlp import MLP, count_parameters
from dlrepro.train.checkpoint import settings_digest
from dlrepro.train.engine import TrainConfig, train

REUSE_STD = 0.1  # Belkin et al.: new weights ~ N(0, variance 0.01)


@dataclasses.dataclass
class Subset:
    train: tuple[torch.Tensor, torch.Tensor]
    test: tuple[torch.Tensor, torch.Tensor]
    n_classes: int

    @property
    def in_features(self) -> int:
        return self.train[0].shape[1]

    @property
    def threshold(self) -> int:
        """Belkin's interpolation threshold: n K parameters."""
        return len(self.train[1]) * self.n_classes


def load_subset(dataset_dir: str | Path, n_train: int, seed: int) -> Subset:
    """A seeded subset of n training images and the whole test split, flattened and scaled to [0, 1]."""
    dataset = load_dataset(dataset_dir)
    train_images, train_index = dataset.split("train")
    if n_train > len(train_index):
        raise ValueError(f"n_train={n_train} but {dataset_dir} has only {len(train_index)} training images")
    rows = np.sort(np.random.default_rng(seed).choice(len(train_index), size=n_train, replace=False))
    test_images, test_index = dataset.split("test")

    def tensors(images, labels):
        flat = np.asarray(images, dtype=np.float32).reshape(len(images), -1) / 255.0
        return torch.from_numpy(flat), torch.tensor(labels, dtype=torch.int64)

    return Subset(train=tensors(train_images[rows], train_index["label"].to_numpy()[rows]),
                  test=tensors(test_images, test_index["label"].to_numpy()), n_classes=len(dataset.classes))


def glorot_init(model: MLP) -> None:
    for layer in model.layers:
        nn.init.xavier_uniform_(layer.weight)
        nn.init.zeros_(layer.bias)


@torch.no_grad()
def grow_from(smaller: MLP, larger: MLP, std: float = REUSE_STD) -> None:
    """Initialise ``larger`` with ``smaller``'s trained weights in its first hidden units, the rest N(0, std^2)."""
    first, last = larger.layers
    old_first, old_last = smaller.layers
    hidden = old_first.out_features
    for layer in (first, last):
        nn.init.normal_(layer.weight, std=std)
        nn.init.normal_(layer.bias, std=std)
    first.weight[:hidden] = old_first.weight
    first.bias[:hidden] = old_first.bias
    last.weight[:, :hidden] = old_last.weight
    last.bias[:] = old_last.bias


def run_sweep(subset: Subset, widths: Sequence[int], config: TrainConfig, out_dir: str | Path,
              reuse: bool = True) -> pd.DataFrame:
    """Train one network per width (increasing) and return one row of final metrics per width.

    Each width writes ``<out_dir>/<settings digest>/width_<H>/metrics.parquet`` and resumes from
    its checkpoint there; the digest keeps runs of other settings from being resumed.
    """
    settings = {"config": config.fingerprint(), "n_train": len(subset.train[1]), "reuse": reuse}
    out_dir = Path(out_dir) / settings_digest(settings)
    previous, rows = None, []
    for width in sorted(set(widths)):
        torch.manual_seed(config.seed * 100_003 + width)
        model = MLP(subset.in_features, [width], subset.n_classes)
        parameters = count_parameters(model)
        reused = reuse and previous is not None and parameters < subset.threshold
        if reused:
            grow_from(previous, model)
        else:
            glorot_init(model)
        folder = out_dir / f"width_{width}"
        result = train(model, {"train": subset.train, "test": subset.test}, config,
                       folder / "metrics.parquet", folder / "checkpoint.pt")
        last = result.metrics.iloc[-1]
        rows.append({"width": width, "parameters": parameters, "reused": reused, "epochs": int(last["epoch"]),
                     "train_loss": last["train_loss"], "train_error": last["train_error"],
                     "test_loss": last["test_loss"], "test_error": last["test_error"],
                     "fit_time_s": float(result.metrics["time_s"].sum())})
        previous = model
    table = pd.DataFrame(rows)
    table.insert(0, "loss", config.loss)
    table.insert(1, "n_train", len(subset.train[1]))
    table.insert(2, "n_classes", subset.n_classes)
    return table


def write_table(table: pd.DataFrame, path: str | Path) -> None:
    with atomic_output(path) as tmp:
        table.to_csv(tmp, index=False)


def double_descent_peak(table: pd.DataFrame, column: str) -> pd.Series:
    """The row where ``column`` peaks after its first local minimum (the end of the classical U).

    The smallest networks underfit and have the largest loss of all; the double-descent peak
    is the maximum that follows the first descent (the widest network when the loss only falls).
    """
    values = table.sort_values("parameters").reset_index(drop=True)
    series = values[column].to_numpy()
    rises = np.flatnonzero(np.diff(series) > 0)
    start = rises[0] if len(rises) else len(series) - 1
    return values.loc[start + int(np.argmax(series[start:]))]


def peak_statement(table: pd.DataFrame) -> str:
    """Where the test-loss and test-error peaks fell relative to the n K threshold."""
    threshold = int(table["n_train"].iloc[0] * table["n_classes"].iloc[0])
    parts = []
    for column, name in (("test_loss", f"test {table['loss'].iloc[0].replace('_', '-')} loss"),
                         ("test_error", "test 0-1 loss")):
        peak = double_descent_peak(table, column)
        parts.append(f"the {name} peaks at H = {peak['width']} ({peak['parameters']} parameters, "
                     f"{peak['parameters'] / threshold:.2f} x nK; {peak[column]:.3g})")
    return f"Interpolation threshold nK = {threshold} parameters; " + "; ".join(parts) + "."
