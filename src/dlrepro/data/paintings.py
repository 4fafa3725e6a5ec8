"""A generated stand-in for the artist-classification practical's ``art_data`` (S4), offline.

Each "painter" has a palette of three colours, a main stroke direction, stroke length and width;
a painting is a canvas of one palette colour covered with jittered strokes of that painter,
at a random aspect ratio (so fitting to a square pads it, as the real paintings are). The
paintings are written as ``artists/<painter>/<n>.png`` into one tar archive (fixed member times,
so the same settings give the same bytes) with its SHA256SUMS manifest: the image-folder source
reads it like a user's own archive. Painter names hold spaces and dots, as the real ones do.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from dlrepro.data.manifest import write_manifest
from dlrepro.io import atomic_output


def painter_name(index: int) -> str:
    return f"painter no. {index + 1}"


def painter_style(index: int, seed: int) -> dict:
    """The palette (3 RGB colours) and stroke habits of painter ``index``."""
    rng = np.random.default_rng([seed, index, 7])
    hue = (index * 0.61803 + rng.uniform(0, 0.1)) % 1.0
    palette = [Image.new("HSV", (1, 1), (int(255 * ((hue + d) % 1.0)), s, v)).convert("RGB").getpixel((0, 0))
               for d, s, v in ((0.0, 200, 220), (0.08, 140, 160), (0.5, 90, 110))]
    return {"palette": palette, "angle": rng.uniform(0, np.pi), "length": rng.uniform(0.1, 0.45),
            "width": int(rng.integers(1, 6)), "strokes": int(rng.integers(40, 120))}


def render_painting(style: dict, size: int, rng: np.random.Generator) -> Image.Image:
    """One painting in ``style``: about ``size`` pixels on its long side, aspect ratio 3:4 to 4:3."""
    aspect = rng.uniform(0.75, 1.33)
    width, height = (size, round(size / aspect)) if aspect > 1 else (round(size * aspect), size)
    palette = np.array(style["palette"], dtype=float)
    canvas = Image.new("RGB", (width, height), tuple(int(c) for c in palette[rng.integers(0, 3)]))
    draw = ImageDraw.Draw(canvas)
    for _ in range(style["strokes"]):
        colour = np.clip(palette[rng.integers(0, 3)] + rng.normal(0, 25, 3), 0, 255).astype(int)
        angle = style["angle"] + rng.normal(0, 0.35)
        length = style["length"] * size * rng.uniform(0.5, 1.5)
        x, y = rng.uniform(0, width), rng.uniform(0, height)
        dx, dy = np.cos(angle) * length / 2, np.sin(angle) * length / 2
        draw.line([(x - dx, y - dy), (x + dx, y + dy)], fill=tuple(colour), width=style["width"])
    return canvas.filter(ImageFilter.GaussianBlur(0.5))


def write_standin_paintings(archive: str | Path, manifest: str | Path, painters: int = 4, paintings: int = 30,
                            size: int = 64, seed: int = 0) -> dict[str, int]:
    """Write the tar ``archive`` of ``paintings`` per painter and its ``manifest``; returns painter -> count."""
    if painters < 2 or paintings < 5 or size < 8:
        raise ValueError(f"need painters >= 2, paintings >= 5 (each split gets some) and size >= 8; got "
                         f"painters={painters}, paintings={paintings}, size={size}")
    hashes, counts = {}, {}
    with atomic_output(archive) as tmp, tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
        for index in range(painters):
            style, name = painter_style(index, seed), painter_name(index)
            rng = np.random.default_rng([seed, index, 11])
            for number in range(1, paintings + 1):
                buffer = io.BytesIO()
                render_painting(style, size, rng).save(buffer, format="PNG")
                data = buffer.getvalue()
                member = tarfile.TarInfo(f"artists/{name}/{number}.png")
                member.size, member.mtime, member.mode = len(data), 0, 0o644
                tar.addfile(member, io.BytesIO(data))
                hashes[member.name] = hashlib.sha256(data).hexdigest()
            counts[name] = paintings
    write_manifest(manifest, hashes)
    return counts
