"""The double-descent figure: train/test loss and 0-1 loss against the number of parameters."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from dlrepro.plots.save import save_png


def plot_double_descent(table: pd.DataFrame, out_png: str | Path, title: str) -> None:
    """Two panels (the training loss, the 0-1 loss) vs parameters, the n K threshold as a vertical line.

    ``table`` is the sweep table of :func:`dlrepro.train.double_descent.run_sweep`.
    """
    table = table.sort_values("parameters")
    threshold = table["n_train"].iloc[0] * table["n_classes"].iloc[0]
    loss_name = table["loss"].iloc[0].replace("_", "-")
    fig = Figure(figsize=(10, 4))
    axes = fig.subplots(1, 2)
    for ax, metric, ylabel in zip(axes, ("loss", "error"), (f"{loss_name} loss", "0-1 loss")):
        for split, marker in (("train", "o"), ("test", "s")):
            ax.plot(table["parameters"], table[f"{split}_{metric}"], marker=marker, markersize=4, label=split)
        ax.axvline(threshold, color="black", linestyle="--", linewidth=1, label=f"nK = {threshold}")
        ax.set_xscale("log")
        ax.set_xlabel("number of parameters")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize="small")
    fig.suptitle(title)
    fig.tight_layout()
    save_png(fig, out_png)
