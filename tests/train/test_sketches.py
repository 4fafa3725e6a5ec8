"""Sketch-a-Net training: inputs per network, blur scales, fusion of the scale networks' softmax."""

import numpy as np
import pandas as pd
import torch

from dlrepro.data.doodles import doodle_set
from dlrepro.train.sketches import SketchNetwork, blurred, load_sketch_network, network_input, networks, \
    train_sketch_networks

SETTINGS = {"first_kernel": 9, "first_stride": 2, "widths": [8, 8, 16, 16, 16], "fc": 32, "dropout": 0.2,
            "scales": [1.0, 0.5], "train": {"epochs": 4, "batch_size": 16, "optimizer": "adam", "lr": 0.003,
                                            "progress": False}}


def test_plan_names_each_network():
    assert [n.name for n in networks([1.0, 0.5, 0.25])] == ["full", "strokes", "strokes-s0.5", "strokes-s0.25"]


def test_blur_keeps_the_size_and_spreads_the_ink():
    image = np.zeros((1, 1, 32, 32), np.uint8)
    image[0, 0, 16, :] = 255
    soft = blurred(image, 0.25)
    assert soft.shape == image.shape and soft.dtype == np.uint8
    assert soft[0, 0, 16].max() < 255 and soft[0, 0, 13].max() > 0
    assert blurred(image, 1.0) is image


def test_inputs_have_one_or_six_channels():
    parts = doodle_set(["house", "sun"], 2, 32).parts
    assert network_input(parts, SketchNetwork("full", "full", 1.0)).shape == (4, 1, 32, 32)
    assert network_input(parts, SketchNetwork("s", "strokes", 0.5)).shape == (4, 6, 32, 32)


def test_networks_train_and_fuse(tmp_path):
    doodle_set(["house", "face", "star", "sun", "fish", "tree"], 12, 32, seed=0).save(tmp_path / "sketches.npz")
    table = train_sketch_networks(tmp_path / "sketches.npz", SETTINGS, 0, tmp_path / "out")
    assert table["network"].tolist() == ["full", "strokes", "strokes-s0.5", "fused"]
    assert ((table["top1"] >= 0) & (table["top1"] <= table["top5"]) & (table["top5"] <= 1)).all()
    saved = np.load(tmp_path / "out/predictions.npz")
    fused = (saved["strokes"] + saved["strokes-s0.5"]) / 2
    np.testing.assert_allclose(saved["fused"], fused, rtol=1e-6)
    top1 = (fused.argmax(axis=1) == saved["labels"]).mean()
    assert table.set_index("network").loc["fused", "top1"] == top1
    assert pd.read_parquet(tmp_path / "out/full/metrics.parquet")["epoch"].tolist() == [1, 2, 3, 4]
    model, run = load_sketch_network(tmp_path / "out", "full")
    assert run["classes"][0] == "house" and model(torch.zeros(1, 1, 32, 32)).shape == (1, 6)
