"""Which files of a drawings folder count, their labels, and the SHA-256 manifest that pins them.

A drawing is an image file whose name ends in its number (``12.tif``, ``drawing 12.jpg``);
names ending in a letter (``3A.jpg``: details and alternative scans) are not drawings of their
own and are ignored. The labels table maps numbers to Raphael, Not Raphael or Disputed. The
drawings are only ever read: the manifest that pins their bytes is written elsewhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from dlrepro.data.images import IMAGE_SUFFIXES
from dlrepro.data.manifest import record_or_check
from dlrepro.io import sha256_file

RAPHAEL, NOT_RAPHAEL, DISPUTED = "Raphael", "Not Raphael", "Disputed"
LABELS = (RAPHAEL, NOT_RAPHAEL, DISPUTED)
# the patch dataset's split of each label: known drawings are evaluated leave-one-out, the
# disputed ones are predicted by a model trained on every known drawing
SPLIT_OF = {RAPHAEL: "train", NOT_RAPHAEL: "train", DISPUTED: "test"}
TRAILING_NUMBER = re.compile(r"(\d+)$")


def drawing_files(folder: str | Path) -> tuple[dict[int, Path], list[Path]]:
    """Image files of ``folder`` by drawing number, and the ignored ones (names ending in a letter)."""
    numbered: dict[int, Path] = {}
    ignored = []
    for path in sorted(Path(folder).iterdir()):
        if not path.is_file() or path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        match = TRAILING_NUMBER.search(path.stem)
        if match is None:
            if not path.stem[-1:].isalpha():
                raise ValueError(f"{path}: name must end in the drawing's number (or a letter, to be ignored)")
            ignored.append(path)
            continue
        number = int(match.group(1))
        if number in numbered:
            raise ValueError(f"{folder}: two files for drawing {number}: {numbered[number].name} and {path.name}")
        numbered[number] = path
    return numbered, ignored


def canonical_label(text: str) -> str:
    by_key = {label.casefold(): label for label in LABELS}
    key = " ".join(str(text).split()).casefold()
    if key not in by_key:
        raise ValueError(f"label {text!r} unknown; expected one of {', '.join(LABELS)}")
    return by_key[key]


def read_drawing_labels(path: str | Path) -> pd.DataFrame:
    """The labels table (CSV, or TSV by suffix): columns ``number`` and ``label``, one row per drawing."""
    path = Path(path)
    table = pd.read_csv(path, sep="\t" if path.suffix.lower() in (".tsv", ".tab") else ",", dtype=str)
    missing = {"number", "label"} - set(table.columns)
    if missing:
        raise ValueError(f"{path}: needs columns 'number' and 'label' (missing {sorted(missing)})")
    try:
        numbers = table["number"].str.strip().astype(int)
        labels = table["label"].map(canonical_label)
    except ValueError as err:
        raise ValueError(f"{path}: {err}") from err
    duplicated = sorted(set(numbers[numbers.duplicated()]))
    if duplicated:
        raise ValueError(f"{path}: drawings listed twice: {duplicated}")
    return pd.DataFrame({"number": numbers, "label": labels})


def verified_drawings(folder: str | Path, labels: str | Path, manifest: str | Path) -> tuple[pd.DataFrame, bool]:
    """The labelled drawings of ``folder`` (file, number, label, split, sha256), checked against ``manifest``.

    The manifest is written when absent (first use) and checked otherwise. Every numbered
    file needs a label and every label a file. Returns the table and whether the manifest
    was written now.
    """
    folder = Path(folder)
    files, _ = drawing_files(folder)
    table = read_drawing_labels(labels)
    unlabelled = sorted(set(files) - set(table["number"]))
    if unlabelled:
        raise ValueError(f"{labels}: no label for drawings {unlabelled} of {folder}; add rows for them")
    missing = sorted(set(table["number"]) - set(files))
    if missing:
        raise ValueError(f"{labels}: drawings {missing} have no file in {folder} (names must end in the number)")
    table = table.sort_values("number").reset_index(drop=True)
    table.insert(0, "file", [files[n].name for n in table["number"]])
    table["split"] = table["label"].map(SPLIT_OF)
    table["sha256"] = [sha256_file(folder / name) for name in table["file"]]
    written = record_or_check(dict(zip(table["file"], table["sha256"])), manifest, "drawing")
    return table, written
