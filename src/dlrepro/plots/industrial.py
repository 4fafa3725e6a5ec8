"""S14's figures: ROC curves with the classifier's confusion matrix, Grad-CAM examples, 20-day correlations."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from dlrepro.plots.save import save_png


def plot_roc(curves: dict[str, tuple[np.ndarray, np.ndarray, float]], confusion: np.ndarray, classes: list[str],
             path: str | Path, title: str) -> None:
    """Left: ROC curve per score (label -> (fpr, tpr, auc)); right: the classifier's confusion matrix."""
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2), gridspec_kw={"width_ratios": [1.3, 1]})
    for label, (fpr, tpr, auc) in curves.items():
        left.plot(fpr, tpr, lw=2, label=f"{label} (AUC {auc:.3f})")
    left.plot([0, 1], [0, 1], color="0.6", ls="--", lw=1, label="chance")
    left.set(xlabel="false positive rate (good flagged)", ylabel="true positive rate (defects found)",
             title="ROC on the test images", xlim=(0, 1), ylim=(0, 1.01))
    left.legend(loc="lower right", fontsize=8)
    right.imshow(confusion, cmap="Blues")
    for (row, column), count in np.ndenumerate(confusion):
        right.text(column, row, str(count), ha="center", va="center",
                   color="white" if count > confusion.max() / 2 else "black", fontsize=12)
    right.set(xticks=range(len(classes)), yticks=range(len(classes)), xticklabels=classes, yticklabels=classes,
              xlabel="predicted", ylabel="true", title="classifier confusion matrix (test)")
    figure.suptitle(title)
    save_png(figure, path)


def plot_gradcam(images: np.ndarray, maps: np.ndarray, captions: list[str], path: str | Path, title: str) -> None:
    """Each image over its Grad-CAM map (jet, half transparent), two rows: the image, then the overlay."""
    count = len(images)
    figure, axes = plt.subplots(2, count, figsize=(1.8 * count, 4), squeeze=False)
    for column in range(count):
        image = images[column]
        gray = image[..., 0] if image.shape[-1] == 1 else image
        axes[0, column].imshow(gray, cmap="gray" if gray.ndim == 2 else None)
        axes[0, column].set_title(captions[column], fontsize=8)
        axes[1, column].imshow(gray, cmap="gray" if gray.ndim == 2 else None)
        axes[1, column].imshow(maps[column], cmap="jet", alpha=0.45, vmin=0, vmax=1)
        for row in (0, 1):
            axes[row, column].axis("off")
    figure.suptitle(title)
    save_png(figure, path)


def plot_block_correlations(blocks: pd.DataFrame, path: str | Path, title: str) -> None:
    """20-day correlation per block (x: the block's first date): plain models solid, residualised dashed."""
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6.5), sharex=True)
    colours = dict(zip(blocks["model"].unique(), plt.cm.tab10.colors))
    for (model, residualised), part in blocks.groupby(["model", "residualised"], sort=False):
        axis = bottom if residualised else top
        axis.plot(part["start"], part["correlation"], marker="o", ms=3, color=colours[model],
                  label=f"{model} (mean {part['correlation'].mean():.3f})")
    for axis, what in ((top, "plain"), (bottom, "residualised on the linear prediction")):
        axis.axhline(0, color="0.5", lw=1)
        axis.set(ylabel="20-day correlation", title=what)
        axis.legend(fontsize=8, ncol=2)
    bottom.set_xlabel("first date of the 20-day block")
    figure.autofmt_xdate()
    figure.suptitle(title)
    save_png(figure, path)
