"""Patch votes laid over the drawings they came from: where a classifier sees Raphael's hand."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from dlrepro.data.images import read_image, rescale, to_grayscale
from dlrepro.plots.save import save_png

DISPLAY_SIDE = 320  # pixels of the longer side of each drawing in the grid


def vote_map(shape: tuple[int, int], votes: pd.DataFrame, size: int, factor: float) -> np.ndarray:
    """Mean Raphael vote of the patches covering each pixel of a ``shape`` image; NaN where none does.

    Patch positions (``y``, ``x``, side ``size``) are in the cut image's pixels and are
    scaled by ``factor`` to the displayed image.
    """
    total, count = np.zeros(shape), np.zeros(shape)
    for y, x, vote in zip(votes["y"], votes["x"], votes["raphael"]):
        y0, x0 = int(y * factor), int(x * factor)
        y1, x1 = max(y0 + 1, round((y + size) * factor)), max(x0 + 1, round((x + size) * factor))
        total[y0:y1, x0:x1] += vote
        count[y0:y1, x0:x1] += 1
    with np.errstate(invalid="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def displayed_drawing(path: Path, scale: float) -> tuple[np.ndarray, float]:
    """The drawing in grayscale at display size, and the factor from cut-image pixels to it."""
    image = to_grayscale(rescale(read_image(path), scale))
    factor = min(1.0, DISPLAY_SIDE / max(image.shape[:2]))
    return rescale(image, factor)[..., 0], factor


def plot_patch_votes(decisions: pd.DataFrame, votes: pd.DataFrame, folder: str | Path, size: int, scale: float,
                     path: str | Path, title: str) -> None:
    """One panel per drawing: the drawing in gray, its patches coloured by vote (red Raphael, blue not).

    Panel titles give the number, the label and the decision with its vote share.
    """
    columns = min(4, len(decisions))
    rows = math.ceil(len(decisions) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(3.0 * columns, 3.2 * rows + 0.4), squeeze=False)
    for axis in axes.flat:
        axis.set_axis_off()
    for axis, drawing in zip(axes.flat, decisions.itertuples()):
        image, factor = displayed_drawing(Path(folder) / drawing.file, scale)
        overlay = vote_map(image.shape, votes[votes["file"] == drawing.file], size, factor)
        axis.imshow(image, cmap="gray", vmin=0, vmax=1)
        shown = axis.imshow(overlay, cmap="coolwarm", vmin=0, vmax=1, alpha=0.55)
        axis.set_title(f"{drawing.number} ({drawing.label})\n-> {drawing.decision}, "
                       f"{drawing.raphael_share:.0%} Raphael votes", fontsize=8)
    figure.suptitle(title, fontsize=10)
    figure.colorbar(shown, ax=axes, fraction=0.02, label="share of Raphael votes over the pixel")
    save_png(figure, path)
