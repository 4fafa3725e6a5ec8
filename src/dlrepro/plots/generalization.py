"""S5 figures: fitting speed and test error against label corruption, and the width sweep."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from dlrepro.plots.save import save_png


def plot_corruption(table: pd.DataFrame, out_png: str | Path, title: str) -> None:
    """Epochs to zero training error (left) and final test error (right) vs the fraction p of
    resampled training labels, one line per model (Zhang et al. 2017, Fig. 1b/1c).

    ``table`` needs columns model, corruption, epochs_to_zero_error, test_error; runs that never
    reached zero training error are left out of the left panel.
    """
    fig = Figure(figsize=(10, 4))
    left, right = fig.subplots(1, 2)
    for model, runs in table.dropna(subset=["corruption"]).groupby("model", sort=True):
        runs = runs.sort_values("corruption")
        fitted = runs.dropna(subset=["epochs_to_zero_error"])
        left.plot(fitted["corruption"], fitted["epochs_to_zero_error"], "o-", label=model)
        right.plot(runs["corruption"], runs["test_error"], "o-", label=model)
    left.set_ylabel("epochs to zero training error")
    right.set_ylabel("test error (true test labels)")
    for ax in (left, right):
        ax.set_xlabel("label corruption p")
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    fig.suptitle(title)
    fig.tight_layout()
    save_png(fig, out_png)


def plot_width_sweep(table: pd.DataFrame, out_png: str | Path, title: str) -> None:
    """Test error (left) and test cross-entropy (right) vs parameter count, log-scaled x.

    ``table`` needs columns parameters, test_error, test_loss, train_error; hollow markers flag
    widths that did not reach zero training error.
    """
    table = table.sort_values("parameters")
    fitted = table["train_error"] == 0
    fig = Figure(figsize=(10, 4))
    axes = fig.subplots(1, 2)
    for ax, column, label in zip(axes, ("test_error", "test_loss"), ("test error", "test cross-entropy")):
        ax.plot(table["parameters"], table[column], "-", color="C0")
        ax.plot(table.loc[fitted, "parameters"], table.loc[fitted, column], "o", color="C0", label="zero training error")
        if (~fitted).any():
            ax.plot(table.loc[~fitted, "parameters"], table.loc[~fitted, column], "o", mfc="none", color="C0",
                    label="training error > 0")
        ax.set_xscale("log")
        ax.set_xlabel("parameters")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    fig.suptitle(title)
    fig.tight_layout()
    save_png(fig, out_png)
