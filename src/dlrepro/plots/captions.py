"""S13 figure: test images with the captions the model wrote (greedy and beam search) and two of
their reference captions."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from dlrepro.plots.save import save_png

WRAP = 34


def wrapped(label: str, text: str) -> str:
    return textwrap.fill(f"{label}: {text}", WRAP, subsequent_indent="  ")


def plot_captioned_images(images: np.ndarray, greedy: Sequence[str], beam: Sequence[str],
                          references: Sequence[Sequence[str]], out_png: str | Path, title: str,
                          columns: int = 4) -> None:
    """One panel per image (uint8 H x W x 3), its generated captions in bold under it, then its
    first two references in grey."""
    rows = -(-len(images) // columns)
    fig = Figure(figsize=(3.2 * columns, 4.4 * rows))
    axes = np.atleast_1d(fig.subplots(rows, columns, squeeze=False)).ravel()
    for ax in axes[len(images):]:
        ax.axis("off")
    for ax, image, by_greedy, by_beam, refs in zip(axes, images, greedy, beam, references):
        ax.imshow(image, interpolation="nearest" if image.shape[0] < 96 else "antialiased")
        ax.set_xticks([])
        ax.set_yticks([])
        ours = "\n".join([wrapped("greedy", by_greedy or "(empty)"), wrapped("beam", by_beam or "(empty)")])
        theirs = "\n".join(wrapped(f"ref {i + 1}", ref) for i, ref in enumerate(refs[:2]))
        ax.text(0, -0.04, ours, transform=ax.transAxes, va="top", fontsize=7.5, fontweight="bold")
        ax.text(0, -0.04 - 0.075 * ours.count("\n") - 0.09, theirs, transform=ax.transAxes, va="top", fontsize=7,
                color="dimgray")
    fig.suptitle(title)
    fig.subplots_adjust(hspace=1.0, wspace=0.15)
    save_png(fig, out_png)
