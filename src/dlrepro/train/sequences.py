"""S10, sequence models: a vanilla RNN and an LSTM predict the last digit of palindromes of
growing length T, with and without gradient clipping by max norm, through the shared engine; and an
LSTM reads images row by row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import torch

from dlrepro.io import write_json
from dlrepro.data.palindromes import DIGITS, palindromes
from dlrepro.models.sequence import OneHot, Rows, SequenceClassifier
from dlrepro.train.baselines import fit_run, load_image_splits, write_table

GRADIENT_BATCH = 256


def first_step_gradient(model: SequenceClassifier, inputs: torch.Tensor, labels: torch.Tensor) -> float:
    """||dL/dh_1|| averaged over the first test sequences: what of the loss reaches the digit to remember."""
    model.eval()
    device = next(model.parameters()).device  # trained by the engine, the model may sit on a GPU
    inputs, labels = inputs[:GRADIENT_BATCH].to(device), labels[:GRADIENT_BATCH].to(device)
    return float(model.hidden_gradient_norms(OneHot(DIGITS)(inputs), labels)[0])


def palindrome_sweep(cell: str, settings: dict, seed: int, out_dir: str | Path) -> pd.DataFrame:
    """Cell ``cell`` trained on every length of s10.palindromes, without and/or with clipping, ``seeds``
    times each (seed, seed + 1, ...: sequences and initialisation); writes T<length>-<clip>-s<seed>.parquet
    per run and sweep.csv (accuracy, first-step gradient norms)."""
    out_dir = Path(out_dir)
    rows = []
    for length in settings["lengths"]:
        for run_seed in range(seed, seed + settings["seeds"]):
            # each run its own sequences, streams 2s and 2s + 1: no run's test set is another run's training set
            data = {split: tuple(map(torch.from_numpy,
                                     palindromes(settings[f"n_{split}"], length, 2 * run_seed + offset)))
                    for split, offset in (("train", 0), ("test", 1))}
            for clip in settings["clipping"]:
                torch.manual_seed(run_seed)
                model = SequenceClassifier(cell, DIGITS, settings["hidden"], DIGITS, settings["forget_bias"])
                at_init = first_step_gradient(model, *data["test"])
                train_settings = settings["train"] | {"clip_grad_norm": settings["max_norm"] if clip else None}
                name = f"T{length}-{'clip' if clip else 'noclip'}-s{run_seed}"
                run = fit_run(model, data, train_settings, run_seed, out_dir / f"{name}.parquet", OneHot(DIGITS))
                rows.append({"cell": cell, "length": length, "clipping": clip, "seed": run_seed,
                             "max_norm": settings["max_norm"] if clip else None, "hidden": settings["hidden"],
                             "forget_bias": settings["forget_bias"] if cell == "lstm" else None,
                             "n_train": settings["n_train"], "chance": 1 / DIGITS} | run
                            | {"grad_first_init": at_init,
                               "grad_first_trained": first_step_gradient(model, *data["test"])})
    return write_table(rows, out_dir / "sweep.csv")


def row_lstm(dataset_dir: str | Path, settings: dict, seed: int, out_dir: str | Path) -> dict:
    """An LSTM reading each image row by row (H steps of W pixels); writes metrics.parquet and run.json."""
    out_dir = Path(out_dir)
    data, classes, (height, width, channels) = load_image_splits(dataset_dir)
    if channels != 1:
        raise ValueError(f"{dataset_dir}: {channels} channels; the row LSTM reads grey images")
    torch.manual_seed(seed)
    model = SequenceClassifier("lstm", width, settings["hidden"], len(classes))
    run = fit_run(model, data, settings["train"], seed, out_dir / "metrics.parquet", Rows())
    summary = {"model": "row-lstm", "family": "lstm", "steps": height, "inputs": width, "hidden": settings["hidden"],
               "dataset": Path(dataset_dir).name, "n_train": len(data["train"][1]), "n_test": len(data["test"][1]), "classes": classes} | run
    write_json(summary, out_dir / "run.json")
    return summary
