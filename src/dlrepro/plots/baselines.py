"""S11 figure: test accuracy of the MLPs and VGG nets against their parameter count."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dlrepro.plots.save import plt, save_png

DEPTH_MARKERS = "osD^v<>p"


def plot_accuracy_vs_parameters(runs: pd.DataFrame, title: str, out_png: str | Path) -> None:
    """One line per MLP activation and depth (widths along it), VGG nets as stars; log parameter axis."""
    figure, ax = plt.subplots(figsize=(6, 4))
    mlps = runs[runs["family"] == "mlp"]
    depths = sorted(mlps["depth"].unique())
    for (activation, depth), group in mlps.groupby(["activation", "depth"]):
        group = group.sort_values("parameters")
        ax.semilogx(group["parameters"], group["test_accuracy"], "-" if activation == "relu" else "--",
                    marker=DEPTH_MARKERS[depths.index(depth) % len(DEPTH_MARKERS)],
                    color="tab:blue" if activation == "relu" else "tab:grey",
                    label=f"MLP {activation}, {depth} hidden layer{'s' if depth > 1 else ''}")
    vgg = runs[runs["family"] == "vgg"]
    if len(vgg):
        ax.semilogx(vgg["parameters"], vgg["test_accuracy"], "*", ms=12, color="tab:orange", label="VGG (each depth)")
        for _, row in vgg.iterrows():
            ax.annotate(row["model"], (row["parameters"], row["test_accuracy"]), fontsize=7,
                        xytext=(4, -10), textcoords="offset points")
    ax.set_xlabel("parameters")
    ax.set_ylabel("test accuracy")
    ax.set_title(title, fontsize=9)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7)
    save_png(figure, out_png)
