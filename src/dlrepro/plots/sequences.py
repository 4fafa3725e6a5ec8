"""S10 figures: palindrome accuracy against the length T, and the gradient reaching the first step."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dlrepro.plots.save import plt, save_png

CELL_COLOURS = {"rnn": "tab:red", "lstm": "tab:blue"}
CLIP_STYLES = {False: ("-", "o"), True: ("--", "s")}


def clip_label(clipping: bool, max_norm) -> str:
    return f"clip {max_norm:g}" if clipping else "no clip"


def plot_accuracy_vs_length(sweep: pd.DataFrame, out_png: str | Path) -> None:
    """Test accuracy against T, a colour per cell, a line style per clipping setting: the mean over seeds,
    its range shaded and each seed a dot (when a run leaves the task's plateau depends on its seed); chance dotted."""
    figure, ax = plt.subplots(figsize=(5.5, 3.8))
    for (cell, clipping), runs in sweep.groupby(["cell", "clipping"], sort=False):
        style, marker = CLIP_STYLES[bool(clipping)]
        colour = CELL_COLOURS.get(cell)
        accuracy = runs.groupby("length")["test_accuracy"].agg(["mean", "min", "max"])
        seeds = runs.groupby("length").size().max()
        ax.plot(accuracy.index, accuracy["mean"], style, marker=marker, color=colour,
                label=f"{cell}, {clip_label(clipping, runs['max_norm'].iloc[0])}"
                      + (f" (mean of {seeds})" if seeds > 1 else ""))
        if seeds > 1:
            ax.fill_between(accuracy.index, accuracy["min"], accuracy["max"], color=colour, alpha=0.08)
            ax.plot(runs["length"], runs["test_accuracy"], ".", color=colour, alpha=0.4, ms=4)
    ax.axhline(sweep["chance"].iloc[0], color="grey", ls=":", lw=1, label="chance")
    ax.set_xlabel("palindrome length T")
    ax.set_ylabel("test accuracy (last digit)")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    save_png(figure, out_png)


def plot_first_step_gradient(sweep: pd.DataFrame, out_png: str | Path) -> None:
    """||dL/dh_1|| against T (log scale), the median over seeds: at initialisation (left) and after
    training (right)."""
    figure, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    for (cell, clipping), seeds in sweep.groupby(["cell", "clipping"], sort=False):
        style, marker = CLIP_STYLES[bool(clipping)]
        runs = seeds.groupby("length")[["grad_first_init", "grad_first_trained", "max_norm"]].median().reset_index()
        if not clipping or not (~sweep["clipping"]).any():  # the initial network does not depend on clipping
            axes[0].semilogy(runs["length"], runs["grad_first_init"], "-o", color=CELL_COLOURS.get(cell), label=cell)
        axes[1].semilogy(runs["length"], runs["grad_first_trained"], style, marker=marker,
                         color=CELL_COLOURS.get(cell), label=f"{cell}, {clip_label(clipping, runs['max_norm'].iloc[0])}")
    for ax, when in zip(axes, ("at initialisation", "after training")):
        ax.set_xlabel("palindrome length T")
        ax.set_title(when, fontsize=9)
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=7)
    axes[0].set_ylabel("||dL/dh_1||, mean over test sequences")
    save_png(figure, out_png)
