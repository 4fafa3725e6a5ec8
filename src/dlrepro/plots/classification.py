"""Figures of classifier results: confusion matrix, accuracy per extractor, accuracy vs fit time."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from dlrepro.plots.embedding import class_colours
from dlrepro.plots.save import save_png


def plot_confusion(matrix: np.ndarray, class_names: Sequence[str], path: str | Path, title: str) -> None:
    """Confusion matrix coloured by row-normalised rate (recall per class), annotated with counts."""
    matrix = np.asarray(matrix)
    rates = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    n = len(matrix)
    figure, axes = plt.subplots(figsize=(1.8 + 0.45 * n, 1.4 + 0.45 * n))
    image = axes.imshow(rates, cmap="Blues", vmin=0, vmax=1)
    if n <= 20:
        for (row, column), count in np.ndenumerate(matrix):
            colour = "white" if rates[row, column] > 0.5 else "black"
            axes.text(column, row, str(count), ha="center", va="center", fontsize=7, color=colour)
    axes.set_xticks(range(n), class_names, rotation=90, fontsize=7)
    axes.set_yticks(range(n), class_names, fontsize=7)
    axes.set_xlabel("predicted class")
    axes.set_ylabel("true class")
    axes.set_title(title, fontsize=9)
    figure.colorbar(image, ax=axes, fraction=0.046, label="fraction of true class")
    save_png(figure, path)


def plot_accuracy_bars(table: pd.DataFrame, path: str | Path) -> None:
    """Grouped bars of test accuracy: extractors on the x axis, one bar per classifier, a panel per dataset."""
    datasets = sorted(table["dataset"].unique())
    classifiers = list(dict.fromkeys(table["classifier"]))
    colours = dict(zip(classifiers, class_colours(len(classifiers))))
    figure, panels = plt.subplots(len(datasets), 1, figsize=(9, 3.4 * len(datasets)), squeeze=False)
    for axes, dataset in zip(panels[:, 0], datasets):
        rows = table[table["dataset"] == dataset]
        extractors = list(dict.fromkeys(rows["extractor"]))
        width = 0.8 / len(classifiers)
        for i, classifier in enumerate(classifiers):
            bars = rows[rows["classifier"] == classifier].set_index("extractor")["accuracy"]
            positions = [extractors.index(e) + (i - (len(classifiers) - 1) / 2) * width for e in bars.index]
            axes.bar(positions, bars.to_numpy(), width, color=colours[classifier], label=classifier)
        axes.set_xticks(range(len(extractors)), extractors)
        axes.set_ylim(0, 1)
        axes.set_ylabel("test accuracy")
        axes.set_title(f"{dataset}: test accuracy per feature extractor and classifier")
        axes.grid(axis="y", alpha=0.3)
    panels[0, 0].legend(fontsize="small", loc="center left", bbox_to_anchor=(1.0, 0.5))
    panels[-1, 0].set_xlabel("feature extractor")
    save_png(figure, path)


def plot_accuracy_vs_fit_time(table: pd.DataFrame, path: str | Path) -> None:
    """Test accuracy against fit time (log scale), colour = classifier, marker = extractor."""
    datasets = sorted(table["dataset"].unique())
    classifiers = list(dict.fromkeys(table["classifier"]))
    extractors = list(dict.fromkeys(table["extractor"]))
    colours = dict(zip(classifiers, class_colours(len(classifiers))))
    markers = dict(zip(extractors, "osD^v<>PX*hp" * (1 + len(extractors) // 12)))
    figure, panels = plt.subplots(1, len(datasets), figsize=(5.5 * len(datasets), 4.2), squeeze=False)
    for axes, dataset in zip(panels[0], datasets):
        rows = table[table["dataset"] == dataset]
        for row in rows.itertuples():
            axes.scatter(max(row.fit_time_s, 1e-4), row.accuracy, color=colours[row.classifier],
                         marker=markers[row.extractor], s=40)
        axes.set_xscale("log")
        axes.set_xlabel("fit time (s, log scale)")
        axes.set_ylabel("test accuracy")
        axes.set_title(f"{dataset}: accuracy vs fit time")
        axes.grid(alpha=0.3)
    handles = [plt.Line2D([], [], color=c, marker="o", linestyle="", label=k) for k, c in colours.items()]
    handles += [plt.Line2D([], [], color="grey", marker=m, linestyle="", label=k) for k, m in markers.items()]
    panels[0, -1].legend(handles=handles, fontsize="small", loc="center left", bbox_to_anchor=(1.0, 0.5))
    save_png(figure, path)
