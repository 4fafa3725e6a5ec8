import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from PIL import Image

from dlrepro.cli import main
from dlrepro.data.dataset import write_dataset


@pytest.fixture
def toy(tmp_path):
    """60 tiny images whose bright row says the class (3 classes): 40 train, 20 test."""
    rng = np.random.default_rng(0)
    labels = np.arange(60) % 3
    images = rng.integers(0, 60, size=(60, 4, 4, 1), dtype=np.uint8)
    images[np.arange(60), labels, :, 0] = 250
    split = np.where(np.arange(60) < 40, "train", "test")
    write_dataset(tmp_path / "toy", images, labels, split, ["a", "b", "c"])
    return tmp_path / "toy"


def fit(runner, toy, out, *args, models=None, regularisation=None, max_epochs=200):
    settings = {"max_train": None, "train": {"lr": 0.1, "max_epochs": max_epochs},
                "models": models or {"net": {"kind": "mlp", "width": 64}}, "regularisation": regularisation or {"plain": {}}}
    result = runner.invoke(main, ["generalization", "fit", "--dataset", str(toy), "--settings", json.dumps(settings),
                                  "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return json.loads((out / "fit.json").read_text())


def test_fit_and_summarise_a_tiny_study(toy, tmp_path):
    runner = CliRunner()
    runs = tmp_path / "fit"
    summaries = {
        variant: fit(runner, toy, runs / variant, "--variant", variant, "--model-name", "net")
        for variant in ("true_labels", "random_labels", "random_pixels")
    }
    fit(runner, toy, runs / "reg", "--variant", "true_labels", "--model-name", "net", "--regularisation", "wd",
        regularisation={"wd": {"weight_decay": 0.001, "dropout": 0.2, "shift": 1}}, max_epochs=2)
    sweeps = [fit(runner, toy, tmp_path / "sweep" / f"w{w}", "--variant", "true_labels", "--model-name", "mlp",
                  models={"mlp": {"kind": "mlp", "width": w}})
              for w in (2, 16)]

    true, random = summaries["true_labels"], summaries["random_labels"]
    assert true["epochs_to_zero_error"] is not None and true["train_error"] == 0
    assert random["epochs_to_zero_error"] > true["epochs_to_zero_error"]  # memorising noise is slower
    assert true["test_error"] < 0.2 and true["corruption"] == 0.0 and random["corruption"] == 1.0
    metrics = pd.read_parquet(runs / "true_labels" / "metrics.parquet")
    assert len(metrics) == true["epochs_run"] == true["epochs_to_zero_error"]
    assert not (runs / "true_labels" / "checkpoint.pt").exists()
    assert sweeps[0]["parameters"] < sweeps[1]["parameters"]

    figures, out_dir = tmp_path / "figures", tmp_path / "s5"
    fit_files = [str(p) for p in sorted(runs.glob("*/fit.json"))]
    sweep_options = [arg for w in (2, 16) for arg in ("--sweep", str(tmp_path / "sweep" / f"w{w}" / "fit.json"))]
    result = runner.invoke(main, ["generalization", "summarise", *fit_files, *sweep_options,
                                  "--figures", str(figures), "--out-dir", str(out_dir), "--settings", '{"dataset": "toy"}'])
    assert result.exit_code == 0, result.output

    section = json.loads((out_dir / "section.json").read_text())
    paths = {entry["path"] for entry in section["figures"] + section["tables"]}
    assert paths == {str(figures / name) for name in ("curves_net_plain.png", "curves_net_wd.png",
                                                       "label_corruption.png", "width_sweep.png")} | {
        str(out_dir / "time_to_fit.csv"), str(out_dir / "width_sweep.csv")}
    for path in paths - {str(out_dir / "time_to_fit.csv"), str(out_dir / "width_sweep.csv")}:
        assert Image.open(path).size[0] > 500
    assert f"true labels {true['epochs_to_zero_error']}" in section["intro"]

    table = pd.read_csv(out_dir / "time_to_fit.csv")
    plain = table[table["regularisation"] == "plain"].set_index("variant")
    assert plain.loc["true_labels", "slowdown_vs_true_labels"] == 1.0
    assert plain.loc["random_labels", "slowdown_vs_true_labels"] == pytest.approx(
        random["epochs_to_zero_error"] / true["epochs_to_zero_error"])
    assert list(pd.read_csv(out_dir / "width_sweep.csv")["width"]) == [2, 16]


def test_fit_rejects_an_unknown_variant(toy, tmp_path):
    result = CliRunner().invoke(main, ["generalization", "fit", "--dataset", str(toy), "--variant", "noise",
                                       "--out", str(tmp_path / "run")])
    assert result.exit_code != 0 and "unknown data variant 'noise'" in result.output


def test_fit_names_a_folder_that_is_not_a_dataset(tmp_path):
    result = CliRunner().invoke(main, ["generalization", "fit", "--dataset", str(tmp_path), "--variant", "gaussian",
                                       "--out", str(tmp_path / "run")])
    assert result.exit_code != 0 and "dlrepro data prepare" in result.output


def test_fit_names_a_model_missing_from_the_settings(toy, tmp_path):
    result = CliRunner().invoke(main, ["generalization", "fit", "--dataset", str(toy), "--variant", "gaussian",
                                       "--model-name", "resnet", "--out", str(tmp_path / "run")])
    assert result.exit_code == 1 and "s5.models has no entry 'resnet'; it has ['cnn', 'mlp']" in result.output
