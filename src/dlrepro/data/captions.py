"""S13's image-caption data: the tokeniser and vocabulary, a Flickr8K folder as distributed, and
generated STAND-IN scenes with templated captions.

A caption dataset on disk is a folder holding ``images.npy`` (uint8, N x S x S x 3), ``captions.parquet``
(one row per caption: ``image`` (row of images.npy), ``file``, ``split``, ``caption``) and
``dataset.json`` (its name, whether it is a stand-in, the image size).

Flickr8K is read from the folder its two archives unpack to: ``Flicker8k_Dataset/<image>.jpg`` and
the text files (``Flickr8k.token.txt``: ``<image>#<n>\\t<caption>``, five per image, and the
train/dev/test lists), beside the image folder or in ``Flickr8k_text/``. The images of the lists and
the text files are pinned by a SHA-256 manifest (:mod:`dlrepro.data.manifest`) and only ever read.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dlrepro.data.dataset import SPLITS, subsample
from dlrepro.data.images import read_image, resize, to_uint8
from dlrepro.data.manifest import record_or_check
from dlrepro.io import InputError, atomic_output, read_json, read_parquet_table, require_columns, write_json

SPECIALS = ("<pad>", "<start>", "<end>", "<unk>")
PAD, START, END, UNK = range(len(SPECIALS))
FLICKR8K_IMAGES = "Flicker8k_Dataset"  # sic: the distributed folder's name
FLICKR8K_TEXT = {"captions": "Flickr8k.token.txt", "train": "Flickr_8k.trainImages.txt",
                 "val": "Flickr_8k.devImages.txt", "test": "Flickr_8k.testImages.txt"}
TEXT_FOLDERS = (".", "Flickr8k_text")
CAPTION_COLUMNS = ("image", "file", "split", "caption")
STANDIN_NAME = "shapes-standin"
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokenise(text: str) -> list[str]:
    """Lower-case words and numbers (``dog's`` stays one word); punctuation is dropped."""
    return WORD.findall(text.lower())


@dataclass(frozen=True)
class Vocabulary:
    """The words a captioner reads and writes: the specials <pad> <start> <end> <unk>, then the
    training captions' words seen at least ``min_count`` times, most frequent first."""

    words: tuple[str, ...]

    @classmethod
    def build(cls, captions: Iterable[list[str]], min_count: int) -> Vocabulary:
        counts = Counter(word for caption in captions for word in caption)
        kept = sorted((w for w, n in counts.items() if n >= min_count), key=lambda w: (-counts[w], w))
        return cls(SPECIALS + tuple(kept))

    def __len__(self) -> int:
        return len(self.words)

    def encode(self, tokens: list[str], max_length: int) -> list[int]:
        """<start>, the first ``max_length`` words (unknown ones as <unk>), <end>, padded to max_length + 2."""
        index = {word: i for i, word in enumerate(self.words)}
        ids = [START] + [index.get(word, UNK) for word in tokens[:max_length]] + [END]
        return ids + [PAD] * (max_length + 2 - len(ids))

    def decode(self, ids: Iterable[int]) -> list[str]:
        """The words up to the first <end>, without <start> and <pad>."""
        words = []
        for i in ids:
            if i == END:
                break
            if i not in (PAD, START):
                words.append(self.words[i])
        return words


# Generated STAND-IN scenes: two shapes side by side or one above the other, five phrasings each.
COLOURS = {"red": (220, 40, 40), "green": (40, 180, 60), "blue": (50, 90, 235), "yellow": (235, 215, 40)}
SHAPES = ("circle", "square", "triangle")
TEMPLATES = {
    "horizontal": ("a {a} left of a {b}", "a {b} right of a {a}", "a {a} to the left of a {b}",
                   "a {a} and a {b} side by side", "a {b} to the right of a {a}"),
    "vertical": ("a {a} above a {b}", "a {b} below a {a}", "a {a} on top of a {b}",
                 "a {a} and a {b} one above the other", "a {b} under a {a}"),
}


def shape_mask(shape: str, size: int, cx: float, cy: float, r: float) -> np.ndarray:
    y, x = np.mgrid[0:size, 0:size] + 0.5
    if shape == "circle":
        return (x - cx) ** 2 + (y - cy) ** 2 <= r ** 2
    if shape == "square":
        return (np.abs(x - cx) <= r * 0.85) & (np.abs(y - cy) <= r * 0.85)
    return (y >= cy - r) & (y <= cy + r) & (np.abs(x - cx) <= (y - (cy - r)) / 2)  # apex up


def standin_scene(rng: np.random.Generator, size: int) -> tuple[np.ndarray, list[str]]:
    """One image (uint8 size x size x 3) and the five captions of its two objects' arrangement."""
    objects = []
    while len(objects) < 2:
        candidate = (str(rng.choice(list(COLOURS))), str(rng.choice(SHAPES)))
        if candidate not in objects:
            objects.append(candidate)
    relation = str(rng.choice(list(TEMPLATES)))
    image = rng.normal(rng.uniform(10, 70), 6, (size, size, 3))
    for slot, (colour, shape) in enumerate(objects):
        along, across = rng.uniform(0.2, 0.38) + 0.42 * slot, rng.uniform(0.3, 0.7)
        cx, cy = (along, across) if relation == "horizontal" else (across, along)
        mask = shape_mask(shape, size, cx * size, cy * size, rng.uniform(0.12, 0.17) * size)
        image[mask] = np.array(COLOURS[colour]) + rng.normal(0, 8, 3)
    names = [f"{colour} {shape}" for colour, shape in objects]
    captions = [template.format(a=names[0], b=names[1]) for template in TEMPLATES[relation]]
    return np.clip(image, 0, 255).astype(np.uint8), captions


def standin_dataset(settings: dict, size: int, seed: int) -> tuple[np.ndarray, pd.DataFrame]:
    """``n_train``/``n_val``/``n_test`` generated scenes with ``captions_per_image`` of their phrasings each."""
    rng = np.random.default_rng(seed)
    images, rows = [], []
    for split in SPLITS:
        for _ in range(settings[f"n_{split}"]):
            image, captions = standin_scene(rng, size)
            chosen = sorted(rng.choice(len(captions), settings["captions_per_image"], replace=False))
            number = len(images)
            images.append(image)
            rows += [{"image": number, "file": f"scene{number:05d}", "split": split, "caption": captions[i]}
                     for i in chosen]
    return np.stack(images), pd.DataFrame(rows, columns=list(CAPTION_COLUMNS))


# Flickr8K as distributed


def flickr8k_text_files(root: Path) -> dict[str, Path]:
    """Where each text file is: in the folder itself or in its Flickr8k_text/; an InputError names the first missing."""
    found = {}
    for role, name in FLICKR8K_TEXT.items():
        places = [root / folder / name for folder in TEXT_FOLDERS]
        existing = [path for path in places if path.is_file()]
        if not existing:
            raise InputError(f"{root}: no {name} (looked in {' and '.join(str(p.parent) for p in places)}); "
                             "unpack Flickr8k_text.zip into the Flickr8K folder")
        found[role] = existing[0]
    return found


def read_token_file(path: Path) -> dict[str, list[str]]:
    """image file -> its captions, from lines ``<image>#<n>\\t<caption>``."""
    captions: dict[str, list[str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        key, tab, caption = line.partition("\t")
        name, hash_sign, _ = key.partition("#")
        if not tab or not hash_sign or not caption.strip():
            raise InputError(f"{path} line {number}: not '<image>#<n><TAB><caption>'; is it Flickr8k.token.txt?")
        captions.setdefault(name, []).append(caption.strip())
    return captions


def read_image_list(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]


def flickr8k_captions(root: str | Path, manifest: str | Path) -> pd.DataFrame:
    """The captions of the images of the train/dev/test lists (columns image, file, split, caption),
    after checking that every listed image is there and has captions, and that the listed images and
    the text files are the ones ``manifest`` recorded (written on first use)."""
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"{root}: no such folder; point s13.data.flickr8k at your Flickr8K folder")
    text = flickr8k_text_files(root)
    images_dir = root / FLICKR8K_IMAGES
    if not images_dir.is_dir():
        raise InputError(f"{root}: no {FLICKR8K_IMAGES}/ folder; unpack Flickr8k_Dataset.zip into it")
    captions = read_token_file(text["captions"])
    rows, hashes = [], {}
    for split in SPLITS:
        for file in read_image_list(text[split]):
            path = images_dir / file
            if not path.is_file():
                raise InputError(f"{path}: listed in {text[split].name} but missing; restore the Flickr8K images")
            if file not in captions:
                raise InputError(f"{file}: listed in {text[split].name} but has no caption in {text['captions']}")
            hashes[f"{FLICKR8K_IMAGES}/{file}"] = hashlib.sha256(path.read_bytes()).hexdigest()
            rows += [{"file": file, "split": split, "caption": caption} for caption in captions[file]]
    for path in text.values():
        hashes[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    record_or_check(hashes, manifest, "Flickr8K file")
    table = pd.DataFrame(rows)
    table.insert(0, "image", pd.factorize(table["file"])[0])
    return table[list(CAPTION_COLUMNS)]


def flickr8k_dataset(settings: dict, manifest: str | Path, seed: int) -> tuple[np.ndarray, pd.DataFrame]:
    """The Flickr8K images (at most max_<split> of each list, drawn with ``seed``) at size x size, and their captions."""
    table = flickr8k_captions(settings["flickr8k"], manifest)
    first = table.drop_duplicates("image")
    limits = {split: settings[f"max_{split}"] for split in SPLITS}
    kept = first.iloc[subsample(first["split"].to_numpy(), limits, seed)]
    table = table[table["image"].isin(kept["image"])].copy()
    table["image"] = table["image"].map({old: new for new, old in enumerate(kept["image"])})
    folder = Path(settings["flickr8k"]) / FLICKR8K_IMAGES
    size = settings["size"]
    images = np.stack([to_uint8(resize(three_channels(read_image(folder / file)), size, size))
                       for file in kept["file"]])
    return images, table.reset_index(drop=True)


def three_channels(image: np.ndarray) -> np.ndarray:
    return np.repeat(image, 3, axis=-1) if image.shape[-1] == 1 else image


def build_caption_dataset(settings: dict, seed: int, out_dir: str | Path, manifest: str | Path | None = None) -> dict:
    """Write the caption dataset of s13.data (Flickr8K when ``flickr8k`` is set, else the STAND-IN scenes)
    to ``out_dir``; returns its dataset.json record."""
    out_dir = Path(out_dir)
    if settings["flickr8k"]:
        if manifest is None:
            raise ValueError("reading Flickr8K needs a manifest path (written on first use, checked after)")
        images, table = flickr8k_dataset(settings, manifest, seed)
        name = "flickr8k"
    else:
        images, table = standin_dataset(settings["standin"], settings["size"], seed)
        name = STANDIN_NAME
    with atomic_output(out_dir / "images.npy") as tmp:
        with tmp.open("wb") as handle:
            np.save(handle, images)
    with atomic_output(out_dir / "captions.parquet") as tmp:
        table.to_parquet(tmp, index=False)
    counts = table.drop_duplicates("image")["split"].value_counts()
    record = {"dataset": name, "standin": name == STANDIN_NAME, "size": settings["size"],
              "images": {split: int(counts.get(split, 0)) for split in SPLITS}, "captions": len(table)}
    write_json(record, out_dir / "dataset.json")
    return record


@dataclass
class CaptionDataset:
    images: np.ndarray
    captions: pd.DataFrame
    info: dict


def load_caption_dataset(folder: str | Path) -> CaptionDataset:
    """A folder written by :func:`build_caption_dataset` (images memory-mapped)."""
    folder = Path(folder)
    path = folder / "captions.parquet"
    table = read_parquet_table(path)
    require_columns(path, table.column_names, CAPTION_COLUMNS)
    images = np.load(folder / "images.npy", mmap_mode="r")
    return CaptionDataset(images, table.to_pandas(), read_json(folder / "dataset.json"))
