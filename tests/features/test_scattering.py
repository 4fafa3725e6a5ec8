import numpy as np
import pytest
import torch

from dlrepro.features.scattering import scattering_coefficients, scattering_extractor

CPU = torch.device("cpu")


@pytest.mark.parametrize(
    ("J", "L", "max_order", "coefficients"),
    [(1, 4, 1, 5), (2, 4, 1, 9), (2, 8, 2, 81), (3, 6, 2, 127)],
)
def test_dimension_follows_the_scattering_formula(images, J, L, max_order, coefficients):
    extractor = scattering_extractor(J, L, max_order, None, images.shape[1:], CPU)
    assert scattering_coefficients(J, L, max_order) == coefficients
    with torch.inference_mode():
        raw = extractor.model(extractor.prepare(images[:2]))
    assert raw.shape[-3] == coefficients  # kymatio's own count
    side = 16 // 2**J
    assert extractor(images[:2]).shape == (2, coefficients * side * side)


def test_is_deterministic_across_builds(images):
    first = scattering_extractor(2, 4, 2, None, images.shape[1:], CPU)(images)
    second = scattering_extractor(2, 4, 2, None, images.shape[1:], CPU)(images)
    np.testing.assert_array_equal(first, second)
    assert np.isfinite(first).all() and first.std() > 0


def test_resizes_and_scatters_colour_channels_separately(images):
    rgb = np.concatenate([images, 255 - images, images // 2], axis=-1)
    colour = scattering_extractor(1, 4, 1, 8, rgb.shape[1:], CPU)(rgb)
    gray = scattering_extractor(1, 4, 1, 8, images.shape[1:], CPU)(images)
    per_channel = 5 * 4 * 4
    assert colour.shape == (len(rgb), 3 * per_channel)
    np.testing.assert_allclose(colour[:, :per_channel], gray, rtol=1e-5, atol=1e-6)


def test_too_small_images_are_refused(images):
    with pytest.raises(ValueError, match="at least 32 px"):
        scattering_extractor(5, 8, 2, None, images.shape[1:], CPU)
