"""Translated and cluttered digits after Mnih et al. 2014, "Recurrent models of visual attention".

Each digit is placed whole at a random position on a larger black canvas (translated); cluttered
canvases add ``fragments`` random ``fragment_size`` square crops of other digits of the same split,
anywhere on the canvas, blended by maximum so they never erase the digit. ``digit_size`` resizes
the digits first (the 8x8 scikit-learn digits are upsampled so a small canvas keeps the paper's
digit-to-canvas ratio). ``copies`` places every training digit that many times, each at its own
position with its own clutter: Mnih et al. drew fresh training canvases on the fly, and a network
that sees each digit at one position only learns the positions (a conv net reaches 0 % training and
20 % test error on 10,000 fixed 60x60 canvases). The result is an ordinary dataset folder with the
source's splits and labels (copies share their digit's ``group``), canvas.json, and the digit of each
training canvas, from which :class:`FreshCanvases` draws new canvases at every epoch (``redraw``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from torch.utils.data import Dataset

from dlrepro.data.dataset import load_dataset, subsample, write_dataset
from dlrepro.io import atomic_output, write_json

CANVAS_FILE = "canvas.json"  # beside the dataset: what was written (the digits' size, for the paper's table)
TRAIN_DIGITS_FILE = "train_digits.npy"  # beside the dataset: the digit of each training canvas, in order


def resize_digits(images: np.ndarray, size: int) -> np.ndarray:
    """uint8 N x H x W x C digits as N x size x size grey images (channels averaged, bilinear)."""
    grey = torch.from_numpy(np.asarray(images, dtype=np.float32).mean(axis=3))[:, None]
    if grey.shape[-1] != size:
        grey = F.interpolate(grey, size=(size, size), mode="bilinear", align_corners=False)
    return np.clip(np.rint(grey[:, 0].numpy()), 0, 255).astype(np.uint8)


def place_digits(digits: np.ndarray, canvas: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Each N x s x s digit whole at a uniform random position of a canvas x canvas image; returns the
    canvases and each digit's top-left corner (row, column)."""
    n, size, _ = digits.shape
    if size > canvas:
        raise ValueError(f"digits of {size} px do not fit a canvas of {canvas} px; enlarge the canvas")
    corners = rng.integers(0, canvas - size + 1, size=(n, 2))
    out = np.zeros((n, canvas, canvas), dtype=np.uint8)
    for image, digit, (row, col) in zip(out, digits, corners):
        image[row : row + size, col : col + size] = digit
    return out, corners


def add_clutter(canvases: np.ndarray, digits: np.ndarray, fragments: int, fragment_size: int,
                rng: np.random.Generator, own: np.ndarray | None = None) -> np.ndarray:
    """Each canvas with ``fragments`` random square crops of random other digits at random places
    (pixel-wise maximum, so the digit itself stays intact); canvas i shows digit ``own[i]``
    (default i) of ``digits``, which its fragments never come from."""
    n, canvas, _ = canvases.shape
    own = np.arange(n) if own is None else np.asarray(own)
    size = digits.shape[1]
    if fragment_size > min(size, canvas):
        raise ValueError(f"fragments of {fragment_size} px are larger than the digits ({size} px) or the canvas")
    if len(digits) < 2:
        raise ValueError("clutter needs at least two digits: the fragments come from other digits")
    sources = rng.integers(0, len(digits) - 1, size=(n, fragments))
    sources += sources >= own[:, None]  # another digit than the canvas's own
    crops = rng.integers(0, size - fragment_size + 1, size=(n, fragments, 2))  # where each is cut from
    places = rng.integers(0, canvas - fragment_size + 1, size=(n, fragments, 2))  # where it goes
    span = np.arange(fragment_size)
    canvas_index = np.arange(n)[:, None, None]
    out = canvases.copy()
    for k in range(fragments):  # the k-th fragment of every canvas at once: no pixel is written twice
        rows, cols = (crops[:, k, :1] + span)[:, :, None], (crops[:, k, 1:] + span)[:, None]
        patch = digits[sources[:, k, None, None], rows, cols]
        region = canvas_index, (places[:, k, :1] + span)[:, :, None], (places[:, k, 1:] + span)[:, None]
        out[region] = np.maximum(out[region], patch)
    return out


