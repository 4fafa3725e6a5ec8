"""S14 by the real snakemake at a tiny size: the stand-ins, the image and time-series jobs, the section;
a user's CSV without the linear prediction stops with one line naming the file and the column."""

import json

import pandas as pd
import pytest

from tests.workflow.conftest import Workflow

CONFIG = {
    "seed": 0,
    "datasets": {"dies-standin": {"source": "folder", "images": "results/s14/standin/dies.tar",
                                  "manifest": "results/s14/standin/SHA256SUMS", "size": 32, "channels": 1,
                                  "val_fraction": 0.2, "test_fraction": 0.3}},
    "s14": {
        "standin": {"dies": {"good": 12, "bad": 12, "size": 32},
                    "panel": {"days": 100, "assets": 5, "features": 10, "linear_strength": 0.5}},
        "images": {"weights": "random", "image_size": 32, "train": {"epochs": 1, "batch_size": 8},
                   "gradcam": {"layer": "layer2", "examples": 2}, "outlier": {"k": 3, "components": 4}},
        "timeseries": {"split": {"min_train_days": 40, "test_days": 30},
                       "models": {"ridge": {"kind": "ridge"}, "mlp": {"kind": "mlp", "hidden": [8], "epochs": 1}}},
    },
}


@pytest.mark.workflow
def test_s14_runs_on_its_stand_ins_and_names_a_missing_column(tmp_path):
    workflow = Workflow(tmp_path, CONFIG)
    workflow.run("results/s14/section.json")
    section = json.loads((tmp_path / "results/s14/section.json").read_text())
    assert section["title"] == "S14. Industrial and financial data"
    assert [f["path"].rsplit("/", 1)[1] for f in section["figures"]] == ["roc.png", "gradcam.png", "correlations.png"]
    assert all((tmp_path / f["path"]).stat().st_size > 10_000 for f in section["figures"])
    assert all("STAND-IN" in f["caption"] for f in section["figures"])
    images = pd.read_csv(tmp_path / "results/s14/images.csv")
    assert images["roc_auc"].between(0, 1).all() and len(images) == 3
    scores = pd.read_csv(tmp_path / "results/s14/timeseries.csv")
    assert sorted(scores["model"].unique()) == ["linear_prediction", "mlp", "ridge"]
    assert scores[scores["residualised"]]["below_threshold"].all()
    assert (tmp_path / "results/s14/manifests/panel.csv.sha256").read_text().endswith("  panel.csv\n")

    table = pd.read_csv(tmp_path / "results/s14/standin/panel.csv").drop(columns="linear_prediction")
    table.to_csv(tmp_path / "mine.csv", index=False)
    mine = json.loads(json.dumps(CONFIG))
    mine["s14"]["timeseries"]["csv"] = "mine.csv"
    workflow.write_config(mine)
    assert workflow.planned_jobs("results/s14/section.json") == {"s14_timeseries": 1, "s14_summarise": 1}
    failed = workflow.run("results/s14/section.json", check=False)
    assert failed.returncode != 0
    lines = (tmp_path / "results/logs/s14/timeseries.log").read_text().strip().splitlines()
    assert lines[-1].startswith("Error: mine.csv: no column linear_prediction")
