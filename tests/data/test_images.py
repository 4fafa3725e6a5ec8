"""Bit depth survives reading: 8- and 16-bit PNG/TIFF, multi-page TIFF, broken files named."""

from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from dlrepro.data.images import ImageReadError, read_image, rescale, to_grayscale, to_uint8


def ramp(dtype) -> np.ndarray:
    """A 16 x 32 ramp covering the whole range of ``dtype``, both ends included."""
    top = np.iinfo(dtype).max
    return np.linspace(0, top, 16 * 32).round().astype(dtype).reshape(16, 32)


@pytest.mark.parametrize("suffix", [".png", ".tif"])
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
def test_full_range_round_trip(tmp_path, suffix, dtype):
    pixels = ramp(dtype)
    path = tmp_path / f"ramp{suffix}"
    Image.fromarray(pixels).save(path)
    image = read_image(path)
    assert image.dtype == np.float32 and image.shape == (16, 32, 1)
    assert image.min() == 0.0 and image.max() == 1.0
    top = np.iinfo(dtype).max
    assert np.array_equal(np.rint(image[..., 0] * top).astype(dtype), pixels), "every level must survive"
    assert np.array_equal(to_uint8(image)[..., 0], np.rint(pixels / top * 255).astype(np.uint8))


def test_sixteen_bit_detail_below_eight_bit_steps_is_kept(tmp_path):
    pixels = np.full((4, 4), 30000, dtype=np.uint16)
    pixels[0, 0] = 30001
    Image.fromarray(pixels).save(tmp_path / "fine.tif")
    image = read_image(tmp_path / "fine.tif")
    assert image[0, 0, 0] > image[1, 1, 0]


def test_multipage_tiff_reads_the_first_page(tmp_path):
    pages = [Image.fromarray(np.full((8, 8), v, dtype=np.uint16)) for v in (1000, 60000)]
    pages[0].save(tmp_path / "pages.tif", save_all=True, append_images=pages[1:])
    with Image.open(tmp_path / "pages.tif") as check:
        assert check.n_frames == 2
    assert np.allclose(read_image(tmp_path / "pages.tif"), 1000 / 65535)


def test_rgb_jpeg_and_grayscale(tmp_path):
    pixels = np.zeros((8, 8, 3), dtype=np.uint8)
    pixels[..., 1] = 255
    Image.fromarray(pixels).save(tmp_path / "green.jpg", quality=100)
    image = read_image(tmp_path / "green.jpg")
    assert image.shape == (8, 8, 3) and image[..., 1].mean() > 0.95
    assert np.allclose(to_grayscale(image), 0.587, atol=0.02)


def png_rgb16(path, pixels: np.ndarray) -> None:
    """A 16-bit-per-channel RGB PNG, which Pillow cannot write itself."""
    rows = b"".join(b"\x00" + row.astype(">u2").tobytes() for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", pixels.shape[1], pixels.shape[0], 16, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
                     + chunk(b"IEND", b""))


def test_sixteen_bit_colour_is_scaled_and_said(tmp_path):
    pixels = np.zeros((4, 4, 3), dtype=np.uint16)
    pixels[..., 0] = 65535
    pixels[..., 2] = 32896
    png_rgb16(tmp_path / "rgb16.png", pixels)
    with pytest.warns(UserWarning, match="rgb16.png: 16-bit colour"):
        image = read_image(tmp_path / "rgb16.png")
    assert np.allclose(image[..., 0], 1.0) and np.allclose(image[..., 2], 128 / 255)


def test_corrupt_and_truncated_files_are_named(tmp_path):
    (tmp_path / "noise.png").write_bytes(b"not an image at all")
    with pytest.raises(ImageReadError, match="noise.png"):
        read_image(tmp_path / "noise.png")
    Image.fromarray(ramp(np.uint16)).save(tmp_path / "cut.tif")
    data = (tmp_path / "cut.tif").read_bytes()
    (tmp_path / "cut.tif").write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageReadError, match="cut.tif"):
        read_image(tmp_path / "cut.tif")


def test_rescale_keeps_range_and_shape():
    image = np.linspace(0, 1, 40 * 20, dtype=np.float32).reshape(40, 20, 1)
    half = rescale(image, 0.5)
    assert half.shape == (20, 10, 1) and half.min() >= 0 and half.max() <= 1
