"""S3 figures: hidden-unit weights as images, predictions on test faces, guided-backprop saliency."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from dlrepro.plots.save import save_png

WRONG = "tab:red"


def _face(ax, image: np.ndarray, cmap: str | None = "gray", **options) -> None:
    ax.imshow(image.squeeze(), cmap=cmap if image.ndim == 2 or image.shape[-1] == 1 else None, **options)
    ax.set_xticks([])
    ax.set_yticks([])


def plot_hidden_units(panels: Mapping[str, tuple[np.ndarray, np.ndarray]], classes: Sequence[str],
                      out_png: str | Path, columns: int = 3) -> None:
    """One block per model, side by side: each class's strongest hidden units, each unit's input
    weights drawn as an image (blue negative, red positive, symmetric scale), titled by class and unit.

    ``panels``: model label -> (units: classes x per_class, images: classes x per_class x H x W).
    """
    cells = len(classes) * next(iter(panels.values()))[0].shape[1]
    columns = min(columns, cells)
    rows = -(-cells // columns)
    fig = Figure(figsize=(1.7 * columns * len(panels) + 0.6, 1.9 * rows + 0.5))
    blocks = np.atleast_1d(fig.subfigures(1, len(panels), wspace=0.05))
    for sub, (label, (units, images)) in zip(blocks, panels.items()):
        axes = sub.subplots(rows, columns, squeeze=False).ravel()
        for ax in axes[cells:]:
            ax.axis("off")
        for ax, (k, rank) in zip(axes, np.ndindex(units.shape)):
            image = images[k, rank]
            limit = float(np.abs(image).max()) or 1.0
            _face(ax, image, cmap="bwr", vmin=-limit, vmax=limit)
            ax.set_title(f"{classes[k]}\nunit {units[k, rank]}", fontsize=7)
        sub.suptitle(label, fontsize=9)
    save_png(fig, out_png)


def plot_predictions(images: np.ndarray, labels: np.ndarray, predicted: np.ndarray, classes: Sequence[str],
                     out_png: str | Path, columns: int = 6) -> None:
    """Test faces titled true -> predicted person; wrong predictions in red with a red frame."""
    rows = -(-len(images) // columns)
    fig = Figure(figsize=(1.8 * columns, 2.3 * rows))
    axes = np.atleast_1d(fig.subplots(rows, columns, squeeze=False)).ravel()
    for ax in axes[len(images):]:
        ax.axis("off")
    for ax, image, label, guess in zip(axes, images, labels, predicted):
        _face(ax, image)
        wrong = label != guess
        ax.set_title(f"{classes[label]}\n-> {classes[guess]}" + (" (wrong)" if wrong else ""), fontsize=7,
                     color=WRONG if wrong else "black")
        if wrong:
            for spine in ax.spines.values():
                spine.set(color=WRONG, linewidth=3)
    fig.tight_layout()
    save_png(fig, out_png)


def plot_saliency(images: np.ndarray, maps: np.ndarray, titles: Sequence[str], out_png: str | Path) -> None:
    """Each chosen face (top row) above its saliency map (bottom row, bright = raises the class score)."""
    fig = Figure(figsize=(1.9 * len(images), 4.0))
    axes = fig.subplots(2, len(images), squeeze=False)
    for k, (image, saliency, title) in enumerate(zip(images, maps, titles)):
        _face(axes[0, k], image)
        axes[0, k].set_title(title, fontsize=7)
        _face(axes[1, k], saliency, cmap="inferno", vmin=0, vmax=1)
    axes[0, 0].set_ylabel("face", fontsize=8)
    axes[1, 0].set_ylabel("guided backprop", fontsize=8)
    fig.tight_layout()
    save_png(fig, out_png)
