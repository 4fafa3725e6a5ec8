"""S12 by the real snakemake at a tiny size: teacher-student, lottery tickets and the bounds of S5's and
S6's MLPs, then the report section; a part switched off drops its job and its figure."""

import json

import pandas as pd
import pytest

from tests.workflow.conftest import Workflow

PLAIN = {"weight_decay": 0.0, "dropout": 0.0, "shift": 0, "flip": False, "variants": None}
CONFIG = {
    "seed": 0,
    "datasets": {"digits": {"source": "digits", "max_train": 300, "max_test": 100}},
    "s5": {
        "dataset": "digits",
        "max_train": 100,
        "variants": ["true_labels", "random_labels"],
        "corruption": [],
        "models": {"mlp": {"kind": "mlp", "width": 64}},
        "regularisation": {"plain": PLAIN},
        "train": {"optimizer": "sgd", "lr": 0.05, "momentum": 0.9, "batch_size": 25, "max_epochs": 150},
        "sweep": {"kind": "mlp", "widths": [8, 64]},
    },
    "s6": {"dataset": "digits", "n_train": 60, "widths": [2, 40], "epochs": 20},
    "s12": {
        "teacher_student": {"inputs": 5, "teacher_width": 2, "multiples": [1, 4], "seeds": 2, "n_train": 60,
                            "n_test": 100, "train": {"max_epochs": 20}},
        "lottery": {"hidden": [16], "prune_fraction": 0.5, "output_fraction": 0.5, "rounds": 2, "trials": 1,
                    "train": {"epochs": 3, "lr": 0.005}},
        "bounds": {},
    },
}


@pytest.mark.workflow
def test_s12_runs_its_three_parts_and_summarises_them(tmp_path):
    workflow = Workflow(tmp_path, CONFIG)
    workflow.run("results/s12/section.json")
    runs = pd.read_parquet(tmp_path / "results/s12/teacher_student/runs.parquet")
    assert sorted(runs["width"]) == [2, 2, 8, 8]
    lottery = pd.read_csv(tmp_path / "results/s12/lottery.csv")
    assert set(lottery["arm"]) == {"winning_ticket", "random_reinit", "random_pruning"}
    assert sorted(lottery["remaining_percent"].round(1).unique()) == [25.0, 50.0, 100.0]
    measures = pd.read_parquet(tmp_path / "results/s12/bounds/measures.parquet")
    # S5's sweep's two widths and its true- and random-label runs, each with its S5 gap; S6's two widths
    assert sorted(measures["label"]) == ["H2", "H40", "p0", "p1", "w64", "w8"]
    s6 = measures[measures["family"] == "S6"].set_index("width")
    table = pd.read_csv(tmp_path / "results/s6/table.csv").set_index("width")
    assert s6["gap"].to_dict() == (table["test_error"] - table["train_error"]).to_dict()
    # digits: nK = 600; H = 2 (160 parameters) lies below it, H = 40 (3,010) above
    assert s6["parameters"].to_dict() == {2: 160, 40: 3010} and set(s6["threshold"]) == {600}
    fitted = measures[measures["train_error"] == 0]
    assert (fitted["margin"] > 0).all() and (fitted["bartlett"] > 0).all()
    random = measures.set_index("label").loc["p1"]
    assert random["gap"] > measures.set_index("label").loc["p0", "gap"]
    section = json.loads((tmp_path / "results/s12/section.json").read_text())
    assert section["title"].startswith("S12. ")
    assert [f["path"].rsplit("/", 1)[1] for f in section["figures"]] == ["teacher_student.png", "lottery.png",
                                                                         "bounds.png", "bounds_s6.png"]
    assert "S6's 2 double-descent widths" in section["intro"]
    assert all((tmp_path / f["path"]).stat().st_size > 10_000 for f in section["figures"])
    assert "STAND-IN" in section["figures"][1]["caption"]

    without = json.loads(json.dumps(CONFIG))
    without["s12"]["lottery"] = None
    del without["s5"]
    workflow.write_config(without)
    # S6 alone still feeds the bounds
    assert workflow.planned_jobs("results/s12/section.json") == {"s12_bounds": 1, "s12_summarise": 1}
    del without["s6"]
    workflow.write_config(without)
    assert workflow.planned_jobs("results/s12/section.json") == {"s12_summarise": 1}
