"""Stand-in drawings for running the authentication study offline: two procedural hatching styles.

Odd-numbered drawings are in the "Raphael" style (long, fine, parallel strokes rising at about
45 degrees, as a right hand hatches), even-numbered ones in another hand's (short, heavier cross-hatching). The strokes fill
a random ellipse on blank paper, so margins give background patches, as in real scans. A few
drawings are labelled Disputed (their style still follows their number's parity), and one
detail image (``<n>A.png``) is written to show that such files are ignored.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw, ImageFilter

from dlrepro.authentication.drawings import DISPUTED, NOT_RAPHAEL, RAPHAEL
from dlrepro.data.manifest import write_manifest
from dlrepro.io import atomic_output, sha256_file, write_csv

PAPER, INK = 236, 40


def style_of(number: int) -> str:
    return RAPHAEL if number % 2 else NOT_RAPHAEL


def strokes(rng: np.random.Generator, style: str, size: int) -> list[tuple[float, float, float, float, int]]:
    """(x0, y0, x1, y1, width) of every stroke of one drawing in ``style``."""
    if style == RAPHAEL:
        count, length, angles, width = 5 * size, (0.10, 0.22), [np.pi / 4 + rng.normal(0, 0.1)], (1, 1)
    else:
        first = rng.uniform(0, np.pi)
        count, length, angles, width = 7 * size, (0.03, 0.09), [first, first + np.pi / 2], (1, 2)
    lines = []
    for _ in range(count):
        angle = rng.choice(angles) + rng.normal(0, 0.15)
        half = rng.uniform(*length) * size / 2
        x, y = rng.uniform(0, size, 2)
        dx, dy = half * np.cos(angle), half * np.sin(angle)
        lines.append((x - dx, y - dy, x + dx, y + dy, int(rng.integers(width[0], width[1] + 1))))
    return lines


def render_drawing(number: int, size: int, seed: int) -> Image.Image:
    """One size x size grayscale drawing, the same for the same (number, size, seed)."""
    rng = np.random.default_rng([seed, number])
    ink = Image.new("L", (size, size), 0)
    pen = ImageDraw.Draw(ink)
    for x0, y0, x1, y1, width in strokes(rng, style_of(number), size):
        pen.line((x0, y0, x1, y1), fill=int(rng.integers(120, 256)), width=width)
    yy, xx = np.mgrid[:size, :size] / size
    cy, cx = rng.uniform(0.4, 0.6, 2)
    ry, rx = rng.uniform(0.25, 0.4, 2)
    inside = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1
    coverage = np.asarray(ink.filter(ImageFilter.GaussianBlur(0.6)), dtype=np.float32) / 255 * inside
    paper = PAPER + rng.normal(0, 2.0, (size, size))
    return Image.fromarray(np.clip(paper - coverage * (PAPER - INK), 0, 255).astype(np.uint8))


def write_generated_drawings(folder: str | Path, labels: str | Path, count: int = 12, disputed: int = 3,
                             size: int = 256, seed: int = 0) -> pd.DataFrame:
    """Write ``count`` drawings ``<n>.png``, one ignored detail, SHA256SUMS and the labels table.

    The ``disputed`` drawings are spread over the numbers (every k-th); the rest are labelled by
    style. Returns the labels table (number, label).
    """
    if count < 4 + disputed or disputed < 0 or size < 8:
        raise ValueError(f"need count >= disputed + 4 (two known drawings per style), disputed >= 0, size >= 8; "
                         f"got count={count}, disputed={disputed}, size={size}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    numbers = np.arange(1, count + 1)
    spread = set(np.linspace(1, count, disputed + 2).round().astype(int)[1:-1]) if disputed else set()
    table = pd.DataFrame({"number": numbers,
                          "label": [DISPUTED if n in spread else style_of(n) for n in numbers]})
    hashes = {}
    for number in numbers:
        with atomic_output(folder / f"{number}.png") as tmp:
            render_drawing(int(number), size, seed).save(tmp, format="PNG")
        hashes[f"{number}.png"] = sha256_file(folder / f"{number}.png")
    detail = render_drawing(1, size, seed).crop((0, 0, size // 2, size // 2))
    with atomic_output(folder / "1A.png") as tmp:
        detail.save(tmp, format="PNG")
    write_manifest(folder / "SHA256SUMS", hashes)
    write_csv(table, labels)
    return table
