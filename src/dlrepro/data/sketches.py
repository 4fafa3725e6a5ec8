"""Free-hand sketches as ordered strokes: the TU-Berlin SVG files, rasterised by stroke order.

A sketch is a list of strokes in drawing order, each an (k, 2) array of x, y points. TU-Berlin
(Eitz et al. 2012) distributes one folder per class of SVG files whose ``<path>`` elements keep
the order the strokes were drawn in; :func:`read_svg_strokes` keeps that order. The rasteriser
draws with PIL lines (no anti-aliasing), so the image of a set of strokes is exactly the
pixelwise maximum of the images of its parts, which the stroke-order channels rely on.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np
from PIL import Image, ImageDraw

from dlrepro.data.folders import read_files
from dlrepro.data.manifest import record_or_check
from dlrepro.io import InputError, atomic_output

Stroke = np.ndarray  # (k, 2) float: x, y
PARTS = 3
# The six stroke-order channels (Sketch-a-Net, Yu et al. 2015): the three chronological parts, then
# the unions of consecutive parts; each is the pixelwise maximum of the parts it names.
STROKE_CHANNELS = (("p1",), ("p2",), ("p3",), ("p1", "p2"), ("p2", "p3"), ("p1", "p2", "p3"))
BEZIER_SAMPLES = 8  # points per cubic segment: smooth at 256 px, the stored size's upper end

_TOKEN = re.compile(r"[MmLlCcZzHhVv]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARITY = {"M": 2, "L": 2, "C": 6, "H": 1, "V": 1, "Z": 0}


def path_points(d: str) -> Stroke:
    """The polyline of an SVG path's ``d`` (M, L, C, H, V, Z; lower case relative), cubic curves
    sampled at :data:`BEZIER_SAMPLES` points; one stroke even when the path moves more than once."""
    tokens = _TOKEN.findall(d)
    points, position, start, command, i = [], np.zeros(2), np.zeros(2), None, 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command, i = tokens[i], i + 1
            if command in "Zz":
                position = start.copy()
                points.append(position)
                continue
        if command is None or command in "Zz":
            raise ValueError(f"path data {d[:40]!r}: number {tokens[i]} before any drawing command")
        arity = _ARITY[command.upper()]
        if len(tokens[i:i + arity]) < arity or any(t.isalpha() for t in tokens[i:i + arity]):
            raise ValueError(f"path data {d[:40]!r}: command {command} needs {arity} numbers")
        values = np.array([float(t) for t in tokens[i:i + arity]])
        i += arity
        origin = position if command.islower() else np.zeros(2)
        upper = command.upper()
        if upper == "H":
            position = np.array([values[0] + (position[0] if command.islower() else 0), position[1]])
        elif upper == "V":
            position = np.array([position[0], values[0] + (position[1] if command.islower() else 0)])
        elif upper == "C":
            p0, (p1, p2, p3) = position, origin + values.reshape(3, 2)
            t = np.linspace(0, 1, BEZIER_SAMPLES + 1)[1:, None]
            points.extend((1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t ** 2 * p2 + t ** 3 * p3)
            position = p3
        else:
            position = origin + values
            if upper == "M":
                start = position
                command = "l" if command == "m" else "L"  # extra pairs after a moveto are linetos
        if upper != "C":
            points.append(position)
    return np.array(points, dtype=np.float64).reshape(-1, 2)


def read_svg_strokes(data: bytes, name: str = "<svg>") -> list[Stroke]:
    """The strokes of an SVG document: one per ``<path>``, in document (drawing) order; transforms are
    ignored (sketches are normalised to their bounding box afterwards). Raises InputError naming ``name``."""
    try:
        root = ET.fromstring(data)
        strokes = [path_points(element.get("d", "")) for element in root.iter()
                   if element.tag.rsplit("}", 1)[-1] == "path"]
    except (ET.ParseError, ValueError) as err:
        raise InputError(f"{name}: not a readable SVG sketch ({err}); replace or remove the file") from err
    strokes = [stroke for stroke in strokes if len(stroke)]
    if not strokes:
        raise InputError(f"{name}: an SVG without strokes (no <path> with points); remove the file")
    return strokes


def normalised(strokes: Sequence[Stroke], margin: float = 0.08) -> list[Stroke]:
    """Strokes scaled so the sketch's bounding box fills the unit square less ``margin`` on each side,
    centred, aspect kept (Sketch-a-Net centres and rescales every sketch the same way)."""
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = (1 - 2 * margin) / max(float((high - low).max()), 1e-9)
    offset = 0.5 - scale * (low + high) / 2
    return [stroke * scale + offset for stroke in strokes]


def rasterise(strokes: Sequence[Stroke], size: int, line_width: int = 1) -> np.ndarray:
    """(size, size) uint8 image, ink 255 on 0, of strokes in unit-square coordinates."""
    image = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(image)
    for stroke in strokes:
        xy = [tuple(point) for point in np.asarray(stroke) * (size - 1)]
        if len(xy) == 1:
            draw.point(xy, fill=255)
        else:
            draw.line(xy, fill=255, width=line_width)
    return np.asarray(image)


def stroke_parts(strokes: Sequence[Stroke]) -> list[list[Stroke]]:
    """The strokes split into :data:`PARTS` chronological parts: part k holds strokes
    floor(k n / 3) .. floor((k + 1) n / 3) - 1, so parts are empty only when n < 3."""
    n = len(strokes)
    bounds = [k * n // PARTS for k in range(PARTS + 1)]
    return [list(strokes[bounds[k]:bounds[k + 1]]) for k in range(PARTS)]


def part_images(strokes: Sequence[Stroke], size: int, line_width: int = 1) -> np.ndarray:
    """(3, size, size) uint8: the image of each chronological part (what the dataset stores)."""
    return np.stack([rasterise(part, size, line_width) for part in stroke_parts(strokes)])


def stroke_channels(parts: np.ndarray) -> np.ndarray:
    """(..., 3, H, W) part images -> (..., 6, H, W): the channels of :data:`STROKE_CHANNELS`."""
    index = {"p1": 0, "p2": 1, "p3": 2}
    return np.stack([parts[..., [index[p] for p in names], :, :].max(axis=-3) for names in STROKE_CHANNELS],
                    axis=-3)


def full_sketch(parts: np.ndarray) -> np.ndarray:
    """(..., 3, H, W) part images -> (..., 1, H, W): the whole sketch, the union of its parts."""
    return parts.max(axis=-3, keepdims=True)


@dataclass
class SketchSet:
    """Sketches as stored: part images (n, 3, size, size) uint8, class index per sketch, class names,
    split per sketch (train or test)."""

    parts: np.ndarray
    labels: np.ndarray
    classes: list[str]
    split: np.ndarray
    source: str

    def save(self, path: str | Path) -> None:
        with atomic_output(path) as tmp, open(tmp, "wb") as handle:
            np.savez_compressed(handle, parts=self.parts, labels=self.labels, classes=np.array(self.classes),
                                split=self.split, source=np.array(self.source))

    @classmethod
    def load(cls, path: str | Path) -> SketchSet:
        try:
            with np.load(path) as saved:
                return cls(saved["parts"], saved["labels"], [str(c) for c in saved["classes"]],
                           saved["split"].astype(str), str(saved["source"]))
        except (OSError, KeyError, ValueError) as err:
            raise InputError(f"{path}: not a sketch set of `dlrepro visualise sketches` ({err}); rebuild it") from err


def is_sketch_file(name: str) -> bool:
    """An SVG of the tree, not hidden (``.DS_Store``, ``__MACOSX``)."""
    parts = name.split("/")
    return name.lower().endswith(".svg") and not any(p.startswith(".") or p == "__MACOSX" for p in parts)


def sketch_names(folder: str | Path) -> list[str]:
    """The SVG files of a folder or archive by name, without reading them (the workflow's inputs)."""
    return sorted(name for name, _ in read_files(folder, lambda name: False) if is_sketch_file(name))


def split_indices(labels: np.ndarray, test_fraction: float, seed: int) -> np.ndarray:
    """'train'/'test' per sketch: a seeded ``test_fraction`` of each class (at least one) is test."""
    rng = np.random.default_rng(seed)
    split = np.full(len(labels), "train", dtype="<U5")
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        split[members[:max(1, round(test_fraction * len(members)))]] = "test"
    return split


def read_sketch_folder(folder: str | Path, manifest: str | Path, size: int, *, per_class: int | None = None,
                       classes: Sequence[str] | None = None, line_width: int = 1, test_fraction: float = 0.25,
                       seed: int = 0) -> SketchSet:
    """TU-Berlin as distributed: ``<class>/<n>.svg`` (a folder or archive, single folders above it
    passed through), pinned by the SHA-256 ``manifest`` (written on first use, checked after). Keeps the
    first ``per_class`` sketches of each class by name, of ``classes`` (None: all)."""
    strokes, hashes = {}, {}
    for name, data in read_files(folder, is_sketch_file):
        if data is not None:
            hashes[name] = hashlib.sha256(data).hexdigest()
            if classes is None or PurePosixPath(name).parent.name in classes:  # only these are parsed
                strokes[name] = data
    if not hashes:
        raise InputError(f"{folder}: no SVG sketches found; expected <class>/<file>.svg (TU-Berlin's layout)")
    record_or_check(hashes, manifest, "sketch")
    by_class: dict[str, list[str]] = {}
    for name in sorted(hashes):
        by_class.setdefault(PurePosixPath(name).parent.name, []).append(name)
    wanted = sorted(by_class) if classes is None else list(classes)
    missing = [c for c in wanted if c not in by_class]
    if missing:
        raise InputError(f"{folder}: no class folder {missing[0]!r}; it has {len(by_class)} classes, "
                         f"e.g. {sorted(by_class)[:5]}")
    if len(wanted) < 2:
        raise InputError(f"{folder}: {len(wanted)} class folder(s); a classifier needs at least two")
    parts, labels = [], []
    for label, name in enumerate(wanted):
        for file in by_class[name][:per_class]:
            sketch = normalised(read_svg_strokes(strokes[file], str(Path(folder) / file)))
            parts.append(part_images(sketch, size, line_width))
            labels.append(label)
    labels = np.array(labels, dtype=np.int64)
    return SketchSet(np.stack(parts), labels, wanted, split_indices(labels, test_fraction, seed),
                     f"TU-Berlin SVG folder {Path(folder).name}")