def make_canvases(digits: np.ndarray, canvas: int, fragments: int, fragment_size: int,
                  rng: np.random.Generator, rows: np.ndarray | None = None) -> np.ndarray:
    """Translated (``fragments`` = 0) or cluttered canvases of the N x s x s ``digits``, or of those
    of ``rows`` only (the clutter still comes from all of them)."""
    placed, _ = place_digits(digits if rows is None else digits[rows], canvas, rng)
    return add_clutter(placed, digits, fragments, fragment_size, rng, own=rows) if fragments else placed


class FreshCanvases(Dataset):
    """Training canvases drawn anew at every read, so each epoch places every digit at a new position
    with new clutter, as Mnih et al. drew theirs on the fly: a longer run sees more canvases instead
    of the same ones again, without storing them. Items are (canvas x canvas x 1 uint8, label).

    The draws come from torch's global generator, which the engine seeds and checkpoints: a run is
    reproducible, and a resumed run draws what the uninterrupted one would have.
    """

    def __init__(self, digits: np.ndarray, labels: np.ndarray, canvas: int, fragments: int, fragment_size: int):
        if len(digits) != len(labels):
            raise ValueError(f"{len(digits)} digits but {len(labels)} labels")
        self.digits, self.labels = digits, torch.as_tensor(labels, dtype=torch.int64)
        self.canvas, self.fragments, self.fragment_size = canvas, fragments, fragment_size

    def __len__(self) -> int:
        return len(self.labels)

    def __getitems__(self, rows: list[int]) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """A batch at once (the DataLoader asks so): one generator and one placement pass per batch."""
        rng = np.random.default_rng(int(torch.randint(2**62, ())))
        canvases = make_canvases(self.digits, self.canvas, self.fragments, self.fragment_size, rng, np.asarray(rows))
        return list(zip(torch.from_numpy(canvases)[..., None], self.labels[rows]))

    def __getitem__(self, row: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.__getitems__([row])[0]


def write_canvas_dataset(source_dir: str | Path, out_dir: str | Path, settings: dict, seed: int) -> dict:
    """The canvases of every split of the dataset in ``source_dir`` (limited to ``max_train`` and
    ``max_test`` digits, seeded; ``copies`` canvases per training digit), written as a dataset in
    ``out_dir``; returns what was written."""
    source = load_dataset(source_dir)
    split = source.index["split"].to_numpy()
    keep = subsample(split, {"train": settings.get("max_train"), "test": settings.get("max_test")}, seed)
    copies = settings.get("copies", 1)
    if copies < 1:
        raise ValueError(f"copies={copies}; expected at least 1 canvas per training digit")
    keep = np.repeat(keep, np.where(split[keep] == "train", copies, 1))
    index = source.index.iloc[keep].reset_index(drop=True)
    digits = resize_digits(np.asarray(source.images[keep]), settings["digit_size"] or source.images.shape[1])
    rng = np.random.default_rng(seed)
    images = np.zeros((len(index), settings["canvas"], settings["canvas"]), dtype=np.uint8)
    for split in index["split"].unique():
        rows = (index["split"] == split).to_numpy()
        images[rows] = make_canvases(digits[rows], settings["canvas"], settings["fragments"],
                                     settings["fragment_size"], rng)
    write_dataset(out_dir, images[..., None], index["label"].to_numpy(), index["split"].to_numpy(),
                  source.classes, group=index["group"].to_numpy())
    with atomic_output(Path(out_dir) / TRAIN_DIGITS_FILE) as tmp, open(tmp, "wb") as handle:
        np.save(handle, digits[(index["split"] == "train").to_numpy()])
    written = {"images": len(index), "canvas": settings["canvas"], "digit_size": int(digits.shape[1]),
               "copies": copies, "redraw": bool(settings.get("redraw", False))}
    write_json(written, Path(out_dir) / CANVAS_FILE)
    return written
