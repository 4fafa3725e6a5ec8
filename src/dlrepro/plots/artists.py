"""S4 figures: validation accuracy of every experiment, the robustness heat map, and
misclassified paintings with their true and predicted artist."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from dlrepro.plots.save import save_png


def plot_experiment_summary(table: pd.DataFrame, chance: float, majority: float, best: str, path: str | Path,
                            title: str) -> None:
    """Horizontal bars of train and validation accuracy per experiment (``name``, ``group``,
    ``train_accuracy``, ``val_accuracy``), with chance and the majority-class rate as lines and the
    chosen configuration starred."""
    rows = table.iloc[::-1]
    figure, axes = plt.subplots(figsize=(8, 1.2 + 0.32 * len(rows)))
    positions = np.arange(len(rows))
    axes.barh(positions + 0.2, rows["train_accuracy"], height=0.4, color="0.75", label="train")
    colours = ["tab:orange" if group == "architectures" else "tab:blue" for group in rows["group"]]
    axes.barh(positions - 0.2, rows["val_accuracy"], height=0.4, color=colours, label="validation")
    for y, value in zip(positions, rows["val_accuracy"]):
        axes.text(value + 0.01, y - 0.2, f"{100 * value:.0f}%", va="center", fontsize=7)
    labels = [f"★ {name}" if name == best else name for name in rows["name"]]
    axes.set_yticks(positions, labels, fontsize=8)
    axes.axvline(chance, color="black", linestyle=":", label=f"chance {100 * chance:.0f}%")
    axes.axvline(majority, color="tab:red", linestyle="--", label=f"majority class {100 * majority:.0f}%")
    axes.set_xlim(0, 1.08)
    axes.set_xlabel("accuracy (validation bars: blue experiments, orange architectures)")
    axes.legend(fontsize=7, loc="lower right")
    axes.set_title(title, fontsize=9)
    save_png(figure, path)


def plot_robustness(table: pd.DataFrame, path: str | Path, title: str) -> None:
    """Heat map of test accuracy: a row per network, a column per image change, annotated in %."""
    values = table.to_numpy(dtype=float)
    figure, axes = plt.subplots(figsize=(1.6 + 0.9 * values.shape[1], 1.2 + 0.5 * values.shape[0]))
    image = axes.imshow(values, cmap="viridis", vmin=0, vmax=1, aspect="auto")
    for (row, column), value in np.ndenumerate(values):
        axes.text(column, row, f"{100 * value:.0f}", ha="center", va="center", fontsize=8,
                  color="black" if value > 0.6 else "white")
    axes.set_xticks(range(values.shape[1]), [c.replace("_", " ") for c in table.columns], rotation=30, ha="right",
                    fontsize=8)
    axes.set_yticks(range(values.shape[0]), table.index, fontsize=8)
    axes.set_title(title, fontsize=9)
    figure.colorbar(image, ax=axes, fraction=0.046, label="test accuracy")
    save_png(figure, path)


def plot_misclassified(images: np.ndarray, true: Sequence[str], predicted: Sequence[str], path: str | Path,
                       title: str, columns: int = 6) -> None:
    """uint8 N x H x W x C paintings in a grid, each titled with its true and predicted artist."""
    n = max(len(images), 1)
    columns = min(columns, n)
    rows = -(-n // columns)
    figure, panels = plt.subplots(rows, columns, figsize=(1.9 * columns, 2.1 * rows + 0.4), squeeze=False)
    for axes in panels.flat:
        axes.axis("off")
    for axes, image, truth, guess in zip(panels.flat, images, true, predicted):
        axes.imshow(image.squeeze(), cmap="gray" if image.shape[-1] == 1 else None)
        axes.set_title(f"true: {truth}\npredicted: {guess}", fontsize=6)
    if not len(images):
        panels.flat[0].text(0.5, 0.5, "no misclassified test painting", ha="center", va="center")
    figure.suptitle(title, fontsize=9)
    save_png(figure, path)
