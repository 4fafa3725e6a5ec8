"""STAND-IN sketches: generated stroke drawings of simple objects, drawn in a natural order.

Each class is a short drawing program (a house: walls, roof, door, window; a face: head, eyes,
nose, mouth; ...) whose strokes come out in the order a person would draw them, so the stroke-order
channels carry information, as on TU-Berlin. Every sketch is jittered: a random affine shape change,
wobbly points and, sometimes, a detail stroke left out or two details swapped in order.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlrepro.data.sketches import SketchSet, Stroke, normalised, part_images, split_indices


def _arc(cx, cy, rx, ry, start=0.0, end=2 * np.pi, points=16) -> Stroke:
    t = np.linspace(start, end, points)
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1)


def _line(*xy) -> Stroke:
    return np.array(xy, dtype=float).reshape(-1, 2)


def house(rng) -> list[Stroke]:
    door = rng.uniform(0.35, 0.55)
    return [_line(0.2, 0.45, 0.2, 0.9, 0.8, 0.9, 0.8, 0.45, 0.2, 0.45),       # walls
            _line(0.15, 0.47, 0.5, 0.12, 0.85, 0.47),                          # roof
            _line(door, 0.9, door, 0.68, door + 0.12, 0.68, door + 0.12, 0.9),  # door
            _line(0.62, 0.55, 0.74, 0.55, 0.74, 0.67, 0.62, 0.67, 0.62, 0.55)]  # window


def face(rng) -> list[Stroke]:
    smile = rng.uniform(0.05, 0.12)
    return [_arc(0.5, 0.5, 0.4, 0.42, points=24),                   # head
            _arc(0.35, 0.4, 0.05, 0.04), _arc(0.65, 0.4, 0.05, 0.04),  # eyes
            _line(0.5, 0.45, 0.46, 0.58, 0.52, 0.58),                  # nose
            _arc(0.5, 0.66, 0.16, smile, 0.15 * np.pi, 0.85 * np.pi)]  # mouth


def tree(rng) -> list[Stroke]:
    crown = rng.uniform(0.22, 0.3)
    return [_line(0.44, 0.95, 0.45, 0.6), _line(0.56, 0.95, 0.55, 0.6),  # trunk
            _arc(0.5, 0.6 - crown, crown + 0.05, crown, 0.6 * np.pi, 2.4 * np.pi, points=24),  # crown
            _line(0.3, 0.95, 0.7, 0.95)]                                  # ground


def star(rng) -> list[Stroke]:
    angles = -np.pi / 2 + np.arange(6) * 4 * np.pi / 5
    tips = np.stack([0.5 + 0.45 * np.cos(angles), 0.52 + 0.45 * np.sin(angles)], axis=1)
    return [tips[i:i + 2] for i in range(5)]  # its five lines, one stroke each


def fish(rng) -> list[Stroke]:
    tail = rng.uniform(0.12, 0.2)
    return [_arc(0.45, 0.5, 0.3, 0.17, points=24),                                  # body
            _line(0.75, 0.5, 0.75 + tail, 0.5 - tail, 0.75 + tail, 0.5 + tail, 0.75, 0.5),  # tail
            _arc(0.28, 0.45, 0.03, 0.03),                                           # eye
            _arc(0.42, 0.5, 0.05, 0.14, -0.4 * np.pi, 0.4 * np.pi, points=8)]       # gill


def sun(rng) -> list[Stroke]:
    rays = int(rng.integers(6, 10))
    angles = np.arange(rays) * 2 * np.pi / rays + rng.uniform(0, np.pi / rays)
    return [_arc(0.5, 0.5, 0.2, 0.2, points=20)] + [
        _line(0.5 + 0.27 * np.cos(a), 0.5 + 0.27 * np.sin(a), 0.5 + 0.45 * np.cos(a), 0.5 + 0.45 * np.sin(a))
        for a in angles]


def cat(rng) -> list[Stroke]:
    ears = rng.uniform(0.12, 0.2)
    return face(rng)[:3] + [_line(0.2, 0.25, 0.22, 0.25 - ears, 0.38, 0.12),           # ears
                            _line(0.62, 0.12, 0.78, 0.25 - ears, 0.8, 0.25),
                            _line(0.5, 0.55, 0.15, 0.5), _line(0.5, 0.55, 0.85, 0.5)]  # whiskers


def flower(rng) -> list[Stroke]:
    petals = int(rng.integers(5, 8))
    angles = np.arange(petals) * 2 * np.pi / petals
    return [_line(0.5, 0.62, 0.52, 0.98), _arc(0.5, 0.4, 0.08, 0.08, points=12)] + [
        _arc(0.5 + 0.17 * np.cos(a), 0.4 + 0.17 * np.sin(a), 0.09, 0.09, points=12) for a in angles]


DOODLES: dict[str, Callable[[np.random.Generator], list[Stroke]]] = {
    "house": house, "face": face, "tree": tree, "star": star, "fish": fish, "sun": sun, "cat": cat,
    "flower": flower}


def jittered(strokes: list[Stroke], rng: np.random.Generator, wobble: float = 0.012) -> list[Stroke]:
    """A person's version of the drawing: an affine change of shape, wobbly points, and with
    probability 0.2 the last stroke left out or the last two swapped (detail order varies)."""
    strokes = list(strokes)
    if len(strokes) > 3 and rng.random() < 0.2:
        strokes = strokes[:-1] if rng.random() < 0.5 else strokes[:-2] + strokes[-2:][::-1]
    angle = rng.normal(0, 0.12)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    shape = rotation @ np.diag(rng.uniform(0.8, 1.2, 2)) + rng.normal(0, 0.06, (2, 2))
    return [(s - 0.5) @ shape.T + 0.5 + rng.normal(0, wobble, s.shape) for s in strokes]


def doodle_strokes(name: str, rng: np.random.Generator) -> list[Stroke]:
    return normalised(jittered(DOODLES[name](rng), rng))


def doodle_set(classes: list[str], per_class: int, size: int, *, line_width: int = 1, test_fraction: float = 0.25,
               seed: int = 0) -> SketchSet:
    """``per_class`` jittered doodles of each class, rasterised by stroke order at ``size`` px."""
    unknown = sorted(set(classes) - set(DOODLES))
    if unknown or len(classes) < 2:
        raise ValueError(f"stand-in classes must be at least two of {sorted(DOODLES)}; got {classes}")
    rng = np.random.default_rng(seed)
    parts, labels = [], []
    for label, name in enumerate(classes):
        for _ in range(per_class):
            parts.append(part_images(doodle_strokes(name, rng), size, line_width))
            labels.append(label)
    labels = np.array(labels, dtype=np.int64)
    return SketchSet(np.stack(parts), labels, list(classes), split_indices(labels, test_fraction, seed),
                     "STAND-IN: generated doodles")
