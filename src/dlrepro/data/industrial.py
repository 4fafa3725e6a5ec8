"""S14's generated STAND-INs, offline: die images with synthetic defects, and a factor-model panel.

Dies: a gray die on a dark background with a grid of bright bond pads and two bus lines, jittered in
position, rotation-free, brightness and noise; a bad die is a good one with scratches (thin lines,
bright or dark) and spots (dark blots). They are written as ``dies/good/<n>.png`` and
``dies/bad/<n>.png`` into one tar archive with its SHA256SUMS manifest, which the image-folder
source reads like a user's Nexperia folder.

Panel: ``assets`` rows per trading day; ``features`` columns driven by a few latent factors plus
noise; the target is a linear part (which the existing ``linear_prediction`` column estimates, with
noise) plus a non-linear part (products and a threshold of features) plus noise. A model that learns
only what the linear prediction knows correlates strongly with it; the non-linear part is what a
residualised model can still find.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw, ImageFilter

from dlrepro.data.manifest import write_manifest
from dlrepro.io import atomic_output

DIE_CLASSES = ("bad", "good")


def render_die(size: int, rng: np.random.Generator) -> np.ndarray:
    """A defect-free die, uint8 size x size gray."""
    image = Image.new("L", (size, size), int(rng.integers(20, 40)))
    draw = ImageDraw.Draw(image)
    margin = size * rng.uniform(0.12, 0.18)
    shift = rng.uniform(-0.04, 0.04, 2) * size
    left, top = margin + shift[0], margin + shift[1]
    right, bottom = size - margin + shift[0], size - margin + shift[1]
    body = int(rng.integers(110, 140))
    draw.rectangle([left, top, right, bottom], fill=body)
    pad, pads = size * 0.06, 4
    for i in range(pads):
        for edge_y in (top + pad, bottom - 2 * pad):
            x = left + pad + i * (right - left - 3 * pad) / (pads - 1)
            draw.rectangle([x, edge_y, x + pad, edge_y + pad], fill=body + 70)
    for fraction in (0.42, 0.58):
        y = top + fraction * (bottom - top)
        draw.line([(left + 2 * pad, y), (right - 2 * pad, y)], fill=body - 40, width=max(1, size // 48))
    pixels = np.asarray(image.filter(ImageFilter.GaussianBlur(size / 128)), dtype=float)
    pixels = pixels * rng.uniform(0.9, 1.1) + rng.normal(0, 3, pixels.shape)
    return np.clip(pixels, 0, 255).astype(np.uint8)


def add_defects(die: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``die`` with one to three scratches or spots on its body; returns (image, defect mask)."""
    size = die.shape[0]
    marks = Image.new("L", (size, size), 0)
    values = Image.new("L", (size, size), 0)
    draw_mask, draw_value = ImageDraw.Draw(marks), ImageDraw.Draw(values)
    for _ in range(int(rng.integers(1, 4))):
        x, y = rng.uniform(0.25, 0.75, 2) * size
        if rng.random() < 0.5:  # a scratch: a thin line, bright or dark
            angle, length = rng.uniform(0, np.pi), rng.uniform(0.15, 0.4) * size
            dx, dy = np.cos(angle) * length / 2, np.sin(angle) * length / 2
            width = max(1, round(size / 64))
            line = [(x - dx, y - dy), (x + dx, y + dy)]
            draw_mask.line(line, fill=255, width=width)
            draw_value.line(line, fill=int(rng.choice([10, 240])), width=width)
        else:  # a spot: a dark blot
            radius = rng.uniform(0.03, 0.07) * size
            box = [x - radius, y - radius, x + radius, y + radius]
            draw_mask.ellipse(box, fill=255)
            draw_value.ellipse(box, fill=int(rng.integers(5, 40)))
    mask = np.asarray(marks) > 0
    image = np.where(mask, np.asarray(values), die).astype(np.uint8)
    return image, mask


