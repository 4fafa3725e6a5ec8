"""`dlrepro landscape lottery` and `summarise` with Frankle & Carbin's Conv-2 from the command line:
the settings reach the network and its pruning rates, and the report names what ran."""

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from dlrepro.cli import main
from dlrepro.data.dataset import write_dataset


def test_conv2_lottery_from_the_command_line(tmp_path):
    rng = np.random.default_rng(0)
    labels = np.arange(60) % 2
    images = rng.integers(0, 60, size=(60, 8, 8, 1), dtype=np.uint8)
    images[labels == 1, :4, :, 0] = 250  # the bright top half says the class
    write_dataset(tmp_path / "toy", images, labels, np.where(np.arange(60) < 40, "train", "test"), ["a", "b"])
    settings = {"network": "conv2", "rounds": 1, "trials": 1, "controls": ["random_reinit"],
                "train": {"epochs": 2, "batch_size": 16}}
    runner = CliRunner()
    run = runner.invoke(main, ["landscape", "lottery", "--dataset-dir", str(tmp_path / "toy"), "--settings",
                               json.dumps(settings), "--runs", str(tmp_path / "runs.parquet")])
    assert run.exit_code == 0, run.output
    runs = pd.read_parquet(tmp_path / "runs.parquet")
    assert set(runs["model"]) == {"conv2"} and set(runs["conv_fraction"]) == {0.1}
    # Conv-2 on 8x8: convolutions of 576 and 36,864 weights keep 90 % (the schema's conv_fraction), the FC
    # layers of 1,024 x 256 and 256 x 256 keep 80 % (prune_fraction), the 2-class output 90 % (output_fraction)
    sizes, kept = [576, 36864, 1024 * 256, 256 * 256, 512], [0.9, 0.9, 0.8, 0.8, 0.9]
    remaining = sum(round(k * n) for k, n in zip(kept, sizes)) / sum(sizes)
    assert runs.loc[runs["round"] == 1, "remaining"].tolist() == pytest.approx([remaining, remaining])

    summary = runner.invoke(main, ["landscape", "summarise", "--lottery", str(tmp_path / "runs.parquet"),
                                   "--settings", json.dumps({"lottery": settings | {"dataset": "toy"}}),
                                   "--figures", str(tmp_path / "figs"), "--out-dir", str(tmp_path / "s12")])
    assert summary.exit_code == 0, summary.output
    caption = json.loads((tmp_path / "s12" / "section.json").read_text())["figures"][0]["caption"]
    assert "STAND-IN: dataset toy, not Frankle & Carbin's CIFAR-10" in caption
    assert "Conv-2, 10% of each convolution's and 20% of each fully connected layer's weights" in caption
    assert "Conv-2 / Conv-4 on CIFAR-10" in caption
