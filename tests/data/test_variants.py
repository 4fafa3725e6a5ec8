import numpy as np
import pytest

from dlrepro.data.variants import (
    channel_moments,
    check_variant,
    corrupt_labels,
    gaussian_images,
    make_variant,
    parse_corruption,
    pixel_permutation,
    random_labels,
    random_pixels,
    shuffled_pixels,
)


@pytest.fixture
def images():
    rng = np.random.default_rng(1)
    return rng.integers(0, 256, size=(50, 6, 5, 3), dtype=np.uint8)


def histograms(images):
    n, h, w, c = images.shape
    return np.sort(images.reshape(n, h * w, c), axis=1)


def test_corrupt_labels_resamples_the_expected_fraction():
    labels = np.arange(20000) % 10
    noisy = corrupt_labels(labels, 0.5, 10, np.random.default_rng(0))
    # A replaced label is uniform over all 10 classes, so 1/10 of them land on the true class.
    assert abs((noisy != labels).mean() - 0.5 * 0.9) < 0.015
    assert noisy.min() >= 0 and noisy.max() <= 9


def test_corrupt_labels_with_p_zero_and_one():
    labels = np.arange(100) % 10
    assert np.array_equal(corrupt_labels(labels, 0.0, 10, np.random.default_rng(0)), labels)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        corrupt_labels(labels, 1.5, 10, np.random.default_rng(0))


def test_random_labels_are_a_resample_not_a_permutation():
    # A permutation of the label vector would keep the class counts exactly.
    labels = np.repeat(np.arange(10), 100)
    noisy = random_labels(labels, 10, np.random.default_rng(0))
    counts = np.bincount(noisy, minlength=10)
    assert not np.array_equal(counts, np.full(10, 100))
    assert abs((noisy == labels).mean() - 0.1) < 0.03  # independent of the true labels


def test_shuffled_pixels_keeps_histograms_and_uses_one_permutation(images):
    permutation = pixel_permutation(images, np.random.default_rng(0))
    out = shuffled_pixels(images, permutation)
    assert out.dtype == np.uint8 and out.shape == images.shape
    assert np.array_equal(histograms(out), histograms(images))
    assert not np.array_equal(out, images)
    # The same scramble for every image: undoing it with the inverse restores all of them.
    inverse = np.argsort(permutation)
    assert np.array_equal(shuffled_pixels(out, inverse), images)


def test_shuffled_pixels_moves_channels_together(images):
    out = shuffled_pixels(images, pixel_permutation(images, np.random.default_rng(0)))
    pixels = lambda x: {tuple(p) for p in x.reshape(-1, x.shape[-1])}  # noqa: E731
    assert pixels(out[0]) == pixels(images[0])


def test_random_pixels_keeps_histograms_with_a_permutation_per_image(images):
    out = random_pixels(images, np.random.default_rng(0))
    assert np.array_equal(histograms(out), histograms(images))
    # Two copies of one image are scrambled differently.
    twins = np.stack([images[0], images[0]])
    scrambled = random_pixels(twins, np.random.default_rng(0))
    assert not np.array_equal(scrambled[0], scrambled[1])


def test_gaussian_images_match_mean_and_std():
    mean, std = np.array([100.0, 150.0]), np.array([20.0, 30.0])
    out = gaussian_images((400, 8, 8, 2), mean, std, np.random.default_rng(0))
    got_mean, got_std = channel_moments(out)
    assert out.dtype == np.uint8
    np.testing.assert_allclose(got_mean, mean, atol=1.0)
    np.testing.assert_allclose(got_std, std, rtol=0.03)


def test_parse_and_check_variant_names():
    assert parse_corruption("corrupt-0.2") == 0.2
    assert parse_corruption("corrupt-1") == 1.0
    assert parse_corruption("corrupt-2") is None
    assert check_variant("gaussian") == "gaussian"
    with pytest.raises(ValueError, match="unknown data variant 'noise'"):
        check_variant("noise")


def test_make_variant_splits_treated_as_documented(images):
    rng = np.random.default_rng(2)
    train = (images[:40], rng.integers(0, 10, 40))
    test = (images[40:], rng.integers(0, 10, 10))

    (x, y), (tx, ty) = make_variant("random_labels", train, test, 10, seed=0)
    assert np.array_equal(x, train[0]) and np.array_equal(tx, test[0])
    assert not np.array_equal(y, train[1]) and np.array_equal(ty, test[1])

    (x, y), (tx, ty) = make_variant("shuffled_pixels", train, test, 10, seed=0)
    assert np.array_equal(y, train[1]) and np.array_equal(ty, test[1])
    assert not np.array_equal(x, train[0]) and not np.array_equal(tx, test[0])
    assert np.array_equal(histograms(tx), histograms(test[0]))

    (x, _), (tx, _) = make_variant("gaussian", train, test, 10, seed=0)
    assert x.shape == train[0].shape and tx.shape == test[0].shape and x.dtype == np.uint8

    first, second = make_variant("corrupt-0.5", train, test, 10, 3), make_variant("corrupt-0.5", train, test, 10, 3)
    assert np.array_equal(first[0][1], second[0][1])


def test_make_variant_leaves_the_inputs_alone(images):
    labels = np.arange(50) % 10
    before_images, before_labels = images.copy(), labels.copy()
    for name in ("corrupt-0.5", "random_labels", "shuffled_pixels", "random_pixels", "gaussian"):
        make_variant(name, (images, labels), (images[:5], labels[:5]), 10, seed=0)
    assert np.array_equal(images, before_images) and np.array_equal(labels, before_labels)
