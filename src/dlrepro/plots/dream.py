"""S9 dream figures: layers x step sizes, the objective per iteration, octave progressions, image rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import torch
from matplotlib.ticker import MaxNLocator

from dlrepro.plots.save import plt, save_png

CELL = 2.2  # inches per image


def picture(image: torch.Tensor) -> tuple[np.ndarray, dict]:
    """A C x H x W image in [0, 1] as an array for ``imshow`` and its arguments: colour for three
    channels, grey for one, and grey of the channel mean otherwise (e.g. stroke-order channels)."""
    image = image.detach().float().cpu().clamp(0, 1)
    if image.shape[0] == 3:
        return image.permute(1, 2, 0).numpy(), {}
    return image.mean(dim=0).numpy(), {"cmap": "gray", "vmin": 0.0, "vmax": 1.0}


def show(axes, image: torch.Tensor, title: str = "") -> None:
    array, options = picture(image)
    axes.imshow(array, **options)
    axes.set_title(title, fontsize=8)
    axes.set_xticks([])
    axes.set_yticks([])


def layer_step_grid(images: Mapping[tuple[str, float], torch.Tensor], path: str | Path, title: str = "") -> None:
    """Dreams keyed by (layer, step size): a row per layer (in the order given), a column per step
    size (ascending); an absent pair leaves its cell empty."""
    layers = list(dict.fromkeys(layer for layer, _ in images))
    steps = sorted({step for _, step in images})
    figure, axes = plt.subplots(len(layers), len(steps), figsize=(CELL * len(steps), CELL * len(layers) + 0.4),
                                squeeze=False)
    for row, layer in enumerate(layers):
        for column, step in enumerate(steps):
            cell = axes[row, column]
            if (layer, step) in images:
                show(cell, images[layer, step], f"step size {step:g}" if row == 0 else "")
            else:
                cell.axis("off")
            if column == 0:
                cell.set_ylabel(layer, fontsize=8)
    figure.suptitle(title, fontsize=9)
    figure.tight_layout()
    save_png(figure, path)


def objective_curves(curves: Mapping[str, Sequence[float]], path: str | Path, ylabel: str = "layer L2 norm",
                     title: str = "", steps_per_octave: int | None = None) -> None:
    """The objective before each iteration, one line per label; dotted lines mark octave changes
    (where a layer's norm jumps: the larger image has more positions)."""
    figure, axes = plt.subplots(figsize=(5.5, 3.4))
    longest = 0
    for label, values in curves.items():
        axes.plot(np.arange(1, len(values) + 1), values, label=label, lw=1.3)
        longest = max(longest, len(values))
    if steps_per_octave:
        for start in range(steps_per_octave, longest, steps_per_octave):
            axes.axvline(start + 0.5, color="grey", ls=":", lw=0.8)
    axes.set_xlabel("iteration")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel(ylabel)
    axes.grid(alpha=0.3)
    if len(curves) > 1:
        axes.legend(fontsize=7)
    axes.set_title(title, fontsize=9)
    figure.tight_layout()
    save_png(figure, path)


def octave_progression(octaves: Sequence[torch.Tensor], path: str | Path, title: str = "") -> None:
    """The dream at the end of each octave, smallest first, each drawn at the same size and titled
    with its own size (width x height)."""
    image_row({f"octave {k + 1} ({o.shape[-1]} x {o.shape[-2]} px)": o for k, o in enumerate(octaves)}, path, title)


def image_row(images: Mapping[str, torch.Tensor], path: str | Path, title: str = "") -> None:
    """Images side by side, each under its label (class dreams; guide, start and guided dream)."""
    figure, axes = plt.subplots(1, len(images), figsize=(CELL * len(images), CELL + 0.5), squeeze=False)
    for cell, (label, image) in zip(axes[0], images.items()):
        show(cell, image, label)
    figure.suptitle(title, fontsize=9)
    figure.tight_layout()
    save_png(figure, path)
