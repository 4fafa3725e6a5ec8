"""S9 Sketch-a-Net figures: example sketches coloured by stroke order, the accuracy of each network,
the confusion among the most confused classes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from dlrepro.plots.classification import plot_confusion
from dlrepro.plots.save import plt, save_png


def stroke_order_picture(parts: np.ndarray) -> np.ndarray:
    """(3, H, W) part images -> an RGB picture on white: first third red, second green, last blue."""
    ink = parts.astype(np.float32) / 255.0
    colours = np.array([[0.85, 0.1, 0.1], [0.1, 0.6, 0.1], [0.1, 0.2, 0.9]])
    picture = np.ones(parts.shape[1:] + (3,), np.float32)
    for part, colour in zip(ink, colours):  # later strokes drawn over earlier ones
        picture = picture * (1 - part[..., None]) + colour * part[..., None]
    return picture


def plot_sketch_examples(parts: np.ndarray, labels: np.ndarray, classes: Sequence[str], path: str | Path,
                         per_class: int = 4, max_classes: int = 10) -> None:
    """A row per class (the first ``max_classes``), its first ``per_class`` sketches coloured by stroke order."""
    shown = list(range(min(len(classes), max_classes)))
    figure, axes = plt.subplots(len(shown), per_class, figsize=(1.1 * per_class, 1.1 * len(shown)), squeeze=False)
    for row, label in enumerate(shown):
        members = np.flatnonzero(labels == label)[:per_class]
        for column, cell in enumerate(axes[row]):
            cell.set_axis_off()
            if column < len(members):
                cell.imshow(stroke_order_picture(parts[members[column]]))
        axes[row, 0].set_title(classes[label], fontsize=7, loc="left")
    figure.suptitle("stroke order: first third red, second green, last blue", fontsize=8)
    save_png(figure, path)


def plot_accuracy(table: pd.DataFrame, path: str | Path, title: str) -> None:
    """Top-1 and top-5 test accuracy of each network (rows of ``table``: network, top1, top5)."""
    figure, axes = plt.subplots(figsize=(5.5, 0.5 + 0.45 * len(table)))
    positions = np.arange(len(table))
    axes.barh(positions + 0.2, table["top5"], height=0.4, color="#9ecae1", label="top-5")
    axes.barh(positions - 0.2, table["top1"], height=0.4, color="#08519c", label="top-1")
    for y, value in zip(positions, table["top1"]):
        axes.text(value + 0.01, y - 0.2, f"{value:.1%}", va="center", fontsize=7)
    axes.set_yticks(positions, table["network"])
    axes.invert_yaxis()
    axes.set_xlim(0, 1.1)
    axes.set_xlabel("test accuracy")
    axes.set_title(title, fontsize=9)
    axes.legend(fontsize=7, loc="lower right")
    save_png(figure, path)


def most_confused(matrix: np.ndarray, count: int) -> list[int]:
    """The classes of the largest off-diagonal confusion counts (both sides), at most ``count``, in
    decreasing order of confusion; all classes when there are few."""
    matrix = np.asarray(matrix)
    if len(matrix) <= count:
        return list(range(len(matrix)))
    off = matrix + matrix.T
    np.fill_diagonal(off, -1)
    chosen: list[int] = []
    for flat in np.argsort(-off, axis=None, kind="stable"):
        for cls in np.unravel_index(flat, off.shape):
            if int(cls) not in chosen and len(chosen) < count:
                chosen.append(int(cls))
        if len(chosen) == count:
            break
    return chosen


def plot_most_confused(matrix: np.ndarray, classes: Sequence[str], path: str | Path, title: str,
                       count: int = 12) -> None:
    chosen = most_confused(matrix, count)
    sub = np.asarray(matrix)[np.ix_(chosen, chosen)]
    plot_confusion(sub, [classes[i] for i in chosen], path, title)
