"""The translated and cluttered canvas generators."""

import numpy as np
import pytest

from dlrepro.data.canvases import add_clutter, make_canvases, place_digits, resize_digits, write_canvas_dataset
from dlrepro.data.dataset import load_dataset, write_dataset
from dlrepro.io import read_json


def digits(n=12, size=6, seed=0):
    return np.random.default_rng(seed).integers(1, 256, size=(n, size, size), dtype=np.uint8)


def test_each_digit_lies_whole_on_its_canvas():
    source = digits()
    canvases, corners = place_digits(source, 20, np.random.default_rng(1))
    for canvas, digit, (row, col) in zip(canvases, source, corners):
        assert np.array_equal(canvas[row : row + 6, col : col + 6], digit)
        assert canvas.sum() == digit.astype(int).sum()  # nothing else on a translated canvas
    with pytest.raises(ValueError, match="do not fit"):
        place_digits(source, 5, np.random.default_rng(1))


def test_clutter_adds_the_fragments_and_keeps_the_digit_intact():
    source = digits()
    placed, corners = place_digits(source, 30, np.random.default_rng(1))
    cluttered = add_clutter(placed, source, fragments=3, fragment_size=3, rng=np.random.default_rng(2))
    assert (cluttered >= placed).all()  # maximum blending: the digit is never erased
    for canvas, digit, (row, col) in zip(cluttered, source, corners):
        assert (canvas[row : row + 6, col : col + 6] >= digit).all()
    # every source pixel is nonzero, so each fragment lights up at most 9 and at least one new pixel
    added = ((cluttered > 0) & (placed == 0)).sum(axis=(1, 2))
    assert (added <= 3 * 9).all() and added.sum() > 0
    none = add_clutter(placed, source, fragments=0, fragment_size=3, rng=np.random.default_rng(2))
    assert np.array_equal(none, placed)


def test_the_same_seed_gives_the_same_canvases():
    source = digits()
    first = make_canvases(source, 24, 4, 3, np.random.default_rng(5))
    assert np.array_equal(first, make_canvases(source, 24, 4, 3, np.random.default_rng(5)))
    assert not np.array_equal(first, make_canvases(source, 24, 4, 3, np.random.default_rng(6)))


def test_resize_keeps_a_uniform_digit_uniform():
    grey = np.full((2, 8, 8, 1), 200, dtype=np.uint8)
    assert (resize_digits(grey, 12) == 200).all() and resize_digits(grey, 12).shape == (2, 12, 12)


def test_canvas_dataset_keeps_labels_and_splits(tmp_path):
    images = digits(20, 8)[..., None]
    labels, split = np.arange(20) % 3, np.array(["train"] * 14 + ["test"] * 6)
    write_dataset(tmp_path / "digits", images, labels, split, ["a", "b", "c"])
    settings = {"canvas": 20, "digit_size": 10, "fragments": 2, "fragment_size": 4, "max_train": 10, "max_test": None}
    write_canvas_dataset(tmp_path / "digits", tmp_path / "canvases", settings, seed=0)
    written = load_dataset(tmp_path / "canvases")
    assert written.images.shape == (16, 20, 20, 1) and written.classes == ["a", "b", "c"]
    assert (written.index["split"] == "test").sum() == 6
    assert read_json(tmp_path / "canvases" / "canvas.json")["digit_size"] == 10


def test_copies_place_each_training_digit_at_several_positions(tmp_path):
    images = digits(10, 8)[..., None]
    labels, split = np.arange(10) % 3, np.array(["train"] * 6 + ["test"] * 4)
    write_dataset(tmp_path / "digits", images, labels, split, ["a", "b", "c"])
    settings = {"canvas": 24, "digit_size": None, "fragments": 0, "fragment_size": 4, "copies": 3}
    assert write_canvas_dataset(tmp_path / "digits", tmp_path / "canvases", settings, seed=0)["copies"] == 3
    written = load_dataset(tmp_path / "canvases")
    index, canvases = written.index, np.asarray(written.images)[..., 0]
    train = (index["split"] == "train").to_numpy()
    assert train.sum() == 18 and (~train).sum() == 4  # test digits are placed once
    for digit in range(6):
        copies = np.flatnonzero(train & (index["group"] == digit).to_numpy())
        assert len(copies) == 3 and (index["label"][copies] == labels[digit]).all()
        assert all(canvases[i].sum() == images[digit].astype(int).sum() for i in copies)  # the whole digit
        assert len({canvases[i].tobytes() for i in copies}) > 1  # at different positions
