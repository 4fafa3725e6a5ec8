"""A dataset from the user's own images: a class-per-folder tree, as a folder or an archive of one.

The tree is ``<class>/<file>``, or ``<split>/<class>/<file>`` with split train, val or test;
single folders above it (``art_data/artists/...``) are passed through. Or the classes come from a
labels CSV (columns ``file`` and ``label``, ``split`` optional), as some datasets (Nexperia's) ship
them: the images may then lie in any layout, and those the CSV does not list are skipped and counted.
A ``.tar``, ``.tar.gz``, ``.tgz`` or ``.zip`` of such a tree is read in place, never unpacked.
Hidden files and folders (``.DS_Store``, ``__MACOSX``) and files without an image suffix are
skipped and counted. The images are pinned by a SHA-256 manifest (see :mod:`dlrepro.data.manifest`),
then read at full bit depth (:func:`dlrepro.data.images.read_image`: the first page of a TIFF,
the first frame of a GIF), converted to the configured channels and fitted to a square size.

Reading is two passes: the first hashes every image and lists the tree; the second decodes only
the images kept (``max_train``/``max_test``), so a subset of a large archive decodes little.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from dlrepro.data.dataset import SPLITS, subsample, write_dataset
from dlrepro.data.images import IMAGE_SUFFIXES, read_image, resize, to_grayscale, to_uint8
from dlrepro.data.manifest import record_or_check

TREE_IMAGE_SUFFIXES = IMAGE_SUFFIXES + (".bmp", ".gif")
ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".zip")
FIT_MODES = ("resize", "pad", "crop")
HIDDEN_FOLDERS = ("__MACOSX",)  # resource forks macOS adds to zip files


@dataclass(frozen=True)
class FolderSettings:
    """How the images become one array: ``size`` (None keeps the images' own, equal size),
    ``channels`` (1 or 3), ``fit`` (resize: stretch; pad: keep the aspect, black borders; crop:
    keep the aspect, centre crop), and the split fractions used when the tree has no split."""

    size: int | None = None
    channels: int = 3
    fit: str = "resize"
    val_fraction: float = 0.0
    test_fraction: float = 0.3

    def __post_init__(self):
        if self.size is not None and self.size < 1:
            raise ValueError(f"size must be at least 1, got {self.size}")
        if self.channels not in (1, 3):
            raise ValueError(f"channels must be 1 or 3, got {self.channels}")
        if self.fit not in FIT_MODES:
            raise ValueError(f"fit must be one of {', '.join(FIT_MODES)}, got {self.fit!r}")
        if min(self.val_fraction, self.test_fraction) < 0 or self.val_fraction + self.test_fraction >= 1:
            raise ValueError(f"val and test fractions must be >= 0 and leave some training images, got "
                             f"{self.val_fraction} and {self.test_fraction}")


@dataclass
class ImageTree:
    """The images of a tree by name (path inside the tree, '/'-separated) with their SHA-256,
    and how many files were skipped, by reason."""

    hashes: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=lambda: {"hidden": 0, "not an image": 0})


LABEL_COLUMNS = ("file", "label")


def is_archive(path: str | Path) -> bool:
    return str(path).lower().endswith(ARCHIVE_SUFFIXES)


def file_kind(name: str) -> str:
    """'image', 'hidden' (a part of the name starts with a dot, or is __MACOSX) or 'not an image'."""
    parts = name.split("/")
    if any(part.startswith(".") or part in HIDDEN_FOLDERS for part in parts):
        return "hidden"
    return "image" if PurePosixPath(name).suffix.lower() in TREE_IMAGE_SUFFIXES else "not an image"


def read_files(path: str | Path, wanted: Callable[[str], bool]) -> Iterator[tuple[str, bytes | None]]:
    """Every regular file of a folder or archive, in stored order: its name in the tree, and its
    bytes when ``wanted(name)`` (else None). Archives are streamed: a .tar.gz is read once, front to back."""
    path = Path(path)
    if path.is_dir():
        for folder, subfolders, files in os.walk(path, followlinks=True):  # class folders may be links
            subfolders.sort()
            for file in sorted(files):
                name = Path(folder, file).relative_to(path).as_posix()
                yield name, (Path(folder, file).read_bytes() if wanted(name) else None)
    elif path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    name = tree_name(info.filename)
                    yield name, (archive.read(info) if wanted(name) else None)
    elif is_archive(path):
        with tarfile.open(path, "r|*") as archive:
            for member in archive:
                if member.isfile():
                    name = tree_name(member.name)
                    yield name, (archive.extractfile(member).read() if wanted(name) else None)
    else:
        raise ValueError(f"{path}: not a folder or an archive ({', '.join(ARCHIVE_SUFFIXES)}) of class folders")


def tree_name(member: str) -> str:
    """An archive member's name without ``./`` and leading slashes."""
    return "/".join(part for part in PurePosixPath(member).parts if part not in (".", "/"))


def scan_tree(path: str | Path) -> ImageTree:
    """First pass: the SHA-256 of every image of the tree, and counts of the skipped files."""
    tree = ImageTree()
    for name, data in read_files(path, lambda name: file_kind(name) == "image"):
        if data is None:
            tree.skipped[file_kind(name)] += 1
        else:
            tree.hashes[name] = hashlib.sha256(data).hexdigest()
    if not tree.hashes:
        raise ValueError(f"{path}: no images ({', '.join(TREE_IMAGE_SUFFIXES)}) found; "
                         "expected <class>/<file> or <split>/<class>/<file>")
    return tree


def image_names(folder: str | Path) -> list[str]:
    """The images of a folder tree, by name, without reading them (what the workflow declares as input)."""
    return sorted(name for name, _ in read_files(folder, lambda name: False) if file_kind(name) == "image")


def tree_layout(names: list[str], root: str | Path) -> tuple[np.ndarray | None, list[str]]:
    """(split of each image, or None when the tree has none; class folder of each image)."""
    parts = [name.split("/") for name in names]
    while all(len(p) > 2 for p in parts) and len({p[0] for p in parts}) == 1 and parts[0][0] not in SPLITS:
        parts = [p[1:] for p in parts]
    with_split = any(len(p) == 3 and p[0] in SPLITS for p in parts)
    depth = 3 if with_split else 2
    misplaced = [name for name, p in zip(names, parts) if len(p) != depth or (with_split and p[0] not in SPLITS)]
    if misplaced:
        expected = f"<split>/<class>/<file> with split {', '.join(SPLITS)}" if with_split else "<class>/<file>"
        raise ValueError(f"{Path(root) / misplaced[0]}: not in the tree's layout ({expected}); "
                         f"move it into a class folder or out of {root}")
    if len({p[-2] for p in parts}) < 2:
        raise ValueError(f"{root}: one class folder ({parts[0][-2]}); a dataset needs at least two")
    split = np.array([p[0] for p in parts]) if with_split else None
    return split, [p[-2] for p in parts]


def labelled_layout(names: list[str], labels_csv: str | Path, root: str | Path
                    ) -> tuple[list[str], np.ndarray | None, list[str]]:
    """(the images the labels CSV lists, their split or None when it has no split column, their class).

    A ``file`` entry names an image by its path in the tree, or by its file name alone when no other
    image has that name; every entry must name an image, each image at most once."""
    try:
        table = pd.read_csv(labels_csv, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as err:
        raise ValueError(f"{labels_csv}: not a readable CSV ({err})") from None
    missing = [column for column in LABEL_COLUMNS if column not in table.columns]
    if missing:
        raise ValueError(f"{labels_csv}: no {' or '.join(missing)} column (it has {', '.join(table.columns)}); "
                         "a labels CSV has the columns file, label and optionally split")
    by_file_name: dict[str, list[str]] = {}
    for name in names:
        by_file_name.setdefault(PurePosixPath(name).name, []).append(name)
    known = set(names)

    def image_of(entry: str) -> str | None:
        same_name = by_file_name.get(entry, [])
        return entry if entry in known else same_name[0] if len(same_name) == 1 else None

    listed = [image_of(entry) for entry in table["file"].str.strip()]
    absent = [entry for entry, name in zip(table["file"], listed) if name is None]
    if absent:
        raise ValueError(f"{labels_csv}: {len(absent)} listed files are not images of {root} (first: {absent[0]}); "
                         "correct the CSV or the images folder")
    twice = pd.Series(listed)[pd.Series(listed).duplicated()]
    if len(twice):
        raise ValueError(f"{labels_csv}: {twice.iloc[0]} is listed more than once; give each image one row")
    split = None
    if "split" in table.columns:
        split = table["split"].str.strip().to_numpy()
        wrong = sorted(set(split) - set(SPLITS))
        if wrong:
            raise ValueError(f"{labels_csv}: split {wrong[0]!r} is not one of {', '.join(SPLITS)}")
    class_of = table["label"].str.strip().tolist()
    if len(set(class_of)) < 2:
        raise ValueError(f"{labels_csv}: one class ({class_of[0] if class_of else 'none'}); a dataset needs at "
                         "least two")
    return listed, split, class_of


def stratified_split(labels: np.ndarray, val_fraction: float, test_fraction: float, seed: int) -> np.ndarray:
    """train/val/test per image, each class split in the given fractions (rounded) at random."""
    rng = np.random.default_rng(seed)
    split = np.full(len(labels), "train", dtype="<U5")
    for label in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == label))
        n_test, n_val = round(len(rows) * test_fraction), round(len(rows) * val_fraction)
        split[rows[:n_test]] = "test"
        split[rows[n_test:n_test + n_val]] = "val"
    return split


