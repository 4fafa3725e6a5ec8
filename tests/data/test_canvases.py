"""The translated and cluttered canvas generators."""

import numpy as np
import pandas as pd
import pytest
import torch

from dlrepro.data.canvases import (TRAIN_DIGITS_FILE, FreshCanvases, add_clutter, make_canvases, place_digits,
                                   resize_digits, write_canvas_dataset)
from dlrepro.data.dataset import load_dataset, write_dataset
from dlrepro.io import read_json
from dlrepro.train.engine import TrainConfig, train


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
    train_digits = np.load(tmp_path / "canvases" / TRAIN_DIGITS_FILE)  # what redraw places again
    assert len(train_digits) == 18
    assert all(np.array_equal(train_digits[i], images[index["group"][i], ..., 0]) for i in np.flatnonzero(train))


def test_fresh_canvases_place_each_digit_anew_at_every_read():
    source = digits(5, 6)
    fresh = FreshCanvases(source, np.arange(5), canvas=20, fragments=0, fragment_size=3)
    torch.manual_seed(0)
    first = fresh.__getitems__([0, 3])
    again = fresh.__getitems__([0, 3])
    assert [label.item() for _, label in first] == [0, 3]
    for (canvas, _), digit in zip(first + again, [0, 3, 0, 3]):
        assert canvas.shape == (20, 20, 1) and canvas.dtype == torch.uint8
        assert canvas.sum().item() == source[digit].astype(int).sum()  # the whole digit
    assert not torch.equal(first[0][0], again[0][0])  # a new position
    torch.manual_seed(0)
    assert torch.equal(fresh.__getitems__([0, 3])[0][0], first[0][0])  # torch's seed decides


def test_fresh_clutter_never_comes_from_the_canvas_own_digit():
    source = np.stack([np.full((6, 6), 200, np.uint8), np.full((6, 6), 100, np.uint8)])
    fresh = FreshCanvases(source, np.array([0, 1]), canvas=30, fragments=3, fragment_size=3)
    torch.manual_seed(0)
    for _ in range(5):
        (bright, _), (dim, _) = fresh.__getitems__([0, 1])
        assert set(bright.unique().tolist()) == {0, 100, 200}  # the other digit's fragments
        assert set(dim.unique().tolist()) == {0, 100, 200}
        assert (dim == 100).sum().item() <= 36  # no fragment of its own digit adds to it


def test_a_resumed_run_on_fresh_canvases_matches_the_whole_run(tmp_path):
    source = digits(40, 6)
    labels = np.arange(40) % 2
    canvases = make_canvases(source, 12, 1, 3, np.random.default_rng(0))
    test = (torch.from_numpy(canvases)[..., None], torch.as_tensor(labels))
    config = TrainConfig(epochs=3, batch_size=8, optimizer="adam", lr=0.01, progress=False)

    def run(folder, after_epoch=None):
        torch.manual_seed(1)
        model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(144, 2))
        data = {"train": FreshCanvases(source, labels, 12, 1, 3), "test": test}
        train(model, data, config, folder / "m.parquet", folder / "ckpt.pt", transform=lambda x: x.float() / 255,
              after_epoch=after_epoch)
        return pd.read_parquet(folder / "m.parquet").drop(columns="time_s")

    def crash_in_epoch_2(model, epoch):
        if epoch == 2:
            raise RuntimeError("killed")

    with pytest.raises(RuntimeError, match="killed"):
        run(tmp_path / "killed", crash_in_epoch_2)
    torch.manual_seed(123)  # the process that resumes starts elsewhere
    resumed, whole = run(tmp_path / "killed"), run(tmp_path / "whole")
    assert len(whole) == 3
    pd.testing.assert_frame_equal(resumed, whole, check_exact=True)
