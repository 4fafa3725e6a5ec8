"""S6 double descent (Belkin et al. 2019): one-hidden-layer networks swept across n x K parameters.

The sweep runs the widths in increasing order and follows Belkin et al.'s protocol (SI,
"Neural networks"). Below the interpolation threshold (parameters < n K) each network starts from
the previous, smaller trained one (weight reuse: its units copied, the new weights drawn from
N(0, 0.01)), its step size drops by ``gamma`` every ``step_size`` epochs and it stops at zero
training error; from the threshold on, each starts from a fresh Glorot initialisation and trains
all its epochs at the fixed step size. Reuse makes the sweep a chain, so it runs as one job; each
width keeps its own engine checkpoint, so a killed sweep resumes at the width it stopped in. Each
width's initial and trained weights go to one file per sweep (``write_weights``), with what rebuilds
its training subset, for S12's measured bounds.
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from torch import nn

from dlrepro.data.dataset import load_dataset
from dlrepro.io import InputError, atomic_output, write_json
from dlrepro.models.mlp import MLP, count_parameters
from dlrepro.plots.double_descent import plot_double_descent
from dlrepro.report.captions import s6_caption
from dlrepro.train.checkpoint import state_key
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

    def digest(self) -> str:
        """SHA-256 of the inputs and labels, to key resumable state by the data it was trained on."""
        digest = hashlib.sha256()
        for tensor in (*self.train, *self.test):
            digest.update(tensor.numpy().tobytes())
        return digest.hexdigest()


def load_subset(dataset_dir: str | Path, n_train: int, seed: int) -> Subset:
    """A seeded subset of n training images and the whole test split, flattened, scaled to [0, 1]
    and centred on the subset's mean image.

    Centring matters: on all-positive inputs every first-layer gradient of a unit has one sign, so
    the first large steps push all of a unit's weights down together and narrow ReLU networks
    lose most of their units for good (on MNIST, H = 5 ended at chance, the error of 10 classes).
    """
    dataset = load_dataset(dataset_dir)
    train_images, train_index = dataset.split("train")
    if n_train > len(train_index):
        raise ValueError(f"n_train={n_train} but {dataset_dir} has only {len(train_index)} training images")
    rows = np.sort(np.random.default_rng(seed).choice(len(train_index), size=n_train, replace=False))
    test_images, test_index = dataset.split("test")

    def unit_flat(images):
        return np.asarray(images, dtype=np.float32).reshape(len(images), -1) / 255.0

    train_flat = unit_flat(train_images[rows])
    mean_image = train_flat.mean(axis=0)

    def tensors(flat, labels):
        return torch.from_numpy(flat - mean_image), torch.tensor(labels, dtype=torch.int64)

    return Subset(train=tensors(train_flat, train_index["label"].to_numpy()[rows]),
                  test=tensors(unit_flat(test_images), test_index["label"].to_numpy()),
                  n_classes=len(dataset.classes))


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


def width_config(config: TrainConfig, below_threshold: bool) -> TrainConfig:
    """Belkin's schedule for one width: step decay and a stop at zero training error below nK only."""
    if below_threshold:
        return dataclasses.replace(config, schedule="step", until_zero_train_error=True)
    return dataclasses.replace(config, schedule="constant", until_zero_train_error=False)


def state_copy(model: nn.Module) -> dict[str, torch.Tensor]:
    return {name: value.detach().cpu().clone() for name, value in model.state_dict().items()}


