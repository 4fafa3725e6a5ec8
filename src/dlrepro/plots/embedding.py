"""Scatter plot of a 2-D embedding, one colour per class."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from dlrepro.plots.save import save_png


def class_colours(n: int) -> list:
    """Distinct colours for ``n`` classes (tab10 up to 10, tab20 up to 20, then a continuous map)."""
    cmap = plt.get_cmap("tab10" if n <= 10 else "tab20" if n <= 20 else "turbo")
    return [cmap(i if n <= 20 else i / max(n - 1, 1)) for i in range(n)]


def plot_embedding(
    embedding: pd.DataFrame, path: str | Path, title: str, class_names: Sequence[str] | None = None
) -> None:
    """Scatter ``embedding`` (columns x, y, label) coloured by class, with a legend of class names."""
    labels = sorted(embedding["label"].unique())
    colours = class_colours(len(labels))
    figure, axes = plt.subplots(figsize=(6.4, 5.2))
    for colour, label in zip(colours, labels):
        points = embedding[embedding["label"] == label]
        name = class_names[label] if class_names is not None and label < len(class_names) else str(label)
        axes.scatter(points["x"], points["y"], s=8, color=colour, label=name, alpha=0.8, linewidths=0)
    axes.set_title(title)
    axes.set_xlabel("component 1")
    axes.set_ylabel("component 2")
    axes.legend(title="class", fontsize="small", markerscale=2, loc="center left", bbox_to_anchor=(1.0, 0.5))
    save_png(figure, path)