def fit_image(image: np.ndarray, settings: FolderSettings) -> np.ndarray:
    """``image`` with ``settings.channels`` channels, fitted to ``settings.size`` squared."""
    if settings.channels == 1:
        image = to_grayscale(image)
    elif image.shape[-1] == 1:
        image = np.repeat(image, 3, axis=-1)
    size = settings.size
    if size is None:
        return image
    if settings.fit == "resize":
        return resize(image, size, size)
    height, width = image.shape[:2]
    side = max(height, width) if settings.fit == "pad" else min(height, width)
    height, width = max(1, round(height * size / side)), max(1, round(width * size / side))
    image = resize(image, height, width)
    top, left = abs(size - height) // 2, abs(size - width) // 2
    if settings.fit == "crop":
        return image[top:top + size, left:left + size]
    padded = np.zeros((size, size, image.shape[-1]), dtype=np.float32)
    padded[top:top + height, left:left + width] = image
    return padded


def decode_images(path: str | Path, names: list[str], settings: FolderSettings) -> np.ndarray:
    """Second pass: uint8 N x H x W x C images of ``names``, in that order."""
    row_of = {name: row for row, name in enumerate(names)}
    images, first = None, None
    for name, data in read_files(path, row_of.__contains__):
        if data is None:
            continue
        image = to_uint8(fit_image(read_image(Path(path) / name, io.BytesIO(data)), settings))
        if images is None:
            images, first = np.empty((len(names), *image.shape), dtype=np.uint8), name
        elif image.shape != images.shape[1:]:
            raise ValueError(f"{Path(path) / name}: {image.shape[1]}x{image.shape[0]} pixels, but {first} has "
                             f"{images.shape[2]}x{images.shape[1]}; give a size to fit every image to")
        images[row_of[name]] = image
    return images


