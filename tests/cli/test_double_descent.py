import json

import numpy as np
import pandas as pd
from click.testing import CliRunner
from PIL import Image

from dlrepro.cli import main
from dlrepro.data.dataset import write_dataset


def test_tiny_sweep_from_the_command_line(tmp_path):
    rng = np.random.default_rng(0)
    labels = np.arange(60) % 3
    images = rng.integers(0, 60, size=(60, 4, 4, 1), dtype=np.uint8)
    images[np.arange(60), labels, :, 0] = 250  # the bright row says the class
    split = np.where(np.arange(60) < 40, "train", "test")
    write_dataset(tmp_path / "toy", images, labels, split, ["a", "b", "c"])

    runner = CliRunner()
    run = runner.invoke(main, ["double-descent", "run", "--dataset-dir", str(tmp_path / "toy"), "--n-train", "20",
                               "--widths", "30,1,2", "--epochs", "3", "--runs-dir", str(tmp_path / "runs"),
                               "--table", str(tmp_path / "table.csv")])
    assert run.exit_code == 0, run.output
    table = pd.read_csv(tmp_path / "table.csv")
    # nK = 20 x 3 = 60: H = 1, 2 have 23 and 43 parameters (below), H = 30 has 603 (above)
    assert list(table["width"]) == [1, 2, 30]
    assert list(table["parameters"]) == [23, 43, 603]
    assert list(table["reused"]) == [False, True, False]
    (metrics,) = (tmp_path / "runs").glob("*/width_2/metrics.parquet")
    assert len(pd.read_parquet(metrics)) == 3

    summary = runner.invoke(main, ["double-descent", "summarise", "--table", str(tmp_path / "table.csv"),
                                   "--dataset", "toy", "--figure", str(tmp_path / "dd.png"),
                                   "--section", str(tmp_path / "section.json")])
    assert summary.exit_code == 0, summary.output
    section = json.loads((tmp_path / "section.json").read_text())
    assert "nK = 60 parameters" in section["intro"]
    assert section["figures"][0]["path"] == str(tmp_path / "dd.png")
    assert "trained with the squared loss on n = 20 training images of toy" in section["figures"][0]["caption"]
    with Image.open(tmp_path / "dd.png") as image:
        assert image.format == "PNG"


def test_too_large_subset_is_one_clear_error(tmp_path):
    write_dataset(tmp_path / "toy", np.zeros((4, 2, 2, 1), np.uint8), np.arange(4) % 2,
                  np.array(["train", "train", "test", "test"]), ["a", "b"])
    result = CliRunner().invoke(main, ["double-descent", "run", "--dataset-dir", str(tmp_path / "toy"), "--n-train",
                                       "10", "--widths", "2", "--runs-dir", str(tmp_path / "r"), "--table",
                                       str(tmp_path / "t.csv")])
    assert result.exit_code == 1 and "only 2 training images" in result.output
