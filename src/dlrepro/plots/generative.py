"""S8 figures: sample grids of fixed latent codes over training, latent interpolations."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from dlrepro.plots.save import plt, save_png


def mosaic(images: np.ndarray, columns: int | None = None) -> np.ndarray:
    """uint8 N x H x W x C images tiled into one image (a square-ish grid, 1 px gaps)."""
    n, height, width, channels = images.shape
    columns = columns or math.ceil(math.sqrt(n))
    rows = math.ceil(n / columns)
    tiled = np.full((rows * (height + 1) - 1, columns * (width + 1) - 1, channels), 255, dtype=np.uint8)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        tiled[r * (height + 1): r * (height + 1) + height, c * (width + 1): c * (width + 1) + width] = image
    return tiled


def show(ax, image: np.ndarray) -> None:
    ax.imshow(image[..., 0] if image.shape[-1] == 1 else image, cmap="gray", vmin=0, vmax=255)
    ax.set_xticks([])
    ax.set_yticks([])


def pick_epochs(epochs: np.ndarray, count: int) -> list[int]:
    """At most ``count`` positions spread evenly over the epochs, always the first and the last."""
    if len(epochs) <= count:
        return list(range(len(epochs)))
    return sorted({round(i * (len(epochs) - 1) / (count - 1)) for i in range(count)})


def plot_training_grids(snapshots: Mapping[str, tuple[np.ndarray, np.ndarray]], columns: int, title: str,
                        out_png: str | Path) -> None:
    """One row per model (name -> (epochs, E x N x H x W x C samples of the fixed codes)), one
    column per chosen epoch, each cell the samples' mosaic."""
    figure, axes = plt.subplots(len(snapshots), columns, figsize=(1.6 * columns + 0.8, 1.7 * len(snapshots)),
                                squeeze=False)
    for row, (name, (epochs, images)) in enumerate(snapshots.items()):
        chosen = pick_epochs(epochs, columns)
        for col in range(columns):
            ax = axes[row, col]
            if col >= len(chosen):
                ax.axis("off")
                continue
            show(ax, mosaic(images[chosen[col]]))
            ax.set_title(f"epoch {epochs[chosen[col]]}", fontsize=7)
            if col == 0:
                ax.set_ylabel(name, fontsize=8)
    figure.suptitle(title, fontsize=9)
    save_png(figure, out_png)


def plot_interpolations(paths: Mapping[str, np.ndarray], title: str, out_png: str | Path) -> None:
    """One row per path (label -> steps x H x W x C images from one code to another)."""
    steps = max(len(images) for images in paths.values())
    figure, axes = plt.subplots(len(paths), steps, figsize=(0.9 * steps + 1.4, 0.95 * len(paths)), squeeze=False)
    for row, (label, images) in enumerate(paths.items()):
        for col in range(steps):
            ax = axes[row, col]
            if col >= len(images):
                ax.axis("off")
                continue
            show(ax, images[col])
            if col == 0:
                ax.set_ylabel(label, fontsize=6, rotation=0, ha="right", va="center")
    figure.suptitle(title, fontsize=9)
    save_png(figure, out_png)
