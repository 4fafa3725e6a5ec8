"""S4, the artist-classification practical: one configurable CNN per experiment, trained by the
shared engine on the train split and judged on the validation split only; the test split is
scored afterwards, for the configuration chosen on validation and for the robustness table.

An experiment is the base ``network`` and ``train`` settings with the entry's own changes (an
entry of ``experiments``, or an architecture of ``architectures`` trained with the base
training). Images stay uint8 N x H x W x C; :class:`Scale` maps each batch to [-0.5, 0.5] on the device.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from dlrepro.data.dataset import load_dataset
from dlrepro.device import resolve_device
from dlrepro.models.augment import PERTURBATIONS, RandomPerturbation, perturb
from dlrepro.models.mlp import count_parameters
from dlrepro.models.small_cnn import ConvNetSpec, build_conv_net, last_conv_receptive_field
from dlrepro.train.checkpoint import load_weights, save_weights
from dlrepro.train.engine import TrainConfig, as_tensors, predict, train

GROUPS = ("experiments", "architectures")


class Scale(nn.Module):
    """uint8 N x H x W x C batches -> float N x C x H x W in [-0.5, 0.5], as the practical scales them."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.permute(0, 3, 1, 2).float() / 255.0 - 0.5


@dataclass
class Experiment:
    """One run: its network, its engine settings (seed left to the caller) and whether it trains with
    the robustness test's image changes."""

    name: str
    group: str
    spec: ConvNetSpec
    train: dict
    augment: bool


def experiment(settings: dict, name: str) -> Experiment:
    """Experiment ``name`` of the s4 ``settings``: the base network and training with its changes."""
    for group in GROUPS:
        if name in settings.get(group, {}):
            entry = settings[group][name]
            if group == "architectures":
                entry = {"network": entry}
            network = {**settings["network"], **entry.get("network", {})}
            training = {**settings["train"], **entry.get("train", {})}
            return Experiment(name, group, ConvNetSpec(**network), training, entry.get("augment", False))
    known = sorted(n for group in GROUPS for n in settings.get(group, {}))
    raise ValueError(f"s4 has no experiment or architecture {name!r}; it has {known}")


@dataclass
class Splits:
    data: dict[str, tuple[torch.Tensor, torch.Tensor]]
    classes: list[str]
    image_shape: tuple[int, int, int]
    images: dict[str, np.ndarray]

    def majority_rate(self, split: str) -> float:
        """Share of ``split`` in the training split's most common class: what always guessing it scores."""
        majority = np.bincount(self.data["train"][1].numpy(), minlength=len(self.classes)).argmax()
        return float((self.data[split][1].numpy() == majority).mean())


def load_splits(dataset_dir: str | Path) -> Splits:
    """The dataset's train, val and test splits (each required) as tensors."""
    dataset = load_dataset(dataset_dir)
    split = dataset.index["split"].to_numpy()
    labels = dataset.index["label"].to_numpy()
    missing = [name for name in ("train", "val", "test") if not (split == name).any()]
    if missing:
        raise ValueError(f"{dataset_dir} has no {' or '.join(missing)} split; give the dataset a val_fraction "
                         "and a test_fraction (or split folders)")
    images = {name: np.asarray(dataset.images[split == name]) for name in ("train", "val", "test")}
    data = {name: as_tensors(images[name], labels[split == name]) for name in images}
    return Splits(data, dataset.classes, tuple(dataset.images.shape[1:]), images)


def engine_config(run: Experiment, seed: int) -> TrainConfig:
    return TrainConfig(**run.train, seed=seed)


def train_experiment(dataset_dir: str | Path, run: Experiment, robustness: dict, seed: int,
                     out_dir: str | Path) -> dict:
    """Train ``run`` on the train split, evaluating on val after every epoch; writes metrics.parquet
    and model.pt (the network's weights) in ``out_dir`` and returns the run's summary. The test
    split is not looked at."""
    out_dir = Path(out_dir)
    splits = load_splits(dataset_dir)
    torch.manual_seed(seed)
    network = build_conv_net(run.spec, splits.image_shape, len(splits.classes))
    model = nn.Sequential(RandomPerturbation(PERTURBATIONS, **robustness), network) if run.augment else network
    config = engine_config(run, seed)
    device = resolve_device(config.device)
    checkpoint = out_dir / "checkpoint.pt"
    started = time.perf_counter()
    result = train(model, {"train": splits.data["train"], "val": splits.data["val"]}, config,
                   out_dir / "metrics.parquet", checkpoint, transform=Scale().to(device))
    checkpoint.unlink(missing_ok=True)
    save_weights(network, out_dir / "model.pt")
    chosen = result.metrics.iloc[-1] if result.best_epoch is None else \
        result.metrics.set_index("epoch").loc[result.best_epoch].rename(result.best_epoch)
    last = result.metrics.iloc[-1]
    return {
        "name": run.name,
        "group": run.group,
        "network": asdict(run.spec) | {"channels": list(run.spec.channels)},
        "train": run.train,
        "augment": run.augment,
        "parameters": count_parameters(network),
        "receptive_field": last_conv_receptive_field(run.spec),
        "classes": splits.classes,
        "image_shape": list(splits.image_shape),
        "n_train": len(splits.data["train"][1]),
        "n_val": len(splits.data["val"][1]),
        "epochs_run": int(last["epoch"]),
        "stop_reason": result.stop_reason,
        "best_epoch": result.best_epoch,
        "train_accuracy": 1 - float(chosen["train_error"]),
        "val_accuracy": 1 - float(chosen["val_error"]),
        "val_loss": float(chosen["val_loss"]),
        "seconds": time.perf_counter() - started,
        "device": str(device),
    }


def load_network(run_dir: str | Path, summary: dict) -> nn.Module:
    """The trained network of a run folder (model.pt) as its summary describes it."""
    network = build_conv_net(ConvNetSpec(**summary["network"]), tuple(summary["image_shape"]), len(summary["classes"]))
    return load_weights(network, Path(run_dir) / "model.pt", f"run {summary['name']}",
                        "retrain it with `dlrepro artists train`")


def predictions(network: nn.Module, split: tuple[torch.Tensor, torch.Tensor], change: str | None = None,
                strengths: dict | None = None) -> np.ndarray:
    """Predicted class of every image of ``split``, after the robustness ``change`` when given."""
    scale = Scale()

    def transform(x):
        x = scale(x)
        return x if change is None else perturb(x, change, **(strengths or {}))

    config = TrainConfig(progress=False)
    outputs, _ = predict(network.to(resolve_device(config.device)), split, config, transform)
    return outputs.argmax(dim=1).numpy()


def accuracy(network: nn.Module, split: tuple[torch.Tensor, torch.Tensor], change: str | None = None,
             strengths: dict | None = None) -> float:
    return float((predictions(network, split, change, strengths) == split[1].numpy()).mean())


def robustness_row(network: nn.Module, test: tuple[torch.Tensor, torch.Tensor], strengths: dict) -> dict[str, float]:
    """Test accuracy on the original images and on each changed copy of them."""
    return {"original": accuracy(network, test), **{name: accuracy(network, test, name, strengths)
                                                     for name in PERTURBATIONS}}
