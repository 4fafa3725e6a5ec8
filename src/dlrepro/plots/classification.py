"""Figures of classifier results: confusion matrix, accuracy per extractor, accuracy vs fit and predict time."""

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


def accuracy_floor(accuracies: pd.Series) -> float:
    """Lower end of the accuracy axis: 5 points below the lowest bar, rounded down to 0.05 (at least 0).

    Starting at 0 would squeeze the differences of 1-4 points that matter into a sliver.
    """
    return max(0.0, np.floor((accuracies.min() - 0.05) * 20) / 20)


def plot_accuracy_bars(table: pd.DataFrame, path: str | Path) -> None:
    save_png(accuracy_bars_figure(table), path)


def accuracy_bars_figure(table: pd.DataFrame) -> plt.Figure:
    """Grouped bars of test accuracy labelled in %: extractors on the x axis, a bar per classifier, a panel per dataset."""
    datasets = sorted(table["dataset"].unique())
    classifiers = list(dict.fromkeys(table["classifier"]))
    colours = dict(zip(classifiers, class_colours(len(classifiers))))
    figure, panels = plt.subplots(len(datasets), 1, figsize=(9, 3.6 * len(datasets)), squeeze=False)
    for axes, dataset in zip(panels[:, 0], datasets):
        rows = table[table["dataset"] == dataset]
        extractors = list(dict.fromkeys(rows["extractor"]))
        width = 0.8 / len(classifiers)
        for i, classifier in enumerate(classifiers):
            bars = rows[rows["classifier"] == classifier].set_index("extractor")["accuracy"]
            positions = [extractors.index(e) + (i - (len(classifiers) - 1) / 2) * width for e in bars.index]
            drawn = axes.bar(positions, bars.to_numpy(), width, color=colours[classifier], label=classifier)
            axes.bar_label(drawn, labels=[f"{100 * a:.1f}" for a in bars], fontsize=6, rotation=90, padding=2)
        axes.set_xticks(range(len(extractors)), extractors)
        axes.set_ylim(accuracy_floor(rows["accuracy"]), 1.04)
        axes.set_ylabel("test accuracy")
        axes.set_title(f"{dataset}: test accuracy (%) per feature extractor and classifier")
        axes.grid(axis="y", alpha=0.3)
    panels[0, 0].legend(fontsize="small", loc="center left", bbox_to_anchor=(1.0, 0.5))
    panels[-1, 0].set_xlabel("feature extractor")
    return figure


def plot_accuracy_vs_time(table: pd.DataFrame, path: str | Path) -> None:
    save_png(accuracy_vs_time_figure(table), path)


def accuracy_vs_time_figure(table: pd.DataFrame) -> plt.Figure:
    """Test accuracy against time (log scale): a marker at the fit time, a line on to fit + predict time.

    Colour = classifier, marker = extractor. Rows without a predict time (fine-tuned networks) get no line.
    """
    datasets = sorted(table["dataset"].unique())
    classifiers = list(dict.fromkeys(table["classifier"]))
    extractors = list(dict.fromkeys(table["extractor"]))
    colours = dict(zip(classifiers, class_colours(len(classifiers))))
    markers = dict(zip(extractors, "osD^v<>PX*hp" * (1 + len(extractors) // 12)))
    figure, panels = plt.subplots(1, len(datasets), figsize=(5.5 * len(datasets), 4.2), squeeze=False)
    for axes, dataset in zip(panels[0], datasets):
        rows = table[table["dataset"] == dataset]
        for row in rows.itertuples():
            fit = max(row.fit_time_s, 1e-4)
            if pd.notna(row.predict_time_s):
                axes.plot([fit, fit + row.predict_time_s], [row.accuracy] * 2, color=colours[row.classifier],
                          linewidth=1.5, alpha=0.6)
            axes.scatter(fit, row.accuracy, color=colours[row.classifier], marker=markers[row.extractor], s=40)
        axes.set_xscale("log")
        axes.set_xlabel("seconds (log scale): marker = fit, line end = fit + predict")
        axes.set_ylabel("test accuracy")
        axes.set_title(f"{dataset}: accuracy vs fit and predict time")
        axes.grid(alpha=0.3)
    handles = [plt.Line2D([], [], color=c, marker="o", linestyle="", label=k) for k, c in colours.items()]
    handles += [plt.Line2D([], [], color="grey", marker=m, linestyle="", label=k) for k, m in markers.items()]
    panels[0, -1].legend(handles=handles, fontsize="small", loc="center left", bbox_to_anchor=(1.0, 0.5))
    return figure
