"""S7's training job on canvas datasets."""

import numpy as np
import pytest

from dlrepro.data.canvases import write_canvas_dataset
from dlrepro.data.dataset import write_dataset
from dlrepro.io import InputError
from dlrepro.train.attention import fresh_training_canvases, load_canvases, model_train_settings

CANVAS = {"canvas": 16, "digit_size": None, "fragments": 1, "fragment_size": 3, "redraw": True}


@pytest.fixture
def canvases(tmp_path):
    images = np.random.default_rng(0).integers(1, 256, size=(10, 6, 6, 1), dtype=np.uint8)
    split = np.array(["train"] * 7 + ["test"] * 3)
    write_dataset(tmp_path / "digits", images, np.arange(10) % 2, split, ["a", "b"])
    write_canvas_dataset(tmp_path / "digits", tmp_path / "canvases", CANVAS, seed=0)
    return tmp_path / "canvases"


def test_a_redrawing_run_reads_only_the_stored_test_canvases(canvases):
    data, classes = load_canvases(canvases, ("test",))
    assert list(data) == ["test"] and classes == ["a", "b"]
    assert data["test"][0].shape == (3, 16, 16, 1)
    fresh = fresh_training_canvases(canvases, CANVAS)
    assert len(fresh) == 7 and fresh.labels.tolist() == [0, 1, 0, 1, 0, 1, 0]


def test_redrawing_without_training_digits_names_the_file(canvases):
    (canvases / "train_digits.npy").unlink()
    with pytest.raises(InputError, match="train_digits.npy: missing; rewrite the canvases"):
        fresh_training_canvases(canvases, CANVAS)


def test_baseline_train_replaces_the_training_keys_of_the_fc_and_conv_nets_only():
    settings = {"train": {"epochs": 200, "optimizer": "adam", "lr": 0.001},
                "baseline_train": {"optimizer": "sgd", "lr": 0.01}}
    for name in ("fc", "conv"):
        assert model_train_settings(settings, name) == {"epochs": 200, "optimizer": "sgd", "lr": 0.01}
    assert model_train_settings(settings, "ram-4") == settings["train"]
    assert model_train_settings({"train": settings["train"]}, "conv") == settings["train"]
