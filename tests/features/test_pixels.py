import numpy as np
import torch

from dlrepro.features.pixels import pixels_extractor


def test_pixels_are_the_flattened_image_scaled_to_unit_range(images):
    features = pixels_extractor(torch.device("cpu"))(images)
    expected = images.reshape(len(images), -1).astype(np.float32) / np.float32(255)
    assert features.dtype == np.float32
    np.testing.assert_array_equal(features, expected)
    assert features.min() >= 0 and features.max() <= 1


def test_colour_pixels_are_channel_major():
    rgb = np.random.default_rng(1).integers(0, 256, size=(2, 4, 5, 3), dtype=np.uint8)
    features = pixels_extractor(torch.device("cpu"))(rgb)
    expected = rgb.transpose(0, 3, 1, 2).reshape(2, -1).astype(np.float32) / np.float32(255)
    np.testing.assert_array_equal(features, expected)