def png_bytes(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def write_standin_dies(archive: str | Path, manifest: str | Path, good: int = 60, bad: int = 60, size: int = 48,
                       seed: int = 0) -> dict[str, int]:
    """Write the tar ``archive`` of ``good`` and ``bad`` dies and its ``manifest``; returns class -> count."""
    if good < 5 or bad < 5 or size < 16:
        raise ValueError(f"need good >= 5, bad >= 5 (each split gets some) and size >= 16; got good={good}, "
                         f"bad={bad}, size={size}")
    hashes, counts = {}, {"good": good, "bad": bad}
    with atomic_output(archive) as tmp, tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
        for label in DIE_CLASSES:
            rng = np.random.default_rng([seed, DIE_CLASSES.index(label), 14])
            for number in range(1, counts[label] + 1):
                pixels = render_die(size, rng)
                if label == "bad":
                    pixels, _ = add_defects(pixels, rng)
                data = png_bytes(pixels)
                member = tarfile.TarInfo(f"dies/{label}/{number}.png")
                member.size, member.mtime, member.mode = len(data), 0, 0o644
                tar.addfile(member, io.BytesIO(data))
                hashes[member.name] = hashlib.sha256(data).hexdigest()
    write_manifest(manifest, hashes)
    return counts


def generate_panel(days: int = 400, assets: int = 20, features: int = 80, factors: int = 5,
                   linear_strength: float = 0.3, nonlinear_strength: float = 0.3, seed: int = 0) -> pd.DataFrame:
    """The factor-model panel: date, asset, f000..f<features-1>, target, linear_prediction.

    Per row, x = B z + e (z: ``factors`` latent N(0, 1), e: N(0, 1) noise); with l = w . x and g the
    mean of the standardised x0 x1, |x2| and (x3 > 0.5), both scaled to unit variance: target =
    linear_strength l + nonlinear_strength g + N(0, 1); linear_prediction = l + N(0, 0.5^2).
    Business days from 2020-01-01.
    """
    if days < 40 or assets < 1 or features < 4 or factors < 1:
        raise ValueError(f"need days >= 40, assets >= 1, features >= 4, factors >= 1; got {days}, {assets}, "
                         f"{features}, {factors}")
    rng = np.random.default_rng([seed, 14, 2])
    loadings = rng.normal(0, 0.5, (features, factors))
    weights = rng.normal(0, 1, features)
    n = days * assets
    x = rng.normal(0, 1, (n, factors)) @ loadings.T + rng.normal(0, 1, (n, features))
    linear = x @ weights
    linear = (linear - linear.mean()) / linear.std()
    terms = np.stack([x[:, 0] * x[:, 1], np.abs(x[:, 2]), (x[:, 3] > 0.5).astype(float)], axis=1)
    nonlinear = ((terms - terms.mean(0)) / terms.std(0)).mean(1)
    nonlinear /= nonlinear.std()
    target = linear_strength * linear + nonlinear_strength * nonlinear + rng.normal(0, 1, n)
    dates = pd.bdate_range("2020-01-01", periods=days)
    frame = pd.DataFrame(x.astype(np.float32), columns=[f"f{i:03d}" for i in range(features)])
    frame.insert(0, "asset", np.tile(np.arange(assets), days))
    frame.insert(0, "date", np.repeat(dates.strftime("%Y-%m-%d"), assets))
    frame["target"] = target.astype(np.float32)
    frame["linear_prediction"] = (linear + rng.normal(0, 0.5, n)).astype(np.float32)
    return frame


def write_standin_panel(path: str | Path, **settings) -> pd.DataFrame:
    """Write :func:`generate_panel` as a CSV at ``path`` (atomically); returns it."""
    frame = generate_panel(**settings)
    with atomic_output(path) as tmp:
        frame.to_csv(tmp, index=False, float_format="%.6g")
    return frame


def write_standins(dies_archive: str | Path, dies_manifest: str | Path, panel: str | Path, dies: dict,
                   panel_settings: dict, seed: int) -> str:
    """Both S14 stand-ins (cheap: one job makes them); returns a line saying what was written."""
    counts = write_standin_dies(dies_archive, dies_manifest, dies["good"], dies["bad"], dies["size"], seed)
    frame = write_standin_panel(panel, **panel_settings, seed=seed)
    return (f"{dies_archive}: {counts['good']} good and {counts['bad']} bad dies; {panel}: {len(frame)} rows "
            f"over {frame['date'].nunique()} days")
