"""S12 teacher-student (Livni et al. 2014's setting): does over-parameterisation make training succeed?

A fixed random teacher of ``k`` hidden units labels Gaussian inputs (two balanced classes); students
of ``m k`` hidden units, for each multiple ``m``, are trained by the shared engine from many random
initialisations until zero training error (or the epoch limit). A run succeeds when its training
error reaches ``success_error``; over-parameterised students should succeed more often.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import torch

from dlrepro.models.teacher_student import Teacher, TwoLayerNet
from dlrepro.train.engine import TrainConfig, train


@dataclass
class TeacherData:
    train: tuple[torch.Tensor, torch.Tensor]
    test: tuple[torch.Tensor, torch.Tensor]
    teacher: Teacher


def teacher_data(inputs: int, hidden: int, activation: str, n_train: int, n_test: int, seed: int) -> TeacherData:
    """Standard Gaussian inputs labelled by a random teacher; all of it a function of ``seed``."""
    generator = torch.Generator().manual_seed(seed)
    x_train = torch.randn(n_train, inputs, generator=generator)
    x_test = torch.randn(n_test, inputs, generator=generator)
    teacher = Teacher(inputs, hidden, activation, seed)
    teacher.fit_threshold(x_train)
    return TeacherData(train=(x_train, teacher(x_train)), test=(x_test, teacher(x_test)), teacher=teacher)


def first_epoch_at(metrics: pd.DataFrame, column: str, level: float) -> int | None:
    reached = metrics.loc[metrics[column] <= level, "epoch"]
    return int(reached.iloc[0]) if len(reached) else None


def train_students(data: TeacherData, teacher_width: int, multiples: Sequence[int], seeds: int, activation: str,
                   config: TrainConfig, success_error: float = 0.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One student per (multiple, seed): returns one row per run and the per-epoch curves of all runs."""
    inputs = data.train[0].shape[1]
    rows, curves = [], []
    with tempfile.TemporaryDirectory() as scratch:
        for multiple in multiples:
            width = multiple * teacher_width
            for seed in range(seeds):
                run_config = replace(config, seed=config.seed * 100_003 + seed, until_zero_train_error=True)
                torch.manual_seed(run_config.seed * 7 + width)
                student = TwoLayerNet(inputs, width, 2, activation)
                metrics = train(student, {"train": data.train, "test": data.test}, run_config,
                                Path(scratch) / "metrics.parquet").metrics
                last = metrics.iloc[-1]
                epochs = first_epoch_at(metrics, "train_error", success_error)
                rows.append({"multiple": multiple, "width": width, "seed": seed, "success": epochs is not None,
                             "epochs_to_success": epochs, "epochs_run": int(last["epoch"]),
                             **{key: float(last[key]) for key in ("train_loss", "train_error", "test_loss",
                                                                   "test_error")}})
                curves.append(metrics.assign(multiple=multiple, width=width, seed=seed))
    return pd.DataFrame(rows), pd.concat(curves, ignore_index=True)


def teacher_student_study(settings: dict, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``s12.teacher_student``: the teacher's data, then every student width and seed; (runs, per-epoch metrics)."""
    data = teacher_data(settings["inputs"], settings["teacher_width"], settings["activation"], settings["n_train"],
                        settings["n_test"], seed)
    train_settings = settings["train"]
    config = TrainConfig(epochs=train_settings["max_epochs"], batch_size=train_settings["batch_size"],
                         optimizer=train_settings["optimizer"], lr=train_settings["lr"],
                         momentum=train_settings["momentum"], seed=seed, progress=False)
    return train_students(data, settings["teacher_width"], settings["multiples"], settings["seeds"],
                          settings["activation"], config, settings["success_error"])


def success_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Per student width: success rate over seeds, median epochs of the successful runs, mean test error and loss."""
    grouped = runs.groupby(["multiple", "width"])
    return pd.DataFrame({
        "seeds": grouped["seed"].count(),
        "success_rate": grouped["success"].mean(),
        "median_epochs_to_success": grouped["epochs_to_success"].median(),
        "mean_train_error": grouped["train_error"].mean(),
        "mean_test_error": grouped["test_error"].mean(),
        "mean_test_loss": grouped["test_loss"].mean(),
    }).reset_index()
