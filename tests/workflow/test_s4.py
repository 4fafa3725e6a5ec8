"""S4 by the real snakemake at a tiny size, on the generated stand-in paintings: one job per
experiment, the best chosen on validation and scored on test, the robustness table, the figures;
then an edited entry reruns only its own training job."""

import json
import re

import pandas as pd
import pytest

from tests.workflow.conftest import Workflow

CONFIG = {
    "seed": 0,
    "datasets": {
        "art-standin": {"source": "folder", "images": "results/s4/standin/art_data.tar",
                        "manifest": "results/s4/standin/SHA256SUMS", "size": 50, "fit": "pad",
                        "val_fraction": 0.25, "test_fraction": 0.25},
    },
    "s4": {
        "dataset": "art-standin",
        "standin": {"painters": 3, "paintings": 12, "size": 40},
        "train": {"epochs": 6, "batch_size": 6, "momentum": 0.9},
        "experiments": {
            "baseline": {},
            "max_pool": {"network": {"pool": True}},
            "early_stopping": {"train": {"patience": 1, "epochs": 40}},
            "augmented": {"augment": True},
        },
        "architectures": {"pyramidal": {"channels": [4, 8, 16], "kernel": 3}},
        "robustness": {"strengths": {"shift": 4, "brightness": 0.3, "contrast": 2.0},
                       "runs": ["baseline", "augmented"]},
    },
}


def planned(workflow: Workflow) -> dict[str, str]:
    plan = workflow.run("results/s4/section.json", "--dry-run", "--quiet", "rules").stdout
    return dict(re.findall(r"^(\w+) +(\d+)$", plan, flags=re.MULTILINE))


@pytest.mark.workflow
def test_s4_trains_every_experiment_and_scores_only_the_best_on_test(tmp_path):
    workflow = Workflow(tmp_path, CONFIG)
    workflow.run("results/s4/section.json")

    table = pd.read_csv(tmp_path / "results/s4/experiments.csv").set_index("name")
    assert list(table.index) == ["baseline", "max_pool", "early_stopping", "augmented", "pyramidal"]
    assert table.loc["pyramidal", "group"] == "architectures"
    assert table.loc["early_stopping", "stop_reason"] == "early_stopping"
    # 5x5 stride 2 twice: 13 px; with pooling 23 px; three 3x3 stride-2 layers: 1 + 2 + 4 + 8 = 15 px
    assert table["receptive_field"].to_dict() == {"baseline": 13, "max_pool": 23, "early_stopping": 13,
                                                 "augmented": 13, "pyramidal": 15}
    sweep = pd.read_csv(tmp_path / "results/s4/sweep.csv")
    assert sweep[["name", "channels", "receptive_field"]].values.tolist() == [["pyramidal", "4-8-16", 15]]

    best = json.loads((tmp_path / "results/s4/best.json").read_text())
    assert best["best"] == table["val_accuracy"].idxmax()
    assert best["val_accuracy"] == pytest.approx(table["val_accuracy"].max(), abs=1e-4)
    assert best["chance"] == pytest.approx(1 / 3) and best["n_test"] == 9
    assert best["test_accuracy"] > best["majority_test"]  # three palettes are easy to tell apart
    robustness = pd.read_csv(tmp_path / "results/s4/robustness.csv").set_index("network")
    assert list(robustness.index) == ["baseline", "augmented"] and robustness.shape[1] == 8
    assert ((robustness >= 0) & (robustness <= 1)).all().all()

    section = json.loads((tmp_path / "results/s4/section.json").read_text())
    assert section["title"] == "S4. Artist classification CNN"
    assert "STAND-IN" in section["intro"] and "Chance 33.3%" in section["intro"]
    assert all("STAND-IN" in figure["caption"] for figure in section["figures"])
    assert len(section["figures"]) == 5 + 3  # curves per run, summary, robustness, misclassified
    assert all((tmp_path / figure["path"]).stat().st_size > 5_000 for figure in section["figures"])

    changed = json.loads(json.dumps(CONFIG))
    changed["s4"]["experiments"]["max_pool"]["network"]["dropout"] = 0.5
    workflow.write_config(changed)
    assert planned(workflow) == {"s4_train": "1", "s4_summarise": "1", "total": "2"}
    changed["s4"]["robustness"]["strengths"]["shift"] = 2  # the augmented run trains with the changes
    workflow.write_config(changed)
    assert planned(workflow) == {"s4_train": "2", "s4_summarise": "1", "total": "3"}
