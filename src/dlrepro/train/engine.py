"""One training loop for every study: epochs, metrics as Parquet, resumable checkpoints.

``train`` fits a model on a ``train`` split and, after every epoch, evaluates it on every split
it was given (``train``, ``val``, ``test``), appends one row to a Parquet metrics table and saves
a checkpoint. Started again with the same checkpoint path, it resumes after the last completed
epoch; on CPU the resumed run ends with exactly the metrics of an uninterrupted one, because the
checkpoint holds the random states and the shuffling order is derived from (seed, epoch).
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from functools import partial
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset, TensorDataset
from dlrepro.device import resolve_device
from dlrepro.io import atomic_output
from dlrepro.progress import progress_bar
from dlrepro.train.checkpoint import load_checkpoint, restore_rng_states, rng_states, save_checkpoint
from dlrepro.train.optim import OPTIMIZERS, SCHEDULES, build_optimizer, build_scheduler

LOSSES = ("cross_entropy", "squared")
AMP_DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}
SPLITS = ("train", "val", "test")

Split = Dataset | tuple[torch.Tensor, torch.Tensor]
BatchTransform = Callable[[torch.Tensor], torch.Tensor]
# A training objective other than ``config.loss`` on the outputs: (model, inputs, targets) -> (loss,
# named scalars to average over the epoch); REINFORCE needs the model's sampled actions, not only its outputs.
Objective = Callable[[torch.nn.Module, torch.Tensor, torch.Tensor], tuple[torch.Tensor | None, dict[str, float]]]
# Scores of a trained model on one split, as named scalars (default: the classifier's loss and error).
Evaluation = Callable[[torch.nn.Module, Dataset], dict[str, float]]


@dataclass
class TrainConfig:
    """Settings of one training run.

    Stop conditions, whichever comes first: ``epochs``; ``patience`` epochs without a lower
    validation loss; zero training error followed by ``extra_epochs`` more when
    ``until_zero_train_error`` is set. With ``patience`` set, the model ends with the weights of
    its best-validation epoch.
    ``loss="squared"`` is the squared distance to the one-hot target, summed over classes and
    averaged over samples (Belkin et al. 2019). ``amp`` (autocast to bf16 or fp16, with loss
    scaling for fp16) applies on CUDA; ``amp_on_cpu`` applies it on the CPU too, where it is slower
    than float32 but runs the same mixed-precision code as a GPU does (bf16 is the CPU's type).
    """

    epochs: int = 10
    batch_size: int = 64
    optimizer: str = "sgd"
    lr: float = 0.01
    momentum: float = 0.9
    betas: tuple[float, float] = (0.9, 0.999)
    weight_decay: float = 0.0
    schedule: str = "constant"
    step_size: int = 10
    gamma: float = 0.1
    loss: str = "cross_entropy"
    patience: int | None = None
    until_zero_train_error: bool = False
    extra_epochs: int = 0
    clip_grad_norm: float | None = None
    amp: str = "bf16"
    amp_on_cpu: bool = False
    seed: int = 0
    eval_batch_size: int = 1024
    num_workers: int = 0
    device: str | None = None
    progress: bool = True

    def __post_init__(self):
        self.betas = tuple(self.betas)
        choices = {"optimizer": OPTIMIZERS, "schedule": SCHEDULES, "loss": LOSSES, "amp": (*AMP_DTYPES, "off")}
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name}={getattr(self, name)!r}; expected one of {allowed}")
        if self.epochs < 1 or self.batch_size < 1 or self.lr <= 0:
            raise ValueError(f"epochs, batch_size and lr must be positive; got {self.epochs}, {self.batch_size}, {self.lr}")
        if self.patience is not None and self.patience < 1:
            raise ValueError(f"patience must be >= 1 or None; got {self.patience}")

    def fingerprint(self) -> dict[str, Any]:
        """The settings that change the result (not where or how visibly it runs)."""
        ignored = {"device", "progress", "num_workers", "eval_batch_size"}
        return {k: v for k, v in dataclasses.asdict(self).items() if k not in ignored}


def train_config(settings: Mapping[str, Any], **fixed: Any) -> TrainConfig:
    """A study's training settings as a TrainConfig: the keys named like its fields, then ``fixed``.

    A study's section mixes training keys with its own (widths, arch, modes...), and the schema
    names them like TrainConfig's fields, so the section passes as it is; ``fixed`` holds what the
    study sets itself (the seed, its schedule, a key it names otherwise such as S5's max_epochs).
    """
    names = {field.name for field in dataclasses.fields(TrainConfig)}
    return TrainConfig(**({key: value for key, value in settings.items() if key in names} | fixed))


@dataclass
class TrainResult:
    metrics: pd.DataFrame
    stop_reason: str
    best_epoch: int | None


def as_tensors(images: np.ndarray, labels: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """A split as uint8 image and int64 label tensors (images are normalised per batch on the device).

    Arrays are copied only when they must be: read-only (memory-map slices, pandas columns) or
    non-contiguous.
    """
    return (torch.from_numpy(np.require(images, np.uint8, ["C", "W"])),
            torch.from_numpy(np.require(labels, np.int64, ["C", "W"])))


def as_dataset(split: Split) -> Dataset:
    return TensorDataset(*split) if isinstance(split, tuple) else split


def batches(dataset: Dataset, batch_size: int, generator: torch.Generator | None = None,
            num_workers: int = 0, pin_memory: bool = False) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """(inputs, targets) batches, shuffled by ``generator`` when given.

    Tensor datasets are sliced directly: per-item collation would dominate small models.
    """
    n = len(dataset)
    order = None if generator is None else torch.randperm(n, generator=generator)
    if isinstance(dataset, TensorDataset):
        for start in range(0, n, batch_size):
            rows = slice(start, start + batch_size) if order is None else order[start : start + batch_size]
            yield tuple(tensor[rows] for tensor in dataset.tensors)
        return
    sampler = None if order is None else order.tolist()
    yield from DataLoader(dataset, batch_size=batch_size, sampler=sampler, num_workers=num_workers,
                          pin_memory=pin_memory, generator=generator)


def loss_value(name: str, outputs: torch.Tensor, targets: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    """Cross-entropy on logits, or squared distance to the one-hot target summed over classes."""
    outputs = outputs.float()
    if name == "cross_entropy":
        return F.cross_entropy(outputs, targets, reduction=reduction)
    per_sample = (outputs - F.one_hot(targets, outputs.shape[1]).float()).pow(2).sum(dim=1)
    return per_sample.mean() if reduction == "mean" else per_sample.sum()


def _to_device(inputs, targets, device, transform):
    inputs = inputs.to(device, non_blocking=True)
    targets = targets.to(device, non_blocking=True)
    if transform is not None:
        inputs = transform(inputs)
    if inputs.ndim == 4 and device.type == "cuda":
        inputs = inputs.contiguous(memory_format=torch.channels_last)
    return inputs, targets


def amp_enabled(device: torch.device, config: TrainConfig) -> bool:
    """Mixed precision runs on CUDA unless ``amp="off"``, and on the CPU only when ``amp_on_cpu`` asks."""
    return config.amp != "off" and (device.type == "cuda" or (device.type == "cpu" and config.amp_on_cpu))


def _autocast(device: torch.device, config: TrainConfig):
    if not amp_enabled(device, config):
        return contextlib.nullcontext()
    return torch.autocast(device.type, dtype=AMP_DTYPES[config.amp])


@torch.no_grad()
def predict(model: torch.nn.Module, split: Split, config: TrainConfig,
            transform: BatchTransform | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Model outputs (float32, on CPU) and targets for every sample of ``split``, in order."""
    device = resolve_device(config.device)
    model.eval()
    outputs, targets = [], []
    for inputs, target in batches(as_dataset(split), config.eval_batch_size, pin_memory=device.type == "cuda"):
        inputs, target = _to_device(inputs, target, device, transform)
        with _autocast(device, config):
            outputs.append(model(inputs).float().cpu())
        targets.append(target.cpu())
    return torch.cat(outputs), torch.cat(targets)


def evaluate(model: torch.nn.Module, split: Split, config: TrainConfig,
             transform: BatchTransform | None = None) -> tuple[float, float]:
    """(mean loss, error rate) of ``model`` on ``split``."""
    outputs, targets = predict(model, split, config, transform)
    loss = loss_value(config.loss, outputs, targets).item()
    error = (outputs.argmax(dim=1) != targets).float().mean().item()
    return loss, error


def classifier_scores(model: torch.nn.Module, split: Split, config: TrainConfig,
                      transform: BatchTransform | None = None) -> dict[str, float]:
    """The engine's default evaluation: mean loss and error rate."""
    loss, error = evaluate(model, split, config, transform)
    return {"loss": loss, "error": error}


def _train_epoch(model, dataset, optimizer, scaler, config, device, epoch, transform, phases):
    """One pass over ``dataset``, one update per phase and batch; returns the phases' named scalars
    averaged over the samples of the batches that reported them."""
    model.train()
    generator = torch.Generator().manual_seed(config.seed * 100_003 + epoch)
    sums, seen = {}, {}
    for inputs, targets in batches(dataset, config.batch_size, generator, config.num_workers, device.type == "cuda"):
        inputs, targets = _to_device(inputs, targets, device, transform)
        for objective in phases:
            optimizer.zero_grad(set_to_none=True)
            with _autocast(device, config):
                if objective is None:
                    loss = loss_value(config.loss, model(inputs), targets)
                else:
                    loss, scalars = objective(model, inputs, targets)
                    for name, value in scalars.items():
                        sums[name] = sums.get(name, 0.0) + float(value) * len(targets)
                        seen[name] = seen.get(name, 0) + len(targets)
            if loss is None:
                continue
            scaler.scale(loss).backward()
            if config.clip_grad_norm is not None:
                scaler.unscale_(optimizer)
                torch.nn.utils.clip_grad_norm_(model.parameters(), config.clip_grad_norm)
            scaler.step(optimizer)
            scaler.update()
    return {name: total / seen[name] for name, total in sums.items()}


@contextlib.contextmanager
def _deterministic(device: torch.device):
    """Deterministic kernels on CPU, where they cost nothing; CUDA keeps its fast ones."""
    if device.type != "cpu":
        yield
        return
    previous = torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(True)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(previous)


def _fresh_progress() -> dict[str, Any]:
    return {"epoch": 0, "rows": [], "best_val_loss": float("inf"), "best_epoch": None, "best_state": None,
            "bad_epochs": 0, "zero_error_epoch": None, "stop_reason": None}


def _update_stopping(progress: dict[str, Any], row: dict[str, float], model, config: TrainConfig) -> None:
    epoch = row["epoch"]
    if config.patience is not None:
        if row["val_loss"] < progress["best_val_loss"]:
            progress.update(best_val_loss=row["val_loss"], best_epoch=epoch, bad_epochs=0,
                            best_state={k: v.detach().cpu().clone() for k, v in model.state_dict().items()})
        else:
            progress["bad_epochs"] += 1
    if row.get("train_error") == 0 and progress["zero_error_epoch"] is None:
        progress["zero_error_epoch"] = epoch
    if config.until_zero_train_error and progress["zero_error_epoch"] is not None \
            and epoch >= progress["zero_error_epoch"] + config.extra_epochs:
        progress["stop_reason"] = "zero_train_error"
    elif config.patience is not None and progress["bad_epochs"] >= config.patience:
        progress["stop_reason"] = "early_stopping"
    elif epoch >= config.epochs:
        progress["stop_reason"] = "max_epochs"


def write_metrics(rows: list[dict[str, float]] | pd.DataFrame, path: str | Path) -> pd.DataFrame:
    """Rewrite the (small) per-epoch table atomically, so readers never see half a file."""
    frame = pd.DataFrame(rows)
    with atomic_output(path) as tmp:
        frame.to_parquet(tmp, index=False)
    return frame


def train(model: torch.nn.Module, data: Mapping[str, Split | None], config: TrainConfig,
          metrics_path: str | Path, checkpoint_path: str | Path | None = None,
          transform: BatchTransform | None = None, objective: Objective | Sequence[Objective] | None = None,
          evaluation: Evaluation | None = None,
          after_epoch: Callable[[torch.nn.Module, int], None] | None = None) -> TrainResult:
    """Train ``model`` in place on ``data["train"]``; evaluate every given split after each epoch.

    Parameters
    ----------
    model: initialised by the caller (seed its construction for reproducible runs).
    data: split name (train, val, test) -> a Dataset yielding (input, class index) or a pair of
        tensors; ``val`` is required for early stopping.
    metrics_path: Parquet table, one row per epoch: epoch, lr, <split>_loss, <split>_error, time_s.
    checkpoint_path: resume from it when present; rewritten after every epoch.
    transform: applied to each input batch on the device (e.g. uint8 -> normalised float).
    objective: trains on its loss instead of ``config.loss``; its named scalars, averaged over the
        epoch, become columns ``train_<name>`` (evaluation still scores ``model(inputs)``). A sequence
        of objectives is a sequence of phases, each one update on the same batch after the previous
        one (a GAN's critic, then its generator); a phase whose loss is None skips its update.
    evaluation: scores one split instead of the classifier's loss and error; its named scalars
        become columns ``<split>_<name>`` (``val_loss`` is what early stopping watches).
    after_epoch: called with the model and the epoch number after each epoch's evaluation, before
        the checkpoint (e.g. to save samples of a generator, or keep an early epoch's weights
        that lottery tickets rewind to); it must not draw from the global RNGs.
    """
    splits = {name: as_dataset(split) for name, split in data.items() if split is not None}
    unknown = set(splits) - set(SPLITS)
    if "train" not in splits or unknown:
        raise ValueError(f"data needs a 'train' split and only {SPLITS}; got {sorted(data)}")
    if config.patience is not None and "val" not in splits:
        raise ValueError("early stopping (patience) needs a 'val' split")
    device = resolve_device(config.device)
    phases = list(objective) if isinstance(objective, Sequence) else [objective]
    evaluation = evaluation or partial(classifier_scores, config=config, transform=transform)
    model.to(device)
    if device.type == "cuda":
        model.to(memory_format=torch.channels_last)
    optimizer = build_optimizer(model, config.optimizer, config.lr, config.momentum, config.weight_decay,
                                config.betas)
    scheduler = build_scheduler(optimizer, config.schedule, config.epochs, config.step_size, config.gamma)
    scaler = torch.amp.GradScaler(device.type, enabled=amp_enabled(device, config) and config.amp == "fp16")

    saved = load_checkpoint(checkpoint_path) if checkpoint_path is not None else None
    if saved is None:
        torch.manual_seed(config.seed)
        progress = _fresh_progress()
    else:
        if saved["config"] != config.fingerprint():
            raise ValueError(f"{checkpoint_path} was written with other settings "
                             f"({saved['config']}); delete it to start over")
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        scheduler.load_state_dict(saved["scheduler"])
        scaler.load_state_dict(saved["scaler"])
        restore_rng_states(saved["rng"])
        progress = saved["progress"]

    bar = progress_bar(total=config.epochs, initial=progress["epoch"], desc="epochs", disable=not config.progress)
    with _deterministic(device):
        while progress["stop_reason"] is None:
            epoch = progress["epoch"] + 1
            started = time.perf_counter()
            lr = optimizer.param_groups[0]["lr"]
            scalars = _train_epoch(model, splits["train"], optimizer, scaler, config, device, epoch, transform,
                                   phases)
            scheduler.step()
            row = {"epoch": epoch, "lr": lr} | {f"train_{name}": value for name, value in scalars.items()}
            for name in (name for name in SPLITS if name in splits):
                row |= {f"{name}_{key}": value for key, value in evaluation(model, splits[name]).items()}
            if after_epoch is not None:
                after_epoch(model, epoch)
            row["time_s"] = time.perf_counter() - started
            progress["epoch"] = epoch
            progress["rows"].append(row)
            _update_stopping(progress, row, model, config)
            if checkpoint_path is not None:
                save_checkpoint({"config": config.fingerprint(), "model": model.state_dict(),
                                 "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                                 "scaler": scaler.state_dict(), "rng": rng_states(), "progress": progress},
                                checkpoint_path)
            write_metrics(progress["rows"], metrics_path)
            bar.update(1)
            bar.set_postfix({k: f"{row[k]:.3f}" for k in ("train_error", "val_error") if k in row})
    bar.close()
    metrics = write_metrics(progress["rows"], metrics_path)
    if progress["best_state"] is not None:
        model.load_state_dict(progress["best_state"])
    return TrainResult(metrics=metrics, stop_reason=progress["stop_reason"], best_epoch=progress["best_epoch"])


def tensors_from_numpy(images: np.ndarray, labels: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """A (float inputs, int64 targets) pair from numpy arrays, ready for :func:`train`."""
    return torch.as_tensor(np.asarray(images), dtype=torch.float32), torch.as_tensor(np.asarray(labels), dtype=torch.int64)
