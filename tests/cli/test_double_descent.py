import json

import numpy as np
import pandas as pd
import torch
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
    run = runner.invoke(main, ["double-descent", "run", "--dataset-dir", str(tmp_path / "toy"), "--settings",
                               '{"n_train": 20, "widths": [30, 1, 2], "epochs": 3}', "--runs-dir", str(tmp_path / "runs"),
                               "--table", str(tmp_path / "table.csv"),
                               "--curves", str(tmp_path / "curves.parquet"), "--weights", str(tmp_path / "w.pt")])
    assert run.exit_code == 0, run.output
    table = pd.read_csv(tmp_path / "table.csv")
    # nK = 20 x 3 = 60: H = 1, 2 have 23 and 43 parameters (below), H = 30 has 603 (above)
    assert list(table["width"]) == [1, 2, 30]
    assert list(table["parameters"]) == [23, 43, 603]
    assert list(table["reused"]) == [False, True, False]
    curves = pd.read_parquet(tmp_path / "curves.parquet")
    # below nK a width stops at zero training error, above it runs every epoch
    assert curves.groupby("width")["epoch"].max().to_dict() == dict(zip(table["width"], table["epochs"]))
    assert curves.query("width == 30")["epoch"].tolist() == [1, 2, 3]
    assert not (tmp_path / "runs").exists()  # the resumable state goes once the sweep is complete
    weights = torch.load(tmp_path / "w.pt", weights_only=True)
    assert (weights["n_train"], weights["seed"], sorted(weights["widths"])) == (20, 0, [1, 2, 30])
    # the reused H = 2 started from H = 1's trained unit
    assert torch.equal(weights["widths"][2]["initial"]["1.weight"][:1], weights["widths"][1]["final"]["1.weight"])

    summary = runner.invoke(main, ["double-descent", "summarise", "--table", str(tmp_path / "table.csv"),
                                   "--settings", '{"dataset": "toy"}', "--figure", str(tmp_path / "dd.png"),
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
    result = CliRunner().invoke(main, ["double-descent", "run", "--dataset-dir", str(tmp_path / "toy"), "--settings",
                                       '{"n_train": 10, "widths": [2]}', "--runs-dir", str(tmp_path / "r"),
                                       "--table", str(tmp_path / "t.csv"), "--curves", str(tmp_path / "c.parquet"),
                                       "--weights", str(tmp_path / "w.pt")])
    assert result.exit_code == 1 and "only 2 training images" in result.output and "s6.n_train" in result.output


def test_misspelt_setting_is_one_line_naming_the_config_key(tmp_path):
    write_dataset(tmp_path / "toy", np.zeros((4, 2, 2, 1), np.uint8), np.arange(4) % 2,
                  np.array(["train", "train", "test", "test"]), ["a", "b"])
    result = CliRunner().invoke(main, ["double-descent", "run", "--dataset-dir", str(tmp_path / "toy"), "--settings",
                                       '{"n_trian": 2}', "--runs-dir", str(tmp_path / "r"), "--table",
                                       str(tmp_path / "t.csv"), "--curves", str(tmp_path / "c.parquet"),
                                       "--weights", str(tmp_path / "w.pt")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: config key s6: Additional properties are not allowed ('n_trian' was unexpected); "
        "fix it in the config (or in --settings)"
    ]


def test_summarise_refuses_an_empty_table(tmp_path):
    (tmp_path / "t.csv").write_text("width,parameters\n")
    result = CliRunner().invoke(main, ["double-descent", "summarise", "--table", str(tmp_path / "t.csv"),
                                       "--figure", str(tmp_path / "f.png"), "--section", str(tmp_path / "s.json")])
    assert result.exit_code == 1 and "holds no sweep rows" in result.output
