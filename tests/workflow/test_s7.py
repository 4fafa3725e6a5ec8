"""S7 by the real snakemake at a tiny size: canvases from the digits, one job per canvas and model,
the error table, glimpse paths, glimpses and curves; editing one canvas reruns only its own jobs."""

import json
import re

import pandas as pd
import pytest

from tests.workflow.conftest import Workflow

CONFIG = {
    "seed": 0,
    "datasets": {"digits": {"source": "digits", "max_train": 200, "max_test": 60}},
    "s7": {
        "dataset": "digits",
        "canvases": {
            "translated": {"canvas": 16, "digit_size": 8, "copies": 2, "retina": {"patch": 4, "scales": 2}},
            "cluttered": {"canvas": 16, "fragments": 2, "fragment_size": 3, "redraw": True,
                          "retina": {"patch": 4, "scales": 2}},
        },
        "glimpses": [1, 2],
        "baselines": ["fc", "conv"],
        "ram": {"glimpse_hidden": 8, "location_hidden": 8, "glimpse_features": 16, "hidden": 16, "samples": 2},
        "fc": {"hidden": [16]},
        "conv": {"filters": 4, "kernel": 4, "stride": 2, "hidden": 16},
        "train": {"epochs": 2, "batch_size": 32, "optimizer": "adam", "lr": 0.001},
        "baseline_train": {"optimizer": "sgd", "lr": 0.05},
    },
}


def planned(workflow: Workflow) -> dict[str, str]:
    plan = workflow.run("results/s7/section.json", "--dry-run", "--quiet", "rules").stdout
    return dict(re.findall(r"^(\w+) +(\d+)$", plan, flags=re.MULTILINE))


@pytest.mark.workflow
def test_s7_trains_every_model_on_every_canvas_and_writes_its_section(tmp_path):
    workflow = Workflow(tmp_path, CONFIG)
    workflow.run("results/s7/section.json")

    table = pd.read_csv(tmp_path / "results/s7/errors.csv")
    assert table[["canvas", "model"]].values.tolist() == [
        [canvas, model] for canvas in ("translated", "cluttered") for model in ("fc", "conv", "ram-1", "ram-2")]
    assert table["test_error_pct"].between(0, 100).all() and table["mnih2014_pct"].isna().all()
    assert (table["n_train"] == 200).all() and (table["epochs"] == 2).all()  # digits, whatever their copies
    metrics = pd.read_parquet(tmp_path / "results/s7/runs/cluttered/ram-2/metrics.parquet")
    assert {"train_reward", "train_baseline_loss", "train_action_loss", "test_error"} <= set(metrics)

    section = json.loads((tmp_path / "results/s7/section.json").read_text())
    assert section["title"] == "S7. Recurrent attention model"
    assert "STAND-IN" in section["intro"]
    assert "cluttered 16x16 with 2 fragments of 3 px, training canvases redrawn every epoch" in section["intro"]
    assert ("RAM: ADAM, learning rate 0.001, batch 32, 2 epochs; FC and conv: SGD, learning rate 0.05, batch 32, "
            "2 epochs.") in section["intro"]
    assert json.loads((tmp_path / "results/s7/runs/cluttered/fc/run.json").read_text())["redraw"] is True
    assert len(section["figures"]) == 2 * 3  # per canvas: paths, glimpses, curves
    assert all((tmp_path / figure["path"]).stat().st_size > 3_000 for figure in section["figures"])

    changed = json.loads(json.dumps(CONFIG))
    changed["s7"]["canvases"]["cluttered"]["fragments"] = 3
    workflow.write_config(changed)
    assert planned(workflow) == {"s7_canvases": "1", "s7_train": "4", "s7_summarise": "1", "total": "6"}

    retrained = json.loads(json.dumps(CONFIG))
    retrained["s7"]["baseline_train"]["lr"] = 0.02
    workflow.write_config(retrained)
    assert planned(workflow) == {"s7_train": "4", "s7_summarise": "1", "total": "5"}  # fc and conv, not RAM
