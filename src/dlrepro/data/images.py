"""Read JPEG, PNG and TIFF files at their full bit depth.

Scanned drawings come as 8-bit JPEG and 8- or 16-bit TIFF; reading every file to float32 in
[0, 1], scaled by the full scale of its own bit depth (255 or 65535), keeps 16-bit detail
through grayscale conversion and background filtering, and converting to uint8 happens once,
at the end (:func:`to_uint8`), by the same scaling - never by clipping.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")
SIXTEEN_BIT_GRAY = ("I;16", "I;16B", "I;16L", "I;16N")
EIGHT_BIT = {"1": "L", "L": "L", "LA": "L", "P": "RGB", "PA": "RGB", "RGB": "RGB", "RGBA": "RGB",
             "RGBX": "RGB", "CMYK": "RGB", "YCbCr": "RGB", "LAB": "RGB", "HSV": "RGB"}
LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)  # ITU-R 601-2, Pillow's "L"


class ImageReadError(ValueError):
    """A file that cannot be read as an image; the message names the file."""


def _raw_modes(image: Image.Image) -> list[str]:
    modes = []
    for tile in image.tile:
        args = tile.args if hasattr(tile, "args") else tile[3]
        modes.append(str(args[0] if isinstance(args, tuple) else args))  # GIF's first argument is a bit count
    return modes


def read_image(path: str | Path, stream: BinaryIO | None = None) -> np.ndarray:
    """The first page (or frame) of ``path`` as float32 H x W x C (C = 1 or 3) in [0, 1].

    ``stream``, when given, holds the file's bytes (an archive member) and ``path`` only names it.

    8-bit data is divided by 255 and 16-bit grayscale by 65535. Alpha is dropped, palette
    and CMYK become RGB, EXIF orientation is applied. Pillow holds 16-bit colour at 8 bits
    per channel (its high byte); that is said with a warning. Raises :class:`ImageReadError`
    naming the file when it is not a complete image.
    """
    path = Path(path)
    try:
        with Image.open(path if stream is None else stream) as image:
            if any(";16" in mode for mode in _raw_modes(image)) and image.mode not in SIXTEEN_BIT_GRAY:
                warnings.warn(f"{path}: 16-bit colour is read at 8 bits per channel (Pillow's limit)", stacklevel=2)
            image.load()
            image = ImageOps.exif_transpose(image)
            if image.mode in SIXTEEN_BIT_GRAY:
                array = np.asarray(image).astype(np.float32) / 65535.0
            elif image.mode in EIGHT_BIT:
                array = np.asarray(image.convert(EIGHT_BIT[image.mode]), dtype=np.float32) / 255.0
            else:
                raise ImageReadError(f"{path}: pixel mode {image.mode!r} is not supported; save it as 8- or 16-bit")
    except ImageReadError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as err:
        raise ImageReadError(f"{path}: not a readable image ({err})") from err
    return array.reshape(array.shape[0], array.shape[1], -1)


def to_grayscale(image: np.ndarray) -> np.ndarray:
    """H x W x 1 luma of an H x W x C image (a grayscale image is returned as is)."""
    if image.shape[-1] == 1:
        return image
    return (image @ LUMA)[..., None].astype(np.float32)


def to_uint8(image: np.ndarray) -> np.ndarray:
    """[0, 1] floats to uint8 by scaling with 255 and rounding."""
    return np.rint(image * 255.0).astype(np.uint8)


def resize(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """``image`` resized to ``height`` x ``width`` (Lanczos, per channel on floats: no bit depth lost)."""
    if image.shape[:2] == (height, width):
        return image
    channels = [
        np.asarray(Image.fromarray(np.ascontiguousarray(image[..., c])).resize((width, height), Image.Resampling.LANCZOS))
        for c in range(image.shape[-1])
    ]
    return np.clip(np.stack(channels, axis=-1), 0.0, 1.0).astype(np.float32)


def rescale(image: np.ndarray, factor: float) -> np.ndarray:
    """``image`` resized by ``factor``."""
    if factor == 1.0:
        return image
    height, width = (max(1, round(n * factor)) for n in image.shape[:2])
    return resize(image, height, width)
