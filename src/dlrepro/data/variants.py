"""Randomised copies of a dataset after Zhang et al. 2017, "Understanding deep learning requires
rethinking generalization": the same images and labels with the link between them destroyed step
by step, from corrupted labels to images that are pure noise.

Every function takes uint8 N x H x W x C images (or int labels) and a seeded
``np.random.Generator`` and returns a new array; the inputs are never changed.

Which split gets what (our choice, following the paper's definitions):

- Label variants change the **training** labels only. Test labels stay true, so the test error
  measures how far a net that memorised noise generalises (chance level for random labels).
- Pixel variants change **training and test** images alike: one permutation shared by both for
  shuffled pixels (as the paper states), a fresh per-image permutation for random pixels, and
  Gaussian noise with the training set's per-channel mean and standard deviation for both.
"""

from __future__ import annotations

import re

import numpy as np

PIXEL_VARIANTS = ("shuffled_pixels", "random_pixels", "gaussian")
LABEL_VARIANTS = ("true_labels", "random_labels")
CORRUPT = re.compile(r"corrupt-(0(?:\.\d+)?|1(?:\.0+)?)")


def corrupt_labels(labels: np.ndarray, p: float, n_classes: int, rng: np.random.Generator) -> np.ndarray:
    """Replace each label, independently with probability ``p``, by a uniform random class.

    A resample, not a permutation: the class counts change, and a replaced label equals the true
    one with probability 1 / ``n_classes``, so the expected fraction of wrong labels is
    ``p * (1 - 1 / n_classes)``.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"corruption probability must lie in [0, 1], got {p}")
    labels = np.asarray(labels, dtype=np.int64)
    replace = rng.random(len(labels)) < p
    out = labels.copy()
    out[replace] = rng.integers(0, n_classes, size=int(replace.sum()))
    return out


def random_labels(labels: np.ndarray, n_classes: int, rng: np.random.Generator) -> np.ndarray:
    """Every label drawn uniformly at random: ``corrupt_labels`` with p = 1."""
    return corrupt_labels(labels, 1.0, n_classes, rng)


def pixel_permutation(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One random order of the H x W pixel positions (channels of a pixel move together)."""
    _, height, width, _ = images.shape
    return rng.permutation(height * width)


def shuffled_pixels(images: np.ndarray, permutation: np.ndarray) -> np.ndarray:
    """Apply one fixed pixel permutation to every image: the spatial structure is gone but the
    same scramble everywhere, so a net can still learn the (now non-local) patterns."""
    n, height, width, channels = images.shape
    flat = np.asarray(images).reshape(n, height * width, channels)
    return np.ascontiguousarray(flat[:, permutation]).reshape(n, height, width, channels)


def random_pixels(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Permute the pixels of each image independently: only each image's histogram survives."""
    n, height, width, channels = images.shape
    flat = np.asarray(images).reshape(n, height * width, channels)
    order = np.argsort(rng.random((n, height * width)), axis=1)
    return np.take_along_axis(flat, order[..., None], axis=1).reshape(n, height, width, channels)


def channel_moments(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel mean and standard deviation over all images and pixels (float64, length C)."""
    values = np.asarray(images, dtype=np.float64).reshape(-1, images.shape[-1])
    return values.mean(axis=0), values.std(axis=0)


def gaussian_images(
    shape: tuple[int, ...], mean: np.ndarray, std: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Gaussian noise images with the given per-channel mean and standard deviation.

    Samples are rounded and clipped to [0, 255] to stay uint8 like every other dataset; for
    images far from Gaussian (digits are mostly black) the clipping shrinks the variance and
    raises the mean a little. The labels are kept, so the net must memorise noise.
    """
    noise = rng.normal(loc=mean, scale=std, size=tuple(shape))
    return np.clip(np.rint(noise), 0, 255).astype(np.uint8)


def parse_corruption(name: str) -> float | None:
    """The probability p of a ``corrupt-<p>`` variant name, or None for other names."""
    match = CORRUPT.fullmatch(name)
    return float(match.group(1)) if match else None


def check_variant(name: str) -> str:
    """``name`` if it is a known variant, else a ValueError listing the valid names."""
    if name in LABEL_VARIANTS + PIXEL_VARIANTS or parse_corruption(name) is not None:
        return name
    valid = ", ".join(LABEL_VARIANTS + PIXEL_VARIANTS + ("corrupt-<p> with p in [0, 1]",))
    raise ValueError(f"unknown data variant {name!r}; expected one of: {valid}")


def make_variant(
    name: str,
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    n_classes: int,
    seed: int,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """``(train_images, train_labels), (test_images, test_labels)`` of variant ``name``.

    Names: ``true_labels``, ``corrupt-<p>``, ``random_labels``, ``shuffled_pixels``, ``random_pixels``,
    ``gaussian``. The same seed always gives the same variant.
    """
    check_variant(name)
    rng = np.random.default_rng(seed)
    (train_x, train_y), (test_x, test_y) = train, test
    train_x, test_x = np.asarray(train_x), np.asarray(test_x)
    train_y, test_y = np.asarray(train_y, dtype=np.int64), np.asarray(test_y, dtype=np.int64)
    p = parse_corruption(name)
    if p is not None:
        train_y = corrupt_labels(train_y, p, n_classes, rng)
    elif name == "random_labels":
        train_y = random_labels(train_y, n_classes, rng)
    elif name == "shuffled_pixels":
        permutation = pixel_permutation(train_x, rng)
        train_x, test_x = shuffled_pixels(train_x, permutation), shuffled_pixels(test_x, permutation)
    elif name == "random_pixels":
        train_x, test_x = random_pixels(train_x, rng), random_pixels(test_x, rng)
    elif name == "gaussian":
        mean, std = channel_moments(train_x)
        train_x = gaussian_images(train_x.shape, mean, std, rng)
        test_x = gaussian_images(test_x.shape, mean, std, rng)
    return (train_x, train_y), (test_x, test_y)
