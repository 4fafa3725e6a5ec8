"""S7 figures: RAM's glimpse paths over test canvases, the glimpses themselves, its training curves."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle

from dlrepro.plots.save import plt, save_png


def pixel_centres(locations: np.ndarray, side: int) -> np.ndarray:
    """Locations in [-1, 1] as (row, column) pixel coordinates of a ``side`` px canvas."""
    return (np.clip(locations, -1, 1) + 1) / 2 * side


def plot_glimpse_paths(canvases: np.ndarray, locations: np.ndarray, titles: list[str], patch: int, scales: int,
                       out_png: str | Path) -> None:
    """Each H x W canvas with its glimpse locations (T x 2, in [-1, 1]) joined in order, numbered, and
    the retina's boxes at the last one."""
    n = len(canvases)
    figure, axes = plt.subplots(1, n, figsize=(2.2 * n, 2.5), squeeze=False)
    for ax, image, path, title in zip(axes[0], canvases, locations, titles):
        side = image.shape[0]
        ax.imshow(image, cmap="gray", vmin=0, vmax=255)
        points = pixel_centres(path, side) - 0.5
        ax.plot(points[:, 1], points[:, 0], "-", color="tab:orange", lw=1)
        for t, (row, col) in enumerate(points, start=1):
            ax.text(col, row, str(t), color="yellow", fontsize=7, ha="center", va="center")
        row, col = points[-1]
        for k in range(scales):
            size = patch * 2**k
            ax.add_patch(Rectangle((col - size / 2, row - size / 2), size, size, fill=False, ec="tab:red", lw=0.8))
        ax.set_xlim(-0.5, side - 0.5)
        ax.set_ylim(side - 0.5, -0.5)
        ax.set_title(title, fontsize=8)
        ax.axis("off")
    save_png(figure, out_png)


def plot_glimpses(patches: np.ndarray, title: str, out_png: str | Path) -> None:
    """T x scales x p x p retina patches of one canvas: a row per glimpse, a column per scale."""
    steps, scales = patches.shape[:2]
    figure, axes = plt.subplots(steps, scales, figsize=(1.2 * scales + 0.6, 1.2 * steps), squeeze=False)
    for t in range(steps):
        for k in range(scales):
            ax = axes[t, k]
            ax.imshow(patches[t, k], cmap="gray", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            if k == 0:
                ax.set_ylabel(f"glimpse {t + 1}", fontsize=7)
            if t == 0:
                ax.set_title(f"scale {2**k}x", fontsize=7)
    figure.suptitle(title, fontsize=8)
    save_png(figure, out_png)


def plot_ram_curves(runs: Mapping[str, pd.DataFrame], title: str, out_png: str | Path) -> None:
    """Per epoch, one line per run (label -> metrics table): accuracy, mean reward, baseline loss."""
    figure, axes = plt.subplots(1, 3, figsize=(11, 3))
    for (label, metrics), color in zip(runs.items(), plt.rcParams["axes.prop_cycle"].by_key()["color"]):
        epoch = metrics["epoch"]
        axes[0].plot(epoch, 1 - metrics["train_error"], color=color, ls="--", label=f"{label} train")
        if "test_error" in metrics:
            axes[0].plot(epoch, 1 - metrics["test_error"], color=color, label=f"{label} test")
        axes[1].plot(epoch, metrics["train_reward"], color=color, label=label)
        axes[2].plot(epoch, metrics["train_baseline_loss"], color=color, label=label)
    for ax, name in zip(axes, ("accuracy", "mean reward", "baseline squared error")):
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7)
    figure.suptitle(title, fontsize=9)
    figure.tight_layout()
    save_png(figure, out_png)
