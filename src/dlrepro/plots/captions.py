"""S13 figures: test images with the captions the model wrote (greedy and beam search) and two of
their reference captions; the image seen through the attention of each word of a caption."""

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


def attention_map(alphas: np.ndarray, size: int) -> np.ndarray:
    """A word's weights over a side x side grid, stretched to size x size pixels (bilinear), scaled to [0, 1]."""
    from PIL import Image

    side = int(round(len(alphas) ** 0.5))
    grid = np.asarray(alphas, dtype=np.float32).reshape(side, side)
    stretched = np.asarray(Image.fromarray(grid).resize((size, size), Image.Resampling.BILINEAR))
    return stretched / max(float(stretched.max()), 1e-12)


def plot_attention(images: np.ndarray, captions: Sequence[str], attention: np.ndarray, out_png: str | Path,
                   title: str, max_words: int = 10) -> None:
    """One row per image: the image, then the image seen through each beam-search word's attention
    (bright where the decoder looked while writing the word; Xu et al. 2015, Fig. 2-3)."""
    words = [caption.split()[:max_words] for caption in captions]
    columns = 1 + max(1, max(len(w) for w in words))
    fig = Figure(figsize=(1.5 * columns, 1.75 * len(images)))
    axes = fig.subplots(len(images), columns, squeeze=False)
    for row, (image, caption_words, alphas) in enumerate(zip(images, words, attention)):
        for ax in axes[row]:
            ax.axis("off")
        axes[row, 0].imshow(image)
        axes[row, 0].set_title("image", fontsize=8)
        for k, word in enumerate(caption_words):
            weight = attention_map(alphas[k], image.shape[0])[..., None]
            axes[row, k + 1].imshow((image * (0.15 + 0.85 * weight)).astype(np.uint8))
            axes[row, k + 1].set_title(word, fontsize=8)
    fig.suptitle(title)
    save_png(fig, out_png)
