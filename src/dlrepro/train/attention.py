"""S7, recurrent attention (Mnih et al. 2014): RAM with a number of glimpses, or one of the
feed-forward baselines (fc, conv), trained by the shared engine on a canvas dataset (translated or
cluttered digits, :mod:`dlrepro.data.canvases`; with ``redraw``, training canvases drawn anew every
epoch) and scored on its test split. RAM trains on the hybrid objective
(:func:`dlrepro.models.attention.hybrid_objective`) through the engine's ``objective``.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
from torch import nn

from dlrepro.data.canvases import CANVAS_FILE, TRAIN_DIGITS_FILE, FreshCanvases
from dlrepro.data.dataset import load_dataset
from dlrepro.device import resolve_device
from dlrepro.io import InputError, read_json
from dlrepro.models.attention import RAMSpec, RecurrentAttention, conv_net, fully_connected_net, hybrid_objective
from dlrepro.models.mlp import count_parameters
from dlrepro.train.checkpoint import load_weights, save_weights
from dlrepro.train.engine import TrainConfig, as_tensors, train

BASELINES = ("fc", "conv")


class Unit(nn.Module):
    """uint8 N x H x W x 1 batches -> float N x 1 x H x W in [0, 1]."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.permute(0, 3, 1, 2).float() / 255.0


def parse_model(name: str) -> tuple[str, int | None]:
    """``fc``, ``conv`` or ``ram-<glimpses>`` as (kind, glimpses)."""
    if name in BASELINES:
        return name, None
    kind, _, glimpses = name.partition("-")
    if kind != "ram" or not glimpses.isdigit() or int(glimpses) < 1:
        raise ValueError(f"unknown model {name!r}; expected fc, conv or ram-<glimpses> (e.g. ram-6)")
    return kind, int(glimpses)


def build_model(name: str, settings: dict, canvas: dict, n_classes: int) -> nn.Module:
    """Model ``name`` for a canvas of s7 ``settings`` (its ``canvases`` entry ``canvas``)."""
    kind, glimpses = parse_model(name)
    side = canvas["canvas"]
    if kind == "fc":
        return fully_connected_net(side, settings["fc"]["hidden"], n_classes)
    if kind == "conv":
        conv = settings["conv"]
        return conv_net(side, conv["filters"], conv["kernel"], conv["stride"], conv["hidden"], n_classes)
    retina = {**settings["ram"], **canvas.get("retina", {})}
    return RecurrentAttention(RAMSpec(glimpses=glimpses, **retina), n_classes)


def model_train_settings(settings: dict, name: str) -> dict:
    """The training settings of model ``name``: s7 ``train``, with ``baseline_train``'s keys replacing
    its own for the fc and conv nets (they train well by SGD, where RAM needs Adam)."""
    kind, _ = parse_model(name)
    return settings["train"] | (settings.get("baseline_train", {}) if kind in BASELINES else {})


def load_canvases(dataset_dir: str | Path, splits: tuple[str, ...] = ("train", "test")
                  ) -> tuple[dict[str, tuple[torch.Tensor, torch.Tensor]], list[str]]:
    """The named splits of a canvas dataset as tensors; only their images are read from disk."""
    dataset = load_dataset(dataset_dir)
    split, labels = dataset.index["split"].to_numpy(), dataset.index["label"].to_numpy()
    if dataset.images.shape[3] != 1:
        raise InputError(f"{dataset_dir}: {dataset.images.shape[3]} channels; expected grey canvases "
                         "written by `dlrepro attention canvases`")
    data = {name: as_tensors(np.asarray(dataset.images[split == name]), labels[split == name]) for name in splits}
    missing = [name for name, (_, y) in data.items() if len(y) == 0]
    if missing:
        raise InputError(f"{dataset_dir}: no {' or '.join(missing)} images; give the source dataset both splits")
    return data, dataset.classes


def canvas_record(dataset_dir: str | Path) -> dict:
    """How the canvases were written: the digits' size (None for a dataset without canvas.json), the
    canvases per training digit, and whether training redraws them every epoch."""
    path = Path(dataset_dir) / CANVAS_FILE
    written = read_json(path) if path.is_file() else {}
    return {"digit_size": written.get("digit_size"), "copies": written.get("copies", 1),
            "redraw": written.get("redraw", False)}


def fresh_training_canvases(dataset_dir: str | Path, canvas: dict) -> FreshCanvases:
    """The training split of a canvas dataset redrawn at every epoch, from its training digits."""
    path = Path(dataset_dir) / TRAIN_DIGITS_FILE
    if not path.is_file():
        raise InputError(f"{path}: missing; rewrite the canvases with `dlrepro attention canvases` to redraw them")
    index = load_dataset(dataset_dir).index
    labels = index["label"].to_numpy()[index["split"].to_numpy() == "train"]
    digits = np.load(path)
    if len(digits) != len(labels) or len(labels) == 0:
        raise InputError(f"{path}: {len(digits)} digits for {len(labels)} training canvases; rewrite the canvases "
                         "with `dlrepro attention canvases`")
    return FreshCanvases(digits, labels, canvas["canvas"], canvas["fragments"], canvas["fragment_size"])


def train_model(dataset_dir: str | Path, name: str, settings: dict, canvas: dict, seed: int,
                out_dir: str | Path) -> dict:
    """Train model ``name`` on the canvases; writes metrics.parquet and model.pt in ``out_dir`` and
    returns the run's summary (test error after the last epoch)."""
    out_dir = Path(out_dir)
    written = canvas_record(dataset_dir)
    if written["redraw"]:  # the stored training canvases are not read
        data, classes = load_canvases(dataset_dir, ("test",))
        data["train"] = fresh_training_canvases(dataset_dir, canvas)
        n_canvases = len(data["train"])
    else:
        data, classes = load_canvases(dataset_dir)
        n_canvases = len(data["train"][1])
    n_train = n_canvases // written["copies"]  # digits, as the paper counts them
    torch.manual_seed(seed)
    model = build_model(name, settings, canvas, len(classes))
    kind, glimpses = parse_model(name)
    config = TrainConfig(**model_train_settings(settings, name), seed=seed)
    device = resolve_device(config.device)
    checkpoint = out_dir / "checkpoint.pt"
    started = time.perf_counter()
    result = train(model, data, config, out_dir / "metrics.parquet", checkpoint, transform=Unit().to(device),
                   objective=hybrid_objective if kind == "ram" else None)
    checkpoint.unlink(missing_ok=True)
    save_weights(model, out_dir / "model.pt")
    last = result.metrics.iloc[-1]
    return {
        "model": name,
        "kind": kind,
        "glimpses": glimpses,
        "ram": asdict(model.spec) if kind == "ram" else None,
        "canvas": canvas,
        **written,
        "parameters": count_parameters(model),
        "classes": classes,
        "n_train": n_train,
        "n_test": len(data["test"][1]),
        "epochs_run": int(last["epoch"]),
        "train_error": float(last["train_error"]),
        "test_error": float(last["test_error"]),
        "seconds": time.perf_counter() - started,
        "device": str(device),
    }


def load_model(run_dir: str | Path, summary: dict, settings: dict) -> nn.Module:
    """The trained model of a run folder (model.pt) as its summary describes it."""
    model = build_model(summary["model"], settings, summary["canvas"], len(summary["classes"]))
    return load_weights(model, Path(run_dir) / "model.pt", f"model {summary['model']}",
                        "retrain it with `dlrepro attention train`")
