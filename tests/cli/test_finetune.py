import json

import torch
from click.testing import CliRunner
from PIL import Image

from dlrepro.cli import main
from dlrepro.models.torchvision_nets import load_cnn
from tests.train.test_finetune import toy_dataset


def test_finetune_command_writes_metrics_curves_and_figure(tmp_path):
    torch.save(load_cnn("resnet18", "random", seed=1).state_dict(), tmp_path / "resnet18.pt")
    out = tmp_path / "s1" / "toy" / "finetune" / "full"
    result = CliRunner().invoke(main, [
        "finetune", "--dataset-dir", str(toy_dataset(tmp_path / "toy")), "--mode", "full", "--settings",
        json.dumps({"arch": "resnet18", "weights": str(tmp_path / "resnet18.pt"), "image_size": 32, "epochs": 2,
                    "batch_size": 8}), "--metrics", str(out / "metrics.json"), "--curves", str(out / "curves.parquet"),
        "--figure", str(tmp_path / "figures" / "finetune_full.png")])
    assert result.exit_code == 0, result.output
    metrics = json.loads((out / "metrics.json").read_text())
    assert {"arch", "mode", "accuracy", "top5", "fit_time_s", "n_train", "n_test", "confusion_matrix"} <= set(metrics)
    assert metrics["top5"] is None and metrics["n_test"] == 12 and metrics["epochs"] == 2
    assert sum(map(sum, metrics["confusion_matrix"])) == 12
    with Image.open(tmp_path / "figures" / "finetune_full.png") as image:
        assert image.format == "PNG"


def test_wrong_weights_file_is_one_clear_error(tmp_path):
    torch.save(torch.nn.Linear(2, 2).state_dict(), tmp_path / "w.pt")
    result = CliRunner().invoke(main, [
        "finetune", "--dataset-dir", str(toy_dataset(tmp_path / "toy")), "--settings",
        json.dumps({"weights": str(tmp_path / "w.pt")}), "--mode", "full", "--metrics", str(tmp_path / "m.json"), "--curves", str(tmp_path / "c.parquet"),
        "--figure", str(tmp_path / "f.png")])
    assert result.exit_code == 1 and "does not fit resnet18" in result.output and "w.pt" in result.output
