import numpy as np
import pandas as pd
import pytest

from dlrepro.data.captions import build_caption_dataset
from dlrepro.io import read_json
from dlrepro.train.captioning import train_captioner

DATA = {"flickr8k": None, "manifest": None, "size": 32, "max_train": None, "max_val": None, "max_test": None,
        "standin": {"n_train": 24, "n_val": 4, "n_test": 6, "captions_per_image": 2}}
CAPTIONER = {
    "vocabulary": {"min_count": 1, "max_length": 10},
    "model": {"encoder": "small", "width": 4, "weights": "random", "fine_tune": True, "embedding": 8, "hidden": 16,
              "attention": True, "attention_dim": 8, "dropout": 0.0, "attention_regularisation": 1.0},
    "train": {"epochs": 2, "batch_size": 16, "optimizer": "adam", "lr": 0.01, "weight_decay": 0.0,
              "clip_grad_norm": 5.0, "patience": None},
    "decode": {"beam_size": 2, "max_length": 10},
}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("captions")
    build_caption_dataset(DATA, 0, folder)
    return folder


def test_captioner_is_trained_and_scored_on_every_test_image(dataset, tmp_path):
    run = train_captioner(dataset, CAPTIONER, 0, tmp_path)
    assert run == read_json(tmp_path / "run.json")
    assert (run["n_train"], run["n_test"], run["train_captions"]) == (24, 6, 48)
    assert run["model"] == "soft-attention" and run["epochs"] == 2
    assert set(run["greedy"]) == set(run["beam"]) == {"bleu1", "bleu2", "bleu3", "bleu4"}
    assert all(0 <= value <= 1 for value in run["greedy"].values())
    predictions = pd.read_parquet(tmp_path / "predictions.parquet")
    assert len(predictions) == 6 and predictions["references"].map(len).eq(2).all()
    attention = np.load(tmp_path / "attention.npy").astype(np.float32)
    assert attention.shape == (6, 10, 16)  # test images x longest caption x the 4 x 4 grid of 32 px
    written = ~np.isnan(attention[..., 0])
    assert np.allclose(attention[written].sum(axis=-1), 1, atol=1e-2)  # float16
    lengths = predictions["beam"].str.split().map(len).to_numpy()
    assert (written.sum(axis=1) == lengths).all()
    metrics = pd.read_parquet(tmp_path / "metrics.parquet")
    assert {"train_loss", "val_loss", "val_error", "test_loss", "test_error"} <= set(metrics.columns)
    again = train_captioner(dataset, CAPTIONER, 0, tmp_path / "again")
    assert again["greedy"] == run["greedy"] and again["test_loss"] == run["test_loss"]  # seeded: bit for bit


def test_frozen_backbone_trains_the_decoder_on_grids_computed_once(dataset, tmp_path):
    settings = CAPTIONER | {"model": CAPTIONER["model"] | {"encoder": "resnet18", "fine_tune": False,
                                                           "attention": False}}
    run = train_captioner(dataset, settings, 0, tmp_path)
    assert run["model"] == "show-and-tell" and run["encoder"] == "resnet18" and not run["fine_tune"]
    # the frozen ResNet-18 is not part of the trained model: only the decoder's parameters are counted
    assert run["parameters"] < 100_000
