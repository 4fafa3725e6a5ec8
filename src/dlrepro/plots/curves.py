"""Training curves: loss and error per epoch for train/val/test, one colour per run.

Figures are built on ``matplotlib.figure.Figure`` (Agg canvas), not pyplot, so plotting in
library code touches no global state and needs no display.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from dlrepro.plots.save import save_png

SPLIT_STYLES = {"train": "-", "val": "--", "test": ":"}
Metrics = pd.DataFrame | str | os.PathLike


def read_metrics(metrics: Metrics) -> pd.DataFrame:
    return metrics if isinstance(metrics, pd.DataFrame) else pd.read_parquet(metrics)


def plot_curves(runs: Metrics | Mapping[str, Metrics], out_png: str | Path, title: str = "Training curves",
                loss_label: str = "loss") -> None:
    """Plot the engine's per-epoch metrics table(s): loss (left) and error (right) vs epoch.

    ``runs`` is one table (a DataFrame or a Parquet path) or a mapping run label -> table, so a
    study can overlay its variants; line style says the split, colour says the run.
    """
    if not isinstance(runs, Mapping):
        runs = {"": runs}
    fig = Figure(figsize=(10, 4))
    axes = fig.subplots(1, 2)
    colours = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (label, metrics) in enumerate(runs.items()):
        frame = read_metrics(metrics)
        for split, style in SPLIT_STYLES.items():
            if f"{split}_loss" not in frame:
                continue
            name = f"{label} {split}".strip()
            colour = colours[i % len(colours)]
            axes[0].plot(frame["epoch"], frame[f"{split}_loss"], style, color=colour, label=name)
            axes[1].plot(frame["epoch"], frame[f"{split}_error"], style, color=colour, label=name)
    for ax, ylabel in zip(axes, (loss_label, "error rate")):
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
    axes[1].legend(fontsize="small")
    fig.suptitle(title)
    fig.tight_layout()
    save_png(fig, out_png)