@dataclass
class FolderSummary:
    images: int
    classes: list[str]
    split_counts: dict[str, int]
    skipped: dict[str, int]
    manifest_written: bool


def prepare_image_folder(
    path: str | Path,
    out_dir: str | Path,
    manifest: str | Path,
    settings: FolderSettings,
    limits: dict[str, int | None],
    seed: int,
    labels_csv: str | Path | None = None,
) -> FolderSummary:
    """Write the dataset of an image tree to ``out_dir``, keeping at most ``limits`` images per split
    (each class keeping its share); the tree, and the labels CSV when the classes come from one, are
    checked against ``manifest`` (written on first use)."""
    tree = scan_tree(path)
    names = sorted(tree.hashes)
    if labels_csv is None:
        split, class_of = tree_layout(names, path)
    else:
        names, split, class_of = labelled_layout(names, labels_csv, path)
        tree.skipped["not labelled"] = len(tree.hashes) - len(names)
        tree.hashes[Path(labels_csv).name] = hashlib.sha256(Path(labels_csv).read_bytes()).hexdigest()
    classes = sorted(set(class_of))
    labels = np.searchsorted(classes, class_of).astype(np.int64)
    if split is None:
        split = stratified_split(labels, settings.val_fraction, settings.test_fraction, seed)
    keep = subsample(split, limits, seed, labels)
    images = decode_images(path, [names[row] for row in keep], settings)
    written = record_or_check(tree.hashes, manifest, "image")
    write_dataset(out_dir, images, labels[keep], split[keep], classes)
    counts = {name: int((split[keep] == name).sum()) for name in SPLITS}
    return FolderSummary(len(keep), classes, counts, tree.skipped, written)
