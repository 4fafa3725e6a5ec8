"""A tiny folder in Flickr8K's distributed layout, for the reader's and the workflow's tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

SPLIT_FILES = {"train": "Flickr_8k.trainImages.txt", "val": "Flickr_8k.devImages.txt",
               "test": "Flickr_8k.testImages.txt"}
PHRASES = ("a dog runs on the grass", "a brown dog is running", "the dog plays outside",
           "a child climbs the stairs", "a girl in a pink dress")


def make_flickr8k(root: Path, counts: dict[str, int], text_folder: str = "Flickr8k_text") -> dict[str, list[str]]:
    """``counts[split]`` random JPEGs of 40 x 30 px with five captions each; the text files in
    ``text_folder`` (or beside the images with "."), plus a token line of an image in no list (as the
    real token file has). Returns split -> image files."""
    rng = np.random.default_rng(0)
    images, text = root / "Flicker8k_Dataset", root / text_folder
    images.mkdir(parents=True)
    text.mkdir(parents=True, exist_ok=True)
    files, tokens = {}, []
    for split, count in counts.items():
        files[split] = [f"{split}{i:03d}_{rng.integers(1e9)}.jpg" for i in range(count)]
        for k, name in enumerate(files[split]):
            Image.fromarray(rng.integers(0, 255, (30, 40, 3), dtype=np.uint8)).save(images / name)
            tokens += [f"{name}#{n}\t{PHRASES[(k + n) % len(PHRASES)].capitalize()} ." for n in range(5)]
        (text / SPLIT_FILES[split]).write_text("".join(f"{name}\n" for name in files[split]))
    tokens.append("2258277193_586949ec62.jpg.1#0\tAn image in no list .")
    (text / "Flickr8k.token.txt").write_text("\n".join(tokens) + "\n")
    return files