def run_sweep(subset: Subset, widths: Sequence[int], config: TrainConfig, state_dir: str | Path,
              reuse: bool = True) -> tuple[pd.DataFrame, pd.DataFrame, dict[int, dict]]:
    """Train one network per width (increasing); return one row of final metrics per width, the
    per-epoch curves of every width and, per width, its ``initial`` and ``final`` state_dicts (the
    initial one of a reused width is the grown network it started from).

    A killed sweep resumes from ``<state_dir>/<key>/width_<H>/``, keyed by the settings, the
    subset's content and dlrepro's code, so no run of other inputs is ever resumed; when the
    sweep completes, ``state_dir`` is removed.
    """
    settings = {"config": config.fingerprint(), "reuse": reuse, "data": subset.digest()}
    runs_dir = Path(state_dir) / state_key(settings, [])
    previous, rows, curves, networks = None, [], [], {}
    for width in sorted(set(widths)):
        torch.manual_seed(config.seed * 100_003 + width)
        model = MLP(subset.in_features, [width], subset.n_classes)
        parameters = count_parameters(model)
        below_threshold = parameters < subset.threshold
        reused = reuse and previous is not None and below_threshold
        if reused:
            grow_from(previous, model)
        else:
            glorot_init(model)
        initial = state_copy(model)
        folder = runs_dir / f"width_{width}"
        result = train(model, {"train": subset.train, "test": subset.test}, width_config(config, below_threshold),
                       folder / "metrics.parquet", folder / "checkpoint.pt")
        last = result.metrics.iloc[-1]
        rows.append({"width": width, "parameters": parameters, "reused": reused, "epochs": int(last["epoch"]),
                     "train_loss": last["train_loss"], "train_error": last["train_error"],
                     "test_loss": last["test_loss"], "test_error": last["test_error"],
                     "fit_time_s": float(result.metrics["time_s"].sum())})
        curves.append(result.metrics.assign(width=width, parameters=parameters))
        networks[width] = {"initial": initial, "final": state_copy(model)}
        previous = model
    table = pd.DataFrame(rows)
    table.insert(0, "loss", config.loss)
    table.insert(1, "n_train", len(subset.train[1]))
    table.insert(2, "n_classes", subset.n_classes)
    shutil.rmtree(state_dir)
    return table, pd.concat(curves, ignore_index=True), networks


def write_weights(networks: dict[int, dict], n_train: int, seed: int, subset: Subset, path: str | Path) -> None:
    """Every width's initial and final weights in one file, with the ``n_train`` and ``seed`` that
    rebuild the training subset (``load_subset``) and the subset's digest that proves it."""
    with atomic_output(path) as tmp:
        torch.save({"n_train": n_train, "seed": seed, "data": subset.digest(), "widths": networks}, tmp)


def read_weights(path: str | Path) -> dict:
    """The document ``write_weights`` saved; one line naming the file when it holds no such thing."""
    try:
        sweep = torch.load(path, map_location="cpu", weights_only=True)
        if not {"n_train", "seed", "data", "widths"} <= set(sweep):
            raise KeyError("n_train, seed, data, widths")
    except Exception as err:  # torch raises many kinds for a file that is not such a document
        raise InputError(f"{path}: not the weights of an S6 sweep ({type(err).__name__}); "
                         "rerun `dlrepro double-descent run`") from None
    return sweep


def load_network(sweep: dict, width: int, which: str, in_features: int, n_classes: int) -> MLP:
    """The ``initial`` or ``final`` network of one width of a sweep read by ``read_weights``."""
    model = MLP(in_features, [width], n_classes)
    model.load_state_dict(sweep["widths"][width][which])
    return model.eval()


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


def write_summary(table_path: str | Path, dataset: str, figure_path: str | Path, section_path: str | Path) -> str:
    """Plot the sweep table with the nK threshold, write the report section (JSON) and return
    the sentence that says where the peaks fell."""
    sweep = pd.read_csv(table_path)
    if sweep.empty or "parameters" not in sweep:
        raise ValueError(f"{table_path} holds no sweep rows; rerun `dlrepro double-descent run`")
    n, k, epochs = int(sweep["n_train"].iloc[0]), int(sweep["n_classes"].iloc[0]), int(sweep["epochs"].max())
    settings = (f"{dataset}, n = {n} training images, K = {k} classes, one hidden layer of H units, "
                f"{sweep['loss'].iloc[0].replace('_', '-')} loss, up to {epochs} epochs per width, "
                f"{'weight reuse below nK' if sweep['reused'].any() else 'fresh initialisation for every width'}")
    plot_double_descent(sweep, figure_path, title=f"Double descent on {dataset} (n = {n}, nK = {n * k})")
    peaks = peak_statement(sweep)
    write_json({
        "title": "S6. Double descent (Belkin et al. 2019)",
        "intro": f"{settings}. {peaks} Belkin et al. (MNIST, n = 4000) find the test "
                 "loss peaking at the interpolation threshold nK and descending again beyond it.",
        "figures": [{"path": str(figure_path), "caption": (
            f"{s6_caption(str(n), sweep['loss'].iloc[0].replace('_', '-'), dataset)} Settings: {settings}.")}],
        "tables": [{"path": str(table_path), "caption": f"Final metrics per width; {settings}."}],
    }, section_path)
    return peaks
